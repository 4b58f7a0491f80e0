"""Site paths are spelled in `site/urls.py` only: no other module and no template builds one by hand.

A module's string literals (f-string parts included, docstrings left out) and a template's quoted strings
may not start with one of the site's top folders ("departments/", "years/", "static/" …) nor hold a
folder below a department-year ("/projects/", "tables/"). Paths are asked of `Urls` instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from budgetsite.site import urls

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "generator" / "budgetsite"
THEMES = REPO / "themes"
URLS_MODULE = PACKAGE / "site" / "urls.py"

_TOP_FOLDERS = sorted(
    {urls.DEPARTMENTS, urls.YEARS, *urls.CODE_FOLDERS.values(), urls.THREE_PUBLIC, urls.GLOSSARY}
    | {urls.SEARCH, urls.DATA, urls.STATIC, urls.PAGEFIND}
)
# A top folder at the start of a string, a line or a word ("departments/…", '  for = "/static/*"'), or a
# department-year's projects folder anywhere.
SITE_PATH = re.compile(
    r"(?:^|[\s\"'(=])/?(?:" + "|".join(map(re.escape, _TOP_FOLDERS)) + r")/|(?:^|/)projects/", re.M
)
# A quoted string in a template expression: '…' or "…" inside {{ }} or {% %}.
TEMPLATE_STRING = re.compile(r"""(?:\{\{|\{%)(.*?)(?:\}\}|%\})""", re.S)
QUOTED = re.compile(r"""'([^']*)'|"([^"]*)\"""")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (free text, not code)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def spelled_paths_in_module(source: str) -> list[str]:
    """String literals of a module that hold something like a site path."""
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and SITE_PATH.search(node.value)
    ]


def spelled_paths_in_template(text: str) -> list[str]:
    """Quoted strings inside a template's expressions and statements that look like site paths."""
    found = []
    for expression in TEMPLATE_STRING.findall(text):
        for single, double in QUOTED.findall(expression):
            if SITE_PATH.search(single or double):
                found.append(single or double)
    return found


def test_the_checks_catch_a_hand_spelled_path():
    assert spelled_paths_in_module('x = f"departments/{slug}/"\n') == ["departments/"]
    assert spelled_paths_in_module('"""Pages live under departments/<slug>/."""\n') == []
    assert spelled_paths_in_module('NETLIFY = """[[headers]]\n  for = "/static/*"\n"""\n') != []
    assert spelled_paths_in_template("{{ url('years/' ~ year ~ '/') }}") == ["years/"]
    assert spelled_paths_in_template("{{ url(dy.path ~ 'projects/' ~ n) }}") == ["projects/"]
    assert spelled_paths_in_template("<p>years/ in text</p>{{ url(urls.year(y)) }}") == []


@pytest.mark.parametrize(
    "module",
    [p for p in sorted(PACKAGE.rglob("*.py")) if p != URLS_MODULE],
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_no_module_but_urls_spells_a_site_path(module: Path):
    assert spelled_paths_in_module(module.read_text(encoding="utf-8")) == [], "ask site.urls.Urls"


@pytest.mark.parametrize(
    "template", sorted(THEMES.glob("*/templates/*.html")), ids=lambda p: p.relative_to(THEMES).as_posix()
)
def test_no_template_spells_a_site_path(template: Path):
    assert spelled_paths_in_template(template.read_text(encoding="utf-8")) == [], "use urls.…()"
