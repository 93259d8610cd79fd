"""The live fit as a service: paced stepping of the fit, the pixel-space fit alongside, and frames at
most ~60 times a second.

`FitService` is plain Python, driven by `handle(command)` and `tick()` and tested without threads
or processes; engine.fit.child runs one in a child process. A process, not a thread, because the
fit's Python work and the window's would otherwise take turns on one interpreter lock: on a
two-core laptop the window's drawing would halve the fit's speed and the fit would make frames late.
In its own process the fit keeps a core to itself.

A snapshot is made only when a frame leaves, not after every step: the fit runs thousands of steps
a second and a window draws sixty.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable

import numpy as np

from engine.fit.control import FitControl
from engine.fit.digit_service import DigitService
from engine.fit.protocol import (DIGIT_COMMANDS, Command, Data, Decoder, Event, Frame, Pace, Problem, Reset, Run,
                                 Settings, Step, Stop, check_command)
from engine.model.losses import loss_info
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings

EMIT_INTERVAL = 1 / 60  # seconds between frames sent while running
CHUNK_SECONDS = 0.010  # longest stretch of stepping before commands are read again
PIXEL_INTERVAL = 1 / 30  # seconds between steps of the pixel-space fit (each costs milliseconds)
PIXEL_ROOM = 0.008  # a pixel step is taken only this long or longer before the next frame is due
PIXEL_EARLY = 0.002  # a pixel step may come this much before its interval is up: a little early, not a frame late
IDLE_WAIT = 0.015  # how long a paused service waits for a command before looking again
SINGLE_STEP_SECONDS = 0.5  # the longest a batch of single steps may take before a frame is sent


class FitService:
    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str = "cars", *,
                 emit_interval: float = EMIT_INTERVAL, chunk_seconds: float = CHUNK_SECONDS,
                 clock: Callable[[], float] = time.perf_counter, span: tuple | None = None) -> None:
        from engine.fit.fit import Fit  # torch: only once the service is built, in the fit process

        self.fit = Fit(samples, mixture, settings, span=span)
        self.control = FitControl()
        self.decoder = decoder
        self.span = span
        self.running = False
        self.rate = math.inf
        self.emit_interval = emit_interval
        self.chunk_seconds = chunk_seconds
        self._clock = clock
        self._single = 0
        self._budget = 0.0
        self._last_tick = clock()
        self._next_emit = clock()  # when the next frame is due while running: a fixed 60 Hz beat
        self._changed = True  # the fit moved since the last frame
        self._pixel = None
        self._pixel_key = None
        self._pixel_last = -math.inf
        self._sync_pixel_fit()
        self.digits = DigitService(clock)  # the network on real digits, beside this fit

    # -- commands ------------------------------------------------------------------------------
    def handle(self, command: Command) -> bool:
        """Take one command; False once told to stop. Raises ProtocolError for anything else."""
        command = check_command(command)
        if isinstance(command, DIGIT_COMMANDS):
            self.digits.handle(command)
            return True
        match command:
            case Run(running=running):
                self.running = running
                self._budget = 0.0
            case Step(count=count):
                self._single += count
            case Pace(steps_per_second=rate):
                self.rate = float(rate)
            case Data(samples=samples, mixture=mixture):
                self.control.set_data(samples, mixture)
            case Settings(settings=settings):
                self.control.set_settings(settings)
            case Reset():
                self.control.reset()
            case Decoder(name=name, span=span):
                self.decoder, self.span, self._pixel, self._pixel_key = name, span, None, None
                self.control.set_span(span)
                self._changed = True
            case Stop():
                return False
        return True

    def wait_time(self) -> float:
        """How long the caller may wait for a command before the next tick is due."""
        busy = self.running or self._single or self.control.pending() or self.digits.busy()
        return 0.0 if busy else IDLE_WAIT

    # -- work ----------------------------------------------------------------------------------
    def tick(self) -> list[Event]:
        """Apply commands, step as the pace allows, and return the events to send."""
        now = self._clock()
        elapsed, self._last_tick = now - self._last_tick, now
        events: list[Event] = []
        try:
            if self.control.pending():
                self.control.apply(self.fit)
                self._sync_pixel_fit()
                self._changed = True
            if self._single:
                single, self._single = self._single, 0
                self._advance(single, deadline=now + SINGLE_STEP_SECONDS)
                self._step_pixel_fit(now, force=True)
            if self.running and (not self._changed or self._next_emit - now >= PIXEL_ROOM):
                # first thing after a frame has gone: a pixel step (milliseconds) never makes a frame late
                self._step_pixel_fit(now)
                now = self._clock()
            if self.running:
                self._budget = min(self._budget + elapsed * self.rate, max(self.rate * 0.1, 1.0))
                want = math.inf if math.isinf(self.rate) else int(self._budget)
                if want >= 1:
                    # stop stepping when the next frame is due, so frames leave on time
                    deadline = min(now + self.chunk_seconds, self._next_emit)
                    done = self._advance(want, deadline)
                    self._budget = 0.0 if math.isinf(self.rate) else self._budget - done
            now = self._clock()
            due = now >= self._next_emit - 0.0005
            if self._changed and (not self.running or due):
                events.append(self._frame())
                # on the beat, not interval-after-the-last: frames come every 16.7 ms, not every 16.7 ms + a step
                self._next_emit = max(self._next_emit + self.emit_interval, now)
        except Exception as exc:  # report it and carry on: the fit keeps its last good state
            traceback.print_exc()
            self.running = False
            events.append(Problem(f"The fit stopped with an error: {exc}"))
        events += self.digits.tick()
        return events

    def _advance(self, n: float, deadline: float) -> int:
        """Take up to n steps, at least one, stopping at the deadline; returns how many were taken."""
        done = 0
        while done < n:
            self._changed = True
            if not self.fit.step():  # diverged: the fit is back at its last good state, with a message
                self.running = False
                break
            done += 1
            if self._clock() >= deadline:
                break
        return done

    def _frame(self) -> Frame:
        self._changed = False
        pixel = None if self._pixel is None else self._pixel.result()
        return Frame(self.fit.snapshot(pixel=pixel))

    # -- the pixel-space fit, alongside the main one ------------------------------------------------
    def _sync_pixel_fit(self) -> None:
        """Follow the main fit: new data images after a data change, a fresh grey image after a reset
        or a new loss, none for a loss without a pixel-space form."""
        from engine.fit.pixel import PixelFit, data_images_for

        fit = self.fit
        key = (fit.data_version, fit.settings.loss, fit.resets, self.decoder)
        if key == self._pixel_key:
            return
        old, self._pixel_key = self._pixel_key, key
        if loss_info(fit.settings.loss).pixel is None:
            self._pixel = None
        else:
            images = data_images_for(fit.samples, self.decoder, span=self.span)
            if self._pixel is not None and old is not None and old[1:] == key[1:]:
                self._pixel.set_images(images)  # only the data moved: go on from the current image
            else:
                self._pixel = PixelFit(images, fit.settings.loss)
        self._changed = True

    def _step_pixel_fit(self, now: float, force: bool = False) -> None:
        self._sync_pixel_fit()
        if self._pixel is None or (self._pixel.settled and not force):
            return
        if force or now - self._pixel_last >= PIXEL_INTERVAL - PIXEL_EARLY:
            self._pixel_last = now
            self._pixel.step()
            self._changed = True
