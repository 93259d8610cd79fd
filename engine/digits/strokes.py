"""Whether a drawn digit is one stroke: the number of 8-connected pieces of a picture thresholded at 0.5,
in numpy. Real digits are almost always one piece; a GAN's speckle breaks its digits into several."""

from __future__ import annotations

import numpy as np

THRESHOLD = 0.5


def pieces(images: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """(n,) the number of 8-connected pieces of each picture (n, H, W) above `threshold`."""
    ink = np.asarray(images) > threshold
    n, h, w = ink.shape
    # every inked pixel starts with its own number; each pass a pixel takes the largest number among its
    # inked 3x3 neighbours, until nothing changes: then each piece carries one number
    labels = np.where(ink, np.arange(1, h * w + 1).reshape(1, h, w), 0)
    while True:
        padded = np.pad(labels, ((0, 0), (1, 1), (1, 1)))
        grown = np.max([padded[:, dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3)], axis=0)
        grown = np.where(ink, grown, 0)
        if np.array_equal(grown, labels):
            break
        labels = grown
    return np.array([len(np.unique(p[p > 0])) for p in labels])


def broken_share(images: np.ndarray, threshold: float = THRESHOLD) -> float:
    """The fraction of pictures in more than one piece."""
    return float(np.mean(pieces(images, threshold) > 1)) if len(images) else 0.0
