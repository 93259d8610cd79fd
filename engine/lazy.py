"""Modules loaded on first use: the one way BlurLab keeps a module off the path to the window's first paint.

A module that only a later action needs (session files, the PNG writer, the pictures' board, Pillow, the fit
process's messages) is named at the top of the module that uses it, beside the other imports, and loaded the
first time one of its attributes is read:

    from engine.lazy import lazy_import

    session = lazy_import("engine.model.session")   # nothing is imported here

    def save(path):
        session.save_session(path, ...)              # the first attribute read imports engine.model.session

The proxy forwards every attribute to the real module, so `isinstance(x, protocol.Frame)` and the rest work
as with a plain import (only the dunders every module has, such as `__doc__` and `__spec__`, are the proxy's
own); a module that is already loaded is returned as itself. import-linter cannot see an
import named by a string: tests/architecture/test_lazy.py checks every `lazy_import("...")` against the layers' contracts.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

__all__ = ["lazy_import"]


class _LazyModule(ModuleType):
    """Stands for a module until one of its attributes is read, then forwards to it."""

    def __getattr__(self, attr: str):
        # Reached only for names the proxy itself lacks: every name of the real module.
        module = importlib.import_module(self.__name__)
        return getattr(module, attr)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self.__name__))

    def __repr__(self) -> str:
        loaded = "loaded" if self.__name__ in sys.modules else "not loaded yet"
        return f"<lazy module {self.__name__!r} ({loaded})>"


def lazy_import(name: str) -> ModuleType:
    """The module `name` (absolute, dotted), imported when an attribute of it is first read. A name that
    does not exist raises ModuleNotFoundError then, not here."""
    return sys.modules.get(name) or _LazyModule(name)
