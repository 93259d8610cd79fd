"""The `cars` decoder: a side view of a car whose body style runs from sedan (x = -2) to SUV (x = +2)
and, in 2-D, whose colour runs from red (y = -2) to blue (y = +2); axes 3 to 8 (wheels, roof box, sky,
facing, size, suspension) are drawn with engine.decoders.car_extras."""

from __future__ import annotations

import functools

import numpy as np

from engine.decoders import car_extras as extras
from engine.decoders.drawing import (
    F32, H, U, V, W, clip01, col_span, cover, cover_below, interleave, paint, paint_layers, per_image, plane,
    rgb, row_span, smax,
)

AXES = extras.AXES


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

_RED = rgb(0.84, 0.07, 0.09)
_BLUE = rgb(0.07, 0.20, 0.84)  # same HSV value and saturation as the red, hue 240°
_GLASS_TOP = rgb(0.80, 0.87, 0.92)
_GLASS_BOTTOM = rgb(0.60, 0.69, 0.77)
_PILLAR = rgb(0.16, 0.17, 0.20)
_TRIM = rgb(0.20, 0.20, 0.22)
_WELL = rgb(0.07, 0.07, 0.08)
_TYRE = rgb(0.15, 0.15, 0.16)
_RIM = rgb(0.80, 0.81, 0.83)
_HUB = rgb(0.45, 0.46, 0.49)
_HEADLIGHT = rgb(1.0, 0.96, 0.78)
_TAILLIGHT = rgb(0.98, 0.55, 0.10)
_SHADOW = rgb(0.30, 0.31, 0.33)
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


# The contact shadow's vertical profile depends on nothing but the ground line.
_SHADOW_ROWS = row_span(GROUND_V - 2.0, GROUND_V + 1.5)
_SHADOW_SY = np.clip(1.0 - np.abs(V[_SHADOW_ROWS][:, None] - (GROUND_V - 0.3)) / 1.8, 0.0, 1.0)


@functools.cache  # found at the first car drawn, not at import: the window's first frame draws none
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
    us = (np.arange((W + 2 * pad) * _SUPER) + 0.5) / _SUPER - pad
    f = np.eye(us.size)  # row i: the unit impulse at sample i
    width = 2 * _SUPER + 1
    for _ in range(2):
        c = np.cumsum(np.pad(f, ((0, 0), (width // 2 + 1, width // 2)), mode="edge"), axis=1)
        f = (c[:, width:] - c[:, :-width]) / width

    def at(u: np.ndarray) -> np.ndarray:  # u on the half-sample lattice between two samples
        j = (_SUPER * (u + pad) - 0.5).astype(int)
        return (f[:, j] + f[:, j + 1]) / 2

    matrix = np.concatenate([at(np.arange(W) + 0.5 - 0.5 / _SUPER), at(np.arange(W + 1) - 0.5 / _SUPER)], axis=1)
    used = np.flatnonzero(np.any(matrix != 0.0, axis=1))
    used = slice(used[0], used[-1] + 1)
    return us[used], np.ascontiguousarray(matrix[used])


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
    return np.array([lo + (hi - lo) * red, green, lo + (hi - lo) * blue], dtype=F32)


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
    roof_us, roof_matrix = _roof_sampling()
    rise = np.maximum(roof_us, u0)
    np.minimum(rise, u1, out=rise)
    rise -= u0
    rise *= slopes
    f = rise.sum(axis=0)
    f += knots_v[0]
    line = f @ roof_matrix  # (n, W + W + 1): heights at pixel centres, then at pixel edges
    slope = line[:, W + 1:] - line[:, W:-1]
    slope *= slope
    slope += 1.0
    norm = 1.0 / np.sqrt(slope)
    return line[:, :W].astype(F32), norm.astype(F32)


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

    return [(grow(r, height, H), grow(c, width, W)) for r, c in boxes]


def render(pts: np.ndarray) -> np.ndarray:
    n = pts.shape[0]
    box = extras.amount(pts, extras.ROOF_BOX)
    table = extras.lifted(_car_params(pts[:, 0]), _CAR_KEY_NAMES, pts)
    p = dict(zip(_CAR_KEY_NAMES, table))  # float64 (n,) per measure
    P = dict(zip(_CAR_KEY_NAMES, table.astype(F32)[:, :, None, None]))  # float32 (n, 1, 1): for pixels
    lo = dict(zip(_CAR_KEY_NAMES, table.min(axis=1).tolist()))  # batch extremes, for the windows
    hi = dict(zip(_CAR_KEY_NAMES, table.max(axis=1).tolist()))
    colour = _car_colour(pts[:, 1] if pts.shape[1] > 1 else None, n)[:, :, None, None]  # (3, n, 1, 1)
    g = GROUND_V
    bg_planes = extras.background_rows(g, extras.amount(pts, extras.SKY), n)

    # Windows: each part is drawn only inside the rows and columns it can touch in this batch.
    rows_s, cols_s = _SHADOW_ROWS, col_span(lo["rear"], hi["front"])
    rows_b, cols_b = row_span(g + lo["sill"], g + hi["roof"] + 1.0), col_span(lo["rear"], hi["front"])
    rows_g, cols_g = row_span(g + lo["belt_f"], g + hi["roof"]), col_span(lo["glass_rear"], hi["a_base"])
    cols_p = col_span(lo["b_pillar"] - 1.4, hi["b_pillar"] + 1.4)  # the B-pillar, inside the glass
    cols_p = slice(max(cols_p.start, cols_g.start), min(cols_p.stop, cols_g.stop))
    doors = (("b_pillar", 0.0), ("a_base", -3.5), ("rear_door", 0.0))
    rows_d = row_span(g + lo["sill"], g + hi["belt_f"])
    cols_d = col_span(min(lo[key] + offset for key, offset in doors) - 1,
                   max(hi[key] + offset for key, offset in doors) + 1)
    rows_m = row_span(g + (lo["belt_f"] + 1.0) - 1.5, g + (hi["belt_f"] + 1.0) + 1.5)
    cols_m = col_span((lo["a_base"] - 2.4) - 2, (hi["a_base"] - 2.4) + 2)
    lamps = (("front", "hood", -2.6, 2.6, 1.3, _HEADLIGHT), ("rear", "boot", 1.6, 1.7, 1.5, _TAILLIGHT))
    boxes_l = _same_size([(row_span(g + (lo[vk] - 2.6) - rv, g + (hi[vk] - 2.6) + rv),
                           col_span((lo[uk] + du) - ru, (hi[uk] + du) + ru)) for uk, vk, du, ru, rv, _ in lamps])
    reach = hi["wheel"] + 1.4 + hi["clad"]
    rows_w = row_span(g - 0.5, g + 2 * hi["wheel"] + 1.4 + hi["clad"])
    boxes_w = _same_size([(rows_w, col_span(lo[axle] - reach, hi[axle] + reach)) for axle in ("axle_r", "axle_f")])

    # Rows above and below every window keep the background: only the band between them is
    # painted, in colour planes (3, n, band rows, W); band(a, rows, cols) is a window of a band array.
    rows_x = extras.roof_box_rows(lo, hi, g) if box is not None else None
    all_rows = [rows_s, rows_b, rows_g, rows_d, rows_m] + [r for r, _ in boxes_l + boxes_w]
    all_rows += [rows_x] if rows_x is not None else []
    top, bottom = min(r.start for r in all_rows), max(r.stop for r in all_rows)

    def band(a: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
        return a[..., rows.start - top:rows.stop - top, cols]

    img = np.empty((3, n, bottom - top, W), dtype=F32)
    img[...] = bg_planes[:, :, top:bottom]

    # Body: below the roof-line profile, between the tail and the nose, above the sill.
    roof, norm = _roof_line(table)
    u, v = U[cols_b], V[rows_b][:, None] - g
    d_top = np.subtract(v, roof[:, None, cols_b])
    d_top *= norm[:, None, cols_b]
    d_ends = np.maximum(P["rear"] - u, u - P["front"])
    d_body = smax(d_top, d_ends, 4.5)
    smax(d_body, P["sill"] - v, 3.0, out=d_body)
    body = cover(d_body, out=d_body)
    body_band = np.zeros((n, bottom - top, W), dtype=F32)  # the body's coverage, for the parts on it
    band(body_band, rows_b, cols_b)[...] = body
    # Colour by row: a lighter shoulder under the window line, a darker sill, a dark trim band.
    height = clip01((v - P["sill"]) / np.maximum(P["belt_f"] - P["sill"], 1.0))
    shade = 0.80 + 0.20 * height
    shoulder = clip01(1.0 - np.abs(v - (P["belt_f"] - 2.2)) / 1.2) * 0.22
    trim = cover(v - (P["sill"] + P["trim"]))
    body_rgb = colour * shade  # (3, n, rows, 1)
    body_rgb = body_rgb + (1.0 - body_rgb) * shoulder
    body_rgb = body_rgb * (1 - trim) + plane(_TRIM) * trim
    # The body is painted over the bare background, which is constant along each row, so the
    # blend bg + body * (body_rgb - bg) needs one pass fewer than a general paint...
    bg = bg_planes[:, :, rows_b]
    window = band(img, rows_b, cols_b)
    np.multiply(body, body_rgb - bg, out=window)
    window += bg

    # ...and the soft contact shadow on the ground, which lies under the body, is added after it:
    # painting the shadow (alpha a) and then the body (alpha b) leaves
    # body over bg + (1 - b) * a * (shadow - bg).
    u = U[cols_s]
    sx = np.minimum(u - P["rear"] - 1.0, P["front"] - 1.0 - u) / 5.0
    shadow = 0.45 * clip01(sx) * _SHADOW_SY
    shadow *= 1.0 - band(body_band, rows_s, cols_s)
    band(img, rows_s, cols_s)[...] += shadow * (plane(_SHADOW) - bg_planes[:, :, rows_s])

    # Side glass: the cabin inset from the roof line, above the window line, split by a dark B-pillar.
    u, v = U[cols_g], V[rows_g][:, None] - g
    belt = P["belt_r"] + (P["belt_f"] - P["belt_r"]) * (u - P["c_base"]) / np.maximum(P["a_base"] - P["c_base"], 1.0)
    d_glass = d_top[:, rows_g.start - rows_b.start:rows_g.stop - rows_b.start,
                    cols_g.start - cols_b.start:cols_g.stop - cols_b.start] + 1.6
    smax(d_glass, belt + 0.9 - v, 1.5, out=d_glass)
    smax(d_glass, P["glass_rear"] - u, 2.5, out=d_glass)
    glass = cover(d_glass, out=d_glass)
    shine = clip01((v - P["belt_f"]) / np.maximum(P["roof"] - P["belt_f"], 1.0))
    glass_rgb = plane(_GLASS_BOTTOM) * (1 - shine) + plane(_GLASS_TOP) * shine  # (3, n, rows, 1)
    # The pillar darkens the glass colour towards _PILLAR: glass_rgb + pillar * (_PILLAR - glass_rgb),
    # where pillar is zero except within a few columns of it.
    window = band(img, rows_g, cols_g)
    tmp = np.subtract(glass_rgb, window)
    pc = slice(cols_p.start - cols_g.start, cols_p.stop - cols_g.start)
    pillar = cover(np.abs(U[cols_p] - P["b_pillar"]) - 0.9)
    tmp[..., pc] += pillar * (plane(_PILLAR) - glass_rgb)
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
    u, v = U[cols_d], V[rows_d][:, None] - g
    pos = np.array([p[key] + offset for key, offset in doors], dtype=F32)[:, :, None, None]  # (3, n, 1, 1)
    gaps = np.abs(u - pos)
    gaps -= 0.35
    gaps = cover(gaps, out=gaps)  # (3, n, 1, cols)
    across = gaps[0] + gaps[1] + gaps[2]
    overlap = gaps[0] * gaps[2]  # the B-pillar and the rear door's edge coincide on coupés
    k = 0.45 * cover(np.maximum(P["sill"] + P["trim"] + 0.5 - v, v - P["belt_f"] + 0.8))
    k = k * band(body_band, rows_d, cols_d)
    alpha = np.multiply(k, overlap)
    np.subtract(across, alpha, out=alpha)
    alpha *= k
    paint(band(img, rows_d, cols_d), alpha, plane(_TRIM))
    del k, alpha

    # Door mirror at the foot of the windscreen.
    u, v = U[cols_m], V[rows_m][:, None] - g
    d = np.sqrt(((u - per_image(p["a_base"] - 2.4)) / 1.6) ** 2 + ((v - per_image(p["belt_f"] + 1.0)) / 1.1) ** 2) - 1.0
    d *= 1.1
    paint(band(img, rows_m, cols_m), cover(d, out=d), plane(_PILLAR))

    # Lights: a pale headlamp under the bonnet's edge, an amber-red lamp at the tail; both lamps
    # at once, stacked on a leading axis in windows of one size.
    u = np.array([U[c] for _, c in boxes_l])[:, None, None, :]  # (2, 1, 1, cols)
    v = np.array([V[r] for r, _ in boxes_l])[:, None, :, None] - g  # (2, 1, rows, 1)
    cu = np.array([p[uk] + du for uk, _, du, _, _, _ in lamps], dtype=F32)[:, :, None, None]  # (2, n, 1, 1)
    cv = np.array([p[vk] - 2.6 for _, vk, _, _, _, _ in lamps], dtype=F32)[:, :, None, None]
    half_u = np.array([lamp[3] for lamp in lamps], dtype=F32)[:, None, None, None]
    half_v = np.array([lamp[4] for lamp in lamps], dtype=F32)[:, None, None, None]
    d = np.maximum(np.abs(u - cu) - half_u, np.abs(v - cv) - half_v)
    lit = cover(d, out=d)
    for i, (rows_l, cols_l) in enumerate(boxes_l):
        lit[i] *= band(body_band, rows_l, cols_l)
        paint(band(img, rows_l, cols_l), lit[i], plane(lamps[i][5]))

    # Wheels: a dark wheel well inside the body, the tyre, a light rim and a hub. Both wheels are
    # drawn at once, stacked on a leading axis (rear, front), in windows of one size.
    u = np.array([U[c] for _, c in boxes_w])[:, None, None, :]  # (2, 1, 1, cols)
    v = V[rows_w][:, None] - g
    R = P["wheel"]
    du = u - np.array([P["axle_r"], P["axle_f"]])  # (2, n, 1, cols)
    du *= du
    r = np.add(du, (v - R) ** 2)
    np.sqrt(r, out=r)
    # Back to front: cladding, well, tyre, rim, hub: discs around the axle, all in one array.
    # The cladding fades in with its width, so a car without any draws none: every car's picture
    # is the same whatever else is decoded in the same batch.
    radii = [R + 1.4 + P["clad"], R + 1.4, R, 0.58 * R, 0.22 * R]
    alphas = cover_below(r, np.array(radii)[:, None])  # (layers, 2, n, rows, cols)
    alphas[0] *= np.clip(P["clad"] / F32(0.3), 0.0, 1.0)
    alphas[:-3] *= np.array([band(body_band, rows, cols) for rows, cols in boxes_w])  # well, cladding: on the body
    paint_layers([band(img, rows, cols) for rows, cols in boxes_w], alphas, _WHEEL_COLOURS)
    del du, r, alphas, body_band

    if rows_x is not None:  # a roof box on the roof
        paint(band(img, rows_x, slice(0, W)), extras.roof_box_cover(p, box, rows_x, g), plane(extras.ROOF_BOX_COLOUR))

    out = np.empty((n, H, W, 3), dtype=F32)
    out[:, :top] = np.moveaxis(bg_planes[:, :, :top], 0, -1)
    out[:, bottom:] = np.moveaxis(bg_planes[:, :, bottom:], 0, -1)
    interleave(img, out[:, top:bottom])
    return extras.finish(out, pts)

