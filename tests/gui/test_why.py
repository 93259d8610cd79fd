"""The why in the real window, driven by real keys and mouse events: the loss landscape follows a drag,
the tug of war follows the fit, the decoding dial changes the decoded picture, the loss curve answers a
hover and never zooms into noise, the coverage readout names a mode collapse, and the tour's chapter."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt

from engine.model.estimate import GaussianEstimate, MixtureEstimate, PointEstimate, Snapshot
from engine.model.losses import loss_info
from engine.model.scene import bundled_scene
from engine.model.tour import WHY, check_tour, tour_by_id
from engine.model.scene import bundled_scene_ids
from engine.model.losses import LOSS_IDS
from tests.support.fakes import FakeFitProcess
from gui.controllers.why import WhyController
from gui.state import AppState, WhyView
from tests.support.gui_helpers import drag, point

K = Qt.Key


def _snapshot(estimate, loss_id: str, step: int = 10, losses=None) -> Snapshot:
    losses = np.linspace(3.0, 1.0, step) if losses is None else np.asarray(losses, dtype=float)
    return Snapshot(step=step, loss_id=loss_id, loss=float(losses[-1]) if len(losses) else float("nan"),
                    estimate=estimate,
                    trail=[estimate.mean], losses=losses, data_version=0)


def _screen_x(plot, x: float) -> float:
    vb = plot.plotItem.vb
    return plot.viewport().mapToGlobal(plot.mapFromScene(vb.mapViewToScene(pg.Point(x, 0.0)))).x()


def _quiet_window(make_window, qtbot, scene="sedan_or_suv", loss=None):
    """The real window with a fake fit process: the test says which snapshots the panes are shown."""
    window = make_window(scene=scene, loss=loss, start_fit=False, fit_process=FakeFitProcess())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # its keys are the window's shortcuts
    return window


# -- the loss landscape ----------------------------------------------------------------------------------
def test_l_shows_the_landscape_under_the_distribution_and_it_follows_a_drag(make_window, qtbot):
    window = _quiet_window(make_window, qtbot)
    assert window.landscape.landscape() is None and not window.landscape.isVisible()
    qtbot.keyClick(window, K.Key_L)
    found = window.landscape.landscape()
    assert window.landscape.isVisible() and found is not None and found.dim == 1
    assert found.minimum[0] == pytest.approx(window.state.samples.mean(), abs=2e-3)
    for x in (-3.0, 0.0, 2.0):  # on the same x axis: a value stands at the same place on the screen in both
        assert _screen_x(window.landscape.plot, x) == pytest.approx(_screen_x(window.pane, x), abs=1.5)
    pane = window.pane
    handle = next(h for h in pane.handles() if h.index == 1 and h.role == "peak")
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, x0 + 1.0, y0))
    moved = window.landscape.landscape()
    assert moved is not found
    assert moved.minimum[0] == pytest.approx(window.state.samples.mean(), abs=2e-3)
    assert moved.minimum[0] > found.minimum[0] + 0.15
    assert "minimum" in window.landscape.caption.text()
    assert window.landscape.minimum_label.textItem.toPlainText() == f"lowest {moved.lowest:.4g}"
    qtbot.keyClick(window, K.Key_L)
    assert window.landscape.landscape() is None and not window.landscape.isVisible()


def test_the_landscape_is_made_when_l_is_first_pressed_in_the_mode_the_window_is_in(make_window, qtbot):
    """Not at start-up (the first frame need not wait for it); made in talk mode, it has talk mode's
    lines, stands under the distribution pane, and shows a paused fit's point at once."""
    from gui.panes.landscape import LandscapePane

    window = _quiet_window(make_window, qtbot)
    assert window.findChildren(LandscapePane) == []
    window.fit.show(_snapshot(PointEstimate([-1.1]), "l2", 3))
    qtbot.keyClick(window, K.Key_T)
    qtbot.keyClick(window, K.Key_L)
    [view] = window.findChildren(LandscapePane)
    assert view is window.landscape and view.isVisible()
    assert view.line_scale == window.state.line_scale > 1
    assert view.fit_point()[0] == pytest.approx(-1.1)
    pane_bottom = window.pane.mapTo(window, window.pane.rect().bottomLeft()).y()
    assert view.mapTo(window, view.rect().topLeft()).y() >= pane_bottom
    qtbot.keyClick(window, K.Key_L)
    qtbot.keyClick(window, K.Key_L)
    assert window.findChildren(LandscapePane) == [view]  # made once


def test_the_fits_point_and_its_path_are_drawn_on_the_landscape(make_window, qtbot):
    window = _quiet_window(make_window, qtbot)
    qtbot.keyClick(window, K.Key_L)
    for step, mean in ((1, -2.4), (2, -1.8), (3, -1.1)):
        window.fit.show(_snapshot(PointEstimate([mean]), "l2", step))
    found = window.landscape.landscape()
    drawn = window.landscape.fit_point()
    assert drawn[0] == pytest.approx(-1.1) and drawn[1] == pytest.approx(found.value_at([-1.1]), rel=1e-3)
    np.testing.assert_allclose(window.landscape.path()[:, 0], [-2.4, -1.8, -1.1])
    window.fit.show(_snapshot(PointEstimate([-2.5]), "l2", 0))  # a reset starts the path again
    assert len(window.landscape.path()) == 1


def test_a_loss_without_a_landscape_says_why_and_min_of_k_maps_its_two_guesses(make_window, qtbot):
    window = _quiet_window(make_window, qtbot, loss="mixture_nll")
    qtbot.keyClick(window, K.Key_L)
    assert window.landscape.landscape() is None
    assert "weight, a mean and a spread" in window.landscape.caption.text()
    qtbot.keyClick(window, K.Key_8)  # min-of-K
    found = window.landscape.landscape()
    assert found.dim == 2 and "two guesses" in window.landscape.caption.text()
    assert sorted(found.minimum) == pytest.approx([-2.0, 2.0], abs=0.05)


def test_the_2d_landscape_is_a_map_beneath_the_samples(make_window, qtbot):
    window = _quiet_window(make_window, qtbot, scene="style_and_colour")
    qtbot.keyClick(window, K.Key_L)
    found = window.landscape.landscape()
    assert found.dim == 2 and not window.landscape.plot.isVisible()
    underlay = window.landscape.underlay
    assert underlay.image in window.pane.plotItem.items and underlay.image.isVisible()
    assert underlay.image.zValue() < 0  # beneath the samples
    np.testing.assert_allclose(found.minimum, window.state.samples.mean(axis=0), atol=0.01)
    window.state.set_talk(True)  # the pane rebuilds its items: the map comes back with them
    assert underlay.image in window.pane.plotItem.items and underlay.image.isVisible()
    window.state.set_talk(False)


# -- the tug of war ----------------------------------------------------------------------------------------
def test_the_arrows_appear_and_follow_the_fit(make_window, qtbot):
    window = make_window()
    assert window.pulls.last is None
    assert not window.pulls.items  # made when the arrows first show: the first paint does not wait for them
    qtbot.keyClick(window, K.Key_A)
    assert window.state.why.pulls
    seen = []
    for _ in range(2):
        for _ in range(5):
            qtbot.keyClick(window, K.Key_S)
        qtbot.waitUntil(lambda: window.fit.latest.step >= 5 * (len(seen) + 1), timeout=10000)
        qtbot.waitUntil(lambda: window.pulls.last is not None and
                        window.pulls.last.prediction[0] == pytest.approx(window.fit.latest.estimate.mean[0]),
                        timeout=5000)
        seen.append(window.pulls.last.prediction[0])
        x, _ = window.pulls.lines.getData()
        assert x[0] == pytest.approx(seen[-1])  # every arrow starts at the prediction
        assert window.pulls.lines.isVisible() and window.pulls.net.isVisible()
    assert seen[1] > seen[0]  # the fit moved, and the arrows with it
    net = window.pulls.last.net[0]
    assert net > 0  # everybody pulls the prediction towards the mean, on its right
    qtbot.keyClick(window, K.Key_A)
    assert not window.pulls.lines.isVisible()


# -- the decoding dial ---------------------------------------------------------------------------------------
def test_the_dial_changes_the_marker_and_the_decoded_picture(make_window, qtbot):
    window = _quiet_window(make_window, qtbot, scene="unequal_weights", loss="mixture_nll")
    mixture = window.state.mixture
    est = MixtureEstimate(mixture.mean(), weights=mixture.weights, means=mixture.means, covs=mixture.covs)
    window.fit.show(_snapshot(est, "mixture_nll"))
    tile = window.image_pane.estimate_tile
    qtbot.waitUntil(lambda: "its mean" in tile.caption.text(), timeout=5000)
    mean_picture = window.image_pane.fit_board.estimate.image.copy()
    assert window.answer_marker.point[0] == pytest.approx(mixture.mean()[0])
    qtbot.keyClick(window, K.Key_D)  # mean -> mode
    assert window.state.why.decoding.answer == "mode"
    assert window.answer_marker.point[0] == pytest.approx(-2.0, abs=0.02)  # the sedans, the bigger mode
    qtbot.waitUntil(lambda: "its mode" in tile.caption.text(), timeout=5000)
    assert np.abs(window.image_pane.fit_board.estimate.image - mean_picture).mean() > 0.01
    qtbot.keyClick(window, K.Key_BracketRight)  # the annealed mean, warmer than 0.38
    decoding = window.state.why.decoding
    assert decoding.answer == "annealed" and decoding.temperature > 0.38
    assert mixture.mean()[0] > window.answer_marker.point[0] > -2.0
    assert window.why_panel.answer.currentData() == "annealed"  # the panel shows what the keys did


def test_the_dial_is_offered_for_a_distribution_and_the_arrows_for_a_point(make_window, qtbot):
    window = _quiet_window(make_window, qtbot)
    panel = window.why_panel
    assert panel.pulls.isEnabled() and not panel.dial.isVisible()
    qtbot.keyClick(window, K.Key_4)  # the Gaussian likelihood
    assert not panel.pulls.isEnabled() and panel.dial.isVisible()
    qtbot.mouseClick(panel.landscape, Qt.MouseButton.LeftButton)
    assert window.state.why.landscape


# -- the loss curve --------------------------------------------------------------------------------------------
def test_hovering_the_loss_curve_shows_the_step_and_the_loss(make_window, qtbot):
    window = _quiet_window(make_window, qtbot)
    losses = np.linspace(9.0, 4.3, 200)
    window.fit.show(_snapshot(PointEstimate([0.0]), "l2", 200, losses))
    window.readouts.flush()
    plot = window.readouts.curve_plot
    where = plot.mapFromScene(plot.plotItem.vb.mapViewToScene(plot.plotItem.vb.mapSceneToView(
        plot.plotItem.vb.sceneBoundingRect().center())))
    qtbot.mouseMove(plot.viewport(), QPoint(round(where.x()), round(where.y())))
    text = window.readouts.hover_text()
    step = int(text.split("step ")[1].split()[0].replace(",", ""))
    assert 60 < step < 140
    assert f"loss {losses[step - 1]:.5g}" in text
    qtbot.mouseMove(window.pane.viewport())
    qtbot.waitUntil(lambda: window.readouts.hover_text() == "", timeout=2000)


def test_a_converged_curve_is_a_flat_line_on_a_sensible_range_with_the_minimum_marked(make_window, qtbot):
    window = _quiet_window(make_window, qtbot)
    samples = window.state.samples
    floor = float(((samples - samples.mean()) ** 2).mean())
    noise = floor + 1e-7 * np.random.default_rng(0).standard_normal(300)  # a converged fit in float32
    window.fit.show(_snapshot(PointEstimate([samples.mean()]), "l2", 300, noise))
    window.readouts.flush()
    lo, hi = window.readouts.curve_axis_range()
    assert hi - lo >= 0.02 * floor  # not 4.2482705 ... 4.2482710
    assert lo < floor < hi
    assert window.readouts.floor_line.value() == pytest.approx(floor, rel=1e-9)
    assert f"{floor:.4g}" in window.readouts.floor_line.label.textItem.toPlainText()
    qtbot.mouseClick(window.readouts.log_box, Qt.MouseButton.LeftButton)
    lo, hi = window.readouts.curve_axis_range()
    assert lo < np.log10(floor) < hi and hi - lo >= 0.05
    assert window.readouts.curve_plot.getAxis("left").logMode


def test_the_coverage_readout_says_mode_collapse_when_a_mode_is_lost(make_window, qtbot):
    window = _quiet_window(make_window, qtbot, scene="three_modes", loss="reverse_kl")
    comp = window.state.mixture.components[2]
    window.fit.show(_snapshot(GaussianEstimate(comp.mean, cov=comp.cov), "reverse_kl"))
    window.readouts.flush()
    text = window.readouts.coverage.text()
    assert window.readouts.coverage.isVisible()
    assert "1 of 3" in text and "mode collapse" in text
    tip = window.readouts.coverage.toolTip()
    assert "misses coupé, sedan" in tip and "a quarter of the mass" in tip  # which modes, and the rule
    qtbot.keyClick(window, K.Key_5)  # the mixture: every mode
    mixture = window.state.mixture
    window.fit.show(_snapshot(MixtureEstimate(mixture.mean(), weights=mixture.weights, means=mixture.means,
                                              covs=mixture.covs), "mixture_nll"))
    window.readouts.flush()
    assert "3 of 3" in window.readouts.coverage.text() and "collapse" not in window.readouts.coverage.text()
    qtbot.keyClick(window, K.Key_1)  # L2 gives a point: no such readout
    assert not window.readouts.coverage.isVisible()


# -- keys, talk mode and the tour -------------------------------------------------------------------------------
def test_the_why_keys_work_in_talk_mode(make_window, qtbot):
    window = _quiet_window(make_window, qtbot)
    qtbot.keyClick(window, K.Key_T)
    assert window.state.talk and not window.why_panel.isVisible()
    qtbot.keyClick(window, K.Key_L)
    qtbot.keyClick(window, K.Key_A)
    qtbot.keyClick(window, K.Key_D)
    qtbot.keyClick(window, K.Key_BracketLeft)
    why = window.state.why
    assert why.landscape and why.pulls and why.decoding.answer == "annealed" and why.decoding.temperature < 0.38
    assert window.landscape.isVisible()
    assert "L landscape" in window.key_hints.text()
    qtbot.keyClick(window, K.Key_T)


def test_the_why_chapter_of_the_tour_turns_the_views_on_as_it_goes(make_window, qtbot):
    check_tour(WHY, bundled_scene_ids(), LOSS_IDS)
    assert tour_by_id("why").steps is WHY and len(WHY) >= 3
    for step in WHY:
        WhyView().updated_from(step.view)  # every view names keys and values the why knows
    window = _quiet_window(make_window, qtbot)
    window.tour.start(tour_by_id("why"))
    assert window.state.why.landscape and window.landscape.isVisible()
    shown = {}
    for i in range(len(WHY)):
        window.tour.go_to(i)
        shown[WHY[i].title] = window.state.why
    assert shown["Everybody pulls"].pulls
    assert shown["T = 0.38, as colourisation does it"].decoding == window.state.why.decoding.__class__("annealed", 0.38)
    assert not any(v.pulls for t, v in shown.items() if "pull" not in t.lower())


def test_the_why_controller_toggles_and_says_why_not(qtbot):
    state = AppState(bundled_scene("sedan_or_suv"), "sedan_or_suv")
    controller = WhyController(state)
    messages = []
    controller.status.connect(lambda text, ms: messages.append(text))
    controller.toggle_landscape()
    assert state.why.landscape and "on" in messages[-1]
    state.set_loss("adversarial")
    controller.toggle_pulls()
    assert state.why.pulls and "losses of one point" in messages[-1]
    controller.colder()
    assert state.why.decoding.answer == "annealed" and state.why.decoding.temperature == pytest.approx(0.2)
    for _ in range(10):
        controller.warmer()
    assert state.why.decoding.temperature == 1.0
    state.set_loss("l2")
    controller.next_answer()
    assert "not to L2" in messages[-1]
    assert loss_info("l2").estimate.distribution is False


def test_the_landscape_keeps_going_when_the_data_changes_dimension_or_every_point_is_erased(make_window, qtbot):
    """Found by a chaos run: a landscape on while Undo brings back a scene of another dimension under a path
    of the old one, or after every point was erased, raised in the pane's slots at each redraw."""
    window = _quiet_window(make_window, qtbot)
    qtbot.keyClick(window, K.Key_L)
    window.fit.show(_snapshot(PointEstimate([0.5]), "l2"))
    window.state.load_bundled("style_and_colour")
    window.fit.show(_snapshot(PointEstimate([0.5, -0.5]), "l2", step=20))
    window.state.undo()  # back to the 1-D scene: the path of 2-D points is not drawn on a curve
    window.fit.show(_snapshot(PointEstimate([0.25]), "l2", step=30))
    assert window.landscape.path().shape[1] == 1
    painting = window.painting
    painting.clear()  # every point gone, the landscape still on
    qtbot.wait(50)
    assert len(window.state.samples) == 0
    assert "no points" in window.landscape.caption.text()
