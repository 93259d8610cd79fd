"""The main window: lays out the panes, makes the controllers and the menus, and wires them together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QFrame, QGroupBox, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QScrollArea, QTabWidget,
                               QVBoxLayout, QWidget)

from engine.model.losses import IMAGE_LOSS_IDS, LOSS_IDS, loss_info
from engine.model.scene import Scene
from gui import dialogs
from gui.controllers.digits import DigitsController
from gui.controllers.export import ExportController
from gui.controllers.fit import FitController
from gui.controllers.imports import ImportController
from gui.controllers.painting import PaintController
from gui.controllers.sessions import SessionController
from gui.controllers.talk import KEY_HINTS, TalkController
from gui.controllers.tour import TourController
from gui.controllers.why import WhyController
from gui.fit_process import FitProcess
from gui.panes.controls import ControlPanel
from gui.panes.data_bar import DataBar
from gui.panes.distribution import DistributionPane
from gui.panes.images import ImagePane
from gui.panes.readouts import ReadoutPanel
from gui.panes.why_controls import WhyPanel
from gui.panes.why_overlays import AnswerMarker, PullsOverlay
from gui.state import AppState
from gui.support import palette, preferences

if TYPE_CHECKING:  # both are made, and so imported, only when first shown
    from gui.panes.digits import DigitsPane
    from gui.panes.landscape import LandscapePane

OPENS_AT = QSize(1600, 900)  # or the screen's available area, if that is smaller
MINIMUM = QSize(1024, 640)  # a 1024x768 projector less a task bar; smaller screens get their own size
# The widths of the side panel and of the views, as shares of the window's width, with their bounds in
# type-scaled pixels; the distribution pane takes the rest. Talk mode hides the controls, so its side is
# narrow, and the distribution pane, the heart of the talk, gets half the screen or more.
COLUMNS = {False: ((0.22, 280, 340), (0.31, 260, 640)), True: ((0.15, 130, 900), (0.30, 220, 1200))}


TALK_PANE_SHARE = 0.46  # in talk mode the distribution pane has at least this share of the window


def column_widths(width: int, talk: bool, type_scale: float) -> tuple[int, int]:
    """(side panel, views) widths for a window `width` pixels wide."""
    (side_share, side_low, side_high), (views_share, views_low, views_high) = COLUMNS[talk]
    side = round(min(max(side_share * width, side_low * type_scale if talk else side_low), side_high))
    views = round(min(max(views_share * width, views_low), views_high))
    return side, views


class _LayoutWatch(QObject):
    """Calls back when a widget's layout asks to be redone (its contents' sizes changed)."""

    def __init__(self, widget: QWidget, callback) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802  (Qt's name)
        if event.type() == QEvent.Type.LayoutRequest:
            self.callback()
        return False


class MainWindow(QMainWindow):
    def __init__(self, scene: Scene, scene_id: str | None = None, start_fit: bool = True, *,
                 fit_process=None) -> None:
        """`fit_process` replaces the real child process (tests give a fake)."""
        super().__init__()
        self.setWindowTitle("BlurLab")
        available = self.available_size()
        self.setMinimumSize(MINIMUM.boundedTo(available))
        self.resize(OPENS_AT.boundedTo(available))
        self.state = AppState(scene, scene_id, self)
        # The window restyles itself first, so that the panes lay out in the new type when they follow.
        self.state.talkChanged.connect(self._on_state_talk_changed)
        self.fit_process = fit_process or FitProcess(self)
        self.fit = FitController(self.state, self.fit_process, self)

        self.pane = DistributionPane(self.state)
        self.data_bar = DataBar(self.state)
        self.image_pane = ImagePane(self.state)
        self.digits = DigitsController(self.fit_process, self)
        self._digits_pane: DigitsPane | None = None  # made when it is first shown (see digits_pane)
        self.controls = ControlPanel(self.state)
        self.readouts = ReadoutPanel(self.state)
        # the why: the loss landscape under the distribution (made when first shown: see landscape), the tug
        # of war and the dial's answer over it
        self._landscape: LandscapePane | None = None
        self.why_panel = WhyPanel(self.state)
        self.pulls = PullsOverlay(self.state, self.pane)
        self.answer_marker = AnswerMarker(self.state, self.pane)
        self.why = WhyController(self.state, self)
        self._lay_out()

        self.tour = TourController(self.state, self.fit, parent=self)
        self.sessions = SessionController(self.state, self.fit, self.tour, self.pane, self._warn, self)
        self.exports = ExportController({"window": self, "distribution": self.pane, "images": self.image_pane,
                                         "digits": lambda: self.digits_pane},
                                        self.sessions.session, self._warn, self)
        self.talk_mode = TalkController(self.state, self, self)
        self._make_own_data()
        self._make_actions()
        self._wire()
        self.statusBar().showMessage("Drag a handle to change the data; double-click to add a mode. Space runs the fit.")
        self._update_headline()
        if start_fit:
            self.fit.start_after_first_paint(self.pane.viewport())

    # -- layout ---------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 4, 8, 4)
        side_layout.addWidget(self.controls)
        self.controls.add_fit_row(self.why_panel)
        side_layout.addWidget(self.readouts, 1)
        self.key_hints = QLabel(KEY_HINTS.replace("  ·  ", "\n"))
        self.key_hints.setObjectName("keyHints")
        self.key_hints.setVisible(False)
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
        self._side_watch = _LayoutWatch(side, lambda: QTimer.singleShot(0, self._fit_columns))
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setObjectName("tourCaption")
        self.caption.setWordWrap(True)
        self.caption.setVisible(False)
        # The views beside the distribution pane, one tab each (the tab bar shows once there are two).
        self.views = QTabWidget()
        self.views.setTabBarAutoHide(True)
        self.views.setDocumentMode(True)
        self.views.addTab(self.image_pane, "Pictures")
        # The real-images view is made the first time its tab is shown: the first frame need not wait for it.
        self.digits_tab = QWidget()
        self.digits_tab.setLayout(QVBoxLayout())
        self.digits_tab.layout().setContentsMargins(0, 0, 0, 0)
        self.views.addTab(self.digits_tab, "Real images")
        centre = QVBoxLayout()  # the distribution pane, under what says whose points it shows
        centre.setContentsMargins(0, 0, 0, 0)
        centre.setSpacing(0)
        centre.addWidget(self.data_bar)
        centre.addWidget(self.pane, 1)
        self._centre = centre  # the landscape joins it under the pane
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addLayout(centre, 1)
        row.addWidget(self.views)
        # At the desk the headline and a tour's caption go over the plot and the pictures, so that the side
        # panel keeps the window's whole height, which its controls need on a 720-line projector; in talk mode
        # (readouts only) they span the window, so that a caption takes fewer lines from the plot.
        self._left = QVBoxLayout()
        self._left.setContentsMargins(0, 0, 0, 0)
        self._left.setSpacing(0)
        self._left.addLayout(row, 1)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(4)
        columns.addLayout(self._left, 1)
        columns.addWidget(self.side)
        self._top = QVBoxLayout()
        self._top.setContentsMargins(0, 0, 0, 0)
        self._top.setSpacing(0)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addLayout(self._top)
        body_layout.addLayout(columns, 1)
        self._place_titles(talk=False)
        self.setCentralWidget(body)
        self.setStyleSheet(palette.STYLE_SHEET)

    def _place_titles(self, talk: bool) -> None:
        """The headline and the caption over the whole window (talk mode) or over the plot and pictures."""
        there, here = (self._left, self._top) if talk else (self._top, self._left)
        for i, label in enumerate((self.headline, self.caption)):
            there.removeWidget(label)
            here.insertWidget(i, label)

    def available_size(self) -> QSize:
        """The available area of the screen the window is on (or will open on)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry().size()

    def fills_the_screen(self) -> bool:
        """True when the window is as wide or as tall as the screen's available area: it opens maximized
        then, since a window of that size would put its title bar's height below the screen."""
        available = self.available_size()
        return self.width() >= available.width() or self.height() >= available.height()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.state.talk:  # a projector of another size: the type keeps its share of the screen
            self.state.set_talk(True, palette.talk_scale(self.height()))
        self._fit_columns()

    def _fit_columns(self) -> None:
        side, views = column_widths(self.width(), self.state.talk, self.state.type_scale)
        # Never narrower than what it holds (the readouts' numbers in talk mode's type).
        side = max(side, self.side.widget().minimumSizeHint().width())
        # In a talk, the real-images view has its own step and figures, and the data-space fit waits:
        # its readouts give their width to the view.
        digits_talk = self.state.talk and self.showing_digits()
        self.side.setVisible(not digits_talk)
        if digits_talk:
            side = 0
        if self.state.talk:  # the distribution pane keeps its share of the screen, a tour caption or not
            left = self.width()  # talk mode: the titles span the window
            height = self.height() - self.statusBar().sizeHint().height() - self.headline.heightForWidth(left)
            if self.caption.isVisibleTo(self):
                height -= self.caption.heightForWidth(left)
            if self.data_bar.isVisibleTo(self):  # your own points: the bar over the pane says whose
                height -= self.data_bar.sizeHint().height()
            wanted = TALK_PANE_SHARE * self.width() * self.height() / max(height, 1)
            room = round(self.width() - side - wanted - 8)
            # the real-images view's rows and table need width more than the pictures do: all there is
            # never so narrow that the tabs' names are cut
            views = max(room if self.showing_digits() else min(views, room), COLUMNS[True][1][1],
                        self.views.tabBar().sizeHint().width())
        if side:
            self.side.setFixedWidth(side)
        self.views.setFixedWidth(views)
        if self.state.talk:
            self._fit_key_hints()

    def _fit_key_hints(self) -> None:
        """Talk mode's list of keys, under the readouts when the side panel has the height for it (a tour
        caption takes some): never a scroll bar, never a list cut off."""
        margins = self.side.widget().layout().contentsMargins()
        need = (self.readouts.minimumSizeHint().height() + self.key_hints.sizeHint().height()
                + self.side.widget().layout().spacing() + margins.top() + margins.bottom())
        self.key_hints.setVisible(need <= self.side.viewport().height())

    # -- menus and keys ---------------------------------------------------------------------------
    def _action(self, menu, text: str, key, slot, tip: str = "") -> QAction:
        """An action of the window (its keys work with the menu bar hidden, as in talk mode), in `menu` too;
        `key` is one key or a list of them."""
        a = QAction(text, self)  # a window shortcut, Qt's default
        if isinstance(key, list):
            a.setShortcuts([QKeySequence(k) for k in key])
        else:
            a.setShortcut(QKeySequence(key))
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        self.addAction(a)
        if menu is not None:
            menu.addAction(a)
        return a

    def _make_actions(self) -> None:
        act, none = self._action, QKeySequence()
        file_menu = self.menuBar().addMenu("&File")
        act(file_menu, "Open…", QKeySequence.StandardKey.Open, self.open_dialog, "Open a BlurLab session or scene file (JSON)")
        act(file_menu, "Import data…", "Ctrl+I", self.import_dialog,
            "Your own points: a CSV or TSV file (header optional) or a .npy file; or drop one on the window")
        self.recent_menu = file_menu.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        act(file_menu, "Save session", QKeySequence.StandardKey.Save, self.save,
            "Save the scene as edited, the loss, its settings, the speed and the view")
        act(file_menu, "Save session as…", QKeySequence.StandardKey.SaveAs, self.save_dialog,
            "Save the session to a new file (it is also a scene file)")
        export_menu = file_menu.addMenu("Export")
        for text, view in (("Window as PNG…", "window"), ("Distribution pane as PNG…", "distribution"),
                           ("Image pane as PNG…", "images"), ("Real images view as PNG…", "digits")):
            act(export_menu, text, none, lambda _=False, view=view: self.export_png_dialog(view),
                "A picture of what is on screen now")
        act(export_menu, "Animation of the fit (GIF, MP4)…", none, self.export_animation_dialog,
            "The fit from step 0, at its true speed, drawn as this window draws it")
        file_menu.addSeparator()
        act(file_menu, "Quit", QKeySequence.StandardKey.Quit, self.close, "Quit BlurLab")
        fit_menu = self.menuBar().addMenu("&Fit")
        act(fit_menu, "Run / Pause", Qt.Key.Key_Space, lambda: self._runner().toggle_running(),
            "Start or pause the fit (in the real-images view: its network)")
        act(fit_menu, "Step", Qt.Key.Key_S, lambda: self._runner().step_once(), "One optimiser step")
        act(fit_menu, "Reset", Qt.Key.Key_R, lambda: self._runner().reset(), "Back to step 0")
        loss_menu = fit_menu.addMenu("Loss")
        for i, loss_id in enumerate(LOSS_IDS):
            info = loss_info(loss_id)
            act(loss_menu, info.title, Qt.Key.Key_1 + i, lambda _=False, i=i: self.choose_loss(i), info.explanation)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = act(edit_menu, "Undo", QKeySequence.StandardKey.Undo, self.state.undo,
                               "Undo the last change to the data")
        self.undo_action.setEnabled(False)
        act(edit_menu, "Remove selected component", Qt.Key.Key_Delete, self._remove_selected,
            "Remove the component whose handle was clicked last")
        edit_menu.addSeparator()
        act(edit_menu, "Paint points (brush)", Qt.Key.Key_B, lambda: self.painting.key("brush"),
            "Add points of your own with the mouse; B again puts the brush down")
        act(edit_menu, "Erase points", Qt.Key.Key_E, lambda: self.painting.key("eraser"),
            "Remove points with the mouse; E again puts the eraser down")
        act(edit_menu, "Clear the points", none, self.painting.clear, "Remove every point, to paint from nothing")
        view_menu = self.menuBar().addMenu("&View")
        self.talk_action = act(view_menu, "Talk mode", Qt.Key.Key_T, self.talk_mode.toggle,
                               "Full screen, large type, controls behind keys")
        self.talk_action.setCheckable(True)
        act(view_menu, "Full screen", Qt.Key.Key_F, self.talk_mode.toggle_full_screen, "Full screen on or off")
        act(None, "Leave full screen", Qt.Key.Key_Escape, self.talk_mode.leave, "Leave talk mode and full screen")
        act(view_menu, "Screenshot", Qt.Key.Key_P, self.exports.take_screenshot,
            "Save a PNG of the window in your Pictures folder")
        view_menu.addSeparator()
        act(view_menu, "Loss landscape", Qt.Key.Key_L, self.why.toggle_landscape,
            "The expected loss at every prediction, its minimum and the fit's path down it")
        act(view_menu, "Tug of war", Qt.Key.Key_A, self.why.toggle_pulls,
            "Each sample's pull on the prediction, and the net pull")
        act(view_menu, "Decoding dial: next answer", Qt.Key.Key_D, self.why.next_answer,
            "A distribution answers with its mean, its mode, a sample or its annealed mean")
        act(view_menu, "Decoding dial: colder", Qt.Key.Key_BracketLeft, self.why.colder,
            "The annealed mean at a lower temperature, nearer the mode")
        act(view_menu, "Decoding dial: warmer", Qt.Key.Key_BracketRight, self.why.warmer,
            "The annealed mean at a higher temperature, nearer the mean")
        self.tour_menu = tour_menu = self.menuBar().addMenu("&Tour")
        tour_menu.aboutToShow.connect(self._fill_tour_menu)  # its chapters, when it first opens
        act(tour_menu, "Next step", [Qt.Key.Key_Right, Qt.Key.Key_PageDown], self.tour.next,
            "The next step of the narrated tour (→ or Page Down)")
        act(tour_menu, "Previous step", [Qt.Key.Key_Left, Qt.Key.Key_PageUp], self.tour.previous,
            "The step before (← or Page Up)")
        act(tour_menu, "End the tour", none, self.tour.end, "Hide the tour's caption")

    # -- wiring ----------------------------------------------------------------------------------
    def _wire(self) -> None:
        # Files dropped on the window go to the import controller: a filter of every event the window gets,
        # installed after its actions were added (it need not hear those forty-odd).
        self.installEventFilter(self.imports)
        for controller in (self.fit, self.tour, self.sessions, self.exports, self.talk_mode, self.imports,
                           self.painting, self.why, self.digits):
            controller.status.connect(self._on_status)
        for view in (self.pane, self.readouts, self.image_pane, self.pulls, self.answer_marker):
            self.fit.snapshotChanged.connect(view.show_snapshot)
        self.state.whyChanged.connect(self._on_state_why_changed)
        self.tour.stepShown.connect(self.why.show_tour_step)
        self.fit.runningChanged.connect(self.controls.set_running)
        self.controls.runToggled.connect(self.fit.set_running)
        self.controls.stepRequested.connect(self.fit.step_once)
        self.controls.resetRequested.connect(self.fit.reset)
        self.controls.sceneRequested.connect(self.load_bundled_scene)
        self.state.settingsChanged.connect(self._update_headline)
        self.state.sceneReplaced.connect(self._update_headline)
        self.state.undoAvailable.connect(self.undo_action.setEnabled)
        self.tour.captionChanged.connect(self._on_tour_caption_changed)
        self.sessions.pathChanged.connect(self._on_sessions_path_changed)
        self.views.currentChanged.connect(self._on_views_current_changed)
        self.tour.stepShown.connect(self._on_tour_step_shown)

    # -- the real-images view --------------------------------------------------------------------
    @property
    def digits_pane(self) -> DigitsPane:
        """The real-images view, made in its tab the first time it is asked for."""
        return self._make_digits_pane() if self._digits_pane is None else self._digits_pane

    def _make_digits_pane(self) -> DigitsPane:
        from gui.panes.digits import DigitsPane

        pane = DigitsPane(self.state, self.digits)
        if self.state.talk:
            pane.set_talk(True)
        pane.set_running(self.digits.running)
        self.digits_tab.layout().addWidget(pane)
        pane.show()  # now, not at the layout's next pass: it may be about to be drawn or exported
        self._digits_pane = pane
        return pane

    @property
    def landscape(self) -> LandscapePane:
        """The loss-landscape view, made under the distribution pane the first time it is shown or asked for."""
        return self._make_landscape() if self._landscape is None else self._landscape

    def _make_landscape(self) -> LandscapePane:
        from gui.panes.landscape import LandscapePane

        view = LandscapePane(self.state, self.pane, parent=self.pane.parentWidget())  # never a window of its own
        self._centre.insertWidget(self._centre.indexOf(self.pane) + 1, view)
        self.centralWidget().layout().activate()  # in its place now: it is about to be drawn
        self.fit.snapshotChanged.connect(view.show_snapshot)
        if self.fit.latest is not None:  # a paused fit shows its point at once
            view.show_snapshot(self.fit.latest)
        self._landscape = view
        return view

    @Slot()
    def _on_state_why_changed(self) -> None:
        if self.state.why.landscape and self._landscape is None:
            self._make_landscape()

    def showing_digits(self) -> bool:
        return self.views.currentWidget() is self.digits_tab

    def _runner(self):
        """What Space, S and R drive: the network on real digits while its view is shown, else the fit."""
        return self.digits if self.showing_digits() else self.fit

    @Slot(int)
    def _on_views_current_changed(self, _index: int) -> None:
        if self.showing_digits():
            if self._digits_pane is None:  # its first showing
                self._make_digits_pane()
            self.digits.activate()
        if self.state.talk:
            self._fit_columns()

    @Slot(object)
    def _on_tour_step_shown(self, step) -> None:
        self.views.setCurrentWidget(self.digits_tab if step.view.get("tab") == "digits" else self.image_pane)
        self.digits.apply_view(step.view)

    @Slot(str, int)
    def _on_status(self, message: str, milliseconds: int) -> None:
        self.statusBar().showMessage(message, milliseconds)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.talk_action.setChecked(on)
        self._place_titles(on)
        self.setStyleSheet(palette.style_sheet(self.state.type_scale))
        self.menuBar().setVisible(not on)
        self.controls.setVisible(not on)
        self.key_hints.setVisible(on)
        self._fit_columns()  # and again when the side panel has laid out its new contents (its watch)

    @Slot(str)
    def _on_tour_caption_changed(self, caption: str) -> None:
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))
        self._fit_columns()
        QTimer.singleShot(0, self._fit_columns)  # again once the caption has taken its height

    @Slot(str)
    def _on_sessions_path_changed(self, path: str) -> None:
        self.setWindowTitle(f"BlurLab — {Path(path).name}")

    @Slot()
    def _update_headline(self) -> None:
        info = loss_info(self.state.settings.loss)
        self.headline.setText(f"<b>{self.state.scene.name}</b> &nbsp;·&nbsp; {info.title} "
                              f"<span style='color:{palette.MUTED}'>ends at {info.ends_at_in(self.state.dim)}</span>")
        if self.state.talk:  # a headline of two lines takes height from the distribution pane: re-share
            QTimer.singleShot(0, self._fit_columns)

    def _make_own_data(self) -> None:
        """Your own points: importing (the menu, a dropped file) and painting, with the data bar's tools."""
        self.imports = ImportController(self.state, self.fit, self._ask_columns, self._warn, self.sessions.open_file,
                                        self)
        self.setAcceptDrops(True)  # the import controller hears the drops (see _wire)
        self.painting = PaintController(self.state, self.pane, self)
        self.data_bar.paintToggled.connect(self.painting.set_active)
        self.data_bar.toolChosen.connect(self.painting.set_tool)
        self.data_bar.clearRequested.connect(self.painting.clear)
        self.painting.activeChanged.connect(self.data_bar.show_painting)
        self.painting.toolChanged.connect(self.data_bar.show_tool)

    def _ask_columns(self, layout) -> list[int] | None:
        return dialogs.choose_columns(self, layout, "The file")

    def import_dialog(self) -> None:
        path = dialogs.import_path(self)
        if path:
            self.imports.import_file(path)

    # -- what the user asks for ----------------------------------------------------------------------
    @Slot(str)
    def load_bundled_scene(self, scene_id: str) -> None:
        scene = self.state.load_bundled(scene_id)
        self.statusBar().showMessage(f"Loaded “{scene.name}”.", 3000)

    def choose_loss(self, index: int) -> None:
        if self.showing_digits():  # keys 1-5 choose the network's loss there
            if index < len(IMAGE_LOSS_IDS):
                self.digits.set_loss(IMAGE_LOSS_IDS[index])
            return
        self.state.set_loss(LOSS_IDS[index])
        self.statusBar().showMessage(f"Loss: {loss_info(LOSS_IDS[index]).title}", 3000)

    def _remove_selected(self) -> None:
        if not self.pane.remove_selected():
            self.statusBar().showMessage("Click a component's handle first (a scene keeps at least one).", 4000)

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def open_dialog(self) -> None:
        path = dialogs.open_path(self)
        if path:
            self.sessions.open_file(path)

    def save(self) -> None:
        self.sessions.save(lambda: dialogs.save_session_path(self, self.state.scene.name))

    def save_dialog(self) -> None:
        path = dialogs.save_session_path(self, self.state.scene.name)
        if path:
            self.sessions.save_file(path)

    def _fill_tour_menu(self) -> None:
        """The chapters, a "Start:" entry each, at the top of the Tour menu, the first time it opens (they have
        no keys, and loading the tour's steps is not on the way to the first paint)."""
        from engine.model.tour import TOURS

        self.tour_menu.aboutToShow.disconnect(self._fill_tour_menu)
        first = self.tour_menu.actions()[0]
        for chapter in TOURS:
            start = self._action(None, f"Start: {chapter.title}", QKeySequence(),
                                 lambda _=False, chapter=chapter: self.tour.start(chapter),
                                 "A narrated walk through the argument, a step per key press")
            self.tour_menu.insertAction(first, start)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.sessions.recent_files()
        for path in files:
            a = self.recent_menu.addAction(Path(path).name)
            a.setStatusTip(path)
            a.triggered.connect(lambda _=False, path=path: self.sessions.open_file(path))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def export_png_dialog(self, view: str) -> None:
        path = dialogs.png_path(self, view)
        if path:
            self.exports.export_png(view, path)

    def export_animation_dialog(self) -> None:
        from engine.io.media import video_available

        chosen = dialogs.animation(self, mp4=video_available())
        if chosen:
            self.exports.export_animation(*chosen)

    def flush(self) -> None:
        """Draw what the throttled panes hold back, now (export draws frame by frame)."""
        self.pane.flush()
        self.readouts.flush()
        self.image_pane.flush()
        self.answer_marker.flush()
        if self._digits_pane is not None:
            self._digits_pane.flush()

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.talk_mode.close()
        store = preferences.store()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/speed", self.state.speed_index)
        self.fit.close()
        super().closeEvent(event)
