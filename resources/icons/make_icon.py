"""Draws BlurLab's icon: two sharp peaks of a two-mode density, and between them, where the data is not,
the blurry orange mean that L2 predicts. Writes blurlab.svg and blurlab-<size>.png beside this script.

    python resources/icons/make_icon.py

The PNGs are drawn at each size (four times over, then reduced), with lines that thicken as the icon
shrinks, so the peaks stay two clear strokes at 16 pixels."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
BACKGROUND = "#1b1f27"  # the app's stage and its colours (gui/support/palette.py)
DATA = "#56B4E9"
ESTIMATE = "#E69F00"

# The drawing, on a 256-unit square.
CORNER = 52  # the rounded square's corner radius
BASE = 206  # the density's baseline
PEAKS = (70.0, 186.0)  # the two modes
WIDTH = 15.0  # each mode's standard deviation
HEIGHT = 150.0  # how far the peaks rise above the baseline
MEAN = (128.0, 170.0, 30.0)  # the blurry mean: centre x, y and radius
BLUR = 11.0  # its blur's standard deviation


def density_points(step: float = 2.0) -> list[tuple[float, float]]:
    """The two-mode density as (x, y) points from one side of the square to the other."""
    points = []
    x = 14.0
    while x <= 242.0:
        y = sum(math.exp(-0.5 * ((x - peak) / WIDTH) ** 2) for peak in PEAKS)
        points.append((x, BASE - HEIGHT * y))
        x += step
    return points


def stroke_for(size: int) -> float:
    """The curve's stroke, in the square's units: thicker as the icon gets smaller (at least ~1.3 pixels)."""
    return max(9.0, 256 * 1.3 / size)


def svg(stroke: float = 9.0) -> str:
    curve = " ".join(f"{x:.1f},{y:.1f}" for x, y in density_points())
    cx, cy, r = MEAN
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <title>BlurLab</title>
  <defs>
    <filter id="blur" x="-100%" y="-100%" width="300%" height="300%">
      <feGaussianBlur stdDeviation="{BLUR:g}"/>
    </filter>
  </defs>
  <rect x="0" y="0" width="256" height="256" rx="{CORNER}" ry="{CORNER}" fill="{BACKGROUND}"/>
  <polygon points="14,{BASE} {curve} 242,{BASE}" fill="{DATA}" fill-opacity="0.3"/>
  <polyline points="{curve}" fill="none" stroke="{DATA}" stroke-width="{stroke:g}" stroke-linejoin="round"
            stroke-linecap="round"/>
  <circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{ESTIMATE}" filter="url(#blur)"/>
</svg>
"""


def png(size: int, oversample: int = 4) -> Image.Image:
    """The icon at `size` pixels square."""
    side = size * oversample
    k = side / 256

    def at(x: float, y: float) -> tuple[float, float]:
        return x * k, y * k

    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=CORNER * k, fill=BACKGROUND)
    curve = [at(x, y) for x, y in density_points()]
    fill = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(fill).polygon([at(14, BASE), *curve, at(242, BASE)], fill=DATA + "4d")
    image.alpha_composite(fill)
    draw = ImageDraw.Draw(image)
    width = round(stroke_for(size) * k)
    draw.line(curve, fill=DATA, width=width, joint="curve")
    for end in (curve[0], curve[-1]):  # round caps
        draw.ellipse((end[0] - width / 2, end[1] - width / 2, end[0] + width / 2, end[1] + width / 2), fill=DATA)
    ghost = Image.new("RGBA", image.size, (0, 0, 0, 0))
    cx, cy, r = MEAN
    ImageDraw.Draw(ghost).ellipse((*at(cx - r, cy - r), *at(cx + r, cy + r)), fill=ESTIMATE)
    image.alpha_composite(ghost.filter(ImageFilter.GaussianBlur(BLUR * k)))
    # the blur spills past the rounded corners: keep to the square's shape
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, side - 1, side - 1), radius=CORNER * k, fill=255)
    image.putalpha(Image.composite(image.getchannel("A"), mask, mask))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    (HERE / "blurlab.svg").write_text(svg(), encoding="utf-8")
    for size in SIZES:
        png(size).save(HERE / f"blurlab-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
