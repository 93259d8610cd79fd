"""Atomic writes: a new file is written beside its target and renamed over it only when complete,
so a failed or cancelled write never leaves a truncated file behind, nor replaces a good one."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any


class StagedFile:
    """A hidden file beside `target` that replaces it on commit() and is deleted on discard().

    As a context manager it commits when the block ends normally and discards on any exception
    (KeyboardInterrupt included). Errors are OSErrors naming the target.
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        if self.target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(self.target))
        # Same folder, so the final rename cannot cross file systems; hidden, so nobody opens it half-written.
        self.path = self.target.with_name(f".{self.target.name}.{os.urandom(4).hex()}.part")
        open(self.path, "xb").close()  # "x": never clobber; default permissions, unlike mkstemp's 0600

    def commit(self) -> None:
        try:
            os.replace(self.path, self.target)
        except OSError:
            self.discard()
            raise

    def discard(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # nothing more can be done; the name is hidden and marked .part

    def __enter__(self) -> StagedFile:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write a UTF-8 text file atomically."""
    with StagedFile(path) as staged:
        staged.path.write_text(text, encoding="utf-8")
