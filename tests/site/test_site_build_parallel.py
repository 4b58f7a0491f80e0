"""Large sites render in a forked worker pool; the pages must be byte-identical to a one-process build."""

from __future__ import annotations

import json
from pathlib import Path

from budgetsite.config import load_config
from budgetsite.site import build as build_module
from budgetsite.site.build import SiteRenderer, load_site

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"


def _render(tmp: Path, name: str) -> dict[str, bytes]:
    config = load_config(tmp, content=str(FIXTURE))
    renderer = SiteRenderer(load_site(config), config)
    out = tmp / name
    build_module._render_specs(renderer, renderer.plan, out, progress=False)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def test_parallel_rendering_writes_the_same_pages(tmp_path, monkeypatch):
    serial = _render(tmp_path, "serial")
    monkeypatch.setattr(build_module, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(build_module, "_CHUNK", 3)
    monkeypatch.setattr(build_module, "WORKER_CHUNKS", 2)  # workers replaced by fresh forks as they go
    parallel = _render(tmp_path, "parallel")
    assert len(serial) > 20 and parallel == serial


def test_search_bundles_cover_every_indexed_page_once(tmp_path):
    from site_links import soup

    from budgetsite.site import search
    from budgetsite.site.build import build

    config = load_config(tmp_path, content=str(FIXTURE))
    result = build(config, quiet=True)
    bundles = sorted(p.name for p in config.output.iterdir() if p.name.startswith("pagefind"))
    # One bundle per year and region: the fixture's four disclosures are of four years.
    expected = {
        search.bundle_folder(2020, "河北省/衡水市"): ["2020", "河北省/衡水市"],
        search.bundle_folder(2022, "河北省/邢台市"): ["2022", "河北省/邢台市"],
        search.bundle_folder(2023, "河北省/邢台市"): ["2023", "河北省/邢台市"],
        search.bundle_folder(2024, "河北省/保定市/徐水区"): ["2024", "河北省/保定市/徐水区"],
    }
    assert bundles == sorted(["pagefind", *expected])
    form = soup(config.output / "search" / "index.html").find("form", id="search-form")
    assert json.loads(form["data-bundles"]) == [[f"/{folder}/", *key] for folder, key in expected.items()]
    with_body = [
        p for p in config.output.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")
    ]
    indexed = search.build_search_index(config.output, search.plan_bundles(load_site(config)))
    assert indexed == len(with_body) and result.pages > indexed
