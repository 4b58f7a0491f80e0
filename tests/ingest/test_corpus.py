"""Every real file we have, ingested as a publisher would: tests/fixtures/real/ and tests/fixtures/corpus/.

Each file (a -narrative/-tables pair together) ingests, or is refused for its true reason (the blank
templates); no table is left as an untitled other-N, no header row is stored as data, no narrative line
holds table cells, and `budgetsite check` fails only where a person reading the PDF finds a real error.
All files are ingested once per module (about half a minute on the development machine).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_golden import GOLDEN
from ingest_helpers import FIXTURES

from budgetsite.cli import main
from budgetsite.recognize import catalog

CORPUS = FIXTURES / "corpus"
REAL = FIXTURES / "real"


def _units() -> dict[str, list[Path]]:
    """Ingest units: one file, or a -narrative file with its -tables file (one department-year)."""
    units: dict[str, list[Path]] = {}
    for path in sorted([*CORPUS.glob("*.pdf"), *CORPUS.glob("*.xlsx"), *REAL.glob("*.pdf")]):
        name = path.stem
        if name.endswith("-tables") or name.startswith("03b_"):
            continue
        if name.endswith("-narrative"):
            units[name.removesuffix("-narrative")] = [
                path,
                path.with_name(name.replace("-narrative", "-tables") + ".pdf"),
            ]
        elif name.startswith("03a_"):
            units[name[:3]] = [path, REAL / "03b_JS_shengwei_bangongting_2019_budget_tables.pdf"]
        else:
            units[name if path.suffix == ".pdf" else path.name] = [path]
    return units


UNITS = _units()
# The blank Putuo templates print "上海市XX局" where the department goes: refused, not ingested.
TEMPLATES = {
    "sh-putuo-dept-final-accounts-TEMPLATE-blank",
    "sh-putuo-dept-budget-TEMPLATE.xlsx",
    "sh-putuo-unit-budget-TEMPLATE.xlsx",
}
DISCLOSURES = sorted(set(UNITS) - TEMPLATES)


@dataclass
class Outcome:
    """One unit's ingest: exit code, output, and (when it ingested) its data.json and index.md."""

    exit_code: int
    output: str
    data: dict | None
    index_md: str


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("corpus")
    found = {}
    for name, paths in UNITS.items():
        content = root / name
        result = CliRunner().invoke(main, ["ingest", *map(str, paths), "--content", str(content), "-q"])
        data_files = list(content.glob("*/*/data.json"))
        data = (
            json.loads(data_files[0].read_text(encoding="utf-8"), parse_float=Decimal) if data_files else None
        )
        index_md = (data_files[0].parent / "index.md").read_text(encoding="utf-8") if data_files else ""
        found[name] = Outcome(result.exit_code, result.output, data, index_md)
    return found


def test_the_corpus_is_all_there() -> None:
    assert len(UNITS) == 4 + 20 - 1  # real: 01, 03a+03b, 06a, 11; corpus: 24 files, 4 pairs
    assert all(path.exists() for paths in UNITS.values() for path in paths)


@pytest.mark.parametrize("name", DISCLOSURES)
def test_every_disclosure_ingests_as_one_department_year(name: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[name]
    assert outcome.exit_code == 0, outcome.output
    assert outcome.data is not None


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_blank_templates_are_refused_for_what_they_are(name: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[name]
    assert outcome.exit_code == 1 and outcome.data is None
    (line,) = outcome.output.strip().splitlines()
    assert "blank template" in line and "XX" in line, line


@pytest.mark.parametrize("name", DISCLOSURES)
def test_no_untitled_other_table(name: str, outcomes: dict[str, Outcome]) -> None:
    data = outcomes[name].data or {"tables": []}
    untitled = [
        (t["id"], t["source_page"], t["columns"][:3]) for t in data["tables"] if t["id"].startswith("other-")
    ]
    assert not untitled


def _label_parts(table: dict) -> set[str]:
    parts = {re.sub(r"\s+", "", part) for column in table["columns"] for part in column["label"].split(" / ")}
    return parts | catalog.HEADER_WORDS


@pytest.mark.parametrize("name", DISCLOSURES)
def test_no_header_row_stored_as_data(name: str, outcomes: dict[str, Outcome]) -> None:
    """A body row of two or more texts, no number, every text one of the table's own header labels."""
    data = outcomes[name].data or {"tables": []}
    stored = []
    for table in data["tables"]:
        labels = _label_parts(table)
        for row in table["rows"]:
            texts = [re.sub(r"\s+", "", cell) for cell in row if isinstance(cell, str) and cell.strip()]
            numbers = [cell for cell in row if isinstance(cell, Decimal | int)]
            if len(texts) >= 2 and not numbers and all(text in labels for text in texts):
                stored.append((table["id"], row))
    assert not stored


# A table row printed as text: a short label followed by amounts only ("十八、住房保障支出 4,716.51",
# "## 二、财政专户管理资金四、公共安全支出23,513.11"); sentences say 万元 / 元 and end in punctuation.
_AMOUNT = r"-?\d{1,3}(?:,\d{3})*\.\d{2}"
_CELL_LINE = re.compile(
    rf"^[#\-*\s]*[^\s。，；：:%]{{1,40}}?\s*{_AMOUNT}(?:\s+(?:{_AMOUNT}|[^\s。，；]{{1,20}}))*$"
)


@pytest.mark.parametrize("name", DISCLOSURES)
def test_no_narrative_line_holds_table_cells(name: str, outcomes: dict[str, Outcome]) -> None:
    lines = [line for line in outcomes[name].index_md.splitlines() if _CELL_LINE.match(line.strip())]
    assert not lines


def _row(table: dict, label: str) -> list:
    """The first row holding `label`; with "" the first row without any text (支出总表, 三公: one amount row)."""
    if label:
        rows = [row for row in table["rows"] if label in row]
    else:
        rows = [row for row in table["rows"] if not any(isinstance(c, str) and c.strip() for c in row)]
    assert rows, (table["id"], label)
    return rows[0]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_figures(name: str, outcomes: dict[str, Outcome]) -> None:
    """Row counts, column labels and cells of every table of 8 files, as printed (corpus_golden.py)."""
    data = outcomes[name].data
    assert data is not None
    tables = {t["id"]: t for t in data["tables"]}
    assert sorted(tables) == sorted(GOLDEN[name])
    for table_id, golden in GOLDEN[name].items():
        table = tables[table_id]
        assert len(table["rows"]) == golden["rows"], table_id
        assert [c["label"] for c in table["columns"]] == golden["labels"], table_id
        keys = [c["key"] for c in table["columns"]]
        for label, key, value in golden["cells"]:
            cell = _row(table, label)[keys.index(key)]
            assert str(cell) == value, (table_id, label, key)


# The checks a recognition defect can trip: the tables' arithmetic and their codes. (The review checks of
# the narrative have their own corpus test, test_review_corpus.py, with every real error quoted.)
TABLE_CHECKS = re.compile(
    r"^(balance|side-sum|code-sum|total-sum|row-sum|basic-expenditure-sum|three-public-sum|subtotal-sum"
    r"|assets-sum|plausible-code):"
)
# Failures a person reading the PDF confirms as errors in the document itself: (unit, check id) → page
# and quote.
REAL_ERRORS: dict[tuple[str, str], str] = {
    (
        "sh-putuo-wanli-jiedao-2024-dept-budget",
        "plausible-code:general-public-budget-basic-expenditure:3012",
    ): ("p.29 一般公共预算基本支出表: '301 2 津贴补贴 16,623,810' (款 02 printed as 2)"),
    (
        "sh-putuo-wanli-jiedao-2024-dept-budget",
        "plausible-code:general-public-budget-basic-expenditure:3017",
    ): ("p.29 一般公共预算基本支出表: '301 7 绩效工资 11,447,100' (款 07 printed as 7)"),
}


@pytest.mark.parametrize("name", DISCLOSURES)
def test_table_checks_fail_only_on_real_errors_in_the_document(
    name: str, outcomes: dict[str, Outcome]
) -> None:
    data = outcomes[name].data or {"checks": []}
    failed = {
        (name, c["id"]): c["message"]
        for c in data["checks"]
        if c["status"] == "fail" and TABLE_CHECKS.match(c["id"])
    }
    assert set(failed) == {key for key in REAL_ERRORS if key[0] == name}, failed
