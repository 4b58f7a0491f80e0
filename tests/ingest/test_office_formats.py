"""DOCX, PDF and XLSX copies of the Hebei samples ingest to the same data as the text originals.

The copies are made by tests/fixtures/make_office_fixtures.py: python-docx with real merged cells
(gridSpan/vMerge), LibreOffice headless for DOCX → PDF, openpyxl for the workbook.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES, HENGSHUI_2020, XINGTAI_2023, XUSHUI_2024

from budgetsite.cli import main

CASES = {
    "hebei_hengshui_2020": HENGSHUI_2020,
    "hebei_xushui_2024": XUSHUI_2024,
    "hebei_xingtai_2023": XINGTAI_2023,
}


def ingest_data(source: Path, content: Path) -> dict:
    """Ingest one file with the real CLI into `content` and return its data.json."""
    result = CliRunner().invoke(main, ["ingest", str(source), "--content", str(content), "-q"])
    assert result.exit_code == 0, result.output
    (data_file,) = content.glob("*/*/data.json")
    return json.loads(data_file.read_text(encoding="utf-8"))


def without_source(data: dict) -> dict:
    """data.json minus what names the source: `source`, each table's (and table fact's) page in it, and the
    hashes of index.md (its front matter says `source: source.pdf`), of data.json itself (it holds `source`) and
    of the files written (generated_files names source.pdf and its hash)."""
    data = {
        k: v
        for k, v in data.items()
        if k not in {"source", "index_md_sha256", "data_sha256", "generated_files"}
    }
    data["tables"] = [{k: v for k, v in t.items() if k != "source_page"} for t in data["tables"]]
    data["facts"] = [
        {**f, "source": {k: v for k, v in f["source"].items() if k != "page"}} for f in data.get("facts", [])
    ]
    return data


@pytest.fixture(scope="module")
def text_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("text")
    return {case: ingest_data(sample, root / case) for case, sample in CASES.items()}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_office_copy_ingests_like_text(
    case: str, ext: str, text_data: dict[str, dict], tmp_path: Path
) -> None:
    data = ingest_data(FIXTURES / f"{case}.{ext}", tmp_path / "content")
    expected = text_data[case]
    assert data["source"]["format"] == ext
    assert [t["id"] for t in data["tables"]] == [t["id"] for t in expected["tables"]]
    assert len(data["projects"]) == len(expected["projects"])
    assert without_source(data) == without_source(expected)


def test_pdf_tables_record_their_source_page(tmp_path: Path) -> None:
    data = ingest_data(FIXTURES / "hebei_xushui_2024.pdf", tmp_path / "content")
    pages = {t["id"]: t["source_page"] for t in data["tables"]}
    # LibreOffice sets 部门预算收支总表 first, on page 1, and the later tables on later pages.
    assert pages["income-expenditure-summary"] == 1
    assert all(isinstance(page, int) and page >= 1 for page in pages.values())
    assert pages["fixed-assets"] > pages["procurement"] > pages["three-public-expenses"]


def test_xlsx_standard_tables_ingest_like_text(text_data: dict[str, dict], tmp_path: Path) -> None:
    data = ingest_data(FIXTURES / "hebei_xushui_2024_tables.xlsx", tmp_path / "content")
    expected = {t["id"]: t for t in without_source(text_data["hebei_xushui_2024"])["tables"]}
    tables = without_source(data)["tables"]
    # The workbook holds the nine standard tables (部门预算… sheets), nothing else.
    assert len(tables) == 9
    for table in tables:
        assert table == expected[table["id"]], table["id"]
    assert data["department"] == "保定市徐水区工业和信息化局"
    assert data["year"] == 2024
