"""ASCII URL slugs for department names (保定市徐水区工业和信息化局 → baodingshi-xushuiqu-gongyehexinxihuaju).

The rule, kept simple so a reader can predict a slug from a name:

1. Split the leading administrative divisions off the name: a run of 2–6 characters ending in 省, 市,
   区, 县, 旗, 州, 盟 or 自治区/自治州/自治县, at most three times (province, city, county), and only while a
   name of at least two characters remains.
2. Write every part in toneless pinyin (pypinyin, phrase-aware, ü as v), the syllables of one part
   joined without separator; ASCII letters and digits are kept (lower-cased); any other character
   separates words.
3. Join the parts with "-".

So 衡水市工业和信息化局 → hengshuishi-gongyehexinxihuaju and 上海市普陀区司法局 → shanghaishi-putuoqu-sifaju.
The slug is stored in data.json; ingest reuses the slug already in the content tree for a department,
so a change in pypinyin's dictionary never moves an existing page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from budgetsite.errors import ContentError, InputError

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Content-derived path parts (issue 13 §1). A table id names tables/<id>.csv; a classification code
# names /functions/<code>/ and /economic/<code>/: 类 3 digits, 款 5, 项 7 (economic codes stop at 5).
ID_PATTERN = SLUG_PATTERN
CODE_PATTERN = re.compile(r"^\d{3}(?:\d{2}){0,2}$")

# Longest suffixes first so 自治区 wins over 区.
_DIVISION = re.compile(r"^(.{2,6}?(?:自治区|自治州|自治县|省|市|区|县|旗|州|盟))")
_MAX_DIVISIONS = 3


def split_divisions(name: str) -> list[str]:
    """Split leading administrative divisions off a department name: 保定市徐水区工信局 → 保定市, 徐水区, 工信局."""
    parts: list[str] = []
    rest = name.strip()
    while len(parts) < _MAX_DIVISIONS:
        match = _DIVISION.match(rest)
        if match is None or len(rest) - len(match.group(1)) < 2:
            break
        parts.append(match.group(1))
        rest = rest[len(match.group(1)) :]
    if rest:
        parts.append(rest)
    return parts


def _part_to_ascii(part: str) -> str:
    # lazy_pinyin passes non-Chinese runs through unchanged; lower-case them and turn every other
    # character (punctuation, spaces, fullwidth brackets) into a word separator.
    # Imported here: pypinyin's phrase dictionary takes ~0.3 s to load, and build/check never need it.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(part, style=Style.NORMAL, v_to_u=False)
    words: list[str] = []
    current = ""
    for syllable in syllables:
        for char in syllable.lower():
            if char.isascii() and char.isalnum():
                current += char
            elif current:
                words.append(current)
                current = ""
    if current:
        words.append(current)
    return "-".join(words)


def _checked_slug(parts: list[str], what: str, name: str, hint: str) -> str:
    """Parts joined with '-', or InputError when no ASCII slug is left."""
    slug = "-".join(part for part in parts if part)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if not SLUG_PATTERN.match(slug):
        raise InputError(f"cannot make an ASCII slug from the {what} name {name!r}", hint=hint)
    return slug


def department_slug(name: str) -> str:
    """The ASCII slug of a department name (see the module docstring for the rule)."""
    return _checked_slug(
        [_part_to_ascii(part) for part in split_divisions(name)],
        "department",
        name,
        "give a department name with Chinese characters or letters (--department)",
    )


def unit_slug(name: str) -> str:
    """The ASCII slug of a unit (单位) inside its department's URL: its name without the leading divisions.

    上海市普陀区人民政府办公室 → renminzhengfubangongshi: the department's slug already says where it is.
    """
    return _checked_slug(
        [_part_to_ascii(split_divisions(name)[-1])],
        "unit",
        name,
        "give the unit's name in Chinese characters or letters",
    )


def inside(root: Path, relative: str | Path) -> Path:
    """`root / relative`, refused (ContentError) unless it stays inside `root`.

    Every write of a path built from content goes through this, so a name that slipped past the
    patterns above (``..``, an absolute path) still cannot leave its folder. The check is lexical
    (normpath), cheap enough for every page: the folders written into are fresh temporary folders
    budgetsite made itself, without symlinks.
    """
    base = os.path.normpath(root)
    target = os.path.normpath(os.path.join(base, relative))
    if not target.startswith(base + os.sep):
        raise ContentError(
            f"refusing to write {str(relative)[:120]!r}: it would land outside {root}",
            hint="a name in the content tree (code, id, slug or file name) is not a plain name; fix it",
        )
    return Path(target)
