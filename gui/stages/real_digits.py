"""The real-digits stage: a network trained live on real handwritten digits (the digits pane), with the
whole window to itself; in talk mode the key list runs along its foot."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from engine.model.losses import image_loss_info
from gui.controllers.digits import DigitsController
from gui.panes.digits import DigitsPane
from gui.controllers.runner import Runner
from gui.stages.base import Stage, StageContext


class RealDigitsStage(Stage):
    """The digit network (`controller`) and its pane (`pane`)."""

    def __init__(self, context: StageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.controller = DigitsController(context.process, self)
        self.controller.status.connect(self.status)
        self.pane = DigitsPane(self.state, self.controller)
        if self.state.talk:  # made in talk mode: it looks the part at once
            self.pane.set_talk(True)
        self.pane.set_running(self.controller.running)
        self.key_hints.setWordWrap(True)
        self.key_hints.setVisible(self.state.talk)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.pane, 1)
        layout.addWidget(self.key_hints)
        self.state.talkChanged.connect(self._on_state_talk_changed)

    @property
    def runner(self) -> Runner:
        return self.controller

    def describe_loss(self, loss_id: str) -> tuple[str, str]:
        info = image_loss_info(loss_id)
        return info.image_title, info.explanation

    def set_key_hints(self, hints: list[str]) -> None:
        self.key_hints.setText("  ·  ".join(hints))

    def shown(self) -> None:
        self.controller.activate()  # the fit process trains the network from now on

    def show_tour_step(self, step) -> None:
        self.controller.apply_view(step.view)

    def views(self) -> dict[str, QWidget]:
        return {"digits": self.pane}

    def flush(self) -> None:
        self.pane.flush()

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.key_hints.setVisible(on)
