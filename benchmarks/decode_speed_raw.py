"""Benchmark: how long the image decoders and the blur metric take, per image.

    python benchmarks/decode_speed_raw.py [--repeats 7]

For each decoder and batch size n, the median over a few timed repeats of `decode(name, points)`
for points spread over the whole data range (the slow case: every rendering chunk spans
sedans and SUVs alike), divided by n. Then `blur_crete` on one image and `blur_crete_batch`
on 16. Times depend on the machine and its load; nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run from a checkout without installing: the repository root holds the `engine` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from engine.decoders import DECODER_NAMES, decode  # noqa: E402
from engine.maths.sharpness import blur_crete, blur_crete_batch  # noqa: E402

BATCH_SIZES = (1, 16, 100, 1000)


def median_seconds(func, repeats: int) -> float:
    func()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)

    print(f"{'decoder':8} {'dim':>3} " + " ".join(f"{'n=' + str(n):>10}" for n in BATCH_SIZES) + "   (ms per image)")
    for name in DECODER_NAMES:
        for dim in (1, 2):
            cells = []
            for n in BATCH_SIZES:
                points = rng.uniform(-4.0, 4.0, (n, dim))
                repeats = max(3, args.repeats if n < 1000 else args.repeats // 2)
                seconds = median_seconds(lambda: decode(name, points), repeats)
                cells.append(f"{seconds / n * 1e3:10.3f}")
            print(f"{name:8} {dim:>3} " + " ".join(cells))

    images = decode("cars", rng.uniform(-3.0, 3.0, (16, 2)))
    one = median_seconds(lambda: blur_crete(images[0]), args.repeats * 5)
    batch = median_seconds(lambda: blur_crete_batch(images), args.repeats * 2)
    print(f"\nblur_crete, one {images.shape[1]}x{images.shape[2]} image: {one * 1e3:.3f} ms")
    print(f"blur_crete_batch, 16 images:   {batch * 1e3:.3f} ms ({batch / 16 * 1e3:.3f} ms per image)")


if __name__ == "__main__":
    main()
