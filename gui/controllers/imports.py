"""Importing your own data from the window: File ▸ Import data… and a file dropped on the window.

A file with one column is read at once; with more, the user picks one or two of them (`ask_columns`).
A bad file is refused with its one-line message (naming the line and column) and nothing changes;
a dropped .json file is opened as a session or scene, and a scene or session file given to Import
data is recognised as one and, if the user agrees, opened so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from engine.lazy import lazy_import
from engine.model.scene import SceneError
from gui.state import AppState
from gui.support import preferences

if TYPE_CHECKING:
    from engine.io.table import Layout

table = lazy_import("engine.io.table")  # the readers: when a file is first imported
data_scene = lazy_import("engine.model.data_scene")
# The table reader is imported when a file is imported: not on the way to the window's first paint.

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".npy")


class ImportController(QObject):
    """`ask_columns(layout) -> list[int] | None` picks the columns (None: cancelled); `warn(title, text)`
    shows a problem; `open_session(path)` opens a .json; `confirm(title, text) -> bool` asks a yes-or-no
    question (by default a message box over the parent window). As an event filter on the window it takes
    dropped files. `status(str, int)` a message."""

    status = Signal(str, int)

    def __init__(self, state: AppState, fit, ask_columns: Callable[[Layout], list[int] | None],
                 warn: Callable[[str, str], None], open_session: Callable[[str], bool],
                 parent: QObject | None = None, confirm: Callable[[str, str], bool] | None = None) -> None:
        super().__init__(parent)
        self.state, self.fit, self.ask_columns, self.warn, self.open_session = state, fit, ask_columns, warn, open_session
        self.confirm = confirm or self._ask_yes_no

    def _ask_yes_no(self, title: str, text: str) -> bool:
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(parent, title, text, buttons) == QMessageBox.StandardButton.Yes

    def import_file(self, path: str, columns: list[str | int] | None = None) -> bool:
        """Read the file's points into a new scene (Undo goes back); False if refused or cancelled. A scene
        or session file is offered to be opened as one instead (True if it was)."""

        recognised = table.recognise_file(path)
        if recognised is not None and recognised.opens_as_scene:
            name = Path(path).name
            if self.confirm("BlurLab: this is a scene, not data",
                            f"{name} is {recognised.what}, not a table of numbers. Open it as a scene?"):
                return self.open_session(path)
            return False
        try:
            if columns is None:
                layout = table.read_layout(path)
                if len(layout.names) > 1:
                    chosen = self.ask_columns(layout)
                    if chosen is None:
                        return False
                    columns = [i + 1 for i in chosen]
            scene = data_scene.load_data(path, columns, loss=self.state.settings.loss, seed=self.state.scene.seed)
        except SceneError as exc:
            self.warn("BlurLab: the data could not be imported", str(exc))
            return False
        self.fit.set_running(False)
        self.state.load_scene(scene)
        preferences.set_last_folder(path)
        points = scene.points
        axes = ", ".join(a for a in points.axes if a)
        self.status.emit(f"Imported {len(points):,} points from {Path(path).name}" + (f" ({axes})" if axes else "")
                         + f"; a mixture of {len(scene.mixture.components)} fitted to them. Ctrl+Z goes back.", 8000)
        return True

    # -- dropped files ----------------------------------------------------------------------------------
    @staticmethod
    def _local_file(event) -> str | None:
        mime = event.mimeData()
        urls = mime.urls() if mime is not None and mime.hasUrls() else []
        files = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return files[0] if len(files) == 1 else None

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            path = self._local_file(event)
            if path and Path(path).suffix.lower() in (*DATA_SUFFIXES, ".json"):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            path = self._local_file(event)
            if not path:
                return False
            event.acceptProposedAction()
            if Path(path).suffix.lower() == ".json":
                self.open_session(path)
            else:
                self.import_file(path)
            return True
        return False
