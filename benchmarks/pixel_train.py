"""The networks on real digits: seconds until the GAN of "draw a digit" meets the bar (at most 20% of its
digits in more than one piece, read as their label by the shipped classifier at least 90% as often as
held-out real digits are), the GAN as it is (bending real digits) against the GAN that paints pixels
(the baseline), median over a few runs; steps per second of every task and loss, how long the L2
network takes to come within RMSE 0.03 of the exact class means, the window's frame figures while
the data-space fit runs with and without the digit network training beside it (the baseline measured
in the same run), and the window's frames on the real-digits stage while its network trains flat out
(a 60-a-second timer's intervals, which stretch when a draw holds the event loop; goal p95 <= 18 ms),
at the desk and in talk mode at 1280x720. Prints figures; asserts nothing.

    python benchmarks/pixel_train.py [--gan-only | --stage-only] [--runs 3] [--threads 2] [--seconds 3]
                                     [--window-seconds 6]

One torch thread for the speeds, as in the fit process; --threads for the GAN's bar. Runs offscreen
unless a display is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from engine.maths.threads import limit_native_threads  # noqa: E402

limit_native_threads()
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_RMSE = 0.03
MAX_BROKEN = 0.20  # the bar: at most this share of digits in more than one 8-connected piece
READ_RATIO = 0.90  # and read as their label at least this share as often as real held-out digits are
PER_CLASS = 100  # samples drawn per label to check the bar
CHECK_EVERY = 250  # steps between checks (the checks are not counted as training time)


def gan_figures(trainer) -> dict[str, float]:
    """Broken share, the classifier's agreement with the label, and how evenly the samples spread over each
    class's ways of writing (the smallest ratio of a way's share of the samples to its share of the data)."""
    import numpy as np
    import torch

    from engine.digits.classifier import probabilities
    from engine.digits.space import digit_space
    from engine.digits.strokes import broken_share

    with torch.no_grad():
        drawn = trainer._draw(torch.eye(10).repeat_interleave(PER_CLASS, 0))[:, 0].numpy().reshape(10, PER_CLASS, 28, 28)
    labels = np.repeat(np.arange(10), PER_CLASS)
    read = (probabilities(drawn.reshape(-1, 28, 28))[:, :10].argmax(axis=1) == labels).mean()
    spread = []
    for c in range(10):
        space = digit_space(trainer.task, c)
        nearest, _ = space.nearest(drawn[c])
        for mode in space.modes:
            spread.append(np.isin(nearest, mode.members).mean() / mode.share)
    return {"broken": broken_share(drawn.reshape(-1, 28, 28)), "read": float(read), "spread": float(min(spread))}


def seconds_to_bar(generator: str, seed: int, max_seconds: float) -> tuple[float | None, int, dict[str, float]]:
    """Seconds of building and training (checks excluded) until the GAN meets the bar, None if not within max_seconds; the
    steps taken and the last figures."""
    import numpy as np

    from engine.digits.classifier import probabilities
    from engine.digits.data import load_digits
    from engine.fit.digits import DigitTrainer

    _, held = load_digits()
    real = (probabilities(held.images)[:, :10].argmax(axis=1) == held.labels).mean()
    built = time.perf_counter()
    trainer = DigitTrainer("digit_from_label", "adversarial", seed=seed, generator=generator)
    print(f"    ({generator}: built in {time.perf_counter() - built:.1f} s, counted below as training)", flush=True)
    trained = time.perf_counter() - built
    while True:
        figures = gan_figures(trainer)
        if figures["broken"] <= MAX_BROKEN and figures["read"] >= READ_RATIO * real:
            return trained, trainer.step_count, figures
        if trained > max_seconds:
            return None, trainer.step_count, figures
        start = time.perf_counter()
        for _ in range(CHECK_EVERY):
            trainer.step()
        trained += time.perf_counter() - start


def gan_bar(runs: int, threads: int, max_seconds: float) -> None:
    import torch

    torch.set_num_threads(threads)
    print(f"GAN of 'draw a digit' until the bar (broken <= {MAX_BROKEN:.0%}, read >= {READ_RATIO:.0%} of real), "
          f"{threads} torch threads, {PER_CLASS} samples a label:")
    for generator, name in (("bend", "bending real digits (now)"), ("pixels", "painting pixels (baseline)")):
        times = []
        for seed in range(runs):
            seconds, steps, f = seconds_to_bar(generator, seed, max_seconds)
            times.append(float("inf") if seconds is None else seconds)
            got = "not met" if seconds is None else f"{seconds:.1f} s"
            print(f"  {name:28s} seed {seed}: {got} after {steps} steps; broken {f['broken']:.0%}, "
                  f"read {f['read']:.0%}, least-covered way {f['spread']:.2f} of its share", flush=True)
        median = statistics.median(times)
        print(f"  {name:28s} median: " + ("not met" if median == float("inf") else f"{median:.1f} s"), flush=True)


def steps_per_second(task: str, loss: str, seconds: float) -> float:
    from engine.fit.digits import DigitTrainer

    trainer = DigitTrainer(task, loss)
    for _ in range(10):
        trainer.step()
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        trainer.step()
        n += 1
    return n / (time.perf_counter() - start)


def time_to_class_means() -> tuple[int, float]:
    """Steps and seconds of training (checks excluded) until every class is within TARGET_RMSE."""
    import numpy as np

    from engine.fit.digits import DigitTrainer

    trainer = DigitTrainer("digit_from_label", "l2")
    mean = trainer.task.mean_answer()
    trained = 0.0
    while trainer.step_count < 5000:
        start = time.perf_counter()
        for _ in range(25):
            trainer.step()
        trained += time.perf_counter() - start
        rmse = np.sqrt(np.mean((trainer.outputs()[:, 0] - mean) ** 2, axis=(1, 2)))
        if rmse.max() < TARGET_RMSE:
            break
    return trainer.step_count, trained


def window_frames(seconds: float, digits: bool) -> dict[str, float]:
    """The window's frame figures while the data-space fit runs flat out, with the digit network
    training in the same fit process or not."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import make_window
    from ui_latency import _percentile

    app = QApplication.instance() or QApplication(sys.argv)
    window = make_window()
    window.show()
    frames: list[float] = []
    digit_frames: list[float] = []
    window.fit.snapshotChanged.connect(lambda snap: frames.append(time.perf_counter()))
    window.digits.snapshotChanged.connect(lambda snap: digit_frames.append(time.perf_counter()))
    deadline = time.perf_counter() + 60
    while window.fit.latest is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    window.controls.speed.setValue(window.controls.speed.maximum())
    window.fit.set_running(True)
    if digits:
        window.digits.activate()
        window.digits.set_running(True)
    marks: dict[str, float] = {}

    def begin() -> None:
        frames.clear()
        digit_frames.clear()
        marks["time"] = time.perf_counter()
        marks["step"] = window.fit.latest.step
        marks["digit_step"] = window.digits.latest.step if window.digits.latest else 0

    def end() -> None:
        marks["end"] = time.perf_counter()  # before the window closes: its closing is not time it ran
        app.quit()

    QTimer.singleShot(1500, begin)  # the digits load and the network is built first
    QTimer.singleShot(1500 + int(seconds * 1000), end)
    app.exec()
    elapsed = marks["end"] - marks["time"]
    frames[:] = [t for t in frames if t <= marks["end"]]
    digit_frames[:] = [t for t in digit_frames if t <= marks["end"]]
    result = {
        "frame_median_ms": statistics.median(1000 * (b - a) for a, b in zip(frames, frames[1:])),
        "frame_p95_ms": _percentile([1000 * (b - a) for a, b in zip(frames, frames[1:])], 95),
        "fps": len(frames) / elapsed,
        "fit_steps_per_s": (window.fit.latest.step - marks["step"]) / elapsed,
    }
    if digits and window.digits.latest is not None:
        result["digit_frames_per_s"] = len(digit_frames) / elapsed
        result["digit_steps_per_s"] = (window.digits.latest.step - marks["digit_step"]) / elapsed
    window.fit.set_running(False)
    window.close()
    return result


def stage_frames(seconds: float, talk: bool, loss: str = "l2") -> dict[str, float]:
    """The window's frames on the real-digits stage while its network trains flat out: the intervals of a
    timer asking for a frame every 16 ms, and what drawing the plane and pictures costs each time."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import make_window
    from ui_latency import _percentile

    app = QApplication.instance() or QApplication(sys.argv)
    window = make_window()
    window.resize(1280, 720)
    window.show()
    deadline = time.perf_counter() + 60
    while (window.fit_process is None or not window.fit_process.started) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if talk:
        window.talk_mode.set_talk_mode(True, full_screen=False)
    window.show_stage("real_digits")
    stage = window.current_stage
    digits = window.digits
    digits.set_loss(loss)
    digits.set_index(7)
    digits.set_running(True)
    ticks: list[float] = []
    draws: list[float] = []
    draw = stage._draw_marks

    def timed_draw() -> None:
        start = time.perf_counter()
        draw()
        draws.append(1000 * (time.perf_counter() - start))

    stage._throttle._action = timed_draw
    pictures: list[float] = []  # the big pictures follow the plane on the next turn of the event loop

    def timed_pictures() -> None:
        start = time.perf_counter()
        stage._draw_pictures()
        pictures.append(1000 * (time.perf_counter() - start))

    if hasattr(stage, "_pictures_timer"):  # an older checkout draws them with the plane
        stage._pictures_timer.timeout.disconnect()
        stage._pictures_timer.timeout.connect(timed_pictures)
    timer = QTimer(timerType=Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% late by design
    timer.setInterval(16)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    marks: dict[str, float] = {}

    def begin() -> None:
        ticks.clear()
        draws.clear()
        pictures.clear()
        marks["time"] = time.perf_counter()
        marks["step"] = digits.latest.step if digits.latest else 0
        timer.start()

    deadline = time.perf_counter() + 180
    while digits.latest is None and time.perf_counter() < deadline:  # the digits load, the network is built
        app.processEvents()
        time.sleep(0.005)
    def end() -> None:
        # Read before quitting: closing the window (the fit process's exit) is not time the stage ran.
        marks["end"] = time.perf_counter()
        app.quit()

    QTimer.singleShot(500, begin)
    QTimer.singleShot(500 + int(seconds * 1000), end)
    app.exec()
    elapsed = marks["end"] - marks["time"]
    ticks[:] = [t for t in ticks if t <= marks["end"]]
    intervals = [1000 * (b - a) for a, b in zip(ticks, ticks[1:])]
    result = {
        "frame_median_ms": statistics.median(intervals), "frame_p95_ms": _percentile(intervals, 95),
        "fps": len(ticks) / elapsed, "draws_per_s": len(draws) / elapsed,
        "draw_median_ms": statistics.median(draws) if draws else float("nan"),
        "draw_p95_ms": _percentile(draws, 95) if draws else float("nan"),
        "pictures_median_ms": statistics.median(pictures) if pictures else float("nan"),
        "pictures_p95_ms": _percentile(pictures, 95) if pictures else float("nan"),
        "digit_steps_per_s": (digits.latest.step - marks["step"]) / elapsed,
    }
    timer.stop()
    digits.set_running(False)
    window.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per task and loss")
    parser.add_argument("--window-seconds", type=float, default=6.0)
    parser.add_argument("--runs", type=int, default=3, help="GAN runs (seeds) for the median")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for the GAN's bar")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="give a GAN up after this much training")
    parser.add_argument("--gan-only", action="store_true", help="only the GAN's seconds to the bar")
    parser.add_argument("--stage-only", action="store_true", help="only the real-digits stage's frames")
    args = parser.parse_args()
    if args.stage_only:
        for talk in (False, True):
            for loss in ("l2", "adversarial"):
                figures = stage_frames(args.window_seconds, talk, loss)
                name = f"real-digits stage, {'talk' if talk else 'desk'}, {loss} training"
                print(f"window, {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()), flush=True)
        return
    gan_bar(args.runs, args.threads, args.max_seconds)
    if args.gan_only:
        return
    import torch

    from engine.digits.tasks import TASK_IDS
    from engine.model.losses import IMAGE_LOSS_IDS

    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, {os.cpu_count()} cores")
    print("steps per second (batch of 64):")
    for task in TASK_IDS:
        for loss in IMAGE_LOSS_IDS:
            print(f"  {task:<17} {loss:<15} {steps_per_second(task, loss, args.seconds):7.0f}", flush=True)
    steps, seconds = time_to_class_means()
    print(f"L2 within RMSE {TARGET_RMSE} of every class mean: {steps} steps, {seconds:.1f} s of training")
    for digits in (False, True):
        figures = window_frames(args.window_seconds, digits)
        name = "data-space fit and digit network" if digits else "data-space fit alone (baseline)"
        print(f"window, {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()), flush=True)
    for talk in (False, True):
        figures = stage_frames(args.window_seconds, talk)
        name = f"real-digits stage, {'talk' if talk else 'desk'}, l2 training"
        print(f"window, {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()
