"""The stages: each tells one story on the whole of the window's screen, with its own panes, controller(s) and
layout for desk and talk mode. The window shows one at a time (View ▸ Stage, Ctrl+1, Ctrl+2, …, or a tour
step's `stage`).

Adding a stage is one module here, defining a subclass of `gui.stages.base.Stage`, and one line in STAGES.
Its module is imported when the stage is first shown (the first stage's at start-up), so a stage that is
never shown costs the window nothing. Its keys, if it has any, are rows of gui/actions.py with `stage=` its id.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class StageEntry:
    id: str  # what a tour step's view names in "stage", and the actions' `stage`
    title: str  # in the View ▸ Stage menu
    make: str  # "module:Class" of its Stage subclass, imported when the stage is first shown
    views: tuple[str, ...] = ()  # the views it offers for export as PNG (`Stage.views`)

    def stage_class(self):
        module, name = self.make.split(":")
        return getattr(importlib.import_module(module), name)


# The stages in the order of their keys (Ctrl+1, Ctrl+2, …); the first is shown when the window opens.
STAGES = (
    StageEntry("data_space", "Data space", "gui.stages.data_space:DataSpaceStage", ("distribution", "images")),
    StageEntry("real_digits", "Real digits", "gui.stages.real_digits:RealDigitsStage", ("digits",)),
    StageEntry("many_properties", "Many properties", "gui.stages.many_properties:ManyPropertiesStage",
               ("properties",)),
)


def stage_entry(stage_id: str) -> StageEntry:
    """The entry of `stage_id`; KeyError naming the stages."""
    for entry in STAGES:
        if entry.id == stage_id:
            return entry
    raise KeyError(f"unknown stage {stage_id!r}; choose one of {', '.join(e.id for e in STAGES)}")
