"""The properties as small multiples: one plot per property, each the 1-D drawing of the distribution pane
(the samples' histogram on that axis, the property's density, its two kinds' handles, the fit's marginal and
markers) on a view of the state that shows just that property.

A kind's handles move, reweight and widen the kind along its axis; the whole product of properties is
rebuilt from that (every corner with that kind follows), and written to the state in one go.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QFont, QFontMetricsF, QPixmapCache

from engine.model.estimate import Snapshot
from engine.model.mixture import Component, Mixture
from engine.model.properties import Property, draw, product_mixture, scene_properties
from engine.model.theory import Markers
from gui.panes.distribution.marginal import MarginalDrawing
from gui.state import AppState
from gui.support import palette
from gui.support.plots import PlainPlotItem, cache_while_still
from gui.support.throttle import Throttle

FIT_FPS = 60  # the most frames a second the plots draw the fit in: half of them a frame, in turn
STILL_LAYERS = 4  # the plots' still items, drawn from cached pixmaps, cover their view about this many times


class PropertiesModel:
    """The properties the state's scene is the product of, read once per mixture (not per plot), and known
    without reading when this model made the mixture (a drag)."""

    def __init__(self, state: AppState | None = None) -> None:
        self.state = state  # set by the stage once its state is made
        self._read: tuple[Mixture, tuple[Property, ...]] | None = None
        self._views: tuple[tuple[Property, ...], dict[int, Mixture]] | None = None

    def props_of(self, scene) -> tuple[Property, ...]:
        if self._read is None or self._read[0] is not scene.mixture:
            self._read = (scene.mixture, scene_properties(scene))
        return self._read[1]

    @property
    def props(self) -> tuple[Property, ...]:
        return self.props_of(self.state.scene)

    def samples(self, scene) -> np.ndarray:
        """The scene's samples, drawn property by property from fixed random numbers (engine draw): a drag
        moves the same samples smoothly, and drawing them costs a fraction of a frame."""
        return draw(self.props_of(scene), scene.samples, scene.seed)

    def move(self, axis: int, kind: int, finished: bool, **change) -> None:
        """Property `axis`'s kind `kind` moved, reweighted or widened (Property.moved's keywords)."""
        props = list(self.props)
        props[axis] = props[axis].moved(kind, **change)
        props = tuple(props)
        mixture = product_mixture(props)
        self._read = (mixture, props)
        self.state.set_mixture(mixture, finished)

    def kinds_mixture(self, axis: int) -> Mixture:
        """Property `axis`'s two kinds as two components in the whole space (see PropertyView)."""
        props = self.props
        if self._views is None or self._views[0] is not props:
            self._views = (props, {})
        made = self._views[1]
        if axis not in made:
            prop, dim = props[axis], len(props)
            comps = []
            for kind in (0, 1):
                mean, var = np.zeros(dim), np.eye(dim)
                mean[axis], var[axis, axis] = prop.positions[kind], prop.spreads[kind] ** 2
                comps.append(Component(prop.weights[kind], mean, var, prop.kinds[kind]))
            made[axis] = Mixture(tuple(comps))
        return made[axis]


class PropertyView:
    """What a 1-D drawing reads of the state, for one property: the property's two kinds as a mixture of two
    components in the whole space (so that the drawing's axis picks them out), the state's samples, and a
    drag written back as a move of the property's kind."""

    points = None
    uses_points = False

    def __init__(self, model: PropertiesModel, axis: int) -> None:
        self.model = model
        self.axis = axis
        self.scene = model.state.scene  # its span (None: the decoder's units) is all a drawing reads

    @property
    def state(self) -> AppState:
        return self.model.state

    @property
    def mixture(self) -> Mixture:
        return self.model.kinds_mixture(self.axis)

    density = mixture

    @property
    def samples(self) -> np.ndarray:
        return self.state.samples

    @property
    def dim(self) -> int:
        return self.state.dim

    def steps_per_second(self) -> float:
        return self.state.steps_per_second()

    def begin_edit(self) -> None:
        self.state.begin_edit()

    def move_component(self, index: int, *, mean=None, std=None, cov=None, peak_share=None,
                       finished: bool = False) -> None:
        weights = self.model.props[self.axis].weights
        change = {}
        if mean is not None:
            change["position"] = float(np.asarray(mean).reshape(-1)[self.axis if self.dim > 1 else 0])
        if peak_share is not None:  # the share wanted, against the other kind's weight
            change["weight"] = peak_share / (1 - peak_share) * weights[1 - index]
        if std is not None:
            change["spread"] = float(std)
        if cov is not None:
            change["spread"] = float(np.sqrt(np.asarray(cov)[self.axis, self.axis]))
        self.model.move(self.axis, index, finished, **change)

    def remove_component(self, index: int) -> bool:
        return False  # a property keeps its two kinds


class PropertyDrawing(MarginalDrawing):
    """One property's plot. Its markers (the samples' mean and median on the axis) come from the pane,
    worked out once for all the plots. The mean's and median's lines carry no labels (the pane names
    them once), and the fit is redrawn only where it moved by half a pixel or more."""

    GHOSTS_WHILE_DRAGGED = False
    GRID_POINTS = 160  # a small plot is a few hundred pixels wide

    def __init__(self, *args, marks, **kwargs) -> None:
        self._marks = marks
        self._drawn: tuple | None = None  # the fit's line, marks and curve as last drawn
        self._data: tuple[Property, np.ndarray] | None = None  # the property and its samples as last drawn
        super().__init__(*args, **kwargs)

    def _draw_data(self, finished: bool) -> None:
        """Drawn only when this property or its samples changed: a drag moves one property of many."""
        prop, column = self.state.model.props[self.axis], self.state.samples[:, self.axis]
        if self._data is not None and self._data[0] == prop and np.array_equal(self._data[1], column):
            return
        self._data = (prop, column.copy())
        super()._draw_data(finished)

    def refresh_ghosts(self) -> None:
        if self.late_built and len(self.state.samples):
            self._place_ghosts(self._marks())

    def _place_ghosts(self, marks: Markers) -> list[tuple[float, float]]:
        """The samples' mean and median on this axis. The kinds need no marker of their own: their handles
        stand on them."""
        self.mode_dots.setVisible(False)
        self.mean_line.setValue(float(marks.mean[self.axis]))
        self.median_line.setValue(float(marks.median[self.axis]))
        return []

    def build_late(self) -> None:
        super().build_late()
        for item in (self.fit_samples, *self.trail_pieces):  # no trail here; the samples only of a generator
            item.setVisible(False)

    def _ghost_line(self, colour: str, text: str, at: float, style) -> pg.InfiniteLine:
        line = pg.InfiniteLine(angle=90, pen=self.pen(colour, 2, style=style))
        line.setZValue(5)
        cache_while_still(line)
        self.add(line)
        return line

    def _late_fit_items(self) -> list:
        # thin lines draw fastest; talk mode's a little thicker, to be seen from the back of a room
        self.fit_curve = pg.PlotDataItem(pen=pg.mkPen(palette.ESTIMATE, width=1 if self.scale < 1.5 else 2))
        return [self.fit_curve]

    def show_estimate(self, est, trail) -> None:
        """The fit on this axis, without the trail (its line shows where it goes); skipped when nothing in
        it moved by half a pixel, as once the fit settles."""
        a = self.axis
        marks = est.marks()
        xs, ys, connect = self._fit_curve(est, marks)
        drawn = (float(est.mean[a]) if est.single else None, marks[:, a].copy(), xs, ys)
        if est.samples is None and self._drawn is not None and self._same(self._drawn, drawn):
            return
        self._drawn = drawn
        self.fit_line.setValue(float(est.mean[a]))
        self.fit_line.setVisible(est.single)
        self.fit_dots.setData(marks[:, a], np.zeros(len(marks)))
        self.fit_curve.setData(xs, ys, connect=connect)
        if est.samples is not None:  # a generator: its samples as a rug
            self.fit_samples.setData(est.samples[:, a], np.full(len(est.samples), -0.02 * self.view_top()))
        elif len(self.fit_samples.data):
            self.fit_samples.setData([], [])
        self.fit_samples.setVisible(est.samples is not None)

    def _same(self, before: tuple, now: tuple) -> bool:
        """Whether the fit drawn `now` would look as `before`: nothing in it half a pixel away."""
        px, py = (abs(v) / 2 for v in self.plot.vb.viewPixelSize())
        (line0, marks0, xs0, ys0), (line1, marks1, xs1, ys1) = before, now
        if (line0 is None) != (line1 is None) or (line0 is not None and abs(line1 - line0) > px):
            return False
        if marks0.shape != marks1.shape or xs0.shape != xs1.shape or np.any(np.abs(marks1 - marks0) > px):
            return False
        return bool(np.all(np.abs(np.nan_to_num(xs1 - xs0)) <= px) and np.all(np.abs(np.nan_to_num(ys1 - ys0)) <= py))

    def name_axis(self, full: str, short: str) -> None:
        """The property's name under its plot: `full` (with its kinds) where it fits, else `short`."""
        self._names = (full, short)
        self.plot.vb.sigResized.connect(self._fit_name)
        self._fit_name()

    def _fit_name(self, *_) -> None:
        axis = self.plot.getAxis("bottom")
        full, short = self._names
        fits = QFontMetricsF(axis.label.font()).horizontalAdvance(full) <= self.plot.vb.width()
        if axis.labelText != (full if fits else short):
            axis.setLabel(full if fits else short, color=palette.MUTED)

    def _handle_pair(self, index: int, name: str):
        main, side = super()._handle_pair(index, name)
        main.setToolTip(f"{name}: drag sideways to move this kind, up or down to make it more or less common.")
        side.setToolTip(f"{name}: drag sideways to make this kind vary more or less.")
        return main, side


class PropertiesPane(pg.GraphicsLayoutWidget):
    """A plot per property, in rows of up to four; made anew when the number of properties changes."""

    COLUMNS = 4

    def __init__(self, state: AppState, model: PropertiesModel, parent=None) -> None:
        super().__init__(parent=parent)
        self.setBackground(palette.BACKGROUND)
        self.state = state
        self.model = model
        self.drawings: list[PropertyDrawing] = []
        self.plots: list[PlainPlotItem] = []
        self._snapshot: Snapshot | None = None
        self._shown: list[Snapshot | None] = [None, None]  # the snapshot each half of the plots shows
        self._turn = 0  # the half whose turn it is
        self._marks: tuple[object, Markers] | None = None
        # A frame of the fit repaints what it changed: half the plots a frame keeps that half the view.
        self._fit_drawn = Throttle(1 / FIT_FPS, self._draw_fit, self)
        self.rebuild()
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self.rebuild)
        state.talkChanged.connect(self._on_state_talk_changed)

    def marks(self) -> Markers:
        """The samples' mean and median and each property's kinds, once per set of samples."""
        samples = self.state.samples
        if self._marks is None or self._marks[0] is not samples:
            props = self.model.props
            modes = np.array([[p.positions[j] for j in (0, 1)] for p in props]).T  # a row per kind, not a car
            self._marks = (samples, Markers(samples.mean(axis=0), np.median(samples, axis=0), modes))
        return self._marks[1]

    @Slot()
    def rebuild(self) -> None:
        self.clear()
        self.drawings, self.plots = [], []
        props = self.model.props
        scale = self.state.line_scale
        columns = {1: 1, 2: 2, 4: 2}.get(len(props), min(self.COLUMNS, -(-len(props) // 2)))
        for axis, prop in enumerate(props):
            plot = PlainPlotItem()
            self.addItem(plot, row=axis // columns, col=axis % columns)
            view = PropertyView(self.model, axis)
            drawing = PropertyDrawing(view, plot, scale=scale, axis=axis, marks=self.marks)
            names = [""] * len(props)
            names[axis] = f"{axis + 1}. {prop.name}"
            drawing.label_axes(tuple(names))
            font = QFont()
            font.setPointSizeF(8 * self.state.type_scale)
            for side in ("bottom", "left"):
                plot.getAxis(side).setStyle(tickFont=font)
                plot.getAxis(side).label.setFont(font)
            # the kinds too where the plot is wide enough for them (at the desk)
            kinds = "" if self.state.talk else f": {prop.kinds[0]} ↔ {prop.kinds[1]}"
            drawing.name_axis(names[axis] + kinds, names[axis])
            if axis % columns:  # the density's scale once a row: the plots beside the first are the wider
                plot.getAxis("left").showLabel(False)
                plot.getAxis("left").setStyle(showValues=False)
            cache_while_still(plot.getAxis("bottom"), plot.getAxis("left"))  # still while the fit runs
            drawing.fit_view()
            drawing.refresh_data(True, ghosts=False)
            drawing.build_late()
            self.drawings.append(drawing)
            self.plots.append(plot)
        QTimer.singleShot(0, self._refresh_ghosts)
        self._shown = [None, None]
        self._draw_all()

    def _refresh_ghosts(self) -> None:
        for drawing in self.drawings:
            drawing.refresh_ghosts()

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        for drawing in self.drawings:
            drawing.refresh_data(finished)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.rebuild()

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        if snap.estimate.dim != self.state.dim:
            return  # fitted to the properties before the count changed
        self._snapshot = snap
        self._fit_drawn.request()

    def _halves(self) -> list[list[PropertyDrawing]]:
        """The plots in two halves (the rows of four, say), or in one when there are two or fewer."""
        if len(self.drawings) <= 2:
            return [self.drawings]
        half = -(-len(self.drawings) // 2)
        return [self.drawings[:half], self.drawings[half:]]

    def _draw_fit(self) -> None:
        """The newest snapshot on the next half of the plots not showing it yet; the other half next time."""
        snap = self._snapshot
        if snap is None or snap.estimate.dim != self.state.dim:
            return
        halves = self._halves()
        behind = [i for i in (self._turn % len(halves), (self._turn + 1) % len(halves)) if self._shown[i] is not snap]
        if not behind:
            return
        for drawing in halves[behind[0]]:
            drawing.show_estimate(snap.estimate, snap.trail)
        self._shown[behind[0]] = snap
        self._turn = behind[0] + 1
        if len(behind) > 1 and behind[1] != behind[0]:
            self._fit_drawn.request()  # the other half, once the frame is out, if no newer snapshot came

    def _draw_all(self) -> None:
        self._fit_drawn.cancel()
        for _ in self._halves():
            self._draw_fit()
        self._fit_drawn.cancel()

    def flush(self) -> None:
        self._refresh_ghosts()
        self._draw_all()

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        # Qt keeps the still items' pixmaps in one cache, by default too small for eight plots' worth: a
        # frame would then draw every one of them anew.
        need_kb = STILL_LAYERS * 4 * self.width() * self.height() // 1024
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), need_kb))

    def handle_pos(self, axis: int, kind: int, role: str = "peak"):
        """Where a kind's handle is, in this widget's pixels (tests, the benchmark)."""
        handle = self.drawings[axis].handles[2 * kind + (role != "peak")]
        return self.mapFromScene(handle.mapToScene(0, 0))
