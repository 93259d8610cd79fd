"""Export what the app draws: one picture as PNG, an animation as GIF or (with the video extra) MP4.

Frames are (H, W, 3) uint8 RGB arrays. Every file is written atomically (engine.io.atomic), so a
failed or cancelled export never leaves a truncated file behind, nor replaces a good one. Every
problem is a MediaError whose message is for the user.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from engine.io import png
from engine.io.atomic import StagedFile
from engine.io.gif import GifStream, GifTooLarge
from engine.io.mp4 import VIDEO_INSTALL, Mp4Stream, VideoError, ffmpeg_module, video_available
from engine.io.values import InvalidValue, positive, whole

__all__ = ["ANIMATION_FORMATS", "FORMATS", "GIF_FPS", "VIDEO_INSTALL", "AnimationWriter", "MediaError",
           "check_fps", "frame_steps", "save_picture", "suffix_of", "video_available", "write_media"]

FORMATS = (".png", ".gif", ".mp4")
ANIMATION_FORMATS = (".gif", ".mp4")
# A GIF stores frame delays in hundredths of a second, so only these rates play at their true speed.
GIF_FPS = (10, 20, 25, 50)
MP4_MAX_FPS = 60


class MediaError(InvalidValue):
    """An export that cannot be done, with a message for the user."""


@contextmanager
def _as_media_error(path: str | os.PathLike[str] | None = None, undo: Callable[[], None] | None = None) -> Iterator[None]:
    """Report what goes wrong inside as a MediaError (an OSError naming `path`); undo() first, if given."""
    try:
        yield
    except MediaError:
        if undo:
            undo()
        raise
    except OSError as err:
        if undo:
            undo()
        raise MediaError(f"Cannot write {path}: {err.strerror or err}.") from err
    except (InvalidValue, GifTooLarge, VideoError) as err:
        if undo:
            undo()
        raise MediaError(str(err)) from err
    except BaseException:
        if undo:
            undo()
        raise


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
    with _as_media_error():
        if isinstance(steps, float):  # 2.5 steps is a mistake, not a rounding
            raise MediaError(f"The number of steps must be a whole number >= 0, not {steps!r}.")
        steps = whole(steps, "steps")
        steps_per_second = positive(steps_per_second, "steps per second")
        fps = positive(fps, "frames per second")
    if steps == 0:
        return [0]
    last = steps * fps / steps_per_second  # the (fractional) frame at which the last step is reached
    # The tolerance keeps float noise (3 * 10 / 0.1 = 300.00000000000006) from adding a frame.
    n = max(1, math.ceil(last - 1e-9 * last)) + 1
    return [min(int(steps), round(i * steps_per_second / fps)) for i in range(n)]


def _check_frame(frame: Any) -> np.ndarray:
    array = np.asarray(frame)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3 or 0 in array.shape:
        raise MediaError(f"A frame must be an (H, W, 3) uint8 RGB array, not {array.dtype} of shape {array.shape}.")
    return np.ascontiguousarray(array)


# ----- one picture


def save_picture(frame: np.ndarray, path: str | os.PathLike[str]) -> None:
    """One (H, W, 3) uint8 picture as a PNG file (through engine.io.png, the one PNG writer)."""
    if suffix_of(path) != ".png":
        raise MediaError(f"A picture is written as PNG; {Path(path).name!r} does not end in .png.")
    frame = _check_frame(frame)
    with _as_media_error(path):
        png.write_png(path, frame)


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
            with _as_media_error():
                ffmpeg_module()  # say that the extra is missing before any file is made
        self.frames = 0
        self._size: tuple[int, int] | None = None
        with _as_media_error(self.path):
            self._staged: StagedFile | None = StagedFile(path)
        with _as_media_error(self.path, self._staged.discard):
            stream = GifStream if suffix == ".gif" else Mp4Stream
            self._stream: GifStream | Mp4Stream = stream(self._staged.path, self.fps)

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
        with _as_media_error(self.path):
            self._stream.add(array)
        self.frames += 1

    def close(self) -> None:
        """Finish the file and move it to `path`."""
        if self._staged is None:
            return
        if self.frames == 0:
            self.abort()
            raise MediaError("No frames were added, so there is nothing to write.")
        with _as_media_error(self.path, self.abort):
            self._stream.close()
        staged, self._staged = self._staged, None
        with _as_media_error(self.path):
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
        save_picture(first, path)
        return
    with AnimationWriter(path, fps) as writer:
        for frame in frames:
            writer.add(frame)
