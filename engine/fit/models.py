"""The model each loss fits, in torch: one class per model, each owning its parameters and optimiser.

The loss registry (engine.model.losses) names the model each loss fits (a `FittedModel`); the class here
that `fits` it trains it: `model_class` finds it, and `build_model` asks it to `create` a fresh model for
the loss and the settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from engine.fit.gaussians import gaussian_log_prob, log_prob_by_products, logsumexp, precision_form
from engine.maths.stats import kmeans_pp
from engine.model.estimate import (ADVERSARIAL_MODEL, GAUSSIAN_MODEL, MIN_OF_K_MODEL, MIXTURE_MODEL, POINT_MODEL,
                                   REVERSE_KL_MODEL, Estimate, FittedModel, GaussianEstimate, MixtureEstimate,
                                   PointEstimate, PointsEstimate, SamplesEstimate)
from engine.model.losses import Loss, loss_info
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings

DTYPE = torch.float32
FULL_BATCH = 4096  # up to this many samples a step sees all of them; above, a random batch of this size
# A step of K components or guesses sees at most this many (sample, component) pairs: every sample for a
# few components, a random batch for the hundreds of kinds of car of many properties (a full pass is slow).
PAIRS = 2**16
MIN_BATCH = 256


def batch_for(k: int) -> int:
    """Samples a step of a model of k components or guesses sees at most."""
    return min(FULL_BATCH, max(MIN_BATCH, PAIRS // k))
GAN_BATCH = 256  # packs of samples the GAN's critic judges at each step
KL_DRAWS = 256
GAN_SHOWN = 600  # generated samples in each snapshot, from fixed noise so they move smoothly
MIN_STD = 1e-3  # floor on learned standard deviations, so a collapsing Gaussian never makes a NaN


@dataclass
class FitData:
    """The data a model trains on: samples and, for reverse KL, the known mixture density."""

    samples: torch.Tensor  # (n, dim)
    mixture: Mixture
    log_weights: torch.Tensor
    means: torch.Tensor
    scale_trils: torch.Tensor
    centre: np.ndarray
    scale: float  # overall spread, for sensible initial widths and the divergence bound
    # data units per fit unit on each axis (None: the same): the losses are measured in the data's units
    unit: torch.Tensor | None = None
    log_unit: float = 0.0  # log of the volume of one fit unit in the data's: what a log density gains
    _form: tuple | None = field(default=None, repr=False)  # the mixture for log_density by matrix products

    @classmethod
    def make(cls, samples: np.ndarray, mixture: Mixture, unit: np.ndarray | None = None) -> FitData:
        """`samples` and `mixture` in the fit's units; `unit`: the data's units per fit unit on each axis."""
        covs = mixture.covs
        centre = samples.mean(axis=0)
        return cls(
            samples=torch.as_tensor(samples, dtype=DTYPE),
            mixture=mixture,
            log_weights=torch.as_tensor(np.log(mixture.weights), dtype=DTYPE),
            means=torch.as_tensor(mixture.means, dtype=DTYPE),
            scale_trils=torch.as_tensor(np.linalg.cholesky(covs), dtype=DTYPE),
            centre=centre,
            scale=float(np.sqrt(np.trace(np.cov(samples.T, bias=True).reshape(mixture.dim, mixture.dim)) + 1e-12)),
            unit=None if unit is None else torch.as_tensor(unit, dtype=DTYPE),
            log_unit=0.0 if unit is None else float(np.log(unit).sum()),
        )

    def squared_distance(self, off: torch.Tensor) -> torch.Tensor:
        """The squared length of differences in the fit's units, measured in the data's (last axis)."""
        return (self.in_data_units(off) ** 2).sum(-1)

    def in_data_units(self, x: torch.Tensor) -> torch.Tensor:
        """Vectors in the fit's units, scaled to the data's (last axis); an offset is not added."""
        return x if self.unit is None else x * self.unit

    @property
    def dim(self) -> int:
        return self.samples.shape[1]

    def batch(self, gen: torch.Generator, size: int = FULL_BATCH) -> torch.Tensor:
        n = self.samples.shape[0]
        if n <= size:
            return self.samples
        return self.samples[torch.randint(n, (size,), generator=gen)]

    def log_density(self, z: torch.Tensor) -> torch.Tensor:
        """Log density of the data mixture at each row of z."""
        if self.means.numel() > 64:  # many components: by matrix products, not (m, K) triangular solves
            if self._form is None:
                self._form = precision_form(self.means, self.scale_trils)
            return logsumexp(log_prob_by_products(z, self._form) + self.log_weights, dim=-1)
        diff = z[:, None, :] - self.means[None]  # (m, K, d)
        sol = torch.linalg.solve_triangular(self.scale_trils[None], diff[..., None], upper=False)[..., 0]
        log_det = torch.log(torch.diagonal(self.scale_trils, dim1=-2, dim2=-1)).sum(-1)
        comp = -0.5 * (sol**2).sum(-1) - log_det - 0.5 * self.dim * math.log(2 * math.pi)
        return torch.logsumexp(comp + self.log_weights, dim=-1)


def _tensor(a, requires_grad: bool = True) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=float), dtype=DTYPE, requires_grad=requires_grad)


def _tril_param(cov: np.ndarray) -> torch.Tensor:
    """Unconstrained parameters of a Cholesky factor: the log of its diagonal, its lower part as is."""
    chol = np.linalg.cholesky(cov)
    raw = np.tril(chol, -1) + np.diag(np.log(np.diag(chol)))
    return _tensor(raw)


def _tril(raw: torch.Tensor) -> torch.Tensor:
    diag = torch.exp(torch.diagonal(raw, dim1=-2, dim2=-1)).clamp_min(MIN_STD)
    return torch.tril(raw, -1) + torch.diag_embed(diag)


class Model:
    """A set of parameters, an Adam optimiser over them and one loss."""

    fits: FittedModel | None = None  # the registry's name of the model this class trains
    follows_new_data = True  # False: new data needs a new model (one built around the old data's scale)

    @classmethod
    def create(cls, data: FitData, loss: Loss, settings: FitSettings, gen: torch.Generator, start: np.ndarray,
               rng: np.random.Generator) -> Model:
        """A fresh model of this class for `loss`; point-like models begin at `start`; `rng` draws numpy
        starts (k-means++)."""
        raise NotImplementedError

    def __init__(self, data: FitData, lr: float, gen: torch.Generator) -> None:
        self.data = data
        self.gen = gen
        self.params: list[torch.Tensor] = []
        self.lr = lr

    def _make_optimizer(self, betas=(0.9, 0.999)) -> None:
        self.opt = torch.optim.Adam(self.params, lr=self.lr, betas=betas)

    def set_lr(self, lr: float) -> None:
        self.lr = lr
        for group in self.opt.param_groups:
            group["lr"] = lr

    def objective(self, batch: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    batch_size = FULL_BATCH  # samples a step sees at most

    def step(self) -> float:
        """One optimiser step on a batch of the data; returns the loss before the step."""
        loss = self.objective(self.data.batch(self.gen, self.batch_size))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return float(loss.detach())

    def estimate(self) -> Estimate:
        raise NotImplementedError

    def state(self) -> dict:
        return {"params": [p.detach().clone() for p in self.params]}

    def restore(self, state: dict) -> None:
        with torch.no_grad():
            for p, saved in zip(self.params, state["params"]):
                p.copy_(saved)
        self._make_optimizer()  # the moments that led to the blow-up are dropped


class PointModel(Model):
    """A single point; the loss is the registry's penalty of each sample's squared distance to it."""

    fits = POINT_MODEL

    @classmethod
    def create(cls, data, loss, settings, gen, start, rng):
        return cls(data, loss.learning_rate(settings), gen, start, loss.penalty_for(settings))

    def __init__(self, data: FitData, lr: float, gen: torch.Generator, start: np.ndarray, penalty) -> None:
        super().__init__(data, lr, gen)
        self.mu = _tensor(start)
        self.params = [self.mu]
        self.penalty = penalty
        self._make_optimizer()

    def objective(self, batch: torch.Tensor) -> torch.Tensor:
        return self.penalty(self.data.squared_distance(batch - self.mu)).mean()

    def estimate(self) -> Estimate:
        return PointEstimate(self.mu.detach().numpy())


def narrow_cov(data: FitData) -> np.ndarray:
    """A covariance as narrow as the data's widest component on each axis: where Gaussians start."""
    return np.diag(np.max(np.stack([c.std for c in data.mixture.components]), axis=0) ** 2)


class GaussianModel(Model):
    """A Gaussian with learned mean and covariance, fitted by its likelihood of the data."""

    fits = GAUSSIAN_MODEL

    @classmethod
    def create(cls, data, loss, settings, gen, start, rng):
        return cls(data, loss.learning_rate(settings), gen, start, narrow_cov(data))

    def __init__(self, data: FitData, lr: float, gen: torch.Generator, start: np.ndarray, cov: np.ndarray) -> None:
        super().__init__(data, lr, gen)
        self.mu = _tensor(start)
        self.raw = _tril_param(cov)
        self.params = [self.mu, self.raw]
        self._make_optimizer()

    def objective(self, batch: torch.Tensor) -> torch.Tensor:
        return self.data.log_unit - gaussian_log_prob(batch, self.mu, _tril(self.raw)).mean()

    def estimate(self) -> Estimate:
        tril = _tril(self.raw).detach().numpy()
        return GaussianEstimate(self.mu.detach().numpy(), cov=tril @ tril.T)


class ReverseKLModel(GaussianModel):
    """A Gaussian q fitted by KL(q || p) against the known data density p (reparameterised draws)."""

    fits = REVERSE_KL_MODEL

    @classmethod
    def create(cls, data, loss, settings, gen, start, rng):
        # Half-way to the middle, in the valley: watch it seek a mode and stay as narrow as that mode.
        # (Starting much wider can settle over two neighbouring modes: a real local minimum of KL(q||p).)
        return cls(data, loss.learning_rate(settings), gen, 0.5 * (start + data.centre), narrow_cov(data))

    def step(self) -> float:
        dim = self.data.dim
        tril = _tril(self.raw)
        eps = torch.randn(KL_DRAWS, dim, generator=self.gen, dtype=DTYPE)
        z = self.mu + eps @ tril.T
        entropy = 0.5 * dim * math.log(2 * math.pi * math.e) + torch.log(torch.diagonal(tril)).sum()
        loss = -entropy - self.data.log_density(z).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return float(loss.detach())


class MixtureModel(Model):
    """K Gaussians with learned weights, means and covariances (an MDN head with no input)."""

    fits = MIXTURE_MODEL

    @classmethod
    def create(cls, data, loss, settings, gen, start, rng):
        means = kmeans_pp(data.samples.numpy(), loss.components(settings, data.mixture), rng)
        return cls(data, loss.learning_rate(settings), gen, means, narrow_cov(data))

    def __init__(self, data: FitData, lr: float, gen: torch.Generator, means: np.ndarray, cov: np.ndarray) -> None:
        super().__init__(data, lr, gen)
        k = len(means)
        self.logits = _tensor(np.zeros(k))
        self.means = _tensor(means)
        self.raw = _tensor(np.stack([_tril_param(cov).detach().numpy()] * k))
        self.batch_size = batch_for(k)
        self.params = [self.logits, self.means, self.raw]
        self._make_optimizer()

    def objective(self, batch: torch.Tensor) -> torch.Tensor:
        comp = gaussian_log_prob(batch, self.means, _tril(self.raw))  # (n, K)
        return self.data.log_unit - logsumexp(comp + torch.log_softmax(self.logits, 0), dim=1).mean()

    def estimate(self) -> Estimate:
        w = torch.softmax(self.logits, 0).detach().numpy()
        means = self.means.detach().numpy()
        tril = _tril(self.raw).detach().numpy()
        return MixtureEstimate(w @ means, weights=w, means=means, covs=tril @ np.swapaxes(tril, -1, -2))


class MinOfKModel(Model):
    """K point hypotheses; each sample pays only the squared distance to its closest one."""

    fits = MIN_OF_K_MODEL

    @classmethod
    def create(cls, data, loss, settings, gen, start, rng):
        points = kmeans_pp(data.samples.numpy(), loss.components(settings, data.mixture), rng)
        return cls(data, loss.learning_rate(settings), gen, points)

    def __init__(self, data: FitData, lr: float, gen: torch.Generator, points: np.ndarray) -> None:
        super().__init__(data, lr, gen)
        self.points = _tensor(points)
        self.batch_size = batch_for(len(points))
        self.params = [self.points]
        self._make_optimizer()

    def objective(self, batch: torch.Tensor) -> torch.Tensor:
        # The closest guess by |p|^2 - 2 x.p (|x|^2 is the same for every guess): one matrix product however
        # many guesses and dimensions, with no gradient; only each sample's own difference carries one.
        x, p = self.data.in_data_units(batch), self.data.in_data_units(self.points)
        with torch.no_grad():
            closest = torch.addmm((p**2).sum(-1), x, p.T, alpha=-2.0).argmin(dim=1)
        return ((x - p[closest]) ** 2).sum(-1).mean()

    def estimate(self) -> Estimate:
        points = self.points.detach().numpy()
        return PointsEstimate(points.mean(axis=0), points=points)


class AdversarialModel(Model):
    """A generator from noise against a discriminator, the non-saturating GAN of Goodfellow et al. 2014,
    with a packed critic: PacGAN (Lin, Khetan, Fanti & Oh 2018, "PacGAN: the power of two samples in
    generative adversarial networks").

    The critic judges `pack` samples at once, all real or all generated. A generator that drops a mode
    makes packs that lack it far more often than the data's packs do, which a critic of one sample at a
    time can hardly see on a small mode: the plain GAN dropped a 20% mode in 10 of 10 seeds and a 30% one
    in 1 of 10; packed in twos it kept both in every seed (benchmarks/gan_coverage.py), at the same speed.
    Both networks see standardised data, so the same architecture works at any scale.
    """

    fits = ADVERSARIAL_MODEL

    follows_new_data = False  # both networks see data standardised by the old data's centre and spread
    noise_dim = 4
    hidden = 64
    pack = 2  # samples the critic judges together

    @classmethod
    def create(cls, data, loss, settings, gen, start, rng):
        return cls(data, loss.learning_rate(settings), gen)

    def __init__(self, data: FitData, lr: float, gen: torch.Generator) -> None:
        super().__init__(data, lr, gen)
        dim = data.dim
        self.shift = torch.as_tensor(data.centre, dtype=DTYPE)
        self.spread = torch.as_tensor(max(data.scale / math.sqrt(dim), 1e-3), dtype=DTYPE)
        h = self.hidden
        seed = int(torch.randint(2**31 - 1, (1,), generator=gen))
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            self.generator = nn.Sequential(
                nn.Linear(self.noise_dim, h), nn.LeakyReLU(0.2), nn.Linear(h, h), nn.LeakyReLU(0.2), nn.Linear(h, dim)
            )
            self.critic = nn.Sequential(
                nn.Linear(dim * self.pack, h), nn.LeakyReLU(0.2), nn.Linear(h, h), nn.LeakyReLU(0.2), nn.Linear(h, 1)
            )
        self.shown_noise = torch.randn(GAN_SHOWN, self.noise_dim, generator=gen, dtype=DTYPE)
        self.params = list(self.generator.parameters()) + list(self.critic.parameters())
        self._make_optimizer()

    def _make_optimizer(self, betas=(0.5, 0.999)) -> None:
        self.opt = torch.optim.Adam(self.generator.parameters(), lr=self.lr, betas=betas)
        self.opt_critic = torch.optim.Adam(self.critic.parameters(), lr=self.lr, betas=betas)

    def set_lr(self, lr: float) -> None:
        super().set_lr(lr)
        for group in self.opt_critic.param_groups:
            group["lr"] = lr

    def step(self) -> float:
        bce = nn.functional.binary_cross_entropy_with_logits
        n = GAN_BATCH * self.pack
        drawn = torch.randint(self.data.samples.shape[0], (n,), generator=self.gen)  # independent draws: fair packs
        real = ((self.data.samples[drawn] - self.shift) / self.spread).reshape(GAN_BATCH, -1)
        noise = torch.randn(n, self.noise_dim, generator=self.gen, dtype=DTYPE)
        fake = self.generator(noise).reshape(GAN_BATCH, -1)
        ones = torch.ones(GAN_BATCH, 1, dtype=DTYPE)
        zeros = torch.zeros(GAN_BATCH, 1, dtype=DTYPE)
        critic_loss = bce(self.critic(real), ones) + bce(self.critic(fake.detach()), zeros)
        self.opt_critic.zero_grad(set_to_none=True)
        critic_loss.backward()
        self.opt_critic.step()
        gen_loss = bce(self.critic(fake), ones)
        self.opt.zero_grad(set_to_none=True)
        gen_loss.backward()
        self.opt.step()
        return float(gen_loss.detach())

    def sample(self, n: int) -> np.ndarray:
        with torch.no_grad():
            noise = torch.randn(n, self.noise_dim, generator=self.gen, dtype=DTYPE)
            return (self.generator(noise) * self.spread + self.shift).numpy()

    def estimate(self) -> Estimate:
        with torch.no_grad():
            samples = (self.generator(self.shown_noise) * self.spread + self.shift).numpy()
        return SamplesEstimate(samples.mean(axis=0), samples=samples)


# -- construction -----------------------------------------------------------------


def start_point(mixture: Mixture) -> np.ndarray:
    """Where point-like fits begin: just outside the lightest component, on the side away from the
    data mean, so the drift to the answer is long enough to watch."""
    weights = mixture.weights
    first = min(range(len(weights)), key=lambda i: (round(weights[i], 9), i))
    comp = mixture.components[first]
    away = comp.mean - mixture.mean()
    norm = float(np.linalg.norm(away))
    direction = away / norm if norm > 1e-9 else -np.eye(mixture.dim)[0]
    return comp.mean + direction * float(comp.std.max())


def model_class(loss: Loss) -> type[Model]:
    """The class that fits the model the registry names for `loss` (a subclass of Model anywhere)."""
    for cls in _subclasses(Model):
        if cls.__dict__.get("fits") is loss.fits:
            return cls
    raise KeyError(f"loss {loss.id!r}: no model class fits {loss.fits!r}")


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def build_model(data: FitData, settings: FitSettings, gen: torch.Generator, start: np.ndarray) -> Model:
    """A fresh model for the settings' loss; point-like models begin at `start`."""
    loss = loss_info(settings.loss)
    rng = np.random.default_rng(int(torch.randint(2**31 - 1, (1,), generator=gen)))  # drawn for every loss
    return model_class(loss).create(data, loss, settings, gen, np.asarray(start, dtype=float), rng)
