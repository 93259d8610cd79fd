"""The file dialogs the window asks with; each returns what the user chose, or None."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QVBoxLayout, QWidget)

from gui.support import preferences

if TYPE_CHECKING:
    from engine.io.table import Layout


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
