"""The `ball` decoder: a ball in a frame, the "where is the ball in the next frame" case of video
prediction; x is its position, y (in 2-D) its height."""

from __future__ import annotations

import numpy as np

from engine.decoders.drawing import (
    F32, H, U, V, W, clip01, col_span, cover, interleave, paint, per_image, plane, rgb, row_span,
    vertical_gradient,
)


FLOOR_V = 12.0
BALL_RADIUS = 7.0
_BALL_SPAN = 4.0  # |x|, |y| beyond this are clamped
_BALL_DARK = rgb(0.16, 0.18, 0.24)
_BALL_LIGHT = rgb(0.86, 0.89, 0.94)


def _ball_background() -> np.ndarray:
    wall = vertical_gradient(rgb(0.95, 0.95, 0.93), rgb(0.92, 0.92, 0.90), H)
    floor = rgb(0.85, 0.84, 0.80)
    below = np.clip((FLOOR_V - V) + 0.5, 0.0, 1.0)[:, None]
    bg = wall * (1 - below) + floor * below
    line = np.clip(1.0 - np.abs(V - (FLOOR_V - 0.5)), 0.0, 1.0)[:, None] * 0.7
    bg = bg * (1 - line) + rgb(0.55, 0.54, 0.52) * line
    bg = np.ascontiguousarray(np.broadcast_to(bg[:, None, :], (H, W, 3)), dtype=F32)
    frame = rgb(0.62, 0.63, 0.66)
    bg[0, :], bg[-1, :], bg[:, 0], bg[:, -1] = frame, frame, frame, frame
    return bg


_BALL_BG = _ball_background()
_BALL_U0, _BALL_U_PER_UNIT = W / 2, (W / 2 - BALL_RADIUS - 3.0) / _BALL_SPAN
_BALL_V_LOW, _BALL_V_HIGH = FLOOR_V + BALL_RADIUS, H - BALL_RADIUS - 3.0


_BALL_BG_PLANES = np.ascontiguousarray(np.moveaxis(_BALL_BG, -1, 0)[:, None])  # (3, 1, H, W)


def render(pts: np.ndarray) -> np.ndarray:
    n = pts.shape[0]
    x = np.clip(pts[:, 0], -_BALL_SPAN, _BALL_SPAN)
    cu = _BALL_U0 + _BALL_U_PER_UNIT * x
    if pts.shape[1] > 1:
        lift = (np.clip(pts[:, 1], -_BALL_SPAN, _BALL_SPAN) + _BALL_SPAN) / (2 * _BALL_SPAN)
    else:
        lift = np.zeros(n)  # 1-D: the ball rolls on the floor
    cv = _BALL_V_LOW + (_BALL_V_HIGH - _BALL_V_LOW) * lift
    R = BALL_RADIUS
    CU, CV, LIFT = per_image(cu), per_image(cv), per_image(lift)
    rows_s, cols_s = row_span(FLOOR_V - 2.5, FLOOR_V + 1.5), col_span(cu.min() - R - 1, cu.max() + R + 1)
    rows_b, cols_b = row_span(cv.min() - R, cv.max() + R), col_span(cu.min() - R, cu.max() + R)
    # Only the band of rows the windows span is painted, in colour planes (as for the cars).
    top, bottom = min(rows_s.start, rows_b.start), max(rows_s.stop, rows_b.stop)
    img = np.empty((3, n, bottom - top, W), dtype=F32)
    img[...] = _BALL_BG_PLANES[:, :, top:bottom]

    # Shadow on the floor: smaller and fainter the higher the ball flies.
    u, v = U[cols_s], V[rows_s][:, None]
    half = R * (1.0 - 0.45 * LIFT)
    d = np.sqrt(((u - CU) / half) ** 2 + ((v - FLOOR_V + 0.3) / 1.6) ** 2)
    paint(img[:, :, rows_s.start - top:rows_s.stop - top, cols_s],
           clip01(1.0 - d) * (0.55 - 0.35 * LIFT), plane(rgb(0.35, 0.35, 0.34)))

    u, v = U[cols_b], V[rows_b][:, None]
    du, dv = u - CU, v - CV
    r = np.sqrt(du * du + dv * dv)
    # Shaded sphere: lighter towards the upper left; a small soft highlight there.
    light = clip01(1.0 - np.sqrt((du + 0.35 * R) ** 2 + (dv - 0.35 * R) ** 2) / (1.4 * R))
    ball_rgb = plane(_BALL_DARK) * (0.85 + 0.6 * light)
    window = img[:, :, rows_b.start - top:rows_b.stop - top, cols_b]
    paint(window, cover(r - R), ball_rgb)
    highlight = np.sqrt((du + 0.38 * R) ** 2 + (dv - 0.38 * R) ** 2) - 0.2 * R
    paint(window, cover(highlight) * 0.9, plane(_BALL_LIGHT))

    out = np.empty((n, H, W, 3), dtype=F32)
    out[:, :top] = _BALL_BG[:top]
    out[:, bottom:] = _BALL_BG[bottom:]
    interleave(img, out[:, top:bottom])
    return out

