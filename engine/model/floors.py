"""The lowest value each loss's training objective can reach on the current samples: the loss curve's
marker of the theoretical minimum, which the fit's curve should arrive at.

These are the parts the registry (engine.model.losses) names as each loss's floor. Each takes, by keyword,
only what it uses (the samples, the mixture, the loss's end point and penalty) and returns a `Floor`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.model import landscape
from engine.model.mixture import Mixture
from engine.model.theory import EndPoint


@dataclass(frozen=True, eq=False)
class Floor:
    """The lowest a loss's training objective goes on the samples, and what that is in words."""

    value: float
    what: str


def at_the_optimum(*, samples: np.ndarray, end: EndPoint, penalty: Callable[[Any], Any], ends_at: str) -> Floor:
    """A loss of one point: its penalty averaged over the samples, at the point theory says it ends."""
    s = ((samples - end.mean) ** 2).sum(axis=1)
    return Floor(float(penalty(s).mean()), f"at {ends_at}")


def gaussian_likelihood(*, samples: np.ndarray) -> Floor:
    """The Gaussian with the samples' mean and covariance: (d log(2 pi e) + log det C) / 2."""
    d = samples.shape[1]
    cov = np.cov(samples.T, bias=True).reshape(d, d)
    return Floor(float(0.5 * (d * math.log(2 * math.pi * math.e) + np.linalg.slogdet(cov)[1])),
                 "at the samples' mean and covariance")


def data_likelihood(*, samples: np.ndarray, mixture: Mixture) -> Floor:
    """The data's own mixture: a fitted mixture can only beat it by what it learns of the samples' noise."""
    return Floor(float(-mixture.log_pdf(samples).mean()), "about: the data's own mixture")


def reverse_kl(*, samples: np.ndarray, mixture: Mixture) -> Floor:
    """The best Gaussian on the best mode: in 1-D the landscape's minimum; in 2-D the best of the data's
    own components, KL(N_k || p) by Gauss-Hermite quadrature (an upper bound, close when modes are apart);
    above, the same from fixed normal draws."""
    if mixture.dim == 1:
        found = landscape.compute(landscape.REVERSE_KL_BEST_SPREAD, samples, mixture, box=mixture.bounds(3.0),
                                  points=121)
        return Floor(found.lowest, "on its best mode")
    dim = mixture.dim
    comps = mixture.components
    if dim == 2:
        z, w = np.polynomial.hermite_e.hermegauss(12)
        w = w / w.sum()
        zz = np.stack(np.meshgrid(z, z), axis=-1).reshape(-1, 2)
        ww = np.outer(w, w).reshape(-1)
    else:  # above 2-D no product rule fits: fixed normal draws, on the (at most 16) heaviest components
        zz = np.random.default_rng(0).standard_normal((1024, dim))
        ww = np.full(len(zz), 1.0 / len(zz))
        comps = [comps[k] for k in np.argsort(-mixture.weights, kind="stable")[:16]]
    best = math.inf
    for comp in comps:
        chol = np.linalg.cholesky(comp.cov)
        entropy = 0.5 * dim * math.log(2 * math.pi * math.e) + float(np.log(np.diag(chol)).sum())
        best = min(best, -entropy - float(ww @ mixture.log_pdf(comp.mean + zz @ chol.T)))
    return Floor(best, "about: a Gaussian on its best mode")


def critic_fooled() -> Floor:
    """The generator's loss -log D(fake) when the critic can no longer tell (D = 1/2, Goodfellow et al. 2014)."""
    return Floor(math.log(2.0), "log 2: the critic can no longer tell")


def kmeans_cost(*, samples: np.ndarray, end: EndPoint) -> Floor:
    """The mean squared distance to the nearest of the k-means centres."""
    d2 = ((samples[:, None, :] - end.points[None]) ** 2).sum(axis=-1)
    return Floor(float(d2.min(axis=1).mean()), "at the k-means centres")
