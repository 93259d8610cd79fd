"""The file dialogs the window asks with; each returns what the user chose, or None."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from gui.support import preferences


def _start(name: str) -> str:
    return str(Path(preferences.last_folder() or Path.home()) / name)


def open_path(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open a session or scene", preferences.last_folder(),
                                          "BlurLab sessions and scenes (*.json);;All files (*)")
    return path or None


def save_session_path(parent: QWidget, name: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save the session", _start(f"{name}.json"),
                                          "BlurLab sessions (*.json)")
    return path or None


def png_path(parent: QWidget, view: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Export a PNG", _start(f"blurlab-{view}.png"), "PNG pictures (*.png)")
    if not path:
        return None
    return path if path.lower().endswith(".png") else path + ".png"


def animation(parent: QWidget, mp4: bool) -> tuple[str, int] | None:
    """Where to write an animation (GIF, or MP4 when `mp4`) and of how many steps."""
    steps, ok = QInputDialog.getInt(parent, "Export an animation", "Optimiser steps, from step 0:", 300, 1, 100_000)
    if not ok:
        return None
    kinds = "GIF animations (*.gif)" + (";;MP4 videos (*.mp4)" if mp4 else "")
    path, chosen = QFileDialog.getSaveFileName(parent, "Export an animation", _start("blurlab-fit.gif"), kinds)
    if not path:
        return None
    if not path.lower().endswith((".gif", ".mp4")):
        path += ".mp4" if "mp4" in chosen else ".gif"
    return path, steps
