"""No knot in engine.model and no import cycle anywhere, type-only imports included: the contracts catch a
way back from a part to the registry, and the import graph of engine and gui has no cycle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
KNOT = "The loss registry sits above its parts"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The import graph's cycles: its strongly connected components of more than one module (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            part = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(part) > 1:
                found.append(sorted(part))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return found


def test_no_module_of_engine_or_gui_is_in_an_import_cycle_type_only_imports_included():
    graph = grimp.build_graph("engine", "gui", exclude_type_checking_imports=False)
    assert len(graph.modules) > 80
    assert _cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    graph = grimp.ImportGraph()
    for a, b in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")]:
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


@pytest.mark.skipif(LINT is None, reason="import-linter is a test dependency")
@pytest.mark.parametrize(("path", "code"), [
    # a part that calls back into the registry, even for a type only
    ("engine/model/floors.py", "from engine.model.losses import loss_info\n"),
    ("engine/model/theory.py",
     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from engine.model.losses import Loss\n"),
    # settings that check the loss id themselves
    ("engine/model/settings.py", "from engine.model.losses import LOSS_IDS\n"),
    ("engine/model/landscape.py", "from engine.model import floors\n"),
])
def test_a_way_back_from_a_part_to_the_registry_breaks_the_contracts(checkout, path, code):
    target = checkout / path
    target.write_text(target.read_text(encoding="utf-8") + "\n" + code, encoding="utf-8")
    done = subprocess.run([LINT, "--no-cache"], cwd=checkout, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert f"{KNOT}" in done.stdout and "BROKEN" in done.stdout
