"""What the 1-D and 2-D drawings of the distribution pane share: the fit's marker and trail, the modes, the
handles' life cycle, and the helpers that make items in the pane's look.

A drawing draws into a plot it is given (its `plot`: a PlainPlotItem), so one pane can hold one drawing, or
several plots one drawing each. It reads the AppState and writes to it only what the user drags.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont

from engine.model.estimate import Estimate
from engine.model.theory import Markers, markers
from gui.panes.handles import ComponentHandle
from gui.state import AppState
from gui.support import palette
from gui.support.plots import PlainPlotItem, cache_while_still

TRAIL_SECONDS = 0.8  # the fading trail shows where the mean was over about this long
TRAIL_PIECES = 4  # the trail is drawn as this many pieces, older ones fainter and thinner


class InertScatter(pg.ScatterPlotItem):
    """A scatter that clicks pass through. A click on a pyqtgraph scatter makes an object per point that
    holds the point's record of the data array, which holds the object: a cycle through a numpy array that
    the garbage collector cannot see, so each new set of points after a click would leak the old one."""

    def mouseClickEvent(self, ev) -> None:  # noqa: N802  (Qt's name)
        ev.ignore()


class Drawing:
    """The items of one scene in one plot. A subclass makes the data's items (`_build_data`), the lines
    made after the first paint (`_build_late_own`), places the handles and draws the estimate."""

    #: the mean, median and modes follow every drag move (cheap), or only its end
    GHOSTS_WHILE_DRAGGED = True

    def __init__(self, state: AppState, plot: PlainPlotItem, *, legend: pg.LegendItem | None = None,
                 scale: float = 1.0, on_select: Callable[[int], None] | None = None) -> None:
        self.state = state
        self.plot = plot
        self.legend = legend
        self.scale = scale  # talk mode draws every line thicker, to read from the back of a room
        self.on_select = on_select
        self.handles: list[ComponentHandle] = []
        self.labelled_lines: list[tuple[pg.InfiniteLine, float]] = []  # (line, its label's height)
        self.late_built = False
        self._build_data()
        self._build_overlay()

    # -- helpers in the pane's look ---------------------------------------------------------
    def add(self, *items) -> None:
        for item in items:
            self.plot.addItem(item)

    def pen(self, colour, width: float, **kwargs):
        return pg.mkPen(colour, width=width * self.scale, **kwargs)

    def label_font(self) -> QFont:
        font = QFont()
        font.setPointSizeF(9 * self.scale)
        return font

    def view_top(self) -> float:
        return self.plot.viewRange()[1][1]

    # -- building ------------------------------------------------------------------------------
    def _build_data(self) -> None:
        raise NotImplementedError

    def label_axes(self, names: tuple[str, ...]) -> None:
        """Name the plot's axes and set its aspect, from the data's axis names."""
        raise NotImplementedError

    def fit_view(self) -> None:
        """Frame the data (once per build)."""
        raise NotImplementedError

    def data_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The corners of the box the view frames: the mixture and the points, and in the decoder's units
        at least its usual -4 to 4."""
        lo, hi = self.state.mixture.bounds(3.5)
        points = self.state.points
        if points is not None and len(points):  # in the data's units: frame the points
            values = points.values
            pad = 0.08 * (values.max(axis=0) - values.min(axis=0))
            lo, hi = np.minimum(lo, values.min(axis=0) - pad), np.maximum(hi, values.max(axis=0) + pad)
            if points.span is None:  # painted in the decoder's units: keep its frame
                lo, hi = np.minimum(lo, -4.0), np.maximum(hi, 4.0)
        else:
            lo, hi = np.minimum(lo, -4.0), np.maximum(hi, 4.0)
        return lo, hi

    def _build_overlay(self) -> None:
        """What the first frame shows over the data: the fit's marker and the modes, both in the legend."""
        self.fit_dots = InertScatter(size=14 * self.scale, symbol="d", pen=pg.mkPen("#111", width=1),
                                     brush=pg.mkBrush(palette.ESTIMATE))
        self.fit_dots.setZValue(21)  # over the handles: where the fit lands on a component must show
        self.add(self.fit_dots)
        self.mode_dots = InertScatter(size=13 * self.scale, symbol="t", pen=pg.mkPen("#111"),
                                      brush=pg.mkBrush(palette.MODE))
        self.mode_dots.setZValue(8)
        self.add(self.mode_dots)
        cache_while_still(self.mode_dots)
        self.mode_labels: list[pg.TextItem] = []
        if self.legend is not None:
            self.legend.addItem(self.fit_dots, "fit")
            self.legend.addItem(self.mode_dots, "modes")

    def build_late(self) -> None:
        """The fit's samples and trail, the mean and median (once per build): nothing the first frame shows,
        since the fit has not run and the mean and median are placed after it."""
        if self.late_built:
            return
        self.late_built = True
        self.fit_samples = InertScatter(size=4, pen=None, brush=pg.mkBrush(palette.qcolor(palette.ESTIMATE, 150)))
        # A few plain lines instead of a scatter with a brush per point: a fraction of the cost per frame.
        self.trail_pieces = [
            pg.PlotCurveItem(pen=self.pen(palette.qcolor(palette.ESTIMATE, int(50 + 190 * (i + 1) / TRAIL_PIECES)),
                                          2 + 4 * (i + 1) / TRAIL_PIECES))
            for i in range(TRAIL_PIECES)
        ]
        for item in (*self._late_fit_items(), self.fit_samples, *self.trail_pieces):
            item.setZValue(10)
            self.add(item)
        self._build_late_own()

    def _late_fit_items(self) -> list:
        """The subclass's items of the fit, made with the trail and drawn at its height."""
        return []

    def _build_late_own(self) -> None:
        raise NotImplementedError

    def place_line_labels(self, legend_rows: int) -> None:
        """The mean's and median's labels stay below a wrapped legend."""
        for line, at in self.labelled_lines:
            line.label.setPosition(at - 0.09 * (legend_rows - 1))

    # -- the data ---------------------------------------------------------------------------------
    def refresh_data(self, finished: bool, ghosts: bool = True) -> None:
        """Redraw the data and the handles from the state (cheap; runs on every drag move)."""
        if len(self.handles) != 2 * len(self.state.mixture.components):
            self._make_handles()
        self._draw_data(finished)
        if ghosts and (finished or self.GHOSTS_WHILE_DRAGGED):
            self.refresh_ghosts()

    def _draw_data(self, finished: bool) -> None:
        raise NotImplementedError

    def refresh_ghosts(self) -> None:
        """Place the data's mean, median and modes."""
        if not self.late_built:
            return  # made and placed once the first paint is done
        if not len(self.state.samples):  # a cleared canvas: no mean, no median
            return
        positions = self._place_ghosts(markers(self.state.mixture, self.state.samples))
        while len(self.mode_labels) < len(positions):
            label = pg.TextItem("mode", color=palette.MODE, anchor=(0.5, 1.4))
            label.setFont(self.label_font())
            label.setZValue(8)
            self.add(label)
            cache_while_still(label)
            self.mode_labels.append(label)
        for i, label in enumerate(self.mode_labels):
            label.setVisible(i < len(positions))
            if i < len(positions):
                label.setPos(*positions[i])

    def _place_ghosts(self, marks: Markers) -> list[tuple[float, float]]:
        """Place the mean, median and mode markers; return where each mode's label goes."""
        raise NotImplementedError

    # -- the handles -----------------------------------------------------------------------------------
    def _make_handles(self) -> None:
        for h in self.handles:
            self.plot.removeItem(h)
        self._forget_component_items()
        self.handles = []
        for i, comp in enumerate(self.state.mixture.components):
            name = comp.label or f"component {i + 1}"
            self._add_component_items(i)
            for h in self._handle_pair(i, name):
                h.sigDragStarted.connect(self._on_handle_drag_started)
                h.sigPositionChanged.connect(self._on_handle_moved)
                h.sigPositionChangeFinished.connect(self._on_handle_finished)
                h.sigRemoveRequested.connect(self._on_handle_remove_requested)
                h.sigSelected.connect(self._on_handle_selected)
                cache_while_still(h)
                self.add(h)
                self.handles.append(h)

    def _forget_component_items(self) -> None:
        """Remove the items drawn per component besides its handles (none here)."""

    def _add_component_items(self, index: int) -> None:
        """Make the items drawn per component besides its handles (none here)."""

    def _handle_pair(self, index: int, name: str) -> tuple[ComponentHandle, ComponentHandle]:
        """The main handle and the side handle of one component."""
        raise NotImplementedError

    def _on_handle_drag_started(self, handle: ComponentHandle) -> None:
        self.state.begin_edit()

    def _on_handle_moved(self, handle: ComponentHandle) -> None:
        self._apply(handle, finished=False)

    def _on_handle_finished(self, handle: ComponentHandle) -> None:
        self._apply(handle, finished=True)

    def _apply(self, handle: ComponentHandle, finished: bool) -> None:
        if handle.index < len(self.state.mixture.components):
            self.apply_handle(handle.index, handle.role, handle.pos().x(), handle.pos().y(), finished)

    def apply_handle(self, index: int, role: str, x: float, y: float, finished: bool) -> None:
        """Write to the state what a handle dragged to (x, y) asks of its component."""
        raise NotImplementedError

    def _on_handle_remove_requested(self, handle: ComponentHandle) -> None:
        self.state.remove_component(handle.index)

    def _on_handle_selected(self, handle: ComponentHandle) -> None:
        if self.on_select is not None:
            self.on_select(handle.index)

    def new_component_at(self, x: float, y: float) -> list[float]:
        """Where a double click at (x, y) puts a new component."""
        raise NotImplementedError

    # -- the fit ------------------------------------------------------------------------------------------
    def show_estimate(self, est: Estimate, trail: np.ndarray) -> None:
        """Draw the fit's estimate and the recent part of its mean's trail."""
        self._draw_estimate(est)
        self._draw_trail(self._recent(trail) if est.single else np.empty((0, self.state.dim)))

    def _draw_estimate(self, est: Estimate) -> None:
        raise NotImplementedError

    def _recent(self, trail: np.ndarray) -> np.ndarray:
        """The part of the trail the mean covered in the last TRAIL_SECONDS, at today's pace."""
        rate = self.state.steps_per_second()
        n = len(trail) if math.isinf(rate) else int(np.clip(round(rate * TRAIL_SECONDS) + 1, 2, len(trail) or 2))
        return trail[-n:]

    def _trail_xy(self, trail: np.ndarray) -> np.ndarray:
        """The trail's points in the plot's x and y."""
        return trail[:, :2]

    def _draw_trail(self, trail: np.ndarray) -> None:
        """The recent path of the mean, oldest piece faintest."""
        trail = self._trail_xy(trail)
        bounds = np.linspace(0, len(trail), TRAIL_PIECES + 1).astype(int)
        for piece, a, b in zip(self.trail_pieces, bounds[:-1], bounds[1:]):
            chunk = trail[max(a - 1, 0) : b]  # overlap one point so the pieces join
            piece.setData(chunk[:, 0], chunk[:, 1])
