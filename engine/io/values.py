"""Checks of values a user supplied (a file, the command line, the window), with one exception type.

Every check raises `InvalidValue`, whose message names the key and the problem in one line, e.g.
"fit.lr: must be a positive number, got -1". Scene and session readers know it as `SceneError`.
"""

from __future__ import annotations

import json
import math
from typing import Any


class InvalidValue(ValueError):
    """A value that cannot be used; the message names its key and the problem, in one line."""


def describe(value: Any) -> str:
    """What a JSON-like value is, for a message: 'text ("abc")', 'a list ([1, 2])', 'null'."""
    if value is None:
        return "null"
    names = {bool: "true/false", str: "text", list: "a list", dict: "an object", int: "a number", float: "a number"}
    try:
        shown = json.dumps(value)[:40]
    except (TypeError, ValueError):
        shown = repr(value)[:40]
    return f"{names.get(type(value), type(value).__name__)} ({shown})"


def key_text(key: Any) -> str:
    """A key as a message shows it: as it is when it reads plainly, else quoted with its escapes, so a key
    with a line break or a control character cannot break the one line a message is."""
    text = str(key)
    if text and text.isprintable() and not any(c.isspace() for c in text):
        return text
    return json.dumps(text)


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(value: Any, key: str) -> float:
    """A finite number (true/false is not a number)."""
    if not _is_real(value):
        raise InvalidValue(f"{key}: expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise InvalidValue(f"{key}: must be a finite number, got {value}")
    return float(value)


def positive(value: Any, key: str) -> float:
    """A finite number above zero."""
    if not _is_real(value):
        raise InvalidValue(f"{key}: expected a positive number, got {describe(value)}")
    if not (math.isfinite(value) and value > 0):
        raise InvalidValue(f"{key}: must be a positive number, got {value:g}")
    return float(value)


def positive_or_inf(value: Any, key: str) -> float:
    """A number above zero, infinity included (a speed "as fast as it goes")."""
    if _is_real(value) and value == math.inf:
        return math.inf
    return positive(value, key)


def whole(value: Any, key: str, low: int = 0, high: int | None = None) -> int:
    """A whole number from low to high; 3.0 counts as 3."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{key}: expected a whole number, got {describe(value)}")
    if high is not None and not low <= value <= high:
        raise InvalidValue(f"{key}: must be between {low} and {high}, got {value}")
    if value < low:
        raise InvalidValue(f"{key}: must be {low} or more, got {value}")
    return value
