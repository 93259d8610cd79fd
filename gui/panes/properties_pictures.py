"""The pictures of the many-properties stage: the kinds of car at the corners (as many as fit), the fit's
prediction decoded, L2's pixel answer (the average of every kind's car), large, and the strip of pixel
answers for K = 1 … 8, each blurrier than the one before.

Decoding hundreds of cars takes longer than a frame, so it runs on a thread beside the window
(gui.support.background): a drag re-decodes only the corners whose kind moved (PixelAnswerCache), the
window never waits, and the newest result is shown when it is ready.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from engine.decoders import decode
from engine.io.pixels import tile
from engine.model.estimate import Snapshot
from engine.model.properties import MAX_PROPERTIES, PixelAnswerCache, Property, corners
from gui.panes.properties_chart import chart_properties
from gui.panes.properties_multiples import PropertiesModel
from gui.panes.tiles import titled, to_pixmap
from gui.state import AppState
from gui.support import palette
from gui.support.background import Background
from gui.support.throttle import Throttle

WAITING = "The fit's prediction, decoded, shows here once it runs (Space)"
MOST_CORNERS = 16  # the kinds of car drawn; the rest are counted
BIG = 2.4  # the prediction's and the pixel answer's scale against a decoded picture's size


def corner_cars(props: tuple[Property, ...]) -> tuple[np.ndarray, int]:
    """Up to MOST_CORNERS kinds of car, one picture each (spread over the corners), and how many kinds there are."""
    bits = corners(len(props))
    pick = np.unique(np.linspace(0, len(bits) - 1, min(len(bits), MOST_CORNERS)).round().astype(int))
    points = np.array([[p.positions[j] for p, j in zip(props, bits[i])] for i in pick])
    return decode("cars", points), len(bits)


def strip_answers(props: tuple[Property, ...]) -> list[np.ndarray]:
    """L2's pixel answer for the first K of these properties (the car's others after them), K = 1 … 8."""
    every = chart_properties(props)
    return [PixelAnswerCache().answer(every[:k]) for k in range(1, MAX_PROPERTIES + 1)]


class FittedPicture(QWidget):
    """A picture drawn as large as its room allows (never larger than `most` times its size), or a line of
    text where there is none yet. It paints itself and never asks the layout for room, so a new picture
    every frame lays nothing out again, and no screen size cuts it off or makes it scroll."""

    def __init__(self, most: float) -> None:
        super().__init__()
        self.most = most
        self.image: np.ndarray | None = None
        self.text = ""
        self._pixmap: QPixmap | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(8, 8)

    def show_image(self, image: np.ndarray | None) -> None:
        self.image = image
        self._pixmap = None
        self.update()

    def show_text(self, text: str) -> None:
        """What the room says while there is no picture."""
        self.text = text
        self.update()

    def pixmap(self) -> QPixmap | None:
        """The picture at the size it is drawn."""
        if self._pixmap is None and self.image is not None:
            h, w = self.image.shape[:2]
            scale = min(self.width() / w, self.height() / h, self.most)
            self._pixmap = to_pixmap(self.image, max(scale, 0.05))
        return self._pixmap

    def paintEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        painter = QPainter(self)
        pixmap = self.pixmap()
        if pixmap is not None:
            painter.drawPixmap((self.width() - pixmap.width()) // 2, (self.height() - pixmap.height()) // 2, pixmap)
        elif self.text:
            painter.setPen(QColor(palette.MUTED))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.text)
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self._pixmap = None


def captions_count(snap: Snapshot) -> str:
    """What the fit's answer is made of, counted: "64 guesses", "64 components"."""
    est = snap.estimate
    if est.points is not None:
        return f"{len(est.points)} guesses"
    if est.means is not None:
        return f"{len(est.means)} components"
    return "samples"


def _picture(title: str, most: float) -> tuple[QWidget, QLabel, FittedPicture]:
    picture = FittedPicture(most)
    return (*titled(title, picture, margin=2, spacing=2), picture)


class PropertiesPictures(QWidget):
    """The corners, the prediction, the pixel answer and the strip; `answer` is the pixel answer shown."""

    def __init__(self, state: AppState, model: PropertiesModel, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = model
        self.answer: np.ndarray | None = None
        self.strip: list[np.ndarray] = []
        self._cache = PixelAnswerCache()
        self._work = Background(self, "properties pictures")
        self._snapshot: Snapshot | None = None
        self._prediction = Throttle(0.1, self._draw_prediction, self)
        corners_box, self.corners_title, self.corners_picture = _picture("", 1.5)
        prediction_box, self.prediction_title, self.prediction_picture = _picture("The fit's prediction", BIG * 1.6)
        self.prediction_picture.show_text(WAITING)
        answer_box, self.answer_title, self.answer_picture = _picture("", BIG * 1.6)
        strip_box, self.strip_title, self.strip_picture = _picture(
            "L2's pixel answer with 1, 2, … 8 properties: blurrier with each", 1.5)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(corners_box, 0, 0, 1, 2)
        layout.addWidget(prediction_box, 1, 0)
        layout.addWidget(answer_box, 1, 1)
        layout.addWidget(strip_box, 2, 0, 1, 2)
        for row, stretch in enumerate((3, 4, 2)):
            layout.setRowStretch(row, stretch)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        self.refresh(True)
        state.dataChanged.connect(self.refresh)
        state.sceneReplaced.connect(self._on_state_scene_replaced)

    # -- the data's pictures -------------------------------------------------------------------------
    @Slot(bool)
    def refresh(self, finished: bool = True) -> None:
        """A new pixel answer now (for a drag too), the corners and the strip when the data settles."""
        props = self.model.props
        cache = self._cache
        self._work.submit("answer", lambda: cache.answer(props), self._show_answer)
        self.answer_title.setText(f"L2's pixel answer: the average of all {2 ** len(props)} kinds of car")
        if finished:
            self._work.submit("corners", lambda: corner_cars(props), self._show_corners)
            self._work.submit("strip", lambda: strip_answers(props), self._show_strip)

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        self._snapshot = None
        self.prediction_picture.show_image(None)
        self.prediction_picture.show_text(WAITING)
        self.refresh(True)

    def _show_answer(self, image: np.ndarray) -> None:
        self.answer = image
        self.answer_picture.show_image(image)

    def _show_corners(self, result: tuple[np.ndarray, int]) -> None:
        images, count = result
        columns = 8 if len(images) > 8 else len(images)
        self.corners_picture.show_image(tile(images, columns, gap=3, background=0.12))
        more = f" ({len(images)} of them here)" if count > len(images) else ""
        self.corners_title.setText(f"The kinds of car: {count}, every one sharp{more}")

    def _show_strip(self, images: list[np.ndarray]) -> None:
        self.strip = images
        self.strip_picture.show_image(tile(np.stack(images), len(images), gap=3, background=0.12))

    # -- the fit's prediction ---------------------------------------------------------------------------
    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        if snap.estimate.dim != self.state.dim:
            return
        self._snapshot = snap
        self._prediction.request()

    def _draw_prediction(self) -> None:
        snap = self._snapshot
        if snap is None:
            return
        points, captions = snap.estimate.shown(4)
        images = decode("cars", points)
        self.prediction_picture.show_image(images[0] if len(images) == 1 else tile(images, 2, gap=3, background=0.12))
        what = "its point, decoded" if len(images) == 1 else f"{len(images)} of its {captions_count(snap)}, decoded"
        self.prediction_title.setText(f"The fit's prediction: {what}")

    def flush(self) -> None:
        self._work.drain()
        self._prediction.flush()
