"""What a legible, unclipped window is, as checks on the real widgets: shared by the layout tests and the
check that runs in a child process at a device pixel ratio of 2."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QComboBox, QLabel, QScrollArea, QTabBar, QWidget

SIZES = [(1024, 768), (1280, 720), (1280, 800), (1920, 1080), (3840, 2160)]
PANE_SHARE_IN_TALK = 0.37  # the distribution pane's least share of the window in talk mode (columns aim at 0.40)
LEAST_PICTURE = 24  # pixels: the least height of a picture (a label's pixmap) on any stage


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
    stage = window.current_stage
    if talk and stage is window.data_space and not stage.pictures_large:  # the others have no distribution pane
        share = window.pane.width() * stage.plot_height() / (window.width() * window.height())
        if share < PANE_SHARE_IN_TALK:
            problems.append(f"the distribution pane (and the landscape) have {share:.0%} of the window, "
                            f"below {PANE_SHARE_IN_TALK:.0%}")
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


def check_layout(window: QWidget) -> list[str]:
    """Everything wrong with the stage on show, as a presenter's audience would see it: what layout_problems
    finds, and a scroll bar showing in any scroll area, a widget cut by its parent, a picture below
    LEAST_PICTURE pixels high. Holds for every stage, whatever it shows."""
    stage = window.current_stage
    problems = layout_problems(window, window.state.talk)
    for child in _visible_children(stage):
        name = f"{type(child).__name__} {child.objectName() or ''}{_text_of(child)!r}"
        if isinstance(child, QAbstractScrollArea):
            for bar in (child.verticalScrollBar(), child.horizontalScrollBar()):
                if bar.isVisibleTo(window) and bar.maximum() > bar.minimum():
                    problems.append(f"{name} shows a scroll bar")
        parent = child.parentWidget()
        if parent is not None and _scroll_area_of(child) is None and not _inside_a_scroll_area_frame(child) \
                and not parent.rect().contains(child.geometry()):
            problems.append(f"{name} at {child.geometry().getRect()} is cut by its parent "
                            f"{type(parent).__name__} {parent.rect().getRect()}")
        if isinstance(child, QLabel) and not child.pixmap().isNull() and child.pixmap().height() > 0:
            height = child.pixmap().height() / child.pixmap().devicePixelRatio()
            if height < LEAST_PICTURE:
                problems.append(f"{name}: a picture {height:.0f} px high, below {LEAST_PICTURE}")
    return problems


def _inside_a_scroll_area_frame(widget: QWidget) -> bool:
    """A scroll area's own parts (its viewport, its bars and their container), which it places itself."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not parent.viewport().isAncestorOf(widget) \
                and parent.viewport() is not widget:
            return True
        parent = parent.parentWidget()
    return False
