"""The keys of the why: the landscape (L), the tug of war (A), the decoding dial (D, and [ ] for its
temperature), and what a tour step asks of them; each says in the status bar what it did, or why not."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from engine.model.answers import ANSWERS, Decoding
from engine.model.losses import loss_info
from gui.state import AppState, WhyView

if TYPE_CHECKING:
    from engine.model.tour import TourStep

TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 0.38, 0.6, 1.0)  # what [ and ] step through
HINT_MS = 4000


class WhyController(QObject):
    """Turns the why's views on and off in AppState. `status(str, int)` a message for the status bar."""

    status = Signal(str, int)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state

    @Slot()
    def toggle_landscape(self) -> None:
        on = not self.state.why.landscape
        self.state.set_why(replace(self.state.why, landscape=on))
        self.status.emit(f"Loss landscape {'on' if on else 'off'} (L).", HINT_MS)

    @Slot()
    def toggle_pulls(self) -> None:
        loss = loss_info(self.state.settings.loss)
        on = not self.state.why.pulls
        self.state.set_why(replace(self.state.why, pulls=on))
        if on and not loss.has_pulls:
            self.status.emit(f"Tug of war on (A): it is drawn for the losses of one point (L2, L1, Huber), "
                             f"not for {loss.title}.", HINT_MS)
        else:
            self.status.emit(f"Tug of war {'on' if on else 'off'} (A).", HINT_MS)

    @Slot()
    def next_answer(self) -> None:
        """D: the dial's next answer (mean, mode, a sample, annealed mean, and round again)."""
        names = list(ANSWERS)
        decoding = self.state.why.decoding
        self._set(replace(decoding, answer=names[(names.index(decoding.answer) + 1) % len(names)]))

    @Slot()
    def colder(self) -> None:
        """[: a lower temperature, towards the mode (the dial goes to the annealed mean if it was elsewhere)."""
        t = self.state.why.decoding.temperature
        self._set(Decoding("annealed", max([x for x in TEMPERATURES if x < t - 1e-9], default=TEMPERATURES[0])))

    @Slot()
    def warmer(self) -> None:
        """]: a higher temperature, towards the mean."""
        t = self.state.why.decoding.temperature
        self._set(Decoding("annealed", min([x for x in TEMPERATURES if x > t + 1e-9], default=TEMPERATURES[-1])))

    def _set(self, decoding: Decoding) -> None:
        self.state.set_why(replace(self.state.why, decoding=decoding))
        loss = loss_info(self.state.settings.loss)
        note = "" if loss.estimate.distribution else (
            f" It applies to the losses that give a distribution, not to {loss.title}.")
        self.status.emit(f"The model answers with {decoding.caption()} (D; [ and ] for the temperature).{note}",
                         HINT_MS)

    @Slot(object)
    def show_tour_step(self, step: TourStep) -> None:
        """What a tour step asks of the why's views (its `view`'s landscape, pulls, answer and temperature); what
        it does not name is off, so a step never inherits the dial or the arrows of the step before."""
        self.state.set_why(WhyView().updated_from(step.view))
