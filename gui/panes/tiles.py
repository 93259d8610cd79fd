"""The image pane's building blocks: a picture with its caption and figures, rows and grids of them,
and mosaics (many small pictures as one pixmap)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from engine.images.board import Picture
from engine.io.pixels import tile, to_uint8
from gui.support import palette

MOSAIC_GAP = 0.12  # about the background colour, so the gaps between pictures vanish into it
BLURRY = 0.8  # below this relative sharpness a figure is marked as blurry


def to_pixmap(image: np.ndarray, scale: float) -> QPixmap:
    rgb = to_uint8(image)
    h, w, _ = rgb.shape
    qimage = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    pixmap = QPixmap.fromImage(qimage)  # copies, so the numpy buffer may go
    return pixmap.scaled(round(w * scale), round(h * scale), Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


class ImageTile(QWidget):
    """One picture with its caption and figures underneath."""

    def __init__(self, scale: float, figures: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.figures = figures
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        self.picture = QLabel()
        self.picture.setFixedSize(round(96 * scale), round(64 * scale))
        self.picture.setStyleSheet(f"border: 1px solid {palette.GRID};")
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.caption.setObjectName("explanation")
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)
        self.shown: Picture | None = None

    def set_picture(self, pic: Picture) -> None:
        self.shown = pic
        self.picture.setPixmap(to_pixmap(pic.image, self.scale))
        parts = [pic.caption] if pic.caption else []
        if self.figures:
            colour = palette.VERMILLION if pic.sharpness < BLURRY else palette.TEXT
            parts.append(f"<span style='color:{colour}'>sharpness {pic.sharpness:.2f}</span>")
            if np.isfinite(pic.mean_mse):
                parts.append(f"MSE {pic.mean_mse:.3f} · nearest {pic.nearest_mse:.3f}")
        self.caption.setText("<br>".join(parts))
        self.caption.setVisible(bool(parts))
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
    label.setStyleSheet(f"color: {palette.TEXT}; font-weight: 600; padding-top: 6px;")
    return label


class TileRow(QWidget):
    """A row (or grid) of tiles that grows to the number of pictures it is given."""

    def __init__(self, scale: float, figures: bool, columns: int = 99, parent=None) -> None:
        super().__init__(parent)
        self.scale, self.figures, self.columns = scale, figures, columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tiles: list[ImageTile] = []

    def set_pictures(self, pictures, columns: int | None = None) -> None:
        if columns is not None and columns != self.columns:
            self.columns = columns
            for i, tile in enumerate(self.tiles):  # lay the existing tiles out again
                self.grid.addWidget(tile, i // columns, i % columns)
        while len(self.tiles) < len(pictures):
            tile = ImageTile(self.scale, self.figures)
            i = len(self.tiles)
            self.grid.addWidget(tile, i // self.columns, i % self.columns)
            self.tiles.append(tile)
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i < len(pictures))
            if i < len(pictures):
                tile.set_picture(pictures[i])


class MosaicRow(QLabel):
    """Many small pictures as one pixmap: one widget to lay out and paint instead of one per picture."""

    def __init__(self, scale: float, columns: int, parent=None) -> None:
        super().__init__(parent)
        self.scale, self.columns = scale, columns
        self.pictures: tuple[Picture, ...] = ()
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def set_pictures(self, pictures) -> None:
        self.pictures = tuple(pictures)
        if not self.pictures:
            self.clear()
            return
        stack = np.stack([p.image for p in self.pictures])
        columns = min(self.columns, len(stack))
        self.setPixmap(to_pixmap(tile(stack, columns, gap=round(3 / self.scale), background=MOSAIC_GAP), self.scale))
