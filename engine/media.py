"""Export what the app draws: one picture as PNG, an animation as GIF or (with the video extra) MP4.

Frames are (H, W, 3) uint8 RGB arrays. Every file is written under a temporary name in the target's
folder and renamed over the target only when it is complete, so a failed or cancelled export never
leaves a truncated file behind (nor replaces a good one).

GIF speed notes. The frames are renders of a dark UI: flat backgrounds, a few colours, antialiased
curves and small pictures, and only part of the window changes from one frame to the next. So the
palette is computed once, from the first frame, and written as the global colour table; each later
frame stores only the rectangle that changed, with the pixels that did not change inside it made
transparent, which LZW packs into almost nothing. A frame whose colours the global palette cannot
show (say a picture that turns a colour the first frame lacked) gets a palette of its own. Frames
are streamed to the file as they come, so memory does not grow with their number.
"""

from __future__ import annotations

import math
import numbers
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np

FORMATS = (".png", ".gif", ".mp4")
ANIMATION_FORMATS = (".gif", ".mp4")
# A GIF stores frame delays in hundredths of a second, so only these rates play at their true speed.
GIF_FPS = (10, 20, 25, 50)
MP4_MAX_FPS = 60
VIDEO_INSTALL = 'pip install "blurlab[video]"'
MP4_CRF = 18  # x264 quality: 18 keeps thin antialiased lines clean; lower only grows the file

_TRANSPARENT = 255  # palette index reserved for "unchanged since the previous frame"
_PALETTE_COLOURS = 255  # every palette leaves _TRANSPARENT free
_BAD_ERROR = 24  # a pixel this far (max over channels) from its palette colour looks wrong
_BAD_SHARE = 0.002  # antialiased edges miss by that much on a few pixels; more means missing colours
_BAD_MIN_PIXELS = 64


class MediaError(ValueError):
    """An export that cannot be done, with a message for the user."""


# ----- checks shared by every format


def suffix_of(path: str | os.PathLike[str]) -> str:
    """The file's suffix in lower case, if it is one of FORMATS."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = f'"{suffix}"' if suffix else "no suffix"
        raise MediaError(f"Cannot export to {Path(path).name!r} ({shown}): choose a file ending in "
                         f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}.")
    return suffix


def check_fps(suffix: str, fps: Any) -> int:
    """fps as an int if the format can play it at its true speed; MediaError otherwise."""
    if isinstance(fps, bool) or not isinstance(fps, numbers.Real) or not math.isfinite(fps) or fps != int(fps):
        raise MediaError(f"The frame rate must be a whole number of frames per second, not {fps!r}.")
    fps = int(fps)
    if suffix == ".gif" and fps not in GIF_FPS:
        allowed = ", ".join(str(f) for f in GIF_FPS)
        raise MediaError(f"A GIF cannot play at {fps} frames per second (its frame delays are in 1/100 s): "
                         f"choose {allowed}.")
    if suffix == ".mp4" and not 1 <= fps <= MP4_MAX_FPS:
        raise MediaError(f"An MP4 is written at 1 to {MP4_MAX_FPS} frames per second, not {fps}.")
    return fps


def frame_steps(steps: int, steps_per_second: float, fps: int) -> list[int]:
    """The optimiser step each frame shows so that `steps` steps play at `steps_per_second`.

    Frame i is shown at time i / fps and shows step min(steps, round(i * steps_per_second / fps)); the
    frames run until one shows `steps`, so a finished fit always ends on its last step.
    """
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise MediaError(f"The number of steps must be a whole number >= 0, not {steps!r}.")
    for name, value in (("steps per second", steps_per_second), ("frames per second", fps)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
            raise MediaError(f"The {name} must be a positive number, not {value!r}.")
    if steps == 0:
        return [0]
    last = steps * fps / steps_per_second  # the (fractional) frame at which the last step is reached
    # The tolerance keeps float noise (3 * 10 / 0.1 = 300.00000000000006) from adding a frame.
    n = max(1, math.ceil(last - 1e-9 * last)) + 1
    return [min(int(steps), round(i * steps_per_second / fps)) for i in range(n)]


def video_available() -> bool:
    """Whether MP4 export works here: the optional imageio-ffmpeg is installed and finds ffmpeg."""
    try:
        _ffmpeg()
    except MediaError:
        return False
    return True


def _ffmpeg() -> Any:
    """The imageio_ffmpeg module, once it has found its ffmpeg binary."""
    try:
        import imageio_ffmpeg
    except ImportError as err:
        raise MediaError(f"MP4 export needs the optional video support: {VIDEO_INSTALL}") from err
    try:
        imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as err:  # the package is there but its ffmpeg binary is not
        raise MediaError(f"MP4 export cannot find ffmpeg ({err}); reinstall the video support: "
                         f"{VIDEO_INSTALL}") from err
    return imageio_ffmpeg


def _check_frame(frame: Any) -> np.ndarray:
    array = np.asarray(frame)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3 or 0 in array.shape:
        raise MediaError(f"A frame must be an (H, W, 3) uint8 RGB array, not {array.dtype} of shape {array.shape}.")
    return np.ascontiguousarray(array)


class _Staged:
    """A new file next to `target` that replaces it only on commit()."""

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        if self.target.is_dir():
            raise MediaError(f"Cannot write {self.target}: it is a folder.")
        # Same folder, so the final rename cannot cross file systems; hidden, so nobody opens it half-written.
        self.path = self.target.with_name(f".{self.target.name}.{secrets.token_hex(4)}.part")
        try:
            open(self.path, "xb").close()  # "x": never clobber; default permissions, unlike mkstemp's 0600
        except OSError as err:
            raise MediaError(f"Cannot write {self.target}: {err.strerror or err}.") from err

    def commit(self) -> None:
        try:
            os.replace(self.path, self.target)
        except OSError as err:
            self.discard()
            raise MediaError(f"Cannot write {self.target}: {err.strerror or err}.") from err

    def discard(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # nothing more can be done; the name is hidden and marked .part


@contextmanager
def _undone_on_failure(path: str | os.PathLike[str], undo: Callable[[], None]) -> Iterator[None]:
    """Run a write; if it fails, undo() and re-raise (an OSError as a MediaError naming `path`)."""
    try:
        yield
    except OSError as err:
        undo()
        raise MediaError(f"Cannot write {path}: {err.strerror or err}.") from err
    except BaseException:
        undo()
        raise


# ----- PNG


def write_png(frame: np.ndarray, path: str | os.PathLike[str]) -> None:
    """One (H, W, 3) uint8 picture as a PNG file."""
    from PIL import Image

    if suffix_of(path) != ".png":
        raise MediaError(f"write_png writes PNG files; {Path(path).name!r} does not end in .png.")
    image = Image.fromarray(_check_frame(frame))
    staged = _Staged(path)
    with _undone_on_failure(path, staged.discard):
        image.save(staged.path, "PNG")
    staged.commit()


# ----- GIF


class _GifStream:
    """Writes a looping GIF frame by frame, storing only what changed (see the module docstring)."""

    def __init__(self, path: Path, fps: int) -> None:
        self._file: IO[bytes] = open(path, "wb")
        self._delay_ms = 1000 // fps  # exact: check_fps admits only divisors of 100
        self._previous: Any = None  # the previous frame as a PIL image
        self._global: Any = None  # a P image whose palette is the global colour table
        self._local: Any = None  # the last palette of a frame that needed its own

    def add(self, frame: np.ndarray) -> None:
        from PIL import Image, ImageChops

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
        from PIL import Image

        width, height = image.size
        if max(width, height) > 0xFFFF:
            raise MediaError(f"A GIF is at most 65535 pixels wide and high, not {width}x{height}.")
        self._global = image.quantize(_PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        self._file.write(
            b"GIF89a" + width.to_bytes(2, "little") + height.to_bytes(2, "little")
            + bytes([0xF7, 0, 0])  # global colour table of 256 entries, 8 bits per primary; background 0
            + _palette_bytes(self._global)
            + b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
        )
        self._write(self._global, (0, 0), local=False, transparent=False)

    def _write_unchanged(self) -> None:
        from PIL import Image

        # A frame is still written so every frame keeps the same delay and the count stays as asked.
        self._write(Image.new("P", (1, 1), _TRANSPARENT), (0, 0), local=False, transparent=True)

    def _write_change(self, image: Any, difference: Any, box: tuple[int, int, int, int]) -> None:
        from PIL import ImageChops

        crop = image.crop(box)
        indexed, local = self._quantise(crop)
        r, g, b = difference.crop(box).split()
        unchanged = ImageChops.lighter(ImageChops.lighter(r, g), b).point([255] + [0] * 255, "1")
        indexed.paste(_TRANSPARENT, mask=unchanged)
        self._write(indexed, box[:2], local=local, transparent=True)

    def _quantise(self, crop: Any) -> tuple[Any, bool]:
        """crop as a P image, and whether it needs its own colour table (the global one misses its colours)."""
        from PIL import Image

        indexed = crop.quantize(palette=self._global, dither=Image.Dither.NONE)
        if _looks_right(indexed, crop):
            return indexed, False
        if self._local is not None:  # a picture that keeps changing colour needs the same colours again
            indexed = crop.quantize(palette=self._local, dither=Image.Dither.NONE)
            if _looks_right(indexed, crop):
                return indexed, True
        self._local = crop.quantize(_PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        return self._local.copy(), True

    def _write(self, indexed: Any, offset: tuple[int, int], *, local: bool, transparent: bool) -> None:
        from PIL import GifImagePlugin

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


def _palette_bytes(indexed: Any) -> bytes:
    """A P image's palette as 256 RGB entries."""
    palette = bytes(indexed.getpalette("RGB") or b"")[: 3 * 256]
    return palette + bytes(3 * 256 - len(palette))


def _looks_right(indexed: Any, crop: Any) -> bool:
    """Whether few pixels of crop are far from the palette colour they were given."""
    from PIL import ImageChops

    r, g, b = ImageChops.difference(indexed.convert("RGB"), crop).split()
    histogram = ImageChops.lighter(ImageChops.lighter(r, g), b).histogram()
    bad = sum(histogram[_BAD_ERROR:])
    return bad <= max(_BAD_MIN_PIXELS, _BAD_SHARE * crop.width * crop.height)


# ----- MP4


class _Mp4Stream:
    """Pipes frames to ffmpeg's x264 encoder (imageio-ffmpeg), padded to the even size yuv420p needs."""

    def __init__(self, path: Path, fps: int) -> None:
        self._path = path
        self._fps = fps
        self._ffmpeg = _ffmpeg()
        self._writer: Any = None
        self._pad = (0, 0)

    def add(self, frame: np.ndarray) -> None:
        if self._writer is None:
            self._open(frame.shape[1], frame.shape[0])
        if self._pad != (0, 0):
            # Edge pixels, not black: the extra row or column is then invisible against the UI's border.
            frame = np.pad(frame, ((0, self._pad[1]), (0, self._pad[0]), (0, 0)), mode="edge")
        try:
            self._writer.send(frame)
        except OSError as err:  # ffmpeg stopped, e.g. the disk is full
            raise MediaError(f"Writing the video failed: {str(err).splitlines()[0]}") from err

    def _open(self, width: int, height: int) -> None:
        self._pad = (width % 2, height % 2)
        self._writer = self._ffmpeg.write_frames(
            str(self._path), (width + self._pad[0], height + self._pad[1]),
            fps=self._fps,  # always: the default would play at the wrong speed
            codec="libx264", pix_fmt_in="rgb24", pix_fmt_out="yuv420p",
            quality=None,  # the -crf below instead
            macro_block_size=2,  # the frames are already even; a larger block would make ffmpeg rescale them
            ffmpeg_log_level="error",
            output_params=[
                "-crf", str(MP4_CRF),
                "-f", "mp4",  # the staged name ends in .part, so ffmpeg cannot guess the container
                "-movflags", "+faststart",  # the index first: browsers start playing before the download ends
                # BT.709 colours, and say so: players assume it for HD video, and ffmpeg's default is BT.601.
                "-vf", "scale=out_color_matrix=bt709:out_range=tv",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            ],
        )
        self._writer.send(None)  # start ffmpeg

    def close(self) -> None:
        self.abort()  # closing ffmpeg's input ends the video, and waits for ffmpeg to finish the file
        if not self._path.exists() or self._path.stat().st_size == 0:
            raise MediaError("ffmpeg stopped without writing the video.")

    def abort(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.close()


# ----- animations


class AnimationWriter:
    """Writes frames to a GIF or MP4 file as they come; use as a context manager.

    Nothing appears at `path` until close(); on an exception inside `with`, or on abort(), the
    partial file is deleted and `path` is left as it was.
    """

    def __init__(self, path: str | os.PathLike[str], fps: int) -> None:
        suffix = suffix_of(path)
        if suffix not in ANIMATION_FORMATS:
            raise MediaError(f"{Path(path).name!r} is a picture format: an animation needs a file ending in "
                             f"{' or '.join(ANIMATION_FORMATS)}.")
        self.path = Path(path)
        self.fps = check_fps(suffix, fps)
        if suffix == ".mp4":
            _ffmpeg()  # say that the extra is missing before any file is made
        self.frames = 0
        self._size: tuple[int, int] | None = None
        self._staged: _Staged | None = _Staged(path)
        with _undone_on_failure(self.path, self._staged.discard):
            stream = _GifStream if suffix == ".gif" else _Mp4Stream
            self._stream: _GifStream | _Mp4Stream = stream(self._staged.path, self.fps)

    def add(self, frame: np.ndarray) -> None:
        """Append one (H, W, 3) uint8 frame; every frame must have the size of the first."""
        if self._staged is None:
            raise MediaError("This animation is already finished.")
        array = _check_frame(frame)
        if self._size is None:
            self._size = array.shape[:2]
        elif array.shape[:2] != self._size:
            h, w = self._size
            raise MediaError(f"Every frame must be {w}x{h} like the first; this one is "
                             f"{array.shape[1]}x{array.shape[0]}.")
        try:
            self._stream.add(array)
        except OSError as err:
            raise MediaError(f"Cannot write {self.path}: {err.strerror or err}.") from err
        self.frames += 1

    def close(self) -> None:
        """Finish the file and move it to `path`."""
        if self._staged is None:
            return
        if self.frames == 0:
            self.abort()
            raise MediaError("No frames were added, so there is nothing to write.")
        with _undone_on_failure(self.path, self.abort):
            self._stream.close()
        staged, self._staged = self._staged, None
        staged.commit()

    def abort(self) -> None:
        """Stop writing and delete the partial file."""
        if self._staged is None:
            return
        staged, self._staged = self._staged, None
        try:
            self._stream.abort()  # the file must be closed (ffmpeg stopped) before it can be deleted
        finally:
            staged.discard()

    def __enter__(self) -> AnimationWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_media(frames: Iterable[np.ndarray], path: str | os.PathLike[str], fps: int) -> None:
    """Write frames to path, in the format its suffix names: a PNG takes exactly one frame (fps unused)."""
    if suffix_of(path) == ".png":
        iterator = iter(frames)
        first = next(iterator, None)
        if first is None or next(iterator, None) is not None:
            raise MediaError("A PNG holds one picture: export an animation as .gif or .mp4.")
        write_png(first, path)
        return
    with AnimationWriter(path, fps) as writer:
        for frame in frames:
            writer.add(frame)
