"""The main window: composes the stages (one shown at a time), the menus made from the action table, and the
status bar; the tour, files, export and talk mode serve every stage."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget

from engine.model.scene import Scene, SceneError
from gui.controllers import remembered
from gui.controllers.export import ExportController
from gui.controllers.imports import ImportController
from gui.controllers.sessions import SessionController
from gui.controllers.talk import TalkController
from gui.controllers.tour import TourController
from gui.dialogs import FileDialogs
from gui.fit_process import FitProcess
from gui.menus import Menus
from gui.stages import STAGES, stage_entry
from gui.controllers.runner import Runner
from gui.stages.base import Stage, StageContext
from gui.state import AppState
from gui.support import palette

OPENS_AT = QSize(1600, 900)  # or the screen's available area, if that is smaller
MINIMUM = QSize(1024, 640)  # a 1024x768 projector less a task bar; smaller screens get their own size


class _OnDataSpace:
    """A part of the data-space stage, under the window's name for it (tests, benchmarks, `blurlab export`)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, window, owner=None):
        return self if window is None else getattr(window.data_space, self.name)


class MainWindow(QMainWindow):
    pane, data_bar, image_pane, controls, readouts, headline = (_OnDataSpace() for _ in range(6))
    fit, why, painting, why_panel, pulls, answer_marker, landscape = (_OnDataSpace() for _ in range(7))

    def __init__(self, scene: Scene, scene_id: str | None = None, start_fit: bool = True, *,
                 fit_process=None) -> None:
        """`fit_process` replaces the real child process (tests give a fake)."""
        super().__init__()
        self.setWindowTitle("BlurLab")
        self.setStyleSheet(palette.STYLE_SHEET)
        available = self.available_size()
        self.setMinimumSize(MINIMUM.boundedTo(available))
        self.resize(OPENS_AT.boundedTo(available))
        # The window restyles itself first, so that the stages lay out in the new type when they follow.
        self.state = AppState(scene, scene_id, self)
        self.state.talkChanged.connect(self._on_state_talk_changed)
        self.fit_process = fit_process or FitProcess(self)

        # The stages: the first now, each other when it is first shown.
        self._context = StageContext(self.state, self.fit_process)
        self._stages: dict[str, Stage] = {}
        self._caption = ""  # the tour's, which every stage shows
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.data_space = self.stage(STAGES[0].id)

        # What serves every stage.
        self.tour = TourController(self.state, self.data_space.fit, parent=self)
        self.files = FileDialogs(self)
        self.sessions = SessionController(self.state, self.data_space.fit, self.tour, self.data_space.pane,
                                          self.files.warn, self)
        self.exports = ExportController(self._export_views(), self.sessions.session, self.files.warn, self)
        self.imports = ImportController(self.state, self.data_space.fit, self.files.ask_columns, self.files.warn,
                                        self.sessions.open_file, self)
        self.talk_mode = TalkController(self.state, self, self)

        self.sessions.open_elsewhere = self.open_properties
        self.menus = Menus(self, STAGES)
        self.tour_menu = self.menus.menu("Tour")
        self._wire()
        self.show_stage(STAGES[0].id)
        self.statusBar().showMessage("Drag a handle to change the data; double-click to add a mode. Space runs the fit.")
        if start_fit:
            self.data_space.start_fit()

    def _wire(self) -> None:
        # Files dropped on the window go to the import controller: a filter of every event the window gets,
        # installed after its actions were added (it need not hear those).
        self.setAcceptDrops(True)
        self.installEventFilter(self.imports)
        for controller in (self.tour, self.sessions, self.exports, self.talk_mode, self.imports):
            controller.status.connect(self._on_status)
        self.state.undoAvailable.connect(self.menus.actions["undo"].setEnabled)
        self.tour.captionChanged.connect(self._on_tour_caption_changed)
        self.tour.stepShown.connect(self._on_tour_step_shown)
        self.sessions.pathChanged.connect(self._on_sessions_path_changed)

    def _export_views(self) -> dict:
        """"window", and each stage's views, made with their stage when first exported."""
        views = {"window": self}
        for entry in STAGES:
            for view in entry.views:
                views[view] = lambda stage=entry.id, view=view: self.stage(stage).views()[view]
        return views

    # -- the stages ------------------------------------------------------------------------------
    def stage(self, stage_id: str) -> Stage:
        """The stage `stage_id`, made (and put on the stack) the first time it is asked for."""
        if stage_id not in self._stages:
            stage = stage_entry(stage_id).stage_class()(self._context)
            stage.status.connect(self._on_status)
            self.stack.addWidget(stage)
            if self._caption:  # a tour is on
                stage.show_caption(self._caption)
            self._stages[stage_id] = stage
        return self._stages[stage_id]

    def open_properties(self, session) -> bool:
        """A scene of more than two dimensions, on the many-properties stage (a Session or a Scene); a scene
        that is not the product of two-kind properties is refused with a message, and nothing changes."""
        scene = getattr(session, "scene", session)
        try:
            self.stage("many_properties").open_scene(scene)
        except SceneError as exc:
            self.files.warn("BlurLab: this scene cannot be shown",
                            f"A scene of {scene.dim} dimensions is shown as properties of two kinds each; "
                            f"this one is not ({exc}).")
            return False
        self.show_stage("many_properties")
        self._on_status(f"Opened “{scene.name}” on the stage “Many properties”.", 4000)
        return True

    @property
    def current_stage(self) -> Stage:
        return self.stack.currentWidget()

    def show_stage(self, stage_id: str) -> None:
        """Show a stage (made if need be): its actions and keys on, its runner under Space, S, R and 1, 2, …"""
        stage, before = self.stage(stage_id), self.stack.currentWidget()
        if before is not None and before is not stage:
            if before.runner.target == stage.runner.target:  # one fit of that target runs: the stage's on show
                before.runner.pause()
            before.left()
        self.stack.setCurrentWidget(stage)
        stage.set_key_hints(self.menus.show_stage(stage_id, stage))
        stage.shown()

    @property
    def runner(self) -> Runner:
        """What Space, S, R and the loss keys drive: the runner of the stage on show."""
        return self.current_stage.runner

    @property
    def caption(self) -> QLabel:
        """The tour's caption on the stage on show."""
        return self.current_stage.caption

    @property
    def key_hints(self) -> QLabel:
        """Talk mode's key list on the stage on show."""
        return self.current_stage.key_hints

    @property
    def digits(self):
        """The real-digits stage's network controller (the stage is made, not shown, if it was not yet)."""
        return self.stage("real_digits").controller

    def flush(self) -> None:
        """Draw what the throttled panes hold back, now (export draws frame by frame)."""
        for stage in self._stages.values():
            stage.flush()

    # -- the window's size -----------------------------------------------------------------------
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

    # -- what the controllers say ----------------------------------------------------------------
    @Slot(str, int)
    def _on_status(self, message: str, milliseconds: int) -> None:
        self.statusBar().showMessage(message, milliseconds)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.menus.actions["talk"].setChecked(on)
        self.setStyleSheet(palette.style_sheet(self.state.type_scale))
        self.menuBar().setVisible(not on)

    @Slot(str)
    def _on_tour_caption_changed(self, caption: str) -> None:
        self._caption = caption
        for stage in self._stages.values():
            stage.show_caption(caption)

    @Slot(object)
    def _on_tour_step_shown(self, step) -> None:
        self.show_stage(step.view.get("stage", STAGES[0].id))
        for stage in list(self._stages.values()):
            stage.show_tour_step(step)

    @Slot(str)
    def _on_sessions_path_changed(self, path: str) -> None:
        self.setWindowTitle(f"BlurLab — {Path(path).name}")

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.talk_mode.close()
        remembered.remember(self)
        for stage in self._stages.values():
            stage.close_stage()
        super().closeEvent(event)
