"""The loss registry: every entry has what the app reads of a loss, and a loss defined outside the engine
is one `Loss(...)` registered, fitted headless like any other and ending where its theory says."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from scipy import optimize

from engine.commands.fit_report import fit_report
from engine.fit.fit import Fit, run
from engine.fit.models import Model, model_class
from engine.io.values import InvalidValue, positive
from engine.model import floors, landscape
from engine.model.estimate import POINT_MODEL, FittedModel
from engine.model.floors import Floor
from engine.model.losses import (IMAGE_LOSS_IDS, LOSS_IDS, PIXEL_LOSSES, Loss, absolute, checked, huber, loss_info,
                                 parameters, registered, registry, squared)
from engine.model.scene import bundled_scene
from engine.model.session import fit_defaults, parse_fit
from engine.model.settings import FitSettings, Param
from engine.model.theory import EndPoint

CATALOGUE = ("l2", "l1", "huber", "gaussian_nll", "mixture_nll", "reverse_kl", "adversarial", "min_of_k")
SCENES = {1: bundled_scene("three_modes").with_(samples=400), 2: bundled_scene("style_and_colour").with_(samples=400)}


def test_the_catalogue_s_stable_ids_are_all_there_in_the_brief_s_order():
    assert tuple(i for i in LOSS_IDS if i in CATALOGUE) == CATALOGUE
    assert len(set(LOSS_IDS)) == len(LOSS_IDS)
    assert set(PIXEL_LOSSES) == {loss.id for loss in registry() if loss.pixel}
    assert {"l2", "l1", "min_of_k", "adversarial"} <= set(IMAGE_LOSS_IDS)


@pytest.mark.parametrize("loss", registry(), ids=lambda loss: loss.id)
def test_every_entry_fits_a_model_that_gives_its_kind_of_estimate_at_its_own_step_size(loss):
    cls = model_class(loss)
    assert issubclass(cls, Model) and cls.fits is loss.fits
    scene = SCENES[1]
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss=loss.id))
    assert isinstance(fit.estimate, loss.estimate) and fit.estimate.kind == loss.kind
    assert fit.learning_rate == loss.lr and loss.steps_per_second(2.0) == 2 * loss.pace > 0
    assert all(s.step == i + 1 and math.isfinite(s.loss) for i, s in enumerate(run(fit, steps=3)))


@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize("loss", registry(), ids=lambda loss: loss.id)
def test_every_entry_has_an_end_point_a_floor_and_a_landscape_or_says_why_not(loss, dim):
    scene = SCENES[dim]
    samples, settings = scene.draw(), FitSettings(loss=loss.id)
    end = loss.end_point(scene.mixture, samples, settings)
    assert isinstance(end, EndPoint) and end.mean.shape == (dim,)
    assert set(end.to_json()) >= {"what", "mean"}
    json.dumps(end.to_json())  # JSON-ready
    floor = loss.floor_on(scene.mixture, samples, settings)
    assert isinstance(floor, Floor) and math.isfinite(floor.value) and floor.what
    reason = loss.landscape_reason(settings, scene.mixture)
    if reason:
        with pytest.raises(ValueError, match=reason[:20]):
            loss.landscape_on(samples, scene.mixture, settings, points=21)
    else:
        found = loss.landscape_on(samples, scene.mixture, settings, points=21)
        assert found.lowest <= float(found.loss.min()) + 1e-9
    # the words a user reads: where it ends, without the 2-D note in 1-D; one line of explanation
    assert "2-D" not in loss.ends_at_in(1) and "\n" not in loss.explanation


@pytest.mark.parametrize("loss", [loss for loss in registry() if loss.has_pulls], ids=lambda loss: loss.id)
def test_a_loss_of_one_point_has_its_floor_at_its_end_point_and_its_landscape_s_minimum_there(loss):
    scene = SCENES[1]
    samples, settings = scene.draw(), FitSettings(loss=loss.id)
    end = loss.end_point(scene.mixture, samples, settings)
    found = loss.landscape_on(samples, scene.mixture, settings)
    assert found.value_at(end.mean) == pytest.approx(loss.floor_on(scene.mixture, samples, settings).value, rel=1e-9)
    assert found.lowest == pytest.approx(found.value_at(end.mean), rel=1e-5)


def test_a_loss_without_a_model_class_is_a_clear_error():
    stray = Loss("stray", "Stray", "No class fits it.", model="nothing", ends_at="nowhere",
                 fits=FittedModel("nothing", POINT_MODEL.estimate))
    with pytest.raises(KeyError, match="no model class fits"):
        model_class(stray)


def test_a_part_that_names_a_parameter_its_loss_lacks_is_a_clear_error():
    def optimum(*, samples, gamma):
        return EndPoint("", samples.mean(axis=0))

    odd = Loss("odd", "Odd", "It names gamma.", model="a point", ends_at="?", fits=POINT_MODEL, optimum=optimum)
    scene = SCENES[1]
    with pytest.raises(TypeError, match="optimum takes gamma, which a loss does not supply"):
        odd.end_point(scene.mixture, scene.draw(), FitSettings(loss="odd"))


@pytest.mark.parametrize("penalty", [squared, absolute, huber], ids=lambda f: f.__name__)
def test_a_penalty_gives_the_same_numbers_on_arrays_and_on_tensors(penalty):
    s = np.array([0.0, 0.01, 0.25, 1.0, 4.0, 9.0])
    bound = loss_info({squared: "l2", absolute: "l1", huber: "huber"}[penalty]).penalty_for(FitSettings())
    np.testing.assert_allclose(bound(s), bound(torch.tensor(s)).numpy(), rtol=1e-12, atol=1e-12)


def test_the_penalties_are_the_textbook_ones_with_the_settings_parameters():
    a = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    s = a**2
    np.testing.assert_allclose(loss_info("l2").penalty_for(FitSettings())(s), a**2)
    np.testing.assert_allclose(loss_info("l1").penalty_for(FitSettings())(s), a, atol=1e-6)
    for delta in (1.0, 0.5):
        textbook = np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta))
        bound = loss_info("huber").penalty_for(FitSettings(loss="huber", params={"huber_delta": delta}))
        np.testing.assert_allclose(bound(s), textbook, atol=1e-6)


@pytest.mark.parametrize("loss", [loss for loss in registry() if loss.pixel], ids=lambda loss: loss.id)
def test_a_pixel_objective_names_a_loss_of_torch(loss):
    assert callable(getattr(torch.nn.functional, loss.pixel.function))


def test_the_pixel_fit_s_gaussian_likelihood_is_torch_s():
    from engine.fit.pixel import gaussian_nll

    gen = torch.Generator().manual_seed(0)
    data, image = torch.rand(5, 4, 6, 3, generator=gen), torch.rand(4, 6, 3, generator=gen)
    log_var = torch.randn(4, 6, 3, generator=gen)
    expected = torch.nn.functional.gaussian_nll_loss(image.expand_as(data), data, torch.exp(log_var).expand_as(data))
    assert float(gaussian_nll(image, data, log_var)) == pytest.approx(float(expected), rel=1e-5)


def test_an_unknown_loss_names_the_choices():
    with pytest.raises(KeyError, match="l2, l1, huber"):
        loss_info("l3")
    with pytest.raises(InvalidValue, match="^loss: unknown loss 'l3'"):
        checked(FitSettings(loss="l3"))


# -- a loss of the test's own ------------------------------------------------------------------------
PSEUDO_DELTA = Param("pseudo_delta", 1.0, positive, "pseudo-Huber's scale")


def pseudo_huber(s, *, pseudo_delta: float):
    """delta^2 (sqrt(1 + (r/delta)^2) - 1), of the squared residual length s = r^2."""
    return pseudo_delta**2 * ((1 + s / pseudo_delta**2) ** 0.5 - 1)


def _reference(samples: np.ndarray, delta: float) -> np.ndarray:
    """The pseudo-Huber M-estimate by scipy, from the samples alone."""
    def objective(mu):
        r2 = ((samples - mu) ** 2).sum(axis=1)
        return float((delta**2 * (np.sqrt(1 + r2 / delta**2) - 1)).mean())

    found = optimize.minimize(objective, samples.mean(axis=0), method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000})
    assert found.success, found.message
    return found.x


def pseudo_huber_optimum(*, samples: np.ndarray, pseudo_delta: float) -> EndPoint:
    return EndPoint(f"the pseudo-Huber M-estimate (delta {pseudo_delta:g})", _reference(samples, pseudo_delta))


PSEUDO_HUBER = Loss(
    "pseudo_huber", "Pseudo-Huber", "Smoothly squared close by and absolute far away.",
    model="a point", ends_at="the pseudo-Huber M-estimate", fits=POINT_MODEL, params=(PSEUDO_DELTA,),
    optimum=pseudo_huber_optimum, penalty=pseudo_huber, landscape=landscape.DIRECT, floor=floors.at_the_optimum,
    lr=0.05,
)


@pytest.mark.parametrize("delta", [1.0, 0.5])
def test_a_loss_defined_here_is_registered_fitted_headless_and_ends_at_its_m_estimate(delta):
    scene = bundled_scene("unequal_weights").with_(samples=1000, seed=3)
    with registered(PSEUDO_HUBER):
        assert PSEUDO_HUBER in registry() and PSEUDO_DELTA in parameters()
        assert "pseudo_huber" not in LOSS_IDS  # the catalogue (the selector, keys 1-8) is unchanged
        settings = FitSettings(loss="pseudo_huber", seed=3, params={"pseudo_delta": delta})
        report = fit_report(scene, settings, steps=2500)  # what `blurlab fit` runs and writes
        expected = _reference(scene.draw(), delta)
        np.testing.assert_allclose(report["estimate"]["mean"], expected, atol=2e-3)
        np.testing.assert_allclose(report["optimum"]["mean"], expected, atol=1e-9)
        # ...not L2's or L1's answer by another name
        assert abs(expected[0] - scene.draw().mean()) > 0.05 and abs(expected[0] - np.median(scene.draw())) > 0.05
        assert report["landscape"]["lowest"] == pytest.approx(report["loss_curve"][-1], rel=2e-3)
        # a session file keeps the new parameter like the others
        assert fit_defaults()["pseudo_delta"] == 1.0
        parsed, _ = parse_fit({"pseudo_delta": 0.25}, scene.with_(loss="l2"))
        assert parsed.value(PSEUDO_DELTA) == 0.25
    assert "pseudo_huber" not in {loss.id for loss in registry()}
    with pytest.raises(KeyError):
        loss_info("pseudo_huber")
