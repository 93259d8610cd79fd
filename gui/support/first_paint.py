"""Work that is not on the way to the window's first frame (decoding pictures, the mean and median
lines) runs once the widget has painted: all of a window's widgets paint in one pass, so the window
shows first and fills in a moment later. A widget that is never shown still gets it, after a backstop."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

BACKSTOP_MS = 500


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback = callback
        self.done = False
        # A scroll area (a plot, the image pane) paints its viewport, not itself.
        self.watched = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
        self.watched.installEventFilter(self)
        QTimer.singleShot(BACKSTOP_MS, self, self._run)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802  (Qt's name)
        if event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self, self._run)
        return False

    def run_now(self) -> None:
        """Do it now if it is still waiting (an export draws frames before the window ever shows)."""
        self._run()

    def _run(self) -> None:
        if self.done:
            return
        self.done = True
        self.watched.removeEventFilter(self)
        self.callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> _AfterPaint:
    """Call `callback` once, just after `widget` first paints (or after BACKSTOP_MS if it never does);
    the handle's run_now() does it at once if it is still waiting."""
    return _AfterPaint(widget, callback)
