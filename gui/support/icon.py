"""The application's identity for the desktop: its name, the desktop file a task bar groups its windows
by, and its icon (resources/icons, drawn by make_icon.py), set on the application and so on every window."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from gui.support.launcher import APP_ID, ICON_SIZES


def app_icon() -> QIcon:
    """BlurLab's icon, a drawn picture for every size the desktop asks for."""
    icon = QIcon()
    folder = resources.files("resources.icons")
    for n in ICON_SIZES:
        pixmap = QPixmap()
        pixmap.loadFromData(folder.joinpath(f"{APP_ID}-{n}.png").read_bytes(), "PNG")
        icon.addPixmap(pixmap)
    return icon


def set_up_application(app: QApplication) -> None:
    """Name the application (its settings' folder, its windows' class) and give it the launcher's desktop
    file name and the icon. The display name is left to default to the name: set, Qt would append it to
    every window title, and the window's titles already begin with it."""
    app.setApplicationName("BlurLab")
    app.setOrganizationName("BlurLab")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
