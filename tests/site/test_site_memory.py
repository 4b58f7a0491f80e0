"""The Site keeps no table in memory: a page reads its department-year's tables from the folder and drops
them after (site.load.StoredDisclosure), so a 10,000 department-year site loads in a small process."""

from __future__ import annotations

import gc
import os
import shutil
from itertools import pairwise
from pathlib import Path
from types import FunctionType, ModuleType

import pytest
from bs4 import BeautifulSoup

from budgetsite.config import load_config
from budgetsite.errors import ContentError
from budgetsite.model import Project, Section, Table
from budgetsite.recognize.table_layout import Layout
from budgetsite.site import build as build_module
from budgetsite.site import load
from budgetsite.site.build import SiteRenderer, department_chunks, load_site
from budgetsite.site.load import load_content_site
from budgetsite.site.urls import Urls

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Three departments (one with two years) and one with a 预算, its 决算 and a unit's 预算.
CONTENTS = (FIXTURES / "site_content", FIXTURES / "identity_content")


def _reachable(root: object) -> list[object]:
    """Every object `root` refers to, directly or through others (not through classes, modules or code)."""
    seen = {id(root)}
    found, frontier = [root], [root]
    while frontier:
        referents = gc.get_referents(*frontier)
        frontier = []
        for item in referents:
            if id(item) in seen or isinstance(item, (type, ModuleType, FunctionType)):
                continue
            seen.add(id(item))
            found.append(item)
            frontier.append(item)
    return found


@pytest.mark.parametrize("content", CONTENTS, ids=lambda c: c.name)
def test_a_loaded_site_holds_no_table_section_or_project(content):
    site = load_content_site(content)
    assert not any(dy.disclosure.resident for dy in site.dept_years)
    bulky = [o for o in _reachable(site) if isinstance(o, (Table, Section, Project, Layout))]
    assert bulky == []
    # … though there are tables to hold, read now from the folders.
    assert sum(len(dy.disclosure.tables) for dy in site.dept_years) > 0


def test_a_page_renders_the_same_after_its_tables_were_dropped(tmp_path):
    config = load_config(tmp_path, content=str(CONTENTS[0]))
    renderer = SiteRenderer(load_site(config), config)
    dy = renderer.site.departments["xingtaishi-gongyehexinxihuaju"].years[-1]
    spec = next(s for s in renderer.plan if s.path == dy.path)
    first = renderer.render(spec)
    assert dy.disclosure.resident
    load.drop_stored_parts()
    assert not dy.disclosure.resident
    again = renderer.render(spec)
    assert again == first
    # The tables are on the page, read again from data.json: every table with its rows.
    page = BeautifulSoup(again, "html.parser")
    rendered = page.select("main section.table-block table")
    assert [len(t.select("tbody tr")) for t in rendered] == [len(t.rows) for t in dy.disclosure.tables]
    assert sum(len(t.rows) for t in dy.disclosure.tables) > 10


def test_rendering_keeps_only_the_last_disclosures_read(tmp_path, monkeypatch):
    written = {}
    for name, resident in (("one", 1), ("all", 100)):
        monkeypatch.setattr(load, "RESIDENT_DISCLOSURES", resident)
        load.drop_stored_parts()
        config = load_config(tmp_path, content=str(CONTENTS[1]))
        renderer = SiteRenderer(load_site(config), config)
        build_module._render_specs(renderer, renderer.plan, tmp_path / name, progress=False)
        held = [dy for dy in renderer.site.dept_years if dy.disclosure.resident]
        assert len(held) == min(resident, len(renderer.site.dept_years))
        written[name] = {
            p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*.html")
        }
    # Budget-vs-actual and department pages read several disclosures, each dropped and read again.
    assert len(written["one"]) > 10 and written["one"] == written["all"]


def test_a_folder_changed_after_loading_is_refused_not_shown(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENTS[0], content)
    site = load_content_site(content)
    dy = site.departments["hengshuishi-gongyehexinxihuaju"].years[0]
    load.drop_stored_parts()
    data = dy.folder / "data.json"
    stat = data.stat()
    data.write_text(data.read_text(encoding="utf-8").replace("2020", "2021"), encoding="utf-8")
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ContentError) as raised:
        dy.disclosure.tables  # noqa: B018 (reading is the test)
    assert "changed while the site was being built" in str(raised.value)
    assert str(dy.folder) in str(raised.value) and raised.value.hint


def test_render_chunks_never_split_a_department(tmp_path):
    config = load_config(tmp_path, content=str(CONTENTS[0]))
    renderer = SiteRenderer(load_site(config), config)
    specs = renderer.plan
    chunks = department_chunks(specs, 2)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(specs)
    assert all(end == start for (_, end), (start, _) in pairwise(chunks))
    first_chunk_of = {}
    for number, (start, end) in enumerate(chunks):
        for spec in specs[start:end]:
            slug = Urls.department_of(spec.path)
            if slug is not None:
                assert first_chunk_of.setdefault(slug, number) == number, spec.path
    assert len(first_chunk_of) == 3 and len(chunks) > 3
