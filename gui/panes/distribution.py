"""The distribution pane: the data mixture with its handles, and the fit drawn over it.

It follows the AppState itself (data, scene, talk mode) and draws each snapshot it is shown; its
handles write what the user drags to the state, and nothing else writes back.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

from engine.decoders import axis_names
from engine.maths.kde import Kde
from engine.model.estimate import Estimate, Snapshot
from engine.model.theory import markers
from gui.panes.handles import ComponentHandle
from gui.state import AppState
from gui.support import palette
from gui.support.first_paint import after_first_paint
from gui.support.plots import PlainPlotItem

GRID_POINTS = 600
HEADROOM = 1.5  # the 1-D view's height over the highest peak: room for the legend and labels
BINS = 90
TRAIL_SECONDS = 0.8  # the fading trail shows where the mean was over about this long
TRAIL_PIECES = 4  # the trail is drawn as this many pieces, older ones fainter and thinner
SHOWN_SAMPLES_2D = 2500  # more points than this only slow the scatter down


def _gauss_1d(x: np.ndarray, mean: float, var: float) -> np.ndarray:
    return np.exp(-0.5 * (x - mean) ** 2 / var) / math.sqrt(2 * math.pi * var)


class InertScatter(pg.ScatterPlotItem):
    """A scatter that clicks pass through. A click on a pyqtgraph scatter makes an object for each of its
    points (to find the clicked ones), and each keeps its point's record of the data array alive, which
    holds the object: a cycle through a numpy array, which the garbage collector cannot see, so every
    new set of points after a click leaked the old one (measured: 2,500 objects and their data a time)."""

    def mouseClickEvent(self, ev) -> None:
        ev.ignore()


def _ellipse(mean: np.ndarray, cov: np.ndarray, n_std: float, points: int = 90) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0, 2 * np.pi, points)
    vals, vecs = np.linalg.eigh(cov)
    circle = np.stack([np.cos(t), np.sin(t)])
    xy = vecs @ (np.sqrt(np.maximum(vals, 0))[:, None] * circle) * n_std
    return mean[0] + xy[0], mean[1] + xy[1]


def histogram_bins(bins: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Bins over the view for points of your own: as many across the points as twice the cube root of
    their number (the Rice rule, between 12 and BINS), so a few hundred measurements make a histogram,
    not a comb, and a small painted blob still gets several bins."""
    if len(values) < 2 or values.max() <= values.min():
        return bins
    count = int(np.clip(round(2 * len(values) ** (1 / 3)), 12, BINS))
    width = max((values.max() - values.min()) / count, (bins[-1] - bins[0]) / (4 * BINS))
    return np.arange(bins[0], bins[-1] + width, width)


class DistributionPane(pg.PlotWidget):
    """Draws AppState's mixture and samples; handles write back to the state, never the reverse."""

    selectionChanged = Signal(int)
    rebuilt = Signal()  # every item was made anew (a new scene, talk mode): overlays draw theirs again

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent=parent, background=palette.BACKGROUND, plotItem=PlainPlotItem())
        self.state = state
        self.selected = -1
        self.line_scale = 1.0  # talk mode draws every line thicker, to read from the back of a room
        self._handles: list[ComponentHandle] = []
        self._snapshot: Snapshot | None = None  # the one drawn, redrawn after a rebuild
        self._kept: dict[int, QGraphicsItem] = {}  # the overlays' items by id: they stay through rebuilds (keep)
        self.legend = self.plotItem.addLegend(offset=(10, 6), labelTextColor=palette.TEXT, colCount=5,
                                              brush=pg.mkBrush(palette.qcolor(palette.PANEL, 200)))
        # The fit's marker sits on the bottom axis and moves every frame: the axes and the legend, which do
        # not, are drawn from their cached pixmaps meanwhile.
        self._cache_while_still(self.legend, *(self.plotItem.getAxis(name) for name in ("bottom", "left")))
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.setToolTip("")
        self._first_ghosts = None  # the mean, median and modes waiting for the first paint
        self._late_built = False  # the fit's lines and the mean and median lines are made for this build
        self.rebuild()
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self.rebuild)
        state.talkChanged.connect(self._on_state_talk_changed)

    def keep(self, *items) -> None:
        """Put an overlay's items on the pane for good: a rebuild makes the pane's own items anew and leaves
        these where they are. (Removing an item and adding it again leaks four of PySide's weak references
        each time, so overlays put back after every scene load made a long talk grow.)"""
        for item in items:
            if id(item) not in self._kept:
                self._kept[id(item)] = item
                self.addItem(item)

    def handles(self) -> list[ComponentHandle]:
        """The handles on show: a main one (peak or centre) and a side one (width or shape) per component."""
        return list(self._handles)

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        self.refresh_data(finished)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_line_scale(self.state.line_scale)

    # -- building ------------------------------------------------------------------------
    @Slot()
    def rebuild(self) -> None:
        """Make every item for the scene's dimension (once per scene, then only setData)."""
        for item in [item for item in self.plotItem.items if id(item) not in self._kept]:
            self.plotItem.removeItem(item)
        self.legend.clear()
        self._labelled_lines: list[tuple[pg.InfiniteLine, float]] = []  # (line, its label's height)
        self._handles = []
        self.selected = -1
        dim = self.state.dim
        names = axis_names(self.state.scene.decoder, 2)
        if self.state.points is not None:  # your own data: its header names the axes
            names = tuple(own or named for own, named in zip(self.state.points.axes + ("", ""), names))
        self.plotItem.setLabel("bottom", names[0], color=palette.MUTED)
        if dim == 1:
            self.plotItem.setLabel("left", "density", color=palette.MUTED)
            self.setAspectLocked(False)
            self._build_1d()
        else:
            self.plotItem.setLabel("left", names[1], color=palette.MUTED)
            # one unit is one unit on both axes, unless they are a data set's own (minutes against millimetres)
            self.setAspectLocked(self.state.scene.span is None)
            self._build_2d()
        self._build_overlay(dim)
        self._late_built = False
        self._fit_view()
        self.refresh_data(True, ghosts=False)
        # The mean, median and modes, and the fit's lines (which show nothing before the fit's first frame),
        # follow right after the first paint, which need not wait for them.
        if self._first_ghosts is None:
            self._first_ghosts = after_first_paint(self, self._finish_build)
        else:  # a later rebuild is not on the way to the first frame
            self._build_late(dim)
            QTimer.singleShot(0, self._refresh_ghosts)
        self.rebuilt.emit()

    def _finish_build(self) -> None:
        self._build_late(self.state.dim)
        self._refresh_ghosts()

    def _build_1d(self) -> None:
        self.hist = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=None,
                                    brush=pg.mkBrush(palette.qcolor(palette.DATA, 60)), name="samples")
        self.density = pg.PlotDataItem(pen=self._pen(palette.DATA, 3), name="data density")
        self.addItem(self.hist)
        self.addItem(self.density)
        self._cache_while_still(self.hist.curve, self.density.curve)

    @staticmethod
    def _cache_while_still(*items) -> None:
        """Items that change only when the data does are drawn from a cached pixmap between changes,
        so a frame of the fit repaints only what moved."""
        for item in items:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _build_2d(self) -> None:
        self.scatter = InertScatter(size=3, pen=None, brush=pg.mkBrush(palette.qcolor(palette.DATA, 90)),
                                          name="samples")
        self.addItem(self.scatter)
        self._cache_while_still(self.scatter)
        self.ellipses: list[pg.PlotDataItem] = []

    def _build_overlay(self, dim: int) -> None:
        """What the first frame shows over the data: the fit's marker and the modes, both in the legend."""
        self.fit_dots = InertScatter(size=14 * self.line_scale, symbol="d", pen=pg.mkPen("#111", width=1),
                                           brush=pg.mkBrush(palette.ESTIMATE))
        self.fit_dots.setZValue(21)  # over the handles: where the fit lands on a component must show
        self.addItem(self.fit_dots)
        self.fit_ellipses: list[pg.PlotDataItem] = []
        self.mode_dots = InertScatter(size=13 * self.line_scale, symbol="t", pen=pg.mkPen("#111"), brush=pg.mkBrush(palette.MODE))
        self.mode_dots.setZValue(8)
        self.addItem(self.mode_dots)
        self._cache_while_still(self.mode_dots)
        self.mode_labels: list[pg.TextItem] = []
        self.legend.addItem(self.fit_dots, "fit")
        self.legend.addItem(self.mode_dots, "modes")
        # Fitted now if the pane is on screen; else when it is shown, at its size then (a hidden pane's width is
        # not yet its own: fitting the legend to it would be done again at once).
        self._legend_fitted = False
        if self.isVisible():
            self._fit_legend()

    def _build_late(self, dim: int) -> None:
        """The fit's curve, samples, trail and line, and the mean and median (once per build): nothing the
        first frame shows, since the fit has not run and the mean and median are placed after it."""
        if self._late_built:
            return
        self._late_built = True
        dash = Qt.PenStyle.DashLine
        self.fit_curve = pg.PlotDataItem(pen=self._pen(palette.ESTIMATE, 3))
        self.fit_samples = InertScatter(size=4, pen=None, brush=pg.mkBrush(palette.qcolor(palette.ESTIMATE, 150)))
        # A few plain lines instead of a scatter with a brush per point: a fraction of the cost per frame.
        self.trail_pieces = [
            pg.PlotCurveItem(pen=self._pen(palette.qcolor(palette.ESTIMATE, int(50 + 190 * (i + 1) / TRAIL_PIECES)),
                                          2 + 4 * (i + 1) / TRAIL_PIECES))
            for i in range(TRAIL_PIECES)
        ]
        for item in (self.fit_curve, self.fit_samples, *self.trail_pieces):
            item.setZValue(10)
            self.addItem(item)
        if dim == 1:
            self.mean_line = self._ghost_line(palette.MEAN, "mean", 0.86, dash)  # below the legend, in talk mode too
            self.median_line = self._ghost_line(palette.MEDIAN, "median", 0.76, Qt.PenStyle.DotLine)
            self.fit_line = pg.InfiniteLine(angle=90, pen=self._pen(palette.ESTIMATE, 2))
            self.fit_line.setZValue(9)
            self.addItem(self.fit_line)
        else:
            self.mean_dot = self._ghost_dot(palette.MEAN, "+", "mean")
            self.median_dot = self._ghost_dot(palette.MEDIAN, "x", "median", anchor=(1.2, -0.1))
        self._place_line_labels()

    def flush(self) -> None:
        """Make the fit's lines and draw the mean, median and modes now if they still wait for the first
        paint (an export, a snapshot that comes first)."""
        if self._first_ghosts is not None:
            self._first_ghosts.run_now()

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        if getattr(self, "legend", None) is not None:  # pyqtgraph resizes before the plot is built
            self._fit_legend()

    def showEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        if not self._legend_fitted:  # built while hidden, and shown at the size it had
            self._fit_legend()

    def _fit_legend(self) -> None:
        """The legend in as many columns as the plot's width holds, down to one a row: never cut off."""
        room = self.plotItem.vb.width() - 20
        entries = len(self.legend.items)
        for columns in range(max(entries, 1), 0, -1):
            self.legend.setColumnCount(columns)
            self.legend.updateSize()
            if self.legend.boundingRect().width() <= room or columns == 1:
                break
        self._legend_fitted = True
        self._place_line_labels()

    def _place_line_labels(self) -> None:
        """The mean's and median's labels stay below a wrapped legend."""
        rows = -(-len(self.legend.items) // self.legend.columnCount)
        for line, at in getattr(self, "_labelled_lines", ()):
            line.label.setPosition(at - 0.09 * (rows - 1))

    def legend_columns(self) -> int:
        return self.legend.columnCount

    def _pen(self, colour, width: float, **kwargs):
        return pg.mkPen(colour, width=width * self.line_scale, **kwargs)

    def _label_font(self) -> QFont:
        font = QFont()
        font.setPointSizeF(9 * self.line_scale)
        return font

    def set_line_scale(self, scale: float) -> None:
        """Thicker lines, bigger markers and type (talk mode); the view is rebuilt and the fit redrawn."""
        if scale == self.line_scale:
            return
        self.line_scale = scale
        font = self._label_font()
        for name in ("bottom", "left"):
            self.plotItem.getAxis(name).setStyle(tickFont=font)
            self.plotItem.getAxis(name).label.setFont(font)
        self.legend.opts["labelTextSize"] = f"{9 * scale:.0f}pt"
        snap = self._snapshot
        self.rebuild()
        if snap is not None:
            self.show_snapshot(snap)

    def _ghost_line(self, colour: str, text: str, at: float, style) -> pg.InfiniteLine:
        line = pg.InfiniteLine(angle=90, pen=self._pen(colour, 2, style=style), label=text,
                               labelOpts={"position": at, "color": colour, "fill": palette.qcolor(palette.BACKGROUND, 200),
                                          "anchors": [(0.5, 0), (0.5, 0)]})
        line.label.setFont(self._label_font())
        line.setZValue(5)
        self._cache_while_still(line, line.label)  # the data's mean and median: still while the fit runs
        self.addItem(line)
        self._labelled_lines.append((line, at))
        return line

    def _ghost_dot(self, colour: str, symbol: str, text: str,
                   anchor=(-0.2, 1.1)) -> tuple[pg.ScatterPlotItem, pg.TextItem]:
        dot = InertScatter(size=18 * self.line_scale, symbol=symbol, pen=pg.mkPen("#111", width=1), brush=pg.mkBrush(colour))
        label = pg.TextItem(text, color=colour, anchor=anchor)
        label.setFont(self._label_font())
        for item in (dot, label):
            item.setZValue(12)
            self.addItem(item)
        self._cache_while_still(dot, label)
        return dot, label

    def _fit_view(self) -> None:
        lo, hi = self.state.mixture.bounds(3.5)
        if self.state.points is not None and len(self.state.points):  # in the data's units: frame the points
            values = self.state.points.values
            pad = 0.08 * (values.max(axis=0) - values.min(axis=0))
            lo, hi = np.minimum(lo, values.min(axis=0) - pad), np.maximum(hi, values.max(axis=0) + pad)
            if self.state.points.span is None:  # painted in the decoder's units: keep its frame
                lo, hi = np.minimum(lo, -4.0), np.maximum(hi, 4.0)
        else:
            lo, hi = np.minimum(lo, -4.0), np.maximum(hi, 4.0)
        self._x_grid = np.linspace(lo[0], hi[0], GRID_POINTS)
        self._bins = np.linspace(lo[0], hi[0], BINS + 1)
        if self.state.dim == 1:
            top = self._top() * HEADROOM
            self.setXRange(lo[0], hi[0], padding=0.02)
            self.setYRange(-0.04 * top, top, padding=0)
        else:
            self.setRange(xRange=(lo[0], hi[0]), yRange=(lo[1], hi[1]), padding=0.04)
        self.plotItem.vb.setMouseEnabled(x=False, y=False)

    def _top(self) -> float:
        """The highest the data's density curve or a handle goes, or, in a data set's own units, L2's
        fixed-variance bell (one unit of the decoder wide: a quarter of the span)."""
        density = self.state.density
        top = max(max(self._component_peaks()), density.peak_density() if density is not self.state.mixture else 0.0)
        span = self.state.scene.span
        if span is not None:
            top = max(top, 1.0 / (math.sqrt(2 * math.pi) * (span[0][1] - span[0][0]) / 4))
        return top

    def _component_peaks(self) -> list[float]:
        m = self.state.mixture
        return [w / math.sqrt(2 * math.pi * c.cov[0, 0]) for w, c in zip(m.weights, m.components)]

    # -- data -------------------------------------------------------------------------------
    def refresh_data(self, finished: bool, ghosts: bool = True) -> None:
        """Redraw the data and handles from the state (cheap; runs on every drag move)."""
        m = self.state.mixture
        if len(self._handles) != self._handles_wanted():
            self._make_handles()
        samples = self.state.samples
        if self.state.dim == 1:
            x = self._x_grid
            self.density.setData(x, self.state.density.pdf(x[:, None]) if len(samples) else np.zeros_like(x))
            bins = self._bins if not self.state.uses_points else histogram_bins(self._bins, samples[:, 0])
            counts, _ = np.histogram(samples[:, 0], bins=bins)
            self.hist.setData(bins, counts / (max(len(samples), 1) * (bins[1] - bins[0])))
            for i, (comp, peak) in enumerate(zip(m.components, self._component_peaks())):
                mu, sd = float(comp.mean[0]), float(comp.std[0])
                self._handles[2 * i].place(mu, peak)
                self._handles[2 * i + 1].place(mu + sd, peak * math.exp(-0.5))
            if finished:
                top = self._top() * HEADROOM
                if top > self.viewRange()[1][1]:
                    self.setYRange(-0.04 * top, top, padding=0)
        else:
            shown = self.state.samples[:SHOWN_SAMPLES_2D]
            # a few hundred measurements, each one counts: larger dots than for thousands of samples
            few = self.state.uses_points and len(self.state.samples) < SHOWN_SAMPLES_2D
            self.scatter.setData(shown[:, 0], shown[:, 1], size=(6 if few else 3) * self.line_scale)
            for i, comp in enumerate(m.components):
                for j, n_std in enumerate((1.0, 2.0)):
                    self.ellipses[2 * i + j].setData(*_ellipse(comp.mean, comp.cov, n_std))
                self._handles[2 * i].place(*comp.mean)
                self._handles[2 * i + 1].place(*self._shape_handle_pos(comp.mean, comp.cov))
        if ghosts and (finished or self.state.dim == 1):
            self._refresh_ghosts()

    def _handles_wanted(self) -> int:
        return 2 * len(self.state.mixture.components)

    def _make_handles(self) -> None:
        for h in self._handles:
            self.removeItem(h)
        if self.state.dim == 2:
            for e in self.ellipses:
                self.removeItem(e)
            self.ellipses = []
        self._handles = []
        for i, comp in enumerate(self.state.mixture.components):
            name = comp.label or f"component {i + 1}"
            if self.state.dim == 1:
                main = ComponentHandle(i, "peak", symbol="o", size=16 * self.line_scale,
                                       tooltip=f"{name}: drag sideways to move, up or down to change its weight. "
                                               "Right-click to remove.")
                side = ComponentHandle(i, "width", symbol="s", size=10 * self.line_scale,
                                       tooltip=f"{name}: drag sideways to change its width.")
            else:
                for n_std in (1.0, 2.0):
                    e = pg.PlotDataItem(pen=self._pen(palette.qcolor(palette.DATA, 230 if n_std == 1 else 120), 2))
                    e.setZValue(6)
                    self.addItem(e)
                    self._cache_while_still(e.curve)
                    self.ellipses.append(e)
                main = ComponentHandle(i, "centre", symbol="o", size=16 * self.line_scale,
                                       tooltip=f"{name}: drag to move it. Right-click to remove.")
                side = ComponentHandle(i, "shape", symbol="s", size=10 * self.line_scale,
                                       tooltip=f"{name}: drag to stretch and turn it.")
            for h in (main, side):
                h.sigDragStarted.connect(self._on_handle_drag_started)
                h.sigPositionChanged.connect(self._on_handle_moved)
                h.sigPositionChangeFinished.connect(self._on_handle_finished)
                h.sigRemoveRequested.connect(self._on_handle_remove_requested)
                h.sigSelected.connect(self._on_handle_selected)
                self._cache_while_still(h)
                self.addItem(h)
                self._handles.append(h)

    @staticmethod
    def _shape_handle_pos(mean: np.ndarray, cov: np.ndarray) -> tuple[float, float]:
        vals, vecs = np.linalg.eigh(cov)
        end = mean + 2.0 * math.sqrt(vals[-1]) * vecs[:, -1]
        return float(end[0]), float(end[1])

    def _refresh_ghosts(self) -> None:
        if not self._late_built:
            return  # made and placed once the first paint is done
        if not len(self.state.samples):  # a cleared canvas: no mean, no median
            return
        marks = markers(self.state.mixture, self.state.samples)
        if self.state.dim == 1:
            self.mean_line.setValue(float(marks.mean[0]))
            self.median_line.setValue(float(marks.median[0]))
            heights = self.state.density.pdf(marks.modes)
            self.mode_dots.setData(marks.modes[:, 0], heights + 0.06 * self.viewRange()[1][1])
            positions = [(float(x), float(h) + 0.06 * self.viewRange()[1][1]) for x, h in zip(marks.modes[:, 0], heights)]
        else:
            for (dot, label), value in ((self.mean_dot, marks.mean), (self.median_dot, marks.median)):
                dot.setData([value[0]], [value[1]])
                label.setPos(value[0], value[1])
            self.mode_dots.setData(marks.modes[:, 0], marks.modes[:, 1])
            positions = [(float(a), float(b)) for a, b in marks.modes]
        while len(self.mode_labels) < len(positions):
            label = pg.TextItem("mode", color=palette.MODE, anchor=(0.5, 1.4))
            label.setFont(self._label_font())
            label.setZValue(8)
            self.addItem(label)
            self._cache_while_still(label)
            self.mode_labels.append(label)
        for i, label in enumerate(self.mode_labels):
            label.setVisible(i < len(positions))
            if i < len(positions):
                label.setPos(*positions[i])

    # -- the fit --------------------------------------------------------------------------------
    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        if snap.estimate.dim != self.state.dim:
            return  # fitted to the scene before a new one was loaded
        self.flush()  # the fit's lines, if a snapshot comes before the first paint
        self._snapshot = snap
        est = snap.estimate
        if self.state.dim == 1:
            self._draw_estimate_1d(est)
            self.fit_line.setVisible(est.single)
        else:
            self._draw_estimate_2d(est)
        self._draw_trail(self._recent(snap.trail) if est.single else np.empty((0, self.state.dim)))

    def _recent(self, trail: np.ndarray) -> np.ndarray:
        """The part of the snapshot's trail the mean covered in the last TRAIL_SECONDS, at today's pace."""
        rate = self.state.steps_per_second()
        n = len(trail) if math.isinf(rate) else int(np.clip(round(rate * TRAIL_SECONDS) + 1, 2, len(trail) or 2))
        return trail[-n:]

    def _draw_trail(self, trail: np.ndarray) -> None:
        """The recent path of the mean, oldest piece faintest; on the axis in 1-D."""
        if self.state.dim == 1:
            trail = np.column_stack([trail[:, 0], np.zeros(len(trail))])
        bounds = np.linspace(0, len(trail), TRAIL_PIECES + 1).astype(int)
        for piece, a, b in zip(self.trail_pieces, bounds[:-1], bounds[1:]):
            chunk = trail[max(a - 1, 0) : b]  # overlap one point so the pieces join
            piece.setData(chunk[:, 0], chunk[:, 1])

    def _draw_estimate_1d(self, est: Estimate) -> None:
        x = self._x_grid
        self.fit_line.setValue(float(est.mean[0]))
        if len(self.fit_samples.data):  # set only when it had some: an empty set would still be redrawn
            self.fit_samples.setData([], [])
        marks = est.marks()
        self.fit_dots.setData(marks[:, 0], np.zeros(len(marks)))
        bells = est.bells()
        if bells:
            self.fit_curve.setData(x, sum(w * _gauss_1d(x, float(m[0]), float(c[0, 0])) for w, m, c in bells))
        elif est.samples is not None:  # a smoothed density of the generated samples, and the samples as a rug
            self.fit_curve.setData(x, Kde(est.samples[:, :1]).pdf(x[:, None]))
            rug = -0.02 * self.viewRange()[1][1]
            self.fit_samples.setData(est.samples[:, 0], np.full(len(est.samples), rug))
        else:  # guesses: a vertical line at each
            top = self.viewRange()[1][1] * 0.75
            xs = np.repeat(marks[:, 0], 3)
            ys = np.tile([0.0, top, np.nan], len(marks))
            self.fit_curve.setData(xs, ys, connect="finite")

    def _draw_estimate_2d(self, est: Estimate) -> None:
        marks = est.marks()
        self.fit_dots.setData(marks[:, 0], marks[:, 1])
        samples = est.samples if est.samples is not None else np.empty((0, 2))
        self.fit_samples.setData(samples[:, 0], samples[:, 1])
        shapes = [(m, c) for _, m, c in est.bells()]
        while len(self.fit_ellipses) < len(shapes):
            item = pg.PlotDataItem(pen=self._pen(palette.ESTIMATE, 2.5))
            item.setZValue(9)
            self.addItem(item)
            self.fit_ellipses.append(item)
        for i, item in enumerate(self.fit_ellipses):
            if i < len(shapes):
                item.setData(*_ellipse(shapes[i][0], shapes[i][1], 1.0))
            else:
                item.setData([], [])

    # -- user actions -----------------------------------------------------------------------------
    def _on_handle_drag_started(self, handle: ComponentHandle) -> None:
        self.state.begin_edit()

    def _on_handle_moved(self, handle: ComponentHandle) -> None:
        self._apply_handle(handle, finished=False)

    def _on_handle_finished(self, handle: ComponentHandle) -> None:
        self._apply_handle(handle, finished=True)

    def _apply_handle(self, handle: ComponentHandle, finished: bool) -> None:
        i = handle.index
        if i >= len(self.state.mixture.components):
            return
        comp = self.state.mixture.components[i]
        x, y = handle.pos().x(), handle.pos().y()
        if handle.role == "peak":
            share = max(y, 0.0) * math.sqrt(2 * math.pi * comp.cov[0, 0])
            self.state.move_component(i, mean=[x], peak_share=share, finished=finished)
        elif handle.role == "width":
            self.state.move_component(i, std=abs(x - comp.mean[0]), finished=finished)
        elif handle.role == "centre":
            self.state.move_component(i, mean=[x, y], finished=finished)
        else:
            vals, vecs = np.linalg.eigh(comp.cov)
            v = (np.array([x, y]) - comp.mean) / 2.0
            major = max(float(np.linalg.norm(v)), 0.05)
            u = v / np.linalg.norm(v) if np.linalg.norm(v) > 1e-9 else vecs[:, -1]
            minor = min(math.sqrt(vals[0]), major)
            perp = np.array([-u[1], u[0]])
            cov = major**2 * np.outer(u, u) + minor**2 * np.outer(perp, perp)
            self.state.move_component(i, cov=cov, finished=finished)

    def _on_handle_remove_requested(self, handle: ComponentHandle) -> None:
        self.state.remove_component(handle.index)

    def _on_handle_selected(self, handle: ComponentHandle) -> None:
        self.selected = handle.index
        self.selectionChanged.emit(handle.index)

    def remove_selected(self) -> bool:
        if 0 <= self.selected < len(self.state.mixture.components):
            removed = self.state.remove_component(self.selected)
            self.selected = -1
            return removed
        return False

    def _on_scene_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        if any(isinstance(item, ComponentHandle) for item in self.scene().items(ev.scenePos())):
            return
        p = vb.mapSceneToView(ev.scenePos())
        ev.accept()
        self.state.add_component([p.x()] if self.state.dim == 1 else [p.x(), p.y()])

    def widget_to_data(self, pos) -> tuple[float, float]:
        """The data point under a widget pixel position (the painting's strokes)."""
        p = self.plotItem.vb.mapSceneToView(self.mapToScene(pos.toPoint()))
        return p.x(), p.y()

    def data_to_widget(self, x: float, y: float):
        """Widget pixel position of a data point (for tests and tooltips)."""
        return self.mapFromScene(self.plotItem.vb.mapViewToScene(pg.Point(x, y)))
