"""The main window: composes the panes, wires state to views and to the fit thread, owns the keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.catalogue import loss_info
from engine.estimate import Snapshot
from engine.scene import Scene, SceneError, bundled_scene, bundled_scene_ids
from engine.scene import load as load_scene
from engine.scene import save as save_scene
from gui import palette
from gui.controls import ControlPanel
from gui.distribution_pane import DistributionPane
from gui.image_pane import ImagePane
from gui.readouts import ReadoutPanel
from gui.state import AppState
from gui.worker import FitRunner


class MainWindow(QMainWindow):
    def __init__(self, scene: Scene, scene_id: str | None = None, start_fit: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("BlurLab")
        self.resize(1600, 900)
        self.setMinimumSize(1200, 680)
        self.state = AppState(scene, self)
        self.runner = FitRunner(self)
        self._latest: Snapshot | None = None
        self._closed = False
        self._draw_pending = False

        choices = [(sid, self._scene_title(bundled_scene(sid))) for sid in bundled_scene_ids()]
        self.pane = DistributionPane(self.state)
        self.image_pane = ImagePane(self.state)
        self._pixel_image = None
        self.controls = ControlPanel(self.state, choices)
        self.readouts = ReadoutPanel()
        self.controls.select_scene(scene_id)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 8, 8, 8)
        side_layout.addWidget(self.controls)
        side_layout.addWidget(self.readouts, 1)
        side.setFixedWidth(340)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setStyleSheet(f"font-size: 13pt; color: {palette.TEXT}; padding: 6px 10px;")
        self.headline.setWordWrap(True)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.headline)
        centre_layout.addWidget(self.pane, 1)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(centre)
        splitter.addWidget(self.image_pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        body_layout.addWidget(splitter, 1)
        body_layout.addWidget(side)
        self.setCentralWidget(body)
        self.setStyleSheet(palette.STYLE_SHEET)
        self.statusBar().showMessage("Drag a handle to change the data; double-click to add a mode. Space runs the fit.")
        self._make_actions()

        self.state.dataChanged.connect(self._on_state_data_changed)
        self.state.settingsChanged.connect(self._on_state_settings_changed)
        self.state.sceneReplaced.connect(self._on_state_scene_replaced)
        self.state.speedChanged.connect(self._on_state_speed_changed)
        self.state.undoAvailable.connect(self.undo_action.setEnabled)
        self.controls.runToggled.connect(self.runner.set_running)
        self.controls.stepRequested.connect(self.step_once)
        self.controls.resetRequested.connect(self.reset_fit)
        self.controls.sceneRequested.connect(self.load_bundled_scene)
        self.runner.snapshotReady.connect(self._on_runner_snapshot)
        self.runner.pixelReady.connect(self._on_runner_pixel)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.processEnded.connect(self._on_runner_process_ended)
        self.runner.runningChanged.connect(self.controls.set_running)
        self._update_headline()
        if start_fit:
            # The fit process starts once the window has painted: nothing of it is on the way there.
            self.pane.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.pane.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.start_fit)
        return False

    @staticmethod
    def _scene_title(scene: Scene) -> str:
        return f"{scene.name}  ({scene.dim}-D)"

    def _make_actions(self) -> None:
        def action(text: str, key, slot, tip: str = "") -> QAction:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(action("Open scene…", QKeySequence.StandardKey.Open, self.open_scene_dialog,
                                   "Open a BlurLab scene file (JSON)"))
        file_menu.addAction(action("Save scene as…", QKeySequence.StandardKey.SaveAs, self.save_scene_dialog,
                                   "Save the data as you edited it to a scene file"))
        file_menu.addSeparator()
        file_menu.addAction(action("Quit", QKeySequence.StandardKey.Quit, self.close, "Quit BlurLab"))
        fit_menu = self.menuBar().addMenu("&Fit")
        self.run_action = action("Run / Pause", Qt.Key.Key_Space, self.toggle_running, "Start or pause the fit")
        self.step_action = action("Step", Qt.Key.Key_S, self.step_once, "One optimiser step")
        self.reset_action = action("Reset", Qt.Key.Key_R, self.reset_fit, "Back to step 0")
        for a in (self.run_action, self.step_action, self.reset_action):
            fit_menu.addAction(a)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = action("Undo", QKeySequence.StandardKey.Undo, self.state.undo, "Undo the last change to the data")
        self.undo_action.setEnabled(False)
        self.remove_action = action("Remove selected component", Qt.Key.Key_Delete, self._remove_selected,
                                    "Remove the component whose handle was clicked last")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.remove_action)

    # -- the fit ------------------------------------------------------------------------------
    @Slot()
    def start_fit(self) -> None:
        if not self.runner.started and not self._closed:
            self.runner.start(self.state.samples, self.state.mixture, self.state.settings,
                              self.state.steps_per_second(), self.state.scene.decoder)

    @Slot()
    def toggle_running(self) -> None:
        self.runner.set_running(not self.runner.running)

    @Slot()
    def step_once(self) -> None:
        if self.runner.running:
            self.runner.set_running(False)
        self.runner.step()

    @Slot()
    def reset_fit(self) -> None:
        self.pane.clear_trail()
        self.runner.reset()
        self.statusBar().showMessage("Fit reset to step 0.", 3000)

    @Slot(object)
    def _on_runner_snapshot(self, snap: Snapshot) -> None:
        # Draw only the newest: snapshots queued behind a slow frame are dropped.
        self._latest = snap
        if not self._draw_pending:
            self._draw_pending = True
            QTimer.singleShot(0, self._draw_latest)

    @Slot()
    def _draw_latest(self) -> None:
        self._draw_pending = False
        snap = self._latest
        if snap is None or snap.estimate.mean.size != self.state.dim:
            return  # none yet, or one fitted to the scene before a new one was loaded
        self.pane.show_snapshot(snap)
        self.readouts.show_snapshot(snap, self.state.mixture)
        self.image_pane.show_snapshot(snap, self._pixel_image)
        if snap.diverged:
            self.statusBar().showMessage(snap.message)

    @Slot(object)
    def _on_runner_pixel(self, image) -> None:
        self._pixel_image = image

    @Slot()
    def _on_runner_process_ended(self) -> None:
        """The fit process died under us: start a fresh one on the current data, say so, go on."""
        self.runner.shutdown()
        if self._closed:
            return
        self.pane.clear_trail()
        self.start_fit()
        self.statusBar().showMessage("The fit process stopped unexpectedly and was restarted from step 0.", 8000)

    @Slot(str)
    def _on_runner_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)

    # -- state changes ---------------------------------------------------------------------------
    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        self.pane.refresh_data(finished)
        self.image_pane.refresh_data(finished)
        self.runner.set_data(self.state.samples, self.state.mixture)
        if finished:
            self.controls.sync()

    @Slot()
    def _on_state_settings_changed(self) -> None:
        self.controls.sync()
        self.runner.set_settings(self.state.settings)
        self._update_headline()

    @Slot()
    def _on_state_speed_changed(self) -> None:
        self.controls.sync()
        self.runner.set_steps_per_second(self.state.steps_per_second())

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        self.pane.rebuild()
        self.image_pane.rebuild()
        self.runner.set_decoder(self.state.scene.decoder)
        self.controls.sync()
        self.runner.set_data(self.state.samples, self.state.mixture)
        self.runner.set_settings(self.state.settings)
        self.runner.reset()
        self._update_headline()

    @Slot(str)
    def load_bundled_scene(self, scene_id: str) -> None:
        scene = bundled_scene(scene_id).with_(loss=self.state.settings.loss)
        self.state.load_scene(scene)
        self.controls.select_scene(scene_id)
        self.statusBar().showMessage(f"Loaded “{scene.name}”.", 3000)

    def open_scene(self, path: str) -> bool:
        """Load a scene file; a bad one is refused with a message and the current scene stays."""
        try:
            scene = load_scene(path)
        except SceneError as exc:
            QMessageBox.warning(self, "BlurLab: the scene could not be opened", str(exc))
            return False
        self.state.load_scene(scene)
        self.controls.select_scene(None)
        self.statusBar().showMessage(f"Opened “{scene.name}” from {Path(path).name}.", 4000)
        return True

    def save_scene(self, path: str) -> bool:
        try:
            save_scene(self.state.scene, path)
        except OSError as exc:
            QMessageBox.warning(self, "BlurLab: the scene could not be saved", f"{path}: {exc.strerror}")
            return False
        self.statusBar().showMessage(f"Saved the scene to {Path(path).name}.", 4000)
        return True

    def open_scene_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a scene", "", "BlurLab scenes (*.json);;All files (*)")
        if path:
            self.open_scene(path)

    def save_scene_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the scene", f"{self.state.scene.name}.json",
                                              "BlurLab scenes (*.json)")
        if path:
            self.save_scene(path)

    def _remove_selected(self) -> None:
        if not self.pane.remove_selected():
            self.statusBar().showMessage("Click a component's handle first (a scene keeps at least one).", 4000)

    def _update_headline(self) -> None:
        info = loss_info(self.state.settings.loss)
        ends_at = info.ends_at if self.state.dim == 2 else info.ends_at.split(" (")[0]
        self.headline.setText(f"<b>{self.state.scene.name}</b> &nbsp;·&nbsp; {info.title} "
                              f"<span style='color:{palette.MUTED}'>ends at {ends_at}</span>")

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self._closed = True  # a start still queued must not outlive the window
        self.runner.shutdown()
        super().closeEvent(event)
