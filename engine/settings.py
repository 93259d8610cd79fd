"""The fit's settings: which loss, and its hyper-parameters (no torch here, so the GUI starts fast)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.catalogue import LOSS_IDS
from engine.mixture import Mixture

# Adam's step size for each loss: small enough to be stable, large enough to watch.
DEFAULT_LR = {
    "l2": 0.02,
    "l1": 0.02,
    "huber": 0.02,
    "gaussian_nll": 0.02,
    "mixture_nll": 0.02,
    "reverse_kl": 0.02,
    "adversarial": 2e-3,
    "min_of_k": 0.02,
}


@dataclass(frozen=True)
class FitSettings:
    loss: str = "l2"
    lr: float | None = None  # None: the loss's own default (DEFAULT_LR)
    seed: int = 0
    k: int = 0  # components or hypotheses for mixture_nll and min_of_k; 0: as many as the data has
    huber_delta: float = 1.0

    def __post_init__(self) -> None:
        if self.loss not in LOSS_IDS:
            raise ValueError(f"loss: unknown loss {self.loss!r}; choose one of {', '.join(LOSS_IDS)}")
        if self.lr is not None and not (np.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"learning rate: must be a positive number, got {self.lr}")
        if not (np.isfinite(self.huber_delta) and self.huber_delta > 0):
            raise ValueError(f"huber delta: must be a positive number, got {self.huber_delta}")
        if self.k < 0:
            raise ValueError(f"k: must be 0 (automatic) or more, got {self.k}")

    @property
    def learning_rate(self) -> float:
        return DEFAULT_LR[self.loss] if self.lr is None else self.lr

    def components_for(self, mixture: Mixture) -> int:
        return self.k or max(len(mixture.components), 1)
