"""Your own data in the real window, by real mouse and key events: importing through the dialogs and by
dropping a file, painting and erasing with the mouse, undo with the keys, switching to the mixture's
samples, and a session with imported data saved and reopened."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QListWidget

from gui.dialogs import ColumnDialog
from tests.support.gui_helpers import drag, point, step_and_record

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _window(make_window, qtbot, *args, **options):
    """The real window, active (as a desktop makes the window just opened), so its keys work."""
    window = make_window(*args, **options)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def _write_geyser(path, rows: int = 120):
    rng = np.random.default_rng(8)
    short = np.column_stack([rng.normal(2.0, 0.25, rows // 3), rng.normal(55, 5, rows // 3)])
    long = np.column_stack([rng.normal(4.3, 0.35, rows - rows // 3), rng.normal(80, 5, rows - rows // 3)])
    data = np.concatenate([short, long])
    path.write_text("eruptions,waiting\n" + "".join(f"{a!r},{b!r}\n" for a, b in data.tolist()))
    return data


def _when_modal(qtbot, kind, act):
    """Run `act(dialog)` on the next modal dialog of `kind` that opens (while it blocks in exec)."""
    done = []

    def look():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            done.append(True)
            dialog.activateWindow()  # as a window manager does (offscreen, the main window stays active)
            QApplication.processEvents()
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return done


# The offscreen platform says it cannot pass a dialog's size hints to a window manager (it has none).
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_import_through_the_dialogs_picks_a_column(make_window, qtbot, tmp_path):
    data = _write_geyser(tmp_path / "geyser.csv")
    window = _window(make_window, qtbot, start_fit=False)

    def type_the_path(dialog):
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.setFocus()
        edit.setCompleter(None)  # its popup would take the Return (and offscreen it cannot grab the keyboard)
        qtbot.keyClicks(edit, str(tmp_path / "geyser.csv"))
        qtbot.keyClick(edit, K.Key_Return)

    def untick_waiting(dialog):
        columns = dialog.findChild(QListWidget)
        columns.setFocus()
        qtbot.keyClick(columns, K.Key_Down)  # to "waiting", ticked with "eruptions" at first
        qtbot.keyClick(columns, K.Key_Space)  # unticked: one column, a 1-D scene
        qtbot.keyClick(columns, K.Key_Return)

    files = _when_modal(qtbot, QFileDialog, type_the_path)
    columns = _when_modal(qtbot, ColumnDialog, untick_waiting)
    qtbot.keyClick(window, K.Key_I, CTRL)
    qtbot.waitUntil(lambda: window.state.points is not None, timeout=10000)
    assert files and columns
    state = window.state
    assert state.dim == 1 and state.uses_points and state.points.axes == ("eruptions",)
    np.testing.assert_array_equal(np.sort(state.samples[:, 0]), np.sort(data[:, 0]))
    assert "Your points" in window.data_bar.label.text() and "geyser.csv" in window.data_bar.label.text()
    assert window.pane.plotItem.getAxis("bottom").labelText == "eruptions"
    assert len(state.mixture.components) == 2  # the handles show the mixture fitted to the points
    assert len(window.pane.handles()) == 4
    window.activateWindow()  # the dialogs have closed: the window has the keys again
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, K.Key_Z, CTRL)  # the import is one step of Undo
    assert state.points is None and state.scene.name == "Sedan or SUV"


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_ctrl_i_on_a_scene_file_offers_to_open_it_as_a_scene(make_window, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from engine.model.scene import bundled_scene, save

    save(bundled_scene("three_modes"), tmp_path / "three.json")
    window = _window(make_window, qtbot, start_fit=False)
    asked = []

    def type_the_path(dialog):
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.setFocus()
        edit.setCompleter(None)
        qtbot.keyClicks(edit, str(tmp_path / "three.json"))
        qtbot.keyClick(edit, K.Key_Return)

    def say_yes(box):
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    files = _when_modal(qtbot, QFileDialog, type_the_path)
    question = _when_modal(qtbot, QMessageBox, say_yes)
    qtbot.keyClick(window, K.Key_I, CTRL)
    qtbot.waitUntil(lambda: window.state.scene.name == bundled_scene("three_modes").name, timeout=10000)
    assert files and question and "three.json is a BlurLab scene file" in asked[0]
    assert window.state.points is None  # opened as the scene it is, not read as a table


def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    at = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop


def test_dropping_a_file_on_the_window_imports_it_and_a_bad_one_changes_nothing(make_window, qtbot, tmp_path,
                                                                               monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = _window(make_window, qtbot, start_fit=False)
    one = tmp_path / "heights.tsv"
    one.write_text("height\n" + "\n".join(str(v) for v in [150, 152, 149, 151, 180, 182, 179, 181]) + "\n")
    assert _drop(window, one).isAccepted()
    assert window.state.uses_points and window.state.points.axes == ("height",) and len(window.state.samples) == 8
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"height\n150\n15\xff2\n")
    before = window.state.scene
    _drop(window, bad)
    assert shown == ["bad.csv, line 3, character 3: byte 0xff is not UTF-8 text; save the file as UTF-8"]
    assert window.state.scene is before


def _points_at(window):
    return window.state.points.values[:, 0] if window.state.points is not None else np.empty(0)


def test_painting_erasing_and_undo_with_mouse_and_keys(make_window, qtbot):
    window = _window(make_window, qtbot, start_fit=False)
    pane, bar = window.pane, window.data_bar
    handles_before = [(h.pos().x(), h.pos().y()) for h in pane.handles()]
    qtbot.mouseClick(bar.paint, Qt.MouseButton.LeftButton)
    assert window.painting.active and bar.clear.isVisible()
    qtbot.mouseClick(bar.clear, Qt.MouseButton.LeftButton)
    assert window.state.uses_points and len(window.state.samples) == 0
    y = pane.viewRange()[1][1] * 0.3
    drag(pane, point(pane, -3.0, y), point(pane, -2.0, y), steps=12)
    drag(pane, point(pane, 2.0, y), point(pane, 3.0, y), steps=12)
    painted = _points_at(window)
    assert len(painted) == 2 * 3 * 13
    assert ((painted > -3.5) & (painted < -1.5)).sum() == 39 and ((painted > 1.5) & (painted < 3.5)).sum() == 39
    assert len(window.state.mixture.components) >= 2  # fitted anew to what was painted
    # the eraser, over the right-hand stroke only
    qtbot.mouseClick(bar.eraser, Qt.MouseButton.LeftButton)
    drag(pane, point(pane, 1.5, y), point(pane, 3.5, y), steps=40)
    left = _points_at(window)
    assert (left < 0).sum() == 39 and (left > 1.9).sum() < 10
    qtbot.keyClick(window, K.Key_Z, CTRL)  # undo the erasing
    np.testing.assert_array_equal(_points_at(window), painted)
    qtbot.keyClick(window, K.Key_E)  # E puts the eraser down: painting off, the handles move again
    assert not window.painting.active and not bar.clear.isVisible()
    for _ in range(3):
        qtbot.keyClick(window, K.Key_Z, CTRL)
    assert window.state.points is None
    assert [(h.pos().x(), h.pos().y()) for h in pane.handles()] == handles_before


def test_switching_between_the_points_and_the_mixtures_samples(make_window, qtbot, tmp_path):
    _write_geyser(tmp_path / "g.csv")
    window = _window(make_window, qtbot, start_fit=False)
    assert window.imports.import_file(str(tmp_path / "g.csv"), columns=["eruptions"])
    bar = window.data_bar
    qtbot.mouseClick(bar.switch, Qt.MouseButton.LeftButton)
    assert not window.state.uses_points and len(window.state.samples) == window.state.scene.samples
    assert "Samples of the mixture" in bar.label.text() and bar.switch.text() == "Use your points"
    qtbot.mouseClick(bar.switch, Qt.MouseButton.LeftButton)
    assert window.state.uses_points and len(window.state.samples) == 120
    # dragging a handle edits the mixture: what is on screen becomes its samples, and the bar says so
    handle = next(h for h in window.pane.handles() if h.role == "peak")
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(window.pane, point(window.pane, x0, y0), point(window.pane, x0 + 0.3, y0))
    assert not window.state.uses_points and "Samples of the mixture" in bar.label.text()


def test_a_session_with_imported_data_reopens_exactly(make_window, qtbot, tmp_path):
    data = _write_geyser(tmp_path / "g.csv")
    window = _window(make_window, qtbot)
    assert window.imports.import_file(str(tmp_path / "g.csv"), columns=["eruptions", "waiting"])
    qtbot.waitUntil(lambda: window.fit.latest is not None and window.fit.latest.estimate.dim == 2, timeout=10000)
    before = step_and_record(window, qtbot, 8)
    path = tmp_path / "talk.json"
    assert window.sessions.save_file(str(path))
    (tmp_path / "g.csv").unlink()  # the session holds the points themselves: the file may go

    other = _window(make_window, qtbot, "three_modes")
    assert other.sessions.open_file(str(path))
    s = other.state
    np.testing.assert_array_equal(s.points.values, data)
    np.testing.assert_array_equal(s.samples, window.state.samples)
    assert s.uses_points and s.points.axes == ("eruptions", "waiting")
    qtbot.waitUntil(lambda: other.fit.latest is not None and other.fit.latest.estimate.dim == 2, timeout=10000)
    np.testing.assert_allclose(step_and_record(other, qtbot, 8), before, rtol=1e-6)


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: a menu that opens cannot grab the keys
def test_the_real_data_chapter_of_the_tour_walks_through_its_data_sets(make_window, qtbot):
    from engine.model.losses import LOSS_IDS
    from engine.model.scene import bundled_scene_ids
    from engine.model.tour import check_tour, tour_by_id

    chapter = tour_by_id("real_data")
    check_tour(chapter.steps, bundled_scene_ids(), LOSS_IDS)
    window = _window(make_window, qtbot)
    window.tour_menu.popup(window.mapToGlobal(window.rect().center()))  # the Tour menu lists its chapters as it opens
    start = next(a for a in window.tour_menu.actions() if a.text() == f"Start: {chapter.title}")
    start.trigger()  # Tour ▸ Start: Real data
    window.tour_menu.close()
    window.activateWindow()  # the keys go to the window again
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    for i, step in enumerate(chapter.steps):
        if i:
            qtbot.keyClick(window, K.Key_Right)
        assert window.tour.index == i and window.state.settings.loss == step.loss
        assert window.state.uses_points and "Your points" in window.data_bar.label.text()
        assert window.state.points.origin.endswith(".csv")
        qtbot.waitUntil(lambda: window.fit.latest is not None and window.fit.latest.loss_id == step.loss
                        and window.fit.latest.step >= 5, timeout=15000)
