"""`budgetsite theme new NAME` scaffolds a theme that extends the default, its override points commented."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from serve_helpers import run_cli
from site_links import broken_links

from budgetsite.site.render import default_theme_dir

DEFAULT_BASE = default_theme_dir() / "templates" / "base.html"
DEFAULT_CSS = default_theme_dir() / "static" / "site.css"


def _new_site_with_theme(tmp_path: Path, name: str = "civic") -> Path:
    assert run_cli("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    result = run_cli("theme", "new", name, cwd=site)
    assert result.returncode == 0, result.stderr
    assert f'theme = "{name}"' in result.stdout
    return site


def test_theme_new_lists_every_block_and_custom_property_of_the_default(tmp_path: Path) -> None:
    site = _new_site_with_theme(tmp_path)
    theme = site / "themes" / "civic"
    base = (theme / "templates" / "base.html").read_text(encoding="utf-8")
    assert '{% extends "default/base.html" %}' in base
    default_blocks = set(re.findall(r"{%-?\s*block\s+(\w+)", DEFAULT_BASE.read_text(encoding="utf-8")))
    assert set(re.findall(r"{%\s*block\s+(\w+)", base)) == default_blocks
    css = (theme / "static" / "civic.css").read_text(encoding="utf-8")
    default_properties = re.findall(r"^\s*(--[\w-]+)\s*:", DEFAULT_CSS.read_text(encoding="utf-8"), re.M)
    assert re.findall(r"/\* (--[\w-]+):", css) == default_properties
    assert css.count("/*") == css.count("*/")  # no comment nested in another


def test_theme_new_builds_and_an_uncommented_block_takes_effect(tmp_path: Path) -> None:
    site = _new_site_with_theme(tmp_path)
    base = site / "themes" / "civic" / "templates" / "base.html"
    # What a theme author does: uncomment the logo block and put an image in it; recolour in civic.css.
    text = base.read_text(encoding="utf-8")
    text = re.sub(
        r"\{# logo:.*?\n\{% block logo %\}\{\{ super\(\) \}\}\{% endblock %\} #\}",
        '{% block logo %}<span class="civic-logo">市徽</span>{% endblock %}',
        text,
        flags=re.S,
    )
    base.write_text(text, encoding="utf-8")
    css = site / "themes" / "civic" / "static" / "civic.css"
    css.write_text(css.read_text(encoding="utf-8").replace("/* --accent: #0b4f9c; */", "--accent: #a4161a;"))
    result = run_cli("build", "--theme", "civic", cwd=site)
    assert result.returncode == 0, result.stderr
    home = BeautifulSoup((site / "output" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".site-title .civic-logo").get_text() == "市徽"
    assert [link["href"] for link in home.find_all("link", rel="stylesheet")][-1] == "/static/civic.css"
    assert "--accent: #a4161a;" in (site / "output" / "static" / "civic.css").read_text(encoding="utf-8")
    assert home.find("nav", class_="site-nav") is not None  # the rest still comes from the default
    assert broken_links(site / "output") == []


def test_theme_new_refuses_an_existing_theme_and_a_bad_name(tmp_path: Path) -> None:
    site = _new_site_with_theme(tmp_path)
    again = run_cli("theme", "new", "civic", cwd=site)
    assert again.returncode == 1 and len(again.stderr.strip().splitlines()) == 1
    assert "exists already" in again.stderr and "Traceback" not in again.stderr
    bad = run_cli("theme", "new", "../x", cwd=site)
    assert bad.returncode == 1 and "not a plain folder name" in bad.stderr
    assert sorted(p.name for p in (site / "themes").iterdir()) == ["civic"]
