"""Reading measurements from files: CSV, TSV and .npy, the columns chosen by name or number, and every
bad file refused with one line naming the file, the line and the column."""

from __future__ import annotations

import re

import numpy as np
import pytest

from engine.io.table import parse_columns, read_layout, read_table
from engine.io.values import InvalidValue


def _file(tmp_path, name: str, content: bytes | str):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_a_csv_with_a_header_names_its_columns(tmp_path):
    table = read_table(_file(tmp_path, "geyser.csv", "eruptions,waiting\n3.6,79\n1.8,54\n3.333,74\n"))
    assert table.names == ("eruptions", "waiting")
    np.testing.assert_array_equal(table.values, [[3.6, 79], [1.8, 54], [3.333, 74]])


def test_tsv_without_a_header_and_windows_line_ends(tmp_path):
    table = read_table(_file(tmp_path, "x.tsv", "1.5\t-2\r\n3e2\t.25\r\n\r\n"))
    assert table.names == ("column 1", "column 2")
    np.testing.assert_array_equal(table.values, [[1.5, -2], [300, 0.25]])


def test_columns_by_name_or_number_and_text_in_columns_not_chosen(tmp_path):
    path = _file(tmp_path, "penguins.csv", "species,bill,flipper,mass\nAdelie,39.1,181,3750\nGentoo,46.1,211,4500\n")
    assert read_table(path, ["flipper"]).values[:, 0].tolist() == [181, 211]
    both = read_table(path, ["Mass", "3"])  # a name ignores case; a number counts from 1
    assert both.names == ("mass", "flipper") and both.values.tolist() == [[3750, 181], [4500, 211]]
    assert read_layout(path).numeric == (False, True, True, True)


def test_quoted_header_and_r_row_names(tmp_path):
    path = _file(tmp_path, "faithful.csv", '"","eruptions","waiting"\n"1",3.6,79\n"2",1.8,54\n')
    assert read_table(path, ["eruptions"]).values[:, 0].tolist() == [3.6, 1.8]


@pytest.mark.parametrize(("content", "message"), [
    ("a,b\n1,2\n3,abc\n", "bad.csv, line 3, column 2 (b): 'abc' is not a number"),
    ("a,b\n1,2\n3,\n", "bad.csv, line 3, column 2 (b): an empty field is not a number"),
    ("1,2\n3,x\n", "bad.csv, line 2, column 2: 'x' is not a number"),
    ("a,b\n1,2\nnan,4\n", "bad.csv, line 3, column 1 (a): 'nan' is not a finite number"),
    ("a,b\n1,2\n3,4\n5,-inf\n", "bad.csv, line 4, column 2 (b): '-inf' is not a finite number"),
    ("a,b\n1,2\n3,4,5\n", "bad.csv, line 3: 3 values, where the header names 2"),
    ("a,b\n1,2\n3\n", "bad.csv, line 3: 1 value, where the header names 2"),
    ("a,b\n", "bad.csv: line 1 is a header and no rows of numbers follow it"),
    ("a,b\n1,2\n", "bad.csv: only one row of numbers (line 2); at least 2 points are needed"),
    ("", "bad.csv: the file is empty"),
    ("\n  \n", "bad.csv: the file is empty"),
    (b"a,b\n1,2\x00\x07\n", "bad.csv, line 2, character 4: a zero byte; this is a binary file"),
    ("a,b\n1,2\ncaf\u00e9,3\n".encode("latin-1"), "bad.csv, line 3, character 4: byte 0xe9 is not UTF-8 text"),
])
def test_every_bad_file_is_refused_naming_the_line_and_column(tmp_path, content, message):
    with pytest.raises(InvalidValue) as caught:
        read_table(_file(tmp_path, "bad.csv", content))
    text = str(caught.value)
    assert text.startswith(message) and "\n" not in text


def test_a_ragged_row_is_caught_when_only_some_columns_are_read(tmp_path):
    path = _file(tmp_path, "wide.csv", "a,b,c\n1,2,3\n4,5,6,7\n")
    with pytest.raises(InvalidValue, match=r"wide.csv, line 3: 4 values, where the header names 3"):
        read_table(path, ["a"])


@pytest.mark.parametrize(("columns", "message"), [
    (None, "it has 3 columns (a, b, c); choose one or two"),
    (["d"], "no column is named 'd'; the columns are a, b, c"),
    (["4"], "there is no column 4; the file has 3"),
    (["a", "A"], "column 'a' is chosen twice"),
])
def test_choosing_columns(tmp_path, columns, message):
    path = _file(tmp_path, "three.csv", "a,b,c\n1,2,3\n4,5,6\n")
    with pytest.raises(InvalidValue, match=re.escape(message)):
        read_table(path, columns)


def test_parse_columns_of_the_command_line():
    assert parse_columns("eruptions, 2") == ["eruptions", "2"]
    for bad in ("a,,b", "a,b,c", ""):
        with pytest.raises(InvalidValue, match="--columns"):
            parse_columns(bad)


def test_npy_plain_and_structured(tmp_path):
    plain = tmp_path / "plain.npy"
    np.save(plain, np.array([1.0, 2.0, 4.0]))
    assert read_table(plain).values.tolist() == [[1.0], [2.0], [4.0]]
    table = tmp_path / "table.npy"
    np.save(table, np.array([(1, 2.5, b"x"), (3, 4.5, b"y")], dtype=[("n", int), ("w", float), ("s", "S1")]))
    chosen = read_table(table, ["w", "n"])
    assert chosen.names == ("w", "n") and chosen.values.tolist() == [[2.5, 1.0], [4.5, 3.0]]
    with pytest.raises(InvalidValue, match="column 's' does not hold numbers"):
        read_table(table, ["s"])


@pytest.mark.parametrize(("array", "message"), [
    (np.array([[1.0, 2.0], [3.0, np.nan]]), "bad.npy, row 2, column 2 (column 2): nan is not a finite number"),
    (np.zeros((2, 2, 2)), "expected one row per point"),
    (np.array([1.0]), "only one row of numbers"),
    (np.zeros((0, 2)), "the array is empty"),
    (np.array(["a", "b"]), "expected real numbers"),
])
def test_bad_npy_files(tmp_path, array, message):
    path = tmp_path / "bad.npy"
    np.save(path, array)
    with pytest.raises(InvalidValue, match=re.escape(message)):
        read_table(path)


def test_a_npy_of_python_objects_or_garbage_is_refused(tmp_path):
    objects = tmp_path / "objects.npy"
    np.save(objects, np.array([{"a": 1}, 2], dtype=object), allow_pickle=True)
    with pytest.raises(InvalidValue, match="it holds Python objects"):
        read_table(objects)
    garbage = _file(tmp_path, "garbage.npy", b"\x93NUMPY\x01\x00garbage")
    with pytest.raises(InvalidValue, match="garbage.npy: not a readable .npy file"):
        read_table(garbage)


def test_a_scene_a_session_and_other_files_are_recognised_and_refused_in_one_line(tmp_path):
    from engine.io.table import recognise
    from engine.model.scene import bundled_scene, dumps

    scene = dumps(bundled_scene("old_faithful"))
    found = recognise(scene.encode())
    assert found.kind == "scene" and found.opens_as_scene and bundled_scene("old_faithful").name in found.what
    session = recognise(b'{"format": "blurlab-scene", "name": "Mine", "fit": {}, "view": {}}')
    assert session.kind == "session" and session.what == "a BlurLab session file (“Mine”)"
    assert recognise(b"[1, 2, 3]").kind == "json" and recognise(b'{"format": "x"').kind == "json"
    assert recognise(b"\x89PNG\r\n\x1a\n").what == "a PNG image" and recognise(b" \n").kind == "empty"
    for table in (b"a,b\n1,2\n", b"1.5\t2\n", b"\x93NUMPY\x01\x00", b"[1] not json, a,b\n"):
        assert recognise(table) is None
    with pytest.raises(InvalidValue) as caught:
        read_layout(_file(tmp_path, "old_faithful.json", scene))
    name = bundled_scene("old_faithful").name
    assert str(caught.value) == (f"old_faithful.json: a BlurLab scene file (“{name}”), "
                                 "not a table of numbers; open it as a scene (File, Open, or --scene)")
