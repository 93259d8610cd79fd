"""A Gaussian mixture fitted to points by EM, with the number of components chosen by BIC.

EM in numpy (k-means++ and Lloyd initialisation, full covariances, a few restarts), not scikit-learn:
importing scikit-learn and the SciPy it pulls in takes about 100 MB of the window's memory for good, at
the first painted stroke. The points are standardised first, so the covariance floor means the same at
any scale, and the components come back in the points' own units, sorted along the first axis.
"""

from __future__ import annotations

import numpy as np

from engine.maths.stats import kmeans_pp

MAX_COMPONENTS = 6
MAX_POINTS = 5000  # EM sees at most this many points (a seeded subsample): enough to place six Gaussians
RESTARTS = 2
REG_COVAR = 1e-4  # added to each covariance's diagonal (in standardised units): no component collapses
MAX_ITER = 100
TOL = 1e-3  # stop when the mean log-likelihood per point changes by less than this


def fit_gaussian_mixture(points: np.ndarray, seed: int = 0, max_components: int = MAX_COMPONENTS
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights (K,), means (K, d), covariances (K, d, d)) of the mixture with the lowest BIC, K from 1 to
    max_components (and no more than the points allow)."""
    x = np.asarray(points, dtype=float)
    rng = np.random.default_rng(seed)
    if len(x) > MAX_POINTS:
        x = x[rng.choice(len(x), MAX_POINTS, replace=False)]
    centre, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (x - centre) / scale
    distinct = len(np.unique(z, axis=0))
    best, best_bic = None, np.inf
    for k in range(1, max(1, min(max_components, distinct)) + 1):
        fits = [_em(z, k, rng) for _ in range(RESTARTS)]
        weights, means, covs, log_likelihood = max(fits, key=lambda fit: fit[3])
        bic = -2.0 * log_likelihood + _free_parameters(k, z.shape[1]) * np.log(len(z))
        if bic < best_bic:
            best, best_bic = (weights, means, covs), bic
    weights, means, covs = best
    order = np.argsort(means[:, 0], kind="stable")
    covs = covs[order] * np.outer(scale, scale)[None]
    return weights[order] / weights.sum(), means[order] * scale + centre, 0.5 * (covs + np.swapaxes(covs, 1, 2))


def _free_parameters(k: int, d: int) -> int:
    return k * d * (d + 1) // 2 + k * d + k - 1


def _em(z: np.ndarray, k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """One EM run from a k-means start: (weights, means, covariances, total log-likelihood)."""
    n = len(z)
    centres = kmeans_pp(z, k, rng)
    for _ in range(20):  # a few Lloyd rounds settle the start
        labels = ((z[:, None, :] - centres[None]) ** 2).sum(-1).argmin(axis=1)
        centres = np.array([z[labels == j].mean(axis=0) if np.any(labels == j) else centres[j] for j in range(k)])
    resp = np.zeros((n, k))
    resp[np.arange(n), labels] = 1.0
    previous = -np.inf
    for _ in range(MAX_ITER):
        weights, means, covs = _maximise(z, resp)
        log_joint = _log_gaussians(z, means, covs) + np.log(weights)[None]
        per_point = _logsumexp(log_joint)
        resp = np.exp(log_joint - per_point[:, None])
        mean_ll = per_point.mean()
        if abs(mean_ll - previous) < TOL:
            break
        previous = mean_ll
    return weights, means, covs, float(per_point.sum())


def _maximise(z: np.ndarray, resp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    nk = resp.sum(axis=0) + 10 * np.finfo(float).eps
    means = resp.T @ z / nk[:, None]
    diff = z[None] - means[:, None]  # (k, n, d)
    covs = np.einsum("kn,kni,knj->kij", resp.T, diff, diff) / nk[:, None, None]
    covs += REG_COVAR * np.eye(z.shape[1])[None]
    return nk / len(z), means, covs


def _log_gaussians(z: np.ndarray, means: np.ndarray, covs: np.ndarray) -> np.ndarray:
    """log N(z_n | mean_k, cov_k) for every point and component, (n, k), through Cholesky factors."""
    chol = np.linalg.cholesky(covs)  # (k, d, d)
    diff = z[None] - means[:, None]  # (k, n, d)
    solved = np.linalg.solve(chol, np.swapaxes(diff, 1, 2))  # (k, d, n)
    mahalanobis = (solved**2).sum(axis=1)  # (k, n)
    log_det = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    return (-0.5 * (mahalanobis + log_det[:, None] + z.shape[1] * np.log(2 * np.pi))).T


def _logsumexp(a: np.ndarray) -> np.ndarray:
    top = a.max(axis=1)
    return top + np.log(np.exp(a - top[:, None]).sum(axis=1))
