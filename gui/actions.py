"""Every action of the window, declared once: its text, keys, what it calls, its menu, the stage it shows on,
its tip and its words in talk mode's key list. The menus, the shortcuts, the key list and the panes' tooltips
are all made from this table (gui/menus.py builds the Qt side); nothing here imports the rest of gui.

`calls` takes the window, or for an action with a `stage`, that stage (see gui/stages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QKeySequence

Std = QKeySequence.StandardKey
DATA_SPACE = "data_space"
PROPERTIES = "many_properties"
REAL_DIGITS = "real_digits"
LOSS_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9")  # the active runner's losses, in the registry's order
# How a key is written in the key list and the tooltips, where Qt's name for it is not what a keyboard shows.
SIGNS = {"Left": "←", "Right": "→", "PgUp": "Page Up", "PgDown": "Page Down", "Del": "Delete"}


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    keys: tuple[str | QKeySequence.StandardKey, ...]  # Qt's portable names ("Space", "Ctrl+I") or standard keys
    calls: Callable[..., Any]  # given the window, or the stage when `stage` is set
    menu: str | None  # "File", "File/Export" (a submenu); None: a key only
    tip: str = ""
    stage: str | None = None  # shown, and its keys working, only while this stage is on
    hint: str = ""  # its words in talk mode's key list ("" keeps it out)
    checkable: bool = False
    separator: bool = False  # a line above it in its menu
    enabled: bool = True  # at the start
    submenu: bool = False  # a submenu that `calls(window, menu)` fills as it opens


def table(stages: Iterable[Any] = ()) -> tuple[Action, ...]:
    """The actions in menu order; `stages` (id and title each) give the View ▸ Stage entries."""
    return (
        Action("open", "Open…", (Std.Open,), lambda w: w.files.open_session(), "File",
               "Open a BlurLab session or scene file (JSON)"),
        Action("import", "Import data…", ("Ctrl+I",), lambda w: w.files.import_data(), "File",
               "Your own points: a CSV or TSV file (header optional) or a .npy file; or drop one on the window"),
        Action("recent", "Open recent", (), lambda w, menu: w.files.fill_recent(menu), "File", submenu=True),
        Action("save", "Save session", (Std.Save,), lambda w: w.files.save(), "File",
               "Save the scene as edited, the loss, its settings, the speed and the view"),
        Action("save_as", "Save session as…", (Std.SaveAs,), lambda w: w.files.save_as(), "File",
               "Save the session to a new file (it is also a scene file)"),
        *(Action(f"export_{view}", text, (), lambda w, view=view: w.files.export_png(view), "File/Export",
                 "A picture of what is on screen now")
          for text, view in (("Window as PNG…", "window"), ("Distribution pane as PNG…", "distribution"),
                             ("Image pane as PNG…", "images"), ("Real digits as PNG…", "digits"))),
        Action("export_animation", "Animation of the fit (GIF, MP4)…", (), lambda w: w.files.export_animation(),
               "File/Export", "The fit from step 0, at its true speed, drawn as this window draws it"),
        Action("quit", "Quit", (Std.Quit,), lambda w: w.close(), "File", "Quit BlurLab", separator=True),
        # The runner: the data-space fit, or the network of the stage on show.
        Action("run", "Run / Pause", ("Space",), lambda w: w.runner.toggle_running(), "Fit",
               "Start or pause the fit (on the real digits: their network)", hint="run/pause"),
        Action("step", "Step", ("S",), lambda w: w.runner.step_once(), "Fit", "One optimiser step"),
        Action("reset", "Reset", ("R",), lambda w: w.runner.reset(), "Fit", "Back to step 0", hint="reset"),
        Action("undo", "Undo", (Std.Undo,), lambda s: s.state.undo(), "Edit", "Undo the last change to the data",
               stage=DATA_SPACE, enabled=False),
        Action("remove", "Remove selected component", ("Del",), lambda s: s.remove_selected(), "Edit",
               "Remove the component whose handle was clicked last", stage=DATA_SPACE),
        Action("brush", "Paint points (brush)", ("B",), lambda s: s.painting.key("brush"), "Edit",
               "Add points of your own with the mouse; B again puts the brush down", stage=DATA_SPACE,
               separator=True),
        Action("eraser", "Erase points", ("E",), lambda s: s.painting.key("eraser"), "Edit",
               "Remove points with the mouse; E again puts the eraser down", stage=DATA_SPACE),
        Action("clear", "Clear the points", (), lambda s: s.painting.clear(), "Edit",
               "Remove every point, to paint from nothing", stage=DATA_SPACE),
        Action("undo_properties", "Undo", (Std.Undo,), lambda s: s.undo(), "Edit",
               "Undo the last change to the properties (a drag, their number)", stage=PROPERTIES),
        Action("more_properties", "More properties", ("+", "="), lambda s: s.more_properties(), "Edit",
               "One property more (up to 8): twice the kinds of car", stage=PROPERTIES, hint="properties",
               separator=True),
        Action("fewer_properties", "Fewer properties", ("-",), lambda s: s.fewer_properties(), "Edit",
               "One property fewer (down to 1)", stage=PROPERTIES, hint="properties"),
        Action("talk", "Talk mode", ("T",), lambda w: w.talk_mode.toggle(), "View",
               "Full screen, large type, controls behind keys", hint="talk mode on/off", checkable=True),
        Action("full_screen", "Full screen", ("F",), lambda w: w.talk_mode.toggle_full_screen(), "View",
               "Full screen on or off", hint="full screen"),
        Action("leave", "Leave full screen", ("Esc",), lambda w: w.talk_mode.leave(), None,
               "Leave talk mode and full screen"),
        Action("screenshot", "Screenshot", ("P",), lambda w: w.exports.take_screenshot(), "View",
               "Save a PNG of the window in your Pictures folder", hint="screenshot"),
        *(Action(f"stage:{s.id}", s.title, (f"Ctrl+{i + 1}",), lambda w, stage=s.id: w.show_stage(stage),
                 "View/Stage", f"Show the stage “{s.title}”", hint="stage", checkable=True)
          for i, s in enumerate(stages)),
        Action("landscape", "Loss landscape", ("L",), lambda s: s.why.toggle_landscape(), "View",
               "The expected loss at every prediction, its minimum and the fit's path down it",
               stage=DATA_SPACE, hint="landscape", separator=True),
        Action("pulls", "Tug of war", ("A",), lambda s: s.why.toggle_pulls(), "View",
               "Each sample's pull on the prediction, and the net pull", stage=DATA_SPACE, hint="tug of war"),
        Action("dial", "Decoding dial: next answer", ("D",), lambda s: s.why.next_answer(), "View",
               "A distribution answers with its mean, its mode, a sample or its annealed mean",
               stage=DATA_SPACE, hint="dial"),
        Action("colder", "Decoding dial: colder", ("[",), lambda s: s.why.colder(), "View",
               "The annealed mean at a lower temperature, nearer the mode", stage=DATA_SPACE, hint="its T"),
        Action("warmer", "Decoding dial: warmer", ("]",), lambda s: s.why.warmer(), "View",
               "The annealed mean at a higher temperature, nearer the mean", stage=DATA_SPACE, hint="its T"),
        Action("pictures_large", "Pictures large", ("G",), lambda s: s.toggle_pictures_large(), "View",
               "The pictures in the plot's place, as large as they go (look at the ghost); G again brings the "
               "plot back", stage=DATA_SPACE, hint="pictures large"),
        # The real digits: which input is shown large ([ and ], not ← →: those walk the tour), the task, the GAN.
        Action("previous_input", "Previous input", ("[",), lambda s: s.controller.step_index(-1), "View",
               "Show the digit before (or the given top before) large, in the plane and the big pictures",
               stage=REAL_DIGITS, hint="input", separator=True),
        Action("next_input", "Next input", ("]",), lambda s: s.controller.step_index(1), "View",
               "Show the next digit (or the next given top) large", stage=REAL_DIGITS, hint="input"),
        Action("next_task", "Draw a digit / fill in the bottom half", ("H",), lambda s: s.controller.next_task(),
               "Fit", "The task: draw a digit from its label, or the bottom half of a digit from its top",
               stage=REAL_DIGITS, hint="task", separator=True),
        Action("generator", "GAN: bend real digits / paint pixels", ("G",),
               lambda s: s.controller.toggle_generator(), "Fit",
               "How the GAN draws a digit: by bending typical real digits (clean from the start), or by painting "
               "every pixel from noise, from scratch", stage=REAL_DIGITS, hint="GAN from scratch"),
        Action("previous", "Previous step", ("Left", "PgUp"), lambda w: w.tour.previous(), "Tour",
               "The step before (← or Page Up)", hint="tour"),
        Action("next", "Next step", ("Right", "PgDown"), lambda w: w.tour.next(), "Tour",
               "The next step of the narrated tour (→ or Page Down)", hint="tour"),
        Action("end_tour", "End the tour", (), lambda w: w.tour.end(), "Tour", "Hide the tour's caption"),
    )


def loss_actions(loss_ids: Iterable[str], describe: Callable[[str], tuple[str, str]]) -> tuple[Action, ...]:
    """Keys 1, 2, … for a runner's losses, in its order; `describe(loss_id)` gives (title, explanation)."""
    rows = []
    for key, loss_id in zip(LOSS_KEYS, loss_ids):
        title, explanation = describe(loss_id)
        rows.append(Action(f"loss:{loss_id}", title, (key,), lambda w, loss_id=loss_id: w.runner.set_loss(loss_id),
                           "Fit/Loss", explanation, hint="loss"))
    return tuple(rows)


def sign(key: str | QKeySequence.StandardKey) -> str:
    """A key as the keyboard shows it."""
    if isinstance(key, str):
        return SIGNS.get(key, key)
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def keys_text(keys: list[str]) -> str:
    """Keys as one phrase: "1–8" for a run of digits (with one prefix, "Ctrl+1–3"), else "←/→"."""
    prefix = {k.rstrip("0123456789") for k in keys}
    digits = [k[len(next(iter(prefix))):] for k in keys] if len(prefix) == 1 else []
    if len(keys) > 1 and digits and all(d.isdigit() for d in digits) and \
            [int(d) for d in digits] == list(range(int(digits[0]), int(digits[0]) + len(digits))):
        return f"{next(iter(prefix))}{digits[0]}–{digits[-1]}"
    return "/".join(keys)


def key_list(actions: Iterable[Action]) -> list[str]:
    """Talk mode's key list: "Space run/pause", …, one entry per hint (its actions' first keys together)."""
    keys: dict[str, list[str]] = {}
    for action in actions:
        if action.hint and action.keys:
            keys.setdefault(action.hint, []).append(sign(action.keys[0]))
    return [f"{keys_text(shown)} {hint}" for hint, shown in keys.items()]


def key_of(action_id: str) -> str:
    """The key of an action of the table, for a tooltip ("Space")."""
    return sign(next(a for a in table() if a.id == action_id).keys[0])


def loss_keys(count: int) -> str:
    """The keys of a runner's `count` losses, for a tooltip ("1–8")."""
    return keys_text(list(LOSS_KEYS[:count]))
