"""What the fit process steps, one stepper per target: the data-space fit (with the pixel-space fit
beside it) and the network on real digits. The paced loop in engine.fit.service drives both alike.

A stepper takes its own commands (`handle`) into a mailbox, applies them between steps (`apply`),
steps, snapshots and resets; anything slow to build (torch, the digits) is built in `apply`, inside the
loop's error handling, so a failure becomes a Problem event and not a dead process.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np

from engine.fit.control import FitControl
from engine.fit.protocol import Data, Decoder, DigitsSettings, Pacing, Settings
from engine.model.losses import loss_info
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings

PIXEL_INTERVAL = 1 / 30  # seconds between steps of the pixel-space fit (each costs milliseconds)
PIXEL_EARLY = 0.002  # a pixel step may come this much before its interval is up: a little early, not a frame late


class Stepper(Protocol):
    """One target of the fit process, as the paced loop sees it."""

    name: str  # how a message about it starts ("The fit")
    pacing: Pacing  # its own frame beat and chunk of stepping

    def handle(self, command) -> None: ...  # a command of its own (not Run, Step, Pace or Reset)
    def reset(self) -> None: ...  # back to step 0 at the next apply
    def pending(self) -> bool: ...  # commands wait to be applied
    def apply(self) -> bool: ...  # apply them; True if the state changed
    def ready(self) -> bool: ...  # there is something to step
    def step(self) -> bool: ...  # one step; False if it cannot go on (it diverged)
    def side_step(self, now: float, force: bool) -> bool: ...  # slower work beside the steps; True if any
    def snapshot(self): ...  # its state now, frozen, to send


class FitStepper:
    """The data-space fit and, following it, the selected loss fitted in pixel space."""

    name = "The fit"
    pacing = Pacing(frame_interval=1 / 60, chunk_seconds=0.010)

    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str = "cars",
                 span: tuple | None = None) -> None:
        from engine.fit.fit import Fit  # torch: only once the service is built, in the fit process

        self.fit = Fit(samples, mixture, settings, span=span)
        self.control = FitControl()
        self.decoder = decoder
        self.span = span
        self._pixel = None
        self._pixel_key = None
        self._pixel_last = -math.inf
        self._sync_pixel_fit()

    def handle(self, command: Data | Settings | Decoder) -> None:
        match command:
            case Data(samples=samples, mixture=mixture):
                self.control.set_data(samples, mixture)
            case Settings(settings=settings):
                self.control.set_settings(settings)
            case Decoder(name=name, span=span):
                self.decoder, self.span, self._pixel, self._pixel_key = name, span, None, None
                self.control.set_span(span)

    def reset(self) -> None:
        self.control.reset()

    def pending(self) -> bool:
        return self.control.pending()

    def apply(self) -> bool:
        if not self.control.pending():
            return False
        self.control.apply(self.fit)
        self._sync_pixel_fit()
        return True

    def ready(self) -> bool:
        return True

    def step(self) -> bool:
        return self.fit.step()  # False: diverged, back at its last good state with a message

    def snapshot(self):
        return self.fit.snapshot(pixel=None if self._pixel is None else self._pixel.result())

    # -- the pixel-space fit, alongside the main one ------------------------------------------------
    def side_step(self, now: float, force: bool) -> bool:
        """A step of the pixel-space fit, about thirty a second (or now, if forced) until it settles."""
        changed = self._sync_pixel_fit()
        if self._pixel is None or (self._pixel.settled and not force):
            return changed
        if force or now - self._pixel_last >= PIXEL_INTERVAL - PIXEL_EARLY:
            self._pixel_last = now
            self._pixel.step()
            return True
        return changed

    def _sync_pixel_fit(self) -> bool:
        """Follow the main fit: new data images after a data change, a fresh grey image after a reset
        or a new loss, none for a loss without a pixel-space form. True if it changed."""
        from engine.fit.pixel import PixelFit, data_images_for

        fit = self.fit
        key = (fit.data_version, fit.settings.loss, fit.resets, self.decoder)
        if key == self._pixel_key:
            return False
        old, self._pixel_key = self._pixel_key, key
        if loss_info(fit.settings.loss).pixel is None:
            self._pixel = None
        else:
            images = data_images_for(fit.samples, self.decoder, span=self.span)
            if self._pixel is not None and old is not None and old[1:] == key[1:]:
                self._pixel.set_images(images)  # only the data moved: go on from the current image
            else:
                self._pixel = PixelFit(images, fit.settings.loss)
        return True


class DigitStepper:
    """The network on real digits: built on the first DigitsSettings, so a window that never shows the
    real images never pays for them."""

    name = "The digit network"
    pacing = Pacing(frame_interval=1 / 12, chunk_seconds=0.008)  # small pictures, but figures that cost

    def __init__(self) -> None:
        self.trainer = None
        self.settings: DigitsSettings | None = None
        self._waiting: DigitsSettings | None = None
        self._reset = False

    def handle(self, command: DigitsSettings) -> None:
        self._waiting = command

    def reset(self) -> None:
        self._reset = True

    def pending(self) -> bool:
        return self._waiting is not None or (self._reset and self.settings is not None)

    def apply(self) -> bool:
        """A new task, loss, seed or generator is a fresh network; a new weight changes the running one's mix."""
        new, self._waiting = self._waiting, None
        fresh, self._reset = self._reset, False
        changed = False
        if new is not None:
            old, self.settings = self.settings, new
            if self.trainer is not None and (old.task, old.loss, old.seed, old.generator) == (
                    new.task, new.loss, new.seed, new.generator):
                self.trainer.set_adversarial_weight(new.adversarial_weight)
                changed = True
            else:
                fresh = True
        if fresh and self.settings is not None:
            from engine.fit.digits import DigitTrainer  # torch and the digits, only once asked for

            s = self.settings
            self.trainer = DigitTrainer(s.task, s.loss, s.seed, s.adversarial_weight, generator=s.generator)
            changed = True
        return changed

    def ready(self) -> bool:
        return self.trainer is not None

    def step(self) -> bool:
        self.trainer.step()
        return True

    def side_step(self, now: float, force: bool) -> bool:
        return False

    def snapshot(self):
        return self.trainer.snapshot()
