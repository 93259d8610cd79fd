"""The digit network's part of the fit service: it takes the Digits* commands, trains in bounded
chunks on each tick of the fit process (so the data-space fit and the window's frames keep their
beat), and sends a frame of pictures and figures about a dozen times a second while it trains.

Plain Python, driven by `handle` and `tick` like the fit service that holds it; the trainer (and with
it the digits and torch's networks) is built on the first DigitsSettings, so a window that never shows
the real images never pays for them."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

from engine.fit.protocol import DigitsFrame, DigitsReset, DigitsRun, DigitsSettings, DigitsStep, Event, Problem

FRAME_INTERVAL = 1 / 12  # seconds between frames while training: the pictures are small, the figures cost
CHUNK_SECONDS = 0.008  # the longest stretch of digit training in one tick
SINGLE_STEP_SECONDS = 0.5  # the longest a batch of single steps may take


class DigitService:
    def __init__(self, clock: Callable[[], float] = time.perf_counter, *, frame_interval: float = FRAME_INTERVAL,
                 chunk_seconds: float = CHUNK_SECONDS) -> None:
        self.trainer = None
        self.settings: DigitsSettings | None = None
        self.running = False
        self.frame_interval = frame_interval
        self.chunk_seconds = chunk_seconds
        self._clock = clock
        self._single = 0
        self._changed = False
        self._next_frame = clock()

    def busy(self) -> bool:
        """Whether it has work for the next tick (the caller then does not wait for a command)."""
        return self.trainer is not None and (self.running or self._single > 0 or self._changed)

    def handle(self, command) -> None:
        match command:
            case DigitsSettings():
                self._set(command)
            case DigitsRun(running=running):
                self.running = running and self.settings is not None
            case DigitsStep(count=count):
                self._single += count
            case DigitsReset():
                if self.settings is not None:
                    self._build(self.settings)

    def _set(self, settings: DigitsSettings) -> None:
        old = self.settings
        if (self.trainer is not None and old is not None
                and (old.task, old.loss, old.seed) == (settings.task, settings.loss, settings.seed)):
            self.settings = settings
            self.trainer.set_adversarial_weight(settings.adversarial_weight)
            self._changed = True
        else:
            self._build(settings)

    def _build(self, settings: DigitsSettings) -> None:
        from engine.fit.digits import DigitTrainer  # torch and the digits, only once asked for

        self.settings = settings
        self.trainer = DigitTrainer(settings.task, settings.loss, settings.seed, settings.adversarial_weight)
        self._changed = True

    def tick(self) -> list[Event]:
        """Train for a bounded moment and return the frame if one is due."""
        if self.trainer is None:
            return []
        try:
            now = self._clock()
            if self._single:
                single, self._single = self._single, 0
                self._train(single, now + SINGLE_STEP_SECONDS)
            elif self.running:
                self._train(None, now + self.chunk_seconds)
            now = self._clock()
            if self._changed and (not self.running or now >= self._next_frame):
                self._changed = False
                self._next_frame = max(self._next_frame + self.frame_interval, now)
                return [DigitsFrame(self.trainer.snapshot())]
        except Exception as exc:  # say so and stop training; the data-space fit goes on
            traceback.print_exc()
            self.running = False
            return [Problem(f"The digit network stopped with an error: {exc}")]
        return []

    def _train(self, count: int | None, deadline: float) -> None:
        done = 0
        while count is None or done < count:
            self.trainer.step()
            done += 1
            self._changed = True
            if self._clock() >= deadline:
                break
