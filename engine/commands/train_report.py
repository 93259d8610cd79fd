"""`blurlab train`: train a network on real digits for N steps, headless, and report in JSON (and PNGs)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from engine.commands.fit_report import fail, write_report
from engine.digits import ready_steps
from engine.digits.figures import measure
from engine.digits.space import digit_space
from engine.digits.tasks import TASK_IDS, make_task
from engine.fit.digits import DigitTrainer
from engine.io.pixels import tile
from engine.io.png import write_png
from engine.model.losses import IMAGE_LOSS_IDS, image_loss_info

DEVICES = ("cpu", "cuda", "mps", "auto")
TORCH_THREADS = 2  # the "1-2 threads": a headless run has the machine to itself
TRAJECTORY_POINTS = 60  # the first output's path is kept at this many steps (evenly spaced, step 0 included)


def pick_device(device: str) -> str:
    """The torch device for `device`; ValueError naming it if this machine has none such."""
    available = {"cpu": True, "cuda": torch.cuda.is_available(),
                 "mps": bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())}
    if device == "auto":
        return next(d for d in ("cuda", "mps", "cpu") if available[d])
    if device not in available:
        raise ValueError(f"--device: choose one of {', '.join(DEVICES)}, not {device!r}")
    if not available[device]:
        raise ValueError(f"--device: {device} is not available on this machine (try cpu or auto)")
    return device


def _grid(pictures: np.ndarray) -> np.ndarray:
    """Rows of grey pictures (rows, n, H, W) as one RGB image for a PNG."""
    rows, n, h, w = pictures.shape
    flat = np.repeat(pictures.reshape(rows * n, h, w, 1), 3, axis=3)
    return tile(flat, columns=n, background=0.5)


def _space(task, index: int, outputs: np.ndarray, path: np.ndarray) -> dict[str, Any]:
    """The `space` entry of one input: the plane of its real examples with the network's outputs now and
    the first output's path from step 0 projected on it, and how close the outputs are to real ones."""
    space = digit_space(task, index)
    close = space.closeness(outputs)
    return {**space.to_json(),
            "outputs": np.round(space.project(outputs), 4).tolist(),
            "trajectory": np.round(space.project(path), 4).tolist(),
            "closeness": {"nearest_rmse": np.round(close.distance, 4).tolist(),
                          "typical_nearest_rmse": round(close.typical, 4),
                          "closer_than_neighbours": close.closer_than_neighbours.tolist(),
                          "means": "RMSE per pixel to the nearest real example, beside the median RMSE of a real "
                                   "example to its own nearest neighbour; and how many real examples the output "
                                   "is closer to than their own nearest neighbour is"}}


def train_report(task_id: str, loss_id: str, steps: int | None, seed: int, device: str = "cpu",
                 adversarial_weight: float | None = None, images: str | Path | None = None) -> dict[str, Any]:
    """Train `steps` steps (None: the loss's ready count, engine.digits.READY_STEPS) and return the JSON
    result; with `images`, also write the pictures there."""
    steps = ready_steps(loss_id) if steps is None else steps
    marks = set(np.round(np.linspace(0, steps, min(steps, TRAJECTORY_POINTS - 1) + 1)).astype(int).tolist())
    threads = torch.get_num_threads()
    torch.set_num_threads(min(threads, TORCH_THREADS))
    try:
        trainer = DigitTrainer(task_id, loss_id, seed, adversarial_weight, device=device)
        path = [trainer.outputs()[:, 0]]
        started = time.perf_counter()
        elapsed = 0.0
        for step in range(1, steps + 1):
            trainer.step()
            if step in marks:  # the path's record is not counted in the training time
                elapsed += time.perf_counter() - started
                path.append(trainer.outputs()[:, 0])
                started = time.perf_counter()
        elapsed += time.perf_counter() - started
    finally:
        torch.set_num_threads(threads)
    path = np.stack(path, axis=1)  # (m, points, rows, 28)
    task = trainer.task
    outputs = trainer.outputs()  # (m, n, rows, 28)
    pictures = task.compose(outputs)
    optimum = task.mean_answer()
    optimum_pictures = task.compose(optimum[:, None])[:, 0]
    entries = []
    for i, input_id in enumerate(task.input_ids):
        entry: dict[str, Any] = {
            "input": input_id,
            "label": task.input_labels[i],
            "images": [np.round(o, 4).tolist() for o in outputs[i]],
        }
        if task.targets is not None:
            entry["top"] = np.round(task.base[i, : task.rows], 4).tolist()
            entry["target"] = np.round(task.targets[i], 4).tolist()
        entry["optimum"] = np.round(optimum[i], 4).tolist()
        entry["figures"] = {
            "images": [f.to_json() for f in measure(task, i, pictures[i])],
            "optimum": measure(task, i, optimum_pictures[i : i + 1])[0].to_json(),
            "examples": [f.to_json() for f in measure(task, i, task.examples[i])],
        }
        entry["space"] = _space(task, i, outputs[i], path[i])
        entries.append(entry)
    loss = image_loss_info(loss_id)
    report = {
        "format": "blurlab-train",
        "version": 1,
        "task": task_id,
        "loss": loss_id,
        "loss_title": loss.image_title,
        "steps": trainer.step_count,
        "seed": seed,
        "device": str(trainer.device),
        "seconds": round(elapsed, 4),
        "adversarial_weight": trainer.adversarial_weight,
        "starts_from": ("typical real digits of each class, which it learns to bend" if trainer.bends else
                        "the most typical real digit of each input's main way of writing"
                        if loss.images.outputs == "one" else "random weights"),
        "optimum_is": "the exact L2 answer: " + ("the class mean image" if task.rows == 0 else
                                                "the mean bottom of the nearest tops (the conditional mean)"),
        "outputs": entries,
        "loss_curve": [round(v, 6) for v in trainer.loss_history().tolist()],
    }
    if images is not None:
        out = Path(images)
        out.mkdir(parents=True, exist_ok=True)
        write_png(out / "outputs.png", _grid(pictures))
        write_png(out / "optimum.png", _grid(optimum_pictures[:, None]))
        write_png(out / "examples.png", _grid(task.examples))
        files = ["outputs.png", "optimum.png", "examples.png"]
        if task.targets is not None:
            write_png(out / "targets.png", _grid(task.compose(task.targets[:, None])))
            files.append("targets.png")
        report["images"] = {"directory": str(out), "files": files}
    return report


def summary(report: dict[str, Any]) -> str:
    """One line for the terminal."""
    mse = np.mean([f["mse"] for o in report["outputs"] for f in o["figures"]["images"]])
    blur = np.mean([f["blur"] for o in report["outputs"] for f in o["figures"]["images"]])
    return (f"{report['loss']} on {report['task']}: {report['steps']} steps in {report['seconds']:.2f} s "
            f"on {report['device']}, squared error to the data {mse:.4f}, blur {blur:.2f}")


def train_command(task: str, loss: str, steps: int | None, seed: int, device: str, json_path: Path | None,
                  images: Path | None, adversarial_weight: float | None = None) -> int:
    """The whole `train` command: 0 done, 2 a bad argument (the message names it)."""
    if task not in TASK_IDS:
        return fail(f"--task: choose one of {', '.join(TASK_IDS)}, not {task!r}")
    if loss not in IMAGE_LOSS_IDS:
        return fail(f"--loss: choose one of {', '.join(IMAGE_LOSS_IDS)}, not {loss!r}")
    if steps is not None and steps < 0:
        return fail("--steps: must be 0 or more")
    if adversarial_weight is not None and not 0.0 <= adversarial_weight <= 1.0:
        return fail(f"--adversarial-weight: must be between 0 and 1, got {adversarial_weight:g}")
    try:
        device = pick_device(device)
    except ValueError as exc:
        return fail(str(exc))
    make_task(task)  # loads the digits before the clock starts
    try:
        report = train_report(task, loss, steps, seed, device, adversarial_weight, images)
    except KeyboardInterrupt:
        print("blurlab: train stopped (Ctrl+C); nothing written", file=sys.stderr)
        return 130
    except OSError as exc:
        return fail(f"--images: cannot write to {images}: {exc.strerror}")
    return write_report(json.dumps(report), json_path, summary(report))
