"""The fit protocol: typed messages, checked on arrival; the child's loop refuses what it does not know and
goes on; the version handshake. The loop runs in a thread here, on real pipes, with no child process."""

from __future__ import annotations

import multiprocessing
import pickle
import threading

from dataclasses import dataclass

import numpy as np
import pytest

from engine.fit.child import serve
from engine.fit.protocol import (COMMANDS, TARGETS, VERSION, Data, Decoder, DigitsSettings, Frame, Hello, Message,
                                 Pace, Problem, ProtocolError, Reset, Run, Settings, Start, Step, Stop, Target,
                                 check_command, check_event, version_problem)
from engine.model.scene import bundled_scene
from engine.model.settings import FitSettings

SCENE = bundled_scene("sedan_or_suv").with_(samples=400)


def _commands():
    samples = SCENE.draw()
    targeted = [c for target in TARGETS for c in (Run(target, True), Step(target, 3), Pace(target, float("inf")),
                                                    Reset(target))]
    return targeted + [Data(samples, SCENE.mixture), Settings(FitSettings(loss="l1")), Decoder("ball"),
                       DigitsSettings("digit_from_label", "l1"), Stop()]


def test_every_command_for_either_target_survives_the_pipe_and_is_accepted():
    commands = _commands()
    assert {type(c) for c in commands} == set(COMMANDS)
    for command in commands:
        arrived = check_command(pickle.loads(pickle.dumps(command)))
        assert type(arrived) is type(command) and getattr(arrived, "target", None) == getattr(command, "target", None)
    assert {c.target for c in commands if not isinstance(c, Stop)} == {"fit", "digits"}


@pytest.mark.parametrize("message", [("pause",), "run", None, Hello(VERSION), 3])
def test_what_is_not_a_command_is_refused_by_name(message):
    with pytest.raises(ProtocolError, match="unknown command"):
        check_command(message)


def test_a_bad_field_is_refused_when_made_and_when_it_arrives():
    with pytest.raises(ProtocolError, match=r"Step\.count: must be 1 or more"):
        Step("fit", 0)
    with pytest.raises(ProtocolError, match=r"Pace\.steps_per_second"):
        Pace("digits", float("nan"))
    with pytest.raises(ProtocolError, match=r"Run\.running: expected bool, got str"):
        Run("fit", "yes")
    with pytest.raises(ProtocolError, match=r"Run\.target: expected 'fit' or 'digits', got 'cars'"):
        Run("cars", True)
    with pytest.raises(ProtocolError, match=r"Start\.pacing: expected Pacing or None, got dict"):
        Start(VERSION, SCENE.draw(), SCENE.mixture, FitSettings(), pacing={"frame_interval": 0.0})
    # Unpickling builds a message without its __init__: what arrives is checked again.
    forged = pickle.loads(pickle.dumps(Step("digits", 2)))
    object.__setattr__(forged, "count", "2")
    with pytest.raises(ProtocolError, match=r"Step\.count: expected int, got str"):
        check_command(forged)
    forged = pickle.loads(pickle.dumps(Reset("digits")))
    object.__setattr__(forged, "target", "both")
    with pytest.raises(ProtocolError, match=r"Reset\.target: expected 'fit' or 'digits', got 'both'"):
        check_command(forged)
    wrong_shape = pickle.loads(pickle.dumps(Data(SCENE.draw(), SCENE.mixture)))
    object.__setattr__(wrong_shape, "samples", np.zeros((5, 2)))
    with pytest.raises(ProtocolError, match=r"Data\.samples: expected an \(n, 1\) array"):
        check_command(wrong_shape)


def test_the_checks_follow_the_annotations_of_a_message_made_anywhere():
    """A new message needs no checks of its own: its annotations are its field checks."""
    @dataclass(frozen=True)
    class Nudge(Message):
        target: Target
        by: float
        label: str | None = None

    assert Nudge("digits", 2).by == 2  # an int is a float
    for args, refused in [(("fit", True), r"Nudge\.by: expected float, got bool"),
                          (("fit", 1.0, 3), r"Nudge\.label: expected str or None, got int"),
                          (("all", 1.0), r"Nudge\.target: expected 'fit' or 'digits', got 'all'")]:
        with pytest.raises(ProtocolError, match=refused):
            Nudge(*args)


def test_events_are_checked_too_and_a_frame_carries_its_own_target_s_snapshot():
    from engine.digits.snapshot import DigitSnapshot
    from engine.fit.fit import Fit

    assert isinstance(check_event(Problem("x")), Problem) and check_event(Problem("x", "digits")).target == "digits"
    with pytest.raises(ProtocolError, match="unknown event"):
        check_event(("snapshot", None))
    fit_snapshot = Fit(SCENE.draw(), SCENE.mixture, FitSettings()).snapshot()
    digit_snapshot = DigitSnapshot(0, "digit_from_label", "l2", 0.1, np.zeros(1), np.zeros((10, 1, 28, 28)), ())
    for target, snapshot in (("fit", fit_snapshot), ("digits", digit_snapshot)):
        arrived = check_event(pickle.loads(pickle.dumps(Frame(target, snapshot))))
        assert arrived.target == target and type(arrived.snapshot) is type(snapshot)
    with pytest.raises(ProtocolError, match=r"Frame\.snapshot: a DigitSnapshot is not the 'fit' target's"):
        Frame("fit", digit_snapshot)


def test_the_version_handshake_names_a_mismatch():
    assert version_problem(Hello(VERSION)) is None
    message = version_problem(Hello(VERSION + 1))
    assert f"version {VERSION + 1}" in message and "Restart BlurLab" in message


class _Child:
    """serve() on real pipes, in a thread: what the fit process does, without a process."""

    def __init__(self, start: Start) -> None:
        self.to_child, child_commands = multiprocessing.Pipe()
        child_events, self.from_child = multiprocessing.Pipe()
        self.thread = threading.Thread(target=serve, args=(child_commands, child_events, start), daemon=True)
        self.thread.start()

    def events_until(self, done, timeout: float = 30.0) -> list:
        events = []
        while not (events and done(events)):
            assert self.from_child.poll(timeout), f"no event within {timeout} s; so far {events}"
            events.append(self.from_child.recv())
        return events


def _start(version: int = VERSION) -> Start:
    return Start(version, SCENE.draw(), SCENE.mixture, FitSettings(), SCENE.decoder)


def test_the_child_says_hello_refuses_an_unknown_message_and_runs_the_commands_around_it():
    child = _Child(_start())
    first = child.events_until(lambda e: any(isinstance(x, Frame) for x in e))
    assert isinstance(first[0], Hello) and first[0].version == VERSION
    child.to_child.send(Step("fit", 1))
    child.to_child.send(("pause",))  # a tuple from an older window: refused, not fatal
    forged = Step("digits", 1)
    object.__setattr__(forged, "target", "network")  # a target it does not serve: refused too
    child.to_child.send(forged)
    child.to_child.send(Step("fit", 2))
    events = child.events_until(lambda e: isinstance(e[-1], Frame) and e[-1].snapshot.step == 3)
    problems = [e for e in events if isinstance(e, Problem)]
    assert [p.target for p in problems] == [None, None]  # the process's, not a target's
    assert "unknown command ('pause',)" in problems[0].message and "Step.target" in problems[1].message
    child.to_child.send(Stop())
    child.thread.join(10)
    assert not child.thread.is_alive()


def test_the_child_serves_both_targets_and_a_target_s_error_is_its_own_event():
    child = _Child(_start())
    child.events_until(lambda e: isinstance(e[-1], Frame))
    child.to_child.send(DigitsSettings("digit_from_label", "l2"))
    child.to_child.send(Step("digits", 2))
    child.to_child.send(Step("fit", 4))
    events = child.events_until(lambda e: {(f.target, f.snapshot.step) for f in e if isinstance(f, Frame)}
                                >= {("digits", 2), ("fit", 4)}, timeout=60)
    assert not [e for e in events if isinstance(e, Problem)]
    bad = SCENE.draw()
    bad[0, 0] = np.nan
    child.to_child.send(Data(bad, SCENE.mixture))
    child.to_child.send(Step("digits", 1))
    events = child.events_until(lambda e: any(isinstance(f, Frame) and f.target == "digits" for f in e))
    problems = [e for e in events if isinstance(e, Problem)]
    assert len(problems) == 1 and problems[0].target == "fit" and "NaN" in problems[0].message
    assert [f.snapshot.step for f in events if isinstance(f, Frame)] == [3]  # the network went on
    child.to_child.send(Stop())
    child.thread.join(10)
    assert not child.thread.is_alive()


def test_a_child_started_by_another_version_says_so_and_ends():
    child = _Child(_start(VERSION + 1))
    events = child.events_until(lambda e: isinstance(e[-1], Problem))
    assert isinstance(events[0], Hello)
    assert "protocol version" in events[-1].message
    child.thread.join(10)
    assert not child.thread.is_alive()


def test_the_pixel_answer_travels_inside_the_frame():
    child = _Child(_start())
    frames = [e for e in child.events_until(lambda e: isinstance(e[-1], Frame)) if isinstance(e, Frame)]
    pixel = frames[-1].snapshot.pixel
    assert pixel.shape == (64, 96, 3) and pixel.dtype == np.float32 and not pixel.flags.writeable
    child.to_child.send(Settings(FitSettings(loss="min_of_k")))
    child.to_child.send(Step("fit", 1))
    events = child.events_until(lambda e: isinstance(e[-1], Frame) and e[-1].snapshot.loss_id == "min_of_k")
    assert events[-1].snapshot.pixel is None  # no pixel-space form: the pane decodes the guesses
    child.to_child.send(Stop())
    child.thread.join(10)


def test_a_snapshot_is_still_read_only_after_the_pipe():
    from engine.fit.fit import Fit

    snap = pickle.loads(pickle.dumps(Fit(SCENE.draw(), SCENE.mixture, FitSettings(loss="mixture_nll")).snapshot()))
    for array in (snap.trail, snap.losses, snap.estimate.mean, snap.estimate.means, snap.estimate.covs):
        assert not array.flags.writeable


def test_a_frame_with_its_pixel_answer_fits_in_a_pipe_buffer():
    from engine.fit.fit import Fit
    from engine.fit.pixel import PixelFit, data_images_for

    samples = SCENE.draw()
    pixel = PixelFit(data_images_for(samples, SCENE.decoder), "l2")
    pixel.step(50)
    frame = Frame("fit", Fit(samples, SCENE.mixture, FitSettings(loss="l2")).snapshot(pixel=pixel.result()))
    sent = pickle.dumps(frame)
    # under Linux's 64 KB pipe buffer, the fit process hands a frame over without waiting for the window
    assert len(sent) < 60_000
    arrived = pickle.loads(sent).snapshot.pixel
    assert arrived.dtype == np.float32 and not arrived.flags.writeable
    assert np.abs(arrived - frame.snapshot.pixel).max() < 1 / 1000  # finer than the 8 bits it is shown in
