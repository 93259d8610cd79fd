"""The live fit as a service: paced stepping of the `run` generator, the pixel-space fit alongside,
and snapshots at most ~60 times a second.

`FitService` is plain Python, driven by `handle(message)` and `tick()` and tested without threads
or processes. `serve` runs one in a child process that talks through two pipes (commands in, events
out). A process, not a thread, because the fit's Python work and the window's would otherwise take
turns on one interpreter lock: on a two-core laptop the window's drawing would halve the fit's speed
and the fit would make frames late. In its own process the fit keeps a core to itself.

Commands: ("run", bool), ("step", n), ("rate", steps_per_second), ("data", samples, mixture),
("settings", FitSettings), ("reset",), ("decoder", name), ("stop",).
Events: ("snapshot", Snapshot), ("pixel", image or None), ("error", message).
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable

import numpy as np

from engine.catalogue import PIXEL_LOSSES
from engine.control import FitControl
from engine.mixture import Mixture
from engine.settings import FitSettings

EMIT_INTERVAL = 1 / 60  # seconds between snapshots sent while running
CHUNK_SECONDS = 0.010  # longest stretch of stepping before commands are read again
PIXEL_INTERVAL = 1 / 30  # seconds between steps of the pixel-space fit (each costs milliseconds)
IDLE_WAIT = 0.015  # how long a paused service waits for a command before looking again
TORCH_THREADS = 1  # tiny tensors gain nothing from more threads, and extra threads collapse on a busy core


class FitService:
    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str = "cars", *,
                 emit_interval: float = EMIT_INTERVAL, chunk_seconds: float = CHUNK_SECONDS,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        from engine.fit import Fit

        self.fit = Fit(samples, mixture, settings)
        self.control = FitControl()
        self.decoder = decoder
        self.running = False
        self.rate = math.inf
        self.emit_interval = emit_interval
        self.chunk_seconds = chunk_seconds
        self._clock = clock
        self._single = 0
        self._budget = 0.0
        self._last_tick = clock()
        self._next_emit = clock()  # when the next one is due while running: a fixed 60 Hz beat
        self._stream = self._steps()
        self._unsent = self.fit.snapshot()
        self._pixel = None
        self._pixel_key = None
        self._pixel_dirty = False
        self._pixel_last = -math.inf
        self._sync_pixel_fit()

    # -- commands ------------------------------------------------------------------------------
    def handle(self, message: tuple) -> bool:
        """Take one command; False once told to stop."""
        kind = message[0]
        if kind == "run":
            self.running = bool(message[1])
            self._budget = 0.0
        elif kind == "step":
            self._single += int(message[1])
        elif kind == "rate":
            self.rate = float(message[1])
        elif kind == "data":
            self.control.set_data(message[1], message[2])
        elif kind == "settings":
            self.control.set_settings(message[1])
        elif kind == "reset":
            self.control.reset()
        elif kind == "decoder":
            self.decoder, self._pixel, self._pixel_key = message[1], None, None
        elif kind == "stop":
            return False
        else:
            raise ValueError(f"fit service: unknown command {kind!r}")
        return True

    def wait_time(self) -> float:
        """How long the caller may wait for a command before the next tick is due."""
        return 0.0 if self.running or self._single or self.control.pending() else IDLE_WAIT

    # -- work ----------------------------------------------------------------------------------
    def _steps(self):
        """Snapshots, one per step; after a divergence the generator ends and a fresh one follows."""
        from engine.fit import run

        while not self.control.stopped:
            yield from run(self.fit, self.control)

    def tick(self) -> list[tuple]:
        """Apply commands, step as the pace allows, and return the events to send."""
        now = self._clock()
        elapsed, self._last_tick = now - self._last_tick, now
        events: list[tuple] = []
        try:
            if self.control.pending():
                self.control.apply(self.fit)
                self._sync_pixel_fit()
                self._unsent = self.fit.snapshot()
            if self._single:
                single, self._single = self._single, 0
                self._advance(single, deadline=now + 0.5)
                self._step_pixel_fit(now, force=True)
            if self.running:
                self._budget = min(self._budget + elapsed * self.rate, max(self.rate * 0.1, 1.0))
                want = math.inf if math.isinf(self.rate) else int(self._budget)
                if want >= 1:
                    # stop stepping when the next frame is due, so frames leave on time
                    deadline = min(now + self.chunk_seconds, self._next_emit)
                    done = self._advance(want, deadline)
                    self._budget = 0.0 if math.isinf(self.rate) else self._budget - done
                self._step_pixel_fit(self._clock())
            now = self._clock()
            due = now >= self._next_emit - 0.0005
            if self._unsent is not None and (not self.running or due):
                events += self._emit()
                # on the beat, not interval-after-the-last: frames come every 16.7 ms, not every 16.7 ms + a step
                self._next_emit = max(self._next_emit + self.emit_interval, now)
        except Exception as exc:  # report it and carry on: the fit keeps its last good state
            traceback.print_exc()
            self.running = False
            self._stream = self._steps()  # the old generator died with the exception
            events.append(("error", f"The fit stopped with an error: {exc}"))
        return events

    def _advance(self, n: float, deadline: float) -> int:
        """Take up to n steps, at least one, stopping at the deadline; returns how many were taken."""
        done = 0
        while done < n:
            snap = next(self._stream, None)
            if snap is None:
                break
            self._unsent = snap
            if snap.diverged:
                self.running = False
                break
            done += 1
            if self._clock() >= deadline:
                break
        return done

    def _emit(self) -> list[tuple]:
        events = []
        if self._pixel_dirty:
            self._pixel_dirty = False
            events.append(("pixel", None if self._pixel is None else self._pixel.result()))
        events.append(("snapshot", self._unsent))
        self._unsent = None
        return events

    # -- the pixel-space fit, alongside the main one --------------------------------------------------
    def _sync_pixel_fit(self) -> None:
        """Follow the main fit: new data images after a data change, a fresh grey image after a reset
        or a new loss, none for a loss without a pixel-space form."""
        from engine.pixel_fit import PixelFit, data_images_for

        fit = self.fit
        key = (fit.data_version, fit.settings.loss, fit.resets, self.decoder)
        if key == self._pixel_key:
            return
        old, self._pixel_key = self._pixel_key, key
        if fit.settings.loss not in PIXEL_LOSSES:
            self._pixel = None
        else:
            images = data_images_for(fit.samples, self.decoder)
            if self._pixel is not None and old is not None and old[1:] == key[1:]:
                self._pixel.set_images(images)  # only the data moved: go on from the current image
            else:
                self._pixel = PixelFit(images, fit.settings.loss)
        self._pixel_dirty = True

    def _step_pixel_fit(self, now: float, force: bool = False) -> None:
        self._sync_pixel_fit()
        if self._pixel is None or (self._pixel.settled and not force):
            return
        if force or now - self._pixel_last >= PIXEL_INTERVAL:
            self._pixel_last = now
            self._pixel.step()
            self._pixel_dirty = True


def serve(commands, events, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str,
          pace: dict | None = None) -> None:
    """A child process's whole life: build the service, then read commands and send events until told
    to stop or until the parent goes away."""
    import torch

    torch.set_num_threads(TORCH_THREADS)
    try:
        service = FitService(samples, mixture, settings, decoder, **(pace or {}))
    except Exception as exc:
        events.send(("error", f"The fit could not start: {exc}"))
        return
    try:
        while True:
            if commands.poll(service.wait_time()):
                while commands.poll():
                    if not service.handle(commands.recv()):
                        return
            for event in service.tick():
                events.send(event)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the window is gone
