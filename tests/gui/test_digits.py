"""The real-digits stage in the real window, with the real fit process: shown from the menu, trained, its
loss switched while it trains, the tour's chapter on the arrow keys, and closed mid-training."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from engine.digits import READY_STEPS
from engine.model.tour import DIGITS_TOUR, tour_by_id
from tests.support.fakes import FakeFitProcess
from gui.panes.digits import DigitsPane
from tests.support.gui_helpers import choose_with_keys

K = Qt.Key


def _digits_stage(window):
    return window.stage("real_digits")


def _open_digits_stage(window, qtbot) -> None:
    entry = next(a for a in window.menus.menu("View/Stage").actions() if a.text() == "Real digits")
    entry.trigger()  # View ▸ Stage ▸ Real digits
    assert window.current_stage is _digits_stage(window) and _digits_stage(window).pane.isVisible()
    assert _digits_stage(window).plane.isVisible() and _digits_stage(window).pictures.isVisible()


def _trained(window, loss: str, at_least: int) -> bool:
    snap = window.digits.latest
    return snap is not None and snap.loss_id == loss and snap.step >= at_least


def test_the_view_trains_its_network_switches_loss_while_training_and_closes_mid_training(make_window, qtbot):
    window = make_window()
    _open_digits_stage(window, qtbot)
    pane = _digits_stage(window).pane
    assert pane.answers.count == 10  # one picture per digit in the overview
    assert pane.answer_figures[4].blur > 0.3  # L2's exact answer, the class mean, is blurry
    qtbot.mouseClick(pane.run_button, Qt.MouseButton.LeftButton)
    assert window.digits.running and pane.run_button.text() == "Pause"
    qtbot.waitUntil(lambda: _trained(window, "l2", 20), timeout=60000)
    qtbot.waitUntil(lambda: pane.outputs.image is not None, timeout=5000)
    plane = _digits_stage(window).plane
    qtbot.waitUntil(lambda: len(plane.marks.data) == 1 and plane.trail.xData is not None
                    and len(plane.trail.xData) >= 1, timeout=5000)
    assert window.fit.latest is not None and not window.fit.running  # the data-space fit was not started

    choose_with_keys(qtbot, pane.loss_box, "min_of_k")  # while it trains
    assert window.digits.loss == "min_of_k" and window.digits.running
    qtbot.waitUntil(lambda: _trained(window, "min_of_k", 5), timeout=60000)
    assert window.digits.latest.pictures.shape[1] == 4  # the K hypotheses
    window.flush()
    qtbot.waitUntil(lambda: len(plane.marks.data) == 4, timeout=5000)  # K markers in the plane
    qtbot.keyClick(window, K.Key_Space)  # Space pauses the network while its stage is shown
    assert not window.digits.running and not pane.run_button.isChecked()
    qtbot.keyClick(window, K.Key_1)  # and 1-5 choose its loss
    assert window.digits.loss == "l2" and window.state.settings.loss == "l2"

    qtbot.mouseClick(pane.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _trained(window, "l2", 3), timeout=60000)
    process = window.fit_process
    pid = process.pid
    window.close()
    assert not process.alive and not process.reading
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_real_digits_chapter_of_the_tour_walks_on_the_arrow_keys(make_window, qtbot, tmp_path):
    window = make_window()
    window.tour.start(tour_by_id("digits"))
    assert window.current_stage is _digits_stage(window) and window.tour.index == 0
    for i, step in enumerate(DIGITS_TOUR[1:], start=1):
        qtbot.keyClick(window, K.Key_Right)
        assert window.tour.index == i and step.title in window.caption.text()
        assert (window.digits.task, window.digits.loss) == (step.view["digits_task"], step.view["digits_loss"])
        assert window.digits.index == step.view["digits_input"]
        assert window.digits.stop_at == READY_STEPS[step.view["digits_loss"]]
        assert window.digits.running and not window.fit.running
    qtbot.waitUntil(lambda: _trained(window, "l2_adversarial", 2), timeout=60000)
    assert _digits_stage(window).pane.weight.isVisible()  # the mix's weight, shown for the loss that has one
    window.tour.start(tour_by_id("argument"))  # back to the argument: the pictures, and the network pauses
    assert window.current_stage is window.data_space and not window.digits.running
    qtbot.keyClick(window, K.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.exports.export_png("digits", str(tmp_path / "digits.png"))
    assert (tmp_path / "digits.png").stat().st_size > 1000


def test_the_stage_is_made_when_first_shown_in_talk_mode_too(make_window, qtbot, tmp_path):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    assert window.findChild(DigitsPane) is None  # the first frame did not wait for it
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # its shortcuts hear the keys
    window.talk_mode.set_talk_mode(True, full_screen=False)
    qtbot.keyClick(window, K.Key_2, Qt.KeyboardModifier.ControlModifier)
    pane = window.findChild(DigitsPane)
    assert pane is _digits_stage(window).pane and window.current_stage is _digits_stage(window)
    stage = _digits_stage(window)
    assert not pane.isVisible() and stage.plane.isVisible()  # made in talk mode: the plane and pictures only
    window.talk_mode.set_talk_mode(False)
    assert pane.isVisible() and pane.explanation.isVisible()  # at the desk, the overview and its controls
    assert window.exports.export_png("digits", str(tmp_path / "digits.png"))
