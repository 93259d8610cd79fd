"""Work the window must not wait for, on a thread beside it: the image pane decodes and measures its
pictures there, and the GUI thread only shows them.

Each owner has one `Background`. Jobs have a kind ("data", "fit"); a new job replaces the one of its kind
still waiting, so a drag or a running fit never builds a queue, and jobs run one at a time, in the order
their kinds were first asked for. Results come back on the GUI thread, in order, each unless a newer one
of its kind was shown already. `drain()` waits for the thread and shows what it finished, now: an export
draws frame by frame.

numpy lets go of the interpreter lock inside its loops, so the window keeps drawing while a job runs.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot


class _Relay(QObject):
    """Carries "a job is done" to the GUI thread. One for the whole app, made on first use and never
    deleted: a worker may emit at any moment, even as the window that asked closes."""

    ready = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, background: Background) -> None:
        background.deliver()


_relay: _Relay | None = None


SWITCH_INTERVAL = 0.001  # seconds a thread may keep the interpreter lock while another waits (Python's own: 0.005)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        # While a job runs Python between its numpy calls, the window's thread (or the thread that hears
        # the fit) waits for the lock: at most a millisecond, not five, so a frame is not held up.
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
    return _relay


@dataclass
class _Job:
    """One piece of work for the pictures thread, and what the window's thread does with its result."""

    kind: str
    number: int
    work: Callable[[], Any]
    then: Callable[[Any], None]


class Background:
    def __init__(self, owner: QObject, name: str = "background") -> None:
        self._owner = owner  # results are shown only while it lives
        self._name = name
        self._relay = _the_relay()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._waiting: dict[str, _Job] = {}
        self._done: list[tuple[_Job, Any]] = []
        self._running = False
        self._count = 0
        self._shown: dict[str, int] = {}  # the newest job of each kind whose result was shown

    def submit(self, kind: str, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run `work()` on the thread, then `then(result)` on the GUI thread."""
        with self._lock:
            self._count += 1
            self._waiting[kind] = _Job(kind, self._count, work, then)
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name=self._name, daemon=True).start()

    def cancel(self, kind: str) -> None:
        """Drop the job of `kind` that waits, if any (one that runs finishes, and is shown)."""
        with self._lock:
            self._waiting.pop(kind, None)

    def busy(self) -> bool:
        with self._lock:
            return self._running

    def drain(self) -> None:
        """Wait until nothing runs or waits, and show every result now."""
        with self._idle:
            while self._running:
                self._idle.wait()
        self.deliver()

    def deliver(self) -> None:
        """Show the finished results (on the GUI thread)."""
        with self._lock:
            done, self._done = self._done, []
        if not shiboken6.isValid(self._owner):
            return
        for job, result in done:
            if job.number > self._shown.get(job.kind, 0):
                self._shown[job.kind] = job.number
                job.then(result)

    def _run(self) -> None:
        # A thread for each burst of work, ending when there is none: an idle window holds no thread.
        while True:
            with self._lock:
                if not self._waiting:
                    self._running = False
                    self._idle.notify_all()
                    return
                kind = next(iter(self._waiting))
                job = self._waiting.pop(kind)
            try:
                result = job.work()
            except Exception:  # the pane keeps its last pictures; the next job may well succeed
                traceback.print_exc()
                continue
            with self._lock:
                self._done.append((job, result))
            try:
                self._relay.ready.emit(self)
            except RuntimeError:  # the app is ending and Qt's objects are gone: nobody waits for the result
                with self._lock:
                    self._running = False
                    self._idle.notify_all()
                return
