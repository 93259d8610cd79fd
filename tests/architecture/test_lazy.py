"""engine.lazy: a module named with lazy_import loads when first used, not before, and every such module
keeps to the layers' contracts as a plain import would."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.lazy import lazy_import

ROOT = Path(__file__).resolve().parents[2]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_lazy_module_loads_on_its_first_attribute_and_not_before():
    code = ("import sys\nfrom engine.lazy import lazy_import\n"
            "table = lazy_import('engine.io.table')\n"
            "print('engine.io.table' in sys.modules)\n"
            "reader = table.read_layout\n"
            "print('engine.io.table' in sys.modules, reader is sys.modules['engine.io.table'].read_layout)\n")
    assert _fresh(code).splitlines() == ["False", "True True"]


def test_a_loaded_module_is_returned_as_itself():
    import engine.io.atomic

    assert lazy_import("engine.io.atomic") is engine.io.atomic


def test_classes_through_the_proxy_are_the_real_ones():
    proxy = lazy_import("engine.maths.grid")
    import engine.maths.grid as real

    assert vars(real)  # loaded now either way
    assert all(getattr(proxy, name) is getattr(real, name) for name in dir(real) if not name.startswith("__"))


def test_a_missing_module_fails_when_used_with_its_name():
    proxy = lazy_import("engine.no_such_module")
    with pytest.raises(ModuleNotFoundError, match="engine.no_such_module"):
        proxy.anything  # noqa: B018


def _lazy_names(path: Path) -> list[str]:
    """The modules a source file names in lazy_import("...") calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy_import"
            and node.args and isinstance(node.args[0], ast.Constant)]


def _checkout_with_lazy_imports_made_plain(tmp_path: Path) -> Path:
    """A copy of the code in which each lazy_import("x") is also written as a plain `import x` inside a function,
    which import-linter sees."""
    for name in ("engine", "gui"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for path in (tmp_path / "engine").rglob("*.py"):
        _make_plain(path)
    for path in (tmp_path / "gui").rglob("*.py"):
        _make_plain(path)
    return tmp_path


def _make_plain(path: Path) -> None:
    names = _lazy_names(path)
    if names and path.name != "lazy.py":
        plain = "".join(f"    import {name}\n" for name in names)
        path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _lazy_imports_for_the_linter():\n{plain}")


@pytest.mark.skipif(LINT is None, reason="import-linter is a test dependency")
@pytest.mark.parametrize(("planted", "broken"), [
    (None, None),
    ("gui/support/extra.py", "The window's process never imports torch"),
])
def test_lazy_imports_keep_to_the_contracts(tmp_path, planted, broken):
    checkout = _checkout_with_lazy_imports_made_plain(tmp_path)
    if planted:  # a lazy import of torch where the window loads it: caught as a plain one would be
        (checkout / planted).write_text("from engine.lazy import lazy_import\n\ntorch = lazy_import('torch')\n")
        _make_plain(checkout / planted)
    done = subprocess.run([LINT, "--no-cache"], cwd=checkout, capture_output=True, text=True, timeout=120)
    if broken is None:
        assert done.returncode == 0, done.stdout[-3000:]
    else:
        assert done.returncode != 0 and broken in done.stdout
