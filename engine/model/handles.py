"""Where a mixture component's handles sit on the distribution pane, and what a handle's position says about
the component: pure maths, no drawing.

A 1-D component (one marginal of any mixture) has a peak handle at its bell's top, dragged sideways for the
mean and up or down for the weight, and a width handle on the bell's flank one standard deviation out. A 2-D
component has a centre handle and a shape handle at the end of its 2-sigma ellipse's long axis: dragging it
stretches and turns the ellipse. Every inverse keeps the component valid: widths stay above MIN_STD,
weights between MIN_SHARE and 1 - MIN_SHARE, covariances positive definite.
"""

from __future__ import annotations

import math

import numpy as np

MIN_STD = 0.05  # narrower than this, a component is a spike nobody can grab
MIN_SHARE = 0.02  # the least share of the mixture a component's weight is dragged to (and 1 - it the most)
SHAPE_STDS = 2.0  # the shape handle sits on the 2-sigma ellipse
_FLANK = math.exp(-0.5)  # a bell's height one standard deviation from its mean, against its peak


def peak_height(share: float, var: float) -> float:
    """The height of a component's bell at its mean: its share of the mixture over its width."""
    return share / math.sqrt(2 * math.pi * var)


def peak_handle(share: float, mean: float, var: float) -> tuple[float, float]:
    """Where the peak handle of a 1-D component (share, mean, variance) sits."""
    return float(mean), peak_height(share, var)


def width_handle(share: float, mean: float, var: float) -> tuple[float, float]:
    """Where the width handle sits: on the bell's right flank, one standard deviation out."""
    return float(mean + math.sqrt(var)), peak_height(share, var) * _FLANK


def from_peak_handle(x: float, y: float, var: float) -> tuple[float, float]:
    """The mean and share a peak handle dragged to (x, y) asks for, the bell's width unchanged."""
    share = max(y, 0.0) * math.sqrt(2 * math.pi * var)
    return float(x), float(np.clip(share, MIN_SHARE, 1 - MIN_SHARE))


def from_width_handle(x: float, mean: float) -> float:
    """The standard deviation a width handle dragged to x asks for (either side of the mean), at least MIN_STD."""
    return max(abs(float(x) - float(mean)), MIN_STD)


def with_std(cov: np.ndarray, axis: int, std: float) -> np.ndarray:
    """`cov` with the standard deviation along `axis` set to `std` (at least MIN_STD) and its correlations kept:
    the covariance a marginal's width handle asks for."""
    cov = np.array(cov, dtype=float)
    scale = np.ones(len(cov))
    scale[axis] = max(float(std), MIN_STD) / math.sqrt(cov[axis, axis])
    return cov * np.outer(scale, scale)


def marginal(weights: np.ndarray, means: np.ndarray, covs: np.ndarray, axis: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A mixture's marginal along `axis`: each component's share, mean and variance there."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum(), np.asarray(means, dtype=float)[:, axis], np.asarray(covs, dtype=float)[:, axis, axis]


def shape_handle(mean: np.ndarray, cov: np.ndarray) -> tuple[float, float]:
    """Where a 2-D component's shape handle sits: the end of its SHAPE_STDS ellipse's long axis."""
    vals, vecs = np.linalg.eigh(cov)
    end = np.asarray(mean, dtype=float) + SHAPE_STDS * math.sqrt(max(vals[-1], 0.0)) * vecs[:, -1]
    return float(end[0]), float(end[1])


def from_shape_handle(x: float, y: float, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """The covariance a shape handle dragged to (x, y) asks for: the long axis points at the handle and
    reaches it (at least MIN_STD long), the short axis keeps its length unless that would make it the longer."""
    vals, vecs = np.linalg.eigh(cov)
    v = (np.array([x, y], dtype=float) - np.asarray(mean, dtype=float)) / SHAPE_STDS
    length = float(np.linalg.norm(v))
    major = max(length, MIN_STD)
    u = v / length if length > 1e-9 else vecs[:, -1]  # on the centre: keep the direction it had
    minor = min(math.sqrt(max(vals[0], 0.0)), major)
    perp = np.array([-u[1], u[0]])
    return major**2 * np.outer(u, u) + minor**2 * np.outer(perp, perp)


def ellipse(mean: np.ndarray, cov: np.ndarray, n_std: float, points: int = 90) -> tuple[np.ndarray, np.ndarray]:
    """The x and y of `points` points around a 2-D component's `n_std` ellipse, closed."""
    t = np.linspace(0, 2 * np.pi, points)
    vals, vecs = np.linalg.eigh(cov)
    circle = np.stack([np.cos(t), np.sin(t)])
    xy = vecs @ (np.sqrt(np.maximum(vals, 0))[:, None] * circle) * n_std
    return mean[0] + xy[0], mean[1] + xy[1]
