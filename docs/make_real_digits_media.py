"""Make the README's pictures of the real-digits stage from the real window and its real fit process: a
GIF of L2's marker drifting from one real 7 into the centre of mass of all the real 7s while its picture
turns into a ghost (the tour's step "L2 drifts to the centre", talk mode), and a screenshot of the stage in
talk mode when the drift is done.

    Xvfb :31 -screen 0 1280x720x24 &  DISPLAY=:31 openbox &
    DISPLAY=:31 python docs/make_real_digits_media.py resources/readme

(QT_QPA_PLATFORM=offscreen works too, without a window manager.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZE = (1280, 720)
EVERY = 25  # network steps between the GIF's frames
SLOW_UNTIL = 400  # the drift itself is quick: the first steps are trained at the loss's own pace, frame by frame
GIF_WIDTH = 800  # the stage, scaled down to this width
FPS = 25  # 40 ms a frame
HOLD = 40  # frames the last one is held for


def grab(widget, width: int | None = None) -> np.ndarray:
    """What `widget` draws now, as (H, W, 3) uint8, scaled to `width` if given."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    if width is not None:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8, count=h * stride).reshape(h, stride)[:, : 3 * w].reshape(
        h, w, 3).copy()


def main(out_dir: str) -> int:
    from PIL import Image
    from PySide6.QtWidgets import QApplication

    from engine.digits import ready_steps
    from engine.io.media import AnimationWriter
    from engine.model.tour import tour_by_id
    from gui.app import make_window

    app = QApplication.instance() or QApplication(sys.argv)
    out = Path(out_dir)
    window = make_window()
    window.resize(*SIZE)
    window.show()
    window.talk_mode.set_talk_mode(True, full_screen=True)
    deadline = time.monotonic() + 60
    while window.fit_process is None or not window.fit_process.started:
        app.processEvents()
        if time.monotonic() > deadline:
            raise RuntimeError("the fit process did not start")
    tour = window.tour
    tour.start(tour_by_id("digits"))  # step 1: the plane of the real 7s, the network at step 0
    digits = window.digits
    while digits.latest is None or digits.latest.loss_id != "l2":
        app.processEvents()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    from gui.state import SPEEDS

    digits.set_speed(SPEEDS.index(1.0))
    tour.next()  # "L2 drifts to the centre": it trains until its pictures are ready
    stage = window.current_stage
    ready = ready_steps("l2")
    next_frame = 0
    with AnimationWriter(out / "real_digits_l2.gif", FPS) as writer:
        while True:
            app.processEvents()
            snap = digits.latest
            done = snap is not None and snap.step >= ready and not digits.running  # paused: the pictures are ready
            if snap is not None and (snap.step >= next_frame or done):
                window.flush()
                app.processEvents()
                frame = grab(stage, GIF_WIDTH)
                writer.add(frame)
                next_frame = snap.step + (1 if snap.step < SLOW_UNTIL else EVERY)
                if snap.step >= SLOW_UNTIL and digits.speed_index != len(SPEEDS) - 1:
                    digits.set_speed(len(SPEEDS) - 1)  # then as fast as it goes, to the pictures' ready count
                if done:
                    break
            time.sleep(0.005)
        for _ in range(HOLD):
            writer.add(frame)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    window.flush()
    app.processEvents()
    Image.fromarray(grab(window)).save(out / "real_digits_talk.png", optimize=True)
    print(f"{out / 'real_digits_l2.gif'}: {writer.frames} frames; {out / 'real_digits_talk.png'}: "
          f"{window.width()}x{window.height()}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "resources/readme"))
