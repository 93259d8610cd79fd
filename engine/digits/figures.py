"""The figures under every picture of real digits: squared error to the data (what L2 minimises, so
L2's answer wins), blur (Crete et al. 2007; real digits about 0.14), sharpness (gradient energy
relative to real digits: 1 is as crisp as a real one) and how real it looks (the confidence of the
small digit classifier). Blur and sharpness are measured on the part the network draws."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.digits.classifier import probabilities
from engine.digits.data import CLASSES, load_digits
from engine.digits.tasks import Task
from engine.maths.sharpness import blur_crete_batch, gradient_energies


@dataclass(frozen=True)
class Figures:
    """How a picture drawn on real digits measures up: its error against what the data says, its blur, its
    sharpness, and whether it reads as a digit."""

    mse: float  # mean squared error to what the data says for this input (its class, or the nearest tops' bottoms)
    blur: float  # Crete et al.: 0 sharp ... 1 very blurry
    sharpness: float  # gradient energy relative to real digits' (same rows)
    real: float  # the classifier's confidence in the digit it reads (what "not a digit" leaves)
    reads_as: int  # the digit the classifier reads

    def to_json(self) -> dict[str, Any]:
        return {"mse": round(self.mse, 6), "blur": round(self.blur, 4), "sharpness": round(self.sharpness, 4),
                "real": round(self.real, 4), "reads_as": self.reads_as}

    @staticmethod
    def average(figures: list[Figures]) -> Figures:
        """The figures of a group of pictures, averaged (the digit read is the most common one)."""
        reads = [f.reads_as for f in figures]
        return Figures(float(np.mean([f.mse for f in figures])), float(np.mean([f.blur for f in figures])),
                       float(np.mean([f.sharpness for f in figures])), float(np.mean([f.real for f in figures])),
                       max(set(reads), key=reads.count))


@functools.cache
def _reference_energy(rows: int) -> float:
    """The mean gradient energy of real training digits, over the rows from `rows` down."""
    train, _ = load_digits()
    return float(np.mean(gradient_energies(train.images[:, rows:])))


def measure(task: Task, index: int, pictures: np.ndarray) -> list[Figures]:
    """Figures of whole 28x28 pictures (n, 28, 28) drawn for shown input `index` of `task`."""
    pictures = np.asarray(pictures, dtype=np.float32).reshape(-1, *task.base.shape[1:])
    part = pictures[:, task.rows :]
    mse = task.squared_error(index, part)
    blur = blur_crete_batch(part)
    sharpness = gradient_energies(part) / _reference_energy(task.rows)
    p = probabilities(pictures)[:, :CLASSES]  # "not a digit" takes its share from every digit
    reads = p.argmax(axis=1)
    return [Figures(float(m), float(b), float(s), float(p[i, reads[i]]), int(reads[i]))
            for i, (m, b, s) in enumerate(zip(mse, blur, sharpness))]
