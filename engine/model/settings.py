"""The fit's settings: which loss, and its hyper-parameters (no torch here, so the GUI starts fast)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.io.values import InvalidValue, positive, whole
from engine.model.losses import LOSS_IDS, loss_info
from engine.model.mixture import Mixture


@dataclass(frozen=True)
class FitSettings:
    """How the fit runs: the loss, its learning rate and seed, and the knobs of the losses that have one."""

    loss: str = "l2"
    lr: float | None = None  # None: the loss's own default (its registry entry's lr)
    seed: int = 0
    k: int = 0  # components or hypotheses for mixture_nll and min_of_k; 0: as many as the data has
    huber_delta: float = 1.0

    def __post_init__(self) -> None:
        if self.loss not in LOSS_IDS:
            raise InvalidValue(f"loss: unknown loss {self.loss!r}; choose one of {', '.join(LOSS_IDS)}")
        if self.lr is not None:
            positive(self.lr, "learning rate")
        positive(self.huber_delta, "huber delta")
        whole(self.k, "k")

    @property
    def learning_rate(self) -> float:
        return loss_info(self.loss).lr if self.lr is None else self.lr

    def components_for(self, mixture: Mixture) -> int:
        return self.k or max(len(mixture.components), 1)
