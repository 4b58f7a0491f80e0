"""Narrative sections (一、部门职责及机构设置情况 …) as Markdown, in document order, with canonical ids."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from budgetsite.blocks import Block, Heading, Paragraph, RawTable
from budgetsite.model import Disclosure, Section
from budgetsite.recognize.textclean import clean_text, is_page_debris, strip_markup

_CN_DIGITS = "一二三四五六七八九十"
# "一、部门职责及机构设置情况" — a top-level section heading (the ordinal is printed, the title is short).
_SECTION_HEADING = re.compile(rf"^(?P<number>[{_CN_DIGITS}]{{1,3}})[、.．]\s*(?P<title>\S.{{1,40}})$")
# A table-of-contents line: "一、部门职责及机构设置情况.....16", "部门预算收支总表……3".
_TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*\s*$")
_PART = re.compile(rf"^第[{_CN_DIGITS}]+部分")
_PAREN_CN = re.compile(rf"^[（(][{_CN_DIGITS}]{{1,3}}[)）]")
_ARABIC = re.compile(r"^\d{1,2}[、.．](?!\d)")
_PAREN_ARABIC = re.compile(r"^[（(]\d{1,2}[)）]")
_BULLET_LINE = re.compile(r"^\s*[-*•·]\s+")
# Captions that belong to a lifted table and are no narrative ("单位：万元", "501 邢台市工业和信息化局").
_CAPTION = re.compile(
    r"^(?:单位[：:]|金额单位|预算年度|决算年度|截止时间|截止日期|编制部门|编制单位|\d{3,9}\s*[^\s，。]{2,40}(?:局|委|厅|办|院|中心|会)$)"
)
# "绩效指标：…" starts its own paragraph even when the previous one lacks its full stop (000).
_LABEL_START = re.compile(r"^[\u4e00-\u9fff]{2,8}[：:]")
_TERMINAL = tuple('。！？；：:;!?）)」”"》')
# "1、基本支出：指…", "（一）财政拨款收入：是…", "一、财政拨款：指…"
_GLOSSARY_ITEM = re.compile(
    rf"^(?:\d{{1,2}}[、.．]|[{_CN_DIGITS}]{{1,3}}[、.．]|[（(](?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})[)）])?"
    r"\s*(?P<term>[^：:。，]{1,30})[：:]\s*(?P<definition>\S.*)$"
)
# A glossary entry in a section's Markdown, as ingest writes it ("**财政拨款收入**：指…", Markdown escapes
# inside) or as a person types it into index.md ("1、基本支出：指…", "- （一）**事业收入**：是…").
_GLOSSARY_ENTRY = re.compile(
    r"^\s*(?:[-*+]\s+)?"
    rf"(?:(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\\?[、.．]|[（(](?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})[)）])?\s*"
    r"(?:\*\*(?P<bold>(?:\\.|[^*\n])+?)\*\*|(?P<plain>[^：:。，*\n]{2,30}?))\s*[：:]\s*(?P<definition>\S.*)$"
)

# Canonical ids by title keywords; the first match wins, so the specific ones come first.
_SECTION_IDS: tuple[tuple[str, str], ...] = (
    ("名词解释", "glossary"),
    ("其他需要说明", "other"),
    ("其它需要说明", "other"),
    ("其他重要事项", "other"),
    ("其他事项", "other"),
    ("三公", "three-public-expenses"),
    ("运行经费", "operating-costs"),
    ("采购", "procurement"),
    ("资产", "assets"),
    ("专项资金", "special-funds"),
    ("项目", "projects"),
    ("绩效", "performance"),
    ("职责", "duties"),
    ("职能", "duties"),
    ("机构设置", "duties"),
    ("单位构成", "duties"),
    ("总体情况", "overview"),
    ("收支", "overview"),
    ("预算安排", "overview"),
    ("决算", "overview"),
    ("编制说明", "overview"),
    ("收入", "overview"),
    ("支出", "overview"),
)


def section_id(title: str) -> str | None:
    """The canonical id for a section title, or None when it is not a known section."""
    for keyword, canonical in _SECTION_IDS:
        if keyword in title and (canonical != "projects" or "绩效" in title or "预算" in title):
            return canonical
    return None


def chinese_ordinal(text: str) -> int:
    """一 → 1, 十 → 10, 十一 → 11, 二十三 → 23."""
    values = [_CN_DIGITS.index(ch) + 1 for ch in text]
    if len(values) == 1:
        return values[0]
    if values[0] == 10:
        return 10 + values[1]
    return values[0] * 10 + (values[2] if len(values) > 2 else 0)


# --- items: the remaining blocks as lines of text, unused tables and markers for lifted tables -----


@dataclass
class _Text:
    text: str
    heading_block: bool = False


@dataclass
class _Table:
    rows: list[list[str]]


@dataclass
class _Lifted:
    """A place where tables were lifted into `tables` (or project tables into `projects`)."""

    titles: list[str]


_Item = _Text | _Table | _Lifted


def _is_toc_table(table: RawTable) -> bool:
    cells = [c for row in table.rows for c in row if c.strip()]
    return bool(cells) and sum(bool(_TOC_LINE.search(c)) for c in cells) * 2 >= len(table.rows)


def _lines(text: str) -> list[str]:
    """Split a paragraph into items: bullets and numbered lines start a new one, other lines are wraps."""
    items: list[str] = []
    for raw in text.splitlines():
        starts_item = bool(_BULLET_LINE.match(raw))
        line = clean_text(strip_markup(raw))
        if not line or is_page_debris(line) or _TOC_LINE.search(line):
            continue
        # "第一部分 部门整体绩效目标": the space after the part label is a separator, not a wrap artefact.
        line = re.sub(rf"^(第[{_CN_DIGITS}]+部分)(?=\S)", r"\1 ", line)
        starts_item = starts_item or bool(
            _ARABIC.match(line)
            or _PAREN_CN.match(line)
            or _PAREN_ARABIC.match(line)
            or _SECTION_HEADING.match(line)
        )
        if items and not starts_item:
            items[-1] = _join_wrapped(items[-1], line)
        else:
            items.append(line)
    return items


def _join_wrapped(first: str, second: str) -> str:
    # CJK text wraps without a space; Latin text needs one back.
    if first[-1:].isascii() and first[-1:].isalnum() and second[:1].isascii() and second[:1].isalnum():
        return f"{first} {second}"
    return first + second


def _starts_numbered(text: str) -> bool:
    return bool(
        _ARABIC.match(text) or _PAREN_CN.match(text) or _PAREN_ARABIC.match(text) or _PART.match(text)
    )


def _items(blocks: Sequence[Block], used: set[int], table_titles: set[str]) -> list[_Item]:
    items: list[_Item] = []
    for index, block in enumerate(blocks):
        if index in used:
            if not items or not isinstance(items[-1], _Lifted):
                items.append(_Lifted([]))
            lifted = items[-1]
            assert isinstance(lifted, _Lifted)
            # The printed title of a lifted table marks where the narrative refers to it; a title
            # repeated on every page of one table is one reference.
            if (
                isinstance(block, Heading | Paragraph)
                and (text := clean_text(block.text)) in table_titles
                and lifted.titles[-1:] != [text]
            ):
                lifted.titles.append(text)
            continue
        if isinstance(block, RawTable):
            if block.rows and not _is_toc_table(block):
                items.append(_Table(block.rows))
        elif isinstance(block, Heading | Paragraph):
            for number, line in enumerate(_lines(block.text)):
                previous = items[-1] if items else None
                # 000/002: a paragraph broken by a page break continues in the next block without a
                # closing punctuation mark ("…确保按照时间节点" / "点完成支出任务。").
                if (
                    number == 0
                    and isinstance(previous, _Text)
                    and not previous.heading_block
                    and not isinstance(block, Heading)
                    and len(previous.text) >= 40
                    and not previous.text.endswith(_TERMINAL)
                    and not _starts_numbered(line)
                    and not _SECTION_HEADING.match(line)
                    and not _LABEL_START.match(line)
                ):
                    previous.text = _join_wrapped(previous.text, line)
                    continue
                items.append(_Text(line, heading_block=isinstance(block, Heading)))
    return items


# --- Markdown ---------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """Escape text so Markdown shows it literally (source text never becomes markup or HTML)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if match := _MD_ORDERED_START.match(text):
        return f"{match[1]}\\{match[2]}{text[match.end() :]}"
    if text[:1] in ("#", ">", "-", "+", "="):
        return "\\" + text
    return text


def unescape_markdown(text: str) -> str:
    """Undo escape_markdown."""
    return re.sub(r"\\(.)", r"\1", text)


def _markdown_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)

    def line(row: list[str]) -> str:
        cells = [escape_markdown(clean_text(c).replace("\n", " ")) for c in row] + [""] * (width - len(row))
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(rows[0]), "|" + "---|" * width, *(line(r) for r in rows[1:])])


def _style(text: str) -> str | None:
    if _PART.match(text):
        return "part"
    if _PAREN_CN.match(text):
        return "paren-cn"
    if _ARABIC.match(text):
        return "arabic"
    if _PAREN_ARABIC.match(text):
        return "paren-arabic"
    return None


def _body_markdown(items: list[_Item], glossary: bool) -> str:
    texts = [(i, item.text) for i, item in enumerate(items) if isinstance(item, _Text)]
    styles = {i: _style(t) for i, t in texts}
    kinds: dict[int, str] = {}
    for position, (i, text) in enumerate(texts):
        style = styles[i]
        if glossary and _GLOSSARY_ITEM.match(text) and style in {None, "arabic", "paren-arabic", "paren-cn"}:
            kinds[i] = "term"
        elif style == "part":
            kinds[i] = "heading:part"
        elif style is None:
            kinds[i] = "paragraph"
        else:
            following = position + 1 < len(texts)
            next_style = styles[texts[position + 1][0]] if following else None
            previous = texts[position - 1][0] if position else None
            after_item = previous is not None and kinds.get(previous) == f"item:{style}"
            short = len(text) <= 30 and "。" not in text[:-1]
            # A short numbered line followed by body text (or a deeper level) is a sub-heading
            # ("（一）收入说明"); numbered lines in a run are a list ("（一）提出全区…", "（二）拟订…"),
            # and a run's last item ("（二十六）完成…任务。") stays in the list.
            heads_body = following and next_style != style
            closes_run = text.endswith("。") and after_item
            kinds[i] = f"heading:{style}" if short and heads_body and not closes_run else f"item:{style}"
    heading_styles = list(dict.fromkeys(k.split(":")[1] for k in kinds.values() if k.startswith("heading:")))
    levels = {style: min(3 + n, 6) for n, style in enumerate(heading_styles)}

    chunks: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, _Lifted):
            chunks.extend(f"（见表：{escape_markdown(title)}）" for title in item.titles)
            continue
        if isinstance(item, _Table):
            chunks.append(_markdown_table(item.rows))
            continue
        if not isinstance(item, _Text) or _CAPTION.match(item.text):
            continue
        kind = kinds[i]
        if kind == "term":
            match = _GLOSSARY_ITEM.match(item.text)
            assert match is not None
            chunks.append(
                f"**{escape_markdown(match['term'].strip())}**：{escape_markdown(match['definition'])}"
            )
        elif kind.startswith("heading:"):
            chunks.append("#" * levels[kind.split(":")[1]] + " " + escape_markdown(item.text))
        elif kind.startswith("item:") and chunks and chunks[-1].startswith("- ") and kinds.get(i - 1) == kind:
            chunks[-1] += "\n- " + escape_markdown(item.text)
        elif kind.startswith("item:"):
            chunks.append("- " + escape_markdown(item.text))
        else:
            chunks.append(escape_markdown(item.text))
    return "\n\n".join(chunks)


def _preamble(items: list[_Item], skip_texts: set[str]) -> list[_Item]:
    """The introduction before 一、: sentences only (no title lines, TOC headings or part labels)."""
    kept: list[_Item] = []
    for item in items:
        if not isinstance(item, _Text):
            continue
        text = item.text
        if text in skip_texts or _PART.match(text) or _CAPTION.match(text) or "目录" in text:
            continue
        if len(text) > 30 or text.endswith(("。", "：", ":")):
            kept.append(item)
    return kept


_TOC_TITLE = re.compile(r"^.{0,24}目\s*录$")


def _toc_positions(items: list[_Item]) -> set[int]:
    """Items of a table of contents: the heading-like lines after "目录" until the body starts.

    The body starts where the first entry comes again ("第一部分部门概况" in the real PDFs), at a table,
    or at a line that reads like prose.
    """
    skip: set[int] = set()
    for position, item in enumerate(items):
        if not (isinstance(item, _Text) and _TOC_TITLE.match(item.text.replace(" ", ""))):
            continue
        skip.add(position)
        first_entry = None
        for later in range(position + 1, len(items)):
            entry = items[later]
            if not isinstance(entry, _Text) or not _looks_like_toc_entry(entry.text):
                break
            key = re.sub(r"\s+", "", entry.text)
            # The body begins where the first entry comes again. A first entry that never comes again is
            # no TOC entry but the body itself (a TOC whose dotted lines the reader already dropped).
            if key == first_entry or (
                first_entry is None
                and not any(
                    isinstance(other, _Text) and re.sub(r"\s+", "", other.text) == key
                    for other in items[later + 1 :]
                )
            ):
                break
            first_entry = first_entry or key
            skip.add(later)
        break
    return skip


def _looks_like_toc_entry(text: str) -> bool:
    if _SECTION_HEADING.match(text) or _PART.match(text):
        return len(text) <= 60
    return len(text) <= 30 and not any(mark in text for mark in "，。：:")


@dataclass
class _Start:
    position: int
    title: str
    number: str | None  # None for a 第X部分 part


def _section_starts(items: list[_Item], toc: set[int]) -> list[_Start]:
    """Where sections begin: "一、…" headings, and 第X部分 parts when the document is organized in parts."""
    candidates: list[_Start] = []
    for position, item in enumerate(items):
        if position in toc or not isinstance(item, _Text):
            continue
        if _PART.match(item.text) and len(item.text) <= 60:
            candidates.append(_Start(position, item.text, None))
        elif (match := _SECTION_HEADING.match(item.text)) and not item.text.endswith("。"):
            candidates.append(_Start(position, match["title"].strip(), match["number"]))
        elif item.heading_block and len(item.text) <= 40 and section_id(item.text):
            # A bare heading that names a known section (06a: "上海市普陀区司法局主要职能", "名词解释")
            # ranks like a part.
            candidates.append(_Start(position, item.text, None))
    # Parts are top level only when the document opens with one (the JS/SH PDFs: 第一部分 部门概况 /
    # 一、主要职能 …); inside a numbered section (000: 五、… 第一部分 部门整体绩效目标) they are sub-headings.
    top_level_parts = bool(candidates) and candidates[0].number is None
    starts: list[_Start] = []
    last_number = 0
    for candidate in candidates:
        if candidate.number is None:
            if top_level_parts:
                starts.append(candidate)
                last_number = 0  # each part numbers its sections from 一 again
            continue
        number = chinese_ordinal(candidate.number)
        # Ordinals only go up: a later "一、…" inside a section is a list item, not a new section.
        if number > last_number:
            last_number = number
            starts.append(candidate)
    return starts


def _has_body(items: list[_Item], skip_texts: set[str]) -> bool:
    return any(
        isinstance(item, _Table)
        or (isinstance(item, _Lifted) and bool(item.titles))
        or (isinstance(item, _Text) and item.text not in skip_texts and not _CAPTION.match(item.text))
        for item in items
    )


def recognize_sections(
    blocks: Sequence[Block],
    used: set[int],
    *,
    title: str | None = None,
    skip_texts: Sequence[str] = (),
    table_titles: Sequence[str] = (),
) -> list[Section]:
    """Narrative sections from the blocks not lifted into tables or projects, in document order.

    Where a table listed in `table_titles` was lifted, the body says "（见表：<title>）" instead.
    """
    items = _items(blocks, used, set(table_titles))
    toc = _toc_positions(items)
    skip = {*skip_texts, *([title] if title else [])}
    starts = _section_starts(items, toc)
    # A 第X部分 part ends the section before it even when it gets no section of its own (its heading
    # would otherwise trail the previous section as a sub-heading: "### 第三部分 …情况说明").
    part_starts = [start.position for start in starts if _PART.match(start.title)]

    def between(first: int, end: int) -> list[_Item]:
        # 11 (SH 决算): the document title names a section ("…部门决算"), so the 目录 after it would
        # otherwise become that section's body.
        return [items[p] for p in range(first, end) if p not in toc]

    # A part heading directly followed by its first numbered section only groups them: no section of its own.
    starts = [
        start
        for n, start in enumerate(starts)
        if start.number is not None
        or n + 1 >= len(starts)
        or _has_body(between(start.position + 1, starts[n + 1].position), skip)
    ]

    sections: list[Section] = []
    first = starts[0].position if starts else len(items)
    intro = _preamble([item for p, item in enumerate(items[:first]) if p not in toc], skip)
    if intro and starts:
        sections.append(Section(title=title or "说明", markdown=_body_markdown(intro, glossary=False)))
    for n, start in enumerate(starts):
        following = [starts[n + 1].position] if n + 1 < len(starts) else []
        end = min([*following, *(b for b in part_starts if b > start.position)], default=len(items))
        body_items = [
            item
            for item in between(start.position + 1, end)
            if not (isinstance(item, _Text) and item.text in skip)
        ]
        section_title = start.title
        if start.number is None:
            # "第一部分 保定市…情况说明": the part label is not part of the title
            section_title = _PART.sub("", section_title).strip() or section_title
        canonical = section_id(section_title)
        body = _body_markdown(body_items, glossary=canonical == "glossary")
        sections.append(Section(title=section_title, markdown=body, id=canonical, number=start.number))
    return sections


def glossary_terms(section: Section) -> list[tuple[str, str]]:
    """(term, definition) pairs of a 名词解释 section's Markdown, Markdown escapes undone.

    The one glossary parser: the site reads index.md with it, which ingest wrote or a person edited.
    A definition runs on over the following lines and paragraphs up to the next entry, heading or table:
    江苏 2017 (检察院) prints "基本支出：包括人员经费、商品和服务支出（定额）。" and then, as a paragraph of
    its own, "其中，人员经费包括工资福利支出、对个人和家庭的补助。"
    """
    entries: list[tuple[str, str]] = []
    in_entry = False  # the lines read belong to the last entry
    for line in section.markdown.splitlines():
        match = _GLOSSARY_ENTRY.match(line)
        if match:
            term = unescape_markdown(match["bold"] or match["plain"]).strip()
            if term.count("“") != term.count("”"):
                term = term.strip("“”")  # keep balanced quotes: “三公”经费 is the printed term
            entries.append((term, unescape_markdown(match["definition"]).strip()))
            in_entry = True
        elif line.lstrip().startswith(("#", "|")):
            in_entry = False
        elif in_entry and line.strip():
            term, definition = entries[-1]
            entries[-1] = (term, definition + unescape_markdown(line.strip()))
    return entries


def glossary_entries(disclosure: Disclosure) -> list[tuple[str, str]]:
    """(term, definition) pairs of the disclosure's 名词解释 section (by id, else by title), if any."""
    section = disclosure.section("glossary") or next(
        (s for s in disclosure.sections if "名词解释" in s.title), None
    )
    return glossary_terms(section) if section is not None else []
