"""The tug of war: how hard each sample pulls on the prediction of a loss of one point.

A sample's pull is minus the gradient of its penalty with respect to the prediction mu: with
s = |x - mu|^2 and the loss's penalty rho(s) (its registry entry's `penalty_for`), it is 2 rho'(s) (x - mu).
L2's pull grows with the distance (far samples pull hardest), L1's is a unit vector (every sample pulls as hard), Huber's grows
up to delta and then stays (capped). The net pull is their mean over every sample: the direction the
fit steps in, zero at the loss's optimum. rho' is taken by a central difference of the registry's
own penalty, so no loss is written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Penalty = Callable[[Any], Any]  # a loss's penalty of a squared distance, with its parameters' values bound

SHOWN = 40  # samples whose pulls are drawn: enough to see the pattern, few enough to read
_SEED = 7  # which samples are drawn is fixed, so the arrows move smoothly with the fit


@dataclass(frozen=True, eq=False)
class Pulls:
    """The tug of war at a prediction: each drawn sample's pull on it, and the net pull of all of them."""

    prediction: np.ndarray  # (dim,)
    samples: np.ndarray  # the samples whose pulls are drawn, (m, dim)
    vectors: np.ndarray  # each one's pull on the prediction, (m, dim)
    net: np.ndarray  # the mean pull of every sample, (dim,)

    def shares(self) -> np.ndarray:
        """Each drawn sample's share of the drawn pulls' total strength (they sum to 1)."""
        strength = np.linalg.norm(self.vectors, axis=1)
        total = strength.sum()
        return strength / total if total > 0 else strength


def shown_indices(n: int, count: int = SHOWN) -> np.ndarray:
    """Which of n samples have their pull drawn: a fixed random subset (the same for the same n)."""
    return np.sort(np.random.default_rng(_SEED).choice(n, size=min(count, n), replace=False))


def pull_vectors(penalty: Penalty, x: np.ndarray, prediction: np.ndarray) -> np.ndarray:
    """The pull of each row of x on the prediction, (n, dim)."""
    off = x - prediction
    s = (off * off).sum(axis=1)
    h = 1e-5 * s  # a central difference, relative, so the penalty is only asked about squares above 0
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(s > 0, (penalty(s + h) - penalty(s - h)) / (2 * h), 0.0)
    return 2.0 * slope[:, None] * off


def pulls(penalty: Penalty, samples: np.ndarray, prediction: np.ndarray, count: int = SHOWN) -> Pulls:
    """The pulls of a fixed subset of the samples, and the net pull of all of them."""
    prediction = np.asarray(prediction, dtype=float).reshape(-1)
    shown = samples[shown_indices(len(samples), count)]
    every = pull_vectors(penalty, samples, prediction)
    net = every.mean(axis=0) if len(every) else np.zeros_like(prediction)  # no points, no pull
    return Pulls(prediction, shown, pull_vectors(penalty, shown, prediction), net)
