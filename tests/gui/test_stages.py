"""The stages in the real window: switched from the menu, by key and by a tour step; the keys drive the
runner of the stage on show; the menus, shortcuts, talk mode's key list and tooltips come from one table."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from engine.fit.protocol import DigitsSettings, Run
from engine.model.losses import IMAGE_LOSS_IDS, LOSS_IDS, image_loss_info
from engine.model.tour import tour_by_id
from tests.support.fakes import FakeFitProcess
from gui.actions import key_list, keys_text, sign, table
from gui.stages import STAGES

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _window(make_window, qtbot):
    """A window on a fake fit process, active, so that its shortcuts hear the keys."""
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def test_view_stage_menu_lists_every_stage_and_switches_to_it(make_window, qtbot):
    window = _window(make_window, qtbot)
    entries = window.menus.menu("View/Stage").actions()
    assert [a.text() for a in entries] == [s.title for s in STAGES]
    assert window.current_stage is window.data_space and entries[0].isChecked()
    entries[1].trigger()
    assert window.current_stage is window.stage("real_digits") and entries[1].isChecked()
    assert window.stage("real_digits").isVisible() and not window.pane.isVisible()
    entries[0].trigger()
    assert window.current_stage is window.data_space and window.pane.isVisible()


def test_ctrl_and_a_number_switch_stages_in_talk_mode_too(make_window, qtbot):
    window = _window(make_window, qtbot)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    qtbot.keyClick(window, K.Key_2, CTRL)
    assert window.current_stage is window.stage("real_digits") and window.digits.active
    qtbot.keyClick(window, K.Key_1, CTRL)
    assert window.current_stage is window.data_space


def test_a_tour_step_chooses_its_stage(make_window, qtbot):
    window = _window(make_window, qtbot)
    window.tour.start(tour_by_id("digits"))
    assert window.current_stage is window.stage("real_digits")
    assert window.caption.isVisible() and window.caption is window.stage("real_digits").caption
    window.tour.start(tour_by_id("argument"))
    assert window.current_stage is window.data_space and window.caption.isVisible()


def test_space_s_r_and_the_loss_keys_drive_the_runner_of_the_stage_on_show(make_window, qtbot):
    window = _window(make_window, qtbot)
    process = window.fit_process
    qtbot.keyClick(window, K.Key_2, CTRL)
    qtbot.keyClick(window, K.Key_Space)  # the network runs, not the fit
    assert window.digits.running and not window.fit.running
    runs = process.sent_of(Run)
    assert runs[-1].target == "digits" and runs[-1].running and all(r.target == "digits" for r in runs)
    qtbot.keyClick(window, K.Key_Space)
    assert not window.digits.running
    qtbot.keyClick(window, K.Key_3)  # the third of the network's losses, in the registry's order
    assert window.digits.loss == IMAGE_LOSS_IDS[2] and window.state.settings.loss == LOSS_IDS[0]
    losses = window.menus.menu("Fit/Loss").actions()
    assert [a.text() for a in losses] == [image_loss_info(i).image_title for i in IMAGE_LOSS_IDS]
    assert losses[0].shortcut() == QKeySequence("1")
    qtbot.keyClick(window, K.Key_L)  # a key of the data space only: nothing here
    assert not window.state.why.landscape
    qtbot.keyClick(window, K.Key_1, CTRL)
    qtbot.keyClick(window, K.Key_Space)  # back on the data space: the fit
    assert window.fit.running and not window.digits.running
    qtbot.keyClick(window, K.Key_1 + len(LOSS_IDS) - 1)
    assert window.state.settings.loss == LOSS_IDS[-1] and window.digits.loss == IMAGE_LOSS_IDS[2]
    assert len(window.menus.menu("Fit/Loss").actions()) == len(LOSS_IDS)
    qtbot.keyClick(window, K.Key_L)
    assert window.state.why.landscape


def test_the_menus_the_shortcuts_and_the_key_list_come_from_one_table(make_window, qtbot):
    window = _window(make_window, qtbot)
    rows = table(STAGES)
    for row in rows:
        if not row.submenu:
            assert window.menus.actions[row.id].shortcuts() == [QKeySequence(k) for k in row.keys], row.id
    window.talk_mode.set_talk_mode(True, full_screen=False)
    for stage_id in (s.id for s in STAGES):
        window.show_stage(stage_id)
        text = window.key_hints.text()
        shown = [r for r in rows if r.hint and r.stage in (None, stage_id)]
        entries = re.split(r"\n|  ·  ", text)  # one a line in the side panel, or along a stage's foot
        for hint in {row.hint for row in shown}:  # every action with words in the key list is there, with its key
            keys = keys_text([sign(r.keys[0]) for r in shown if r.hint == hint])
            assert f"{keys} {hint}" in entries
        for row in rows:
            if row.hint and row.stage not in (None, stage_id):
                assert row.hint not in text  # another stage's keys are not
        loss_count = len(window.current_stage.runner.loss_ids)
        assert f"1–{loss_count} loss" in text
        assert entries == key_list(shown + list(window.menus._loss_rows))


def test_the_tooltips_name_the_keys_of_the_table(make_window, qtbot):
    window = _window(make_window, qtbot)
    assert window.controls.run_button.toolTip().endswith("(Space)")
    assert window.controls.reset_button.toolTip().endswith("(R)")
    assert f"keys 1–{len(LOSS_IDS)}" in window.controls.loss_box.toolTip()
    assert window.why_panel.landscape.toolTip().endswith("Key: L")


def test_a_stage_shown_before_the_first_paint_still_gets_its_fit_process_and_runs(make_window, qtbot):
    process = FakeFitProcess()
    window = make_window(start_fit=False, fit_process=process)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.show_stage("real_digits")  # the data-space pane, whose paint starts the fit, is never shown
    window.data_space.start_fit()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # run the network before there is a process to train it
    qtbot.waitUntil(lambda: process.started, timeout=3000)
    assert process.sent_of(DigitsSettings) and Run("digits", True) in process.sent[process.sent.index(
        process.sent_of(DigitsSettings)[0]):]
