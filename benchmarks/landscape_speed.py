"""How long the loss landscape takes to redraw while a component is dragged, for 4,000 samples: the
engine's computation alone, the landscape pane's whole redraw while dragging (computation, curve or
heat map, level lines; a coarser map in 2-D) and on release (the full map). Targets while dragging: 5 ms
in 1-D, 30 ms in 2-D. The rest of the window's redraw at each move of a drag (samples, density, handles,
ghosts, without the landscape), measured in the same run, is the baseline each is set against. Then
what the tug of war, the dial's marker and the coverage readout add to a frame of a running fit. Prints
medians; asserts nothing.

    python benchmarks/landscape_speed.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from engine.maths.threads import limit_native_threads  # noqa: E402
from timing import median_ms  # noqa: E402

limit_native_threads()  # as the app does
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = {1: 5.0, 2: 30.0}




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    import numpy as np
    from PySide6.QtWidgets import QApplication

    from engine.model import landscape
    from engine.model.losses import LOSSES
    from engine.model.scene import bundled_scene
    from gui.app import make_window

    app = QApplication.instance() or QApplication(sys.argv)
    print(f"{os.cpu_count()} cores, 4,000 samples, median of {args.repeats} redraws (ms)\n")
    print(f"{'scene':18s} {'loss':13s} {'engine':>8s} {'dragging':>9s} {'target':>7s} {'released':>9s} "
          f"{'window':>8s} {'dragging / window':>18s}")
    for scene_id in ("sedan_or_suv", "three_modes", "style_and_colour"):
        scene = bundled_scene(scene_id).with_(samples=4000)
        window = make_window(scene_id, start_fit=False)
        window.resize(1600, 900)
        window.show()
        app.processEvents()
        state, pane = window.state, window.pane
        comps = state.mixture.components
        shift = [0.0] * state.dim

        def drag_step() -> None:  # what the distribution pane does at every move of a drag
            shift[0] = 0.05 - shift[0]
            state.move_component(0, mean=comps[0].mean + np.array(shift))

        window.landscape.on = False  # the baseline: the drag without the landscape
        baseline = median_ms(drag_step, args.repeats, warm=True)
        window.state.set_why(window.state.why.__class__(landscape=True))
        for loss in LOSSES:
            if loss.landscape_reason(state.settings.__class__(loss=loss.id), state.mixture):
                continue
            state.set_loss(loss.id)
            app.processEvents()
            box = window.landscape._box()  # the pane's view, as the window computes it
            moving = landscape.MOVING_POINTS[loss.landscape.map_dim(scene.dim)]
            engine_ms = median_ms(lambda: loss.landscape_on(state.samples, state.mixture, state.settings,
                                                            box=box, points=moving), args.repeats, warm=True)
            dragging = median_ms(lambda: window.landscape._recompute(moving=True), args.repeats, warm=True)
            released = median_ms(window.landscape._recompute, args.repeats, warm=True)
            target = TARGET_MS[scene.dim]
            mark = "" if dragging <= target else "  over"
            print(f"{scene_id:18s} {loss.id:13s} {engine_ms:8.1f} {dragging:9.1f} {target:7.0f} {released:9.1f} "
                  f"{baseline:8.1f} {dragging / baseline:18.2f}{mark}")
        window.close()
        app.processEvents()
    frame_costs(app, args.repeats)


def frame_costs(app, repeats: int) -> None:
    """What the why adds to a frame of a running fit: the tug of war's arrows (every frame), the dial's
    marker (at most 20 a second) and the coverage readout (at most 15 a second), on converged fits."""
    from engine.fit.fit import Fit, FitSettings, run
    from engine.model.coverage import coverage
    from gui.app import make_window
    from gui.state import WhyView

    print(f"\n{'scene':18s} {'loss':13s} {'arrows':>8s} {'dial mode':>10s} {'dial T=0.38':>12s} {'coverage':>9s}   "
          "(ms a frame)")
    for scene_id in ("sedan_or_suv", "style_and_colour"):
        window = make_window(scene_id, start_fit=False)
        window.show()
        app.processEvents()
        state = window.state
        for loss_id in ("l2", "mixture_nll", "adversarial"):
            state.set_loss(loss_id)
            fit = Fit(state.samples, state.mixture, FitSettings(loss=loss_id))
            for snap in run(fit, steps=300):
                pass
            row = {}
            if loss_id == "l2":
                state.set_why(WhyView(pulls=True))
                row["arrows"] = median_ms(lambda: window.pulls.show_snapshot(snap), repeats, warm=True)
            else:
                for name, why in (("mode", WhyView(decoding=WhyView().decoding.__class__("mode"))),
                                  ("annealed", WhyView(decoding=WhyView().decoding.__class__("annealed", 0.38)))):
                    state.set_why(why)

                    def fresh_marker():  # a new snapshot each frame: nothing cached from the last
                        window.answer_marker._snapshot = fit.snapshot()
                        window.answer_marker._draw()

                    row[name] = median_ms(fresh_marker, repeats, warm=True)
                row["coverage"] = median_ms(lambda: coverage(state.mixture, fit.snapshot().estimate), repeats, warm=True)
            cells = [f"{row[k]:8.2f}" if k in row else f"{'':8s}" for k in ("arrows", "mode", "annealed", "coverage")]
            print(f"{scene_id:18s} {loss_id:13s} {cells[0]} {cells[1]:>10s} {cells[2]:>12s} {cells[3]:>9s}")
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
