"""Breakdowns the narrative gives in one sentence, which must add up (the tolerance of `base.compare`).

- "政府采购预算1486.42万元，其中：政府采购货物预算3.66万元、…工程预算36.44万元、…服务预算1446.32万元";
- "共有车辆3辆，其中：部级领导干部用车0辆、…、执法执勤用车3辆、…" (counts: exact).
"""

from __future__ import annotations

import re

from budgetsite.check.base import CheckCollector, Term
from budgetsite.check.findings import AMOUNT, amount, excerpt, paragraphs, report
from budgetsite.model import Disclosure

PROCUREMENT = re.compile(
    r"政府采购(?:预算|金额|支出)(?:[（(][^）)]{0,12}[)）])?(?:为|是)?\s*"
    + AMOUNT
    + r"\s*万元[，,]?\s*其中[：:，,]?([^。]*)"
)
PROCUREMENT_KIND = re.compile(r"(货物|工程|服务)[^、，,；;。\d]{0,10}?(?:为|是)?\s*" + AMOUNT + r"\s*万元")


def procurement_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """政府采购 = 货物 + 工程 + 服务, when the sentence gives all three."""
    for paragraph in paragraphs(disclosure):
        for match in PROCUREMENT.finditer(paragraph.text):
            kinds = {m.group(1): amount(m.group(2)) for m in PROCUREMENT_KIND.finditer(match.group(2))}
            if set(kinds) != {"货物", "工程", "服务"}:
                continue
            checks.compare(
                f"narrative-procurement:{paragraph.section_number}.{paragraph.index}",
                f"{paragraph.where}“{excerpt(paragraph.text, match.start(), match.end(), 0)}”",
                Term("政府采购", amount(match.group(1))),
                [Term(f"{kind}采购", value) for kind, value in kinds.items()],
                group="narrative-procurement",
                group_label="正文政府采购 = 货物 + 工程 + 服务",
            )


VEHICLES = re.compile(r"车辆\s*(\d+)\s*辆[，,]?\s*其中[：:]?([^。；;]*)")
VEHICLE_KIND = re.compile(r"([\u4e00-\u9fa5]{2,12}?用车)\s*(\d+)\s*辆")


def vehicles_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """共有车辆N辆 = Σ 各类用车 (whole vehicles: exact)."""
    for paragraph in paragraphs(disclosure):
        for match in VEHICLES.finditer(paragraph.text):
            kinds = [(m.group(1), int(m.group(2))) for m in VEHICLE_KIND.finditer(match.group(2))]
            total = int(match.group(1))
            if len(kinds) < 2 or sum(n for _, n in kinds) == total:
                continue
            report(
                checks,
                f"narrative-vehicles:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                f"车辆共{total}辆，各类用车相加为{sum(n for _, n in kinds)}辆",
                "请核对车辆总数和各类用车数",
                expected=sum(n for _, n in kinds),
                actual=total,
            )
