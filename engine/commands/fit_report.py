"""`blurlab fit`: run a scene with a loss for N steps, headless, and report in JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from engine.commands.why_report import check_temperature, why_json
from engine.fit.fit import Fit, run
from engine.io import atomic
from engine.lazy import lazy_import
from engine.model.data_scene import command_line_scene
from engine.model.losses import loss_info
from engine.model.points import points_density
from engine.model.scene import Scene, SceneError
from engine.model.settings import FitSettings
from engine.model.theory import markers, typicality

pictures = lazy_import("engine.commands.pictures")  # the decoders' pictures, only with --images


def fit_report(scene: Scene, settings: FitSettings, steps: int, images: str | Path | None = None,
               temperature: float | None = None) -> dict[str, Any]:
    """Fit `steps` steps and return the JSON result of the command-line contract; with `images`, also
    write the image pane's pictures there; with `temperature`, the annealed mean at it."""
    samples = scene.draw()
    fit = Fit(samples, scene.mixture, settings, span=scene.span)
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
    points = scene.points if scene.points is not None and scene.points.active else None
    share, distance = typicality(scene.mixture, estimate,
                                 points_density(samples, scene.mixture) if points is not None else None)
    loss = loss_info(settings.loss)
    floor = loss.floor_on(scene.mixture, samples, settings)
    report = {
        "format": "blurlab-fit",
        "version": 1,
        "scene": scene.name,
        "dim": scene.dim,
        "loss": settings.loss,
        "loss_title": loss.title,
        "seed": settings.seed,
        "samples": scene.samples,
        "learning_rate": loss.learning_rate(settings),
        "steps": fit.step_count,
        "seconds": round(elapsed, 4),
        "diverged": last.diverged,
        "message": last.message,
        "estimate": estimate.to_json(),
        "optimum": loss.end_point(scene.mixture, samples, settings).to_json(),
        "markers": {"mean": marks.mean.tolist(), "median": marks.median.tolist(), "modes": marks.modes.tolist()},
        "density_at_estimate": share,
        "log10_density_at_estimate": _log10_share(scene, estimate, share, points is not None),
        "distance_to_nearest_mode": distance,
        "loss_curve": fit.loss_history().tolist(),  # in the data's units, as are the floor and the landscape
        "loss_floor": None if floor is None else {"value": floor.value, "what": floor.what},
        "trajectory": fit.trajectory().tolist(),
    }
    if points is not None:  # the fit's samples are the scene's own points (a subsample above MAX_SAMPLES)
        report["data"] = {"origin": points.origin, "axes": list(points.axes), "points": len(points),
                          "points_used": len(samples), "density": "kernel density estimate of the points",
                          "mixture": [{"weight": float(w), "mean": c.mean.tolist(), "cov": c.cov.tolist()}
                                      for w, c in zip(scene.mixture.weights, scene.mixture.components)]}
    report.update(why_json(loss, scene.mixture, samples, settings, estimate, temperature))
    if images is not None:
        report["images"] = {"directory": str(images),
                            "figures": pictures.write_images(images, fit, scene.decoder, span=scene.span)}
    return report


def _log10_share(scene: Scene, estimate, share: float, own_points: bool) -> float | None:
    """log10 of the density at the single prediction as a share of the peak, exact where the share itself
    underflows (many properties); None for several predictions or a kernel density of one's own points."""
    points, _ = estimate.predictions()
    if own_points or len(points) != 1:
        return None if share <= 0 else float(np.log10(share))
    return float(scene.mixture.log_density_fraction(points)[0] / np.log(10))


def summary(report: dict[str, Any]) -> str:
    """One line for the terminal."""
    mean = np.round(report["estimate"]["mean"], 3).tolist()
    line = (f"{report['loss']} on {report['scene']!r}: {report['steps']} steps in {report['seconds']:.2f} s, "
            f"mean {mean}, data density at the prediction {_percent(report['density_at_estimate'])} of the peak")
    if report["diverged"]:
        line += f"\n{report['message']}"
    return line


def _percent(share: float) -> str:
    """A share as a percentage: one decimal, or two significant digits when that would read 0.0%."""
    return f"{100 * share:.1f}%" if 100 * share >= 0.05 or share == 0 else f"{100 * share:.2g}%"


def fail(message: str) -> int:
    """Say what is wrong on stderr, in the command line's words; the exit code of a bad argument."""
    print(f"blurlab: error: {message}", file=sys.stderr)
    return 2


def write_report(text: str, json_path: Path | None, summary_line: str) -> int:
    """A command's JSON: to --json FILE (atomically, the one-line summary on stderr) or to stdout.
    0 when written, 2 (with the message) when the file cannot be."""
    if not json_path:
        print(text)
        return 0
    try:
        atomic.write_text(json_path, text + "\n")
    except OSError as exc:
        return fail(f"--json: cannot write {json_path}: {exc.strerror}")
    print(summary_line, file=sys.stderr)
    return 0


def fit_command(scene: str | None, loss: str | None, steps: int, seed: int | None, lr: float | None,
                json_path: Path | None, images: Path | None, data: Path | None = None, columns: str | None = None,
                temperature: float | None = None) -> int:
    """The whole `fit` command: 0 done, 1 the fit diverged, 2 a bad scene, data file or argument."""
    if steps < 0:
        return fail("--steps: must be 0 or more")
    try:
        loaded = command_line_scene(data, columns, scene, seed)
        seed = loaded.seed if seed is None else seed
        loaded = loaded.with_(seed=seed)
        settings = FitSettings(loss=loss or loaded.loss, lr=lr, seed=seed)
        check_temperature(loss_info(settings.loss), temperature)
    except (SceneError, ValueError) as exc:
        return fail(str(exc))
    try:
        report = fit_report(loaded, settings, steps, images=images, temperature=temperature)
    except OSError as exc:
        return fail(f"--images: cannot write to {images}: {exc.strerror}")
    written = write_report(json.dumps(report, indent=1), json_path, summary(report))
    return written if written else (1 if report["diverged"] else 0)

