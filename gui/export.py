"""Export without a screen: the window or a pane as a PNG after N steps, or the fit as a GIF or MP4.

The fit is the live app's own (`FitService`, stepped frame by frame on a clock that never runs out),
drawn by the real window, so an export looks exactly like the app.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from engine.media import AnimationWriter, MediaError, frame_steps, suffix_of, write_png
from gui.state import PACE

VIEWS = ("window", "distribution", "images")
FAST_SPEED = 16.0  # an animation "as fast as it goes" plays at this multiple of the pace


def widget_image(widget: QWidget) -> np.ndarray:
    """The widget as drawn, an (H, W, 3) uint8 array."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return rows[:, : 3 * w].reshape(h, w, 3).copy()


def steps_per_second(loss: str, speed: float) -> float:
    return PACE[loss] * (FAST_SPEED if math.isinf(speed) else speed)


def export(window, out: str | Path, steps: int, fps: int = 25, view: str = "window",
           progress: Callable[[int, int], None] | None = None) -> int:
    """Render `steps` optimiser steps of the window's fit to `out` (.png: the last frame; .gif/.mp4:
    every frame at the true speed). Returns the number of frames written. Raises MediaError."""
    from engine.fit_service import FitService

    suffix = suffix_of(out)
    if view not in VIEWS:
        raise MediaError(f"view: choose one of {', '.join(VIEWS)}, not {view!r}")
    widget = {"window": window, "distribution": window.pane, "images": window.image_pane}[view]
    state = window.state
    if suffix == ".png":
        plan = [steps]
    else:
        plan = frame_steps(steps, steps_per_second(state.settings.loss, state.speed), fps)
    service = FitService(state.samples, state.mixture, state.settings, state.scene.decoder, clock=lambda: 0.0)
    app = QApplication.instance()
    app.processEvents()  # the pictures of the data are drawn after the first event-loop turn

    def frames():
        done = 0
        for i, target in enumerate(plan):
            if target > done:
                service.handle(("step", target - done))
                done = target
            window.draw_now(*_latest(service.tick()))
            # A whole event-loop turn: with fewer (layout requests only), grab() showed faint traces of
            # earlier frames' curves.
            app.processEvents()
            if progress:
                progress(i + 1, len(plan))
            yield widget_image(widget)

    if suffix == ".png":
        frame = next(iter(frames()))
        write_png(frame, out)
        return 1
    with AnimationWriter(out, fps) as writer:
        for frame in frames():
            writer.add(frame)
    return len(plan)


def _latest(events: list[tuple]):
    """The newest snapshot and pixel-space image among a tick's events (None: unchanged)."""
    snap = pixel = None
    for kind, *payload in events:
        if kind == "snapshot":
            snap = payload[0]
        elif kind == "pixel":
            pixel = payload[0]
        elif kind == "error":
            raise MediaError(payload[0])
    return snap, pixel
