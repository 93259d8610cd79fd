"""The network on real digits as a target of the fit service's paced loop: trained only once asked, in
bounded chunks beside the data-space fit, frames at a modest rate, at a pace when given one, errors as
its own events; and its settings checked on arrival."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from engine.fit.protocol import (DigitsSettings, Frame, Pace, Problem, ProtocolError, Reset, Run, Step, check_command,
                                 check_event)
from engine.fit.service import FitService
from engine.model.scene import bundled_scene
from engine.model.settings import FitSettings


class Clock:
    """Every reading moves time on by `tick` seconds, as real work does."""

    def __init__(self, tick: float = 1e-3) -> None:
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def _service(clock: Clock) -> FitService:
    scene = bundled_scene("sedan_or_suv").with_(samples=400)
    return FitService(scene.draw(), scene.mixture, FitSettings(), scene.decoder, clock=clock)


def _digit_frames(events) -> list:
    return [e.snapshot for e in events if isinstance(e, Frame) and e.target == "digits"]


def _trainer(service: FitService):
    return service.lanes["digits"].stepper.trainer


def test_digit_settings_survive_the_pipe_and_bad_fields_are_refused_by_name():
    command = DigitsSettings("bottom_half", "l2_adversarial", 3, 0.2)
    assert check_command(pickle.loads(pickle.dumps(command))) == command
    with pytest.raises(ProtocolError, match=r"DigitsSettings\.task: unknown task 'cars'"):
        DigitsSettings("cars", "l2")
    with pytest.raises(ProtocolError, match=r"DigitsSettings\.loss: unknown image loss 'huber'"):
        DigitsSettings("bottom_half", "huber")
    with pytest.raises(ProtocolError, match=r"DigitsSettings\.adversarial_weight: must be between 0 and 1"):
        DigitsSettings("bottom_half", "l2_adversarial", adversarial_weight=2.0)
    with pytest.raises(ProtocolError, match=r"DigitsSettings\.seed: expected int, got float"):
        DigitsSettings("bottom_half", "l2", seed=1.5)
    forged = pickle.loads(pickle.dumps(DigitsSettings("bottom_half", "l2")))
    object.__setattr__(forged, "loss", "l3")
    with pytest.raises(ProtocolError, match="unknown image loss 'l3'"):
        check_command(forged)


def test_nothing_is_trained_until_asked_and_single_steps_bring_a_frame():
    clock = Clock()
    service = _service(clock)
    assert _digit_frames(service.tick()) == [] and _trainer(service) is None
    service.handle(DigitsSettings("digit_from_label", "l2"))
    service.handle(Step("digits", 3))
    snaps = _digit_frames(service.tick())
    assert [s.step for s in snaps] == [3]
    snap = snaps[0]
    assert snap.pictures.shape == (10, 1, 28, 28) and len(snap.figures) == 10
    assert check_event(Frame("digits", snap)).target == "digits"


def test_training_goes_in_bounded_chunks_beside_the_data_space_fit_and_frames_come_a_dozen_a_second():
    clock = Clock(tick=2e-3)  # each step "takes" 2 ms
    service = _service(clock)
    service.handle(Run("fit", True))
    service.handle(DigitsSettings("digit_from_label", "l2"))
    service.handle(Run("digits", True))
    start = clock.now
    fit_frames, digit_frames = [], []
    for _ in range(300):
        events = service.tick()
        fit_frames += [e for e in events if isinstance(e, Frame) and e.target == "fit"]
        digit_frames += _digit_frames(events)
    seconds = clock.now - start
    assert fit_frames and fit_frames[-1].snapshot.step > 0  # the data-space fit kept going
    steps = _trainer(service).step_count
    assert 0 < steps <= 300 * 5  # at most a chunk (8 ms, 4 steps of 2 ms) a tick
    assert 0 < len(digit_frames) <= seconds * 12 + 2


def test_a_new_loss_or_a_reset_is_a_fresh_network_and_a_new_weight_is_not():
    service = _service(Clock())
    service.handle(DigitsSettings("bottom_half", "l2_adversarial"))
    service.handle(Step("digits", 4))
    service.tick()
    trainer = _trainer(service)
    service.handle(DigitsSettings("bottom_half", "l2_adversarial", adversarial_weight=0.5))
    snap = _digit_frames(service.tick())[-1]
    assert _trainer(service) is trainer and snap.step == 4 and snap.adversarial_weight == 0.5
    service.handle(DigitsSettings("bottom_half", "min_of_k"))
    snap = _digit_frames(service.tick())[-1]
    assert snap.loss_id == "min_of_k" and snap.step == 0 and snap.pictures.shape[1] == 4
    service.handle(Step("digits", 2))
    service.tick()
    service.handle(Reset("digits"))
    assert _digit_frames(service.tick())[-1].step == 0


def test_a_digit_error_is_an_event_and_the_data_space_fit_goes_on(monkeypatch):
    service = _service(Clock())
    service.handle(DigitsSettings("digit_from_label", "l2"))
    service.handle(Run("digits", True))
    service.tick()  # the network is built inside the loop, where its errors are caught too

    def broken():
        raise RuntimeError("out of memory")

    monkeypatch.setattr(_trainer(service), "step", broken)
    events = service.tick()
    problems = [e for e in events if isinstance(e, Problem)]
    assert len(problems) == 1 and problems[0].target == "digits"
    assert "digit network" in problems[0].message and "out of memory" in problems[0].message
    assert not service.lanes["digits"].running
    service.handle(Step("fit", 2))
    frames = [e for e in service.tick() if isinstance(e, Frame) and e.target == "fit"]
    assert frames[-1].snapshot.step == 2
    assert np.isfinite(frames[-1].snapshot.estimate.mean).all()


def test_the_network_keeps_a_pace_it_is_given_as_the_fit_does():
    clock = Clock(tick=1e-4)
    service = _service(clock)
    service.handle(DigitsSettings("digit_from_label", "l2"))
    service.handle(Pace("digits", 20.0))
    service.handle(Run("digits", True))
    service.tick()
    start, first = clock.now, _trainer(service).step_count
    while clock.now - start < 2.0:
        clock.now += 0.01
        service.tick()
    assert 30 <= _trainer(service).step_count - first <= 50  # about 20 steps a second for two seconds


def test_a_paused_service_waits_for_commands_and_a_network_without_settings_is_not_work():
    service = _service(Clock())
    service.tick()  # the fit's first frame
    assert service.wait_time() > 0
    service.handle(Run("digits", True))  # nothing to train yet: no reason to spin
    service.tick()
    assert service.wait_time() > 0
    service.handle(DigitsSettings("digit_from_label", "l2"))
    assert service.wait_time() == 0


def test_a_network_that_cannot_be_built_is_an_error_event_not_a_dead_process(monkeypatch):
    import engine.fit.digits

    def missing(*args, **kwargs):
        raise OSError("mnist_5k.csv.gz: no such file")

    monkeypatch.setattr(engine.fit.digits, "DigitTrainer", missing)
    service = _service(Clock())
    service.handle(DigitsSettings("digit_from_label", "l2"))
    problems = [e for e in service.tick() if isinstance(e, Problem)]
    assert len(problems) == 1 and problems[0].target == "digits" and "no such file" in problems[0].message
    service.handle(Step("fit", 1))
    assert [e.snapshot.step for e in service.tick() if isinstance(e, Frame)] == [1]
