"""The engine is numpy and torch only: no Qt, no pyqtgraph, no gui; and the light modules the GUI
needs for its first window do not pull in torch."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE_FILES = sorted((ROOT / "engine").glob("*.py"))
FORBIDDEN = {"PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "qtpy", "gui"}


def imported_modules(path: Path) -> set[str]:
    """Every module name an `import` or `from ... import` in the file names, also inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_engine_has_modules():
    assert {"fit.py", "scene.py", "mixture.py", "catalogue.py"} <= {p.name for p in ENGINE_FILES}


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: p.name)
def test_engine_module_imports_no_qt(path):
    bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN}
    assert not bad, f"engine/{path.name} imports {', '.join(sorted(bad))}"


def test_the_import_check_sees_nested_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from gui.state import AppState\n    import PySide6.QtCore\n")
    assert imported_modules(sample) == {"gui.state", "PySide6.QtCore"}


# What the GUI imports to paint its first window, before torch (seconds to import) is loaded.
LIGHT_MODULES = ["engine.scene", "engine.mixture", "engine.catalogue", "engine.settings", "engine.control",
                 "engine.session", "engine.tour", "engine.media"]


@pytest.mark.parametrize("module", LIGHT_MODULES)
def test_light_engine_modules_load_without_torch(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "heavy = sorted(m for m in ('torch', 'PySide6', 'pyqtgraph', 'gui') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"importing {module} also imported {done.stdout.strip()}"
