"""serve's incremental rebuild with several disclosures per department-year (issue 11).

The identity fixture (示范市财政局: 2023 预算 in 2023/, its 决算 in 2023-final-accounts/, …): an edit of the
决算's code line re-renders the budget-vs-actual page, and removing the 决算 folder removes its page but
not the budget's page its URL is nested in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from test_preview_incremental import _rewrite_data

from budgetsite.config import load_config
from budgetsite.serve.preview import PreviewBuilder

REPO = Path(__file__).resolve().parents[2]
DEPT = "departments/shifanshi-caizhengju/"


def _builder(tmp_path: Path) -> PreviewBuilder:
    shutil.copytree(REPO / "tests" / "fixtures" / "identity_content", tmp_path / "content")
    preview = PreviewBuilder(load_config(tmp_path), tmp_path / "preview")
    preview.full_build()
    return preview


def test_final_accounts_edit_reaches_the_budget_vs_actual_page(tmp_path: Path) -> None:
    builder = _builder(tmp_path)
    final = builder.config.content / "shifanshi-caizhengju" / "2023-final-accounts"

    def change_208(data: dict) -> None:
        # A hand correction of the 决算数 of 208 and 20805 (148.20 → 149.20): table cell and fact.
        for row in data["tables"][0]["rows"]:
            if row[0] in ("208", "20805"):
                row[3] = row[3] + 1
        for fact in data["facts"]:
            if fact["name"] in ("function:208", "function:20805"):
                fact["value_wan"], fact["printed"] = "149.20", "149.20"

    _rewrite_data(final, change_208)
    builder.rebuild([final / "data.json"])
    page = (builder.preview_dir / DEPT / "2023" / "budget-vs-actual" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "149.20" in page and "148.20" not in page


def test_removing_the_final_accounts_keeps_the_budget_page(tmp_path: Path) -> None:
    builder = _builder(tmp_path)
    final = builder.config.content / "shifanshi-caizhengju" / "2023-final-accounts"
    shutil.rmtree(final)
    builder.rebuild([final / "data.json"])
    assert not (builder.preview_dir / DEPT / "2023" / "final-accounts" / "index.html").exists()
    assert (builder.preview_dir / DEPT / "2023" / "index.html").is_file()
    assert (builder.preview_dir / DEPT / "2023" / "data.json").is_file()
