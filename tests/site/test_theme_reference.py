"""themes/THEMES.md lists exactly the variables each template gets and the fields of each object."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from budgetsite.site import charts, load, pages, projects
from budgetsite.site.build import SiteRenderer

REFERENCE = Path(__file__).resolve().parents[2] / "themes" / "THEMES.md"
OBJECTS = [
    load.Site,
    load.Department,
    load.DeptYear,
    load.ThreePublic,
    load.CodeLine,
    load.CodeEntry,
    load.GlossaryTerm,
    load.HandPage,
    pages.TableView,
    pages.RowView,
    pages.CellView,
    pages.CodeRow,
    pages.Pager,
    charts.Chart,
    projects.ProjectLine,
    projects.ProjectYear,
]


def _sections() -> dict[str, set[str]]:
    """Heading (### `name` or ## Every template) → the names in the first column of its table."""
    text = REFERENCE.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for heading, body in re.findall(r"^#{2,3} (.+?)\n(.*?)(?=^#{2,3} |\Z)", text, re.S | re.M):
        names = {re.sub(r"\(.*", "", n) for n in re.findall(r"^\| `([^`]+)` \|", body, re.M)}
        for title in re.findall(r"`([^`]+)`", heading) or [heading.strip()]:
            found[title] = names
    return found


def _contexts(renderer: SiteRenderer) -> dict[str, set[str]]:
    """Template → the variables its pages get (the union over every page of that template)."""
    contexts: dict[str, set[str]] = {}
    for spec in renderer.plan:
        contexts.setdefault(spec.template, set()).update(spec.make_context())
    return contexts


@pytest.fixture(scope="module")
def renderer(fixture_site) -> SiteRenderer:
    from budgetsite.site.build import load_site

    return SiteRenderer(load_site(fixture_site.config), fixture_site.config)


def test_every_template_variable_is_documented_and_nothing_more(renderer):
    sections = _sections()
    for template, variables in _contexts(renderer).items():
        assert template in sections, f"THEMES.md has no section for {template}"
        assert sections[template] == variables, template


def test_variables_every_template_gets_are_documented(renderer, fixture_site):
    common = set(renderer.env.globals) - {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
    # The keys SiteRenderer.render adds to every page, read from a real render's context.
    spec = renderer.plan[0]
    captured = {}
    original = renderer.env.get_template(spec.template).render

    def capture(context):
        captured.update(context)
        return original(context)

    renderer.env.get_template(spec.template).render = capture
    try:
        renderer.render(spec)
    finally:
        renderer.env.get_template(spec.template).render = original
    per_page = set(captured) - set(spec.make_context())
    assert _sections()["Every template"] == common | per_page


@pytest.mark.parametrize("cls", OBJECTS, ids=lambda c: c.__name__)
def test_every_object_field_is_documented_and_nothing_more(cls):
    is_dataclass = dataclasses.is_dataclass(cls)
    fields = {f.name for f in dataclasses.fields(cls)} if is_dataclass else set(cls._fields)
    public = {
        name
        for name, value in vars(cls).items()
        if not name.startswith("_")
        and (isinstance(value, property) or callable(value))
        and name not in fields
    }
    assert _sections()[cls.__name__] == fields | public
