"""The headless command line's work: `fit` (the JSON report and `--images`), and the `losses` and
`scenes` tables. The window's own export lives in gui (it draws with Qt)."""
