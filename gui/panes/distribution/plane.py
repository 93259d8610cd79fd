"""The 2-D drawing: the samples as a scatter, each component as its 1- and 2-sigma ellipses with a centre
handle and a shape handle, and the fit as points, ellipses or samples in the plane."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from engine.model.estimate import Estimate
from engine.model.handles import ellipse, from_shape_handle, shape_handle
from engine.model.theory import Markers
from gui.panes.distribution.drawing import Drawing, InertScatter
from gui.support.plots import cache_while_still
from gui.panes.handles import ComponentHandle
from gui.support import palette

SHOWN_SAMPLES = 2500  # more points than this only slow the scatter down


class PlaneDrawing(Drawing):
    """The data in the plane of a 2-D scene, its components' ellipses and handles, and the fit."""

    GHOSTS_WHILE_DRAGGED = False

    # -- building ----------------------------------------------------------------------------------
    def _build_data(self) -> None:
        self.scatter = InertScatter(size=3, pen=None, brush=pg.mkBrush(palette.qcolor(palette.DATA, 90)),
                                    name="samples")
        self.add(self.scatter)
        cache_while_still(self.scatter)
        self.ellipses: list[pg.PlotDataItem] = []
        self.fit_ellipses: list[pg.PlotDataItem] = []

    def label_axes(self, names: tuple[str, ...]) -> None:
        self.plot.setLabel("bottom", names[0], color=palette.MUTED)
        self.plot.setLabel("left", names[1], color=palette.MUTED)
        # one unit is one unit on both axes, unless they are a data set's own (minutes against millimetres)
        self.plot.setAspectLocked(self.state.scene.span is None)

    def _build_late_own(self) -> None:
        self.mean_dot = self._ghost_dot(palette.MEAN, "+", "mean")
        self.median_dot = self._ghost_dot(palette.MEDIAN, "x", "median", anchor=(1.2, -0.1))

    def _ghost_dot(self, colour: str, symbol: str, text: str,
                   anchor=(-0.2, 1.1)) -> tuple[pg.ScatterPlotItem, pg.TextItem]:
        dot = InertScatter(size=18 * self.scale, symbol=symbol, pen=pg.mkPen("#111", width=1), brush=pg.mkBrush(colour))
        label = pg.TextItem(text, color=colour, anchor=anchor)
        label.setFont(self.label_font())
        for item in (dot, label):
            item.setZValue(12)
            self.add(item)
        cache_while_still(dot, label)
        return dot, label

    def fit_view(self) -> None:
        lo, hi = self.data_bounds()
        self.plot.setRange(xRange=(lo[0], hi[0]), yRange=(lo[1], hi[1]), padding=0.04)
        self.plot.vb.setMouseEnabled(x=False, y=False)

    # -- the data ---------------------------------------------------------------------------------------
    def _draw_data(self, finished: bool) -> None:
        shown = self.state.samples[:SHOWN_SAMPLES]
        # a few hundred measurements, each one counts: larger dots than for thousands of samples
        few = self.state.uses_points and len(self.state.samples) < SHOWN_SAMPLES
        self.scatter.setData(shown[:, 0], shown[:, 1], size=(6 if few else 3) * self.scale)
        for i, comp in enumerate(self.state.mixture.components):
            for j, n_std in enumerate((1.0, 2.0)):
                self.ellipses[2 * i + j].setData(*ellipse(comp.mean, comp.cov, n_std))
            self.handles[2 * i].place(*comp.mean)
            self.handles[2 * i + 1].place(*shape_handle(comp.mean, comp.cov))

    def _place_ghosts(self, marks: Markers) -> list[tuple[float, float]]:
        for (dot, label), value in ((self.mean_dot, marks.mean), (self.median_dot, marks.median)):
            dot.setData([value[0]], [value[1]])
            label.setPos(value[0], value[1])
        self.mode_dots.setData(marks.modes[:, 0], marks.modes[:, 1])
        return [(float(a), float(b)) for a, b in marks.modes]

    # -- the handles -------------------------------------------------------------------------------------
    def _forget_component_items(self) -> None:
        for e in self.ellipses:
            self.plot.removeItem(e)
        self.ellipses = []

    def _add_component_items(self, index: int) -> None:
        for n_std in (1.0, 2.0):
            e = pg.PlotDataItem(pen=self.pen(palette.qcolor(palette.DATA, 230 if n_std == 1 else 120), 2))
            e.setZValue(6)
            self.add(e)
            cache_while_still(e.curve)
            self.ellipses.append(e)

    def _handle_pair(self, index: int, name: str) -> tuple[ComponentHandle, ComponentHandle]:
        main = ComponentHandle(index, "centre", symbol="o", size=16 * self.scale,
                               tooltip=f"{name}: drag to move it. Right-click to remove.")
        side = ComponentHandle(index, "shape", symbol="s", size=10 * self.scale,
                               tooltip=f"{name}: drag to stretch and turn it.")
        return main, side

    def apply_handle(self, index: int, role: str, x: float, y: float, finished: bool) -> None:
        if role == "centre":
            self.state.move_component(index, mean=[x, y], finished=finished)
        else:
            comp = self.state.mixture.components[index]
            self.state.move_component(index, cov=from_shape_handle(x, y, comp.mean, comp.cov), finished=finished)

    def new_component_at(self, x: float, y: float) -> list[float]:
        return [x, y]

    # -- the fit ---------------------------------------------------------------------------------------------
    def _draw_estimate(self, est: Estimate) -> None:
        marks = est.marks()
        self.fit_dots.setData(marks[:, 0], marks[:, 1])
        samples = est.samples if est.samples is not None else np.empty((0, 2))
        self.fit_samples.setData(samples[:, 0], samples[:, 1])
        shapes = [(m, c) for _, m, c in est.bells()]
        while len(self.fit_ellipses) < len(shapes):
            item = pg.PlotDataItem(pen=self.pen(palette.ESTIMATE, 2.5))
            item.setZValue(9)
            self.add(item)
            self.fit_ellipses.append(item)
        for i, item in enumerate(self.fit_ellipses):
            if i < len(shapes):
                item.setData(*ellipse(shapes[i][0], shapes[i][1], 1.0))
            else:
                item.setData([], [])
