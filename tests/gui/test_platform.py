"""On a minimal Linux the window names the system packages Qt's X11 plugin misses, instead of Qt's bare
"could not load the Qt platform plugin"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.support import platform

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("library", "package"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"), ("libxcb-render-util.so.0", "libxcb-render-util0"),
])
def test_a_library_names_its_package(library, package):
    assert platform.package_of(library) == package


def test_qt_uses_xcb_only_with_a_display_and_no_other_platform(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert platform.uses_xcb({"DISPLAY": ":0"})
    assert platform.uses_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not platform.uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not platform.uses_xcb({})


def test_a_missing_library_is_named_with_the_packages_to_install(monkeypatch):
    def load(path):
        raise OSError("libxcb-cursor.so.0: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(platform, "uses_xcb", lambda: True)
    hint = platform.xcb_problem(load)
    assert "libxcb-cursor.so.0" in hint and "libxcb-cursor0 is the one missing now" in hint
    assert all(p in hint for p in ("libxcb-icccm4", "libxcb-keysyms1")) and "\n" not in hint
    monkeypatch.setattr(platform, "uses_xcb", lambda: True)
    assert platform.xcb_problem(lambda path: None) is None  # it loads: nothing to say


def test_the_app_stops_with_the_hint_before_qt_aborts():
    code = (
        "import ctypes, sys\n"
        "def refuse(path, *a, **k): raise OSError('libxcb-icccm.so.4: cannot open shared object file')\n"
        "ctypes.CDLL = refuse\n"
        "import main\n"
        "sys.exit(main.main([]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = ":7"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "libxcb-icccm.so.4" in lines[0] and "sudo apt install" in lines[0]
