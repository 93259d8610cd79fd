"""`blurlab fit`'s account of why: the landscape, the modes a distribution covers, its JS divergence and
the annealed mean at --temperature, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.commands.fit_report import fit_report
from engine.fit.fit import FitSettings
from engine.model.scene import bundled_scene
from tests.support.engine_helpers import huber_objective

ROOT = Path(__file__).resolve().parents[2]


def blurlab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_fit_reports_the_landscape_and_the_annealed_mean_of_a_mixture(tmp_path):
    out = tmp_path / "fit.json"
    done = blurlab("fit", "--scene", "unequal_weights", "--loss", "mixture_nll", "--steps", "400",
                   "--temperature", "0.38", "--json", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "landscape" not in report and "one prediction" in report["no_landscape"]
    assert (report["modes_covered"], report["modes_total"]) == (2, 2)
    assert 0 <= report["js_divergence"] < 0.05
    annealed = report["annealed_mean"]
    assert len(annealed) == 1 and report["estimate"]["mean"][0] > annealed[0] > -2.05  # towards the sedans


def test_temperature_for_a_loss_of_one_point_is_refused_by_name():
    done = blurlab("fit", "--loss", "l2", "--steps", "1", "--temperature", "0.38")
    assert done.returncode == 2 and "--temperature" in done.stderr and "l2" in done.stderr
    done = blurlab("fit", "--loss", "adversarial", "--steps", "1", "--temperature", "0")
    assert done.returncode == 2 and "--temperature: must be a positive number" in done.stderr


def test_a_1d_landscape_is_an_axis_and_a_loss_lowest_at_the_huber_estimate():
    scene = bundled_scene("unequal_weights").with_(samples=1500)
    report = fit_report(scene, FitSettings(loss="huber"), steps=5)
    land = report["landscape"]
    assert len(land["axis"]) == len(land["loss"]) > 100 and np.all(np.diff(land["axis"]) > 0)
    samples = scene.draw()
    i = 37
    assert land["loss"][i] == pytest.approx(huber_objective(np.array([land["axis"][i]]), samples, 1.0), rel=1e-4)
    assert "modes_covered" not in report and "annealed_mean" not in report  # a point is not a distribution


def test_a_2d_landscape_has_its_rows_along_y():
    scene = bundled_scene("style_and_colour").with_(samples=1000)
    report = fit_report(scene, FitSettings(loss="l2"), steps=5)
    land = report["landscape"]
    x, y, loss = np.array(land["x"]), np.array(land["y"]), np.array(land["loss"])
    assert loss.shape == (len(y), len(x))
    samples = scene.draw()
    j, i = 3, 30  # row j is y[j], column i is x[i]
    expected = ((samples - [x[i], y[j]]) ** 2).sum(axis=1).mean()
    assert loss[j, i] == pytest.approx(expected, rel=1e-4)
    np.testing.assert_allclose(land["minimum"], samples.mean(axis=0), atol=2e-3)
