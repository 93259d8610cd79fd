"""Tables of measurements from a file: CSV or TSV (with or without a header) and .npy, and the one or
two columns to use, chosen by name or by number.

Every problem is an InvalidValue whose one-line message names the file and, where it can, the line
and the column: "faithful.csv, line 14, column 2 (waiting): 'n/a' is not a number".

Speed: numpy's C reader `np.loadtxt` (numpy >= 1.23) reads a million rows of two columns in 0.2 to
0.4 s here, against 2.6 s for `np.genfromtxt` and longer for Python's csv module; so the whole file
goes to loadtxt, and only when it refuses (or lets a NaN through) is the file scanned line by line in
Python, which is slow but says exactly where the problem is.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.io.values import InvalidValue

NPY_MAGIC = b"\x93NUMPY"
MIN_ROWS = 2  # one point has no spread, no modes and no story
MAX_COLUMNS = 2  # the data space has one or two dimensions
_QUOTE = '"'


@dataclass(frozen=True, eq=False)
class Table:
    """The chosen columns of a file: values (n, 1 or 2) float64 and a name for each column."""

    values: np.ndarray
    names: tuple[str, ...]  # from the header; "column 1", ... where the file has none
    source: str  # the file's name, for messages and the window

    def __post_init__(self) -> None:
        values = np.array(self.values, dtype=float, ndmin=2)
        values.flags.writeable = False
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "names", tuple(self.names))


@dataclass(frozen=True)
class Layout:
    """What a file holds before its numbers are read: its columns and whether a header names them."""

    names: tuple[str, ...]
    header: bool
    numeric: tuple[bool, ...]  # per column: does its first row hold a number (text columns cannot be chosen)


# -- the command line's --columns ---------------------------------------------------------------------
def parse_columns(text: str) -> list[str]:
    """'A,B' (or one name or number) as a list of column keys; InvalidValue for an empty or long list."""
    keys = [k.strip() for k in text.split(",")]
    if not all(keys):
        raise InvalidValue(f"--columns: expected one or two column names or numbers separated by a comma, got {text!r}")
    if len(keys) > MAX_COLUMNS:
        raise InvalidValue(f"--columns: the data space has one or two dimensions, got {len(keys)} columns")
    return keys


def _column_index(key: str | int, names: tuple[str, ...], source: str) -> int:
    """A column by its name (exactly, else ignoring case) or its number (1 is the first)."""
    if isinstance(key, str):
        for match in (lambda n: n == key, lambda n: n.lower() == key.lower()):
            hits = [i for i, n in enumerate(names) if match(n)]
            if hits:
                return hits[0]
        if not key.isdigit():
            raise InvalidValue(f"{source}: no column is named {key!r}; the columns are {_listed(names)}")
        key = int(key)
    if not 1 <= key <= len(names):
        raise InvalidValue(f"{source}: there is no column {key}; the file has {len(names)} "
                           f"({_listed(names)}), numbered from 1")
    return key - 1


def _listed(names: Sequence[str]) -> str:
    return ", ".join(names)


def choose_columns(layout: Layout, columns: Sequence[str | int] | None, source: str) -> list[int]:
    """The indices of the columns to read: the ones asked for, or every column of a file of one or two."""
    if columns is None:
        if len(layout.names) > MAX_COLUMNS:
            raise InvalidValue(f"{source}: it has {len(layout.names)} columns ({_listed(layout.names)}); "
                               "choose one or two of them (--columns A,B)")
        return list(range(len(layout.names)))
    if not 1 <= len(columns) <= MAX_COLUMNS:
        raise InvalidValue(f"{source}: choose one or two columns, not {len(columns)}")
    chosen = [_column_index(c, layout.names, source) for c in columns]
    if len(set(chosen)) != len(chosen):
        raise InvalidValue(f"{source}: column {layout.names[chosen[0]]!r} is chosen twice")
    return chosen


# -- what a file is, when it is not a table ----------------------------------------------------------
# The first bytes of files that are often picked by mistake, and what to call them.
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (an Excel or OpenDocument sheet is one: save "
                                                        "the sheet as CSV)"),
          (b"\x1f\x8b", "a gzip archive (unpack it first)"))


@dataclass(frozen=True)
class Recognised:
    """A file that is not a table, recognised by its content: `kind` ("scene", "session", "json", "empty" or
    "binary") and `what` it is, in words."""

    kind: str
    what: str

    @property
    def opens_as_scene(self) -> bool:
        return self.kind in ("scene", "session")

    def message(self, source: str) -> str:
        """The one line that refuses it as data."""
        hint = "; open it as a scene (File, Open, or --scene)" if self.opens_as_scene else \
            "; BlurLab reads CSV or TSV text, or a .npy file"
        return f"{source}: {self.what}, not a table of numbers{hint}"


def recognise(raw: bytes) -> Recognised | None:
    """What `raw` holds if it cannot be a table: a BlurLab scene or session file, other JSON, an image or an
    archive, or nothing at all; None for anything else (text that may be a table, a .npy array, or a binary
    file of no known kind, which the reader refuses where its first zero byte is)."""
    if not raw.strip():
        return Recognised("empty", "the file is empty")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return Recognised("binary", what)
    text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith((b"{", b"[")):
        return None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return Recognised("json", "a JSON file (or the start of one)") if text.startswith(b"{") else None
    if isinstance(data, dict) and data.get("format") == "blurlab-scene":
        name = data.get("name")
        named = f" (“{name}”)" if isinstance(name, str) and name else ""
        if "fit" in data or "view" in data:
            return Recognised("session", f"a BlurLab session file{named}")
        return Recognised("scene", f"a BlurLab scene file{named}")
    return Recognised("json", "a JSON file")


def recognise_file(path: str | Path) -> Recognised | None:
    """`recognise` on a file's content (None when it cannot be read: the reader says why)."""
    try:
        return recognise(Path(path).read_bytes())
    except OSError:
        return None


# -- reading ----------------------------------------------------------------------------------------
def read_table(path: str | Path, columns: Sequence[str | int] | None = None) -> Table:
    """The chosen columns of a CSV, TSV or .npy file (see the module's docstring for the messages)."""
    path = Path(path)
    raw = _read_bytes(path)
    if path.suffix.lower() == ".npy" or raw.startswith(NPY_MAGIC):
        return _read_npy(raw, path.name, columns)
    text = _text(raw, path.name)
    lines = text.splitlines()
    layout, first = _layout(lines, path.name)
    chosen = choose_columns(layout, columns, path.name)
    return _read_text(lines, first, layout, chosen, path.name)


def read_layout(path: str | Path) -> Layout:
    """The columns of a file, for the window to offer before it reads the numbers."""
    path = Path(path)
    raw = _read_bytes(path)
    if path.suffix.lower() == ".npy" or raw.startswith(NPY_MAGIC):
        return _npy_layout(_npy_array(raw, path.name), path.name)
    return _layout(_text(raw, path.name).splitlines(), path.name)[0]


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidValue(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def _where(raw: bytes, offset: int) -> str:
    """'line L, character C' of a byte offset (characters counted as bytes: the text is not readable there)."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return f"line {line}, character {offset - start + 1}"


def _text(raw: bytes, source: str) -> str:
    recognised = recognise(raw)
    if recognised is not None:
        raise InvalidValue(recognised.message(source) if recognised.kind != "empty" else f"{source}: the file is empty")
    nul = raw.find(b"\0")
    if nul >= 0:
        raise InvalidValue(f"{source}, {_where(raw, nul)}: a zero byte; this is a binary file, not CSV or TSV text "
                           "(a .npy file must be named .npy)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidValue(f"{source}, {_where(raw, exc.start)}: byte 0x{raw[exc.start]:02x} is not UTF-8 text; "
                           "save the file as UTF-8") from None


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _delimiter(line: str) -> str | None:
    """Tab, comma or semicolon, whichever the first line has (in that order); None: runs of spaces."""
    for d in ("\t", ",", ";"):
        if d in line:
            return d
    return None


def _fields(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return line.split()
    if _QUOTE in line:
        return next(csv.reader([line], delimiter=delimiter))
    return line.split(delimiter)


def _number(field: str) -> float | None:
    try:
        return float(field.strip().strip(_QUOTE))
    except ValueError:
        return None


def _layout(lines: list[str], source: str) -> tuple[Layout, int]:
    """The columns and whether line `first` (an index) is a header; the first row of numbers follows it."""
    first = next((i for i, line in enumerate(lines) if _content(line)), None)
    if first is None:
        raise InvalidValue(f"{source}: the file holds no rows (only blank or # comment lines)")
    fields = _fields(lines[first], _delimiter(lines[first]))
    header = any(_number(f) is None for f in fields)
    names = tuple(f.strip().strip(_QUOTE).strip() or f"column {i + 1}" for i, f in enumerate(fields)) if header \
        else tuple(f"column {i + 1}" for i in range(len(fields)))
    row = next((lines[i] for i in range(first + 1 if header else first, len(lines)) if _content(lines[i])), None)
    row_fields = _fields(row, _delimiter(lines[first])) if row is not None else []
    numeric = tuple(i < len(row_fields) and _number(row_fields[i]) is not None for i in range(len(names)))
    return Layout(names, header, numeric), first


def _read_text(lines: list[str], first: int, layout: Layout, chosen: list[int], source: str) -> Table:
    delimiter = _delimiter(lines[first])
    start = first + 1 if layout.header else first
    if not any(_content(line) for line in lines[start:]):  # stops at the first row: cheap
        raise InvalidValue(f"{source}: line {first + 1} is a header and no rows of numbers follow it")
    every = chosen == list(range(len(layout.names)))
    try:
        values = np.loadtxt(lines[start:], delimiter=delimiter, usecols=None if every else chosen, ndmin=2,
                            dtype=float, comments="#", quotechar=_QUOTE if delimiter else None)
    except ValueError:
        values = None
    if values is None or not np.isfinite(values).all() or (not every and _ragged(lines, start, delimiter, len(values), len(layout.names))):
        _scan(lines, start, delimiter, layout, chosen, source)  # raises, naming the line and column
        raise InvalidValue(f"{source}: the numbers cannot be read")  # loadtxt refused what the scan allows
    if len(values) < MIN_ROWS:
        line = next(i for i in range(start, len(lines)) if _content(lines[i])) + 1
        raise InvalidValue(f"{source}: only one row of numbers (line {line}); at least {MIN_ROWS} points are needed")
    return Table(values, tuple(layout.names[i] for i in chosen), source)


def _ragged(lines: list[str], start: int, delimiter: str | None, rows: int, width: int) -> bool:
    """Whether a row has another number of fields than the header (loadtxt checks only the columns it
    reads). The delimiters are counted over the whole text at C speed: `rows` rows of `width` fields hold
    rows * (width - 1) of them; only another total sends the rows to the line-by-line scan. (Rows too long
    and rows too short that cancel out, with the short ones still holding every chosen column, pass.)"""
    if delimiter is None or any(_QUOTE in line for line in lines[start:start + 1]):
        return False  # quoted or space-separated: loadtxt's own reading stands
    body = "\n".join(lines[start:])
    comments = sum(line.count(delimiter) for line in lines[start:] if line.lstrip().startswith("#")) if "#" in body else 0
    return body.count(delimiter) - comments != rows * (width - 1)


def _scan(lines: list[str], start: int, delimiter: str | None, layout: Layout, chosen: list[int], source: str) -> None:
    """Find the first bad row, in file order, and raise InvalidValue naming its line and column."""
    width = len(layout.names)
    for i in range(start, len(lines)):
        if not _content(lines[i]):
            continue
        fields = _fields(lines[i], delimiter)
        where = f"{source}, line {i + 1}"
        if len(fields) != width:
            told = "the header names" if layout.header else f"line {start + 1} has"
            raise InvalidValue(f"{where}: {len(fields)} value{'s' if len(fields) != 1 else ''}, where {told} {width}")
        for c in chosen:
            value = _number(fields[c])
            at = f"{where}, column {c + 1} ({layout.names[c]})" if layout.header else f"{where}, column {c + 1}"
            if value is None:
                shown = repr(fields[c].strip()) if fields[c].strip() else "an empty field"
                raise InvalidValue(f"{at}: {shown} is not a number")
            if not math.isfinite(value):
                raise InvalidValue(f"{at}: {fields[c].strip()!r} is not a finite number")


# -- .npy -----------------------------------------------------------------------------------------
def _npy_array(raw: bytes, source: str) -> np.ndarray:
    if not raw:
        raise InvalidValue(f"{source}: the file is empty")
    try:
        return np.load(io.BytesIO(raw), allow_pickle=False)
    except ValueError as exc:
        reason = "it holds Python objects" if "allow_pickle" in str(exc) else str(exc).rstrip(".")
        raise InvalidValue(f"{source}: not a readable .npy file of numbers ({reason})") from None
    except (OSError, EOFError) as exc:
        raise InvalidValue(f"{source}: not a readable .npy file ({exc})") from None


def _real(dtype: np.dtype) -> bool:
    return bool(np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating) or dtype == bool)


def _npy_layout(array: np.ndarray, source: str) -> Layout:
    if array.dtype.names is not None:
        if array.ndim != 1:
            raise InvalidValue(f"{source}: expected a table (one row per point), got an array of shape {array.shape}")
        return Layout(array.dtype.names, True, tuple(_real(array.dtype[n]) for n in array.dtype.names))
    if array.ndim not in (1, 2):
        raise InvalidValue(f"{source}: expected one row per point (shape (n,) or (n, k)), got shape {array.shape}")
    if not _real(array.dtype):
        raise InvalidValue(f"{source}: expected real numbers, got an array of {array.dtype}")
    width = 1 if array.ndim == 1 else array.shape[1]
    return Layout(tuple(f"column {i + 1}" for i in range(width)), False, (True,) * width)


def _read_npy(raw: bytes, source: str, columns: Sequence[str | int] | None) -> Table:
    array = _npy_array(raw, source)
    layout = _npy_layout(array, source)
    if array.size == 0:
        raise InvalidValue(f"{source}: the array is empty")
    chosen = choose_columns(layout, columns, source)
    text = [layout.names[i] for i in chosen if not layout.numeric[i]]
    if text:
        raise InvalidValue(f"{source}: column {text[0]!r} does not hold numbers")
    if array.dtype.names is not None:
        values = np.column_stack([array[layout.names[i]] for i in chosen]).astype(float)
    else:
        values = array.reshape(len(array), -1)[:, chosen].astype(float)
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        row, col = (int(v) for v in bad[0])
        raise InvalidValue(f"{source}, row {row + 1}, column {chosen[col] + 1} ({layout.names[chosen[col]]}): "
                           f"{values[row, col]} is not a finite number")
    if len(values) < MIN_ROWS:
        raise InvalidValue(f"{source}: only one row of numbers; at least {MIN_ROWS} points are needed")
    return Table(values, tuple(layout.names[i] for i in chosen), source)
