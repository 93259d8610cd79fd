"""Session files: the whole state of the app, saved as a scene file with two more keys, "fit" and "view".

A session file follows the scene contract (engine.scene), so any scene reader opens it as a scene and
keeps "fit" and "view" as unknown keys; a plain scene file opens as a session with default settings.

    "fit":  {"lr": number > 0 or null (the loss's default), each loss parameter of the registry by its name
             ("k": whole number >= 0, 0: automatic; "huber_delta": number > 0), "speed": number > 0 or "max"}
            every key optional
    "view": display state; "x_range", "y_range" ([low, high]), "talk" (true/false), "tour_step"
            (whole number >= 0 or null) and "pair" (two different whole numbers >= 0) are checked when
            present, other keys are kept as they are
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.io.values import describe, key_text, positive, positive_or_inf, whole
from engine.model.scene import (Scene, SceneError, dumps, load, loads, parse_scene, reject_non_finite,
                                resolve_scene, save)
from engine.model.losses import checked, parameters
from engine.model.settings import FitSettings

MAX_SPEED = "max"  # how an unbounded speed (math.inf) is written: JSON has no infinity


def fit_defaults() -> dict[str, Any]:
    """The keys of a session's "fit" object and their defaults: the step size, each registered loss's
    parameters, and the speed."""
    return {"lr": None, **{p.name: p.default for p in parameters()}, "speed": 1.0}


@dataclass(frozen=True, eq=False)
class Session:
    """A scene, the fit's settings, the speed and the display state.

    The loss and the seed live in both the scene and the settings (the scene file has them, the fit
    needs them); they must agree, else ValueError: silently picking one would hide the caller's bug.
    Use session_from_scene to take them from the scene.
    """

    scene: Scene  # its .extra never holds "fit" or "view": those are the fields below
    settings: FitSettings
    speed: float = 1.0  # a multiple of the loss's pace; math.inf: as fast as it goes
    view: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.settings.loss, self.settings.seed) != (self.scene.loss, self.scene.seed):
            raise ValueError(
                f"settings: loss {self.settings.loss!r} and seed {self.settings.seed} differ from the scene's "
                f"loss {self.scene.loss!r} and seed {self.scene.seed}"
            )
        shadowed = sorted({"fit", "view"} & self.scene.extra.keys())
        if shadowed:
            raise ValueError(f"scene.extra: holds {', '.join(shadowed)}, which the session writes itself")
        positive_or_inf(self.speed, "speed")
        # A copy, checked: the caller's dict may change later, and a session is a value.
        object.__setattr__(self, "speed", float(self.speed))
        object.__setattr__(self, "view", parse_view(copy.deepcopy(self.view)))

    def to_dict(self) -> dict[str, Any]:
        return _as_scene(self).to_dict()


def session_from_scene(scene: Scene, settings: FitSettings | None = None, speed: float = 1.0,
                       view: dict | None = None) -> Session:
    """A session on a scene. The settings give the hyper-parameters; the loss and the seed are the
    scene's. A "fit" or "view" the scene kept as unknown keys is replaced by the arguments."""
    settings = replace(settings or FitSettings(), loss=scene.loss, seed=scene.seed)
    extra = {k: v for k, v in scene.extra.items() if k not in ("fit", "view")}
    return Session(scene.with_(extra=extra), settings, speed, view or {})


def _as_scene(session: Session) -> Scene:
    """The session as the scene file it is saved as: "fit" and "view" ride along as extra keys."""
    s = session.settings
    fit = {"lr": s.lr, **{p.name: s.value(p) for p in parameters()},
           "speed": MAX_SPEED if math.isinf(session.speed) else session.speed}
    extra = {**session.scene.extra, "fit": fit}
    if session.view:
        extra["view"] = copy.deepcopy(session.view)
    return session.scene.with_(extra=extra)


# -- validation -----------------------------------------------------------------
def _object(value: Any, key: str) -> dict:
    if not isinstance(value, dict):
        raise SceneError(f"{key}: expected an object, got {describe(value)}")
    return value


def parse_fit(data: Any, scene: Scene) -> tuple[FitSettings, float]:
    """The settings and the speed from a file's "fit" object; loss and seed come from the scene."""
    data = _object(data, "fit")
    # Unknown keys are refused, not kept: a misspelt "learning_rate" would otherwise do nothing, silently.
    defaults = fit_defaults()
    unknown = sorted(set(data) - defaults.keys())
    if unknown:
        raise SceneError(f"fit.{key_text(unknown[0])}: unknown key; the keys are {', '.join(defaults)}")
    data = {**defaults, **data}
    lr = None if data["lr"] is None else positive(data["lr"], "fit.lr")
    # a parameter at its default is left out, so the settings equal those made without it
    params = {p.name: p.check(data[p.name], f"fit.{p.name}") for p in parameters()}
    params = {name: value for name, value in params.items() if value != defaults[name]}
    speed = data["speed"]
    if speed == MAX_SPEED:
        speed = math.inf
    elif isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise SceneError(f"fit.speed: expected a positive number or {MAX_SPEED!r}, got {describe(speed)}")
    else:
        speed = positive(speed, "fit.speed")
    return checked(FitSettings(loss=scene.loss, lr=lr, seed=scene.seed, params=params), "fit."), speed


def _range(value: Any, key: str) -> list[float]:
    ok = (isinstance(value, (list, tuple)) and len(value) == 2
          and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value))
    if not ok or not value[0] < value[1]:
        raise SceneError(f"{key}: expected two numbers, low then high, got {describe(_jsonable(value))}")
    return [float(value[0]), float(value[1])]


def _pair(value: Any, key: str) -> list[int]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise SceneError(f"{key}: expected two different whole numbers, got {describe(_jsonable(value))}")
    pair = [whole(v, f"{key}[{i}]") for i, v in enumerate(value)]
    if pair[0] == pair[1]:
        raise SceneError(f"{key}: expected two different whole numbers, got {pair[0]} twice")
    return pair


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value  # _kind writes its value as JSON


def parse_view(data: Any) -> dict[str, Any]:
    """The "view" object with its known keys checked (and tuples made lists); other keys as they are."""
    view = dict(_object(data, "view"))
    reject_non_finite(view, "view")  # for views built in code; files are checked whole on load
    for key in ("x_range", "y_range"):
        if key in view:
            view[key] = _range(view[key], f"view.{key}")
    if "talk" in view and not isinstance(view["talk"], bool):
        raise SceneError(f"view.talk: expected true or false, got {describe(view['talk'])}")
    if view.get("tour_step") is not None:
        view["tour_step"] = whole(view["tour_step"], "view.tour_step")
    if "pair" in view:
        view["pair"] = _pair(view["pair"], "view.pair")
    return view


def _from_scene_file(scene: Scene) -> Session:
    """Split a parsed scene file into the scene proper and its "fit" and "view"."""
    extra = dict(scene.extra)
    settings, speed = parse_fit(extra.pop("fit", {}), scene)
    view = parse_view(extra.pop("view", {}))
    return Session(scene.with_(extra=extra), settings, speed, view)


# -- reading and writing ------------------------------------------------------------
def parse_session(data: Any) -> Session:
    """Validate a decoded JSON object: the scene contract first, then "fit" and "view"."""
    reject_non_finite(data, "")  # loads does this for text; a dict built in code gets it here
    return _from_scene_file(parse_scene(data))


def loads_session(text: str) -> Session:
    return _from_scene_file(loads(text))


def load_session(path: str | Path) -> Session:
    scene = load(path)  # names the file in its own errors
    try:
        return _from_scene_file(scene)
    except SceneError as exc:
        raise SceneError(f"{Path(path).name}: {exc}") from None


def resolve_session(name_or_path: str | None) -> Session:
    """A bundled scene (by id or name) or a session or scene file, as a session; as resolve_scene finds it."""
    scene = resolve_scene(name_or_path)
    try:
        return _from_scene_file(scene)
    except SceneError as exc:
        raise SceneError(f"{Path(name_or_path).name}: {exc}") from None


def dumps_session(session: Session) -> str:
    return dumps(_as_scene(session))


def save_session(session: Session, path: str | Path) -> None:
    """Write atomically (through scene.save), so a failed save leaves the old file as it was."""
    save(_as_scene(session), path)
