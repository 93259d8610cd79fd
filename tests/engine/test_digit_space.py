"""The space of real digits, without Qt: a linear, orthonormal plane in which L2's exact answer is the centre
of mass of the real examples, the ways of writing among them, and the headless `train` command's `space`."""

from __future__ import annotations

import numpy as np
import pytest

from engine.commands.train_report import train_report
from engine.digits import READY_STEPS
from engine.digits.space import digit_space, make_space
from engine.digits.strokes import broken_share, pieces
from engine.digits.tasks import make_task
from engine.model.losses import IMAGE_LOSS_IDS


@pytest.fixture(scope="module")
def sevens():
    return digit_space(make_task("digit_from_label"), 7)


def test_the_plane_is_linear_and_orthonormal(sevens):
    np.testing.assert_allclose(sevens.axes @ sevens.axes.T, np.eye(2), atol=1e-9)
    a, b = sevens.example_images([3, 40])
    np.testing.assert_allclose(sevens.project(0.3 * a + 0.7 * b)[0],
                               0.3 * sevens.project(a)[0] + 0.7 * sevens.project(b)[0], atol=1e-9)
    assert sevens.centre.shape == (784,) and sevens.examples.shape == (450, 784)


def test_the_optimum_is_the_centre_of_mass_of_the_examples_and_the_projected_exact_answer():
    for task in (make_task("digit_from_label"), make_task("bottom_half")):
        answers = task.mean_answer()
        for i in range(len(task.input_ids)):
            space = digit_space(task, i)
            assert space.centre.size == (784 if task.rows == 0 else 392)
            np.testing.assert_allclose(space.points.mean(axis=0), space.optimum, atol=1e-9)
            np.testing.assert_allclose(space.project(answers[i])[0], space.optimum, atol=1e-4)


def test_a_real_digit_round_trips_and_each_way_is_shown_by_a_real_digit_near_its_middle(sevens):
    np.testing.assert_allclose(sevens.project(sevens.example_images(12))[0], sevens.points[12], atol=1e-9)
    assert 2 <= len(sevens.modes) <= 4 and abs(sum(m.share for m in sevens.modes) - 1.0) < 1e-9
    for mode in sevens.modes:
        assert mode.medoid in mode.members
        np.testing.assert_allclose(mode.medoid_point, sevens.points[mode.medoid])
        np.testing.assert_allclose(mode.centre, sevens.points[mode.members].mean(axis=0), atol=1e-9)


def test_the_ambiguous_tops_show_two_ways_with_the_answer_between_them():
    task = make_task("bottom_half")
    for i in range(len(task.input_ids)):
        space = digit_space(task, i)
        a, b = space.modes[:2]
        assert a.centre[0] > 0.0 > b.centre[0]  # the first axis runs from one way to the other, the answer between
        bandwidth = 0.35 * np.median(np.abs(space.points[:, 0]))

        def density(at: np.ndarray) -> float:
            return float(np.exp(-np.sum((space.points - at) ** 2, axis=1) / (2 * bandwidth**2)).sum())

        # fewer real examples near the answer than near either way's most typical digit
        assert density(space.optimum) < min(density(a.medoid_point), density(b.medoid_point))


def test_the_closeness_is_measured_in_pixel_space_and_a_real_digit_is_its_own_nearest(sevens):
    close = sevens.closeness(sevens.example_images([5, 6]))
    assert close.nearest.tolist() == [5, 6] and np.allclose(close.distance, 0.0, atol=1e-6)
    grey = sevens.closeness(np.full((1, 28, 28), 0.5))
    assert grey.distance[0] > 2 * close.typical and grey.closer_than_neighbours[0] == 0
    assert "RMSE" in grey.words(0)


def test_between_two_ways_fades_their_medoids_beside_real_digits(sevens):
    way = sevens.between(0, 1, steps=7)
    first, last = sevens.example_images([sevens.modes[0].medoid, sevens.modes[1].medoid])
    np.testing.assert_allclose(way.ghosts[0], first, atol=1e-6)
    np.testing.assert_allclose(way.ghosts[-1], last, atol=1e-6)
    assert way.real[0] == sevens.modes[0].medoid and way.real[-1] == sevens.modes[1].medoid
    np.testing.assert_array_equal(way.real_images, sevens.example_images(way.real))
    assert way.ghosts.shape == (7, 28, 28) and way.real_points.shape == (7, 2)


def test_ways_given_by_label_keep_their_shares():
    rng = np.random.default_rng(0)
    examples = np.concatenate([rng.normal(0.0, 0.1, (6, 8)), rng.normal(1.0, 0.1, (4, 8))])
    space = make_space(examples, (2, 4), ways=np.array([3] * 6 + [5] * 4))
    assert [m.share for m in space.modes] == [0.6, 0.4] and set(space.modes[1].members) == set(range(6, 10))


def test_pieces_count_8_connected_strokes():
    picture = np.zeros((3, 6, 6))
    picture[0, 1, 1] = picture[0, 2, 2] = 1.0  # diagonal neighbours: one piece
    picture[1, 0, 0] = picture[1, 4, 4] = 1.0  # two pieces
    assert pieces(picture).tolist() == [1, 2, 0] and broken_share(picture) == pytest.approx(1 / 3)


# -- the headless command's `space` ---------------------------------------------------------------
def test_every_image_loss_has_a_ready_count():
    assert set(READY_STEPS) == set(IMAGE_LOSS_IDS)


def test_l2_starts_on_a_real_way_of_writing_and_its_trajectory_ends_on_the_optimum():
    report = train_report("digit_from_label", "l2", None, seed=0)
    assert report["steps"] == READY_STEPS["l2"]
    for entry in report["outputs"]:
        space = entry["space"]
        assert len(space["centre"]) == 784 and np.shape(space["axes"]) == (2, 784)
        assert len(space["examples"]) == 450 and space["optimum"] == [0.0, 0.0]
        path = np.array(space["trajectory"])
        assert len(path) >= 20
        spread = np.median(np.linalg.norm(space["examples"], axis=1))  # how far real examples are from it
        main = space["modes"][0]
        assert np.linalg.norm(path[0] - main["medoid"]) < 0.2 * spread  # a real digit of the main way, not grey
        assert np.linalg.norm(path[-1]) < 0.15 * spread < np.linalg.norm(path[0])  # ends on the optimum
        np.testing.assert_allclose(space["outputs"][0], path[-1], atol=1e-3)


def test_the_space_of_a_missing_half_has_392_pixels():
    report = train_report("bottom_half", "min_of_k", 20, seed=0)
    space = report["outputs"][0]["space"]
    assert len(space["centre"]) == 392 and len(space["outputs"]) == 4 and len(space["trajectory"]) == 21
    assert {"centre", "share", "medoid"} <= set(space["modes"][0])
