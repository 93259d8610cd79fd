"""The density of a set of points, by a Gaussian kernel (KDE), in one or two dimensions.

The kernel sum is evaluated on a grid by linear binning and a convolution with the sampled kernel
(Wand 1994), so a million points cost about as much as a thousand; between grid nodes the density is
interpolated. The bandwidth is Silverman's rule of thumb on each axis, with his robust spread (the
smaller of the standard deviation and the interquartile range / 1.349). The rule assumes one
Gaussian and oversmooths several (Silverman 1986, 3.4.2: Old Faithful's two kinds of eruption blur
into one hill with a shoulder), so a caller that knows the components' widths gives that spread
instead (`spread`: the mixture fitted to the points, its within-component standard deviation).
"""

from __future__ import annotations

import numpy as np

GRID_1D = 1024
GRID_2D = 256
CUT = 4.0  # the grid reaches this many bandwidths beyond the outermost points; the kernel is cut there


def bandwidth(points: np.ndarray, spread: np.ndarray | None = None) -> np.ndarray:
    """Silverman's rule of thumb for each axis: 0.9 · spread · n^(-1/5) in 1-D, (4 / (d+2))^(1/(d+4)) ·
    spread · n^(-1/(d+4)) in d dimensions (both are his), never zero."""
    x = np.asarray(points, dtype=float)
    n, d = x.shape
    if spread is None:
        std = x.std(axis=0)
        q75, q25 = np.percentile(x, [75, 25], axis=0)
        spread = np.where((q75 - q25) > 0, np.minimum(std, (q75 - q25) / 1.349), std)
    factor = 0.9 * n ** (-0.2) if d == 1 else (4.0 / (d + 2)) ** (1 / (d + 4)) * n ** (-1 / (d + 4))
    floor = 1e-3 * (1.0 + np.abs(x).max(axis=0))
    return np.maximum(factor * spread, floor)


def _linear_bins(x: np.ndarray, lo: float, step: float, size: int) -> np.ndarray:
    """Fractional grid positions of x split between the two nearest nodes: (index, weight) pairs."""
    pos = (x - lo) / step
    left = np.clip(np.floor(pos).astype(int), 0, size - 2)
    frac = np.clip(pos - left, 0.0, 1.0)
    return left, frac


def _kernel(h: float, step: float) -> np.ndarray:
    half = int(np.ceil(CUT * h / step))
    t = np.arange(-half, half + 1) * step / h
    return np.exp(-0.5 * t * t) / (np.sqrt(2 * np.pi) * h)


def _convolve_same(row: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The convolution of row with a centred kernel, as long as row (numpy's "same" mode is as long as the
    longer of the two, and a few nearly equal points have a kernel wider than their grid)."""
    half = (len(kernel) - 1) // 2
    return np.convolve(row, kernel, mode="full")[half : half + len(row)]


class Kde:
    """A Gaussian KDE of points (n, 1) or (n, 2): `pdf(x)` anywhere, `peak_density()`, and its grid."""

    def __init__(self, points: np.ndarray, spread: np.ndarray | None = None) -> None:
        x = np.asarray(points, dtype=float)
        if x.ndim != 2 or x.shape[1] not in (1, 2) or len(x) == 0:
            raise ValueError(f"a KDE needs points of shape (n, 1) or (n, 2), got {x.shape}")
        self.dim = x.shape[1]
        self.h = bandwidth(x, None if spread is None else np.asarray(spread, dtype=float))
        size = GRID_1D if self.dim == 1 else GRID_2D
        self.lo = x.min(axis=0) - CUT * self.h
        self.hi = x.max(axis=0) + CUT * self.h
        self.axes = [np.linspace(self.lo[k], self.hi[k], size) for k in range(self.dim)]
        self.steps = (self.hi - self.lo) / (size - 1)
        idx, frac = zip(*(_linear_bins(x[:, k], self.lo[k], self.steps[k], size) for k in range(self.dim)))
        counts = np.zeros(size**self.dim)
        if self.dim == 1:
            corners = ((idx[0], 1 - frac[0]), (idx[0] + 1, frac[0]))
        else:
            (i, j), (fi, fj) = idx, frac
            corners = [((i + di) * size + j + dj, wi * wj) for di, wi in ((0, 1 - fi), (1, fi))
                       for dj, wj in ((0, 1 - fj), (1, fj))]
        for flat, weight in corners:  # bincount: far faster than np.add.at on a million points
            counts += np.bincount(flat, weight, minlength=counts.size)
        counts = counts.reshape((size,) * self.dim)
        density = counts / len(x)
        for k in range(self.dim):  # the Gaussian kernel is separable: one 1-D convolution per axis
            kernel = _kernel(self.h[k], self.steps[k]) * self.steps[k]
            density = np.apply_along_axis(_convolve_same, k, density, kernel)
        self.grid = density / np.prod(self.steps)
        self._peak = float(self.grid.max())

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """The density at each row of x (n, dim); zero beyond the grid."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if self.dim == 1:
            return np.interp(x[:, 0], self.axes[0], self.grid, left=0.0, right=0.0)
        u = (x[:, 0] - self.lo[0]) / self.steps[0]
        v = (x[:, 1] - self.lo[1]) / self.steps[1]
        size = self.grid.shape[0]
        inside = (u >= 0) & (u <= size - 1) & (v >= 0) & (v <= size - 1)
        i = np.clip(np.floor(u).astype(int), 0, size - 2)
        j = np.clip(np.floor(v).astype(int), 0, size - 2)
        fu, fv = np.clip(u - i, 0, 1), np.clip(v - j, 0, 1)
        g = self.grid
        value = ((1 - fu) * (1 - fv) * g[i, j] + fu * (1 - fv) * g[i + 1, j]
                 + (1 - fu) * fv * g[i, j + 1] + fu * fv * g[i + 1, j + 1])
        return np.where(inside, value, 0.0)

    def peak_density(self) -> float:
        return self._peak
