"""The fit's settings: which loss, its step size and seed, and the values of the loss's own parameters.

Settings know no loss: the registry (engine.model.losses) declares each loss's parameters and checks
settings built from user input against itself. No torch here, so the GUI starts fast.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.io.values import positive


@dataclass(frozen=True, eq=False)
class Param:
    """A loss's own parameter: its name in the settings and the session file, its default and its check."""

    name: str  # the key in FitSettings.params and in a session's "fit" object; the keyword its parts take
    default: float
    check: Callable[[Any, str], Any]  # (value, key for the message) -> the value; raises InvalidValue
    about: str = ""  # in words, for the reader of a session file or the help


@dataclass(frozen=True)
class FitSettings:
    """How the fit runs: the loss, its learning rate and seed, and the values of the losses' parameters."""

    loss: str = "l2"
    lr: float | None = None  # None: the loss's own default (its registry entry's lr)
    seed: int = 0
    params: tuple[tuple[str, float], ...] = field(default=())  # (name, value), sorted; a mapping is accepted

    def __post_init__(self) -> None:
        if self.lr is not None:
            positive(self.lr, "learning rate")
        pairs = self.params.items() if isinstance(self.params, Mapping) else self.params
        object.__setattr__(self, "params", tuple(sorted((str(k), v) for k, v in pairs)))

    def value(self, param: Param) -> Any:
        """The value of a loss's parameter: the one set here, else its default."""
        return dict(self.params).get(param.name, param.default)


def supply(part: Callable[..., Any], available: Mapping[str, Callable[[], Any]], *args: Any) -> Any:
    """Call a part of a loss with `args` and the keyword-only arguments it names, each made from `available`
    only when asked for: a part takes only what it uses, and a new parameter reaches the parts that name it."""
    names = keywords_of(part)
    missing = [name for name in names if name not in available]
    if missing:
        raise TypeError(f"{part.__name__} takes {', '.join(missing)}, which a loss does not supply; "
                        f"it may take {', '.join(available)}")
    return part(*args, **{name: available[name]() for name in names})


def keywords_of(part: Callable[..., Any]) -> tuple[str, ...]:
    """The keyword-only arguments a part names."""
    names = _KEYWORDS.get(part)
    if names is None:
        names = _KEYWORDS[part] = tuple(p.name for p in inspect.signature(part).parameters.values()
                                       if p.kind is p.KEYWORD_ONLY)
    return names


_KEYWORDS: dict[Callable[..., Any], tuple[str, ...]] = {}
