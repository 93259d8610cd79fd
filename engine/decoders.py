"""Procedural image decoders: every point of the data space becomes a small RGB picture.

`cars` draws a side view of a car whose body style runs from sedan (x = -2) to SUV (x = +2)
and, in 2-D, whose colour runs from red (y = -2) to blue (y = +2); `ball` draws a ball in a
frame, the "where is the ball in the next frame" case of video prediction. Shapes are signed
distance fields with a one-pixel smoothstep edge, so every image is equally crisp wherever it
lies: any blur in the image pane comes from averaging pixels, never from the renderer.
Images are rendered in chunks, each part only inside the window of rows and columns it can
touch, so a batch of a thousand samples decodes in a fraction of a second.
"""

from __future__ import annotations

import numpy as np

IMAGE_SHAPE = (64, 96)  # height, width
DECODER_NAMES = ("cars", "ball")

_H, _W = IMAGE_SHAPE
_CHUNK = 32  # images rendered together: large enough to amortise numpy's per-call cost, small enough to stay in cache
_F = np.float32

# Pixel-centre coordinates: u runs right, v runs up (v = 0 is the bottom edge of the image).
_U = (np.arange(_W, dtype=_F) + 0.5)
_V = (_H - np.arange(_H, dtype=_F) - 0.5)

_AXIS_NAMES = {
    "cars": ("body style: sedan ← → SUV", "colour: red ← → blue"),
    "ball": ("ball position: left ← → right", "ball height: down ← → up"),
}


# -- public API -------------------------------------------------------------------
def decode(name: str, points: np.ndarray) -> np.ndarray:
    """Images of `points` (n, dim), dim 1 or 2, as float32 RGB in [0, 1], shape (n, 64, 96, 3).

    Points outside the decoder's range are clamped to its edge; NaN decodes as the centre
    of the range and ±inf as the clamped edge, so any input gives a valid picture.
    """
    renderer = _RENDERERS.get(name)
    if renderer is None:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODER_NAMES)}")
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] not in (1, 2):
        raise ValueError(f"decoder {name!r}: points must have shape (n, 1) or (n, 2), got {pts.shape}")
    pts = np.nan_to_num(pts, nan=0.0, posinf=1e6, neginf=-1e6)
    if pts.shape[0] <= _CHUNK:
        out = renderer(pts) if pts.shape[0] else np.empty((0, _H, _W, 3), dtype=_F)
    else:
        out = np.empty((pts.shape[0], _H, _W, 3), dtype=_F)
        # Neighbouring points share a chunk, so each chunk's drawing windows stay tight.
        order = np.argsort(pts[:, 0], kind="stable")
        for start in range(0, pts.shape[0], _CHUNK):
            idx = order[start:start + _CHUNK]
            out[idx] = renderer(pts[idx])
    np.clip(out, 0.0, 1.0, out=out)  # blends of in-range colours; this only trims rounding
    return out


def axis_names(name: str, dim: int) -> tuple[str, ...]:
    """Short human names of the first `dim` axes of decoder `name`."""
    if name not in _AXIS_NAMES:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODER_NAMES)}")
    if dim not in (1, 2):
        raise ValueError(f"decoder {name!r}: dim must be 1 or 2, got {dim!r}")
    return _AXIS_NAMES[name][:dim]


# -- drawing primitives -----------------------------------------------------------
def _cover(d: np.ndarray) -> np.ndarray:
    """Coverage of a shape from its signed distance (negative inside): a smoothstep one pixel wide."""
    t = np.subtract(_F(0.5), d, dtype=_F)
    np.clip(t, 0.0, 1.0, out=t)
    return t * t * (_F(3.0) - _F(2.0) * t)


def _smax(a: np.ndarray, b: np.ndarray, k: np.ndarray | float) -> np.ndarray:
    """Intersection of two distance fields with the corner rounded over about `k` pixels."""
    h = np.maximum(k - np.abs(a - b), 0.0) / k
    return np.maximum(a, b) + h * h * (k * 0.25)


def _paint(img: np.ndarray, alpha: np.ndarray, colour: np.ndarray) -> None:
    """Blend `colour` over `img` in place with coverage `alpha` (both broadcast to img's window)."""
    tmp = np.subtract(colour, img, dtype=_F)
    tmp *= alpha[..., None]
    img += tmp


def _paint_layers(img: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Blend flat-coloured layers (alpha, rgb), listed back to front, over `img` in place.

    Same result as painting them one by one, but each layer costs a few single-channel
    operations; the colours are summed in one matrix product at the end.
    """
    shape = np.broadcast_shapes(img.shape[:-1], *(a.shape for a, _ in layers))
    weights = np.empty(shape + (len(layers),), dtype=_F)
    through = np.ones(shape, dtype=_F)  # how much of what lies below still shows
    for k in range(len(layers) - 1, -1, -1):
        alpha = layers[k][0]
        np.multiply(alpha, through, out=weights[..., k])
        through -= weights[..., k]
    img *= through[..., None]
    colours = np.stack([c for _, c in layers]).astype(_F)
    img += (weights.reshape(-1, len(layers)) @ colours).reshape(shape + (3,))


def _window(lo: float, hi: float, size: int) -> slice:
    """Pixel indices [floor(lo), ceil(hi)) clipped to the image."""
    return slice(max(int(np.floor(lo)), 0), min(int(np.ceil(hi)), size))


def _rows(v_lo: float, v_hi: float) -> slice:
    """Rows whose centres can be touched by shapes spanning heights v_lo..v_hi (v up)."""
    return _window(_H - v_hi - 1.0, _H - v_lo + 1.0, _H)


def _cols(u_lo: float, u_hi: float) -> slice:
    return _window(u_lo - 1.0, u_hi + 1.0, _W)


def _col(x: np.ndarray) -> np.ndarray:
    """A per-image parameter shaped to broadcast over (image, row, column)."""
    return x.astype(_F)[:, None, None]


def _rgb(*c: float) -> np.ndarray:
    return np.array(c, dtype=_F)


def _vertical_gradient(top: np.ndarray, bottom: np.ndarray, rows: int) -> np.ndarray:
    t = np.linspace(0.0, 1.0, rows, dtype=_F)[:, None]
    return (1 - t) * top + t * bottom


# -- cars ---------------------------------------------------------------------------
GROUND_V = 11.0  # height of the ground line above the image's bottom edge, in pixels

# Key shapes along the style axis s = x / 2 (sedan at s = -1, SUV at s = +1), in pixels:
# u from the image's left edge, heights above the ground. Between keys every measure is
# interpolated linearly, so the body changes continuously; the outer keys are the clamps.
_STYLE_KEYS = np.array([-2.25, -1.75, -1.0, 1.0, 2.25])
_CAR_KEYS = {
    #              extreme coupé  coupé   sedan    SUV    extreme SUV
    "rear":       (7.0,           7.0,    6.5,     11.5,   12.0),   # tail end
    "front":      (90.0,          90.0,   89.5,    85.5,   85.0),   # nose end
    "sill":       (2.2,           2.6,    3.4,     8.0,    9.8),    # ground clearance under the body
    "boot":       (11.6,          12.4,   14.0,    23.0,   26.5),   # top of the tail
    "belt_r":     (12.6,          13.4,   15.6,    24.0,   27.0),   # window line at the cabin's rear
    "belt_f":     (12.0,          12.8,   15.0,    23.4,   26.4),   # window line at the windscreen base
    "hood":       (10.4,          11.0,   13.0,    21.2,   24.2),   # top of the nose
    "roof":       (17.8,          19.6,   24.2,    36.5,   40.5),
    "c_base":     (10.0,          12.5,   22.0,    12.6,   12.8),   # foot of the rear window
    "roof_rear":  (37.0,          36.0,   34.0,    15.5,   15.5),
    "roof_front": (47.0,          47.0,   49.0,    56.0,   57.0),
    "a_base":     (58.0,          58.0,   60.0,    64.0,   64.5),   # foot of the windscreen
    "glass_rear": (30.0,          29.0,   27.0,    16.0,   16.0),   # rear end of the side glass
    "b_pillar":   (43.5,          44.0,   44.5,    41.0,   41.0),
    "rear_door":  (43.5,          44.0,   28.5,    29.5,   29.5),   # rear edge of a rear door (coupés have none)
    "wheel":      (5.5,           5.6,    5.9,     9.4,    10.4),   # tyre radius
    "axle_r":     (21.0,          21.0,   20.5,    25.5,   26.0),
    "axle_f":     (74.5,          74.5,   74.0,    71.5,   71.0),
    "trim":       (0.9,           1.0,    1.2,     3.6,    4.4),    # dark band along the sill
    "clad":       (0.0,           0.0,    0.0,     1.6,    2.0),    # dark cladding around the wheel arches
}
_CAR_KEY_ARRAYS = {k: np.array(v) for k, v in _CAR_KEYS.items()}

_RED = _rgb(0.84, 0.07, 0.09)
_BLUE = _rgb(0.07, 0.20, 0.84)  # same HSV value and saturation as the red, hue 240°
_GLASS_TOP = _rgb(0.80, 0.87, 0.92)
_GLASS_BOTTOM = _rgb(0.60, 0.69, 0.77)
_PILLAR = _rgb(0.16, 0.17, 0.20)
_TRIM = _rgb(0.20, 0.20, 0.22)
_WELL = _rgb(0.07, 0.07, 0.08)
_TYRE = _rgb(0.15, 0.15, 0.16)
_RIM = _rgb(0.80, 0.81, 0.83)
_HUB = _rgb(0.45, 0.46, 0.49)
_HEADLIGHT = _rgb(1.0, 0.96, 0.78)
_TAILLIGHT = _rgb(0.98, 0.55, 0.10)
_SHADOW = _rgb(0.30, 0.31, 0.33)

_SUPER = 4  # samples per pixel column of the roof-line profile


def _car_background() -> np.ndarray:
    sky = _vertical_gradient(_rgb(0.93, 0.95, 0.97), _rgb(0.97, 0.97, 0.97), _H)
    ground = _rgb(0.88, 0.88, 0.86)
    below = np.clip((GROUND_V - _V) + 0.5, 0.0, 1.0)[:, None]  # anti-aliased ground level
    bg = sky * (1 - below) + ground * below
    line = np.clip(1.0 - np.abs(_V - (GROUND_V - 0.5)), 0.0, 1.0)[:, None] * 0.8
    bg = bg * (1 - line) + _rgb(0.55, 0.55, 0.55) * line
    return np.ascontiguousarray(np.broadcast_to(bg[:, None, :], (_H, _W, 3)), dtype=_F)


_CAR_BG = _car_background()


def _car_params(x: np.ndarray) -> dict[str, np.ndarray]:
    s = np.clip(x / 2.0, _STYLE_KEYS[0], _STYLE_KEYS[-1])
    return {k: np.interp(s, _STYLE_KEYS, v) for k, v in _CAR_KEY_ARRAYS.items()}


def _car_colour(y: np.ndarray | None, n: int) -> np.ndarray:
    """Body colour (n, 3): a fixed red in 1-D; in 2-D the hue turns from red through magenta to blue.

    The hue moves at full saturation, so only pixel averaging can make a car look greyish.
    """
    if y is None:
        return np.broadcast_to(_RED, (n, 3))
    t = (np.clip(y, -2.0, 2.0) + 2.0) / 4.0  # 0 red, 0.5 magenta, 1 blue
    red = np.clip(2.0 - 2.0 * t, 0.0, 1.0)
    blue = np.clip(2.0 * t, 0.0, 1.0)
    lo, hi = 0.07, 0.84
    green = lo + (_BLUE[1] - lo) * blue ** 2  # the blue's touch of green keeps it from looking violet
    return np.stack([lo + (hi - lo) * red, green, lo + (hi - lo) * blue], axis=1).astype(_F)


def _roof_line(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Height of the body's top edge over each pixel column, and the factor turning a vertical
    distance to it into a distance normal to it; both (n, W).

    The profile runs tail → rear window → roof → windscreen → bonnet through straight pieces,
    smoothed over a few pixels so the roof corners and the scuttle come out rounded.
    """
    knots_u = np.stack([p["rear"], p["c_base"], p["roof_rear"], p["roof_front"], p["a_base"], p["front"]], axis=1)
    knots_v = np.stack([p["boot"], p["belt_r"], p["roof"], p["roof"], p["belt_f"], p["hood"]], axis=1)
    knots_u = np.maximum.accumulate(knots_u, axis=1)
    pad = 4  # pixels beyond each side of the image, so the smoothing has room
    us = (np.arange((_W + 2 * pad) * _SUPER) + 0.5) / _SUPER - pad
    f = np.repeat(knots_v[:, :1], us.size, axis=1)
    for k in range(knots_u.shape[1] - 1):
        u0, u1 = knots_u[:, k:k + 1], knots_u[:, k + 1:k + 2]
        slope = (knots_v[:, k + 1:k + 2] - knots_v[:, k:k + 1]) / np.maximum(u1 - u0, 1e-3)
        f += slope * (np.clip(us, u0, u1) - u0)
    # A centred box filter about two pixels wide, applied twice: corners round off over ~4 px.
    width = 2 * _SUPER + 1
    for _ in range(2):
        c = np.cumsum(np.pad(f, ((0, 0), (width // 2 + 1, width // 2)), mode="edge"), axis=1)
        f = (c[:, width:] - c[:, :-width]) / width

    def at(u: np.ndarray) -> np.ndarray:  # u on the half-sample lattice between two samples
        j = (_SUPER * (u + pad) - 0.5).astype(int)
        return (f[:, j] + f[:, j + 1]) / 2

    centres = at(np.arange(_W) + 0.5 - 0.5 / _SUPER)
    edges = at(np.arange(_W + 1) - 0.5 / _SUPER)
    norm = 1.0 / np.sqrt(1.0 + np.diff(edges, axis=1) ** 2)
    return centres.astype(_F), norm.astype(_F)


def _render_cars(pts: np.ndarray) -> np.ndarray:
    n = pts.shape[0]
    p = _car_params(pts[:, 0])
    colour = _car_colour(pts[:, 1] if pts.shape[1] > 1 else None, n)
    img = np.repeat(_CAR_BG[None], n, axis=0)
    g = GROUND_V
    P = {k: _col(v) for k, v in p.items()}

    # Soft contact shadow on the ground, under the body between the wheels.
    rows, cols = _rows(g - 2.0, g + 1.5), _cols(p["rear"].min(), p["front"].max())
    u, v = _U[cols], _V[rows][:, None]
    sx = np.clip(np.minimum(u - P["rear"] - 1.0, P["front"] - 1.0 - u) / 5.0, 0.0, 1.0)
    sy = np.clip(1.0 - np.abs(v - (g - 0.3)) / 1.8, 0.0, 1.0)
    _paint(img[:, rows, cols], 0.45 * sx * sy, _SHADOW)

    # Body: below the roof-line profile, between the tail and the nose, above the sill.
    top, norm = _roof_line(p)
    rows = _rows(g + p["sill"].min(), g + p["roof"].max() + 1.0)
    cols = _cols(p["rear"].min(), p["front"].max())
    u, v = _U[cols], _V[rows][:, None] - g
    d_top = (v - top[:, None, cols]) * norm[:, None, cols]
    d_ends = np.maximum(P["rear"] - u, u - P["front"])
    d_body = _smax(d_top, d_ends, 4.5)
    d_body = _smax(d_body, P["sill"] - v, 3.0)
    body = _cover(d_body)
    body_full = np.zeros((n, _H, _W), dtype=_F)
    body_full[:, rows, cols] = body
    # Colour by row: a lighter shoulder under the window line, a darker sill, a dark trim band.
    height = np.clip((v - P["sill"]) / np.maximum(P["belt_f"] - P["sill"], 1.0), 0.0, 1.0)
    shade = (0.80 + 0.20 * height)[..., None]
    shoulder = np.clip(1.0 - np.abs(v - (P["belt_f"] - 2.2)) / 1.2, 0.0, 1.0)[..., None] * 0.22
    trim = _cover(v - (P["sill"] + P["trim"]))[..., None]
    body_rgb = colour[:, None, None, :] * shade
    body_rgb = body_rgb + (1.0 - body_rgb) * shoulder
    body_rgb = body_rgb * (1 - trim) + _TRIM * trim
    _paint(img[:, rows, cols], body, body_rgb)

    # Side glass: the cabin inset from the roof line, above the window line, split by a dark B-pillar.
    rows_g = _rows(g + p["belt_f"].min(), g + p["roof"].max())
    cols_g = _cols(p["glass_rear"].min(), p["a_base"].max())
    r0, c0 = rows.start, cols.start
    sub = (slice(None), slice(rows_g.start - r0, rows_g.stop - r0), slice(cols_g.start - c0, cols_g.stop - c0))
    u, v = _U[cols_g], _V[rows_g][:, None] - g
    belt = P["belt_r"] + (P["belt_f"] - P["belt_r"]) * (u - P["c_base"]) / np.maximum(P["a_base"] - P["c_base"], 1.0)
    d_glass = _smax(d_top[sub] + 1.6, belt + 0.9 - v, 1.5)
    d_glass = _smax(d_glass, P["glass_rear"] - u, 2.5)
    glass = _cover(d_glass)
    shine = np.clip((v - P["belt_f"]) / np.maximum(P["roof"] - P["belt_f"], 1.0), 0.0, 1.0)[..., None]
    glass_rgb = _GLASS_BOTTOM * (1 - shine) + _GLASS_TOP * shine
    pillar = _cover(np.abs(u - P["b_pillar"]) - 0.9)[..., None]
    glass_rgb = glass_rgb * (1 - pillar) + _PILLAR * pillar
    _paint(img[:, rows_g, cols_g], glass, glass_rgb)

    # Door gaps: thin darker lines from the sill to the window line.
    for key, offset in (("b_pillar", 0.0), ("a_base", -3.5), ("rear_door", 0.0)):
        pos = p[key] + offset
        rows_d, cols_d = _rows(g + p["sill"].min(), g + p["belt_f"].max()), _cols(pos.min() - 1, pos.max() + 1)
        u, v = _U[cols_d], _V[rows_d][:, None] - g
        line = _cover(np.abs(u - _col(pos)) - 0.35) * _cover(np.maximum(P["sill"] + P["trim"] + 0.5 - v,
                                                                        v - P["belt_f"] + 0.8))
        _paint(img[:, rows_d, cols_d], 0.45 * line * body_full[:, rows_d, cols_d], _TRIM)

    # Door mirror at the foot of the windscreen.
    cu, cv = p["a_base"] - 2.4, p["belt_f"] + 1.0
    rows_m, cols_m = _rows(g + cv.min() - 1.5, g + cv.max() + 1.5), _cols(cu.min() - 2, cu.max() + 2)
    u, v = _U[cols_m], _V[rows_m][:, None] - g
    d = np.sqrt(((u - _col(cu)) / 1.6) ** 2 + ((v - _col(cv)) / 1.1) ** 2) - 1.0
    _paint(img[:, rows_m, cols_m], _cover(d * 1.1), _PILLAR)

    # Lights: a pale headlamp under the bonnet's edge, an amber-red lamp at the tail.
    for u_key, v_key, du, ru, rv, rgb in (("front", "hood", -2.6, 2.6, 1.3, _HEADLIGHT),
                                          ("rear", "boot", 1.6, 1.7, 1.5, _TAILLIGHT)):
        cu, cv = p[u_key] + du, p[v_key] - 2.6
        rows_l = _rows(g + cv.min() - rv, g + cv.max() + rv)
        cols_l = _cols(cu.min() - ru, cu.max() + ru)
        u, v = _U[cols_l], _V[rows_l][:, None] - g
        d = np.maximum(np.abs(u - _col(cu)) - ru, np.abs(v - _col(cv)) - rv)
        _paint(img[:, rows_l, cols_l], _cover(d) * body_full[:, rows_l, cols_l], rgb)

    # Wheels: a dark wheel well inside the body, the tyre, a light rim and a hub.
    for axle in ("axle_r", "axle_f"):
        reach = p["wheel"].max() + 1.4 + p["clad"].max()
        rows_w = _rows(g - 0.5, g + 2 * p["wheel"].max() + 1.4 + p["clad"].max())
        cols_w = _cols(p[axle].min() - reach, p[axle].max() + reach)
        u, v = _U[cols_w], _V[rows_w][:, None] - g
        R = P["wheel"]
        r = np.sqrt((u - P[axle]) ** 2 + (v - R) ** 2)
        inside = body_full[:, rows_w, cols_w]
        layers = [(_cover(r - R - 1.4) * inside, _WELL), (_cover(r - R), _TYRE),
                  (_cover(r - 0.58 * R), _RIM), (_cover(r - 0.22 * R), _HUB)]
        if p["clad"].max() > 0:
            layers.insert(0, (_cover(r - R - 1.4 - P["clad"]) * inside, _TRIM))
        _paint_layers(img[:, rows_w, cols_w], layers)
    return img


# -- ball ---------------------------------------------------------------------------
FLOOR_V = 12.0
BALL_RADIUS = 7.0
_BALL_SPAN = 4.0  # |x|, |y| beyond this are clamped
_BALL_DARK = _rgb(0.16, 0.18, 0.24)
_BALL_LIGHT = _rgb(0.86, 0.89, 0.94)


def _ball_background() -> np.ndarray:
    wall = _vertical_gradient(_rgb(0.95, 0.95, 0.93), _rgb(0.92, 0.92, 0.90), _H)
    floor = _rgb(0.85, 0.84, 0.80)
    below = np.clip((FLOOR_V - _V) + 0.5, 0.0, 1.0)[:, None]
    bg = wall * (1 - below) + floor * below
    line = np.clip(1.0 - np.abs(_V - (FLOOR_V - 0.5)), 0.0, 1.0)[:, None] * 0.7
    bg = bg * (1 - line) + _rgb(0.55, 0.54, 0.52) * line
    bg = np.ascontiguousarray(np.broadcast_to(bg[:, None, :], (_H, _W, 3)), dtype=_F)
    frame = _rgb(0.62, 0.63, 0.66)
    bg[0, :], bg[-1, :], bg[:, 0], bg[:, -1] = frame, frame, frame, frame
    return bg


_BALL_BG = _ball_background()
_BALL_U0, _BALL_U_PER_UNIT = _W / 2, (_W / 2 - BALL_RADIUS - 3.0) / _BALL_SPAN
_BALL_V_LOW, _BALL_V_HIGH = FLOOR_V + BALL_RADIUS, _H - BALL_RADIUS - 3.0


def _render_ball(pts: np.ndarray) -> np.ndarray:
    n = pts.shape[0]
    x = np.clip(pts[:, 0], -_BALL_SPAN, _BALL_SPAN)
    cu = _BALL_U0 + _BALL_U_PER_UNIT * x
    if pts.shape[1] > 1:
        lift = (np.clip(pts[:, 1], -_BALL_SPAN, _BALL_SPAN) + _BALL_SPAN) / (2 * _BALL_SPAN)
    else:
        lift = np.zeros(n)  # 1-D: the ball rolls on the floor
    cv = _BALL_V_LOW + (_BALL_V_HIGH - _BALL_V_LOW) * lift
    img = np.repeat(_BALL_BG[None], n, axis=0)
    R = BALL_RADIUS
    CU, CV, LIFT = _col(cu), _col(cv), _col(lift)

    # Shadow on the floor: smaller and fainter the higher the ball flies.
    rows, cols = _rows(FLOOR_V - 2.5, FLOOR_V + 1.5), _cols(cu.min() - R - 1, cu.max() + R + 1)
    u, v = _U[cols], _V[rows][:, None]
    half = R * (1.0 - 0.45 * LIFT)
    d = np.sqrt(((u - CU) / half) ** 2 + ((v - FLOOR_V + 0.3) / 1.6) ** 2)
    _paint(img[:, rows, cols], np.clip(1.0 - d, 0.0, 1.0) * (0.55 - 0.35 * LIFT), _rgb(0.35, 0.35, 0.34))

    rows, cols = _rows(cv.min() - R, cv.max() + R), _cols(cu.min() - R, cu.max() + R)
    u, v = _U[cols], _V[rows][:, None]
    du, dv = u - CU, v - CV
    r = np.sqrt(du * du + dv * dv)
    # Shaded sphere: lighter towards the upper left; a small soft highlight there.
    light = np.clip(1.0 - np.sqrt((du + 0.35 * R) ** 2 + (dv - 0.35 * R) ** 2) / (1.4 * R), 0.0, 1.0)[..., None]
    ball_rgb = _BALL_DARK * (0.85 + 0.6 * light)
    window = img[:, rows, cols]
    _paint(window, _cover(r - R), ball_rgb)
    highlight = np.sqrt((du + 0.38 * R) ** 2 + (dv - 0.38 * R) ** 2) - 0.2 * R
    _paint(window, _cover(highlight) * 0.9, _BALL_LIGHT)
    return img


_RENDERERS = {"cars": _render_cars, "ball": _render_ball}
