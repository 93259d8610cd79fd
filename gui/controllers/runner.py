"""What Space, S, R, the loss keys and the speed drive: a runner, one per target of the fit process (the
data-space fit, the network on real digits). The half they share lives here: run, pause, step and reset
sent as the protocol's commands for the runner's target, its frames handed on once per turn of the event
loop (stale ones dropped), a problem of its own pausing it, and a pause when the process dies.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot


def protocol():
    """The protocol's module (engine.fit.protocol), loaded with the first message sent or heard: the fit
    process starts after the first paint, so nothing of the protocol is on the way to it."""
    from engine.fit import protocol as module

    return module


class Runner(QObject):
    """One target of a fit process (`FitProcess`, or a fake with its signals and methods), from the window.

    A subclass names its `target` and the `loss_ids` it offers, and implements `loss`, `set_loss` and
    `set_speed`; it may drop a stale frame in `_accepts` and prepare the process in `_before_command`.

    `runningChanged(bool)`; `snapshotChanged(snapshot)` at most once per event-loop turn, the newest;
    `status(str, int)` a message and how long to show it (0: until the next).
    """

    runningChanged = Signal(bool)
    snapshotChanged = Signal(object)
    status = Signal(str, int)

    target: ClassVar[str]  # engine.fit.protocol.Target
    loss_ids: ClassVar[tuple[str, ...]]  # the losses it offers, in the order of the keys 1, 2, ...
    reset_message: ClassVar[str]

    def __init__(self, process, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = process
        self.running = False
        self.latest = None  # the newest snapshot handed on
        self._pending = None
        process.event.connect(self._on_process_event)
        process.ended.connect(self._on_process_ended)

    # -- what the user asks for ------------------------------------------------------------------------
    @property
    def loss(self) -> str:
        """The loss it trains now."""
        raise NotImplementedError

    def set_loss(self, loss_id: str) -> None:
        raise NotImplementedError

    def set_speed(self, index: int) -> None:
        """The speed by its place in gui.state.SPEEDS (multiples of a pace; the last: as fast as it goes)."""
        raise NotImplementedError

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        self._before_command()
        self.running = running
        self.process.send(protocol().Run(self.target, running))
        self.runningChanged.emit(running)

    @Slot()
    def toggle_running(self) -> None:
        self.set_running(not self.running)

    @Slot()
    def step_once(self) -> None:
        """One step; a running target is paused first."""
        self.pause()
        self._before_command()
        self.process.send(protocol().Step(self.target))

    @Slot()
    def reset(self) -> None:
        self._before_command()
        self.process.send(protocol().Reset(self.target))
        self.status.emit(self.reset_message, 3000)

    def pause(self) -> None:
        if self.running:
            self.set_running(False)

    # -- for a subclass --------------------------------------------------------------------------------
    def _before_command(self) -> None:
        """Whatever the process must have before this target's commands."""

    def _accepts(self, snapshot) -> bool:
        """Whether a frame's snapshot is worth showing (not trained before the last change)."""
        return True

    # -- what the process says -------------------------------------------------------------------------
    @Slot(object)
    def _on_process_event(self, event) -> None:
        if getattr(event, "target", None) != self.target:
            return
        p = protocol()
        if isinstance(event, p.Problem):
            self.pause()
            self.status.emit(event.message, 0)
        elif isinstance(event, p.Frame) and self._accepts(event.snapshot):
            self.show(event.snapshot, later=True)

    @Slot()
    def _on_process_ended(self) -> None:
        """The process died: paused, without a word to it (a new one starts paused)."""
        if self.running:
            self.running = False
            self.runningChanged.emit(False)

    def show(self, snapshot, later: bool = False) -> None:
        """Hand a snapshot on: now, or (later) once this turn of the event loop is over, so snapshots
        queued behind a slow frame are dropped and only the newest is drawn."""
        waiting, self._pending = self._pending is not None, snapshot
        if not later:
            self._show_pending()
        elif not waiting:
            QTimer.singleShot(0, self._show_pending)

    @Slot()
    def _show_pending(self) -> None:
        snapshot, self._pending = self._pending, None
        if snapshot is not None:
            self.latest = snapshot
            self.snapshotChanged.emit(snapshot)
