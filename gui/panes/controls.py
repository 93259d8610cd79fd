"""The control panel: scene, loss, run/pause/step/reset, speed and the fit's hyper-parameters."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.model.losses import LOSSES, loss_info
from engine.model.scene import MAX_SAMPLES, bundled_scene_heading, bundled_scene_ids
from gui.actions import key_of, loss_keys
from gui.state import SPEEDS, AppState

PLANE_DIMS = 2  # the most dimensions the data-space stage draws


def scene_title(name: str, dim: int) -> str:
    return f"{name}  ({dim}-D)"


def _speed_text(speed: float) -> str:
    if math.isinf(speed):
        return "max"
    return f"{speed:g}×"


def run_step_reset(run_tip: str, step_tip: str, reset_tip: str) -> tuple[QHBoxLayout, QPushButton, QPushButton,
                                                                        QPushButton]:
    """A row of Run (checkable), Step and Reset, with their tooltips; the keys stay the window's."""
    row = QHBoxLayout()
    run, step, reset = QPushButton("Run"), QPushButton("Step"), QPushButton("Reset")
    run.setCheckable(True)
    for button, tip in ((run, run_tip), (step, step_tip), (reset, reset_tip)):
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space, S and R belong to the window's shortcuts
        row.addWidget(button)
    return row, run, step, reset


def show_running(run: QPushButton, step: QPushButton, running: bool) -> None:
    """Run reads Pause while running (its toggle not echoed back), and Step waits until it pauses."""
    blocked = run.blockSignals(True)
    run.setChecked(running)
    run.setText("Pause" if running else "Run")
    run.blockSignals(blocked)
    step.setEnabled(not running)


class ControlPanel(QWidget):
    """Writes the user's choices to AppState; `sync()` shows the state with signals blocked."""

    runToggled = Signal(bool)
    stepRequested = Signal()
    resetRequested = Signal()
    sceneRequested = Signal(str)

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        # the data space draws one or two dimensions; scenes of more belong to the many-properties stage
        headings = {sid: bundled_scene_heading(sid) for sid in bundled_scene_ids()}
        scene_choices = [(sid, scene_title(*h)) for sid, h in headings.items() if h[1] <= PLANE_DIMS]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        # scene and loss
        what = QGroupBox("Scene and loss")
        form = QVBoxLayout(what)
        form.setSpacing(4)
        self.scene_box = QComboBox()
        for scene_id, title in scene_choices:
            self.scene_box.addItem(title, scene_id)
        self.scene_box.setToolTip("The scene: the data, a bundled mixture in 1-D or 2-D. Loading one resets the fit.")
        self.loss_box = QComboBox()
        for i, info in enumerate(LOSSES):
            self.loss_box.addItem(f"{i + 1}  {info.title}", info.id)
            self.loss_box.setItemData(i, info.explanation, Qt.ItemDataRole.ToolTipRole)
        self.loss_box.setToolTip(f"The loss the model is trained with (keys {loss_keys(len(LOSSES))}).")
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        form.addWidget(self.scene_box)
        form.addWidget(self.loss_box)
        form.addWidget(self.explanation)
        layout.addWidget(what)

        # run controls
        run = QGroupBox("Fit")
        run_layout = QVBoxLayout(run)
        run_layout.setSpacing(4)
        buttons, self.run_button, self.step_button, self.reset_button = run_step_reset(
            f"Start or pause the fit ({key_of('run')})", f"One optimiser step ({key_of('step')})",
            f"Back to step 0 ({key_of('reset')})")
        run_layout.addLayout(buttons)
        speed_row = QHBoxLayout()
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setPageStep(1)
        self.speed.setToolTip("How fast the fit runs: 1× takes a few seconds to reach the answer")
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(36)
        speed_row.addWidget(QLabel("Speed"))
        speed_row.addWidget(self.speed, 1)
        speed_row.addWidget(self.speed_label)
        run_layout.addLayout(speed_row)
        self._fit_layout = run_layout
        layout.addWidget(run)

        # hyper-parameters
        params = QGroupBox("Settings")
        grid = QFormLayout(params)
        grid.setVerticalSpacing(4)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(5)
        self.lr.setRange(1e-5, 1000.0)
        self.lr.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr.setKeyboardTracking(False)
        self.lr.setToolTip("Adam's learning rate. Too large and the fit diverges: BlurLab stops it and says so.")
        self.samples = QSpinBox()
        self.samples.setRange(100, MAX_SAMPLES)
        self.samples.setSingleStep(500)
        self.samples.setKeyboardTracking(False)
        self.samples.setToolTip("How many samples are drawn from the mixture")
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("The random seed: the same seed gives the same samples and the same fit")
        grid.addRow("Learning rate", self.lr)
        grid.addRow("Samples", self.samples)
        grid.addRow("Seed", self.seed)
        layout.addWidget(params)

        self.sync()
        self.select_scene(state.scene_id)
        state.settingsChanged.connect(self.sync)
        state.speedChanged.connect(self.sync)
        state.dataChanged.connect(self._on_state_data_changed)
        state.sceneReplaced.connect(self._on_state_scene_replaced)
        self.scene_box.activated.connect(self._on_scene_box_activated)
        self.loss_box.currentIndexChanged.connect(self._on_loss_box_changed)
        self.run_button.toggled.connect(self.runToggled)
        self.step_button.clicked.connect(self.stepRequested)
        self.reset_button.clicked.connect(self.resetRequested)
        self.speed.valueChanged.connect(self.state.set_speed_index)
        self.lr.valueChanged.connect(self.state.set_learning_rate)
        self.samples.valueChanged.connect(self.state.set_sample_count)
        self.seed.valueChanged.connect(self.state.set_seed)

    @Slot(bool)
    def _on_state_data_changed(self, finished: bool) -> None:
        if finished:
            self.sync()

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        self.sync()
        self.select_scene(self.state.scene_id)

    def _on_scene_box_activated(self, index: int) -> None:
        self.sceneRequested.emit(self.scene_box.itemData(index))

    def _on_loss_box_changed(self, index: int) -> None:
        self.state.set_loss(self.loss_box.itemData(index))

    def add_fit_row(self, row) -> None:
        """A row under the fit's buttons and speed (the why's toggles): one group less in the side panel,
        whose height a 720-line projector has little of."""
        self._fit_layout.addWidget(row)

    def select_scene(self, scene_id: str | None) -> None:
        """Show which bundled scene is loaded (none for a file or an edited scene)."""
        index = self.scene_box.findData(scene_id) if scene_id else -1
        blocked = self.scene_box.blockSignals(True)
        self.scene_box.setCurrentIndex(index)
        self.scene_box.blockSignals(blocked)

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        show_running(self.run_button, self.step_button, running)

    @Slot()
    def sync(self) -> None:
        """Show the state in the widgets without writing anything back."""
        s = self.state
        widgets = (self.loss_box, self.speed, self.lr, self.samples, self.seed)
        previous = [w.blockSignals(True) for w in widgets]
        self.loss_box.setCurrentIndex(self.loss_box.findData(s.settings.loss))
        self.explanation.setText(LOSSES[self.loss_box.currentIndex()].explanation)
        self.speed.setValue(s.speed_index)
        self.speed_label.setText(_speed_text(s.speed))
        self.lr.setValue(loss_info(s.settings.loss).learning_rate(s.settings))
        self.samples.setValue(s.scene.samples)
        self.samples.setEnabled(not s.uses_points)  # your own points are as many as they are (the data bar says)
        self.seed.setValue(s.scene.seed)
        for w, b in zip(widgets, previous):
            w.blockSignals(b)
