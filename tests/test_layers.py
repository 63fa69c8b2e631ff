"""Layers: production code never imports the tests, and there is no import cycle between the
project's modules, not one (the shared cycle tool, run over the work tree)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["catalog", "cms", "config", "storefront", "traceability"]
CYCLE_TOOL_PLACES = [
    ROOT.parent / "shared" / "tools" / "cycles.py",
    Path("/work/shared/tools/cycles.py"),
]


def production_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_names(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_production_code_never_imports_the_tests():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in production_modules()
        for name in imported_names(path)
        if name == "tests" or name.startswith("tests.")
    ]
    assert offenders == []


def test_the_layer_check_sees_an_import_of_the_tests(tmp_path):
    module = tmp_path / "demo.py"
    module.write_text("def f():\n    from tests.factories import make_product\n")
    assert list(imported_names(module)) == ["tests.factories"]


def test_no_import_cycles_between_modules():
    tool = next((place for place in CYCLE_TOOL_PLACES if place.exists()), None)
    assert tool is not None, f"the shared cycle tool is missing: {CYCLE_TOOL_PLACES}"
    result = subprocess.run(
        [sys.executable, str(tool), str(ROOT)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode in (0, 1) and not result.stderr, result.stderr
    cycles = [
        set(line.removeprefix("cycle:").strip().split(" <-> "))
        for line in result.stdout.splitlines()
        if line.startswith("cycle:")
    ]
    assert cycles == []
