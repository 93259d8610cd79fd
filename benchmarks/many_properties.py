"""Benchmark: the many-properties scene, 8 properties (256 kinds of car, 4,000 samples) by default.

    python benchmarks/many_properties.py [--properties 8] [--loss all] [--steps 2000] [--repeats 3]
    python benchmarks/many_properties.py --window [--seconds 6] [--properties 8 6] [--rounds 2] [--against DIR]

Prints, for every loss (or the one named), the median of `repeats` headless fits of `steps` steps (the
`seconds` the fit JSON reports, the fit loop alone, and the whole report with its theory, markers and
typicality), with torch allowed 2 threads as on a machine of 2 cores (the fit loop itself runs on one);
the figures of the pixel answers for K = 1 … 8 (edge blur, unlikeness to the cars, nearest car); and the
median time to rebuild what a drag of one property's kind changes: the scene, its samples, every
property's marginal (its density on a grid and the samples' histogram) and L2's pixel answer, kept by a
PixelAnswerCache (only the corners with the moved kind are decoded again), beside the time of a pixel
answer from scratch. Times depend on the machine and its load (the tool prints the load average);
nothing here asserts on them.

--window measures the window instead, each stage in a fresh process, in turn, so that all see the same
machine: the data-space stage and the many-properties stage (with each number of `--properties`), their fit
running as fast as it goes (the real fit process) and reset every RESET_SECONDS, so that it keeps moving. For each: the intervals between the frames drawn and
between beats of a 16 ms timer (the event loop's latency), and the milliseconds a second spent painting the
plots; for the properties, drags of a property's kind too: the GUI thread's time per drag move (the state,
its samples, every marginal and the chart, painted), and how long the pixel answer, worked out off the GUI
thread, takes to arrive; then the time per move at a mouse's pace (a move every 16 ms). --against DIR measures the properties stage of another checkout too (a copy of an earlier
commit, say: `git archive COMMIT | tar -x -C DIR`), in the same turns. Offscreen unless a display is set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing: the repository root holds the `engine` package. A window measured
# for --against runs this file with that checkout's root (--root) in front instead.
sys.path.insert(0, sys.argv[sys.argv.index("--root") + 1] if "--root" in sys.argv else str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from timing import median_ms  # noqa: E402
from engine.commands.fit_report import fit_report  # noqa: E402
from engine.model import properties as P  # noqa: E402
from engine.model.losses import LOSS_IDS  # noqa: E402
from engine.model.settings import FitSettings  # noqa: E402

GRID = np.linspace(-4.0, 4.0, 256)[:, None]  # where a marginal's density is drawn
RESET_SECONDS = 1.5  # --window: the fit starts again from step 0 this often


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


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _painting(times: list[float]) -> None:
    """Record how long every pyqtgraph view's paint takes (this benchmark's process only)."""
    import pyqtgraph as pg

    paint = pg.GraphicsView.paintEvent

    def timed(view, event):
        started = time.perf_counter()
        paint(view, event)
        times.append(time.perf_counter() - started)

    pg.GraphicsView.paintEvent = timed


def window_figures(k: int, loss: str, seconds: float) -> dict[str, float]:
    """The frame and loop intervals of a stage while its fit runs, in ms, and a drag's costs: the
    many-properties stage with `k` properties, or the data-space stage (k = 0)."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import make_window

    app = QApplication.instance() or QApplication(sys.argv)
    paints: list[float] = []
    _painting(paints)
    window = make_window(P.properties_scene(P.default_properties(k), loss=loss) if k else None, loss=loss)
    window.resize(1600, 900)
    window.show()
    stage = window.current_stage
    runner, state = stage.runner, getattr(stage, "state", window.state)
    deadline = time.perf_counter() + 60
    while runner.latest is None and time.perf_counter() < deadline:  # torch loads in the fit process
        app.processEvents()
        time.sleep(0.005)
    state.set_speed(float("inf"))
    runner.set_running(True)
    frames: list[float] = []
    beats: list[float] = []
    runner.snapshotChanged.connect(lambda snap: frames.append(time.perf_counter()))  # after the panes drew
    heartbeat = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=16)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    # Flat out, a fit settles within a second or two and then barely moves: reset, it moves all the time.
    restart = QTimer(interval=int(1000 * RESET_SECONDS))
    restart.timeout.connect(runner.reset)

    def begin() -> None:
        frames.clear()
        paints.clear()
        heartbeat.start()
        restart.start()

    QTimer.singleShot(500, begin)
    QTimer.singleShot(500 + int(seconds * 1000), app.quit)
    app.exec()
    heartbeat.stop()
    restart.stop()
    frame_ms = [1000 * (b - a) for a, b in zip(frames, frames[1:])]
    beat_ms = [1000 * (b - a) for a, b in zip(beats, beats[1:])]
    figures = {"frames_per_s": len(frames) / seconds, "frame_median_ms": statistics.median(frame_ms),
               "frame_p95_ms": _percentile(frame_ms, 95), "loop_p95_ms": _percentile(beat_ms, 95),
               "painting_ms_per_s": 1000 * sum(paints) / seconds}
    if not k:
        runner.set_running(False)
        window.close()
        return figures

    # Drags: a kind moved step by step, as a mouse does; the pixel answer follows off the GUI thread.
    pictures, model = stage.pictures, stage.model
    moves, arrivals = [], []
    state.begin_edit()
    for i in range(30):
        before = pictures.answer
        started = time.perf_counter()
        model.move(0, 1, False, position=2.0 + 0.05 * (i + 1))
        app.processEvents()
        moves.append(1000 * (time.perf_counter() - started))
        while pictures.answer is before and time.perf_counter() - started < 5:
            app.processEvents()
            time.sleep(0.001)
        arrivals.append(1000 * (time.perf_counter() - started))
    # The same at a mouse's pace: a move every 16 ms, whatever has arrived by then.
    paced = []
    for i in range(60):
        started = time.perf_counter()
        model.move(0, 1, False, position=3.5 - 0.025 * (i + 1))
        app.processEvents()
        paced.append(1000 * (time.perf_counter() - started))
        while time.perf_counter() - started < 0.016:
            app.processEvents()
            time.sleep(0.001)
    model.move(0, 1, True, position=2.0)
    runner.set_running(False)
    window.close()
    figures.update(drag_move_median_ms=statistics.median(moves), drag_move_p95_ms=_percentile(moves, 95),
                   pixel_answer_arrives_median_ms=statistics.median(arrivals),
                   paced_drag_move_median_ms=statistics.median(paced), paced_drag_move_p95_ms=_percentile(paced, 95))
    return figures


def window_in_child(root: Path, k: int, loss: str, seconds: float) -> dict[str, float]:
    """window_figures in a fresh process running the checkout at `root`."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(k), "--root", str(root),
                          "--loss", loss, "--seconds", str(seconds)], cwd=root, capture_output=True, text=True,
                         timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        raise RuntimeError(f"the window of {root} with {k} properties failed:\n{out.stderr[-2000:]}")
    return json.loads(lines[-1])


def compare_windows(counts: list[int], loss: str, seconds: float, rounds: int, against: Path | None) -> None:
    """Every stage in turn, `rounds` times; the median of each figure over the rounds, with its range."""
    runs = [("data-space stage", ROOT, 0)] + [(f"{k} properties", ROOT, k) for k in counts]
    if against is not None:
        runs += [(f"{k} properties, {against}", against, k) for k in counts]
    results: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in runs}
    for _ in range(rounds):
        for name, root, k in runs:
            results[name].append(window_in_child(root, k, loss, seconds))
    print(f"the window while the {loss} fit runs flat out for {seconds:g} s, median of {rounds} round(s) "
          f"(range); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; target: frame p95 <= 18 ms")
    for name, figures in results.items():
        print(f"  {name}")
        for key in figures[0]:
            values = [f[key] for f in figures]
            spread = f" ({min(values):.1f}-{max(values):.1f})" if len(values) > 1 else ""
            print(f"    {key}: {statistics.median(values):.1f}{spread}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--properties", type=int, nargs="+", default=[8],
                        help="how many; --window: each count in turn")
    parser.add_argument("--loss", default=None, help="a loss id; headless: all of them unless named, --window: l2")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--window", action="store_true", help="the window's frame times and drags instead")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=2, help="--window: turns of every stage")
    parser.add_argument("--against", type=Path, metavar="DIR", help="--window: another checkout's stage too")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(window_figures(args.child, args.loss or "l2", args.seconds)))
        return
    if args.window:
        compare_windows(args.properties, args.loss or "l2", args.seconds, args.rounds,
                        args.against.resolve() if args.against else None)
        return
    torch.set_num_threads(2)
    k = args.properties[0]
    props = P.default_properties(k)
    scene = P.properties_scene(props)
    print(f"{k} properties, {len(scene.mixture.components)} kinds, {scene.samples} samples; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    print(f"{'loss':<14}{'fit s':>8}{'report s':>10}  log10 density at the answer  ({args.steps} steps, "
          f"median of {args.repeats})")
    for loss in LOSS_IDS if args.loss in (None, "all") else (args.loss,):
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
