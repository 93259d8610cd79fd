"""The real-images controller against a fake fit process: what it sends, and what it shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from engine.digits import READY_STEPS
from engine.digits.snapshot import DigitSnapshot
from engine.fit.protocol import DigitsSettings, Frame, Pace, Problem, Reset, Run, Step
from engine.model.losses import IMAGE_LOSS_IDS
from engine.model.tour import DIGITS_TOUR
from tests.support.fakes import FakeFitProcess
from gui.controllers.digits import DigitsController
from gui.state import SPEEDS


def _frame(step: int, task: str = "digit_from_label", loss: str = "l2") -> Frame:
    rows = 10 if task == "digit_from_label" else 8
    return Frame("digits", DigitSnapshot(step, task, loss, 0.05, np.array([0.05]), np.zeros((rows, 1, 28, 28)),
                                     figures=()))


@pytest.fixture
def digits(qtbot):
    process = FakeFitProcess()
    process.started = True
    controller = DigitsController(process)
    messages: list[str] = []
    controller.status.connect(lambda text, ms: messages.append(text))
    controller.messages = messages
    return controller


def test_nothing_is_sent_until_the_view_is_shown_and_then_the_settings_once(digits):
    digits.set_loss("l1")
    assert digits.process.sent == []
    digits.activate()
    digits.activate()
    assert digits.process.sent == [DigitsSettings("digit_from_label", "l1", 0, None)]


def test_run_pause_step_reset_and_switching_while_running(digits):
    digits.activate()
    running = []
    digits.runningChanged.connect(running.append)
    digits.toggle_running()
    assert digits.process.sent[-1] == Run("digits", True) and running == [True]
    digits.set_loss("adversarial")  # while it trains: a new network, still running
    assert digits.process.sent[-1] == DigitsSettings("digit_from_label", "adversarial", 0, None) and digits.running
    digits.step_once()
    assert digits.process.sent[-2:] == [Run("digits", False), Step("digits", 1)] and running == [True, False]
    digits.reset()
    assert digits.process.sent[-1] == Reset("digits") and "step 0" in digits.messages[-1]


def test_the_adversarial_weight_belongs_to_the_loss_that_mixes_and_resets_with_the_loss(digits):
    digits.activate()
    digits.set_loss("l2_adversarial")
    assert digits.has_weight and digits.weight == 0.05
    digits.set_adversarial_weight(0.2)
    assert digits.process.sent[-1] == DigitsSettings("digit_from_label", "l2_adversarial", 0, 0.2)
    digits.set_loss("l2")
    assert not digits.has_weight and digits.adversarial_weight is None
    with pytest.raises(KeyError, match="l2_adversarial"):
        digits.set_loss("huber")


def test_only_the_newest_frame_of_the_current_choice_is_shown(digits, qtbot):
    shown = []
    digits.snapshotChanged.connect(lambda snap: shown.append((snap.loss_id, snap.step)))
    digits.activate()
    for step in (1, 2):
        digits.process.say(_frame(step))
    digits.set_loss("min_of_k")
    digits.process.say(_frame(3))  # trained before the switch: dropped
    digits.process.say(_frame(0, loss="min_of_k"))
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    QApplication.processEvents()
    assert shown == [("min_of_k", 0)] and digits.latest.loss_id == "min_of_k"


def test_a_dead_fit_process_gets_the_settings_again_and_the_network_pauses(digits, qtbot):
    digits.activate()
    digits.set_running(True)
    digits.process.sent.clear()
    digits.process.die()  # the fit controller starts another one (here: the fake says it is up again)
    digits.process.start(None)
    assert not digits.running
    qtbot.waitUntil(lambda: digits.process.sent_of(DigitsSettings) != [], timeout=2000)
    assert digits.process.sent_of(Run) == []


def test_a_run_asked_for_before_the_fit_process_is_up_reaches_it_once_it_is(qtbot):
    process = FakeFitProcess()  # the window paints first, then starts the fit process
    digits = DigitsController(process)
    digits.activate()
    digits.set_running(True)  # the real process drops what comes before it is up; the fake records it
    assert process.sent_of(DigitsSettings) == []
    process.sent.clear()
    process.start(None)
    assert [type(c) for c in process.sent][:1] == [DigitsSettings] and Run("digits", True) in process.sent
    assert digits.running


def test_a_tour_step_sets_task_and_loss_from_step_0_and_runs_and_a_step_without_digits_pauses(digits):
    step = DIGITS_TOUR[5]
    digits.apply_view(step.view)
    assert (digits.task, digits.loss, digits.running) == ("bottom_half", "l2", True)
    assert Reset("digits") in digits.process.sent and digits.process.sent[-1] == Run("digits", True)
    carry_on = DIGITS_TOUR[1]
    digits.process.sent.clear()
    digits.apply_view(carry_on.view)
    assert Reset("digits") not in digits.process.sent and digits.task == "digit_from_label"
    digits.apply_view({})
    assert not digits.running and digits.process.sent[-1] == Run("digits", False)


def test_the_network_s_runner_offers_the_image_losses_and_a_pace_of_its_own(digits):
    assert digits.loss_ids == IMAGE_LOSS_IDS and digits.loss == "l2"
    digits.set_speed(2)  # before the view is shown: remembered, not sent
    assert digits.process.sent == []
    digits.activate()
    assert digits.process.sent == [DigitsSettings("digit_from_label", "l2", 0, None), Pace("digits", 30.0)]
    digits.set_speed(len(SPEEDS) - 1)  # as fast as it goes
    assert digits.process.sent[-1] == Pace("digits", float("inf"))


def test_a_problem_of_the_network_pauses_it_and_one_of_the_fit_does_not(digits):
    digits.set_running(True)
    digits.process.say(Problem("The fit stopped with an error: NaN", "fit"))
    assert digits.running
    digits.process.say(Problem("The digit network stopped with an error: out of memory", "digits"))
    assert not digits.running and digits.process.sent[-1] == Run("digits", False)
    assert "out of memory" in digits.messages[-1]


def test_the_input_shown_large_wraps_round_the_task_s_inputs_and_never_reaches_the_process(digits):
    digits.activate()
    sent = len(digits.process.sent)
    shown = []
    digits.inputChanged.connect(shown.append)
    digits.step_index(-1)
    assert digits.index == 9 and shown == [9]
    digits.set_task("bottom_half")  # fewer inputs: the index stays among them
    assert digits.index == digits.input_count() - 1 < 9 and shown[-1] == digits.index
    digits.step_index(1)
    assert digits.index == 0
    assert [m for m in digits.process.sent[sent:] if not isinstance(m, DigitsSettings)] == []


def test_g_swaps_the_gan_for_the_one_from_scratch_and_a_tour_step_swaps_it_back(digits):
    digits.activate()
    digits.set_loss("adversarial")
    digits.toggle_generator()
    assert digits.process.sent[-1] == DigitsSettings("digit_from_label", "adversarial", 0, None, "pixels")
    assert "from scratch" in digits.messages[-1]
    digits.apply_view(DIGITS_TOUR[6].view)
    assert digits.generator == "bend" and DigitsSettings("digit_from_label", "adversarial", 0, None, "bend") in \
        digits.process.sent


def test_a_tour_step_trains_until_its_loss_s_pictures_are_ready_and_then_pauses(digits, qtbot):
    step = DIGITS_TOUR[1]
    digits.apply_view(step.view)
    assert digits.running and digits.stop_at == READY_STEPS["l2"] and digits.index == step.view["digits_input"]
    digits.process.say(_frame(READY_STEPS["l2"] - 1))
    qtbot.waitUntil(lambda: digits.latest is not None, timeout=2000)
    assert digits.running
    digits.process.say(_frame(READY_STEPS["l2"]))
    qtbot.waitUntil(lambda: not digits.running, timeout=2000)
    assert digits.process.sent[-1] == Run("digits", False)
