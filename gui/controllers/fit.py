"""The data-space fit, from the window: start it after the first paint, keep it in step with the state,
restart it if its process dies; run, pause, step and reset as every runner does (gui.controllers.runner)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from engine.model.estimate import Snapshot
from engine.model.losses import LOSS_IDS, loss_info
from gui.controllers.runner import Runner, protocol
from gui.state import AppState
from gui.support.first_paint import after_first_paint


class FitController(Runner):
    """Drives the data-space fit of a fit process from the state; it starts and owns the process.

    `snapshotChanged(Snapshot)`, `runningChanged(bool)` and `status(str, int)` as every runner."""

    target = "fit"
    loss_ids = LOSS_IDS
    reset_message = "Fit reset to step 0."

    def __init__(self, state: AppState, process, parent: QObject | None = None) -> None:
        super().__init__(process, parent)
        self.state = state
        self._closed = False
        process.problem.connect(self._on_process_problem)
        state.dataChanged.connect(self._on_state_data_changed)
        state.settingsChanged.connect(self._on_state_settings_changed)
        state.speedChanged.connect(self._on_state_speed_changed)
        state.sceneReplaced.connect(self._on_state_scene_replaced)

    # -- starting and stopping ------------------------------------------------------------------
    def start_after_first_paint(self, widget) -> None:
        """Start the fit once `widget` has painted, or after first_paint's backstop if it is not shown (another
        stage came first): nothing of the fit is on the way to the first frame."""
        after_first_paint(widget, self.start)

    @Slot()
    def start(self) -> None:
        if self.process.started or self._closed:
            return
        p, s = protocol(), self.state
        self.process.start(p.Start(p.VERSION, s.samples, s.mixture, s.settings, s.scene.decoder, span=s.scene.span))
        self.process.send(p.Pace(self.target, s.steps_per_second()))
        if self.running:
            self.process.send(p.Run(self.target, True))

    def close(self) -> None:
        """The window is closing: no start may outlive it, and the process ends now."""
        self._closed = True
        self.process.shutdown()

    # -- the runner's choices ------------------------------------------------------------------------
    @property
    def loss(self) -> str:
        return self.state.settings.loss

    def set_loss(self, loss_id: str) -> None:
        self.state.set_loss(loss_id)
        self.status.emit(f"Loss: {loss_info(loss_id).title}", 3000)

    def set_speed(self, index: int) -> None:
        self.state.set_speed_index(index)

    # -- the state changed ----------------------------------------------------------------------
    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        if len(self.state.samples):  # a cleared canvas: the fit keeps the last points until new ones come
            self.process.send(protocol().Data(self.state.samples, self.state.mixture))

    @Slot()
    def _on_state_settings_changed(self) -> None:
        self.process.send(protocol().Settings(self.state.settings))

    @Slot()
    def _on_state_speed_changed(self) -> None:
        self.process.send(protocol().Pace(self.target, self.state.steps_per_second()))

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        p, s = protocol(), self.state
        for command in (p.Decoder(s.scene.decoder, s.scene.span), p.Data(s.samples, s.mixture),
                        p.Settings(s.settings), p.Reset(self.target)):
            self.process.send(command)

    # -- what the fit says ----------------------------------------------------------------------
    def _accepts(self, snap: Snapshot) -> bool:
        if snap.diverged:
            self.pause()
            self.status.emit(snap.message, 0)
        return True

    @Slot(str)
    def _on_process_problem(self, message: str) -> None:
        self.pause()
        self.status.emit(message, 0)

    @Slot()
    def _on_process_ended(self) -> None:
        """The fit process died under us: start a fresh one on the current data, say so, go on."""
        super()._on_process_ended()
        if self._closed:
            return
        self.start()
        self.status.emit("The fit process stopped unexpectedly and was restarted from step 0.", 8000)

    def show(self, snap: Snapshot, later: bool = False) -> None:
        if snap.estimate.dim == self.state.dim:  # else fitted to the scene before a new one was loaded
            super().show(snap, later)
