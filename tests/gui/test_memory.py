"""What a long talk does to the window leaves nothing behind: scenes loaded again and again, clicks on the
samples and drags keep the same number of plot items alive (benchmarks/soak.py measures the memory)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pyqtgraph as pg

from engine.model.estimate import GaussianEstimate, PointEstimate, Snapshot

from tests.support.fakes import FakeFitProcess
from tests.support.gui_helpers import double_click, drag, point


def _show_the_overlays(window) -> None:
    """The tug of war on an L2 frame, and the dial's marker on a Gaussian's: each overlay makes its items
    the first time it shows."""
    window.why.toggle_pulls()
    mean = window.state.mixture.mean()
    for loss, estimate in (("l2", PointEstimate(mean)), ("gaussian_nll", GaussianEstimate(mean, cov=np.eye(1)))):
        window.state.set_loss(loss)
        window.fit.show(Snapshot(step=5, loss_id=loss, loss=1.0, estimate=estimate, trail=np.array([mean]),
                                 losses=np.ones(5), data_version=0))
        window.answer_marker.flush()


def _alive(kind) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if issubclass(type(o), kind))  # type(): no lazy module is woken


def test_clicks_drags_and_scenes_leave_no_plot_items_behind(make_window, qtbot):
    spots_before = _alive(pg.graphicsItems.ScatterPlotItem.SpotItem)  # what earlier tests' windows left
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    pane = window.pane
    counts = []
    for _ in range(4):
        window.state.load_bundled("style_and_colour")
        double_click(pane, point(pane, 0.3, -2.6))  # on the samples: a click the scatter could take
        handle = pane.handles()[0]
        x, y = handle.pos().x(), handle.pos().y()
        drag(pane, point(pane, x, y), point(pane, x + 0.5, y + 0.3))  # new samples, many times over
        window.state.undo()
        window.state.load_bundled("sedan_or_suv")
        counts.append((_alive(pg.ScatterPlotItem), _alive(pg.graphicsItems.ScatterPlotItem.SpotItem)))
    assert len(window.state.mixture.components) == 2
    assert counts[-1] == counts[1], counts  # the first round may fill caches; after it, nothing grows
    assert counts[-1][1] == spots_before  # this window makes no per-point objects at all


def test_scene_loads_keep_the_overlays_items_on_the_pane_without_adding_them_again(make_window, qtbot):
    """An item removed from the plot and added back leaves PySide weak references on it each time; the
    overlays' items (the arrows, the dial's marker, the landscape beneath 2-D samples) stay put instead."""
    window = make_window(start_fit=False, fit_process=FakeFitProcess())
    pane = window.pane
    _show_the_overlays(window)
    overlays = (*window.pulls.items, *window.answer_marker.items, *window.landscape.underlay.items)
    assert len(overlays) == 4 + 2 + 4
    refs = []
    for scene in ("style_and_colour", "sedan_or_suv") * 3:
        window.state.load_bundled(scene)
        window.state.set_talk(not window.state.talk)  # talk mode rebuilds the pane's items too
        assert all(item in pane.plotItem.items for item in overlays)
        refs.append(sum(weakref.getweakrefcount(item) for item in overlays))
    assert refs[-1] == refs[0], refs
