"""The package layout is the pipeline: a module imports only its own stage or an earlier one.

cli → serve → site → content → check → recognize → read → the shared base (model, blocks, errors,
config, units, identity). Every `import budgetsite…` in every module is read with `ast`, function-level imports
included, so a late import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generator" / "budgetsite"

# Lower rank = earlier stage. A module may import modules of its own rank or lower.
STAGE_RANK = {
    "base": 0,
    "read": 1,
    "recognize": 2,
    "check": 3,
    "content": 4,
    "site": 5,
    "serve": 6,
    "cli": 7,
}
BASE_MODULES = {"__init__", "__main__", "model", "blocks", "errors", "config", "units", "identity"}


def stage_of(module: str) -> str:
    """The stage of a dotted module name below `budgetsite` ("site.pages" → "site")."""
    first = module.split(".")[0]
    if first in STAGE_RANK:
        return first
    if first == "__main__":
        return "cli"
    if first in BASE_MODULES or first == "":
        return "base"
    raise AssertionError(f"budgetsite.{module} belongs to no stage: add it to a stage folder")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module below budgetsite) for every budgetsite import in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("budgetsite"):
            module = node.module.removeprefix("budgetsite").lstrip(".")
            if not module:  # `from budgetsite import x`: x is a module or a name of __init__
                found += [
                    (node.lineno, alias.name if alias.name in BASE_MODULES | set(STAGE_RANK) else "")
                    for alias in node.names
                ]
            else:
                found.append((node.lineno, module))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name.removeprefix("budgetsite."))
                for a in node.names
                if a.name.startswith("budgetsite.")
            ]
    return found


def upward_imports(package: Path) -> list[str]:
    """Every import in `package` that reaches a later stage than its own module."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        own = stage_of(".".join(path.relative_to(package).with_suffix("").parts))
        for line, module in imported_modules(path):
            target = stage_of(module)
            if STAGE_RANK[target] > STAGE_RANK[own]:
                problems.append(
                    f"{path.relative_to(package)}:{line} ({own}) imports budgetsite.{module} ({target})"
                )
    return problems


def test_no_module_imports_a_later_stage():
    assert upward_imports(PACKAGE) == []


def test_the_test_catches_an_upward_import(tmp_path):
    """Show the test failing once: a reader that imports the site stage is reported."""
    fake = tmp_path / "budgetsite"
    (fake / "read").mkdir(parents=True)
    (fake / "read" / "pdf.py").write_text("def f():\n    from budgetsite.site.pages import plan_pages\n")
    assert upward_imports(fake) == ["read/pdf.py:2 (read) imports budgetsite.site.pages (site)"]


@pytest.mark.parametrize("stage", [s for s in STAGE_RANK if s not in ("base", "cli")])
def test_each_stage_is_a_folder_with_a_docstring(stage):
    init = PACKAGE / stage / "__init__.py"
    assert init.is_file(), f"{stage}/ is not a package"
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), (
        f"{stage}/__init__.py has no docstring"
    )


def test_no_module_lies_flat_outside_a_stage():
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    assert flat <= BASE_MODULES | {"cli"}, (
        f"modules outside a stage folder: {sorted(flat - BASE_MODULES - {'cli'})}"
    )
