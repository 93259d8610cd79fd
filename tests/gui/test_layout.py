"""The window at the projector sizes, desk and talk mode: nothing cut, nothing off the window, wrapped
text with the height it needs, and in talk mode the distribution pane the largest part of the screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from engine.fit.fit import Fit, run
from engine.fit.pixel import PixelFit, data_images_for
from engine.model.scene import bundled_scene
from engine.model.settings import FitSettings
from tests.support.fakes import FakeFitProcess
from tests.support.gui_helpers import settle
from tests.support.layout_checks import SIZES, check_layout, layout_problems

pytestmark = pytest.mark.usefixtures("torch_on_one_thread")  # it fits in this process too

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(scene_id: str, loss: str):
    """A fit some way along, with its pixel-space answer, as the fit process would send it."""
    scene = bundled_scene(scene_id)
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss=loss))
    for _ in run(fit, steps=300):
        pass
    pixel = None
    if loss in ("l2", "l1"):
        pf = PixelFit(data_images_for(scene.draw(), scene.decoder), loss)
        pf.step(100)
        pixel = pf.result()
    return fit.snapshot(pixel=pixel)


_SNAPSHOTS: dict = {}


def snapshot_for(scene_id: str, loss: str):
    """The snapshot of `_snapshot`, made once per test run."""
    if (scene_id, loss) not in _SNAPSHOTS:
        _SNAPSHOTS[scene_id, loss] = _snapshot(scene_id, loss)
    return _SNAPSHOTS[scene_id, loss]


@pytest.fixture(scope="module")
def snapshots():
    return {(s, loss): snapshot_for(s, loss) for s, loss in
            (("sedan_or_suv", "l2"), ("sedan_or_suv", "adversarial"), ("three_modes", "mixture_nll"),
             ("style_and_colour", "l2"), ("old_faithful", "l2"))}


def _show_each(window, qtbot, snapshots):
    """Each scene and loss of `snapshots` in the window, with its snapshot drawn and settled."""
    for (scene_id, loss), snap in snapshots.items():
        if window.state.scene_id != scene_id:
            window.state.load_bundled(scene_id)
        window.state.set_loss(loss)
        window.fit.show(snap)
        settle(qtbot, window)
        yield scene_id, loss


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_window_is_legible_and_unclipped(make_window, qtbot, snapshots, size, talk):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(*size)
    if talk:
        window.talk_mode.set_talk_mode(True, full_screen=False)
    for scene_id, loss in _show_each(window, qtbot, snapshots):
        assert (window.width(), window.height()) == size
        assert layout_problems(window, talk) == [], f"{scene_id}, {loss}"


def test_a_tour_caption_in_talk_mode_leaves_the_pane_its_share(make_window, qtbot, snapshots):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(1024, 768)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    window.tour.go_to(2)  # the longest captions are on the first steps
    window.fit.show(snapshots[("sedan_or_suv", "l2")])
    settle(qtbot, window)
    assert window.caption.isVisible()
    assert layout_problems(window, talk=True) == []


def _child(code: str, screen: dict, scale: int = 1) -> subprocess.CompletedProcess:
    """Run `code` in a fresh process whose offscreen screen is `screen` (its size in device pixels), at a
    device pixel ratio of `scale` (as a 200% display setting gives)."""
    config = {"screens": [{"name": "projector", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, **screen}]}
    folder = Path(tempfile.mkdtemp(prefix="blurlab-screen-"))
    path = folder / "screen.json"
    path.write_text(json.dumps(config))
    env = {"QT_QPA_PLATFORM": f"offscreen:configfile={path}", "XDG_CONFIG_HOME": str(folder),
           "QT_SCALE_FACTOR": str(scale)}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env})


def test_the_window_opens_inside_a_small_screen():
    code = (
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from gui.app import make_window\n"
        "w = make_window(start_fit=False)\n"
        "a = w.available_size()\n"
        "print(w.width(), w.height(), w.minimumWidth(), w.minimumHeight(), a.width(), a.height(), "
        "int(w.fills_the_screen()))\n"
    )
    done = _child(code, {"width": 1024, "height": 768})
    assert done.returncode == 0, done.stderr
    width, height, min_w, min_h, avail_w, avail_h, fills = map(int, done.stdout.split())
    assert (width, height) == (1024, 768) == (avail_w, avail_h)
    assert min_w <= 1024 and min_h <= 640
    assert fills  # so it opens maximized: its title bar stays on the screen


def test_on_a_large_screen_the_window_opens_as_a_window(make_window):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    assert window.width() < window.available_size().width() and not window.fills_the_screen()


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
def test_at_a_device_pixel_ratio_of_two_nothing_is_cut(talk):
    code = (
        "import sys, time\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from gui.app import make_window\n"
        "from tests.support.fakes import FakeFitProcess\n"
        "from tests.support.layout_checks import layout_problems\n"
        "w = make_window(start_fit=False, fit_process=FakeFitProcess())\n"
        "w.show()\n"
        f"talk = {talk}\n"
        "if talk: w.talk_mode.set_talk_mode(True)\n"
        "end = time.time() + 3\n"
        "while time.time() < end: app.processEvents()\n"
        "print(w.devicePixelRatio(), w.width(), w.height())\n"
        "for p in layout_problems(w, talk): print('PROBLEM', p)\n"
        "w.close()\n"
    )
    done = _child(code, {"width": 3840, "height": 2160}, scale=2)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    ratio, width, height = lines[0].split()
    assert float(ratio) == 2.0 and int(width) <= 1920 and int(height) <= 1080
    assert [ln for ln in lines if ln.startswith("PROBLEM")] == []


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_legend_wraps_rather_than_run_off_the_plot(make_window, qtbot, size, talk):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(*size)
    if talk:
        window.talk_mode.set_talk_mode(True, full_screen=False)
    settle(qtbot, window)
    pane = window.pane
    legend = pane.legend.mapRectToScene(pane.legend.boundingRect())
    plot = pane.plotItem.vb.mapRectToScene(pane.plotItem.vb.boundingRect())
    assert legend.right() <= plot.right() + 1, f"{pane.legend_columns()} columns"


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_real_digits_stage_in_talk_mode_has_the_screen_and_never_scrolls_sideways(make_window, qtbot, size):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(*size)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    window.show_stage("real_digits")
    settle(qtbot, window)
    stage = window.current_stage
    assert stage.width() == window.width() and stage.plane.width() + stage.pictures.width() >= window.width() - 30
    assert not stage.pane.isVisible()  # the desk's overview gives the plane and the big pictures the screen
    hints = stage.key_hints  # the key list along the foot, whole
    assert hints.isVisible() and "run/pause" in hints.text()
    assert hints.heightForWidth(hints.width()) <= hints.height() and hints.geometry().bottom() < stage.height()
    window.talk_mode.set_talk_mode(False, full_screen=False)
    settle(qtbot, window)
    assert stage.pane.isVisible() and stage.pane.explanation.isVisible()
    assert not stage.key_hints.isVisible()


# A maximized window under a window manager's title bar: a 1280x720 projector leaves 1280x701 (openbox),
# a 1024x768 one with a task bar less still.
MAXIMIZED = [(1280, 690), (1024, 700)]


@pytest.mark.parametrize("size", MAXIMIZED, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_maximized_window_under_a_title_bar_holds_every_control(make_window, qtbot, snapshots, size):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(*size)
    for scene_id, loss in _show_each(window, qtbot, snapshots):
        assert layout_problems(window, talk=False) == [], f"{scene_id}, {loss}"


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
def test_a_tour_caption_at_1280x720_cuts_nothing(make_window, qtbot, snapshots, talk):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(1280, 690 if not talk else 720)
    if talk:
        window.talk_mode.set_talk_mode(True, full_screen=False)
    window.tour.go_to(0)
    window.state.set_loss("gaussian_nll")  # a distribution: the readouts' coverage rows too
    window.fit.show(_snapshot("sedan_or_suv", "gaussian_nll"))
    settle(qtbot, window)
    assert window.caption.isVisible()
    assert layout_problems(window, talk) == []


def test_talk_mode_type_is_larger_and_stays_so_through_a_tour_caption(make_window, qtbot):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(1280, 720)
    desk = window.readouts.step.font().pointSizeF()
    window.talk_mode.set_talk_mode(True, full_screen=False)
    settle(qtbot, window)
    talk = window.readouts.step.font().pointSizeF()
    assert talk >= 1.3 * desk
    window.tour.go_to(1)
    settle(qtbot, window)
    assert window.readouts.step.font().pointSizeF() == talk and window.headline.font().pointSizeF() > 0
    window.talk_mode.set_talk_mode(False, full_screen=False)
    settle(qtbot, window)
    assert window.readouts.step.font().pointSizeF() == desk


@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "style_and_colour"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_painting_leaves_the_sentence_its_lines_and_the_plot_its_height(make_window, qtbot, size, scene_id):
    from PySide6.QtCore import Qt

    window = make_window(scene=scene_id, start_fit=False, fit_process=FakeFitProcess())
    window.resize(*size)
    settle(qtbot, window)
    plot_before = window.pane.height()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_B)  # the brush: painting on, its buttons beside or under the sentence
    window.painting.press(0.0, 0.0)
    window.painting.release(0.0, 0.0)
    settle(qtbot, window)
    bar = window.data_bar
    assert window.painting.active and bar.brush.isVisible() and "painted points" in bar.label.text()
    assert layout_problems(window, talk=False) == []
    room = bar.label.contentsRect().width()
    assert bar.label.isVisible() and room >= 30 * bar.label.fontMetrics().averageCharWidth(), room  # not a word a line
    assert window.pane.height() >= plot_before - 3 * bar.fontMetrics().height(), (window.pane.height(), plot_before)


TOUR_SIZES = [(1024, 768), (1280, 720), (1920, 1080)]


def _talk_window(make_window, qtbot, size):
    """The window at `size` in talk mode, active, its keys the presenter's."""
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.resize(*size)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def _show_fit(window, qtbot) -> None:
    """On the data-space stage, a fit some way along for the scene and loss on show, as the fit process sends."""
    if window.current_stage is window.data_space:
        window.fit.show(snapshot_for(window.state.scene_id, window.state.settings.loss))
    settle(qtbot, window)


@pytest.mark.parametrize("size", TOUR_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_step_of_every_chapter_fits_in_talk_mode(make_window, qtbot, size):
    """A presenter's clicker through the whole tour: at every step, whatever stage it shows, nothing
    scrolls, nothing is cut, no picture is too small to see."""
    from PySide6.QtCore import Qt

    from engine.model.tour import TOURS

    window = _talk_window(make_window, qtbot, size)
    problems = []
    for chapter in TOURS:
        for step in chapter.steps:
            # Offscreen, a window whose focused widget hides (another stage shown) stops being active, which
            # a window under a window manager stays: make it active again, as the presenter's window is.
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow, timeout=5000)
            qtbot.keyClick(window, Qt.Key.Key_Right)
            assert step.title in window.caption.text()
            _show_fit(window, qtbot)
            assert (window.width(), window.height()) == size
            assert window.current_stage is window.stage(step.view.get("stage", "data_space"))
            problems += [f"{chapter.title} · {step.title}: {p}" for p in check_layout(window)]
    assert problems == [], "\n".join(problems)


def _picture_sizes(pane) -> dict[str, tuple[int, int]]:
    """The pictures' sizes on screen, as drawn: the modes, the strips, the prediction and its answers."""
    sizes = {"mode": pane.modes_row.tiles[0].picture.size().toTuple(),
             "strip": pane.pixel_row.pixmap().size().toTuple(),
             "estimate": pane.estimate_tile.picture.size().toTuple(),
             "answer": pane.answer_row.tiles[0].picture.size().toTuple()}
    return sizes


def _geometry(window) -> dict:
    stage = window.data_space
    return {"pane": window.pane.geometry(), "images": window.image_pane.geometry(), "side": stage.side.geometry(),
            "layout": window.image_pane.layout_now, "pictures": _picture_sizes(window.image_pane)}


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
@pytest.mark.parametrize("size", TOUR_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_g_shows_the_pictures_large_and_g_again_puts_everything_back(make_window, qtbot, size, talk):
    from PySide6.QtCore import Qt

    window = _talk_window(make_window, qtbot, size) if talk else make_window(start_fit=False,
                                                                            fit_process=FakeFitProcess())
    if not talk:
        window.resize(*size)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.tour.go_to(2)  # "Nobody looks like the mean": the ghost
    _show_fit(window, qtbot)
    before = _geometry(window)
    qtbot.keyClick(window, Qt.Key.Key_G)
    _show_fit(window, qtbot)
    large = _picture_sizes(window.image_pane)
    assert not window.pane.isVisible() and window.image_pane.isVisible()
    assert check_layout(window) == []
    for kind in ("estimate", "answer"):
        assert large[kind][1] >= 1.2 * before["pictures"][kind][1], (kind, before["pictures"], large)
    assert large["strip"][1] > before["pictures"]["strip"][1]  # a strip is one row: its height is a picture's
    assert large["mode"][1] >= before["pictures"]["mode"][1]
    qtbot.keyClick(window, Qt.Key.Key_G)
    _show_fit(window, qtbot)
    assert window.pane.isVisible()
    assert _geometry(window) == before
    assert check_layout(window) == []


def _paint(window, qtbot) -> None:
    """Press B and dab a few points onto the plot, as a user with the brush."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_B)
    for x in (-1.0, 0.0, 1.0):
        window.painting.press(x, 0.0)
        window.painting.release(x, 0.0)


def _import(window, tmp_path) -> None:
    """Import a table of two columns, as File ▸ Import data does."""
    import numpy as np

    rng = np.random.default_rng(0)
    rows = np.concatenate([rng.normal([-2, 0], 0.4, (150, 2)), rng.normal([2, 1], 0.5, (150, 2))])
    path = tmp_path / "measured.csv"
    path.write_text("length,width\n" + "\n".join(f"{a:.3f},{b:.3f}" for a, b in rows))
    assert window.imports.import_file(str(path), ["length", "width"])


@pytest.mark.parametrize("source", ["painted", "imported"])
@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
@pytest.mark.parametrize("size", TOUR_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_your_own_points_fit_at_every_size(make_window, qtbot, tmp_path, size, talk, source):
    window = _talk_window(make_window, qtbot, size)
    if not talk:
        window.talk_mode.set_talk_mode(False, full_screen=False)
        window.resize(*size)
    if source == "painted":
        _paint(window, qtbot)
    else:
        _import(window, tmp_path)
    scene = "sedan_or_suv" if window.state.dim == 1 else "style_and_colour"
    window.fit.show(snapshot_for(scene, "l2"))
    settle(qtbot, window)
    assert window.data_bar.isVisible() and window.state.points is not None

    def problems() -> list[str]:
        return check_layout(window) if talk else layout_problems(window, talk)

    # the pictures of the new points are decoded on the image pane's thread, and the pane lays itself out
    # again when they come: on a busy machine that is a moment after the points themselves
    try:
        qtbot.waitUntil(lambda: problems() == [], timeout=3000)
    except AssertionError:
        pass
    assert problems() == [], "\n".join(problems())
