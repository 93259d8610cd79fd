"""How long the image pane takes to refresh: the strip of 9 (and its cross-fade), the decoded estimate,
the pixel-space answer and 16 samples, decoded and measured (on the pane's thread), then shown (on the
window's). Prints medians; asserts nothing.

    python benchmarks/decode_speed.py [--repeats 40]
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




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from engine.fit.fit import Fit, FitSettings, run
    from engine.images.board import ImageBoardMaker
    from engine.fit.pixel import PixelFit, data_images_for
    from engine.model.losses import loss_info
    from engine.model.scene import bundled_scene
    from gui.panes.images import ImagePane
    from gui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv)
    print(f"{os.cpu_count()} cores, median of {args.repeats} refreshes\n")
    print(f"{'':31s} {'on the pictures thread':>24s}   {'on the window thread':>22s}   {'asked to shown':>14s}")
    print(f"{'scene':18s} {'loss':12s} {'strip':>7s} {'fit part':>8s} {'both':>7s}   {'whole pane':>10s} "
          f"{'fit frame':>10s}   {'whole pane':>14s}   (ms; target: the window's thread <= 8)")
    for scene_id, loss in (("sedan_or_suv", "l2"), ("sedan_or_suv", "adversarial"), ("style_and_colour", "l2"),
                           ("ball_next_frame", "l2")):
        scene = bundled_scene(scene_id)
        samples = scene.draw()
        fit = Fit(samples, scene.mixture, FitSettings(loss=loss))
        for _ in run(fit, steps=300):
            pass
        pixel = None
        if loss_info(loss).pixel is not None:
            pf = PixelFit(data_images_for(samples, scene.decoder), loss)
            pf.step(100)
            pixel = pf.result()
        maker = ImageBoardMaker(scene.decoder)
        maker.data_board(scene.mixture, samples)  # the data images, once (they change only on a drop)
        strip = median_ms(lambda: maker.data_board(scene.mixture, samples, refresh_data_images=False), args.repeats)
        fit_part = median_ms(lambda: maker.fit_board(loss, fit.estimate, pixel), args.repeats)

        state = AppState(scene.with_(loss=loss))
        pane = ImagePane(state)
        pane.resize(480, 900)
        pane.show()
        app.processEvents()
        pane.flush()
        snap = fit.snapshot(pixel=pixel)
        pane._snapshot = snap
        pane.flush()

        def asked_to_shown() -> None:
            pane._draw_data(False)  # the strip, as mid-drag (the data images stay), and the fit's board with it
            pane.flush()  # the pictures thread decodes; its results are shown as they come
            app.processEvents()

        # What the window's own thread spends: showing boards the pictures thread made (pixmaps, captions,
        # layout, painting). Each time a new board, as each refresh brings.
        data_result = (pane.maker, 0, pane.maker.data_board(state.mixture, state.samples, refresh_data_images=False),
                       None)
        fit_result = (pane.maker, snap, pane.maker.fit_board(loss, fit.estimate, pixel))

        def fresh(result: tuple) -> tuple:
            board = result[2]
            copy = type(board)(**{k: getattr(board, k) for k in board.__dataclass_fields__})
            return result[:2] + (copy,) + result[3:]

        def show_whole() -> None:
            pane._show_data(fresh(data_result))
            pane._show_fit(fresh(fit_result))
            app.processEvents()

        def show_fit() -> None:
            pane._show_fit(fresh(fit_result))
            app.processEvents()

        window_whole = median_ms(show_whole, args.repeats, warm=True)
        window_frame = median_ms(show_fit, args.repeats, warm=True)
        latency = median_ms(asked_to_shown, args.repeats, warm=True)
        pane.close()
        print(f"{scene_id:18s} {loss:12s} {strip:7.1f} {fit_part:8.1f} {strip + fit_part:7.1f}   {window_whole:10.1f} "
              f"{window_frame:10.1f}   {latency:14.1f}")
    print("\nstrip: modes, 9 decoded points and a 9-step cross-fade (redone when the data changes); fit part: the"
          "\ndecoded estimate, the answer and 16 samples with their figures (redone as the fit moves, at most 15 times"
          "\na second). Both are made on the pane's pictures thread. The window's thread shows them: the whole pane"
          "\n(after a drag), or a frame of a running fit (the fit's pictures only): pixmaps, captions, painting."
          "\nasked to shown: from a change to its pictures on screen, both boards.")


if __name__ == "__main__":
    main()
