"""The lowest value each loss's training objective can reach on the current samples: the loss curve's
marker of the theoretical minimum, which the fit's curve should arrive at. The registry
(engine.model.losses) names each loss's function here; each returns (the value, what it is in words).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from engine.model import landscape

if TYPE_CHECKING:
    from engine.model.losses import Loss
    from engine.model.mixture import Mixture
    from engine.model.settings import FitSettings

Floor = tuple[float, str]


def at_the_optimum(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor:
    """A loss of one point: its penalty averaged over the samples, at the point theory says it ends."""
    point = np.asarray(loss.optimum(mixture, samples, settings)["mean"], dtype=float)
    s = ((samples - point) ** 2).sum(axis=1)
    return float(loss.penalty(s, settings.huber_delta).mean()), f"at {loss.ends_at_in(mixture.dim)}"


def gaussian_likelihood(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor:
    """The Gaussian with the samples' mean and covariance: (d log(2 pi e) + log det C) / 2."""
    d = samples.shape[1]
    cov = np.cov(samples.T, bias=True).reshape(d, d)
    return float(0.5 * (d * math.log(2 * math.pi * math.e) + np.linalg.slogdet(cov)[1])), \
        "at the samples' mean and covariance"


def data_likelihood(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor:
    """The data's own mixture: a fitted mixture can only beat it by what it learns of the samples' noise."""
    return float(-mixture.log_pdf(samples).mean()), "about: the data's own mixture"


def reverse_kl(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor:
    """The best Gaussian on the best mode: in 1-D the landscape's minimum; in 2-D the best of the data's
    own components, KL(N_k || p) by Gauss-Hermite quadrature (an upper bound, close when modes are apart);
    above, the same from fixed normal draws."""
    if mixture.dim == 1:
        found = landscape.compute(loss, samples, mixture, settings, box=mixture.bounds(3.0), points=121)
        return found.lowest, "on its best mode"
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
    return best, "about: a Gaussian on its best mode"


def critic_fooled(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor:
    """The generator's loss -log D(fake) when the critic can no longer tell (D = 1/2, Goodfellow et al. 2014)."""
    return math.log(2.0), "log 2: the critic can no longer tell"


def kmeans_cost(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor:
    """The mean squared distance to the nearest of the k-means centres."""
    centres = np.asarray(loss.optimum(mixture, samples, settings)["points"], dtype=float)
    d2 = ((samples[:, None, :] - centres[None]) ** 2).sum(axis=-1)
    return float(d2.min(axis=1).mean()), "at the k-means centres"
