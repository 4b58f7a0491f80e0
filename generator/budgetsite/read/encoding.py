"""Decode a text source whatever encoding it came in: UTF-8 (± BOM), UTF-16 (± BOM), GB18030/GBK.

Chinese portals publish text in GBK as often as in UTF-8, and Windows tools save UTF-16. Guessing wrong
silently corrupts every name, so each candidate is decoded strictly and the result must look like text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from budgetsite.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control codes other than tab/newline/form feed, C1 controls, private use (GB18030 decodes garbage into
# the supplementary private-use planes) and U+FFFD: a text is not made of these.
_ODD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")


def _looks_like_text(text: str) -> bool:
    """True when almost every character is printable and none is a private-use or control code."""
    return len(_ODD_CHARS.findall(text)) <= max(2, len(text) // 1000)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters (newlines, digits) leave NULs at odd or even offsets."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    if max(even_nuls, odd_nuls) < 2 or min(even_nuls, odd_nuls) * 10 > max(even_nuls, odd_nuls):
        return None
    encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_text(text) else None


def _decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    if b"\x00" in data:
        return None  # NULs in an 8-bit text are binary garbage, not a disclosure
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    return None


def decode_bytes(data: bytes, path: Path | str) -> str:
    """Decode a text source to str with "\\n" newlines; InputError (one line) if empty or not text."""
    if not data.strip():
        raise InputError("the file is empty", path=path, hint="give a disclosure with text in it")
    text = _decode(data)
    if text is None or not _looks_like_text(text):
        raise InputError(
            "not a text file (binary or unknown encoding)",
            path=path,
            hint="save it as UTF-8, GBK or UTF-16 text, or give the original PDF/DOCX/XLSX",
        )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("the file is empty", path=path, hint="give a disclosure with text in it")
    return text
