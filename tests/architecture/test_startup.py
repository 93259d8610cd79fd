"""The window must paint soon: nothing on the way to its first paint may import torch, nor what only a later
action needs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _in_a_fresh_app(then: str) -> str:
    """The last line printed by `then`, run in a new process after making the window (`window`)."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from gui.app import make_window\n"
        "window = make_window(start_fit=False)\n"
        f"{then}"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_opening_the_window_does_not_import_torch():
    shown = "window.show()\napp.processEvents()\nprint('torch' in sys.modules)\nwindow.close()\n"
    assert _in_a_fresh_app(shown) == "False"


def test_making_the_window_loads_nothing_that_only_a_later_action_needs():
    """Session files, the PNG writer, tables, your own points, the tug of war, coverage, the pictures' board, the
    digits and the tour's steps load when first used: each module on the way to the first paint delays it (ui_latency.py)."""
    later = ("engine.model.session", "engine.io.png", "engine.io.table", "csv", "engine.model.pulls",
             "engine.model.coverage", "engine.images.board", "engine.digits.data", "engine.model.data_scene",
             "engine.model.tour", "engine.model.points")
    assert _in_a_fresh_app(f"print(sorted(m for m in {later!r} if m in sys.modules))\n") == "[]"


def test_the_pictures_and_the_mean_follow_the_first_paint(qtbot):
    """Decoding the pictures and making the mean and median lines are not on the way to the first frame:
    the window paints without them, and they follow a moment later."""
    from PySide6.QtCore import QEvent, QObject

    from tests.support.fakes import FakeFitProcess
    from gui.app import make_window

    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    qtbot.addWidget(window)
    seen = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and not seen:
                seen["pictures"] = window.image_pane.data_board is not None
                seen["mode boxes"] = window.image_pane.pair_row.isVisible()  # empty until the pictures come
                line = getattr(window.pane.drawing, "mean_line", None)  # made after the first paint
                seen["mean"] = None if line is None else line.value()
            return False

    probe = FirstPaint()
    window.pane.viewport().installEventFilter(probe)
    window.show()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen["pictures"] is False and seen["mode boxes"] is False
    qtbot.waitUntil(lambda: window.image_pane.data_board is not None, timeout=2000)
    mean = float(window.state.samples.mean())
    qtbot.waitUntil(lambda: abs(window.pane.drawing.mean_line.value() - mean) < 1e-6, timeout=2000)
    assert seen["mean"] is None  # the mean's line is made after the first paint
    window.pane.viewport().removeEventFilter(probe)
    window.close()
