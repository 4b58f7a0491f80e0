"""Views made for fast rendering render what plain templates would.

Table cells and rows are named tuples that the default `data_table` macro unpacks; a theme macro that
reads them by attribute must still work. Narrative HTML is memoised per build, and links repeated on
many pages (the same region's departments, the rows of a code page) are made once in Python.
"""

from __future__ import annotations

import copy
import pickle
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from budgetsite.config import load_config
from budgetsite.site.build import SiteRenderer, load_site
from budgetsite.site.pages import NarrativeRenderer, table_views
from budgetsite.site.render import link_terms, render_markdown

FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"
XINGTAI = "xingtaishi-gongyehexinxihuaju"
COPY = "xingtaishi-copy"

# The default data_table macro as it read before cells became named tuples: one attribute lookup per
# field, the way a site theme may still write its own.
ATTRIBUTE_MACRO = """{% macro data_table(view) %}
<section class="table-block" id="{{ view.id }}" aria-labelledby="{{ view.id }}-caption">
<div class="table-scroll{% if view.long %} long{% endif %}" role="region" aria-labelledby="{{ view.id }}-caption" tabindex="0">
<table>
  <caption id="{{ view.id }}-caption">{{ view.table.title }}{% if view.columns|length > 5 %}<span class="scroll-hint">{{ t.table_scrolls }}</span>{% endif %}{% if view.table.unit %}<span class="unit">（{{ t.unit_prefix }}{{ view.table.unit }}）</span>{% endif %}{% if view.table.unit_name %}<span class="unit-name">{{ t.table_unit_name }}{{ view.table.unit_name }}</span>{% endif %}</caption>
  <thead><tr>{% for label, numeric in view.columns %}<th scope="col"{% if numeric %} class="num"{% endif %}>{{ label }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in view.rows %}
  <tr{% if row.anchor %} id="{{ row.anchor }}"{% endif %}{% if row.total or row.level %} class="{{ 'total' if row.total }}{{ ' ' if row.total and row.level }}{{ 'level-%d'|format(row.level) if row.level }}"{% endif %}>{% for cell in row.cells %}{% if cell.header %}<th scope="row">{{ cell.text }}</th>{% elif cell.href %}<td class="code"><a href="{{ cell.href }}">{{ cell.text }}</a></td>{% elif cell.numeric %}<td class="num" data-pagefind-ignore>{{ cell.text }}</td>{% else %}<td>{{ cell.text }}</td>{% endif %}{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
</div>
{% if view.table.note %}<p class="table-note">{{ view.table.note }}</p>{% endif %}
{% if not view.rows %}<p class="table-note">{{ t.empty_table }}</p>{% endif %}
<p class="table-download"><a href="{{ url(view.csv_path) }}" download>{{ t.download_csv }}：{{ view.table.title }}</a></p>
</section>
{% endmacro %}"""


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> SiteRenderer:
    """The fixture tree plus a copy of 邢台 2023 under another slug, so 2023 has two departments."""
    content = tmp_path_factory.mktemp("views") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(content / XINGTAI / "2023", content / COPY / "2023")
    config = load_config(content.parent, content=str(content))
    return SiteRenderer(load_site(config), config)


def _page(renderer: SiteRenderer, path: str) -> BeautifulSoup:
    spec = next(s for s in renderer.plan if s.path == path)
    return BeautifulSoup(renderer.render(spec), "html.parser")


def test_a_theme_table_macro_reading_cells_by_attribute_renders_the_same(renderer):
    site = renderer.site
    code_hrefs = {key: renderer.url(line.path) for key, line in site.codes.items()}
    views = [view for dy in site.dept_years for view in table_views(dy, code_hrefs)]
    cells = [cell for view in views for row in view.rows for cell in row.cells]
    # Every branch of the macro is exercised: row headers, code links, numbers, plain cells.
    assert all(any(cell[i] for cell in cells) for i in range(4))
    assert any(not (cell.header or cell.href or cell.numeric) for cell in cells)
    default = renderer.env.from_string('{% from "_macros.html" import data_table %}{{ data_table(view) }}')
    by_attribute = renderer.env.from_string(ATTRIBUTE_MACRO + "{{ data_table(view) }}")
    for view in views:
        assert default.render(view=view) == by_attribute.render(view=view), view.id


def test_same_region_departments_of_a_year_link_to_each_other(renderer):
    for slug, other in ((XINGTAI, COPY), (COPY, XINGTAI)):
        page = _page(renderer, f"departments/{slug}/2023/")
        neighbours = page.find("nav", class_="neighbours")
        others = neighbours.find("h2").find_next_sibling("ul").find_all("a")
        assert [(a["href"], a.get_text()) for a in others] == [
            (f"/departments/{other}/2023/", "邢台市工业和信息化局")
        ]


def test_code_page_rows_link_each_entry_back_to_its_row(renderer):
    line = renderer.site.code_line("function", "2150805")
    assert line is not None and len(line.entries) >= 3
    t = renderer.env.globals["t"]
    rows = _page(renderer, line.path).select("main table tbody tr")
    assert len(rows) == len(line.entries)
    for tr, entry in zip(rows, line.entries, strict=True):
        dy = entry.dept_year
        assert entry.fact is not None and entry.fact.source.table_index is not None
        # The table the code fact was read from, as its data.json has it (the Site keeps only the title).
        table = dy.disclosure.tables[entry.fact.source.table_index]
        cells = tr.find_all(["th", "td"], recursive=False)
        assert (cells[0].a["href"], cells[0].get_text()) == (f"/departments/{dy.slug}/", dy.department)
        assert (cells[1].a["href"], cells[1].get_text()) == (f"/{dy.path}", str(dy.year))
        assert cells[2].get_text() == t["kind_budget"]  # every fixture disclosure is a 预算
        assert [cells[3].get_text(), cells[4].get_text()] == [table.title, entry.name]
        # The amount is the code fact, linking to its row; the exact printed value in its title.
        assert entry.amount == entry.fact.value_wan
        assert cells[5].a.get_text() == format(entry.amount, ",f")
        assert cells[5].a["href"] == f"/{dy.path}#{entry.anchor}"
        assert cells[6].a["href"] == f"/{dy.path}#{entry.anchor}"
        hidden = cells[6].find("span", class_="visually-hidden").get_text()
        assert hidden == f"：{dy.department} {dy.year} {table.title}"


def test_narrative_is_rendered_once_per_build_and_the_same_each_time(renderer):
    terms = {"基本支出": "/glossary/#t"}
    narrative = NarrativeRenderer(terms)
    dy = next(d for d in renderer.site.dept_years if d.slug == XINGTAI and d.year == 2023)
    first = narrative.sections(dy)
    assert narrative.sections(dy) == first
    assert narrative.section.cache_info().hits == len(first) > 0
    for section, source in zip(first, dy.disclosure.sections, strict=True):
        expected = link_terms(render_markdown(source.markdown, section["anchor"], section["title"]), terms)
        assert section["html"] == expected
    assert any('class="term"' in section["html"] for section in first)


def test_breadcrumbs_mark_only_the_last_item_as_current(renderer):
    macro = renderer.env.from_string('{% from "_macros.html" import breadcrumbs %}{{ breadcrumbs(items) }}')
    for items in ([("甲", "a/")], [("甲", "a/"), ("乙", "b/"), ("丙", "c/")]):
        links = BeautifulSoup(macro.render(items=items), "html.parser").find_all("a")
        assert [a["href"] for a in links] == ["/"] + ["/" + path for _, path in items]
        assert [a.get("aria-current") for a in links] == [None] * len(items) + ["page"]


def test_ui_strings_read_as_attributes_as_well_as_items(renderer):
    t = renderer.env.globals["t"]
    # An attribute, so Jinja's `t.home` finds it at once instead of failing over to t['home'].
    assert t.home == t["home"]
    assert renderer.env.from_string("{{ t.home }}={{ t['home'] }}").render() == f"{t['home']}={t['home']}"
    for clone in (copy.copy(t), copy.deepcopy(t), pickle.loads(pickle.dumps(t))):
        assert clone == t and clone.home == t["home"]
