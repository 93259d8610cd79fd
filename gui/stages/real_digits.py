"""The real-digits stage: a network trained live on real handwritten digits, drawn in the space of real
handwriting. For the input on show ([ and ] choose it, H the task): the plane of its real examples with the
network's marks (gui.panes.digit_space) and its pictures, large (gui.panes.digit_pictures). At the desk the
grid of every input (gui.panes.digits, with the task, loss and run controls) stands on the left; in talk mode
the plane and the pictures have the screen and the key list runs along the foot.

The marks of a frame are computed here, once per drawn frame, in numpy (engine.digits.marks), for both panes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from engine.digits.marks import Trail, marks
from engine.digits.space import digit_space
from engine.digits.tasks import make_task
from engine.model.losses import image_loss_info
from gui.controllers.digits import DigitsController
from gui.controllers.runner import Runner
from gui.panes.digit_pictures import DigitPicturesPane
from gui.panes.digit_space import DigitSpacePane
from gui.panes.digits import DRAW_INTERVAL, DigitsPane
from gui.stages.base import Stage, StageContext
from gui.support.throttle import Throttle

TALK_PICTURE_SHARE = 0.2  # in talk mode each big picture is at least this share of the screen's height
DESK_PICTURE_SIDE = 96
GAN_NOTES = {
    "bend": "This GAN draws by bending typical real digits, so its digits are whole strokes from step 0 "
            "(G: the GAN that paints every pixel from scratch).",
    "pixels": "This GAN paints every pixel from noise, from scratch: speckled for thousands of steps "
              "(G: back to the GAN that bends typical real digits).",
}


class RealDigitsStage(Stage):
    """The digit network (`controller`), the overview grid (`pane`), the plane (`plane`) and the big
    pictures (`pictures`) of the input on show."""

    key_hints_separator = "  ·  "  # the list runs along the stage's foot

    def __init__(self, context: StageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.controller = DigitsController(context.process, self)
        self.controller.status.connect(self.status)
        self.pane = DigitsPane(self.state, self.controller)
        self.plane = DigitSpacePane(self.state)
        self.pictures = DigitPicturesPane(self.state)
        self.space = None  # the DigitSpace of the input on show, made when first drawn
        self._space_key: tuple | None = None
        self._trail = None
        self._throttle = Throttle(DRAW_INTERVAL, self._draw_marks, self)
        self._pending_pictures = None  # the marks the pictures show next
        self._pictures_timer = QTimer(self, singleShot=True, interval=0)
        self._pictures_timer.timeout.connect(self._draw_pictures)
        if self.state.talk:  # made in talk mode: it looks the part at once
            self.pane.set_talk(True)
        self.pane.set_running(self.controller.running)
        self.key_hints.setWordWrap(True)
        self.key_hints.setVisible(self.state.talk)

        self.focus = QBoxLayout(QBoxLayout.Direction.TopToBottom)  # the plane and the pictures
        self.focus.setContentsMargins(0, 0, 0, 0)
        self.focus.addWidget(self.plane, 3)
        self.focus.addWidget(self.pictures, 2)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.pane, 2)
        body.addLayout(self.focus, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addLayout(body, 1)
        layout.addWidget(self.key_hints)
        self._lay_out(self.state.talk)

        self.controller.settingsChanged.connect(self._on_controller_settings_changed)
        self.controller.inputChanged.connect(self._on_controller_input_changed)
        self.controller.snapshotChanged.connect(self._on_controller_snapshot_changed)
        self.state.talkChanged.connect(self._on_state_talk_changed)

    @property
    def runner(self) -> Runner:
        return self.controller

    def describe_loss(self, loss_id: str) -> tuple[str, str]:
        info = image_loss_info(loss_id)
        return info.image_title, info.explanation

    def shown(self) -> None:
        self.controller.activate()  # the fit process trains the network from now on
        self._show_space()

    def show_tour_step(self, step) -> None:
        self.controller.apply_view(step.view)

    def views(self) -> dict[str, QWidget]:
        return {"digits": self}

    def flush(self) -> None:
        self.pane.flush()
        self._throttle.flush()
        self._draw_pictures()

    # -- the input on show ---------------------------------------------------------------------------
    def _show_space(self) -> None:
        """The plane and pictures of the controller's task and input (built once each, in numpy)."""
        c = self.controller
        key = (c.task, c.index)
        if key == self._space_key:
            return
        task = make_task(c.task)
        self.space = digit_space(task, c.index)
        self._space_key = key
        self._trail = Trail()
        self.plane.set_space(task, c.index, self.space)
        self.pictures.set_space(task, c.index, self.space)
        self._draw_marks()

    def _gan_note(self) -> str:
        c = self.controller
        bends = image_loss_info(c.loss).images.sampled and c.task == "digit_from_label"
        return GAN_NOTES[c.generator] if bends else ""

    def _draw_marks(self) -> None:
        """The newest frame's outputs for the input on show, in both panes."""
        snap, c = self.controller.latest, self.controller
        if self.space is None or not self.isVisible():
            return  # drawn when shown
        if snap is None or (snap.task, snap.loss_id) != (c.task, c.loss) or self._space_key != (c.task, c.index):
            self._pending_pictures = None
            self.plane.show_marks(None, self._trail.array())
            self.pictures.show_marks(None, self._gan_note())
            return
        m = marks(self.space, make_task(c.task), snap, c.index)
        self._trail.add(snap, c.index, m.points[0])
        self.plane.show_marks(m, self._trail.smoothed())
        # The pictures on the next turn of the event loop: two short pieces of work delay a frame less than one.
        self._pending_pictures = (m, self._gan_note())
        self._pictures_timer.start()

    def _draw_pictures(self) -> None:
        if self._pending_pictures is not None:
            marks, note = self._pending_pictures
            self._pending_pictures = None
            self.pictures.show_marks(marks, note)

    @Slot()
    def _on_controller_settings_changed(self) -> None:
        if self.isVisible() or self.space is not None:
            self._show_space()
        if self._trail is not None:
            self._trail.clear()
        self._throttle.request()

    @Slot(int)
    def _on_controller_input_changed(self, index: int) -> None:
        if self.isVisible() or self.space is not None:
            self._show_space()

    @Slot(object)
    def _on_controller_snapshot_changed(self, snap) -> None:
        self._throttle.request()

    def showEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        self._show_space()
        self._throttle.request()

    # -- desk and talk ----------------------------------------------------------------------------------
    def _lay_out(self, talk: bool) -> None:
        """Desk: the grid of every input beside the plane over the pictures. Talk: the plane beside the
        pictures, and nothing else."""
        self.pane.setVisible(not talk)
        self.focus.setDirection(QBoxLayout.Direction.LeftToRight if talk else QBoxLayout.Direction.TopToBottom)
        self.focus.setStretch(0, 11 if talk else 3)
        self.focus.setStretch(1, 10 if talk else 2)
        self._size_pictures()

    def _size_pictures(self) -> None:
        height = self.window().height() if self.window() is not self else self.height()
        if self.caption.isVisibleTo(self):  # a tour's caption takes its lines from the pictures' share too
            height -= self.caption.heightForWidth(self.width())
        side = math.ceil(TALK_PICTURE_SHARE * height) if self.state.talk else DESK_PICTURE_SIDE
        self.pictures.set_picture_side(side)

    def show_caption(self, caption: str) -> None:
        super().show_caption(caption)
        self._size_pictures()

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self._size_pictures()

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.key_hints.setVisible(on)
        self._lay_out(on)

    def close_stage(self) -> None:
        self._throttle.cancel()
        self._pictures_timer.stop()
