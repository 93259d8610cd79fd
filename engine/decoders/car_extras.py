"""The `cars` decoder's axes after the first two: six more properties a viewer reads at a glance.

Axis k of a point sets property k; an axis the point does not have stays at its first kind (-2), so a
1-D or 2-D point draws the car it always drew. Kinds sit at -2 and +2; between them each property
changes continuously (wheels grow, the roof box rises, the sky darkens, the car stretches, the body
rides higher over its wheels), except the direction the car faces, which flips at 0. Most of
them move the car's edges, so that each one averaged in blurs the pixel answer further.
"""

from __future__ import annotations

import numpy as np

from engine.decoders.drawing import F32, H, U, V, W, cover, rgb, row_span, vertical_gradient

AXES = (
    "body style: sedan ← → SUV",
    "colour: red ← → blue",
    "wheels: standard ← → big",
    "roof box: none ← → one",
    "sky: day ← → night",
    "facing: right ← → left",
    "length: standard ← → stretched",
    "suspension: standard ← → lifted",
)
WHEELS, ROOF_BOX, SKY, FACING, SIZE, SUSPENSION = 2, 3, 4, 5, 6, 7

WHEEL_GROWTH = 0.35  # big wheels are this much larger; the body rides higher by what the radius gains
ROOF_BOX_HEIGHT = 5.0
STRETCH = 0.12  # a stretched car is this much longer, about the image's centre line
LIFT = 5.0  # a lifted body rides this many pixels higher over the same wheels
_VERTICAL = ("sill", "boot", "belt_r", "belt_f", "hood", "roof")  # key measures that are heights
_ALONG = ("rear", "front", "c_base", "roof_rear", "roof_front", "a_base", "glass_rear", "b_pillar", "rear_door",
          "axle_r", "axle_f")  # key measures that are places along the car

_DAY = (rgb(0.93, 0.95, 0.97), rgb(0.97, 0.97, 0.97))  # sky top, sky at the horizon
_NIGHT = (rgb(0.07, 0.09, 0.22), rgb(0.11, 0.13, 0.27))
_ROAD = rgb(0.88, 0.88, 0.86)
_LINE = rgb(0.55, 0.55, 0.55)
ROOF_BOX_COLOUR = rgb(0.60, 0.62, 0.66)
_MOON = rgb(0.97, 0.95, 0.82)


def amount(pts: np.ndarray, axis: int) -> np.ndarray | None:
    """How far each point is from property `axis`'s first kind to its second, (n,) in [0, 1] (a smoothstep
    of -2 … +2, so points near a kind look like it); None if no point leaves the first kind."""
    if pts.shape[1] <= axis:
        return None
    t = np.clip((pts[:, axis] + 2.0) / 4.0, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t) if np.any(t > 0.0) else None


def background_rows(ground_v: float, sky: np.ndarray | None, n: int) -> np.ndarray:
    """Each image's background, constant along a row: (3, n, H, 1) float32 planes. By day when `sky` is
    None, exactly the background the 1-D and 2-D cars have always had."""
    below = np.clip((ground_v - V) + 0.5, 0.0, 1.0)[:, None]  # anti-aliased ground level
    line = np.clip(1.0 - np.abs(V - (ground_v - 0.5)), 0.0, 1.0)[:, None] * 0.8

    def rows(sky_colours: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        bg = vertical_gradient(*sky_colours, H) * (1 - below) + _ROAD * below
        return (bg * (1 - line) + _LINE * line).astype(F32).T  # (3, H)

    day = rows(_DAY)
    if sky is None:
        planes = np.broadcast_to(day[:, None, :], (3, n, H))
    else:
        a = sky.astype(F32)[None, :, None]
        planes = (1 - a) * day[:, None, :] + a * rows(_NIGHT)[:, None, :]
    return np.ascontiguousarray(planes, dtype=F32)[..., None]


def lifted(table: np.ndarray, names: tuple[str, ...], pts: np.ndarray) -> np.ndarray:
    """The key-measure table (measure, n) with the wheels, suspension and size the points ask for: bigger
    wheels lift the body by what their radius gains (so they stay in their arches), a lifted body rides
    higher over the same wheels, and a stretched car is longer, its heights and wheels unchanged."""
    wheels, lift, size = (amount(pts, k) for k in (WHEELS, SUSPENSION, SIZE))
    if wheels is None and lift is None and size is None:
        return table
    table = table.copy()
    row = {key: names.index(key) for key in names}
    if wheels is not None:
        gain = table[row["wheel"]] * (WHEEL_GROWTH * wheels)
        table[row["wheel"]] += gain
        table[[row[k] for k in _VERTICAL]] += gain
    if lift is not None:
        table[[row[k] for k in _VERTICAL]] += LIFT * lift
    if size is not None:
        along = [row[k] for k in _ALONG]
        table[along] = W / 2 + (table[along] - W / 2) * (1.0 + STRETCH * size)
    return table


def roof_box_rows(lo: dict, hi: dict, g: float) -> slice:
    """Rows a roof box can touch in this batch (see drawing.row_span)."""
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


__all__ = ["AXES", "ROOF_BOX_COLOUR", "amount", "background_rows", "finish", "lifted", "roof_box_cover",
           "roof_box_rows"]
