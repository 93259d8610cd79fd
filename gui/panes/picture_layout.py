"""How the image pane lays its pictures out for the room it has: which pictures, how many and how large
(fit_pictures), and what a short pane gives up in turn (FITTING, then TERSE_FITTING)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.images import STRIP
from gui.panes.tiles import MOSAIC_SPACING, PICTURE, TILE_MARGIN, caption_width

# Each picture's scale at the desk, when there is room; talk mode multiplies it by its type's scale.
MODE_SCALE, STRIP_SCALE, PREDICTION_SCALE, SAMPLE_SCALE = 1.0, 0.46, 1.4, 0.75
# In talk mode the strips, which show the ghost, take the height the modes (their ends) give up.
TALK_MODE_SCALE, TALK_STRIP_SCALE = 0.7, 0.8
SMALLEST_STRIP = 0.4  # below this (times the type's scale) a strip of nine becomes a strip of five, larger
SMALLEST_SAMPLE = 0.5  # below this the sixteen samples become nine, larger
# What a short pane gives up, in turn: (a factor on every picture's scale, rows of model samples, at most
# how many of the loss's answers: the mixture's components, the guesses, the generator's samples; and
# last, the modes' squared errors, their sharpness beside their names under a heading that says so, as in
# talk mode: four modes in a 1024 x 700 window).
FITTING = ((1.0, 4, 4), (1.0, 2, 4), (1.0, 1, 4), (0.92, 1, 4), (0.85, 1, 4), (0.78, 1, 4), (1.0, 0, 4), (1.0, 0, 2),
           (0.85, 0, 2), (0.72, 0, 2), (0.6, 0, 2), (0.6, 0, 1), (0.5, 0, 1))
TERSE_FITTING = ((0.72, 0, 1), (0.6, 0, 1), (0.5, 0, 1), (0.42, 0, 1), (0.35, 0, 1), (0.3, 0, 1))
# In talk mode the pictures grow to fill the pane before anything else (a hall sees them from afar): the
# largest growth whose content fits, with the loss's answers but no model samples; shown large (the key G),
# further still.
GROWING = tuple((g, 0, 4) for g in (1.8, 1.6, 1.4, 1.2, 1.1))
GROWING_LARGE = tuple((g, 0, 4) for g in (3.2, 2.8, 2.5, 2.2, 2.0)) + GROWING


def choices(talk: bool, large: bool) -> list[tuple[float, int, int, bool]]:
    """The layouts to try, richest first: (shrink, sample rows, most answers, terse modes)."""
    growing = GROWING_LARGE if large else GROWING if talk else ()
    return ([(*c, False) for c in growing] + [(*c, False) for c in FITTING]
            + [(*c, True) for c in TERSE_FITTING])


@dataclass(frozen=True)
class PictureLayout:
    """How many pictures the pane shows and how large, for the width it has."""

    mode_scale: float
    mode_columns: int
    mode_width: int  # a mode's caption, as wide as its column
    strip_every: int  # 1: all nine pictures of a strip; 2: every other one (five)
    strip_scale: float
    prediction_scale: float
    prediction_width: int  # the captions of the estimate and the answers, as wide as their columns
    answer_columns: int
    answers_beside: bool  # the answers beside the decoded estimate, or under it
    sample_columns: int
    sample_count: int
    sample_scale: float
    answer_count: int  # how many of the loss's answers are shown
    terse_modes: bool = False  # the modes' names and sharpness on one line, without their squared errors


def fit_pictures(width: int, type_scale: float, modes: int, answers: int, shrink: float = 1.0,
                 sample_rows: int = 4, most_answers: int = 4, terse_modes: bool = False,
                 talk: bool = False) -> PictureLayout:
    """The layout for a content `width` in pixels: pictures as large as their desk scale times the type's
    (times `shrink`: below 1 to fit a short pane, above 1 to fill a large one), fewer of them when even that
    does not fit, and nothing ever wider than `width`; `sample_rows` rows of model samples."""
    caption = caption_width(type_scale) + 2 * TILE_MARGIN  # captions keep their type when pictures shrink
    full_type = type_scale
    type_scale *= shrink
    spacing = 2 * 2

    def columns_fitting(wanted: int) -> int:
        return max(1, min(wanted, int((width + spacing) // (caption + spacing))))

    def room(columns: int) -> int:
        return int((width - (columns - 1) * spacing) / columns - 2 * TILE_MARGIN)

    def scale_for(columns: int, wanted: float) -> float:
        return max(min(wanted * type_scale, room(columns) / PICTURE[0]), 0.2)

    mode_columns = columns_fitting(3 if modes == 3 else min(max(modes, 1), 2))
    mode_scale = scale_for(mode_columns, TALK_MODE_SCALE if talk else MODE_SCALE)
    every = 1  # the strips are short: they keep their size when the rest shrinks, and grow with it
    wanted = (TALK_STRIP_SCALE if talk else STRIP_SCALE) * full_type * max(shrink, 1.0)
    strip_scale = mosaic_scale(width, STRIP, wanted)
    if strip_scale < max(SMALLEST_STRIP * full_type, 0.7 * wanted):  # fewer, larger, rather than many tiny
        every = 2
        strip_scale = mosaic_scale(width, len(range(0, STRIP, 2)), wanted)
    answers = min(answers, most_answers)
    answer_columns = columns_fitting(min(max(answers, 1), 2))
    beside = (columns_fitting(1 + answer_columns) == 1 + answer_columns
              and scale_for(1 + answer_columns, PREDICTION_SCALE) >= 0.75 * PREDICTION_SCALE * min(type_scale, 1.5))
    prediction_columns = 1 + answer_columns if beside else answer_columns
    prediction_scale = scale_for(prediction_columns, PREDICTION_SCALE)
    sample_columns = 4
    sample_scale = mosaic_scale(width, 4, SAMPLE_SCALE * type_scale)
    if sample_scale < SMALLEST_SAMPLE * type_scale:
        sample_columns = 3
        sample_scale = mosaic_scale(width, 3, SAMPLE_SCALE * type_scale)
    sample_count = sample_columns * min(sample_rows, 16 // sample_columns)  # 0: no samples at all
    return PictureLayout(round(mode_scale, 3), mode_columns, room(mode_columns), every, round(strip_scale, 3),
                         round(prediction_scale, 3), room(prediction_columns), answer_columns, beside, sample_columns,
                         sample_count, round(sample_scale, 3), answers, terse_modes)


def mosaic_scale(width: int, columns: int, wanted: float) -> float:
    """The largest scale, up to `wanted`, at which `columns` pictures of a mosaic fit in `width`."""
    # (a pixel a picture for the gaps' rounding, drawn at the pictures' own resolution before scaling)
    return max(min(wanted, (width - (columns - 1) * MOSAIC_SPACING - columns) / (columns * PICTURE[0])), 0.2)
