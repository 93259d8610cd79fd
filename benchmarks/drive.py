"""Real events for the benchmarks that drive the window (soak.py, chaos.py): keys to the window, mouse events
to the distribution pane's viewport, and waiting with the event loop turning, as a hand and an eye would."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
MOVE, PRESS, RELEASE = QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease


def rss_mb() -> float:
    """This process's resident memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_window(width: int, height: int):
    """The app and its real window on the default scene, shown at width × height, ready for simulated drags."""
    import pyqtgraph as pg

    from gui.app import make_window

    app = QApplication.instance() or QApplication([])
    pg.setConfigOption("mouseRateLimit", -1)
    window = make_window()
    window.resize(width, height)
    window.show()
    window.pane.scene().minDragTime = 0
    return app, window


class Driver:
    """Sends a window's events as Qt delivers them."""

    def __init__(self, app: QApplication, window) -> None:
        self.app, self.window = app, window

    def wait(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.002)

    def key(self, k, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(self.window, QKeyEvent(kind, k, modifiers))
        self.app.processEvents()

    def mouse(self, kind, pos: QPoint, button, buttons) -> None:
        viewport = self.window.pane.viewport()
        QApplication.sendEvent(viewport, QMouseEvent(kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button,
                                                     buttons, Qt.KeyboardModifier.NoModifier))

    def at(self, x: float, y: float) -> QPoint:
        """The pane's pixel of a data point."""
        p = self.window.pane.data_to_widget(x, y)
        return QPoint(round(p.x()), round(p.y()))

    def drag(self, start: QPoint, end: QPoint, steps: int = 10) -> None:
        """Press at start, move there in steps, release at end."""
        self.mouse(MOVE, start, NONE, NONE)
        self.mouse(PRESS, start, LEFT, LEFT)
        for i in range(1, steps + 1):
            p = start + (end - start) * (i / steps)
            self.mouse(MOVE, QPoint(round(p.x()), round(p.y())), NONE, LEFT)
            self.app.processEvents()
        self.mouse(RELEASE, end, LEFT, NONE)
        self.app.processEvents()
