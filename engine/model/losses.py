"""The loss registry: every fact about each loss, declared once; the rest of the app reads it here.

A loss's entry says what a user reads (title, one-line explanation, where it ends in words), how it
is trained (Adam's default step size, the pace of the show at 1x), which model the fit trains for it
(a `FittedModel` of engine.model.estimate, whose class in engine.fit.models says it fits it), its own
parameters (Huber's delta, K), and its parts: where theory says it ends (engine.model.theory), how low
its training loss can go (engine.model.floors), what its landscape runs over (engine.model.landscape)
and, for a model of one point, its penalty of each sample's squared distance. In pixel space it names
the torch.nn.functional loss the image is fitted with.

Each part takes, by keyword, only what it uses: `samples`, `mixture`, `k` and `seed`, each of the
entry's parameters by its name, and for floors the loss's `end` point, `penalty` and `ends_at`. The
registry depends on the parts; no part knows the registry. A new loss is one `Loss(...)` given to
`register` (or `registered`, for a test), with a new model class only for a new kind of model.

Penalties are written with operators only (`**`, `.clip`), so the same function takes a torch tensor
in the fit and a numpy array wherever the loss is evaluated without torch. The pixel objectives are
torch's own fused losses, named: written with operators they were 2 to 10 times slower on the
590,000 numbers of a step in pixel space.

A loss that also trains a network on real digits (engine.fit.digits) says how in its `images` entry.
`l2_adversarial`, the context encoder's mix, exists only there: it is declared here, once, but is not
part of the data-space catalogue (LOSS_IDS, the selector, keys 1-8).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.io.values import InvalidValue, positive, whole
from engine.model import floors, landscape, theory
from engine.model.estimate import (ADVERSARIAL_MODEL, GAUSSIAN_MODEL, MIN_OF_K_MODEL, MIXTURE_MODEL, POINT_MODEL,
                                   REVERSE_KL_MODEL, Estimate, FittedModel)
from engine.model.floors import Floor
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings, Param, keywords_of, supply
from engine.model.theory import EndPoint

Penalty = Callable[..., Any]  # (squared residual length, *, the loss's parameters) -> penalty; arrays or tensors

_EPS = 1e-12  # under the square root, so a residual of exactly zero has a finite gradient

# The losses' own parameters; an entry lists those its parts take.
HUBER_DELTA = Param("huber_delta", 1.0, positive, "Huber's threshold between squared and absolute")
K = Param("k", 0, whole, "components or hypotheses; 0: as many as the data has")


def squared(s: Any) -> Any:
    """L2: the squared distance itself."""
    return s


def absolute(s: Any) -> Any:
    """L1: the distance (Euclidean, so that in 2-D the optimum is the geometric median)."""
    return (s + _EPS) ** 0.5


def huber(s: Any, *, huber_delta: float) -> Any:
    """Huber: half the squared distance up to delta, then growing linearly."""
    a = (s + _EPS) ** 0.5
    c = a.clip(max=huber_delta)
    return c * (a - 0.5 * c)


# The registry's entries and their parts are compared as objects: one of each, read everywhere (eq=False also
# spares generating __eq__ and __hash__ on the way to the window's first paint).
@dataclass(frozen=True, eq=False)
class PixelObjective:
    """The loss of one image against each data image, pixel by pixel (values in [0, 1])."""

    function: str  # a loss of torch.nn.functional: mse_loss, l1_loss, huber_loss or gaussian_nll_loss
    delta: float | None = None  # huber_loss's threshold, on the pixel scale

    @property
    def learns_variance(self) -> bool:
        """A Gaussian likelihood: a variance per pixel is learned beside the image."""
        return self.function == "gaussian_nll_loss"


@dataclass(frozen=True, eq=False)
class ImageTraining:
    """How a loss trains a network on real digits: what the network gives per input and what judges it."""

    outputs: str  # "one" image per input, "hypotheses" (K of them, winner takes all) or "samples" (from noise)
    reconstruction: str | None  # the per-pixel loss against the data, of torch.nn.functional; None: none
    adversarial: bool = False  # a discriminator judges each output together with its input
    adversarial_weight: float = 1.0  # the adversarial term's share beside the reconstruction (the user may change it)
    lr: float = 1e-3  # Adam's step size for the network (and its discriminator)
    title: str = ""  # the name in the real-images view, if not the loss's own title

    @property
    def sampled(self) -> bool:
        """The network takes a noise vector beside its input and draws samples."""
        return self.outputs == "samples"


@dataclass(frozen=True, eq=False)
class Loss:
    """One loss: all the app knows of it, in one registry entry that every layer reads."""

    id: str  # stable: scene files, the command line and sessions name it
    title: str
    explanation: str  # one line a user reads in the loss selector
    model: str  # what is fitted, in words
    ends_at: str  # where theory says the fit ends, in words; "(... in 2-D)" is dropped in 1-D
    fits: FittedModel | None = None  # the model the fit trains (None: no data-space fit)
    params: tuple[Param, ...] = ()  # its own parameters, which its parts take by name
    optimum: Callable[..., EndPoint] | None = None  # where it must end on given samples
    lr: float = 0.02  # Adam's step size: small enough to be stable, large enough to watch
    pace: float = 45.0  # optimiser steps per second at speed 1x: every fit takes a few seconds to watch
    penalty: Penalty | None = None  # for a model of one point: the penalty of each sample's squared distance
    pixel: PixelObjective | None = None  # None: it answers in pixels with decoded components, guesses or samples
    answer: str = ""  # the image pane's title for those decoded answers
    landscape: landscape.LandscapeForm = landscape.none("")  # what its expected loss is drawn over, or why not
    floor: Callable[..., Floor] | None = None  # the lowest its training loss can go on the samples
    images: ImageTraining | None = None  # how it trains a network on real digits; None: data space only

    @property
    def estimate(self) -> type[Estimate] | None:
        """The kind of estimate its fit gives."""
        return self.fits.estimate if self.fits else None

    @property
    def kind(self) -> str:
        return self.estimate.kind if self.estimate else ""

    @property
    def has_pulls(self) -> bool:
        """Its tug of war can be drawn: its objective is a penalty of each sample's distance (the losses of
        one point)."""
        return self.penalty is not None

    @property
    def image_title(self) -> str:
        return (self.images and self.images.title) or self.title

    def ends_at_in(self, dim: int) -> str:
        return self.ends_at if dim == 2 else self.ends_at.split(" (")[0]

    def steps_per_second(self, speed: float) -> float:
        return self.pace * speed

    # -- the entry applied to settings and data -------------------------------------------------------
    def learning_rate(self, settings: FitSettings) -> float:
        return self.lr if settings.lr is None else settings.lr

    def components(self, settings: FitSettings, mixture: Mixture) -> int:
        """K: its components or guesses (as many as the data has, unless set); 1 for a loss without K."""
        if K not in self.params:
            return 1
        return settings.value(K) or max(len(mixture.components), 1)

    def penalty_for(self, settings: FitSettings) -> Callable[[Any], Any]:
        """Its penalty of a squared distance, with its parameters' values (arrays or tensors)."""
        if self.penalty is None:
            raise ValueError(f"loss {self.id!r} has no penalty of a distance")
        return functools.partial(self.penalty, **{p.name: settings.value(p) for p in self.params
                                                  if p.name in keywords_of(self.penalty)})

    def end_point(self, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> EndPoint:
        """Where theory says its fit ends on these samples."""
        return supply(self.optimum, self._available(mixture, samples, settings))

    def floor_on(self, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> Floor | None:
        """The lowest its training loss can go on these samples, or None for a loss without a floor."""
        if self.floor is None:
            return None
        available = self._available(mixture, samples, settings)
        available |= {"end": lambda: self.end_point(mixture, samples, settings),
                      "penalty": lambda: self.penalty_for(settings), "ends_at": lambda: self.ends_at_in(mixture.dim)}
        return supply(self.floor, available)

    def landscape_reason(self, settings: FitSettings, mixture: Mixture) -> str:
        """Why it has no landscape for this data and these settings; "" if it has one."""
        return self.landscape.reason_against(mixture.dim, self.components(settings, mixture))

    def landscape_on(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings,
                     box: tuple[np.ndarray, np.ndarray] | None = None,
                     points: int | None = None) -> landscape.Landscape:
        """Its expected loss over the prediction (ValueError, saying why, if it has none here)."""
        return landscape.compute(self.landscape, samples, mixture, box, points, k=self.components(settings, mixture),
                                 penalty=self.penalty_for(settings) if self.penalty else None)

    def _values(self, settings: FitSettings) -> dict[str, Callable[[], Any]]:
        return {p.name: functools.partial(settings.value, p) for p in self.params}

    def _available(self, mixture: Mixture, samples: np.ndarray, settings: FitSettings) -> dict[str, Callable[[], Any]]:
        return {"samples": lambda: samples, "mixture": lambda: mixture, "seed": lambda: settings.seed,
                **self._values(settings), "k": lambda: self.components(settings, mixture)}


LOSSES: tuple[Loss, ...] = (
    Loss(
        "l2", "L2 (mean squared error)",
        "Squared distance to every sample: a Gaussian likelihood with fixed variance, so it ends at the mean.",
        model="a point, drawn as a fixed-variance Gaussian", ends_at="the mean",
        fits=POINT_MODEL, optimum=theory.optimum_mean,
        penalty=squared, pixel=PixelObjective("mse_loss"),
        landscape=landscape.DIRECT, floor=floors.at_the_optimum,
        images=ImageTraining("one", "mse_loss"),
    ),
    Loss(
        "l1", "L1 (mean absolute error)",
        "Distance to every sample: ends at the median, which may sit on one mode or in a flat valley.",
        model="a point", ends_at="the median (geometric median in 2-D)",
        fits=POINT_MODEL, optimum=theory.optimum_median,
        penalty=absolute, pixel=PixelObjective("l1_loss"),
        landscape=landscape.DIRECT, floor=floors.at_the_optimum,
        images=ImageTraining("one", "l1_loss"),
    ),
    Loss(
        "huber", "Huber",
        "Squared close by, absolute far away: ends between the mean and the median.",
        model="a point, with threshold delta", ends_at="the Huber M-estimate",
        fits=POINT_MODEL, params=(HUBER_DELTA,), optimum=theory.optimum_huber,
        penalty=huber, pixel=PixelObjective("huber_loss", delta=0.1),
        landscape=landscape.DIRECT, floor=floors.at_the_optimum,
    ),
    Loss(
        "gaussian_nll", "Gaussian likelihood",
        "Learns a mean and a covariance: one wide Gaussian over all modes, centred between them.",
        model="a Gaussian with learned mean and covariance", ends_at="the mean and covariance of the data",
        fits=GAUSSIAN_MODEL, optimum=theory.optimum_mean_and_covariance,
        pace=90, pixel=PixelObjective("gaussian_nll_loss"),
        landscape=landscape.GAUSSIAN_BEST_SPREAD, floor=floors.gaussian_likelihood,
    ),
    Loss(
        "mixture_nll", "Mixture likelihood (MDN)",
        "Learns a mixture of K Gaussians: one component settles on each mode.",
        model="a K-component Gaussian mixture", ends_at="the data's components",
        fits=MIXTURE_MODEL, params=(K,), optimum=theory.optimum_components,
        pace=200, answer="the mixture's components",
        landscape=landscape.none("A mixture has a weight, a mean and a spread for each component: its loss "
                                 "has no landscape over one prediction. Its components settle on the modes."),
        floor=floors.data_likelihood,
    ),
    Loss(
        "reverse_kl", "Reverse KL (mode seeking)",
        "Penalises putting mass where the data has none: the Gaussian picks one mode and stays sharp.",
        model="a Gaussian fitted by KL(q||p) with the known data density", ends_at="one mode",
        fits=REVERSE_KL_MODEL, optimum=theory.optimum_one_mode,
        pace=60, answer="the chosen mode",
        landscape=landscape.REVERSE_KL_BEST_SPREAD, floor=floors.reverse_kl,
    ),
    Loss(
        "adversarial", "Adversarial (GAN)",
        "A critic learns to tell fakes from data: the generator's samples land on the modes.",
        model="a generator network from noise, against a discriminator network", ends_at="the data distribution",
        fits=ADVERSARIAL_MODEL, optimum=theory.optimum_distribution,
        lr=2e-3, pace=400, answer="generated samples",
        landscape=landscape.none("The generator's loss is set by a critic that learns as it goes: there is no "
                                 "fixed landscape to draw, only a game between two networks."),
        floor=floors.critic_fooled,
        images=ImageTraining("samples", None, adversarial=True, lr=4e-4, title="Adversarial (conditional GAN)"),
    ),
    Loss(
        "min_of_k", "Min-of-K (winner takes all)",
        "K guesses, only the closest one pays: each guess claims a cluster (the k-means centres).",
        model="K point hypotheses", ends_at="the k-means centres",
        fits=MIN_OF_K_MODEL, params=(K,), optimum=theory.optimum_kmeans,
        pace=90, answer="the K guesses",
        landscape=landscape.TWO_GUESSES, floor=floors.kmeans_cost,
        images=ImageTraining("hypotheses", "mse_loss"),
    ),
)

# Losses for real images only: not in the data-space catalogue.
IMAGE_ONLY: tuple[Loss, ...] = (
    Loss(
        "l2_adversarial", "L2 + adversarial (context encoder)",
        "Squared error plus a critic's verdict, weighted: the critic pushes L2's blur towards one sharp answer.",
        model="one image per input, judged by a discriminator", ends_at="a sharp answer near the mean",
        images=ImageTraining("one", "mse_loss", adversarial=True, adversarial_weight=0.05, lr=5e-4),
    ),
)

LOSS_IDS: tuple[str, ...] = tuple(loss.id for loss in LOSSES)
_BY_ID = {loss.id: loss for loss in LOSSES}

# Losses of a single image that are fitted directly in pixel space (the others answer with
# decoded components, guesses or samples).
PIXEL_LOSSES: tuple[str, ...] = tuple(loss.id for loss in LOSSES if loss.pixel is not None)

# Losses that train a network on real digits, in the order of the real-images view.
IMAGE_LOSS_IDS: tuple[str, ...] = tuple(loss.id for loss in LOSSES + IMAGE_ONLY if loss.images is not None)
_IMAGE_BY_ID = {loss.id: loss for loss in LOSSES + IMAGE_ONLY if loss.images is not None}


def loss_info(loss_id: str) -> Loss:
    try:
        return _BY_ID[loss_id]
    except KeyError:
        raise KeyError(f"unknown loss {loss_id!r}; choose one of {', '.join(_BY_ID)}") from None


def image_loss_info(loss_id: str) -> Loss:
    """A loss that trains a network on real digits; KeyError naming the choices for another."""
    loss = _IMAGE_BY_ID.get(loss_id)
    if loss is None:
        raise KeyError(f"unknown image loss {loss_id!r}; choose one of {', '.join(IMAGE_LOSS_IDS)}")
    return loss


# -- adding a loss and checking settings against the registry -----------------------------------------
def register(loss: Loss) -> None:
    """Add a data-space loss beside the catalogue (LOSS_IDS stays the catalogue: the selector and keys 1-8)."""
    if loss.id in _BY_ID:
        raise ValueError(f"loss {loss.id!r} is registered already")
    if loss.fits is None:
        raise ValueError(f"loss {loss.id!r}: a data-space loss names the model it fits")
    _BY_ID[loss.id] = loss


def unregister(loss_id: str) -> None:
    if loss_id in LOSS_IDS:
        raise ValueError(f"loss {loss_id!r} is part of the catalogue")
    del _BY_ID[loss_id]


@contextlib.contextmanager
def registered(loss: Loss) -> Iterator[Loss]:
    """A loss registered for the duration of a block (a test's), then removed."""
    register(loss)
    try:
        yield loss
    finally:
        unregister(loss.id)


def registry() -> tuple[Loss, ...]:
    """Every data-space loss: the catalogue, then the ones registered since."""
    return tuple(_BY_ID.values())


def parameters() -> tuple[Param, ...]:
    """Every parameter of a registered loss, once each, in the order the entries declare them."""
    return tuple({p.name: p for loss in registry() for p in loss.params}.values())


def checked(settings: FitSettings, prefix: str = "") -> FitSettings:
    """The settings if the registry accepts them: a registered loss, and each parameter value its check
    passes (InvalidValue naming the key, with `prefix` as a session file spells it, e.g. "fit.")."""
    if settings.loss not in _BY_ID:
        raise InvalidValue(f"loss: unknown loss {settings.loss!r}; choose one of {', '.join(_BY_ID)}")
    known = {p.name: p for p in parameters()}
    for name, value in settings.params:
        if name not in known:
            raise InvalidValue(f"{prefix}{name}: unknown parameter; the parameters are {', '.join(known)}")
        known[name].check(value, f"{prefix}{name}")
    return settings
