"""Export from the window: PNGs and screenshots at once; an animation in a child `blurlab export`, with
a progress dialog. The animation is rendered by another process so the window stays live, and torch
stays out of it. Every PNG goes through the one PNG writer (engine.io.png).
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from engine.lazy import lazy_import
from gui.support import preferences
from gui.support.grab import widget_image

if TYPE_CHECKING:
    from engine.model.session import Session

png = lazy_import("engine.io.png")  # the writers: when a picture or an animation is first exported
sessions = lazy_import("engine.model.session")
# The PNG writer and the session file are imported where an export uses them: not on the way to the
# window's first paint.


CANCELLED = "Export cancelled."


def _write_png(path: str | Path, widget: QWidget) -> None:
    """A picture of `widget` as it is drawn now, through the one PNG writer."""
    png.write_png(path, widget_image(widget))


def main_script() -> str:
    spec = importlib.util.find_spec("main")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("BlurLab's main.py cannot be found")
    return spec.origin


class AnimationExport(QObject):
    """One animation being written: `finished(ok, message)` when it is done, failed or cancelled."""

    finished = Signal(bool, str)

    def __init__(self, session: Session, out: str, steps: int, fps: int, parent: QWidget) -> None:
        """Draws at the size of `parent`, the window."""
        super().__init__(parent)
        self.out = out
        self._folder = tempfile.TemporaryDirectory(prefix="blurlab-export-")
        session_file = Path(self._folder.name) / "session.json"
        sessions.save_session(session, session_file)
        self.process = QProcess(self)
        self.process.setProgram(sys.executable)
        self.process.setArguments([main_script(), "export", "--scene", str(session_file), "--steps", str(steps),
                                   "--fps", str(fps), "--size", f"{parent.width()}x{parent.height()}",
                                   "--out", out, "--progress", "lines"])
        self.process.readyReadStandardOutput.connect(self._on_process_output)
        self.process.finished.connect(self._on_process_finished)
        self.dialog = QProgressDialog(f"Writing {Path(out).name}…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle("BlurLab: export")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.canceled.connect(self.cancel)
        self._cancelled = False

    def start(self) -> None:
        self.process.start()

    def cancel(self) -> None:
        self._cancelled = True
        self.process.kill()

    def _on_process_output(self) -> None:
        for line in bytes(self.process.readAllStandardOutput()).decode(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "frame":
                self.dialog.setMaximum(int(parts[2]))
                self.dialog.setValue(int(parts[1]))

    def _on_process_finished(self, code: int, _status) -> None:
        self.dialog.reset()
        errors = bytes(self.process.readAllStandardError()).decode(errors="replace").strip()
        self._folder.cleanup()
        if self._cancelled:
            self.finished.emit(False, CANCELLED)
        elif code == 0:
            self.finished.emit(True, f"Exported {self.out}")
        else:
            lines = [ln for ln in errors.splitlines() if ln.startswith("blurlab: error")] or errors.splitlines()[-3:]
            self.finished.emit(False, "\n".join(lines) or f"The export stopped (exit code {code}).")


def screenshot_folder() -> Path:
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(pictures or Path.home()) / "BlurLab"


class ExportController(QObject):
    """PNGs of the window or a pane, screenshots, and animations in a child process.

    `views` maps "window", "distribution" and "images" to their widgets, or to what makes a widget that is
    built the first time it is needed (the real-images view); `session()` gives the session
    to animate; `warn(title, text)` shows a problem. `status(str, int)` a message for the status bar.
    """

    status = Signal(str, int)

    def __init__(self, views: dict[str, QWidget | Callable[[], QWidget]], session: Callable[[], Session],
                 warn: Callable[[str, str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views, self.session, self.warn = views, session, warn
        self.job: AnimationExport | None = None

    def export_png(self, view: str, path: str) -> bool:
        try:
            widget = self.views[view]
            _write_png(path, widget if isinstance(widget, QWidget) else widget())
        except OSError as exc:
            self.warn("BlurLab: the picture could not be saved", f"{path} cannot be written: {exc.strerror or exc}")
            return False
        preferences.set_last_folder(path)
        self.status.emit(f"Saved {Path(path).name}.", 4000)
        return True

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
            _write_png(path, self.views["window"])
        except OSError as exc:
            self.status.emit(f"The screenshot could not be saved: {exc.strerror or exc}", 8000)
            return None
        self.status.emit(f"Screenshot saved: {path}", 6000)
        return path

    def export_animation(self, path: str, steps: int, fps: int = 25) -> AnimationExport:
        job = AnimationExport(self.session(), path, steps, fps, self.views["window"])
        job.finished.connect(self._on_job_finished)
        preferences.set_last_folder(path)
        job.start()
        self.job = job
        return job

    def _on_job_finished(self, ok: bool, message: str) -> None:
        job = self.sender()
        if job is self.job:
            self.job = None
        if isinstance(job, AnimationExport):  # its process and its progress dialog go with it
            job.dialog.deleteLater()
            job.deleteLater()
        if ok:
            self.status.emit(message, 6000)
        elif message == CANCELLED:
            self.status.emit(message, 4000)
        else:
            self.warn("BlurLab: the export failed", message)
