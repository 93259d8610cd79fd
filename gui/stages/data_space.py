"""The data-space stage: the distribution pane with the data bar over it, the pictures beside it, the side
panel of controls and readouts, the loss landscape under it and the why's overlays on it, all driven by the
data-space fit. It lays out its own columns for desk and talk mode (see columns.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Qt, Slot
from PySide6.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from engine.lazy import lazy_import
from engine.model.losses import loss_info
from gui.controllers.fit import FitController
from gui.controllers.painting import PaintController
from gui.controllers.why import WhyController
from gui.panes.controls import ControlPanel
from gui.panes.data_bar import DataBar
from gui.panes.distribution import DistributionPane
from gui.panes.images import ImagePane
from gui.panes.readouts import ReadoutPanel
from gui.panes.why_controls import WhyPanel
from gui.panes.why_overlays import AnswerMarker, PullsOverlay
from gui.controllers.runner import Runner
from gui.stages.base import Stage, StageContext
from gui.stages.columns import LayoutWatch, column_widths, talk_views_width
from gui.support import palette

SPACING = 4  # between the columns

landscape_pane = lazy_import("gui.panes.landscape")  # made, and so imported, only when first shown
if TYPE_CHECKING:
    from gui.panes.landscape import LandscapePane


class DataSpaceStage(Stage):
    """The data-space fit and every pane that shows it. `fit` is its controller, `why` and `painting` the
    controllers of the why's views and of your own points."""

    def __init__(self, context: StageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        state = self.state
        self.fit = FitController(state, context.process, self)
        # its runner: the fit, choosing a loss through the state
        self.pane = DistributionPane(state)
        self.data_bar = DataBar(state)
        self.image_pane = ImagePane(state)
        self.controls = ControlPanel(state)
        self.readouts = ReadoutPanel(state)
        # the why: the loss landscape under the distribution (made when first shown: see landscape), the tug
        # of war and the dial's answer over it
        self._landscape: LandscapePane | None = None
        self.why_panel = WhyPanel(state)
        self.pulls = PullsOverlay(state, self.pane)
        self.answer_marker = AnswerMarker(state, self.pane)
        self.why = WhyController(state, self)
        self.painting = PaintController(state, self.pane, self)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.pictures_large = False  # the image pane in the distribution pane's place too (the key G)
        self._lay_out()
        self._wire()
        self._update_headline()

    # -- layout ---------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 4, 8, 4)
        side_layout.addWidget(self.controls)
        self.controls.add_fit_row(self.why_panel)
        side_layout.addWidget(self.readouts, 1)
        side_layout.addWidget(self.key_hints)
        for group in side.findChildren(QGroupBox):  # tight margins: a 720-line projector holds every group
            group.layout().setContentsMargins(8, 2, 8, 6)
        # The side panel scrolls when a short screen cannot hold the controls and the readouts at once.
        self.side = QScrollArea()
        self.side.setWidget(side)
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QFrame.Shape.NoFrame)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Whatever changes what the side panel holds (talk mode's one-column readouts, hidden controls) lays
        # the columns out again, once it has laid itself out.
        self._side_watch = LayoutWatch(side, lambda: QTimer.singleShot(0, self.fit_columns))
        # In talk mode the distribution pane's height (a caption's lines, the data bar) sets the columns' widths.
        self._pane_watch = LayoutWatch(self.pane, lambda: QTimer.singleShot(0, self.fit_columns), height=True)
        # The distribution pane, under what says whose points it shows (all hidden while the pictures are
        # shown large)
        self.centre = QWidget()
        centre = QVBoxLayout(self.centre)
        centre.setContentsMargins(0, 0, 0, 0)
        centre.setSpacing(0)
        centre.addWidget(self.data_bar)
        centre.addWidget(self.pane, 1)
        self._centre = centre  # the landscape joins it under the pane
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        row.addWidget(self.centre, 1)
        row.addWidget(self.image_pane, 0)
        # At the desk the headline and a tour's caption go over the plot and the pictures, so that the side
        # panel keeps the stage's whole height, which its controls need on a 720-line projector; in talk mode
        # (readouts only) they span the stage, so that a caption takes fewer lines from the plot.
        self._left = QVBoxLayout()
        self._left.setContentsMargins(0, 0, 0, 0)
        self._left.setSpacing(0)
        self._left.addLayout(row, 1)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(SPACING)
        columns.addLayout(self._left, 1)
        columns.addWidget(self.side)
        self._top = QVBoxLayout()
        self._top.setContentsMargins(0, 0, 0, 0)
        self._top.setSpacing(0)
        body = QVBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addLayout(self._top)
        body.addLayout(columns, 1)
        self._place_titles(talk=False)

    def _place_titles(self, talk: bool) -> None:
        """The headline and the caption over the whole stage (talk mode) or over the plot and pictures."""
        there, here = (self._left, self._top) if talk else (self._top, self._left)
        for i, label in enumerate((self.headline, self.caption)):
            there.removeWidget(label)
            here.insertWidget(i, label)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """The side panel's and the pictures' widths for the stage's size and mode."""
        talk = self.state.talk
        side, views = column_widths(self.width(), talk, self.state.type_scale)
        # Never narrower than what it holds (the readouts' numbers in talk mode's type).
        side = max(side, self.side.widget().minimumSizeHint().width())
        if talk and not self.pictures_large:  # the distribution pane keeps its share of the window
            # Its height as laid out: in talk mode the headline and a caption span the stage, so the columns'
            # widths do not change it (a new caption lays the stage out again: see show_caption).
            window = self.window()
            views = talk_views_width(window.width(), window.height(), self.plot_height(), side, views)
        self.side.setFixedWidth(side)
        if self.pictures_large:  # the pictures take the plot's place too
            views = self.width() - side - SPACING
        self.image_pane.setFixedWidth(views)
        if talk:
            self._fit_key_hints()

    def plot_height(self) -> int:
        """The height of the plots: the distribution pane and, when shown, the loss landscape under it."""
        shown = self._landscape is not None and self._landscape.isVisibleTo(self)
        return self.pane.height() + (self._landscape.height() if shown else 0)

    def _fit_key_hints(self) -> None:
        """Talk mode's list of keys, under the readouts when the side panel has the height for it (a tour
        caption takes some): never a scroll bar, never a list cut off."""
        layout = self.side.widget().layout()
        margins = layout.contentsMargins()
        need = (self.readouts.minimumSizeHint().height() + self.key_hints.sizeHint().height()
                + layout.spacing() + margins.top() + margins.bottom())
        self.key_hints.setVisible(need <= self.side.viewport().height())

    # -- wiring ----------------------------------------------------------------------------------
    def _wire(self) -> None:
        for controller in (self.fit, self.why, self.painting):
            controller.status.connect(self.status)
        for view in (self.pane, self.readouts, self.image_pane, self.pulls, self.answer_marker):
            self.fit.snapshotChanged.connect(view.show_snapshot)
        self.fit.runningChanged.connect(self.controls.set_running)
        self.controls.runToggled.connect(self.fit.set_running)
        self.controls.stepRequested.connect(self.fit.step_once)
        self.controls.resetRequested.connect(self.fit.reset)
        self.controls.sceneRequested.connect(self.load_bundled_scene)
        self.data_bar.paintToggled.connect(self.painting.set_active)
        self.data_bar.toolChosen.connect(self.painting.set_tool)
        self.data_bar.clearRequested.connect(self.painting.clear)
        self.painting.activeChanged.connect(self.data_bar.show_painting)
        self.painting.toolChanged.connect(self.data_bar.show_tool)
        self.state.whyChanged.connect(self._on_state_why_changed)
        self.state.talkChanged.connect(self._on_state_talk_changed)
        self.state.settingsChanged.connect(self._update_headline)
        self.state.sceneReplaced.connect(self._update_headline)

    def start_fit(self) -> None:
        """Start the fit once the distribution pane has painted: nothing of it is on the way to the first frame."""
        self.fit.start_after_first_paint(self.pane.viewport())

    # -- the stage, to the window --------------------------------------------------------------------
    @property
    def runner(self) -> Runner:
        return self.fit

    def show_caption(self, caption: str) -> None:
        super().show_caption(caption)
        self.fit_columns()
        QTimer.singleShot(0, self.fit_columns)  # again once the caption has taken its height

    def show_tour_step(self, step) -> None:
        self.set_pictures_large(False)  # a new step: the stage as it is laid out for it
        self.why.show_tour_step(step)

    def toggle_pictures_large(self) -> None:
        self.set_pictures_large(not self.pictures_large)

    def set_pictures_large(self, on: bool) -> None:
        """The image pane over the distribution pane's place, its pictures as large as it holds ("look at
        the ghost"), or back as it was."""
        if on == self.pictures_large:
            return
        self.pictures_large = on
        self.centre.setVisible(not on)
        self.image_pane.set_large(on)
        self.fit_columns()

    def views(self) -> dict[str, QWidget]:
        return {"distribution": self.pane, "images": self.image_pane}

    def flush(self) -> None:
        for view in (self.pane, self.readouts, self.image_pane, self.answer_marker):
            view.flush()

    def close_stage(self) -> None:
        self.fit.close()

    # -- the loss landscape ------------------------------------------------------------------------
    @property
    def landscape(self) -> LandscapePane:
        """The loss-landscape view, made under the distribution pane the first time it is shown or asked for."""
        return self._make_landscape() if self._landscape is None else self._landscape

    def _make_landscape(self) -> LandscapePane:
        view = landscape_pane.LandscapePane(self.state, self.pane, parent=self.centre)  # never a window of its own
        self._centre.insertWidget(self._centre.indexOf(self.pane) + 1, view)
        self.layout().activate()  # in its place now: it is about to be drawn
        self._centre.activate()
        self.fit.snapshotChanged.connect(view.show_snapshot)
        if self.fit.latest is not None:  # a paused fit shows its point at once
            view.show_snapshot(self.fit.latest)
        self._landscape = view
        return view

    @Slot()
    def _on_state_why_changed(self) -> None:
        if self.state.why.landscape and self._landscape is None:
            self._make_landscape()

    # -- what the user asks for ----------------------------------------------------------------------
    @Slot(str)
    def load_bundled_scene(self, scene_id: str) -> None:
        scene = self.state.load_bundled(scene_id)
        self.status.emit(f"Loaded “{scene.name}”.", 3000)

    def remove_selected(self) -> None:
        if not self.pane.remove_selected():
            self.status.emit("Click a component's handle first (a scene keeps at least one).", 4000)

    # -- following the state ---------------------------------------------------------------------
    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self._place_titles(on)
        self.controls.setVisible(not on)
        self.key_hints.setVisible(on)
        self.fit_columns()  # and again when the side panel has laid out its new contents (its watch)

    @Slot()
    def _update_headline(self) -> None:
        info = loss_info(self.state.settings.loss)
        self.headline.setText(f"<b>{self.state.scene.name}</b> &nbsp;·&nbsp; {info.title} "
                              f"<span style='color:{palette.MUTED}'>ends at {info.ends_at_in(self.state.dim)}</span>")
        if self.state.talk:  # a headline of two lines takes height from the distribution pane: re-share
            QTimer.singleShot(0, self.fit_columns)
