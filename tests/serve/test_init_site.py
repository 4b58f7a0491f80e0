"""`budgetsite init` scaffolds a site that `build` and `serve` accept straight away."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from bs4 import BeautifulSoup
from serve_helpers import SAMPLE, fetch, run_cli, start_server, stop_server
from site_links import broken_links

from budgetsite.config import SETTINGS, load_config

SCAFFOLD = [
    "budgetsite.toml",
    "departments.toml",
    "content/pages/about.md",
    "sources/README.md",
    "netlify.toml",
    ".gitignore",
]


def test_init_writes_the_scaffold(tmp_path: Path) -> None:
    result = run_cli("init", "my-site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "my-site"
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()) == sorted(SCAFFOLD)
    toml_text = (site / "budgetsite.toml").read_text(encoding="utf-8")
    # Every setting is explained by its help text as a comment, and the file loads without errors.
    for setting in SETTINGS:
        assert f"# {setting.help}" in toml_text
        assert f"{setting.name} = " in toml_text
    assert tomllib.loads(toml_text)["title"] == "部门预算公开"
    config = load_config(site)
    assert config.content == site / "content" and config.output == site / "output"
    assert "budgetsite ingest sources/" in (site / "sources" / "README.md").read_text(encoding="utf-8")
    ignored = (site / ".gitignore").read_text(encoding="utf-8").split()
    assert "output/" in ignored and ".budgetsite-cache/" in ignored
    assert tomllib.loads((site / "netlify.toml").read_text(encoding="utf-8"))["build"]["publish"] == "output"


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    site = tmp_path / "existing"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", str(site), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not empty" in lines[0] and "Traceback" not in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli("init", "empty", cwd=tmp_path).returncode == 0
    assert (tmp_path / "empty" / "budgetsite.toml").is_file()


def test_empty_scaffold_builds_with_no_broken_links_and_a_helpful_home_page(tmp_path: Path) -> None:
    assert run_cli("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    result = run_cli("build", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert broken_links(site / "output") == []
    home = BeautifulSoup((site / "output" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "budgetsite ingest" in home.find("main").get_text()  # tells the user what to do next
    about = BeautifulSoup(
        (site / "output" / "about" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "关于本站" in about.get_text()


def test_scaffold_plus_one_ingested_sample_builds_with_no_broken_links(tmp_path: Path) -> None:
    assert run_cli("init", "site", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    shutil.copy(SAMPLE, site / "sources" / SAMPLE.name)
    ingest = run_cli("ingest", "sources/", cwd=site)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    result = run_cli("build", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list((site / "output").rglob("*.html"))
    assert any("departments" in p.parts and p.parent.name == "2024" for p in pages)
    assert broken_links(site / "output") == []


def test_empty_scaffold_serves_straight_away(tmp_path: Path) -> None:
    assert run_cli("init", "site", cwd=tmp_path).returncode == 0
    served = start_server(tmp_path / "site")
    try:
        status, body = fetch(served.url)
        assert status == 200 and "budgetsite ingest" in body
        assert fetch(served.url + "about/")[0] == 200
    finally:
        assert stop_server(served) == 0


def test_about_page_does_not_claim_every_table_is_in_wanyuan(tmp_path: Path) -> None:
    # Tables keep the unit printed above them (元 in some templates, 万元 in others): the about page
    # says so instead of "单位为万元".
    assert run_cli("init", "site", cwd=tmp_path).returncode == 0
    about = (tmp_path / "site" / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert "单位为万元" not in about
    assert "万元或元" in about and "表题旁" in about
