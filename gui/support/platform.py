"""Whether Qt can open a window on this machine: on a minimal Linux, Qt's xcb plugin misses system
libraries and Qt says only "could not load the Qt platform plugin"; this names them first."""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

from engine.lazy import lazy_import

PySide6 = lazy_import("PySide6")  # the check runs before Qt is loaded

# What Qt's xcb plugin needs beyond a bare X11 client, as Debian and Ubuntu call the packages.
XCB_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
                "libxcb-xinerama0", "libxcb-shape0", "libxkbcommon-x11-0")


def xcb_plugin() -> Path:
    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def uses_xcb(environ: dict[str, str] = os.environ) -> bool:
    """Whether Qt will open its windows through X11 (xcb): Linux with a display and no other platform asked for."""
    asked = environ.get("QT_QPA_PLATFORM", "")
    return sys.platform.startswith("linux") and (asked.startswith("xcb") or (not asked and bool(environ.get("DISPLAY"))))


def package_of(library: str) -> str:
    """The Debian package of a shared library: libxcb-cursor.so.0 -> libxcb-cursor0, libxkbcommon-x11.so.0 ->
    libxkbcommon-x11-0 (a hyphen before the number when the name ends in a digit)."""
    match = re.match(r"(lib[\w.+-]+?)\.so\.(\d+)", library)
    if not match:
        return library
    name, number = match.groups()
    return f"{name}-{number}" if name[-1].isdigit() else f"{name}{number}"


def xcb_problem(load=ctypes.CDLL) -> str | None:
    """A one-line hint if Qt's xcb plugin cannot load here, else None (also when Qt will not use xcb)."""
    if not uses_xcb():
        return None
    plugin = xcb_plugin()
    if not plugin.exists():
        return None
    try:
        load(str(plugin))  # the same libraries Qt would load, so the same failure, but one that names the file
    except OSError as exc:
        missing = str(exc).split(":")[0].strip()
        named = f" ({package_of(missing)} is the one missing now)" if ".so" in missing else ""
        return (f"Qt cannot open a window: its X11 plugin cannot load {missing}. Install the system packages it "
                f"needs{named}: sudo apt install {' '.join(XCB_PACKAGES)}")
    return None
