"""What a legible, unclipped window is, as checks on the real widgets: shared by the layout tests and the
check that runs in a child process at a device pixel ratio of 2."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QTabBar, QWidget

SIZES = [(1024, 768), (1280, 720), (1280, 800), (1920, 1080), (3840, 2160)]
PANE_SHARE_IN_TALK = 0.45


def _visible_children(window: QWidget):
    for child in window.findChildren(QWidget):
        if child.isVisibleTo(window) and child.width() > 0 and child.height() > 0 and child.isWindow() is False:
            yield child


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.viewport().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def _rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def layout_problems(window: QWidget, talk: bool) -> list[str]:
    """Everything wrong with the window's layout as drawn now; [] when it is legible and unclipped."""
    problems = []
    frame = window.rect()
    for child in _visible_children(window):
        rect = _rect_in(child, window)
        name = f"{type(child).__name__} {child.objectName() or ''}{_text_of(child)!r}"
        if not frame.contains(rect):
            problems.append(f"{name} at {rect.getRect()} extends beyond the window {frame.getRect()}")
        area = _scroll_area_of(child)
        if area is not None:
            viewport = _rect_in(area.viewport(), window)
            if rect.left() < viewport.left() - 1 or rect.right() > viewport.right() + 1:
                problems.append(f"{name} at {rect.getRect()} is cut by its scroll area {viewport.getRect()}")
            elif child.parentWidget() is area.widget() and rect.bottom() > viewport.bottom() + 1:
                problems.append(f"{name} at {rect.getRect()} is below its scroll area's view {viewport.getRect()}")
        problems += _cut_text(child, name)
    if talk and window.current_stage is window.data_space:  # the other stages have no distribution pane
        pane = window.pane
        share = pane.width() * pane.height() / (window.width() * window.height())
        if share < PANE_SHARE_IN_TALK:
            problems.append(f"the distribution pane has {share:.0%} of the window, below {PANE_SHARE_IN_TALK:.0%}")
    return problems


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return widget.text()[:40]
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def _cut_text(widget: QWidget, name: str) -> list[str]:
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                return [f"{name}: its wrapped text needs {needed} px of height, it has {widget.height()}"]
        elif widget.sizeHint().width() > widget.width() + 1:
            return [f"{name}: its text needs {widget.sizeHint().width()} px of width, it has {widget.width()}"]
    if isinstance(widget, QTabBar):  # too narrow, it cuts its tabs' names and scrolls them
        needed = sum(widget.tabSizeHint(i).width() for i in range(widget.count()))
        if needed > widget.width() + 1:
            return [f"{name}: its tabs need {needed} px of width, it has {widget.width()}"]
    if isinstance(widget, QComboBox) and widget.currentText():
        needed = widget.fontMetrics().horizontalAdvance(widget.currentText())
        room = widget.width() - 30  # the frame, the padding and the arrow
        if needed > room:
            return [f"{name}: its text needs {needed} px, it has {room}"]
    return []
