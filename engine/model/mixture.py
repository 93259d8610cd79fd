"""Gaussian mixtures in one or two dimensions: sampling, density, moments, median and modes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from engine.maths import stats


@dataclass(frozen=True, eq=False)
class Component:
    """One Gaussian of the mixture. Arrays are read-only copies."""

    weight: float
    mean: np.ndarray
    cov: np.ndarray
    label: str = ""

    def __post_init__(self) -> None:
        mean = np.array(self.mean, dtype=float).reshape(-1)
        cov = np.array(self.cov, dtype=float).reshape(mean.size, mean.size)
        mean.flags.writeable = False
        cov.flags.writeable = False
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "cov", cov)
        object.__setattr__(self, "weight", float(self.weight))

    @property
    def dim(self) -> int:
        return self.mean.size

    @property
    def std(self) -> np.ndarray:
        """Standard deviation along each axis."""
        return np.sqrt(np.diag(self.cov))

    def moved(self, mean=None, weight=None, cov=None) -> Component:
        """A copy with some fields replaced (what a drag produces)."""
        return replace(
            self,
            mean=self.mean if mean is None else mean,
            weight=self.weight if weight is None else weight,
            cov=self.cov if cov is None else cov,
        )


@dataclass(frozen=True, eq=False)
class Mixture:
    """A weighted sum of Gaussians; weights are normalised when read."""

    components: tuple[Component, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "components", tuple(self.components))
        if not self.components:
            raise ValueError("a mixture needs at least one component")
        dims = {c.dim for c in self.components}
        if len(dims) != 1:
            raise ValueError("all components must have the same dimension")

    # -- parameters -------------------------------------------------------------
    @property
    def dim(self) -> int:
        return self.components[0].dim

    @property
    def weights(self) -> np.ndarray:
        w = np.array([c.weight for c in self.components], dtype=float)
        return w / w.sum()

    @property
    def means(self) -> np.ndarray:
        return np.stack([c.mean for c in self.components])

    @property
    def covs(self) -> np.ndarray:
        return np.stack([c.cov for c in self.components])

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.components]

    def with_component(self, index: int, component: Component) -> Mixture:
        parts = list(self.components)
        parts[index] = component
        return Mixture(tuple(parts))

    def added(self, component: Component) -> Mixture:
        return Mixture(self.components + (component,))

    def removed(self, index: int) -> Mixture:
        parts = list(self.components)
        del parts[index]
        return Mixture(tuple(parts))

    # -- sampling and density -------------------------------------------------
    def sample(self, n: int, seed: int) -> np.ndarray:
        """n points, shape (n, dim); the same seed gives the same points."""
        rng = np.random.default_rng(seed)
        which = rng.choice(len(self.components), size=n, p=self.weights)
        out = np.empty((n, self.dim))
        for k, comp in enumerate(self.components):
            idx = np.flatnonzero(which == k)
            if idx.size:
                out[idx] = rng.multivariate_normal(comp.mean, comp.cov, size=idx.size, method="cholesky")
        return out

    def component_log_pdf(self, x: np.ndarray) -> np.ndarray:
        """log N(x | mean_k, cov_k) for every point and component, shape (n, K)."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if x.shape[1] != self.dim and x.shape[0] == self.dim:
            x = x.T
        out = np.empty((x.shape[0], len(self.components)))
        for k, comp in enumerate(self.components):
            chol = np.linalg.cholesky(comp.cov)
            z = np.linalg.solve(chol, (x - comp.mean).T)
            log_det = 2.0 * np.log(np.diag(chol)).sum()
            out[:, k] = -0.5 * (z**2).sum(axis=0) - 0.5 * log_det - 0.5 * self.dim * math.log(2 * math.pi)
        return out

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        """Log density at each point of x, shape (n,)."""
        parts = self.component_log_pdf(x) + np.log(self.weights)
        top = parts.max(axis=1, keepdims=True)
        return (top + np.log(np.exp(parts - top).sum(axis=1, keepdims=True)))[:, 0]

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.log_pdf(x))

    # -- summaries --------------------------------------------------------------
    def mean(self) -> np.ndarray:
        return self.weights @ self.means

    def cov(self) -> np.ndarray:
        """Total covariance: within-component plus between-component spread."""
        mu = self.mean()
        spread = self.means - mu
        return np.einsum("k,kij->ij", self.weights, self.covs) + np.einsum("k,ki,kj->ij", self.weights, spread, spread)

    def cdf_1d(self, x: float) -> float:
        if self.dim != 1:
            raise ValueError("the CDF is defined here for 1-D mixtures only")
        return float(
            sum(
                w * 0.5 * (1.0 + math.erf((x - c.mean[0]) / (math.sqrt(2.0 * c.cov[0, 0]))))
                for w, c in zip(self.weights, self.components)
            )
        )

    def median(self) -> np.ndarray:
        """Exact 1-D median (bisection on the CDF); 2-D: the geometric median of a large sample."""
        if self.dim == 2:
            return stats.geometric_median(self.sample(20000, seed=12345))
        lo, hi = self.bounds(6.0)
        lo, hi = float(lo[0]), float(hi[0])
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            if self.cdf_1d(mid) < 0.5:
                lo = mid
            else:
                hi = mid
        return np.array([0.5 * (lo + hi)])

    def modes(self) -> np.ndarray:
        """Local maxima of the density, shape (m, dim), sorted by the first coordinate (cached)."""
        return self._modes.copy()

    @cached_property
    def _modes(self) -> np.ndarray:
        """Local maxima of the density, shape (m, dim), sorted by the first coordinate.

        Mean-shift fixed-point iteration from every component mean (Carreira-Perpinan 2000)
        finds every mode of a Gaussian mixture, since each mode lies in the convex hull of
        the means and is reached from at least one of them.
        """
        found: list[np.ndarray] = []
        scale = self._scale
        for start in self.means:
            x = self.climb(start)
            if not any(np.linalg.norm(x - f) < 1e-3 * max(scale, 1e-6) + 1e-6 for f in found):
                found.append(x)
        return np.array(sorted(found, key=lambda m: tuple(m)))

    @cached_property
    def _scale(self) -> float:
        return float(np.sqrt(np.min(np.linalg.eigvalsh(self.covs))))

    def climb(self, start: np.ndarray) -> np.ndarray:
        """The mode that mean shift climbs to from `start` (Carreira-Perpinan 2000)."""
        inv = np.linalg.inv(self.covs)
        x = np.array(start, dtype=float)
        for _ in range(500):
            log_resp = self.component_log_pdf(x[None, :])[0] + np.log(self.weights)
            resp = np.exp(log_resp - log_resp.max())
            a = np.einsum("k,kij->ij", resp, inv)
            b = np.einsum("k,kij,kj->i", resp, inv, self.means)
            new = np.linalg.solve(a, b)
            if np.linalg.norm(new - x) < 1e-10 * max(1.0, self._scale):
                return new
            x = new
        return x

    def peak_density(self) -> float:
        """The highest density value (at the highest mode)."""
        return self._peak

    @cached_property
    def _peak(self) -> float:
        return float(self.pdf(self._modes).max())

    def bounds(self, n_std: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
        """A box that holds every component to n_std standard deviations."""
        stds = np.stack([c.std for c in self.components])
        return (self.means - n_std * stds).min(axis=0), (self.means + n_std * stds).max(axis=0)
