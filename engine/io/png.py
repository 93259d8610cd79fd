"""The PNG writer (Pillow), for the command line, the window's screenshots and its PNG export."""

from __future__ import annotations

import os

import numpy as np

from engine.io.atomic import StagedFile
from engine.io.pixels import to_uint8
from engine.lazy import lazy_import

Image = lazy_import("PIL.Image")


def write_png(path: str | os.PathLike[str], image: np.ndarray) -> None:
    """An (H, W, 3) image, floats in [0, 1] or uint8, as an 8-bit RGB PNG file, written atomically.
    Raises ValueError for another shape and OSError if the file cannot be written."""
    pixels = to_uint8(image)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or 0 in pixels.shape:
        raise ValueError(f"expected an (H, W, 3) image, got shape {pixels.shape}")
    with StagedFile(path) as staged:
        Image.fromarray(pixels).save(staged.path, "PNG")
