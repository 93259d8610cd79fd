"""The handles' maths: a component placed as handles and read back from them is the same component, and a
handle dragged anywhere asks for a valid component."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.model.handles import (MIN_SHARE, MIN_STD, ellipse, from_peak_handle, from_shape_handle,
                                  from_width_handle, marginal, peak_handle, shape_handle, width_handle, with_std)


@pytest.mark.parametrize(("share", "mean", "var"), [(0.5, -2.0, 0.25), (0.1, 3.5, 4.0), (0.9, 0.0, 0.01)])
def test_a_bell_read_back_from_its_handles_is_the_same_bell(share, mean, var):
    x, y = peak_handle(share, mean, var)
    assert from_peak_handle(x, y, var) == pytest.approx((mean, share))
    wx, wy = width_handle(share, mean, var)
    assert from_width_handle(wx, mean) == pytest.approx(math.sqrt(var))
    assert wy == pytest.approx(y * math.exp(-0.5))  # on the bell's flank, where the curve is drawn


def test_the_peak_handle_is_the_top_of_the_drawn_bell():
    share, mean, var = 0.3, 1.0, 0.5
    x, y = peak_handle(share, mean, var)
    grid = np.linspace(-3, 5, 8001)
    bell = share * np.exp(-0.5 * (grid - mean) ** 2 / var) / math.sqrt(2 * math.pi * var)
    assert grid[bell.argmax()] == pytest.approx(x, abs=1e-3) and bell.max() == pytest.approx(y, rel=1e-6)


@pytest.mark.parametrize("y", [-1.0, 0.0, 1e-9])
def test_a_peak_dragged_to_the_floor_or_below_keeps_a_positive_weight(y):
    assert from_peak_handle(0.0, y, 0.25)[1] == MIN_SHARE


def test_a_peak_dragged_sky_high_leaves_the_others_some_weight():
    assert from_peak_handle(0.0, 100.0, 0.25)[1] == 1 - MIN_SHARE


@pytest.mark.parametrize("x", [1.0, 1.0 + 1e-6, 1.0 - 1e-6])
def test_a_width_dragged_onto_the_mean_stays_grabbable(x):
    assert from_width_handle(x, 1.0) == MIN_STD


def test_a_width_dragged_past_the_mean_is_a_width_all_the_same():
    assert from_width_handle(-0.5, 1.0) == pytest.approx(1.5)


def test_a_marginal_width_keeps_the_correlation():
    cov = np.array([[1.0, 0.6], [0.6, 2.0]])
    new = with_std(cov, 0, 2.0)
    assert new[0, 0] == pytest.approx(4.0) and new[1, 1] == pytest.approx(2.0)
    corr = lambda c: c[0, 1] / math.sqrt(c[0, 0] * c[1, 1])  # noqa: E731
    assert corr(new) == pytest.approx(corr(cov))
    assert with_std(np.array([[0.25]]), 0, 0.0) == pytest.approx(np.array([[MIN_STD**2]]))


def test_a_marginal_is_each_component_along_one_axis():
    weights = np.array([1.0, 3.0])
    means = np.array([[0.0, 1.0], [2.0, -1.0]])
    covs = np.array([np.diag([0.5, 2.0]), np.diag([1.0, 3.0])])
    shares, mu, var = marginal(weights, means, covs, 1)
    assert shares == pytest.approx([0.25, 0.75]) and mu == pytest.approx([1.0, -1.0]) and var == pytest.approx([2.0, 3.0])


@pytest.mark.parametrize("cov", [np.array([[1.0, 0.0], [0.0, 0.25]]), np.array([[1.0, 0.8], [0.8, 1.0]]),
                                 np.array([[0.3, -0.2], [-0.2, 2.0]]), np.eye(2) * 0.5])
def test_an_ellipse_read_back_from_its_shape_handle_is_the_same_ellipse(cov):
    mean = np.array([1.0, -2.0])
    x, y = shape_handle(mean, cov)
    assert from_shape_handle(x, y, mean, cov) == pytest.approx(cov)


def test_the_shape_handle_sits_on_the_two_sigma_ellipse():
    mean, cov = np.array([0.5, 0.5]), np.array([[2.0, 0.7], [0.7, 0.6]])
    x, y = shape_handle(mean, cov)
    d = np.array([x, y]) - mean
    assert d @ np.linalg.solve(cov, d) == pytest.approx(4.0)
    xs, ys = ellipse(mean, cov, 2.0, points=721)
    assert np.min(np.hypot(xs - x, ys - y)) < 0.02


def test_a_shape_handle_dragged_anywhere_gives_a_valid_covariance():
    rng = np.random.default_rng(0)
    mean, cov = np.zeros(2), np.array([[1.0, 0.3], [0.3, 0.5]])
    for x, y in [(0.0, 0.0), (1e-12, 0.0), *rng.normal(0, 5, (50, 2))]:
        new = from_shape_handle(x, y, mean, cov)
        vals = np.linalg.eigvalsh(new)
        assert np.allclose(new, new.T) and vals.min() > 0 and math.sqrt(vals.max()) >= MIN_STD - 1e-12


def test_a_shape_handle_dragged_onto_the_centre_keeps_the_direction():
    cov = np.array([[2.0, 0.0], [0.0, 0.5]])
    new = from_shape_handle(0.0, 0.0, np.zeros(2), cov)
    assert new[0, 0] == pytest.approx(MIN_STD**2) and new[0, 1] == pytest.approx(0.0)
