"""Benchmark: optimiser steps per second of every loss on the default scene, and what snapshots cost.

    python benchmarks/fit_speed.py [--repeats 5] [--seconds 0.5] [--no-busy]

Each figure is the median of a few timed repeats on one warmed-up fit. "bare" is a loop of
`Fit.step()`; "run()" iterates the generator the command line and the tests use, which also builds a
frozen snapshot after every step; "service" is the fit process's own loop (`FitService.tick()` at full
speed, frames at 60 Hz and the pixel-space fit beside it, as in the app). Ratios are against bare.
The second table repeats the bare loop while another process keeps one core busy, as the
GUI thread does while it paints: there a second torch thread hurts instead of helping.
Times depend on the machine and its load; nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

# Run from a checkout without installing: the repository root holds the `engine` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from engine.model.losses import LOSS_IDS  # noqa: E402
from engine.fit.fit import Fit, FitSettings, run  # noqa: E402
from engine.model.scene import DEFAULT_SCENE, bundled_scene  # noqa: E402

WARMUP_STEPS = 30


def _bare(fit: Fit, steps: int) -> None:
    for _ in range(steps):
        fit.step()


def _generator(fit: Fit, steps: int) -> None:
    for _ in run(fit, steps=steps):
        pass


class _Service:
    """A FitService running flat out; `loop(fit, steps)` ticks it until `steps` more steps are done."""

    def __init__(self) -> None:
        self.service = None

    def make(self, scene, settings):
        from engine.fit.protocol import Pace, Run
        from engine.fit.service import FitService

        self.service = FitService(scene.draw(), scene.mixture, settings, scene.decoder)
        self.service.handle(Pace("fit", float("inf")))
        self.service.handle(Run("fit", True))
        return self.service.fit

    def __call__(self, fit: Fit, steps: int) -> None:
        goal = fit.step_count + steps
        while fit.step_count < goal:
            self.service.tick()


def steps_per_second(loss: str, loop, repeats: int, seconds: float) -> float:
    """Median rate of `loop` over `repeats` timed chunks of about `seconds` each."""
    scene = bundled_scene(DEFAULT_SCENE)
    settings = FitSettings(loss=loss, seed=scene.seed)
    fit = loop.make(scene, settings) if isinstance(loop, _Service) else Fit(scene.draw(), scene.mixture, settings)
    started = time.perf_counter()
    loop(fit, WARMUP_STEPS)
    per_step = (time.perf_counter() - started) / WARMUP_STEPS
    chunk = max(20, int(seconds / per_step))
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        loop(fit, chunk)
        rates.append(chunk / (time.perf_counter() - started))
        if fit.diverged:
            raise RuntimeError(f"{loss}: the benchmark fit diverged: {fit.message}")
    return statistics.median(rates)


@contextmanager
def busy_core():
    """Another process spinning on one core for as long as the block runs."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per figure (default 5)")
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one repeat (default 0.5)")
    parser.add_argument("--no-busy", action="store_true", help="skip the table with one core kept busy")
    args = parser.parse_args(argv)
    scene = bundled_scene(DEFAULT_SCENE)
    print(f"Scene {DEFAULT_SCENE!r}, {scene.samples} samples; torch {torch.__version__}; "
          f"median of {args.repeats} repeats of ~{args.seconds:g} s")
    print()

    rows = []
    for loss, threads in [(loss, 1) for loss in LOSS_IDS] + [("l2", 2)]:
        torch.set_num_threads(threads)
        bare = steps_per_second(loss, _bare, args.repeats, args.seconds)
        gen = steps_per_second(loss, _generator, args.repeats, args.seconds)
        service = steps_per_second(loss, _Service(), args.repeats, args.seconds)
        rows.append((loss, threads, bare, gen, service))
    header = (f"{'loss':<14}{'threads':>8}{'bare steps/s':>15}{'run() steps/s':>16}{'run()/bare':>12}"
              f"{'service steps/s':>17}{'service/bare':>14}")
    print(header)
    print("-" * len(header))
    for loss, threads, bare, gen, service in rows:
        print(f"{loss:<14}{threads:>8}{bare:>15,.0f}{gen:>16,.0f}{gen / bare:>12.2f}{service:>17,.0f}"
              f"{service / bare:>14.2f}")
    if args.no_busy:
        return 0

    print()
    print("Bare steps/s with one core kept busy by another process:")
    rows = []
    with busy_core():
        for loss in LOSS_IDS:
            rates = []
            for threads in (1, 2):
                torch.set_num_threads(threads)
                rates.append(steps_per_second(loss, _bare, args.repeats, args.seconds))
            rows.append((loss, *rates))
    header = f"{'loss':<14}{'1 thread':>10}{'2 threads':>11}{'1 / 2':>8}"
    print(header)
    print("-" * len(header))
    for loss, one, two in rows:
        print(f"{loss:<14}{one:>10,.0f}{two:>11,.0f}{one / two:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
