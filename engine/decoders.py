"""Procedural image decoders: every point of the data space becomes a small RGB picture.

`cars` draws a side view of a car whose body style runs from sedan (x = -2) to SUV (x = +2)
and, in 2-D, whose colour runs from red (y = -2) to blue (y = +2); `ball` draws a ball in a
frame, the "where is the ball in the next frame" case of video prediction. Shapes are signed
distance fields with a one-pixel smoothstep edge, so every image is equally crisp wherever it
lies: any blur in the image pane comes from averaging pixels, never from the renderer.
Images are rendered in chunks, each part only inside the window of rows and columns it can
touch, so a batch of a thousand samples decodes in a fraction of a second.

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
    # Each renderer returns its images already clipped to [0, 1] (blends of in-range colours,
    # so the clip only trims rounding); it does so while interleaving its colour planes.
    if pts.shape[0] <= _CHUNK:
        return renderer(pts) if pts.shape[0] else np.empty((0, _H, _W, 3), dtype=_F)
    out = np.empty((pts.shape[0], _H, _W, 3), dtype=_F)
    # Neighbouring points share a chunk, so each chunk's drawing windows stay tight.
    order = np.argsort(pts[:, 0], kind="stable")
    for start in range(0, pts.shape[0], _CHUNK):
        idx = order[start:start + _CHUNK]
        out[idx] = renderer(pts[idx])
    return out


def axis_names(name: str, dim: int) -> tuple[str, ...]:
    """Short human names of the first `dim` axes of decoder `name`."""
    if name not in _AXIS_NAMES:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODER_NAMES)}")
    if dim not in (1, 2):
        raise ValueError(f"decoder {name!r}: dim must be 1 or 2, got {dim!r}")
    return _AXIS_NAMES[name][:dim]


# -- drawing primitives -----------------------------------------------------------
# They work on single-channel float32 fields (n, rows, cols) and on colour planes
# (3, n, rows, cols); `out=` arguments let a caller reuse a field it no longer needs.
def _clip01(x: np.ndarray) -> np.ndarray:
    """Clip to [0, 1] in place.

    np.clip makes one pass over memory but spends a couple of microseconds in Python first;
    for small arrays two plain ufunc calls are quicker.
    """
    if x.size < 20000:
        np.maximum(x, 0.0, out=x)
        return np.minimum(x, 1.0, out=x)
    return np.clip(x, 0.0, 1.0, out=x)


def _smoothstep(t: np.ndarray) -> np.ndarray:
    """t * t * (3 - 2t), in place, for t already in [0, 1]."""
    s = np.multiply(t, _F(-2.0))
    s += _F(3.0)
    t *= t
    t *= s
    return t


def _cover(d: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Coverage of a shape from its signed distance (negative inside): a smoothstep one pixel wide.

    `out` may be `d` itself, to overwrite a distance field that is not needed any more.
    """
    return _smoothstep(_clip01(np.subtract(_F(0.5), d, out=out, dtype=_F)))


def _cover_below(r: np.ndarray, radius: np.ndarray | float) -> np.ndarray:
    """Coverage of the disc r < radius: _cover(r - radius), one operation shorter."""
    return _smoothstep(_clip01(np.subtract(radius + _F(0.5), r, dtype=_F)))


def _smax(a: np.ndarray, b: np.ndarray, k: float, out: np.ndarray | None = None) -> np.ndarray:
    """Intersection of two distance fields with the corner rounded over about `k` pixels.

    `out` may be `a` itself (or any array of the broadcast shape) to save the result's allocation.
    """
    h = np.subtract(a, b)
    np.abs(h, out=h)
    np.subtract(_F(k), h, out=h)
    np.maximum(h, 0.0, out=h)
    h *= h
    h *= _F(0.25 / k)  # (h / k)^2 * k / 4
    m = np.maximum(a, b, out=out)
    m += h
    return m


def _paint(planes: np.ndarray, alpha: np.ndarray, colour: np.ndarray) -> None:
    """Blend `colour` over colour planes (3, n, rows, cols) in place with coverage `alpha` (n, rows, cols).

    `colour` broadcasts against the planes: (3, 1, 1, 1) for a flat colour, or per image, row or pixel.
    """
    tmp = np.subtract(colour, planes, dtype=_F)
    tmp *= alpha
    planes += tmp


def _paint_layers(windows: list[np.ndarray], alphas: np.ndarray, colours: np.ndarray) -> None:
    """Blend flat-coloured layers over colour planes in place: alphas (K, len(windows), n, rows, cols)
    and colours (3, K), both listed back to front.

    `windows` are colour-plane views (3, n, rows, cols) of one shape, painted independently. Same
    result as painting the layers one by one, but each layer costs two single-channel operations:
    walking front to back, a layer's weight is its alpha times what the layers above leave
    showing (computed in place of the alphas); the colours are then summed in one matrix
    product, (3, K) @ (K, pixels).
    """
    weights = alphas
    through = np.subtract(_F(1.0), weights[-1])  # how much of what lies below still shows
    for k in range(len(weights) - 2, -1, -1):
        weights[k] *= through
        through -= weights[k]
    mixed = (colours @ weights.reshape(len(weights), -1)).reshape((3,) + through.shape)
    for i, planes in enumerate(windows):
        planes *= through[i]
        planes += mixed[:, i]


def _interleave(planes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Colour planes (3, n, rows, cols) as images (n, rows, cols, 3), clipped to [0, 1] on the way.

    The planes are clipped in place; `out` may be a view into a larger array.
    """
    if out is None:
        out = np.empty(planes.shape[1:] + (3,), dtype=_F)
    for c in range(3):
        np.maximum(planes[c], 0.0, out=planes[c])
        np.minimum(planes[c], 1.0, out=out[..., c])
    return out


def _window(lo: float, hi: float, size: int) -> slice:
    """Pixel indices [floor(lo), ceil(hi)) clipped to the image."""
    return slice(max(math.floor(lo), 0), min(math.ceil(hi), size))


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


def _plane(c: np.ndarray) -> np.ndarray:
    """A flat colour (3,) shaped to broadcast over colour planes (3, n, rows, cols)."""
    return c.reshape(3, 1, 1, 1)


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
_WHEEL_COLOURS = np.stack([_TRIM, _WELL, _TYRE, _RIM, _HUB], axis=1)  # (3, layer): cladding ... hub


_SUPER = 4  # samples per pixel column of the roof-line profile

# The key measures as one table (measure, key), so all of them are interpolated at once; the
# slopes are np.interp's own, so _car_params reproduces np.interp bit for bit.
_CAR_KEY_NAMES = tuple(_CAR_KEYS)
_CAR_KEY_TABLE = np.array([_CAR_KEYS[k] for k in _CAR_KEY_NAMES])
_CAR_KEY_SLOPES = np.diff(_CAR_KEY_TABLE, axis=1) / np.diff(_STYLE_KEYS)
# The roof-line profile's knots, as rows of that table: tail → rear window → roof → windscreen → bonnet.
_ROOF_KNOTS_U = [_CAR_KEY_NAMES.index(k) for k in ("rear", "c_base", "roof_rear", "roof_front", "a_base", "front")]
_ROOF_KNOTS_V = [_CAR_KEY_NAMES.index(k) for k in ("boot", "belt_r", "roof", "roof", "belt_f", "hood")]
# The pieces between knots of different heights (the roof itself is flat: it adds nothing).
_ROOF_PIECES = np.array([k for k in range(len(_ROOF_KNOTS_V) - 1) if _ROOF_KNOTS_V[k] != _ROOF_KNOTS_V[k + 1]])
# _render_cars paints the three door gaps in one pass, assuming the one behind the windscreen
# (a_base - 3.5) never comes within a line's width (2 x 0.85 px) of the other two.
assert min(_CAR_KEYS["a_base"]) - 3.5 - 0.85 > max(_CAR_KEYS["b_pillar"] + _CAR_KEYS["rear_door"]) + 0.85


def _car_background() -> np.ndarray:
    sky = _vertical_gradient(_rgb(0.93, 0.95, 0.97), _rgb(0.97, 0.97, 0.97), _H)
    ground = _rgb(0.88, 0.88, 0.86)
    below = np.clip((GROUND_V - _V) + 0.5, 0.0, 1.0)[:, None]  # anti-aliased ground level
    bg = sky * (1 - below) + ground * below
    line = np.clip(1.0 - np.abs(_V - (GROUND_V - 0.5)), 0.0, 1.0)[:, None] * 0.8
    bg = bg * (1 - line) + _rgb(0.55, 0.55, 0.55) * line
    return np.ascontiguousarray(np.broadcast_to(bg[:, None, :], (_H, _W, 3)), dtype=_F)


_CAR_BG = _car_background()
_CAR_BG_PLANES = np.ascontiguousarray(np.moveaxis(_CAR_BG, -1, 0)[:, None])  # (3, 1, H, W)

# The contact shadow's vertical profile depends on nothing but the ground line.
_SHADOW_ROWS = _rows(GROUND_V - 2.0, GROUND_V + 1.5)
_SHADOW_SY = np.clip(1.0 - np.abs(_V[_SHADOW_ROWS][:, None] - (GROUND_V - 0.3)) / 1.8, 0.0, 1.0)


def _roof_sampling() -> tuple[np.ndarray, np.ndarray]:
    """Where _roof_line samples the profile, and the matrix taking those samples to the roof line.

    The roof line is built as: sample the piecewise-linear profile `_SUPER` times per pixel column,
    over the image and `pad` pixels beyond each side; smooth the samples twice with a centred box
    filter about two pixels wide (edges padded with the end samples), so corners round off over
    ~4 px; read the height at a point as the mean of the two samples either side of it. Only the
    sampling is non-linear, so the rest is one matrix, found here by running those steps on unit
    impulses. Its columns give the height at the W pixel centres (u = k + 1/2 - 1/(2 _SUPER)) then
    at the W + 1 pixel edges (u = k - 1/(2 _SUPER)); samples no column reads are dropped.
    """
    pad = 4
    us = (np.arange((_W + 2 * pad) * _SUPER) + 0.5) / _SUPER - pad
    f = np.eye(us.size)  # row i: the unit impulse at sample i
    width = 2 * _SUPER + 1
    for _ in range(2):
        c = np.cumsum(np.pad(f, ((0, 0), (width // 2 + 1, width // 2)), mode="edge"), axis=1)
        f = (c[:, width:] - c[:, :-width]) / width

    def at(u: np.ndarray) -> np.ndarray:  # u on the half-sample lattice between two samples
        j = (_SUPER * (u + pad) - 0.5).astype(int)
        return (f[:, j] + f[:, j + 1]) / 2

    matrix = np.concatenate([at(np.arange(_W) + 0.5 - 0.5 / _SUPER), at(np.arange(_W + 1) - 0.5 / _SUPER)], axis=1)
    used = np.flatnonzero(np.any(matrix != 0.0, axis=1))
    used = slice(used[0], used[-1] + 1)
    return us[used], np.ascontiguousarray(matrix[used])


_ROOF_US, _ROOF_MATRIX = _roof_sampling()


def _car_params(x: np.ndarray) -> np.ndarray:
    """Every key measure at style s = x / 2: a (measure, n) float64 table, rows in _CAR_KEY_NAMES order.

    Equal to np.interp(s, _STYLE_KEYS, row) for each row, computed for all rows at once.
    """
    s = np.minimum(np.maximum(x / 2.0, _STYLE_KEYS[0]), _STYLE_KEYS[-1])
    j = np.searchsorted(_STYLE_KEYS, s, side="right") - 1
    np.minimum(j, _STYLE_KEYS.size - 2, out=j)
    table = _CAR_KEY_SLOPES[:, j] * (s - _STYLE_KEYS[j]) + _CAR_KEY_TABLE[:, j]
    last = s >= _STYLE_KEYS[-1]  # np.interp returns the last key's values exactly there
    if last.any():
        table[:, last] = _CAR_KEY_TABLE[:, -1:]
    return table


def _car_colour(y: np.ndarray | None, n: int) -> np.ndarray:
    """Body colour as planes (3, n): a fixed red in 1-D; in 2-D the hue turns from red through
    magenta to blue.

    The hue moves at full saturation, so only pixel averaging can make a car look greyish.
    """
    if y is None:
        return np.broadcast_to(_RED[:, None], (3, n))
    t = (np.minimum(np.maximum(y, -2.0), 2.0) + 2.0) / 4.0  # 0 red, 0.5 magenta, 1 blue
    red = np.minimum(2.0 - 2.0 * t, 1.0)  # t lies in [0, 1]: no clip at 0 needed
    blue = np.minimum(2.0 * t, 1.0)
    lo, hi = 0.07, 0.84
    green = lo + (_BLUE[1] - lo) * blue ** 2  # the blue's touch of green keeps it from looking violet
    return np.array([lo + (hi - lo) * red, green, lo + (hi - lo) * blue], dtype=_F)


def _roof_line(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Height of the body's top edge over each pixel column, and the factor turning a vertical
    distance to it into a distance normal to it; both (n, W).

    The profile runs tail → rear window → roof → windscreen → bonnet through straight pieces,
    smoothed over a few pixels so the roof corners and the scuttle come out rounded.
    """
    knots_u = np.maximum.accumulate(table[_ROOF_KNOTS_U], axis=0)[:, :, None]  # (6, n, 1)
    knots_v = table[_ROOF_KNOTS_V][:, :, None]
    u0, u1 = knots_u[_ROOF_PIECES], knots_u[_ROOF_PIECES + 1]
    slopes = (knots_v[_ROOF_PIECES + 1] - knots_v[_ROOF_PIECES]) / np.maximum(u1 - u0, 1e-3)
    # All sloping pieces at once, (piece, n, sample): how far along each piece a sample lies, times its slope.
    rise = np.maximum(_ROOF_US, u0)
    np.minimum(rise, u1, out=rise)
    rise -= u0
    rise *= slopes
    f = rise.sum(axis=0)
    f += knots_v[0]
    line = f @ _ROOF_MATRIX  # (n, W + W + 1): heights at pixel centres, then at pixel edges
    slope = line[:, _W + 1:] - line[:, _W:-1]
    slope *= slope
    slope += 1.0
    norm = 1.0 / np.sqrt(slope)
    return line[:, :_W].astype(_F), norm.astype(_F)


def _same_size(boxes: list[tuple[slice, slice]]) -> list[tuple[slice, slice]]:
    """Windows (rows, cols) grown to a common size, so parts drawn in them can be stacked on one axis.

    A window only ever grows, and stays inside the image; a part's coverage is zero outside its
    own window, so drawing it over a larger one gives the same picture.
    """
    height = max(r.stop - r.start for r, _ in boxes)
    width = max(c.stop - c.start for _, c in boxes)

    def grow(s: slice, size: int, limit: int) -> slice:
        start = min(s.start, limit - size)
        return slice(start, start + size)

    return [(grow(r, height, _H), grow(c, width, _W)) for r, c in boxes]


def _render_cars(pts: np.ndarray) -> np.ndarray:
    n = pts.shape[0]
    table = _car_params(pts[:, 0])
    p = dict(zip(_CAR_KEY_NAMES, table))  # float64 (n,) per measure
    P = dict(zip(_CAR_KEY_NAMES, table.astype(_F)[:, :, None, None]))  # float32 (n, 1, 1): for pixels
    lo = dict(zip(_CAR_KEY_NAMES, table.min(axis=1).tolist()))  # batch extremes, for the windows
    hi = dict(zip(_CAR_KEY_NAMES, table.max(axis=1).tolist()))
    colour = _car_colour(pts[:, 1] if pts.shape[1] > 1 else None, n)[:, :, None, None]  # (3, n, 1, 1)
    g = GROUND_V

    # Windows: each part is drawn only inside the rows and columns it can touch in this batch.
    rows_s, cols_s = _SHADOW_ROWS, _cols(lo["rear"], hi["front"])
    rows_b, cols_b = _rows(g + lo["sill"], g + hi["roof"] + 1.0), _cols(lo["rear"], hi["front"])
    rows_g, cols_g = _rows(g + lo["belt_f"], g + hi["roof"]), _cols(lo["glass_rear"], hi["a_base"])
    cols_p = _cols(lo["b_pillar"] - 1.4, hi["b_pillar"] + 1.4)  # the B-pillar, inside the glass
    cols_p = slice(max(cols_p.start, cols_g.start), min(cols_p.stop, cols_g.stop))
    doors = (("b_pillar", 0.0), ("a_base", -3.5), ("rear_door", 0.0))
    rows_d = _rows(g + lo["sill"], g + hi["belt_f"])
    cols_d = _cols(min(lo[key] + offset for key, offset in doors) - 1,
                   max(hi[key] + offset for key, offset in doors) + 1)
    rows_m = _rows(g + (lo["belt_f"] + 1.0) - 1.5, g + (hi["belt_f"] + 1.0) + 1.5)
    cols_m = _cols((lo["a_base"] - 2.4) - 2, (hi["a_base"] - 2.4) + 2)
    lamps = (("front", "hood", -2.6, 2.6, 1.3, _HEADLIGHT), ("rear", "boot", 1.6, 1.7, 1.5, _TAILLIGHT))
    boxes_l = _same_size([(_rows(g + (lo[vk] - 2.6) - rv, g + (hi[vk] - 2.6) + rv),
                           _cols((lo[uk] + du) - ru, (hi[uk] + du) + ru)) for uk, vk, du, ru, rv, _ in lamps])
    reach = hi["wheel"] + 1.4 + hi["clad"]
    rows_w = _rows(g - 0.5, g + 2 * hi["wheel"] + 1.4 + hi["clad"])
    boxes_w = _same_size([(rows_w, _cols(lo[axle] - reach, hi[axle] + reach)) for axle in ("axle_r", "axle_f")])

    # Rows above and below every window keep the background: only the band between them is
    # painted, in colour planes (3, n, band rows, W); band(a, rows, cols) is a window of a band array.
    all_rows = [rows_s, rows_b, rows_g, rows_d, rows_m] + [r for r, _ in boxes_l + boxes_w]
    top, bottom = min(r.start for r in all_rows), max(r.stop for r in all_rows)

    def band(a: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
        return a[..., rows.start - top:rows.stop - top, cols]

    img = np.empty((3, n, bottom - top, _W), dtype=_F)
    img[...] = _CAR_BG_PLANES[:, :, top:bottom]

    # Body: below the roof-line profile, between the tail and the nose, above the sill.
    roof, norm = _roof_line(table)
    u, v = _U[cols_b], _V[rows_b][:, None] - g
    d_top = np.subtract(v, roof[:, None, cols_b])
    d_top *= norm[:, None, cols_b]
    d_ends = np.maximum(P["rear"] - u, u - P["front"])
    d_body = _smax(d_top, d_ends, 4.5)
    _smax(d_body, P["sill"] - v, 3.0, out=d_body)
    body = _cover(d_body, out=d_body)
    body_band = np.zeros((n, bottom - top, _W), dtype=_F)  # the body's coverage, for the parts on it
    band(body_band, rows_b, cols_b)[...] = body
    # Colour by row: a lighter shoulder under the window line, a darker sill, a dark trim band.
    height = _clip01((v - P["sill"]) / np.maximum(P["belt_f"] - P["sill"], 1.0))
    shade = 0.80 + 0.20 * height
    shoulder = _clip01(1.0 - np.abs(v - (P["belt_f"] - 2.2)) / 1.2) * 0.22
    trim = _cover(v - (P["sill"] + P["trim"]))
    body_rgb = colour * shade  # (3, n, rows, 1)
    body_rgb = body_rgb + (1.0 - body_rgb) * shoulder
    body_rgb = body_rgb * (1 - trim) + _plane(_TRIM) * trim
    # The body is painted over the bare background, which is constant along each row, so the
    # blend bg + body * (body_rgb - bg) needs one pass fewer than a general paint...
    bg = _CAR_BG_PLANES[:, :, rows_b, :1]
    window = band(img, rows_b, cols_b)
    np.multiply(body, body_rgb - bg, out=window)
    window += bg

    # ...and the soft contact shadow on the ground, which lies under the body, is added after it:
    # painting the shadow (alpha a) and then the body (alpha b) leaves
    # body over bg + (1 - b) * a * (shadow - bg).
    u = _U[cols_s]
    sx = np.minimum(u - P["rear"] - 1.0, P["front"] - 1.0 - u) / 5.0
    shadow = 0.45 * _clip01(sx) * _SHADOW_SY
    shadow *= 1.0 - band(body_band, rows_s, cols_s)
    band(img, rows_s, cols_s)[...] += shadow * (_plane(_SHADOW) - _CAR_BG_PLANES[:, :, rows_s, :1])

    # Side glass: the cabin inset from the roof line, above the window line, split by a dark B-pillar.
    u, v = _U[cols_g], _V[rows_g][:, None] - g
    belt = P["belt_r"] + (P["belt_f"] - P["belt_r"]) * (u - P["c_base"]) / np.maximum(P["a_base"] - P["c_base"], 1.0)
    d_glass = d_top[:, rows_g.start - rows_b.start:rows_g.stop - rows_b.start,
                    cols_g.start - cols_b.start:cols_g.stop - cols_b.start] + 1.6
    _smax(d_glass, belt + 0.9 - v, 1.5, out=d_glass)
    _smax(d_glass, P["glass_rear"] - u, 2.5, out=d_glass)
    glass = _cover(d_glass, out=d_glass)
    shine = _clip01((v - P["belt_f"]) / np.maximum(P["roof"] - P["belt_f"], 1.0))
    glass_rgb = _plane(_GLASS_BOTTOM) * (1 - shine) + _plane(_GLASS_TOP) * shine  # (3, n, rows, 1)
    # The pillar darkens the glass colour towards _PILLAR: glass_rgb + pillar * (_PILLAR - glass_rgb),
    # where pillar is zero except within a few columns of it.
    window = band(img, rows_g, cols_g)
    tmp = np.subtract(glass_rgb, window)
    pc = slice(cols_p.start - cols_g.start, cols_p.stop - cols_g.start)
    pillar = _cover(np.abs(_U[cols_p] - P["b_pillar"]) - 0.9)
    tmp[..., pc] += pillar * (_plane(_PILLAR) - glass_rgb)
    tmp *= glass
    window += tmp
    # Temporaries of a batch run to megabytes: freeing each part's as soon as it is done keeps
    # the peak memory, and with it the page faults of fresh allocations, down.
    del d_top, d_body, body, d_glass, glass, tmp

    # Door gaps: thin darker lines from the sill to the window line, all three painted in one pass.
    # Painting a colour with coverages a1, a2, a3 in turn equals one paint with 1 - (1-a1)(1-a2)(1-a3).
    # Here a_i = k * c_i: k per pixel (0.45 x the row profile x the body), c_i per column. The line
    # behind the windscreen never meets the other two (checked at import, next to _ROOF_PIECES), so
    # that product is 1 - k * (c1 + c2 + c3) + k^2 * c1 * c3: per-column sums and one pixel-wide pass.
    u, v = _U[cols_d], _V[rows_d][:, None] - g
    pos = np.array([p[key] + offset for key, offset in doors], dtype=_F)[:, :, None, None]  # (3, n, 1, 1)
    gaps = np.abs(u - pos)
    gaps -= 0.35
    gaps = _cover(gaps, out=gaps)  # (3, n, 1, cols)
    across = gaps[0] + gaps[1] + gaps[2]
    overlap = gaps[0] * gaps[2]  # the B-pillar and the rear door's edge coincide on coupés
    k = 0.45 * _cover(np.maximum(P["sill"] + P["trim"] + 0.5 - v, v - P["belt_f"] + 0.8))
    k = k * band(body_band, rows_d, cols_d)
    alpha = np.multiply(k, overlap)
    np.subtract(across, alpha, out=alpha)
    alpha *= k
    _paint(band(img, rows_d, cols_d), alpha, _plane(_TRIM))
    del k, alpha

    # Door mirror at the foot of the windscreen.
    u, v = _U[cols_m], _V[rows_m][:, None] - g
    d = np.sqrt(((u - _col(p["a_base"] - 2.4)) / 1.6) ** 2 + ((v - _col(p["belt_f"] + 1.0)) / 1.1) ** 2) - 1.0
    d *= 1.1
    _paint(band(img, rows_m, cols_m), _cover(d, out=d), _plane(_PILLAR))

    # Lights: a pale headlamp under the bonnet's edge, an amber-red lamp at the tail; both lamps
    # at once, stacked on a leading axis in windows of one size.
    u = np.array([_U[c] for _, c in boxes_l])[:, None, None, :]  # (2, 1, 1, cols)
    v = np.array([_V[r] for r, _ in boxes_l])[:, None, :, None] - g  # (2, 1, rows, 1)
    cu = np.array([p[uk] + du for uk, _, du, _, _, _ in lamps], dtype=_F)[:, :, None, None]  # (2, n, 1, 1)
    cv = np.array([p[vk] - 2.6 for _, vk, _, _, _, _ in lamps], dtype=_F)[:, :, None, None]
    half_u = np.array([lamp[3] for lamp in lamps], dtype=_F)[:, None, None, None]
    half_v = np.array([lamp[4] for lamp in lamps], dtype=_F)[:, None, None, None]
    d = np.maximum(np.abs(u - cu) - half_u, np.abs(v - cv) - half_v)
    lit = _cover(d, out=d)
    for i, (rows_l, cols_l) in enumerate(boxes_l):
        lit[i] *= band(body_band, rows_l, cols_l)
        _paint(band(img, rows_l, cols_l), lit[i], _plane(lamps[i][5]))

    # Wheels: a dark wheel well inside the body, the tyre, a light rim and a hub. Both wheels are
    # drawn at once, stacked on a leading axis (rear, front), in windows of one size.
    u = np.array([_U[c] for _, c in boxes_w])[:, None, None, :]  # (2, 1, 1, cols)
    v = _V[rows_w][:, None] - g
    R = P["wheel"]
    du = u - np.array([P["axle_r"], P["axle_f"]])  # (2, n, 1, cols)
    du *= du
    r = np.add(du, (v - R) ** 2)
    np.sqrt(r, out=r)
    # Back to front: cladding, well, tyre, rim, hub: discs around the axle, all in one array.
    # The cladding fades in with its width, so a car without any draws none: every car's picture
    # is the same whatever else is decoded in the same batch.
    radii = [R + 1.4 + P["clad"], R + 1.4, R, 0.58 * R, 0.22 * R]
    alphas = _cover_below(r, np.array(radii)[:, None])  # (layers, 2, n, rows, cols)
    alphas[0] *= np.clip(P["clad"] / _F(0.3), 0.0, 1.0)
    alphas[:-3] *= np.array([band(body_band, rows, cols) for rows, cols in boxes_w])  # well, cladding: on the body
    _paint_layers([band(img, rows, cols) for rows, cols in boxes_w], alphas, _WHEEL_COLOURS)
    del du, r, alphas, body_band

    out = np.empty((n, _H, _W, 3), dtype=_F)
    out[:, :top] = _CAR_BG[:top]
    out[:, bottom:] = _CAR_BG[bottom:]
    _interleave(img, out[:, top:bottom])
    return out


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


_BALL_BG_PLANES = np.ascontiguousarray(np.moveaxis(_BALL_BG, -1, 0)[:, None])  # (3, 1, H, W)


def _render_ball(pts: np.ndarray) -> np.ndarray:
    n = pts.shape[0]
    x = np.clip(pts[:, 0], -_BALL_SPAN, _BALL_SPAN)
    cu = _BALL_U0 + _BALL_U_PER_UNIT * x
    if pts.shape[1] > 1:
        lift = (np.clip(pts[:, 1], -_BALL_SPAN, _BALL_SPAN) + _BALL_SPAN) / (2 * _BALL_SPAN)
    else:
        lift = np.zeros(n)  # 1-D: the ball rolls on the floor
    cv = _BALL_V_LOW + (_BALL_V_HIGH - _BALL_V_LOW) * lift
    R = BALL_RADIUS
    CU, CV, LIFT = _col(cu), _col(cv), _col(lift)
    rows_s, cols_s = _rows(FLOOR_V - 2.5, FLOOR_V + 1.5), _cols(cu.min() - R - 1, cu.max() + R + 1)
    rows_b, cols_b = _rows(cv.min() - R, cv.max() + R), _cols(cu.min() - R, cu.max() + R)
    # Only the band of rows the windows span is painted, in colour planes (as for the cars).
    top, bottom = min(rows_s.start, rows_b.start), max(rows_s.stop, rows_b.stop)
    img = np.empty((3, n, bottom - top, _W), dtype=_F)
    img[...] = _BALL_BG_PLANES[:, :, top:bottom]

    # Shadow on the floor: smaller and fainter the higher the ball flies.
    u, v = _U[cols_s], _V[rows_s][:, None]
    half = R * (1.0 - 0.45 * LIFT)
    d = np.sqrt(((u - CU) / half) ** 2 + ((v - FLOOR_V + 0.3) / 1.6) ** 2)
    _paint(img[:, :, rows_s.start - top:rows_s.stop - top, cols_s],
           _clip01(1.0 - d) * (0.55 - 0.35 * LIFT), _plane(_rgb(0.35, 0.35, 0.34)))

    u, v = _U[cols_b], _V[rows_b][:, None]
    du, dv = u - CU, v - CV
    r = np.sqrt(du * du + dv * dv)
    # Shaded sphere: lighter towards the upper left; a small soft highlight there.
    light = _clip01(1.0 - np.sqrt((du + 0.35 * R) ** 2 + (dv - 0.35 * R) ** 2) / (1.4 * R))
    ball_rgb = _plane(_BALL_DARK) * (0.85 + 0.6 * light)
    window = img[:, :, rows_b.start - top:rows_b.stop - top, cols_b]
    _paint(window, _cover(r - R), ball_rgb)
    highlight = np.sqrt((du + 0.38 * R) ** 2 + (dv - 0.38 * R) ** 2) - 0.2 * R
    _paint(window, _cover(highlight) * 0.9, _plane(_BALL_LIGHT))

    out = np.empty((n, _H, _W, 3), dtype=_F)
    out[:, :top] = _BALL_BG[:top]
    out[:, bottom:] = _BALL_BG[bottom:]
    _interleave(img, out[:, top:bottom])
    return out


_RENDERERS = {"cars": _render_cars, "ball": _render_ball}
