"""The architecture is a contract (pyproject.toml, [tool.importlinter]); these tests keep
it whole: every module sits in a layer, nothing hides an import from the linter."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "app"


def _modules() -> dict[str, Path]:
    found = {}
    for path in APP.rglob("*.py"):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _layer_modules() -> list[str]:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    return [name for layer in layers for name in re.split(r"[|:\s]+", layer) if name]


def test_the_import_contract_holds() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        skip_or_fail("import-linter is not installed (pip install -e '.[dev]')")
    result = subprocess.run([lint], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_module_is_in_a_layer() -> None:
    listed = _layer_modules()
    unplaced = [
        name for name in _modules()
        if name not in ("app", "app.analysis", "app.core")
        and not any(name == layer or name.startswith(layer + ".") for layer in listed)
        and not name.endswith(tuple(f".{d}" for d in ("cohorts", "sessions", "facilitators",
                                                      "participation", "reports", "exports",
                                                      "dashboard", "privacy", "health")))
    ]
    assert unplaced == [], f"add these modules to a layer in pyproject.toml: {unplaced}"


def _local_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    found.append((inner.lineno, inner.module))
                elif isinstance(inner, ast.Import):
                    found.extend((inner.lineno, alias.name) for alias in inner.names)
    return found


def test_no_function_local_imports_of_app_modules_outside_the_cli() -> None:
    """A cycle hidden in a function is still a cycle; only the CLI defers imports (speed)."""
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {module}"
        for name, path in _modules().items()
        if not name.startswith("app.cli")
        for line, module in _local_imports(ast.parse(path.read_text()))
        if module == "app" or module.startswith("app.")
    ]
    assert offenders == []


@pytest.mark.parametrize("pattern", [r"importlib\.import_module", r"__import__\(", r"noqa: E402"])
def test_no_import_tricks(pattern: str) -> None:
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in _modules().values()
        if re.search(pattern, path.read_text())
    ]
    assert offenders == []


def test_the_analysis_core_imports_nothing_else_from_app() -> None:
    for name, path in _modules().items():
        if not name.startswith("app.analysis"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert not (node.module.startswith("app.") and
                            not node.module.startswith("app.analysis")), f"{name}: {node.module}"
