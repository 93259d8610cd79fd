"""engine.io.media: animation timing, GIF/PNG/MP4 files read back, and no partial file after a failure."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.io import media
from engine.io.media import AnimationWriter, MediaError, frame_steps, save_picture, write_media

ROOT = Path(__file__).resolve().parents[2]
BG = (0x1B, 0x1F, 0x27)
ORANGE = (242, 142, 43)
BLUE = (61, 139, 253)
GREEN = (40, 200, 90)


def ui_frame(i: int, size=(120, 160)) -> np.ndarray:
    """A dark frame with a few flat shapes, an antialiased disc, and a bar that moves with i."""
    h, w = size
    img = np.empty((h, w, 3), np.float32)
    img[:] = BG
    img[10:30, 10:60] = ORANGE
    img[40:50, 10 + 3 * i:40 + 3 * i] = BLUE
    img[h - 12:h - 4, 4:4 + 5 * (i + 1)] = (200, 204, 212)
    v, u = np.mgrid[0:h, 0:w]
    disc = np.clip(15.5 - np.hypot(u - 110.0, v - 70.0 - i), 0, 1)[..., None]  # one-pixel soft edge
    img += disc * (np.array(ORANGE, np.float32) - img)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def read_gif(path: Path) -> tuple[list[np.ndarray], list[int], int | None]:
    with Image.open(path) as im:
        frames, durations = [], []
        for k in range(im.n_frames):
            im.seek(k)
            frames.append(np.asarray(im.convert("RGB")))
            durations.append(im.info["duration"])
        return frames, durations, im.info.get("loop")


def error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a.astype(int) - b.astype(int)).max(axis=2)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----- frame_steps


@pytest.mark.parametrize(("steps", "sps", "fps", "count"), [
    (100, 50, 25, 51),  # two steps a frame, 2 s
    (10, 4, 1, 4),  # the last frame overshoots in time and shows the last step
    (300, 60, 50, 251),
    (1000, 37.5, 20, 535),
    (7, 0.7, 25, 251),  # 7 * 25 / 0.7 is 250.00000000000003 in floating point: still 250 frames + 1
    (5, 1000, 10, 2),  # faster than one frame: the first and the last step
])
def test_frame_steps_play_at_the_true_speed(steps, sps, fps, count):
    shown = frame_steps(steps, sps, fps)
    assert len(shown) == count
    assert shown[0] == 0 and shown[-1] == steps
    assert shown[:-1] == [round(i * sps / fps) for i in range(count - 1)]
    assert all(a <= b for a, b in zip(shown, shown[1:]))
    # The animation lasts as long as the steps take, to within one frame.
    assert steps / sps <= (count - 1) / fps < steps / sps + 1 / fps


def test_frame_steps_small_cases():
    assert frame_steps(0, 30, 25) == [0]
    assert frame_steps(1, 1, 1) == [0, 1]
    assert frame_steps(10, 4, 1) == [0, 4, 8, 10]
    assert frame_steps(4, 2, 10) == [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4]
    assert frame_steps(4, 4, 8) == [0, 0, 1, 2, 2, 2, 3, 4, 4]  # Python's round: halves to even


@pytest.mark.parametrize(("steps", "sps", "fps"), [
    (10, 0, 25), (10, -1, 25), (10, math.nan, 25), (10, math.inf, 25),
    (10, 5, 0), (10, 5, -10), (10, 5, math.nan), (10, 5, math.inf), (-1, 5, 25), (2.5, 5, 25),
])
def test_frame_steps_rejects_bad_rates(steps, sps, fps):
    with pytest.raises(MediaError):
        frame_steps(steps, sps, fps)


# ----- checks


def test_suffixes():
    assert media.FORMATS == (".png", ".gif", ".mp4")
    assert media.suffix_of("out/Run.GIF") == ".gif"
    for bad in ("run.avi", "run", "run.gif.txt"):
        with pytest.raises(MediaError, match=r"\.png, \.gif or \.mp4"):
            media.suffix_of(bad)


@pytest.mark.parametrize("fps", [30, 24, 15, 100, 0, 25.5, math.nan, "25"])
def test_gif_refuses_frame_rates_it_cannot_play(tmp_path, fps):
    with pytest.raises(MediaError, match="10, 20, 25, 50" if fps in (30, 24, 15, 100, 0) else "whole number"):
        AnimationWriter(tmp_path / "a.gif", fps)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fps", [0, 61, 12.5])
def test_mp4_refuses_frame_rates_out_of_range(fps):
    with pytest.raises(MediaError):
        media.check_fps(".mp4", fps)
    assert media.check_fps(".mp4", 60) == 60 and media.check_fps(".mp4", 1) == 1 and media.check_fps(".mp4", 30.0) == 30


def test_an_animation_needs_an_animation_format(tmp_path):
    with pytest.raises(MediaError, match="animation"):
        AnimationWriter(tmp_path / "a.png", 25)
    with pytest.raises(MediaError):
        AnimationWriter(tmp_path / "a.webm", 25)
    assert leftovers(tmp_path) == []


def test_importing_media_loads_neither_pillow_nor_ffmpeg():
    code = "import sys, engine.io.media; print(sorted(m for m in ('PIL', 'imageio_ffmpeg') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ----- GIF


@pytest.mark.parametrize("fps", [25, 50])
def test_gif_frames_delays_and_pixels(tmp_path, fps):
    frames = [ui_frame(i) for i in range(12)]
    path = tmp_path / "run.gif"
    with AnimationWriter(path, fps) as writer:
        for frame in frames:
            writer.add(frame)
    assert leftovers(tmp_path) == ["run.gif"]
    got, durations, loop = read_gif(path)
    assert len(got) == len(frames)
    assert durations == [1000 // fps] * len(frames)
    assert loop == 0  # forever
    for k in range(len(frames)):
        err = error(got[k], frames[k])
        assert err.mean() < 0.5, k
        assert np.mean(err > 24) < 0.005, k  # only a few antialiased pixels may be off by much
    assert (got[0][5, 5] == BG).all() and (got[-1][15, 20] == ORANGE).all()  # flat colours are exact


def test_gif_shows_a_colour_the_first_frame_lacked(tmp_path):
    frames = [ui_frame(i) for i in range(6)]
    for frame in frames[3:]:
        frame[60:100, 20:70] = GREEN  # never in the first frame, from which the palette is made
    path = tmp_path / "new_colour.gif"
    write_media(frames, path, 25)
    got, _, _ = read_gif(path)
    for k in (3, 5):
        assert error(got[k][60:100, 20:70], frames[k][60:100, 20:70]).max() <= 4
        assert error(got[k], frames[k]).mean() < 0.5


def test_gif_keeps_repeated_frames_with_their_own_delay(tmp_path):
    frames = [ui_frame(0), ui_frame(0), ui_frame(1), ui_frame(1), ui_frame(1)]
    path = tmp_path / "still.gif"
    write_media(iter(frames), path, 10)
    got, durations, _ = read_gif(path)
    assert durations == [100] * 5  # the animation keeps its length and its frame count
    for k in range(5):
        assert error(got[k], frames[k]).mean() < 0.5


def test_frames_of_different_sizes_raise_and_leave_no_file(tmp_path):
    with pytest.raises(MediaError, match="160x120"):
        with AnimationWriter(tmp_path / "a.gif", 25) as writer:
            writer.add(ui_frame(0))
            writer.add(ui_frame(1, size=(120, 161)))
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("bad", [np.zeros((8, 8, 3), np.float32), np.zeros((8, 8, 4), np.uint8), np.zeros((8, 8), np.uint8)])
def test_frames_must_be_rgb_uint8(tmp_path, bad):
    with pytest.raises(MediaError, match="uint8"):
        with AnimationWriter(tmp_path / "a.gif", 25) as writer:
            writer.add(bad)
    assert leftovers(tmp_path) == []


def test_an_exception_inside_with_leaves_the_old_file_alone(tmp_path):
    path = tmp_path / "a.gif"
    path.write_bytes(b"the previous export")
    with pytest.raises(KeyboardInterrupt):
        with AnimationWriter(path, 25) as writer:
            writer.add(ui_frame(0))
            writer.add(ui_frame(1))
            raise KeyboardInterrupt  # e.g. the user cancels
    assert leftovers(tmp_path) == ["a.gif"]
    assert path.read_bytes() == b"the previous export"


def test_no_frames_is_an_error(tmp_path):
    with pytest.raises(MediaError, match="No frames"):
        with AnimationWriter(tmp_path / "a.gif", 25):
            pass
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(MediaError, match="Cannot write"):
        AnimationWriter(tmp_path / "missing" / "a.gif", 25)
    with pytest.raises(MediaError, match="Cannot write"):
        save_picture(ui_frame(0), tmp_path / "missing" / "a.png")
    with pytest.raises(MediaError, match="folder"):
        save_picture(ui_frame(0), tmp_path)  # a folder, not a file
    assert leftovers(tmp_path) == []


# ----- PNG


def test_png_round_trip_is_exact(tmp_path):
    frame = ui_frame(3, size=(37, 53))
    frame[0, 0] = (1, 2, 3)
    save_picture(frame, tmp_path / "a.png")
    with Image.open(tmp_path / "a.png") as im:
        assert im.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(im), frame)
    write_media([frame[::-1]], tmp_path / "b.png", 25)
    with Image.open(tmp_path / "b.png") as im:
        np.testing.assert_array_equal(np.asarray(im), frame[::-1])
    assert leftovers(tmp_path) == ["a.png", "b.png"]


def test_a_png_holds_one_frame(tmp_path):
    with pytest.raises(MediaError, match="one picture"):
        write_media([ui_frame(0), ui_frame(1)], tmp_path / "a.png", 25)
    with pytest.raises(MediaError, match="one picture"):
        write_media([], tmp_path / "a.png", 25)
    with pytest.raises(MediaError, match=r"\.png"):
        save_picture(ui_frame(0), tmp_path / "a.gif")
    assert leftovers(tmp_path) == []


# ----- MP4


def test_mp4_frame_rate_count_and_size(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    assert media.video_available()
    frames = [ui_frame(i, size=(91, 161)) for i in range(17)]  # odd: padded to 162x92
    path = tmp_path / "run.mp4"
    write_media(frames, path, 30)
    assert leftovers(tmp_path) == ["run.mp4"]
    assert path.stat().st_size > 0
    # Only the first frame is read: read_frames leaks ffmpeg's pipes when it is read to the end.
    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        meta = next(reader)
        first = np.frombuffer(next(reader), np.uint8).reshape(92, 162, 3)
    finally:
        reader.close()
    assert meta["fps"] == 30
    assert meta["size"] == (162, 92)
    assert imageio_ffmpeg.count_frames_and_secs(str(path))[0] == len(frames)
    # Lossy and 4:2:0, but flat areas keep their colour.
    assert error(first[2:8, 2:8], frames[0][2:8, 2:8]).max() <= 6
    assert error(first[15:25, 20:50], frames[0][15:25, 20:50]).max() <= 8

def test_mp4_without_the_extra_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import imageio_ffmpeg now raises ImportError
    assert not media.video_available()
    with pytest.raises(MediaError, match=r'pip install "blurlab\[video\]"'):
        AnimationWriter(tmp_path / "a.mp4", 25)
    with pytest.raises(MediaError, match=r'pip install "blurlab\[video\]"'):
        write_media([ui_frame(0)], tmp_path / "a.mp4", 25)
    assert leftovers(tmp_path) == []

