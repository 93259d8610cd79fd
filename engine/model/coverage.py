"""How well a model that gives a distribution covers the data: how many of its modes it covers, and the
Jensen-Shannon divergence between the two on a grid, as GAN Lab (Kahng et al. 2019) shows it.

Both are read from one grid over the data's box. The model's mass there comes from its estimate class
(exact densities for Gaussians and mixtures; binned samples for a generator). A generator's samples
are smoothed by a kernel before the divergence is taken, and the data's density is smoothed by the
same kernel (for a Gaussian mixture that is exact: each covariance grows by the kernel's), so a
perfect generator scores near 0 rather than the smoothing's own error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.maths.grid import Grid
from engine.model.estimate import Estimate
from engine.model.mixture import Mixture

RADIUS = 2.0  # a mode's neighbourhood, in standard deviations of its component
SHARE = 0.25  # of the data's mass there that the model must put there too
RULE = ("A mode counts as covered when the model puts at least a quarter of the mass that the data puts "
        "within two standard deviations of it there.")
POINTS = {1: 512, 2: 72}


@dataclass(frozen=True)
class Coverage:
    """How many of the data's modes a fitted distribution covers, which it loses, and how far it is from the
    data."""

    covered: int
    total: int
    lost: tuple[int, ...]  # which modes (indices of Mixture.modes()) the model misses
    js_divergence: float  # in bits: 0 the same distribution, 1 no overlap at all
    on_modes: float  # the model's mass near any mode, as a share of the data's there

    @property
    def collapsed(self) -> bool:
        """Modes are lost while the model's mass sits on the others: mode collapse. (A model that misses
        modes by spreading its mass between them is blurred, not collapsed.)"""
        return bool(self.lost) and self.on_modes >= 0.5

    def verdict(self) -> str:
        """What the readout adds to "k of n", in words: "" when every mode is covered."""
        if not self.lost:
            return ""
        return "mode collapse" if self.collapsed else "mass between the modes"

    def to_json(self) -> dict:
        js = None if math.isnan(self.js_divergence) else self.js_divergence  # NaN: not computed (above 2-D)
        return {"modes_covered": self.covered, "modes_total": self.total, "js_divergence": js}


def data_grid(mixture: Mixture) -> Grid:
    lo, hi = mixture.bounds(5.0)
    return Grid.over(lo, hi, POINTS[mixture.dim])


def coverage(mixture: Mixture, estimate: Estimate) -> Coverage:
    """Modes covered and the JS divergence of the estimate (a distribution) against the data."""
    if mixture.dim > 2:
        return _coverage_by_samples(mixture, estimate)
    grid = data_grid(mixture)
    points = grid.points()
    model, model_out = estimate.mass_on(grid)
    data = mixture.pdf(points).reshape(grid.shape) * grid.cell
    modes = mixture.modes()
    near = _neighbourhoods(mixture, modes, points)
    flat_model, flat_data = model.reshape(-1), data.reshape(-1)
    lost = tuple(i for i, mask in enumerate(near) if flat_model[mask].sum() < SHARE * flat_data[mask].sum())
    anywhere = np.any(near, axis=0)
    on_modes = float(flat_model[anywhere].sum() / max(flat_data[anywhere].sum(), 1e-12))
    bandwidth = estimate.bandwidth()
    if np.any(bandwidth > 0):
        model = grid.smooth(model, bandwidth)
        widened = np.diag(bandwidth**2)
        blurred = Mixture(tuple(c.moved(cov=c.cov + widened) for c in mixture.components))
        data = blurred.pdf(points).reshape(grid.shape) * grid.cell
    js = js_divergence(np.append(data.reshape(-1), max(1.0 - data.sum(), 0.0)), np.append(model.reshape(-1), model_out))
    return Coverage(len(modes) - len(lost), len(modes), lost, js, on_modes)


def _coverage_by_samples(mixture: Mixture, estimate: Estimate, n: int = 8000) -> Coverage:
    """Above two dimensions, where no grid fits: the modes covered from the model's and the data's samples
    (the same rule); the JS divergence, which needs densities on a grid, is NaN."""
    rng = np.random.default_rng(0)
    model = estimate.draws(rng.standard_normal((n, mixture.dim)), rng.random(n))
    data = mixture.sample(n, seed=1)
    modes = mixture.modes()
    near_model, near_data = _neighbourhoods(mixture, modes, model), _neighbourhoods(mixture, modes, data)
    lost = tuple(i for i, (m, d) in enumerate(zip(near_model, near_data)) if m.mean() < SHARE * d.mean())
    on_modes = float(np.any(near_model, axis=0).mean() / max(np.any(near_data, axis=0).mean(), 1e-12))
    return Coverage(len(modes) - len(lost), len(modes), lost, math.nan, on_modes)


def _neighbourhoods(mixture: Mixture, modes: np.ndarray, points: np.ndarray) -> list[np.ndarray]:
    """For each mode, the grid points within RADIUS standard deviations of the component that makes it
    (the one with the highest weighted density there)."""
    log_parts = mixture.component_log_pdf(modes) + np.log(mixture.weights)
    masks = []
    for k in np.argmax(log_parts, axis=1):
        comp = mixture.components[k]
        off = points - comp.mean
        masks.append(np.einsum("mi,ij,mj->m", off, np.linalg.inv(comp.cov), off) < RADIUS**2)
    return masks


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """The Jensen-Shannon divergence of two discrete distributions, in bits (each is renormalised)."""
    p = np.maximum(p, 0.0) / max(float(np.sum(p)), 1e-300)
    q = np.maximum(q, 0.0) / max(float(np.sum(q)), 1e-300)
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p / m), 0.0) + np.where(q > 0, q * np.log2(q / m), 0.0)
    return float(min(max(0.5 * terms.sum(), 0.0), 1.0))
