"""The file dialogs the window asks with (each returns what the user chose, or None), and `FileDialogs`, which
asks them for the window's menus and hands the answer to the controller it is for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QMenu, QMessageBox, QVBoxLayout, QWidget)

from engine.lazy import lazy_import
from gui.support import preferences

if TYPE_CHECKING:
    from engine.io.table import Layout

media = lazy_import("engine.io.media")  # whether MP4 can be written: when an animation is first exported


def _start(name: str) -> str:
    return str(Path(preferences.last_folder() or Path.home()) / name)


def open_path(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open a session or scene", preferences.last_folder(),
                                          "BlurLab sessions and scenes (*.json);;All files (*)")
    return path or None


def save_session_path(parent: QWidget, name: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save the session", _start(f"{name}.json"),
                                          "BlurLab sessions (*.json)")
    return path or None


def png_path(parent: QWidget, view: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Export a PNG", _start(f"blurlab-{view}.png"), "PNG pictures (*.png)")
    if not path:
        return None
    return path if path.lower().endswith(".png") else path + ".png"


def animation(parent: QWidget, mp4: bool) -> tuple[str, int] | None:
    """Where to write an animation (GIF, or MP4 when `mp4`) and of how many steps."""
    steps, ok = QInputDialog.getInt(parent, "Export an animation", "Optimiser steps, from step 0:", 300, 1, 100_000)
    if not ok:
        return None
    kinds = "GIF animations (*.gif)" + (";;MP4 videos (*.mp4)" if mp4 else "")
    path, chosen = QFileDialog.getSaveFileName(parent, "Export an animation", _start("blurlab-fit.gif"), kinds)
    if not path:
        return None
    if not path.lower().endswith((".gif", ".mp4")):
        path += ".mp4" if "mp4" in chosen else ".gif"
    return path, steps


DATA_FILTER = "Measurements (*.csv *.tsv *.txt *.dat *.npy);;All files (*)"


def import_path(parent: QWidget) -> str | None:
    """A data file to import (Qt's own dialog, the same on every desktop)."""
    dialog = QFileDialog(parent, "Import data: a CSV or TSV file (header optional) or a .npy file",
                         preferences.last_folder() or str(Path.home()), DATA_FILTER)
    dialog.setObjectName("importDialog")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    accepted = dialog.exec()
    files = dialog.selectedFiles()
    dialog.deleteLater()
    return files[0] if accepted and files else None


class ColumnDialog(QDialog):
    """Pick one or two of a file's columns: one gives a 1-D scene, two a 2-D one."""

    def __init__(self, layout: Layout, source: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnDialog")
        self.setWindowTitle("Import data: choose the columns")
        box = QVBoxLayout(self)
        text = QLabel(f"{source} has {len(layout.names)} columns. Tick one (a 1-D scene) or two (2-D): "
                      "the first is the horizontal axis.")
        text.setWordWrap(True)
        box.addWidget(text)
        self.list = QListWidget()
        for i, (name, numeric) in enumerate(zip(layout.names, layout.numeric)):
            item = QListWidgetItem(name if numeric else f"{name} (text)")
            flags = Qt.ItemFlag.ItemIsUserCheckable | (Qt.ItemFlag.ItemIsEnabled if numeric else Qt.ItemFlag.NoItemFlags)
            item.setFlags(flags | Qt.ItemFlag.ItemIsSelectable if numeric else flags)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        for i in [i for i, numeric in enumerate(layout.numeric) if numeric][:2]:
            self.list.item(i).setCheckState(Qt.CheckState.Checked)
        self._order = [i for i in range(self.list.count()) if self.list.item(i).checkState() == Qt.CheckState.Checked]
        box.addWidget(self.list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.list.setCurrentRow(self._order[0] if self._order else 0)
        self._update()

    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if item.checkState() == Qt.CheckState.Checked and row not in self._order:
            self._order.append(row)
            if len(self._order) > 2:  # a third tick replaces the oldest: the data space has two axes
                oldest = self._order.pop(0)
                blocked = self.list.blockSignals(True)
                self.list.item(oldest).setCheckState(Qt.CheckState.Unchecked)
                self.list.blockSignals(blocked)
        elif item.checkState() != Qt.CheckState.Checked and row in self._order:
            self._order.remove(row)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(1 <= len(self._order) <= 2)

    def chosen(self) -> list[int]:
        """The ticked columns' indices, in the order they were ticked."""
        return list(self._order)


def choose_columns(parent: QWidget, layout: Layout, source: str) -> list[int] | None:
    dialog = ColumnDialog(layout, source, parent)
    accepted = dialog.exec()
    dialog.deleteLater()
    return dialog.chosen() if accepted else None


class FileDialogs:
    """What the File menu asks and where the answer goes: the window's `sessions`, `imports` and `exports`
    controllers (looked up when asked, so it can be made before them); `warn` shows a problem."""

    def __init__(self, window) -> None:
        self.window = window

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self.window, title, text)

    def ask_columns(self, layout: Layout) -> list[int] | None:
        return choose_columns(self.window, layout, "The file")

    def open_session(self) -> None:
        path = open_path(self.window)
        if path:
            self.window.sessions.open_file(path)

    def save(self) -> None:
        self.window.sessions.save(lambda: save_session_path(self.window, self.window.state.scene.name))

    def save_as(self) -> None:
        path = save_session_path(self.window, self.window.state.scene.name)
        if path:
            self.window.sessions.save_file(path)

    def import_data(self) -> None:
        path = import_path(self.window)
        if path:
            self.window.imports.import_file(path)

    def export_png(self, view: str) -> None:
        path = png_path(self.window, view)
        if path:
            self.window.exports.export_png(view, path)

    def export_animation(self) -> None:
        chosen = animation(self.window, mp4=media.video_available())
        if chosen:
            self.window.exports.export_animation(*chosen)

    def fill_recent(self, menu: QMenu) -> None:
        """The recent files, as the Open recent menu opens."""
        menu.clear()
        files = preferences.recent_files()
        for path in files:
            a = menu.addAction(Path(path).name)
            a.setStatusTip(path)
            a.triggered.connect(lambda _=False, path=path: self.window.sessions.open_file(path))
        if not files:
            menu.addAction("No recent files").setEnabled(False)
