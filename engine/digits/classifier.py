"""The small digit classifier that says how real a picture looks: a 784-128-10 MLP whose weights ship
in resources/data (trained by resources/data/make_digits.py on the training digits), run in numpy.

It plays the part that the density readout plays in data space: a class mean image or a blurry
inpainting reads as its digit with little confidence, a sharp sample with a lot."""

from __future__ import annotations

import functools

import numpy as np

from engine.digits.data import CLASSIFIER_FILE, SIZE, read_shipped


@functools.cache
def _weights() -> tuple[np.ndarray, ...]:
    w = read_shipped(CLASSIFIER_FILE)
    return tuple(w[k].astype(np.float32) for k in ("w1", "b1", "w2", "b2"))


def probabilities(images: np.ndarray) -> np.ndarray:
    """(n, 10) class probabilities of (n, 28, 28) pictures in [0, 1]."""
    w1, b1, w2, b2 = _weights()
    x = np.asarray(images, dtype=np.float32).reshape(-1, SIZE * SIZE)
    h = np.maximum(x @ w1 + b1, 0.0)
    logits = h @ w2 + b2
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)
