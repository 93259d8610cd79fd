"""The fit's life cycle, from the window: start it after the first paint, keep it in step with the
state, run, pause, step and reset it, restart it if its process dies, and hand the newest snapshot
to the panes once per turn of the event loop (stale ones are dropped)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from engine.model.estimate import Snapshot
from gui.state import AppState

# The fit's messages (engine.fit.protocol) are imported where they are sent, not here: the first is sent
# after the first paint, and the module's seventeen message classes take ~7 ms to make.


class FitController(QObject):
    """Drives a fit process (`FitProcess`, or a fake with the same signals and methods) from the state.

    `snapshotChanged(Snapshot)` at most once per event-loop turn, the newest; `runningChanged(bool)`;
    `status(str, int)` a message and how long to show it (0: until the next).
    """

    snapshotChanged = Signal(object)
    runningChanged = Signal(bool)
    status = Signal(str, int)

    def __init__(self, state: AppState, process, parent: QObject | None = None, *, pace: dict | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.process = process
        self.running = False
        self.latest: Snapshot | None = None  # the newest snapshot drawn
        self._pending: Snapshot | None = None
        self._closed = False
        self._pace = pace or {}  # tests: a snapshot every step
        self._painted_widget = None
        process.event.connect(self._on_process_event)
        process.problem.connect(self._on_process_problem)
        process.ended.connect(self._on_process_ended)
        state.dataChanged.connect(self._on_state_data_changed)
        state.settingsChanged.connect(self._on_state_settings_changed)
        state.speedChanged.connect(self._on_state_speed_changed)
        state.sceneReplaced.connect(self._on_state_scene_replaced)

    # -- starting and stopping ------------------------------------------------------------------
    def start_after_first_paint(self, widget) -> None:
        """Start the fit once `widget` has painted: nothing of the fit is on the way to the first frame."""
        self._painted_widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self._painted_widget and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._painted_widget = None
            QTimer.singleShot(0, self.start)
        return False

    @Slot()
    def start(self) -> None:
        if self.process.started or self._closed:
            return
        from engine.fit.protocol import VERSION, Pace, Run, Start

        s = self.state
        self.process.start(Start(VERSION, s.samples, s.mixture, s.settings, s.scene.decoder, span=s.scene.span,
                                 **self._pace))
        self.process.send(Pace(s.steps_per_second()))
        if self.running:
            self.process.send(Run(True))

    def close(self) -> None:
        """The window is closing: no start may outlive it, and the process ends now."""
        self._closed = True
        self.process.shutdown()

    # -- commands -------------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        from engine.fit.protocol import Run

        self.running = running
        self.process.send(Run(running))
        self.runningChanged.emit(running)

    @Slot()
    def toggle_running(self) -> None:
        self.set_running(not self.running)

    @Slot()
    def step_once(self) -> None:
        from engine.fit.protocol import Step

        if self.running:
            self.set_running(False)
        self.process.send(Step(1))

    @Slot()
    def reset(self) -> None:
        from engine.fit.protocol import Reset

        self.process.send(Reset())
        self.status.emit("Fit reset to step 0.", 3000)

    # -- the state changed ----------------------------------------------------------------------
    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        from engine.fit.protocol import Data

        if len(self.state.samples):  # a cleared canvas: the fit keeps the last points until new ones come
            self.process.send(Data(self.state.samples, self.state.mixture))

    @Slot()
    def _on_state_settings_changed(self) -> None:
        from engine.fit.protocol import Settings

        self.process.send(Settings(self.state.settings))

    @Slot()
    def _on_state_speed_changed(self) -> None:
        from engine.fit.protocol import Pace

        self.process.send(Pace(self.state.steps_per_second()))

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        from engine.fit.protocol import Data, Decoder, Reset, Settings

        s = self.state
        self.process.send(Decoder(s.scene.decoder, s.scene.span))
        self.process.send(Data(s.samples, s.mixture))
        self.process.send(Settings(s.settings))
        self.process.send(Reset())

    # -- what the fit says ----------------------------------------------------------------------
    @Slot(object)
    def _on_process_event(self, event) -> None:
        from engine.fit.protocol import Frame

        if isinstance(event, Frame):
            snap = event.snapshot
            if snap.diverged:
                if self.running:
                    self.set_running(False)
                self.status.emit(snap.message, 0)
            self.show(snap, later=True)

    @Slot(str)
    def _on_process_problem(self, message: str) -> None:
        if self.running:
            self.set_running(False)
        self.status.emit(message, 0)

    @Slot()
    def _on_process_ended(self) -> None:
        """The fit process died under us: start a fresh one on the current data, say so, go on."""
        if self.running:
            self.set_running(False)
        if self._closed:
            return
        self.start()
        self.status.emit("The fit process stopped unexpectedly and was restarted from step 0.", 8000)

    # -- to the panes ---------------------------------------------------------------------------
    def show(self, snap: Snapshot, later: bool = False) -> None:
        """Hand a snapshot to the panes: now, or (later) once this turn of the event loop is over, so
        snapshots queued behind a slow frame are dropped and only the newest is drawn."""
        if snap.estimate.dim != self.state.dim:
            return  # fitted to the scene before a new one was loaded
        waiting, self._pending = self._pending is not None, snap
        if not later:
            self._show_pending()
        elif not waiting:
            QTimer.singleShot(0, self._show_pending)

    @Slot()
    def _show_pending(self) -> None:
        snap, self._pending = self._pending, None
        if snap is not None:
            self.latest = snap
            self.snapshotChanged.emit(snap)
