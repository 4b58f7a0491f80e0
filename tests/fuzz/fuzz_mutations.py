"""A seeded mutation generator over real disclosures (text, PDF, DOCX, XLSX) for the fuzz suite.

`mutant(source, seed)` returns the bytes of one damaged copy of `source`; the same seed always gives
the same bytes, so a failing case is replayed with its seed alone. Mutations are of three kinds:

* bytes — bit flips, random overwrites, truncation, deleted or repeated spans, "interesting" tokens
  (NUL, BOM, huge and negative numbers, tabs and pipes that change a text layout);
* lines (text) — lines dropped, repeated, swapped, numbers in them made huge or odd;
* parts (DOCX/XLSX) — the zip stays valid and one XML part inside is damaged: attribute values such as
  w:gridSpan, w:val, r="B7" or s="3" replaced (abc, -1, 100000, 1e9, empty), elements dropped or
  repeated, the XML cut short — so the parser gets past the container into budgetsite's own code.
  Sometimes the container itself is damaged instead (bytes of the .docx/.xlsx).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

TOKENS = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"99999999999999999999999",
    b"-1",
    b"1e308",
    b"NaN",
    b"\t\t\t\t",
    b"|",
    b"| a | b |\n|---|---|\n",
    b"\n\n",
    "一、".encode(),
    "合计".encode(),
    "单位：万元".encode(),
    b"2150502/../../../x",
    b"<script>alert(1)</script>",
]
ODD_VALUES = ["abc", "-1", "0", "100000", "99999999999", "1e9", "", "XFD1048576", "A0", "\u4e00"]
ZIP_PARTS = re.compile(
    r"^(word/(document|numbering|styles)\.xml|xl/(worksheets/sheet\d+|sharedStrings|workbook|styles)\.xml)$"
)


def mutant(source: Path, seed: int) -> bytes:
    """One damaged copy of `source` (deterministic in `seed`)."""
    rng = random.Random(f"{source.name}-{seed}")
    data = source.read_bytes()
    suffix = source.suffix.lower()
    if suffix in (".docx", ".xlsx") and rng.random() < 0.85:
        return _mutate_part(data, rng)
    if suffix in (".txt", ".md") and rng.random() < 0.5:
        return _mutate_lines(data, rng)
    if suffix == ".pdf":
        # Keep the envelope (header, %%EOF) most of the time, so pdfminer parses the damaged middle.
        head, tail = data[:16], data[-64:]
        return head + mutate_bytes(data[16:-64], rng, rounds=rng.randint(1, 4)) + tail
    return mutate_bytes(data, rng, rounds=rng.randint(1, 3))


def mutate_bytes(data: bytes, rng: random.Random, rounds: int = 1) -> bytes:
    """`rounds` byte-level mutations of `data`."""
    buffer = bytearray(data)
    for _ in range(rounds):
        if not buffer:
            buffer.extend(rng.choice(TOKENS))
            continue
        at = rng.randrange(len(buffer))
        kind = rng.randrange(6)
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                spot = rng.randrange(len(buffer))
                buffer[spot] ^= 1 << rng.randrange(8)
        elif kind == 1:
            span = rng.randint(1, 64)
            buffer[at : at + span] = bytes(rng.randrange(256) for _ in range(min(span, len(buffer) - at)))
        elif kind == 2:
            del buffer[rng.randrange(len(buffer) // 2, len(buffer)) :]
        elif kind == 3:
            del buffer[at : at + rng.randint(1, 512)]
        elif kind == 4:
            span = bytes(buffer[at : at + rng.randint(1, 256)])
            buffer[rng.randrange(len(buffer)) : 0] = span * rng.randint(1, 4)
        else:
            buffer[at:at] = rng.choice(TOKENS)
    return bytes(buffer)


def _mutate_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        kind = rng.randrange(5)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(j, lines[i])
        elif kind == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            lines[i] = re.sub(rb"\d+(\.\d+)?", rng.choice(TOKENS[3:8]), lines[i], count=1)
        else:
            lines[i] = lines[i].replace(b"\t", rng.choice([b"", b"\t\t", b"|", b" "]))
        if not lines:
            lines = [b""]
    return b"\n".join(lines)


def _mutate_part(data: bytes, rng: random.Random) -> bytes:
    """The zip rewritten with one XML part damaged (attribute values, elements, or cut short)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    targets = [n for n, (info, _) in enumerate(items) if ZIP_PARTS.match(info.filename)] or list(
        range(len(items))
    )
    index = rng.choice(targets)
    info, xml = items[index]
    kind = rng.randrange(4)
    if kind == 0:
        values = list(re.finditer(rb'(\b[\w:]+=")([^"]*)"', xml))
        for match in rng.sample(values, min(len(values), rng.randint(1, 6))):
            xml = xml.replace(match.group(0), match.group(1) + rng.choice(ODD_VALUES).encode() + b'"', 1)
    elif kind == 1:
        tags = list(
            re.finditer(rb"<(w:tc|w:tr|w:p|c|row|si|w:gridCol|mergeCell)\b[^>]*?(/>|>.*?</\1>)", xml, re.S)
        )
        if tags:
            match = rng.choice(tags)
            copies = rng.choice([0, 2, 5, 40])
            xml = xml[: match.start()] + match.group(0) * copies + xml[match.end() :]
    elif kind == 2:
        xml = xml[: rng.randrange(len(xml) + 1)]
    else:
        xml = mutate_bytes(xml, rng, rounds=rng.randint(1, 3))
    items[index] = (info, xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for item, content in items:
            package.writestr(item, content)
    return out.getvalue()
