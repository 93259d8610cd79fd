"""The network on real digits, from the window: which task, loss, mix and GAN generator it trains, sent as
the fit process's DigitsSettings; run, pause, step and reset as every runner does (gui.controllers.runner);
and which input the stage shows large (`index`, a window-side choice the fit process never hears of).

Nothing is asked of the fit process until the view is first shown (`activate`), so a window that never
shows real images never loads them. If the fit process dies, the fit controller starts a new one and
this controller sends it the task and loss again, paused at step 0.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Signal, Slot

from engine.digits import GENERATORS, TASK_IDS, ready_steps
from engine.digits.tasks import make_task
from engine.model.losses import IMAGE_LOSS_IDS, image_loss_info
from gui.controllers.runner import Runner, protocol
from gui.state import SPEEDS

PACE = 30.0  # network steps a second at speed 1x: slow enough to watch the pictures form


class DigitsController(Runner):
    """Drives the digit network of a fit process; `settingsChanged()` when the task, loss, weight or
    generator changes, `inputChanged(int)` when another input is shown large, and the runner's signals
    (`snapshotChanged` carries a DigitSnapshot)."""

    settingsChanged = Signal()
    inputChanged = Signal(int)

    target = "digits"
    loss_ids = IMAGE_LOSS_IDS
    reset_message = "Real images: the network is back at step 0."

    def __init__(self, process, parent: QObject | None = None) -> None:
        super().__init__(process, parent)
        self.task = TASK_IDS[0]
        self._loss = IMAGE_LOSS_IDS[0]
        self.seed = 0
        self.adversarial_weight: float | None = None  # None: the loss's own
        self.generator = GENERATORS[0]  # how the GAN of "draw a digit" draws
        self.index = 0  # the input shown large: a label, or one of the given tops
        self.stop_at: int | None = None  # a tour step's count of steps: paused once the pictures are ready
        self.speed_index = len(SPEEDS) - 1  # as fast as it goes
        self.active = False  # the view has been shown: the fit process trains the network
        self._sent = False  # the fit process has the settings
        process.launched.connect(self._on_process_launched)

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
            index, self.index = self.index, min(self.index, self.input_count() - 1)
            self._changed()
            if index != self.index:
                self.inputChanged.emit(self.index)

    def next_task(self) -> None:
        self.set_task(TASK_IDS[(TASK_IDS.index(self.task) + 1) % len(TASK_IDS)])

    def input_count(self) -> int:
        """How many inputs the task shows (10 labels, or the ambiguous tops)."""
        return len(make_task(self.task).input_ids)

    def set_index(self, index: int) -> None:
        """Show input `index` large (wrapping round the task's inputs)."""
        index = int(index) % self.input_count()
        if index != self.index:
            self.index = index
            self.inputChanged.emit(index)

    def step_index(self, delta: int) -> None:
        """The input before (-1) or after (+1) the one shown large."""
        self.set_index(self.index + delta)

    def toggle_generator(self) -> None:
        """The GAN of "draw a digit" from bending real digits to painting free pixels from scratch, or back."""
        self.generator = GENERATORS[(GENERATORS.index(self.generator) + 1) % len(GENERATORS)]
        self._changed()
        words = {"bend": "the GAN draws by bending typical real digits",
                 "pixels": "the GAN paints every pixel from noise, from scratch"}
        self.status.emit(f"Real images: {words[self.generator]}", 4000)

    @property
    def loss(self) -> str:
        return self._loss

    def set_loss(self, loss_id: str) -> None:
        image_loss_info(loss_id)  # KeyError naming the choices
        if loss_id != self._loss:
            self._loss = loss_id
            self.adversarial_weight = None  # each loss starts from its own mix
            self._changed()
            self.status.emit(f"Real images: {image_loss_info(loss_id).image_title}", 3000)

    def set_speed(self, index: int) -> None:
        index = min(max(int(index), 0), len(SPEEDS) - 1)
        if index != self.speed_index:
            self.speed_index = index
            if self.active and self.process.started:
                self.process.send(protocol().Pace(self.target, self.steps_per_second()))

    def steps_per_second(self) -> float:
        return PACE * SPEEDS[self.speed_index]

    def set_adversarial_weight(self, weight: float) -> None:
        if weight != self.weight:
            self.adversarial_weight = float(weight)
            self._changed()

    @property
    def weight(self) -> float:
        """The adversarial weight in force (the loss's own unless changed)."""
        how = image_loss_info(self._loss).images
        return how.adversarial_weight if self.adversarial_weight is None else self.adversarial_weight

    @property
    def has_weight(self) -> bool:
        """Whether the loss mixes a reconstruction with an adversarial term (and the weight means something)."""
        how = image_loss_info(self._loss).images
        return bool(how.reconstruction and how.adversarial)

    def apply_view(self, view: dict) -> None:
        """What a tour step asks of the real images: a task, a loss, an input shown large, from step 0,
        running until the loss's pictures are ready (`digits_ready`: READY_STEPS); a step that names none
        pauses the network, so it does not take the fit's processor time."""
        if "digits_task" not in view:
            self.stop_at = None
            self.pause()
            return
        self.set_task(view["digits_task"])
        self.set_loss(view.get("digits_loss", self._loss))
        if view.get("digits_generator", GENERATORS[0]) != self.generator:
            self.toggle_generator()
        if "digits_input" in view:
            self.set_index(view["digits_input"])
        if view.get("digits_fresh", True):
            self.reset()
        self.stop_at = ready_steps(self._loss) if view.get("digits_ready") else None
        self.set_running(bool(view.get("digits_run", True)))

    # -- to the fit process ----------------------------------------------------------------------
    def _before_command(self) -> None:
        self.activate()

    def _changed(self) -> None:
        self.settingsChanged.emit()
        self._send_settings(force=True)

    @Slot()
    def _send_settings(self, force: bool = False) -> None:
        if not self.active or (self._sent and not force) or not self.process.started:
            return
        p = protocol()
        self.process.send(p.DigitsSettings(self.task, self._loss, self.seed, self.adversarial_weight, self.generator))
        if not self._sent and not math.isinf(self.steps_per_second()):  # a new process runs it flat out
            self.process.send(p.Pace(self.target, self.steps_per_second()))
        self._sent = True

    # -- what the fit process says ------------------------------------------------------------------
    def _accepts(self, snap) -> bool:
        return (snap.task, snap.loss_id) == (self.task, self._loss)  # else trained before the last change

    @Slot()
    def _show_pending(self) -> None:
        super()._show_pending()
        if self.stop_at is not None and self.latest is not None and self.latest.step >= self.stop_at:
            self.stop_at = None  # the tour's count reached: the pictures are ready, the processor is free
            self.pause()

    @Slot()
    def _on_process_ended(self) -> None:
        """The fit process died; the fit controller starts another, which will need the settings."""
        super()._on_process_ended()
        self._sent = False

    @Slot()
    def _on_process_launched(self) -> None:
        """A fit process has started (the first, or one after a death): the settings, and a run asked for
        before it was there, go to it now."""
        self._sent = False
        self._send_settings()
        if self.active and self.running:
            self.process.send(protocol().Run(self.target, True))
