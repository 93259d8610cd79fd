"""The plots' axes: in the app's colours, with plain numbers (no SI prefixes), and a label that is
set only when it changes.

pyqtgraph sets an axis's label anew, as HTML, at every change of its view's range, even when the
label reads the same: a QTextDocument parsed each time (about 0.1 ms), dozens of times on the way to
the window's first frame, and again whenever the loss curve rescales.
"""

from __future__ import annotations

import pyqtgraph as pg

from gui.support import palette


class Axis(pg.AxisItem):
    _label_html: str | None = None  # the label's HTML as last set

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, pen=pg.mkPen(palette.GRID), textPen=pg.mkPen(palette.MUTED), **kwargs)
        self.enableAutoSIPrefix(False)

    def _updateLabel(self) -> None:  # noqa: N802  (pyqtgraph's name)
        html = self.labelString()
        if html != self._label_html:  # the rest as pyqtgraph does it
            self._label_html = html
            self.label.setHtml(html)
        self._adjustSize()
        self.picture = None
        self.update()


def axes() -> dict[str, Axis]:
    """A plot's two shown axes, for PlotWidget(axisItems=...): pyqtgraph shows every axis it is given, and
    makes the hidden top and right ones itself."""
    return {name: Axis(name) for name in ("left", "bottom")}
