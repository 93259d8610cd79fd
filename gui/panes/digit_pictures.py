"""The real-digits stage's big pictures, for the input on show: the network's output now (or its guesses or
samples), L2's exact answer, and the real digit nearest the output, large; how close the output is to real
handwriting, measured in the full pixel space; and, between two ways of writing, the pixel cross-fade of
their typical digits beside the real digits found along the line between them.

A view only: the real-digits stage hands it the space and each frame's marks. Pictures are uint8 images
painted to fit their boxes (nearest neighbour, so a pixel stays a pixel), which costs next to nothing.
"""

from __future__ import annotations

import math
import time

import numpy as np
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from engine.digits.marks import Marks
from engine.digits.space import DigitSpace
from engine.digits.tasks import Task
from engine.io.pixels import tile
from gui.panes.tiles import titled
from gui.support import palette

GIVEN = np.array([0.34, 0.71, 0.91])  # the given top half is drawn in the data's sky blue: the network drew the rest
BETWEEN_STEPS = 7
SHOWN_OUTPUTS = 4  # guesses or samples shown in "the network now", two by two
WORDS_INTERVAL = 0.5  # seconds between new words on closeness while it trains: rewrapping text relays the stage


def colour(pictures: np.ndarray, rows: int) -> np.ndarray:
    """Grey pictures (..., 28, 28) in [0, 1] as RGB floats, white on the stage's dark, the given rows above
    `rows` in blue."""
    rgb = np.repeat(np.asarray(pictures, dtype=np.float32)[..., None], 3, axis=-1)
    if rows:
        rgb[..., :rows, :, :] *= GIVEN
    return rgb


def rgb_uint8(picture: np.ndarray, rows: int = 0) -> np.ndarray:
    """colour() as uint8, what the pictures are drawn from."""
    return np.round(np.clip(colour(picture, rows), 0.0, 1.0) * 255.0).astype(np.uint8)


class Picture(QWidget):
    """An RGB uint8 image painted as large as its box allows, keeping its aspect."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: np.ndarray | None = None
        self._qimage: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.side = 64

    def set_side(self, side: int) -> None:
        """The least height it is drawn at (and its width, for a square picture)."""
        self.side = side
        self.setMinimumSize(self._size_for(side))
        self.updateGeometry()

    def _size_for(self, height: int) -> QSize:
        aspect = 1.0 if self.image is None else self.image.shape[1] / self.image.shape[0]
        return QSize(round(height * aspect), height)

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt's name)
        return self._size_for(self.side)

    def set_image(self, rgb: np.ndarray | None) -> None:
        reshaped = self.image is None or rgb is None or rgb.shape != self.image.shape
        self.image = None if rgb is None else np.ascontiguousarray(rgb, dtype=np.uint8)
        if self.image is None:
            self._qimage = None
        else:
            h, w, _ = self.image.shape
            self._qimage = QImage(self.image.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        if reshaped:
            self.set_side(self.side)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        if self._qimage is None:
            return
        h, w = self.image.shape[:2]
        scale = min(self.width() / w, self.height() / h)
        size = QSize(max(1, round(w * scale)), max(1, round(h * scale)))
        rect = QRect((self.width() - size.width()) // 2, 0, size.width(), size.height())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, self._qimage)
        painter.end()


class DigitPicturesPane(QWidget):
    """One input's pictures, large, with the measure in pixel space and the strip between two ways."""

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.task: Task | None = None
        self.space: DigitSpace | None = None
        self.index = 0
        self._words_at = -math.inf  # when the closeness words last changed
        self._mean_words = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        self.heading = QLabel()
        self.heading.setObjectName("paneTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.output, self.answer, self.nearest = Picture(), Picture(), Picture()
        titles = ("the network now", "L2's exact answer", "nearest real digit")
        self.titles = []
        for title, picture in zip(titles, (self.output, self.answer, self.nearest)):
            box, label = titled(title, picture, centred=True)
            self.titles.append(label)
            row.addWidget(box, 1)
        layout.addLayout(row, 3)
        self.note = QLabel()  # what the GAN is, honestly
        self.note.setObjectName("explanation")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        self.closeness = QLabel()
        self.closeness.setWordWrap(True)
        self.closeness.setToolTip("Measured in the full pixel space, where a flat picture cannot hide: RMSE per "
                                  "pixel to the nearest real example, against how far real examples are from "
                                  "their own nearest neighbour")
        layout.addWidget(self.closeness)
        self.between_title = QLabel()
        self.between_title.setWordWrap(True)
        layout.addWidget(self.between_title)
        strips = QGridLayout()
        strips.setHorizontalSpacing(6)
        strips.setVerticalSpacing(2)
        self.ghosts, self.reals = Picture(), Picture()
        rows = (("pixel\ncross-fade", self.ghosts), ("real digits\non the way", self.reals))
        for r, (words, picture) in enumerate(rows):
            label = QLabel(words)
            label.setObjectName("explanation")
            strips.addWidget(label, r, 0)
            strips.addWidget(picture, r, 1)
        strips.setColumnStretch(1, 1)
        layout.addLayout(strips, 2)
        self.set_picture_side(96)

    def set_picture_side(self, side: int) -> None:
        """The big pictures' least height in pixels (talk mode: a fifth of the screen or more)."""
        for picture in (self.output, self.answer, self.nearest):
            picture.set_side(side)
        for picture in (self.ghosts, self.reals):
            picture.set_side(max(round(side * 0.36), 28))

    # -- what the stage hands over ----------------------------------------------------------------------
    def set_space(self, task: Task, index: int, space: DigitSpace) -> None:
        self.task, self.index, self.space = task, index, space
        if task.rows == 0:
            self.heading.setText(f"Draw a {task.input_ids[index]}")
        else:
            self.heading.setText(f"Fill in the bottom half of this top (a held-out {task.input_labels[index]})")
        self.answer.set_image(self._whole(space.centre.reshape(space.shape)))
        if len(space.modes) >= 2:
            between = space.between(0, 1, BETWEEN_STEPS)
            self.ghosts.set_image(self._strip(between.ghosts))
            self.reals.set_image(self._strip(between.real_images))
            self.between_title.setText("Between its two main ways of writing: averaging pixels makes ghosts; the "
                                       "real digits along the way are all sharp")
        self.output.set_image(None)
        self.nearest.set_image(None)
        self._words_at = -math.inf  # the first frame's words at once
        mean = space.closeness(space.centre[None])
        self._mean_words = f"L2's exact answer: {mean.words(0)}."
        self.closeness.setText(self._mean_words)

    def _whole(self, part: np.ndarray) -> np.ndarray:
        """The part the network draws, under the given top (in blue) if there is one, as RGB uint8."""
        task = self.task
        if task.rows:
            whole = task.base[self.index].copy()
            whole[task.rows :] = part
            part = whole
        return rgb_uint8(part, task.rows)

    def _strip(self, parts: np.ndarray) -> np.ndarray:
        pictures = np.stack([self._whole(p) for p in parts]).astype(np.float32) / 255.0
        return (tile(pictures, columns=len(pictures), gap=2, background=0.12) * 255).astype(np.uint8)

    def show_marks(self, marks: Marks | None, note: str) -> None:
        """The network's outputs now (None: not yet) and what to say of how they are drawn."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if marks is None:
            self._words_at = -math.inf
            self.output.set_image(None)
            self.nearest.set_image(None)
            self.closeness.setText(self._mean_words)
            return
        shown = marks.outputs[:SHOWN_OUTPUTS]
        if len(shown) == 1:
            self.output.set_image(self._whole(shown[0]))
        else:
            pictures = np.stack([self._whole(p) for p in shown]).astype(np.float32) / 255.0
            self.output.set_image((tile(pictures, columns=2, gap=2, background=0.12) * 255).astype(np.uint8))
        self.titles[0].setText({"one": "the network now", "guesses": f"its {len(marks.outputs)} guesses now",
                                "samples": "its samples now"}[marks.kind])
        self.titles[2].setText("nearest real digit" if marks.kind == "one" else "nearest to its first")
        self.nearest.set_image(self._whole(self.space.example_images(int(marks.closeness.nearest[0]))))
        first = "The network's" if marks.kind == "one" else "Its first"
        now = time.monotonic()
        if now - self._words_at >= WORDS_INTERVAL:
            self._words_at = now
            self.closeness.setText(f"{first}: {marks.closeness.words(0)}.<br><span style='color:{palette.MEAN}'>"
                                   f"{self._mean_words}</span>")
