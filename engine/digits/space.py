"""The space of real digits: the real examples whose average is L2's exact answer for one input, drawn as
points in a plane, with the ways of writing among them. Numpy only, so the window can use it.

The plane is a linear map of the output pixels, `point = (image - centre) @ axes.T`, with `centre` the
mean of the examples (L2's exact answer) and `axes` two orthonormal rows. Because the map is linear, the
exact answer lands on the centre of mass of the projected examples, (0, 0), exactly. The first axis runs
from the largest way of writing to the second largest (so the ambiguous bottom halves, a 4 or a 9, show
as two clusters with the answer between them); the second is the examples' main remaining direction.

A plane of a 784-pixel space fills in the gaps: the mean can look typical there. `closeness` is measured
in the full pixel space instead: the distance to the nearest real example against the distance of real
examples to their own nearest neighbour.

    space = digit_space(make_task("digit_from_label"), 7)   # the real 7s
    space.project(images)            # (n, 2) points of any outputs (n, rows, 28) or (n, D)
    space.modes[0].medoid            # index into space.examples of the most typical 7 of the main way
    space.closeness(images)          # how real, in pixel space, honestly worded
    space.between(0, 1, steps=7)     # cross-fade of two ways' medoids beside the real digits along the line
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.digits.tasks import Task

MAX_MODES = 4
MODE_DIMENSIONS = 10  # k-means runs on the examples' first principal components: the ways, not the speckle
KMEANS_STARTS = 4
KMEANS_ROUNDS = 60


@dataclass(frozen=True, eq=False)
class Mode:
    """One way of writing: a cluster among the examples."""

    centre: np.ndarray  # (2,) the projected mean of its examples
    share: float  # the fraction of the examples in it
    medoid: int  # index into DigitSpace.examples: the real example nearest the cluster's mean (pixel space)
    medoid_point: np.ndarray  # (2,) the medoid's projection
    members: np.ndarray  # indices into DigitSpace.examples

    def to_json(self) -> dict[str, Any]:
        return {"centre": _r(self.centre), "share": round(self.share, 4), "medoid": _r(self.medoid_point),
                "medoid_index": self.medoid}


@dataclass(frozen=True, eq=False)
class Closeness:
    """How close pictures are to real handwriting, measured in the full pixel space (RMSE per pixel)."""

    nearest: np.ndarray  # (n,) index into the examples of each picture's nearest real example
    distance: np.ndarray  # (n,) RMSE to it
    typical: float  # the median distance of a real example to its own nearest other example
    closer_than_neighbours: np.ndarray  # (n,) how many examples the picture is closer to than their own nearest
    # neighbour is: 0 for a picture in no real example's neighbourhood

    def words(self, i: int = 0) -> str:
        """One honest sentence for picture i."""
        return (f"nearest real digit {self.distance[i]:.3f} away (RMSE); real digits' nearest neighbours are "
                f"typically {self.typical:.3f} apart; closer to {int(self.closer_than_neighbours[i])} real digits "
                "than their own nearest neighbour is")


@dataclass(frozen=True, eq=False)
class Between:
    """Between two ways of writing: the pixel cross-fade of their medoids, and the real digits along the line."""

    t: np.ndarray  # (steps,) from 0 (way a) to 1 (way b)
    ghosts: np.ndarray  # (steps, rows, 28) (1 - t) * medoid_a + t * medoid_b
    real: np.ndarray  # (steps,) index into the examples of the real digit nearest each cross-faded picture
    real_images: np.ndarray  # (steps, rows, 28) those real digits
    real_points: np.ndarray  # (steps, 2) and where they are in the plane


@dataclass(frozen=True, eq=False)
class DigitSpace:
    """The real examples for one input of a task, in a plane of their pixel space."""

    shape: tuple[int, int]  # (rows, 28): the output's picture
    centre: np.ndarray  # (D,) the mean of the examples: L2's exact answer
    axes: np.ndarray  # (2, D) orthonormal rows
    examples: np.ndarray  # (N, D) float32 the real examples, flat
    points: np.ndarray  # (N, 2) their projections
    modes: tuple[Mode, ...]  # the ways of writing, largest first: 2 to MAX_MODES (a way needs two examples,
    # beyond the first two; so the shares may sum to less than 1)

    @property
    def optimum(self) -> np.ndarray:
        """Where L2's exact answer lands: the projection of the centre, (0, 0)."""
        return np.zeros(2)

    def _flat(self, images: np.ndarray) -> np.ndarray:
        a = np.asarray(images, dtype=np.float64)
        return a.reshape(-1, self.centre.size) if a.size else np.zeros((0, self.centre.size))

    def project(self, images: np.ndarray) -> np.ndarray:
        """(n, 2) points of pictures (n, rows, 28), (n, D), or one picture."""
        return (self._flat(images) - self.centre) @ self.axes.T

    def example_images(self, indices: np.ndarray | int | None = None) -> np.ndarray:
        """The real examples as pictures (rows, 28): all, a list, or one."""
        picked = self.examples if indices is None else self.examples[indices]
        return picked.reshape(*np.shape(picked)[:-1], *self.shape)

    def nearest(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(indices, RMSE) of the real example nearest each picture, in pixel space."""
        rmse = self._rmse(self._flat(images))
        idx = rmse.argmin(axis=1)
        return idx, rmse[np.arange(len(rmse)), idx]

    @functools.cached_property
    def _examples64(self) -> np.ndarray:
        return np.asarray(self.examples, np.float64)

    @functools.cached_property
    def _example_norms(self) -> np.ndarray:
        return (self._examples64 * self._examples64).sum(1)

    def _rmse(self, flat: np.ndarray) -> np.ndarray:
        """(n, N) the RMSE of each flat picture to each example (the window asks for it at every frame)."""
        d = (flat * flat).sum(1)[:, None] + self._example_norms[None, :] - 2.0 * flat @ self._examples64.T
        return np.sqrt(np.maximum(d, 0.0) / self.centre.size)

    @functools.cached_property
    def _own_nearest(self) -> np.ndarray:
        """Each example's RMSE to its nearest other example."""
        d = _squared_distances(self.examples, self.examples)
        np.fill_diagonal(d, np.inf)
        return np.sqrt(np.maximum(d.min(axis=1), 0.0) / self.centre.size)

    def closeness(self, images: np.ndarray) -> Closeness:
        """How close pictures are to real examples, in pixel space."""
        rmse = self._rmse(self._flat(images))
        idx = rmse.argmin(axis=1)
        closer = (rmse < self._own_nearest[None, :]).sum(axis=1)
        return Closeness(idx, rmse[np.arange(len(rmse)), idx], self._own_median, closer)

    @functools.cached_property
    def _own_median(self) -> float:
        return float(np.median(self._own_nearest))

    def between(self, a: int, b: int, steps: int = 7) -> Between:
        """From way of writing `a` to way `b` (indices into modes): the cross-fade of their medoids and, for
        each step, the real example nearest the cross-faded picture (every one sharp, because it is real)."""
        t = np.linspace(0.0, 1.0, steps)
        ma, mb = self.examples[self.modes[a].medoid], self.examples[self.modes[b].medoid]
        ghosts = (1.0 - t)[:, None] * ma[None, :] + t[:, None] * mb[None, :]
        real, _ = self.nearest(ghosts)
        return Between(t, ghosts.reshape(steps, *self.shape).astype(np.float32), real,
                       self.example_images(real), self.points[real])

    def to_json(self) -> dict[str, Any]:
        """The plane as the `space` entry of `blurlab train` (without the network's own points)."""
        return {"centre": _r(self.centre), "axes": [_r(a, 6) for a in self.axes],
                "examples": [_r(p) for p in self.points], "optimum": _r(self.optimum),
                "modes": [m.to_json() for m in self.modes]}


def _r(a, digits: int = 4) -> list:
    return np.round(np.asarray(a, dtype=np.float64), digits).tolist()


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T


def principal_directions(off: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """(k, D) the first k principal directions of centred rows `off` (N, D), by subspace iteration (Halko et
    al. 2011): a full SVD of a 450 x 784 matrix costs far more than these few products."""
    k = min(k, *off.shape)
    q = off.T @ np.random.default_rng(seed).standard_normal((len(off), k + 8))
    for _ in range(3):
        q, _ = np.linalg.qr(q)
        q = off.T @ (off @ q)
    q, _ = np.linalg.qr(q)
    _, _, vt = np.linalg.svd(off @ q, full_matrices=False)
    return (vt @ q.T)[:k]


def kmeans(points: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Cluster labels (n,) of the best of KMEANS_STARTS k-means++ runs (least within-cluster spread)."""
    rng = np.random.default_rng(seed)
    best, best_cost = np.zeros(len(points), int), np.inf
    for _ in range(KMEANS_STARTS):
        centres = [points[rng.integers(len(points))]]
        for _ in range(k - 1):
            d = _squared_distances(points, np.array(centres)).min(axis=1).clip(0.0)
            centres.append(points[rng.choice(len(points), p=d / d.sum())] if d.sum() > 0 else points[0])
        centres = np.array(centres)
        for _ in range(KMEANS_ROUNDS):
            labels = _squared_distances(points, centres).argmin(axis=1)
            counts = np.bincount(labels, minlength=k)[:, None]
            sums = np.eye(k)[labels].T @ points
            moved = np.where(counts > 0, sums / np.maximum(counts, 1), centres)
            if np.allclose(moved, centres):
                break
            centres = moved
        cost = _squared_distances(points, centres).min(axis=1).sum()
        if cost < best_cost:
            best, best_cost = labels, cost
    return best


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """The mean silhouette (Rousseeuw 1987): how much nearer each point is to its own cluster than the next."""
    d = np.sqrt(np.maximum(_squared_distances(points, points), 0.0))
    ks = np.unique(labels)
    if len(ks) < 2:
        return -1.0
    mean_to = np.stack([d[:, labels == j].sum(axis=1) / np.maximum((labels == j).sum() - (labels == j), 1)
                        for j in ks], axis=1)  # a point's own cluster excludes itself
    own = mean_to[np.arange(len(points)), np.searchsorted(ks, labels)]
    mean_to[np.arange(len(points)), np.searchsorted(ks, labels)] = np.inf
    other = mean_to.min(axis=1)
    s = (other - own) / np.maximum(np.maximum(own, other), 1e-12)
    return float(np.mean(s))


def ways_of_writing(examples: np.ndarray, seed: int = 0) -> np.ndarray:
    """Cluster labels of the examples (N, D): k-means in their first principal components, with the number
    of ways (2 to MAX_MODES) that separates them best (silhouette); labels ordered largest cluster first."""
    off = examples - examples.mean(axis=0)
    reduced = off @ principal_directions(off, MODE_DIMENSIONS, seed).T
    candidates = [kmeans(reduced, k, seed) for k in range(2, min(MAX_MODES, len(examples) - 1) + 1)]
    return _largest_first(max(candidates, key=lambda c: silhouette(reduced, c)))


def _largest_first(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... by falling cluster size (ties: the smaller label first)."""
    ids, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return np.argsort(order)[inverse]


def make_space(examples: np.ndarray, shape: tuple[int, int], ways: np.ndarray | None = None,
               seed: int = 0) -> DigitSpace:
    """The plane of real examples (N, rows, 28) or (N, D): centre, axes through the two largest ways of
    writing, the projected examples and the ways: `ways` labels each example's way if known (the digit a
    bottom half finished), otherwise they are found by k-means."""
    flat = np.asarray(examples, dtype=np.float64).reshape(len(examples), -1)
    centre = flat.mean(axis=0)
    labels = ways_of_writing(flat, seed) if ways is None else _largest_first(np.asarray(ways))
    means = np.stack([flat[labels == j].mean(axis=0) for j in range(labels.max() + 1)])
    first = means[0] - means[1]
    first /= np.linalg.norm(first)
    rest = (flat - centre) - np.outer((flat - centre) @ first, first)
    main = principal_directions(rest, 1, seed)[0]
    second = main - (main @ first) * first
    axes = np.stack([first, second / np.linalg.norm(second)])
    points = (flat - centre) @ axes.T
    modes = []
    for j, mean in enumerate(means[:MAX_MODES]):
        members = np.flatnonzero(labels == j)
        if j >= 2 and len(members) < 2:
            break  # a digit seen once is not a way of writing
        medoid = int(members[_squared_distances(mean[None], flat[members])[0].argmin()])
        modes.append(Mode(points[members].mean(axis=0), len(members) / len(flat), medoid, points[medoid], members))
    return DigitSpace(tuple(shape), centre, axes, flat.astype(np.float32), points, tuple(modes))


@functools.cache
def _cached(task: Task, index: int) -> DigitSpace:
    ways = task.conditional_labels[index] if task.rows else None  # a bottom half's way: the digit it became
    return make_space(task.conditional[index], task.out_shape, ways)


def digit_space(task: Task, index: int) -> DigitSpace:
    """The space of real digits for shown input `index` of `task`: its training digits of the label
    (digit_from_label, the ways of writing found by k-means) or the missing halves of its nearest tops
    (bottom_half, one way per digit they became). Built once."""
    return _cached(task, index)
