"""Where each loss must end on the current samples, and the ghost markers (mean, median, modes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import stats
from engine.estimate import Estimate
from engine.mixture import Mixture


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


def optimum(loss_id: str, mixture: Mixture, samples: np.ndarray, *, k: int = 0, huber_delta: float = 1.0,
            seed: int = 0) -> dict[str, Any]:
    """The theoretical end point of a loss on these samples, as JSON-ready numbers."""
    samples = np.asarray(samples, dtype=float)
    if loss_id == "l2":
        return {"kind": "point", "what": "the sample mean", "mean": samples.mean(axis=0).tolist()}
    if loss_id == "l1":
        what = "the sample median" if mixture.dim == 1 else "the geometric median of the samples"
        return {"kind": "point", "what": what, "mean": stats.median(samples).tolist()}
    if loss_id == "huber":
        return {"kind": "point", "what": f"the Huber M-estimate (delta {huber_delta:g})",
                "mean": stats.huber_location(samples, huber_delta).tolist()}
    if loss_id == "gaussian_nll":
        cov = np.cov(samples.T, bias=True).reshape(mixture.dim, mixture.dim)
        return {"kind": "gaussian", "what": "the sample mean and covariance",
                "mean": samples.mean(axis=0).tolist(), "cov": cov.tolist()}
    if loss_id in ("mixture_nll", "adversarial"):
        what = "the data's components" if loss_id == "mixture_nll" else "the data distribution"
        return {"kind": "mixture", "what": what, "mean": mixture.mean().tolist(), "components": _components(mixture)}
    if loss_id == "reverse_kl":
        return {"kind": "one_mode", "what": "one of the modes", "modes": mixture.modes().tolist()}
    if loss_id == "min_of_k":
        centres = stats.kmeans(samples, k or len(mixture.components), seed=seed)
        return {"kind": "points", "what": "the k-means centres", "points": centres.tolist(),
                "mean": centres.mean(axis=0).tolist()}
    raise KeyError(f"unknown loss {loss_id!r}")


def density_fraction(mixture: Mixture, point: np.ndarray) -> float:
    """The data density at a point as a fraction of the peak density: the "nobody looks like this" number."""
    return float(mixture.pdf(np.atleast_2d(point))[0] / mixture.peak_density())


def predictions(estimate: Estimate) -> tuple[np.ndarray, np.ndarray]:
    """What the model predicts, as weighted points: its mean for a point or a Gaussian; each
    component, hypothesis or generated sample for the others (what one would decode to an image)."""
    if estimate.kind == "mixture":
        return estimate.means, estimate.weights
    if estimate.kind == "points":
        return estimate.points, np.full(len(estimate.points), 1.0 / len(estimate.points))
    if estimate.kind == "samples":
        return estimate.samples, np.full(len(estimate.samples), 1.0 / len(estimate.samples))
    return estimate.mean[None, :], np.ones(1)


def typicality(mixture: Mixture, estimate: Estimate) -> tuple[float, float]:
    """(data density at the predictions as a share of the peak, distance to the nearest mode),
    each averaged over the predictions with their weights."""
    points, weights = predictions(estimate)
    share = mixture.pdf(points) / mixture.peak_density()
    distance = np.linalg.norm(points[:, None, :] - mixture.modes()[None], axis=-1).min(axis=1)
    return float(weights @ share), float(weights @ distance)
