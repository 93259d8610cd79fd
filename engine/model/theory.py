"""Where each loss must end on the current samples, and the ghost markers (mean, median, modes).

The `optimum_*` functions are what the loss registry (engine.model.losses) names as each loss's
theoretical end point; each returns JSON-ready numbers with a `kind` and a `what` in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.maths import stats
from engine.model.estimate import Estimate
from engine.model.mixture import Mixture

if TYPE_CHECKING:
    from engine.model.settings import FitSettings


@dataclass(frozen=True, eq=False)
class Markers:
    """The places every loss is measured against, on the drawn samples and the mixture."""

    mean: np.ndarray
    median: np.ndarray
    modes: np.ndarray  # (m, dim)


def markers(mixture: Mixture, samples: np.ndarray) -> Markers:
    return Markers(samples.mean(axis=0), stats.median(samples), mixture.modes())


def _components(mixture: Mixture) -> list[dict[str, Any]]:
    return [
        {"label": c.label, "weight": float(w), "mean": c.mean.tolist(), "cov": c.cov.tolist()}
        for c, w in zip(mixture.components, mixture.weights)
    ]


# -- the end points the registry names -------------------------------------------------------------
def optimum_mean(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    return {"kind": "point", "what": "the sample mean", "mean": samples.mean(axis=0).tolist()}


def optimum_median(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    what = "the sample median" if mixture.dim == 1 else "the geometric median of the samples"
    return {"kind": "point", "what": what, "mean": stats.median(samples).tolist()}


def optimum_huber(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    delta = settings.huber_delta
    return {"kind": "point", "what": f"the Huber M-estimate (delta {delta:g})",
            "mean": stats.huber_location(samples, delta).tolist()}


def optimum_mean_and_covariance(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    cov = np.cov(samples.T, bias=True).reshape(mixture.dim, mixture.dim)
    return {"kind": "gaussian", "what": "the sample mean and covariance",
            "mean": samples.mean(axis=0).tolist(), "cov": cov.tolist()}


def optimum_components(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    return {"kind": "mixture", "what": "the data's components", "mean": mixture.mean().tolist(),
            "components": _components(mixture)}


def optimum_distribution(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    return {"kind": "mixture", "what": "the data distribution", "mean": mixture.mean().tolist(),
            "components": _components(mixture)}


def optimum_one_mode(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    return {"kind": "one_mode", "what": "one of the modes", "modes": mixture.modes().tolist()}


def optimum_kmeans(mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Any]:
    centres = stats.kmeans(samples, settings.components_for(mixture), seed=settings.seed)
    return {"kind": "points", "what": "the k-means centres", "points": centres.tolist(),
            "mean": centres.mean(axis=0).tolist()}


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
