"""The why's controls in the side panel (a row of the fit's group): the loss landscape and the tug of war on or off, and the
decoding dial (what a model that gives a distribution answers with, and the annealed mean's temperature).
They write AppState.why; `sync()` shows it with signals blocked. Each has a key (see the tooltips), so
talk mode, which hides this panel, keeps them."""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QSlider, QStyle,
                               QStyleOptionSlider, QWidget)

from engine.model.answers import ANSWERS, LOWEST_T, ZHANG_T, Decoding
from engine.model.losses import loss_info
from gui.actions import key_of
from gui.state import AppState
from gui.support import palette

SLIDER_STEPS = 100  # the temperature slider runs from LOWEST_T to 1 on a log scale in this many steps


def slider_value(temperature: float) -> int:
    return round(SLIDER_STEPS * math.log(temperature / LOWEST_T) / math.log(1 / LOWEST_T))


def slider_temperature(value: int) -> float:
    return float(LOWEST_T * (1 / LOWEST_T) ** (value / SLIDER_STEPS))


class MarkedSlider(QSlider):
    """A horizontal slider with a tick drawn at each of a few marked values."""

    def __init__(self, marks: list[int], parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.marks = marks

    def paintEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().paintEvent(event)
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderHandle, self)
        span = self.width() - handle.width()
        painter = QPainter(self)
        painter.setPen(QPen(palette.qcolor(palette.ORANGE), 2))
        for mark in self.marks:
            x = handle.width() // 2 + QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), mark, span)
            painter.drawLine(x, 0, x, 4)
            painter.drawLine(x, self.height() - 5, x, self.height() - 1)
        painter.end()


class WhyPanel(QWidget):
    """Writes what the user turns on, off or round to AppState.why; nothing else. One row, under the fit's
    buttons in the side panel."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.landscape = QCheckBox("Landscape")
        self.landscape.setToolTip("The loss landscape: the expected loss over the samples at every possible "
                                  "prediction, under the data (1-D) or beneath the samples (2-D), with its "
                                  "minimum and the fit's path down it. Key: " + key_of("landscape"))
        self.pulls = QCheckBox("Tug of war")
        self.pulls_tip = ("Arrows from the prediction: each of 40 samples' pull on it (its share of the gradient), "
                          "and their net pull, the way the fit steps. Key: " + key_of("pulls"))
        self.answer = QComboBox()
        for key, words in ANSWERS.items():
            self.answer.addItem(words.removeprefix("its ").removeprefix("a ").removesuffix(" mean"), key)
        self.dial_tip = ("The decoding dial: what a model that gives a distribution answers with, marked on the data "
                         "and decoded in the pictures. Key: " + key_of("dial"))
        self.temperature = MarkedSlider([slider_value(ZHANG_T)])
        self.temperature.setRange(0, SLIDER_STEPS)
        self.temperature.setPageStep(10)
        self.temperature.setToolTip("The annealed mean's temperature T: the mean of p^(1/T), renormalised. T = 1 "
                                    "is the mean, T near 0 the mode; the orange tick is the 0.38 that Zhang et al. "
                                    "colourise with. Keys: " + f"{key_of('colder')} and {key_of('warmer')}")
        self.temperature_label = QLabel()
        self.temperature_label.setMinimumWidth(30)
        for box in (self.landscape, self.pulls, self.answer):
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the window's shortcuts
        grid.addWidget(self.landscape, 0, 0)
        # one row, so the side panel keeps its height: a loss of one point has the tug of war beside the
        # landscape, a loss that gives a distribution the dial (its answer and its temperature) instead
        grid.addWidget(self.pulls, 0, 1)
        self.dial = QWidget()
        row = QHBoxLayout(self.dial)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.answer)
        row.addWidget(self.temperature, 1)
        row.addWidget(self.temperature_label)
        grid.addWidget(self.dial, 0, 1)
        grid.setColumnStretch(1, 1)  # the dial's slider takes what the checkbox leaves
        self.answer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sync()
        self.landscape.toggled.connect(self._on_landscape_toggled)
        self.pulls.toggled.connect(self._on_pulls_toggled)
        self.answer.currentIndexChanged.connect(self._on_answer_changed)
        self.temperature.valueChanged.connect(self._on_temperature_changed)
        state.whyChanged.connect(self.sync)
        state.settingsChanged.connect(self.sync)
        state.talkChanged.connect(self._on_state_talk_changed)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.setVisible(not on)  # talk mode keeps the keys

    def _on_landscape_toggled(self, on: bool) -> None:
        self.state.set_why(replace(self.state.why, landscape=on))

    def _on_pulls_toggled(self, on: bool) -> None:
        self.state.set_why(replace(self.state.why, pulls=on))

    def _on_answer_changed(self, index: int) -> None:
        self.state.set_why(replace(self.state.why, decoding=replace(self.state.why.decoding,
                                                                     answer=self.answer.itemData(index))))

    def _on_temperature_changed(self, value: int) -> None:
        decoding = Decoding("annealed", round(slider_temperature(value), 3))
        self.state.set_why(replace(self.state.why, decoding=decoding))

    @Slot()
    def sync(self) -> None:
        """Show the state without writing anything back."""
        why = self.state.why
        loss = loss_info(self.state.settings.loss)
        widgets = (self.landscape, self.pulls, self.answer, self.temperature)
        blocked = [w.blockSignals(True) for w in widgets]
        self.landscape.setChecked(why.landscape)
        self.pulls.setChecked(why.pulls)
        self.answer.setCurrentIndex(self.answer.findData(why.decoding.answer))
        self.temperature.setValue(slider_value(why.decoding.temperature))
        for w, b in zip(widgets, blocked):
            w.blockSignals(b)
        self.temperature_label.setText(f"{why.decoding.temperature:.2f}")
        pulls_ok = loss.has_pulls
        self.pulls.setEnabled(pulls_ok)
        self.pulls.setToolTip(self.pulls_tip if pulls_ok else
                              f"{self.pulls_tip}\nDrawn for the losses of one point (L2, L1, Huber).")
        self.pulls.setVisible(not loss.estimate.distribution)
        self.dial.setVisible(loss.estimate.distribution)
        one = "\nOne Gaussian: its mean, mode and annealed mean are one point; only a sample differs." \
            if loss.estimate.single else ""
        self.answer.setToolTip(self.dial_tip + one)
