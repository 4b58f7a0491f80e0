"""Who published the disclosure, for which year and what kind: read from titles and table captions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from budgetsite.blocks import Block, Heading, Paragraph, RawTable
from budgetsite.model import Kind
from budgetsite.recognize import catalog
from budgetsite.recognize.textclean import clean_text, squeeze, strip_markup

# Hebei's prefecture-level cities (and the two directly administered cities): the samples' province.
# Other provinces are named in the document or given with --region.
PREFECTURE_PROVINCE = {
    name: "河北省"
    for name in (
        "石家庄市",
        "唐山市",
        "秦皇岛市",
        "邯郸市",
        "邢台市",
        "保定市",
        "张家口市",
        "承德市",
        "沧州市",
        "廊坊市",
        "衡水市",
        "定州市",
        "辛集市",
    )
}

_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
_KIND = r"(?:区级|市级|县级|省级|本级)?(?:单位)?(?P<kind>预算|决算)"
# "衡水市工业和信息化局 2020 年部门预算信息公开情况说明", "保定市…局2024年部门预算…", "…2024年部门决算公开"
_TITLE_DEPT_FIRST = re.compile(rf"^(?P<dept>[^\s，。：:；;,]{{2,40}}?)\s*{_YEAR}\s*(?:部门|单位)?{_KIND}")
# "2024年保定市徐水区工业和信息化局部门预算"
_TITLE_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*(?P<dept>[^\s，。：:；;,]{{2,40}}?)\s*(?:部门|单位){_KIND}")
# "衡水市工业和信息化局部门预算信息公开情况说明" (no year printed)
_TITLE_NO_YEAR = re.compile(rf"^(?P<dept>[^\s，。：:；;,]{{2,40}}?)\s*(?:部门|单位){_KIND}")
# 000 prints the department on its own line and "2020 年部门预算信息公开情况说明" on the next.
_TITLE_NO_DEPT = re.compile(rf"^{_YEAR}\s*(?:部门|单位)?{_KIND}")
# Table captions: "304保定市徐水区工业和信息化局", "501 邢台市工业和信息化局" (budget unit code + name).
_CODE_AND_NAME = re.compile(r"^(?P<code>\d{3,9})\s*(?P<name>[^\s\d，。：:；;,]{2,40})$")
# "编制部门：衡水市工业和信息化局", "预算主管部门：上海市普陀区司法局", 03b "部门：中共江苏省委办公厅 单位：万元"
# (a trailing "单位：元" is a unit note)
_LABELLED_DEPT = re.compile(
    r"^(?:编制部门|部门名称|单位名称|预算单位|编制单位|预算主管部门|主管部门|部门)[：:]\s*"
    r"(?P<name>[^\s，。；;,：:]{2,40}?)\s*(?:单位[：:].*)?$"
)
_LABELLED_YEAR = re.compile(r"(?:预算|决算)年度[：:]\s*(?P<year>(?:19|20)\d{2})")
_PART_PREFIX = re.compile(r"^第[一二三四五六七八九十]+部分\s*")
# "关于隆尧县…局2022年度部门决算的说明": the preposition is not part of the department's name.
_ABOUT = re.compile(r"^关于\s*")
_ORG_SUFFIX = re.compile(
    r"(?:局|厅|委员会|委|办公室|办|院|中心|部|署|处|所|会|馆|站|队|社|团|校|学|园|政府|公司|集团|总工会|联合会)$"
)
_CAPTION_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
_BUDGET_WORD = re.compile(r"预算|决算")
_PERFORMANCE_TITLE = re.compile(r"绩效(?:文本|目标|预算)")

_REGION_PROVINCE = re.compile(r"^(?P<p>[\u4e00-\u9fff]{2,3}?(?:省|自治区))")
_REGION_CITY = re.compile(r"^(?P<c>[\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟))")
_REGION_COUNTY = re.compile(r"^(?P<k>[\u4e00-\u9fff]{1,4}?(?:自治县|县|区|旗|市))")
# A county part must not swallow the agency name ("工业园区管委会", "开发区").
_NOT_A_COUNTY = re.compile(r"工业|开发|园|经济|管理|新区$|高新|城市|市场")


@dataclass
class Metadata:
    """What the document says about itself (None where it is silent)."""

    department: str | None = None
    department_code: str | None = None
    year: int | None = None
    kind: Kind = "budget"
    title: str | None = None
    region: list[str] = field(default_factory=list)


def _texts(blocks: Sequence[Block]) -> Iterator[str]:
    """Every heading/paragraph text and the first rows' cells of tables, cleaned, in document order."""
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            for line in block.text.splitlines():
                text = clean_text(strip_markup(line))
                if text:
                    yield text
        elif isinstance(block, RawTable):
            # 001 puts "304保定市徐水区工业和信息化局" and "预算年度：2024" inside the table grid.
            for row in block.rows[:4]:
                for cell in row:
                    text = clean_text(cell)
                    if text:
                        yield text


def _title_match(text: str) -> re.Match[str] | None:
    text = _ABOUT.sub("", _PART_PREFIX.sub("", text))
    return _TITLE_DEPT_FIRST.match(text) or _TITLE_YEAR_FIRST.match(text)


def _take_title(meta: Metadata, title: str, dept: str | None, year: str | None, kind: str) -> None:
    """Fill what a title line says into `meta`, keeping what an earlier line already gave."""
    meta.department = meta.department or dept
    meta.year = meta.year or (int(year) if year else None)
    if dept:
        meta.title = meta.title or title
    if kind == "决算":
        meta.kind = "final-accounts"


def recognize_metadata(blocks: Sequence[Block]) -> Metadata:
    """Department, code, year, kind, title and region as printed in the document."""
    meta = Metadata()
    texts = list(_texts(blocks))
    previous = ""
    untitled, untitled_title = False, ""  # a title line without the department ("2023年度部门决算")
    for text in texts[:400]:
        text = _ABOUT.sub("", _PART_PREFIX.sub("", text))
        if untitled and meta.department is None and _is_department_line(text):
            # Cover pages also print the department on the line AFTER "2023年度部门决算".
            meta.department = text
            meta.title = meta.title or f"{text}{untitled_title}"
            break
        untitled = False
        if len(text) > 60 or "，" in text or "。" in text:
            previous = text
            continue  # a sentence, not a title line ("…部门预算是包括区司法局本部以及…")
        match = _title_match(text)
        if match and catalog.match_title(text):
            # "1. 2025年预算单位财务收支预算总表" names a table, not the disclosure: its year only.
            meta.year = meta.year or int(match["year"])
            previous = text
            continue
        if match and _ORG_SUFFIX.search(match["dept"]):
            _take_title(meta, text, match["dept"], match["year"], match["kind"])
            break
        if match and meta.year is None:
            # "上海市普陀区2026年区级部门预算": a region, not a department, before the year
            _take_title(meta, text, None, match["year"], match["kind"])
            meta.title = meta.title or text
            previous = text
            continue
        if (match := _TITLE_NO_DEPT.match(text)) and meta.year is None:
            # 000: "衡水市工业和信息化局" on one line, "2020 年部门预算信息公开情况说明" on the next
            dept = previous if _ORG_SUFFIX.search(previous) and len(previous) <= 40 else None
            _take_title(meta, f"{dept or ''}{text}", dept, match["year"], match["kind"])
            if dept is None and "目录" not in text:
                untitled_title, untitled = text, True
        elif (
            (match := _TITLE_NO_YEAR.match(text))
            and _ORG_SUFFIX.search(match["dept"])
            and not meta.department
        ):
            _take_title(meta, text, match["dept"], None, match["kind"])
        if meta.department and meta.year:
            break
        previous = text

    codes: list[tuple[str, str]] = []
    for text in texts:
        if match := _CODE_AND_NAME.match(text):
            if _ORG_SUFFIX.search(match["name"]):
                codes.append((match["code"], match["name"]))
        elif meta.department is None and (match := _LABELLED_DEPT.match(text)):
            meta.department = match["name"]
        if meta.year is None and (match := _LABELLED_YEAR.search(squeeze(text))):
            meta.year = int(match["year"])
    if meta.year is None:
        meta.year = _year_of_captions(texts)
    if meta.department is None and codes:
        meta.department = codes[0][1]
    own = [code for code, name in codes if name == meta.department]
    if own:
        # The department's own code is the shortest one printed with its name (units have longer codes).
        meta.department_code = min(own, key=len)

    if meta.title and _PERFORMANCE_TITLE.search(meta.title):
        meta.kind = "budget-performance"
    if meta.department:
        meta.region = region_from_name(meta.department, " ".join(texts[:200]))
    return meta


def _year_of_captions(texts: list[str]) -> int | None:
    """The year most short lines print next to 预算/决算, for a file with no title sentence.

    A tables-only file names its year only in captions: a cover "江苏省2018年度" over "省级部门预算公开报表",
    or table titles "2017年政府采购预算表", "一、2018年度江苏省高级人民法院收支预算总表".
    """
    years: Counter[int] = Counter()
    for text, following in zip(texts, [*texts[1:], ""], strict=True):
        if len(text) > 40 or "，" in text or "。" in text:
            continue
        match = _CAPTION_YEAR.search(text)
        if match and (_BUDGET_WORD.search(text) or _BUDGET_WORD.search(following[:40])):
            years[int(match["year"])] += 1
    return years.most_common(1)[0][0] if years else None


def same_department(a: str, b: str) -> bool:
    """Whether two printed names are one department, written in full or short.

    中国共产党江苏省委员会办公厅 = 中共江苏省委办公厅 = 江苏省委办公厅 (js-shengwei-2017 prints the first in its
    tables file, the last in its narrative); 政协江苏省委员会办公厅 = 江苏省政协办公厅.
    """
    return _department_key(a) == _department_key(b)


def _department_key(name: str) -> str:
    key = re.sub(r"\s+", "", name).replace("中国共产党", "中共").replace("中国人民政治协商会议", "政协")
    key = key.removeprefix("中共").replace("委员会", "委")
    # 政协江苏省委办公厅 → 江苏省政协办公厅
    return re.sub(r"^政协(.{2,8}?[省市区县])委", r"\1政协", key)


def _is_department_line(text: str) -> bool:
    """A line that is only an organization's name ("隆尧县科学技术和工业信息化局")."""
    return (
        len(text) <= 40
        and bool(_ORG_SUFFIX.search(text))
        and not re.search(r"[\d\s，。：:；;,、（）()]", text)
    )


def region_from_name(department: str, context: str = "") -> list[str]:
    """Administrative path from a department name: ['河北省', '保定市', '徐水区'] for 保定市徐水区工业和信息化局."""
    region: list[str] = []
    # 中共上海市普陀区委社会工作部: a party organ's 中共 / 中国共产党 stands before the region.
    rest = re.sub(r"^(?:中国共产党|中共)", "", department)
    if match := _REGION_PROVINCE.match(rest):
        region.append(match["p"])
        rest = rest[match.end() :]
    city = None
    # "怀来县市场监督管理局" has no city: a 县 or 区 before 市 means 市 belongs to the agency name.
    if (match := _REGION_CITY.match(rest)) and not re.search("[县区]", match["c"][:-1]):
        city = match["c"]
        region.append(city)
        rest = rest[match.end() :]
    county = _REGION_COUNTY.match(rest)
    # Only a county when an agency name follows ("徐水区工业和信息化局"), not when the name ends there.
    if county and not _NOT_A_COUNTY.search(county["k"]) and len(rest) > len(county["k"]) + 1:
        region.append(county["k"])
    if city and not any(part.endswith(("省", "自治区")) for part in region):
        province = PREFECTURE_PROVINCE.get(city)
        if province is None and (said := re.search(rf"([\u4e00-\u9fff]{{2,3}}(?:省|自治区)){city}", context)):
            province = said.group(1)
        if province:
            region.insert(0, province)
    return region
