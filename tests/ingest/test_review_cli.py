"""`budgetsite check --format text|json`, the summary per family, and --strict as the publishing gate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from ingest_helpers import XUSHUI_SLUG

from budgetsite.check import FAMILIES
from budgetsite.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_json_report_has_every_finding_with_its_family() -> None:
    result = CliRunner().invoke(main, ["check", "--content", str(REPO / "content"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["families"]) >= set(FAMILIES)
    xushui = next(d for d in report["disclosures"] if d["folder"] == f"{XUSHUI_SLUG}/2024")
    basic = next(f for f in xushui["findings"] if f["id"] == "basic-expenditure-sum:合计")
    # 001 基本支出表 "合计 | 1023.35 | 971.52 | 51.84": figures as printed strings, never floats.
    assert (basic["family"], basic["status"], basic["actual"], basic["expected"]) == (
        "arithmetic",
        "warn",
        "1023.35",
        "1023.36",
    )
    assert report["totals"]["warn"] == sum(d["counts"]["warn"] for d in report["disclosures"])


def test_text_report_ends_with_a_summary_per_family() -> None:
    result = CliRunner().invoke(main, ["check", "--content", str(REPO / "content")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("by family:")
    families = [line.split()[0] for line in lines[at + 1 : at + 1 + len(FAMILIES)]]
    assert families == list(FAMILIES)


def test_strict_fails_the_gate_on_a_failure_only(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content" / XUSHUI_SLUG, content / XUSHUI_SLUG)
    # Xushui has warnings only: the gate passes.
    assert CliRunner().invoke(main, ["check", "--content", str(content), "--strict", "-q"]).exit_code == 0
    # A hand edit of the narrative (index.md is the text the site shows and check reads).
    index_md = content / XUSHUI_SLUG / "2024" / "index.md"
    text = index_md.read_text(encoding="utf-8")
    assert text.count("较上年减少1878.32万元") == 1
    index_md.write_text(
        text.replace("较上年减少1878.32万元", "较上年增加（减少）1878.32万元"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "--content", str(content), "--strict", "-q"])
    assert result.exit_code == 1
    assert "FAIL text-template-wording" in result.output
