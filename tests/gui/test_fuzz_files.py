"""The scene and session readers, fuzzed: random JSON, mutations of valid files, random bytes. Every case
ends in a valid scene or session, or in a SceneError with a one-line message, and a window that is refused
a file keeps what it had."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.model.scene import SceneError, bundled_scene, bundled_scene_ids, load, loads
from engine.model.session import load_session, loads_session

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True, allow_infinity=True) \
    | st.text(max_size=12)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner,
                                                                                          max_size=5), max_leaves=25)
VALID = [bundled_scene(sid).to_dict() for sid in bundled_scene_ids()]
SESSION = {**VALID[0], "fit": {"lr": 0.05, "k": 2, "huber_delta": 0.5, "speed": "max"},
           "view": {"x_range": [-4, 4], "y_range": [0, 0.5], "talk": False, "tour_step": 3, "pair": [0, 1]}}
KEYS = ["format", "version", "name", "dim", "components", "samples", "seed", "decoder", "loss", "fit", "view",
        "weight", "mean", "cov", "label", "lr", "k", "huber_delta", "speed", "x_range", "tour_step", "pair"]


def _one_line_refusal(read, data) -> None:
    """`read(data)` gives a result, or a SceneError whose message is one non-empty line; nothing else."""
    try:
        read(data)
    except SceneError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)


def _text(value) -> str:
    return json.dumps(value, allow_nan=True)


@FAST
@given(JSON)
def test_any_json_is_a_scene_or_a_one_line_refusal(value):
    _one_line_refusal(loads, _text(value))
    _one_line_refusal(loads_session, _text(value))


def _paths(value, prefix=()):
    """Every place in a JSON value, as a path of keys and indices."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated(draw):
    """A valid scene or session file with a few of its values replaced, deleted or added."""
    data = copy.deepcopy(draw(st.sampled_from(VALID + [SESSION])))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(JSON)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(max_size=6))] = draw(JSON)
        else:
            parent.append(draw(JSON))
    return data


@FAST
@given(mutated())
def test_a_mutated_file_is_a_scene_or_a_one_line_refusal(data):
    _one_line_refusal(loads, _text(data))
    _one_line_refusal(loads_session, _text(data))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_random_bytes_in_a_file_are_refused_by_name(blob):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.json"
        path.write_bytes(blob)
        for read in (load, load_session):
            try:
                read(path)
            except SceneError as exc:
                assert str(exc).startswith("fuzzed.json: ") and "\n" not in str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated())
def test_a_window_refused_a_file_keeps_its_state(qapp, data):
    from tests.support.fakes import FakeFit, FakeView
    from gui.controllers.sessions import SessionController
    from gui.state import AppState

    class Tour:
        index = -1

    state = AppState(bundled_scene("three_modes"), "three_modes")
    state.set_loss("huber")
    warnings: list[str] = []
    sessions = SessionController(state, FakeFit(), Tour(), FakeView(), lambda title, text: warnings.append(text))
    before = (state.scene, state.settings, state.speed_index, state.samples.copy())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.json"
        path.write_text(_text(data))
        opened = sessions.open_file(str(path))
    if not opened:
        assert len(warnings) == 1 and "\n" not in warnings[0]
        assert (state.scene, state.settings, state.speed_index) == before[:3]
        assert (state.samples == before[3]).all()
