"""Networks trained on real digits, in torch: one trainer per task and loss, stepped by the fit
service beside the data-space fit (or by `blurlab train`), with frozen snapshots for the window.

The network is a small MLP from the input (a one-hot label, or the top 14 rows of a digit; with a
noise vector for a loss that samples) to the output pixels through a sigmoid; a network of one output
starts on real digits (its last layer solved so), so that L2's drift from one way of writing to the
middle is what the audience sees. How it is trained is the loss's `images` entry in the registry: a
per-pixel reconstruction loss against the data (L2 ends at the exact conditional mean of
engine.digits.tasks, L1 at the median), K hypotheses of which only the best pays in full (winner takes
all, with a small share for the others so that none dies), a conditional GAN (a discriminator sees the
input with a real or a generated output; for "draw a digit" its generator bends typical real digits,
engine.fit.digit_generator, so that its digits are whole strokes within seconds), or the context
encoder's mix of squared error and the discriminator's verdict, with its weight exposed.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch
from torch import nn

from engine.digits import GENERATORS
from engine.digits.data import load_digits
from engine.digits.figures import Figures, measure
from engine.digits.snapshot import DigitSnapshot
from engine.digits.tasks import Task, make_task
from engine.fit.digit_generator import DeformingGenerator, prototypes
from engine.io.pixels import to_uint8
from engine.model.losses import ImageTraining, image_loss_info

HIDDEN = 256
NOISE = 32  # the noise vector of a network that samples
BATCH = 64
HYPOTHESES = 4  # min_of_k's K
LOSER_SHARE = 0.05  # min_of_k: what the hypotheses that did not win still pay, so that none dies
SAMPLES = 8  # samples drawn per shown input, from fixed noise, so they change smoothly from frame to frame
START_CLIP = 0.05  # a network of one output starts on real digits, clipped this far inside (0, 1) for the sigmoid
CURVE = 512  # training losses kept for the curve
DTYPE = torch.float32


def _mlp(inputs: int, outputs: int, final: nn.Module | None = None) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Linear(inputs, HIDDEN), nn.LeakyReLU(0.2), nn.Linear(HIDDEN, HIDDEN),
                               nn.LeakyReLU(0.2), nn.Linear(HIDDEN, outputs)]
    return nn.Sequential(*layers, *([final] if final is not None else []))


@functools.cache
def _prototypes(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The typical real digits the bending GAN starts from, found once per seed."""
    train, _ = load_digits()
    return prototypes(train.images, train.labels, seed)


class Critic(nn.Module):
    """The conditional GAN's discriminator: sees an input with an output (pixels rescaled to [-1, 1]).

    Spectral normalisation keeps it smooth, a projection of the input (Miyato and Koyama 2018) makes
    it judge whether the output fits its input rather than only whether it looks like a digit, and the
    spread of its features over the batch (Karras et al. 2018) lets it see a generator that draws the
    same digit for every noise vector, which would otherwise collapse to one picture."""

    def __init__(self, inputs: int, outputs: int) -> None:
        super().__init__()
        sn = nn.utils.parametrizations.spectral_norm
        self.body = nn.Sequential(sn(nn.Linear(inputs + outputs, HIDDEN)), nn.LeakyReLU(0.2),
                                  sn(nn.Linear(HIDDEN, HIDDEN)), nn.LeakyReLU(0.2))
        self.head = sn(nn.Linear(HIDDEN + 1, 1))
        self.projection = sn(nn.Linear(inputs, HIDDEN + 1, bias=False))

    def forward(self, x: torch.Tensor, picture: torch.Tensor) -> torch.Tensor:
        h = self.body(torch.cat([x, picture * 2.0 - 1.0], dim=1))
        spread = h.std(dim=0).mean().expand(len(h), 1)
        h = torch.cat([h, spread], dim=1)
        return self.head(h) + (self.projection(x) * h).sum(dim=1, keepdim=True)


class DigitTrainer:
    """One network (and, for an adversarial loss, its discriminator) trained on one task."""

    def __init__(self, task_id: str, loss_id: str, seed: int = 0, adversarial_weight: float | None = None,
                 device: str = "cpu", generator: str = "bend") -> None:
        """`generator`: how the GAN of "draw a digit" draws, "bend" (deformed real digits,
        engine.fit.digit_generator) or "pixels" (an MLP painting every pixel, as other tasks and losses do)."""
        if generator not in GENERATORS:
            raise ValueError(f"generator: choose one of {', '.join(GENERATORS)}, not {generator!r}")
        self.device = torch.device(device)
        self.task: Task = make_task(task_id)
        self.loss = image_loss_info(loss_id)
        self.how: ImageTraining = self.loss.images
        self.set_adversarial_weight(adversarial_weight)
        self.seed = seed
        self.step_count = 0
        self._losses: list[float] = []
        # copies (the task's arrays are read-only), on the device
        self._x = torch.tensor(self.task.x_train, dtype=DTYPE, device=self.device)
        self._y = torch.tensor(self.task.y_train, dtype=DTYPE, device=self.device)
        self._shown = torch.tensor(self.task.x_shown, dtype=DTYPE, device=self.device)
        self._gen = torch.Generator().manual_seed(seed)
        out = self._y.shape[1]
        heads = HYPOTHESES if self.how.outputs == "hypotheses" else 1
        noise = NOISE if self.how.sampled else 0
        with torch.random.fork_rng():  # the networks' first weights from the seed, the rest of the process untouched
            torch.manual_seed(seed)
            self.bends = generator == "bend" and self.how.sampled and task_id == "digit_from_label"
            if self.bends:
                self.network = DeformingGenerator(*_prototypes(seed), NOISE)
            else:
                self.network = _mlp(self._x.shape[1] + noise, out * heads, nn.Sigmoid())
            self.critic = Critic(self._x.shape[1], out) if self.how.adversarial else None
        self.network.to(self.device)
        if self.critic is not None:
            self.critic.to(self.device)
        betas = (0.5, 0.999) if self.how.adversarial else (0.9, 0.999)
        self._opt = torch.optim.Adam(self.network.parameters(), lr=self.how.lr, betas=betas)
        self._opt_critic = (torch.optim.Adam(self.critic.parameters(), lr=self.how.lr, betas=betas)
                            if self.critic is not None else None)
        shown = len(self.task.x_shown)
        self._shown_noise = self._noise(shown * SAMPLES) if noise else None
        self.heads = heads
        if self.how.outputs == "one":
            self._start_from_real_digits()

    def _start_from_real_digits(self) -> None:
        """Solve the last layer (least squares, the smallest such weights) so that at step 0 each shown
        input's output is a real digit: the most typical one of its largest way of writing
        (engine.digits.space). The drift from one real way of writing to the middle is then what the loss
        does, rather than a grey start brightening."""
        from engine.digits.space import digit_space

        medoids = []
        for i in range(len(self.task.x_shown)):
            space = digit_space(self.task, i)
            medoids.append(space.examples[space.modes[0].medoid])
        target = torch.logit(torch.tensor(np.stack(medoids), dtype=DTYPE).clamp(START_CLIP, 1.0 - START_CLIP))
        last = self.network[-2]
        with torch.no_grad():
            hidden = self.network[:-2](self._shown).cpu()
            weight = torch.linalg.pinv(hidden.double()) @ (target - last.bias.cpu()).double()  # (HIDDEN, out)
            last.weight.copy_(weight.T.to(DTYPE))

    def set_adversarial_weight(self, weight: float | None) -> None:
        """The adversarial term's share beside the reconstruction (None: the loss's own); only a loss that
        has both has a choice."""
        if not (self.how.reconstruction and self.how.adversarial):
            self.adversarial_weight = float(self.how.adversarial)
            return
        weight = self.how.adversarial_weight if weight is None else float(weight)
        if not 0.0 <= weight <= 1.0:  # NaN fails too
            raise ValueError(f"adversarial weight: must be between 0 and 1, got {weight}")
        self.adversarial_weight = weight

    @property
    def task_id(self) -> str:
        return self.task.id

    @property
    def loss_id(self) -> str:
        return self.loss.id

    # -- training -------------------------------------------------------------------------------
    def _noise(self, n: int) -> torch.Tensor:
        """Noise from the trainer's own generator (on the CPU, so any device gives the same draws)."""
        return torch.randn(n, NOISE, generator=self._gen, dtype=DTYPE).to(self.device)

    def _draw(self, x: torch.Tensor, noise: torch.Tensor | None = None) -> torch.Tensor:
        """The network's output for inputs x: (n, heads, out)."""
        if self.how.sampled:
            if noise is None:
                noise = self._noise(len(x))
            if self.bends:
                return self.network(x, noise).view(len(x), 1, -1)
            x = torch.cat([x, noise], dim=1)
        return self.network(x).view(len(x), self.heads, -1)

    def step(self) -> float:
        """One optimiser step on a random batch of training digits; returns the loss."""
        pick = torch.randint(len(self._x), (BATCH,), generator=self._gen).to(self.device)
        x, y = self._x[pick], self._y[pick]
        out = self._draw(x)
        how = self.how
        loss = torch.zeros((), device=self.device)
        if how.adversarial:
            fake = out[:, 0]
            bce = nn.functional.binary_cross_entropy_with_logits
            ones = torch.ones(len(x), 1, device=self.device)
            zeros = torch.zeros(len(x), 1, device=self.device)
            critic_loss = bce(self.critic(x, y), ones) + bce(self.critic(x, fake.detach()), zeros)
            self._opt_critic.zero_grad(set_to_none=True)
            critic_loss.backward()
            self._opt_critic.step()
            loss = self.adversarial_weight * bce(self.critic(x, fake), ones)
        if how.reconstruction is not None:
            per_pixel = getattr(nn.functional, how.reconstruction)
            error = per_pixel(out, y[:, None, :].expand_as(out), reduction="none").mean(dim=2)  # (n, heads)
            if how.outputs == "hypotheses":
                best = error.min(dim=1).values
                error = (1 - LOSER_SHARE) * best + LOSER_SHARE * error.mean(dim=1)
            loss = loss + (1.0 - self.adversarial_weight if how.adversarial else 1.0) * error.mean()
        self._opt.zero_grad(set_to_none=True)
        loss.backward()
        self._opt.step()
        self.step_count += 1
        value = float(loss.detach())
        self._losses.append(value)
        del self._losses[:-CURVE]
        return value

    # -- what it draws --------------------------------------------------------------------------
    def outputs(self) -> np.ndarray:
        """What the network draws for each shown input now: (m, n, out_rows, 28) floats in [0, 1]; n is
        1 image, the K hypotheses, or SAMPLES samples from fixed noise."""
        m = len(self._shown)
        with torch.no_grad():
            if self.how.sampled:
                x = self._shown.repeat_interleave(SAMPLES, dim=0)
                out = self._draw(x, self._shown_noise).view(m, SAMPLES, -1)
            else:
                out = self._draw(self._shown)
        return out.cpu().numpy().reshape(m, out.shape[1], *self.task.out_shape).copy()

    def pictures(self) -> np.ndarray:
        """The outputs as whole 28x28 pictures (under the given top): (m, n, 28, 28)."""
        return self.task.compose(self.outputs())

    def figures(self, pictures: np.ndarray) -> tuple[tuple[Figures, ...], ...]:
        return tuple(tuple(measure(self.task, i, p)) for i, p in enumerate(pictures))

    def snapshot(self) -> DigitSnapshot:
        pictures = self.pictures()
        return DigitSnapshot(
            step=self.step_count, task=self.task.id, loss_id=self.loss.id,
            loss=self._losses[-1] if self._losses else math.nan, losses=np.array(self._losses),
            pictures=to_uint8(pictures), figures=self.figures(pictures), adversarial_weight=self.adversarial_weight,
        )

    def loss_history(self) -> np.ndarray:
        return np.array(self._losses)
