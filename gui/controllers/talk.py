"""Talk mode: full screen, large type and thick lines, the controls behind keys, and the mouse pointer
hidden when it rests. The panes follow `AppState.talk` themselves; this controller turns it on and
off and does what belongs to the window as a whole (its keys are in gui/actions.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from gui.state import AppState
from gui.support import palette

IDLE_MS = 2000  # a resting pointer disappears after this long; any movement brings it back


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

    def set_interval(self, milliseconds: int) -> None:
        """How long the pointer must rest before it hides."""
        self._timer.setInterval(milliseconds)

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


class TalkController(QObject):
    """Talk mode and full screen for `window`. `status(str, int)` a message for the status bar."""

    status = Signal(str, int)

    def __init__(self, state: AppState, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.window = window
        self.cursor_hider = IdleCursorHider(self)

    @Slot()
    def toggle(self) -> None:
        self.set_talk_mode(not self.state.talk)

    def set_talk_mode(self, on: bool, full_screen: bool = True) -> None:
        """Talk mode on or off; on, it also goes full screen unless told not to (a headless export)."""
        self.state.set_talk(on, palette.talk_scale(self.window.height()))  # the window's resize refines it
        self.cursor_hider.set_enabled(on)
        if on and full_screen and not self.window.isFullScreen():
            self.window.showFullScreen()
        elif not on and self.window.isFullScreen():
            self.window.showNormal()
        self.status.emit("Talk mode: T or Esc to leave." if on else "Talk mode off.", 6000)

    @Slot()
    def toggle_full_screen(self) -> None:
        if self.window.isFullScreen():
            self.window.showNormal()
        else:
            self.window.showFullScreen()

    @Slot()
    def leave(self) -> None:
        """Esc: out of talk mode, or out of full screen."""
        if self.state.talk:
            self.set_talk_mode(False)
        elif self.window.isFullScreen():
            self.window.showNormal()

    def close(self) -> None:
        self.cursor_hider.set_enabled(False)
