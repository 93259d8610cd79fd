"""Export: a PNG of the right size, and GIFs whose frames and delays play the fit at its true speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from engine.io.media import MediaError
from gui.export_command import export
from engine.model.losses import loss_info

MAIN = str(Path(__file__).resolve().parents[2] / "main.py")


def test_a_png_of_the_window_and_of_each_pane_has_their_size(make_window, tmp_path):
    window = make_window(start_fit=False)
    for view, widget in (("window", window), ("distribution", window.pane), ("images", window.image_pane)):
        out = tmp_path / f"{view}.png"
        assert export(window, out, steps=20, view=view) == 1
        with Image.open(out) as image:
            assert image.size == (widget.width(), widget.height())
            assert image.getextrema()[0][1] > 150  # something bright was drawn, not a blank frame
    assert window.readouts.step.text() == "20"


@pytest.mark.parametrize("fps, speed, frames", [(25, 1.0, 26), (50, 2.0, 51)])
def test_a_gif_has_the_frames_and_delays_of_the_true_speed(make_window, tmp_path, fps, speed, frames):
    window = make_window(start_fit=False)
    window.state.set_speed(speed)
    steps = int(loss_info("l2").pace * speed)  # one second of the fit
    out = tmp_path / "fit.gif"
    assert export(window, out, steps=steps, fps=fps) == frames
    with Image.open(out) as gif:
        assert gif.n_frames == frames
        delays = []
        for i in range(gif.n_frames):
            gif.seek(i)
            delays.append(gif.info["duration"])
        assert delays == [1000 // fps] * frames
        assert gif.size == (window.width(), window.height())


def test_a_gif_frame_rate_a_gif_cannot_store_is_refused(make_window, tmp_path):
    window = make_window(start_fit=False)
    with pytest.raises(MediaError, match="25"):
        export(window, tmp_path / "fit.gif", steps=10, fps=60)
    assert not (tmp_path / "fit.gif").exists()


def test_the_command_line_exports_a_gif_headless(tmp_path):
    out = tmp_path / "cli.gif"
    done = subprocess.run([sys.executable, MAIN, "export", "--scene", "unimodal", "--loss", "l1", "--steps", "45",
                           "--size", "1200x700", "--out", str(out), "--progress", "lines"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "frame 26 26" in done.stdout
    with Image.open(out) as gif:
        assert gif.n_frames == 26 and gif.size == (1200, 700)


def test_the_command_line_names_a_bad_output_file(tmp_path):
    done = subprocess.run([sys.executable, MAIN, "export", "--out", str(tmp_path / "fit.avi")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--out" in done.stderr and ".gif" in done.stderr


def test_the_window_exports_an_animation_in_a_child_process_and_stays_live(make_window, qtbot, tmp_path):
    window = make_window(loss="l1")
    out = tmp_path / "from-window.gif"
    job = window.exports.export_animation(str(out), steps=45)
    with qtbot.waitSignal(job.finished, timeout=120000) as done:
        qtbot.keyClick(window, Qt.Key.Key_S)  # the window answers while the export runs
    assert done.args[0], done.args[1]
    with Image.open(out) as gif:
        assert gif.n_frames == 26 and gif.size == (window.width(), window.height())


def test_a_png_of_the_image_pane_from_the_window(make_window, tmp_path):
    window = make_window(start_fit=False)
    out = tmp_path / "images.png"
    assert window.exports.export_png("images", str(out))
    with Image.open(out) as image:
        assert image.size == (window.image_pane.width(), window.image_pane.height())


def test_a_talk_mode_animation_shows_what_the_window_drew(make_window, tmp_path, monkeypatch):
    """Talk mode's thick curves over the pictures' thousands of colours: each GIF frame, decoded, matches
    the frame the window drew (a GIF of 255 colours a frame put dark traces of the curves' earlier
    positions into talk-mode exports)."""
    import numpy as np

    import engine.io.media as media

    drawn = []
    add = media.AnimationWriter.add
    monkeypatch.setattr(media.AnimationWriter, "add", lambda self, frame: (drawn.append(frame.copy()), add(self, frame)))
    window = make_window(start_fit=False)
    window.resize(1280, 720)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    out = tmp_path / "talk.gif"
    export(window, out, steps=45, fps=25)
    with Image.open(out) as gif:
        assert gif.n_frames == len(drawn) == 26
        for i, frame in enumerate(drawn):
            gif.seek(i)
            off = np.abs(np.asarray(gif.convert("RGB"), dtype=int) - frame.astype(int)).max(axis=2) > 40
            assert off.sum() <= 60, f"frame {i}: {off.sum()} pixels far from what was drawn"
