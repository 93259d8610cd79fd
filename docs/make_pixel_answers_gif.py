"""Make the README's animation of L2's pixel answer as a car gains properties: one frame per K = 1 … 8, each
the average of the decoded cars of the K-property scene (engine.model.properties.pixel_answers), with the
number of kinds and the exact density at L2's answer as a share of the peak.

    python docs/make_pixel_answers_gif.py resources/readme/pixel_answers.gif
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCALE = 6
WIDTH = 660
FRAME_MS = 700


def frame(image: np.ndarray, k: int, log10_share: float) -> np.ndarray:
    from PIL import Image, ImageDraw

    from engine.io.pixels import to_uint8
    from engine.model.properties import CAR_PROPERTIES

    picture = Image.fromarray(to_uint8(image))
    picture = picture.resize((picture.width * SCALE, picture.height * SCALE), Image.LANCZOS)
    canvas = Image.new("RGB", (WIDTH, picture.height + 96), (27, 31, 39))
    canvas.paste(picture, ((WIDTH - picture.width) // 2, 84))
    draw = ImageDraw.Draw(canvas)
    draw.text((10, 8), f"L2's answer with {k} propert{'y' if k == 1 else 'ies'}: the average of {2 ** k} kinds of car",
              fill=(230, 159, 0), font_size=17)
    percent = log10_share + 2
    share = f"{10 ** percent:.2g} %" if percent >= -2 else f"1e{round(percent)} %"
    draw.text((10, 34), ", ".join(p.name for p in CAR_PROPERTIES[:k]), fill=(154, 163, 178), font_size=14)
    draw.text((10, 56), f"the data's density at this answer: {share} of the peak", fill=(86, 180, 233), font_size=14)
    return np.asarray(canvas)


def main(out: str) -> int:
    from PIL import Image

    from engine.model.properties import density_at_answer_by_k, pixel_answers

    shares = density_at_answer_by_k()
    frames = [Image.fromarray(frame(image, k, shares[k - 1]))
              for k, image in enumerate(pixel_answers(), start=1)]
    frames[0].save(out, save_all=True, append_images=frames[1:], duration=FRAME_MS, loop=0, optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
