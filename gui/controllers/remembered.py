"""What the window remembers between runs: where it was on the screen and the fit's speed."""

from __future__ import annotations

from gui.support import preferences


def restore(window) -> None:
    """The window where the user left it (never larger than this screen's available area) and the pace the
    user last chose."""
    store = preferences.store()
    geometry = store.value("window/geometry")
    if geometry:
        window.restoreGeometry(geometry)  # talk mode goes full screen anyway
        window.resize(window.size().boundedTo(window.available_size()))
    speed = store.value("window/speed")
    if speed is not None and str(speed).isdigit():
        window.state.set_speed_index(int(speed))


def remember(window) -> None:
    store = preferences.store()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/speed", window.state.speed_index)
