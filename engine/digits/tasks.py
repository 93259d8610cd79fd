"""The two tasks on real digits, and the exact answer that each loss must converge to on them.

`digit_from_label` is "draw a 4": the input is the label, the output a 28x28 digit. What the data
says for an input is every training digit of that class, so L2's answer is the per-class mean image
(a ghost of every 4 overlaid) and L1's the per-pixel median.

`bottom_half` is inpainting, as in context encoders: the input is the top 14 rows of a held-out digit,
the output its bottom 14 rows. What the data says is estimated from the training digits whose tops
are nearest (k of them): L2's answer is the mean of their bottoms, the conditional mean, which for a
top that a 4 and a 9 share is both at once. The shown inputs are chosen for such ambiguous tops.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from engine.digits import TASK_IDS
from engine.digits.data import CLASSES, SIZE, Digits, load_digits

HALF = SIZE // 2
NEIGHBOURS = 20  # training digits with the nearest tops: the conditional distribution of a bottom
EXAMPLES = 3  # real examples shown beside each input
# Held-out digits with an ambiguous top: (its label, the digit its top could also begin).
AMBIGUOUS = ((4, 9), (9, 4), (7, 9), (9, 7), (3, 5), (5, 3), (0, 6), (8, 3))


@dataclass(frozen=True, eq=False)
class Task:
    """One task on real digits: what the network is given, what it must give back, and the inputs on show."""

    id: str
    title: str
    explanation: str
    input_ids: tuple[int, ...]  # per shown input: the label, or the index of the held-out digit
    input_labels: tuple[int, ...]  # per shown input: the digit it is (or begins)
    x_train: np.ndarray  # (n, in) float32: what the network is given for each training digit
    y_train: np.ndarray  # (n, out_rows * 28) float32: what it must give back
    x_shown: np.ndarray  # (m, in) float32: the shown inputs
    rows: int  # the first row of the 28x28 picture that the output fills (0, or 14 for the bottom half)
    base: np.ndarray  # (m, 28, 28): the picture each output is pasted into (the given top, or nothing)
    conditional: tuple[np.ndarray, ...]  # per shown input: (N, out_rows, 28) what the data says the output is
    conditional_labels: tuple[np.ndarray, ...]  # per shown input: (N,) the digit each of those examples is
    examples: np.ndarray  # (m, EXAMPLES, 28, 28) real digits for each input
    targets: np.ndarray | None  # bottom_half: (m, 14, 28) the true bottom halves

    @property
    def out_shape(self) -> tuple[int, int]:
        return SIZE - self.rows, SIZE

    @property
    def in_size(self) -> int:
        return self.x_train.shape[1]

    @functools.cached_property
    def _mean_and_spread(self) -> tuple[np.ndarray, np.ndarray]:
        means = np.stack([c.mean(axis=0, dtype=np.float64) for c in self.conditional])
        spreads = np.array([np.mean((c - mu) ** 2) for c, mu in zip(self.conditional, means)])
        return means, spreads

    def mean_answer(self) -> np.ndarray:
        """L2's exact answer for each shown input, (m, out_rows, 28)."""
        return self._mean_and_spread[0].astype(np.float32)

    def squared_error(self, index: int, outputs: np.ndarray) -> np.ndarray:
        """Mean squared error of outputs (n, out_rows, 28) to what the data says for shown input `index`,
        averaged over the data: the distance to the mean plus the data's own spread, with no loop."""
        means, spreads = self._mean_and_spread
        flat = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
        return np.mean((flat - means[index].reshape(-1)) ** 2, axis=1) + spreads[index]

    def median_answer(self) -> np.ndarray:
        """L1's exact answer for each shown input, (m, out_rows, 28)."""
        return np.stack([np.median(c, axis=0) for c in self.conditional]).astype(np.float32)

    def compose(self, outputs: np.ndarray) -> np.ndarray:
        """Whole 28x28 pictures from outputs (m, ..., out_rows, 28): pasted under the given top."""
        outputs = np.asarray(outputs, dtype=np.float32)
        extra = outputs.ndim - 3
        base = self.base.reshape(self.base.shape[:1] + (1,) * extra + self.base.shape[1:])
        pictures = np.broadcast_to(base, outputs.shape[:-2] + (SIZE, SIZE)).copy()
        pictures[..., self.rows :, :] = outputs
        return pictures


def _one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(CLASSES, dtype=np.float32)[labels]


def nearest_tops(tops: np.ndarray, train_tops: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Indices of the k training tops nearest each of `tops` (Euclidean), nearest first; (m, k)."""
    a = tops.reshape(len(tops), -1).astype(np.float64)
    b = train_tops.reshape(len(train_tops), -1).astype(np.float64)
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    nearest = np.argpartition(d, k, axis=1)[:, :k]
    order = np.take_along_axis(d, nearest, axis=1).argsort(axis=1, kind="stable")
    return np.take_along_axis(nearest, order, axis=1)


def ambiguous_inputs(train: Digits, held: Digits) -> list[int]:
    """For each pair of AMBIGUOUS, the held-out digit whose nearest training tops are most evenly
    split between the two digits (and least between others)."""
    neighbours = train.labels[nearest_tops(held.images[:, :HALF], train.images[:, :HALF])]
    chosen = []
    for a, b in AMBIGUOUS:
        candidates = np.flatnonzero(held.labels == a)
        share_a = (neighbours[candidates] == a).mean(axis=1)
        share_b = (neighbours[candidates] == b).mean(axis=1)
        score = np.abs(share_a - share_b) + (1.0 - share_a - share_b)
        chosen.append(int(candidates[np.argmin(score)]))
    return chosen


def _digit_from_label(train: Digits) -> Task:
    labels = np.arange(CLASSES)
    return Task(
        "digit_from_label", "Draw a digit",
        "Given a label, draw that digit: L2's answer is the mean of every digit of the class.",
        input_ids=tuple(int(v) for v in labels), input_labels=tuple(int(v) for v in labels),
        x_train=_one_hot(train.labels), y_train=train.images.reshape(len(train), -1),
        x_shown=_one_hot(labels), rows=0, base=np.zeros((CLASSES, SIZE, SIZE), np.float32),
        conditional=tuple(train.of_class(c) for c in labels),
        conditional_labels=tuple(np.full(int((train.labels == c).sum()), c) for c in labels),
        examples=np.stack([train.of_class(c)[:EXAMPLES] for c in labels]), targets=None,
    )


def _bottom_half(train: Digits, held: Digits) -> Task:
    chosen = ambiguous_inputs(train, held)
    tops = held.images[chosen, :HALF]
    near = nearest_tops(tops, train.images[:, :HALF])
    base = held.images[chosen].copy()
    base[:, HALF:] = 0.0
    return Task(
        "bottom_half", "Fill in the bottom half",
        "Given the top half of a digit, draw its bottom half: L2's answer is the mean bottom of the "
        "digits whose tops look like it.",
        input_ids=tuple(chosen), input_labels=tuple(int(held.labels[i]) for i in chosen),
        x_train=train.images[:, :HALF].reshape(len(train), -1), y_train=train.images[:, HALF:].reshape(len(train), -1),
        x_shown=tops.reshape(len(tops), -1), rows=HALF, base=base,
        conditional=tuple(train.images[n, HALF:] for n in near), conditional_labels=tuple(train.labels[near]),
        examples=train.images[near[:, :EXAMPLES]], targets=held.images[chosen, HALF:].copy(),
    )


@functools.cache
def make_task(task_id: str) -> Task:
    """A task by id, built once; KeyError naming the choices for another."""
    train, held = load_digits()
    if task_id == "digit_from_label":
        return _digit_from_label(train)
    if task_id == "bottom_half":
        return _bottom_half(train, held)
    raise KeyError(f"unknown task {task_id!r}; choose one of {', '.join(TASK_IDS)}")
