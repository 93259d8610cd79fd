"""The headless fit of the command line: run a scene with a loss for N steps and report in JSON."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from engine.catalogue import LOSSES, loss_info
from engine.fit import Fit, FitSettings, run
from engine.scene import Scene, bundled_scene, bundled_scene_ids
from engine.theory import markers, optimum, typicality


def fit_report(scene: Scene, settings: FitSettings, steps: int, images: str | Path | None = None) -> dict[str, Any]:
    """Fit `steps` steps and return the JSON result of the command-line contract; with `images`, also
    write the image pane's pictures there."""
    samples = scene.draw()
    fit = Fit(samples, scene.mixture, settings)
    started = time.perf_counter()
    last = fit.snapshot()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors: more threads only add overhead, and collapse if a core is busy
    try:
        for last in run(fit, steps=steps):
            pass
    finally:
        torch.set_num_threads(threads)
    elapsed = time.perf_counter() - started
    estimate = fit.estimate
    marks = markers(scene.mixture, samples)
    share, distance = typicality(scene.mixture, estimate)
    report = {
        "format": "blurlab-fit",
        "version": 1,
        "scene": scene.name,
        "dim": scene.dim,
        "loss": settings.loss,
        "loss_title": loss_info(settings.loss).title,
        "seed": settings.seed,
        "samples": scene.samples,
        "learning_rate": settings.learning_rate,
        "steps": fit.step_count,
        "seconds": round(elapsed, 4),
        "diverged": last.diverged,
        "message": last.message,
        "estimate": estimate.to_json(),
        "optimum": optimum(settings.loss, scene.mixture, samples, k=settings.k, huber_delta=settings.huber_delta,
                           seed=settings.seed),
        "markers": {"mean": marks.mean.tolist(), "median": marks.median.tolist(), "modes": marks.modes.tolist()},
        "density_at_estimate": share,
        "distance_to_nearest_mode": distance,
        "loss_curve": fit.loss_history().tolist(),
        "trajectory": fit.trajectory().tolist(),
    }
    if images is not None:
        from engine.image_export import write_images

        report["images"] = {"directory": str(images), "figures": write_images(images, fit, scene.decoder)}
    return report


def loss_table() -> str:
    width = max(len(info.id) for info in LOSSES)
    return "\n".join(f"{info.id:<{width}}  {info.title}: {info.explanation}" for info in LOSSES)


def scene_table() -> str:
    rows = []
    for scene_id in bundled_scene_ids():
        scene = bundled_scene(scene_id)
        labels = ", ".join(label or "?" for label in scene.mixture.labels)
        rows.append((scene_id, f"{scene.name} ({scene.dim}-D, {_count(len(scene.mixture.components), 'mode')}: {labels})"))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b}" for a, b in rows)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summary(report: dict[str, Any]) -> str:
    """One line for the terminal."""
    mean = np.round(report["estimate"]["mean"], 3).tolist()
    line = (f"{report['loss']} on {report['scene']!r}: {report['steps']} steps in {report['seconds']:.2f} s, "
            f"mean {mean}, data density at the prediction {100 * report['density_at_estimate']:.1f}% of the peak")
    if report["diverged"]:
        line += f"\n{report['message']}"
    return line
