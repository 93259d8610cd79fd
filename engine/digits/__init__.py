"""Real handwritten digits, numpy only: the shipped MNIST subset, the two tasks, the exact answers each
loss must converge to, the small classifier that reads digits, and the figures under every picture."""

# The two tasks' stable ids (engine.digits.tasks builds them). Here, so that naming a task does not load
# the digits: the window's start-up needs the ids, not the pictures.
TASK_IDS: tuple[str, ...] = ("digit_from_label", "bottom_half")

# How the GAN of "draw a digit" draws: by bending typical real digits (engine.fit.digit_generator), or by
# painting every pixel from noise, from scratch. The first is the default.
GENERATORS: tuple[str, ...] = ("bend", "pixels")

# Optimiser steps after which a loss's pictures on real digits are ready: what `blurlab train` runs unless
# told otherwise, and what the tour waits for. One place for both.
READY_STEPS: dict[str, int] = {"l2": 2000, "l1": 1500, "min_of_k": 800, "adversarial": 1000, "l2_adversarial": 1500}


def ready_steps(loss_id: str) -> int:
    """The steps after which `loss_id`'s pictures on real digits are ready."""
    return READY_STEPS[loss_id]
