"""Test configuration: Qt runs offscreen, and pyqtgraph accepts simulated drags."""

import os
import tempfile

from engine.threads import limit_native_threads

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Preferences and recent files go to a folder of the test run's own, never the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="blurlab-test-config-")
limit_native_threads()  # as the app does, before numpy loads

import pyqtgraph as pg
import pytest

# Simulated drags are swallowed by pyqtgraph's rate limit and minimum drag time otherwise.
pg.setConfigOption("mouseRateLimit", -1)


@pytest.fixture
def make_window(qtbot):
    """Open the real main window on a scene; it is closed (and its fit thread stopped) after the test."""
    from gui.app import make_window as _make

    opened = []  # strong references: qtbot keeps only weak ones, and a window collected mid-test
    # would take its running fit thread with it

    def make(scene="sedan_or_suv", loss=None, start_fit=True):
        window = _make(scene, loss, start_fit=start_fit)
        opened.append(window)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.pane.scene().minDragTime = 0
        if start_fit:
            qtbot.waitUntil(lambda: window.readouts.step.text() == "0" and window.pane._last_snapshot is not None,
                            timeout=15000)
        return window

    yield make
    for window in opened:
        window.close()
