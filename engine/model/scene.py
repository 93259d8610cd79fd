"""Scene files (the JSON contract of the brief): validate, load, save, and the bundled scenes."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.decoders import DECODER_NAMES as DECODERS
from engine.decoders import decoder_dims
from engine.io import atomic
from engine.io.values import InvalidValue, describe, key_text, number, whole
from engine.lazy import lazy_import
from engine.model.losses import LOSS_IDS
from engine.model.mixture import Component, Mixture

if TYPE_CHECKING:
    from engine.model.points import PointSet

# points import scenes: a scene with points (or a scene written) loads them, and not before
points_module = lazy_import("engine.model.points")
# engine.model.points (your own points: their checks, their file format, EM) loads with the first scene that
# has points, or the first one written: a scene of a mixture alone does not wait for it.

FORMAT = "blurlab-scene"
VERSION = 1
MAX_SAMPLES = 200_000
MAX_DIM = 8  # dimensions a scene may have (the many-properties scene's eight properties)
MAX_COMPONENTS = 256  # components a scene may have: 2^8, every kind of car of eight two-kind properties


# A scene file or value that cannot be used; the message names the key and the problem. It is the one
# exception type of every check of a user's values (engine.io.values), by the name the scene contract uses.
SceneError = InvalidValue


@dataclass(frozen=True, eq=False)
class Scene:
    """What a scene file holds: the data (a mixture, or your own points and the mixture fitted to them), the
    loss to fit, and how many samples to draw with which seed."""

    name: str
    mixture: Mixture
    samples: int = 4000
    seed: int = 0
    decoder: str = "cars"
    loss: str = "l2"
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not interpret, kept on save
    points: PointSet | None = None  # your own data (engine.model.points), beside the mixture fitted to it

    @property
    def dim(self) -> int:
        return self.mixture.dim

    @property
    def span(self) -> tuple[tuple[float, float], ...] | None:
        """Where the scene's units meet the decoder's: its points' span (None: the decoder's own units)."""
        return None if self.points is None else self.points.span

    def draw(self) -> np.ndarray:
        """The scene's samples: its points if it uses them (above MAX_SAMPLES a seeded subsample), else
        drawn from the mixture; the same seed and mixture give the same points."""
        if self.points is not None and self.points.active:
            return self.points.used(MAX_SAMPLES, self.seed)
        return self.mixture.sample(self.samples, self.seed)

    def with_(self, **changes: Any) -> Scene:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        comps = [
            {"label": c.label, "weight": c.weight, "mean": c.mean.tolist(), "cov": c.cov.tolist()}
            for c in self.mixture.components
        ]
        out = {"format": FORMAT, "version": VERSION, "name": self.name, "dim": self.dim, "components": comps,
               "samples": self.samples, "seed": self.seed, "decoder": self.decoder, "loss": self.loss}
        if self.points is not None:
            out["points"] = self.points.to_json()
        out.update(self.extra)
        return out


# -- validation -----------------------------------------------------------------
def _require(data: dict, key: str, where: str = "") -> Any:
    if key not in data:
        raise SceneError(f"{where}{key}: missing")
    return data[key]


def parse_component(data: Any, dim: int, where: str) -> Component:
    if not isinstance(data, dict):
        raise SceneError(f"{where}: expected an object with weight, mean and cov, got {describe(data)}")
    weight = number(_require(data, "weight", where + "."), where + ".weight")
    if weight <= 0:
        raise SceneError(f"{where}.weight: must be positive, got {weight:g}")
    mean = _require(data, "mean", where + ".")
    if not isinstance(mean, list) or len(mean) != dim:
        raise SceneError(f"{where}.mean: expected a list of {dim} number(s), got {describe(mean)}")
    mean_v = [number(v, f"{where}.mean[{i}]") for i, v in enumerate(mean)]
    cov = _require(data, "cov", where + ".")
    if not isinstance(cov, list) or len(cov) != dim or not all(isinstance(r, list) and len(r) == dim for r in cov):
        raise SceneError(f"{where}.cov: expected a {dim}x{dim} matrix (a list of {dim} lists), got {describe(cov)}")
    cov_m = np.array([[number(v, f"{where}.cov[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(cov)])
    check_covariance(cov_m, f"{where}.cov")
    label = data.get("label", "")
    if not isinstance(label, str):
        raise SceneError(f"{where}.label: expected text, got {describe(label)}")
    return Component(weight, np.array(mean_v), cov_m, label)


def check_covariance(cov: np.ndarray, key: str) -> None:
    """Raise SceneError unless cov is finite, symmetric and positive definite."""
    if not np.all(np.isfinite(cov)):
        raise SceneError(f"{key}: must hold finite numbers")
    if not np.allclose(cov, cov.T, rtol=1e-9, atol=1e-12):
        raise SceneError(f"{key}: must be symmetric")
    if np.linalg.eigvalsh(cov).min() <= 1e-12 * max(1.0, float(np.abs(cov).max())):
        raise SceneError(f"{key}: not positive definite (it must spread in every direction)")


def parse_scene(data: Any) -> Scene:
    """Validate a decoded JSON object against the scene contract."""
    if not isinstance(data, dict):
        raise SceneError(f"scene: expected a JSON object, got {describe(data)}")
    fmt = _require(data, "format")
    if fmt != FORMAT:
        raise SceneError(f"format: expected {FORMAT!r}, got {fmt!r} (not a BlurLab scene)")
    version = _require(data, "version")
    if version != VERSION:
        raise SceneError(f"version: this BlurLab reads version {VERSION}, the file is version {version!r}")
    name = data.get("name", "Untitled")
    if not isinstance(name, str):
        raise SceneError(f"name: expected text, got {describe(name)}")
    dim = _require(data, "dim")
    if not isinstance(dim, int) or isinstance(dim, bool) or not 1 <= dim <= MAX_DIM:
        got = dim if isinstance(dim, int) and not isinstance(dim, bool) else describe(dim)
        raise SceneError(f"dim: must be 1 to {MAX_DIM}, got {got}")
    comps = _require(data, "components")
    if not isinstance(comps, list):
        raise SceneError(f"components: expected a list, got {describe(comps)}")
    if not comps:
        raise SceneError("components: the list is empty; a scene needs at least one component")
    if len(comps) > MAX_COMPONENTS:
        raise SceneError(f"components: at most {MAX_COMPONENTS}, got {len(comps)}")
    mixture = Mixture(tuple(parse_component(c, dim, f"components[{i}]") for i, c in enumerate(comps)))
    samples = whole(data.get("samples", 4000), "samples", 10, MAX_SAMPLES)
    seed = whole(data.get("seed", 0), "seed", 0, 2**32 - 1)
    decoder = data.get("decoder", "cars")
    if decoder not in DECODERS:
        raise SceneError(f"decoder: unknown decoder {decoder!r}; choose one of {', '.join(DECODERS)}")
    if dim > decoder_dims(decoder):
        raise SceneError(f"decoder: {decoder!r} draws at most {decoder_dims(decoder)} dimensions, "
                         f"the scene has {dim}")
    loss = data.get("loss", "l2")
    if loss not in LOSS_IDS:
        raise SceneError(f"loss: unknown loss {loss!r}; choose one of {', '.join(LOSS_IDS)}")
    points = None
    if "points" in data:
        points = points_module.parse_points(data["points"], dim)
    known = {"format", "version", "name", "dim", "components", "samples", "seed", "decoder", "loss", "points"}
    extra = {k: v for k, v in data.items() if k not in known}
    return Scene(name, mixture, samples, seed, decoder, loss, extra, points)


def reject_non_finite(value: Any, key: str) -> None:
    """Raise SceneError at the first NaN or infinity anywhere in the file (also in keys kept as extra,
    which would otherwise be saved back as NaN/Infinity, which JSON does not allow), naming its key."""
    if isinstance(value, float) and not math.isfinite(value):
        raise SceneError(f"{key or 'scene'}: must be a finite number, got {json.dumps(value)}")
    if isinstance(value, dict):
        for k, v in value.items():
            reject_non_finite(v, f"{key}.{key_text(k)}" if key else key_text(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            reject_non_finite(v, f"{key}[{i}]")


def loads(text: str) -> Scene:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SceneError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    reject_non_finite(data, "")
    return parse_scene(data)


def load(path: str | Path) -> Scene:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SceneError(f"{path.name}: cannot be read ({exc.strerror if isinstance(exc, OSError) else exc})") from None
    try:
        return loads(text)
    except SceneError as exc:
        raise SceneError(f"{path.name}: {exc}") from None


def dumps(scene: Scene) -> str:
    return points_module.scene_json(scene.to_dict())


def save(scene: Scene, path: str | Path) -> None:
    """Write atomically, so a failed save never leaves a half-written file over a good one."""
    atomic.write_text(path, dumps(scene) + "\n")


# -- bundled scenes ---------------------------------------------------------------
DEFAULT_SCENE = "sedan_or_suv"


def _bundle():
    return resources.files("resources.scenes")


def bundled_scene_ids() -> list[str]:
    """Ids (file stems) of the scenes shipped with BlurLab, default first."""
    ids = sorted(p.name[:-5] for p in _bundle().iterdir() if p.name.endswith(".json"))
    ids.remove(DEFAULT_SCENE)
    return [DEFAULT_SCENE, *ids]


@functools.lru_cache(maxsize=None)
def bundled_scene(scene_id: str) -> Scene:
    """A shipped scene, read once: the scene box's titles and every later load share it (a Scene is frozen)."""
    return loads(_bundle().joinpath(scene_id + ".json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def bundled_scene_heading(scene_id: str) -> tuple[str, int]:
    """A shipped scene's name and dimension, read without building the scene: the scene box lists every
    scene, and building them all (their points, their checks) took ~6 ms of the window's first paint. The
    test suite checks that every shipped scene builds, and that its heading agrees."""
    data = json.loads(_bundle().joinpath(scene_id + ".json").read_text(encoding="utf-8"))
    return data.get("name", "Untitled"), data["dim"]


def resolve_scene(name_or_path: str | None) -> Scene:
    """A bundled scene by id or display name (any case), else a path to a scene file."""
    if not name_or_path:
        return bundled_scene(DEFAULT_SCENE)
    key = name_or_path.strip().lower()
    for scene_id in bundled_scene_ids():
        if key == scene_id:
            return bundled_scene(scene_id)
    for scene_id in bundled_scene_ids():
        if bundled_scene(scene_id).name.lower() == key:
            return bundled_scene(scene_id)
    path = Path(name_or_path)
    if not path.exists():
        raise SceneError(
            f"scene {name_or_path!r}: no bundled scene has that name and no such file exists; "
            f"bundled scenes: {', '.join(bundled_scene_ids())}"
        )
    return load(path)
