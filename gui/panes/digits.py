"""The real-digits stage's desk overview: the task, loss and run controls of the network trained live on
real handwritten digits, its training curve, the figures averaged over every input (the network now, L2's
exact answer, real digits), and a grid of every input: a strip each of the inputs, the network's pictures
now, the exact answers and a real digit, every picture drawn to fit, so nothing scrolls. Clicking an input
shows it large in the stage's plane and big pictures.

It follows the digits controller (task, loss, running, input, the newest frame) and AppState's talk mode;
its widgets write the user's choices to the controller only. The exact answers and the real examples are
computed here once per task, in numpy (engine.digits); the network's pictures come in the frames.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, Qt, Signal, Slot
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from engine.digits.figures import Figures, measure
from engine.digits.snapshot import DigitSnapshot
from engine.digits.tasks import TASK_IDS, Task, make_task
from engine.io.pixels import tile
from engine.model.losses import IMAGE_LOSS_IDS, image_loss_info
from gui.actions import key_of
from gui.panes.controls import run_step_reset, show_running
from gui.panes.digit_pictures import Picture, colour
from gui.support import palette
from gui.support.plots import PlainPlotItem
from gui.support.throttle import Throttle

DRAW_INTERVAL = 1 / 12  # seconds between redraws while the network trains
CURVE_INTERVAL = 0.5  # the curve's window slides every step: its axes are drawn anew each time it is redrawn
STRIP_SIDE = 30  # the least height of a strip's pictures, in pixels

def mosaic(pictures: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Pictures (n, 28, 28) as one RGB image with a thin gap."""
    return tile(colour(pictures, rows), columns=min(columns, len(pictures)), gap=2, background=0.12)


class Strip(Picture):
    """One picture per input in a row, the input on show framed; a click on one chooses it."""

    clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = 0
        self.chosen = 0
        self.set_side(STRIP_SIDE)

    def set_pictures(self, pictures: np.ndarray, rows: int) -> None:
        """Grey pictures (m, 28, 28) in [0, 1], the given rows above `rows` in blue."""
        self.count = len(pictures)
        self.set_image((mosaic(pictures, rows, len(pictures)) * 255).astype(np.uint8))

    def set_chosen(self, index: int) -> None:
        self.chosen = index
        self.update()

    def _cell(self, index: int) -> QRect:
        h, w = self.image.shape[:2]
        scale = min(self.width() / w, self.height() / h)
        left = (self.width() - round(w * scale)) // 2
        cell = (w + 2) / max(self.count, 1) * scale
        return QRect(round(left + index * cell), 0, round(cell - 2 * scale), round(h * scale))

    def paintEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().paintEvent(event)
        if self.image is None or not self.count:
            return
        painter = QPainter(self)
        painter.setPen(QPen(palette.qcolor(palette.ESTIMATE), 2))
        painter.drawRect(self._cell(self.chosen).adjusted(1, 1, -1, -1))
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        if self.image is None or not self.count:
            return
        x = event.position().x()
        for i in range(self.count):
            if self._cell(i).left() <= x <= self._cell(i).right() + 2:
                self.clicked.emit(i)
                return


class _Summary(QWidget):
    """The figures averaged over the inputs, for the network, L2's exact answer and real digits."""

    COLUMNS = ("the network now", "exact L2 answer", "real digits")
    ROWS = (("squared error", "mse", "{:.3f}"), ("blur", "blur", "{:.2f}"), ("sharpness", "sharpness", "{:.2f}"),
            ("how real", "real", "{:.0%}"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(0)
        for c, text in enumerate(self.COLUMNS):
            label = QLabel(text)
            label.setObjectName("explanation")
            label.setWordWrap(True)
            grid.addWidget(label, 0, c + 1)
        self.cells: dict[tuple[str, int], QLabel] = {}
        tips = {"mse": "Mean squared error to the data for each input: what L2 minimises, so L2's answer wins",
                "blur": "Crete et al. (2007) blur of what is drawn: 0 sharp ... 1 very blurry",
                "sharpness": "Gradient energy relative to real digits: 1 is as crisp as a real digit",
                "real": "How sure the small digit classifier is of the digit it reads"}
        for r, (name, key, _) in enumerate(self.ROWS):
            label = QLabel(name)
            label.setToolTip(tips[key])
            grid.addWidget(label, r + 1, 0)
            for c in range(len(self.COLUMNS)):
                cell = QLabel("–")
                cell.setToolTip(tips[key])
                grid.addWidget(cell, r + 1, c + 1)
                self.cells[key, c] = cell
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)

    def show_column(self, column: int, figures: Figures | None) -> None:
        for _, key, form in self.ROWS:
            self.cells[key, column].setText("–" if figures is None else form.format(getattr(figures, key)))


class DigitsPane(QWidget):
    """Shows the controller's network on real digits; writes the user's choices to the controller only."""

    ROWS = ("the given top", "the network now", "L2's exact answer", "a real one")

    def __init__(self, state, controller, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.controller = controller
        self.task: Task | None = None
        self.snapshot: DigitSnapshot | None = None
        self._throttle = Throttle(DRAW_INTERVAL, self._draw_snapshot, self)
        self._curve_throttle = Throttle(CURVE_INTERVAL, self._draw_curve, self)
        self.answer_figures: list[Figures] = []  # per input: L2's exact answer's

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        choices = QGridLayout()
        self.task_box = QComboBox()
        for task_id in TASK_IDS:
            task_title = {"digit_from_label": "Draw a digit from its label",
                          "bottom_half": "Fill in the bottom half"}[task_id]
            self.task_box.addItem(task_title, task_id)
        self.task_box.setToolTip("What the network is asked: draw a digit given its label, or the bottom half "
                                 f"of a held-out digit given its top ({key_of('next_task')})")
        self.loss_box = QComboBox()
        for i, loss_id in enumerate(IMAGE_LOSS_IDS):
            info = image_loss_info(loss_id)
            self.loss_box.addItem(info.image_title, loss_id)
            self.loss_box.setItemData(i, info.explanation, Qt.ItemDataRole.ToolTipRole)
        self.loss_box.setToolTip("The loss the network is trained with")
        for box in (self.task_box, self.loss_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        choices.addWidget(QLabel("Task"), 0, 0)
        choices.addWidget(self.task_box, 0, 1)
        choices.addWidget(QLabel("Loss"), 1, 0)
        choices.addWidget(self.loss_box, 1, 1)
        choices.setColumnStretch(1, 1)
        layout.addLayout(choices)
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)

        buttons, self.run_button, self.step_button, self.reset_button = run_step_reset(
            f"Train the network, or pause it ({key_of('run')})", f"One training step ({key_of('step')})",
            f"A fresh network from its seed, at step 0 ({key_of('reset')})")
        self.weight_label = QLabel("adversarial weight")
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0.0, 1.0)
        self.weight.setDecimals(3)
        self.weight.setSingleStep(0.01)
        self.weight.setKeyboardTracking(False)
        self.weight.setToolTip("The adversarial term's share beside squared error (the context encoder used "
                               "0.001; more is sharper, and less stable)")
        buttons.addWidget(self.weight_label)
        buttons.addWidget(self.weight)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.step_label = QLabel("step 0")
        layout.addWidget(self.step_label)
        self.curve_plot = pg.PlotWidget(background=palette.BACKGROUND, plotItem=PlainPlotItem())
        self.curve_plot.setMinimumHeight(50)
        self.curve_plot.setMaximumHeight(100)
        self.curve_plot.setMouseEnabled(x=False, y=False)
        self.curve_plot.setToolTip("The training loss over the last steps")
        self.curve = self.curve_plot.plot(pen=pg.mkPen(palette.ESTIMATE, width=2))
        layout.addWidget(self.curve_plot, 1)
        self.summary = _Summary()
        layout.addWidget(self.summary)

        grid = QGridLayout()  # every input: a strip of each kind of picture, one input a column
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setVerticalSpacing(3)
        self.row_labels: list[QLabel] = []
        self.strips: list[Strip] = []
        for r, text in enumerate(self.ROWS):
            label = QLabel(text)
            label.setObjectName("explanation")
            strip = Strip()
            strip.setToolTip(f"Click an input to show it large ({key_of('previous_input')} "
                             f"{key_of('next_input')} step through them)")
            strip.clicked.connect(controller.set_index)
            grid.addWidget(label, r, 0)
            grid.addWidget(strip, r, 1)
            self.row_labels.append(label)
            self.strips.append(strip)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid, 3)
        self.inputs, self.outputs, self.answers, self.examples = self.strips

        self.task_box.activated.connect(self._on_task_box_activated)
        self.loss_box.activated.connect(self._on_loss_box_activated)
        self.run_button.toggled.connect(controller.set_running)
        self.step_button.clicked.connect(controller.step_once)
        self.reset_button.clicked.connect(controller.reset)
        self.weight.valueChanged.connect(controller.set_adversarial_weight)
        controller.settingsChanged.connect(self.sync)
        controller.runningChanged.connect(self.set_running)
        controller.snapshotChanged.connect(self.show_snapshot)
        controller.inputChanged.connect(self._on_controller_input_changed)
        state.talkChanged.connect(self._on_state_talk_changed)
        self.sync()

    # -- the user's choices -------------------------------------------------------------------------
    def _on_task_box_activated(self, index: int) -> None:
        self.controller.set_task(self.task_box.itemData(index))

    def _on_loss_box_activated(self, index: int) -> None:
        self.controller.set_loss(self.loss_box.itemData(index))

    # -- showing the controller ---------------------------------------------------------------------
    @Slot()
    def sync(self) -> None:
        """Show the controller's task, loss and weight, without writing anything back."""
        c = self.controller
        widgets = (self.task_box, self.loss_box, self.weight)
        blocked = [w.blockSignals(True) for w in widgets]
        self.task_box.setCurrentIndex(self.task_box.findData(c.task))
        self.loss_box.setCurrentIndex(self.loss_box.findData(c.loss))
        self.weight.setValue(c.weight)
        for w, b in zip(widgets, blocked):
            w.blockSignals(b)
        self.weight.setVisible(c.has_weight)
        self.weight_label.setVisible(c.has_weight)
        info = image_loss_info(c.loss)
        self.explanation.setText(info.explanation)
        if self.task is None or self.task.id != c.task:
            if self.isVisible() or c.active:
                self._build_strips(make_task(c.task))
        self.snapshot = None  # the next frame is of the new choice
        self.summary.show_column(0, None)
        self.outputs.set_image(None)

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        show_running(self.run_button, self.step_button, running)

    @Slot(int)
    def _on_controller_input_changed(self, index: int) -> None:
        for strip in self.strips:
            strip.set_chosen(index)

    def showEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        if self.task is None or self.task.id != self.controller.task:
            self._build_strips(make_task(self.controller.task))
        else:
            self._draw_snapshot()

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_talk(on)

    def set_talk(self, on: bool) -> None:
        """Talk mode's thicker curve (the stage hides the overview in talk mode)."""
        self.curve.setPen(pg.mkPen(palette.ESTIMATE, width=2 * self.state.line_scale))

    def flush(self) -> None:
        """Draw the newest frame now rather than when the throttle allows."""
        self._throttle.flush()
        self._curve_throttle.flush()

    # -- the strips ------------------------------------------------------------------------------
    def _build_strips(self, task: Task) -> None:
        """The inputs, L2's exact answers and a real digit for each: what does not change while it trains."""
        self.task = task
        answers = task.compose(task.mean_answer()[:, None])[:, 0]
        self.answer_figures = [measure(task, i, answers[i : i + 1])[0] for i in range(len(answers))]
        examples = task.examples[:, 0]
        if task.rows:  # a label needs no picture: the digits below read as their labels
            self.inputs.set_pictures(task.base, task.rows)
        self.inputs.setVisible(bool(task.rows))
        self.row_labels[0].setVisible(bool(task.rows))
        self.answers.set_pictures(answers, task.rows)
        self.examples.set_pictures(examples, task.rows)
        self.outputs.set_image(None)
        self.summary.show_column(1, Figures.average(self.answer_figures))
        self.summary.show_column(2, Figures.average([measure(task, i, examples[i : i + 1])[0]
                                                     for i in range(len(examples))]))
        for strip in self.strips:
            strip.set_chosen(self.controller.index)
        if self.snapshot is not None and self.snapshot.task == task.id:
            self._draw_snapshot()

    # -- the network's frames --------------------------------------------------------------------------
    @Slot(object)
    def show_snapshot(self, snap: DigitSnapshot) -> None:
        self.snapshot = snap
        self._throttle.request()

    def _draw_snapshot(self) -> None:
        snap, task = self.snapshot, self.task
        if snap is None or task is None or snap.task != task.id or not self.isVisible():
            return  # a hidden view draws the newest frame when it is shown
        self.outputs.set_pictures(snap.images()[:, 0], task.rows)
        self.outputs.count = len(snap.pictures)
        if snap.figures:
            self.summary.show_column(0, Figures.average([f for fs in snap.figures for f in fs]))
        self.step_label.setText(f"step {snap.step:,}  ·  loss {snap.loss:.4g}" if snap.step else "step 0")
        self._curve_throttle.request()

    def _draw_curve(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        if len(snap.losses):
            self.curve.setData(np.arange(snap.step - len(snap.losses) + 1, snap.step + 1), snap.losses)
        else:
            self.curve.setData([], [])
