"""Where each loss must end on the current samples, and the ghost markers (mean, median, modes).

The `optimum_*` functions are the parts the loss registry (engine.model.losses) names as each loss's
theoretical end point. Each takes, by keyword, only what it uses (the samples, the mixture, a parameter
of its loss) and returns an `EndPoint`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.maths import stats
from engine.model.estimate import Estimate
from engine.model.mixture import Mixture


@dataclass(frozen=True, eq=False)
class Markers:
    """The places every loss is measured against, on the drawn samples and the mixture."""

    mean: np.ndarray
    median: np.ndarray
    modes: np.ndarray  # (m, dim)


def markers(mixture: Mixture, samples: np.ndarray) -> Markers:
    return Markers(samples.mean(axis=0), stats.median(samples), mixture.modes())


@dataclass(frozen=True, eq=False)
class EndPoint:
    """Where theory says a fit ends: a point (with a covariance for a Gaussian), K points together, one of
    several places (the modes), or the data's own distribution; `what` says which in words."""

    what: str
    mean: np.ndarray  # the centre: the point, the Gaussian's mean, the points' or the distribution's mean
    cov: np.ndarray | None = None  # a Gaussian's covariance
    points: np.ndarray | None = None  # (K, dim): all of them together (the k-means centres)
    choices: np.ndarray | None = None  # (m, dim): the fit ends at one of them (a mode)
    distribution: Mixture | None = None  # the fit ends at the data's own distribution

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"what": self.what, "mean": self.mean.tolist()}
        for name in ("cov", "points", "choices"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.tolist()
        if self.distribution is not None:
            out["components"] = [{"label": c.label, "weight": float(w), "mean": c.mean.tolist(), "cov": c.cov.tolist()}
                                 for c, w in zip(self.distribution.components, self.distribution.weights)]
        return out


# -- the end points the registry names -------------------------------------------------------------
def optimum_mean(*, samples: np.ndarray) -> EndPoint:
    return EndPoint("the sample mean", samples.mean(axis=0))


def optimum_median(*, samples: np.ndarray) -> EndPoint:
    what = "the sample median" if samples.shape[1] == 1 else "the geometric median of the samples"
    return EndPoint(what, stats.median(samples))


def optimum_huber(*, samples: np.ndarray, huber_delta: float) -> EndPoint:
    return EndPoint(f"the Huber M-estimate (delta {huber_delta:g})", stats.huber_location(samples, huber_delta))


def optimum_mean_and_covariance(*, samples: np.ndarray) -> EndPoint:
    d = samples.shape[1]
    return EndPoint("the sample mean and covariance", samples.mean(axis=0),
                    cov=np.cov(samples.T, bias=True).reshape(d, d))


def optimum_components(*, mixture: Mixture) -> EndPoint:
    return EndPoint("the data's components", mixture.mean(), distribution=mixture)


def optimum_distribution(*, mixture: Mixture) -> EndPoint:
    return EndPoint("the data distribution", mixture.mean(), distribution=mixture)


def optimum_one_mode(*, mixture: Mixture) -> EndPoint:
    modes = mixture.modes()
    return EndPoint("one of the modes", modes.mean(axis=0), choices=modes)


def optimum_kmeans(*, samples: np.ndarray, k: int, seed: int) -> EndPoint:
    centres = stats.kmeans(samples, k, seed=seed)
    return EndPoint("the k-means centres", centres.mean(axis=0), points=centres)


# -- how typical a prediction is ------------------------------------------------------------------
def density_fraction(mixture: Mixture, point: np.ndarray) -> float:
    """The data density at a point as a fraction of the peak density: the "nobody looks like this" number."""
    return float(mixture.density_fraction(np.atleast_2d(point))[0])


def typicality(mixture: Mixture, estimate: Estimate, density=None) -> tuple[float, float]:
    """(data density at the predictions as a share of the peak, distance to the nearest mode),
    each averaged over the predictions with their weights. `density` (with `pdf` and `peak_density`,
    a KDE of a scene's own points) replaces the mixture's; the modes are the mixture's."""
    points, weights = estimate.predictions()
    density = mixture if density is None else density
    share = density.density_fraction(points) if density is mixture else density.pdf(points) / density.peak_density()
    distance = mixture.nearest_mode_distance(points)
    return float(weights @ share), float(weights @ distance)
