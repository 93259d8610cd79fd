"""The plots' PlainPlotItem does for the panes what PlotItem did: items, a legend, labels and the view's range."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from gui.support.plots import PlainPlotItem


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget(plotItem=PlainPlotItem())
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_named_items_join_the_legend_and_leave_it_with_the_plot(plot):
    legend = plot.plotItem.addLegend()
    curve = plot.plot([0, 1, 2], [0, 1, 0], name="density")
    unnamed = plot.plot([0, 1], [1, 1])
    assert [label.text for _, label in legend.items] == ["density"]
    assert plot.plotItem.items == [curve, unnamed] and curve.getViewBox() is plot.plotItem.vb
    plot.removeItem(curve)
    assert legend.items == [] and curve not in plot.plotItem.vb.addedItems and plot.plotItem.items == [unnamed]


def test_the_range_is_the_view_boxs_and_a_line_with_a_label_sits_in_it(plot):
    plot.setRange(xRange=(-3, 5), yRange=(0, 2), padding=0)
    assert plot.viewRange() == [[-3, 5], [0, 2]]
    assert plot.plotItem.viewRect() == plot.plotItem.vb.viewRect()  # not the view widget's, which asks back
    line = pg.InfiniteLine(pos=1.0, angle=0, label="floor")  # its label asks for the view's rectangle as it is added
    plot.addItem(line)
    assert line.getViewBox() is plot.plotItem.vb


def test_it_has_a_left_and_a_bottom_axis_only_and_labels_them(plot):
    plot.setLabel("bottom", "body style", color="#9aa3b2")
    assert "body style" in plot.getAxis("bottom").labelString()
    assert {item.orientation for item in plot.scene().items() if isinstance(item, pg.AxisItem)} == {"left", "bottom"}
    with pytest.raises(KeyError):
        plot.getAxis("right")
