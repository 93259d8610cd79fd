"""The main window: lays out the panes, makes the controllers and the menus, and wires them together."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from engine.model.losses import IMAGE_LOSS_IDS, LOSS_IDS, loss_info
from engine.model.scene import Scene
from engine.model.tour import TOURS
from gui import dialogs
from gui.controllers.digits import DigitsController
from gui.controllers.export import ExportController
from gui.controllers.fit import FitController
from gui.controllers.sessions import SessionController
from gui.controllers.talk import KEY_HINTS, TalkController
from gui.controllers.tour import TourController
from gui.fit_process import FitProcess
from gui.panes.controls import ControlPanel
from gui.panes.digits import DigitsPane
from gui.panes.distribution import DistributionPane
from gui.panes.images import ImagePane
from gui.panes.readouts import ReadoutPanel
from gui.state import AppState
from gui.support import palette, preferences

SIDE_WIDTH = 340


class MainWindow(QMainWindow):
    def __init__(self, scene: Scene, scene_id: str | None = None, start_fit: bool = True, *,
                 fit_process=None, pace: dict | None = None) -> None:
        """`fit_process` replaces the real child process (tests give a fake); `pace` its timing."""
        super().__init__()
        self.setWindowTitle("BlurLab")
        self.resize(1600, 900)
        self.setMinimumSize(1200, 680)
        self.state = AppState(scene, scene_id, self)
        self.fit_process = fit_process or FitProcess(self)
        self.fit = FitController(self.state, self.fit_process, self, pace=pace)

        self.pane = DistributionPane(self.state)
        self.image_pane = ImagePane(self.state)
        self.digits = DigitsController(self.fit_process, self)
        self.digits_pane = DigitsPane(self.state, self.digits)
        self.controls = ControlPanel(self.state)
        self.readouts = ReadoutPanel(self.state)
        self._lay_out()

        self.tour = TourController(self.state, self.fit, parent=self)
        self.sessions = SessionController(self.state, self.fit, self.tour, self.pane, self._warn, self)
        self.exports = ExportController({"window": self, "distribution": self.pane, "images": self.image_pane,
                                         "digits": self.digits_pane},
                                        self.sessions.session, self._warn, self)
        self.talk_mode = TalkController(self.state, self, self)
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
        side_layout.setContentsMargins(8, 8, 8, 8)
        side_layout.addWidget(self.controls)
        side_layout.addWidget(self.readouts, 1)
        self.key_hints = QLabel(KEY_HINTS.replace("  ·  ", "\n"))
        self.key_hints.setObjectName("keyHints")
        self.key_hints.setVisible(False)
        side_layout.addWidget(self.key_hints)
        side.setFixedWidth(SIDE_WIDTH)
        self.side = side
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setObjectName("tourCaption")
        self.caption.setWordWrap(True)
        self.caption.setVisible(False)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.headline)
        centre_layout.addWidget(self.caption)
        centre_layout.addWidget(self.pane, 1)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        # The views beside the distribution pane, one tab each (the tab bar shows once there are two).
        self.views = QTabWidget()
        self.views.setTabBarAutoHide(True)
        self.views.setDocumentMode(True)
        self.views.addTab(self.image_pane, "Pictures")
        self.views.addTab(self.digits_pane, "Real images")
        splitter.addWidget(centre)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        body_layout.addWidget(splitter, 1)
        body_layout.addWidget(side)
        self.setCentralWidget(body)
        self.setStyleSheet(palette.STYLE_SHEET)

    # -- menus and keys ---------------------------------------------------------------------------
    def _action(self, menu, text: str, key, slot, tip: str = "") -> QAction:
        a = QAction(text, self)
        for k in key if isinstance(key, list) else [key]:
            a.setShortcuts([*a.shortcuts(), QKeySequence(k)])
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
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
        view_menu = self.menuBar().addMenu("&View")
        self.talk_action = act(view_menu, "Talk mode", Qt.Key.Key_T, self.talk_mode.toggle,
                               "Full screen, large type, controls behind keys")
        self.talk_action.setCheckable(True)
        act(view_menu, "Full screen", Qt.Key.Key_F, self.talk_mode.toggle_full_screen, "Full screen on or off")
        act(None, "Leave full screen", Qt.Key.Key_Escape, self.talk_mode.leave, "Leave talk mode and full screen")
        act(view_menu, "Screenshot", Qt.Key.Key_P, self.exports.take_screenshot,
            "Save a PNG of the window in your Pictures folder")
        tour_menu = self.menuBar().addMenu("&Tour")
        for chapter in TOURS:
            act(tour_menu, f"Start: {chapter.title}", none, lambda _=False, chapter=chapter: self.tour.start(chapter),
                "A narrated walk through the argument, a step per key press")
        act(tour_menu, "Next step", [Qt.Key.Key_Right, Qt.Key.Key_PageDown], self.tour.next,
            "The next step of the narrated tour (→ or Page Down)")
        act(tour_menu, "Previous step", [Qt.Key.Key_Left, Qt.Key.Key_PageUp], self.tour.previous,
            "The step before (← or Page Up)")
        act(tour_menu, "End the tour", none, self.tour.end, "Hide the tour's caption")

    # -- wiring ----------------------------------------------------------------------------------
    def _wire(self) -> None:
        for controller in (self.fit, self.tour, self.sessions, self.exports, self.talk_mode, self.digits):
            controller.status.connect(self._on_status)
        for view in (self.pane, self.readouts, self.image_pane):
            self.fit.snapshotChanged.connect(view.show_snapshot)
        self.fit.runningChanged.connect(self.controls.set_running)
        self.controls.runToggled.connect(self.fit.set_running)
        self.controls.stepRequested.connect(self.fit.step_once)
        self.controls.resetRequested.connect(self.fit.reset)
        self.controls.sceneRequested.connect(self.load_bundled_scene)
        self.state.settingsChanged.connect(self._update_headline)
        self.state.sceneReplaced.connect(self._update_headline)
        self.state.undoAvailable.connect(self.undo_action.setEnabled)
        self.state.talkChanged.connect(self._on_state_talk_changed)
        self.tour.captionChanged.connect(self._on_tour_caption_changed)
        self.sessions.pathChanged.connect(self._on_sessions_path_changed)
        self.views.currentChanged.connect(self._on_views_current_changed)
        self.tour.stepShown.connect(self._on_tour_step_shown)

    # -- the real-images view --------------------------------------------------------------------
    def showing_digits(self) -> bool:
        return self.views.currentWidget() is self.digits_pane

    def _runner(self):
        """What Space, S and R drive: the network on real digits while its view is shown, else the fit."""
        return self.digits if self.showing_digits() else self.fit

    @Slot(int)
    def _on_views_current_changed(self, _index: int) -> None:
        if self.showing_digits():
            self.digits.activate()

    @Slot(object)
    def _on_tour_step_shown(self, step) -> None:
        self.views.setCurrentWidget(self.digits_pane if step.view.get("tab") == "digits" else self.image_pane)
        self.digits.apply_view(step.view)

    @Slot(str, int)
    def _on_status(self, message: str, milliseconds: int) -> None:
        self.statusBar().showMessage(message, milliseconds)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.talk_action.setChecked(on)
        self.setStyleSheet(palette.style_sheet(palette.TALK_TYPE if on else 1.0))
        self.menuBar().setVisible(not on)
        self.controls.setVisible(not on)
        self.key_hints.setVisible(on)

    @Slot(str)
    def _on_tour_caption_changed(self, caption: str) -> None:
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))

    @Slot(str)
    def _on_sessions_path_changed(self, path: str) -> None:
        self.setWindowTitle(f"BlurLab — {Path(path).name}")

    @Slot()
    def _update_headline(self) -> None:
        info = loss_info(self.state.settings.loss)
        self.headline.setText(f"<b>{self.state.scene.name}</b> &nbsp;·&nbsp; {info.title} "
                              f"<span style='color:{palette.MUTED}'>ends at {info.ends_at_in(self.state.dim)}</span>")

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
        self.readouts.flush()
        self.image_pane.flush()
        self.digits_pane.flush()

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.talk_mode.close()
        store = preferences.store()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/speed", self.state.speed_index)
        self.fit.close()
        super().closeEvent(event)
