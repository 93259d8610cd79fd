"""Drawing primitives the decoders share: coverage from signed distances, painting into colour planes.

Speed notes. Renderers paint into colour *planes*, shape (3, n, H, W), and interleave them into
(n, H, W, 3) once at the end: an operation that broadcasts a colour or a coverage against a
trailing axis of length 3 runs numpy's inner loop three elements at a time, ten to twenty times
slower than the same work on planes, whose inner loop runs along an image row. Coverage and
distance fields are single-channel float32 arrays updated in place where that saves a temporary.
"""

from __future__ import annotations

import math

import numpy as np

IMAGE_SHAPE = (64, 96)  # height, width
H, W = IMAGE_SHAPE
F32 = np.float32

# Pixel-centre coordinates: u runs right, v runs up (v = 0 is the bottom edge of the image).
U = (np.arange(W, dtype=F32) + 0.5)
V = (H - np.arange(H, dtype=F32) - 0.5)


# -- drawing primitives -----------------------------------------------------------
# They work on single-channel float32 fields (n, rows, cols) and on colour planes
# (3, n, rows, cols); `out=` arguments let a caller reuse a field it no longer needs.
def clip01(x: np.ndarray) -> np.ndarray:
    """Clip to [0, 1] in place.

    np.clip makes one pass over memory but spends a couple of microseconds in Python first;
    for small arrays two plain ufunc calls are quicker.
    """
    if x.size < 20000:
        np.maximum(x, 0.0, out=x)
        return np.minimum(x, 1.0, out=x)
    return np.clip(x, 0.0, 1.0, out=x)


def smoothstep(t: np.ndarray) -> np.ndarray:
    """t * t * (3 - 2t), in place, for t already in [0, 1]."""
    s = np.multiply(t, F32(-2.0))
    s += F32(3.0)
    t *= t
    t *= s
    return t


def cover(d: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Coverage of a shape from its signed distance (negative inside): a smoothstep one pixel wide.

    `out` may be `d` itself, to overwrite a distance field that is not needed any more.
    """
    return smoothstep(clip01(np.subtract(F32(0.5), d, out=out, dtype=F32)))


def cover_below(r: np.ndarray, radius: np.ndarray | float) -> np.ndarray:
    """Coverage of the disc r < radius: cover(r - radius), one operation shorter."""
    return smoothstep(clip01(np.subtract(radius + F32(0.5), r, dtype=F32)))


def smax(a: np.ndarray, b: np.ndarray, k: float, out: np.ndarray | None = None) -> np.ndarray:
    """Intersection of two distance fields with the corner rounded over about `k` pixels.

    `out` may be `a` itself (or any array of the broadcast shape) to save the result's allocation.
    """
    h = np.subtract(a, b)
    np.abs(h, out=h)
    np.subtract(F32(k), h, out=h)
    np.maximum(h, 0.0, out=h)
    h *= h
    h *= F32(0.25 / k)  # (h / k)^2 * k / 4
    m = np.maximum(a, b, out=out)
    m += h
    return m


def paint(planes: np.ndarray, alpha: np.ndarray, colour: np.ndarray) -> None:
    """Blend `colour` over colour planes (3, n, rows, cols) in place with coverage `alpha` (n, rows, cols).

    `colour` broadcasts against the planes: (3, 1, 1, 1) for a flat colour, or per image, row or pixel.
    """
    tmp = np.subtract(colour, planes, dtype=F32)
    tmp *= alpha
    planes += tmp


def paint_layers(windows: list[np.ndarray], alphas: np.ndarray, colours: np.ndarray) -> None:
    """Blend flat-coloured layers over colour planes in place: alphas (K, len(windows), n, rows, cols)
    and colours (3, K), both listed back to front.

    `windows` are colour-plane views (3, n, rows, cols) of one shape, painted independently. Same
    result as painting the layers one by one, but each layer costs two single-channel operations:
    walking front to back, a layer's weight is its alpha times what the layers above leave
    showing (computed in place of the alphas); the colours are then summed in one matrix
    product, (3, K) @ (K, pixels).
    """
    weights = alphas
    through = np.subtract(F32(1.0), weights[-1])  # how much of what lies below still shows
    for k in range(len(weights) - 2, -1, -1):
        weights[k] *= through
        through -= weights[k]
    mixed = (colours @ weights.reshape(len(weights), -1)).reshape((3,) + through.shape)
    for i, planes in enumerate(windows):
        planes *= through[i]
        planes += mixed[:, i]


def interleave(planes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Colour planes (3, n, rows, cols) as images (n, rows, cols, 3), clipped to [0, 1] on the way.

    The planes are clipped in place; `out` may be a view into a larger array.
    """
    if out is None:
        out = np.empty(planes.shape[1:] + (3,), dtype=F32)
    for c in range(3):
        np.maximum(planes[c], 0.0, out=planes[c])
        np.minimum(planes[c], 1.0, out=out[..., c])
    return out


def pixel_window(lo: float, hi: float, size: int) -> slice:
    """Pixel indices [floor(lo), ceil(hi)) clipped to the image."""
    return slice(max(math.floor(lo), 0), min(math.ceil(hi), size))


def row_span(v_lo: float, v_hi: float) -> slice:
    """Rows whose centres can be touched by shapes spanning heights v_lo..v_hi (v up)."""
    return pixel_window(H - v_hi - 1.0, H - v_lo + 1.0, H)


def col_span(u_lo: float, u_hi: float) -> slice:
    return pixel_window(u_lo - 1.0, u_hi + 1.0, W)


def per_image(x: np.ndarray) -> np.ndarray:
    """A per-image parameter shaped to broadcast over (image, row, column)."""
    return x.astype(F32)[:, None, None]


def rgb(*c: float) -> np.ndarray:
    return np.array(c, dtype=F32)


def plane(c: np.ndarray) -> np.ndarray:
    """A flat colour (3,) shaped to broadcast over colour planes (3, n, rows, cols)."""
    return c.reshape(3, 1, 1, 1)


def vertical_gradient(top: np.ndarray, bottom: np.ndarray, rows: int) -> np.ndarray:
    t = np.linspace(0.0, 1.0, rows, dtype=F32)[:, None]
    return (1 - t) * top + t * bottom
