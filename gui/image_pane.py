"""The image pane: what the data space looks like decoded, and what each loss's answer looks like."""

from __future__ import annotations


import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from engine.catalogue import loss_info
from engine.estimate import Snapshot
from engine.png import tile
from engine.image_board import DataBoard, FitBoard, ImageBoardMaker, Picture
from gui import palette
from gui.state import AppState
from gui.throttle import Throttle

FIT_INTERVAL = 1 / 15  # seconds between redraws of the fit's pictures: smooth enough, a fraction of the cost
DRAG_INTERVAL = 1 / 20  # the same for the data's pictures while a component is dragged
PANE_WIDTH = 480
MOSAIC_GAP = 0.12  # about the background colour, so the gaps between pictures vanish into it
STRIP_SCALE = 0.46
BLURRY = 0.8  # below this relative sharpness a figure is marked as blurry


def to_pixmap(image: np.ndarray, scale: float) -> QPixmap:
    rgb = np.ascontiguousarray(np.clip(image * 255.0 + 0.5, 0, 255).astype(np.uint8))
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


def _heading(text: str) -> QLabel:
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


class ImagePane(QScrollArea):
    """Reads the state and the latest snapshot; writes nothing back but the choice of the strip's modes."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.maker = ImageBoardMaker(state.scene.decoder)
        self.data_board: DataBoard | None = None
        self.fit_board: FitBoard | None = None
        self._snapshot: Snapshot | None = None
        self._pixel_image: np.ndarray | None = None
        self._fit_signature: tuple | None = None
        self._fit_data_board: DataBoard | None = None
        self._fit_throttle = Throttle(FIT_INTERVAL, self._draw_fit, self)
        self._drag_throttle = Throttle(DRAG_INTERVAL, self._draw_data_moving, self)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(_heading("The modes"))
        self.modes_row = TileRow(1.0, True)
        layout.addWidget(self.modes_row)

        strip_head = QHBoxLayout()
        strip_head.addWidget(_heading("Between"))
        self.pair_a = QComboBox()
        self.pair_b = QComboBox()
        for box in (self.pair_a, self.pair_b):
            box.setToolTip("Which two modes the strip joins")
            box.activated.connect(self._on_pair_activated)
        strip_head.addWidget(self.pair_a)
        strip_head.addWidget(QLabel("and"))
        strip_head.addWidget(self.pair_b)
        strip_head.addStretch(1)
        layout.addLayout(strip_head)
        self.latent_label, self.latent_row = self._add_strip(layout)
        self.pixel_label, self.pixel_row = self._add_strip(layout)

        self.prediction_heading = _heading("The prediction")
        layout.addWidget(self.prediction_heading)
        prediction = QHBoxLayout()
        self.estimate_tile = ImageTile(1.4, True)
        prediction.addWidget(self.estimate_tile, 0, Qt.AlignmentFlag.AlignTop)
        answer_box = QVBoxLayout()
        self.answer_label = QLabel()
        self.answer_label.setObjectName("explanation")
        self.answer_label.setWordWrap(True)
        answer_box.addWidget(self.answer_label)
        self.answer_row = TileRow(1.4, True, columns=2)
        answer_box.addWidget(self.answer_row)
        answer_box.addStretch(1)
        prediction.addLayout(answer_box)
        prediction.addStretch(1)
        layout.addLayout(prediction)

        self.samples_heading = _heading("Samples from the fitted model")
        layout.addWidget(self.samples_heading)
        self.samples_row = MosaicRow(0.75, 4)
        layout.addWidget(self.samples_row)
        layout.addStretch(1)

        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setFixedWidth(PANE_WIDTH)
        # Decoding waits until the window has painted once: it is not on the way to the first frame.
        QTimer.singleShot(0, self._first_refresh)

    def flush(self) -> None:
        """Show the newest snapshot now rather than when the throttle allows."""
        self._fit_throttle.flush()

    def set_scale(self, scale: float) -> None:
        """Wider for the larger type of talk mode, so no caption is cut off."""
        self.setFixedWidth(int(PANE_WIDTH * (1 + 0.45 * (scale - 1))))

    def _first_refresh(self) -> None:
        if self.data_board is None:
            self.refresh_data(True)

    @staticmethod
    def _add_strip(layout: QVBoxLayout) -> tuple[QLabel, MosaicRow]:
        """A caption and, under it, a strip of pictures in one row."""
        label = QLabel()
        label.setWordWrap(True)
        label.setObjectName("explanation")
        row = MosaicRow(STRIP_SCALE, 99)
        layout.addWidget(label)
        layout.addWidget(row)
        return label, row

    # -- data --------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """A new scene: maybe a new decoder."""
        self.maker = ImageBoardMaker(self.state.scene.decoder)
        self.refresh_data(True)

    def refresh_data(self, finished: bool) -> None:
        """Redraw the data's pictures; while dragging at most DRAG_INTERVAL apart, the newest last."""
        if finished:
            self._drag_throttle.cancel()  # the full redraw, with fresh data images, replaces it
            self._draw_data(True)
        else:
            self._drag_throttle.request()

    def _draw_data_moving(self) -> None:
        self._draw_data(False)

    def _draw_data(self, finished: bool) -> None:
        pair = self.data_board.pair if self.data_board else None
        self.data_board = self.maker.data_board(self.state.mixture, self.state.samples, pair,
                                                refresh_data_images=finished)
        board = self.data_board
        self.modes_row.set_pictures(board.modes, columns=3 if len(board.modes) == 3 else 2)
        self._show_strips(board)
        labels = [p.caption for p in board.modes]
        for box, index in ((self.pair_a, board.pair[0]), (self.pair_b, board.pair[1])):
            blocked = box.blockSignals(True)
            if [box.itemText(i) for i in range(box.count())] != labels:
                box.clear()
                box.addItems(labels)
            box.setCurrentIndex(index)
            box.setEnabled(len(labels) > 1)
            box.blockSignals(blocked)
        # the fit's pictures follow with the next snapshot, which a data change always brings

    def _on_pair_activated(self, _index: int) -> None:
        pair = (self.pair_a.currentIndex(), self.pair_b.currentIndex())
        if pair[0] != pair[1]:
            self.data_board = self.maker.data_board(self.state.mixture, self.state.samples, pair,
                                                    refresh_data_images=False)
            self._show_strips(self.data_board)

    def _show_strips(self, board: DataBoard) -> None:
        self.latent_row.set_pictures(board.strip_latent)
        self.pixel_row.set_pictures(board.strip_pixel)
        middle = len(board.strip_latent) // 2
        self.latent_label.setText(f"walking through the data space: every in-between is a sharp object "
                                  f"(the middle one: sharpness {board.strip_latent[middle].sharpness:.2f})")
        self.pixel_label.setText(f"averaging the pixels of the two: ghosts "
                                 f"(the middle one: sharpness {board.strip_pixel[middle].sharpness:.2f})")

    # -- the fit -------------------------------------------------------------------------------
    def show_snapshot(self, snap: Snapshot, pixel_image: np.ndarray | None) -> None:
        """Take the newest snapshot; redraw at most FIT_INTERVAL apart, the newest always last."""
        self._snapshot, self._pixel_image = snap, pixel_image
        self._fit_throttle.request()

    @staticmethod
    def _signature(snap: Snapshot, pixel_image: np.ndarray | None) -> tuple:
        """What the fit's pictures depend on, rounded below what a picture can show: an unchanged
        signature means an unchanged pane, so a settled fit costs the pane nothing."""
        est = snap.estimate
        parts = [est.mean, est.cov, est.means, est.points, est.samples]
        rounded = tuple(None if a is None else np.round(a, 3).tobytes() for a in parts)
        return (snap.loss_id, rounded, id(pixel_image))

    def _draw_fit(self) -> None:
        snap = self._snapshot
        if snap is None:
            return
        signature = self._signature(snap, self._pixel_image)
        if signature == self._fit_signature and self.data_board is self._fit_data_board:
            return
        self._fit_signature, self._fit_data_board = signature, self.data_board
        info = loss_info(snap.loss_id)
        self.fit_board = self.maker.fit_board(snap.loss_id, info.title, snap.estimate, self._pixel_image)
        board = self.fit_board
        self.estimate_tile.set_picture(board.estimate)
        self.answer_label.setText(board.answer_title)
        self.answer_row.set_pictures(board.answers)
        self.samples_row.set_pictures(board.samples)
        mean_sharp = float(np.mean([p.sharpness for p in board.samples]))
        self.samples_heading.setText(f"Samples from the fitted model  ·  sharpness {mean_sharp:.2f} on average")
