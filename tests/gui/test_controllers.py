"""The window's controllers, each against fakes: a fit process with no child process, fake views."""

from __future__ import annotations


import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QWidget

from engine.fit.protocol import Data, Decoder, Pace, Problem, Reset, Run, Settings, Start, Step
from engine.model.losses import LOSS_IDS, loss_info
from engine.model.scene import bundled_scene
from engine.model.tour import TOUR
from tests.support.fakes import FakeFit, FakeFitProcess, FakeView, frame
from gui.controllers.export import ExportController
from gui.controllers.fit import FitController
from gui.controllers.sessions import SessionController
from gui.controllers.talk import TalkController
from gui.controllers.tour import TourController
from gui.state import SPEEDS, AppState


def _state(scene_id: str = "sedan_or_suv") -> AppState:
    return AppState(bundled_scene(scene_id), scene_id)


# -- the fit --------------------------------------------------------------------------------------
@pytest.fixture
def fit(qtbot):
    state = _state()
    process = FakeFitProcess()
    controller = FitController(state, process)
    messages: list[str] = []
    controller.status.connect(lambda text, ms: messages.append(text))
    controller.messages = messages
    controller.start()
    return controller


def test_the_fit_starts_on_the_state_and_at_its_pace(fit):
    process, state = fit.process, fit.state
    start = process.starts[0]
    assert isinstance(start, Start) and start.settings == state.settings and start.decoder == "cars"
    np.testing.assert_array_equal(start.samples, state.samples)
    assert process.sent_of(Pace)[-1] == Pace("fit", loss_info("l2").pace)


def test_state_changes_become_commands(fit):
    process, state = fit.process, fit.state
    state.move_component(1, mean=[3.0])
    assert process.sent_of(Data)[-1].mixture.components[1].mean[0] == 3.0
    state.set_loss("huber")
    assert process.sent_of(Settings)[-1].settings.loss == "huber"
    assert process.sent_of(Pace)[-1].steps_per_second == loss_info("huber").pace
    state.set_speed(4.0)
    assert process.sent_of(Pace)[-1].steps_per_second == 4 * loss_info("huber").pace
    process.sent.clear()
    state.load_bundled("ball_next_frame")
    assert [type(c) for c in process.sent] == [Decoder, Data, Settings, Reset]
    assert process.sent[0].name == "ball" and process.sent[-1] == Reset("fit")


def test_run_pause_step_and_reset(fit):
    process = fit.process
    fit.toggle_running()
    assert fit.running and process.sent[-1] == Run("fit", True)
    fit.step_once()  # a single step pauses first
    assert not fit.running and process.sent[-2:] == [Run("fit", False), Step("fit", 1)]
    fit.reset()
    assert process.sent[-1] == Reset("fit") and "reset" in fit.messages[-1]


def test_the_fit_s_runner_chooses_among_the_data_space_losses_and_speeds(fit):
    assert fit.loss_ids == LOSS_IDS and fit.loss == "l2"
    fit.set_loss("l1")
    assert fit.state.settings.loss == "l1" and fit.loss == "l1" and "Loss:" in fit.messages[-1]
    assert fit.process.sent_of(Settings)[-1].settings.loss == "l1"
    fit.set_speed(len(SPEEDS) - 1)
    assert fit.process.sent_of(Pace)[-1] == Pace("fit", float("inf"))


def test_frames_and_problems_of_the_other_target_are_not_the_fit_s(fit, qtbot):
    fit.set_running(True)
    fit.process.say(Problem("The digit network stopped with an error: boom", "digits"))
    assert fit.running and fit.messages == []
    fit.process.say(Problem("The fit stopped with an error: samples: hold NaN", "fit"))
    assert not fit.running and "NaN" in fit.messages[-1]


def test_only_the_newest_frame_of_a_turn_is_shown(fit, qtbot):
    shown = []
    fit.snapshotChanged.connect(lambda snap: shown.append(snap.step))
    for step in (1, 2, 3):
        fit.process.say(frame(step))
    assert shown == []  # queued behind this turn of the event loop
    qtbot.waitUntil(lambda: shown == [3], timeout=2000)
    QApplication.processEvents()
    assert shown == [3] and fit.latest.step == 3


def test_a_frame_of_another_dimension_is_dropped(fit, qtbot):
    shown = []
    fit.snapshotChanged.connect(lambda snap: shown.append(snap))
    fit.show(frame(5, dim=2).snapshot)
    assert shown == [] and fit.latest is None


def test_a_diverged_frame_pauses_and_says_why(fit, qtbot):
    fit.set_running(True)
    fit.process.say(frame(7, diverged=True, message="The fit diverged at step 7: lower it"))
    assert not fit.running and fit.process.sent[-1] == Run("fit", False)
    assert fit.messages[-1].startswith("The fit diverged")


def test_a_problem_pauses_and_is_shown(fit):
    fit.set_running(True)
    fit.process.problem.emit("The fit stopped with an error: samples: hold NaN")
    assert not fit.running and "NaN" in fit.messages[-1]


def test_a_dead_fit_process_is_started_again_but_not_after_the_window_closed(fit):
    fit.set_running(True)
    fit.process.die()
    assert len(fit.process.starts) == 2 and not fit.running
    assert "restarted" in fit.messages[-1]
    fit.close()
    assert fit.process.shut
    fit.process.die()
    assert len(fit.process.starts) == 2


def test_running_before_the_process_is_up_is_not_lost(qtbot):
    state = _state()
    process = FakeFitProcess()
    controller = FitController(state, process)
    controller.set_running(True)
    controller.start()
    assert process.sent[-1] == Run("fit", True)


# -- the tour -------------------------------------------------------------------------------------
@pytest.fixture
def tour(qtbot):
    state = _state()
    controller = TourController(state, FakeFit())
    captions: list[str] = []
    controller.captionChanged.connect(captions.append)
    controller.captions = captions
    return controller


def test_a_tour_step_loads_its_scene_loss_and_speed_and_shows_its_caption(tour):
    for i, step in enumerate(TOUR):
        tour.next()
        assert tour.index == i
        assert tour.state.scene.name == bundled_scene(step.scene).name
        assert tour.state.settings.loss == step.loss and tour.state.speed == step.speed
        assert step.title in tour.captions[-1] and f"{i + 1} / {len(TOUR)}" in tour.captions[-1]
        assert tour.fit.running == step.autorun


def test_a_step_that_carries_on_keeps_the_fit_and_an_edited_scene_is_reloaded(tour):
    tour.go_to(1)
    resets = tour.fit.resets
    tour.next()  # step 3 carries on from step 2 on the same scene
    assert not TOUR[2].fresh and tour.fit.resets == resets
    tour.state.add_component([0.0])
    tour.previous()
    assert len(tour.state.mixture.components) == 2  # reloaded fresh


def test_a_chapters_last_step_goes_on_to_the_next_chapter_and_back(tour):
    from engine.model.tour import TOURS

    tour.go_to(len(TOUR) - 1)
    tour.next()
    assert (tour.chapter, tour.index) == (1, 0) and TOURS[1].title in tour.captions[-1]
    assert TOURS[1].steps[0].title in tour.captions[-1]
    tour.previous()
    assert (tour.chapter, tour.index) == (0, len(TOUR) - 1) and TOUR[-1].title in tour.captions[-1]


def test_past_the_last_step_of_the_last_chapter_the_tour_stays_and_says_so(tour):
    from engine.model.tour import TOURS

    messages = []
    tour.status.connect(lambda text, ms: messages.append(text))
    tour.start(TOURS[-1])
    tour.go_to(len(TOURS[-1].steps) - 1)
    tour.next()
    assert tour.chapter == len(TOURS) - 1 and tour.index == len(TOURS[-1].steps) - 1
    assert "last step of the tour" in messages[-1] and "The end" in tour.captions[-1]
    tour.end()
    assert tour.index == -1 and tour.captions[-1] == ""


def test_each_step_is_shown_to_the_panes_and_a_chapter_starts_at_its_first_step(tour):
    from engine.model.tour import Tour

    shown = []
    tour.stepShown.connect(shown.append)
    tour.go_to(4)
    assert shown == [TOUR[4]]
    chapter = Tour("short", "A short one", TOUR[5:7])
    tour.start(chapter)
    assert tour.index == 0 and shown[-1] is TOUR[5] and tour.state.settings.loss == TOUR[5].loss
    tour.next()
    tour.next()  # past this chapter's end
    assert tour.index == 1 and shown[-1] is TOUR[6]


# -- sessions -------------------------------------------------------------------------------------
def _sessions(warnings: list, scene_id: str = "sedan_or_suv"):
    class Tour:
        index = 3

    state = _state(scene_id)
    return SessionController(state, FakeFit(), Tour(), FakeView(), lambda title, text: warnings.append(text))


def test_a_saved_session_opens_again_as_it_was(qtbot, tmp_path):
    warnings: list[str] = []
    first = _sessions(warnings)
    first.state.add_component([0.5])
    first.state.set_loss("l1")
    first.state.set_speed(2.0)
    first.view.range = ([-3.0, 3.0], [0.0, 0.5])
    path = str(tmp_path / "talk.json")
    assert first.save_file(path) and first.path == path
    second = _sessions(warnings, "three_modes")
    assert second.open_file(path)
    s = second.state
    assert (s.settings.loss, s.speed, len(s.mixture.components)) == ("l1", 2.0, 3)
    assert second.view.range == ([-3.0, 3.0], [0.0, 0.5])
    assert second.session().view["tour_step"] == 3 and warnings == []
    assert second.recent_files()[0].endswith("talk.json")


def test_a_bad_file_is_refused_by_name_and_nothing_changes(qtbot, tmp_path):
    warnings: list[str] = []
    controller = _sessions(warnings)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "blurlab-scene", "version": 1, "dim": 1, "components": [], "fit": {}}')
    before = (controller.state.scene, controller.state.settings)
    assert not controller.open_file(str(bad))
    assert "components" in warnings[0]
    assert (controller.state.scene, controller.state.settings) == before


def test_save_asks_for_a_file_only_the_first_time(qtbot, tmp_path):
    controller = _sessions([])
    asked = []
    path = str(tmp_path / "s.json")
    assert controller.save(lambda: asked.append(1) or path)
    assert controller.save(lambda: asked.append(1) or None)
    assert asked == [1]
    assert not _sessions([]).save(lambda: None)  # cancelled: nothing written


def test_a_session_that_cannot_be_written_is_a_warning(qtbot, tmp_path):
    warnings: list[str] = []
    controller = _sessions(warnings)
    assert not controller.save_file(str(tmp_path / "missing" / "s.json"))
    assert "s.json" in warnings[0]


# -- export ---------------------------------------------------------------------------------------
def test_a_png_of_a_view_and_a_screenshot(qtbot, tmp_path, monkeypatch):
    import gui.controllers.export
    from PIL import Image

    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(120, 80)
    widget.setStyleSheet("background: #e69f00;")
    widget.show()
    qtbot.waitExposed(widget)
    warnings: list[str] = []
    controller = ExportController({"window": widget}, lambda: None, lambda title, text: warnings.append(text))
    assert controller.export_png("window", str(tmp_path / "w.png"))
    with Image.open(tmp_path / "w.png") as image:
        assert image.size == (120, 80) and image.getpixel((60, 40))[0] > 200
    assert not controller.export_png("window", str(tmp_path / "missing" / "w.png"))
    assert "cannot be written" in warnings[0]
    monkeypatch.setattr(gui.controllers.export, "screenshot_folder", lambda: tmp_path / "shots")
    first, second = controller.take_screenshot(), controller.take_screenshot()
    assert first != second and first.exists() and second.exists()


# -- talk mode ------------------------------------------------------------------------------------
def test_talk_mode_goes_full_screen_and_back(qtbot):
    state = _state()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    controller = TalkController(state, window)
    seen = []
    state.talkChanged.connect(seen.append)
    controller.toggle()
    assert state.talk and window.isFullScreen() and seen == [True]
    controller.leave()
    assert not state.talk and not window.isFullScreen() and seen == [True, False]
    controller.toggle_full_screen()
    assert window.isFullScreen() and not state.talk
    controller.leave()
    assert not window.isFullScreen()
    controller.set_talk_mode(True, full_screen=False)  # a headless export draws talk mode at its own size
    assert state.talk and not window.isFullScreen()
    controller.close()




# -- one runner protocol --------------------------------------------------------------------------
@pytest.mark.parametrize("make", ["fit", "digits", "fake"])
def test_the_fit_the_network_and_the_fake_answer_to_the_same_keys(make, qtbot):
    """What a stage's keys drive (Space, S, R, 1-8, the speed) is the same on every runner."""
    from engine.model.losses import IMAGE_LOSS_IDS
    from gui.controllers.digits import DigitsController

    process = FakeFitProcess()
    process.started = True
    runner = {"fit": lambda: FitController(_state(), process), "digits": lambda: DigitsController(process),
              "fake": FakeFit}[make]()
    seen = []
    runner.runningChanged.connect(seen.append)
    runner.toggle_running()
    runner.step_once()  # a single step pauses first
    runner.reset()
    assert seen == [True, False] and not runner.running
    assert runner.loss_ids == {"fit": LOSS_IDS, "digits": IMAGE_LOSS_IDS, "fake": LOSS_IDS}[make]
    runner.set_loss(runner.loss_ids[1])
    assert runner.loss == runner.loss_ids[1]
    runner.set_speed(0)
    if make != "fake":
        sent = [c for c in process.sent if isinstance(c, (Run, Step, Reset))]
        assert sent == [Run(runner.target, True), Run(runner.target, False), Step(runner.target), Reset(runner.target)]
        assert process.sent_of(Pace)[-1].target == runner.target
