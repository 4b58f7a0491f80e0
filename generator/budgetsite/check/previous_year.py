"""A cross-disclosure check: narrative claims of a change against last year, checked against last year's
disclosure of the same series (the department's budget of year − 1 for its budget, …).

Narratives state changes as "公务接待费预算支出412.50万元，比上年预算减少31万元" or "基本支出预算数为5,678.17
万元。与上年相比减少238.10万元，下降4.02%" or "…156.60万元，与上年数一致". When last year's disclosure prints
the same subject with a figure ("公务接待费预算支出443.50万元"), the claim is checked:

    this year's figure = last year's figure ± the stated change        (与上年数一致: a change of 0)
    the stated percent = change ÷ last year's figure × 100             (when printed)

with the rounding tolerance of every check (base.py): within the printed precision's half-units a
difference is `warn`, beyond it `fail`. The subject is the text before the figure in its clause, without
list numbering, the department's name, the year and the trailing 预算/为 words (and the 支出 after a
code line's "（项）"), so "2018年度一般公共
预算拨款安排的会议费预算支出" and "2017年度…会议费预算支出" name one subject. A subject last year does not
print (or prints with two different figures) is not checked: no guess. Both sentences are quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgetsite.check.base import CheckCollector, Term, fmt, half_unit
from budgetsite.model import Check, Disclosure, Status

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# One clause: its subject, then a figure in 万元 ("…公务接待费预算支出443.50万元").
_FIGURE = re.compile(rf"(?P<subject>[^。；;，,：:\n]{{2,80}}?)(?P<value>{_NUMBER})\s*万元")
# What follows the figure when the text states a change against last year.
_CHANGE = re.compile(
    rf"^\s*[，,。；;]?\s*(?:与上年(?:数)?相比|[比较](?:上年|(?:19|20)\d{{2}}年)(?:预算)?|同比)\s*[，,]?\s*"
    rf"(?:(?P<direction>增加|减少|增长|下降)\s*(?P<delta>{_NUMBER})\s*万元"
    rf"(?:\s*[，,]\s*(?:增长|下降|增幅|降幅)\s*(?P<percent>{_NUMBER})\s*%)?)?"
)
_SAME = re.compile(r"^\s*[，,。；;]?\s*与上年(?:数)?(?:相比)?\s*[，,]?\s*(?:一致|持平|相同)")
_LEADING = re.compile(
    r"^(?:[-*#>\s]|\\|[（(]?[一二三四五六七八九十\d]+[)）.．、]|其中[：:，,]?|此外[，,]?|另外[，,]?)+"
)
_TRAILING = re.compile(r"(?:预算数为|预算数|预算支出|支出预算|预算|安排|为|是|共计|合计|总计)+$")
# "政协事务（款）行政运行（项）支出3,233.03万元" one year, "…（项）4,432.78万元" the next: one code line.
_CODE_LINE_SPENDING = re.compile(r"(?<=[)）])支出$")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")


@dataclass(frozen=True)
class Claim:
    """A figure of the text, with the change against last year it states (if any)."""

    subject: str
    value: Decimal
    sentence: str
    delta: Decimal | None = None  # signed; 0 for 与上年数一致
    percent: Decimal | None = None  # signed


def subject_key(subject: str, department: str) -> str:
    """The comparable name of a clause's subject (see the module docstring)."""
    text = _YEAR.sub("", subject.replace(department, "")).strip()
    text = _LEADING.sub("", text)
    return _CODE_LINE_SPENDING.sub("", _TRAILING.sub("", text)).strip()


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], to quote."""
    left = max(text.rfind(mark, 0, start) for mark in "。\n；") + 1
    rights = [i for i in (text.find(mark, end) for mark in "。\n；") if i >= 0]
    return " ".join(text[left : min(rights) if rights else len(text)].split()).lstrip("-*# ")


def narrative_claims(disclosure: Disclosure) -> list[Claim]:
    """Every subject-and-figure clause of the narrative, with the change it states against last year."""
    claims = []
    for section in disclosure.sections:
        text = section.markdown
        for match in _FIGURE.finditer(text):
            key = subject_key(match["subject"], disclosure.department)
            if len(key) < 2 or "上年" in key:
                continue  # "比上年预算减少31万元" is a change, not a figure
            rest = text[match.end() : match.end() + 80]
            delta = percent = None
            if _SAME.match(rest):
                delta = Decimal(0)
                end = match.end()
            elif (change := _CHANGE.match(rest)) and change["delta"]:
                sign = -1 if change["direction"] in ("减少", "下降") else 1
                delta = sign * _number(change["delta"])
                percent = sign * _number(change["percent"]) if change["percent"] else None
                end = match.end() + change.end()
            else:
                end = match.end()
            claims.append(
                Claim(key, _number(match["value"]), _sentence(text, match.start(), end), delta, percent)
            )
    return claims


def previous_year_checks(current: Disclosure, previous: Disclosure) -> list[Check]:
    """Check `current`'s 比上年 claims against `previous` (the same series, one year earlier)."""
    last_year: dict[str, list[Claim]] = {}
    for claim in narrative_claims(previous):
        last_year.setdefault(claim.subject, []).append(claim)
    collector = CheckCollector()
    for claim in narrative_claims(current):
        if claim.delta is None or claim.subject not in last_year:
            continue
        before = last_year[claim.subject]
        if len({c.value for c in before}) != 1:
            continue  # last year prints the subject with two figures: which one is meant is a guess
        old = before[0]
        where = f"{current.year}年说明“{claim.sentence}”；{previous.year}年说明“{old.sentence}”"
        label = f"与{previous.year}年公开相比的增减"
        collector.compare(
            f"previous-year:{claim.subject}",
            where,
            Term(f"{current.year}年{claim.subject}", claim.value),
            [Term(f"{previous.year}年{claim.subject}", old.value), Term("所述增减", claim.delta)],
            group="previous-year",
            group_label=label,
        )
        if claim.percent is not None and old.value:
            _check_percent(collector, claim, old, where, label)
    return collector.result()


def _check_percent(collector: CheckCollector, claim: Claim, old: Claim, where: str, label: str) -> None:
    """The stated percent against change ÷ last year × 100, within what rounding of all three allows."""
    assert claim.delta is not None and claim.percent is not None
    computed = claim.delta / old.value * 100
    # Rounding of the percent itself, plus how far the printed change and base can move the quotient.
    bound = half_unit(claim.percent) + (
        (half_unit(claim.delta) + abs(computed / 100) * half_unit(old.value)) / abs(old.value) * 100
    )
    difference = abs(claim.percent - computed)
    exponent = claim.percent.as_tuple().exponent
    rounded = computed.quantize(
        Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0), ROUND_HALF_UP
    )
    sentence = f"{where}：所述增幅 {fmt(claim.percent)}%，{fmt(claim.delta)} ÷ {fmt(old.value)} × 100 = {fmt(rounded)}%"
    status: Status
    if difference <= half_unit(claim.percent):
        status = "pass"
    elif difference <= bound:
        status = "warn"
    else:
        status = "fail"
    collector.add(
        Check(
            f"previous-year-percent:{claim.subject}", status, sentence, expected=rounded, actual=claim.percent
        ),
        group="previous-year" if status == "pass" else None,
        group_label=label,
    )
