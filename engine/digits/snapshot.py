"""One moment of a network trained on real digits, frozen and safe to send to the window: what it
draws for each shown input now, with the figures under each picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # named only in a field's type: the window's start-up need not load the digit classifier
    from engine.digits.figures import Figures


def _frozen(a, dtype) -> np.ndarray:
    out = np.array(a, dtype=dtype)  # a copy
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class DigitSnapshot:
    """One frame of the network that trains on real digits, as the real-images view draws it."""

    step: int  # optimiser steps since the last reset
    task: str
    loss_id: str
    loss: float  # the training loss at this step (nan before the first)
    losses: np.ndarray  # recent training losses, oldest first
    pictures: np.ndarray  # (m, n, 28, 28) uint8: per shown input, the network's n pictures (outputs under the given top)
    figures: tuple[tuple[Figures, ...], ...]  # per shown input, per picture
    adversarial_weight: float = 0.0  # the weight the network was trained with (l2_adversarial)

    def __post_init__(self) -> None:
        object.__setattr__(self, "losses", _frozen(self.losses, float))
        object.__setattr__(self, "pictures", _frozen(self.pictures, np.uint8))

    def __setstate__(self, state: dict) -> None:  # read-only again after the pipe
        self.__dict__.update(state)
        for name in ("losses", "pictures"):
            state[name].flags.writeable = False

    def images(self) -> np.ndarray:
        """The pictures as floats in [0, 1], (m, n, 28, 28)."""
        return self.pictures.astype(np.float32) / 255.0

