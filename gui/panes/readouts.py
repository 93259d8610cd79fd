"""Readouts of the fit: step, a live loss curve, how typical the prediction is, how far from a mode."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QSizePolicy, QVBoxLayout

from engine.model.estimate import Snapshot
from engine.model.theory import typicality
from gui.state import AppState
from gui.support import palette
from gui.support.throttle import Throttle

WIDEST_NUMBER = "888,888"  # the widest a readout gets before its label would have to grow
NUMBERS_INTERVAL = 1 / 15  # seconds between updates of the numbers: readable, and cheap


def _number_width(scale: float) -> int:
    """The fixed width of a readout's number at the type's `scale` (its style: 16 pt, semi-bold)."""
    font = QFont()
    font.setPointSizeF(16 * scale)
    font.setWeight(QFont.Weight.DemiBold)
    return QFontMetrics(font).horizontalAdvance(WIDEST_NUMBER) + 4


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
        self._cells: list[tuple[QLabel, QLabel]] = []
        for name, value, tip in rows:
            label = QLabel(name)
            label.setObjectName("explanation")
            label.setToolTip(tip)
            value.setToolTip(tip)
            self._cells.append((label, value))
        self._arrange(2)
        layout.addLayout(self.grid)
        self.curve_plot = pg.PlotWidget(background=palette.BACKGROUND, enableMenu=False)
        self.curve_plot.setMinimumHeight(80)
        # It takes the height the side panel has left, not pyqtgraph's 640x480 preference.
        self.curve_plot.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.curve_plot.setMouseEnabled(x=False, y=False)
        self.curve_plot.setMenuEnabled(False)
        self.curve_plot.hideButtons()
        self.curve_plot.setToolTip("The loss over the last steps")
        for name in ("bottom", "left"):
            axis = self.curve_plot.getAxis(name)
            axis.setPen(pg.mkPen(palette.GRID))
            axis.setTextPen(pg.mkPen(palette.MUTED))
            axis.enableAutoSIPrefix(False)
        self.curve = self.curve_plot.plot(pen=pg.mkPen(palette.ESTIMATE, width=2))
        self._pending: Snapshot | None = None
        self._throttle = Throttle(NUMBERS_INTERVAL, self._show_pending, self)
        self._atypical = False
        layout.addWidget(self.curve_plot)
        state.talkChanged.connect(self._on_state_talk_changed)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_scale(self.state.type_scale)

    def flush(self) -> None:
        """Show the newest snapshot now rather than when the throttle allows."""
        self._throttle.flush()

    def set_scale(self, scale: float) -> None:
        """Room for the larger numbers of talk mode (one under the other, in its narrow side panel), and a
        thicker loss curve."""
        width = _number_width(scale)
        for _, value in self._cells:
            value.setFixedWidth(width)
        self._arrange(1 if scale > 1 else 2)
        self.curve.setPen(pg.mkPen(palette.ESTIMATE, width=2 * scale))

    def _arrange(self, columns: int) -> None:
        for i, (label, value) in enumerate(self._cells):
            row, column = divmod(i, columns)
            self.grid.addWidget(label, 2 * row, column)
            self.grid.addWidget(value, 2 * row + 1, column)

    @staticmethod
    def _big(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("bigNumber")
        label.setFixedWidth(_number_width(1.0))  # a changing number must not re-lay out the panel every frame
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
        if len(snap.losses):
            first = snap.step - len(snap.losses) + 1
            self.curve.setData(np.arange(first, snap.step + 1), snap.losses)
        else:
            self.curve.setData([], [])
