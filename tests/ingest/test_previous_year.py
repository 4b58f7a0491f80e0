"""A department over three years: the 江苏省政协办公厅 2017–2019 budgets (corpus, three narrative + tables pairs).

The department page compares each headline fact across the years; `budgetsite check` checks every
"比上年" claim of a narrative against the previous year's disclosure. Figures quoted from the PDFs
(pdftotext -layout): 2017 "基本支出预算数为 5,916.27 万元", 2018 "基本支出预算数为 5,678.17 万元。与上年相比
减少 238.10 万元", 2019 "基本支出预算数为 6,522.75 万元。与上年相比增加 844.58 万元"; 2017 "公务接待费预算支出
443.50 万元", 2018 "公务接待费预算支出 412.50 万元，比上年预算减少 31 万元".
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetsite.cli import main
from budgetsite.config import load_config
from budgetsite.site.build import build
from budgetsite.site.compare import HEADLINE_FACTS
from samples import CORPUS

SLUG = "jiangsusheng-zhengxiebangongting"
YEARS = (2017, 2018, 2019)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def zhengxie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three pairs ingested (2019's narrative prints no department: given with --department)."""
    content = tmp_path_factory.mktemp("zhengxie") / "content"
    for year in YEARS:
        extra = ["--department", "江苏省政协办公厅"] if year == 2019 else []
        pair = sorted(str(p) for p in CORPUS.glob(f"js-zhengxie-{year}-budget-*.pdf"))
        assert len(pair) == 2, pair
        code, output = run("ingest", *pair, "--content", str(content), "-q", *extra)
        assert code == 0, output
    return content


def test_department_page_shows_three_years_of_each_headline_fact(zhengxie: Path, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    config = load_config(tmp_path, content=str(zhengxie), output=str(tmp_path / "out"))
    build(config, quiet=True)
    page = BeautifulSoup(
        (config.output / "departments" / SLUG / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    table = page.select_one("table.year-over-year")
    assert [a.get_text() for a in table.select("thead a")] == [f"{y}年" for y in YEARS]
    facts = []
    for year in YEARS:
        data = json.loads((zhengxie / SLUG / str(year) / "data.json").read_text(encoding="utf-8"))
        facts.append({f["name"]: Decimal(f["value_wan"]) for f in data["facts"]})
    rows = {
        r.th.get_text(strip=True): [td.get_text(strip=True).replace(",", "") for td in r.find_all("td")]
        for r in table.select("tbody tr")
    }
    for name in (
        "支出合计",
        "基本支出",
        "项目支出",
        "三公经费合计",
        "因公出国（境）费",
        "公务接待费",
        "机关运行经费",
    ):
        assert name in HEADLINE_FACTS and name in rows, name
        first, second, change_1, percent_1, third, change_2, percent_2 = rows[name]
        values = [Decimal(v) for v in (first, second, third)]
        assert values == [f[name] for f in facts], name
        assert [Decimal(change_1), Decimal(change_2)] == [values[1] - values[0], values[2] - values[1]], name
        for percent, before, change in ((percent_1, values[0], change_1), (percent_2, values[1], change_2)):
            expected = (Decimal(change) / before * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            assert Decimal(percent) == expected, name
    # As the documents print them (see the module docstring).
    assert rows["基本支出"][:2] + rows["基本支出"][4:6] == ["5916.27", "5678.17", "6522.75", "844.58"]
    assert rows["基本支出"][2] == "-238.10"
    assert rows["公务接待费"][:3] == ["443.50", "412.50", "-31.00"]


def test_check_passes_previous_year_claims_that_agree(zhengxie: Path) -> None:
    code, output = run("check", "--content", str(zhengxie))
    assert code == 0, output
    assert "previous-year:公务接待费" not in output
    assert "previous-year:基本支出" not in output
    # Every claim that agrees is folded into one pass line per disclosure; the report says how many.
    _, quiet = run("check", "--content", str(zhengxie), "-q")
    assert "previous-year:" not in quiet.replace("previous-year-percent:", "")


def test_check_reports_a_claim_that_disagrees_with_last_year(zhengxie: Path, tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(zhengxie, content)
    index = content / SLUG / "2018" / "index.md"
    text = index.read_text(encoding="utf-8")
    assert text.count("比上年预算减少31万元") == 1
    # A hand edit that makes the 2018 text disagree with 2017: 443.50 − 21 ≠ 412.50.
    index.write_text(text.replace("比上年预算减少31万元", "比上年预算减少21万元"), encoding="utf-8")
    code, output = run("check", "--content", str(content), "--strict")
    assert code == 1, output
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if "FAIL previous-year:公务接待费" in line)
    message = lines[at + 1]
    # Both sources quoted: this year's sentence and last year's.
    assert "2018年说明“" in message and "比上年预算减少21万元" in message
    assert "2017年说明“3.公务接待费预算支出443.50万元" in message
    assert "2017年公务接待费 443.50 + 所述增减 -21 = 422.50，相差 10.00" in message


def _with_text(year: int, text: str):
    from ingest_helpers import disclosure

    from budgetsite.model import Section

    return disclosure(sections=[Section(title="说明", markdown=text)], year=year)


@pytest.mark.parametrize(
    ("this_year", "status"),
    [
        ("公务接待费预算支出412.50万元，比上年预算减少31万元。", "pass"),
        ("公务接待费预算支出412.50万元，比上年预算减少21万元。", "fail"),
        # 与上年数一致 is a change of 0: wrong when last year printed another figure
        ("公务接待费预算支出412.50万元，与上年数一致。", "fail"),
        # 443.5 − 31 = 412.5 against 412.50: within the half-units of the printed digits
        ("公务接待费预算支出412.49万元，比上年预算减少31万元。", "warn"),
    ],
)
def test_previous_year_change_against_last_years_figure(this_year: str, status: str) -> None:
    from budgetsite.check.previous_year import previous_year_checks

    last = _with_text(2017, "3.公务接待费预算支出443.50万元，与上年数相比，减少0.8万元。")
    checks = previous_year_checks(_with_text(2018, this_year), last)
    assert [c.status for c in checks] == [status], checks


def test_previous_year_percent_and_unknown_or_ambiguous_subjects() -> None:
    from budgetsite.check.previous_year import previous_year_checks

    last = _with_text(2017, "基本支出预算数为5,916.27万元。会议费100万元。会议费120万元。")
    this = _with_text(
        2018,
        # 238.10 ÷ 5916.27 = 4.0245 %: 4.02 agrees, the 4.12 of this variant does not
        "基本支出预算数为5,678.17万元。与上年相比减少238.10万元，下降4.12%。"
        "培训费97.60万元，比上年预算增加16万元。"  # not printed last year: not checked
        "会议费884.16万元，比上年预算减少210.46万元。",  # printed twice last year: not checked
    )
    checks = {c.id: c.status for c in previous_year_checks(this, last)}
    assert checks == {"previous-year": "pass", "previous-year-percent:基本支出": "fail"}, checks
