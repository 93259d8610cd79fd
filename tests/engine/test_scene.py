"""Scene files: every way a file can be wrong is rejected with the key and the problem named;
good files load, save and load again unchanged; bundled scenes resolve by id, name or path."""

import copy
import json

import numpy as np
import pytest

from engine.model.losses import LOSS_IDS
from engine.model.scene import (
    DECODERS,
    DEFAULT_SCENE,
    SceneError,
    bundled_scene,
    bundled_scene_ids,
    dumps,
    load,
    loads,
    parse_scene,
    resolve_scene,
    save,
)

GOOD_1D = {
    "format": "blurlab-scene", "version": 1, "name": "Sedan or SUV", "dim": 1,
    "components": [
        {"label": "sedan", "weight": 0.5, "mean": [-2.0], "cov": [[0.25]]},
        {"label": "SUV", "weight": 0.5, "mean": [2.0], "cov": [[0.25]]},
    ],
    "samples": 4000, "seed": 0, "decoder": "cars", "loss": "l2",
}
GOOD_2D = {
    "format": "blurlab-scene", "version": 1, "name": "Two by two", "dim": 2,
    "components": [
        {"label": "a", "weight": 1, "mean": [0.0, 0.0], "cov": [[1.0, 0.3], [0.3, 0.5]]},
        {"label": "b", "weight": 3, "mean": [4.0, 1.0], "cov": [[0.2, 0.0], [0.0, 0.2]]},
    ],
}


def edited(base: dict, path: str, value=...) -> dict:
    """A deep copy of base with the value at a dotted path ("components.0.mean") replaced, or removed (...)."""
    data = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        last = int(last)
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return data


# (case id, document, words the message must hold: the key, then the problem)
BAD = [
    ("missing format", edited(GOOD_1D, "format"), ["format", "missing"]),
    ("missing version", edited(GOOD_1D, "version"), ["version", "missing"]),
    ("missing dim", edited(GOOD_1D, "dim"), ["dim", "missing"]),
    ("missing components", edited(GOOD_1D, "components"), ["components", "missing"]),
    ("missing weight", edited(GOOD_1D, "components.1.weight"), ["components[1].weight", "missing"]),
    ("missing mean", edited(GOOD_1D, "components.0.mean"), ["components[0].mean", "missing"]),
    ("missing cov", edited(GOOD_1D, "components.0.cov"), ["components[0].cov", "missing"]),
    ("wrong format", edited(GOOD_1D, "format", "blurlab-fit"), ["format", "blurlab-scene"]),
    ("wrong version", edited(GOOD_1D, "version", 2), ["version", "2"]),
    ("dim above 8", edited(GOOD_1D, "dim", 9), ["dim", "1 to 8", "got 9"]),
    ("dim as text", edited(GOOD_1D, "dim", "1"), ["dim", "1 to 8"]),
    ("dim as boolean", edited(GOOD_1D, "dim", True), ["dim", "1 to 8"]),
    ("components not a list", edited(GOOD_1D, "components", {"weight": 1}), ["components", "list"]),
    ("empty components", edited(GOOD_1D, "components", []), ["components", "empty"]),
    ("component not an object", edited(GOOD_1D, "components.0", [1, 2]), ["components[0]", "object"]),
    ("weight as text", edited(GOOD_1D, "components.0.weight", "heavy"), ["components[0].weight", "number"]),
    ("weight as boolean", edited(GOOD_1D, "components.0.weight", True), ["components[0].weight", "number"]),
    ("zero weight", edited(GOOD_1D, "components.1.weight", 0), ["components[1].weight", "positive"]),
    ("negative weight", edited(GOOD_1D, "components.0.weight", -0.5), ["components[0].weight", "positive"]),
    ("mean as number", edited(GOOD_1D, "components.0.mean", -2.0), ["components[0].mean", "list of 1"]),
    ("mean too long", edited(GOOD_1D, "components.0.mean", [1.0, 2.0]), ["components[0].mean", "list of 1"]),
    ("mean too short 2-D", edited(GOOD_2D, "components.1.mean", [4.0]), ["components[1].mean", "list of 2"]),
    ("mean entry as text", edited(GOOD_2D, "components.0.mean", [0.0, "up"]), ["components[0].mean[1]", "number"]),
    ("cov as number", edited(GOOD_1D, "components.0.cov", 0.25), ["components[0].cov", "1x1"]),
    ("cov flat list", edited(GOOD_1D, "components.0.cov", [0.25]), ["components[0].cov", "1x1"]),
    ("cov 1x2 in 1-D", edited(GOOD_1D, "components.0.cov", [[0.25, 0.0]]), ["components[0].cov", "1x1"]),
    ("cov 1x1 in 2-D", edited(GOOD_2D, "components.0.cov", [[1.0]]), ["components[0].cov", "2x2"]),
    ("cov ragged", edited(GOOD_2D, "components.1.cov", [[0.2, 0.0], [0.0]]), ["components[1].cov", "2x2"]),
    ("cov entry as text", edited(GOOD_2D, "components.0.cov", [[1.0, "x"], [0.3, 0.5]]), ["components[0].cov[0][1]", "number"]),
    ("zero variance", edited(GOOD_1D, "components.0.cov", [[0.0]]), ["components[0].cov", "positive definite"]),
    ("negative variance", edited(GOOD_1D, "components.1.cov", [[-0.25]]), ["components[1].cov", "positive definite"]),
    ("indefinite cov", edited(GOOD_2D, "components.0.cov", [[1.0, 2.0], [2.0, 1.0]]), ["components[0].cov", "positive definite"]),
    ("singular cov", edited(GOOD_2D, "components.0.cov", [[1.0, 1.0], [1.0, 1.0]]), ["components[0].cov", "positive definite"]),
    ("non-symmetric cov", edited(GOOD_2D, "components.1.cov", [[0.2, 0.1], [0.0, 0.2]]), ["components[1].cov", "symmetric"]),
    ("label as number", edited(GOOD_1D, "components.0.label", 7), ["components[0].label", "text"]),
    ("name as list", edited(GOOD_1D, "name", ["a"]), ["name", "text"]),
    ("unknown loss", edited(GOOD_1D, "loss", "l3"), ["loss", "unknown loss", "l3"]),
    ("unknown decoder", edited(GOOD_1D, "decoder", "faces"), ["decoder", "unknown decoder", "faces"]),
    ("samples as text", edited(GOOD_1D, "samples", "many"), ["samples", "whole number"]),
    ("samples fractional", edited(GOOD_1D, "samples", 10.5), ["samples", "whole number"]),
    ("too few samples", edited(GOOD_1D, "samples", 1), ["samples", "between"]),
    ("too many samples", edited(GOOD_1D, "samples", 10**9), ["samples", "between"]),
    ("negative seed", edited(GOOD_1D, "seed", -1), ["seed", "between"]),
    ("top level list", [GOOD_1D], ["scene", "JSON object"]),
]


@pytest.mark.parametrize(("document", "words"), [pytest.param(d, w, id=i) for i, d, w in BAD])
def test_bad_scene_is_rejected_naming_key_and_problem(document, words):
    with pytest.raises(SceneError) as info:
        loads(json.dumps(document))
    for word in words:
        assert word in str(info.value)


# Documents json.dumps cannot write: NaN and infinities, written by hand or by other tools.
NON_FINITE = [
    ("NaN weight", '"weight": 0.5', '"weight": NaN', "components[0].weight"),
    ("Infinity in mean", '"mean": [2.0]', '"mean": [Infinity]', "components[1].mean[0]"),
    ("-Infinity in cov", '"cov": [[0.25]]}]', '"cov": [[-Infinity]]}]', "components[1].cov[0][0]"),
    ("overflowing number", '"mean": [-2.0]', '"mean": [-1e999]', "components[0].mean[0]"),
    ("NaN in an extra key", '"loss": "l2"', '"loss": "l2", "view": {"zoom": NaN}', "view.zoom"),
]


@pytest.mark.parametrize(("old", "new", "key"), [pytest.param(o, n, k, id=i) for i, o, n, k in NON_FINITE])
def test_non_finite_numbers_are_rejected_naming_the_key(old, new, key):
    text = json.dumps(GOOD_1D)
    assert old in text
    with pytest.raises(SceneError, match="finite") as info:
        loads(text.replace(old, new, 1))
    assert key in str(info.value)


@pytest.mark.parametrize("text", ["", "sedan or SUV", "{'format': 'blurlab-scene'}", '{"format": "blurlab-scene",'])
def test_text_that_is_not_json_is_rejected(text):
    with pytest.raises(SceneError, match="not valid JSON"):
        loads(text)


def test_a_bad_file_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(edited(GOOD_1D, "components.0.weight", -1)))
    with pytest.raises(SceneError, match=r"broken\.json: components\[0\]\.weight: must be positive"):
        load(path)


def test_an_unreadable_file_is_a_scene_error(tmp_path):
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SceneError, match=r"binary\.json: cannot be read"):
        load(path)


# -- good files --------------------------------------------------------------------------------------------
def test_weights_are_normalised_on_load():
    scene = parse_scene(GOOD_2D)
    np.testing.assert_allclose(scene.mixture.weights, [0.25, 0.75])


def test_optional_keys_take_their_defaults():
    scene = parse_scene(GOOD_2D)
    assert (scene.name, scene.samples, scene.seed, scene.decoder, scene.loss) == ("Two by two", 4000, 0, "cars", "l2")


@pytest.mark.parametrize("document", [GOOD_1D, GOOD_2D], ids=["1-D", "2-D"])
def test_save_then_load_round_trips(tmp_path, document):
    original = parse_scene({**document, "fit": {"lr": 0.05, "speed": 3}, "view": {"zoom": [1, 2]}})
    path = tmp_path / "scene.json"
    save(original, path)
    again = load(path)
    assert again.name == original.name
    assert (again.samples, again.seed, again.decoder, again.loss) == (original.samples, original.seed,
                                                                      original.decoder, original.loss)
    np.testing.assert_array_equal(again.mixture.weights, original.mixture.weights)
    np.testing.assert_array_equal(again.mixture.means, original.mixture.means)
    np.testing.assert_array_equal(again.mixture.covs, original.mixture.covs)
    assert again.mixture.labels == [c["label"] for c in document["components"]]
    assert again.extra == {"fit": {"lr": 0.05, "speed": 3}, "view": {"zoom": [1, 2]}}
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_dumps_is_valid_strict_json():
    text = dumps(bundled_scene(DEFAULT_SCENE))
    json.loads(text, parse_constant=lambda token: pytest.fail(f"{token} in a saved scene"))


# -- bundled scenes --------------------------------------------------------------------------------------
def test_default_scene_is_listed_first():
    ids = bundled_scene_ids()
    assert ids[0] == DEFAULT_SCENE == "sedan_or_suv"
    assert len(ids) == len(set(ids)) >= 6


@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_every_bundled_scene_loads_and_is_sane(scene_id):
    scene = bundled_scene(scene_id)
    assert 1 <= scene.dim <= 8
    assert scene.decoder in DECODERS and scene.loss in LOSS_IDS
    assert scene.name and all(scene.mixture.labels)
    # a scene of your own points draws the points themselves; any other draws `samples` from its mixture
    count = len(scene.points) if scene.points is not None else scene.samples
    assert scene.draw().shape == (count, scene.dim)


def test_default_scene_is_the_brief_example():
    scene = bundled_scene(DEFAULT_SCENE)
    assert scene.name == "Sedan or SUV" and scene.decoder == "cars" and scene.samples == 4000
    np.testing.assert_array_equal(scene.mixture.means[:, 0], [-2.0, 2.0])
    np.testing.assert_array_equal(scene.mixture.weights, [0.5, 0.5])


@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_resolve_by_id(scene_id):
    assert resolve_scene(scene_id).name == bundled_scene(scene_id).name


@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_resolve_by_display_name_in_any_case(scene_id):
    name = bundled_scene(scene_id).name
    assert resolve_scene(name).name == name
    assert resolve_scene(name.upper()).name == name


def test_resolve_nothing_gives_the_default():
    assert resolve_scene(None).name == bundled_scene(DEFAULT_SCENE).name


def test_resolve_by_path(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({**GOOD_2D, "name": "Mine"}))
    assert resolve_scene(str(path)).name == "Mine"


def test_resolve_unknown_lists_the_bundled_scenes(tmp_path):
    with pytest.raises(SceneError, match="no such file") as info:
        resolve_scene(str(tmp_path / "missing.json"))
    assert DEFAULT_SCENE in str(info.value)


def test_with_changes_a_copy():
    scene = bundled_scene(DEFAULT_SCENE)
    fewer = scene.with_(samples=100, seed=3)
    assert (fewer.samples, fewer.seed, scene.samples, scene.seed) == (100, 3, 4000, 0)
    assert not np.array_equal(fewer.draw(), scene.draw()[:100])
