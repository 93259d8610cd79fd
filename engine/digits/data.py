"""The real digits: the 5,000 MNIST digits shipped in resources/data, split once into training and
held-out digits. Loaded with importlib.resources; nothing is fetched."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

SIZE = 28  # MNIST digits are 28x28 grey pictures
CLASSES = 10
DATA_FILE = "mnist_5k.npz"
CLASSIFIER_FILE = "digit_classifier.npz"
HELD_OUT_EVERY = 10  # every tenth digit of each class is held out (50 a class), never trained on


@dataclass(frozen=True, eq=False)
class Digits:
    """The shipped handwritten digits: their pictures and labels, read-only."""

    images: np.ndarray  # (n, 28, 28) float32 in [0, 1], read-only
    labels: np.ndarray  # (n,) int64, read-only

    def __post_init__(self) -> None:
        for a in (self.images, self.labels):
            a.flags.writeable = False

    def __len__(self) -> int:
        return len(self.labels)

    def of_class(self, label: int) -> np.ndarray:
        return self.images[self.labels == label]


def _open(name: str):
    return resources.files("resources.data").joinpath(name).open("rb")


def read_shipped(name: str) -> dict[str, np.ndarray]:
    """The arrays of a .npz file of resources/data."""
    with _open(name) as f, np.load(f) as arrays:
        return {key: arrays[key] for key in arrays.files}


def held_out_mask(labels: np.ndarray) -> np.ndarray:
    """Which digits are held out: every HELD_OUT_EVERY-th of each class, in the file's order."""
    mask = np.zeros(len(labels), bool)
    for label in range(CLASSES):
        where = np.flatnonzero(labels == label)
        mask[where[HELD_OUT_EVERY - 1 :: HELD_OUT_EVERY]] = True
    return mask


@functools.cache
def load_digits() -> tuple[Digits, Digits]:
    """(training digits, held-out digits), loaded once."""
    arrays = read_shipped(DATA_FILE)
    images = arrays["images"].astype(np.float32) / 255.0
    labels = arrays["labels"].astype(np.int64)
    held = held_out_mask(labels)
    return Digits(images[~held], labels[~held]), Digits(images[held], labels[held])
