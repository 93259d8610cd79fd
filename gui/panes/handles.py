"""Draggable handles on the distribution pane, following pyqtgraph's drag protocol and signal pair."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMenu

from gui.support import palette


class ComponentHandle(pg.TargetItem):
    """A handle for one mixture component.

    Besides TargetItem's pair (`sigPositionChanged` while moving, `sigPositionChangeFinished` on
    release) it says when a drag starts (so the app can remember the state for Undo) and when the
    user asks, from its context menu, to remove the component.
    """

    sigDragStarted = Signal(object)
    sigRemoveRequested = Signal(object)
    sigSelected = Signal(object)

    def __init__(self, index: int, role: str, *, symbol: str, size: int, tooltip: str, colour: str = palette.DATA):
        super().__init__(
            pos=(0, 0),
            size=size,
            symbol=symbol,
            pen=pg.mkPen(palette.TEXT, width=1.5),
            brush=pg.mkBrush(colour),
            hoverPen=pg.mkPen(palette.YELLOW, width=2.5),
            hoverBrush=pg.mkBrush(colour),
            movable=True,
        )
        self.index = index
        self.role = role  # "peak" | "width" | "centre" | "shape"
        self.setToolTip(tooltip)
        self.setZValue(20)

    def mouseDragEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and ev.isStart():
            self.sigDragStarted.emit(self)
            self.sigSelected.emit(self)
        super().mouseDragEvent(ev)

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.sigSelected.emit(self)
            menu = QMenu()
            remove = menu.addAction("Remove this component")
            remove.setShortcut(Qt.Key.Key_Delete)
            if menu.exec(ev.screenPos().toPoint()) is remove:
                self.sigRemoveRequested.emit(self)
        elif ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.sigSelected.emit(self)
        else:
            super().mouseClickEvent(ev)

    def place(self, x: float, y: float) -> None:
        """Move the handle for the program, not the user: no signals, so nothing loops."""
        if (self.pos().x(), self.pos().y()) != (x, y):
            blocked = self.blockSignals(True)
            self.setPos(x, y)
            self.blockSignals(blocked)
