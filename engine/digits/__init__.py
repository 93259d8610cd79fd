"""Real handwritten digits, numpy only: the shipped MNIST subset, the two tasks, the exact answers each
loss must converge to, the small classifier that reads digits, and the figures under every picture."""
