"""What every stage is to the window: a widget that fills the window's screen, with a runner the window's
keys drive, a tour caption and talk mode's key list of its own, and hooks for the tour, export and closing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from engine.model.losses import loss_info
from gui.controllers.runner import Runner
from gui.state import AppState


@dataclass(frozen=True)
class StageContext:
    """What the window gives every stage: the app's state and the fit process its controllers talk to."""

    state: AppState
    process: Any  # FitProcess, or a fake with its signals and methods


class Stage(QWidget):
    """One story on the window's screen. A subclass makes its panes and controllers, lays them out (placing
    `caption` and `key_hints` where it wants them, and following `state.talkChanged` itself), and names its
    `runner`. It never reaches the window: it says things through `status(str, int)`."""

    status = Signal(str, int)

    def __init__(self, context: StageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = context.state
        self.caption = QLabel()  # the tour's caption, while a tour is on
        self.caption.setObjectName("tourCaption")
        self.caption.setWordWrap(True)
        self.caption.setVisible(False)
        self.key_hints = QLabel()  # talk mode's list of keys
        self.key_hints.setObjectName("keyHints")
        self.key_hints.setVisible(False)

    @property
    def runner(self) -> Runner:
        raise NotImplementedError

    def describe_loss(self, loss_id: str) -> tuple[str, str]:
        """A loss's title and explanation, for the Loss menu (the registry's, unless a stage says otherwise)."""
        info = loss_info(loss_id)
        return info.title, info.explanation

    def show_caption(self, caption: str) -> None:
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))

    key_hints_separator = "\n"  # a column beside the plots; a stage with the list along its foot: "  ·  "

    def set_key_hints(self, hints: list[str]) -> None:
        """Talk mode's key list (the stage shows it in talk mode only)."""
        self.key_hints.setText(self.key_hints_separator.join(hints))

    def shown(self) -> None:
        """The stage is now the one on show."""

    def left(self) -> None:
        """Another stage is now the one on show."""

    def show_tour_step(self, step) -> None:
        """What a tour step's `view` asks of this stage (called for every stage made, shown or not)."""

    def views(self) -> dict[str, QWidget]:
        """The widgets it offers for export as PNG, by the names in its StageEntry."""
        return {}

    def flush(self) -> None:
        """Draw what throttled panes hold back, now (export draws frame by frame)."""

    def close_stage(self) -> None:
        """The window is closing."""
