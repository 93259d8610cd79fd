"""The many-properties stage in the real window: the number of properties by keys and buttons, a property's
kind dragged, the chart against the engine, talk mode at the projector sizes, its tour chapter, and a scene of
more than two dimensions opened onto it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from engine.fit.protocol import Data, Reset
from engine.model.properties import (CAR_PROPERTIES, density_at_answer_by_k, properties_scene,
                                     scene_properties)
from engine.model.scene import SceneError
from engine.model.session import save_session, session_from_scene
from engine.model.tour import tour_by_id
from tests.support.fakes import FakeFitProcess
from gui.panes.properties_chart import chart_properties, share_text
from tests.support.gui_helpers import drag
from tests.support.layout_checks import layout_problems

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _stage(make_window, qtbot, process=None):
    """The window on a fake fit process, active, with the many-properties stage shown by its key (Ctrl+3)."""
    window = make_window(start_fit=False, fit_process=process or FakeFitProcess())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.resize(1600, 900)
    qtbot.keyClick(window, K.Key_3, CTRL)
    stage = window.current_stage
    assert stage is window.stage("many_properties")
    stage.multiples.scene().minDragTime = 0
    qtbot.wait(50)  # laid out at the window's size
    return window, stage


def test_the_count_goes_from_one_to_eight_and_back_by_keys_and_buttons(make_window, qtbot):
    window, stage = _stage(make_window, qtbot)
    assert stage.state.dim == 6 and len(stage.multiples.drawings) == 6
    for _ in range(6):
        qtbot.keyClick(window, K.Key_Minus)
    assert stage.state.dim == 1 == stage.count.value()  # never fewer than one
    assert len(stage.multiples.drawings) == 1 and len(stage.state.mixture.components) == 2
    for k in range(2, 9):
        qtbot.mouseClick(stage.more, Qt.MouseButton.LeftButton)
        assert stage.state.dim == k and len(stage.multiples.drawings) == k
        assert len(stage.state.mixture.components) == 2 ** k
    qtbot.keyClick(window, K.Key_Plus)
    assert stage.state.dim == 8  # never more than eight
    for k in range(7, 0, -1):
        qtbot.mouseClick(stage.fewer, Qt.MouseButton.LeftButton)
        assert stage.state.dim == k
    assert "2 kinds of car" in stage.headline.text()


def test_a_property_dropped_and_added_back_is_as_it_was(make_window, qtbot):
    window, stage = _stage(make_window, qtbot)
    moved = stage.props[5].moved(1, position=3.0)
    stage.state.set_mixture(properties_scene(stage.props[:5] + (moved,)).mixture, True)
    qtbot.keyClick(window, K.Key_Minus)
    qtbot.keyClick(window, K.Key_Plus)
    assert stage.props[5].positions == (-2.0, 3.0)


def test_dragging_a_kind_moves_it_and_the_samples_and_marginals_follow(make_window, qtbot):
    process = FakeFitProcess()
    window, stage = _stage(make_window, qtbot, process)
    pane = stage.multiples
    qtbot.waitUntil(lambda: pane.drawings[2].handles[2].isVisible(), timeout=5000)
    drawing = pane.drawings[2]  # wheels
    plot = drawing.plot
    start = pane.handle_pos(2, 1)
    target = plot.vb.mapViewToScene(plot.vb.mapSceneToView(pane.mapToScene(start)) + pg_point(1.5, 0.0))
    end = pane.mapFromScene(target)
    before = stage.state.samples[:, 2].copy()
    drag(pane, start, end)
    props = stage.props
    assert props[2].positions[1] == pytest.approx(3.5, abs=0.15)
    assert props[2].positions[0] == -2.0  # the rest stays
    assert (props[3].positions, props[3].weights, props[3].spreads) == ((-2.0, 2.0), (0.5, 0.5), (0.5, 0.5))
    # every corner with big wheels moved: the samples on that axis, and the drawn density and handles
    big = stage.state.samples[:, 2] > 0.5
    assert stage.state.samples[big, 2].mean() == pytest.approx(3.5, abs=0.2)
    assert not np.allclose(before, stage.state.samples[:, 2])
    x, y = drawing.density.getData()
    assert x[np.argmax(np.where(x > 0.5, y, 0))] == pytest.approx(3.5, abs=0.15)
    assert drawing.handles[2].pos().x() == pytest.approx(props[2].positions[1])
    # the fit was sent the new samples (it is the stage on show; a drag's last set goes within its interval),
    # and Undo (Ctrl+Z) brings the kind back
    qtbot.waitUntil(lambda: np.allclose(process.sent_of(Data)[-1].samples, stage.state.samples), timeout=2000)
    qtbot.keyClick(window, K.Key_Z, CTRL)
    assert stage.props[2].positions == (-2.0, 2.0)


def pg_point(x, y):
    import pyqtgraph as pg

    return pg.Point(x, y)


def test_the_chart_shows_the_engines_density_at_the_answer_and_todays_count(make_window, qtbot):
    window, stage = _stage(make_window, qtbot)
    chart = stage.chart
    assert np.array_equal(chart.values, density_at_answer_by_k(CAR_PROPERTIES))
    xs, ys = chart.curve.getData()
    assert np.allclose(ys, chart.values) and list(xs) == list(range(1, 9))  # on a log scale: log10 drawn
    assert list(chart.today.getData()[0]) == [6]
    assert chart.label.toPlainText() == f"K = 6: {share_text(chart.values[5])}" == "K = 6: 1e-17 % of the peak"
    qtbot.keyClick(window, K.Key_Minus)
    assert list(chart.today.getData()[0]) == [5]
    # a kind moved changes the curve: the engine's values for the properties as they are now
    props = stage.props[:4] + (stage.props[4].moved(0, weight=4.0),)
    stage.state.set_mixture(properties_scene(props).mixture, True)
    assert np.array_equal(chart.values, density_at_answer_by_k(chart_properties(props)))


def test_the_stage_says_which_loss_stays_sharp_and_the_readouts_measure_the_prediction(make_window, qtbot):
    from tests.support.fakes import frame

    process = FakeFitProcess()
    window, stage = _stage(make_window, qtbot, process)
    assert "min-of-K with one guess per kind (key 8)" in stage.sharp.text()
    snap = frame(40, dim=6)
    process.say(snap)
    qtbot.waitUntil(lambda: "of the peak" in stage.readouts.text(), timeout=5000)
    assert "step 40" in stage.readouts.text() and "1e-17 % of the peak" in stage.readouts.text()


def test_the_fit_process_has_the_stage_scene_while_on_and_the_window_scene_after(make_window, qtbot):
    process = FakeFitProcess()
    process.started = True
    window, stage = _stage(make_window, qtbot, process)
    assert process.sent_of(Data)[-1].samples.shape[1] == 6 and process.sent_of(Reset)
    qtbot.keyClick(window, K.Key_1, CTRL)
    assert process.sent_of(Data)[-1].samples.shape[1] == window.state.dim == 1
    assert window.state.scene.name != stage.state.scene.name  # the data-space scene is as it was


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
def test_talk_mode_at_the_projector_sizes_is_legible_and_unclipped(make_window, qtbot, size):
    window, stage = _stage(make_window, qtbot)
    window.resize(*size)
    window.talk_mode.set_talk_mode(True, full_screen=False)
    qtbot.waitUntil(lambda: stage.key_hints.isVisible(), timeout=5000)
    qtbot.wait(50)
    assert layout_problems(window, talk=True) == []
    assert not [w for w in stage.findChildren(type(stage.multiples)) if w.verticalScrollBar().isVisible()]


def _texts(view):
    """The text shown in a pyqtgraph view (axis names and labels of any kind): (scene rect, over the data)."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsTextItem

    def in_a_view_box(item):
        while item is not None and not isinstance(item, pg.ViewBox):
            item = item.parentItem()
        return item is not None

    return [(item.sceneBoundingRect(), in_a_view_box(item)) for item in view.scene().items()
            if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText().strip()]


@pytest.mark.parametrize("talk, size", [(True, (1024, 768)), (True, (1280, 720)), (True, (1920, 1080)),
                                        (False, (1280, 720))])
def test_no_text_sits_on_the_handles_the_other_labels_or_the_charts_curve(make_window, qtbot, talk, size):
    window, stage = _stage(make_window, qtbot)
    qtbot.keyClick(window, K.Key_Plus)
    qtbot.keyClick(window, K.Key_Plus)  # eight properties: the smallest plots
    window.resize(*size)
    window.talk_mode.set_talk_mode(talk, full_screen=False)
    qtbot.wait(100)
    pane = stage.multiples
    texts = _texts(pane)
    assert len(texts) >= 8 and not [rect for rect, over_the_data in texts if over_the_data]  # the key names the lines
    texts = [rect for rect, _ in texts]
    handles = [h.sceneBoundingRect() for d in pane.drawings for h in d.handles]
    assert not [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if a.intersects(b)]
    assert not [(t, h) for t in texts for h in handles if t.intersects(h)]
    # the chart's label of today's value stands clear of its curve, at every point and between them
    chart = stage.chart
    label = chart.label.sceneBoundingRect()
    xs, ys = chart.curve.getData()
    dense = np.linspace(0, len(xs) - 1, 200)
    points = [chart.plotItem.vb.mapViewToScene(pg_point(np.interp(t, range(len(xs)), xs),
                                                        np.interp(t, range(len(ys)), ys)))  # log10 drawn
              for t in dense]
    assert not [p for p in points if label.adjusted(-4, -4, 4, 4).contains(p)]


def test_the_tour_chapter_walks_with_the_right_arrow(make_window, qtbot):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    chapter = tour_by_id("properties")
    window.tour.start(chapter)
    stage = window.current_stage
    assert stage is window.stage("many_properties")
    seen = []
    for i, step in enumerate(chapter.steps):
        if i:
            qtbot.keyClick(window, K.Key_Right)
        assert window.current_stage is stage and step.title in stage.caption.text()
        seen.append((stage.state.dim, stage.state.settings.loss, stage.fit.running))
    assert seen == [(1, "l2", True), (2, "l2", True), (6, "l2", True), (6, "min_of_k", True)]


def test_a_scene_of_more_than_two_dimensions_opens_on_the_stage(make_window, qtbot, tmp_path):
    window = make_window("many_properties", start_fit=False, fit_process=FakeFitProcess())
    stage = window.current_stage
    assert stage is window.stage("many_properties") and stage.state.dim == 6
    assert window.state.dim <= 2  # the data-space stage keeps a scene it can draw
    qtbot.keyClick(window, K.Key_1, CTRL)
    path = tmp_path / "three.json"
    save_session(session_from_scene(properties_scene(CAR_PROPERTIES[:3], name="Three")), path)
    assert window.sessions.open_file(str(path))
    assert window.current_stage is stage and stage.state.dim == 3 == stage.count.value()
    assert [p.positions for p in scene_properties(stage.state.scene)] == [(-2.0, 2.0)] * 3
    assert stage.state.scene.name == "Three"


def test_a_scene_of_more_dimensions_that_is_not_of_properties_is_refused(make_window, qtbot, tmp_path):
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    warnings = []
    window.files.warn = lambda title, text: warnings.append(text)
    scene = properties_scene(CAR_PROPERTIES[:3])
    odd = scene.with_(mixture=scene.mixture.removed(0))
    path = tmp_path / "odd.json"
    save_session(session_from_scene(odd), path)
    assert not window.sessions.open_file(str(path))
    assert warnings and "3 dimensions" in warnings[0] and "properties" in warnings[0]
    assert window.current_stage is window.data_space
    with pytest.raises(SceneError):
        scene_properties(odd)


def test_the_command_line_exports_the_stage_headless(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from PIL import Image

    main = str(Path(__file__).resolve().parents[2] / "main.py")
    out = tmp_path / "properties.png"
    done = subprocess.run([sys.executable, main, "export", "--scene", "many_properties", "--steps", "30",
                           "--size", "1280x720", "--out", str(out), "--progress", "none"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    with Image.open(out) as image:
        assert image.size == (1280, 720)
    refused = subprocess.run([sys.executable, main, "export", "--scene", "many_properties", "--view", "images",
                              "--out", str(tmp_path / "x.png"), "--progress", "none"],
                             capture_output=True, text=True, timeout=180)
    assert refused.returncode == 2 and "--view window" in refused.stderr
