"""The loss landscape, drawn: the expected loss over the samples at every prediction, with its minimum,
the fit's point on it and the path the fit took down it.

In 1-D it is a small plot under the distribution pane, on the same x axis (linked to it); min-of-K's
landscape is a map over its two guesses there. In 2-D it is a heat map with level lines drawn beneath
the samples of the distribution pane itself, where the bowl's bottom shows among the data. A loss
without a landscape says why in the caption. The pane follows AppState itself (data, scene, loss, the
why's toggles, talk mode) and each snapshot it is shown; it writes nothing back.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.model import landscape as landscapes
from engine.model.estimate import Snapshot
from engine.model.landscape import Landscape
from engine.model.losses import loss_info
from gui.panes.distribution import DistributionPane
from gui.state import AppState
from gui.support import palette
from gui.support.plots import PlainPlotItem
from gui.support.throttle import Throttle

DRAG_INTERVAL = {1: 1 / 30, 2: 1 / 15}  # seconds between recomputations while a component is dragged
PATH_POINTS = 3000  # the longest path kept (older points are thinned)
LOW, HIGH = "#3b5f8f", palette.BACKGROUND  # the heat map: the bowl's bottom glows, high ground fades away
PLOT_SHARE = 0.22  # of the centre column's height that the 1-D plot takes: the distribution stays the largest
PLOT_LEAST = 70


def _lut() -> np.ndarray:
    low, high = np.array(pg.mkColor(LOW).getRgb()), np.array(pg.mkColor(HIGH).getRgb())
    t = np.linspace(0.0, 1.0, 256)[:, None]
    return (low * (1 - t) + high * t).astype(np.uint8)


class HeatMap:
    """A landscape over two numbers: a heat map with level lines and its minimum (or minima)."""

    def __init__(self, z: float) -> None:
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(_lut())
        self.lines = pg.PlotCurveItem(connect="finite")
        self.minima = pg.ScatterPlotItem(symbol="star", pen=pg.mkPen("#111"), brush=pg.mkBrush(palette.TEXT))
        self.label = pg.TextItem("", color=palette.TEXT, anchor=(-0.15, -0.2))  # beside the star, clear of the ghosts
        self.image.setZValue(z)
        self.lines.setZValue(z + 0.5)
        self.minima.setZValue(z + 1)
        self.label.setZValue(z + 1)
        self.items = (self.image, self.lines, self.minima, self.label)

    def show(self, found: Landscape, minima: np.ndarray, line_scale: float) -> None:
        excess = (found.loss - found.lowest) / max(float(found.loss.max()) - found.lowest, 1e-12)
        self.image.setImage(np.ascontiguousarray(np.sqrt(np.clip(excess, 0, 1)) * 255, dtype=np.uint8),
                            levels=(0, 255), autoLevels=False)
        (x0, y0), (x1, y1) = found.grid.lo, found.grid.hi
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        pieces = [np.vstack([line, [[np.nan, np.nan]]]) for line in found.contours(found.levels())]
        lines = np.vstack(pieces) if pieces else np.empty((0, 2))
        self.lines.setData(lines[:, 0], lines[:, 1],
                           pen=pg.mkPen(palette.qcolor(palette.MUTED, 150), width=1 * line_scale))
        self.minima.setData(minima[:, 0], minima[:, 1], size=16 * line_scale)
        if self.label.textItem.font().pointSizeF() != 8 * line_scale:  # a new font costs a layout
            font = QFont()
            font.setPointSizeF(8 * line_scale)
            self.label.setFont(font)
        self.label.setText(f"lowest {found.lowest:.4g}")
        self.label.setPos(*minima[0])
        for item in self.items:
            item.setVisible(True)

    def hide(self) -> None:
        for item in self.items:
            item.setVisible(False)


class LandscapePane(QWidget):
    """The caption and (1-D) the small plot; in 2-D it draws its map on the distribution pane."""

    def __init__(self, state: AppState, pane: DistributionPane, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.pane = pane
        self.line_scale = state.line_scale  # it may be made in talk mode
        self.on = state.why.landscape
        self._found: Landscape | None = None
        self._form = None
        self._snapshot: Snapshot | None = None
        self._path: list[np.ndarray] = []
        self._last_step = -1
        self._drawn_kind: tuple | None = None  # (map dimension, scene dimension) the axes are labelled for
        self._dragging = False  # a component is being dragged: the 2-D map is coarser until it is let go
        self._throttle = Throttle(DRAG_INTERVAL[1], self._recompute_later, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.caption = QLabel()
        self.caption.setObjectName("explanation")
        self.caption.setWordWrap(True)
        self.caption.setContentsMargins(10, 2, 10, 2)
        self.plot = pg.PlotWidget(background=palette.BACKGROUND, plotItem=PlainPlotItem())
        self.plot.setFixedHeight(PLOT_LEAST)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.plotItem.vb.enableAutoRange(x=False, y=False)  # x follows the distribution pane; y is set here
        self.plot.setXLink(pane.plotItem.vb)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)

        # the curve (1-D), the map (min-of-K in 1-D) and the map beneath the samples (2-D)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(palette.TEXT, width=2))
        self.heat = HeatMap(-10)
        self.underlay = HeatMap(-10)
        self.path_line = pg.PlotCurveItem()
        self.point = pg.ScatterPlotItem(symbol="o", pen=pg.mkPen("#111"), brush=pg.mkBrush(palette.ESTIMATE))
        self.minimum = pg.ScatterPlotItem(symbol="star", pen=pg.mkPen("#111"), brush=pg.mkBrush(palette.TEXT))
        self.minimum_label = pg.TextItem("", color=palette.TEXT, anchor=(0.5, 1.4))  # above the star, inside the bowl
        for item in (self.curve, *self.heat.items, self.path_line, self.point, self.minimum, self.minimum_label):
            self.plot.addItem(item)
        for item in (self.path_line, self.point):
            item.setZValue(5)
        self.under_path = pg.PlotCurveItem()
        self.under_path.setZValue(-9)
        self._style()
        pane.keep(*self.underlay.items, self.under_path)  # the 2-D map, beneath the samples for good

        self.setVisible(self.on)
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self._on_state_scene_replaced)
        state.settingsChanged.connect(self._on_state_settings_changed)
        state.whyChanged.connect(self._on_state_why_changed)
        state.talkChanged.connect(self._on_state_talk_changed)
        pane.rebuilt.connect(self._on_pane_rebuilt)
        pane.plotItem.vb.sigRangeChanged.connect(self._on_pane_range_changed)
        pane.plotItem.getAxis("left").geometryChanged.connect(self._align_axis)
        if self.on:
            self._recompute()

    # -- reading, for tests and tooltips ------------------------------------------------------------------
    def landscape(self) -> Landscape | None:
        """The landscape on show (None: hidden, or the loss has none)."""
        return self._found if self.on else None

    def fit_point(self) -> np.ndarray | None:
        """Where the fit's point is drawn: (x, loss) on the 1-D curve, else its map coordinates."""
        x, y = self.point.getData() if self.state.dim == 1 else self._under_point()
        return np.array([x[0], y[0]]) if len(x) else None

    def path(self) -> np.ndarray:
        """The fit's path down the landscape so far, in map coordinates."""
        if not self._path:
            return np.zeros((0, 2))
        return np.array(self._path)

    def _under_point(self):
        path = self.path()
        return (path[-1:, 0], path[-1:, 1]) if len(path) else ([], [])

    # -- the state changed ----------------------------------------------------------------------------
    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        if not self.on:
            return
        self._dragging = not finished
        if finished:
            self._throttle.cancel()
            self._recompute()
        else:
            self._throttle.interval = DRAG_INTERVAL[self.state.dim]
            self._throttle.request()

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        self._path, self._last_step = [], -1
        self._refresh()

    @Slot()
    def _on_state_settings_changed(self) -> None:
        self._path, self._last_step = [], -1
        self._refresh()

    @Slot()
    def _on_state_why_changed(self) -> None:
        if self.state.why.landscape != self.on:
            self.on = self.state.why.landscape
            self.setVisible(self.on)
            self._refresh()

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.line_scale = self.state.line_scale
        self._style()
        self._refresh()

    def _on_pane_range_changed(self, *_args) -> None:
        if self.on and self._form is not None and self._found is not None:
            lo, hi = self._box()
            if not (np.allclose(lo, self._found.grid.lo[: len(lo)]) and np.allclose(hi, self._found.grid.hi[: len(hi)])):
                self._throttle.request()

    def _refresh(self) -> None:
        if self.on:
            self._recompute()
        else:
            self._found = None
            self.underlay.hide()
            self.under_path.setVisible(False)

    # -- computing and drawing ------------------------------------------------------------------------------
    def _box(self) -> tuple[np.ndarray, np.ndarray]:
        (x0, x1), (y0, y1) = self.pane.viewRange()
        return (np.array([x0]), np.array([x1])) if self.state.dim == 1 else (np.array([x0, y0]), np.array([x1, y1]))

    def _recompute_later(self) -> None:
        self._recompute(moving=self._dragging)

    def _recompute(self, moving: bool = False) -> None:
        """The landscape of the loss now chosen, over the distribution pane's view, and all of it drawn;
        `moving` (a drag): a coarser map in 2-D, so it keeps up with the hand."""
        loss = loss_info(self.state.settings.loss)
        form = loss.landscape
        reason = (loss.landscape_reason(self.state.settings, self.state.mixture) if len(self.state.samples)
                  else "no points to average the loss over")
        self._form = None if reason else form
        self._found = None
        map_dim = form.map_dim(self.state.dim)
        on_plot = not reason and self.state.dim == 1
        if on_plot != self.plot.isVisibleTo(self):
            self.plot.setVisible(on_plot)
            self._fit_height()
        if reason:
            caption = f"<b>Loss landscape</b> · {reason}"
        else:
            points = (landscapes.MOVING_POINTS if moving else landscapes.POINTS)[map_dim]
            self._found = loss.landscape_on(self.state.samples, self.state.mixture, self.state.settings,
                                            box=self._box(), points=points)
            mirror = " (and its mirror: the guesses can swap)" if form.guesses > 1 else ""
            under = ", drawn beneath the samples" if self.state.dim == 2 else ""
            caption = (f"<b>Loss landscape</b> · the expected {loss.title} over {self._found.over}{under}; "
                       f"the star is its minimum{mirror}")
        if caption != self.caption.text():  # a caption that wraps costs a new layout: only when it changes
            self.caption.setText(caption)
        # in talk mode the speaker (or the tour's caption) says what the landscape is; a reason stays
        self.caption.setVisible(bool(reason) or not self.state.talk)
        self._draw_map(map_dim)
        self._draw_fit()

    def _minima(self) -> np.ndarray:
        m = self._found.minimum
        return np.array([m, m[::-1]]) if self._form.guesses > 1 else m[None, :]

    def _draw_map(self, map_dim: int) -> None:
        found = self._found
        on_plot = found is not None and self.state.dim == 1
        self.curve.setVisible(on_plot and map_dim == 1)
        self.minimum.setVisible(on_plot and map_dim == 1)
        self.minimum_label.setVisible(on_plot and map_dim == 1)
        if on_plot and (map_dim, self.state.dim) != self._drawn_kind:  # labels cost a layout: only on a change
            self._drawn_kind = (map_dim, self.state.dim)
            self.plot.setLabel("left", "loss" if map_dim == 1 else "guess 2", color=palette.MUTED)
            self.plot.setLabel("bottom", "" if map_dim == 1 else "guess 1", color=palette.MUTED)
        if on_plot and map_dim == 1:
            x = found.grid.axes[0]
            self.curve.setData(x, found.loss)
            self.minimum.setData([found.minimum[0]], [found.lowest])
            self.minimum_label.setText(f"lowest {found.lowest:.4g}")
            self.minimum_label.setPos(found.minimum[0], found.lowest)
            pad = 0.06 * max(float(found.loss.max()) - found.lowest, 1e-9)
            self.plot.setYRange(found.lowest - 2 * pad, float(found.loss.max()) + pad, padding=0)
        if on_plot and map_dim == 2:
            self.heat.show(found, self._minima(), self.line_scale)
            self.plot.setYRange(found.grid.lo[1], found.grid.hi[1], padding=0)
        else:
            self.heat.hide()
        if found is not None and self.state.dim == 2:
            self.underlay.show(found, self._minima(), self.pane.line_scale)
            self.under_path.setVisible(True)
        else:
            self.underlay.hide()
            self.under_path.setVisible(False)

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        if snap.estimate.dim != self.state.dim or snap.loss_id != self.state.settings.loss:
            return
        if snap.step < self._last_step:
            self._path = []  # a reset
        self._last_step = snap.step
        self._snapshot = snap
        if self._form is not None:
            where = self._form.locate(snap.estimate)
            if self._path and len(self._path[-1]) != len(where):  # the data changed its dimension under it
                self._path = []
            if not self._path or not np.array_equal(self._path[-1], where):
                self._path.append(where)
                if len(self._path) > PATH_POINTS:
                    self._path = self._path[::2]
        if self.on:
            self._draw_fit()

    def _draw_fit(self) -> None:
        found, path = self._found, self.path()
        if found is None or not len(path) or path.shape[1] != found.dim:  # a path of data of another dimension
            self.point.setData([], [])
            self.path_line.setData([], [])
            self.under_path.setData([], [])
            return
        if found.dim == 1:  # on the curve: the loss at each point of the path, read off the grid
            x = found.grid.axes[0]
            ys = np.interp(path[:, 0], x, found.loss)
            self.point.setData(path[-1:, 0], ys[-1:], size=12 * self.line_scale)
            self.path_line.setData(path[:, 0], ys)
        elif self.state.dim == 1:  # the map over two guesses
            self.point.setData(path[-1:, 0], path[-1:, 1], size=12 * self.line_scale)
            self.path_line.setData(path[:, 0], path[:, 1])
        else:  # beneath the samples: the fit's own marker is the point; the path is drawn there
            self.under_path.setData(path[:, 0], path[:, 1])

    # -- looks -----------------------------------------------------------------------------------------------
    def _style(self) -> None:
        s = self.line_scale
        font = QFont()
        font.setPointSizeF(8 * s)
        for name in ("bottom", "left"):
            self.plot.getAxis(name).setStyle(tickFont=font)
            self.plot.getAxis(name).label.setFont(font)
        self.minimum_label.setFont(font)
        self.curve.setPen(pg.mkPen(palette.TEXT, width=2 * s))
        self.minimum.setSize(16 * s)
        pen = pg.mkPen(palette.qcolor(palette.ESTIMATE, 200), width=2 * s, style=Qt.PenStyle.DotLine)
        self.path_line.setPen(pen)
        self.under_path.setPen(pen)

    @Slot()
    def _on_pane_rebuilt(self) -> None:
        """The distribution pane made its items anew (in talk mode's sizes, say): the 2-D map is drawn again."""
        if self._found is not None and self.state.dim == 2:
            self._draw_map(2)

    @Slot()
    def _align_axis(self) -> None:
        """The same left axis width as the distribution pane's, so the linked x axes line up."""
        try:
            width = self.pane.plotItem.getAxis("left").width()
        except RuntimeError:  # the window is closing: the pane's axis went first
            return
        self.plot.getAxis("left").setWidth(int(width))

    def showEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        if self.parentWidget() is not None:
            self.parentWidget().installEventFilter(self)
        self._fit_height()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit_height()
        return False

    def _fit_height(self) -> None:
        """A modest share of the column it stands in: the distribution above stays the largest view."""
        parent = self.parentWidget()
        if parent is not None:
            self.plot.setFixedHeight(max(PLOT_LEAST, int(PLOT_SHARE * parent.height())))
