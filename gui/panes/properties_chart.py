"""The chart of how rare L2's answer gets: the data density at the answer, as a share of the peak, against
the number of properties (1 to 8), on a log scale, exact (the product rule, in logs), today's count marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QFont

from engine.model.properties import CAR_PROPERTIES, MAX_PROPERTIES, Property, density_at_answer_by_k
from gui.panes.properties_multiples import PropertiesModel
from gui.state import AppState
from gui.support import palette
from gui.support.throttle import Throttle

DRAGGED_S = 0.1  # a drag redraws the chart at most this often (all eight counts' answers, worked out anew)


def chart_properties(props: tuple[Property, ...]) -> tuple[Property, ...]:
    """The properties the chart runs over: today's, then the car's others with their default kinds."""
    return tuple(props) + CAR_PROPERTIES[len(props):MAX_PROPERTIES]


def share_text(log10_share: float) -> str:
    """A share of the peak in words, however small: "0.07 % of the peak", "1e-17 % of the peak"."""
    percent = log10_share + 2
    if percent >= -2:
        return f"{10 ** percent:.2g} % of the peak"
    return f"1e{round(percent)} % of the peak"


class DensityChart(pg.PlotWidget):
    """log10(density at L2's answer / peak density) for K = 1 … 8 properties; `values` holds them."""

    def __init__(self, state: AppState, model: PropertiesModel, parent=None) -> None:
        super().__init__(parent=parent, background=palette.BACKGROUND)
        self.state = state
        self.model = model
        self.values = np.zeros(MAX_PROPERTIES)
        plot = self.plotItem
        plot.setMenuEnabled(False)
        plot.vb.setMouseEnabled(x=False, y=False)
        self._titles()
        plot.setLogMode(x=False, y=True)
        plot.showGrid(x=False, y=True, alpha=0.25)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(palette.DATA, width=2), symbol="o", symbolSize=7,
                                     symbolBrush=palette.DATA, symbolPen=None)
        self.today = pg.PlotDataItem(pen=None, symbol="o", symbolSize=16, symbolBrush=palette.ESTIMATE,
                                     symbolPen=pg.mkPen(palette.TEXT, width=1.5))
        # Today's value, in the colour of its dot, at the top right, in a band kept clear of the curve (_frame).
        self.label = pg.TextItem(color=palette.ESTIMATE, anchor=(1.0, 0.0))
        for item in (self.curve, self.today, self.label):
            plot.addItem(item)
        self.today.setZValue(5)
        self._dragged = Throttle(DRAGGED_S, self.refresh, self)
        self.refresh()
        plot.vb.sigResized.connect(self._frame)
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self.refresh)
        state.talkChanged.connect(self._on_state_talk_changed)

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        if finished:
            self._dragged.cancel()
            self.refresh()
        else:
            self._dragged.request()

    def _titles(self) -> None:
        size = f"{10 * self.state.type_scale:.0f}pt"
        self.plotItem.setTitle("density at L2's answer / peak", color=palette.TEXT, size=size)
        self.plotItem.setLabel("bottom", "properties", color=palette.MUTED, **{"font-size": size})  # CSS, as pyqtgraph writes it

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        font = QFont()
        font.setPointSizeF(9 * self.state.type_scale)
        for name in ("bottom", "left"):
            self.plotItem.getAxis(name).setStyle(tickFont=font)
        self.label.setFont(font)
        self._titles()
        self._frame()

    @Slot()
    def refresh(self) -> None:
        props = self.model.props
        self.values = density_at_answer_by_k(chart_properties(props))
        ks = np.arange(1, MAX_PROPERTIES + 1)
        self.curve.setData(ks, 10.0 ** self.values)
        k = len(props)
        self.today.setData([k], [10.0 ** self.values[k - 1]])
        self.label.setText(f"K = {k}: {share_text(self.values[k - 1])}")
        self.plotItem.setXRange(0.6, MAX_PROPERTIES + 0.4, padding=0)
        self._frame()

    def _frame(self) -> None:
        """The y range: the values, and over the highest of them a band as tall as the label (and a dot's
        radius) in which the label stands, so that it never sits on the curve at any size of the chart."""
        bottom, highest = min(self.values.min(), -1) - 0.5, max(self.values.max(), -1) + 0.3
        pixels = max(self.plotItem.vb.height(), 1.0)
        band = min(0.45, (self.label.boundingRect().height() + 12) / pixels)  # its share of the height
        top = max(0.3, (highest - band * bottom) / (1 - band))  # top - band * (top - bottom) = highest
        self.plotItem.setYRange(bottom, top, padding=0)
        self.label.setPos(MAX_PROPERTIES + 0.4, top)
