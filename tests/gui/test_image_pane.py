"""The image pane in the real window: what it shows, and that it follows drags, losses and the fit."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import Qt

from engine.images.board import SAMPLE_GRID, STRIP
from tests.support.gui_helpers import choose_with_keys, drag, point


def _visible(row) -> list:
    return [t for t in row.tiles if t.isVisibleTo(row)]


def _mosaic_count(row, columns: int) -> int:
    """How many pictures a mosaic shows, read off the size of the pixmap it displays."""
    pixmap = row.pixmap()
    tile_w = 96 * row.scale
    cols = round((pixmap.width() + 3) / (tile_w + 3))
    rows = round((pixmap.height() + 3) / (64 * row.scale + 3))
    assert cols == min(columns, len(row.pictures))
    return len(row.pictures) if rows * cols >= len(row.pictures) > (rows - 1) * cols else -1


def _step(window) -> int:
    return int(window.readouts.step.text().replace(",", ""))


def test_the_pane_shows_modes_strips_prediction_and_samples(make_window, qtbot):
    window = make_window()
    pane = window.image_pane
    qtbot.waitUntil(lambda: pane.fit_board is not None, timeout=5000)
    assert [t.shown.caption for t in _visible(pane.modes_row)] == ["sedan", "SUV"]
    assert _mosaic_count(pane.latent_row, STRIP) == _mosaic_count(pane.pixel_row, STRIP) == STRIP
    assert len(_visible(pane.answer_row)) == 1
    assert _mosaic_count(pane.samples_row, 4) == SAMPLE_GRID
    assert not pane.estimate_tile.picture.pixmap().isNull()
    assert "sharpness" in pane.estimate_tile.caption.text()


def test_dragging_a_component_changes_its_mode_image_decoded_beside_the_window(make_window, qtbot, monkeypatch):
    import engine.images.board as board

    decoded_on = []
    decode = board.decode
    def watched(*args, **kwargs):
        decoded_on.append(threading.current_thread())
        return decode(*args, **kwargs)

    monkeypatch.setattr(board, "decode", watched)
    window = make_window()
    pane = window.pane
    qtbot.waitUntil(lambda: window.image_pane.data_board is not None, timeout=5000)
    before = window.image_pane.modes_row.tiles[1].shown.image.copy()
    handle = next(h for h in pane.handles() if h.index == 1 and h.role == "peak")
    x0, y0 = handle.pos().x(), handle.pos().y()
    drag(pane, point(pane, x0, y0), point(pane, x0 - 2.0, y0))  # the SUV becomes a crossover
    changed = lambda: np.abs(window.image_pane.modes_row.tiles[1].shown.image - before).mean() > 0.01  # noqa: E731
    qtbot.waitUntil(changed, timeout=5000)
    # the window's own thread decoded nothing: it went on drawing while the pictures were made
    assert decoded_on and threading.main_thread() not in decoded_on


def test_l2_turns_the_grey_pixel_answer_into_a_blurry_average(make_window, qtbot):
    window = make_window()
    pane = window.image_pane
    window.controls.speed.setValue(window.controls.speed.maximum())
    qtbot.keyClick(window, Qt.Key.Key_Space)
    # from grey (no edges at all) the answer gains the edges of both modes, half-strength: a ghost
    qtbot.waitUntil(lambda: pane.fit_board is not None and pane.fit_board.answers[0].sharpness > 0.3
                    and pane.fit_board.answers[0].mean_mse < pane.fit_board.estimate.mean_mse, timeout=30000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    answer = pane.fit_board.answers[0]
    estimate = pane.fit_board.estimate
    assert answer.sharpness < 0.6 < estimate.sharpness  # blurry, while a decoded point is sharp
    assert answer.mean_mse < estimate.mean_mse  # ... and yet L2 wins on squared error


def test_switching_to_a_mixture_makes_the_answer_sharp_components(make_window, qtbot):
    window = make_window()
    pane = window.image_pane
    choose_with_keys(qtbot, window.controls.loss_box, "mixture_nll")
    window.controls.speed.setValue(window.controls.speed.maximum())
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _step(window) > 800, timeout=30000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(_visible(pane.answer_row)) == 2, timeout=5000)
    assert "components" in pane.answer_label.text()
    assert all(t.shown.sharpness > 0.8 for t in _visible(pane.answer_row))


def test_a_ball_scene_decodes_balls(make_window, qtbot):
    window = make_window(scene="ball_next_frame")
    pane = window.image_pane
    left, right = (t.shown.image for t in _visible(pane.modes_row))
    # the ball is the dark blob: it sits further right in the second mode's image
    cols = np.arange(left.shape[1])
    centre = lambda img: (cols * (img.mean(axis=2) < 0.35).sum(axis=0)).sum() / (img.mean(axis=2) < 0.35).sum()  # noqa: E731
    assert centre(right) > centre(left) + 20


def test_a_tile_caption_that_was_narrow_and_tall_shrinks_when_the_tile_is_wider(qtbot):
    """Its lines, not its past: a caption wrapped to four lines at a narrow width takes three when wide
    again (QLabel's heightForWidth never answers below a minimum height it was once given)."""
    from engine.images.board import Picture
    from gui.panes.tiles import ImageTile

    pic = Picture(np.zeros((64, 96, 3), np.float32), "red sedan", 0.86, 0.9, 0.068, 0.002)
    tile = ImageTile(0.5)
    qtbot.addWidget(tile)
    tile.set_scale(0.5, width=200)
    tile.set_picture(pic)
    wide = tile.caption.minimumHeight()
    tile.set_scale(0.5, width=60)
    narrow = tile.caption.minimumHeight()
    tile.set_scale(0.5, width=200)
    assert narrow > wide
    assert tile.caption.minimumHeight() == wide
