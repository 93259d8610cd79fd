"""How fast your own data loads: a million rows of two columns read from CSV, TSV and .npy (the issue
asks for under 2 s), the scene built from them (EM on a subsample), and `blurlab fit --data` on the
million-row CSV end to end (start-up, reading, EM, 2000 steps of L2 and the JSON report).

Run: python benchmarks/data_import.py [--rows 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.maths.threads import limit_native_threads  # noqa: E402

limit_native_threads()

import numpy as np  # noqa: E402

from engine.io.table import read_table  # noqa: E402
from engine.model.data_scene import load_data  # noqa: E402


def best(fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n = args.rows
    data = np.concatenate([rng.normal([2.0, 55.0], [0.3, 6.0], (n // 3, 2)),
                           rng.normal([4.3, 80.0], [0.4, 6.0], (n - n // 3, 2))])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        csv, tsv, npy = folder / "big.csv", folder / "big.tsv", folder / "big.npy"
        with open(csv, "w") as f:
            f.write("eruptions,waiting\n")
            np.savetxt(f, data, delimiter=",", fmt="%.6g")
        with open(tsv, "w") as f:
            np.savetxt(f, data, delimiter="\t", fmt="%.6g")
        np.save(npy, data)
        print(f"{n:,} rows, 2 columns ({csv.stat().st_size / 1e6:.0f} MB of CSV); best and median of {args.repeats}")
        for label, fn in (
            ("read CSV with header, both columns", lambda: read_table(csv)),
            ("read CSV, one column by name", lambda: read_table(csv, ["waiting"])),
            ("read TSV without header", lambda: read_table(tsv)),
            ("read .npy", lambda: read_table(npy)),
            ("scene from the CSV (read + EM by BIC)", lambda: load_data(csv)),
        ):
            low, mid = best(fn, args.repeats)
            print(f"  {label:<40} {low:6.2f} s  (median {mid:.2f} s)")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "fit", "--data", str(csv), "--loss", "l2",
                               "--steps", "2000", "--json", str(folder / "fit.json")], capture_output=True, text=True)
        took = time.perf_counter() - start
        print(f"  {'blurlab fit --data (2000 steps of L2)':<40} {took:6.2f} s  (exit {done.returncode})")
        print("  " + done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
