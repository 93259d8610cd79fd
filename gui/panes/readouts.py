"""Readouts of the fit: step, a live loss curve with its theoretical minimum (hover it for the step and the
loss), how typical the prediction is, how far from a mode, and for a model that gives a distribution how
many modes it covers and its JS divergence to the data."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, Qt, Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout,
                               QWidget)

from engine.lazy import lazy_import
from engine.model.estimate import Snapshot
from engine.model.losses import loss_info
from engine.model.theory import typicality
from gui.state import AppState
from gui.support import palette
from gui.support.plots import PlainPlotItem
from gui.support.throttle import Throttle

coverage = lazy_import("engine.model.coverage")  # with the coverage rows (see coverage_tip)
board = lazy_import("engine.images.board")  # a missed mode's name: not at start-up

if TYPE_CHECKING:
    from engine.model.coverage import Coverage
    from engine.model.floors import Floor

WIDEST_NUMBER = "888,888"  # the widest a readout gets before its label would have to grow
NUMBERS_INTERVAL = 1 / 15  # seconds between updates of the numbers: readable, and cheap
LEAST_SPAN = 0.02  # the curve's axis spans at least this share of the loss's size: a settled fit is a flat line
LEAST_DECADES = 0.05  # on the log scale, at least this many powers of ten


@functools.cache
def coverage_tip() -> str:
    """What the coverage readout means (engine.model.coverage is loaded when a loss that has it is chosen)."""
    from engine.model.coverage import RULE

    return (f"Modes covered: how many of the data's modes the fitted distribution covers. {RULE} \"Mode collapse\": "
            "modes are lost while the model's mass sits on the others.\nJS: the Jensen-Shannon divergence between "
            "the fitted distribution and the data on a grid, in bits, as GAN Lab shows it (0 the same, 1 no "
            "overlap). A GAN's samples are smoothed for it, and the data by the same kernel.")


def curve_range(values: np.ndarray, floor: float | None, log: bool) -> tuple[float, float]:
    """The loss axis's range for these values (and the theoretical minimum, when known): all of them,
    never narrower than a few percent of their size, so float noise in a converged loss stays flat."""
    shown = values[np.isfinite(values)]
    if floor is not None and np.isfinite(floor):
        shown = np.append(shown, floor)
    if not len(shown):
        return (0.0, 1.0)
    lo, hi = float(shown.min()), float(shown.max())
    least = LEAST_DECADES if log else LEAST_SPAN * max(abs(lo), abs(hi), 1e-3)
    if hi - lo < least:
        middle = 0.5 * (lo + hi)
        lo, hi = middle - 0.5 * least, middle + 0.5 * least
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad


def _number_width(scale: float) -> int:
    """The fixed width of a readout's number at the type's `scale` (its style: 16 pt, semi-bold)."""
    font = QFont()
    font.setPointSizeF(16 * scale)
    font.setWeight(QFont.Weight.DemiBold)
    return QFontMetrics(font).horizontalAdvance(WIDEST_NUMBER) + 4


class _CurvePlot(pg.PlotWidget):
    """The loss curve's plot: it asks for a modest height (a plot widget asks for 480 pixels), so the side
    panel's layout lets the controls above keep theirs and gives the curve what is left."""

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt's name)
        return QSize(240, 140)


class ReadoutPanel(QGroupBox):
    """Shows the latest snapshot against the current data; holds no state of the app."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__("Readouts", parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.grid = QGridLayout()
        self.step = self._big("0")
        self.loss = self._big("–")
        self.density = self._big("–")
        self.distance = self._big("–")
        rows = (
            ("Step", self.step, "Optimiser steps since the last reset"),
            ("Loss", self.loss, "The training loss at this step"),
            ("Density here", self.density,
             "The data density where the model predicts (its mean; or each of its components, guesses or "
             "samples, averaged), as a share of the highest density. Near 0%: almost no sample looks like "
             "this prediction."),
            ("Nearest mode", self.distance,
             "Distance from the prediction to the closest mode of the data (averaged like the density)"),
        )
        self.log_box = QCheckBox("log")
        self.log_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.log_box.setToolTip("The loss curve on a logarithmic axis: a fit that closes in on its minimum at a "
                                "steady rate is a straight line. Steps whose loss is 0 or below are left out.")
        self._cells: list[tuple[QWidget, QLabel]] = []
        for name, value, tip in rows:
            label = QLabel(name)
            label.setObjectName("explanation")
            label.setToolTip(tip)
            value.setToolTip(tip)
            if value is self.loss:  # the loss curve's log scale sits by the loss it shows
                head = QWidget()
                head_layout = QHBoxLayout(head)
                head_layout.setContentsMargins(0, 0, 0, 0)
                head_layout.addWidget(label)
                head_layout.addStretch(1)
                head_layout.addWidget(self.log_box)
                label = head
            self._cells.append((label, value))
        self._arrange(2)
        layout.addLayout(self.grid)
        # for a model that gives a distribution: one line, so the side panel keeps its height
        # two lines, not wrapped at the desk: a wrapping label makes the panel's height depend on its width,
        # and the layout then squeezes the controls above; talk mode hides them, and wraps for its larger type
        self.coverage = QLabel()
        self.coverage.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.coverage)
        self.curve_plot = _CurvePlot(background=palette.BACKGROUND, plotItem=PlainPlotItem())
        self.curve_plot.setMinimumHeight(64)  # the side panel's height is scarce at 900 pixels and below
        # It takes the height the side panel has left, not more.
        self.curve_plot.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.curve_plot.setMouseEnabled(x=False, y=False)
        self.curve_plot.setToolTip("The loss over the last steps; the dashed line is the lowest it can go. "
                                   "Point at the curve for the step and the loss.")
        # Both ranges set with the data, in one go: y by curve_range (never float noise); x as set, not by
        # auto-range, which would follow a frame later and draw the plot twice for every update.
        self.curve_plot.plotItem.vb.disableAutoRange()
        self.curve = self.curve_plot.plot(pen=pg.mkPen(palette.ESTIMATE, width=2), connect="finite")
        self.floor_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(palette.MEAN, width=1, style=Qt.PenStyle.DashLine),
                                          label="", labelOpts={"position": 0.02, "color": palette.MEAN,
                                                               "anchors": [(0, 1), (0, 1)]})
        self.floor_line.setZValue(-1)
        self.curve_plot.addItem(self.floor_line)
        self._hover: tuple[pg.ScatterPlotItem, pg.TextItem] | None = None  # made when the pointer first comes
        self.floor: Floor | None = None  # the loss's theoretical minimum on the samples, and what it is
        self._hover_x: float | None = None
        self._steps = np.zeros(0)
        self._values = np.zeros(0)
        self._pending: Snapshot | None = None
        self._throttle = Throttle(NUMBERS_INTERVAL, self._show_pending, self)
        self._atypical = False
        self.last_coverage: Coverage | None = None
        layout.addWidget(self.curve_plot)
        self._show_coverage_rows()
        self._refresh_floor()
        self.curve_plot.scene().sigMouseMoved.connect(self._on_curve_mouse_moved)
        self.curve_plot.viewport().installEventFilter(self)
        self.log_box.toggled.connect(self._on_log_toggled)
        state.talkChanged.connect(self._on_state_talk_changed)
        state.settingsChanged.connect(self._on_state_settings_changed)
        state.sceneReplaced.connect(self._on_state_settings_changed)
        state.dataChanged.connect(self._on_state_data_changed)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_scale(self.state.type_scale)

    def flush(self) -> None:
        """Show the newest snapshot now rather than when the throttle allows."""
        self._throttle.flush()

    def set_scale(self, scale: float) -> None:
        """Room for the larger numbers of talk mode (one under the other, in its narrow side panel), and a
        thicker loss curve."""
        self.coverage.setWordWrap(scale > 1)
        width = _number_width(scale)
        for _, value in self._cells:
            value.setFixedWidth(width)
        self._arrange(1 if scale > 1 else 2)
        self.curve.setPen(pg.mkPen(palette.ESTIMATE, width=2 * scale))
        font = QFont()
        font.setPointSizeF(9 * scale)  # the axes' numbers in the type of the mode, as the distribution's
        for name in ("left", "bottom"):
            self.curve_plot.getAxis(name).setStyle(tickFont=font)

    def _arrange(self, columns: int) -> None:
        for i, (label, value) in enumerate(self._cells):
            row, column = divmod(i, columns)
            self.grid.addWidget(label, 2 * row, column)
            self.grid.addWidget(value, 2 * row + 1, column)

    # -- reading, for tests --------------------------------------------------------------------------------
    def hover_text(self) -> str:
        """What the hover label over the loss curve says ("" when the pointer is not over it)."""
        if self._hover is None or not self._hover[1].isVisible():
            return ""
        return self._hover[1].textItem.toPlainText()

    def curve_axis_range(self) -> tuple[float, float]:
        return tuple(self.curve_plot.viewRange()[1])

    # -- the state changed ------------------------------------------------------------------------------------
    @Slot()
    def _on_state_settings_changed(self) -> None:
        self._show_coverage_rows()
        self._refresh_floor()

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        if finished:  # the minimum can cost milliseconds: once a drag is over, not at every move
            self._refresh_floor()

    def _show_coverage_rows(self) -> None:
        shown = loss_info(self.state.settings.loss).estimate.distribution
        self.coverage.setVisible(shown)
        self.coverage.setText("Modes covered –<br>JS divergence –")
        if shown:
            self.coverage.setToolTip(coverage_tip())

    def _refresh_floor(self) -> None:
        loss = loss_info(self.state.settings.loss)
        s = self.state
        few = len(s.samples) < 2  # painted away: no minimum to mark until there are points again
        self.floor = None if few else loss.floor_on(s.mixture, s.samples, s.settings)
        if self.floor is not None and not math.isfinite(self.floor.value):
            self.floor = None
        self._draw_curve()

    @Slot(bool)
    def _on_log_toggled(self, on: bool) -> None:
        self.curve_plot.getAxis("left").setLogMode(False, on)
        self._draw_curve()

    # -- the loss curve -------------------------------------------------------------------------------------------
    def _draw_curve(self) -> None:
        log = self.log_box.isChecked()
        values = self._values
        if log:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), np.nan)
        self.curve.setData(self._steps, values)
        floor = None
        if self.floor is not None:
            value, what = self.floor.value, self.floor.what
            floor = math.log10(value) if log and value > 0 else (None if log else value)
            self.floor_line.label.setFormat(f"lowest {value:.4g}")
            self.curve_plot.setToolTip(f"The loss over the last steps. Dashed: the lowest it can go, {value:.4g} "
                                       f"({what}). Point at the curve for the step and the loss.")
        self.floor_line.setVisible(floor is not None)
        if floor is not None:
            self.floor_line.setValue(floor)
        lo, hi = curve_range(values, floor, log)
        steps = self._steps
        first, last = (steps[0], steps[-1]) if len(steps) > 1 and steps[-1] > steps[0] else (0.0, 1.0)
        pad = 0.02 * (last - first)  # the line's ends stay inside the frame
        self.curve_plot.setRange(xRange=(first - pad, last + pad), yRange=(lo, hi), padding=0)
        self._draw_hover()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802  (Qt's name)
        if event.type() == QEvent.Type.Leave:
            self._hover_x = None
            self._draw_hover()
        return False

    def _on_curve_mouse_moved(self, position) -> None:
        vb = self.curve_plot.plotItem.vb
        if not vb.sceneBoundingRect().contains(position):
            self._hover_x = None
        else:
            self._hover_x = vb.mapSceneToView(position).x()
        self._draw_hover()

    def _draw_hover(self) -> None:
        """The step and loss under the pointer: a dot on the curve and a label beside it, kept inside."""
        shown = self._hover_x is not None and len(self._steps) > 0
        if shown:
            i = int(np.clip(np.searchsorted(self._steps, self._hover_x), 0, len(self._steps) - 1))
            if i > 0 and abs(self._steps[i - 1] - self._hover_x) < abs(self._steps[i] - self._hover_x):
                i -= 1
            x, value = float(self._steps[i]), float(self._values[i])
            y = math.log10(value) if self.log_box.isChecked() and value > 0 else value
            shown = math.isfinite(y) and not (self.log_box.isChecked() and value <= 0)
        if shown and self._hover is None:
            self._hover = self._make_hover()
        if self._hover is None:
            return
        dot, label = self._hover
        dot.setVisible(shown)
        label.setVisible(shown)
        if not shown:
            return
        dot.setData([x], [y])
        label.setText(f"step {int(x):,}  ·  loss {value:.5g}")
        (x0, x1), (y0, y1) = self.curve_plot.viewRange()
        label.setAnchor((1.0 if x > 0.5 * (x0 + x1) else 0.0, 0.0 if y > 0.5 * (y0 + y1) else 1.0))
        label.setPos(x, y)

    def _make_hover(self) -> tuple[pg.ScatterPlotItem, pg.TextItem]:
        """The dot on the curve and the label beside it, made when the pointer first comes over the curve."""
        dot = pg.ScatterPlotItem(size=9, symbol="o", pen=pg.mkPen("#111"), brush=pg.mkBrush(palette.TEXT))
        label = pg.TextItem("", color=palette.TEXT, fill=palette.qcolor(palette.PANEL, 220))
        for item in (dot, label):
            item.setZValue(20)
            self.curve_plot.addItem(item)
        return dot, label

    @staticmethod
    def _big(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("bigNumber")
        label.setFixedWidth(_number_width(1.0))  # a changing number must not re-lay out the panel every frame
        # Opaque (it paints the style sheet's background anyway): a new number repaints the label alone, not
        # the panel and the scroll area beneath it too (under Xvfb a redraw of the numbers took 3.3 ms, p95 13,
        # and now 3.1 ms, p95 4.2)
        label.setAutoFillBackground(True)
        return label

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Show a snapshot. While the fit streams, the numbers change at most 15 times a second; the
        newest snapshot is always shown in the end (a trailing update), so a pause shows where it stopped."""
        self._pending = snap
        self._throttle.request()

    def _show_pending(self) -> None:
        if self._pending is None:
            return
        snap, self._pending = self._pending, None
        mixture = self.state.mixture
        if snap.estimate.dim != mixture.dim:
            return
        self.step.setText(f"{snap.step:,}")
        self.loss.setText("–" if math.isnan(snap.loss) else f"{snap.loss:.4g}")
        share, distance = typicality(mixture, snap.estimate, self.state.density)
        if share >= 0.1:
            text = f"{100 * share:.0f}%"  # "100.0%" would not fit beside its neighbour in talk mode's type
        else:
            text = f"{100 * share:.1f}%" if share >= 0.001 else ("< 0.1%" if share > 0 else "0%")
        self.density.setText(text)
        atypical = share < 0.1
        if atypical != self._atypical:  # restyling is costly: only when it changes
            self._atypical = atypical
            self.density.setStyleSheet(f"color: {palette.VERMILLION if atypical else palette.TEXT};")
        self.distance.setText(f"{distance:.2f}")
        if snap.estimate.distribution and snap.loss_id == self.state.settings.loss:
            self._show_coverage(coverage.coverage(mixture, snap.estimate))
        first = snap.step - len(snap.losses) + 1
        self._steps = np.arange(first, snap.step + 1, dtype=float)
        self._values = np.asarray(snap.losses, dtype=float)
        self._draw_curve()

    def _show_coverage(self, found: Coverage) -> None:
        self.last_coverage = found
        modes = f"<b>{found.covered} of {found.total}</b>"
        verdict = found.verdict()
        missed = ""
        if verdict:
            names = board.mode_labels(self.state.mixture, self.state.mixture.modes())
            missed = f"It misses {', '.join(names[i] for i in found.lost)}. "
            modes = f"<span style='color:{palette.VERMILLION}'>{modes}, <b>{verdict}</b></span>"
        self.coverage.setText(f"Modes covered {modes}<br>JS divergence <b>{found.js_divergence:.3f}</b> bits")
        tip = missed + coverage_tip()
        if tip != self.coverage.toolTip():
            self.coverage.setToolTip(tip)
