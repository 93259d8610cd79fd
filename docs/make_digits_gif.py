"""Make the README's animation of real digits: an L2 network and a conditional GAN trained side by
side, step for step, on the shipped digits; L2 settles on the ghostly class means, the GAN on sharp,
varied digits. Drawn with the app's trainers and GIF writer.

    python docs/make_digits_gif.py resources/readme/digits_l2_vs_gan.gif
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STEPS = 4000
EVERY = 100  # steps between frames
SAMPLES = 4  # of the GAN's samples per digit
SCALE = 3
HOLD = 25  # frames the last one is held for


def frame(l2: np.ndarray, gan: np.ndarray, step: int) -> np.ndarray:
    from PIL import Image, ImageDraw

    from engine.io.pixels import tile, to_uint8

    def panel(pictures: np.ndarray) -> np.ndarray:
        rgb = np.repeat(pictures[..., None], 3, axis=-1).reshape(-1, 28, 28, 3)
        return tile(rgb, columns=pictures.shape[1], gap=2, background=0.16)

    left, right = panel(l2), panel(gan[:, :SAMPLES])
    gap = np.full((left.shape[0], 16, 3), 0.106, np.float32)
    body = np.concatenate([left, gap, right], axis=1)
    image = Image.fromarray(to_uint8(body)).resize((body.shape[1] * SCALE, body.shape[0] * SCALE), Image.NEAREST)
    canvas = Image.new("RGB", (image.width + 20, image.height + 56), (27, 31, 39))
    canvas.paste(image, (10, 46))
    draw = ImageDraw.Draw(canvas)
    draw.text((10, 8), "L2", fill=(230, 159, 0), font_size=18)
    draw.text((10, 28), "the class mean", fill=(154, 163, 178), font_size=13)
    x = 10 + (left.shape[1] + 16) * SCALE
    draw.text((x, 8), "GAN", fill=(86, 180, 233), font_size=18)
    draw.text((x, 28), f"samples  ·  step {step:,}", fill=(154, 163, 178), font_size=13)
    return np.asarray(canvas)


def main(out: str) -> int:
    import torch

    from engine.fit.digits import DigitTrainer
    from engine.io.media import AnimationWriter

    torch.set_num_threads(1)
    l2 = DigitTrainer("digit_from_label", "l2", seed=0)
    gan = DigitTrainer("digit_from_label", "adversarial", seed=0)
    with AnimationWriter(out, 10) as writer:
        for step in range(0, STEPS + 1, EVERY):
            while gan.step_count < step:
                l2.step()
                gan.step()
            last = frame(l2.pictures()[:, :, :, :], gan.pictures(), step)
            writer.add(last)
        for _ in range(HOLD):
            writer.add(last)
    Image = __import__("PIL.Image", fromlist=["Image"])
    Image.fromarray(last).save(Path(out).with_suffix(".png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
