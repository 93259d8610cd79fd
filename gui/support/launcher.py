"""Installs BlurLab in the user's application menu: the freedesktop launcher entry (resources/blurlab.desktop,
with an Exec line that starts this interpreter on this main.py) and the icon in the hicolor theme, under
$XDG_DATA_HOME (~/.local/share). Installing again overwrites the same files; uninstalling removes them."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
APP_ID = "blurlab"  # the desktop file's name, the icon's name and the application's desktop file name


def data_home(environ: dict[str, str] = os.environ) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (as the specification says)."""
    value = environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def _quoted(argument: str) -> str:
    """One argument of a desktop file's Exec key: quoted, with the characters the specification reserves
    escaped, then the backslashes doubled again for the key's string value."""
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'.replace("\\", "\\\\")


def desktop_entry(python: str, main_py: Path) -> str:
    """The shipped launcher entry with its Exec line pointing at `python` running `main_py`."""
    template = resources.files("resources").joinpath(f"{APP_ID}.desktop").read_text(encoding="utf-8")
    command = f"{_quoted(python)} {_quoted(str(main_py))}"
    return "".join(f"Exec={command}\n" if line.startswith("Exec=") else line
                   for line in template.splitlines(keepends=True))


def installed_paths(home: Path) -> list[Path]:
    """Every file `install` writes under the data folder `home`."""
    icons = home / "icons" / "hicolor"
    return [home / "applications" / f"{APP_ID}.desktop", icons / "scalable" / "apps" / f"{APP_ID}.svg",
            *(icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES)]


def install(python: str, main_py: Path, home: Path | None = None) -> list[Path]:
    """Write the launcher entry and the icons; returns the files written."""
    home = home or data_home()
    entry, svg, *pngs = installed_paths(home)
    icons = resources.files("resources.icons")
    contents = [(entry, desktop_entry(python, main_py).encode("utf-8")),
                (svg, icons.joinpath(f"{APP_ID}.svg").read_bytes()),
                *((path, icons.joinpath(f"{APP_ID}-{n}.png").read_bytes()) for path, n in zip(pngs, ICON_SIZES))]
    for path, data in contents:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return [path for path, _ in contents]


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote; returns the files removed (none when it was not installed)."""
    removed = []
    for path in installed_paths(home or data_home()):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def install_command(main_py: Path, remove: bool = False, python: str | None = None) -> int:
    """`blurlab install-desktop [--uninstall]`: says what it did, on stdout."""
    if remove:
        removed = uninstall()
        print(f"Removed {len(removed)} files of BlurLab's launcher entry." if removed else
              "BlurLab's launcher entry was not installed.")
        return 0
    written = install(python or sys.executable, main_py)
    print(f"Installed BlurLab's launcher entry: {written[0]} (and its icon in {written[1].parents[2]}).")
    return 0
