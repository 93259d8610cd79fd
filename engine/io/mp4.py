"""The MP4 writer of export: frames piped to ffmpeg's x264 encoder, through the optional video extra
(imageio-ffmpeg, which brings a ~65 MiB ffmpeg binary)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

VIDEO_INSTALL = 'pip install "blurlab[video]"'
MP4_CRF = 18  # x264 quality: 18 keeps thin antialiased lines clean; lower only grows the file


class VideoError(RuntimeError):
    """MP4 cannot be written here, or ffmpeg failed; the message says what to do."""


def video_available() -> bool:
    """Whether MP4 export works here: the optional imageio-ffmpeg is installed and finds ffmpeg."""
    try:
        ffmpeg_module()
    except VideoError:
        return False
    return True


def ffmpeg_module() -> Any:
    """The imageio_ffmpeg module, once it has found its ffmpeg binary."""
    try:
        import imageio_ffmpeg
    except ImportError as err:
        raise VideoError(f"MP4 export needs the optional video support: {VIDEO_INSTALL}") from err
    try:
        imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as err:  # the package is there but its ffmpeg binary is not
        raise VideoError(f"MP4 export cannot find ffmpeg ({err}); reinstall the video support: "
                         f"{VIDEO_INSTALL}") from err
    return imageio_ffmpeg


class Mp4Stream:
    """Pipes frames to ffmpeg's x264 encoder (imageio-ffmpeg), padded to the even size yuv420p needs."""

    def __init__(self, path: Path, fps: int) -> None:
        self._path = path
        self._fps = fps
        self._ffmpeg = ffmpeg_module()
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
            raise VideoError(f"Writing the video failed: {str(err).splitlines()[0]}") from err

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
            raise VideoError("ffmpeg stopped without writing the video.")

    def abort(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.close()
