"""The layers hold: the import contracts in pyproject.toml catch a module that breaks them, wherever it
is put; main.py imports no Qt; and what the window loads to paint loads without torch."""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(LINT is None, reason="import-linter is a test dependency")
def test_the_contracts_hold_on_the_code():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.skipif(LINT is None, reason="import-linter is a test dependency")
@pytest.mark.parametrize(("path", "code", "broken"), [
    ("engine/newthing/__init__.py", "import PySide6.QtCore\n", "Nothing outside gui talks to Qt"),
    ("engine/newthing/__init__.py", "", "engine.newthing"),  # a folder the layers do not place
    ("engine/model/fast.py", "def f():\n    import torch\n", "Only the fit"),
    ("engine/io/plot.py", "from engine.model import scene\n", "The engine goes one way"),
    ("engine/decoders/extra.py", "import gui.state\n", "Nothing outside gui talks to Qt"),
    ("gui/panes/extra.py", "from gui.controllers import fit\n", "The window goes one way"),
    ("gui/support/extra.py", "import engine.fit.models\n", "The window's process never imports torch"),
])
def test_a_module_that_breaks_a_layer_is_caught_wherever_it_is(checkout, path, code, broken):
    target = checkout / path
    target.parent.mkdir(exist_ok=True)
    target.write_text(code)
    done = _lint(checkout)
    assert done.returncode != 0
    assert broken in done.stdout


def test_main_imports_no_qt_and_hands_over():
    tree = ast.parse((ROOT / "main.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {n for n in names if n.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph", "torch"}}
    top = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    top |= {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert top <= {"__future__", "argparse", "sys", "pathlib"}  # the rest is imported once a command is chosen


def _light_modules() -> list[str]:
    """Every module of the layers below the fit, and the two the window imports from the fit layer."""
    import engine

    names = [m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")
             if m.name.split(".")[1] in {"model", "images", "digits", "io", "maths", "decoders"}]
    return sorted(names) + ["engine.fit.protocol", "engine.fit.child"]


def test_the_layers_below_the_fit_load_without_torch_or_qt():
    modules = _light_modules()
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in ('torch', 'PySide6', 'pyqtgraph', 'gui') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
