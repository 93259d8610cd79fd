"""The decoding dial: what a model that gives a distribution answers with, when one answer is asked for.

Its mean (L2's answer, between the modes), its mode (the most likely point), a sample (sharp, but a
different one each time), or the annealed mean of Zhang, Isola & Efros (2016, "Colorful Image
Colorization", section 2.1): the mean of p^(1/T), renormalised. T = 1 is the mean and T -> 0 the mode;
they colourise with T = 0.38, between vivid and consistent. Each estimate class says how it computes
its mode and annealed mean (engine.model.estimate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.io.values import InvalidValue, positive
from engine.model.estimate import Estimate

ANSWERS: dict[str, str] = {  # the dial's choices, and how each is named on screen
    "mean": "its mean",
    "mode": "its mode",
    "sample": "a sample",
    "annealed": "its annealed mean",
}
ZHANG_T = 0.38  # the temperature Zhang et al. colourise with, marked on the dial
LOWEST_T = 0.02  # the dial's coldest setting: near enough the mode, still a mean

_NOISE = np.random.default_rng(38)
SAMPLE_NORMALS = _NOISE.standard_normal((1, 2))  # "a sample" is drawn from fixed noise: it moves with the fit
SAMPLE_UNIFORMS = _NOISE.random(1)


@dataclass(frozen=True)
class Decoding:
    """A setting of the dial: which answer, and the temperature of the annealed mean."""

    answer: str = "mean"
    temperature: float = ZHANG_T

    def __post_init__(self) -> None:
        if self.answer not in ANSWERS:
            raise InvalidValue(f"answer: unknown answer {self.answer!r}; choose one of {', '.join(ANSWERS)}")
        positive(self.temperature, "temperature")

    def caption(self) -> str:
        """The answer in words, with its temperature when it has one."""
        if self.answer == "annealed":
            return f"{ANSWERS['annealed']}, T = {self.temperature:.2g}"
        return ANSWERS[self.answer]

    def point(self, estimate: Estimate) -> np.ndarray:
        """Where the estimate answers, by this setting, (dim,)."""
        if self.answer == "mode":
            return estimate.mode()
        if self.answer == "sample":
            d = estimate.dim
            return estimate.draws(SAMPLE_NORMALS[:, :d], SAMPLE_UNIFORMS)[0]
        if self.answer == "annealed":
            return estimate.annealed_mean(self.temperature)
        return np.array(estimate.mean, dtype=float)
