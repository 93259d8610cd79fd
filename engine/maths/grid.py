"""A regular grid over a box in one or two dimensions: its points, samples binned onto it, and Gaussian
smoothing along its axes (a binned kernel density estimate).

In 2-D the values of a grid are an array of shape (len(y), len(x)): rows along y, as images and the
command line's JSON have them. Linear binning shares each sample between its neighbouring grid points
so that the binned mass keeps the samples' mean exactly (Wand & Jones 1995, "Kernel Smoothing", 2.6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Grid:
    """An evenly spaced grid over a box of the data space, one axis per dimension."""

    axes: tuple[np.ndarray, ...]  # one increasing, evenly spaced array per dimension (x, then y)

    @classmethod
    def over(cls, lo, hi, points: int) -> Grid:
        """`points` evenly spaced values per axis from lo to hi (each a number per dimension)."""
        lo, hi = np.atleast_1d(np.asarray(lo, dtype=float)), np.atleast_1d(np.asarray(hi, dtype=float))
        return cls(tuple(np.linspace(a, b, points) for a, b in zip(lo, hi)))

    @property
    def dim(self) -> int:
        return len(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the grid's values: (x,) in 1-D, (y, x) in 2-D."""
        return tuple(len(a) for a in reversed(self.axes))

    @property
    def steps(self) -> np.ndarray:
        return np.array([a[1] - a[0] for a in self.axes])

    @property
    def cell(self) -> float:
        """The length (1-D) or area (2-D) that each grid point stands for."""
        return float(np.prod(self.steps))

    @property
    def lo(self) -> np.ndarray:
        return np.array([a[0] for a in self.axes])

    @property
    def hi(self) -> np.ndarray:
        return np.array([a[-1] for a in self.axes])

    def points(self) -> np.ndarray:
        """Every grid point, (m, dim), in the order of the values' flattening (x fastest)."""
        if self.dim == 1:
            return self.axes[0][:, None]
        xx, yy = np.meshgrid(self.axes[0], self.axes[1])
        return np.column_stack([xx.ravel(), yy.ravel()])

    def contains(self, points: np.ndarray) -> np.ndarray:
        """Which points lie inside the grid's box."""
        return np.all((points >= self.lo) & (points <= self.hi), axis=1)

    def bin(self, samples: np.ndarray) -> tuple[np.ndarray, float]:
        """(the share of the samples at each grid point, the share outside the box), by linear binning."""
        samples = np.asarray(samples, dtype=float)
        inside = self.contains(samples)
        mass = np.zeros(self.shape)
        if len(samples) == 0:
            return mass, 0.0
        x = (samples[inside] - self.lo) / self.steps  # in grid steps from the low corner
        base = np.minimum(np.floor(x).astype(int), np.array(self.shape[::-1]) - 2)
        frac = x - base
        flat = mass.reshape(-1)
        for corner in range(2**self.dim):
            offset = np.array([(corner >> k) & 1 for k in range(self.dim)])
            weight = np.prod(np.where(offset, frac, 1.0 - frac), axis=1)
            index = base + offset
            linear = index[:, 0] if self.dim == 1 else index[:, 1] * self.shape[1] + index[:, 0]
            flat += np.bincount(linear, weights=weight, minlength=flat.size)
        n = len(samples)
        return mass / n, float((n - inside.sum()) / n)

    def smooth(self, mass: np.ndarray, bandwidth: np.ndarray) -> np.ndarray:
        """`mass` spread by a Gaussian of standard deviation `bandwidth[k]` along axis k; none is lost
        at the edges (what would fall off is shared among the points that stay)."""
        out = np.asarray(mass, dtype=float)
        for k, (step, h) in enumerate(zip(self.steps, np.atleast_1d(bandwidth))):
            if h <= 0:
                continue
            axis = self.dim - 1 - k  # x runs along the last axis of the values
            reach = int(np.ceil(4.0 * h / step))
            kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) * step / h) ** 2)
            kept = _convolve(np.ones(out.shape[axis]), kernel, 0)  # how much of each point's kernel is on the grid
            shape = [1] * out.ndim
            shape[axis] = -1
            out = _convolve(out / kept.reshape(shape), kernel, axis)
        return out


def _convolve(values: np.ndarray, kernel: np.ndarray, axis: int) -> np.ndarray:
    """`values` convolved with a symmetric `kernel` along `axis`, keeping the shape (zeros beyond the edges)."""
    reach = len(kernel) // 2
    n = values.shape[axis]
    pad = [(0, 0)] * values.ndim
    pad[axis] = (reach, reach)
    padded = np.moveaxis(np.pad(values, pad), axis, 0)
    out = np.zeros_like(np.moveaxis(values, axis, 0))
    for offset, weight in enumerate(kernel):
        out += weight * padded[offset:offset + n]
    return np.moveaxis(out, 0, axis)
