"""Where each loss must end on a set of samples: mean, median, Huber estimate, k-means centres."""

from __future__ import annotations

import numpy as np


def median(x: np.ndarray) -> np.ndarray:
    """1-D: the coordinate median; 2-D: the geometric median (the minimiser of the mean distance)."""
    x = np.asarray(x, dtype=float)
    if x.shape[1] == 1:
        return np.median(x, axis=0)
    return geometric_median(x)


def geometric_median(x: np.ndarray, tol: float = 1e-9, max_iter: int = 2000) -> np.ndarray:
    """Weiszfeld's algorithm, with the Vardi-Zhang guard for an iterate that lands on a sample."""
    x = np.asarray(x, dtype=float)
    y = np.median(x, axis=0)
    for _ in range(max_iter):
        d = np.linalg.norm(x - y, axis=1)
        near = d < 1e-12
        w = 1.0 / np.where(near, 1.0, d)
        w[near] = 0.0
        t = (w[:, None] * x).sum(axis=0) / w.sum()
        if near.any():
            r = np.linalg.norm((w[:, None] * (x - y)).sum(axis=0))
            eta = near.sum()
            gamma = min(1.0, eta / r) if r > 0 else 1.0
            t = (1 - gamma) * t + gamma * y
        if np.linalg.norm(t - y) < tol * (1.0 + np.linalg.norm(y)):
            return t
        y = t
    return y


def huber_location(x: np.ndarray, delta: float, tol: float = 1e-10, max_iter: int = 1000) -> np.ndarray:
    """The Huber M-estimate of location (iteratively reweighted least squares on residual lengths)."""
    x = np.asarray(x, dtype=float)
    y = np.median(x, axis=0) if x.shape[1] == 1 else geometric_median(x)
    for _ in range(max_iter):
        d = np.linalg.norm(x - y, axis=1)
        w = np.where(d <= delta, 1.0, delta / np.maximum(d, 1e-300))
        t = (w[:, None] * x).sum(axis=0) / w.sum()
        if np.linalg.norm(t - y) < tol * (1.0 + np.linalg.norm(y)):
            return t
        y = t
    return y


def kmeans(x: np.ndarray, k: int, seed: int = 0, restarts: int = 8, max_iter: int = 300) -> np.ndarray:
    """Lloyd's k-means with k-means++ seeding; the best of several restarts. Centres sorted by coordinate."""
    x = np.asarray(x, dtype=float)
    rng = np.random.default_rng(seed)
    best, best_cost = None, np.inf
    for _ in range(restarts):
        centres = kmeans_pp(x, k, rng)
        for _ in range(max_iter):
            labels = _squared_distances(x, centres).argmin(axis=1)
            counts = np.bincount(labels, minlength=k)
            sums = np.stack([np.bincount(labels, weights=x[:, j], minlength=k) for j in range(x.shape[1])], axis=1)
            new = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres)
            if np.allclose(new, centres, atol=1e-12, rtol=0):
                break
            centres = new
        cost = ((x - centres[_squared_distances(x, centres).argmin(axis=1)]) ** 2).sum(-1).mean()
        if cost < best_cost:
            best, best_cost = centres, cost
    return np.array(sorted(best, key=lambda c: tuple(c)))


def _squared_distances(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(n, k) squared distances as |x|^2 - 2 x.c + |c|^2: one matrix product, for many centres in many
    dimensions (used to pick the nearest centre; costs are recomputed exactly)."""
    return (x**2).sum(-1)[:, None] - 2.0 * x @ centres.T + (centres**2).sum(-1)[None]


def kmeans_pp(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ seeding (Arthur and Vassilvitskii 2007): spread-out starting centres drawn
    from x; each round keeps the best of a few D^2-weighted candidates, as scikit-learn does."""
    trials = 2 + int(np.log(max(k, 1)))
    centres = [x[rng.integers(len(x))]]
    d2 = ((x - centres[0]) ** 2).sum(-1)
    for _ in range(1, k):
        total = d2.sum()
        p = d2 / total if total > 0 else None
        candidates = x[rng.choice(len(x), size=trials, p=p)]
        cand_d2 = np.minimum(d2[None], ((x[None] - candidates[:, None]) ** 2).sum(-1))
        best = int(cand_d2.sum(axis=1).argmin())
        centres.append(candidates[best])
        d2 = cand_d2[best]
    return np.array(centres, dtype=float)
