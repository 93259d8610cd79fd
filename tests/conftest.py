"""Test configuration: Qt runs offscreen, pyqtgraph accepts simulated drags, and no test leaves a
top-level widget behind."""

import gc
import json
import os
import tempfile
from pathlib import Path

from engine.maths.threads import limit_native_threads

# Preferences and recent files go to a folder of the test run's own, never the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="blurlab-test-config-")
# Offscreen, on a 1920x1080 screen (the plugin's own is 800x800): the window opens at its usual size.
_SCREEN = Path(os.environ["XDG_CONFIG_HOME"]) / "screen.json"
_SCREEN.write_text(json.dumps({"screens": [{"name": "test", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                            "logicalDpi": 96, "logicalBaseDpi": 96}]}))
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")
limit_native_threads()  # as the app does, before numpy loads

import pyqtgraph as pg  # noqa: E402
import pytest  # noqa: E402

# Simulated drags are swallowed by pyqtgraph's rate limit and minimum drag time otherwise.
pg.setConfigOption("mouseRateLimit", -1)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture can tell whether the test itself failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def no_leaked_widgets(request):
    """After a test that used Qt, every top-level widget it made is gone (as napari and ndv check): a
    window that survives its close holds a reference it should not, or a child process."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    before = set(QApplication.topLevelWidgets()) if app else set()
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        return  # the failure's traceback holds the test's widgets: the failure is the news
    app = QApplication.instance()
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    leaked = [w for w in QApplication.topLevelWidgets() if w not in before and type(w).__name__ != "QTipLabel"]
    assert not leaked, f"top-level widgets left after the test: {leaked}"


@pytest.fixture
def make_window(qtbot):
    """Open the real main window on a scene; it is closed (and its fit process stopped) after the test."""
    from gui.app import make_window as _make

    opened = []  # strong references: qtbot keeps only weak ones, and a window collected mid-test
    # would take its running fit process with it

    def make(scene="sedan_or_suv", loss=None, start_fit=True, **options):
        window = _make(scene, loss, start_fit=start_fit, **options)
        opened.append(window)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.pane.scene().minDragTime = 0
        if start_fit:
            qtbot.waitUntil(lambda: window.readouts.step.text() == "0" and window.fit.latest is not None,
                            timeout=15000)
        return window

    yield make
    for window in opened:
        window.close()
        window.deleteLater()
    opened.clear()


@pytest.fixture(scope="module")
def torch_on_one_thread():
    """Fits in the test process run on one torch thread, as the app's fit process does: the tensors are tiny,
    and on a busy machine two threads wait on each other and make the suite's time erratic. The engine's and
    the command line's tests take it for every module (their conftest.py)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
