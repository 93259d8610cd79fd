"""The fit process's work: one paced loop that steps each target (the data-space fit and the network on
real digits) and sends its frames on a steady beat.

`FitService` is plain Python, driven by `handle(command)` and `tick()` and tested without threads
or processes; engine.fit.child runs one in a child process. A process, not a thread, because the
fit's Python work and the window's would otherwise take turns on one interpreter lock: on a
two-core laptop the window's drawing would halve the fit's speed and the fit would make frames late.
In its own process the fit keeps a core to itself.

Each target is a `Lane`: a stepper (engine.fit.steppers) with its pace, its single steps and its beat.
A snapshot is made only when a frame leaves, not after every step: the fit runs thousands of steps a
second and a window draws sixty.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable

import numpy as np

from engine.fit.protocol import (Command, Event, Frame, Pace, Pacing, Problem, Reset, Run, Step, Stop,
                                 check_command)
from engine.fit.steppers import DigitStepper, FitStepper, Stepper
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings

SIDE_ROOM = 0.008  # slower side work (a pixel step) is done only this long or longer before the next frame is due
IDLE_WAIT = 0.015  # how long a paused service waits for a command before looking again
SINGLE_STEP_SECONDS = 0.5  # the longest a batch of single steps may take before a frame is sent


class Lane:
    """One target in the loop: runs at its pace, takes single steps, and sends a frame on its beat."""

    def __init__(self, target: str, stepper: Stepper, clock: Callable[[], float], pacing: Pacing | None = None) -> None:
        self.target = target
        self.stepper = stepper
        self.pacing = pacing or stepper.pacing
        self.running = False
        self.rate = math.inf
        self._clock = clock
        self._single = 0
        self._budget = 0.0
        self._last_tick = clock()
        self._next_frame = clock()  # when the next frame is due while running: a fixed beat
        self._changed = True  # the target moved since the last frame

    def handle(self, command: Command) -> None:
        match command:
            case Run(running=running):
                self.running = running
                self._budget = 0.0
            case Step(count=count):
                self._single += count
            case Pace(steps_per_second=rate):
                self.rate = float(rate)
            case Reset():
                self.stepper.reset()
            case _:
                self.stepper.handle(command)

    def busy(self) -> bool:
        """Whether it has work for the next tick (the loop then does not wait for a command)."""
        if self.stepper.pending():
            return True
        return self.stepper.ready() and bool(self.running or self._single or self._changed)

    def tick(self) -> list[Event]:
        """Apply its commands, step as the pace allows, and return its frame if one is due."""
        now = self._clock()
        elapsed, self._last_tick = now - self._last_tick, now
        try:
            if self.stepper.apply():
                self._changed = True
            if not self.stepper.ready():
                return []
            if self._single:
                single, self._single = self._single, 0
                self._advance(single, deadline=now + SINGLE_STEP_SECONDS)
                self._changed |= self.stepper.side_step(now, force=True)
            if self.running and (not self._changed or self._next_frame - now >= SIDE_ROOM):
                # first thing after a frame has gone: side work (milliseconds) never makes a frame late
                self._changed |= self.stepper.side_step(now, force=False)
                now = self._clock()
            if self.running:
                self._budget = min(self._budget + elapsed * self.rate, max(self.rate * 0.1, 1.0))
                want = math.inf if math.isinf(self.rate) else int(self._budget)
                if want >= 1:
                    # stop stepping when the next frame is due, so frames leave on time
                    deadline = min(now + self.pacing.chunk_seconds, self._next_frame)
                    done = self._advance(want, deadline)
                    self._budget = 0.0 if math.isinf(self.rate) else self._budget - done
            now = self._clock()
            due = now >= self._next_frame - 0.0005
            if self._changed and (not self.running or due):
                self._changed = False
                # on the beat, not interval-after-the-last: frames come every 16.7 ms, not every 16.7 ms + a step
                self._next_frame = max(self._next_frame + self.pacing.frame_interval, now)
                return [Frame(self.target, self.stepper.snapshot())]
        except Exception as exc:  # report it and carry on: the target keeps its last good state
            traceback.print_exc()
            self.running = False
            return [Problem(f"{self.stepper.name} stopped with an error: {exc}", self.target)]
        return []

    def _advance(self, n: float, deadline: float) -> int:
        """Take up to n steps, at least one, stopping at the deadline; returns how many were taken."""
        done = 0
        while done < n:
            self._changed = True
            if not self.stepper.step():  # diverged: the stepper is back at its last good state, with a message
                self.running = False
                break
            done += 1
            if self._clock() >= deadline:
                break
        return done


class FitService:
    """The data-space fit and the network on real digits, each a lane of one loop."""

    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str = "cars", *,
                 clock: Callable[[], float] = time.perf_counter, span: tuple | None = None,
                 pacing: Pacing | None = None) -> None:
        self.lanes = {
            "fit": Lane("fit", FitStepper(samples, mixture, settings, decoder, span), clock, pacing),
            "digits": Lane("digits", DigitStepper(), clock, pacing),
        }

    @property
    def fit(self):
        """The data-space fit (engine.fit.fit.Fit)."""
        return self.lanes["fit"].stepper.fit

    def handle(self, command: Command) -> bool:
        """Take one command; False once told to stop. Raises ProtocolError for anything else."""
        command = check_command(command)
        if isinstance(command, Stop):
            return False
        self.lanes[command.target].handle(command)
        return True

    def wait_time(self) -> float:
        """How long the caller may wait for a command before the next tick is due."""
        return 0.0 if any(lane.busy() for lane in self.lanes.values()) else IDLE_WAIT

    def tick(self) -> list[Event]:
        """Each lane in turn: apply commands, step as the pace allows, and the events to send."""
        return [event for lane in self.lanes.values() for event in lane.tick()]
