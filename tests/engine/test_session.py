"""Session files: a scene file plus "fit" and "view"; they round-trip, plain scene files open with
defaults, anything malformed is a SceneError naming the key, and saving never spoils the old file."""

import copy
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from engine.model.scene import SceneError, bundled_scene, bundled_scene_ids, dumps, load, parse_scene
from engine.model.session import (
    Session,
    dumps_session,
    load_session,
    loads_session,
    parse_session,
    save_session,
    session_from_scene,
)
from engine.model.losses import HUBER_DELTA, K
from engine.model.settings import FitSettings

SCENE = {
    "format": "blurlab-scene", "version": 1, "name": "Sedan or SUV", "dim": 1,
    "components": [
        {"label": "sedan", "weight": 0.5, "mean": [-2.0], "cov": [[0.25]]},
        {"label": "SUV", "weight": 0.5, "mean": [2.0], "cov": [[0.25]]},
    ],
    "samples": 4000, "seed": 7, "decoder": "cars", "loss": "huber",
}
FIT = {"lr": 0.05, "k": 3, "huber_delta": 0.5, "speed": 4}
VIEW = {"x_range": [-5.0, 5.0], "y_range": [-1.0, 2.5], "talk": True, "tour_step": 2, "pair": [0, 1],
        "zoom_note": {"kept": ["as", "is"]}}
SESSION = {**SCENE, "fit": FIT, "view": VIEW}


def edited(base: dict, path: str, value=...) -> dict:
    """A deep copy of base with the value at a dotted path ("fit.lr") replaced, or removed (...)."""
    data = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return data


def custom_session(scene) -> Session:
    settings = FitSettings(loss=scene.loss, lr=0.003, seed=scene.seed, params={"k": 2, "huber_delta": 0.25})
    view = {"x_range": [-3.5, 4.0], "y_range": [0.0, 1.0], "talk": False, "tour_step": 5, "pair": [1, 0],
            "future_key": [1, "two", None]}
    return session_from_scene(scene, settings, speed=0.25, view=view)


# -- round trips -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_every_bundled_scene_round_trips_with_settings_and_view(tmp_path, scene_id):
    session = custom_session(bundled_scene(scene_id))
    path = tmp_path / "session.json"
    save_session(session, path)
    again = load_session(path)
    assert again.to_dict() == session.to_dict()
    assert again.settings == session.settings
    assert (again.speed, again.view) == (0.25, session.view)
    assert again.to_dict()["fit"] == {"lr": 0.003, "k": 2, "huber_delta": 0.25, "speed": 0.25}
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_a_scene_file_opens_as_a_session_with_defaults(tmp_path):
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(SCENE))
    session = load_session(path)
    assert session.settings == FitSettings(loss="huber", seed=7)
    assert (session.settings.lr, session.settings.value(K), session.settings.value(HUBER_DELTA)) == (None, 0, 1.0)
    assert session.speed == 1.0 and session.view == {}
    assert session.scene.to_dict() == parse_scene(SCENE).to_dict()
    assert session.scene.extra == {}


def test_missing_fit_keys_take_their_defaults():
    session = parse_session({**SCENE, "fit": {"k": 4}})
    assert session.settings == FitSettings(loss="huber", seed=7, params={"k": 4})
    assert session.speed == 1.0


def test_fit_values_are_read():
    session = parse_session(SESSION)
    assert session.settings == FitSettings(loss="huber", lr=0.05, seed=7, params={"k": 3, "huber_delta": 0.5})
    assert session.speed == 4.0
    assert session.view == VIEW


def test_max_speed_round_trips_as_the_word_max():
    session = parse_session(edited(SESSION, "fit.speed", "max"))
    assert session.speed == math.inf
    text = dumps_session(session)
    assert json.loads(text)["fit"]["speed"] == "max"
    assert loads_session(text).speed == math.inf


def test_null_lr_means_the_loss_default():
    session = parse_session(edited(SESSION, "fit.lr", None))
    assert session.settings.lr is None
    assert json.loads(dumps_session(session))["fit"]["lr"] is None


def test_unknown_view_keys_and_top_level_keys_survive(tmp_path):
    document = {**SESSION, "comment": "made by hand", "future": {"nested": [1, 2]}}
    session = parse_session(document)
    assert session.scene.extra == {"comment": "made by hand", "future": {"nested": [1, 2]}}
    assert session.view["zoom_note"] == {"kept": ["as", "is"]}
    path = tmp_path / "s.json"
    save_session(session, path)
    saved = json.loads(path.read_text())
    assert saved["comment"] == "made by hand" and saved["future"] == {"nested": [1, 2]}
    assert saved["view"]["zoom_note"] == {"kept": ["as", "is"]}
    assert load_session(path).to_dict() == session.to_dict()


def test_an_empty_view_is_not_written_and_fit_always_is():
    data = session_from_scene(parse_scene(SCENE)).to_dict()
    assert "view" not in data
    assert data["fit"] == {"lr": None, "k": 0, "huber_delta": 1.0, "speed": 1.0}


def test_a_saved_session_is_a_valid_scene_file(tmp_path):
    session = parse_session({**SESSION, "comment": "x"})
    path = tmp_path / "s.json"
    save_session(session, path)
    as_scene = load(path)  # the plain scene reader
    assert as_scene.to_dict() == session.to_dict()
    assert as_scene.extra["fit"] == {"lr": 0.05, "k": 3, "huber_delta": 0.5, "speed": 4.0}
    assert as_scene.extra["view"] == VIEW
    assert dumps_session(session) == dumps(as_scene)


def test_dumps_is_strict_json():
    text = dumps_session(parse_session(edited(SESSION, "fit.speed", "max")))
    json.loads(text, parse_constant=lambda token: pytest.fail(f"{token} in a saved session"))


# -- malformed files ----------------------------------------------------------------------------------------
# (case id, document, words the message must hold: the key first)
BAD = [
    ("another program's JSON", {"name": "x", "width": 3}, ["format", "missing"]),
    ("another format", edited(SESSION, "format", "blurlab-session"), ["format", "blurlab-scene"]),
    ("top level list", [SESSION], ["scene", "JSON object"]),
    ("bad scene part", edited(SESSION, "dim", 9), ["dim", "1 to 8"]),
    ("fit not an object", edited(SESSION, "fit", [0.05]), ["fit", "object"]),
    ("fit null", edited(SESSION, "fit", None), ["fit", "object"]),
    ("unknown fit key", edited(SESSION, "fit.learning_rate", 0.1), ["fit.learning_rate", "unknown key"]),
    ("negative lr", edited(SESSION, "fit.lr", -1), ["fit.lr: must be a positive number, got -1"]),
    ("zero lr", edited(SESSION, "fit.lr", 0), ["fit.lr", "positive"]),
    ("lr as text", edited(SESSION, "fit.lr", "fast"), ["fit.lr", "number", "fast"]),
    ("lr as boolean", edited(SESSION, "fit.lr", True), ["fit.lr", "number"]),
    ("negative k", edited(SESSION, "fit.k", -1), ["fit.k", "0 or more"]),
    ("fractional k", edited(SESSION, "fit.k", 1.5), ["fit.k", "whole number"]),
    ("k as text", edited(SESSION, "fit.k", "auto"), ["fit.k", "whole number"]),
    ("k null", edited(SESSION, "fit.k", None), ["fit.k", "whole number"]),
    ("zero huber delta", edited(SESSION, "fit.huber_delta", 0), ["fit.huber_delta", "positive"]),
    ("huber delta as list", edited(SESSION, "fit.huber_delta", [1]), ["fit.huber_delta", "number"]),
    ("zero speed", edited(SESSION, "fit.speed", 0), ["fit.speed", "positive"]),
    ("negative speed", edited(SESSION, "fit.speed", -2), ["fit.speed", "positive"]),
    ("speed as other word", edited(SESSION, "fit.speed", "fast"), ["fit.speed", "'max'", "fast"]),
    ("speed as boolean", edited(SESSION, "fit.speed", True), ["fit.speed", "'max'"]),
    ("view not an object", edited(SESSION, "view", "zoomed"), ["view", "object"]),
    ("x_range reversed", edited(SESSION, "view.x_range", [5, -5]),
     ["view.x_range: expected two numbers, low then high, got", "[5, -5]"]),
    ("x_range empty", edited(SESSION, "view.x_range", [1, 1]), ["view.x_range", "low then high"]),
    ("x_range too long", edited(SESSION, "view.x_range", [1, 2, 3]), ["view.x_range", "two numbers"]),
    ("x_range as text", edited(SESSION, "view.x_range", ["a", "b"]), ["view.x_range", "two numbers"]),
    ("y_range as number", edited(SESSION, "view.y_range", 3), ["view.y_range", "two numbers"]),
    ("y_range with boolean", edited(SESSION, "view.y_range", [False, 1]), ["view.y_range", "two numbers"]),
    ("talk as text", edited(SESSION, "view.talk", "yes"), ["view.talk", "true or false"]),
    ("talk as number", edited(SESSION, "view.talk", 1), ["view.talk", "true or false"]),
    ("negative tour step", edited(SESSION, "view.tour_step", -1), ["view.tour_step", "0 or more"]),
    ("fractional tour step", edited(SESSION, "view.tour_step", 0.5), ["view.tour_step", "whole number"]),
    ("pair the same twice", edited(SESSION, "view.pair", [1, 1]), ["view.pair", "different"]),
    ("pair of one", edited(SESSION, "view.pair", [0]), ["view.pair", "two"]),
    ("pair negative", edited(SESSION, "view.pair", [0, -1]), ["view.pair[1]", "0 or more"]),
    ("pair of text", edited(SESSION, "view.pair", ["x", "y"]), ["view.pair[0]", "whole number"]),
]


@pytest.mark.parametrize(("document", "words"), [pytest.param(d, w, id=i) for i, d, w in BAD])
def test_bad_session_is_rejected_naming_the_key(document, words):
    for parse in (lambda: loads_session(json.dumps(document)), lambda: parse_session(document)):
        with pytest.raises(SceneError) as info:
            parse()
        for word in words:
            assert word in str(info.value)


# Documents json.dumps cannot write: NaN and infinities, written by hand or by other tools.
NON_FINITE = [
    ("NaN lr", '"lr": 0.05', '"lr": NaN', "fit.lr"),
    ("infinite speed", '"speed": 4', '"speed": Infinity', "fit.speed"),
    ("NaN in x_range", '"x_range": [-5.0, 5.0]', '"x_range": [-5.0, NaN]', "view.x_range[1]"),
    ("NaN in an unknown view key", '"kept": ["as", "is"]', '"kept": ["as", -Infinity]', "view.zoom_note.kept[1]"),
]


@pytest.mark.parametrize(("old", "new", "key"), [pytest.param(o, n, k, id=i) for i, o, n, k in NON_FINITE])
def test_non_finite_numbers_are_rejected_naming_the_key(old, new, key):
    text = json.dumps(SESSION)
    assert old in text
    with pytest.raises(SceneError, match="finite") as info:
        loads_session(text.replace(old, new, 1))
    assert key in str(info.value)


def test_non_finite_numbers_in_a_dict_are_rejected():
    with pytest.raises(SceneError, match=r"view\.extra_key: must be a finite number"):
        parse_session(edited(SESSION, "view.extra_key", float("nan")))


@pytest.mark.parametrize("text", ["", "not json", '{"format": "blurlab-scene",'])
def test_text_that_is_not_json_is_rejected(text):
    with pytest.raises(SceneError, match="not valid JSON"):
        loads_session(text)


def test_a_bad_file_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(edited(SESSION, "fit.lr", -1)))
    with pytest.raises(SceneError, match=r"^broken\.json: fit\.lr: must be a positive number, got -1$"):
        load_session(path)
    path.write_text(json.dumps(edited(SESSION, "samples", 1)))
    with pytest.raises(SceneError, match=r"^broken\.json: samples: must be between"):
        load_session(path)


def test_a_missing_file_is_a_scene_error(tmp_path):
    with pytest.raises(SceneError, match=r"gone\.json: cannot be read"):
        load_session(tmp_path / "gone.json")


# -- building sessions in code ----------------------------------------------------------------------------
def test_settings_that_disagree_with_the_scene_are_refused():
    scene = parse_scene(SCENE)
    with pytest.raises(ValueError, match="loss 'l2'"):
        Session(scene, FitSettings(loss="l2", seed=7))
    with pytest.raises(ValueError, match="seed 0"):
        Session(scene, FitSettings(loss="huber", seed=0))
    assert Session(scene, FitSettings(loss="huber", seed=7)).settings.loss == "huber"


def test_session_from_scene_takes_loss_and_seed_from_the_scene():
    scene = parse_scene(SCENE)
    session = session_from_scene(scene, FitSettings(loss="l1", lr=0.01, seed=99, params={"k": 5}))
    assert session.settings == FitSettings(loss="huber", lr=0.01, seed=7, params={"k": 5})


def test_session_from_scene_replaces_a_fit_and_view_kept_by_the_scene_reader():
    scene = parse_scene({**SESSION, "comment": "x"})
    assert "fit" in scene.extra and "view" in scene.extra
    session = session_from_scene(scene, speed=2.0)
    assert session.scene.extra == {"comment": "x"}
    assert session.view == {} and session.speed == 2.0
    with pytest.raises(ValueError, match="fit, view"):
        Session(scene, FitSettings(loss="huber", seed=7))


@pytest.mark.parametrize("speed", [0, -1.0, float("nan"), "max", True, None])
def test_a_bad_speed_is_refused(speed):
    with pytest.raises(ValueError, match="speed"):
        session_from_scene(parse_scene(SCENE), speed=speed)


def test_a_bad_view_in_code_is_refused():
    with pytest.raises(SceneError, match=r"view\.x_range"):
        session_from_scene(parse_scene(SCENE), view={"x_range": (2, 1)})


def test_the_view_is_copied_and_tuples_become_lists():
    view = {"x_range": (-1, 1), "pair": (0, 1), "notes": ["a"]}
    session = session_from_scene(parse_scene(SCENE), view=view)
    view["notes"].append("b")
    view["x_range"] = (5, 6)
    assert session.view == {"x_range": [-1.0, 1.0], "pair": [0, 1], "notes": ["a"]}
    session.to_dict()["view"]["notes"].append("c")  # the dict handed out is not the session's
    assert session.view["notes"] == ["a"]


# -- atomic saves ------------------------------------------------------------------------------------------
def test_a_save_that_cannot_serialise_leaves_the_old_file(tmp_path):
    path = tmp_path / "s.json"
    save_session(parse_session(SESSION), path)
    before = path.read_text()
    broken = session_from_scene(parse_scene(SCENE), view={"handle": object()})
    with pytest.raises(TypeError):
        save_session(broken, path)
    assert path.read_text() == before
    assert load_session(path).to_dict() == parse_session(SESSION).to_dict()


def test_a_save_that_fails_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    save_session(parse_session(SESSION), path)
    before = path.read_text()
    real_write_text = Path.write_text

    def write_half_then_fail(self, text, *args, **kwargs):
        real_write_text(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", write_half_then_fail)
    changed = replace(parse_session(SESSION), speed=math.inf)
    with pytest.raises(OSError):
        save_session(changed, path)
    monkeypatch.undo()
    assert path.read_text() == before
