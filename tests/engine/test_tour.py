"""The tour's walk over its chapters, without Qt: → from a chapter's last step goes on to the next chapter,
← from its first step back to the previous one's last, in the chapters' order."""

from __future__ import annotations

from engine.model.losses import LOSS_IDS
from engine.model.scene import bundled_scene_ids
from engine.model.tour import TOURS, Tour, check_tour, step_after, step_before


def test_every_chapter_names_real_scenes_and_losses():
    for chapter in TOURS:
        check_tour(chapter.steps, bundled_scene_ids(), LOSS_IDS)


def test_forward_walks_every_step_of_every_chapter_in_order_and_then_stops():
    walked, at = [(0, 0)], (0, 0)
    while (at := step_after(TOURS, *at)) is not None:
        walked.append(at)
    assert walked == [(c, s) for c, chapter in enumerate(TOURS) for s in range(len(chapter.steps))]


def test_backward_walks_the_same_steps_in_reverse_and_stops_at_the_first():
    at = (len(TOURS) - 1, len(TOURS[-1].steps) - 1)
    walked = [at]
    while (at := step_before(TOURS, *at)) is not None:
        walked.append(at)
    assert walked[::-1] == [(c, s) for c, chapter in enumerate(TOURS) for s in range(len(chapter.steps))]


def test_a_chapter_boundary_both_ways_and_an_empty_chapter_is_passed_over():
    assert step_after(TOURS, 0, len(TOURS[0].steps) - 1) == (1, 0)
    assert step_before(TOURS, 1, 0) == (0, len(TOURS[0].steps) - 1)
    chapters = (TOURS[0], Tour("empty", "Nothing", ()), TOURS[1])
    assert step_after(chapters, 0, len(TOURS[0].steps) - 1) == (2, 0)
    assert step_before(chapters, 2, 0) == (0, len(TOURS[0].steps) - 1)
    assert step_after((TOURS[0],), 0, len(TOURS[0].steps) - 1) is None
