"""The selected loss fitted in pixel space: one image trained on the decoded data images.

The objective is the registry's `pixel` entry of the loss: for `l2` it converges to the per-pixel
mean of the data images (the blurry average), for `l1` to the per-pixel median, for `huber` in
between, for `gaussian_nll` to the per-pixel mean with a learned per-pixel variance. It starts from
grey, so the audience sees the blur appear.
"""

from __future__ import annotations

import numpy as np
import torch

from engine.decoders import Span, decode
from engine.model.losses import PIXEL_LOSSES, loss_info

DATA_IMAGES = 32  # decoded data images the pixel fit trains on: a stable enough mean at a small cost a step
DEFAULT_LR = 0.06  # from grey to the answer in about a second at 30 steps a second
START_GREY = 0.5
MIN_LOG_VAR = -9.0
SETTLED = 2e-4  # a step that moves no pixel by more than this: the pixel fit has arrived
DECAY_STEPS = 60  # the step size halves after this many steps since the last change, so L1's sign-driven
# steps shrink and settle on the median instead of rattling around it
MAX_STEPS = 600  # steps after a change beyond which the fit counts as arrived whatever it still does


class PixelFit:
    """One image (H, W, 3) and, for gaussian_nll, a per-pixel log-variance, trained with Adam."""

    def __init__(self, images: np.ndarray, loss_id: str, *, lr: float = DEFAULT_LR) -> None:
        objective = loss_info(loss_id).pixel
        if objective is None:
            raise ValueError(f"pixel fit: {loss_id!r} has no pixel-space fit; choose one of {', '.join(PIXEL_LOSSES)}")
        self.loss_id = loss_id
        self.objective = objective
        self.lr = lr
        self.settled = False  # the last step moved no pixel by more than SETTLED
        shape = np.asarray(images).shape[1:]
        self.image = torch.full(shape, START_GREY, dtype=torch.float32, requires_grad=True)
        self.log_var = torch.full(shape, -2.0, dtype=torch.float32, requires_grad=True)
        params = [self.image, self.log_var] if objective.learns_variance else [self.image]
        # Little momentum: with the default 0.9 the image overshot the mean, briefly sharper than its answer.
        self._opt = torch.optim.Adam(params, lr=lr, betas=(0.5, 0.999))
        self.set_images(images)

    def set_images(self, images: np.ndarray) -> None:
        """New data images (the data changed); the image keeps its place and moves on from there."""
        self._data = torch.as_tensor(np.ascontiguousarray(images, dtype=np.float32))
        self.settled = False
        self._since_change = 0

    def _objective(self) -> torch.Tensor:
        o = self.objective
        image = self.image.expand_as(self._data)
        if o.learns_variance:
            return gaussian_nll(self.image, self._data, self.log_var.clamp_min(MIN_LOG_VAR))
        loss = getattr(torch.nn.functional, o.function)
        return loss(image, self._data) if o.delta is None else loss(image, self._data, delta=o.delta)

    def step(self, n: int = 1) -> float:
        loss = torch.zeros(())
        for _ in range(n):
            for group in self._opt.param_groups:
                group["lr"] = self.lr / (1.0 + self._since_change / DECAY_STEPS)
            before = self.image.detach().clone()
            loss = self._objective()
            self._opt.zero_grad(set_to_none=True)
            loss.backward()
            self._opt.step()
            with torch.no_grad():
                self.image.clamp_(0.0, 1.0)
                moved = float((self.image - before).abs().max())
            self._since_change += 1
            self.settled = moved < SETTLED or self._since_change >= MAX_STEPS
        return float(loss.detach())

    def result(self) -> np.ndarray:
        """The current image, a contiguous float32 copy in [0, 1]."""
        return self.image.detach().numpy().copy()


def gaussian_nll(image: torch.Tensor, data: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """torch.nn.functional.gaussian_nll_loss of `image` against every data image with the variance
    exp(log_var) per pixel, broadcast rather than copied for each data image (torch's function takes
    the variance only at the data's full shape): measured 1.7 times faster, the same numbers."""
    return 0.5 * ((data - image) ** 2 * torch.exp(-log_var) + log_var).mean()


def data_images_for(samples: np.ndarray, decoder: str, n: int = DATA_IMAGES, span: Span | None = None) -> np.ndarray:
    """Decode the first n samples (the samples are already random: the first n are a fair draw; a scene's
    own points come shuffled, engine.model.points)."""
    return decode(decoder, np.asarray(samples)[:n], span)
