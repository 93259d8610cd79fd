"""The main window: composes the panes, wires state to views and to the fit thread, owns the keys."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QStandardPaths, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.catalogue import LOSS_IDS, loss_info
from engine.estimate import Snapshot
from engine.scene import Scene, SceneError, bundled_scene, bundled_scene_ids
from engine.session import Session, load_session, save_session, session_from_scene
from engine.tour import TOUR
from gui import palette, preferences
from gui.controls import ControlPanel
from gui.distribution_pane import DistributionPane
from gui.image_pane import ImagePane
from gui.readouts import ReadoutPanel
from gui.state import AppState
from gui.talk import KEY_HINTS, IdleCursorHider
from gui.worker import FitRunner


SIDE_WIDTH = 340
TALK_SCALE = 1.6  # type in talk mode, against the desk's
TALK_LINES = 2.0  # line widths and markers in talk mode


def screenshot_folder() -> Path:
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(pictures or Path.home()) / "BlurLab"


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
        self.scene_id = scene_id  # the bundled scene shown, while the user has not edited it
        self._pristine = True
        self.tour_index = -1  # -1: not on the tour
        self.session_path: str | None = None  # the file the session was opened from or saved to
        self.talk = False
        self.cursor_hider = IdleCursorHider(self)

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
        file_menu.addAction(action("Open…", QKeySequence.StandardKey.Open, self.open_dialog,
                                   "Open a BlurLab session or scene file (JSON)"))
        self.recent_menu = file_menu.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(action("Save session", QKeySequence.StandardKey.Save, self.save,
                                   "Save the scene as edited, the loss, its settings, the speed and the view"))
        file_menu.addAction(action("Save session as…", QKeySequence.StandardKey.SaveAs, self.save_dialog,
                                   "Save the session to a new file (it is also a scene file)"))
        export_menu = file_menu.addMenu("Export")
        for text, view in (("Window as PNG…", "window"), ("Distribution pane as PNG…", "distribution"),
                           ("Image pane as PNG…", "images")):
            export_menu.addAction(action(text, QKeySequence(), lambda _=False, view=view: self.export_png_dialog(view),
                                         "A picture of what is on screen now"))
        export_menu.addAction(action("Animation of the fit (GIF, MP4)…", QKeySequence(), self.export_animation_dialog,
                                     "The fit from step 0, at its true speed, drawn as this window draws it"))
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

        loss_menu = fit_menu.addMenu("Loss")
        self.loss_actions = []
        for i, loss_id in enumerate(LOSS_IDS):
            a = action(loss_info(loss_id).title, Qt.Key.Key_1 + i, lambda _=False, i=i: self.choose_loss(i),
                       loss_info(loss_id).explanation)
            loss_menu.addAction(a)
            self.loss_actions.append(a)

        view_menu = self.menuBar().addMenu("&View")
        self.talk_action = action("Talk mode", Qt.Key.Key_T, self.toggle_talk_mode,
                                  "Full screen, large type, controls behind keys")
        self.talk_action.setCheckable(True)
        self.full_screen_action = action("Full screen", Qt.Key.Key_F, self.toggle_full_screen, "Full screen on or off")
        self.leave_action = action("Leave full screen", Qt.Key.Key_Escape, self.leave_full_screen,
                                   "Leave talk mode and full screen")
        self.screenshot_action = action("Screenshot", Qt.Key.Key_P, self.take_screenshot,
                                        "Save a PNG of the window in your Pictures folder")
        for a in (self.talk_action, self.full_screen_action, self.screenshot_action):
            view_menu.addAction(a)

        tour_menu = self.menuBar().addMenu("&Tour")
        self.next_action = action("Next step", Qt.Key.Key_Right, self.next_tour_step,
                                  "The next step of the narrated tour (→ or Page Down)")
        self.next_action.setShortcuts([QKeySequence(Qt.Key.Key_Right), QKeySequence(Qt.Key.Key_PageDown)])
        self.previous_action = action("Previous step", Qt.Key.Key_Left, self.previous_tour_step,
                                      "The step before (← or Page Up)")
        self.previous_action.setShortcuts([QKeySequence(Qt.Key.Key_Left), QKeySequence(Qt.Key.Key_PageUp)])
        self.end_tour_action = action("End the tour", QKeySequence(), self.end_tour, "Hide the tour's caption")
        tour_menu.addAction(action("Start the tour", QKeySequence(), lambda: self.go_to_tour_step(0),
                                   "A narrated walk through the argument, a step per key press"))
        for a in (self.next_action, self.previous_action, self.end_tour_action):
            tour_menu.addAction(a)

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

    def draw_now(self, snap: Snapshot | None, pixel_image=None) -> None:
        """Draw a snapshot at once, every pane (export draws frame by frame, with no time between)."""
        if pixel_image is not None:
            self._pixel_image = pixel_image
        if snap is not None:
            self._latest = snap
        self._draw_latest()
        self.readouts.flush()
        self.image_pane.flush()

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
        self._pristine = False
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
    def load_bundled_scene(self, scene_id: str, loss: str | None = None) -> None:
        scene = bundled_scene(scene_id).with_(loss=loss or self.state.settings.loss)
        self.state.load_scene(scene)
        self.scene_id, self._pristine = scene_id, True
        self.controls.select_scene(scene_id)
        self.statusBar().showMessage(f"Loaded “{scene.name}”.", 3000)

    # -- sessions -----------------------------------------------------------------------------
    def session(self) -> Session:
        """Everything a session file holds: the scene as edited, the fit's settings, the speed, the view."""
        (x0, x1), (y0, y1) = self.pane.viewRange()
        view = {"x_range": [x0, x1], "y_range": [y0, y1], "talk": self.talk,
                "tour_step": self.tour_index if self.tour_index >= 0 else None}
        return session_from_scene(self.state.scene, self.state.settings, self.state.speed, view)

    def open_file(self, path: str) -> bool:
        """Open a session (or plain scene) file; a bad one is refused with a message naming the problem,
        and the current session stays as it was."""
        try:
            session = load_session(path)
        except SceneError as exc:
            QMessageBox.warning(self, "BlurLab: the file could not be opened", str(exc))
            return False
        self.runner.set_running(False)
        self.state.load_session(session)
        self.scene_id, self.session_path = None, path
        self.controls.select_scene(None)
        view = session.view
        if "x_range" in view and "y_range" in view:
            self.pane.setRange(xRange=view["x_range"], yRange=view["y_range"], padding=0)
        self._remember(path)
        self.statusBar().showMessage(f"Opened “{session.scene.name}” from {Path(path).name}.", 4000)
        return True

    def save_file(self, path: str) -> bool:
        try:
            save_session(self.session(), path)
        except OSError as exc:
            QMessageBox.warning(self, "BlurLab: the session could not be saved", f"{path}: {exc.strerror}")
            return False
        self.session_path = path
        self._remember(path)
        self.statusBar().showMessage(f"Saved the session to {Path(path).name}.", 4000)
        return True

    def _remember(self, path: str) -> None:
        preferences.add_recent_file(path)
        preferences.set_last_folder(path)
        self.setWindowTitle(f"BlurLab — {Path(path).name}")

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = preferences.recent_files()
        for path in files:
            a = self.recent_menu.addAction(Path(path).name)
            a.setStatusTip(path)
            a.triggered.connect(lambda _=False, path=path: self.open_file(path))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a session or scene", preferences.last_folder(),
                                              "BlurLab sessions and scenes (*.json);;All files (*)")
        if path:
            self.open_file(path)

    def save(self) -> None:
        if self.session_path:
            self.save_file(self.session_path)
        else:
            self.save_dialog()

    def save_dialog(self) -> None:
        start = str(Path(preferences.last_folder() or Path.home()) / f"{self.state.scene.name}.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save the session", start, "BlurLab sessions (*.json)")
        if path:
            self.save_file(path)

    def _remove_selected(self) -> None:
        if not self.pane.remove_selected():
            self.statusBar().showMessage("Click a component's handle first (a scene keeps at least one).", 4000)

    def _update_headline(self) -> None:
        info = loss_info(self.state.settings.loss)
        ends_at = info.ends_at if self.state.dim == 2 else info.ends_at.split(" (")[0]
        self.headline.setText(f"<b>{self.state.scene.name}</b> &nbsp;·&nbsp; {info.title} "
                              f"<span style='color:{palette.MUTED}'>ends at {ends_at}</span>")

    # -- export -------------------------------------------------------------------------------
    def export_png(self, view: str, path: str) -> bool:
        widget = {"window": self, "distribution": self.pane, "images": self.image_pane}[view]
        if not widget.grab().save(path, "PNG"):
            QMessageBox.warning(self, "BlurLab: the picture could not be saved", f"{path} cannot be written.")
            return False
        preferences.set_last_folder(path)
        self.statusBar().showMessage(f"Saved {Path(path).name}.", 4000)
        return True

    def export_png_dialog(self, view: str) -> None:
        start = str(Path(preferences.last_folder() or Path.home()) / f"blurlab-{view}.png")
        path, _ = QFileDialog.getSaveFileName(self, "Export a PNG", start, "PNG pictures (*.png)")
        if path:
            self.export_png(view, path if path.lower().endswith(".png") else path + ".png")

    def export_animation_dialog(self) -> None:
        from engine.media import video_available

        steps, ok = QInputDialog.getInt(self, "Export an animation", "Optimiser steps, from step 0:", 300, 1, 100_000)
        if not ok:
            return
        kinds = "GIF animations (*.gif)" + (";;MP4 videos (*.mp4)" if video_available() else "")
        start = str(Path(preferences.last_folder() or Path.home()) / "blurlab-fit.gif")
        path, chosen = QFileDialog.getSaveFileName(self, "Export an animation", start, kinds)
        if not path:
            return
        if not path.lower().endswith((".gif", ".mp4")):
            path += ".mp4" if "mp4" in chosen else ".gif"
        self.export_animation(path, steps)

    def export_animation(self, path: str, steps: int, fps: int = 25):
        from gui.export_job import AnimationExport

        job = AnimationExport(self.session(), path, steps, fps, self)
        job.finished.connect(self._on_export_finished)
        preferences.set_last_folder(path)
        job.start()
        self._export_job = job
        return job

    @Slot(bool, str)
    def _on_export_finished(self, ok: bool, message: str) -> None:
        if ok:
            self.statusBar().showMessage(message, 6000)
        elif message == "Export cancelled.":
            self.statusBar().showMessage(message, 4000)
        else:
            QMessageBox.warning(self, "BlurLab: the export failed", message)

    # -- talk mode and the tour -------------------------------------------------------------------
    @Slot()
    def toggle_talk_mode(self) -> None:
        self.set_talk_mode(not self.talk)

    def set_talk_mode(self, on: bool, full_screen: bool = True) -> None:
        """Full screen, large type, thick lines, the controls hidden behind keys, the pointer hidden at rest."""
        self.talk = on
        self.talk_action.setChecked(on)
        self.setStyleSheet(palette.style_sheet(TALK_SCALE if on else 1.0))
        self.menuBar().setVisible(not on)
        self.controls.setVisible(not on)
        self.key_hints.setVisible(on)
        self.image_pane.set_scale(TALK_SCALE if on else 1.0)
        self.readouts.set_scale(TALK_SCALE if on else 1.0)
        self.pane.set_line_scale(TALK_LINES if on else 1.0)
        self.cursor_hider.set_enabled(on)
        if on and full_screen and not self.isFullScreen():
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()
        self.statusBar().showMessage("Talk mode: T or Esc to leave." if on else "Talk mode off.", 6000)

    @Slot()
    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    @Slot()
    def leave_full_screen(self) -> None:
        if self.talk:
            self.set_talk_mode(False)
        elif self.isFullScreen():
            self.showNormal()

    @Slot()
    def take_screenshot(self) -> Path | None:
        """A PNG of the window in the Pictures folder, named by the time."""
        folder = screenshot_folder()
        stamp = time.strftime("blurlab-%Y%m%d-%H%M%S")
        path, n = folder / f"{stamp}.png", 1
        while path.exists():
            n += 1
            path = folder / f"{stamp}-{n}.png"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not self.grab().save(str(path)):
                raise OSError(f"could not write {path}")
        except OSError as exc:
            self.statusBar().showMessage(f"The screenshot could not be saved: {exc}", 8000)
            return None
        self.statusBar().showMessage(f"Screenshot saved: {path}", 6000)
        return path

    def choose_loss(self, index: int) -> None:
        self.state.set_loss(LOSS_IDS[index])
        self.statusBar().showMessage(f"Loss: {loss_info(LOSS_IDS[index]).title}", 3000)

    @Slot()
    def next_tour_step(self) -> None:
        self.go_to_tour_step(self.tour_index + 1)

    @Slot()
    def previous_tour_step(self) -> None:
        self.go_to_tour_step(max(self.tour_index - 1, 0))

    def go_to_tour_step(self, index: int) -> None:
        """Show one step of the tour: its scene (fresh, if edited), loss, speed and caption; maybe run it."""
        if index >= len(TOUR):
            self.statusBar().showMessage("That was the last step of the tour. ← goes back.", 5000)
            return
        step = TOUR[index]
        self.tour_index = index
        self.runner.set_running(False)
        if step.scene != self.scene_id or not self._pristine:
            self.load_bundled_scene(step.scene, loss=step.loss)
        else:
            self.state.set_loss(step.loss)
            if step.fresh:
                self.reset_fit()
        self.state.set_speed(step.speed)
        self.caption.setText(f"<span style='color:{palette.ORANGE}'>{index + 1} / {len(TOUR)}</span>&nbsp; "
                             f"<b>{step.title}</b><br>{step.caption}")
        self.caption.setVisible(True)
        if step.autorun:
            self.runner.set_running(True)

    @Slot()
    def end_tour(self) -> None:
        self.tour_index = -1
        self.caption.setVisible(False)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self._closed = True  # a start still queued must not outlive the window
        self.cursor_hider.set_enabled(False)
        store = preferences.store()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/speed", self.state.speed_index)
        self.runner.shutdown()
        super().closeEvent(event)
