"""What the real-digits stage draws of one frame of the network, for the input on show: its outputs as points
in the space of real digits, the real digit nearest each, how close they are in the full pixel space, and
the fit's trail. Numpy only, so the window computes it without torch and a test checks it without Qt.

    space = digit_space(task, 7)
    m = marks(space, task, snapshot, 7)      # m.points (n, 2), m.kind "one" | "guesses" | "samples"
    trail.add(snapshot, 7, m.points[0])      # the path of the first output since step 0
    trail.smoothed()                         # as drawn
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.digits.snapshot import DigitSnapshot
from engine.digits.space import Closeness, DigitSpace
from engine.digits.tasks import Task
from engine.model.losses import image_loss_info

TRAIL = 400  # points of the trail kept (the oldest thinned out, never the start)
TRAIL_SMOOTHING = 0.2  # the weight of each new place in the drawn trail (a running mean: see Trail.smoothed)


def output_kind(loss_id: str) -> str:
    """How a loss's network answers: "one" picture, K "guesses" (min-of-K), or "samples" (a GAN)."""
    how = image_loss_info(loss_id).images
    if how.sampled:
        return "samples"
    return "guesses" if how.outputs == "hypotheses" else "one"


@dataclass(frozen=True, eq=False)
class Marks:
    """The network's outputs for one input, placed among the real examples."""

    kind: str  # output_kind of the loss
    outputs: np.ndarray  # (n, rows, 28) floats in [0, 1]: the part the network draws
    points: np.ndarray  # (n, 2) their places in the plane
    closeness: Closeness  # measured in the full pixel space


def marks(space: DigitSpace, task: Task, snapshot: DigitSnapshot, index: int) -> Marks:
    """The outputs of `snapshot` for shown input `index` of `task`, in `space` (that input's real digits)."""
    outputs = snapshot.pictures[index, :, task.rows :, :].astype(np.float32) / 255.0
    return Marks(output_kind(snapshot.loss_id), outputs, space.project(outputs), space.closeness(outputs))


@dataclass
class Trail:
    """The path of the first output through the plane since step 0, for one input, task and loss: a frame of
    another, or of an earlier step (a reset), starts it again."""

    key: tuple = ()
    steps: list[int] = field(default_factory=list)
    points: list[np.ndarray] = field(default_factory=list)

    def add(self, snapshot: DigitSnapshot, index: int, point: np.ndarray) -> None:
        key = (snapshot.task, snapshot.loss_id, index)
        if key != self.key or (self.steps and snapshot.step < self.steps[-1]):
            self.clear(key)
        if self.steps and snapshot.step == self.steps[-1]:
            self.points[-1] = np.asarray(point, float)
            return
        self.steps.append(snapshot.step)
        self.points.append(np.asarray(point, float))
        if len(self.points) > TRAIL:  # thin the middle: every other point after the first
            self.steps[1:] = self.steps[1::2]
            self.points[1:] = self.points[1::2]

    def clear(self, key: tuple = ()) -> None:
        self.key, self.steps, self.points = key, [], []

    def array(self) -> np.ndarray:
        """(n, 2) the trail, oldest first."""
        return np.array(self.points, float).reshape(-1, 2)

    def smoothed(self, weight: float = TRAIL_SMOOTHING) -> np.ndarray:
        """(n, 2) the trail as drawn: a running mean from the first place on. The output jitters from batch
        to batch; the drift is what the trail shows (the marker stays on the output itself)."""
        raw = self.array()
        out = raw.copy()
        for i in range(1, len(raw)):
            out[i] = (1.0 - weight) * out[i - 1] + weight * raw[i]
        return out
