"""The small digit classifier that says how real a picture looks: a 784-128-11 MLP whose weights ship
in resources/data (trained by resources/data/make_digits.py on the training digits), run in numpy.

Its eleventh class is "not a digit", learned from overlays of several digits, flat grey and noise.
It plays the part that the density readout plays in data space: how sure it is of the digit it reads
is how real the picture looks. A real digit reads with near certainty, an overlay of every 4 much less."""

from __future__ import annotations

import functools

import numpy as np

from engine.digits.data import CLASSIFIER_FILE, SIZE, read_shipped


@functools.cache
def _weights() -> tuple[np.ndarray, ...]:
    w = read_shipped(CLASSIFIER_FILE)
    return tuple(w[k].astype(np.float32) for k in ("w1", "b1", "w2", "b2"))


NOT_A_DIGIT = 10  # the last class


def probabilities(images: np.ndarray) -> np.ndarray:
    """(n, 11) class probabilities of (n, 28, 28) pictures in [0, 1]: the ten digits, then "not a digit"."""
    w1, b1, w2, b2 = _weights()
    x = np.asarray(images, dtype=np.float32).reshape(-1, SIZE * SIZE)
    h = np.maximum(x @ w1 + b1, 0.0)
    logits = h @ w2 + b2
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)
