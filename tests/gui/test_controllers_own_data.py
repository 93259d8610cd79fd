"""The controllers of your own data against fakes: painting strokes on a fake canvas, importing with a
fake column chooser and a recorder of warnings."""

from __future__ import annotations

import numpy as np
import pytest

from engine.model.scene import bundled_scene
from tests.support.fakes import FakeCanvas, FakeFit
from gui.controllers.imports import ImportController
from gui.controllers.painting import PaintController
from gui.state import AppState
from gui.support import palette


@pytest.fixture
def painting(qtbot):
    state = AppState(bundled_scene("sedan_or_suv"), "sedan_or_suv")
    canvas = FakeCanvas()
    controller = PaintController(state, canvas)
    yield controller
    canvas.viewport().deleteLater()


def test_a_brush_stroke_adds_points_where_it_goes_and_one_undo_takes_it_back(painting):
    state = painting.state
    painting.clear()
    assert len(state.samples) == 0 and state.uses_points
    painting.set_tool("brush")
    painting.press(-2.0, 0.1)
    for x in np.linspace(-2.0, -1.5, 10):
        painting.move(x, 0.1)
    painting.release(-1.5, 0.1)
    first = len(state.points)
    assert first == 3 * 11
    assert -2.5 < state.points.values.min() and state.points.values.max() < -1.0
    painting.press(3.0, 0.1)
    for _ in range(10):
        painting.move(3.0, 0.1)
    painting.release(3.0, 0.1)
    assert len(state.points) == first + 33
    # the mixture is fitted anew when a stroke ends: its outermost components sit on the two blobs
    means = sorted(state.mixture.means[:, 0])
    assert means[0] == pytest.approx(-1.8, abs=0.3) and means[-1] == pytest.approx(3.0, abs=0.2)
    assert state.undo() and len(state.points) == first  # one stroke, one undo
    assert state.undo() and len(state.points) == 0
    assert state.undo() and state.points is None  # before the first stroke: the mixture scene


def test_the_eraser_removes_points_near_it_only(painting):
    state = painting.state
    before = state.samples.copy()  # the first stroke starts from what is on screen: the mixture's samples
    painting.set_tool("eraser")
    painting.press(2.0, 0.1)
    painting.release(2.0, 0.1)
    radius = 10 * 0.025
    kept = before[np.abs(before[:, 0] - 2.0) > radius]
    np.testing.assert_array_equal(np.sort(state.points.values[:, 0]), np.sort(kept[:, 0]))
    assert state.uses_points and len(kept) < len(before)


def test_painting_in_2d_is_on_the_plane(qtbot):
    state = AppState(bundled_scene("style_and_colour"), "style_and_colour")
    canvas = FakeCanvas((-4.0, 4.0), (-4.0, 4.0))
    painting = PaintController(state, canvas)
    painting.clear()
    painting.press(1.0, -1.0)
    painting.release(1.0, -1.0)
    np.testing.assert_allclose(state.points.values.mean(axis=0), [1.0, -1.0], atol=0.15)
    canvas.viewport().deleteLater()


def test_keys_take_and_put_down_a_tool(painting):
    seen = []
    painting.activeChanged.connect(seen.append)
    painting.key("brush")
    assert painting.active and painting.tool == "brush"
    painting.key("eraser")
    assert painting.active and painting.tool == "eraser"
    painting.key("eraser")
    assert not painting.active and seen == [True, False]


# -- importing ---------------------------------------------------------------------------------------
@pytest.fixture
def importer(qtbot):
    state = AppState(bundled_scene("sedan_or_suv"), "sedan_or_suv")
    asked, warned = [], []

    def ask(layout):
        asked.append(layout.names)
        return importer.answer

    controller = ImportController(state, FakeFit(), ask, lambda title, text: warned.append(text), lambda path: True)
    controller.asked, controller.warned, controller.answer = asked, warned, [2]
    importer = controller
    return controller


def test_an_import_asks_for_the_columns_and_builds_a_points_scene(importer, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("species,flipper,mass\nA,181,3750\nB,186,3800\nC,211,4500\nD,215,4700\n")
    assert importer.import_file(str(path))
    assert importer.asked == [("species", "flipper", "mass")]
    state = importer.state
    assert state.uses_points and state.points.axes == ("mass",) and state.dim == 1
    assert sorted(state.samples[:, 0]) == [3750, 3800, 4500, 4700]
    assert importer.fit.calls == [("run", False)]


def test_a_cancelled_or_bad_import_changes_nothing(importer, tmp_path):
    state = importer.state
    before = (state.scene, state.samples)
    path = tmp_path / "p.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    importer.answer = None
    assert not importer.import_file(str(path))
    bad = tmp_path / "bad.tsv"
    bad.write_text("x\n1\n2\nNaN\n")
    assert not importer.import_file(str(bad))
    assert importer.warned == ["bad.tsv, line 4, column 1 (x): 'NaN' is not a finite number"]
    assert (state.scene, state.samples) == before


def test_a_scene_file_given_to_import_is_offered_as_a_scene_and_opened_on_yes(qtbot, tmp_path):
    from engine.model.scene import save

    state = AppState(bundled_scene("sedan_or_suv"), "sedan_or_suv")
    questions, opened, warned, columns = [], [], [], []
    answer = {"yes": False}

    def confirm(title, text):
        questions.append(text)
        return answer["yes"]

    controller = ImportController(state, FakeFit(), lambda layout: columns.append(layout) or [0],
                                  lambda title, text: warned.append(text), lambda path: opened.append(path) or True,
                                  confirm=confirm)
    path = tmp_path / "geyser.json"
    save(bundled_scene("old_faithful_2d"), path)
    assert not controller.import_file(str(path))  # "no": nothing opened, nothing imported
    assert questions == [f"geyser.json is a BlurLab scene file (“{bundled_scene('old_faithful_2d').name}”), "
                         "not a table of numbers. Open it as a scene?"]
    assert opened == [] and columns == [] and warned == [] and state.scene_id == "sedan_or_suv"
    answer["yes"] = True
    assert controller.import_file(str(path))
    assert opened == [str(path)] and columns == []  # never the column chooser


@pytest.mark.parametrize(("content", "line"), [
    (b'{"a": [1, 2]}', "x.dat: a JSON file, not a table of numbers; BlurLab reads CSV or TSV text, or a .npy file"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "x.dat: a PNG image, not a table of numbers"),
    (b"PK\x03\x04\x14\0\0\0", "x.dat: a ZIP archive (an Excel or OpenDocument sheet is one: save the sheet as CSV)"),
    (b"", "x.dat: the file is empty"),
])
def test_a_file_that_is_not_a_table_gets_one_clear_line(importer, tmp_path, content, line):
    path = tmp_path / "x.dat"
    path.write_bytes(content)
    assert not importer.import_file(str(path))
    assert importer.asked == [] and len(importer.warned) == 1
    assert importer.warned[0].startswith(line) and "\n" not in importer.warned[0]


def test_undoing_the_first_stroke_is_the_bundled_scene_again(qtbot):
    state = AppState(bundled_scene("style_and_colour"), "style_and_colour")
    replaced = []
    state.sceneReplaced.connect(lambda: replaced.append(state.scene_id))
    controller = PaintController(state, FakeCanvas())
    controller.set_tool("brush")
    controller.press(0.0, 0.0)
    controller.release(0.0, 0.0)
    assert state.uses_points and state.scene_id is None
    assert state.undo()
    assert state.scene_id == "style_and_colour" and not state.uses_points
    assert replaced == ["style_and_colour"]  # the scene selector shows it again
    controller.canvas.viewport().deleteLater()


def test_the_data_bar_says_whose_points_in_plain_words(qtbot):
    from engine.model.data_scene import repainted
    from gui.panes.data_bar import describe

    state = AppState(bundled_scene("sedan_or_suv"), "sedan_or_suv")
    state.set_points(state.samples[:500], finished=True)
    assert describe(state).startswith(f"<b style='color:{palette.DATA}'>Your painted points</b>: 500 points.")
    assert "from painted" not in describe(state) and "Your painted points</b>: 500" in describe(state, short=True)
    geyser = bundled_scene("old_faithful")
    state.load_scene(geyser)
    assert "Your points</b> from " in describe(state)
    state.load_scene(repainted(geyser, geyser.points.values[:100]))
    assert f"from {geyser.points.origin}, painted over: 100 points" in describe(state)
    state.use_points(False)
    assert f"fitted to {geyser.points.origin}, painted over" in describe(state)
