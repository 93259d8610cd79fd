"""The window's menus and shortcuts, made from the action table (gui/actions.py): which actions show on the
stage on show, its runner's loss keys, and talk mode's key list of the same actions."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from engine.lazy import lazy_import
from gui.actions import Action, key_list, loss_actions, table
from gui.stages.base import Stage

tours = lazy_import("engine.model.tour")  # the chapters: when the Tour menu first opens


class Menus(QObject):
    """Makes a QAction per row of the table, in its menu, as a shortcut of `window` (so its keys work with the
    menu bar hidden, as in talk mode). `actions` maps ids to QActions. The window provides what the rows call
    (`runner`, `files`, `tour`, …) and `stage(id)` for the rows of a stage."""

    def __init__(self, window: QMainWindow, stages) -> None:
        super().__init__(window)
        self.window = window
        self.rows = table(stages)
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self._stage_group = QActionGroup(self)  # View ▸ Stage: one checked, the stage on show
        self._loss_rows: tuple[Action, ...] = ()
        self._shown: tuple[str, list[str]] | None = None  # the stage whose actions are on, and its key list
        for row in self.rows:
            self._add(row)
        for row in self.rows:
            if row.id.startswith("stage:"):
                self._stage_group.addAction(self.actions[row.id])
        self.menu("Tour").aboutToShow.connect(self._fill_tour_menu)  # its chapters, when it first opens

    def menu(self, path: str) -> QMenu:
        """The menu at `path` ("File", "File/Export"), made the first time it is asked for."""
        if path not in self.menus:
            parent, _, name = path.rpartition("/")
            self.menus[path] = (self.menu(parent) if parent else self.window.menuBar()).addMenu(
                name if parent else f"&{name}")
        return self.menus[path]

    def _add(self, row: Action) -> None:
        if row.submenu:
            sub = self.menu(f"{row.menu}/{row.text}")
            sub.aboutToShow.connect(lambda: row.calls(self.window, sub))
            return
        a = QAction(row.text, self.window)  # a window shortcut, Qt's default
        a.setShortcuts([QKeySequence(k) for k in row.keys])
        a.setStatusTip(row.tip)
        a.setCheckable(row.checkable)
        a.setEnabled(row.enabled)
        a.triggered.connect(lambda _=False: self._call(row))
        self.window.addAction(a)
        if row.menu is not None:
            if row.separator:
                self.menu(row.menu).addSeparator()
            self.menu(row.menu).addAction(a)
        self.actions[row.id] = a

    def _call(self, row: Action) -> None:
        row.calls(self.window.stage(row.stage) if row.stage else self.window)

    def show_stage(self, stage_id: str, stage: Stage) -> list[str]:
        """The actions of `stage` on (the others' off), the Loss menu and keys of its runner; returns talk
        mode's key list for it."""
        if self._shown is not None and self._shown[0] == stage_id:
            return self._shown[1]
        for row in self.rows:
            if row.stage is not None:
                self.actions[row.id].setVisible(row.stage == stage_id)
        self.actions[f"stage:{stage_id}"].setChecked(True)
        for row in self._loss_rows:
            action = self.actions.pop(row.id)
            self.window.removeAction(action)
            action.deleteLater()
        self.menu("Fit/Loss").clear()
        self._loss_rows = loss_actions(stage.runner.loss_ids, stage.describe_loss)
        for row in self._loss_rows:
            self._add(row)
        hints = key_list([row for row in self.rows if row.stage in (None, stage_id)] + list(self._loss_rows))
        self._shown = (stage_id, hints)
        return hints

    def _fill_tour_menu(self) -> None:
        """The chapters, a "Start:" entry each, at the top of the Tour menu, the first time it opens (they have
        no keys, and loading the tour's steps is not on the way to the first paint)."""
        tour_menu = self.menu("Tour")
        tour_menu.aboutToShow.disconnect(self._fill_tour_menu)
        first = tour_menu.actions()[0]
        for chapter in tours.TOURS:
            start = QAction(f"Start: {chapter.title}", self.window)
            start.setStatusTip("A narrated walk through the argument, a step per key press")
            start.triggered.connect(lambda _=False, chapter=chapter: self.window.tour.start(chapter))
            tour_menu.insertAction(first, start)
