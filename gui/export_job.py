"""Export from the window: PNGs at once; an animation in a child `blurlab export`, with a progress dialog.

The animation is rendered by another process so the window stays live, and torch stays out of it.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from engine.session import Session, save_session


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
        save_session(session, session_file)
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
            self.finished.emit(False, "Export cancelled.")
        elif code == 0:
            self.finished.emit(True, f"Exported {self.out}")
        else:
            lines = [ln for ln in errors.splitlines() if ln.startswith("blurlab: error")] or errors.splitlines()[-3:]
            self.finished.emit(False, "\n".join(lines) or f"The export stopped (exit code {code}).")
