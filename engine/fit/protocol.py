"""What the window and the fit process say to each other: frozen dataclasses, one per message.

The fit process serves two targets: the data-space fit ("fit") and the network on real digits
("digits"). Run, Step, Pace and Reset name their target; Data, Settings and Decoder belong to the fit
and DigitsSettings to the network; Frame and Problem say whose they are.

Commands go to the fit process, events come back. The process opens with `Hello(VERSION)`, and a
window that speaks another version says so instead of drawing nonsense. A message that is not a
command, or a command with a bad field, is refused with a `Problem` event naming it; the process
carries on with the commands before and after it. Every field is checked against its annotation when
a message is made and again when it arrives (unpickling builds a dataclass without its __init__); a
message adds its own checks of values in `validate`. Torch-free: the window imports this module.
"""

from __future__ import annotations

import functools
import math
import types
import typing
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal, Union

import numpy as np

from engine.digits import GENERATORS, TASK_IDS
from engine.digits.snapshot import DigitSnapshot
from engine.model.estimate import Snapshot
from engine.model.losses import IMAGE_LOSS_IDS
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings

# 2: Start and Decoder carry the span that maps a scene's own points to the decoder's units
# 3: the networks trained on real digits (Digits* messages)
# 4: one family of messages with a target ("fit" or "digits") instead of a Digits* copy of each
# 5: DigitsSettings.generator (how the GAN of "draw a digit" draws)
VERSION = 5

Target = Literal["fit", "digits"]
TARGETS: tuple[str, ...] = typing.get_args(Target)


class ProtocolError(ValueError):
    """A message that is not part of the protocol, or one with a bad field; says which."""


# -- field checks, made from the annotations ---------------------------------------------------------
def _test(hint: Any) -> tuple[typing.Callable[[Any], bool], str]:
    """A test of a value against a type annotation, and the annotation in words."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        allowed = typing.get_args(hint)
        return (lambda v: any(type(v) is type(a) and v == a for a in allowed),
                " or ".join(repr(a) for a in allowed))
    if origin in (Union, types.UnionType):
        parts = [_test(a) for a in typing.get_args(hint)]
        return lambda v: any(test(v) for test, _ in parts), " or ".join(words for _, words in parts)
    if hint is type(None):
        return lambda v: v is None, "None"
    kind = origin or hint  # tuple[float, ...] is checked as a tuple
    if kind is float:  # an int is a float too, as in PEP 484; a bool is neither
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "float"
    if kind is int:
        return lambda v: isinstance(v, int) and not isinstance(v, bool), "int"
    return lambda v: isinstance(v, kind), kind.__name__


@functools.cache
def _field_tests(cls: type) -> tuple[tuple[str, typing.Callable[[Any], bool], str, bool], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, *_test(hints[f.name]), _names_values(hints[f.name])) for f in fields(cls))


def _names_values(hint: Any) -> bool:
    """Whether the annotation lists allowed values (a Literal), so a refusal shows the value, not its type."""
    return typing.get_origin(hint) is Literal or any(_names_values(a) for a in typing.get_args(hint))


class Message:
    """Checks its fields when made and when it arrives (`check`). A message for one target names it in
    `target`: a field where either may be meant, a class attribute where only one can."""

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        name = type(self).__name__
        for field, test, words, values in _field_tests(type(self)):
            value = getattr(self, field, None)
            if not test(value):
                got = repr(value) if values else type(value).__name__
                raise ProtocolError(f"{name}.{field}: expected {words}, got {got}")
        self.validate()

    def validate(self) -> None:
        """Checks of values beyond their types (a count of at least one, a known task)."""


# -- how a fit process starts ---------------------------------------------------------------------
@dataclass(frozen=True)
class Pacing(Message):
    """How often a target's frames leave while it runs and how long it steps between looks at the pipe."""

    frame_interval: float
    chunk_seconds: float


@dataclass(frozen=True, eq=False)
class Start(Message):
    """Everything a new fit process needs: the version the window speaks, the data and the settings.
    `pacing` (None: each target's own) lets a test take a frame after every step."""

    version: int
    samples: np.ndarray
    mixture: Mixture
    settings: FitSettings
    decoder: str = "cars"
    span: tuple | None = None  # engine.decoders.Span: where the data's units meet the decoder's
    pacing: Pacing | None = None


# -- commands for either target: window -> fit process ------------------------------------------------
@dataclass(frozen=True)
class Run(Message):
    """Run the target at its pace, or pause it."""

    target: Target
    running: bool


@dataclass(frozen=True)
class Step(Message):
    """Take `count` steps of the target now (while paused: single steps)."""

    target: Target
    count: int = 1

    def validate(self) -> None:
        if self.count < 1:
            raise ProtocolError(f"Step.count: must be 1 or more, got {self.count}")


@dataclass(frozen=True)
class Pace(Message):
    """How many steps a second the target takes while running (math.inf: as fast as it goes)."""

    target: Target
    steps_per_second: float

    def validate(self) -> None:
        if not self.steps_per_second > 0:  # `not >` catches NaN
            raise ProtocolError(f"Pace.steps_per_second: must be above 0, got {self.steps_per_second}")


@dataclass(frozen=True)
class Reset(Message):
    """The target back to step 0 (the network: a fresh one from its seed)."""

    target: Target


# -- commands for the data-space fit ------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Data(Message):
    """New samples and the mixture they were drawn from (a drag, a new scene)."""

    target: ClassVar[str] = "fit"
    samples: np.ndarray
    mixture: Mixture

    def validate(self) -> None:
        if self.samples.ndim != 2 or self.samples.shape[1] != self.mixture.dim:
            raise ProtocolError(f"Data.samples: expected an (n, {self.mixture.dim}) array, "
                                f"got shape {self.samples.shape}")


@dataclass(frozen=True)
class Settings(Message):
    """A new loss or new hyper-parameters."""

    target: ClassVar[str] = "fit"
    settings: FitSettings


@dataclass(frozen=True)
class Decoder(Message):
    """The scene's decoder, which the pixel-space fit decodes the data images with, and the span that
    maps the scene's units to the decoder's (None: the same units)."""

    target: ClassVar[str] = "fit"
    name: str
    span: tuple | None = None


# -- commands for the network on real digits -----------------------------------------------------------
@dataclass(frozen=True)
class DigitsSettings(Message):
    """Which task and loss the digit network trains (a change starts a new network from the seed);
    `adversarial_weight` (None: the loss's own) changes the running one's mix; `generator` is how the GAN
    of "draw a digit" draws (engine.digits.GENERATORS: bending typical real digits, or free pixels)."""

    target: ClassVar[str] = "digits"
    task: str
    loss: str
    seed: int = 0
    adversarial_weight: float | None = None
    generator: str = GENERATORS[0]

    def validate(self) -> None:
        if self.task not in TASK_IDS:
            raise ProtocolError(f"DigitsSettings.task: unknown task {self.task!r}; choose one of {', '.join(TASK_IDS)}")
        if self.loss not in IMAGE_LOSS_IDS:
            raise ProtocolError(f"DigitsSettings.loss: unknown image loss {self.loss!r}; "
                                f"choose one of {', '.join(IMAGE_LOSS_IDS)}")
        w = self.adversarial_weight
        if w is not None and not (math.isfinite(w) and 0.0 <= w <= 1.0):
            raise ProtocolError(f"DigitsSettings.adversarial_weight: must be between 0 and 1, got {w}")
        if self.generator not in GENERATORS:
            raise ProtocolError(f"DigitsSettings.generator: unknown generator {self.generator!r}; "
                                f"choose one of {', '.join(GENERATORS)}")


@dataclass(frozen=True)
class Stop(Message):
    """End the fit process."""


COMMANDS: tuple[type, ...] = (Run, Step, Pace, Reset, Data, Settings, Decoder, DigitsSettings, Stop)
Command = Run | Step | Pace | Reset | Data | Settings | Decoder | DigitsSettings | Stop


# -- events: fit process -> window -----------------------------------------------------------------
@dataclass(frozen=True)
class Hello(Message):
    """The fit process is up and speaks this version of the protocol."""

    version: int


_SNAPSHOTS: dict[str, type] = {"fit": Snapshot, "digits": DigitSnapshot}


@dataclass(frozen=True, eq=False)
class Frame(Message):
    """A target's newest state: the fit's (at most ~60 a second, the pixel-space answer inside) or the
    network's pictures and figures (about a dozen a second)."""

    target: Target
    snapshot: Snapshot | DigitSnapshot

    def validate(self) -> None:
        if not isinstance(self.snapshot, _SNAPSHOTS[self.target]):
            raise ProtocolError(f"Frame.snapshot: a {type(self.snapshot).__name__} is not the {self.target!r} "
                                f"target's; expected {_SNAPSHOTS[self.target].__name__}")


@dataclass(frozen=True)
class Problem(Message):
    """Something went wrong with a target (None: with the process or a message); the process keeps the
    target's last good state and goes on."""

    message: str
    target: Target | None = None


EVENTS: tuple[type, ...] = (Hello, Frame, Problem)
Event = Hello | Frame | Problem


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
