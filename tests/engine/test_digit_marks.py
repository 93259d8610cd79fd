"""What the real-digits stage draws of a frame, without Qt: the network's outputs placed in the plane of real
digits (L2's exact answer on the centre of mass), how they are drawn by loss, and the trail since step 0."""

from __future__ import annotations

import numpy as np

from engine.digits.marks import TRAIL, Trail, marks, output_kind
from engine.digits.snapshot import DigitSnapshot
from engine.digits.space import digit_space
from engine.digits.tasks import make_task


def _snapshot(step: int, outputs: np.ndarray, task_id: str = "digit_from_label", loss: str = "l2") -> DigitSnapshot:
    task = make_task(task_id)
    pictures = task.compose(np.broadcast_to(outputs, (len(task.input_ids), *outputs.shape)))
    return DigitSnapshot(step, task_id, loss, 0.1, np.zeros(1), np.round(255 * pictures).astype(np.uint8), ())


def test_the_exact_answer_is_drawn_on_the_centre_of_mass_and_a_real_digit_on_its_own_point():
    task = make_task("digit_from_label")
    space = digit_space(task, 7)
    m = marks(space, task, _snapshot(5, space.centre.reshape(1, 28, 28)), 7)
    assert m.kind == "one" and m.points.shape == (1, 2)
    assert np.allclose(m.points[0], space.optimum, atol=0.02)  # uint8 rounding only
    i = space.modes[0].medoid
    real = marks(space, task, _snapshot(5, space.example_images(i)[None]), 7)
    assert np.allclose(real.points[0], space.points[i], atol=0.02) and real.closeness.nearest[0] == i


def test_a_bottom_half_is_placed_by_the_part_the_network_draws():
    task = make_task("bottom_half")
    space = digit_space(task, 0)
    bottom = space.example_images(3)
    m = marks(space, task, _snapshot(1, bottom[None], "bottom_half"), 0)
    assert m.outputs.shape == (1, 14, 28) and np.allclose(m.points[0], space.points[3], atol=0.02)


def test_each_loss_is_drawn_as_one_marker_k_guesses_or_samples():
    assert [output_kind(loss) for loss in ("l2", "l1", "min_of_k", "adversarial")] == \
        ["one", "one", "guesses", "samples"]


def test_the_trail_runs_from_step_0_and_starts_again_on_a_reset_or_another_input():
    trail = Trail()
    outputs = np.zeros((1, 28, 28))
    for step in range(5):
        trail.add(_snapshot(step, outputs), 7, np.array([step, 0.0]))
    trail.add(_snapshot(4, outputs), 7, np.array([9.0, 0.0]))  # the same step again: its point moves
    assert trail.array()[:, 0].tolist() == [0, 1, 2, 3, 9]
    trail.add(_snapshot(0, outputs), 7, np.array([0.0, 1.0]))  # a reset
    assert len(trail.array()) == 1
    trail.add(_snapshot(1, outputs), 3, np.array([0.0, 2.0]))  # another input
    assert trail.array().tolist() == [[0.0, 2.0]]
    for step in range(2, 3 * TRAIL):
        trail.add(_snapshot(step, outputs), 3, np.array([step, 0.0]))
    assert len(trail.array()) <= TRAIL and trail.array()[0].tolist() == [0.0, 2.0]  # thinned, the start kept


def test_the_drawn_trail_keeps_the_drift_and_drops_the_jitter():
    trail = Trail()
    rng = np.random.default_rng(0)
    outputs = np.zeros((1, 28, 28))
    start, end = np.array([3.0, 0.0]), np.zeros(2)
    for step in range(200):  # a drift from (3, 0) to the centre, with batch-to-batch jitter on top
        drift = start + (end - start) * min(step / 100, 1.0)
        trail.add(_snapshot(step, outputs), 7, drift + rng.normal(0, 0.4, 2))
    raw, drawn = trail.array(), trail.smoothed()
    assert drawn.shape == raw.shape and drawn[0].tolist() == raw[0].tolist()  # it starts where the output did

    def length(path):
        return np.hypot(*np.diff(path, axis=0).T).sum()

    assert length(drawn) < 0.5 * length(raw)
    assert np.hypot(*drawn[-1]) < 0.3  # and ends at the centre the output drifted to
