"""The loss registry: each loss's facts in one entry, and everything that reads them agrees with it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.fit.fit import Fit
from engine.fit.models import Model, model_class
from engine.model.losses import LOSS_IDS, LOSSES, PIXEL_LOSSES, absolute, huber, loss_info, squared
from engine.model.scene import bundled_scene
from engine.model.settings import FitSettings
from engine_helpers import torch_on_one_thread  # noqa: F401  (an autouse fixture)


def test_ids_are_the_catalogue_of_the_brief_in_its_order():
    assert LOSS_IDS == ("l2", "l1", "huber", "gaussian_nll", "mixture_nll", "reverse_kl", "adversarial", "min_of_k")
    assert PIXEL_LOSSES == ("l2", "l1", "huber", "gaussian_nll")


@pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: loss.id)
def test_every_entry_names_a_model_class_that_gives_its_kind_of_estimate(loss):
    cls = model_class(loss)
    assert issubclass(cls, Model)
    scene = bundled_scene("three_modes").with_(samples=300)
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss=loss.id))
    assert isinstance(fit.estimate, loss.estimate) and fit.estimate.kind == loss.kind
    assert fit.settings.learning_rate == loss.lr
    assert loss.title and loss.explanation and loss.model and loss.ends_at
    assert (loss.pixel is None) == bool(loss.answer)  # an answer in pixels, or a title for decoded ones
    optimum = loss.optimum(scene.mixture, scene.draw(), fit.settings)
    assert optimum["what"] and optimum["kind"]


def test_a_misnamed_model_class_is_a_clear_error():
    from dataclasses import replace

    with pytest.raises(KeyError, match="no model class 'PointModle'"):
        model_class(replace(loss_info("l2"), model_class="PointModle"))


@pytest.mark.parametrize("penalty", [squared, absolute, huber], ids=lambda f: f.__name__)
def test_a_penalty_gives_the_same_numbers_on_arrays_and_on_tensors(penalty):
    s = np.array([0.0, 0.01, 0.25, 1.0, 4.0, 9.0])
    on_arrays = penalty(s, 1.0)
    on_tensors = penalty(torch.tensor(s), 1.0).numpy()
    np.testing.assert_allclose(on_arrays, on_tensors, rtol=1e-12, atol=1e-12)


def test_the_penalties_are_the_textbook_ones():
    a = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    s = a**2
    np.testing.assert_allclose(squared(s, 1.0), a**2)
    np.testing.assert_allclose(absolute(s, 1.0), a, atol=1e-6)
    textbook = np.where(a <= 1.0, 0.5 * a**2, 1.0 * (a - 0.5))
    np.testing.assert_allclose(huber(s, 1.0), textbook, atol=1e-6)


@pytest.mark.parametrize("loss", [loss for loss in LOSSES if loss.pixel], ids=lambda loss: loss.id)
def test_a_pixel_objective_names_a_loss_of_torch(loss):
    assert callable(getattr(torch.nn.functional, loss.pixel.function))


def test_the_pixel_fit_s_gaussian_likelihood_is_torch_s():
    from engine.fit.pixel import gaussian_nll

    gen = torch.Generator().manual_seed(0)
    data, image = torch.rand(5, 4, 6, 3, generator=gen), torch.rand(4, 6, 3, generator=gen)
    log_var = torch.randn(4, 6, 3, generator=gen)
    expected = torch.nn.functional.gaussian_nll_loss(image.expand_as(data), data, torch.exp(log_var).expand_as(data))
    assert float(gaussian_nll(image, data, log_var)) == pytest.approx(float(expected), rel=1e-5)


def test_the_one_dimensional_ends_at_drops_the_two_dimensional_note():
    l1 = loss_info("l1")
    assert l1.ends_at_in(1) == "the median" and "geometric" in l1.ends_at_in(2)


def test_an_unknown_loss_names_the_choices():
    with pytest.raises(KeyError, match="l2, l1, huber"):
        loss_info("l3")
