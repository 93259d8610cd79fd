"""The network on real digits, from the window: which task and loss it trains, run, pause, step and
reset, through the fit process's Digits* commands; the newest frame to the real-images view once per
turn of the event loop (stale ones are dropped).

Nothing is asked of the fit process until the view is first shown (`activate`), so a window that never
shows real images never loads them. If the fit process dies, the fit controller starts a new one and
this controller sends it the task and loss again, paused at step 0.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from typing import TYPE_CHECKING

from engine.digits import TASK_IDS
from engine.model.losses import IMAGE_LOSS_IDS, image_loss_info

if TYPE_CHECKING:
    from engine.digits.snapshot import DigitSnapshot
# The Digits* messages are imported where they are sent or heard (as the fit controller does): not on the
# way to the first paint.


class DigitsController(QObject):
    """Drives the digit network of a fit process (`FitProcess`, or a fake with its signals and methods).

    `settingsChanged()` when the task, loss or weight changes; `runningChanged(bool)`;
    `snapshotChanged(DigitSnapshot)` at most once per event-loop turn; `status(str, int)` a message.
    """

    settingsChanged = Signal()
    runningChanged = Signal(bool)
    snapshotChanged = Signal(object)
    status = Signal(str, int)

    def __init__(self, process, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = process
        self.task = TASK_IDS[0]
        self.loss = IMAGE_LOSS_IDS[0]
        self.seed = 0
        self.adversarial_weight: float | None = None  # None: the loss's own
        self.running = False
        self.active = False  # the view has been shown: the fit process trains the network
        self.latest: DigitSnapshot | None = None
        self._pending: DigitSnapshot | None = None
        self._sent = False  # the fit process has the settings
        process.event.connect(self._on_process_event)
        process.ended.connect(self._on_process_ended)

    # -- what the user asks for ------------------------------------------------------------------------
    def activate(self) -> None:
        """The view is shown: start talking to the fit process (once)."""
        self.active = True
        self._send_settings()

    def set_task(self, task: str) -> None:
        if task not in TASK_IDS:
            raise KeyError(f"unknown task {task!r}; choose one of {', '.join(TASK_IDS)}")
        if task != self.task:
            self.task = task
            self._changed()

    def set_loss(self, loss: str) -> None:
        image_loss_info(loss)  # KeyError naming the choices
        if loss != self.loss:
            self.loss = loss
            self.adversarial_weight = None  # each loss starts from its own mix
            self._changed()
            self.status.emit(f"Real images: {image_loss_info(loss).image_title}", 3000)

    def set_adversarial_weight(self, weight: float) -> None:
        if weight != self.weight:
            self.adversarial_weight = float(weight)
            self._changed()

    @property
    def weight(self) -> float:
        """The adversarial weight in force (the loss's own unless changed)."""
        how = image_loss_info(self.loss).images
        return how.adversarial_weight if self.adversarial_weight is None else self.adversarial_weight

    @property
    def has_weight(self) -> bool:
        """Whether the loss mixes a reconstruction with an adversarial term (and the weight means something)."""
        how = image_loss_info(self.loss).images
        return bool(how.reconstruction and how.adversarial)

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        from engine.fit.protocol import DigitsRun

        self.activate()
        self.running = running
        self.process.send(DigitsRun(running))
        self.runningChanged.emit(running)

    @Slot()
    def toggle_running(self) -> None:
        self.set_running(not self.running)

    @Slot()
    def step_once(self) -> None:
        from engine.fit.protocol import DigitsStep

        if self.running:
            self.set_running(False)
        self.activate()
        self.process.send(DigitsStep(1))

    @Slot()
    def reset(self) -> None:
        from engine.fit.protocol import DigitsReset

        self.activate()
        self.process.send(DigitsReset())
        self.status.emit("Real images: the network is back at step 0.", 3000)

    def apply_view(self, view: dict) -> None:
        """What a tour step asks of the real images: a task, a loss, from step 0, running; a step that
        names none pauses the network, so it does not take the fit's processor time."""
        if "digits_task" not in view:
            if self.running:
                self.set_running(False)
            return
        self.set_task(view["digits_task"])
        self.set_loss(view.get("digits_loss", self.loss))
        if view.get("digits_fresh", True):
            self.reset()
        self.set_running(bool(view.get("digits_run", True)))

    # -- to the fit process ----------------------------------------------------------------------
    def _changed(self) -> None:
        self.settingsChanged.emit()
        self._send_settings(force=True)

    def _send_settings(self, force: bool = False) -> None:
        from engine.fit.protocol import DigitsSettings

        if not self.active or (self._sent and not force) or not self.process.started:
            return
        self.process.send(DigitsSettings(self.task, self.loss, self.seed, self.adversarial_weight))
        self._sent = True

    # -- what the fit process says ------------------------------------------------------------------
    @Slot(object)
    def _on_process_event(self, event) -> None:
        from engine.fit.protocol import DigitsFrame

        if not isinstance(event, DigitsFrame):
            return
        snap = event.snapshot
        if (snap.task, snap.loss_id) != (self.task, self.loss):
            return  # trained before the last change
        waiting, self._pending = self._pending is not None, snap
        if not waiting:
            QTimer.singleShot(0, self._show_pending)

    @Slot()
    def _show_pending(self) -> None:
        snap, self._pending = self._pending, None
        if snap is not None:
            self.latest = snap
            self.snapshotChanged.emit(snap)

    @Slot()
    def _on_process_ended(self) -> None:
        """The fit process died; the fit controller starts another: send it the settings once it has."""
        self._sent = False
        if self.running:
            self.running = False
            self.runningChanged.emit(False)
        QTimer.singleShot(0, self._send_settings)
