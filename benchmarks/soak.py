"""Soak: the real window driven through a repeating cycle for minutes, as a long talk would; prints the
process's resident memory and the Python heap each cycle, and what grew. Asserts nothing.

    python benchmarks/soak.py [--minutes 10] [--top 5]

Each cycle: drag a handle, add a component (double-click) and remove it (Delete), open a handle's menu
(right-click) and close it, paint a stroke with the brush and erase one (each refits the points' mixture by
EM), switch through the losses (keys 1-8) while the fit runs, load another scene, step through the tour
(arrow keys), show the real-digits stage and come back, export a PNG of the window, animate a short GIF
(every fifth cycle, in its own process, as the window does), and undo. Runs offscreen unless a display is
set (use Xvfb for a real X server).

What it found: the first painted stroke used to import scikit-learn (and the SciPy under it) into the
window's process for its EM, about 100 MB that stayed for good; the EM is numpy now, and the run ends by
saying whether either was loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine.maths.threads import limit_native_threads  # noqa: E402

limit_native_threads()
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="blurlab-soak-")


def _type_counts() -> dict[str, int]:
    """How many objects the garbage collector tracks, by type name (Qt wrappers included)."""
    import gc
    from collections import Counter

    gc.collect()
    return dict(Counter(type(o).__name__ for o in gc.get_objects()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--top", type=int, default=5, help="allocation sites that grew most, shown each cycle")
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks.drive import LEFT, MOVE, NONE, PRESS, RELEASE, Driver, open_window, rss_mb

    app, window = open_window(1600, 900)
    out = Path(tempfile.mkdtemp(prefix="blurlab-soak-out-"))

    drive = Driver(app, window)
    wait, key, mouse, at = drive.wait, drive.key, drive.mouse, drive.at

    def drag_first_handle(dx: float) -> None:
        handle = window.pane.handles()[0]
        x, y = handle.pos().x(), handle.pos().y()
        drive.drag(at(x, y), at(x + dx, y))

    def add_and_remove() -> None:
        p = at(0.0, 0.05)
        mouse(MOVE, p, NONE, NONE)
        for kind, buttons in ((PRESS, LEFT), (RELEASE, NONE), (QEvent.Type.MouseButtonDblClick, LEFT), (RELEASE, NONE)):
            mouse(kind, p, LEFT, buttons)
        app.processEvents()
        handle = window.pane.handles()[-2]  # the new component's main handle
        hp = at(handle.pos().x(), handle.pos().y())
        mouse(MOVE, hp, NONE, NONE)
        mouse(PRESS, hp, LEFT, LEFT)
        mouse(RELEASE, hp, LEFT, NONE)
        app.processEvents()
        key(Qt.Key.Key_Delete)

    def stroke(tool_key, dx: float) -> None:
        """Take up a painting tool by its key, draw one stroke across the middle of the view, put it down."""
        key(tool_key)
        (x0, x1), (y0, y1) = window.pane.viewRange()
        x, y = x0 + 0.4 * (x1 - x0), y0 + 0.3 * (y1 - y0)
        drive.drag(at(x, y), at(x + dx * (x1 - x0), y))
        key(tool_key)

    def right_click_a_handle() -> None:
        handle = window.pane.handles()[1]
        hp = at(handle.pos().x(), handle.pos().y())
        QTimer.singleShot(150, lambda: QApplication.activePopupWidget() and QApplication.activePopupWidget().close())
        mouse(MOVE, hp, NONE, NONE)
        mouse(PRESS, hp, Qt.MouseButton.RightButton, Qt.MouseButton.RightButton)
        mouse(RELEASE, hp, Qt.MouseButton.RightButton, NONE)
        app.processEvents()

    scenes = ["sedan_or_suv", "unequal_weights", "three_modes", "style_and_colour", "ball_next_frame"]
    deadline = time.perf_counter() + 30
    while window.fit.latest is None and time.perf_counter() < deadline:
        wait(0.05)
    tracemalloc.start(1)
    first = tracemalloc.take_snapshot()
    first_counts = _type_counts()
    first_qt = Counter(type(o).__name__ for o in window.findChildren(QObject))
    started = time.perf_counter()
    print("cycle  minute  RSS MB  heap MB  (tracemalloc's traced Python memory)", flush=True)
    rows = []
    cycle = 0
    while time.perf_counter() - started < args.minutes * 60:
        cycle += 1
        scene = scenes[cycle % len(scenes)]
        window.state.load_bundled(scene)
        wait(0.3)
        key(Qt.Key.Key_Space)  # run
        drag_first_handle(0.6 if cycle % 2 else -0.6)
        add_and_remove()
        right_click_a_handle()
        stroke(Qt.Key.Key_B, 0.2)
        stroke(Qt.Key.Key_E, 0.1)
        for k in range(8):
            key(Qt.Key.Key_1 + k)
            wait(0.25)
        key(Qt.Key.Key_1)
        key(Qt.Key.Key_Space)  # pause
        for _ in range(3):
            key(Qt.Key.Key_Right)
            wait(0.3)
        window.tour.end()
        window.show_stage("real_digits")
        wait(0.3)
        window.show_stage("data_space")
        window.exports.export_png("window", str(out / "window.png"))
        if cycle % 5 == 0:
            job = window.exports.export_animation(str(out / "fit.gif"), steps=45)
            done = []
            job.finished.connect(lambda ok, message: done.append(ok))
            end = time.perf_counter() + 120
            while not done and time.perf_counter() < end:
                wait(0.05)
        key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        wait(0.3)
        minute = (time.perf_counter() - started) / 60
        heap = tracemalloc.get_traced_memory()[0] / 2**20
        rows.append((minute, rss_mb(), heap))
        print(f"{cycle:5d}  {minute:6.2f}  {rows[-1][1]:6.1f}  {heap:7.1f}", flush=True)
        counts = _type_counts()
        grown = sorted(((counts[k] - first_counts.get(k, 0), k) for k in counts), reverse=True)[:3]
        qt = Counter(type(o).__name__ for o in window.findChildren(QObject))
        qt_grown = sorted(((qt[k] - first_qt.get(k, 0), k) for k in qt), reverse=True)[:3]
        print(f"         {sum(qt.values())} Qt objects under the window ("
              + ", ".join(f"{name} {n:+d}" for n, name in qt_grown if n > 0) + "); Python objects that grew most: "
              + ", ".join(f"{name} {n:+d}" for n, name in grown if n > 0), flush=True)
        if args.top and cycle % 5 == 0:
            for stat in tracemalloc.take_snapshot().compare_to(first, "lineno")[: args.top]:
                frame = stat.traceback[0]
                print(f"         +{stat.size_diff / 1024:8.0f} KiB  {Path(frame.filename).name}:{frame.lineno}", flush=True)
    window.close()
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "scipy"})
    print("scikit-learn or SciPy in the window's process: " + (", ".join(heavy) if heavy else "neither"))

    # One cycle's RSS swings by a few MB (an export's buffers, the allocator's mood): each end is the median
    # of a minute of cycles, and the trend is a straight line fitted through every cycle from minute 2 on.
    end = rows[-1][0]
    start = min(2.0, end / 5)

    def median_near(lo: float, hi: float) -> tuple[float, float]:
        near = [r for r in rows if lo <= r[0] <= hi] or [min(rows, key=lambda r: abs(r[0] - lo))]
        return statistics.median(r[1] for r in near), statistics.median(r[2] for r in near)

    (r0, h0), (r1, h1) = median_near(start, start + 1), median_near(end - 1, end)
    print(f"\nFrom minute {start:.1f} to minute {end:.1f} (medians of a minute of cycles at each end): RSS {r0:.1f} -> "
          f"{r1:.1f} MB ({r1 - r0:+.1f}), Python heap {h0:.1f} -> {h1:.1f} MB ({h1 - h0:+.1f}); {cycle} cycles")
    later = [r for r in rows if r[0] >= start]
    if len(later) >= 3:
        slope = statistics.linear_regression([r[0] for r in later], [r[1] for r in later]).slope
        print(f"Trend from minute {start:.1f}: RSS {slope:+.2f} MB a minute, {slope * (end - start):+.1f} MB over those "
              f"{end - start:.1f} minutes (target: at most +5 from minute 2 to 10)")

if __name__ == "__main__":
    main()
