"""What the why draws over the distribution pane: the tug of war (each of 40 samples' pull on the
prediction, and the net pull) and the decoding dial's answer. Each follows AppState and the snapshots it
is shown, and puts its items on the pane again whenever the pane rebuilds its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QFont

from engine.lazy import lazy_import
from engine.model.estimate import Snapshot
from engine.model.losses import loss_info
from gui.panes.distribution import DistributionPane
from gui.state import AppState
from gui.support import palette
from gui.support.throttle import Throttle

if TYPE_CHECKING:
    from engine.model.pulls import Pulls

pulls = lazy_import("engine.model.pulls")  # once the tug of war is first on

ROWS = (0.06, 0.46)  # in 1-D the arrows stand one above the other between these shares of the view's height
NET_ROW = 0.53
HEAD_PX = 7.0  # arrow heads, in screen pixels (times the line scale)
ANSWER_INTERVAL = 1 / 20  # seconds between moves of the dial's marker while the fit runs


def arrows(starts: np.ndarray, ends: np.ndarray, pixel: np.ndarray, head: float) -> np.ndarray:
    """Line segments (pairs of rows) that draw an arrow from each start to each end: a shaft and a
    head of `head` pixels; `pixel` is the view's data units per pixel on each axis (so heads keep their
    shape in a view whose axes differ in scale)."""
    out = []
    for a, b in zip(starts, ends):
        out += [a, b]
        shaft = (b - a) / pixel  # in pixels
        length = float(np.hypot(*shaft))
        if length < 2 * head:
            continue
        u = shaft / length
        for side in (1.0, -1.0):
            wing = -u * head + side * 0.5 * head * np.array([-u[1], u[0]])
            out += [b, b + wing * pixel]
    return np.array(out).reshape(-1, 2)


class PaneOverlay:
    """Items of one overlay on the distribution pane: drawn from the state and the newest snapshot, kept on
    the pane, and drawn again whenever it rebuilds its own. A subclass makes its items in `_make_items`, the
    first time they show (neither overlay shows before the fit's first frame, so the first paint does not
    wait for them), and draws them in `_draw`."""

    items: tuple = ()  # none until they first show

    def __init__(self, state: AppState, pane: DistributionPane) -> None:
        self.state = state
        self.pane = pane
        self._snapshot: Snapshot | None = None
        self.pane.rebuilt.connect(self._on_state_changed)
        for signal in (self.state.whyChanged, self.state.settingsChanged, self.state.dataChanged):
            signal.connect(self._on_state_changed)

    def _show_items(self, shown: bool) -> bool:
        """Show or hide the items (made, and kept on the pane, the first time they show); returns `shown`."""
        if shown and not self.items:
            self.items = self._make_items()
            self.pane.keep(*self.items)
        for item in self.items:
            item.setVisible(shown)
        return shown

    def _make_items(self) -> tuple:
        raise NotImplementedError

    @Slot()
    def _on_state_changed(self, *_args) -> None:
        self._draw()

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        self._snapshot = snap
        self._draw()

    def _showing(self) -> Snapshot | None:
        """The snapshot to draw, if it belongs to the loss and the scene on show."""
        snap = self._snapshot
        if snap is None or snap.loss_id != self.state.settings.loss or snap.estimate.dim != self.state.dim:
            return None
        return snap

    def _draw(self) -> None:
        raise NotImplementedError


class PullsOverlay(PaneOverlay):
    """The tug of war: an arrow from the prediction for each drawn sample's pull, and the net pull."""

    def __init__(self, state: AppState, pane: DistributionPane) -> None:
        super().__init__(state, pane)
        self.last: Pulls | None = None

    def _make_items(self) -> tuple:
        self.lines = pg.PlotCurveItem(connect="pairs")
        self.net = pg.PlotCurveItem(connect="pairs")
        self.dots = pg.ScatterPlotItem(symbol="o", pen=None, brush=pg.mkBrush(palette.qcolor(palette.DATA, 230)))
        self.net_label = pg.TextItem("net pull", color=palette.ESTIMATE, anchor=(0.5, 1.2))
        for z, item in enumerate((self.lines, self.dots, self.net, self.net_label)):
            item.setZValue(15 + z)
        return self.lines, self.dots, self.net, self.net_label

    @staticmethod
    def scale(found: Pulls) -> float:
        """Data units of arrow per unit of pull: the farthest sample's arrow reaches it, so L2's arrows end
        at their samples and every other loss's are drawn to the same measure."""
        distance = np.linalg.norm(found.samples - found.prediction, axis=1)
        if not len(distance):
            return 0.0
        far = int(np.argmax(distance))
        strength = float(np.linalg.norm(found.vectors[far]))
        return float(distance[far]) / strength if strength > 0 else 0.0

    def _draw(self) -> None:
        loss = loss_info(self.state.settings.loss)
        snap = self._showing()
        if not self._show_items(self.state.why.pulls and loss.has_pulls and snap is not None):
            self.last = None
            return
        found = pulls.pulls(loss.penalty_for(self.state.settings), self.state.samples, snap.estimate.mean)
        self.last = found
        (x0, x1), (y0, y1) = self.pane.viewRange()
        scale = self.scale(found)
        pixel = np.array(self.pane.plotItem.vb.viewPixelSize())
        head = HEAD_PX * self.pane.line_scale
        mu = found.prediction
        if self.state.dim == 1:
            order = np.argsort(found.samples[:, 0])
            rows = y0 + (y1 - y0) * np.linspace(*ROWS, len(order))
            starts = np.column_stack([np.full(len(order), mu[0]), rows])
            ends = starts + np.column_stack([scale * found.vectors[order, 0], np.zeros(len(order))])
            dots = np.column_stack([found.samples[order, 0], rows])
            net_start = np.array([mu[0], y0 + (y1 - y0) * NET_ROW])
            net_end = net_start + np.array([scale * found.net[0], 0.0])
        else:
            starts = np.repeat(mu[None, :], len(found.samples), axis=0)
            ends = starts + scale * found.vectors
            dots = found.samples
            net_start, net_end = mu, mu + scale * found.net
        segments = arrows(starts, ends, pixel, head)
        width = self.pane.line_scale
        self.lines.setData(segments[:, 0], segments[:, 1], pen=pg.mkPen(palette.qcolor(palette.TEXT, 170), width=width))
        self.dots.setData(dots[:, 0], dots[:, 1], size=5 * width)
        net = arrows(net_start[None], net_end[None], pixel, 1.6 * head)
        self.net.setData(net[:, 0], net[:, 1], pen=pg.mkPen(palette.ESTIMATE, width=3 * width))
        font = QFont()
        font.setPointSizeF(9 * width)
        self.net_label.setFont(font)
        self.net_label.setPos(*(0.5 * (net_start + net_end)))


class AnswerMarker(PaneOverlay):
    """Where the decoding dial says the model answers, for the losses that give a distribution. Its mode
    or annealed mean costs a few milliseconds in 2-D, so a running fit moves it at most 20 times a second."""

    def __init__(self, state: AppState, pane: DistributionPane) -> None:
        super().__init__(state, pane)
        self.point: np.ndarray | None = None
        self._throttle = Throttle(ANSWER_INTERVAL, self._draw)

    def _make_items(self) -> tuple:
        self.ring = pg.ScatterPlotItem(symbol="o", pen=pg.mkPen(palette.ESTIMATE, width=3), brush=None)
        self.label = pg.TextItem("", color=palette.ESTIMATE, anchor=(0.5, 1.6),
                                 fill=palette.qcolor(palette.BACKGROUND, 190))
        self.ring.setZValue(22)
        self.label.setZValue(22)
        return self.ring, self.label

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        self._snapshot = snap
        self._throttle.request()

    def flush(self) -> None:
        """Draw the newest snapshot now rather than when the throttle allows."""
        self._throttle.flush()

    def _draw(self) -> None:
        snap = self._showing()
        if not self._show_items(snap is not None and snap.estimate.distribution):
            self.point = None
            return
        decoding = self.state.why.decoding
        self.point = decoding.point(snap.estimate)
        y = self.point[1] if self.state.dim == 2 else 0.0
        scale = self.pane.line_scale
        self.ring.setData([self.point[0]], [y], size=22 * scale)
        font = QFont()
        font.setPointSizeF(9 * scale)
        self.label.setFont(font)
        self.label.setText(f"answer: {decoding.caption()}")
        self.label.setPos(self.point[0], y)
