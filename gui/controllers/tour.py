"""The narrated tour: a step per key press, each loading its scene, loss and speed, with a caption; the
chapters follow one another, so a clicker walks the whole talk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from engine.lazy import lazy_import
from gui.state import AppState
from gui.support import palette

if TYPE_CHECKING:
    from engine.model.tour import Tour, TourStep

tours = lazy_import("engine.model.tour")  # its chapters' steps and captions: when the tour is first used


class TourController(QObject):
    """Walks the tour's chapters in order. `captionChanged(str)` gives the step's caption as rich text ("" when
    it ends); `stepShown(TourStep)` lets the panes show what the step asks of them (its `view`);
    `status(str, int)` a message for the status bar."""

    captionChanged = Signal(str)
    stepShown = Signal(object)
    status = Signal(str, int)

    def __init__(self, state: AppState, fit, tour: Tour | None = None, parent: QObject | None = None) -> None:
        """`tour`: the chapter to walk first (None: the first)."""
        super().__init__(parent)
        self.state = state
        self.fit = fit  # the FitController (or a fake): set_running, reset
        self._chapters: tuple[Tour, ...] | None = None
        self.chapter = 0
        if tour is not None:
            self._enter(tour)
        self.index = -1  # the step within the chapter; -1: not on the tour

    @property
    def chapters(self) -> tuple[Tour, ...]:
        """The chapters walked one after another: the tour's, or a chapter of its own given to `start`."""
        if self._chapters is None:
            self._chapters = tours.TOURS
        return self._chapters

    @property
    def tour(self) -> Tour:
        """The chapter being walked."""
        return self.chapters[self.chapter]

    @property
    def steps(self) -> tuple[TourStep, ...]:
        return self.tour.steps

    def _enter(self, tour: Tour) -> None:
        self._chapters = tours.TOURS if tour in tours.TOURS else (tour,)
        self.chapter = self._chapters.index(tour)

    def start(self, tour: Tour) -> None:
        """Begin a chapter at its first step."""
        self._enter(tour)
        self.go_to(0)

    @Slot()
    def next(self) -> None:
        if self.index < 0:
            self.go_to(0)
            return
        after = tours.step_after(self.chapters, self.chapter, self.index)
        if after is None:
            self._say_the_end()
            return
        self.chapter = after[0]
        self.go_to(after[1])

    @Slot()
    def previous(self) -> None:
        before = tours.step_before(self.chapters, self.chapter, max(self.index, 0))
        if before is None:
            self.go_to(0)
            return
        self.chapter = before[0]
        self.go_to(before[1])

    def go_to(self, index: int) -> None:
        """Show one step of the chapter: its scene (fresh, if edited), loss, speed and caption; maybe run it."""
        if index >= len(self.steps):
            self._say_the_end()
            return
        step = self.steps[index]
        self.index = index
        self.fit.set_running(False)
        if step.scene != self.state.scene_id:  # another scene, or this one edited
            self.state.load_bundled(step.scene, loss=step.loss)
        else:
            self.state.set_loss(step.loss)
            if step.fresh:
                self.fit.reset()
        self.state.set_speed(step.speed)
        self.captionChanged.emit(self._caption(step))
        self.stepShown.emit(step)
        if step.autorun:
            self.fit.set_running(True)

    def _caption(self, step: TourStep, ending: str = "") -> str:
        """The step's caption under a heading: the chapter's title (when there are several), the step's
        number in it and its title; `ending` a last line."""
        chapter = f"{self.tour.title} · " if len(self.chapters) > 1 else ""
        heading = (f"<span style='color:{palette.ORANGE}'>{chapter}{self.index + 1} / {len(self.steps)}</span>"
                   f"&nbsp; <b>{step.title}</b>")
        return f"{heading}<br>{step.caption}" + (f"<br><i>{ending}</i>" if ending else "")

    def _say_the_end(self) -> None:
        """Past the last step of the last chapter: the caption and the status bar say the tour is over."""
        last = len(self.chapters) == 1 or self.chapter == len(self.chapters) - 1
        where = "the tour" if last and len(self.chapters) > 1 else f"“{self.tour.title}”"
        message = f"That was the last step of {where}. ← goes back."
        if 0 <= self.index < len(self.steps):
            self.captionChanged.emit(self._caption(self.steps[self.index], ending=f"The end. {message}"))
        self.status.emit(message, 5000)

    @Slot()
    def end(self) -> None:
        self.index = -1
        self.captionChanged.emit("")
