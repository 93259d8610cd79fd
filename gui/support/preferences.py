"""What BlurLab remembers between launches (QSettings): window geometry, recent files, folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_FILES = 8


def store() -> QSettings:
    """The user's settings: an INI file under the platform's config folder (XDG_CONFIG_HOME on Linux)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "BlurLab", "BlurLab")


def recent_files() -> list[str]:
    value = store().value("recent_files", [])
    if isinstance(value, str):  # QSettings gives a one-item list back as a plain string
        value = [value]
    return [p for p in value or [] if isinstance(p, str)]


def add_recent_file(path: str | Path) -> list[str]:
    path = str(Path(path).resolve())
    files = [path, *(p for p in recent_files() if p != path)][:RECENT_FILES]
    store().setValue("recent_files", files)
    return files


def last_folder() -> str:
    return str(store().value("last_folder", "") or "")


def set_last_folder(path: str | Path) -> None:
    store().setValue("last_folder", str(Path(path).resolve().parent))
