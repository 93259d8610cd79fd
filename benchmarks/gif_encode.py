"""How fast engine.io.media writes an animation of the app: ms per frame, file size and peak memory for
170 synthetic frames like the app's window (dark background, moving orange and blue curves, small
car pictures whose colour changes). Prints figures; asserts nothing.

    python benchmarks/gif_encode.py [--frames 170] [--mp4] [--pillow]

--mp4 also times the MP4 writer (needs the video extra); --pillow also times Pillow's own
save_all(append_images=...) with its default per-frame palettes, the obvious alternative.
Each case runs in a child process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = ((1280, 720), (960, 540))
FPS = 25

BG = (0x1B, 0x1F, 0x27)
PANEL = (0x22, 0x27, 0x31)
GRID = (0x30, 0x36, 0x44)
LABEL = (0xC8, 0xCC, 0xD4)
ORANGE = np.array((0xF2, 0x8E, 0x2B), np.float32)
BLUE = np.array((0x3D, 0x8B, 0xFD), np.float32)


def _car(colour_t: float, height: int, width: int) -> np.ndarray:
    """A small flat car picture: light tile, body from red (0) to blue (1), dark wheels, soft edges."""
    v = np.arange(height, dtype=np.float32)[:, None]
    u = np.arange(width, dtype=np.float32)[None, :]
    body = np.clip(np.minimum(np.minimum(u - 8, width - 8 - u), np.minimum(v - height * 0.35, height * 0.8 - v)), 0, 1)
    wheels = np.zeros((height, width), np.float32)
    for cx in (width * 0.27, width * 0.73):
        wheels = np.maximum(wheels, np.clip(height * 0.13 - np.hypot(u - cx, v - height * 0.8), 0, 1))
    colour = (1 - colour_t) * np.array((210, 40, 40), np.float32) + colour_t * np.array((40, 70, 220), np.float32)
    img = np.empty((height, width, 3), np.float32)
    img[:] = (235, 235, 238)
    img += body[..., None] * (colour - img)
    img += wheels[..., None] * (np.float32(30) - img)
    return img


class AppLikeFrames:
    """Frames resembling the app's window: a static layer drawn once, moving parts drawn per frame."""

    def __init__(self, width: int, height: int, count: int) -> None:
        self.count = count
        s = width / 1280
        self.s = s
        self.plot = (int(40 * s), int(30 * s), int(600 * s), int(700 * s))  # y, x, h, w
        py, px, ph, pw = self.plot
        base = np.empty((height, width, 3), np.float32)
        base[:] = BG
        base[py:py + ph, px:px + pw] = PANEL
        for k in range(1, 8):
            base[py:py + ph, px + k * pw // 8] = GRID
            base[py + k * ph // 8, px:px + pw] = GRID
        for k in range(8):  # tick labels, as light blocks
            base[py + ph + 8:py + ph + 14, px + k * pw // 8 - 6:px + k * pw // 8 + 6] = LABEL
        self.car = (int(64 * s), int(96 * s))
        ch, cw = self.car
        self.pane_x = int(780 * s)
        for k in range(9):  # the strip of pictures between the modes
            r, c = divmod(k, 3)
            y, x = int(60 * s) + r * (ch + 8), self.pane_x + c * (cw + 8)
            base[y:y + ch, x:x + cw] = _car(k / 8, ch, cw)
        self.base = base

    def frame(self, i: int) -> np.ndarray:
        t = i / max(1, self.count - 1)
        img = self.base.copy()
        py, px, ph, pw = self.plot
        x = np.arange(pw, dtype=np.float32)
        data = ph * 0.55 - 0.35 * ph * np.exp(-((x - pw * 0.3) / (pw * 0.08)) ** 2) \
            - 0.3 * ph * np.exp(-((x - pw * 0.7) / (pw * 0.08)) ** 2)
        peak = ph * (0.5 - 0.25 * np.exp(-3 * t))
        fit = ph * 0.55 - (0.5 * ph - peak) * np.exp(-((x - pw * (0.5 - 0.2 * t)) / (pw * (0.25 - 0.15 * t))) ** 2)
        self._curve(img, data + 3 * np.sin(6 * t + x / 40), BLUE, 2.0)
        self._curve(img, fit, ORANGE, 3.0)
        ch, cw = self.car
        y = int(320 * self.s)
        img[y:y + 2 * ch, self.pane_x:self.pane_x + 2 * cw] = _car(0.5 * t, 2 * ch, 2 * cw)  # the estimate
        bar_y, bar_x = img.shape[0] - int(30 * self.s), int(30 * self.s)
        img[bar_y:bar_y + int(10 * self.s), bar_x:bar_x + int((img.shape[1] - 2 * bar_x) * t)] = ORANGE  # progress
        return np.clip(img + 0.5, 0, 255).astype(np.uint8)

    def _curve(self, img: np.ndarray, ys: np.ndarray, colour: np.ndarray, width: float) -> None:
        py, px, ph, pw = self.plot
        rows = np.arange(ph, dtype=np.float32)[:, None]
        cover = np.clip(width / 2 + 0.5 - np.abs(rows - ys[None, :]), 0, 1)
        region = img[py:py + ph, px:px + pw]
        region += cover[..., None] * (colour - region)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB on Linux


def _error(path: Path, frames: AppLikeFrames) -> tuple[float, float]:
    """Mean absolute error and the share of pixels more than 24 levels off, over first, middle and last frames."""
    from PIL import Image

    means, shares = [], []
    with Image.open(path) as im:
        for i in (0, frames.count // 2, frames.count - 1):
            im.seek(i)
            diff = np.abs(np.asarray(im.convert("RGB"), np.int16) - frames.frame(i))
            means.append(diff.mean())
            shares.append((diff.max(axis=2) > 24).mean())
    return float(np.mean(means)), float(np.max(shares))


def run_one(width: int, height: int, count: int, kind: str) -> dict:
    from engine.io.media import AnimationWriter

    frames = AppLikeFrames(width, height, count)
    frames.frame(0)  # warm up numpy before the baseline
    baseline = _peak_rss_mb()
    suffix = ".mp4" if kind == "mp4" else ".gif"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bench{suffix}"
        times: list[float] = []
        if kind == "pillow":
            times = _pillow_save_all(frames, path)
        else:
            with AnimationWriter(path, FPS) as writer:
                for i in range(count):
                    frame = frames.frame(i)  # drawing is not timed
                    t0 = time.perf_counter()
                    writer.add(frame)
                    times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
            times[-1] += time.perf_counter() - t0  # finishing the file counts with the last frame
        result = {
            "median_ms": 1000 * statistics.median(times),
            "total_s": sum(times),
            "size_mb": path.stat().st_size / 1e6,
            "peak_mb": _peak_rss_mb(),
            "extra_mb": _peak_rss_mb() - baseline,
        }
        if kind != "mp4":
            result["mean_err"], result["bad_share"] = _error(path, frames)
    return result


def _pillow_save_all(frames: AppLikeFrames, path: Path) -> list[float]:
    """Pillow's own animated GIF writer with its defaults: a palette per frame, all frames held until the end.

    Its frames come from a generator, so drawing them is timed separately and subtracted."""
    from PIL import Image

    images = (Image.fromarray(frames.frame(i)) for i in range(1, frames.count))
    t0 = time.perf_counter()
    out = io.BytesIO()
    Image.fromarray(frames.frame(0)).save(out, "GIF", save_all=True, append_images=images,
                                          duration=1000 // FPS, loop=0)
    path.write_bytes(out.getvalue())
    total = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(frames.count):
        Image.fromarray(frames.frame(i))
    drawing = time.perf_counter() - t0
    return [(total - drawing) / frames.count] * frames.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=170)
    parser.add_argument("--mp4", action="store_true", help="also time the MP4 writer (needs the video extra)")
    parser.add_argument("--pillow", action="store_true", help="also time Pillow's save_all with its defaults")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # WxH:kind, run in the child process
    args = parser.parse_args()

    if args.one:
        size, kind = args.one.split(":")
        width, height = (int(v) for v in size.split("x"))
        print(json.dumps(run_one(width, height, args.frames, kind)))
        return

    kinds = ["gif"] + (["mp4"] if args.mp4 else []) + (["pillow"] if args.pillow else [])
    print(f"{args.frames} frames at {FPS} fps, {os.cpu_count()} cores; drawing the frames is not timed\n")
    print(f"{'writer':22s} {'size':>9s} {'ms/frame':>9s} {'total s':>8s} {'file MB':>8s} {'peak RSS MB':>12s} "
          f"{'encoder MB':>11s} {'mean err':>9s} {'px >24 off':>11s}")
    for kind in kinds:
        for width, height in SIZES:
            done = subprocess.run([sys.executable, __file__, "--frames", str(args.frames), "--one",
                                   f"{width}x{height}:{kind}"], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{kind:22s} {width}x{height}: failed\n{done.stderr}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            name = {"gif": "engine.io.media GIF", "mp4": "engine.io.media MP4", "pillow": "Pillow save_all GIF"}[kind]
            err = f"{r['mean_err']:9.3f} {100 * r['bad_share']:10.3f}%" if "mean_err" in r else ""
            print(f"{name:22s} {width:4d}x{height:<4d} {r['median_ms']:9.1f} {r['total_s']:8.2f} {r['size_mb']:8.2f} "
                  f"{r['peak_mb']:12.0f} {r['extra_mb']:11.0f} {err}")
    print("\nms/frame: median time of add() (Pillow: its mean); encoder MB: peak RSS growth while encoding;"
          "\nmean err / px >24 off: decoded GIF against the frames written (first, middle, last frame).")


if __name__ == "__main__":
    main()
