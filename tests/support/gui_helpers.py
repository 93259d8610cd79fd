"""Real mouse events for the GUI tests, sent to a graphics view's viewport as Qt delivers them, and a window
on a fake fit process to send them to."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton


def _send(view, kind, pos: QPoint, button, buttons) -> None:
    viewport = view.viewport()
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def drag(view, start: QPoint, end: QPoint, steps: int = 10) -> None:
    """Press at start, move in steps, release at end: what a hand on a mouse does."""
    press_and_move(view, start, end, steps)
    release(view, end)


def press_and_move(view, start: QPoint, end: QPoint, steps: int = 5) -> None:
    """Start a drag and hold it (no release)."""
    _send(view, QEvent.Type.MouseMove, start, NONE, NONE)
    _send(view, QEvent.Type.MouseButtonPress, start, LEFT, LEFT)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        _send(view, QEvent.Type.MouseMove, QPoint(round(p.x()), round(p.y())), NONE, LEFT)
        QApplication.processEvents()


def release(view, pos: QPoint) -> None:
    _send(view, QEvent.Type.MouseButtonRelease, pos, LEFT, NONE)
    QApplication.processEvents()


def double_click(view, pos: QPoint) -> None:
    _send(view, QEvent.Type.MouseMove, pos, NONE, NONE)
    _send(view, QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)
    _send(view, QEvent.Type.MouseButtonRelease, pos, LEFT, NONE)
    _send(view, QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT)
    _send(view, QEvent.Type.MouseButtonRelease, pos, LEFT, NONE)
    QApplication.processEvents()


def point(pane, x: float, y: float) -> QPoint:
    """Widget pixel of a data point on a pyqtgraph plot."""
    p = pane.data_to_widget(x, y)
    return QPoint(round(p.x()), round(p.y()))


def choose_with_keys(qtbot, box, data) -> None:
    """Pick a combo box entry with the arrow keys, as a user without a mouse would."""
    from PySide6.QtCore import Qt

    box.setFocus()
    index = box.findData(data)
    assert index >= 0, data
    key = Qt.Key.Key_Down if box.currentIndex() < index else Qt.Key.Key_Up
    while box.currentIndex() != index:
        qtbot.keyClick(box, key)


def step_and_record(window, qtbot, steps: int):
    """Press R, then S `steps` times, as a user stepping the fit; the estimate's mean after each step."""
    import numpy as np
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.fit.latest.step == 0, timeout=5000)
    means = []
    for k in range(1, steps + 1):
        qtbot.keyClick(window, Qt.Key.Key_S)
        qtbot.waitUntil(lambda: window.fit.latest.step == k, timeout=5000)
        means.append(window.fit.latest.estimate.mean.copy())
    return np.array(means)


def fake_window(make_window, size: tuple[int, int] = (1280, 720), talk: bool = False, **options):
    """The real window on a fake fit process, at a screen size, at the desk or in talk mode."""
    from tests.support.fakes import FakeFitProcess

    window = make_window(start_fit=False, fit_process=FakeFitProcess(), **options)
    window.resize(*size)
    if talk:
        window.talk_mode.set_talk_mode(True, full_screen=False)
    return window


def settle(qtbot, window) -> None:
    """Let the window's queued work and throttled redraws run, then draw what is still held back."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(30)
    window.flush()
    QApplication.processEvents()
