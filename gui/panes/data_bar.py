"""The data bar over the distribution pane: what is on screen (your own points, or samples of the
editable mixture), how many, a switch between the two, and the painting tools.

It follows the AppState itself; the switch writes the user's choice to the state; the painting tools
say what the user chose through signals, for the painting controller.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from engine.model.scene import MAX_SAMPLES
from gui.state import AppState
from gui.support import palette


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _source(origin: str) -> str:
    """Where the points came from, as the end of a sentence: "geyser.csv", "geyser.csv, painted over", or
    "" for points painted from nothing."""
    painted = origin == "painted" or origin.endswith(", painted")
    source = origin.removesuffix("painted").rstrip(", ") if painted else origin
    return f"{source}, painted over" if painted and source else source


def describe(state: AppState, short: bool = False) -> str:
    """What is on screen, in one or two lines of rich text; `short`, in talk mode: whose points and how many,
    on one line, so the plot keeps its height in talk mode's type (the speaker and the headline say the rest)."""
    points = state.points
    scene = state.scene
    k = len(state.mixture.components)
    if points is not None and points.active:
        source = _source(points.origin)
        whose = "Your points" if source or not points.origin else "Your painted points"
        where = f" from {source}" if source else ""
        shown = _count(len(points), "point")
        if len(points) > len(state.samples):
            shown += f", {len(state.samples):,} of them drawn and fitted"
        if short:
            return f"<b style='color:{palette.DATA}'>{whose}</b>: {shown}"
        density = "the curve is their kernel density, " if state.dim == 1 else ""
        return (f"<b style='color:{palette.DATA}'>{whose}</b>{where}: {shown}. The fit trains on them; "
                f"{density}the handles are the {_count(k, 'component')} of the mixture fitted to them.")
    if points is not None:
        source = _source(points.origin)
        where = f" fitted to {source}" if source else " fitted to your points"
        if short:
            return f"<b style='color:{palette.ORANGE}'>Mixture's samples</b>: {scene.samples:,}"
        return (f"<b style='color:{palette.ORANGE}'>Samples of the mixture</b>{where}: "
                f"{scene.samples:,} drawn. Drag the handles to edit it.")
    return (f"<b>Samples of the mixture</b>: {scene.samples:,} drawn. Use your own points: "
            "File ▸ Import data…, drop a file here, or paint them.")


class DataBar(QWidget):
    """Says what the samples on screen are; `paintToggled(bool)`, `toolChosen(str)` ("brush" or
    "eraser") and `clearRequested()` are the painting tools' choices."""

    paintToggled = Signal(bool)
    toolChosen = Signal(str)
    clearRequested = Signal()

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("dataBar")
        # The sentence, and the buttons beside it, or under it when beside it the sentence would be left a
        # narrow column, a word a line, that pushes the plot down (see _arrange).
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(10, 2, 6, 2)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        self._stacked = False
        self._compact = False  # too narrow for the buttons' long words: the switch says it shortly
        self.label = QLabel()
        self.label.setObjectName("dataSource")
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._grid.addWidget(self.label, 0, 0)
        self._buttons = layout = QHBoxLayout()
        self._grid.addLayout(layout, 0, 1)
        self.switch = QPushButton()
        self.switch.setToolTip("Fit your own points, or samples drawn from the mixture fitted to them "
                               "(which the handles edit)")
        self.switch.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.switch.clicked.connect(self._on_switch_clicked)
        layout.addWidget(self.switch)
        self.paint = self._button("Paint", "Paint points of your own with the mouse (B)", checkable=True)
        self.brush = self._button("Brush", "Click and drag to add points", checkable=True)
        self.eraser = self._button("Eraser", "Click and drag to remove points (E)", checkable=True)
        self.clear = self._button("Clear", "Remove every point, to paint from nothing (Ctrl+Z undoes it)")
        self.tools = QButtonGroup(self)
        self.tools.setExclusive(True)
        for b in (self.brush, self.eraser):
            self.tools.addButton(b)
        self.brush.setChecked(True)
        for b in (self.paint, self.brush, self.eraser, self.clear):
            layout.addWidget(b)
        self.paint.toggled.connect(self._on_paint_toggled)
        self.brush.clicked.connect(lambda: self.toolChosen.emit("brush"))
        self.eraser.clicked.connect(lambda: self.toolChosen.emit("eraser"))
        self.clear.clicked.connect(self.clearRequested)
        self.show_painting(False)
        self.sync()
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self.sync)
        state.talkChanged.connect(self._on_state_talk_changed)

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """The buttons under the sentence when beside them it would have room for fewer than about forty
        characters a line, beside it otherwise; under it, the bar asks for the height its wrapped sentence
        needs (the window's layout does not ask a widget's height for its width)."""
        chars = self.label.fontMetrics().averageCharWidth()
        compact = self.width() < 64 * chars
        if compact != self._compact:
            self._compact = compact
            self.switch.setText(self._switch_text())
        margins = self._grid.contentsMargins()
        room = self.width() - margins.left() - margins.right() - self._buttons.sizeHint().width()
        stacked = room < 40 * chars
        if stacked != self._stacked:
            self._stacked = stacked
            self._grid.removeItem(self._buttons)
            if stacked:
                self._grid.addLayout(self._buttons, 1, 0, Qt.AlignmentFlag.AlignLeft)
            else:
                self._grid.addLayout(self._buttons, 0, 1)
        self.setMinimumHeight(self._grid.heightForWidth(self.width()) if stacked else 0)

    def _switch_text(self) -> str:
        if self.state.talk or self._compact:
            return "Mixture's samples" if self.state.uses_points else "Your points"
        return "Use the mixture's samples" if self.state.uses_points else "Use your points"

    def _button(self, text: str, tip: str, checkable: bool = False) -> QPushButton:
        b = QPushButton(text)
        b.setToolTip(tip)
        b.setCheckable(checkable)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and the other keys belong to the window
        return b

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        self.sync()

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.paint.setVisible(not on)  # the talk is on keys (B, E); the switch stays, and what it says
        if on and self.paint.isChecked():
            self.paint.setChecked(False)
        self.sync()

    def _on_switch_clicked(self) -> None:
        self.state.use_points(not self.state.uses_points)

    def _on_paint_toggled(self, on: bool) -> None:
        self.show_painting(on)
        self.paintToggled.emit(on)

    def show_painting(self, on: bool) -> None:
        """Show the painting tools as on or off (the painting controller says), without signals."""
        blocked = self.paint.blockSignals(True)
        self.paint.setChecked(on)
        self.paint.blockSignals(blocked)
        for b in (self.brush, self.eraser, self.clear):
            b.setVisible(on)
        self._arrange()

    def show_tool(self, tool: str) -> None:
        (self.eraser if tool == "eraser" else self.brush).setChecked(True)

    @Slot()
    def sync(self) -> None:
        """Show the state without writing anything back."""
        s = self.state
        # In talk mode it speaks only of your own points: the mixture's samples are what a talk expects.
        if self.parentWidget() is not None:  # (unparented, showing it would open a window of its own)
            self.setVisible(not (s.talk and s.points is None))
        self.label.setText(describe(s, short=s.talk))
        self.switch.setVisible(s.points is not None and len(s.points) > 0)
        self.switch.setText(self._switch_text())
        self.label.setToolTip(f"At most {MAX_SAMPLES:,} points are drawn and fitted; a larger set is "
                              "represented by a random subsample of that size.")
        self._arrange()
