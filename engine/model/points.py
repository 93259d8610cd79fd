"""Points as the data: measurements read from a file or painted by hand, kept in a scene beside the
Gaussian mixture fitted to them.

A scene with points trains the fit on the points themselves (L2 ends at their mean, L1 at their
median); its mixture, fitted by EM, gives the handles, the modes, the image pane's modes and the
density reverse KL seeks. The user can switch the scene to samples drawn from that mixture, which the
handles then edit (`active` says which of the two the scene's samples are).

In a scene file the points are the key "points", which scene readers that do not know it keep:

    "points": {"values": [[3.6, 79.0], ...],       the points, one row each (in 1-D a plain list)
               "axes": ["eruptions", "waiting"],   the axes' names (a file's header)
               "origin": "faithful.csv",           where they came from, in words
               "span": [[2.0, 4.4], [54.0, 80.0]], per axis, the data values the decoder draws as its
                                                   two key poses (sedan and SUV); absent: the decoder's own
               "use": "points" | "mixture"}        what the scene's samples are

or, for a data set that ships with BlurLab, a reference instead of "values": "file" (its name in
resources/data), "columns" (which of its columns) and "sha256" (its checksum, so a session saved with
one version of the file is not silently opened on another). Sessions embed every other data set:
a session must reopen exactly on another machine (the talk laptop) where the imported file is not,
and painted points have no file at all; float values survive JSON exactly (repr round-trips).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import numpy as np

from engine.io.table import MIN_ROWS, Table, read_table
from engine.io.values import InvalidValue, describe, key_text, number
from engine.lazy import lazy_import
from engine.maths.gmm import fit_gaussian_mixture
from engine.maths.kde import Kde
from engine.model.mixture import Component, Mixture

hashlib = lazy_import("hashlib")  # its OpenSSL binding is slow to load, and only files need it

USES = ("points", "mixture")
DATA_PACKAGE = "resources.data"
KEY_POSES = (-2.0, 2.0)  # where the decoders draw their two key poses (sedan and SUV; the ball's left and right)


@dataclass(frozen=True, eq=False)
class PointSet:
    """The points of a scene (n, dim) and what belongs to them."""

    values: np.ndarray
    axes: tuple[str, ...] = ()  # the axes' names ("" where unnamed)
    origin: str = ""  # where the points came from, in words
    span: tuple[tuple[float, float], ...] | None = None  # per axis: data values at the decoder's key poses
    active: bool = True  # the scene's samples are these points; False: samples of its mixture
    file: str | None = None  # a bundled data file they were read from
    columns: tuple[str, ...] = ()  # that file's columns
    sha256: str = ""  # that file's checksum

    def __post_init__(self) -> None:
        values = np.array(self.values, dtype=float, ndmin=2)
        if values.ndim != 2 or values.shape[1] not in (1, 2):
            raise ValueError(f"points: expected an (n, 1) or (n, 2) array, got shape {values.shape}")
        values.flags.writeable = False
        object.__setattr__(self, "values", values)
        axes = tuple(self.axes) or ("",) * values.shape[1]
        object.__setattr__(self, "axes", axes)
        object.__setattr__(self, "columns", tuple(self.columns))
        if self.span is not None:
            object.__setattr__(self, "span", tuple((float(lo), float(hi)) for lo, hi in self.span))

    @property
    def dim(self) -> int:
        return self.values.shape[1]

    def __len__(self) -> int:
        return len(self.values)

    def with_(self, **changes: Any) -> PointSet:
        """A copy with fields replaced; new values are no longer the bundled file's."""
        if "values" in changes:
            changes = {"file": None, "columns": (), "sha256": "", **changes}
        return replace(self, **changes)

    def used(self, limit: int, seed: int) -> np.ndarray:
        """The points the fit and the panes use, in a seeded random order: all of them, or above `limit`
        the first `limit` of that order, so a million rows draw and fit at the speed of a few thousand.
        Shuffled, because whoever needs a few of the samples takes the first few (drawn samples are
        random already; a file's rows may be sorted)."""
        order = np.random.default_rng(seed).permutation(len(self.values))[:limit]
        return self.values[order]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.file is not None:
            out.update(file=self.file, columns=list(self.columns), sha256=self.sha256)
        else:
            out["values"] = (self.values[:, 0] if self.dim == 1 else self.values).tolist()
        out["axes"] = list(self.axes)
        if self.origin:
            out["origin"] = self.origin
        if self.span is not None:
            out["span"] = [list(s) for s in self.span]
        out["use"] = "points" if self.active else "mixture"
        return out


# -- decoding ---------------------------------------------------------------------------------------
def span_for(mixture: Mixture, values: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Per axis, the data values to draw as the decoder's two key poses: the outermost modes of the
    fitted mixture, so that the two kinds of eruption, say, decode to a sedan and an SUV; with one mode
    on an axis, the mean give or take a standard deviation."""
    modes = mixture.modes()
    out = []
    for k in range(values.shape[1]):
        lo, hi = float(modes[:, k].min()), float(modes[:, k].max())
        std = float(values[:, k].std())
        if hi - lo < std:
            centre = float(values[:, k].mean())
            lo, hi = centre - std, centre + std
        out.append((lo, hi) if hi > lo else (lo - 1.0, lo + 1.0))
    return tuple(out)


# -- the density of the points --------------------------------------------------------------------------
def within_spread(mixture: Mixture) -> np.ndarray:
    """Per axis, the standard deviation within the mixture's components (their variances, weighted):
    the spread a kernel density of multimodal points should be smoothed by (engine.maths.kde)."""
    return np.sqrt(np.einsum("k,kii->i", mixture.weights, mixture.covs))


def points_density(samples: np.ndarray, mixture: Mixture) -> Kde:
    """The density of a scene's own points: a KDE smoothed by the width of the mixture's components."""
    return Kde(samples, within_spread(mixture))


# -- the mixture behind the points --------------------------------------------------------------------
def fitted_mixture(values: np.ndarray, axes: tuple[str, ...] = (), seed: int = 0,
                   names_from: Mixture | None = None) -> Mixture:
    """A Gaussian mixture fitted to the points by EM, K from 1 to 6 by BIC; each component named, briefly,
    after where it sits ("eruptions 2.04" in 1-D, "at 2.04, 54.5" in 2-D: a caption under a picture), or
    by the name of the component of `names_from` it sits on (see `keep_names`)."""
    weights, means, covs = fit_gaussian_mixture(values, seed=seed)
    comps = [Component(float(w), m, _safe_cov(c, values), _place_name(m, axes))
             for w, m, c in zip(weights, means, covs)]
    mixture = Mixture(tuple(comps))
    return keep_names(mixture, names_from, axes) if names_from is not None else mixture


def _place_name(mean: np.ndarray, axes: tuple[str, ...]) -> str:
    """A component's name after where it sits."""
    first = (axes[0].split() or [""])[0] if axes else ""
    if len(mean) == 1:
        return f"{first} {mean[0]:.3g}" if first else f"at {mean[0]:.3g}"
    return "at " + ", ".join(f"{v:.3g}" for v in mean)


KEEP_WITHIN = 1.0  # how far (in the old component's standard deviations) a refitted one may sit and keep its name


def keep_names(mixture: Mixture, before: Mixture, axes: tuple[str, ...] = ()) -> Mixture:
    """`mixture` with the names of `before`'s components kept where one of its components sits on one of them:
    its mean within KEEP_WITHIN standard deviations of the old one's (Mahalanobis, by the old covariance),
    the nearest pairs first, each name given once. A name that only said where the old component was
    ("at -2.2, -1.93") is not kept: the new component is named after its own place."""
    pairs = []
    for i, new in enumerate(mixture.components):
        for j, old in enumerate(before.components):
            if old.dim != new.dim or not old.label or old.label == _place_name(old.mean, axes):
                continue
            gap = new.mean - old.mean
            try:
                distance = float(np.sqrt(gap @ np.linalg.solve(old.cov, gap)))
            except np.linalg.LinAlgError:
                continue
            if distance <= KEEP_WITHIN:
                pairs.append((distance, i, j))
    labels = [c.label for c in mixture.components]
    taken_new, taken_old = set(), set()
    for _, i, j in sorted(pairs):
        if i not in taken_new and j not in taken_old:
            labels[i] = before.components[j].label
            taken_new.add(i)
            taken_old.add(j)
    if not taken_new:
        return mixture
    return Mixture(tuple(replace(c, label=label) for c, label in zip(mixture.components, labels)))


def _safe_cov(cov: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A covariance the scene contract accepts (positive definite at its tolerance) at the data's scale."""
    scale = float(np.abs(values).max()) + 1.0
    return cov + np.eye(len(cov)) * 1e-9 * scale * scale


# -- reading from a scene file --------------------------------------------------------------------------
def _text_list(value: Any, key: str, dim: int) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) != dim or not all(isinstance(v, str) for v in value):
        raise InvalidValue(f"{key}: expected a list of {dim} name(s), got {describe(value)}")
    return tuple(value)


def _values(value: Any, dim: int) -> np.ndarray:
    key = "points.values"
    if not isinstance(value, list):
        raise InvalidValue(f"{key}: expected a list of points, got {describe(value)}")
    try:
        array = np.array(value)
    except ValueError:
        array = None
    if array is None or array.dtype.kind not in "if" or array.ndim not in (1, 2):
        for i, row in enumerate(value):  # find the first bad one, to name it
            items = [row] if dim == 1 and not isinstance(row, list) else row
            if not isinstance(items, list) or len(items) != dim:
                raise InvalidValue(f"{key}[{i}]: expected a point of {dim} number(s), got {describe(row)}")
            for j, v in enumerate(items):
                number(v, f"{key}[{i}]" + (f"[{j}]" if isinstance(row, list) else ""))
        raise InvalidValue(f"{key}: expected a list of points of {dim} number(s)")
    if array.ndim == 1:
        if dim != 1:
            raise InvalidValue(f"{key}: expected a list of points of {dim} numbers, got a list of numbers")
        array = array[:, None]
    if array.shape[1] != dim:
        raise InvalidValue(f"{key}[0]: expected a point of {dim} number(s), got {describe(value[0])}")
    if len(array) < MIN_ROWS:
        raise InvalidValue(f"{key}: expected at least {MIN_ROWS} points, got {len(array)}")
    return array.astype(float)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundled_points(name: str, columns: tuple[str, ...]) -> tuple[Table, str]:
    """A data set shipped with BlurLab (resources/data), its chosen columns, and the file's checksum."""
    entry = resources.files(DATA_PACKAGE).joinpath(name)
    if not entry.is_file():
        shipped = sorted(p.name for p in resources.files(DATA_PACKAGE).iterdir() if p.name.endswith((".csv", ".tsv")))
        raise InvalidValue(f"points.file: BlurLab ships no data file {name!r}; it ships {', '.join(shipped)}")
    with resources.as_file(entry) as path:
        return read_table(path, list(columns) or None), file_digest(path.read_bytes())


def parse_points(data: Any, dim: int) -> PointSet:
    """Validate a scene file's "points" object (see the module's docstring)."""
    if not isinstance(data, dict):
        raise InvalidValue(f"points: expected an object, got {describe(data)}")
    known = {"values", "file", "columns", "sha256", "axes", "origin", "span", "use"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidValue(f"points.{key_text(unknown[0])}: unknown key; the keys are {', '.join(sorted(known))}")
    use = data.get("use", "points")
    if use not in USES:
        raise InvalidValue(f"points.use: expected \"points\" or \"mixture\", got {describe(use)}")
    if ("values" in data) == ("file" in data):
        raise InvalidValue("points: give either \"values\" (the points) or \"file\" (a data set BlurLab ships)")
    file, columns, sha = None, (), ""
    if "file" in data:
        file = data["file"]
        if not isinstance(file, str):
            raise InvalidValue(f"points.file: expected a file name, got {describe(file)}")
        columns = _text_list(data.get("columns", []), "points.columns", dim) if "columns" in data else ()
        table, sha = bundled_points(file, columns)
        if "sha256" in data and data["sha256"] != sha:
            raise InvalidValue(f"points.sha256: the bundled {file} is not the file this scene was saved with "
                               "(BlurLab was updated); its points would differ")
        if table.values.shape[1] != dim:
            raise InvalidValue(f"points.columns: expected {dim} column(s) for a {dim}-D scene, got {table.values.shape[1]}")
        values, axes = table.values, table.names
    else:
        values, axes = _values(data["values"], dim), ("",) * dim
    if "axes" in data:
        axes = _text_list(data["axes"], "points.axes", dim)
    origin = data.get("origin", file or "")
    if not isinstance(origin, str):
        raise InvalidValue(f"points.origin: expected text, got {describe(origin)}")
    span = None
    if "span" in data:
        span = data["span"]
        ok = isinstance(span, list) and len(span) == dim and all(isinstance(s, list) and len(s) == 2 for s in span)
        if not ok:
            raise InvalidValue(f"points.span: expected {dim} pair(s) [low, high], got {describe(span)}")
        span = tuple((number(lo, f"points.span[{k}][0]"), number(hi, f"points.span[{k}][1]"))
                     for k, (lo, hi) in enumerate(span))
        for k, (lo, hi) in enumerate(span):
            if not lo < hi:
                raise InvalidValue(f"points.span[{k}]: expected low below high, got [{lo:g}, {hi:g}]")
    return PointSet(values, axes, origin, span, use == "points", file, columns, sha)


def scene_json(data: dict[str, Any]) -> str:
    """A scene file's text, indented, with the points one per line (a million of them stay readable)."""
    points = data.get("points")
    if not isinstance(points, dict) or "values" not in points:
        return json.dumps(data, indent=2)
    marker = "\u0000points\u0000"
    text = json.dumps({**data, "points": {**points, "values": marker}}, indent=2)
    rows = ",\n      ".join(json.dumps(v) for v in points["values"])
    return text.replace(json.dumps(marker), f"[\n      {rows}\n    ]" if rows else "[]")
