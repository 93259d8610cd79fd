"""What the fit produces: the estimate and the snapshot, frozen and made of numpy copies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# The variance of the Gaussian that an L2 fit is the maximum likelihood of (the essay's sigma = 1).
FIXED_VARIANCE = 1.0


def _frozen(a: Any) -> np.ndarray | None:
    if a is None:
        return None
    out = np.array(a, dtype=float)  # always a copy
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class Estimate:
    """The fitted model in numbers. `mean` is its centre, the point whose drift the trail shows."""

    kind: str  # point | gaussian | mixture | points | samples
    mean: np.ndarray
    cov: np.ndarray | None = None
    weights: np.ndarray | None = None  # mixture: component weights
    means: np.ndarray | None = None  # mixture: component means (K, dim)
    covs: np.ndarray | None = None  # mixture: component covariances (K, dim, dim)
    points: np.ndarray | None = None  # min_of_k: hypotheses (K, dim)
    samples: np.ndarray | None = None  # adversarial: generated samples (n, dim)

    def __post_init__(self) -> None:
        for name in ("mean", "cov", "weights", "means", "covs", "points", "samples"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def is_finite(self) -> bool:
        return all(
            v is None or bool(np.all(np.isfinite(v)))
            for v in (self.mean, self.cov, self.weights, self.means, self.covs, self.points, self.samples)
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "mean": self.mean.tolist()}
        if self.kind == "point":
            out["cov"] = (FIXED_VARIANCE * np.eye(self.mean.size)).tolist()
            out["fixed_variance"] = True
        if self.cov is not None:
            out["cov"] = self.cov.tolist()
        if self.means is not None:
            out["components"] = [
                {"weight": float(w), "mean": m.tolist(), "cov": c.tolist()}
                for w, m, c in zip(self.weights, self.means, self.covs)
            ]
        if self.points is not None:
            out["points"] = self.points.tolist()
        if self.samples is not None:
            out["samples"] = self.samples.tolist()
        return out


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One moment of the fit, safe to hand to another thread."""

    step: int  # optimizer steps taken since the last reset
    loss_id: str
    loss: float  # the loss at this step (nan before the first step)
    estimate: Estimate
    trail: np.ndarray  # recent positions of the estimate's mean, oldest first (n, dim)
    losses: np.ndarray  # recent loss values, oldest first
    data_version: int  # which data the fit has seen (rises with every data change)
    diverged: bool = False
    message: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "trail", _frozen(self.trail))
        object.__setattr__(self, "losses", _frozen(self.losses))
