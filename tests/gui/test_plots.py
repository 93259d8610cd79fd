"""The plots' PlainPlotItem does for the panes what PlotItem did: items, a legend, labels and the view's range."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from gui.support.plots import PlainPlotItem
from tests.support.gui_helpers import fake_window


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


def _drawn_labels(axis) -> list[tuple[float, float, str]]:
    """The tick labels the axis draws: each as its extent along the axis (from the font's metrics, around
    the place pyqtgraph puts it) and its text."""
    from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPicture

    picture = QPicture()
    painter = QPainter(picture)
    font = axis.style["tickFont"] or QFont()
    painter.setFont(font)
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    metrics = QFontMetricsF(font)
    labels = []
    for rect, _, text in texts:
        if axis.orientation == "bottom":
            half = metrics.horizontalAdvance(text) / 2
            labels.append((rect.center().x() - half, rect.center().x() + half, text))
        else:
            half = metrics.ascent() / 2  # the digits' height, without the line's leading
            labels.append((rect.center().y() - half, rect.center().y() + half, text))
    return sorted(labels)


@pytest.mark.parametrize("point_size", [9, 13.5, 18], ids=["desk", "talk", "large"])
@pytest.mark.parametrize("size", [(110, 70), (160, 90), (240, 120), (400, 220), (900, 500)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_tick_labels_never_overlap_and_each_axis_keeps_two(qtbot, size, point_size):
    from PySide6.QtGui import QFont

    widget = pg.PlotWidget(plotItem=PlainPlotItem())
    qtbot.addWidget(widget)
    font = QFont()
    font.setPointSizeF(point_size)
    for name in ("left", "bottom"):
        widget.getAxis(name).setStyle(tickFont=font)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    for x_range, y_range in (((1600, 2250), (0.05, 0.92)), ((0, 3000), (180.0, 205.0)), ((-3.7, 4.1), (0, 1e-3))):
        widget.setRange(xRange=x_range, yRange=y_range, padding=0)
        for _ in range(2):  # an axis takes the width its labels need once it has drawn them
            widget.grab()
            qtbot.wait(10)
        for name in ("left", "bottom"):
            labels = _drawn_labels(widget.getAxis(name))
            for (_, end, text), (start, _, following) in zip(labels, labels[1:]):
                assert end <= start, f"{name} at {size}, {point_size} pt: {text!r} runs into {following!r}"
            if size[0] >= 240 and point_size <= 13.5:
                assert len(labels) >= 2, f"{name} at {size}, {point_size} pt: {labels}"


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
def test_the_loss_curves_numbers_stand_apart_at_720p(make_window, qtbot, talk):
    window = fake_window(make_window, talk=talk)
    plot = window.readouts.curve_plot
    for x_range, y_range in (((1600, 2250), (0.05, 0.92)), ((0, 400), (180.0, 205.0))):
        plot.setRange(xRange=x_range, yRange=y_range, padding=0)
        for _ in range(2):
            window.grab()
            qtbot.wait(10)
        for name in ("left", "bottom"):
            labels = _drawn_labels(plot.getAxis(name))
            assert labels, f"{name}: no numbers at all"
            for (_, end, text), (start, _, following) in zip(labels, labels[1:]):
                assert end <= start, f"{name}: {text!r} runs into {following!r}"
