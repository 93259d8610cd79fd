"""The units a fit trains in: a scene of your own points is fitted in the decoder's units, not the data's.

Adam moves each coordinate by about its step size per step whatever the scale, so a fit tuned for the
bundled scenes (modes about 4 apart) would crawl across waits of 50 to 90 minutes and leap about on
eruptions of 2 to 5, both in one 2-D scene. In the decoder's units, where the span of each axis
(engine.model.points) is [-2, 2], every data set is fitted at the pace of the show; what the fit reports
is mapped back to the data's units. The losses themselves are measured in the data's units (distances
scaled per axis, log densities shifted by the log volume of a fit unit: engine.fit.models.FitData), so
the fit ends where theory says on the data and its loss curve meets the floor and the landscape.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from engine.model.estimate import Estimate
from engine.model.mixture import Component, Mixture

_POINTS = ("mean", "means", "points", "samples")
_COVARIANCES = ("cov", "covs")


@dataclass(frozen=True, eq=False)
class Units:
    """data = shift + scale * fit units, per axis."""

    shift: np.ndarray
    scale: np.ndarray

    @classmethod
    def of(cls, span: tuple[tuple[float, float], ...] | None) -> Units | None:
        """The change that takes each axis's span to [-2, 2] (the decoders' key poses); None: no change."""
        if span is None:
            return None
        lo, hi = np.array([s[0] for s in span]), np.array([s[1] for s in span])
        return cls((lo + hi) / 2, (hi - lo) / 4)

    def inward(self, points: np.ndarray) -> np.ndarray:
        return (np.asarray(points, dtype=float) - self.shift) / self.scale

    def outward(self, points: np.ndarray) -> np.ndarray:
        return self.shift + self.scale * np.asarray(points, dtype=float)

    def mixture_inward(self, mixture: Mixture) -> Mixture:
        outer = np.outer(self.scale, self.scale)
        return Mixture(tuple(Component(c.weight, self.inward(c.mean), c.cov / outer, c.label) for c in mixture.components))

    def estimate_outward(self, estimate: Estimate) -> Estimate:
        """The estimate in the data's units: points moved and scaled, covariances scaled on both sides; a
        point estimate gets the covariance it is drawn with, the fixed variance in the fit's units."""
        outer = np.outer(self.scale, self.scale)
        changes = {}
        for f in fields(estimate):
            value = getattr(estimate, f.name)
            if value is None:
                continue
            if f.name in _POINTS:
                changes[f.name] = self.outward(value)
            elif f.name in _COVARIANCES:
                changes[f.name] = value * outer
        if estimate.cov is None and estimate.bells():
            changes["cov"] = estimate.bells()[0][2] * outer
        return replace(estimate, **changes)
