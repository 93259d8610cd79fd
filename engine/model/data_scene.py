"""Scenes of your own data: points read from a file or painted by hand, with the mixture fitted to them.

An import and a painting build the same kind of scene: a `Scene` whose `points` are the data and
whose mixture is the one EM fitted to them (engine.model.points says what each part is for).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.io.table import MIN_ROWS, parse_columns, read_table
from engine.io.values import InvalidValue
from engine.model.points import PointSet, fitted_mixture, span_for
from engine.model.scene import MAX_SAMPLES, Scene, SceneError, resolve_scene

MIXTURE_SAMPLES = (1000, 20_000)  # samples drawn from the fitted mixture: as many as the points, within these
PAINTED = "painted"


def _check_spread(values: np.ndarray, axes: tuple[str, ...], origin: str) -> None:
    for k in range(values.shape[1]):
        if values[:, k].std() == 0:
            name = axes[k] if k < len(axes) and axes[k] else f"column {k + 1}"
            raise InvalidValue(f"{origin}: every value of {name} is {values[0, k]:g}; with no spread there is "
                               "nothing to fit")


def scene_from_points(values: np.ndarray, axes: tuple[str, ...] = (), origin: str = "", *, name: str | None = None,
                      decoder: str = "cars", loss: str = "l2", seed: int = 0,
                      span: tuple[tuple[float, float], ...] | None | str = "fit",
                      file: str | None = None, columns: tuple[str, ...] = ()) -> Scene:
    """A scene of these points and the mixture fitted to them. `span` "fit": the decoder draws the
    outermost modes as its key poses; None: the points are in the decoder's own units (painted over a
    mixture scene)."""
    values = np.asarray(values, dtype=float)
    if len(values) < MIN_ROWS:
        raise InvalidValue(f"{origin or 'points'}: at least {MIN_ROWS} points are needed, got {len(values)}")
    _check_spread(values, axes, origin or "points")
    mixture = fitted_mixture(values, axes, seed)
    if span == "fit":
        span = span_for(mixture, values)
    points = PointSet(values, axes, origin, span, True, file, columns)
    samples = int(np.clip(len(values), *MIXTURE_SAMPLES))
    return Scene(name or Path(origin).stem or "Your data", mixture, min(samples, MAX_SAMPLES), seed, decoder, loss,
                 {}, points)


def load_data(path: str | Path, columns: list[str] | None = None, **options) -> Scene:
    """A scene of the chosen columns of a CSV, TSV or .npy file (InvalidValue naming line and column if bad)."""
    table = read_table(path, columns)
    return scene_from_points(table.values, table.names, table.source, **options)


def repainted(scene: Scene, values: np.ndarray, refit: bool = True) -> Scene:
    """The scene with these points instead of its own (a brush or an eraser at work), showing the points.
    `refit`: fit the mixture anew (at the end of a stroke); otherwise keep the one it has (mid-stroke,
    and whenever there are too few points to fit one)."""
    values = np.asarray(values, dtype=float).reshape(-1, scene.dim)
    points = scene.points
    if points is None:
        points = PointSet(np.zeros((0, scene.dim)), (), PAINTED, None)
    mixture = scene.mixture
    if refit and len(values) >= MIN_ROWS and all(values[:, k].std() > 0 for k in range(scene.dim)):
        mixture = fitted_mixture(values, points.axes, scene.seed, names_from=scene.mixture)
    origin = points.origin if points.origin.endswith(PAINTED) else f"{points.origin}, {PAINTED}".lstrip(", ")
    return scene.with_(mixture=mixture, points=points.with_(values=values, active=True, origin=origin))


def uses_points(scene: Scene) -> bool:
    return scene.points is not None and scene.points.active



def command_line_scene(data: str | Path | None, columns: str | None, scene: str | None = None,
                       seed: int | None = None) -> Scene:
    """The scene the command line asks for: of the points of `--data` (and `--columns`), else `--scene`'s.
    Raises SceneError in one line, naming the line and column of a bad file."""
    if data is None:
        if columns is not None:
            raise SceneError("--columns: goes with --data FILE")
        return resolve_scene(scene)
    if scene is not None:
        raise SceneError("--data: the data come from --scene or from --data, not both")
    return load_data(data, parse_columns(columns) if columns is not None else None, seed=seed or 0)
