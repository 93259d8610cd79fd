"""Gaussian mixtures in one to eight dimensions: sampling, density (in logs, so a point at 1e-12 of the
peak or far below is still exact), moments, median and modes."""

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

    @cached_property
    def _whiten(self) -> tuple[np.ndarray, np.ndarray]:
        """Per component: the inverse Cholesky factor (K, dim, dim) and log N's constant (K,)."""
        chol = np.linalg.cholesky(self.covs)
        inv = np.linalg.inv(chol)
        log_det = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
        return inv, -0.5 * log_det - 0.5 * self.dim * math.log(2 * math.pi)

    def component_log_pdf(self, x: np.ndarray) -> np.ndarray:
        """log N(x | mean_k, cov_k) for every point and component, shape (n, K)."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if x.shape[1] != self.dim and x.shape[0] == self.dim:
            x = x.T
        inv, const = self._whiten
        means = self.means
        out = np.empty((x.shape[0], len(self.components)))
        step = max(1, 2**18 // (len(self.components) * self.dim))  # points per block: a few MB of temporaries
        for start in range(0, x.shape[0], step):
            diff = x[start:start + step, None, :] - means[None]  # (b, K, dim)
            z = np.einsum("kij,bkj->bki", inv, diff)
            out[start:start + step] = -0.5 * np.einsum("bki,bki->bk", z, z) + const
        return out

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        """Log density at each point of x, shape (n,): a log-sum-exp over the components."""
        parts = self.component_log_pdf(x) + np.log(self.weights)
        top = parts.max(axis=1, keepdims=True)
        return (top + np.log(np.exp(parts - top).sum(axis=1, keepdims=True)))[:, 0]

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.log_pdf(x))

    def log_density_fraction(self, x: np.ndarray) -> np.ndarray:
        """log(density at each point / peak density), (n,): exact however rare the point (no underflow)."""
        return self.log_pdf(x) - self.log_peak_density()

    def density_fraction(self, x: np.ndarray) -> np.ndarray:
        """Density at each point as a fraction of the peak density, (n,); 0 only below ~1e-308."""
        return np.exp(self.log_density_fraction(x))

    def nearest_mode_distance(self, x: np.ndarray) -> np.ndarray:
        """Euclidean distance from each point to the nearest mode of the density, (n,)."""
        x = np.atleast_2d(np.asarray(x, dtype=float))
        return np.linalg.norm(x[:, None, :] - self._modes[None], axis=-1).min(axis=1)

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
        """Exact 1-D median (bisection on the CDF); 2-D and up: the geometric median of a large sample."""
        if self.dim >= 2:
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
        the means and is reached from at least one of them. All starts climb at once.
        """
        tol = 1e-3 * max(self._scale, 1e-6) + 1e-6
        found = np.empty((0, self.dim))
        for x in self._climb_all(self.means):
            if not found.size or np.linalg.norm(found - x, axis=1).min() >= tol:
                found = np.vstack([found, x])
        return np.array(sorted(found, key=lambda m: tuple(m)))

    @cached_property
    def _scale(self) -> float:
        return float(np.sqrt(np.min(np.linalg.eigvalsh(self.covs))))

    @cached_property
    def _precisions(self) -> tuple[np.ndarray, np.ndarray]:
        inv = np.linalg.inv(self.covs)
        return inv, np.einsum("kij,kj->ki", inv, self.means)

    def _climb_all(self, starts: np.ndarray) -> np.ndarray:
        """Mean shift from every start at once, (m, dim) -> the modes they climb to, (m, dim)."""
        inv, inv_means = self._precisions
        log_w = np.log(self.weights)
        x = np.array(starts, dtype=float).reshape(-1, self.dim)
        active = np.arange(len(x))
        for _ in range(500):
            log_resp = self.component_log_pdf(x[active]) + log_w
            resp = np.exp(log_resp - log_resp.max(axis=1, keepdims=True))
            a = np.einsum("mk,kij->mij", resp, inv)
            b = resp @ inv_means
            new = np.linalg.solve(a, b[:, :, None])[:, :, 0]
            moved = np.linalg.norm(new - x[active], axis=1)
            x[active] = new
            active = active[moved >= 1e-10 * max(1.0, self._scale)]
            if not active.size:
                break
        return x

    def climb(self, start: np.ndarray) -> np.ndarray:
        """The mode that mean shift climbs to from `start` (Carreira-Perpinan 2000)."""
        return self._climb_all(np.asarray(start, dtype=float)[None])[0]

    def peak_density(self) -> float:
        """The highest density value (at the highest mode); 0.0 if it is below float range."""
        return math.exp(self._log_peak)

    def log_peak_density(self) -> float:
        """log of the highest density value: the best of the modes mean shift climbs to from every mean."""
        return self._log_peak

    @cached_property
    def _log_peak(self) -> float:
        return float(self.log_pdf(self._modes).max())

    def bounds(self, n_std: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
        """A box that holds every component to n_std standard deviations."""
        stds = np.stack([c.std for c in self.components])
        return (self.means - n_std * stds).min(axis=0), (self.means + n_std * stds).max(axis=0)
