"""The narrated tour: a step per key press, each loading its scene, loss and speed, with a caption."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from gui.state import AppState
from gui.support import palette

if TYPE_CHECKING:
    from engine.model.tour import Tour, TourStep
# engine.model.tour (its chapters' steps and captions) loads when the tour is first used or its menu opened.


class TourController(QObject):
    """Walks a chapter of the tour. `captionChanged(str)` gives the step's caption as rich text ("" when it
    ends); `stepShown(TourStep)` lets the panes show what the step asks of them (its `view`);
    `status(str, int)` a message for the status bar."""

    captionChanged = Signal(str)
    stepShown = Signal(object)
    status = Signal(str, int)

    def __init__(self, state: AppState, fit, tour: Tour | None = None, parent: QObject | None = None) -> None:
        """`tour`: the chapter to walk (None: the first)."""
        super().__init__(parent)
        self.state = state
        self.fit = fit  # the FitController (or a fake): set_running, reset
        self._tour = tour
        self.index = -1  # -1: not on the tour

    @property
    def tour(self) -> Tour:
        """The chapter being walked."""
        if self._tour is None:
            from engine.model.tour import TOURS

            self._tour = TOURS[0]
        return self._tour

    @property
    def steps(self) -> tuple[TourStep, ...]:
        return self.tour.steps

    def start(self, tour: Tour) -> None:
        """Begin a chapter at its first step."""
        self._tour = tour
        self.go_to(0)

    @Slot()
    def next(self) -> None:
        self.go_to(self.index + 1)

    @Slot()
    def previous(self) -> None:
        self.go_to(max(self.index - 1, 0))

    def go_to(self, index: int) -> None:
        """Show one step: its scene (fresh, if edited), loss, speed and caption; maybe run it."""
        if index >= len(self.steps):
            from engine.model.tour import TOURS

            more = " The Tour menu has the other chapters." if len(TOURS) > 1 else ""
            self.status.emit(f"That was the last step of “{self.tour.title}”. ← goes back.{more}", 5000)
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
        self.captionChanged.emit(f"<span style='color:{palette.ORANGE}'>{index + 1} / {len(self.steps)}</span>&nbsp; "
                                 f"<b>{step.title}</b><br>{step.caption}")
        self.stepShown.emit(step)
        if step.autorun:
            self.fit.set_running(True)

    @Slot()
    def end(self) -> None:
        self.index = -1
        self.captionChanged.emit("")
