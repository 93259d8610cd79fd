"""The GIF writer of export: a looping GIF written frame by frame, with exact delays.

Speed notes. The frames are renders of a dark UI: flat backgrounds, a few colours, antialiased
curves and small pictures, and only part of the window changes from one frame to the next. So the
palette is computed once, from the first frame, and written as the global colour table; each later
frame stores only the rectangle that changed, with the pixels that did not change inside it made
transparent, which LZW packs into almost nothing. A frame whose colours the global palette cannot
show (say a picture that turns a colour the first frame lacked) gets a palette of its own. Frames
are streamed to the file as they come, so memory does not grow with their number.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import numpy as np

from engine.lazy import lazy_import

Image = lazy_import("PIL.Image")
ImageChops = lazy_import("PIL.ImageChops")
GifImagePlugin = lazy_import("PIL.GifImagePlugin")

_TRANSPARENT = 255  # palette index reserved for "unchanged since the previous frame"
_PALETTE_COLOURS = 255  # every palette leaves _TRANSPARENT free
_BAD_ERROR = 24  # a pixel this far (max over channels) from its palette colour looks wrong
_BAD_SHARE = 0.002  # of the changed pixels: antialiased edges miss by that much on a few; more means missing colours
_BAD_MIN_PIXELS = 16
_MISSED_COLOURS = 48  # of a frame's palette, kept for the colours of the few pixels median cut misses
MAX_SIDE = 0xFFFF


class GifTooLarge(ValueError):
    """A GIF's width and height are 16-bit numbers."""


class GifStream:
    """Writes a looping GIF frame by frame, storing only what changed (see the module docstring)."""

    def __init__(self, path: Path, fps: int) -> None:
        self._file: IO[bytes] = open(path, "wb")
        self._delay_ms = 1000 // fps  # exact: check_fps admits only divisors of 100
        self._previous: Any = None  # the previous frame as a PIL image
        self._global: Any = None  # a P image whose palette is the global colour table
        self._local: Any = None  # the last palette of a frame that needed its own

    def add(self, frame: np.ndarray) -> None:
        image = Image.fromarray(frame)
        if self._previous is None:
            self._start(image)
        else:
            difference = ImageChops.difference(self._previous, image)
            box = difference.getbbox()
            if box is None:
                self._write_unchanged()
            else:
                self._write_change(image, difference, box)
        self._previous = image

    def close(self) -> None:
        with self._file:
            self._file.write(b";")  # GIF trailer

    def abort(self) -> None:
        self._file.close()

    def _start(self, image: Any) -> None:
        width, height = image.size
        if max(width, height) > MAX_SIDE:
            raise GifTooLarge(f"A GIF is at most {MAX_SIDE} pixels wide and high, not {width}x{height}.")
        self._global = image.quantize(palette=_palette_for(np.asarray(image).reshape(-1, 3)), dither=Image.Dither.NONE)
        self._file.write(
            b"GIF89a" + width.to_bytes(2, "little") + height.to_bytes(2, "little")
            + bytes([0xF7, 0, 0])  # global colour table of 256 entries, 8 bits per primary; background 0
            + _palette_bytes(self._global)
            + b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
        )
        self._write(self._global, (0, 0), local=False, transparent=False)

    def _write_unchanged(self) -> None:
        # A frame is still written so every frame keeps the same delay and the count stays as asked.
        self._write(Image.new("P", (1, 1), _TRANSPARENT), (0, 0), local=False, transparent=True)

    def _write_change(self, image: Any, difference: Any, box: tuple[int, int, int, int]) -> None:
        crop = image.crop(box)
        r, g, b = difference.crop(box).split()
        changes = ImageChops.lighter(ImageChops.lighter(r, g), b)
        unchanged = changes.point([255] + [0] * 255, "1")
        indexed, local = self._quantise(crop, changes.point([0] + [255] * 255, "1"))
        indexed.paste(_TRANSPARENT, mask=unchanged)
        self._write(indexed, box[:2], local=local, transparent=True)

    def _quantise(self, crop: Any, changed: Any) -> tuple[Any, bool]:
        """crop as a P image, and whether it needs its own colour table (the global one misses the colours
        of its `changed` pixels, the only ones the frame shows)."""
        indexed = crop.quantize(palette=self._global, dither=Image.Dither.NONE)
        if _looks_right(indexed, crop, changed):
            return indexed, False
        if self._local is not None:  # a picture that keeps changing colour needs the same colours again
            indexed = crop.quantize(palette=self._local, dither=Image.Dither.NONE)
            if _looks_right(indexed, crop, changed):
                return indexed, True
        self._local = crop.quantize(palette=_palette_for(np.asarray(crop)[np.asarray(changed, dtype=bool)]),
                                    dither=Image.Dither.NONE)
        return self._local.copy(), True

    def _write(self, indexed: Any, offset: tuple[int, int], *, local: bool, transparent: bool) -> None:
        params: dict[str, Any] = {"duration": self._delay_ms, "disposal": 1, "interlace": False}  # 1: keep
        if transparent:
            params["transparency"] = _TRANSPARENT
        if local:
            # Padded to 256 entries, so the transparent index lies inside the table.
            indexed.putpalette(_palette_bytes(indexed))
            params["include_color_table"] = True
        # getdata encodes one frame (control block, descriptor, LZW data); Image.save(save_all=True)
        # would do it too, but keeps every frame in memory until the last one is added.
        for chunk in GifImagePlugin.getdata(indexed, offset, **params):
            self._file.write(chunk)


def _median_cut(pixels: np.ndarray, colours: int) -> bytes:
    """A median-cut palette of at most `colours` colours for (n, 3) uint8 pixels, as RGB bytes."""
    strip = Image.fromarray(np.ascontiguousarray(pixels.reshape(1, -1, 3)))
    quantized = strip.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return bytes(quantized.getpalette("RGB") or b"")[: 3 * colours]


def _palette_for(pixels: np.ndarray) -> Any:
    """A palette image for the colours a frame shows, `pixels` (n, 3). Median cut spends its colours where
    the pixels are many (the pictures); a thin line in a colour of its own is a few pixels and would be
    merged into a neighbour. So the pixels the first palette maps badly get colours of their own."""
    if len(pixels) == 0:
        pixels = np.zeros((1, 3), np.uint8)
    first = _median_cut(pixels, _PALETTE_COLOURS)
    palette = Image.new("P", (1, 1))
    palette.putpalette(first)
    strip = Image.fromarray(np.ascontiguousarray(pixels.reshape(1, -1, 3)))
    error = np.abs(np.asarray(strip.quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB"), dtype=int)
                   - np.asarray(strip, dtype=int)).max(axis=2)[0]
    missed = pixels[error >= _BAD_ERROR]
    if len(missed) > _BAD_MIN_PIXELS:
        own = _median_cut(missed, _MISSED_COLOURS)
        main = _median_cut(pixels, _PALETTE_COLOURS - len(own) // 3)
        palette.putpalette(main + own)
    return palette


def _palette_bytes(indexed: Any) -> bytes:
    """A P image's palette as 256 RGB entries."""
    palette = bytes(indexed.getpalette("RGB") or b"")[: 3 * 256]
    return palette + bytes(3 * 256 - len(palette))


def _looks_right(indexed: Any, crop: Any, changed: Any) -> bool:
    """Whether few of the `changed` pixels of crop are far from the palette colour they were given. (Counted
    over the whole crop, a few wrong pixels of a thin moving line drowned among the unchanged ones, which
    are transparent in the frame anyway: the line kept wrong, darker colours, traces of where it had been.)"""
    r, g, b = ImageChops.difference(indexed.convert("RGB"), crop).split()
    histogram = ImageChops.lighter(ImageChops.lighter(r, g), b).histogram(mask=changed)
    bad = sum(histogram[_BAD_ERROR:])
    return bad <= max(_BAD_MIN_PIXELS, _BAD_SHARE * sum(histogram))
