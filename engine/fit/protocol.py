"""What the window and the fit process say to each other: frozen dataclasses, one per message.

Commands go to the fit process, events come back. The process opens with `Hello(VERSION)`, and a
window that speaks another version says so instead of drawing nonsense. A message that is not a
command, or a command with a bad field, is refused with a `Problem` event naming it; the process
carries on with the commands before and after it. Messages travel pickled through a pipe; their
fields are checked on arrival as well, since unpickling builds a dataclass without calling its
__init__. Torch-free: the window imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

import math

import numpy as np

from engine.digits import TASK_IDS
from engine.digits.snapshot import DigitSnapshot
from engine.model.estimate import Snapshot
from engine.model.losses import IMAGE_LOSS_IDS
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings

# 2: Start and Decoder carry the span that maps a scene's own points to the decoder's units
# 3: the networks trained on real digits (Digits* messages)
VERSION = 3


class ProtocolError(ValueError):
    """A message that is not part of the protocol, or one with a bad field; says which."""


class _Message:
    """Checks its fields when made and when it arrives (`check`)."""

    _types: ClassVar[dict[str, Any]] = {}

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name, None)
            wanted = self._types.get(f.name)
            if wanted is not None and (isinstance(value, bool) and wanted is not bool or not isinstance(value, wanted)):
                raise ProtocolError(f"{type(self).__name__}.{f.name}: expected {_names(wanted)}, "
                                    f"got {type(value).__name__}")


def _names(types: Any) -> str:
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(t.__name__ for t in types)


# -- how a fit process starts ---------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Start(_Message):
    """Everything a new fit process needs: the version the window speaks, the data and the settings.
    `emit_interval` and `chunk_seconds` (None: the service's own) let tests take a snapshot every step."""

    version: int
    samples: np.ndarray
    mixture: Mixture
    settings: FitSettings
    decoder: str = "cars"
    emit_interval: float | None = None
    chunk_seconds: float | None = None
    span: tuple | None = None  # engine.decoders.Span: where the data's units meet the decoder's
    _types: ClassVar = {"version": int, "samples": np.ndarray, "mixture": Mixture, "settings": FitSettings,
                        "decoder": str, "span": (tuple, type(None))}

    def pace(self) -> dict[str, float]:
        return {k: v for k, v in (("emit_interval", self.emit_interval), ("chunk_seconds", self.chunk_seconds))
                if v is not None}


# -- commands: window -> fit process ---------------------------------------------------------------
@dataclass(frozen=True)
class Run(_Message):
    """Run at the pace, or pause."""

    running: bool
    _types: ClassVar = {"running": bool}


@dataclass(frozen=True)
class Step(_Message):
    """Take `count` steps now (while paused: single steps)."""

    count: int = 1
    _types: ClassVar = {"count": int}

    def check(self) -> None:
        super().check()
        if self.count < 1:
            raise ProtocolError(f"Step.count: must be 1 or more, got {self.count}")


@dataclass(frozen=True)
class Pace(_Message):
    """How many steps a second to take while running (math.inf: as fast as it goes)."""

    steps_per_second: float
    _types: ClassVar = {"steps_per_second": (int, float)}

    def check(self) -> None:
        super().check()
        if not self.steps_per_second > 0:  # `not >` catches NaN
            raise ProtocolError(f"Pace.steps_per_second: must be above 0, got {self.steps_per_second}")


@dataclass(frozen=True, eq=False)
class Data(_Message):
    """New samples and the mixture they were drawn from (a drag, a new scene)."""

    samples: np.ndarray
    mixture: Mixture
    _types: ClassVar = {"samples": np.ndarray, "mixture": Mixture}

    def check(self) -> None:
        super().check()
        if self.samples.ndim != 2 or self.samples.shape[1] != self.mixture.dim:
            raise ProtocolError(f"Data.samples: expected an (n, {self.mixture.dim}) array, "
                                f"got shape {self.samples.shape}")


@dataclass(frozen=True)
class Settings(_Message):
    """A new loss or new hyper-parameters."""

    settings: FitSettings
    _types: ClassVar = {"settings": FitSettings}


@dataclass(frozen=True)
class Reset(_Message):
    """Back to step 0."""


@dataclass(frozen=True)
class Decoder(_Message):
    """The scene's decoder, which the pixel-space fit decodes the data images with, and the span that
    maps the scene's units to the decoder's (None: the same units)."""

    name: str
    span: tuple | None = None
    _types: ClassVar = {"name": str, "span": (tuple, type(None))}


@dataclass(frozen=True)
class Stop(_Message):
    """End the fit process."""


# -- commands for the network trained on real digits, beside the data-space fit ----------------------
@dataclass(frozen=True)
class DigitsSettings(_Message):
    """Which task and loss the digit network trains (a change starts a new network from the seed);
    `adversarial_weight` (None: the loss's own) changes the running one's mix."""

    task: str
    loss: str
    seed: int = 0
    adversarial_weight: float | None = None
    _types: ClassVar = {"task": str, "loss": str, "seed": int, "adversarial_weight": (int, float, type(None))}

    def check(self) -> None:
        super().check()
        if self.task not in TASK_IDS:
            raise ProtocolError(f"DigitsSettings.task: unknown task {self.task!r}; choose one of {', '.join(TASK_IDS)}")
        if self.loss not in IMAGE_LOSS_IDS:
            raise ProtocolError(f"DigitsSettings.loss: unknown image loss {self.loss!r}; "
                                f"choose one of {', '.join(IMAGE_LOSS_IDS)}")
        w = self.adversarial_weight
        if w is not None and not (math.isfinite(w) and 0.0 <= w <= 1.0):
            raise ProtocolError(f"DigitsSettings.adversarial_weight: must be between 0 and 1, got {w}")


@dataclass(frozen=True)
class DigitsRun(_Message):
    """Train the digit network as fast as it goes, or pause it."""

    running: bool
    _types: ClassVar = {"running": bool}


@dataclass(frozen=True)
class DigitsStep(_Message):
    """Take `count` steps of the digit network now."""

    count: int = 1
    _types: ClassVar = {"count": int}

    def check(self) -> None:
        super().check()
        if self.count < 1:
            raise ProtocolError(f"DigitsStep.count: must be 1 or more, got {self.count}")


@dataclass(frozen=True)
class DigitsReset(_Message):
    """The digit network back to step 0, from its seed."""


DIGIT_COMMANDS: tuple[type, ...] = (DigitsSettings, DigitsRun, DigitsStep, DigitsReset)
COMMANDS: tuple[type, ...] = (Run, Step, Pace, Data, Settings, Reset, Decoder, Stop) + DIGIT_COMMANDS
Command = Run | Step | Pace | Data | Settings | Reset | Decoder | Stop | DigitsSettings | DigitsRun | DigitsStep | DigitsReset


# -- events: fit process -> window -----------------------------------------------------------------
@dataclass(frozen=True)
class Hello(_Message):
    """The fit process is up and speaks this version of the protocol."""

    version: int
    _types: ClassVar = {"version": int}


@dataclass(frozen=True, eq=False)
class Frame(_Message):
    """The fit's newest state (at most ~60 a second); the pixel-space answer rides in the snapshot."""

    snapshot: Snapshot
    _types: ClassVar = {"snapshot": Snapshot}


@dataclass(frozen=True)
class Problem(_Message):
    """Something went wrong; the fit process keeps its last good state and goes on."""

    message: str
    _types: ClassVar = {"message": str}


@dataclass(frozen=True, eq=False)
class DigitsFrame(_Message):
    """The digit network's newest pictures and figures (about a dozen a second while it trains)."""

    snapshot: DigitSnapshot
    _types: ClassVar = {"snapshot": DigitSnapshot}


EVENTS: tuple[type, ...] = (Hello, Frame, Problem, DigitsFrame)
Event = Hello | Frame | Problem | DigitsFrame


def _checked(message: Any, kinds: tuple[type, ...], what: str) -> Any:
    if type(message) not in kinds:
        shown = repr(message)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise ProtocolError(f"unknown {what} {shown}: expected one of {', '.join(k.__name__ for k in kinds)}")
    try:
        message.check()
    except ProtocolError:
        raise
    except Exception as exc:  # a field so broken that checking it fails: still a refusal, not a crash
        raise ProtocolError(f"{type(message).__name__}: malformed ({exc})") from None
    return message


def check_command(message: Any) -> Command:
    """The message, if it is a well-formed command; ProtocolError naming the problem otherwise."""
    return _checked(message, COMMANDS, "command")


def check_event(message: Any) -> Event:
    """The message, if it is a well-formed event; ProtocolError naming the problem otherwise."""
    return _checked(message, EVENTS, "event")


def version_problem(hello: Hello) -> str | None:
    """What to tell the user when the fit process speaks another version, or None."""
    if hello.version == VERSION:
        return None
    return (f"The fit process speaks protocol version {hello.version}, this window version {VERSION}: "
            "BlurLab was updated while it ran. Restart BlurLab.")

