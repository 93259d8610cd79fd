"""Your own points as the data: the fit trains on them (L2 ends at numpy's mean, L1 at the median), EM
recovers planted components, the KDE matches direct kernel sums, scene and session files keep the
points exactly, and the command line takes --data and --columns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import gaussian_kde

from engine.fit.fit import Fit, FitSettings, run
from engine.io.values import InvalidValue
from engine.maths.gmm import fit_gaussian_mixture
from engine.maths.kde import Kde
from engine.model.data_scene import load_data, repainted, scene_from_points
from engine.model.points import PointSet
from engine.model.scene import MAX_SAMPLES, SceneError, bundled_scene, loads
from engine.model.session import dumps_session, loads_session, session_from_scene
from engine.model.settings import FitSettings as Settings

ROOT = Path(__file__).resolve().parents[2]


def _bimodal(n: int = 600, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(1.5, 0.3, n // 3), rng.normal(6.0, 0.6, n - n // 3)])[:, None]


def _fit(scene, loss: str, steps: int, lr: float | None = None) -> np.ndarray:
    """The fit as the window and `fit --data` run it: in the decoder's units, reported in the data's."""
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss=loss, lr=lr), span=scene.span)
    for _ in run(fit, steps=steps):
        pass
    assert fit.trajectory()[-1] == pytest.approx(fit.estimate.mean)
    return fit.estimate.mean


def test_the_fit_trains_on_the_points_themselves():
    points = _bimodal()
    scene = scene_from_points(points, ("minutes",), "mine.csv")
    np.testing.assert_array_equal(np.sort(scene.draw(), axis=0), np.sort(points, axis=0))
    assert scene.mixture.components[0].label.startswith("minutes ")
    # L2's answer is numpy's mean of the points, L1's their median: not the fitted mixture's
    np.testing.assert_allclose(_fit(scene, "l2", 3000, lr=0.05), points.mean(axis=0), atol=2e-3)
    np.testing.assert_allclose(_fit(scene, "l1", 4000, lr=0.02), np.median(points, axis=0), atol=0.03)


def test_in_2d_l2_ends_at_the_mean_of_the_points():
    rng = np.random.default_rng(5)
    points = np.concatenate([rng.normal([0, 10], [0.5, 2.0], (150, 2)), rng.normal([4, 30], [0.5, 2.0], (250, 2))])
    scene = scene_from_points(points, ("a", "b"), "two.csv")
    np.testing.assert_allclose(_fit(scene, "l2", 3000, lr=0.05), points.mean(axis=0), rtol=2e-3)


def test_em_recovers_planted_components():
    rng = np.random.default_rng(11)
    truth = [(0.3, [-3.0, 0.0], 0.4), (0.5, [2.0, 1.0], 0.7), (0.2, [0.0, 5.0], 0.5)]
    parts = [rng.normal(m, s, (int(4000 * w), 2)) for w, m, s in truth]
    weights, means, covs = fit_gaussian_mixture(np.concatenate(parts))
    assert len(weights) == 3  # BIC picks the planted number
    order = np.argsort(means[:, 0])
    expected = sorted(truth, key=lambda t: t[1][0])
    np.testing.assert_allclose(weights[order], [t[0] for t in expected], atol=0.03)
    np.testing.assert_allclose(means[order], [t[1] for t in expected], atol=0.08)
    np.testing.assert_allclose(np.sqrt(covs[order][:, [0, 1], [0, 1]]), [[t[2]] * 2 for t in expected], rtol=0.1)


def test_one_planted_component_gives_one_mixture_component():
    points = np.random.default_rng(2).normal(10.0, 2.0, (800, 1))
    weights, means, _ = fit_gaussian_mixture(points)
    assert len(weights) == 1 and means[0, 0] == pytest.approx(10.0, abs=0.2)


def test_the_kde_matches_direct_kernel_sums():
    x = _bimodal(400)
    kde = Kde(x)
    grid = np.linspace(-1, 9, 61)
    reference = gaussian_kde(x[:, 0], bw_method=kde.h[0] / x[:, 0].std(ddof=1))(grid)
    np.testing.assert_allclose(kde.pdf(grid[:, None]), reference, atol=2e-3 * reference.max())
    rng = np.random.default_rng(4)
    xy = np.concatenate([rng.normal([-2, 0], [0.5, 1.0], (300, 2)), rng.normal([2, 1], [0.7, 0.3], (300, 2))])
    kde2 = Kde(xy, spread=[0.6, 0.5])
    at = rng.normal(size=(30, 2)) * 2
    d = (at[:, None, :] - xy[None]) / kde2.h
    direct = np.exp(-0.5 * (d**2).sum(-1)).sum(1) / (len(xy) * 2 * np.pi * kde2.h.prod())
    np.testing.assert_allclose(kde2.pdf(at), direct, atol=5e-3 * direct.max())  # binned: within 0.5% of the peak


def test_a_points_scene_round_trips_through_a_session_exactly():
    points = _bimodal(50) + 1 / 3  # numbers with long binary expansions
    scene = scene_from_points(points, ("height",), "heights.tsv", seed=4)
    session = session_from_scene(scene, Settings(lr=0.01), speed=2.0)
    text = dumps_session(session)
    back = loads_session(text)
    np.testing.assert_array_equal(back.scene.points.values, points)
    np.testing.assert_array_equal(back.scene.draw(), scene.draw())
    assert back.scene.points.axes == ("height",) and back.scene.points.span == scene.points.span
    assert back.settings.lr == 0.01 and back.speed == 2.0
    assert json.loads(text)["components"]  # still a scene file of the contract, with its mixture
    assert dumps_session(back) == text


def test_switching_to_the_mixtures_samples_is_saved_too():
    scene = scene_from_points(_bimodal(60), ("x",), "x.csv")
    off = scene.with_(points=scene.points.with_(active=False))
    back = loads(json.dumps(off.to_dict()))
    assert not back.points.active and back.draw().shape == (scene.samples, 1)


def test_a_bundled_data_scene_refers_to_its_file_by_checksum():
    scene = bundled_scene("old_faithful")
    assert len(scene.points) == 272 and scene.points.file == "old_faithful.csv"
    data = scene.to_dict()
    assert "values" not in data["points"]
    data["points"]["sha256"] = "0" * 64
    with pytest.raises(SceneError, match="points.sha256: the bundled old_faithful.csv is not the file"):
        loads(json.dumps(data))
    painted = repainted(scene, scene.points.values[:100])
    assert "values" in painted.to_dict()["points"]  # edited points are no longer the file's: embedded


@pytest.mark.parametrize(("points", "message"), [
    ({"values": [1.0, "x"]}, r"points.values\[1\]: expected a number"),
    ({"values": [[1.0, 2.0], [3.0]]}, r"points.values\[1\]: expected a point of 2 number"),
    ({"values": [1.0]}, "expected at least 2 points"),
    ({"values": [1.0, 2.0], "use": "both"}, "points.use"),
    ({"values": [1.0, 2.0], "colour": 1}, "points.colour: unknown key"),
    ({"values": [1.0, 2.0], "\n": 1}, r'^points\."\\n": unknown key'),  # one line, even for a newline key
    ({"file": "nothing.csv"}, "BlurLab ships no data file 'nothing.csv'"),
    ({"values": [1.0, 2.0], "span": [[3.0, 1.0]]}, r"points.span\[0\]: expected low below high"),
])
def test_bad_points_in_a_scene_file_name_the_key(points, message):
    data = bundled_scene("sedan_or_suv").to_dict()
    if "values" in points and points["values"] and isinstance(points["values"][0], list):
        data = bundled_scene("style_and_colour").to_dict()
    data["points"] = points
    with pytest.raises(SceneError, match=message):
        loads(json.dumps(data))


def test_a_million_points_are_subsampled_for_the_fit():
    values = np.random.default_rng(0).normal(size=(MAX_SAMPLES + 5000, 1))
    points = PointSet(values, ("x",))
    used = points.used(MAX_SAMPLES, seed=1)
    assert used.shape == (MAX_SAMPLES, 1) and np.isin(used[:, 0], values[:, 0]).all()
    np.testing.assert_array_equal(used, points.used(MAX_SAMPLES, seed=1))


def test_points_with_no_spread_are_refused(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text("x\n2\n2\n2\n")
    with pytest.raises(InvalidValue, match="every value of x is 2"):
        load_data(path)


def _main(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_fit_with_data_reports_the_mean_of_the_points(tmp_path):
    points = _bimodal(300)
    path = tmp_path / "mine.csv"
    path.write_text("id,minutes\n" + "".join(f"{i},{float(v)!r}\n" for i, v in enumerate(points[:, 0])))
    done = _main("fit", "--data", str(path), "--columns", "minutes", "--loss", "l2", "--steps", "2500",
                 "--json", str(tmp_path / "out.json"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["optimum"]["mean"] == pytest.approx(points.mean(axis=0).tolist(), abs=1e-12)
    assert report["estimate"]["mean"][0] == pytest.approx(points.mean(), abs=0.02)
    assert report["data"]["points"] == 300 and report["data"]["axes"] == ["minutes"]
    assert report["markers"]["median"] == pytest.approx(np.median(points, axis=0).tolist())
    assert 0 < report["density_at_estimate"] < 0.2  # the mean of two clumps is where few points are


@pytest.mark.parametrize("command", [["fit"], ["export", "--out", "x.png"], []])
def test_a_bad_data_file_is_one_line_naming_line_and_column_and_exit_2(tmp_path, command):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3,abc\n")
    done = _main(*command, "--data", str(path), cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == ["blurlab: error: bad.csv, line 3, column 2 (b): 'abc' is not a number"]


def test_the_fit_in_decoder_units_reports_every_kind_of_estimate_in_the_data_units():
    from engine.model.estimate import MixtureEstimate, PointEstimate
    from engine.model.units import Units

    units = Units.of(((10.0, 30.0), (-1.0, 1.0)))  # [-2, 2] becomes [10, 30] and [-1, 1]
    np.testing.assert_allclose(units.outward([[-2.0, -2.0], [2.0, 2.0]]), [[10, -1], [30, 1]])
    np.testing.assert_allclose(units.inward(units.outward([[0.3, -0.7]])), [[0.3, -0.7]])
    point = units.estimate_outward(PointEstimate([0.0, 2.0]))
    np.testing.assert_allclose(point.mean, [20.0, 1.0])
    np.testing.assert_allclose(point.bells()[0][2], np.diag([25.0, 0.25]))  # the fixed variance, scaled
    mix = units.estimate_outward(MixtureEstimate([0.0, 0.0], weights=[0.5, 0.5], means=[[-2, 0], [2, 0]],
                                                 covs=[np.eye(2), 4 * np.eye(2)]))
    np.testing.assert_allclose(mix.means, [[10, 0], [30, 0]])
    np.testing.assert_allclose(mix.covs[1], np.diag([100.0, 1.0]))


def test_a_new_scene_of_another_dimension_and_units_reaches_the_fit_service_in_one_piece():
    """The window sends a new scene as Decoder (with its span), Data, Settings, Reset: from a 1-D mixture
    scene to 2-D points, the span must not be applied to the old 1-D data."""
    from engine.fit.protocol import Data, Decoder, Reset, Step
    from engine.fit.protocol import Settings as NewSettings
    from engine.fit.service import FitService

    old = bundled_scene("three_modes")
    service = FitService(old.draw(), old.mixture, Settings(), clock=lambda: 0.0)
    new = bundled_scene("old_faithful_2d")
    for command in (Decoder(new.decoder, new.span), Data(new.draw(), new.mixture), NewSettings(Settings()),
                    Reset("fit"), Step("fit", 300)):
        service.handle(command)
    events = service.tick()
    assert [type(e).__name__ for e in events] == ["Frame"]
    snap = events[0].snapshot
    assert snap.step == 300 and snap.estimate.dim == 2
    np.testing.assert_allclose(snap.estimate.mean, new.draw().mean(axis=0), rtol=0.02)


@pytest.mark.parametrize("points", [np.array([[3.0], [3.0 + 1e-9], [3.0]]), np.full((5, 2), -1.0)])
def test_the_kde_of_nearly_identical_points_is_a_density_on_its_own_grid(points):
    """A few points left after erasing: the kernel is wider than the grid, and the density still fits it."""
    kde = Kde(points)
    assert kde.grid.shape == (len(kde.axes[0]),) * points.shape[1]
    at = points[:1]
    assert kde.pdf(at)[0] == pytest.approx(kde.peak_density(), rel=0.05)
    assert kde.pdf(at + 100.0)[0] == 0.0


def test_a_stroke_keeps_the_names_of_the_modes_the_refitted_mixture_still_has():
    scene = bundled_scene("style_and_colour")
    names = [c.label for c in scene.mixture.components]
    stroke = np.column_stack([np.linspace(-0.3, 0.3, 40), np.zeros(40)])  # a few points in the middle
    after = repainted(scene, np.vstack([scene.draw(), stroke]))
    kept = [c.label for c in after.mixture.components]
    assert set(names) <= set(kept), kept
    for old in scene.mixture.components:  # each name on the component that sits where it was
        new = next(c for c in after.mixture.components if c.label == old.label)
        assert np.linalg.norm(new.mean - old.mean) < old.std.min()


def test_a_name_goes_with_its_mode_only_and_a_name_of_a_place_is_not_kept():
    from engine.model.mixture import Component, Mixture
    from engine.model.points import keep_names

    cov = np.eye(1) * 0.25
    before = Mixture((Component(0.5, [-2.0], cov, "sedan"), Component(0.5, [2.0], cov, "at 2")))
    refit = Mixture((Component(0.4, [-1.9], cov, "at -1.9"), Component(0.3, [0.0], cov, "at 0"),
                     Component(0.3, [2.1], cov, "at 2.1")))
    assert [c.label for c in keep_names(refit, before).components] == ["sedan", "at 0", "at 2.1"]
    far = Mixture((Component(1.0, [-0.5], cov, "at -0.5"),))  # three standard deviations from the sedans
    assert [c.label for c in keep_names(far, before).components] == ["at -0.5"]
    two = Mixture((Component(0.5, [-2.1], cov, "at -2.1"), Component(0.5, [-1.95], cov, "at -1.95")))
    assert [c.label for c in keep_names(two, before).components] == ["at -2.1", "sedan"]  # the nearer one, once
