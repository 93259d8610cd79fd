"""The main window driven by real mouse and key events: drags, double-clicks, losses, run/pause/reset."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from tests.support.gui_helpers import choose_with_keys, double_click, drag, point, press_and_move, release


def _peak_handle(window, index):
    return next(h for h in window.pane.handles() if h.index == index and h.role in ("peak", "centre"))


def _drag_peak(window, index, dx):
    """Drag component `index`'s peak handle sideways by `dx` in data units, with real mouse events."""
    pane, handle = window.pane, _peak_handle(window, index)
    x, y = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x, y), point(pane, x + dx, y))


def _side_handle(window, index):
    return next(h for h in window.pane.handles() if h.index == index and h.role in ("width", "shape"))


def _step(window) -> int:
    return int(window.readouts.step.text().replace(",", ""))


def test_window_opens_on_the_default_scene_with_l2_ready_to_run(make_window):
    window = make_window(scene=None)
    assert window.state.scene.name == "Sedan or SUV"
    assert window.state.settings.loss == "l2"
    assert window.controls.run_button.text() == "Run"
    assert _step(window) == 0
    assert len(window.pane.handles()) == 4  # a peak and a width handle per component


def test_dragging_a_1d_peak_moves_that_components_mean_and_weight(make_window, qtbot):
    window = make_window()
    pane = window.pane
    before = window.state.mixture
    handle = _peak_handle(window, 1)
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, x0 + 1.0, y0 * 1.3))
    after = window.state.mixture
    assert after.components[1].mean[0] == pytest.approx(x0 + 1.0, abs=0.08)
    assert after.weights[1] > before.weights[1] + 0.05
    assert after.components[0].mean[0] == pytest.approx(before.components[0].mean[0])
    # the samples and the drawn density followed the drag
    assert window.state.samples[:, 0].max() > before.components[1].mean[0] + 1.0
    x, y = pane.drawing.density.getData()
    assert x[np.argmax(np.where(x > 0, y, 0))] == pytest.approx(x0 + 1.0, abs=0.1)


def test_samples_follow_while_dragging_not_only_on_release(make_window):
    window = make_window()
    pane = window.pane
    handle = _peak_handle(window, 0)
    x0, y0 = handle.pos().x(), handle.pos().y()
    start = point(pane, x0, y0)
    press_and_move(pane, start, point(pane, x0 - 1.0, y0))
    mid_drag = window.state.samples[:, 0].min()
    release(pane, point(pane, x0 - 1.0, y0))
    assert mid_drag < -4.0


def test_dragging_the_width_handle_changes_the_standard_deviation(make_window):
    window = make_window()
    pane = window.pane
    handle = _side_handle(window, 0)
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, x0 + 0.5, y0))
    assert window.state.mixture.components[0].std[0] == pytest.approx(1.0, abs=0.08)


def test_dragging_a_2d_centre_moves_it(make_window):
    window = make_window(scene="style_and_colour")
    pane = window.pane
    handle = _peak_handle(window, 0)
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, x0 + 1.0, y0 + 0.5))
    mean = window.state.mixture.components[0].mean
    assert mean == pytest.approx([x0 + 1.0, y0 + 0.5], abs=0.08)


def test_dragging_a_2d_shape_handle_stretches_the_component(make_window):
    window = make_window(scene="style_and_colour")
    pane = window.pane
    comp = window.state.mixture.components[3]
    handle = _side_handle(window, 3)
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, comp.mean[0] + 3.0, comp.mean[1]))
    cov = window.state.mixture.components[3].cov
    assert math.sqrt(np.linalg.eigvalsh(cov)[-1]) == pytest.approx(1.5, abs=0.1)
    assert cov[0, 0] > cov[1, 1] * 3  # stretched along the x axis


def test_double_click_on_empty_space_adds_a_component_there(make_window):
    window = make_window()
    pane = window.pane
    double_click(pane, point(pane, 0.0, 0.1))
    comps = window.state.mixture.components
    assert len(comps) == 3
    assert comps[2].mean[0] == pytest.approx(0.0, abs=0.08)
    assert len(pane.handles()) == 6


def test_delete_removes_the_selected_component_and_undo_brings_it_back(make_window, qtbot):
    window = make_window()
    _drag_peak(window, 1, 0.3)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert len(window.state.mixture.components) == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.state.mixture.components) == 2
    assert window.state.mixture.components[1].mean[0] == pytest.approx(2.3, abs=0.08)


def test_the_last_component_cannot_be_removed(make_window, qtbot):
    window = make_window(scene="unimodal")
    _drag_peak(window, 0, 0.2)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert len(window.state.mixture.components) == 1
    assert "at least one" in window.statusBar().currentMessage()


def test_the_loss_selector_changes_the_fitted_model(make_window, qtbot):
    window = make_window()
    choose_with_keys(qtbot, window.controls.loss_box, "mixture_nll")
    assert window.state.settings.loss == "mixture_nll"
    assert "K Gaussians" in window.controls.explanation.text()
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.fit.latest.estimate.kind == "mixture", timeout=5000)
    assert len(window.fit.latest.estimate.means) == 2


def test_run_then_pause_stops_the_step_counter(make_window, qtbot):
    window = make_window()
    qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _step(window) > 10, timeout=5000)
    qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    assert window.controls.run_button.text() == "Run"
    qtbot.wait(100)
    paused_at = _step(window)
    qtbot.wait(300)
    assert _step(window) == paused_at


def test_keyboard_space_runs_s_steps_r_resets(make_window, qtbot):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: _step(window) == 1, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _step(window) > 5, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: _step(window) == 0, timeout=3000)
    assert window.fit.latest.step == 0


def test_reset_button_returns_to_step_zero_at_the_start(make_window, qtbot):
    window = make_window()
    start = window.fit.latest.estimate.mean.copy()
    for _ in range(5):
        qtbot.mouseClick(window.controls.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _step(window) == 5, timeout=3000)
    qtbot.mouseClick(window.controls.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _step(window) == 0, timeout=3000)
    assert window.fit.latest.estimate.mean == pytest.approx(start)


def test_l2_on_the_symmetric_scene_is_drawn_between_the_modes(make_window, qtbot):
    window = make_window()
    window.controls.speed.setValue(window.controls.speed.maximum())  # as fast as it goes
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _step(window) > 1500, timeout=20000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    drawn = window.pane.drawing.fit_line.value()
    assert drawn == pytest.approx(window.state.samples.mean(), abs=0.05)
    assert -1.0 < drawn < 1.0  # between the modes at -2 and +2
    assert window.readouts.density.text().startswith("<") or float(window.readouts.density.text()[:-1]) < 10


def test_dragging_a_component_while_the_fit_runs_moves_the_fit(make_window, qtbot):
    window = make_window()
    window.controls.speed.setValue(window.controls.speed.maximum())
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _step(window) > 1000, timeout=20000)
    pane = window.pane
    handle = _peak_handle(window, 1)
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, x0 + 2.0, y0))
    target = window.state.samples.mean()
    assert target > 0.7
    qtbot.waitUntil(lambda: abs(window.pane.drawing.fit_line.value() - target) < 0.05, timeout=20000)


def test_a_diverging_learning_rate_is_reported_and_the_app_keeps_running(make_window, qtbot):
    window = make_window()
    spin = window.controls.lr
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "500")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert window.state.settings.lr == 500
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "diverged" in window.statusBar().currentMessage(), timeout=5000)
    assert window.controls.run_button.text() == "Run"
    assert np.isfinite(window.pane.drawing.fit_line.value())
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "0.05")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    window.setFocus()
    before = _step(window)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _step(window) > before + 5, timeout=5000)


def test_choosing_a_2d_scene_rebuilds_the_pane_and_resets(make_window, qtbot):
    window = make_window()
    choose_with_keys(qtbot, window.controls.scene_box, "style_and_colour")
    assert window.state.dim == 2
    assert len(window.pane.handles()) == 8
    qtbot.waitUntil(lambda: window.fit.latest.estimate.mean.shape == (2,), timeout=5000)
    # the axes' drawn labels (set only when they change) name the new scene's two numbers
    drawn = [window.pane.getAxis(name).label.toPlainText().strip() for name in ("bottom", "left")]
    assert drawn == ["body style: sedan ← → SUV", "colour: red ← → blue"], drawn
    for plot in (window.pane, window.readouts.curve_plot):  # the plots draw their left and bottom axes only
        shown = sorted(item.orientation for item in plot.scene().items()
                       if isinstance(item, pg.AxisItem) and item.isVisible())
        assert shown == ["bottom", "left"], shown


def test_the_scene_box_names_every_bundled_scene_of_the_plane_as_loading_it_shows(make_window):
    """The box's titles are read from the files' headings, not from built scenes: they must agree. It lists
    the scenes of one and two dimensions, the ones the data space draws."""
    from engine.model.scene import bundled_scene, bundled_scene_ids

    box = make_window(start_fit=False).controls.scene_box
    listed = [(box.itemData(i), box.itemText(i)) for i in range(box.count())]
    built = [(sid, f"{bundled_scene(sid).name}  ({bundled_scene(sid).dim}-D)") for sid in bundled_scene_ids()
             if bundled_scene(sid).dim <= 2]
    assert listed == built and len(built) >= 9


def test_a_malformed_scene_file_is_refused_and_the_current_scene_kept(make_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = make_window()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "blurlab-scene", "version": 1, "dim": 1, "components": []}')
    before = window.state.scene
    assert not window.sessions.open_file(str(bad))
    assert "components" in shown[0] and "empty" in shown[0]
    assert window.state.scene is before


def test_an_edited_scene_saved_and_opened_again_is_the_same(make_window, qtbot, tmp_path):
    window = make_window()
    _drag_peak(window, 0, 0.7)
    edited = window.state.mixture
    path = tmp_path / "edited.json"
    assert window.sessions.save_file(str(path))
    window.data_space.load_bundled_scene("three_modes")
    assert len(window.state.mixture.components) == 3
    assert window.sessions.open_file(str(path))
    reopened = window.state.mixture
    assert len(reopened.components) == 2
    np.testing.assert_allclose(reopened.means, edited.means)
    np.testing.assert_allclose(reopened.weights, edited.weights)
