"""The benchmarks' clock: the median time of a call, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(fn: Callable[[], object], repeats: int, warm: bool = False) -> float:
    """The median of `repeats` timed calls of fn; `warm`: one untimed call first (caches, allocations)."""
    if warm:
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)
