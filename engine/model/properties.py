"""Many properties: the scene of K independent two-kind properties (K = 1 … 8), 2^K kinds of car.

Property i is axis i of the data space and of the car decoder (body style, colour, wheels, …). Each has
two kinds, each with its position, weight and spread; the scene's mixture is their product: one
component per corner, weighted by the product of its kinds' weights, with a diagonal covariance.
`properties_scene` builds that scene and `scene_properties` reads it back, so a drag of one property's
kind rebuilds the scene. Because the properties are independent, the density anywhere is the product
of the properties' 1-D densities, which is how `log_density_fraction` computes it exactly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from engine.decoders import decode, decoder_dims
from engine.maths.sharpness import blur_crete, nearest_mse, ssim_many
from engine.model.mixture import Component, Mixture
from engine.model.scene import Scene, SceneError

MAX_PROPERTIES = 8
DEFAULT_PROPERTIES = 6  # the bundled scene's: 64 kinds of car, the essay's "many"
PIXEL_BUDGET = 512  # decoded samples behind a pixel answer when no samples are given
# Cars decoded at a time for a pixel answer: a few MB of images and of the decoder's working arrays, which
# the window's allocator would otherwise keep (at 1,024 a batch, some 100 MB of its memory for good).
DECODE_BATCH = 64


@dataclass(frozen=True)
class Property:
    """One property of a car with two kinds: where each kind sits on its axis, how common it is (the two
    weights are normalised when read) and how widely it varies."""

    name: str
    kinds: tuple[str, str]
    positions: tuple[float, float] = (-2.0, 2.0)
    weights: tuple[float, float] = (1.0, 1.0)
    spreads: tuple[float, float] = (0.5, 0.5)  # standard deviations

    def moved(self, kind: int, position: float | None = None, weight: float | None = None,
              spread: float | None = None) -> Property:
        """A copy with kind `kind` (0 or 1) moved, reweighted or widened: what a drag produces."""
        def put(pair: tuple[float, float], value: float | None) -> tuple[float, float]:
            return pair if value is None else tuple(float(value) if j == kind else pair[j] for j in (0, 1))
        return replace(self, positions=put(self.positions, position), weights=put(self.weights, weight),
                       spreads=put(self.spreads, spread))

    def marginal(self) -> Mixture:
        """The property's own 1-D mixture: what its small multiple draws."""
        return Mixture(tuple(Component(w, [m], [[s * s]], k)
                             for w, m, s, k in zip(self.weights, self.positions, self.spreads, self.kinds)))


# The car decoder's axes, in order, each with its two kinds' short names.
CAR_PROPERTIES = (
    Property("body style", ("sedan", "SUV")),
    Property("colour", ("red", "blue")),
    Property("wheels", ("small wheels", "big wheels")),
    Property("roof box", ("no roof box", "roof box")),
    Property("sky", ("day", "night")),
    Property("facing", ("facing right", "facing left")),
    Property("length", ("standard", "stretched")),
    Property("suspension", ("standard ride", "lifted")),
)
assert len(CAR_PROPERTIES) == decoder_dims("cars") == MAX_PROPERTIES


def default_properties(k: int = DEFAULT_PROPERTIES) -> tuple[Property, ...]:
    """The first k car properties with their default kinds: at ±2, equal weights, spread 0.5."""
    if not 1 <= k <= MAX_PROPERTIES:
        raise ValueError(f"properties: must be 1 to {MAX_PROPERTIES}, got {k}")
    return CAR_PROPERTIES[:k]


def corners(k: int) -> np.ndarray:
    """Which kind of each property every corner has, (2^k, k) of 0/1; the first property varies slowest."""
    return np.array(list(itertools.product((0, 1), repeat=k)), dtype=int).reshape(-1, k)


def corner_label(props: tuple[Property, ...], kinds: np.ndarray) -> str:
    """A kind of car in words: "red SUV, big wheels, roof box" (colour before body, as one says it)."""
    words = [p.kinds[j] for p, j in zip(props, kinds)]
    if len(words) >= 2:
        words = [f"{words[1]} {words[0]}", *words[2:]]
    return ", ".join(words)


def product_mixture(props: tuple[Property, ...]) -> Mixture:
    """The product of the properties: one diagonal Gaussian per corner, in `corners` order."""
    k = len(props)
    pos = np.array([p.positions for p in props])  # (k, 2)
    w = np.array([p.weights for p in props], dtype=float)
    w /= w.sum(axis=1, keepdims=True)
    sd = np.array([p.spreads for p in props])
    axis = np.arange(k)
    return Mixture(tuple(
        Component(float(np.prod(w[axis, c])), pos[axis, c], np.diag(sd[axis, c] ** 2), corner_label(props, c))
        for c in corners(k)))


def properties_scene(props: tuple[Property, ...], *, name: str = "Many properties", samples: int = 4000,
                     seed: int = 0, loss: str = "l2") -> Scene:
    """The scene of these properties, decoded as cars."""
    if not 1 <= len(props) <= MAX_PROPERTIES:
        raise SceneError(f"properties: must be 1 to {MAX_PROPERTIES}, got {len(props)}")
    return Scene(name, product_mixture(props), samples, seed, "cars", loss)


def scene_properties(scene: Scene) -> tuple[Property, ...]:
    """The properties a scene is the product of (the inverse of properties_scene); SceneError if the
    scene is not of that form (2^dim components in corner order, diagonal covariances, weights that
    factorise)."""
    mix, k = scene.mixture, scene.dim
    if len(mix.components) != 2**k:
        raise SceneError(f"components: a scene of {k} two-kind properties has {2**k}, got {len(mix.components)}")
    bits = corners(k)
    w, means, covs = mix.weights, mix.means, mix.covs
    props = []
    for i in range(k):
        first, second = np.flatnonzero(bits[:, i] == 0)[0], np.flatnonzero(bits[:, i] == 1)[0]
        pair_w = (float(w[bits[:, i] == 0].sum()), float(w[bits[:, i] == 1].sum()))
        props.append(replace(CAR_PROPERTIES[i], positions=(float(means[first, i]), float(means[second, i])),
                             weights=pair_w,
                             spreads=(math.sqrt(covs[first, i, i]), math.sqrt(covs[second, i, i]))))
    props = tuple(props)
    rebuilt = product_mixture(props)
    if not (np.allclose(rebuilt.means, means, atol=1e-9) and np.allclose(rebuilt.covs, covs, atol=1e-9)
            and np.allclose(rebuilt.weights, w, atol=1e-9)):
        raise SceneError("components: not the product of independent two-kind properties")
    return props


# -- how rare the answer is, exactly -----------------------------------------------------------------
def log_density_fraction(props: tuple[Property, ...], point: np.ndarray) -> float:
    """log(density at `point` / peak density) of the product, by the product rule: the sum over the
    properties of each 1-D density's log fraction of its own peak. Exact however small."""
    point = np.asarray(point, dtype=float).reshape(-1)
    return float(sum(p.marginal().log_density_fraction(point[i:i + 1])[0] for i, p in enumerate(props)))


def answer(props: tuple[Property, ...]) -> np.ndarray:
    """Where L2 ends on these properties: the mean of the product, each property's own mean."""
    return np.array([np.dot(np.array(p.weights) / sum(p.weights), p.positions) for p in props])


def density_at_answer_by_k(props: tuple[Property, ...] = CAR_PROPERTIES) -> np.ndarray:
    """log10 of the density at L2's answer as a fraction of the peak, for the first K properties,
    K = 1 … len(props): the chart of how rare the mean gets as properties are added."""
    per = np.array([p.marginal().log_density_fraction(answer((p,)))[0] for p in props])
    return np.cumsum(per) / math.log(10)


# -- the pixel answer -----------------------------------------------------------------------------------
def draw(props: tuple[Property, ...], n: int, seed: int = 0) -> np.ndarray:
    """n samples of the product, (n, K), drawn property by property (a kind, then its spread)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, len(props)))
    for i, p in enumerate(props):
        w = np.array(p.weights, dtype=float)
        kind = rng.random(n) < w[1] / w.sum()
        out[:, i] = np.where(kind, p.positions[1], p.positions[0]) + \
            np.where(kind, p.spreads[1], p.spreads[0]) * rng.standard_normal(n)
    return out


def stratified(props: tuple[Property, ...], n: int, seed: int = 0) -> np.ndarray:
    """n points of the product, (n, K), spread evenly: each corner gets its weight's share of them (largest
    remainders), and each property's offsets within a kind are normal quantiles in a seeded order. Their
    average image has far less sampling noise than n random draws, which would read as fine detail."""
    mix = product_mixture(props)
    share = mix.weights * n
    counts = np.floor(share).astype(int)
    counts[np.argsort(counts - share)[: n - counts.sum()]] += 1
    which = np.repeat(np.arange(len(counts)), counts)
    rng = np.random.default_rng(seed)
    quantile = NormalDist().inv_cdf
    z = np.array([quantile((i + 0.5) / n) for i in range(n)])
    offsets = np.stack([z[rng.permutation(n)] for _ in props], axis=1)
    return mix.means[which] + offsets * np.sqrt(np.diagonal(mix.covs, axis1=1, axis2=2))[which]


def pixel_answer(props: tuple[Property, ...], samples: np.ndarray | None = None, seed: int = 0) -> np.ndarray:
    """L2's answer in pixel space: the average of the decoded samples, (H, W, 3) float32. Without
    samples, PIXEL_BUDGET points spread evenly over the properties' kinds (`stratified`)."""
    pts = stratified(props, PIXEL_BUDGET, seed) if samples is None else np.asarray(samples, dtype=float)
    total = np.zeros(decode("cars", pts[:1]).shape[1:], dtype=np.float64)
    for start in range(0, len(pts), DECODE_BATCH):
        total += decode("cars", pts[start:start + DECODE_BATCH]).sum(axis=0, dtype=np.float64)
    return (total / len(pts)).astype(np.float32)


class PixelAnswerCache:
    """L2's pixel answer kept up to date through drags: the weighted average of each corner's car(s), each
    decoded once and kept, so a drag of one kind re-decodes only the corners with that kind (half of them)
    and a change of weights none. `per_corner` points per corner sit at its kinds' positions plus fixed
    normal offsets times their spreads (one point: the corner's own car)."""

    def __init__(self, per_corner: int = 1, seed: int = 0) -> None:
        self.per_corner = per_corner
        self._seed = seed
        self._images: dict[tuple, np.ndarray] = {}

    def _offsets(self, k: int) -> np.ndarray:
        """(per_corner, k) normal offsets, the same for every corner; zero for one point per corner."""
        if self.per_corner == 1:
            return np.zeros((1, k))
        quantile = NormalDist().inv_cdf
        z = np.array([quantile((i + 0.5) / self.per_corner) for i in range(self.per_corner)])
        rng = np.random.default_rng(self._seed)
        return np.stack([z[rng.permutation(self.per_corner)] for _ in range(k)], axis=1)

    def answer(self, props: tuple[Property, ...]) -> np.ndarray:
        mix = product_mixture(props)
        offsets = self._offsets(len(props))
        sd = np.sqrt(np.diagonal(mix.covs, axis1=1, axis2=2))
        points = mix.means[:, None, :] + offsets[None] * sd[:, None, :]  # (corners, per_corner, k)
        keys = [tuple(np.round(c, 12).ravel().tolist()) for c in points]
        missing = [i for i, key in enumerate(keys) if key not in self._images]
        if missing:
            images = decode("cars", points[missing].reshape(-1, len(props)))
            for j, i in enumerate(missing):
                part = images[j * self.per_corner:(j + 1) * self.per_corner]
                self._images[keys[i]] = part.mean(axis=0, dtype=np.float64)
        self._images = {key: self._images[key] for key in keys}  # only the current corners are kept
        stack = np.stack([self._images[key] for key in keys])
        return np.tensordot(mix.weights, stack, axes=1).astype(np.float32)


def pixel_answers(props: tuple[Property, ...] = CAR_PROPERTIES, seed: int = 0) -> list[np.ndarray]:
    """The pixel answer for the first K properties, K = 1 … len(props): the strip, blurrier at each K."""
    return [pixel_answer(props[:k], seed=seed) for k in range(1, len(props) + 1)]


class AnswerFigures(NamedTuple):
    """What a pixel answer of K properties is, in figures to print under it."""

    k: int  # properties averaged
    edge_blur: float  # Crete's blur, 0 sharp … 1: its edges (an average of two colours has crisp ones)
    unlike_cars: float  # 1 - SSIM to the cars it averages (weighted as common as they are): rises every K
    nearest_car: float  # RMS pixel distance to the nearest of those cars (pixel values in 0 … 1)


def answer_figures(props: tuple[Property, ...] = CAR_PROPERTIES, answers: list[np.ndarray] | None = None,
                   seed: int = 0) -> list[AnswerFigures]:
    """Figures of the pixel answers for K = 1 … len(props) (`answers`: those of `pixel_answers`, if already
    made). The cars of K properties are their 2^K corners, each decoded sharp. `unlike_cars` is the one
    that rises at every K: adding colour leaves the edges as crisp (edge_blur stays) but makes a car no
    one has, and adding a property whose kinds cover more of the sky can bring the nearest car closer."""
    answers = pixel_answers(props, seed) if answers is None else answers
    out = []
    for k, image in enumerate(answers, 1):
        mix = product_mixture(props[:k])
        cars = decode("cars", mix.means)
        out.append(AnswerFigures(k, blur_crete(image), float(1.0 - mix.weights @ ssim_many(image, cars)),
                                 math.sqrt(nearest_mse(image, cars))))
    return out
