"""Shared helpers of the engine tests: running a fit, and independent reference computations to check it against.

The references here deliberately share no code with `engine.maths.stats` or `engine.model.theory`: each
is the textbook algorithm (EM, Lloyd, a direct minimisation of the objective) written anew,
so a wrong answer in the engine cannot be confirmed by the same wrong answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import torch
from scipy import optimize
from scipy.cluster.vq import kmeans2
from scipy.special import logsumexp

from engine.model.estimate import Estimate
from engine.fit.fit import Fit, FitSettings, run
from engine.model.mixture import Mixture
from engine.model.scene import Scene, bundled_scene


@dataclass
class FitRun:
    """A finished fit with the samples it saw and the estimates of its last steps."""

    samples: np.ndarray
    mixture: Mixture
    fit: Fit
    tail: list[Estimate]  # estimates of the last `tail` steps, oldest first

    @property
    def estimate(self) -> Estimate:
        return self.fit.estimate


def scene(scene_id: str, samples: int = 1000) -> Scene:
    return bundled_scene(scene_id).with_(samples=samples)


def fit_scene(scene_id: str, loss: str, steps: int, *, samples: int = 1000, tail: int = 1, **settings) -> FitRun:
    """Run `loss` on a bundled scene (with fewer samples, for speed) for `steps` steps."""
    sc = scene(scene_id, samples)
    x = sc.draw()
    fit = Fit(x, sc.mixture, FitSettings(loss=loss, **settings))
    estimates: list[Estimate] = []
    for snap in run(fit, steps=steps):
        assert not snap.diverged, snap.message
        estimates.append(snap.estimate)
        del estimates[:-tail]
    assert fit.step_count == steps
    return FitRun(x, sc.mixture, fit, estimates)


def match_rows(found: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """`found` reordered so that row i is the one closest to `expected[i]` (optimal assignment)."""
    cost = np.linalg.norm(found[:, None, :] - expected[None, :, :], axis=-1)
    rows, cols = optimize.linear_sum_assignment(cost)
    out = np.empty_like(found)
    out[cols] = found[rows]
    return out


# -- point estimates: minimise the objective directly ------------------------------------------
def mean_distance(mu: np.ndarray, x: np.ndarray) -> float:
    return float(np.linalg.norm(x - mu, axis=1).mean())


def huber_objective(mu: np.ndarray, x: np.ndarray, delta: float) -> float:
    """The mean Huber loss of the residual lengths |x - mu| (the norm-based form, as in the brief)."""
    a = np.linalg.norm(x - mu, axis=1)
    return float(np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta)).mean())


def argmin_point(objective, x: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The minimiser of a convex objective of one point, by Nelder-Mead to a tight tolerance."""
    res = optimize.minimize(
        objective, start, args=(x,), method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-13, "maxiter": 20000, "maxfev": 40000},
    )
    assert res.success, res.message
    return res.x


# -- clusters: EM and k-means ---------------------------------------------------------------------
def lloyd_kmeans(x: np.ndarray, k: int, restarts: int = 30, seed: int = 0) -> tuple[np.ndarray, float]:
    """The best of many scipy k-means++ runs: (centres, mean squared distance to the nearest centre)."""
    rng = np.random.default_rng(seed)
    best, best_cost = None, np.inf
    for _ in range(restarts):
        centres, _ = kmeans2(x, k, minit="++", iter=300, seed=rng)
        cost = float(((x[:, None, :] - centres[None]) ** 2).sum(-1).min(axis=1).mean())
        if cost < best_cost:
            best, best_cost = centres, cost
    return best, best_cost


def em_mixture(x: np.ndarray, mixture: Mixture, iters: int = 500) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum likelihood Gaussian mixture of x by EM, started from the true components.

    Returns (weights, means, covs); the likelihood's local optimum next to the truth,
    which is where a mixture fit must end.
    """
    n, d = x.shape
    w, mu, cov = mixture.weights.copy(), mixture.means.copy(), mixture.covs.copy()
    for _ in range(iters):
        log_r = np.stack([_log_normal(x, m, c) for m, c in zip(mu, cov)], axis=1) + np.log(w)
        r = np.exp(log_r - logsumexp(log_r, axis=1, keepdims=True))
        nk = r.sum(axis=0)
        new_mu = (r.T @ x) / nk[:, None]
        diff = x[None, :, :] - new_mu[:, None, :]
        cov = np.einsum("nk,kni,knj->kij", r, diff, diff) / nk[:, None, None]
        w = nk / n
        if np.abs(new_mu - mu).max() < 1e-12:
            mu = new_mu
            break
        mu = new_mu
    return w, mu, cov


def _log_normal(x: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    d = x.shape[1]
    inv = np.linalg.inv(cov)
    q = np.einsum("ni,ij,nj->n", x - mean, inv, x - mean)
    return -0.5 * (q + np.log(np.linalg.det(cov)) + d * np.log(2 * np.pi))


# -- reverse KL: quadrature and a local minimisation --------------------------------------------
def reverse_kl(mean: np.ndarray, tril: np.ndarray, mixture: Mixture, nodes: int = 40) -> float:
    """KL(q || p) for q = N(mean, tril tril^T) against the mixture p, by Gauss-Hermite quadrature."""
    d = mean.size
    z1, w1 = np.polynomial.hermite_e.hermegauss(nodes)  # weight exp(-z^2 / 2)
    w1 = w1 / w1.sum()
    grids = np.meshgrid(*([z1] * d), indexing="ij")
    z = np.stack([g.ravel() for g in grids], axis=1)
    w = np.prod(np.meshgrid(*([w1] * d), indexing="ij"), axis=0).ravel()
    points = mean + z @ tril.T
    entropy = 0.5 * d * np.log(2 * np.pi * np.e) + np.log(np.abs(np.diag(tril))).sum()
    return float(-entropy - w @ mixture.log_pdf(points))


def reverse_kl_optimum(mixture: Mixture, start_mean: np.ndarray, start_cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Gaussian with the least KL(q || p) next to a start: (mean, cov)."""
    d = start_mean.size
    rows, cols = np.tril_indices(d)

    def unpack(theta):
        tril = np.zeros((d, d))
        tril[rows, cols] = theta[d:]
        tril[np.diag_indices(d)] = np.exp(np.diag(tril))
        return theta[:d], tril

    chol = np.linalg.cholesky(start_cov)
    raw = chol.copy()
    raw[np.diag_indices(d)] = np.log(np.diag(chol))
    theta0 = np.concatenate([start_mean, raw[rows, cols]])
    res = optimize.minimize(lambda t: reverse_kl(*unpack(t), mixture), theta0, method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
    mean, tril = unpack(res.x)
    return mean, tril @ tril.T


def mahalanobis_to_components(points: np.ndarray, mixture: Mixture) -> np.ndarray:
    """Distance of every point to every component in that component's standard deviations, (n, K)."""
    out = []
    for comp in mixture.components:
        inv = np.linalg.inv(comp.cov)
        diff = points - comp.mean
        out.append(np.sqrt(np.einsum("ni,ij,nj->n", diff, inv, diff)))
    return np.stack(out, axis=1)
