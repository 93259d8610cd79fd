"""Talk mode's helpers: the cursor that hides when the mouse rests, and the keys' cheat sheet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

IDLE_MS = 2000  # a resting pointer disappears after this long; any movement brings it back

KEY_HINTS = ("Space run/pause  ·  ←/→ tour  ·  1–8 loss  ·  R reset  ·  F full screen  ·  "
             "P screenshot  ·  T leave talk mode")


class IdleCursorHider(QObject):
    """While enabled, hides the mouse pointer over the app after IDLE_MS without movement."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self._hide)
        self.enabled = False
        self.hidden = False

    def set_enabled(self, enabled: bool) -> None:
        if enabled == self.enabled:
            return
        self.enabled = enabled
        app = QApplication.instance()
        if enabled:
            app.installEventFilter(self)
            self._timer.start()
        else:
            app.removeEventFilter(self)
            self._timer.stop()
            self._show()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self._show()
            self._timer.start()
        return False

    def _hide(self) -> None:
        if not self.hidden:
            self.hidden = True
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)

    def _show(self) -> None:
        if self.hidden:
            self.hidden = False
            QApplication.restoreOverrideCursor()
