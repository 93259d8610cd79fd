"""The networks on real digits: steps per second of every task and loss, how long the L2 network
takes to come within RMSE 0.03 of the exact class means, and the window's frame figures while the
data-space fit runs with and without the digit network training beside it (the baseline measured in
the same run). Prints figures; asserts nothing.

    python benchmarks/pixel_train.py [--seconds 3] [--window-seconds 6]

One torch thread, as in the fit process. Runs offscreen unless a display is set.
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

    QTimer.singleShot(1500, begin)  # the digits load and the network is built first
    QTimer.singleShot(1500 + int(seconds * 1000), app.quit)
    app.exec()
    elapsed = time.perf_counter() - marks["time"]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per task and loss")
    parser.add_argument("--window-seconds", type=float, default=6.0)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
