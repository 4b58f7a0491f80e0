"""The review-grade checks on the development corpus (../shared/disclosures/corpus/, 24 real files).

Every `fail` is a real error of the published document, checked by reading the PDF (`pdftotext -f N -l N`);
page and printed text are quoted beside each. Department-years with no failure are listed with an empty
set, so a new false failure on any of them fails this test. Three files do not open (js-fayuan-2018/2019,
js-jianchayuan-2019: "corrupt PDF", a reader matter) and the two blank templates are refused by ingest;
they are not checked. The corpus is not committed (it is shared/), so this test reads ../shared beside the
clone, as CI lays it out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetsite.check import run_checks
from budgetsite.content.ingest import ingest_sources
from budgetsite.content.tree import iter_disclosure_folders, load_disclosure

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "disclosures" / "corpus"

# (files ingested together, options): as `budgetsite ingest` is run on them.
GROUPS: list[tuple[list[str], dict[str, object]]] = [
    (["js-jianchayuan-2017-budget.pdf"], {}),
    (["js-renda-2018-budget.pdf"], {}),
    (["js-renda-2019-budget-narrative.pdf", "js-renda-2019-budget-tables.pdf"], {}),
    # the tables file prints no year outside its table titles, the narrative names the department only
    # in its cover: each pair is given what the other half lacks
    (["js-shengwei-2017-budget-narrative.pdf", "js-shengwei-2017-budget-tables.pdf"], {"year": 2017}),
    (["js-zhengxie-2017-budget-narrative.pdf", "js-zhengxie-2017-budget-tables.pdf"], {}),
    (["js-zhengxie-2018-budget-narrative.pdf", "js-zhengxie-2018-budget-tables.pdf"], {}),
    (
        ["js-zhengxie-2019-budget-narrative.pdf", "js-zhengxie-2019-budget-tables.pdf"],
        {"department": "江苏省政协办公厅"},
    ),
    (["sh-putuo-caizhengju-2025-dept-budget.pdf"], {}),
    (["sh-putuo-shangwuwei-2025-unit-budget.pdf"], {}),
    (["sh-putuo-wanli-jiedao-2024-dept-budget.pdf"], {}),
    (["sh-putuo-wanli-jiedao-2025-dept-budget.pdf"], {}),
    (["sh-putuo-zhengfu-bangongshi-2025-dept-budget.pdf"], {}),
    (["sh-putuo-zhengfu-bangongshi-2025-unit-budget.pdf"], {}),
]

TEMPLATE_WORDING_2018 = {
    # p.19–20, 28–29: "与上年相比增加（减少）0万元，增长（减少）0 %" left from the template (ten times).
    "text-template-wording:5.5",
    "text-template-wording:5.5#2",
    "text-template-wording:5.6",
    "text-template-wording:5.6#2",
    "text-template-wording:5.7",
    "text-template-wording:5.7#2",
    "text-template-wording:5.8",
    "text-template-wording:5.8#2",
    "text-template-wording:13.4",
    "text-template-wording:14.2",
    "text-template-wording:14.2#2",
    "text-template-wording:17.4",
}
TEMPLATE_WORDING_2019 = {
    # narrative p.9–10, 16: the same template wording, twelve times.
    "text-template-wording:5.5",
    "text-template-wording:5.5#2",
    "text-template-wording:5.6",
    "text-template-wording:5.6#2",
    "text-template-wording:5.7",
    "text-template-wording:5.7#2",
    "text-template-wording:5.8",
    "text-template-wording:5.10",
    "text-template-wording:13.3",
    "text-template-wording:13.4",
    "text-template-wording:14.1",
    "text-template-wording:14.1#2",
}

# department folder/year → the fail ids, each a real error of the document.
EXPECTED_FAILS: dict[str, set[str]] = {
    "jiangsusheng-renminjianchayuan/2017": {
        # p.22 "机关运行经费预算支出6032.55万元，比2016年增加3401.59万元，增长129.97%" — 3401.59 / 2630.96 = 129.29%.
        "narrative-change-amount:13.4",
    },
    "jiangsusheng-rendachangweihuibangongting/2018": TEMPLATE_WORDING_2018
    | {
        # p.21 "单位预留机动经费预算数为1685.72万元。与上年相比增加1557.29万元，增长1312.56%" — 1557.29 / 128.43
        # = 1212.56%.
        "narrative-change-amount:5.15",
    },
    "jiangsusheng-rendachangweihuibangongting/2019": TEMPLATE_WORDING_2019,
    # one department-year: the tables file's 中国共产党江苏省委员会办公厅 is the narrative's 江苏省委办公厅
    "jiangsusheng-weibangongting/2017": set(),
    "jiangsusheng-zhengxiebangongting/2017": set(),
    "jiangsusheng-zhengxiebangongting/2018": set(),
    "jiangsusheng-zhengxiebangongting/2019": set(),
    "shanghaishi-putuoqu-caizhengju/2025": {
        # p.7 and again p.8 "机关事业单位职业年金缴费支出（项）”887.36万元" — the table (p.15) prints 873,617.00 元
        # = 87.36万元.
        "narrative-item:2080506",
        "narrative-item:2080506#2",
    },
    "shanghaishi-putuoqu-renminzhengfuwanlijiedaobanshichu/2024": {
        # p.31 三公 table prints 47.91 / 1.35 / 46.56 / 25 / 21.56 / 443.18 under "注:本部门2024年无“三公”经费和
        # 机关运行经费预算，故本表为空表。"
        "structure-empty-note:three-public-expenses",
        # p.9 "住房公积金（项）”350.35万元 … 2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年
        # 预算执行数增加0.53%" — 348.52 → 350.35 is +0.53%: 352.67 is the wrong figure.
        "narrative-change:4.35",
        "narrative-item-twice:2210201",
        # p.29 the 基本支出 table prints "301 2 津贴补贴" and "301 7 绩效工资" (30102, 30107).
        "plausible-code:general-public-budget-basic-expenditure:3012",
        "plausible-code:general-public-budget-basic-expenditure:3017",
    },
    "shanghaishi-putuoqu-renminzhengfuwanlijiedaobanshichu/2025": set(),
    "shanghaishi-putuoqu-renminzhengfubangongshi/2025": set(),
}


@pytest.fixture(scope="module")
def corpus_checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """folder → {check id: status} for every department-year of the corpus (unit budgets in a tree of their own)."""
    assert CORPUS.is_dir(), f"{CORPUS}: the shared corpus belongs beside the clone"
    found: dict[str, dict[str, str]] = {}
    for number, (names, options) in enumerate(GROUPS):
        content = tmp_path_factory.mktemp(f"corpus{number}")
        ingest_sources([CORPUS / name for name in names], content_dir=content, quiet=True, **options)  # type: ignore[arg-type]
        for folder in iter_disclosure_folders(content):
            key = folder.relative_to(content).as_posix()
            checks = run_checks(load_disclosure(folder))
            found[key + ("#unit" if "unit" in names[0] else "")] = {c.id: c.status for c in checks}
    return found


def test_every_fail_on_the_corpus_is_a_real_error(corpus_checks: dict[str, dict[str, str]]) -> None:
    fails = {
        key.removesuffix("#unit"): {i for i, status in checks.items() if status == "fail"}
        for key, checks in corpus_checks.items()
        if not key.endswith("#unit")
    }
    assert fails == EXPECTED_FAILS


def test_unit_budgets_have_no_false_failure(corpus_checks: dict[str, dict[str, str]]) -> None:
    units = {
        key: {i for i, s in checks.items() if s == "fail"}
        for key, checks in corpus_checks.items()
        if key.endswith("#unit")
    }
    assert units == {
        "shanghaishi-putuoqu-shangwuweiyuanhui/2025-unit-shangwuweiyuanhui#unit": set(),
        "shanghaishi-putuoqu-renminzhengfubangongshi/2025-unit-renminzhengfubangongshi#unit": set(),
    }
