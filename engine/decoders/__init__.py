"""Procedural image decoders: every point of the data space becomes a small RGB picture.

One module per decoder (`cars`, `ball`), each with a `render(points)` function; `drawing` holds
the primitives they share. Shapes are signed distance fields with a one-pixel smoothstep edge,
so every image is equally crisp wherever it lies: any blur in the image pane comes from
averaging pixels, never from the renderer. Images are rendered in chunks, each part only inside
the window of rows and columns it can touch, so a batch of a thousand samples decodes in a
fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.decoders import ball, cars
from engine.decoders.drawing import F32, H, IMAGE_SHAPE, W

_CHUNK = 32  # images rendered together: large enough to amortise numpy's per-call cost, small enough to stay in cache


@dataclass(frozen=True, eq=False)  # one per decoder, compared as objects
class Decoder:
    """A procedural renderer: how points of the data space become pictures, and the names of its axes."""

    name: str
    axes: tuple[str, ...]  # short human names of the data space's axes, in order (a point may use fewer)
    render: Callable[[np.ndarray], np.ndarray]  # (n, dim) float64 points -> (n, H, W, 3) float32 images in [0, 1]


DECODERS: dict[str, Decoder] = {d.name: d for d in (
    Decoder("cars", cars.AXES, cars.render),
    Decoder("ball", ("ball position: left ← → right", "ball height: down ← → up"), ball.render),
)}
DECODER_NAMES = tuple(DECODERS)

__all__ = ["DECODER_NAMES", "IMAGE_SHAPE", "Span", "axis_names", "decode", "decoder_dims", "decoder_units"]


def _decoder(name: str) -> Decoder:
    try:
        return DECODERS[name]
    except KeyError:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODER_NAMES)}") from None


def decoder_dims(name: str) -> int:
    """How many axes decoder `name` draws: the most dimensions a scene decoded by it may have."""
    return len(_decoder(name).axes)


Span = tuple[tuple[float, float], ...]  # per axis: the data values drawn as the decoder's key poses, -2 and +2


def decoder_units(points: np.ndarray, span: Span | None) -> np.ndarray:
    """Points in the decoder's own units: each axis's span [low, high] becomes [-2, 2] (None: as they are),
    so data in any unit (minutes, millimetres) decodes to the decoder's two key poses at its modes."""
    pts = np.asarray(points, dtype=np.float64)
    if span is None:
        return pts
    lo = np.array([s[0] for s in span[: pts.shape[1]]])
    hi = np.array([s[1] for s in span[: pts.shape[1]]])
    return -2.0 + 4.0 * (pts - lo) / (hi - lo)


def decode(name: str, points: np.ndarray, span: Span | None = None) -> np.ndarray:
    """Images of `points` (n, dim), dim 1 to the decoder's axes, as float32 RGB in [0, 1], shape (n, 64, 96, 3); `span`
    maps the points to the decoder's units first (decoder_units).

    Points outside the decoder's range are clamped to its edge; NaN decodes as the centre
    of the range and ±inf as the clamped edge, so any input gives a valid picture.
    """
    render = _decoder(name).render
    pts = np.asarray(points, dtype=np.float64)
    most = decoder_dims(name)
    if pts.ndim != 2 or not 1 <= pts.shape[1] <= most:
        raise ValueError(f"decoder {name!r}: points must have shape (n, 1) to (n, {most}), got {pts.shape}")
    pts = decoder_units(pts, span)
    pts = np.nan_to_num(pts, nan=0.0, posinf=1e6, neginf=-1e6)
    # Each renderer returns its images already clipped to [0, 1] (blends of in-range colours,
    # so the clip only trims rounding); it does so while interleaving its colour planes.
    if pts.shape[0] <= _CHUNK:
        return render(pts) if pts.shape[0] else np.empty((0, H, W, 3), dtype=F32)
    out = np.empty((pts.shape[0], H, W, 3), dtype=F32)
    # Neighbouring points share a chunk, so each chunk's drawing windows stay tight.
    order = np.argsort(pts[:, 0], kind="stable")
    for start in range(0, pts.shape[0], _CHUNK):
        idx = order[start:start + _CHUNK]
        out[idx] = render(pts[idx])
    return out


def axis_names(name: str, dim: int) -> tuple[str, ...]:
    """Short human names of the first `dim` axes of decoder `name`."""
    decoder = _decoder(name)
    if not 1 <= dim <= len(decoder.axes):
        raise ValueError(f"decoder {name!r}: dim must be 1 to {len(decoder.axes)}, got {dim!r}")
    return decoder.axes[:dim]
