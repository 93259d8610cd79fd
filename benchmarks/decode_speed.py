"""How long the image pane takes to refresh: the strip of 9 (and its cross-fade), the decoded estimate,
the pixel-space answer and 16 samples, decoded, measured and shown. Prints medians; asserts nothing.

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
    print(f"{'scene':18s} {'loss':12s} {'strip':>8s} {'fit part':>9s} {'engine':>8s} {'whole pane':>11s} {'fit frame':>10s}"
          "   (ms; target: whole pane <= 10)")
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
        pane._snapshot = fit.snapshot(pixel=pixel)

        def whole() -> None:
            pane._draw_data(False)  # the strip, as mid-drag: the data images stay
            pane._fit_signature = None  # as if the fit had moved
            pane._draw_fit()
            app.processEvents()

        def frame() -> None:
            pane._fit_signature = None
            pane._draw_fit()
            app.processEvents()

        whole_ms = median_ms(whole, args.repeats)
        frame_ms = median_ms(frame, args.repeats)
        pane.close()
        print(f"{scene_id:18s} {loss:12s} {strip:7.1f}  {fit_part:8.1f}  {strip + fit_part:7.1f}  {whole_ms:10.1f}"
              f"  {frame_ms:9.1f}")
    print("\nstrip: modes, 9 decoded points and a 9-step cross-fade (redone when the data changes); fit part: the"
          "\ndecoded estimate, the answer and 16 samples with their figures (redone as the fit moves, at most 20 times"
          "\na second); whole pane: both, plus making the pixmaps and painting them; fit frame: what a frame of a"
          "\nrunning fit costs the pane (fit part, pixmaps, painting).")


if __name__ == "__main__":
    main()
