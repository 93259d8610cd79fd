"""Pictures as arrays: float RGB in [0, 1] to 8-bit, and many pictures laid out as one."""

from __future__ import annotations

import numpy as np


def to_uint8(image: np.ndarray) -> np.ndarray:
    """An image of floats in [0, 1] (or already uint8) as a contiguous uint8 array; NaN becomes 0."""
    img = np.asarray(image)
    if img.dtype == np.uint8:
        return np.ascontiguousarray(img)
    scaled = np.multiply(img, np.float32(255.0), dtype=np.float32)  # float32: a frame's pictures, fast
    scaled += np.float32(0.5)
    np.clip(scaled, 0, 255, out=scaled)
    gaps = np.isnan(scaled)
    if gaps.any():
        scaled[gaps] = 0
    return np.ascontiguousarray(scaled.astype(np.uint8))


def tile(images: np.ndarray, columns: int, gap: int = 2, background: float = 1.0) -> np.ndarray:
    """Lay (n, H, W, 3) images out in a grid with a thin gap."""
    n, h, w, c = images.shape
    rows = -(-n // columns)
    out = np.full((rows * h + (rows - 1) * gap, columns * w + (columns - 1) * gap, c), background, np.float32)
    for i, img in enumerate(images):
        r, k = divmod(i, columns)
        out[r * (h + gap) : r * (h + gap) + h, k * (w + gap) : k * (w + gap) + w] = img
    return out
