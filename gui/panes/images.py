"""The image pane: what the data space looks like decoded, and what each loss's answer looks like.

It follows the AppState itself (data, scene, talk mode) and draws each snapshot it is shown,
with the loss's pixel-space answer that travels inside the snapshot. The pictures are decoded and
measured on a thread beside the window's (gui.support.background); the window's thread only shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Slot
from PySide6.QtWidgets import (QBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout,
                               QWidget)

from engine.images import STRIP
from engine.lazy import lazy_import
from gui.panes.picture_layout import (MODE_SCALE, PREDICTION_SCALE, SAMPLE_SCALE, STRIP_SCALE, PictureLayout,
                                      choices, fit_pictures)
from gui.panes.tiles import ImageTile, MosaicRow, PairChooser, TileRow, heading
from gui.state import AppState
from gui.support.background import Background
from gui.support.first_paint import after_first_paint
from gui.support.throttle import Throttle

if TYPE_CHECKING:
    from engine.images.board import DataBoard, FitBoard, ImageBoardMaker
    from engine.model.estimate import Snapshot

boards = lazy_import("engine.images.board")  # with the first pictures, after the window's first paint
FIT_INTERVAL = 1 / 15  # seconds between redraws of the fit's pictures: smooth enough, a fraction of the cost
DRAG_INTERVAL = 1 / 20  # the same for the data's pictures while a component is dragged
MARGIN = 6  # around the pane's content
PANE_TYPE_SHARE = 0.65  # of talk mode's growth in type that the pane's captions take
TWO_COLUMNS = 1.4  # shown large, a pane this many times wider than tall shows its two columns side by side
PAIR_BOX_LEAST = 8  # characters: the least a box that chooses a mode is squeezed to, in a pane too narrow


class ImagePane(QScrollArea):
    """Reads the state and the latest snapshot; writes nothing back but the choice of the strip's modes."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self._maker: ImageBoardMaker | None = None  # made for the first pictures (see maker)
        self.data_board: DataBoard | None = None
        self.fit_board: FitBoard | None = None
        self._snapshot: Snapshot | None = None
        self._fit_signature: tuple | None = None
        self.background = Background(self, "blurlab-pictures")
        self._pair: tuple[int, int] | None = None  # the two modes the strip joins, as last chosen
        self._drops = self._fresh = 0  # data changes that ended (a drop, a new scene), and those decoded
        self._fit_throttle = Throttle(FIT_INTERVAL, self._draw_fit, self)
        self._drag_throttle = Throttle(DRAG_INTERVAL, self._draw_data_moving, self)

        self.layout_now: PictureLayout | None = None  # the layout on show, for the pane's size
        self._layout_key: tuple | None = None
        self._before_large: tuple | None = None  # the layout's key and the layout before G (see set_large)
        self._leanest = False  # the layout on show is the leanest of all, and the content is still too tall
        self._choosing = False  # relayout is trying the layouts (which resizes the pane: no second try within)
        self._outgrown = False  # a scroll bar came since the layout was chosen
        self.large = False  # shown large (the key G): the pictures grow to fill the pane
        body = QWidget()
        # Two columns, the data's pictures and the fit's: one above the other, or side by side when the pane
        # is much wider than tall (shown large)
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom, body)
        self.columns.setContentsMargins(MARGIN, 0, MARGIN, MARGIN)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        self.columns.addLayout(layout)
        self.modes_heading = heading("The modes")
        layout.addWidget(self.modes_heading)
        self.modes_row = TileRow(MODE_SCALE, True)
        layout.addWidget(self.modes_row)

        self.strip_heading = heading("Between two modes")
        layout.addWidget(self.strip_heading)
        # Shown when the data's pictures come and have more than two modes to choose from: before them the
        # boxes are empty, and for two modes they would only flash on screen (see _show_pair_choice).
        self.pair_row = PairChooser(PAIR_BOX_LEAST)
        self.pair_row.pairChosen.connect(self._on_pair_chosen)
        layout.addWidget(self.pair_row)
        self.pair_row.setVisible(False)
        self.latent_label, self.latent_row = self._add_strip(layout)
        self.pixel_label, self.pixel_row = self._add_strip(layout)

        self.prediction_heading = heading("The prediction")
        # The decoded estimate and the loss's answer: side by side, or the answer under it when narrow.
        self.prediction = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.prediction.setSpacing(4)  # as fit_pictures counts it
        self.estimate_tile = ImageTile(PREDICTION_SCALE, True)
        self.prediction.addWidget(self.estimate_tile, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.answer_row = TileRow(PREDICTION_SCALE, True, columns=2)
        self.prediction.addWidget(self.answer_row, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # What the answers are, over the prediction's whole width (its words never wider than the column)
        self.answer_label = QLabel()
        self.answer_label.setObjectName("explanation")
        self.answer_label.setWordWrap(True)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        self.columns.addLayout(layout)
        layout.addWidget(self.prediction_heading)
        layout.addWidget(self.answer_label)
        layout.addLayout(self.prediction)

        self.samples_heading = heading("Samples from the fitted model")
        layout.addWidget(self.samples_heading)
        self.samples_row = MosaicRow(SAMPLE_SCALE, 4)
        layout.addWidget(self.samples_row)
        self.columns.addStretch(1)

        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # Decoding waits until the window has painted once: it is not on the way to the first frame.
        self._first_paint = after_first_paint(self, self._first_refresh)
        state.dataChanged.connect(self.refresh_data)
        state.sceneReplaced.connect(self.rebuild)
        state.talkChanged.connect(self._on_state_talk_changed)
        state.whyChanged.connect(self._on_state_why_changed)

    @Slot()
    def _on_state_why_changed(self) -> None:
        self._fit_throttle.request()  # the decoding dial may have turned: the prediction's picture follows

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_scale(self.state.type_scale)

    @property
    def type_scale(self) -> float:
        """The pane's type against the desk's. In talk mode it grows less than the rest: its pictures carry
        the point, its captions are read from closer, and they must leave the pictures room."""
        return 1.0 + PANE_TYPE_SHARE * (self.state.type_scale - 1.0)

    def flush(self) -> None:
        """Show the newest snapshot now rather than when the throttle allows (and the pictures, if the
        first paint has not yet happened: an export draws before the window ever shows)."""
        self._first_paint.run_now()
        self._drag_throttle.flush()
        self.background.drain()  # the data's pictures, which the fit's figures are measured against
        self._fit_throttle.flush()
        self.background.drain()

    def set_scale(self, scale: float) -> None:
        """Talk mode's larger type: larger pictures, as many as fit (once the new type is in place)."""
        if self.data_board is not None:
            self._show_pair_choice()
        size = round(10 * self.type_scale)
        self.setStyleSheet(f"QWidget {{ font-size: {size}pt; }}" if self.state.talk else "")
        QTimer.singleShot(0, self.relayout)

    def viewportEvent(self, event) -> bool:  # noqa: N802  (Qt's name)
        if event.type() == QEvent.Type.Resize and not self._choosing and self.verticalScrollBar().isVisible():
            self._outgrown = True  # a scroll bar came: the content outgrew the pane
            QTimer.singleShot(0, self.relayout)
        return super().viewportEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()

    def relayout(self) -> None:
        """Choose how many pictures to show and how large, for the pane's size now: the richest layout of
        picture_layout.choices whose content is no taller than the pane (the leanest, if none is)."""
        modes = len(self.data_board.modes) if self.data_board else 2
        answers = len(self.fit_board.answers) if self.fit_board else 1
        # The pane's inside without a scroll bar: the layout is chosen so that it needs none.
        width = self.width() - 2 * self.frameWidth() - 2 * MARGIN
        two = self.large and width > TWO_COLUMNS * self.height()
        if two:  # each column's share of the width
            width = (width - self.columns.spacing()) // 2
        # What the content's height depends on, beyond the pictures' sizes (texts of the same kind keep
        # their number of lines from frame to frame, so a running fit does not lay the pane out again).
        # The boxes that choose the strip's modes take a line, and a second when their names are too long
        # to stand side by side.
        pair = self.pair_row.isVisibleTo(self) and self.pair_row.names()
        key = (width, two, self.large, self.state.talk, self.height(), self.type_scale, modes, answers, self.data_board is not None,
               self.fit_board is not None and self.fit_board.answer_title, self.answer_label.isVisibleTo(self), pair)
        # Content that grew past the pane since it chose (a heading's new figures taking a line) brought a
        # scroll bar: that chooses again (see viewportEvent).
        outgrown, self._outgrown = self._outgrown, False
        if key == self._layout_key and not (outgrown and not self._leanest):
            return
        self._layout_key = key
        back = self._before_large
        self._choosing = True
        try:
            self._set_columns(two)
            if not self.large and back is not None and back[0] == key and not outgrown:  # back, same room
                self._before_large = None
                self._apply(back[1])
            else:
                self._choose(width, modes, answers)
        finally:
            self._choosing = False

    def _choose(self, width: int, modes: int, answers: int) -> None:
        """Apply the first layout of the choices (picture_layout.choices) whose content fits the pane (the
        leanest if none does)."""
        self.pair_row.place(width)
        for shrink, rows, most, terse in choices(self.state.talk, self.large):
            self._apply(fit_pictures(width, self.type_scale, modes, answers, shrink, rows, most, terse,
                                     self.state.talk))
            # The rows of tiles are widgets with layouts of their own: settle theirs before measuring.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.widget().layout().activate()
            if self._fits():
                self._leanest = False
                break
        else:
            self._leanest = True

    def set_large(self, on: bool) -> None:
        """Shown large (the key G) or as usual: the pictures as large as the pane holds, or their usual sizes."""
        if on != self.large:
            # G again gives back the very layout G left, when the room and the content are the same
            self._before_large = (self._layout_key, self.layout_now) if on else self._before_large
            self.large = on
            self.relayout()

    def _set_columns(self, two: bool) -> None:
        """The data's pictures and the fit's side by side (`two`), or one above the other."""
        top = Qt.AlignmentFlag.AlignTop if two else Qt.AlignmentFlag(0)
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if two else QBoxLayout.Direction.TopToBottom)
        for i in range(2):
            self.columns.setAlignment(self.columns.itemAt(i).layout(), top)
            self.columns.setStretch(i, int(two))
        self.columns.setStretch(2, int(not two))

    def _fits(self) -> bool:
        """Whether the content, laid out as it is now, is no taller than the pane."""
        body = self.widget()
        whole = self.width() - 2 * self.frameWidth()
        needed = body.heightForWidth(whole) if body.hasHeightForWidth() else -1
        return max(needed, body.minimumSizeHint().height()) <= self.height() - 2 * self.frameWidth()

    def _apply(self, new: PictureLayout) -> None:
        if new == self.layout_now:
            return
        self.layout_now = new
        type_scale = self.type_scale
        # In talk mode the modes show their sharpness only, and the prediction the squared error that L2
        # wins on: what the argument needs, in type the back of the room can read.
        talk = self.state.talk
        terse = talk or new.terse_modes
        self.modes_heading.setText("The modes and their sharpness" if terse else "The modes")
        self.modes_row.set_scale(new.mode_scale, new.mode_columns, type_scale, "none" if terse else "both", new.mode_width)
        self.latent_row.set_scale(new.strip_scale, STRIP)
        self.pixel_row.set_scale(new.strip_scale, STRIP)
        self.prediction.setDirection(QBoxLayout.Direction.LeftToRight if new.answers_beside
                                     else QBoxLayout.Direction.TopToBottom)
        self.estimate_tile.set_scale(new.prediction_scale, type_scale, new.prediction_width)
        self.estimate_tile.set_errors("mean" if talk else "both")
        self.answer_row.set_scale(new.prediction_scale, new.answer_columns, type_scale, "mean" if talk else "both",
                                  new.prediction_width)
        if self.fit_board is not None:
            self.answer_row.set_pictures(self.fit_board.answers[: new.answer_count])
        self.samples_row.set_scale(new.sample_scale, new.sample_columns, new.sample_count)
        self.samples_heading.setVisible(new.sample_count > 0)
        self.samples_row.setVisible(new.sample_count > 0)
        if self.data_board is not None:
            self._show_strips(self.data_board)

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
        self._maker = None
        self._pair = None
        self.refresh_data(True)

    @property
    def maker(self) -> ImageBoardMaker:
        """What makes the scene's pictures and their figures: made when they are first asked for, which is
        after the window's first paint (so is loading engine.images.board)."""
        if self._maker is None:
            self._maker = boards.ImageBoardMaker(self.state.scene.decoder, self.state.scene.span)
        return self._maker

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

    def _draw_data(self, finished: bool, pair: tuple[int, int] | None = None) -> None:
        """Decode the data's pictures on the thread (the data images themselves, which the figures compare
        against, only once a change has ended: not mid-drag)."""
        if not len(self.state.samples):
            return  # a cleared canvas: the pictures of the last data stay until there are points again
        self._pair = pair or self._pair
        self._drops += finished
        maker, mixture, samples, pair = self.maker, self.state.mixture, self.state.samples, self._pair
        drops = self._drops
        # A job that waits is replaced by the next: the newest one decodes the data images if any change
        # since the last decoded ones has ended.
        refresh = drops > self._fresh
        # The fit's figures are measured against the data's pictures: the job makes the fit's board again too.
        fit_job = self._fit_job()
        self.background.cancel("fit")

        def work() -> tuple:
            board = maker.data_board(mixture, samples, pair, refresh_data_images=refresh)
            return maker, drops if refresh else 0, board, fit_job and fit_job()

        self.background.submit("data", work, self._show_data)

    def _show_data(self, result: tuple) -> None:
        maker, drops, board, fit = result
        if maker is not self.maker:
            return  # decoded for the scene before
        self._fresh = max(self._fresh, drops)
        self.data_board = board
        self.modes_row.set_pictures(board.modes)
        self._show_strips(board)
        labels = [p.caption for p in board.modes]
        self.pair_row.show_modes(labels, board.pair)
        self._show_pair_choice()
        self.relayout()  # the number of modes, their names, or the captions' lengths may have changed
        if fit is not None:
            self._show_fit(fit)

    def _show_pair_choice(self) -> None:
        """The boxes that choose the strip's two modes, when there is a choice and a mouse to make it (not
        in talk mode, whose controls are keys); otherwise the heading names the two."""
        board = self.data_board
        labels = [p.caption for p in board.modes]
        choice = len(labels) > 2 and not self.state.talk
        self.pair_row.setVisible(choice)
        a, b = board.pair
        self.strip_heading.setText("Between two modes" if choice else
                                   f"Between {labels[a]} and {labels[b]}" if a != b else "Between")
        # the fit's pictures follow with the next snapshot, which a data change always brings

    @Slot(int, int)
    def _on_pair_chosen(self, a: int, b: int) -> None:
        self._draw_data(False, (a, b))

    def _show_strips(self, board: DataBoard) -> None:
        every = self.layout_now.strip_every if self.layout_now else 1
        self.latent_row.set_pictures(board.strip_latent[::every])
        self.pixel_row.set_pictures(board.strip_pixel[::every])
        middle = len(board.strip_latent) // 2
        latent, pixel = board.strip_latent[middle].sharpness, board.strip_pixel[middle].sharpness
        if self.state.talk:  # the speaker says the rest
            self.latent_label.setText(f"walking in the data space: all sharp ({latent:.2f})")
            self.pixel_label.setText(f"averaging the pixels: ghosts ({pixel:.2f})")
        else:
            self.latent_label.setText(f"walking through the data space: every in-between is a sharp object "
                                      f"(the middle one: sharpness {latent:.2f})")
            self.pixel_label.setText(f"averaging the pixels of the two: ghosts (the middle one: sharpness {pixel:.2f})")

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
        if signature != self._fit_signature:
            self.background.submit("fit", self._fit_job(signature), self._show_fit)

    def _fit_job(self, signature: tuple | None = None):
        """The work of making the fit's board for the newest snapshot (None: no snapshot to draw)."""
        snap = self._snapshot
        if snap is None or snap.estimate.dim != self.state.dim:
            return None
        self._fit_signature = signature or self._signature(snap)
        maker, answer = self.maker, self._answer(snap)
        return lambda: (maker, snap, maker.fit_board(snap.loss_id, snap.estimate, snap.pixel, answer))

    def _show_fit(self, result: tuple) -> None:
        maker, snap, board = result
        if maker is not self.maker:
            return
        self.fit_board = board
        self.estimate_tile.set_picture(board.estimate)
        self.answer_label.setText(board.answer_title)
        # In talk mode the headline names the loss; the pixel-space answer's caption says what it is.
        self.answer_label.setVisible(not (self.state.talk and snap.pixel is not None))
        shown = self.layout_now.answer_count if self.layout_now else len(board.answers)
        self.answer_row.set_pictures(board.answers[:shown])
        self.samples_row.set_pictures(board.samples)
        mean_sharp = float(np.mean([p.sharpness for p in board.samples]))
        self.samples_heading.setText(f"Samples of the model  ·  sharpness {mean_sharp:.2f}" if self.state.talk else
                                     f"Samples from the fitted model  ·  sharpness {mean_sharp:.2f} on average")
        self.relayout()  # the number of answers, or their captions, may have changed
