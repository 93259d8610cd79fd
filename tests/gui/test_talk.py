"""Talk mode and the narrated tour, driven by the keys a speaker presses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from engine.model.losses import LOSS_IDS
from engine.model.scene import bundled_scene, bundled_scene_ids
from engine.model.tour import TOUR, check_tour

K = Qt.Key


def test_the_tour_names_real_scenes_and_losses_and_has_8_to_12_steps():
    check_tour(TOUR, bundled_scene_ids(), LOSS_IDS)
    assert 8 <= len(TOUR) <= 12
    assert TOUR[0].loss == "l2" and TOUR[-1].scene == "unimodal"


def _step_reached(window, loss: str, at_least: int) -> bool:
    snap = window.fit.latest
    return snap is not None and snap.loss_id == loss and snap.step >= at_least


def test_every_tour_step_loads_and_runs_with_the_arrow_keys(make_window, qtbot):
    window = make_window()
    for i, step in enumerate(TOUR):
        qtbot.keyClick(window, K.Key_Right)
        assert window.tour.index == i
        assert window.state.scene.name == bundled_scene(step.scene).name
        assert window.state.settings.loss == step.loss
        assert window.caption.isVisible() and step.title in window.caption.text()
        if not step.autorun:
            assert not window.fit.running
            qtbot.keyClick(window, K.Key_Space)  # the speaker starts it
        assert window.fit.running
        qtbot.waitUntil(lambda: _step_reached(window, step.loss, 5), timeout=15000)
    qtbot.keyClick(window, K.Key_Right)  # past the chapter's end: the next chapter's first step
    assert (window.tour.chapter, window.tour.index) == (1, 0)
    qtbot.keyClick(window, K.Key_Left)
    assert (window.tour.chapter, window.tour.index) == (0, len(TOUR) - 1)
    qtbot.keyClick(window, K.Key_Left)
    assert window.tour.index == len(TOUR) - 2
    assert window.state.scene.name == bundled_scene(TOUR[-2].scene).name


def test_a_step_that_carries_on_keeps_the_fit_and_an_edited_scene_is_reloaded(make_window, qtbot):
    window = make_window()
    window.tour.go_to(1)
    qtbot.waitUntil(lambda: _step_reached(window, "l2", 30), timeout=15000)
    qtbot.keyClick(window, K.Key_Right)  # "nobody looks like the mean" carries on from there
    assert not TOUR[2].fresh
    qtbot.wait(100)
    assert window.fit.latest.step >= 30
    window.state.add_component([0.0])  # the speaker edits the data, then goes back a step
    qtbot.keyClick(window, K.Key_Left)
    assert len(window.state.mixture.components) == 2


def test_a_clicker_walks_every_chapter_in_talk_mode_to_the_end_and_back(make_window, qtbot):
    from engine.model.tour import TOURS

    from tests.support.fakes import FakeFitProcess

    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(1280, 720)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # its keys are the window's shortcuts
    assert not window.menuBar().isVisible()  # no Tour menu: the arrow keys are all a presenter has
    for c, chapter in enumerate(TOURS):
        for i, step in enumerate(chapter.steps):
            qtbot.keyClick(window, K.Key_Right)
            assert (window.tour.chapter, window.tour.index) == (c, i)
            assert chapter.title in window.caption.text() and step.title in window.caption.text()
            assert window.current_stage is window.stage(step.view.get("stage", "data_space"))
    qtbot.keyClick(window, K.Key_Right)  # past the last step of the last chapter
    assert (window.tour.chapter, window.tour.index) == (len(TOURS) - 1, len(TOURS[-1].steps) - 1)
    assert "last step of the tour" in window.caption.text()
    for _ in TOURS[-1].steps:  # back across the boundary into the chapter before
        qtbot.keyClick(window, K.Key_Left)
    last = TOURS[-2].steps[-1]
    assert (window.tour.chapter, window.tour.index) == (len(TOURS) - 2, len(TOURS[-2].steps) - 1)
    assert last.title in window.caption.text()
    assert window.current_stage is window.stage(last.view.get("stage", "data_space"))


def test_talk_mode_keys_do_what_they_say(make_window, qtbot, tmp_path, monkeypatch):
    import gui.controllers.export

    monkeypatch.setattr(gui.controllers.export, "screenshot_folder", lambda: tmp_path / "shots")
    window = make_window()
    qtbot.keyClick(window, K.Key_T)
    assert window.state.talk and window.isFullScreen()
    assert not window.controls.isVisible() and not window.menuBar().isVisible()
    assert window.pane.line_scale > 1
    for i, loss in enumerate(LOSS_IDS):
        qtbot.keyClick(window, K.Key_1 + i)
        assert window.state.settings.loss == loss
    qtbot.keyClick(window, K.Key_1)
    qtbot.keyClick(window, K.Key_Space)
    assert window.fit.running
    qtbot.waitUntil(lambda: _step_reached(window, "l2", 10), timeout=15000)
    qtbot.keyClick(window, K.Key_Space)
    assert not window.fit.running
    qtbot.keyClick(window, K.Key_R)
    qtbot.waitUntil(lambda: window.fit.latest.step == 0, timeout=5000)
    qtbot.keyClick(window, K.Key_F)
    assert not window.isFullScreen()
    qtbot.keyClick(window, K.Key_F)
    assert window.isFullScreen()
    qtbot.keyClick(window, K.Key_P)
    shots = list((tmp_path / "shots").glob("blurlab-*.png"))
    assert len(shots) == 1
    image = QImage(str(shots[0]))
    assert (image.width(), image.height()) == (window.width(), window.height())
    qtbot.keyClick(window, K.Key_Right)
    assert window.tour.index == 0 and window.caption.isVisible()
    qtbot.keyClick(window, K.Key_Escape)
    assert not window.state.talk and not window.isFullScreen()
    assert window.controls.isVisible() and window.pane.line_scale == 1


def test_the_pointer_hides_when_idle_in_talk_mode_and_comes_back_on_a_move(make_window, qtbot):
    from PySide6.QtWidgets import QApplication

    window = make_window(start_fit=False)
    window.talk_mode.cursor_hider.set_interval(50)
    window.talk_mode.set_talk_mode(True)
    qtbot.waitUntil(lambda: window.talk_mode.cursor_hider.hidden, timeout=2000)
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    qtbot.mouseMove(window.pane.viewport())
    assert not window.talk_mode.cursor_hider.hidden and QApplication.overrideCursor() is None
    window.talk_mode.set_talk_mode(False)
    qtbot.wait(120)
    assert not window.talk_mode.cursor_hider.hidden


def test_a_step_of_the_next_chapter_does_not_inherit_the_dial_or_the_arrows(make_window, qtbot):
    """The why's last step turns the dial to "a sample"; the real-data chapter's steps name no dial, and show
    the mean again, with no landscape and no arrows."""
    from engine.model.tour import TOURS

    from tests.support.fakes import FakeFitProcess

    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    why = next(t for t in TOURS if t.id == "why")
    window.tour.start(why)
    while window.tour.index < len(why.steps) - 1:
        window.tour.next()
    assert window.state.why.decoding.answer == "sample"
    while window.tour.tour.id != "real_data":
        window.tour.next()
    assert window.state.why.decoding.answer == "mean"
    assert not window.state.why.landscape and not window.state.why.pulls
