"""Session files from the window: the whole state saved, reopened, and refused when malformed."""

from __future__ import annotations

import json

import numpy as np

from engine.model.scene import load as load_scene
from gui.support import preferences
from tests.support.gui_helpers import step_and_record


def test_a_saved_session_reopens_to_the_same_state_and_trajectory(make_window, qtbot, tmp_path):
    window = make_window()
    window.state.add_component([0.5])  # an edit the user made
    window.state.set_loss("huber")
    window.state.set_learning_rate(0.05)
    window.state.set_seed(7)
    window.state.set_speed(4.0)
    before = step_and_record(window, qtbot, 12)
    path = tmp_path / "talk.json"
    assert window.sessions.save_file(str(path))
    assert load_scene(path).name == window.state.scene.name  # still a scene file, by the contract

    other = make_window("three_modes")
    assert other.sessions.open_file(str(path))
    s = other.state
    assert (s.settings.loss, s.settings.lr, s.scene.seed, s.speed) == ("huber", 0.05, 7, 4.0)
    assert len(s.mixture.components) == 3
    np.testing.assert_allclose(s.mixture.means, window.state.mixture.means)
    np.testing.assert_array_equal(s.samples, window.state.samples)
    after = step_and_record(other, qtbot, 12)
    np.testing.assert_allclose(after, before, rtol=1e-6)
    assert preferences.recent_files()[0] == str(path.resolve())


def test_a_malformed_session_shows_the_problem_and_keeps_the_current_session(make_window, qtbot, tmp_path,
                                                                             monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = make_window()
    window.state.set_loss("l1")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "bad.json"
    scene = window.sessions.session().to_dict()
    scene["fit"]["lr"] = -1
    bad.write_text(json.dumps(scene))
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    state_before = (window.state.scene, window.state.settings, window.state.speed_index)
    assert not window.sessions.open_file(str(bad))
    assert not window.sessions.open_file(str(foreign))
    assert "fit.lr" in shown[0] and "format" in shown[1]
    assert (window.state.scene, window.state.settings, window.state.speed_index) == state_before
