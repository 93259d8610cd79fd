"""Gaussian mixtures: sampling, density, moments, median and modes, against scipy and large samples."""

import numpy as np
import pytest
from scipy import integrate, optimize, signal
from scipy.stats import norm

from engine.model.mixture import Component, Mixture
from engine.model.scene import bundled_scene, bundled_scene_ids

ONE_D = [sid for sid in bundled_scene_ids() if bundled_scene(sid).dim == 1]
TWO_D = [sid for sid in bundled_scene_ids() if bundled_scene(sid).dim == 2]


def mixture_of(scene_id: str) -> Mixture:
    return bundled_scene(scene_id).mixture


def scipy_cdf(mixture: Mixture, x: float) -> float:
    return float(sum(w * norm.cdf(x, c.mean[0], np.sqrt(c.cov[0, 0])) for w, c in zip(mixture.weights, mixture.components)))


# -- sampling -----------------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_same_seed_gives_the_same_samples(scene_id):
    mixture = mixture_of(scene_id)
    a, b = mixture.sample(500, seed=7), mixture.sample(500, seed=7)
    assert a.shape == (500, mixture.dim)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_another_seed_gives_other_samples(scene_id):
    mixture = mixture_of(scene_id)
    assert not np.allclose(mixture.sample(500, seed=7), mixture.sample(500, seed=8))


@pytest.mark.parametrize("scene_id", bundled_scene_ids())
def test_sample_moments_match_the_mixture_moments(scene_id):
    mixture = mixture_of(scene_id)
    n = 200_000
    x = mixture.sample(n, seed=1)
    cov = mixture.cov()
    # Five standard errors: a seed that fails this is one in a few million.
    np.testing.assert_allclose(x.mean(axis=0), mixture.mean(), rtol=0, atol=5 * np.sqrt(np.diag(cov).max() / n))
    np.testing.assert_allclose(np.cov(x.T, bias=True).reshape(cov.shape), cov, rtol=0, atol=0.03 * np.abs(cov).max())


def test_weights_decide_how_many_samples_each_component_gets():
    mixture = mixture_of("unequal_weights")
    x = mixture.sample(100_000, seed=3)
    share_left = np.mean(x[:, 0] < 0)
    assert share_left == pytest.approx(0.7, abs=0.01)


# -- density ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("scene_id", ONE_D)
def test_density_integrates_to_one_in_1d(scene_id):
    mixture = mixture_of(scene_id)
    lo, hi = mixture.bounds(10.0)
    grid = np.linspace(lo[0], hi[0], 20001)
    assert integrate.trapezoid(mixture.pdf(grid[:, None]), grid) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("scene_id", TWO_D)
def test_density_integrates_to_one_in_2d(scene_id):
    mixture = mixture_of(scene_id)
    lo, hi = mixture.bounds(8.0)
    gx, gy = np.linspace(lo[0], hi[0], 401), np.linspace(lo[1], hi[1], 401)
    xx, yy = np.meshgrid(gx, gy, indexing="ij")
    values = mixture.pdf(np.stack([xx.ravel(), yy.ravel()], axis=1)).reshape(xx.shape)
    total = integrate.trapezoid(integrate.trapezoid(values, gy, axis=1), gx)
    assert total == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("scene_id", ONE_D)
def test_density_matches_scipy(scene_id):
    mixture = mixture_of(scene_id)
    x = np.linspace(-6, 6, 97)
    expected = sum(w * norm.pdf(x, c.mean[0], np.sqrt(c.cov[0, 0])) for w, c in zip(mixture.weights, mixture.components))
    np.testing.assert_allclose(mixture.pdf(x[:, None]), expected, rtol=1e-10, atol=1e-300)


def test_unnormalised_weights_are_normalised():
    mixture = Mixture((Component(3.0, [0.0], [[1.0]]), Component(1.0, [4.0], [[1.0]])))
    np.testing.assert_allclose(mixture.weights, [0.75, 0.25])


# -- median and modes -----------------------------------------------------------------------------------
# Scenes whose median is unique: the density there is far from zero.
WELL_DEFINED_MEDIAN = ["three_modes", "unequal_weights", "unimodal"]


@pytest.mark.parametrize("scene_id", ONE_D)
def test_1d_median_splits_the_mass_in_half(scene_id):
    """Also on symmetric scenes, where the CDF is flat at one half across the valley."""
    mixture = mixture_of(scene_id)
    assert scipy_cdf(mixture, mixture.median()[0]) == pytest.approx(0.5, abs=1e-9)


@pytest.mark.parametrize("scene_id", WELL_DEFINED_MEDIAN)
def test_1d_median_is_the_root_of_the_cdf(scene_id):
    mixture = mixture_of(scene_id)
    lo, hi = mixture.bounds(8.0)
    expected = optimize.brentq(lambda x: scipy_cdf(mixture, x) - 0.5, lo[0], hi[0], xtol=1e-12)
    assert mixture.median()[0] == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("scene_id", WELL_DEFINED_MEDIAN)
def test_1d_median_agrees_with_a_huge_sample(scene_id):
    mixture = mixture_of(scene_id)
    x = mixture.sample(400_000, seed=5)[:, 0]
    # The sample median's standard error is 1 / (2 f(m) sqrt(n)); allow five of them.
    m = mixture.median()
    f = mixture.pdf(m[None, :])[0]
    assert np.median(x) == pytest.approx(m[0], abs=5 / (2 * f * np.sqrt(len(x))))


def grid_modes_1d(mixture: Mixture) -> np.ndarray:
    lo, hi = mixture.bounds(5.0)
    grid = np.linspace(lo[0], hi[0], 200_001)
    density = sum(w * norm.pdf(grid, c.mean[0], np.sqrt(c.cov[0, 0])) for w, c in zip(mixture.weights, mixture.components))
    return grid[signal.argrelmax(density)[0]]


@pytest.mark.parametrize(("scene_id", "count"), [("sedan_or_suv", 2), ("three_modes", 3), ("unimodal", 1),
                                                 ("unequal_weights", 2), ("ball_next_frame", 2)])
def test_modes_are_the_local_maxima_of_the_1d_density(scene_id, count):
    mixture = mixture_of(scene_id)
    modes = mixture.modes()
    expected = grid_modes_1d(mixture)
    assert len(modes) == len(expected) == count
    np.testing.assert_allclose(modes[:, 0], expected, atol=1e-3)


def test_overlapping_components_make_one_mode():
    """Two components closer than two standard deviations merge into a single bump."""
    mixture = Mixture((Component(0.5, [-0.5], [[1.0]]), Component(0.5, [0.5], [[1.0]])))
    np.testing.assert_allclose(mixture.modes(), [[0.0]], atol=1e-6)


def test_2d_modes_are_local_maxima():
    mixture = mixture_of("style_and_colour")
    modes = mixture.modes()
    assert len(modes) == 4
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    ring = 1e-3 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for mode in modes:
        assert np.all(mixture.pdf(mode + ring) < mixture.pdf(mode[None, :])[0])
    # Each mode belongs to a different component.
    nearest = np.linalg.norm(modes[:, None, :] - mixture.means[None], axis=-1).argmin(axis=1)
    assert sorted(nearest) == [0, 1, 2, 3]


@pytest.mark.parametrize("scene_id", ONE_D)
def test_peak_density_is_the_highest_density(scene_id):
    mixture = mixture_of(scene_id)
    lo, hi = mixture.bounds(4.0)
    grid = np.linspace(lo[0], hi[0], 100_001)[:, None]
    assert mixture.peak_density() == pytest.approx(mixture.pdf(grid).max(), rel=1e-6)


# -- construction ------------------------------------------------------------------------------
def test_a_mixture_needs_a_component():
    with pytest.raises(ValueError, match="at least one component"):
        Mixture(())


def test_components_must_share_a_dimension():
    with pytest.raises(ValueError, match="same dimension"):
        Mixture((Component(1.0, [0.0], [[1.0]]), Component(1.0, [0.0, 0.0], np.eye(2))))


def test_component_arrays_are_read_only_copies():
    mean = np.array([1.0])
    comp = Component(1.0, mean, [[1.0]])
    mean[0] = 5.0
    assert comp.mean[0] == 1.0
    with pytest.raises(ValueError):
        comp.mean[0] = 2.0


def test_moving_a_component_leaves_the_mixture_untouched():
    mixture = mixture_of("sedan_or_suv")
    moved = mixture.with_component(0, mixture.components[0].moved(mean=[-1.0]))
    assert mixture.means[0, 0] == -2.0
    assert moved.means[0, 0] == -1.0
    assert len(moved.added(Component(1.0, [0.0], [[1.0]])).components) == 3
    assert len(moved.removed(0).components) == 1
