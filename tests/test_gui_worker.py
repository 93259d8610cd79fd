"""The fit thread: thousands of snapshots through real signals, errors reported, a clean close mid-fit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, Slot

import gui.worker as worker_module
from engine.fit import FitSettings
from engine.scene import bundled_scene
from gui.worker import FitRunner


class Collector(QObject):
    """Receives snapshots in the GUI thread, as the window does."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[int] = []
        self.errors: list[str] = []

    @Slot(object)
    def on_snapshot(self, snap) -> None:
        self.steps.append(snap.step)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.errors.append(message)


def _start(pace=None):
    scene = bundled_scene("sedan_or_suv")
    r = FitRunner()
    collector = Collector()
    r.snapshotReady.connect(collector.on_snapshot)
    r.failed.connect(collector.on_failed)
    r.start(scene.draw(), scene.mixture, FitSettings(), float("inf"), pace=pace)
    return r, collector


@pytest.fixture
def runner(qtbot):
    r, collector = _start()
    qtbot.waitUntil(lambda: bool(collector.steps), timeout=30000)  # the fit process is up
    yield r, collector
    r.shutdown()


def test_five_thousand_snapshots_through_the_real_worker(qtbot, monkeypatch):
    """PySide6 6.12.0 on Python 3.11 aborted after ~570 emits; this drives well past that."""
    monkeypatch.setattr(worker_module, "POLL_MS", 0)  # relay as fast as snapshots come
    r, collector = _start(pace={"emit_interval": 0.0, "chunk_seconds": 0.0})  # a snapshot every step
    qtbot.waitUntil(lambda: bool(collector.steps), timeout=30000)
    r.set_running(True)
    qtbot.waitUntil(lambda: len(collector.steps) >= 5000, timeout=60000)
    r.set_running(False)
    r.shutdown()
    assert collector.errors == []
    assert collector.steps[-1] >= 4999
    assert all(b >= a for a, b in zip(collector.steps, collector.steps[1:]))  # in order, never stale


def test_the_fit_runs_in_its_own_thread_and_paces_itself(runner, qtbot):
    r, collector = runner
    r.set_steps_per_second(100.0)
    r.set_running(True)
    qtbot.wait(1000)
    r.set_running(False)
    qtbot.wait(50)
    assert 40 <= collector.steps[-1] <= 160  # about a second at 100 steps/s
    assert len(collector.steps) <= 75  # at most ~60 snapshots a second reach the GUI


def test_bad_data_is_reported_and_the_fit_goes_on(runner, qtbot):
    r, collector = runner
    scene = bundled_scene("sedan_or_suv")
    bad = scene.draw()
    bad[5, 0] = np.nan
    r.set_data(bad, scene.mixture)
    qtbot.waitUntil(lambda: bool(collector.errors), timeout=5000)
    assert "NaN" in collector.errors[0]
    assert not r.running
    before = collector.steps[-1]
    r.step()
    qtbot.waitUntil(lambda: collector.steps[-1] == before + 1, timeout=5000)


def test_closing_the_window_mid_fit_stops_the_thread_and_the_process(make_window, qtbot):
    window = make_window()
    window.controls.speed.setValue(window.controls.speed.maximum())
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.pane._last_snapshot.step > 200, timeout=10000)
    thread, worker = window.runner._thread, window.runner.worker
    process = worker._process
    assert thread.isRunning() and process.is_alive()
    window.close()
    assert thread.isFinished()
    assert not process.is_alive()
    assert window.runner.worker is None


def test_a_failing_fit_shows_in_the_status_bar_and_the_app_keeps_running(make_window, qtbot):
    window = make_window()
    bad = window.state.samples.copy()
    bad[0, 0] = np.inf
    window.runner.set_data(bad, window.state.mixture)
    qtbot.waitUntil(lambda: "infinite" in window.statusBar().currentMessage(), timeout=5000)
    assert window.controls.run_button.text() == "Run"
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.pane._last_snapshot.step == 1, timeout=5000)
    assert np.isfinite(window.pane.fit_line.value())


def test_a_killed_fit_process_is_restarted_and_the_app_goes_on(make_window, qtbot):
    window = make_window()
    first = window.runner.worker._process
    first.kill()
    qtbot.waitUntil(lambda: "restarted" in window.statusBar().currentMessage(), timeout=10000)
    qtbot.waitUntil(lambda: window.runner.worker is not None and window.runner.worker.process_alive, timeout=30000)
    assert window.runner.worker._process.pid != first.pid
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.pane._last_snapshot.step == 1, timeout=30000)
