"""The data-space stage's columns: how wide the side panel and the views beside the distribution pane are,
at the desk and in talk mode, where the distribution pane keeps its share of the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

# The widths of the side panel and of the views, as shares of the window's width, with their bounds in
# type-scaled pixels; the distribution pane takes the rest. Talk mode hides the controls, so its side is
# narrow; the distribution pane, the heart of the talk, keeps the largest part of the screen, and the
# pictures, which a hall must see too, the rest.
COLUMNS = {False: ((0.22, 280, 340), (0.31, 260, 640)), True: ((0.15, 130, 900), (0.40, 220, 1600))}
TALK_PANE_SHARE = 0.40  # in talk mode the distribution pane has at least this share of the window


def column_widths(width: int, talk: bool, type_scale: float) -> tuple[int, int]:
    """(side panel, views) widths for a window `width` pixels wide."""
    (side_share, side_low, side_high), (views_share, views_low, views_high) = COLUMNS[talk]
    side = round(min(max(side_share * width, side_low * type_scale if talk else side_low), side_high))
    views = round(min(max(views_share * width, views_low), views_high))
    return side, views


def talk_views_width(window_width: int, window_height: int, pane_height: int, side: int, views: int) -> int:
    """The views' width in talk mode: what leaves the distribution pane, `pane_height` tall, its share of the
    window (but never below the views' least width)."""
    wanted = TALK_PANE_SHARE * window_width * window_height / max(pane_height, 1)
    room = round(window_width - side - wanted - 8)
    return max(min(views, room), COLUMNS[True][1][1])


class LayoutWatch(QObject):
    """Calls back when a widget's layout asks to be redone (its contents' sizes changed), or with `height`,
    when the widget's height changes."""

    def __init__(self, widget: QWidget, callback, height: bool = False) -> None:
        super().__init__(widget)
        self.callback = callback
        self.height = height
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802  (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.LayoutRequest and not self.height:
            self.callback()
        elif kind == QEvent.Type.Resize and self.height and event.size().height() != event.oldSize().height():
            self.callback()
        return False
