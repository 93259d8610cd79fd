"""Throttle: run a redraw at most every so often, and always once more after the last request."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """`request()` runs `action` now if it last ran `interval` seconds ago or more; otherwise once,
    when the interval is up (a trailing call), so the newest state is always shown in the end."""

    def __init__(self, interval: float, action: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval
        self._action = action
        self._last = -float("inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)

    def request(self) -> None:
        wait = self.interval - (time.perf_counter() - self._last)
        if wait > 0:
            if not self._timer.isActive():
                self._timer.start(max(1, int(1000 * wait)))
            return
        self._run()

    def flush(self) -> None:
        """Run a pending trailing call now."""
        if self._timer.isActive():
            self._run()

    def cancel(self) -> None:
        """Drop a pending trailing call (the caller is about to show something newer itself)."""
        self._timer.stop()

    def _run(self) -> None:
        self._timer.stop()
        self._last = time.perf_counter()
        self._action()
