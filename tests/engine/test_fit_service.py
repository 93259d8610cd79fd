"""The fit service that runs in the fit process, driven synchronously with a fake clock: the paced loop,
with the data-space fit as its target."""

from __future__ import annotations

import numpy as np
import pytest

from engine.fit.protocol import Data, Frame, Pace, Problem, Run, Settings, Step, Stop
from engine.fit.service import FitService
from engine.model.scene import bundled_scene
from engine.model.settings import FitSettings


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1e-5  # every reading takes a moment, as real stepping does
        return self.now


def _service(loss: str = "l2", **kw) -> tuple[FitService, Clock]:
    scene = bundled_scene("sedan_or_suv")
    clock = Clock()
    return FitService(scene.draw(), scene.mixture, FitSettings(loss=loss, **kw), scene.decoder, clock=clock), clock


def _snapshots(events):
    return [event.snapshot for event in events if isinstance(event, Frame)]


def test_a_paused_service_reports_its_start_and_takes_no_steps():
    service, clock = _service()
    first = _snapshots(service.tick())
    assert [s.step for s in first] == [0]
    clock.now += 1.0
    assert _snapshots(service.tick()) == []


def test_single_steps_are_taken_one_by_one():
    service, _ = _service()
    service.tick()
    service.handle(Step("fit", 3))
    snaps = _snapshots(service.tick())
    assert snaps[-1].step == 3


def test_running_follows_the_pace_and_sends_at_most_sixty_snapshots_a_second():
    service, clock = _service()
    service.tick()
    service.handle(Pace("fit", 100.0))
    service.handle(Run("fit", True))
    sent = []
    for _ in range(200):  # two seconds of 10 ms ticks
        clock.now += 0.01
        sent += _snapshots(service.tick())
    assert 170 <= sent[-1].step <= 230  # about 100 steps a second
    assert len(sent) <= 2 * 60 + 2


def test_new_data_moves_the_l2_fit_to_the_new_mean():
    service, clock = _service()
    scene = bundled_scene("sedan_or_suv")
    moved = scene.mixture.with_component(1, scene.mixture.components[1].moved(mean=[4.0]))
    samples = moved.sample(4000, 0)
    service.handle(Data(samples, moved))
    service.handle(Step("fit", 3000))
    snap = _snapshots(service.tick())[-1]
    assert snap.data_version == 1
    assert snap.estimate.mean[0] == pytest.approx(samples.mean(), abs=0.02)


def test_a_diverging_fit_stops_running_and_says_why():
    service, clock = _service(lr=1e9)
    service.handle(Run("fit", True))
    snaps = []
    for _ in range(5):
        clock.now += 0.02
        snaps += _snapshots(service.tick())
    assert snaps[-1].diverged and "learning rate" in snaps[-1].message
    assert not service.lanes["fit"].running
    assert all(np.all(np.isfinite(s.estimate.mean)) for s in snaps)


def test_bad_data_is_an_error_event_and_the_fit_goes_on():
    service, _ = _service()
    service.tick()
    bad = bundled_scene("sedan_or_suv").draw()
    bad[3, 0] = np.nan
    service.handle(Data(bad, bundled_scene("sedan_or_suv").mixture))
    events = service.tick()
    assert [type(e) for e in events] == [Problem]
    assert events[0].target == "fit" and "NaN" in events[0].message
    service.handle(Step("fit", 1))
    assert _snapshots(service.tick())[-1].step == 1


def test_the_pixel_fit_follows_the_loss():
    service, _ = _service()
    pixel = [s.pixel for s in _snapshots(service.tick())]
    assert pixel and pixel[0].shape == (64, 96, 3) and np.allclose(pixel[0], 0.5)  # grey at the start
    service.handle(Settings(FitSettings(loss="mixture_nll")))
    service.handle(Step("fit", 1))
    pixel = [s.pixel for s in _snapshots(service.tick())]
    assert pixel and pixel[-1] is None  # no pixel form for a mixture


def test_frames_keep_their_beat_while_slow_pixel_steps_run_and_the_pixel_fit_keeps_its_pace(monkeypatch):
    """A pixel step takes milliseconds; taken just before a due frame, it made that frame late and the
    next one early (21 ms, then 12 ms), which the audience sees as a stutter."""
    from engine.fit.pixel import PixelFit

    service, clock = _service()
    step = PixelFit.step
    pixel_steps = []

    def slow_step(self, n=1):
        clock.now += 0.005  # five milliseconds, the slow end of what a pixel step costs
        pixel_steps.append(clock.now)
        return step(self, n)

    monkeypatch.setattr(PixelFit, "step", slow_step)
    service.tick()
    service.handle(Pace("fit", 600.0))
    service.handle(Run("fit", True))
    sent = []
    while clock.now < 2.0:
        clock.now += 0.001
        if _snapshots(service.tick()):
            sent.append(clock.now)
    intervals = np.diff(sent[5:])
    assert np.all(np.abs(intervals - 1 / 60) < 0.002), (intervals.min(), intervals.max())
    gaps = np.diff(pixel_steps)  # until the pixel fit settles, still about thirty steps a second
    assert len(gaps) >= 10 and np.all((gaps > 0.030) & (gaps < 0.036)), gaps


def test_stop_ends_the_service_and_unknown_commands_are_refused():
    service, _ = _service()
    assert service.handle(Run("fit", False))
    assert not service.handle(Stop())
    with pytest.raises(ValueError, match="unknown command"):
        service.handle(("dance",))
