"""The `fit` report's account of why: the loss landscape, mode coverage and the JS divergence, and the
annealed mean at a temperature; what the window draws, as JSON."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.io.values import InvalidValue, positive
from engine.model.answers import Decoding
from engine.model.coverage import coverage
from engine.model.estimate import Estimate
from engine.model.losses import Loss
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings


def check_temperature(loss: Loss, temperature: float | None) -> None:
    """Raise InvalidValue, naming --temperature, unless it is a positive number for a loss that gives a
    distribution (None: not asked for)."""
    if temperature is None:
        return
    positive(temperature, "--temperature")
    if not loss.estimate.distribution:
        raise InvalidValue(f"--temperature: {loss.id} gives a point, not a distribution; the annealed mean is "
                           "for gaussian_nll, mixture_nll, reverse_kl and adversarial")


def why_json(loss: Loss, mixture: Mixture, samples: np.ndarray, settings: FitSettings, estimate: Estimate,
             temperature: float | None = None) -> dict[str, Any]:
    """`landscape` (or `no_landscape`, why), and for a distribution `modes_covered`, `modes_total`,
    `js_divergence` and, at a temperature, `annealed_mean`."""
    out: dict[str, Any] = {}
    reason = loss.landscape_reason(settings, mixture)
    if reason:
        out["no_landscape"] = reason
    else:
        out["landscape"] = loss.landscape_on(samples, mixture, settings).to_json()
    if estimate.distribution:
        out |= coverage(mixture, estimate).to_json()
        if temperature is not None:
            out["annealed_mean"] = Decoding("annealed", temperature).point(estimate).tolist()
    return out
