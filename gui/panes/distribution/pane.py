"""The distribution pane: the plot that holds the drawing of the scene's data (1-D or 2-D), the legend, the
overlays that other panes keep on it, and the fit drawn over the data.

It follows the AppState itself (data, scene, talk mode) and draws each snapshot it is shown; its handles
write what the user drags to the state, and nothing else writes back.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

from engine.decoders import axis_names
from engine.lazy import lazy_import
from engine.model.estimate import Snapshot
from gui.panes.distribution.drawing import Drawing
from gui.panes.distribution.marginal import MarginalDrawing
from gui.panes.handles import ComponentHandle
from gui.state import AppState
from gui.support import palette
from gui.support.first_paint import after_first_paint
from gui.support.plots import PlainPlotItem, cache_while_still

plane = lazy_import("gui.panes.distribution.plane")  # the 2-D drawing: when a 2-D scene is first shown


def drawing_class(dim: int) -> type[Drawing]:
    """The drawing for a scene of `dim` dimensions."""
    return MarginalDrawing if dim == 1 else plane.PlaneDrawing


class DistributionPane(pg.PlotWidget):
    """Holds the drawing for the scene's dimension, made anew with every scene (and for talk mode's sizes)."""

    selectionChanged = Signal(int)
    rebuilt = Signal()  # every item was made anew (a new scene, talk mode): overlays draw theirs again

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent=parent, background=palette.BACKGROUND, plotItem=PlainPlotItem())
        self.state = state
        self.selected = -1
        self.line_scale = 1.0  # talk mode draws every line thicker, to read from the back of a room
        self.drawing: Drawing | None = None
        self._snapshot: Snapshot | None = None  # the one drawn, redrawn after a rebuild
        self._kept: dict[int, QGraphicsItem] = {}  # the overlays' items by id: they stay through rebuilds (keep)
        self.legend = self.plotItem.addLegend(offset=(10, 6), labelTextColor=palette.TEXT, colCount=5,
                                              brush=pg.mkBrush(palette.qcolor(palette.PANEL, 200)))
        # The fit's marker sits on the bottom axis and moves every frame: the axes and the legend, which do
        # not, are drawn from their cached pixmaps meanwhile.
        cache_while_still(self.legend, *(self.plotItem.getAxis(name) for name in ("bottom", "left")))
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.setToolTip("")
        self._first_ghosts = None  # the mean, median and modes waiting for the first paint
        self._legend_fitted = False
        self.rebuild()
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self.rebuild)
        state.talkChanged.connect(self._on_state_talk_changed)

    def keep(self, *items) -> None:
        """Put an overlay's items on the pane for good: a rebuild makes the pane's own items anew and leaves
        these where they are (an item removed and added again would leak PySide's weak references)."""
        for item in items:
            if id(item) not in self._kept:
                self._kept[id(item)] = item
                self.addItem(item)

    def handles(self) -> list[ComponentHandle]:
        """The handles on show: a main one (peak or centre) and a side one (width or shape) per component."""
        return list(self.drawing.handles)

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        self.refresh_data(finished)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_line_scale(self.state.line_scale)

    # -- building ------------------------------------------------------------------------
    @Slot()
    def rebuild(self) -> None:
        """Make the drawing for the scene's dimension and its items (once per scene, then only setData)."""
        for item in [item for item in self.plotItem.items if id(item) not in self._kept]:
            self.plotItem.removeItem(item)
        self.legend.clear()
        self.selected = -1
        self.drawing = drawing_class(self.state.dim)(self.state, self.plotItem, legend=self.legend, scale=self.line_scale,
                                                on_select=self._on_drawing_selected)
        names = axis_names(self.state.scene.decoder, 2)
        if self.state.points is not None:  # your own data: its header names the axes
            names = tuple(own or named for own, named in zip(self.state.points.axes + ("", ""), names))
        self.drawing.label_axes(names)
        # Fitted now if the pane is on screen; else when it is shown, at its size then (a hidden pane's width is
        # not yet its own: fitting the legend to it would be done again at once).
        self._legend_fitted = False
        if self.isVisible():
            self._fit_legend()
        self.drawing.fit_view()
        self.drawing.refresh_data(True, ghosts=False)
        # The mean, median and modes, and the fit's lines (which show nothing before the fit's first frame),
        # follow right after the first paint, which need not wait for them.
        if self._first_ghosts is None:
            self._first_ghosts = after_first_paint(self, self._finish_build)
        else:  # a later rebuild is not on the way to the first frame
            self._finish_build(later=True)
        self.rebuilt.emit()

    def _finish_build(self, later: bool = False) -> None:
        self.drawing.build_late()
        self._place_line_labels()
        if later:
            QTimer.singleShot(0, self._refresh_ghosts)
        else:
            self._refresh_ghosts()

    def _refresh_ghosts(self) -> None:
        self.drawing.refresh_ghosts()

    def flush(self) -> None:
        """Make the fit's lines and draw the mean, median and modes now if they still wait for the first
        paint (an export, a snapshot that comes first)."""
        if self._first_ghosts is not None:
            self._first_ghosts.run_now()

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        if getattr(self, "drawing", None) is not None:  # pyqtgraph resizes before the plot is built
            self._fit_legend()

    def showEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        if not self._legend_fitted:  # built while hidden, and shown at the size it had
            self._fit_legend()

    def _fit_legend(self) -> None:
        """The legend in as many columns as the plot's width holds, down to one a row: never cut off."""
        room = self.plotItem.vb.width() - 20
        entries = len(self.legend.items)
        for columns in range(max(entries, 1), 0, -1):
            self.legend.setColumnCount(columns)
            self.legend.updateSize()
            if self.legend.boundingRect().width() <= room or columns == 1:
                break
        self._legend_fitted = True
        self._place_line_labels()

    def _place_line_labels(self) -> None:
        self.drawing.place_line_labels(-(-len(self.legend.items) // self.legend.columnCount))

    def legend_columns(self) -> int:
        return self.legend.columnCount

    def set_line_scale(self, scale: float) -> None:
        """Thicker lines, bigger markers and type (talk mode); the view is rebuilt and the fit redrawn."""
        if scale == self.line_scale:
            return
        self.line_scale = scale
        font = QFont()
        font.setPointSizeF(9 * scale)
        for name in ("bottom", "left"):
            self.plotItem.getAxis(name).setStyle(tickFont=font)
            self.plotItem.getAxis(name).label.setFont(font)
        self.legend.opts["labelTextSize"] = f"{9 * scale:.0f}pt"
        snap = self._snapshot
        self.rebuild()
        if snap is not None:
            self.show_snapshot(snap)

    # -- data and fit -----------------------------------------------------------------------------
    def refresh_data(self, finished: bool, ghosts: bool = True) -> None:
        """Redraw the data and handles from the state (cheap; runs on every drag move)."""
        self.drawing.refresh_data(finished, ghosts)

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        if snap.estimate.dim != self.state.dim:
            return  # fitted to the scene before a new one was loaded
        self.flush()  # the fit's lines, if a snapshot comes before the first paint
        self._snapshot = snap
        self.drawing.show_estimate(snap.estimate, snap.trail)

    # -- user actions -----------------------------------------------------------------------------
    def _on_drawing_selected(self, index: int) -> None:
        self.selected = index
        self.selectionChanged.emit(index)

    def remove_selected(self) -> bool:
        if 0 <= self.selected < len(self.state.mixture.components):
            removed = self.state.remove_component(self.selected)
            self.selected = -1
            return removed
        return False

    def _on_scene_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        if any(isinstance(item, ComponentHandle) for item in self.scene().items(ev.scenePos())):
            return
        p = vb.mapSceneToView(ev.scenePos())
        ev.accept()
        self.state.add_component(self.drawing.new_component_at(p.x(), p.y()))

    def widget_to_data(self, pos) -> tuple[float, float]:
        """The data point under a widget pixel position (the painting's strokes)."""
        p = self.plotItem.vb.mapSceneToView(self.mapToScene(pos.toPoint()))
        return p.x(), p.y()

    def data_to_widget(self, x: float, y: float):
        """Widget pixel position of a data point (for tests and tooltips)."""
        return self.mapFromScene(self.plotItem.vb.mapViewToScene(pg.Point(x, y)))
