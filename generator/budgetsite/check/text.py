"""Text quality: what a proof-reader marks in the narrative before it is published.

Placeholders and template wording left in are failures (the text is not finished); doubled
punctuation, unbalanced brackets, a paragraph without its final stop and a repeated paragraph are
warnings (the meaning survives, the page looks careless).
"""

from __future__ import annotations

import re
from collections import Counter

from budgetsite.check.base import CheckCollector
from budgetsite.check.findings import excerpt, headings, paragraphs, report, table_where
from budgetsite.model import Disclosure

# "XX局", "xxx", "××单位", 待填写, {单位}, （略）: text of the template that was never filled in. Latin XX next to
# other Latin letters ("XXL") is a word, not a placeholder.
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[XxＸｘ×]{2,})(?![A-Za-z])|待填写|请填写|待补充|[（(]略[)）]|[{｛][^{}｛｝]{1,10}[}｝]|【[^】\d]{1,10}】"
)


def placeholder_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A placeholder of the template left in the text or a title (XX局, xxx, 待填写, （略）, {单位})."""
    places = [
        (p.where, f"{p.section_number}.{p.index}", p.text) for p in paragraphs(disclosure) if not p.heading
    ]
    places += [(where, where, title) for where, title in headings(disclosure)]
    places += [(f"{table_where(t)}编制部门", t.id, t.unit_name) for t in disclosure.tables if t.unit_name]
    for where, key, place_text in places:
        for match in PLACEHOLDER.finditer(place_text):
            report(
                checks,
                f"text-placeholder:{key}",
                "fail",
                where,
                excerpt(place_text, match.start(), match.end(), 15),
                f"模板占位符“{match.group(0)}”未替换",
                "请填入实际内容",
            )


# Template wording that offers both alternatives: the author was to keep one.
TEMPLATE_WORDING = re.compile(
    r"(增加|增长|上升|减少|下降|大于|小于|多|少|高|低)[（(/／]\s*(减少|下降|增加|增长|上升|小于|大于|少|多|低|高)\s*[)）]?"
)


def template_wording_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Both alternatives of the template left standing: 增加（减少）, 大于/小于."""
    for paragraph in paragraphs(disclosure):
        for match in TEMPLATE_WORDING.finditer(paragraph.text):
            first, second = match.group(1), match.group(2)
            if first == second:
                continue
            report(
                checks,
                f"text-template-wording:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 15),
                f"模板用语“{match.group(0)}”未按实际情况二选一",
                f"请只保留“{first}”或“{second}”",
            )


# Two sentence marks in a row (。。 ，。 ；， …); "……" and "——" are single marks and are allowed.
DOUBLED_PUNCTUATION = re.compile(r"([。，、；：！？])\s*([。，、；：！？])")


def punctuation_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Doubled or mixed punctuation: 。。 ，。 ；，."""
    for paragraph in paragraphs(disclosure):
        match = DOUBLED_PUNCTUATION.search(paragraph.text)
        if match is None:
            continue
        report(
            checks,
            f"text-punctuation:{paragraph.section_number}.{paragraph.index}",
            "warn",
            paragraph.where,
            excerpt(paragraph.text, match.start(), match.end(), 15),
            f"标点“{match.group(1)}{match.group(2)}”重复或混用",
            "请删去多余的标点",
        )


PAIRS = (("（", "）"), ("“", "”"), ("《", "》"), ("【", "】"))
HALF_WIDTH = {"（": "(", "）": ")"}


def brackets_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """An opening bracket or quote without its closing one in the same paragraph."""
    for paragraph in paragraphs(disclosure):
        for opening, closing in PAIRS:
            opened, closed = paragraph.text.count(opening), paragraph.text.count(closing)
            if opened == closed:
                continue
            lone = opening if opened > closed else closing
            position = paragraph.text.find(lone) if opened > closed else paragraph.text.rfind(lone)
            half_width = HALF_WIDTH.get(closing if opened > closed else opening)
            mixed = half_width is not None and half_width in paragraph.text
            report(
                checks,
                f"text-brackets:{paragraph.section_number}.{paragraph.index}",
                "warn",
                paragraph.where,
                excerpt(paragraph.text, position, position + 1, 20),
                f"“{opening}”{opened}个、“{closing}”{closed}个，不成对"
                + (f"（全角与半角“{half_width}”混用）" if mixed else ""),
                f"请补上或删去“{lone}”" if not mixed else f"请把半角“{half_width}”改为全角",
            )
            break


# A paragraph that reads as a sentence (it has a comma or a verb of the budget prose) should end with a
# stop. Headings, labels ("795万元"), dates and lead-ins ending with "：" are not sentences.
_SENTENCE_END = "。！？；：”）)…"
_PROSE = re.compile(r"[，,]|原因|主要|用于|安排|增加|减少")
# "上海市普陀区商务委员会主要职能": a title set as a paragraph, not a sentence.
_TITLE_LIKE = re.compile(r"^[^，,。；]{0,40}(?:职能|情况|说明|设置|解释|目标|构成|表)$")
_NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)


def final_stop_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A prose paragraph that ends without 。 (or ends on a comma; or on ； where its section ends)."""
    found = paragraphs(disclosure)
    for position, paragraph in enumerate(found):
        text = paragraph.text
        if paragraph.heading or len(text) < 15:
            continue
        following = found[position + 1] if position + 1 < len(found) else None
        # ； may end a paragraph of a list, not the last paragraph before a heading or another section
        last_of_part = (
            following is None or following.heading or following.section_number != paragraph.section_number
        )
        if text[-1] in _SENTENCE_END and not (text[-1] in "；;" and last_of_part):
            continue
        if text.startswith(("（见表", "(见表")) or not _PROSE.search(text) or _TITLE_LIKE.search(text):
            continue
        if _NUMBERED_HEADING.match(text) and len(text) < 30:
            continue
        report(
            checks,
            f"text-final-stop:{paragraph.section_number}.{paragraph.index}",
            "warn",
            paragraph.where,
            excerpt(text, len(text) - 1, len(text), 30),
            "段落没有以句号结束" if text[-1] not in "，、；;" else f"段落以“{text[-1]}”结束，句子不完整",
            "请补全句子并以“。”结尾",
        )


# "主要原因是。" "主要用于：；": the explanation the template asks for was left empty.
TRUNCATED = re.compile(r"(主要原因(?:是|为|：|:)?|主要用于(?:：|:)?|原因是|具体包括(?:：|:)?)\s*([。；;])")


def truncated_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A sentence cut off where the explanation should be: 主要原因是。"""
    for paragraph in paragraphs(disclosure):
        for match in TRUNCATED.finditer(paragraph.text):
            report(
                checks,
                f"text-truncated:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 20),
                f"“{match.group(1)}”后没有内容，句子不完整",
                "请写明原因或用途",
            )


def repeated_paragraph_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A long paragraph printed twice in one section (a copy-paste left in)."""
    for section_paragraphs in _by_section(disclosure).values():
        counts = Counter(p.text for p in section_paragraphs if len(p.text) >= 30)
        for paragraph in section_paragraphs:
            if counts.get(paragraph.text, 0) > 1:
                counts[paragraph.text] = 0  # report the second copy once
                later = [p for p in section_paragraphs if p.text == paragraph.text][1]
                report(
                    checks,
                    f"text-repeated:{later.section_number}.{later.index}",
                    "warn",
                    later.where,
                    excerpt(later.text, 0, 0, 30),
                    f"与本节第{paragraph.index}段完全相同，重复出现",
                    "请删去重复的段落",
                )


def _by_section(disclosure: Disclosure) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for paragraph in paragraphs(disclosure):
        grouped.setdefault(paragraph.section_number, []).append(paragraph)
    return grouped


# "比2025年预算持平": 持平 takes 与 … 持平; 比 … 持平 is a wording error reviewers mark.
BI_FLAT = re.compile(r"(?<![相对])比[^，。；,]{1,20}?持平")


def flat_wording_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """比…持平 instead of 与…持平."""
    for paragraph in paragraphs(disclosure):
        for match in BI_FLAT.finditer(paragraph.text):
            report(
                checks,
                f"text-wording:{paragraph.section_number}.{paragraph.index}",
                "warn",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 15),
                "“比……持平”搭配不当",
                "请改为“与……持平”",
            )


# "比2024年预算增加增加584.09万元": a word of the budget prose typed twice in a row. Only known words: without
# word boundaries "企业创业创新" would read as "业创" twice.
BUDGET_WORDS = (
    "增加|减少|增长|下降|持平|支出|收入|经费|预算|决算|项目|资金|主要|用于|原因|部门|单位|工作|管理|意见|情况|说明"
    "|安排|其中|以及|人员|合计|万元"
)
REPEATED_WORD = re.compile(rf"({BUDGET_WORDS})\1")


def repeated_word_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A word typed twice in a row (增加增加)."""
    for paragraph in paragraphs(disclosure):
        match = REPEATED_WORD.search(paragraph.text)
        if match is None:
            continue
        report(
            checks,
            f"text-repeated-word:{paragraph.section_number}.{paragraph.index}",
            "warn",
            paragraph.where,
            excerpt(paragraph.text, match.start(), match.end(), 15),
            f"“{match.group(1)}”连写了两次",
            "请删去重复的词",
        )
