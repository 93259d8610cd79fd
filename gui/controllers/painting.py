"""Painting your own points on the distribution pane: a brush adds points, an eraser removes them,
Clear removes them all; every stroke is one step of Undo. In 1-D a point is where the mouse is along
the axis; in 2-D, where it is on the plane.

Painting builds the same kind of scene as an import: the scene's points are what was painted (the
first stroke starts from what is on screen: the points, or the samples of the mixture), and the
mixture is fitted to them anew when a stroke ends.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot

from gui.state import AppState

BRUSH_SHARE = 0.025  # the brush's radius, as a share of the view's width (and height in 2-D)
DABS_PER_MOVE = 3  # points a brush adds for each mouse move (and on the press)
TOOLS = ("brush", "eraser")


class PaintController(QObject):
    """Turns strokes on a canvas into points of the state. The canvas is the distribution pane (or a
    fake with `viewport()`, `widget_to_data(pos)` and `viewRange()`); `press`, `move` and `release` take
    data coordinates, and the canvas's mouse events arrive through them while painting is on.

    `activeChanged(bool)`, `toolChanged(str)`, `status(str, int)`.
    """

    activeChanged = Signal(bool)
    toolChanged = Signal(str)
    status = Signal(str, int)

    def __init__(self, state: AppState, canvas, parent: QObject | None = None, seed: int = 0) -> None:
        super().__init__(parent)
        self.state = state
        self.canvas = canvas
        self.active = False
        self.tool = "brush"
        self._rng = np.random.default_rng(seed)
        self._values: np.ndarray | None = None  # the points of the stroke under way
        self._painted = False

    # -- modes -----------------------------------------------------------------------------------
    @Slot(bool)
    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        viewport = self.canvas.viewport()
        if on:
            viewport.installEventFilter(self)
            viewport.setCursor(Qt.CursorShape.CrossCursor)
            self.status.emit(f"{self.tool.capitalize()}: click and drag on the plot. The handles rest while you paint; "
                             "Ctrl+Z undoes a stroke.", 0)
        else:
            viewport.removeEventFilter(self)
            viewport.unsetCursor()
            self._values = None
            self.status.emit("Painting off: the handles move again.", 3000)
        self.activeChanged.emit(on)

    @Slot()
    def toggle(self) -> None:
        self.set_active(not self.active)

    @Slot(str)
    def set_tool(self, tool: str) -> None:
        """The brush or the eraser; choosing one turns painting on."""
        if tool not in TOOLS:
            raise ValueError(f"tool: choose one of {', '.join(TOOLS)}, not {tool!r}")
        if tool != self.tool:
            self.tool = tool
            self.toolChanged.emit(tool)
        self.set_active(True)
        self.status.emit(f"{tool.capitalize()}: click and drag on the plot.", 0)

    def key(self, tool: str) -> None:
        """A tool's key (B, E): take that tool, or put it down if it is in hand."""
        if self.active and self.tool == tool:
            self.set_active(False)
        else:
            self.set_tool(tool)

    @Slot()
    def clear(self) -> None:
        """Remove every point (one step of Undo brings them back)."""
        self.state.begin_edit()
        self.state.set_points(np.zeros((0, self.state.dim)), finished=True)
        self.status.emit("Cleared: paint points with the brush. Ctrl+Z brings them back.", 5000)

    # -- strokes, in data coordinates ---------------------------------------------------------------
    def press(self, x: float, y: float) -> None:
        self.state.begin_edit()
        points = self.state.points
        self._values = (points.values if points is not None and points.active else self.state.samples).copy()
        self._dab(x, y)

    def move(self, x: float, y: float) -> None:
        if self._values is not None:
            self._dab(x, y)

    def release(self, x: float, y: float) -> None:
        if self._values is None:
            return
        values, self._values = self._values, None
        self.state.set_points(values, finished=True)  # the mixture is fitted anew to what was painted

    def _radius(self) -> np.ndarray:
        (x0, x1), (y0, y1) = self.canvas.viewRange()
        return np.array([x1 - x0, y1 - y0][: self.state.dim]) * BRUSH_SHARE

    def _dab(self, x: float, y: float) -> None:
        at = np.array([x, y][: self.state.dim])
        r = self._radius()
        if self.tool == "brush":
            new = at + self._rng.normal(size=(DABS_PER_MOVE, len(at))) * r / 2
            self._values = np.concatenate([self._values, new])
        else:
            far = (((self._values - at) / r) ** 2).sum(axis=1) > 1.0
            if far.all():
                return
            self._values = self._values[far]
        self.state.set_points(self._values, finished=False)

    # -- the canvas's mouse -------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease,
                        QEvent.Type.MouseButtonDblClick):
            return False
        if kind == QEvent.Type.MouseMove and not event.buttons() & Qt.MouseButton.LeftButton:
            return False  # hovering: tooltips and the like go on
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton):
            return False
        x, y = self.canvas.widget_to_data(event.position())
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.press(x, y)
        elif kind == QEvent.Type.MouseMove:
            self.move(x, y)
        else:
            self.release(x, y)
        return True  # the handles and the double-click that adds a component rest while painting
