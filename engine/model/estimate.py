"""What the fit produces: the estimate, one class per kind of model, and the snapshot; frozen, numpy copies.

Everything that depends on the kind of model (what it predicts, how it is drawn, how it is sampled,
its JSON) is a method of its estimate class, so no reader switches on the kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from engine.maths.grid import Grid
from engine.model.mixture import Component, Mixture

# The variance of the Gaussian that an L2 fit is the maximum likelihood of (the essay's sigma = 1).
FIXED_VARIANCE = 1.0
# Points per axis of the grid a distribution's mode and annealed mean are read from.
ANSWER_GRID = {1: 2049, 2: 161}

Bell = tuple[float, np.ndarray, np.ndarray]  # (weight, mean, covariance) of a Gaussian the estimate is drawn as


def _frozen(a: Any, dtype: Any = float) -> np.ndarray | None:
    if a is None:
        return None
    out = np.array(a, dtype=dtype)  # always a copy
    out.flags.writeable = False
    return out


def _read_only(state: dict) -> dict:
    """A pickled object's fields with every array read-only again (pickling drops the flag)."""
    for value in state.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return state


def psd(cov: np.ndarray) -> np.ndarray:
    """A covariance nudged to be safely positive definite for a Cholesky factor."""
    cov = 0.5 * (cov + cov.T)
    return cov + 1e-9 * np.eye(len(cov))


def _uniform(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return points, np.full(len(points), 1.0 / len(points))


@dataclass(frozen=True, eq=False)
class Estimate:
    """The fitted model in numbers. `mean` is its centre, the point whose drift the trail shows.

    Each kind below adds behaviour, never a field, so it inherits these fields, `__init__` and the frozen
    attributes as they are: decorating it again would only generate the same methods anew (~0.4 ms a class,
    on the way to the window's first paint)."""

    kind: ClassVar[str] = ""  # point | gaussian | mixture | points | samples
    single: ClassVar[bool] = False  # one prediction (a point or one Gaussian): its drift is the story

    mean: np.ndarray
    cov: np.ndarray | None = None
    weights: np.ndarray | None = None  # mixture: component weights
    means: np.ndarray | None = None  # mixture: component means (K, dim)
    covs: np.ndarray | None = None  # mixture: component covariances (K, dim, dim)
    points: np.ndarray | None = None  # min_of_k: hypotheses (K, dim)
    samples: np.ndarray | None = None  # adversarial: generated samples (n, dim)

    _ARRAYS: ClassVar[tuple[str, ...]] = ("mean", "cov", "weights", "means", "covs", "points", "samples")

    def __post_init__(self) -> None:
        for name in self._ARRAYS:
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __setstate__(self, state: dict) -> None:  # frozen on arrival from the fit process, too
        self.__dict__.update(_read_only(state))

    @property
    def dim(self) -> int:
        return self.mean.size

    def is_finite(self) -> bool:
        return all(v is None or bool(np.all(np.isfinite(v))) for v in (getattr(self, n) for n in self._ARRAYS))

    def predictions(self) -> tuple[np.ndarray, np.ndarray]:
        """What the model predicts, as weighted points (what one would decode to an image)."""
        return self.mean[None, :], np.ones(1)

    def bells(self) -> list[Bell]:
        """The Gaussians the estimate is drawn as (none for points or samples)."""
        return []

    def marks(self) -> np.ndarray:
        """Where to mark the estimate's predictions on the data, (m, dim)."""
        return self.mean[None, :]

    def draws(self, normals: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        """Samples of the fitted model from fixed noise (normals (n, dim), uniforms (n,)), so they move
        smoothly from one frame to the next."""
        raise NotImplementedError

    def shown(self, limit: int) -> tuple[np.ndarray, list[str]]:
        """At most `limit` points that stand for the model's answer, with a caption each."""
        return self.mean[None, :], ["its mean"]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "mean": self.mean.tolist()}

    # -- a distribution: the decoding dial, mode coverage and the JS divergence read these ----------
    distribution: ClassVar[bool] = False  # the model gives a distribution over the data space, not points

    def box(self) -> tuple[np.ndarray, np.ndarray]:
        """A box that holds (nearly) all of the model's mass."""
        lo = [m - 6.0 * np.sqrt(np.diag(c)) for _, m, c in self.bells()]
        hi = [m + 6.0 * np.sqrt(np.diag(c)) for _, m, c in self.bells()]
        return np.min(lo, axis=0), np.max(hi, axis=0)

    def mass_on(self, grid: Grid) -> tuple[np.ndarray, float]:
        """(the model's probability mass at each grid point, the mass outside the grid's box)."""
        points = grid.points()
        density = np.zeros(len(points))
        for w, m, c in self.bells():
            chol = np.linalg.cholesky(psd(c))
            z = np.linalg.solve(chol, (points - m).T)
            norm = np.prod(np.diag(chol)) * (2 * np.pi) ** (self.dim / 2)
            density += w * np.exp(-0.5 * (z**2).sum(axis=0)) / norm
        mass = density.reshape(grid.shape) * grid.cell
        inside = float(mass.sum())
        if inside > 1.0:  # a model narrower than a grid step: the midpoint rule overshoots
            mass, inside = mass / inside, 1.0
        return mass, max(1.0 - inside, 0.0)

    def bandwidth(self) -> np.ndarray:
        """How wide a kernel its density is smoothed with on a grid: zero for a model with a density."""
        return np.zeros(self.dim)

    def mode(self) -> np.ndarray:
        """Where the model's density is highest."""
        return self._answers[0]

    def annealed_mean(self, temperature: float) -> np.ndarray:
        """The mean of the model's density raised to 1/T and renormalised (Zhang, Isola & Efros 2016):
        T = 1 is the mean, T -> 0 the mode."""
        grid, density = self._answers[1], self._answers[2]
        log = np.log(np.maximum(density, 1e-300)) / temperature
        weights = np.exp(log - log.max()).reshape(-1)
        return weights @ grid.points() / weights.sum()

    @cached_property
    def _answers(self) -> tuple[np.ndarray, Grid, np.ndarray]:
        """(the densest grid point, the grid over the model's own box, its density there), computed once."""
        lo, hi = self.box()
        grid = Grid.over(lo, hi, ANSWER_GRID[self.dim])
        mass, _ = self.mass_on(grid)
        density = grid.smooth(mass, self.bandwidth())
        return grid.points()[int(np.argmax(density))], grid, density


class PointEstimate(Estimate):
    """One point, drawn as the fixed-variance Gaussian that L2 is the likelihood of."""

    kind: ClassVar[str] = "point"
    single: ClassVar[bool] = True

    def _fixed(self) -> np.ndarray:
        """The fixed covariance it is drawn with: the fixed variance, in the units it was fitted in
        (`cov` holds it when the estimate was mapped to other units, engine.model.units)."""
        return FIXED_VARIANCE * np.eye(self.dim) if self.cov is None else self.cov

    def bells(self) -> list[Bell]:
        return [(1.0, self.mean, self._fixed())]

    def draws(self, normals: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        return self.mean + normals @ np.linalg.cholesky(psd(self._fixed())).T

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "cov": self._fixed().tolist(), "fixed_variance": True}


class GaussianEstimate(Estimate):
    """One Gaussian with a learned covariance."""

    kind: ClassVar[str] = "gaussian"
    single: ClassVar[bool] = True

    def bells(self) -> list[Bell]:
        return [(1.0, self.mean, self.cov)]

    def draws(self, normals: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        return self.mean + normals @ np.linalg.cholesky(psd(self.cov)).T

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "cov": self.cov.tolist()}

    distribution: ClassVar[bool] = True

    def mode(self) -> np.ndarray:
        return self.mean.copy()

    def annealed_mean(self, temperature: float) -> np.ndarray:
        return self.mean.copy()  # N(mu, S)^(1/T), renormalised, is N(mu, T S): the same centre at every T


class MixtureEstimate(Estimate):
    """K weighted Gaussians; `mean` is their weighted mean."""

    kind: ClassVar[str] = "mixture"

    def predictions(self) -> tuple[np.ndarray, np.ndarray]:
        return self.means, self.weights

    def bells(self) -> list[Bell]:
        return [(float(w), m, c) for w, m, c in zip(self.weights, self.means, self.covs)]

    def marks(self) -> np.ndarray:
        return self.means

    def draws(self, normals: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        k = np.searchsorted(np.cumsum(self.weights), uniforms * self.weights.sum())
        k = np.minimum(k, len(self.weights) - 1)
        chol = np.linalg.cholesky(np.array([psd(c) for c in self.covs]))
        return self.means[k] + np.einsum("nij,nj->ni", chol[k], normals)

    def shown(self, limit: int) -> tuple[np.ndarray, list[str]]:
        order = np.argsort(-self.weights)[:limit]
        return self.means[order], [f"weight {self.weights[k]:.2f}" for k in order]

    def to_json(self) -> dict[str, Any]:
        components = [{"weight": float(w), "mean": m.tolist(), "cov": c.tolist()}
                      for w, m, c in zip(self.weights, self.means, self.covs)]
        return {**super().to_json(), "components": components}

    distribution: ClassVar[bool] = True

    def mode(self) -> np.ndarray:
        """The densest point of a grid, climbed to the mode exactly by mean shift (engine.model.mixture)."""
        mixture = Mixture(tuple(Component(w, m, psd(c)) for w, m, c in zip(self.weights, self.means, self.covs)))
        return mixture.climb(super().mode())


class PointsEstimate(Estimate):
    """K point hypotheses; `mean` is their average."""

    kind: ClassVar[str] = "points"

    def predictions(self) -> tuple[np.ndarray, np.ndarray]:
        return _uniform(self.points)

    def marks(self) -> np.ndarray:
        return self.points

    def draws(self, normals: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        return self.points[np.arange(len(normals)) % len(self.points)]

    def shown(self, limit: int) -> tuple[np.ndarray, list[str]]:
        points = self.points[:limit]
        return points, [f"guess {k + 1}" for k in range(len(points))]

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "points": self.points.tolist()}


class SamplesEstimate(Estimate):
    """Samples of a generator; `mean` is their average."""

    kind: ClassVar[str] = "samples"

    def predictions(self) -> tuple[np.ndarray, np.ndarray]:
        return _uniform(self.samples)

    def marks(self) -> np.ndarray:
        return np.empty((0, self.dim))  # a generator predicts its samples, drawn as dots, not its mean

    def draws(self, normals: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        return self.samples[: len(normals)]

    def shown(self, limit: int) -> tuple[np.ndarray, list[str]]:
        samples = self.samples[:limit]
        return samples, [f"sample {k + 1}" for k in range(len(samples))]

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "samples": self.samples.tolist()}

    distribution: ClassVar[bool] = True

    def box(self) -> tuple[np.ndarray, np.ndarray]:
        reach = 4.0 * self.bandwidth()
        return self.samples.min(axis=0) - reach, self.samples.max(axis=0) + reach

    def mass_on(self, grid: Grid) -> tuple[np.ndarray, float]:
        return grid.bin(self.samples)

    def bandwidth(self) -> np.ndarray:
        """The samples' density is smoothed this wide along each axis: Silverman's rule of thumb (his 1986
        book, eq. 3.31), with the exponent -1/(d + 4) of its d-dimensional form."""
        n = len(self.samples)
        q75, q25 = np.percentile(self.samples, [75, 25], axis=0)
        spread = np.minimum(self.samples.std(axis=0), (q75 - q25) / 1.34)
        return 0.9 * np.maximum(spread, 1e-3) * n ** (-1 / (4 + self.dim))


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One moment of the fit, safe to hand to another thread or process."""

    step: int  # optimizer steps taken since the last reset
    loss_id: str
    loss: float  # the loss at this step (nan before the first step)
    estimate: Estimate
    trail: np.ndarray  # recent positions of the estimate's mean, oldest first (n, dim)
    losses: np.ndarray  # recent loss values, oldest first
    data_version: int  # which data the fit has seen (rises with every data change)
    diverged: bool = False
    message: str = ""
    pixel: np.ndarray | None = None  # the loss's answer in pixel space (H, W, 3) float32, if it has one

    def __post_init__(self) -> None:
        object.__setattr__(self, "trail", _frozen(self.trail))
        object.__setattr__(self, "losses", _frozen(self.losses))
        object.__setattr__(self, "pixel", _frozen(self.pixel, np.float32))

    def __getstate__(self) -> dict:
        # The pixel-space answer travels as float16 (37 KB, not 74; finer than the 8 bits it is shown in):
        # a frame then fits in a pipe's 64 KB buffer, so the fit process never waits for the window to read.
        state = dict(self.__dict__)
        if self.pixel is not None:
            state["pixel"] = self.pixel.astype(np.float16)
        return state

    def __setstate__(self, state: dict) -> None:  # frozen on arrival from the fit process, too
        if state.get("pixel") is not None:
            state["pixel"] = state["pixel"].astype(np.float32)
        self.__dict__.update(_read_only(state))


@dataclass(frozen=True, eq=False)
class FittedModel:
    """A model the fit trains, as the registry names it without importing torch: the class of
    engine.fit.models that says it `fits` this object trains it, and gives estimates of `estimate`'s kind."""

    about: str
    estimate: type[Estimate]


POINT_MODEL = FittedModel("one point", PointEstimate)
GAUSSIAN_MODEL = FittedModel("a Gaussian with learned mean and covariance, by likelihood", GaussianEstimate)
REVERSE_KL_MODEL = FittedModel("a Gaussian fitted by KL(q||p) against the known density", GaussianEstimate)
MIXTURE_MODEL = FittedModel("a K-component Gaussian mixture", MixtureEstimate)
MIN_OF_K_MODEL = FittedModel("K point hypotheses, winner takes all", PointsEstimate)
ADVERSARIAL_MODEL = FittedModel("a generator against a discriminator", SamplesEstimate)
