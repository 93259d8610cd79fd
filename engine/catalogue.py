"""The loss catalogue: stable ids, what each one fits and where it must end, in words for users."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LossInfo:
    id: str
    title: str
    explanation: str  # one line a user reads in the loss selector
    model: str  # what is fitted, in words
    kind: str  # the estimate's kind: point, gaussian, mixture, points, samples
    ends_at: str  # where theory says the fit ends


LOSSES: tuple[LossInfo, ...] = (
    LossInfo(
        "l2",
        "L2 (mean squared error)",
        "Squared distance to every sample: a Gaussian likelihood with fixed variance, so it ends at the mean.",
        "a point, drawn as a fixed-variance Gaussian",
        "point",
        "the mean",
    ),
    LossInfo(
        "l1",
        "L1 (mean absolute error)",
        "Distance to every sample: ends at the median, which may sit on one mode or in a flat valley.",
        "a point",
        "point",
        "the median (geometric median in 2-D)",
    ),
    LossInfo(
        "huber",
        "Huber",
        "Squared close by, absolute far away: ends between the mean and the median.",
        "a point, with threshold delta",
        "point",
        "the Huber M-estimate",
    ),
    LossInfo(
        "gaussian_nll",
        "Gaussian likelihood",
        "Learns a mean and a covariance: one wide Gaussian over all modes, centred between them.",
        "a Gaussian with learned mean and covariance",
        "gaussian",
        "the mean and covariance of the data",
    ),
    LossInfo(
        "mixture_nll",
        "Mixture likelihood (MDN)",
        "Learns a mixture of K Gaussians: one component settles on each mode.",
        "a K-component Gaussian mixture",
        "mixture",
        "the data's components",
    ),
    LossInfo(
        "reverse_kl",
        "Reverse KL (mode seeking)",
        "Penalises putting mass where the data has none: the Gaussian picks one mode and stays sharp.",
        "a Gaussian fitted by KL(q||p) with the known data density",
        "gaussian",
        "one mode",
    ),
    LossInfo(
        "adversarial",
        "Adversarial (GAN)",
        "A critic learns to tell fakes from data: the generator's samples land on the modes.",
        "a generator network from noise, against a discriminator network",
        "samples",
        "the data distribution",
    ),
    LossInfo(
        "min_of_k",
        "Min-of-K (winner takes all)",
        "K guesses, only the closest one pays: each guess claims a cluster (the k-means centres).",
        "K point hypotheses",
        "points",
        "the k-means centres",
    ),
)

LOSS_IDS: tuple[str, ...] = tuple(info.id for info in LOSSES)

# Losses of a single image that can be fitted directly in pixel space (the others answer with
# decoded components, guesses or samples).
PIXEL_LOSSES: tuple[str, ...] = ("l2", "l1", "huber", "gaussian_nll")


def loss_info(loss_id: str) -> LossInfo:
    for info in LOSSES:
        if info.id == loss_id:
            return info
    raise KeyError(f"unknown loss {loss_id!r}; choose one of {', '.join(LOSS_IDS)}")
