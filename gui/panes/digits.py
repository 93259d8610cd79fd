"""The real-images view: a network trained live on real handwritten digits, next to the exact answer
its loss must converge to and a few real digits, with the figures under each.

It follows the digits controller (task, loss, running, the newest frame) and AppState's talk mode; its
widgets write the user's choices to the controller only. The exact answers and the real examples are
computed here once per task, in numpy (engine.digits); the network's pictures come in the frames.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout,
                               QWidget)

from engine.digits.figures import Figures, measure
from engine.digits.snapshot import DigitSnapshot
from engine.digits.tasks import TASK_IDS, Task, make_task
from engine.io.pixels import tile
from engine.model.losses import IMAGE_LOSS_IDS, image_loss_info
from gui.actions import key_of
from gui.panes.controls import run_step_reset, show_running
from gui.panes.tiles import heading, to_pixmap
from gui.support import palette
from gui.support.plots import PlainPlotItem
from gui.support.throttle import Throttle

DRAW_INTERVAL = 1 / 12  # seconds between redraws while the network trains
EXAMPLES = 3  # real digits beside each answer (one in talk mode)
PICTURE_SCALE = 1.6  # 28 pixels drawn this many times larger (talk mode: more)
OUTPUT_COLUMNS = 4  # the network's samples or hypotheses, this many a row
GIVEN = np.array([0.34, 0.71, 0.91])  # the given top half is drawn in the data's sky blue: the network drew the rest
BLURRY = 0.30  # a Crete blur above this is marked (real digits about 0.14, class means 0.4-0.6)


def colour(pictures: np.ndarray, rows: int) -> np.ndarray:
    """Grey pictures (..., 28, 28) as RGB, white on the stage's dark, the given rows above `rows` in blue."""
    rgb = np.repeat(np.asarray(pictures, dtype=np.float32)[..., None], 3, axis=-1)
    if rows:
        rgb[..., :rows, :, :] *= GIVEN
    return rgb


def mosaic(pictures: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Pictures (n, 28, 28) as one RGB image with a thin gap."""
    return tile(colour(pictures, rows), columns=min(columns, len(pictures)), gap=2, background=0.12)


def caption(f: Figures) -> str:
    blur_colour = palette.VERMILLION if f.blur > BLURRY else palette.TEXT
    return (f"MSE {f.mse:.3f}<br><span style='color:{blur_colour}'>blur {f.blur:.2f}</span> · "
            f"sharp {f.sharpness:.2f}<br>reads {f.reads_as} · {100 * f.real:.0f}%")


class _Picture(QWidget):
    """A picture (or a mosaic of them) with its figures underneath."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.caption = QLabel()
        self.caption.setObjectName("explanation")
        self.caption.setWordWrap(True)
        layout.addWidget(self.picture)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.figures: Figures | None = None

    def show_image(self, image: np.ndarray, scale: float, figures: Figures | None) -> None:
        self.picture.setPixmap(to_pixmap(image, scale))
        self.figures = figures
        self.caption.setText("" if figures is None else caption(figures))
        self.caption.setVisible(figures is not None)
        if figures is not None:
            self.setToolTip(f"Squared error to the data {figures.mse:.4f} (what L2 minimises)\n"
                            f"Blur (Crete et al. 2007) {figures.blur:.3f}: real digits about 0.14\n"
                            f"Sharpness {figures.sharpness:.2f}: gradient energy relative to real digits (1)\n"
                            f"The digit classifier reads a {figures.reads_as}, {100 * figures.real:.0f}% sure")


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

    def __init__(self, state, controller, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.controller = controller
        self.scale = PICTURE_SCALE
        self.example_count = EXAMPLES
        self.task: Task | None = None
        self.snapshot: DigitSnapshot | None = None
        self._throttle = Throttle(DRAW_INTERVAL, self._draw_snapshot, self)
        self._static: list[tuple[Figures, list[Figures]]] = []  # per input: (the answer's, the examples')

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        choices = QGridLayout()
        self.task_box = QComboBox()
        for task_id in TASK_IDS:
            task_title = {"digit_from_label": "Draw a digit from its label",
                          "bottom_half": "Fill in the bottom half"}[task_id]
            self.task_box.addItem(task_title, task_id)
        self.task_box.setToolTip("What the network is asked: draw a digit given its label, or the bottom half "
                                 "of a held-out digit given its top")
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
        self.curve_plot.setMinimumHeight(70)
        self.curve_plot.setMaximumHeight(110)
        self.curve_plot.setMouseEnabled(x=False, y=False)
        self.curve_plot.setToolTip("The training loss over the last steps")
        self.curve = self.curve_plot.plot(pen=pg.mkPen(palette.ESTIMATE, width=2))
        layout.addWidget(self.curve_plot)
        self.summary = _Summary()
        layout.addWidget(self.summary)

        self.rows_area = QScrollArea()
        self.rows_area.setWidgetResizable(True)
        self.rows_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.headers = [heading(t) for t in ("input", "the network now", "what L2 must converge to", "real examples")]
        for c, h in enumerate(self.headers):
            h.setWordWrap(True)
            self.grid.addWidget(h, 0, c)
        self.inputs: list[QLabel] = []
        self.outputs: list[_Picture] = []
        self.answers: list[_Picture] = []
        self.examples: list[_Picture] = []
        self.rows_area.setWidget(body)
        layout.addWidget(self.rows_area, 1)

        self.task_box.activated.connect(self._on_task_box_activated)
        self.loss_box.activated.connect(self._on_loss_box_activated)
        self.run_button.toggled.connect(controller.set_running)
        self.step_button.clicked.connect(controller.step_once)
        self.reset_button.clicked.connect(controller.reset)
        self.weight.valueChanged.connect(controller.set_adversarial_weight)
        controller.settingsChanged.connect(self.sync)
        controller.runningChanged.connect(self.set_running)
        controller.snapshotChanged.connect(self.show_snapshot)
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
                self._build_rows(make_task(c.task))
        self.snapshot = None  # the next frame is of the new choice
        self.summary.show_column(0, None)

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        show_running(self.run_button, self.step_button, running)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.task is None or self.task.id != self.controller.task:
            self._build_rows(make_task(self.controller.task))
        else:
            self._draw_snapshot()

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.set_talk(on)

    def set_talk(self, on: bool) -> None:
        """Talk mode's larger pictures and fewer words, or the desk's."""
        self.scale = PICTURE_SCALE * (1.25 if on else 1.0)
        self.example_count = 1 if on else EXAMPLES  # talk mode: fewer real digits, larger, and no scrolling
        self.curve.setPen(pg.mkPen(palette.ESTIMATE, width=2 * self.state.line_scale))
        for said in (self.explanation, self.curve_plot):  # a talk's room goes to the pictures and the table
            said.setVisible(not on)
        if self.task is not None:
            self._build_rows(self.task)

    def flush(self) -> None:
        """Draw the newest frame now rather than when the throttle allows."""
        self._throttle.flush()

    # -- the rows ------------------------------------------------------------------------------
    def _build_rows(self, task: Task) -> None:
        """One row per shown input: the input, the network's pictures, L2's exact answer, real digits."""
        self.task = task
        while len(self.inputs) < len(task.input_ids):
            r = len(self.inputs) + 1
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            cells = (_Picture(), _Picture(), _Picture())
            self.grid.addWidget(label, r, 0)
            for c, cell in enumerate(cells):
                self.grid.addWidget(cell, r, c + 1)
            self.inputs.append(label)
            self.outputs.append(cells[0])
            self.answers.append(cells[1])
            self.examples.append(cells[2])
        answers = task.compose(task.mean_answer()[:, None])[:, 0]
        self._static = []
        for i in range(len(self.inputs)):
            shown = i < len(task.input_ids)
            for w in (self.inputs[i], self.outputs[i], self.answers[i], self.examples[i]):
                w.setVisible(shown)
            if not shown:
                continue
            if task.rows == 0:
                self.inputs[i].setText(f"<span style='font-size:{round(22 * self.scale / PICTURE_SCALE)}pt; "
                                       f"font-weight:600'>{task.input_ids[i]}</span>")
                self.inputs[i].setToolTip(f"Draw a {task.input_ids[i]}")
            else:
                self.inputs[i].setPixmap(to_pixmap(colour(task.base[i], task.rows), self.scale))
                self.inputs[i].setToolTip(f"The top half of held-out digit {task.input_ids[i]} (a "
                                          f"{task.input_labels[i]}); the network draws the bottom half")
            answer_figures = measure(task, i, answers[i : i + 1])[0]
            shown_examples = task.examples[i][: self.example_count]
            example_figures = measure(task, i, shown_examples)
            self._static.append((answer_figures, example_figures))
            self.answers[i].show_image(colour(answers[i], task.rows), self.scale, answer_figures)
            self.examples[i].show_image(mosaic(shown_examples, task.rows, self.example_count), self.scale,
                                        Figures.average(example_figures))
            self.outputs[i].show_image(np.full((28, 28, 3), 0.12, np.float32), self.scale, None)
        self.summary.show_column(1, Figures.average([a for a, _ in self._static]))
        self.summary.show_column(2, Figures.average([e for _, ex in self._static for e in ex]))
        self.headers[0].setText("input" if task.rows == 0 else "the given top")
        self.headers[3].setText("real examples" if self.example_count > 1 else "a real one")
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
        images = snap.images()
        for i, figures in enumerate(snap.figures):
            self.outputs[i].show_image(mosaic(images[i], task.rows, OUTPUT_COLUMNS), self.scale,
                                       Figures.average(list(figures)))
        self.summary.show_column(0, Figures.average([f for fs in snap.figures for f in fs]))
        self.step_label.setText(f"step {snap.step:,}  ·  loss {snap.loss:.4g}" if snap.step else "step 0")
        if len(snap.losses):
            self.curve.setData(np.arange(snap.step - len(snap.losses) + 1, snap.step + 1), snap.losses)
        else:
            self.curve.setData([], [])
