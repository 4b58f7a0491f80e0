"""Hooks for `serve`: an empty site builds, and a change re-renders only the pages that read it."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_links import soup

from budgetsite.config import load_config
from budgetsite.site.build import affected_urls, build, load_site

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"
XINGTAI = "xingtaishi-gongyehexinxihuaju"
BAODING = "baodingshi-xushuiqu-gongyehexinxihuaju"


def test_site_without_disclosures_builds_with_a_helpful_home(tmp_path):
    (tmp_path / "content" / "pages").mkdir(parents=True)
    shutil.copy(FIXTURE / "pages" / "about.md", tmp_path / "content" / "pages" / "about.md")
    config = load_config(tmp_path)
    build(config, quiet=True)
    home = soup(config.output / "index.html")
    assert "budgetsite ingest" in home.find("p", class_="notice").get_text()
    assert soup(config.output / "about" / "index.html").h1.get_text() == "关于本站"


def test_change_in_one_dept_year_affects_only_pages_that_read_it(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    config = load_config(tmp_path)
    old = load_site(config)
    index_md = content / BAODING / "2024" / "index.md"
    index_md.write_text(index_md.read_text(encoding="utf-8").replace("加粗", "改过"), encoding="utf-8")
    new = load_site(config)
    urls = affected_urls(old, new, index_md, config)
    assert f"departments/{BAODING}/2024/" in urls and f"departments/{BAODING}/" in urls
    assert "functions/2150805/" in urls and "years/2024/" in urls and "" in urls
    assert f"departments/{XINGTAI}/2023/" not in urls
    assert f"departments/{XINGTAI}/2023/projects/1/" not in urls
    # A theme file is outside the content tree: everything is re-rendered.
    everything = affected_urls(old, new, tmp_path / "themes" / "default" / "templates" / "base.html", config)
    assert f"departments/{XINGTAI}/2023/projects/1/" in everything
