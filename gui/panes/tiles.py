"""The image pane's building blocks: a picture with its caption and figures, rows and grids of them,
mosaics (many small pictures as one pixmap), and the boxes that choose the strip's two modes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPixmap
from PySide6.QtWidgets import QBoxLayout, QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from engine.io.pixels import tile, to_uint8
from gui.support import palette

if TYPE_CHECKING:
    from engine.images.board import Picture

MOSAIC_GAP = 0.12  # about the background colour, so the gaps between pictures vanish into it
MOSAIC_SPACING = 3  # pixels between the pictures of a mosaic, as drawn
BLURRY = 0.8  # below this relative sharpness a figure is marked as blurry


def to_pixmap(image: np.ndarray, scale: float) -> QPixmap:
    rgb = to_uint8(image)
    h, w, _ = rgb.shape
    qimage = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    pixmap = QPixmap.fromImage(qimage)  # copies, so the numpy buffer may go
    return pixmap.scaled(round(w * scale), round(h * scale), Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


PICTURE = (96, 64)  # a decoded picture's width and height at scale 1
TILE_MARGIN = 2


def caption_width(type_scale: float) -> int:
    """The narrowest a caption may be: its longest word ("sharpness") in the pane's type; lines break
    between words, never inside one."""
    font = QFont()
    font.setPointSize(round(10 * type_scale))  # as the style sheet sets it
    return QFontMetrics(font).horizontalAdvance("sharpness") + 8


def tile_width(scale: float, type_scale: float = 1.0) -> int:
    """The width a tile of a picture at `scale` takes, margins included."""
    return max(round(PICTURE[0] * scale), caption_width(type_scale)) + 2 * TILE_MARGIN


class ImageTile(QWidget):
    """One picture with its caption and figures underneath, which wrap to the picture's width."""

    def __init__(self, scale: float, figures: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.figures = figures
        layout = QVBoxLayout(self)
        layout.setContentsMargins(TILE_MARGIN, TILE_MARGIN, TILE_MARGIN, TILE_MARGIN)
        layout.setSpacing(1)
        self.picture = QLabel()
        self.picture.setObjectName("tilePicture")  # framed (the window's style sheet)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.caption.setObjectName("explanation")
        self.caption.setWordWrap(True)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)
        self.shown: Picture | None = None
        self._measure: QLabel | None = None  # made when first needed (see _caption_height)
        # The squared errors under the sharpness: "both" (averaged over the data, and to the nearest data
        # image), "mean" (the first only) or "none" (and the sharpness beside the caption, as a bare number,
        # under a heading that names it); talk mode keeps to what its point needs.
        self.errors = "both"
        self.scale = self.type_scale = 0.0
        self.set_scale(scale)

    def set_scale(self, scale: float, type_scale: float = 1.0, width: int | None = None) -> None:
        """Draw the picture at `scale`; the caption wraps to `width` (default: the picture's, or its longest
        word's in the type's `type_scale`, whichever is wider)."""
        w, h = round(PICTURE[0] * scale), round(PICTURE[1] * scale)
        caption = max(w, caption_width(type_scale), width or 0)
        if (scale, type_scale, caption) == (self.scale, self.type_scale, self.caption.maximumWidth()):
            return
        self.scale, self.type_scale = scale, type_scale
        self.picture.setFixedSize(w, h)
        self.caption.setFixedWidth(caption)
        if self.shown is not None:
            self.set_picture(self.shown)

    def _caption_height(self) -> int:
        """The height the caption's text needs at its width, measured on a hidden label of the tile's own:
        QLabel's heightForWidth never answers less than the label's minimum height, which is what this
        sets, so a caption once tall (narrower, or with more lines) stayed that tall, and a pane that had
        shown a few scenes no longer fitted its pictures."""
        if self._measure is None:
            self._measure = QLabel(self)
            self._measure.setWordWrap(True)
            self._measure.hide()
        self._measure.setFont(self.caption.font())
        self._measure.setText(self.caption.text())
        return self._measure.heightForWidth(self.caption.maximumWidth())

    def set_errors(self, errors: str) -> None:
        """Which squared errors the caption gives: "both", "mean" or "none"."""
        if errors != self.errors:
            self.errors = errors
            if self.shown is not None:
                self.set_picture(self.shown)

    def set_picture(self, pic: Picture) -> None:
        self.shown = pic
        self.picture.setPixmap(to_pixmap(pic.image, self.scale))
        parts = [pic.caption] if pic.caption else []
        if self.figures:
            colour = palette.VERMILLION if pic.sharpness < BLURRY else palette.TEXT
            if self.errors == "none" and parts:  # the caption and the number on one line; a heading names it
                parts = [f"{pic.caption} <span style='color:{colour}'>{pic.sharpness:.2f}</span>"]
            else:
                parts.append(f"<span style='color:{colour}'>sharpness {pic.sharpness:.2f}</span>")
            if np.isfinite(pic.mean_mse) and self.errors == "both":
                parts.append(f"MSE {pic.mean_mse:.3f} · nearest&nbsp;{pic.nearest_mse:.3f}")
            elif np.isfinite(pic.mean_mse) and self.errors == "mean":
                parts.append(f"MSE {pic.mean_mse:.3f}")
        self.caption.setText("<br>".join(parts))
        self.caption.setVisible(bool(parts))
        # A wrapped caption gets the height its lines need (the layout does not always ask for it).
        self.caption.setMinimumHeight(self._caption_height() if parts else 0)
        tip = [pic.caption,
               f"Sharpness {pic.sharpness:.2f}: gradient energy of the image relative to the modes' images "
               "(1 = as sharp as a real car)",
               f"Crete et al. (2007) no-reference sharpness relative to the modes: {pic.crete:.2f}"]
        if np.isfinite(pic.mean_mse):
            tip += [f"Mean squared error averaged over the data images: {pic.mean_mse:.4f} (what L2 minimises)",
                    f"Mean squared error to the nearest data image: {pic.nearest_mse:.4f}"]
        self.setToolTip("\n".join(t for t in tip if t))


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("paneHeading")  # bold, a little apart from what is above (the window's style sheet)
    return label


def titled(title: str, widget: QWidget, *, margin: int = 0, spacing: int = 1,
           centred: bool = False) -> tuple[QWidget, QLabel]:
    """A wrapped title over a widget that takes the rest of the room: the box and its title."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(margin, margin, margin, margin)
    layout.setSpacing(spacing)
    label = QLabel(title)
    label.setWordWrap(True)
    if centred:
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box, label


class TileRow(QWidget):
    """A row (or grid) of tiles that grows to the number of pictures it is given."""

    def __init__(self, scale: float, figures: bool, columns: int = 99, parent=None) -> None:
        super().__init__(parent)
        self.scale, self.figures, self.columns = scale, figures, columns
        self.type_scale = 1.0
        self.errors = "both"
        self.tile_width: int | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)  # as fit_pictures counts it
        self.grid.setVerticalSpacing(2)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tiles: list[ImageTile] = []

    def set_scale(self, scale: float, columns: int | None = None, type_scale: float | None = None,
                  errors: str = "both", width: int | None = None) -> None:
        """Draw every picture at `scale`, `columns` to a row, captions `width` wide in the type's
        `type_scale`, with their squared errors or without (see ImageTile)."""
        self.scale, self.errors, self.tile_width = scale, errors, width
        if type_scale is not None:
            self.type_scale = type_scale
        for tile in self.tiles:
            tile.set_scale(scale, self.type_scale, width)
            self._set_errors(tile)
        if columns is not None and columns != self.columns:
            self.columns = columns
            for i, tile in enumerate(self.tiles):  # lay the existing tiles out again
                self.grid.addWidget(tile, i // columns, i % columns)

    def set_pictures(self, pictures, columns: int | None = None) -> None:
        if columns is not None:
            self.set_scale(self.scale, columns)
        while len(self.tiles) < len(pictures):
            tile = ImageTile(self.scale, self.figures)
            tile.set_scale(self.scale, self.type_scale, self.tile_width)
            tile.errors = self.errors
            i = len(self.tiles)
            self.grid.addWidget(tile, i // self.columns, i % self.columns)
            self.tiles.append(tile)
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i < len(pictures))
            if i < len(pictures):
                tile.set_picture(pictures[i])


    def _set_errors(self, tile: ImageTile) -> None:
        tile.set_errors(self.errors)


class MosaicRow(QLabel):
    """Many small pictures as one pixmap: one widget to lay out and paint instead of one per picture."""

    def __init__(self, scale: float, columns: int, parent=None) -> None:
        super().__init__(parent)
        self.scale, self.columns = scale, columns
        self.count: int | None = None  # how many of the pictures are drawn (None: all)
        self.pictures: tuple[Picture, ...] = ()
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def set_scale(self, scale: float, columns: int, count: int | None = None) -> None:
        """Draw at `scale`, `columns` to a row, the first `count` pictures (all: None)."""
        if (scale, columns, count) != (self.scale, self.columns, self.count):
            self.scale, self.columns, self.count = scale, columns, count
            self.set_pictures(self.pictures)

    def set_pictures(self, pictures) -> None:
        self.pictures = tuple(pictures)
        shown = self.pictures[: self.count]
        if not shown:
            self.clear()
            return
        stack = np.stack([p.image for p in shown])
        columns = min(self.columns, len(stack))
        gap = max(1, round(MOSAIC_SPACING / self.scale))
        self.setPixmap(to_pixmap(tile(stack, columns, gap=gap, background=MOSAIC_GAP), self.scale))


class PairChooser(QWidget):
    """Two boxes that choose which two modes the strip joins; `pairChosen(a, b)` when the user picks two
    different ones."""

    pairChosen = Signal(int, int)

    def __init__(self, least_chars: int, parent=None) -> None:
        super().__init__(parent)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.a, self.b = QComboBox(), QComboBox()
        for box in (self.a, self.b):
            box.setToolTip("Which two modes the strip joins")
            # As wide as its longest name; the two go one above the other when they do not fit side by side
            # (place), and only a pane too narrow for one name alone squeezes it.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance("x" * least_chars))
            box.activated.connect(self._on_box_activated)
        self._layout.addWidget(self.a)
        self._layout.addWidget(QLabel("and"))
        self._layout.addWidget(self.b)
        self._layout.addStretch(1)

    def names(self) -> tuple[str, ...]:
        return tuple(self.a.itemText(i) for i in range(self.a.count()))

    def show_modes(self, labels: list[str], pair: tuple[int, int]) -> None:
        """The modes' names to choose from and the two chosen, without signals."""
        renamed = list(self.names()) != labels
        for box, index in ((self.a, pair[0]), (self.b, pair[1])):
            blocked = box.blockSignals(True)
            if renamed:
                box.clear()
                box.addItems(labels)
            box.setCurrentIndex(index)
            box.setEnabled(len(labels) > 1)
            box.blockSignals(blocked)

    def place(self, width: int) -> None:
        """Side by side, or one above the other when the names do not fit side by side in `width`."""
        self._layout.setDirection(QBoxLayout.Direction.LeftToRight)
        wide = self._layout.sizeHint().width() <= width
        self._layout.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)

    def _on_box_activated(self, _index: int) -> None:
        a, b = self.a.currentIndex(), self.b.currentIndex()
        if a != b:
            self.pairChosen.emit(a, b)
