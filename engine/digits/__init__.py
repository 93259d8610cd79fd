"""Real handwritten digits, numpy only: the shipped MNIST subset, the two tasks, the exact answers each
loss must converge to, the small classifier that reads digits, and the figures under every picture."""

# The two tasks' stable ids (engine.digits.tasks builds them). Here, so that naming a task does not load
# the digits: the window's start-up needs the ids, not the pictures.
TASK_IDS: tuple[str, ...] = ("digit_from_label", "bottom_half")
