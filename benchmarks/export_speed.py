"""How long a headless export takes: `blurlab export` of a 300-step GIF of the default scene, end to end
(start-up, fit, drawing, encoding), against a PNG of the same fit as the baseline in the same run.

Run: python benchmarks/export_speed.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, MAIN, "export", *args, "--progress", "none"], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as folder:
        cases = {
            "png, 300 steps (baseline: start-up and fit)": ["--steps", "300", "--out", f"{folder}/a.png"],
            "gif, 300 steps, window 1600x900": ["--steps", "300", "--out", f"{folder}/a.gif"],
            "gif, 300 steps, window 1280x720": ["--steps", "300", "--size", "1280x720", "--out", f"{folder}/b.gif"],
            "gif, 300 steps, distribution pane": ["--steps", "300", "--view", "distribution",
                                                  "--out", f"{folder}/c.gif"],
        }
        results = {name: statistics.median(timed(args) for _ in range(repeats)) for name, args in cases.items()}
        base = next(iter(results.values()))
        print(f"median of {repeats} runs, seconds (ratio to the PNG baseline)")
        for name, seconds in results.items():
            size = ""
            out = Path(cases[name][cases[name].index("--out") + 1])
            if out.exists():
                size = f"  {out.stat().st_size / 1e6:.1f} MB"
            print(f"  {name:<45} {seconds:6.2f} s  ({seconds / base:4.2f}x){size}")


if __name__ == "__main__":
    main()
