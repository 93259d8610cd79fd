"""Real digits, without Qt: the shipped data, the two tasks and their exact answers, the figures, and the
networks trained on them converging where their loss says."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from scipy.spatial.distance import cdist

from engine.digits import READY_STEPS
from engine.digits.classifier import probabilities
from engine.digits.data import load_digits
from engine.digits.figures import measure
from engine.digits.space import digit_space
from engine.digits.strokes import broken_share
from engine.digits.tasks import AMBIGUOUS, HALF, NEIGHBOURS, make_task
from engine.fit.digits import HYPOTHESES, SAMPLES, DigitTrainer
from engine.maths.sharpness import gradient_energies
from engine.model.losses import IMAGE_LOSS_IDS, LOSS_IDS, image_loss_info, loss_info


def _rmse(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Root mean squared difference per picture over its pixels."""
    return np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2, axis=(-2, -1)))


# -- the data and the tasks -------------------------------------------------------------------------
def test_the_shipped_digits_are_500_of_each_class_with_50_held_out():
    train, held = load_digits()
    assert len(train) + len(held) == 5000 and len(held) == 500
    assert np.bincount(train.labels).tolist() == [450] * 10 and np.bincount(held.labels).tolist() == [50] * 10
    assert train.images.shape[1:] == (28, 28) and 0.0 <= train.images.min() and train.images.max() == 1.0
    assert not train.images.flags.writeable


def test_l2_and_l1_answers_of_draw_a_digit_are_the_class_mean_and_median():
    train, _ = load_digits()
    task = make_task("digit_from_label")
    fours = train.images[train.labels == 4]
    np.testing.assert_allclose(task.mean_answer()[4], fours.mean(axis=0, dtype=np.float64), atol=1e-6)
    np.testing.assert_allclose(task.median_answer()[4], np.median(fours, axis=0), atol=1e-6)


def test_the_bottom_half_answer_is_the_mean_bottom_of_the_nearest_tops_and_the_tops_are_ambiguous():
    train, held = load_digits()
    task = make_task("bottom_half")
    assert len(task.input_ids) == len(AMBIGUOUS) == 8
    for i, (a, b) in enumerate(AMBIGUOUS):
        top = held.images[task.input_ids[i], :HALF].reshape(1, -1)
        near = np.argsort(cdist(top, train.images[:, :HALF].reshape(len(train), -1))[0], kind="stable")[:NEIGHBOURS]
        np.testing.assert_allclose(task.mean_answer()[i], train.images[near, HALF:].mean(axis=0), atol=1e-5)
        labels = train.labels[near]
        assert task.input_labels[i] == a and (labels == a).any() and (labels == b).any()  # a 4 or a 9?
        np.testing.assert_array_equal(task.targets[i], held.images[task.input_ids[i], HALF:])


def test_l2_s_answer_wins_on_squared_error_and_loses_on_sharpness_and_realness():
    for task in (make_task("digit_from_label"), make_task("bottom_half")):
        answers = task.compose(task.mean_answer()[:, None])[:, 0]
        medians = task.compose(task.median_answer()[:, None])[:, 0]
        for i in range(len(task.input_ids)):
            mean, median = measure(task, i, answers[i : i + 1])[0], measure(task, i, medians[i : i + 1])[0]
            real = measure(task, i, task.examples[i])
            assert mean.mse < median.mse and all(mean.mse < r.mse for r in real)
            assert mean.sharpness < min(r.sharpness for r in real)
        means = [measure(task, i, answers[i : i + 1])[0] for i in range(len(task.input_ids))]
        reals = [f for i in range(len(task.input_ids)) for f in measure(task, i, task.examples[i])]
        assert np.mean([f.blur for f in means]) > np.mean([f.blur for f in reals]) + 0.15
        assert np.mean([f.real for f in means]) < np.mean([f.real for f in reals])


def test_the_classifier_reads_held_out_digits_and_doubts_what_no_one_wrote():
    _, held = load_digits()
    p = probabilities(held.images)
    assert (p[:, :10].argmax(axis=1) == held.labels).mean() > 0.95
    grey = probabilities(np.full((1, 28, 28), 0.3, np.float32))[0]
    assert grey[:10].max() < 0.1  # a plain classifier reads flat grey as a digit, sure of it


# -- the registry ---------------------------------------------------------------------------------
def test_the_image_losses_are_declared_once_and_the_catalogue_is_unchanged():
    assert IMAGE_LOSS_IDS == ("l2", "l1", "adversarial", "min_of_k", "l2_adversarial")
    assert "l2_adversarial" not in LOSS_IDS
    assert image_loss_info("l2") is loss_info("l2")  # one entry, both uses
    with pytest.raises(KeyError, match="l2, l1, huber"):
        loss_info("l2_adversarial")
    with pytest.raises(KeyError, match="l2_adversarial"):
        image_loss_info("huber")


# -- the networks ---------------------------------------------------------------------------------
def test_l2_reaches_the_exact_class_means_by_its_ready_count():
    trainer = DigitTrainer("digit_from_label", "l2", seed=0)
    for _ in range(READY_STEPS["l2"]):
        trainer.step()
    out = trainer.outputs()[:, 0]
    assert _rmse(out, trainer.task.mean_answer()).max() < 0.03


def test_l1_heads_for_the_per_pixel_median_not_the_mean():
    trainer = DigitTrainer("digit_from_label", "l1", seed=0)
    for _ in range(1500):
        trainer.step()
    out = trainer.outputs()[:, 0]
    to_median, to_mean = _rmse(out, trainer.task.median_answer()), _rmse(out, trainer.task.mean_answer())
    assert (to_median < to_mean).all() and to_median.mean() < 0.1


def test_min_of_k_hypotheses_are_sharper_than_the_mean():
    trainer = DigitTrainer("digit_from_label", "min_of_k", seed=0)
    for _ in range(800):
        trainer.step()
    out = trainer.outputs()
    assert out.shape[1] == HYPOTHESES
    hypotheses = gradient_energies(out.reshape(-1, 28, 28)).mean()
    assert hypotheses > 1.5 * gradient_energies(trainer.task.mean_answer()).mean()


@pytest.mark.slow
def test_the_gan_draws_whole_varied_digits_that_the_classifier_reads_as_their_label():
    _, held = load_digits()
    real = (probabilities(held.images)[:, :10].argmax(axis=1) == held.labels).mean()
    trainer = DigitTrainer("digit_from_label", "adversarial", seed=0)
    for _ in range(READY_STEPS["adversarial"]):
        trainer.step()
    snap = trainer.snapshot()
    assert snap.pictures.shape[1] == SAMPLES
    with torch.no_grad():
        drawn = trainer._draw(torch.eye(10).repeat_interleave(50, 0))[:, 0].numpy().reshape(10, 50, 28, 28)
    read = probabilities(drawn.reshape(-1, 28, 28))[:, :10].argmax(axis=1) == np.repeat(np.arange(10), 50)
    assert broken_share(drawn.reshape(-1, 28, 28)) <= 0.2 and read.mean() >= 0.9 * real  # the bar
    task = trainer.task
    for c in range(10):
        space = digit_space(task, c)
        nearest, distance = space.nearest(drawn[c])
        _, real_distance = space.nearest(held.of_class(c))
        assert np.median(distance) <= 1.2 * np.median(real_distance)  # among real digits, as held-out ones are
        assert all(np.isin(nearest, m.members).any() for m in space.modes)  # every way of writing is drawn
    assert np.mean(np.std(snap.images(), axis=1)) > 0.1  # the samples of one label differ: no collapse


def test_the_same_seed_gives_the_same_outputs_and_another_seed_others():
    def outputs(seed: int, loss: str = "adversarial") -> np.ndarray:
        trainer = DigitTrainer("bottom_half", loss, seed=seed)
        for _ in range(15):
            trainer.step()
        return trainer.outputs()

    np.testing.assert_array_equal(outputs(3), outputs(3))
    assert not np.allclose(outputs(3), outputs(4))
    assert outputs(3, "l2").shape == (8, 1, 14, 28)


def test_the_adversarial_weight_is_checked_and_a_snapshot_is_read_only_after_the_pipe():
    with pytest.raises(ValueError, match="between 0 and 1"):
        DigitTrainer("bottom_half", "l2_adversarial", adversarial_weight=1.5)
    trainer = DigitTrainer("bottom_half", "l2_adversarial", adversarial_weight=0.2)
    trainer.step()
    snap = pickle.loads(pickle.dumps(trainer.snapshot()))
    assert snap.adversarial_weight == 0.2 and snap.step == 1 and snap.pictures.shape == (8, 1, 28, 28)
    assert not snap.pictures.flags.writeable and not snap.losses.flags.writeable
