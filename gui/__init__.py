"""The window, in PySide6 and pyqtgraph: the app's state, its panes (views that follow the state), small
controllers (the fit, the tour, sessions, export, talk mode), and the window that composes them.
The only package that imports Qt; it never imports torch (the fit runs in its own process)."""
