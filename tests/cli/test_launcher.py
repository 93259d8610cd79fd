"""BlurLab as an installed app: `install-desktop` writes a valid launcher entry and the icons for the
user (and takes them away again), and the application and its window carry the icon."""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _blurlab(*args: str, data_home: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(data_home.parent), "XDG_DATA_HOME": str(data_home)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=data_home.parent)


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # the keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_desktop_writes_a_valid_entry_and_the_icons_and_uninstall_removes_them(tmp_path):
    home = tmp_path / "share"
    for _ in range(2):  # installing again gives the same files
        done = _blurlab("install-desktop", data_home=home)
        assert done.returncode == 0, done.stderr
    desktop = home / "applications" / "blurlab.desktop"
    validator = shutil.which("desktop-file-validate")
    if validator:
        checked = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
        assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr
    entry = _entry(desktop)
    assert entry["Type"] == "Application" and entry["Name"] == "BlurLab" and entry["Icon"] == "blurlab"
    assert entry["Exec"] == f'"{sys.executable}" "{ROOT / "main.py"}"'
    assert entry["StartupWMClass"] == "BlurLab"
    icons = home / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "blurlab.svg").read_text().startswith("<?xml")
    for n in (16, 32, 48, 256):
        from PIL import Image

        with Image.open(icons / f"{n}x{n}" / "apps" / "blurlab.png") as image:
            assert image.size == (n, n) and image.mode == "RGBA"
    done = _blurlab("install-desktop", "--uninstall", data_home=home)
    assert done.returncode == 0 and "Removed 9 files" in done.stdout
    assert not desktop.exists() and not any(p.is_file() for p in icons.rglob("*"))
    assert "was not installed" in _blurlab("install-desktop", "--uninstall", data_home=home).stdout


def test_an_argument_with_spaces_or_quotes_is_quoted_as_the_specification_asks(tmp_path):
    from gui.support.launcher import desktop_entry, install

    text = desktop_entry("/opt/my python/bin/python", Path('/home/a "b"/main.py'))
    assert 'Exec="/opt/my python/bin/python" "/home/a \\\\"b\\\\"/main.py"\n' in text
    written = install("/usr/bin/python3", Path("/srv/blur lab/main.py"), home=tmp_path)
    validator = shutil.which("desktop-file-validate")
    if validator:
        assert subprocess.run([validator, str(written[0])]).returncode == 0


def test_the_shipped_svg_is_what_the_script_draws_and_every_size_is_shipped():
    spec = importlib.util.spec_from_file_location("make_icon", ROOT / "resources" / "icons" / "make_icon.py")
    make_icon = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icon)
    assert (ROOT / "resources" / "icons" / "blurlab.svg").read_text(encoding="utf-8") == make_icon.svg()
    from gui.support.launcher import ICON_SIZES

    assert ICON_SIZES == make_icon.SIZES
    assert all((ROOT / "resources" / "icons" / f"blurlab-{n}.png").exists() for n in ICON_SIZES)


@pytest.fixture
def named_app(qapp):
    """The application set up as the app sets it up; its names put back afterwards for the other tests."""
    before = (qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName())
    from gui.support.icon import set_up_application

    set_up_application(qapp)
    yield qapp
    qapp.setApplicationName(before[0])
    qapp.setOrganizationName(before[1])
    qapp.setDesktopFileName(before[2])
    from PySide6.QtGui import QIcon

    qapp.setWindowIcon(QIcon())


def test_the_application_and_its_window_carry_the_icon_and_the_desktop_file_name(named_app, make_window):
    from PySide6.QtCore import QSize
    from PySide6.QtSvg import QSvgRenderer

    from tests.support.fakes import FakeFitProcess

    assert named_app.desktopFileName() == "blurlab" and named_app.applicationName() == "BlurLab"
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    icon = window.windowIcon()
    assert not icon.isNull()
    assert {(s.width(), s.height()) for s in icon.availableSizes()} >= {(16, 16), (32, 32), (256, 256)}
    assert not icon.pixmap(QSize(48, 48)).toImage().isNull()
    assert QSvgRenderer(str(ROOT / "resources" / "icons" / "blurlab.svg")).isValid()
