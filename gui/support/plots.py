"""The plots' parts: a plot item with a view box and its left and bottom axes, and those axes, in the app's
colours, with plain numbers (no SI prefixes) and a label that is set only when it changes.

pyqtgraph's PlotItem also builds a context menu, buttons, a title and two hidden axes for every plot, which
BlurLab's plots never show and which slow the window's first paint. PlainPlotItem is the part of it the plots
use, and a PlotWidget takes it as its `plotItem`:

    pg.PlotWidget(background=palette.BACKGROUND, plotItem=PlainPlotItem())

pyqtgraph parses an axis's label anew, as HTML, at every change of its view's range; Axis parses it only
when its text changes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsGridLayout, QGraphicsItem, QSizePolicy

from gui.support import palette

# What a PlotWidget passes on to its plot item, and PlotItem to its view box: the range, the links and the mouse.
_VIEW_METHODS = ("autoRange", "setXRange", "setYRange", "setRange", "setAspectLocked", "setMouseEnabled", "setXLink",
                 "setYLink", "enableAutoRange", "disableAutoRange", "setLimits", "register", "unregister", "viewRect",
                 "viewRange")


def _to_view(name: str):
    def method(self, *args, **kwargs):
        return getattr(self.vb, name)(*args, **kwargs)

    method.__name__ = name
    return method


class Axis(pg.AxisItem):
    """An axis in the app's colours, with plain numbers, whose label is parsed only when it changes."""

    _label_html: str | None = None  # the label's HTML as last set

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, pen=pg.mkPen(palette.GRID), textPen=pg.mkPen(palette.MUTED), **kwargs)
        self.enableAutoSIPrefix(False)

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803  (pyqtgraph's names)
        """pyqtgraph's tick levels, with the major spacing widened (1, 2, 5, 10 …) until its labels fit
        between their ticks with a gap, in the axis's font: a short axis gets fewer numbers, never a run of
        digits."""
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or self._tickSpacing is not None or size <= 0 or maxVal <= minVal:
            return levels
        major = levels[0][0]
        while not self._labels_fit(minVal, maxVal, size, major) and major * 2 <= (maxVal - minVal):
            mantissa = round(major / 10 ** math.floor(math.log10(major) + 1e-9))
            major *= 2.5 if mantissa == 2 else 2.0
        if major == levels[0][0]:
            return levels
        minor = [(spacing, offset) for spacing, offset in levels[1:]
                 if spacing < major and abs(major / spacing - round(major / spacing)) < 1e-6]
        return [(major, 0.0), *minor]

    def _labels_fit(self, low: float, high: float, size: float, spacing: float) -> bool:
        """Whether the labels of ticks `spacing` apart fit between them: a character's width apart along a
        bottom axis, a line's height (its leading keeps them apart) along a left one."""
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        first = math.ceil(low / spacing) * spacing
        values = [first + i * spacing for i in range(int((high - first) / spacing) + 1)]
        if len(values) < 2:
            return True
        pixels = spacing * size / (high - low)
        if self.orientation in ("left", "right"):
            return pixels >= metrics.height()
        strings = self.tickStrings(values, self.autoSIPrefixScale * self.scale, spacing)
        return pixels >= max(metrics.horizontalAdvance(text) for text in strings) + metrics.averageCharWidth()

    def generateDrawSpecs(self, p):  # noqa: N802  (pyqtgraph's name)
        """pyqtgraph's, less any label that would overlap one already placed (the major ticks' come first)."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        placed = []
        for text in texts:
            if not any(text[0].intersects(other[0]) for other in placed):
                placed.append(text)
        return axis, ticks, placed

    def _updateLabel(self) -> None:  # noqa: N802  (pyqtgraph's name)
        html = self.labelString()
        if html != self._label_html:  # the rest as pyqtgraph does it
            self._label_html = html
            self.label.setHtml(html)
        self._adjustSize()
        self.picture = None
        self.update()


def cache_while_still(*items) -> None:
    """Items that change only when the data does are drawn from a cached pixmap between changes, so a
    frame of the fit repaints only what moved."""
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class PlainPlotItem(pg.GraphicsWidget):
    """A view box with a left and a bottom Axis, laid out as PlotItem lays them out, with the part of
    PlotItem's interface the plots use: items (a named one joins the legend), labels, a legend, and the view
    box's range, links and mouse."""

    sigRangeChanged = Signal(object, object)
    sigXRangeChanged = Signal(object, object)
    sigYRangeChanged = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.layout = QGraphicsGridLayout()
        self.layout.setContentsMargins(1, 1, 1, 1)
        self.layout.setHorizontalSpacing(0)
        self.layout.setVerticalSpacing(0)
        self.setLayout(self.layout)
        self.vb = pg.ViewBox(parent=self, enableMenu=False)
        self.vb.sigRangeChanged.connect(self.sigRangeChanged)
        self.vb.sigXRangeChanged.connect(self.sigXRangeChanged)
        self.vb.sigYRangeChanged.connect(self.sigYRangeChanged)
        self.layout.addItem(self.vb, 0, 1)
        self.axes: dict[str, Axis] = {}
        for name, row, column in (("left", 0, 0), ("bottom", 1, 1)):
            axis = self.axes[name] = Axis(name, parent=self)
            axis.linkToView(self.vb)
            axis.setZValue(0.5)
            axis.setFlag(QGraphicsItem.GraphicsItemFlag.ItemNegativeZStacksBehindParent)
            self.layout.addItem(axis, row, column)
        self.layout.setRowStretchFactor(0, 100)
        self.layout.setColumnStretchFactor(1, 100)
        self.items: list[QGraphicsItem] = []
        self.legend: pg.LegendItem | None = None

    def getAxis(self, name: str) -> Axis:  # noqa: N802  (PlotItem's names, here and below)
        """The left or the bottom axis (KeyError for another: a plain plot has no other)."""
        return self.axes[name]

    def setLabel(self, axis: str, *args, **kwargs) -> None:  # noqa: N802
        self.getAxis(axis).setLabel(*args, **kwargs)

    def addLegend(self, offset=(30, 30), **kwargs) -> pg.LegendItem:  # noqa: N802
        """The legend in the view box's corner (made once); items added with a name join it."""
        if self.legend is None:
            self.legend = pg.LegendItem(offset=offset, **kwargs)
            self.legend.setParentItem(self.vb)
        return self.legend

    def addItem(self, item, *args, **kwargs) -> None:  # noqa: N802
        if item in self.items:
            return
        self.items.append(item)
        self.vb.addItem(item, *args, **{k: v for k, v in kwargs.items() if k == "ignoreBounds"})
        name = item.name() if hasattr(item, "implements") and item.implements("plotData") else None
        if name is not None and self.legend is not None:
            self.legend.addItem(item, name=name)

    def removeItem(self, item) -> None:  # noqa: N802
        if item not in self.items:
            return
        self.items.remove(item)
        self.vb.removeItem(item)
        if self.legend is not None:
            self.legend.removeItem(item)

    def clear(self) -> None:
        for item in self.items[:]:
            self.removeItem(item)

    def plot(self, *args, **kwargs) -> pg.PlotDataItem:
        item = pg.PlotDataItem(*args, **kwargs)
        self.addItem(item)
        return item

    def setAxisItems(self, axisItems=None) -> None:  # noqa: N802
        raise TypeError("a plain plot's axes are its own left and bottom Axis")


# As PlotItem passes them on (viewRect too: GraphicsWidget's own asks the view widget, which would ask this again).
for _name in _VIEW_METHODS:
    setattr(PlainPlotItem, _name, _to_view(_name))
