"""The 1-D drawing: one axis of the data as a density curve over a histogram of the samples, a peak handle
(mean and weight) and a width handle per component, and the fit drawn on that axis.

It draws the marginal along `axis` into the plot it is given: the whole data in a 1-D scene, one property of
many when several plots stand side by side.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from engine.maths.kde import Kde
from engine.model.estimate import Estimate
from engine.model.handles import (from_peak_handle, from_width_handle, marginal, peak_handle, peak_height,
                                  width_handle, with_std)
from engine.model.theory import Markers
from gui.panes.distribution.drawing import Drawing
from gui.support.plots import cache_while_still
from gui.panes.handles import ComponentHandle
from gui.support import palette

GRID_POINTS = 600
HEADROOM = 1.5  # the view's height over the highest peak: room for the legend and labels
BINS = 90


def _gauss(x: np.ndarray, mean: float, var: float) -> np.ndarray:
    return np.exp(-0.5 * (x - mean) ** 2 / var) / math.sqrt(2 * math.pi * var)


def histogram_bins(bins: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Bins over the view for points of your own: as many across the points as twice the cube root of
    their number (the Rice rule, between 12 and BINS), so a few hundred measurements make a histogram,
    not a comb, and a small painted blob still gets several bins."""
    if len(values) < 2 or values.max() <= values.min():
        return bins
    count = int(np.clip(round(2 * len(values) ** (1 / 3)), 12, BINS))
    width = max((values.max() - values.min()) / count, (bins[-1] - bins[0]) / (4 * BINS))
    return np.arange(bins[0], bins[-1] + width, width)


class MarginalDrawing(Drawing):
    """The data along one axis (`axis`), its components' handles, and the fit on that axis."""

    GHOSTS_WHILE_DRAGGED = True
    GRID_POINTS = GRID_POINTS  # where the curves are worked out across the view

    def __init__(self, *args, axis: int = 0, **kwargs) -> None:
        self.axis = axis
        super().__init__(*args, **kwargs)

    # -- building --------------------------------------------------------------------------------
    def _build_data(self) -> None:
        self.hist = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=None,
                                    brush=pg.mkBrush(palette.qcolor(palette.DATA, 60)), name="samples")
        self.density = pg.PlotDataItem(pen=self.pen(palette.DATA, 3), name="data density")
        self.add(self.hist, self.density)
        cache_while_still(self.hist.curve, self.density.curve)

    def label_axes(self, names: tuple[str, ...]) -> None:
        self.plot.setLabel("bottom", names[self.axis], color=palette.MUTED)
        self.plot.setLabel("left", "density", color=palette.MUTED)
        self.plot.setAspectLocked(False)

    def _late_fit_items(self) -> list:
        self.fit_curve = pg.PlotDataItem(pen=self.pen(palette.ESTIMATE, 3))
        return [self.fit_curve]

    def _build_late_own(self) -> None:
        self.mean_line = self._ghost_line(palette.MEAN, "mean", 0.86, Qt.PenStyle.DashLine)  # below the legend
        self.median_line = self._ghost_line(palette.MEDIAN, "median", 0.76, Qt.PenStyle.DotLine)
        self.fit_line = pg.InfiniteLine(angle=90, pen=self.pen(palette.ESTIMATE, 2))
        self.fit_line.setZValue(9)
        self.add(self.fit_line)

    def _ghost_line(self, colour: str, text: str, at: float, style) -> pg.InfiniteLine:
        line = pg.InfiniteLine(angle=90, pen=self.pen(colour, 2, style=style), label=text,
                               labelOpts={"position": at, "color": colour, "fill": palette.qcolor(palette.BACKGROUND, 200),
                                          "anchors": [(0.5, 0), (0.5, 0)]})
        line.label.setFont(self.label_font())
        line.setZValue(5)
        cache_while_still(line, line.label)  # the data's mean and median: still while the fit runs
        self.add(line)
        self.labelled_lines.append((line, at))
        return line

    def fit_view(self) -> None:
        lo, hi = self.data_bounds()
        a = self.axis
        self.x_grid = np.linspace(lo[a], hi[a], self.GRID_POINTS)
        self.bins = np.linspace(lo[a], hi[a], BINS + 1)
        top = self._top() * HEADROOM
        self.plot.setXRange(lo[a], hi[a], padding=0.02)
        self.plot.setYRange(-0.04 * top, top, padding=0)
        self.plot.vb.setMouseEnabled(x=False, y=False)

    def _top(self) -> float:
        """The highest the data's density curve or a handle goes, or, in a data set's own units, L2's
        fixed-variance bell (one unit of the decoder wide: a quarter of the span)."""
        density = self.state.density
        own = density.peak_density() if density is not self.state.mixture and self.state.dim == 1 else 0.0
        top = max(max(self._peaks()), own)
        span = self.state.scene.span
        if span is not None:
            top = max(top, 1.0 / (math.sqrt(2 * math.pi) * (span[self.axis][1] - span[self.axis][0]) / 4))
        return top

    # -- the data ------------------------------------------------------------------------------------
    def _components(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each component's share, mean and variance along the axis."""
        m = self.state.mixture
        return marginal(m.weights, m.means, m.covs, self.axis)

    def _peaks(self) -> list[float]:
        return [peak_height(s, v) for s, _, v in zip(*self._components())]

    def _density(self, x: np.ndarray) -> np.ndarray:
        """The data's density along the axis: the state's own in 1-D, the mixture's marginal otherwise."""
        if self.state.dim == 1:
            return self.state.density.pdf(x[:, None])
        return sum(s * _gauss(x, mu, v) for s, mu, v in zip(*self._components()))

    def _draw_data(self, finished: bool) -> None:
        samples = self.state.samples
        x = self.x_grid
        self.density.setData(x, self._density(x) if len(samples) else np.zeros_like(x))
        values = samples[:, self.axis]
        bins = self.bins if not self.state.uses_points else histogram_bins(self.bins, values)
        counts, _ = np.histogram(values, bins=bins)
        self.hist.setData(bins, counts / (max(len(samples), 1) * (bins[1] - bins[0])))
        for i, (share, mu, var) in enumerate(zip(*self._components())):
            self.handles[2 * i].place(*peak_handle(share, mu, var))
            self.handles[2 * i + 1].place(*width_handle(share, mu, var))
        if finished:
            top = self._top() * HEADROOM
            if top > self.view_top():
                self.plot.setYRange(-0.04 * top, top, padding=0)

    def _place_ghosts(self, marks: Markers) -> list[tuple[float, float]]:
        a = self.axis
        self.mean_line.setValue(float(marks.mean[a]))
        self.median_line.setValue(float(marks.median[a]))
        lift = 0.06 * self.view_top()
        heights = self._density(marks.modes[:, a]) + lift
        self.mode_dots.setData(marks.modes[:, a], heights)
        return [(float(x), float(h)) for x, h in zip(marks.modes[:, a], heights)]

    # -- the handles ------------------------------------------------------------------------------------
    def _handle_pair(self, index: int, name: str) -> tuple[ComponentHandle, ComponentHandle]:
        main = ComponentHandle(index, "peak", symbol="o", size=16 * self.scale,
                               tooltip=f"{name}: drag sideways to move, up or down to change its weight. "
                                       "Right-click to remove.")
        side = ComponentHandle(index, "width", symbol="s", size=10 * self.scale,
                               tooltip=f"{name}: drag sideways to change its width.")
        return main, side

    def apply_handle(self, index: int, role: str, x: float, y: float, finished: bool) -> None:
        comp = self.state.mixture.components[index]
        a = self.axis
        if role == "peak":
            mean, share = from_peak_handle(x, y, float(comp.cov[a, a]))
            moved = np.array(comp.mean, dtype=float)
            moved[a] = mean
            self.state.move_component(index, mean=moved, peak_share=share, finished=finished)
        elif self.state.dim == 1:  # the width: a 1-D component's whole covariance
            self.state.move_component(index, std=from_width_handle(x, comp.mean[a]), finished=finished)
        else:
            cov = with_std(comp.cov, a, from_width_handle(x, comp.mean[a]))
            self.state.move_component(index, cov=cov, finished=finished)

    def new_component_at(self, x: float, y: float) -> list[float]:
        point = self.state.mixture.mean().astype(float)
        point[self.axis] = x
        return point.tolist()

    # -- the fit --------------------------------------------------------------------------------------------
    def _draw_estimate(self, est: Estimate) -> None:
        a = self.axis
        self.fit_line.setValue(float(est.mean[a]))
        self.fit_line.setVisible(est.single)
        if len(self.fit_samples.data):  # set only when it had some: an empty set would still be redrawn
            self.fit_samples.setData([], [])
        marks = est.marks()
        self.fit_dots.setData(marks[:, a], np.zeros(len(marks)))
        xs, ys, connect = self._fit_curve(est, marks)
        self.fit_curve.setData(xs, ys, connect=connect)
        if est.samples is not None and not est.bells():  # the generated samples as a rug
            rug = -0.02 * self.view_top()
            self.fit_samples.setData(est.samples[:, a], np.full(len(est.samples), rug))

    def _fit_curve(self, est: Estimate, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
        """The fit's curve on this axis (x, y, pyqtgraph's `connect`): its bells' marginal, a smoothed density
        of its generated samples, or a vertical line at each of its guesses."""
        a, x = self.axis, self.x_grid
        bells = est.bells()
        if bells:  # a mixture's bells at once: hundreds of them in many dimensions
            w = np.array([b[0] for b in bells], dtype=float)
            mu = np.array([b[1][a] for b in bells], dtype=float)[:, None]
            var = np.array([b[2][a, a] for b in bells], dtype=float)[:, None]
            return x, w @ (np.exp(-0.5 * (x - mu) ** 2 / var) / np.sqrt(2 * math.pi * var)), "all"
        if est.samples is not None:
            return x, Kde(est.samples[:, a : a + 1]).pdf(x[:, None]), "all"
        top = self.view_top() * 0.75
        return np.repeat(marks[:, a], 3), np.tile([0.0, top, np.nan], len(marks)), "finite"

    def _trail_xy(self, trail: np.ndarray) -> np.ndarray:
        return np.column_stack([trail[:, self.axis], np.zeros(len(trail))])  # on the axis
