"""The loss registry: every fact about each loss, declared once; the rest of the app reads it here.

A loss's entry says what a user reads (title, one-line explanation, where it ends in words), how it
is trained (Adam's default step size, the pace of the show at 1x), what it fits (the model class in
engine.fit.models, named so this module never imports torch, and the kind of estimate it gives),
where theory says it ends (a function of engine.model.theory), and its objective: for a model of one
point, a penalty of each sample's squared distance; in pixel space, the torch.nn.functional loss the
image is fitted with. It also says which landscape the loss has (a form of engine.model.landscape, or
none and why) and how low its training loss can go (a function of engine.model.floors). Adding a loss
is one entry here plus, for a new kind of model, its model class.

Penalties are written with operators only (`**`, `.clip`), so the same function takes a torch tensor
in the fit and a numpy array wherever the loss is evaluated without torch. The pixel objectives are
torch's own fused losses, named: written with operators they were 2 to 10 times slower on the
590,000 numbers of a step in pixel space.

A loss that also trains a network on real digits (engine.fit.digits) says how in its `images` entry.
`l2_adversarial`, the context encoder's mix, exists only there: it is declared here, once, but is not
part of the data-space catalogue (LOSS_IDS, the selector, keys 1-8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.model import floors, landscape, theory
from engine.model.estimate import (Estimate, GaussianEstimate, MixtureEstimate, PointEstimate, PointsEstimate,
                                   SamplesEstimate)

if TYPE_CHECKING:
    import numpy as np

    from engine.model.mixture import Mixture
    from engine.model.settings import FitSettings

Penalty = Callable[[Any, float], Any]  # (squared residual length, delta) -> penalty; arrays or tensors
Optimum = Callable[["Mixture", "np.ndarray", "FitSettings"], dict[str, Any]]
Floor = Callable[["Loss", "Mixture", "np.ndarray", "FitSettings"], tuple[float, str]]

_EPS = 1e-12  # under the square root, so a residual of exactly zero has a finite gradient


def squared(s: Any, delta: float) -> Any:
    """L2: the squared distance itself."""
    return s


def absolute(s: Any, delta: float) -> Any:
    """L1: the distance (Euclidean, so that in 2-D the optimum is the geometric median)."""
    return (s + _EPS) ** 0.5


def huber(s: Any, delta: float) -> Any:
    """Huber: half the squared distance up to delta, then growing linearly."""
    a = (s + _EPS) ** 0.5
    c = a.clip(max=delta)
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
    """One loss of the catalogue: all the app knows of it, in one registry entry that every layer reads."""

    id: str  # stable: scene files, the command line and sessions name it
    title: str
    explanation: str  # one line a user reads in the loss selector
    model: str  # what is fitted, in words
    ends_at: str  # where theory says the fit ends, in words; "(... in 2-D)" is dropped in 1-D
    estimate: type[Estimate] | None = None  # the kind of estimate it gives (None: no data-space fit)
    model_class: str = ""  # the class of engine.fit.models that fits it
    optimum: Optimum | None = None  # where it must end on given samples
    lr: float = 0.02  # Adam's step size: small enough to be stable, large enough to watch
    pace: float = 45.0  # optimiser steps per second at speed 1x: every fit takes a few seconds to watch
    penalty: Penalty | None = None  # for a model of one point: the penalty of each sample's squared distance
    pixel: PixelObjective | None = None  # None: it answers in pixels with decoded components, guesses or samples
    answer: str = ""  # the image pane's title for those decoded answers
    landscape: landscape.LandscapeForm = landscape.none("")  # what its expected loss is drawn over, or why not
    floor: Floor | None = None  # the lowest its training loss can go on the samples, and what that is
    images: ImageTraining | None = None  # how it trains a network on real digits; None: data space only

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


LOSSES: tuple[Loss, ...] = (
    Loss(
        "l2", "L2 (mean squared error)",
        "Squared distance to every sample: a Gaussian likelihood with fixed variance, so it ends at the mean.",
        model="a point, drawn as a fixed-variance Gaussian", ends_at="the mean",
        estimate=PointEstimate, model_class="PointModel", optimum=theory.optimum_mean,
        penalty=squared, pixel=PixelObjective("mse_loss"),
        landscape=landscape.DIRECT, floor=floors.at_the_optimum,
        images=ImageTraining("one", "mse_loss"),
    ),
    Loss(
        "l1", "L1 (mean absolute error)",
        "Distance to every sample: ends at the median, which may sit on one mode or in a flat valley.",
        model="a point", ends_at="the median (geometric median in 2-D)",
        estimate=PointEstimate, model_class="PointModel", optimum=theory.optimum_median,
        penalty=absolute, pixel=PixelObjective("l1_loss"),
        landscape=landscape.DIRECT, floor=floors.at_the_optimum,
        images=ImageTraining("one", "l1_loss"),
    ),
    Loss(
        "huber", "Huber",
        "Squared close by, absolute far away: ends between the mean and the median.",
        model="a point, with threshold delta", ends_at="the Huber M-estimate",
        estimate=PointEstimate, model_class="PointModel", optimum=theory.optimum_huber,
        penalty=huber, pixel=PixelObjective("huber_loss", delta=0.1),
        landscape=landscape.DIRECT, floor=floors.at_the_optimum,
    ),
    Loss(
        "gaussian_nll", "Gaussian likelihood",
        "Learns a mean and a covariance: one wide Gaussian over all modes, centred between them.",
        model="a Gaussian with learned mean and covariance", ends_at="the mean and covariance of the data",
        estimate=GaussianEstimate, model_class="GaussianModel", optimum=theory.optimum_mean_and_covariance,
        pace=90, pixel=PixelObjective("gaussian_nll_loss"),
        landscape=landscape.GAUSSIAN_BEST_SPREAD, floor=floors.gaussian_likelihood,
    ),
    Loss(
        "mixture_nll", "Mixture likelihood (MDN)",
        "Learns a mixture of K Gaussians: one component settles on each mode.",
        model="a K-component Gaussian mixture", ends_at="the data's components",
        estimate=MixtureEstimate, model_class="MixtureModel", optimum=theory.optimum_components,
        pace=200, answer="the mixture's components",
        landscape=landscape.none("A mixture has a weight, a mean and a spread for each component: its loss "
                                 "has no landscape over one prediction. Its components settle on the modes."),
        floor=floors.data_likelihood,
    ),
    Loss(
        "reverse_kl", "Reverse KL (mode seeking)",
        "Penalises putting mass where the data has none: the Gaussian picks one mode and stays sharp.",
        model="a Gaussian fitted by KL(q||p) with the known data density", ends_at="one mode",
        estimate=GaussianEstimate, model_class="ReverseKLModel", optimum=theory.optimum_one_mode,
        pace=60, answer="the chosen mode",
        landscape=landscape.REVERSE_KL_BEST_SPREAD, floor=floors.reverse_kl,
    ),
    Loss(
        "adversarial", "Adversarial (GAN)",
        "A critic learns to tell fakes from data: the generator's samples land on the modes.",
        model="a generator network from noise, against a discriminator network", ends_at="the data distribution",
        estimate=SamplesEstimate, model_class="AdversarialModel", optimum=theory.optimum_distribution,
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
        estimate=PointsEstimate, model_class="MinOfKModel", optimum=theory.optimum_kmeans,
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
        raise KeyError(f"unknown loss {loss_id!r}; choose one of {', '.join(LOSS_IDS)}") from None


def image_loss_info(loss_id: str) -> Loss:
    """A loss that trains a network on real digits; KeyError naming the choices for another."""
    loss = _IMAGE_BY_ID.get(loss_id)
    if loss is None:
        raise KeyError(f"unknown image loss {loss_id!r}; choose one of {', '.join(IMAGE_LOSS_IDS)}")
    return loss
