"""Every loss ends where theory says, checked against an independent computation on the same samples.

The references are computed from the samples alone (numpy, scipy, and the EM, k-means and
reverse-KL minimisation in `engine_helpers`), never by the engine's own `stats` or `theory`;
the one figure taken from `theory`, the density fraction the app shows, is recomputed beside it.
"""

import numpy as np
import pytest
from scipy.stats import norm

from engine.model.theory import density_fraction
from tests.support.engine_helpers import (
    argmin_point,
    em_mixture,
    fit_scene,
    huber_objective,
    lloyd_kmeans,
    mahalanobis_to_components,
    match_rows,
    mean_distance,
    reverse_kl_optimum,
)


# -- point estimates ---------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "unequal_weights", "three_modes", "style_and_colour"])
def test_l2_ends_at_the_sample_mean(scene_id):
    run = fit_scene(scene_id, "l2", 1500)
    np.testing.assert_allclose(run.estimate.mean, run.samples.sum(axis=0) / len(run.samples), atol=1e-4)


@pytest.mark.parametrize("scene_id", ["unequal_weights", "three_modes", "unimodal"])
def test_l1_ends_at_the_sample_median_in_1d(scene_id):
    """With an even count every point between the two middle samples is a median: the fit must
    end in that interval, with half the samples on each side."""
    run = fit_scene(scene_id, "l1", 1500)
    x = np.sort(run.samples[:, 0])
    mid = len(x) // 2
    est = run.estimate.mean[0]
    assert x[mid - 1] - 1e-4 <= est <= x[mid] + 1e-4
    assert est == pytest.approx(np.median(x), abs=1e-2)
    assert np.mean(x < est) == pytest.approx(0.5, abs=0.002)


def test_l1_ends_at_the_geometric_median_in_2d():
    run = fit_scene("style_and_colour", "l1", 1500)
    expected = argmin_point(mean_distance, run.samples, run.samples.mean(axis=0))
    np.testing.assert_allclose(run.estimate.mean, expected, atol=1e-3)
    # The geometric median is not the coordinate-wise median here.
    assert np.linalg.norm(expected - np.median(run.samples, axis=0)) > 0.01


@pytest.mark.parametrize(("scene_id", "delta"), [("unequal_weights", 1.0), ("three_modes", 1.0),
                                                 ("style_and_colour", 1.0), ("style_and_colour", 3.0)])
def test_huber_ends_at_the_huber_m_estimate(scene_id, delta):
    run = fit_scene(scene_id, "huber", 1500, params={"huber_delta": delta})
    expected = argmin_point(lambda mu, x: huber_objective(mu, x, delta), run.samples, run.samples.mean(axis=0))
    np.testing.assert_allclose(run.estimate.mean, expected, atol=1e-3)
    assert huber_objective(run.estimate.mean, run.samples, delta) == pytest.approx(
        huber_objective(expected, run.samples, delta), rel=1e-6)


def test_huber_sits_between_mean_and_median_on_skewed_data():
    run = fit_scene("unequal_weights", "huber", 1500)
    mean, median = run.samples.mean(), np.median(run.samples)
    assert min(mean, median) + 0.05 < run.estimate.mean[0] < max(mean, median) - 0.05


# -- a Gaussian ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "style_and_colour"])
def test_gaussian_nll_ends_at_the_sample_mean_and_covariance(scene_id):
    run = fit_scene(scene_id, "gaussian_nll", 3000)
    x = run.samples
    mean = x.mean(axis=0)
    cov = (x - mean).T @ (x - mean) / len(x)  # maximum likelihood: 1/N, not 1/(N-1)
    assert run.estimate.kind == "gaussian"
    np.testing.assert_allclose(run.estimate.mean, mean, atol=1e-3)
    np.testing.assert_allclose(run.estimate.cov, cov, atol=5e-3)


# -- mixtures and clusters -------------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "three_modes", "unimodal", "style_and_colour"])
def test_mixture_nll_ends_at_the_maximum_likelihood_mixture(scene_id):
    run = fit_scene(scene_id, "mixture_nll", 2000)
    est = run.estimate
    weights, means, covs = em_mixture(run.samples, run.mixture)
    order = [int(np.argmin(np.linalg.norm(est.means - m, axis=1))) for m in means]
    assert sorted(order) == list(range(len(means))), "two fitted components on one data component"
    np.testing.assert_allclose(est.means[order], means, atol=0.01)
    np.testing.assert_allclose(est.weights[order], weights, atol=0.01)
    np.testing.assert_allclose(est.covs[order], covs, atol=0.01)
    # ...which recovers every component the data was drawn from.
    np.testing.assert_allclose(est.means[order], run.mixture.means, atol=0.15)


@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "three_modes", "style_and_colour"])
def test_min_of_k_ends_at_the_k_means_centres(scene_id):
    run = fit_scene(scene_id, "min_of_k", 1500)
    k = len(run.mixture.components)
    centres, best_cost = lloyd_kmeans(run.samples, k)
    points = run.estimate.points
    assert points.shape == (k, run.mixture.dim)
    np.testing.assert_allclose(match_rows(points, centres), centres, atol=0.01)
    cost = ((run.samples[:, None, :] - points[None]) ** 2).sum(-1).min(axis=1).mean()
    assert cost <= best_cost * (1 + 1e-4)


# -- mode seeking -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "unequal_weights", "three_modes", "style_and_colour"])
def test_reverse_kl_ends_on_one_mode_with_its_spread(scene_id):
    run = fit_scene(scene_id, "reverse_kl", 2000, tail=300)
    # Its gradient is a Monte Carlo estimate, so average the last steps' estimates.
    mean = np.mean([e.mean for e in run.tail], axis=0)
    cov = np.mean([e.cov for e in run.tail], axis=0)
    distances = mahalanobis_to_components(mean[None, :], run.mixture)[0]
    k = int(distances.argmin())
    comp = run.mixture.components[k]
    assert distances[k] < 0.2, f"mean {mean} is not on a mode"
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), comp.std, rtol=0.1)
    expected_mean, expected_cov = reverse_kl_optimum(run.mixture, comp.mean, comp.cov)
    np.testing.assert_allclose(mean, expected_mean, atol=0.03)
    np.testing.assert_allclose(cov, expected_cov, atol=0.02)


# -- adversarial ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("scene_id", "within", "populated"), [("sedan_or_suv", 0.8, 0.5), ("style_and_colour", 0.6, 0.25)])
def test_adversarial_samples_land_on_every_mode(scene_id, within, populated):
    """A perfect generator puts 95% (1-D) or 86% (2-D) of its samples within two standard deviations
    of a component, a Gaussian blur over the modes about 15% in 2-D; mode collapse leaves a component
    (nearly) empty. The bounds leave room for a GAN's wobble from one machine's arithmetic to another's."""
    run = fit_scene(scene_id, "adversarial", 2500)
    samples = run.fit.sample_model(4000)
    distances = mahalanobis_to_components(samples, run.mixture)
    near = distances.min(axis=1) < 2.0
    assert near.mean() >= within
    share = np.bincount(distances.argmin(axis=1)[near], minlength=len(run.mixture.components)) / len(samples)
    assert np.all(share >= populated * run.mixture.weights), f"shares {share} for weights {run.mixture.weights}"


# -- the product's central claim -----------------------------------------------------------------------------
def test_l2_prediction_lands_where_almost_no_data_is():
    """On the symmetric sedan-or-SUV scene the mean is a car nobody drives."""
    run = fit_scene("sedan_or_suv", "l2", 1500, samples=4000)
    assert density_fraction(run.mixture, run.estimate.mean) < 0.1
    # The same number computed from scratch: the density there against the density at a mode.
    pdf = lambda x: sum(w * norm.pdf(x, c.mean[0], np.sqrt(c.cov[0, 0]))
                        for w, c in zip(run.mixture.weights, run.mixture.components))
    assert pdf(run.estimate.mean[0]) < 0.1 * pdf(run.mixture.means[:, 0]).max()


def test_l2_is_fine_when_the_data_has_one_mode():
    """The control case: with a single mode the mean is a typical sample."""
    run = fit_scene("unimodal", "l2", 1500)
    assert density_fraction(run.mixture, run.estimate.mean) > 0.9


@pytest.mark.parametrize("loss", ["reverse_kl", "min_of_k", "mixture_nll"])
def test_mode_seeking_losses_keep_a_sharp_answer(loss):
    """Where L2 blurs, these losses put their answer where the data is dense."""
    run = fit_scene("sedan_or_suv", loss, 1500)
    est = run.estimate
    places = {"reverse_kl": est.mean[None, :], "min_of_k": est.points, "mixture_nll": est.means}[loss]
    assert min(density_fraction(run.mixture, p) for p in places) > 0.5


# -- one unit for every loss figure: the curve meets its floor in the data's units ---------------------------
def _curve_and_floor(scene, loss_id: str, steps: int) -> tuple[float, float]:
    """A headless fit as `blurlab fit` runs it (in the scene's fit units), to its curve's last value, and the
    floor the window and the report compute from the samples in the data's units."""
    from engine.fit.fit import Fit, run
    from engine.model.losses import loss_info
    from engine.model.settings import FitSettings

    samples, settings = scene.draw(), FitSettings(loss=loss_id, seed=scene.seed)
    fit = Fit(samples, scene.mixture, settings, span=scene.span)
    for snap in run(fit, steps=steps):
        assert not snap.diverged, snap.message
    assert snap.loss == fit.loss_history()[-1]  # the readout's number is the curve's
    return float(snap.loss), loss_info(loss_id).floor_on(scene.mixture, samples, settings).value


def _imported(tmp_path):
    """A table of the user's own: two columns on very different scales (grams and metres)."""
    from engine.model.data_scene import command_line_scene

    rng = np.random.default_rng(5)
    grams = np.concatenate([rng.normal(3200, 300, 300), rng.normal(4600, 250, 200)])
    metres = 0.002 * grams + rng.normal(0, 0.4, 500)
    path = tmp_path / "mine.csv"
    path.write_text("grams,metres\n" + "".join(f"{g:.6f},{m:.6f}\n" for g, m in zip(grams, metres)))
    return command_line_scene(path, None)


def _scenes():
    from engine.model.scene import bundled_scene_ids

    return [*bundled_scene_ids(), "imported"]


@pytest.mark.parametrize("scene_id", _scenes())
def test_the_l2_curve_ends_on_its_floor_in_the_data_s_units_on_every_scene(scene_id, tmp_path):
    from engine.model.scene import bundled_scene

    scene = _imported(tmp_path) if scene_id == "imported" else bundled_scene(scene_id).with_(samples=1000)
    end, floor = _curve_and_floor(scene, "l2", 3000)
    assert end == pytest.approx(floor, rel=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("loss_id", ["l1", "huber", "gaussian_nll", "mixture_nll", "min_of_k"])
@pytest.mark.parametrize("scene_id", ["penguin_flippers", "old_faithful_2d", "imported"])
def test_every_loss_s_curve_ends_on_its_floor_on_real_data(scene_id, loss_id, tmp_path):
    from engine.model.scene import bundled_scene

    scene = _imported(tmp_path) if scene_id == "imported" else bundled_scene(scene_id)
    end, floor = _curve_and_floor(scene, loss_id, 4000)
    if loss_id == "mixture_nll":  # the data's own mixture is the floor only about: a fit may beat it a little
        assert end == pytest.approx(floor, abs=0.05)
    else:
        assert end == pytest.approx(floor, rel=2e-3)
