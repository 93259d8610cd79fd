"""The real-digits stage as a user meets it, against a fake fit process playing frames: the plane of real
digits with the network's marks, the big pictures, inputs chosen by key, a hovered point showing its digit,
the GAN's generator one key away, desk and talk mode, and layout at the projector sizes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollBar

from engine.digits.figures import measure
from engine.digits.snapshot import DigitSnapshot
from engine.digits.space import digit_space
from engine.digits.tasks import make_task
from engine.fit.protocol import DigitsSettings, Frame
from tests.support.fakes import FakeFitProcess
from tests.support.gui_helpers import NONE, _send, fake_window, settle
from tests.support.layout_checks import layout_problems

K = Qt.Key


def _frame(step: int, outputs: np.ndarray, task: str = "digit_from_label", loss: str = "l2") -> Frame:
    """A frame of the network whose output for every input is `outputs` (n, rows, 28)."""
    t = make_task(task)
    pictures = t.compose(np.broadcast_to(outputs, (len(t.input_ids), *outputs.shape)))
    figures = tuple(tuple(measure(t, i, p)) for i, p in enumerate(pictures))
    return Frame("digits", DigitSnapshot(step, task, loss, 0.05, np.array([0.05]),
                                         np.round(255 * pictures).astype(np.uint8), figures=figures))


@pytest.fixture
def stage_window(make_window, qtbot):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.fit_process.started = True
    window.resize(1280, 720)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.show_stage("real_digits")
    settle(qtbot, window)
    return window


def test_the_plane_shows_real_digits_and_l2_drifts_to_their_centre_of_mass(stage_window, qtbot):
    window, stage = stage_window, stage_window.current_stage
    plane, pictures = stage.plane, stage.pictures
    space = digit_space(make_task("digit_from_label"), 0)
    assert len(plane.examples.data) == len(space.points) and "centre of mass" in plane.sentence.text()
    assert pictures.answer.image is not None and pictures.ghosts.image is not None  # the exact answer, the ghosts
    start = space.example_images(space.modes[0].medoid)
    trail = []
    for step, t in enumerate(np.linspace(0, 1, 6)):  # from a real way of writing to the mean, as L2 goes
        window.fit_process.say(_frame(step * 100, ((1 - t) * start + t * space.centre.reshape(28, 28))[None]))
        settle(qtbot, window)
        trail.append(plane.marks.data["x"][0])
    assert len(plane.trail.xData) == 6
    assert np.hypot(plane.marks.data["x"][0], plane.marks.data["y"][0]) < 1e-2  # at the centre of mass
    assert "The network's" in pictures.closeness.text() and pictures.output.image is not None


def test_keys_choose_the_input_and_the_task_and_the_gan_is_one_key_away(stage_window, qtbot):
    window, stage = stage_window, stage_window.current_stage
    digits = window.digits
    qtbot.keyClick(window, K.Key_BracketRight)
    qtbot.keyClick(window, K.Key_BracketRight)
    assert digits.index == 2 and "Draw a 2" in stage.pictures.heading.text() and "real 2" in stage.plane.title.text()
    qtbot.keyClick(window, K.Key_BracketLeft)
    qtbot.keyClick(window, K.Key_BracketLeft)
    qtbot.keyClick(window, K.Key_BracketLeft)
    assert digits.index == 9  # round the labels
    qtbot.keyClick(window, K.Key_H)  # the bottom halves: an ambiguous top, two ways and the answer between
    assert digits.task == "bottom_half" and digits.index == 7 and "bottom half" in stage.pictures.heading.text()
    assert len(stage.space.modes) >= 2
    qtbot.keyClick(window, K.Key_H)
    qtbot.keyClick(window, K.Key_3)  # the GAN: it says how it draws, and G swaps it for the one from scratch
    settle(qtbot, window)
    assert digits.loss == "adversarial" and "bending typical real digits" in stage.pictures.note.text()
    qtbot.keyClick(window, K.Key_G)
    settle(qtbot, window)
    assert window.fit_process.sent[-1] == DigitsSettings("digit_from_label", "adversarial", 0, None, "pixels")
    assert "from scratch" in stage.pictures.note.text() and stage.pictures.note.isVisible()
    qtbot.keyClick(window, K.Key_1)
    settle(qtbot, window)
    assert not stage.pictures.note.isVisible()


def test_hovering_or_clicking_a_point_shows_its_digit(stage_window, qtbot):
    stage = stage_window.current_stage
    plane = stage.plane
    space = stage.space
    i = space.modes[0].medoid
    viewport_pos = plane.plot.mapFromScene(plane.scene_pos_of(i))
    _send(plane.plot, QEvent.Type.MouseMove, viewport_pos, NONE, NONE)  # the pointer over the most typical digit
    QApplication.processEvents()
    assert plane.hovered is not None and plane.inset.isVisible()
    assert np.hypot(*(space.points[plane.hovered] - space.points[i])) < 0.5 * np.ptp(space.points[:, 0])
    _send(plane.plot, QEvent.Type.MouseMove, QPoint(2, 2), NONE, NONE)  # away, in a corner
    QApplication.processEvents()
    assert plane.hovered is None and not plane.inset.isVisible()
    qtbot.mouseClick(plane.plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos)  # a click, as a touch
    assert plane.hovered is not None and plane.inset.isVisible() and not plane.inset.pixmap().isNull()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080), (3840, 2160)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
def test_the_stage_fits_every_projector_without_scrolling(make_window, qtbot, size, talk):
    window = fake_window(make_window, size, talk)
    window.fit_process.started = True
    window.show_stage("real_digits")
    stage = window.current_stage
    space = stage.space
    window.fit_process.say(_frame(10, space.centre.reshape(1, 28, 28)))
    settle(qtbot, window)
    assert layout_problems(window, talk) == []
    scroll_bars = [b for b in stage.findChildren(QScrollBar) if b.isVisible() and b.maximum() > 0]
    if talk:
        assert scroll_bars == [] and not stage.pane.isVisible()
        assert stage.width() == window.width()
        for picture in (stage.pictures.output, stage.pictures.answer, stage.pictures.nearest):
            assert picture.height() >= 0.2 * size[1] - 1, picture.height()  # legible from the back of a hall
        assert stage.key_hints.isVisible() and "input" in stage.key_hints.text()
    else:
        assert stage.pane.isVisible() and stage.plane.isVisible()


@pytest.mark.parametrize("talk", [False, True], ids=["desk", "talk"])
def test_the_ways_digits_cover_neither_each_other_nor_the_centres_words_nor_the_dots(make_window, qtbot, talk):
    window = fake_window(make_window, talk=talk)
    window.show_stage("real_digits")
    digits, plane = window.digits, window.current_stage.plane
    for task in ("digit_from_label", "bottom_half"):
        digits.set_task(task)
        for index in range(digits.input_count()):
            digits.set_index(index)
            settle(qtbot, window)
            ways = len(window.current_stage.space.modes)
            boxes = [plane.mode_images[i].sceneBoundingRect() for i in range(ways)]
            boxes += [plane.mode_labels[i].textItem.sceneBoundingRect() for i in range(ways)]
            words = plane.centre_label.textItem.sceneBoundingRect()
            assert words.isValid() and all(box.isValid() for box in boxes)
            where = f"{task}, input {index}"
            assert not any(words.intersects(box) for box in boxes), where
            # a way's share stands on the edge of its own digit; nothing else may touch
            hits = [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes)
                    if j > i and j != i + ways and a.intersects(b)]
            assert not hits, (where, hits)
            points = window.current_stage.space.points
            covered = np.zeros(len(points), bool)
            for image in plane.mode_images[:ways]:
                r = image.mapRectToView(image.boundingRect())
                covered |= ((points[:, 0] >= r.left()) & (points[:, 0] <= r.right()) & (points[:, 1] >= r.top())
                            & (points[:, 1] <= r.bottom()))
            assert covered.mean() <= 0.1, (where, covered.mean())  # the digits stand beside the dots
