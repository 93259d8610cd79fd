"""The fit process, seen from the window: start it, send it commands, hear its events.

The fit runs in a child process (engine/fit/service.py says why). Commands go down one pipe, sent
from the GUI thread: the one send path, `send`. Events come up another, read by one QThread that
blocks in `recv` and hands each event to the GUI thread as a queued signal: the one receive path.
The thread is there so that the GUI thread never waits on the pipe, and is woken the moment a frame
arrives, with no polling (Qt cannot watch a pipe handle on every platform). The child already
coalesces: it sends at most ~60 frames a second and applies only the newest data and settings.
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from engine.lazy import lazy_import

if TYPE_CHECKING:
    from engine.fit.protocol import Command, Start

# The protocol and the child's entry point load when a process first starts: not on the way to the first paint.
protocol = lazy_import("engine.fit.protocol")
child = lazy_import("engine.fit.child")

PROCESS_EXIT_S = 3.0  # after this the fit process is terminated rather than waited for


class _EventReader(QThread):
    """Blocks on the event pipe and hands every event over; ends when the pipe closes."""

    received = Signal(object)

    def __init__(self, connection) -> None:
        super().__init__()
        self.setObjectName("fit-events")
        self._connection = connection

    def run(self) -> None:
        while True:
            try:
                event = self._connection.recv()
            except (EOFError, OSError):
                return  # the process has gone (asked to, or not)
            except Exception as exc:  # an event this side cannot unpickle
                event = protocol.ProtocolError(f"an event could not be read ({type(exc).__name__}: {exc})")
            self.received.emit(event)


class FitProcess(QObject):
    """One fit process at a time; `start` after `shutdown` (or a death) starts a new one.

    `event(Frame | Problem)` carries what a target says (each runner hears its own); `problem(str)` a
    message about the process itself for the user (a refused command, an event that is not well formed,
    a version that does not match); `ended()` that the process died without being asked to; `launched()`
    that a process has started (the first, or one after a death) and takes commands.
    """

    event = Signal(object)
    problem = Signal(str)
    ended = Signal()
    launched = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process = None
        self._commands = None
        self._events = None
        self._reader: _EventReader | None = None
        self._stopping = False

    @property
    def started(self) -> bool:
        return self._process is not None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    @property
    def reading(self) -> bool:
        """Whether the thread that hears the process still runs."""
        return self._reader is not None and self._reader.isRunning()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self, start: Start) -> None:
        """Launch the fit process with its first data and settings."""
        context = multiprocessing.get_context("spawn")  # a fork would copy the GUI's threads and Qt state
        command_out, command_in = context.Pipe(duplex=False)
        event_out, event_in = context.Pipe(duplex=False)
        self._stopping = False
        self._process = context.Process(target=child.serve, args=(command_out, event_in, start), name="blurlab-fit",
                                        daemon=True)
        try:
            self._process.start()
        except Exception as exc:  # report, never leave a thread hanging
            self._process = None
            self.problem.emit(f"The fit could not start: {exc}")
        command_out.close()
        event_in.close()  # the child holds the only writing end: its exit ends the reader
        self._commands, self._events = command_in, event_out
        self._reader = _EventReader(event_out)
        self._reader.received.connect(self._on_reader_received)
        self._reader.finished.connect(self._on_reader_finished)
        self._reader.start()
        if self._process is not None:
            self.launched.emit()

    def send(self, command: Command) -> None:
        """The one way a command reaches the fit process; dropped if there is none."""
        if self._commands is None or self._process is None:
            return
        try:
            self._commands.send(command)
        except (BrokenPipeError, OSError):
            pass  # the process has died: the reader sees the pipe close and says so

    @Slot(object)
    def _on_reader_received(self, message) -> None:
        if isinstance(message, protocol.ProtocolError):
            self.problem.emit(f"The window could not read the fit process: {message}")
            return
        try:
            event = protocol.check_event(message)
        except protocol.ProtocolError as exc:
            self.problem.emit(f"The window could not read the fit process: {exc}")
            return
        if isinstance(event, protocol.Hello):
            mismatch = protocol.version_problem(event)
            if mismatch:
                self.problem.emit(mismatch)
        elif isinstance(event, protocol.Problem) and event.target is None:
            self.problem.emit(event.message)
        else:
            self.event.emit(event)

    @Slot()
    def _on_reader_finished(self) -> None:
        if not self._stopping and self._process is not None:
            self._release()
            self.ended.emit()

    def shutdown(self) -> None:
        """Stop the process and the reader and wait for both; safe to call twice."""
        if self._reader is None:
            return
        self._stopping = True
        self.send(protocol.Stop())
        if self._process is not None:
            self._process.join(PROCESS_EXIT_S)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(PROCESS_EXIT_S)
        self._reader.wait()  # the process has gone: its pipe ends, and so does the reader
        self._release()

    def _release(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.wait()
            reader.received.disconnect(self._on_reader_received)
            reader.finished.disconnect(self._on_reader_finished)
        for pipe in (self._commands, self._events):
            if pipe is not None:
                pipe.close()
        self._process = self._commands = self._events = None
