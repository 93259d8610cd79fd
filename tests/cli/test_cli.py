"""The headless command line of the brief: `fit`, `losses` and `scenes`, run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.model.losses import LOSS_IDS
from engine.fit.fit import FitSettings
from engine.commands.fit_report import fit_report
from engine.model.scene import bundled_scene, bundled_scene_ids

ROOT = Path(__file__).resolve().parents[2]


def blurlab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def l2_fit(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "fit.json"
    done = blurlab("fit", "--scene", "sedan_or_suv", "--loss", "l2", "--steps", "1500", "--seed", "0",
                   "--json", str(out))
    return done, json.loads(out.read_text(encoding="utf-8"))


def test_fit_writes_the_json_result(l2_fit):
    done, report = l2_fit
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # the result went to the file; a one-line summary to stderr
    assert "l2" in done.stderr and "1500 steps" in done.stderr
    assert report["estimate"]["kind"] == "point"
    assert len(report["estimate"]["mean"]) == 1
    assert len(report["loss_curve"]) == 1500
    assert np.shape(report["trajectory"]) == (1501, 1)
    assert report["steps"] == 1500 and report["diverged"] is False


def test_fit_estimate_is_the_optimum_and_the_optimum_is_the_sample_mean(l2_fit):
    _, report = l2_fit
    samples = bundled_scene("sedan_or_suv").with_(seed=0).draw()
    np.testing.assert_allclose(report["optimum"]["mean"], samples.mean(axis=0), atol=1e-9)
    np.testing.assert_allclose(report["estimate"]["mean"], report["optimum"]["mean"], atol=1e-3)
    np.testing.assert_allclose(report["trajectory"][-1], report["estimate"]["mean"])
    assert report["density_at_estimate"] < 0.1  # the blurry answer, in one number


def test_fit_without_json_prints_the_result():
    done = blurlab("fit", "--scene", "three_modes", "--loss", "min_of_k", "--steps", "50")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["estimate"]["kind"] == "points" and np.shape(report["estimate"]["points"]) == (3, 1)


def test_losses_lists_every_loss_id():
    done = blurlab("losses")
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == list(LOSS_IDS)


def test_scenes_lists_the_bundled_scenes():
    done = blurlab("scenes")
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == bundled_scene_ids()


def test_a_missing_scene_file_exits_2_naming_the_problem(tmp_path):
    done = blurlab("fit", "--scene", str(tmp_path / "nowhere.json"), "--steps", "10")
    assert done.returncode == 2
    assert "nowhere.json" in done.stderr and "no such file" in done.stderr
    assert done.stdout == ""


def test_a_malformed_scene_file_exits_2_naming_the_key(tmp_path):
    scene = bundled_scene("sedan_or_suv").to_dict()
    scene["components"][1]["cov"] = [[-0.25]]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(scene), encoding="utf-8")
    done = blurlab("fit", "--scene", str(path), "--steps", "10")
    assert done.returncode == 2
    assert "bad.json" in done.stderr and "components[1].cov" in done.stderr and "positive definite" in done.stderr


def test_an_unknown_loss_exits_2():
    done = blurlab("fit", "--loss", "l3", "--steps", "10")
    assert done.returncode == 2 and "l3" in done.stderr


def test_a_diverging_fit_exits_1_and_says_why(tmp_path):
    out = tmp_path / "fit.json"
    done = blurlab("fit", "--loss", "l2", "--lr", "1e9", "--steps", "100", "--json", str(out))
    assert done.returncode == 1
    assert "learning rate" in done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["diverged"] is True and "learning rate" in report["message"]


# The JSON keys of every estimate kind, checked in-process (a subprocess per loss would be slow).
KEYS = {"point": {"mean", "cov"}, "gaussian": {"mean", "cov"}, "mixture": {"mean", "components"},
        "points": {"mean", "points"}, "samples": {"mean", "samples"}}


@pytest.mark.parametrize("loss", LOSS_IDS)
def test_fit_report_of_every_loss_is_strict_json_with_its_numbers(loss):
    scene = bundled_scene("style_and_colour").with_(samples=300)
    report = fit_report(scene, FitSettings(loss=loss), steps=5)
    text = json.dumps(report, allow_nan=False)  # NaN or Infinity would make the file unreadable elsewhere
    estimate = json.loads(text)["estimate"]
    assert KEYS[estimate["kind"]] <= set(estimate)
    assert len(estimate["mean"]) == 2
    assert report["loss"] == loss and len(report["loss_curve"]) == 5 and len(report["trajectory"]) == 6


# -- train: a network on real digits ------------------------------------------------------------------
def test_train_writes_the_json_result_and_the_pictures(tmp_path):
    out, pictures = tmp_path / "train.json", tmp_path / "pictures"
    done = blurlab("train", "--task", "bottom_half", "--loss", "l2", "--steps", "40", "--seed", "1",
                   "--json", str(out), "--images", str(pictures))
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["task"], report["loss"], report["steps"]) == ("bottom_half", "l2", 40)
    assert report["seconds"] > 0 and len(report["outputs"]) == 8
    first = report["outputs"][0]
    assert np.shape(first["images"]) == (1, 14, 28) and np.shape(first["top"]) == (14, 28)
    assert np.shape(first["target"]) == (14, 28) and np.shape(first["optimum"]) == (14, 28)
    assert 0.0 <= np.min(first["images"]) and np.max(first["images"]) <= 1.0
    assert {"mse", "blur", "sharpness", "real", "reads_as"} <= first["figures"]["images"][0].keys()
    assert first["figures"]["optimum"]["mse"] < first["figures"]["examples"][0]["mse"]  # L2's answer wins
    assert sorted(p.name for p in pictures.iterdir()) == ["examples.png", "optimum.png", "outputs.png", "targets.png"]


@pytest.mark.parametrize(("args", "named"), [
    (["--task", "cars", "--loss", "l2"], "--task"),
    (["--task", "digit_from_label", "--loss", "huber"], "--loss"),
    (["--task", "digit_from_label", "--loss", "l2", "--steps", "-1"], "--steps"),
    (["--task", "digit_from_label", "--loss", "l2_adversarial", "--adversarial-weight", "3"], "--adversarial-weight"),
])
def test_train_refuses_a_bad_argument_by_name(args, named):
    done = blurlab("train", *args)
    assert done.returncode == 2 and named in done.stderr and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
