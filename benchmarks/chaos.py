"""Chaos: the real window driven by random drags, clicks and keys while it fits, as a restless presenter
would; prints the process's resident memory every half minute, every step of more than 3 MB with the
action that came before it, and every exception raised in a slot. Asserts nothing.

    python benchmarks/chaos.py [--minutes 10] [--seed 1] [--checkout DIR]

--checkout runs another checkout's window (an older commit's, say) under the same chaos, for a before and
after; there a window without stages switches its views' tabs instead.

Each action is one of: a key of the window (run, step, reset, the losses, the landscape, the tug of war,
the dial, the tour's arrows, talk mode, the brush and the eraser), a drag across the distribution pane
(a handle, the samples, a stroke when painting), a bundled scene, another stage, or Undo. Runs offscreen
unless a display is set (use Xvfb with a window manager for a real X server).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STEP_MB = 3.0  # a rise in resident memory this large after one action is reported with the action


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the checkout whose window is driven")
    args = parser.parse_args()
    sys.path[:0] = [str(args.checkout.resolve()), str(ROOT)]
    from engine.maths.threads import limit_native_threads

    limit_native_threads()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="blurlab-chaos-")

    from PySide6.QtCore import QPoint, Qt

    from benchmarks.drive import Driver, open_window, rss_mb

    from engine.model.scene import bundled_scene, bundled_scene_ids

    app, window = open_window(1280, 720)
    errors: Counter[str] = Counter()

    def on_error(kind, value, tb) -> None:  # what Qt would print from a slot, counted by its last frame
        frame = traceback.extract_tb(tb)[-1]
        errors[f"{kind.__name__} at {Path(frame.filename).name}:{frame.lineno}: {value}"] += 1

    sys.excepthook = on_error
    rng = random.Random(args.seed)

    drive = Driver(app, window)
    wait, key = drive.wait, drive.key

    def drag() -> None:
        viewport = window.pane.viewport()
        a = QPoint(rng.randrange(viewport.width()), rng.randrange(viewport.height()))
        b = QPoint(rng.randrange(viewport.width()), rng.randrange(viewport.height()))
        drive.drag(a, b, steps=8)

    keys = [Qt.Key.Key_Space, Qt.Key.Key_S, Qt.Key.Key_R, Qt.Key.Key_L, Qt.Key.Key_A, Qt.Key.Key_D,
            Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_T,
            Qt.Key.Key_B, Qt.Key.Key_E] + [Qt.Key.Key_1 + i for i in range(8)]
    scenes = [sid for sid in bundled_scene_ids() if bundled_scene(sid).dim <= 2]
    if hasattr(window, "show_stage"):
        from gui.stages import STAGES

        stages = [entry.id for entry in STAGES]
        show = window.show_stage
    else:  # a window of the views' tabs
        stages = list(range(window.views.count()))
        show = window.views.setCurrentIndex
    started = time.perf_counter()
    last, last_report = rss_mb(), -1.0
    print(f"start: RSS {last:.1f} MB", flush=True)
    rows = []
    while time.perf_counter() - started < args.minutes * 60:
        r = rng.random()
        if r < 0.45:
            k = rng.choice(keys)
            key(k)
            what = f"key {Qt.Key(k).name[4:]}"
        elif r < 0.75:
            drag()
            what = "drag" + (f" ({window.painting.tool})" if window.painting.active else "")
        elif r < 0.85:
            scene = rng.choice(scenes)
            window.state.load_bundled(scene)
            what = f"scene {scene}"
        elif r < 0.9:
            stage = rng.choice(stages)
            show(stage)
            what = f"stage {stage}"
        else:
            key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            what = "undo"
        wait(rng.uniform(0.05, 0.6))
        now, t = rss_mb(), time.perf_counter() - started
        rows.append((t / 60, now))
        if now - last > STEP_MB:
            print(f"{t:7.1f} s  {what:28s} RSS {now:7.1f} MB ({now - last:+.1f})", flush=True)
        if t - last_report >= 30:
            print(f"{t:7.1f} s  RSS {now:7.1f} MB", flush=True)
            last_report = t
        last = now
    window.close()
    peak = max(r[1] for r in rows)
    print(f"\nPeak RSS {peak:.1f} MB (target: under 300); at the end {rows[-1][1]:.1f} MB; {len(rows)} actions")
    print(f"Exceptions raised in slots: {sum(errors.values())}")
    for message, n in errors.most_common():
        print(f"  {n:4d} × {message}")


if __name__ == "__main__":
    main()
