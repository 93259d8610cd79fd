"""The `cars` decoder's axes after the first two: six more properties a viewer reads at a glance.

Axis k of a point sets property k; an axis the point does not have stays at its first kind (-2), so a
1-D or 2-D point draws the car it always drew. Kinds sit at -2 and +2; between them each property
changes continuously (wheels grow, the roof box rises, the sky darkens, the lights come on, the
ground turns green), except the direction the car faces, which flips at 0.
"""

from __future__ import annotations

import numpy as np

from engine.decoders.drawing import F32, H, U, V, W, cover, rgb, vertical_gradient

AXES = (
    "body style: sedan ← → SUV",
    "colour: red ← → blue",
    "wheels: standard ← → big",
    "roof box: none ← → one",
    "sky: day ← → night",
    "facing: right ← → left",
    "headlights: off ← → on",
    "ground: road ← → grass",
)
WHEELS, ROOF_BOX, SKY, FACING, LIGHTS, GROUND = 2, 3, 4, 5, 6, 7

WHEEL_GROWTH = 0.35  # big wheels are this much larger; the body rides higher by what the radius gains
ROOF_BOX_HEIGHT = 5.0
_VERTICAL = ("sill", "boot", "belt_r", "belt_f", "hood", "roof")  # key measures that are heights

_DAY = (rgb(0.93, 0.95, 0.97), rgb(0.97, 0.97, 0.97))  # sky top, sky at the horizon
_NIGHT = (rgb(0.05, 0.07, 0.20), rgb(0.20, 0.23, 0.36))
_ROAD = rgb(0.88, 0.88, 0.86)
_GRASS = rgb(0.40, 0.62, 0.26)
_LINE = rgb(0.55, 0.55, 0.55)
ROOF_BOX_COLOUR = rgb(0.60, 0.62, 0.66)
BEAM_COLOUR = rgb(1.0, 0.93, 0.45)
_MOON = rgb(0.97, 0.95, 0.82)


def amount(pts: np.ndarray, axis: int) -> np.ndarray | None:
    """How far each point is from property `axis`'s first kind to its second, (n,) in [0, 1] (a smoothstep
    of -2 … +2, so points near a kind look like it); None if no point leaves the first kind."""
    if pts.shape[1] <= axis:
        return None
    t = np.clip((pts[:, axis] + 2.0) / 4.0, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t) if np.any(t > 0.0) else None


def background_rows(ground_v: float, sky: np.ndarray | None, ground: np.ndarray | None, n: int) -> np.ndarray:
    """Each image's background, constant along a row: (3, n, H, 1) float32 planes. Day over a road when
    both amounts are None, exactly the background the 1-D and 2-D cars have always had."""
    a = np.zeros(n, dtype=F32) if sky is None else sky.astype(F32)
    b = np.zeros(n, dtype=F32) if ground is None else ground.astype(F32)
    below = np.clip((ground_v - V) + 0.5, 0.0, 1.0)[:, None]  # anti-aliased ground level
    line = np.clip(1.0 - np.abs(V - (ground_v - 0.5)), 0.0, 1.0)[:, None] * 0.8

    def rows(sky_colours: tuple[np.ndarray, np.ndarray], ground_colour: np.ndarray) -> np.ndarray:
        bg = vertical_gradient(*sky_colours, H) * (1 - below) + ground_colour * below
        return (bg * (1 - line) + _LINE * line).astype(F32)  # (H, 3)

    corners = np.stack([rows(_DAY, _ROAD), rows(_NIGHT, _ROAD), rows(_DAY, _GRASS), rows(_NIGHT, _GRASS)])
    mix = np.stack([(1 - a) * (1 - b), a * (1 - b), (1 - a) * b, a * b])  # (4, n): bilinear weights
    planes = np.einsum("cn,chk->knh", mix, corners) if (sky is not None or ground is not None) else \
        np.broadcast_to(corners[0].T[:, None, :], (3, n, H))
    return np.ascontiguousarray(planes, dtype=F32)[..., None]


def lifted(table: np.ndarray, names: tuple[str, ...], wheels: np.ndarray | None) -> np.ndarray:
    """The key-measure table (measure, n) with bigger wheels where `wheels` says, the body lifted by
    what each wheel's radius gains so the wheels stay in their arches."""
    if wheels is None:
        return table
    table = table.copy()
    radius = table[names.index("wheel")]
    gain = radius * (WHEEL_GROWTH * wheels)
    table[names.index("wheel")] = radius + gain
    for key in _VERTICAL:
        table[names.index(key)] += gain
    return table


def roof_box_rows(lo: dict, hi: dict, g: float) -> slice:
    """Rows a roof box can touch in this batch (see drawing.row_span)."""
    from engine.decoders.drawing import row_span

    return row_span(g + lo["roof"] - 1.0, g + hi["roof"] + ROOF_BOX_HEIGHT + 0.5)


def roof_box_cover(p: dict, box: np.ndarray, rows: slice, g: float) -> np.ndarray:
    """Coverage (n, rows, W) of a rounded roof box on the roof, as tall as `box` (n,) says."""
    start = p["roof_rear"] + 0.22 * (p["roof_front"] - p["roof_rear"])
    end = p["roof_front"] - 0.10 * (p["roof_front"] - p["roof_rear"])
    height = ROOF_BOX_HEIGHT * box
    cu, cv = ((start + end) / 2)[:, None, None], (p["roof"] + height / 2 - 0.4)[:, None, None]
    hu, hv = ((end - start) / 2)[:, None, None], (height / 2 + 0.4)[:, None, None]
    radius = np.minimum(1.2, hv)
    qu = np.abs(U[None, None, :] - cu) - (hu - radius)
    qv = np.abs((V[rows] - g)[None, :, None] - cv) - (hv - radius)
    d = np.hypot(np.maximum(qu, 0.0), np.maximum(qv, 0.0)) + np.minimum(np.maximum(qu, qv), 0.0) - radius
    return cover(d.astype(F32)) * np.clip(box / 0.1, 0.0, 1.0).astype(F32)[:, None, None]


def beam_rows(lo: dict, hi: dict, g: float) -> slice:
    from engine.decoders.drawing import row_span

    return row_span(g + lo["hood"] - 2.6 - 12.0, g + hi["hood"] - 2.6 + 5.0)


def beam_cover(p: dict, lights: np.ndarray, rows: slice, g: float) -> np.ndarray:
    """Coverage (n, rows, W) of the headlight's glow and the beam it throws ahead and down, as bright
    as `lights` (n,) says."""
    cu = (p["front"] - 2.6)[:, None, None]
    cv = (p["hood"] - 2.6)[:, None, None]
    u = U[None, None, :]
    v = (V[rows] - g)[None, :, None]
    ahead = np.maximum(u - cu, 0.0)
    beam = np.maximum(np.abs(v - cv + 0.35 * ahead) - (1.2 + 0.30 * ahead), cu + 1.0 - u)
    glow = np.hypot(u - cu, v - cv) - 3.2
    d = np.minimum(beam, glow).astype(F32)
    return cover(d) * (0.75 * lights).astype(F32)[:, None, None]


def finish(out: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """The last touches on whole images (n, H, W, 3), in place: the moon in a night sky, and the
    mirror image of every car facing left."""
    night = amount(pts, SKY)
    if night is not None:
        rows, cols = slice(4, 15), slice(6, 17)
        d = np.hypot(U[cols][None, :] - 11.5, V[rows][:, None] - (H - 9.5)) - 4.0
        alpha = cover(d.astype(F32))[None, :, :, None] * night.astype(F32)[:, None, None, None]
        window = out[:, rows, cols]
        window += alpha * (_MOON - window)
    if pts.shape[1] > FACING:
        left = np.flatnonzero(pts[:, FACING] > 0.0)
        if left.size:
            out[left] = out[left, :, ::-1]
    return out


__all__ = ["AXES", "BEAM_COLOUR", "ROOF_BOX_COLOUR", "amount", "background_rows", "beam_cover", "beam_rows", "finish", "lifted",
           "roof_box_cover", "roof_box_rows"]
