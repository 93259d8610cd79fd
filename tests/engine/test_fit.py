"""The fit generator: determinism, steering through FitControl mid-fit, frozen snapshots, divergence."""

import dataclasses

import numpy as np
import pytest

from engine.model.losses import LOSS_IDS, loss_info
from engine.fit.fit import CURVE, TRAIL, Fit, FitControl, FitSettings, run
from engine.fit.models import FULL_BATCH
from tests.support.engine_helpers import scene

# Losses whose every step is random (Monte Carlo draws, noise, random starts), whatever the sample count.
STOCHASTIC = ["mixture_nll", "reverse_kl", "adversarial", "min_of_k"]


@pytest.fixture
def sedan_or_suv():
    sc = scene("sedan_or_suv", 500)
    return sc.draw(), sc.mixture


def fit_for(data, loss="l2", **settings) -> Fit:
    samples, mixture = data
    return Fit(samples, mixture, FitSettings(loss=loss, **settings))


def trajectory_of(samples, mixture, steps=40, **settings) -> np.ndarray:
    fit = Fit(samples, mixture, FitSettings(**settings))
    for _ in run(fit, steps=steps):
        pass
    return fit.trajectory()


# -- determinism ---------------------------------------------------------------------------------
@pytest.mark.parametrize("loss", LOSS_IDS)
@pytest.mark.parametrize("scene_id", ["sedan_or_suv", "style_and_colour"])
def test_same_seed_and_data_give_the_same_trajectory(scene_id, loss):
    sc = scene(scene_id, 500)
    a, b = sc.draw(), sc.draw()
    np.testing.assert_array_equal(a, b)
    first, second = (Fit(x, sc.mixture, FitSettings(loss=loss, seed=3)) for x in (a, b))
    for fit in (first, second):
        for _ in run(fit, steps=40):
            pass
    np.testing.assert_array_equal(first.trajectory(), second.trajectory())
    np.testing.assert_array_equal(first.loss_history(), second.loss_history())
    for name in ("mean", "cov", "means", "points", "samples"):
        left, right = getattr(first.estimate, name), getattr(second.estimate, name)
        assert (left is None) == (right is None)
        if left is not None:
            np.testing.assert_array_equal(left, right)


@pytest.mark.parametrize("loss", STOCHASTIC)
def test_another_seed_gives_another_trajectory(loss):
    sc = scene("style_and_colour", 500)
    x = sc.draw()
    assert not np.array_equal(trajectory_of(x, sc.mixture, loss=loss, seed=0),
                              trajectory_of(x, sc.mixture, loss=loss, seed=1))


def test_more_samples_than_a_batch_make_even_l2_stochastic():
    sc = scene("sedan_or_suv", FULL_BATCH + 1000)
    x = sc.draw()
    assert not np.array_equal(trajectory_of(x, sc.mixture, seed=0), trajectory_of(x, sc.mixture, seed=1))


@pytest.mark.parametrize("loss", ["mixture_nll", "min_of_k"])
def test_a_few_components_see_every_sample_and_hundreds_a_batch(loss):
    """The curve of a mixture or min-of-K fit of a few components is its objective on all the samples;
    with the 256 kinds of eight properties, each step sees a random batch, so it varies around it."""
    from engine.model import properties as P

    for mixture, whole in ((scene("sedan_or_suv", 4000).mixture, True),
                           (P.product_mixture(P.default_properties(8)), False)):
        samples = mixture.sample(4000, 0)
        fit = Fit(samples, mixture, FitSettings(loss=loss, seed=0))
        state = fit._model.state()
        losses = [fit._model.step() for _ in range(3)]
        fit._model.restore(state)
        again = [fit._model.step() for _ in range(3)]
        assert losses[0] == again[0] if whole else losses[0] != again[0]


def test_another_scene_seed_gives_other_samples_and_another_trajectory():
    sc = scene("sedan_or_suv", 500)
    x0, x1 = sc.draw(), sc.with_(seed=1).draw()
    assert not np.allclose(x0, x1)
    assert not np.array_equal(trajectory_of(x0, sc.mixture), trajectory_of(x1, sc.mixture))


def test_reset_replays_the_same_trajectory(sedan_or_suv):
    fit = fit_for(sedan_or_suv, "reverse_kl")
    for _ in run(fit, steps=30):
        pass
    first = fit.trajectory()
    fit.reset()
    assert fit.step_count == 0 and len(fit.trajectory()) == 1 and len(fit.loss_history()) == 0
    for _ in run(fit, steps=30):
        pass
    np.testing.assert_array_equal(fit.trajectory(), first)


# -- the generator and its snapshots ------------------------------------------------------------------
def test_run_yields_one_snapshot_per_step_with_rising_step_numbers(sedan_or_suv):
    fit = fit_for(sedan_or_suv)
    snaps = list(run(fit, steps=25))
    assert [s.step for s in snaps] == list(range(1, 26))
    assert fit.trajectory().shape == (26, 1)  # the start, then one point per step
    assert fit.loss_history().shape == (25,)
    assert snaps[-1].loss == fit.loss_history()[-1]
    np.testing.assert_array_equal(snaps[-1].trail[-1], snaps[-1].estimate.mean)


def test_snapshot_history_is_bounded(sedan_or_suv):
    fit = fit_for(sedan_or_suv)
    for snap in run(fit, steps=max(TRAIL, CURVE) + 10):
        pass
    assert snap.trail.shape == (TRAIL, 1)
    assert snap.losses.shape == (CURVE,)
    np.testing.assert_array_equal(snap.trail, fit.trajectory()[-TRAIL:])
    np.testing.assert_array_equal(snap.losses, fit.loss_history()[-CURVE:])


@pytest.mark.parametrize("loss", LOSS_IDS)
def test_snapshot_arrays_are_read_only(sedan_or_suv, loss):
    snap = next(run(fit_for(sedan_or_suv, loss)))
    arrays = {"trail": snap.trail, "losses": snap.losses}
    for name in ("mean", "cov", "weights", "means", "covs", "points", "samples"):
        if getattr(snap.estimate, name) is not None:
            arrays[name] = getattr(snap.estimate, name)
    for name, array in arrays.items():
        assert not array.flags.writeable, name
        with pytest.raises(ValueError):
            array.flat[0] = 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.step = 99
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.estimate.mean = np.zeros(1)


@pytest.mark.parametrize("loss", LOSS_IDS)
def test_later_steps_leave_an_earlier_snapshot_unchanged(sedan_or_suv, loss):
    gen = run(fit_for(sedan_or_suv, loss))
    for _ in range(5):
        early = next(gen)
    kept = {name: np.array(getattr(early.estimate, name)) for name in ("mean", "cov", "means", "points", "samples")
            if getattr(early.estimate, name) is not None}
    trail, losses = early.trail.copy(), early.losses.copy()
    for _ in range(30):
        late = next(gen)
    assert late.step == early.step + 30
    assert not np.array_equal(late.estimate.mean, early.estimate.mean)
    for name, value in kept.items():
        np.testing.assert_array_equal(getattr(early.estimate, name), value, err_msg=name)
    np.testing.assert_array_equal(early.trail, trail)
    np.testing.assert_array_equal(early.losses, losses)


# -- steering a running fit ---------------------------------------------------------------------------
def test_new_data_mid_fit_moves_l2_to_the_new_mean(sedan_or_suv):
    samples, mixture = sedan_or_suv
    fit = fit_for(sedan_or_suv)
    control = FitControl()
    gen = run(fit, control)
    for _ in range(300):
        before = next(gen)
    # The user drags the SUV further out.
    moved = mixture.with_component(1, mixture.components[1].moved(mean=[5.0]))
    new_samples = moved.sample(500, seed=1)
    control.set_data(new_samples, moved)
    applied = next(gen)
    assert (applied.step, applied.data_version) == (before.step, before.data_version + 1)
    np.testing.assert_array_equal(applied.estimate.mean, before.estimate.mean)  # the point keeps its place
    for _ in range(1500):
        last = next(gen)
    assert last.data_version == 1
    new_mean = new_samples.mean(axis=0)
    assert np.linalg.norm(new_mean - samples.mean(axis=0)) > 1.0
    np.testing.assert_allclose(last.estimate.mean, new_mean, atol=1e-3)


def test_new_component_count_gives_the_mixture_as_many_components(sedan_or_suv):
    samples, mixture = sedan_or_suv
    fit = fit_for(sedan_or_suv, "mixture_nll")
    control = FitControl()
    gen = run(fit, control)
    assert len(next(gen).estimate.means) == 2
    three = mixture.added(mixture.components[0].moved(mean=[6.0]))
    control.set_data(three.sample(600, seed=2), three)
    assert len(next(gen).estimate.means) == 3


SWITCHES = [("l2", "gaussian_nll"), ("gaussian_nll", "l1"), ("l1", "huber"), ("huber", "l2")]


@pytest.mark.parametrize(("old", "new"), SWITCHES)
def test_switching_loss_mid_fit_starts_the_new_model_where_the_old_one_was(sedan_or_suv, old, new):
    fit = fit_for(sedan_or_suv, old)
    control = FitControl()
    gen = run(fit, control)
    for _ in range(200):
        before = next(gen)
    control.set_settings(FitSettings(loss=new))
    switched = next(gen)
    assert (before.loss_id, switched.loss_id) == (old, new)
    assert switched.estimate.kind == loss_info(new).kind
    assert switched.step == before.step  # the step count runs on; only the loss curve starts afresh
    assert len(switched.losses) == 0
    np.testing.assert_allclose(switched.estimate.mean, before.estimate.mean, atol=1e-6)
    after = next(gen)
    assert after.loss_id == new and after.step == before.step + 1


@pytest.mark.parametrize("new", [loss for loss in LOSS_IDS if loss != "l2"])
def test_switching_to_any_loss_gives_that_loss_s_model(sedan_or_suv, new):
    fit = fit_for(sedan_or_suv)
    control = FitControl()
    gen = run(fit, control)
    for _ in range(20):
        next(gen)
    control.set_settings(FitSettings(loss=new))
    snap = next(gen)
    assert snap.loss_id == new
    assert snap.estimate.kind == loss_info(new).kind
    for _ in range(20):
        snap = next(gen)
    assert snap.loss_id == new and not snap.diverged and snap.estimate.is_finite()


def test_reset_through_the_control_goes_back_to_step_zero(sedan_or_suv):
    fit = fit_for(sedan_or_suv)
    control = FitControl()
    gen = run(fit, control)
    for _ in range(10):
        first = next(gen)
    start = fit.trajectory()[0]
    control.reset()
    snap = next(gen)
    assert first.step == 10 and snap.step == 0
    np.testing.assert_array_equal(snap.estimate.mean, start)


def test_the_generator_ends_when_its_caller_stops_asking(sedan_or_suv):
    fit = fit_for(sedan_or_suv)
    gen = run(fit, FitControl())  # no step limit: the caller decides
    for _ in range(5):
        next(gen)
    gen.close()
    with pytest.raises(StopIteration):
        next(gen)
    assert fit.step_count == 5


# -- divergence and bad input -------------------------------------------------------------------------
def all_finite(snap) -> bool:
    return (snap.estimate.is_finite() and np.all(np.isfinite(snap.trail)) and np.all(np.isfinite(snap.losses))
            and (snap.step == 0 or np.isfinite(snap.loss)))


@pytest.mark.parametrize("loss", LOSS_IDS)
def test_a_huge_learning_rate_is_reported_and_ends_the_run(sedan_or_suv, loss):
    fit = fit_for(sedan_or_suv, loss, lr=1e9)
    snaps = list(run(fit, steps=300))
    assert len(snaps) < 300, "the generator must end at the divergence"
    last = snaps[-1]
    assert last.diverged and fit.diverged
    assert "learning rate" in last.message and "1e+09" in last.message
    assert all(all_finite(s) for s in snaps)
    assert not any(s.diverged for s in snaps[:-1])
    # A diverged fit refuses to step until the settings change.
    assert not fit.step()
    assert list(run(fit, steps=5))[-1].diverged


def test_a_sane_learning_rate_lets_a_diverged_fit_continue(sedan_or_suv):
    samples, _ = sedan_or_suv
    fit = fit_for(sedan_or_suv, lr=1e9)
    control = FitControl()
    assert list(run(fit, control, steps=50))[-1].diverged
    control.set_settings(FitSettings(loss="l2", lr=0.02))
    snaps = list(run(fit, control, steps=1500))
    assert not any(s.diverged for s in snaps) and snaps[-1].message == ""
    assert snaps[-1].step == fit.step_count == 1500
    np.testing.assert_allclose(snaps[-1].estimate.mean, samples.mean(axis=0), atol=1e-3)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_samples_with_nan_or_infinity_are_refused(sedan_or_suv, bad):
    samples, mixture = sedan_or_suv
    broken = samples.copy()
    broken[7, 0] = bad
    with pytest.raises(ValueError, match="samples: hold NaN or infinite values"):
        Fit(broken, mixture)
    fit = Fit(samples, mixture)
    with pytest.raises(ValueError, match="NaN"):
        fit.set_data(broken, mixture)


@pytest.mark.parametrize("shape", [(0, 1), (100,), (100, 2)])
def test_samples_of_the_wrong_shape_are_refused(sedan_or_suv, shape):
    _, mixture = sedan_or_suv
    with pytest.raises(ValueError, match=r"samples: expected an \(n, 1\) array"):
        Fit(np.zeros(shape), mixture)


@pytest.mark.parametrize(("settings", "key"), [
    ({"loss": "l3"}, "loss"),
    ({"lr": 0.0}, "learning rate"),
    ({"lr": -0.1}, "learning rate"),
    ({"lr": float("nan")}, "learning rate"),
    ({"params": {"huber_delta": 0.0}}, "huber_delta"),
    ({"params": {"k": -1}}, "k"),
    ({"params": {"kk": 1}}, "kk"),
])
def test_bad_settings_are_refused(sedan_or_suv, settings, key):
    samples, mixture = sedan_or_suv
    with pytest.raises(ValueError, match=f"^{key}:"):
        Fit(samples, mixture, FitSettings(**settings))


@pytest.mark.parametrize("loss", ["l2", "gaussian_nll", "mixture_nll", "min_of_k"])
def test_data_of_another_dimension_then_a_new_loss_refits_in_the_new_space(loss):
    """Another stage takes the fit: its 6-D scene arrives, then its loss. Found by a chaos run, where the new
    loss was built from the old 2-D estimate and the fit process reported a broadcasting error."""
    from engine.model import properties as P

    flat = scene("style_and_colour")
    fit = Fit(flat.draw(), flat.mixture, FitSettings(loss="l2", seed=0))
    for _ in run(fit, steps=20):
        pass
    many = P.properties_scene(P.default_properties(6), samples=500)
    fit.set_data(many.draw(), many.mixture)
    fit.set_settings(FitSettings(loss=loss, seed=0))
    for snap in run(fit, steps=20):
        pass
    assert snap.estimate.dim == 6 and np.all(np.isfinite(snap.estimate.mean)) and not fit.diverged


def test_the_tug_of_war_of_no_points_has_no_pull():
    from engine.model.pulls import pulls

    found = pulls(loss_info("l2").penalty_for(FitSettings(loss="l2")), np.zeros((0, 1)), np.array([0.5]))
    assert found.net.shape == (1,) and np.all(found.net == 0) and len(found.samples) == 0
