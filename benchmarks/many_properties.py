"""Benchmark: the many-properties scene, 8 properties (256 kinds of car, 4,000 samples) by default.

    python benchmarks/many_properties.py [--properties 8] [--loss all] [--steps 2000] [--repeats 3]

Prints, for every loss (or the one named), the median of `repeats` headless fits of `steps` steps (the
`seconds` the fit JSON reports, the fit loop alone, and the whole report with its theory, markers and
typicality), with torch allowed 2 threads as on a machine of 2 cores (the fit loop itself runs on one);
the figures of the pixel answers for K = 1 … 8 (edge blur, unlikeness to the cars, nearest car); and the
median time to rebuild what a drag of one property's kind changes: the scene, its samples, every
property's marginal (its density on a grid and the samples' histogram) and L2's pixel answer, kept by a
PixelAnswerCache (only the corners with the moved kind are decoded again), beside the time of a pixel
answer from scratch. Times depend on the machine and its load (the tool prints the load average);
nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# Run from a checkout without installing: the repository root holds the `engine` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from timing import median_ms  # noqa: E402
from engine.commands.fit_report import fit_report  # noqa: E402
from engine.model import properties as P  # noqa: E402
from engine.model.losses import LOSS_IDS  # noqa: E402
from engine.model.settings import FitSettings  # noqa: E402

GRID = np.linspace(-4.0, 4.0, 256)[:, None]  # where a marginal's density is drawn


def rebuild(props: tuple[P.Property, ...], k: int, position: float, cache: P.PixelAnswerCache) -> dict[str, float]:
    """One drag: property 0's second kind moved to `position`; each part's time in ms."""
    times = {}
    started = time.perf_counter()
    moved = (props[0].moved(1, position=position),) + props[1:k]
    scene = P.properties_scene(moved)
    samples = scene.draw()
    times["samples"] = 1000 * (time.perf_counter() - started)
    started = time.perf_counter()
    for i, prop in enumerate(moved):
        prop.marginal().pdf(GRID)
        np.histogram(samples[:, i], bins=80, range=(-4.0, 4.0))
    times["marginals"] = 1000 * (time.perf_counter() - started)
    started = time.perf_counter()
    cache.answer(moved)
    times["pixel answer"] = 1000 * (time.perf_counter() - started)
    times["total"] = sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--properties", type=int, default=8)
    parser.add_argument("--loss", default="all", help="a loss id, or all (default)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(2)
    k = args.properties
    props = P.default_properties(k)
    scene = P.properties_scene(props)
    print(f"{k} properties, {len(scene.mixture.components)} kinds, {scene.samples} samples; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    print(f"{'loss':<14}{'fit s':>8}{'report s':>10}  log10 density at the answer  ({args.steps} steps, "
          f"median of {args.repeats})")
    for loss in LOSS_IDS if args.loss == "all" else (args.loss,):
        fit_s, report_s = [], []
        for _ in range(args.repeats):
            started = time.perf_counter()
            report = fit_report(scene, FitSettings(loss=loss, seed=0), args.steps)
            report_s.append(time.perf_counter() - started)
            fit_s.append(report["seconds"])
        share = report["log10_density_at_estimate"]
        print(f"{loss:<14}{statistics.median(fit_s):>8.2f}{statistics.median(report_s):>10.2f}  "
              f"{'several predictions' if share is None else f'{share:.1f}'}", flush=True)

    started = time.perf_counter()
    figures = P.answer_figures(props)
    print(f"pixel answers for K = 1 … {k} and their figures ({time.perf_counter() - started:.1f} s):")
    for f in figures:
        print(f"  K = {f.k}: edge blur {f.edge_blur:.3f}, unlike the cars {f.unlike_cars:.3f}, "
              f"nearest car {f.nearest_car:.3f} RMS")

    for per_corner in (1, 2):
        cache = P.PixelAnswerCache(per_corner)
        rebuild(props, k, 1.5, cache)  # warm: imports, and every corner decoded once
        parts = [rebuild(props, k, 1.5 + 0.01 * i, cache) for i in range(1, max(args.repeats, 5) + 1)]
        print(f"after a drag, pixel answer from {per_corner} car(s) per kind (median ms): " + ", ".join(
            f"{name} {statistics.median(p[name] for p in parts):.1f}" for name in parts[0]))
    print(f"pixel answer of {P.PIXEL_BUDGET} evenly spread samples: "
          f"{median_ms(lambda: P.pixel_answer(props), args.repeats):.0f} ms")


if __name__ == "__main__":
    main()
