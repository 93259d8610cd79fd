"""The image pane: what the data space looks like decoded, and what each loss's answer looks like.

It follows the AppState itself (data, scene, talk mode) and draws each snapshot it is shown,
with the loss's pixel-space answer that travels inside the snapshot.
"""

from __future__ import annotations


import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from engine.images.board import DataBoard, FitBoard, ImageBoardMaker
from engine.model.estimate import Snapshot
from gui.panes.tiles import ImageTile, MosaicRow, TileRow, heading
from gui.state import AppState
from gui.support import palette
from gui.support.throttle import Throttle

FIT_INTERVAL = 1 / 15  # seconds between redraws of the fit's pictures: smooth enough, a fraction of the cost
DRAG_INTERVAL = 1 / 20  # the same for the data's pictures while a component is dragged
PANE_WIDTH = 480
STRIP_SCALE = 0.46


class ImagePane(QScrollArea):
    """Reads the state and the latest snapshot; writes nothing back but the choice of the strip's modes."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.maker = ImageBoardMaker(state.scene.decoder)
        self.data_board: DataBoard | None = None
        self.fit_board: FitBoard | None = None
        self._snapshot: Snapshot | None = None
        self._fit_signature: tuple | None = None
        self._fit_data_board: DataBoard | None = None
        self._fit_throttle = Throttle(FIT_INTERVAL, self._draw_fit, self)
        self._drag_throttle = Throttle(DRAG_INTERVAL, self._draw_data_moving, self)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(heading("The modes"))
        self.modes_row = TileRow(1.0, True)
        layout.addWidget(self.modes_row)

        strip_head = QHBoxLayout()
        strip_head.addWidget(heading("Between"))
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

        self.prediction_heading = heading("The prediction")
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

        self.samples_heading = heading("Samples from the fitted model")
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
        state.dataChanged.connect(self.refresh_data)
        state.sceneReplaced.connect(self.rebuild)
        state.talkChanged.connect(self._on_state_talk_changed)
        state.whyChanged.connect(self._on_state_why_changed)

    @Slot()
    def _on_state_why_changed(self) -> None:
        self._fit_throttle.request()  # the decoding dial may have turned: the prediction's picture follows

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_scale(palette.TALK_TYPE if on else 1.0)

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
    @Slot()
    def rebuild(self) -> None:
        """A new scene: maybe a new decoder."""
        self.maker = ImageBoardMaker(self.state.scene.decoder)
        self.refresh_data(True)

    @Slot(bool)
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
    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Take the newest snapshot; redraw at most FIT_INTERVAL apart, the newest always last."""
        self._snapshot = snap
        self._fit_throttle.request()

    def _signature(self, snap: Snapshot) -> tuple:
        """What the fit's pictures depend on, rounded below what a picture can show: an unchanged
        signature means an unchanged pane, so a settled fit costs the pane nothing."""
        est = snap.estimate
        parts = [est.mean, est.cov, est.means, est.points, est.samples]
        rounded = tuple(None if a is None else np.round(a, 3).tobytes() for a in parts)
        pixel = None if snap.pixel is None else np.round(snap.pixel, 3).tobytes()
        return (snap.loss_id, rounded, pixel, self.state.why.decoding)

    def _answer(self, snap: Snapshot) -> tuple[np.ndarray, str] | None:
        """The decoding dial's answer, decoded as the prediction, for a model that gives a distribution."""
        if not snap.estimate.distribution:
            return None
        decoding = self.state.why.decoding
        return decoding.point(snap.estimate), f"decoded: {decoding.caption()}"

    def _draw_fit(self) -> None:
        snap = self._snapshot
        if snap is None or snap.estimate.dim != self.state.dim:
            return
        signature = self._signature(snap)
        if signature == self._fit_signature and self.data_board is self._fit_data_board:
            return
        self._fit_signature, self._fit_data_board = signature, self.data_board
        self.fit_board = self.maker.fit_board(snap.loss_id, snap.estimate, snap.pixel, self._answer(snap))
        board = self.fit_board
        self.estimate_tile.set_picture(board.estimate)
        self.answer_label.setText(board.answer_title)
        self.answer_row.set_pictures(board.answers)
        self.samples_row.set_pictures(board.samples)
        mean_sharp = float(np.mean([p.sharpness for p in board.samples]))
        self.samples_heading.setText(f"Samples from the fitted model  ·  sharpness {mean_sharp:.2f} on average")
