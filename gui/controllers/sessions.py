"""Session files from the window: open (a session or a plain scene), save, save as, and recent files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from engine.lazy import lazy_import
from engine.model.scene import SceneError
from gui.state import AppState
from gui.support import preferences

if TYPE_CHECKING:
    from engine.model.session import Session

sessions = lazy_import("engine.model.session")  # the files: when one is first opened or saved
# engine.model.session is imported where a session is made, read or written: not on the way to the
# window's first paint.


class SessionController(QObject):
    """Reads and writes session files. `view` is the distribution pane (its `viewRange` and `setRange`),
    `tour` the tour (its `index`), `fit` the fit (`set_running`); `warn(title, text)` shows a problem.

    `pathChanged(str)` when the session has a new file; `status(str, int)` a message.
    """

    pathChanged = Signal(str)
    status = Signal(str, int)

    def __init__(self, state: AppState, fit, tour, view, warn: Callable[[str, str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state, self.fit, self.tour, self.view, self.warn = state, fit, tour, view, warn
        self.path: str | None = None  # the file the session was opened from or saved to
        # Where a scene of more than two dimensions goes (the many-properties stage): True if it was opened.
        self.open_elsewhere: Callable[[Session], bool] | None = None

    def session(self) -> Session:
        """Everything a session file holds: the scene as edited, the fit's settings, the speed, the view."""
        (x0, x1), (y0, y1) = self.view.viewRange()
        view = {"x_range": [x0, x1], "y_range": [y0, y1], "talk": self.state.talk,
                "tour_step": self.tour.index if self.tour.index >= 0 else None}
        return sessions.session_from_scene(self.state.scene, self.state.settings, self.state.speed, view)

    def open_file(self, path: str) -> bool:
        """Open a session (or plain scene) file; a bad one is refused with a message naming the problem,
        and the current session stays as it was."""
        try:
            session = sessions.load_session(path)
        except SceneError as exc:
            self.warn("BlurLab: the file could not be opened", str(exc))
            return False
        if session.scene.dim > 2 and self.open_elsewhere is not None:
            if self.open_elsewhere(session):
                self._remember(path)
                return True
            return False
        self.fit.set_running(False)
        self.state.load_session(session)
        view = session.view
        if "x_range" in view and "y_range" in view:
            self.view.setRange(xRange=view["x_range"], yRange=view["y_range"], padding=0)
        self._remember(path)
        self.status.emit(f"Opened “{session.scene.name}” from {Path(path).name}.", 4000)
        return True

    def save_file(self, path: str) -> bool:
        try:
            sessions.save_session(self.session(), path)
        except OSError as exc:
            self.warn("BlurLab: the session could not be saved", f"{path}: {exc.strerror or exc}")
            return False
        self._remember(path)
        self.status.emit(f"Saved the session to {Path(path).name}.", 4000)
        return True

    def save(self, ask_path: Callable[[], str | None]) -> bool:
        """Save to the session's file, or ask for one first."""
        path = self.path or ask_path()
        return bool(path) and self.save_file(path)

    @staticmethod
    def recent_files() -> list[str]:
        return preferences.recent_files()

    def _remember(self, path: str) -> None:
        self.path = path
        preferences.add_recent_file(path)
        preferences.set_last_folder(path)
        self.pathChanged.emit(path)
