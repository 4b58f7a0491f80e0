"""DOCX reader (python-docx): paragraphs with heading levels, tables with merged cells expanded."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from budgetsite.blocks import Block, Heading, Paragraph, RawTable
from budgetsite.errors import InputError
from budgetsite.read import ReadResult
from budgetsite.read.docx_numbering import Numbering, paragraph_numbering
from budgetsite.read.pdf_tables import blank_body_spans

if TYPE_CHECKING:  # python-docx is imported only when a .docx is read
    from docx.document import Document
    from docx.text.paragraph import Paragraph as DocxParagraph
    from lxml import etree


def qn(tag: str) -> str:
    """Clark name of a WordprocessingML tag ("w:tc" → "{…/main}tc"), without importing python-docx."""
    prefix, name = tag.split(":")
    return f"{{{_NAMESPACES[prefix]}}}{name}"


_NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.IGNORECASE)


class DocxReader:
    """Read a Word .docx file into neutral blocks."""

    extensions: tuple[str, ...] = (".docx",)

    def read(self, path: Path) -> ReadResult:
        """Read `path`; InputError for a file that is no readable .docx."""
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from lxml import etree

        try:
            document = docx.Document(str(path))
        except (
            PackageNotFoundError,
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            etree.XMLSyntaxError,
        ) as error:
            raise InputError(
                f"not a readable .docx file ({type(error).__name__})",
                path=path,
                hint="open and re-save it in Word or LibreOffice as .docx",
            ) from None
        except OSError as error:
            raise InputError(f"cannot read file ({error.strerror})", path=path) from None
        return ReadResult(blocks=list(_blocks(document)), format="docx")


def _blocks(document: Document) -> list[Block]:
    from docx.text.paragraph import Paragraph as DocxParagraph

    numbering = Numbering(_numbering_xml(document))
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = DocxParagraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            numbered = _numbering_of(paragraph)
            if numbered:
                # Word's automatic "一、" / "（一）" is not in the text; the section recognizer needs it.
                text = numbering.label(*numbered) + text
            level = _heading_level(paragraph)
            blocks.append(Heading(text, level) if level else Paragraph(text))
        elif child.tag == qn("w:tbl"):
            rows = table_grid(child)
            if rows:
                blocks.append(RawTable(rows=rows))
    return blocks


def _numbering_xml(document: Document) -> etree._Element | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _numbering_of(paragraph: DocxParagraph) -> tuple[str, int] | None:
    """The list a paragraph is numbered in: its own numPr, else its style's (heading styles carry one)."""
    own = paragraph_numbering(paragraph._p.pPr)
    if own is not None:
        return own
    style = paragraph.style
    while style is not None:
        found = paragraph_numbering(style.element.pPr)
        if found is not None:
            return found
        style = style.base_style
    return None


def _heading_level(paragraph: DocxParagraph) -> int | None:
    """Heading level from the style name ("Heading 2", "标题 2") or an outline level in the paragraph/style."""
    style = paragraph.style
    while style is not None:
        match = _HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(2))
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level
        style = style.base_style
    return _outline_level(paragraph._p.pPr)


def _outline_level(ppr: etree._Element | None) -> int | None:
    if ppr is None:
        return None
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        return None
    value = int(outline.get(qn("w:val"), "9"))
    return value + 1 if value < 9 else None  # 9 = body text


def table_grid(table: etree._Element) -> list[list[str]]:
    """A w:tbl as a full grid: gridSpan repeated across (header rows), vMerge continued down."""
    rows: list[list[str]] = []
    spanned: list[list[bool]] = []
    for tr in table.iterchildren(qn("w:tr")):
        row: list[str] = [""] * _grid_count(tr, "w:gridBefore")
        spans = [False] * len(row)
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = 1
            merge = None
            if tcpr is not None:
                grid_span = tcpr.find(qn("w:gridSpan"))
                span = int(grid_span.get(qn("w:val"), "1")) if grid_span is not None else 1
                v_merge = tcpr.find(qn("w:vMerge"))
                if v_merge is not None:
                    merge = v_merge.get(qn("w:val"), "continue")
            column = len(row)
            if merge == "continue" and rows and column < len(rows[-1]):
                # A vertically merged cell: the text sits in the first cell of the merge, above.
                text = rows[-1][column]
            else:
                text = _cell_text(tc)
            row.extend([text] * span)
            spans.extend([False] + [True] * (span - 1))
        after = _grid_count(tr, "w:gridAfter")
        row.extend([""] * after)
        spans.extend([False] * after)
        rows.append(row)
        spanned.append(spans)
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    spanned = [spans + [False] * (width - len(spans)) for spans in spanned]
    blank_body_spans(rows, spanned)
    return [row for row in rows if any(row)]


def _grid_count(tr: etree._Element, tag: str) -> int:
    trpr = tr.find(qn("w:trPr"))
    element = trpr.find(qn(tag)) if trpr is not None else None
    return int(element.get(qn("w:val"), "0")) if element is not None else 0


def _cell_text(tc: etree._Element) -> str:
    # Paragraphs inside a Word cell are deliberate line breaks (numbered 绩效目标), not wraps: keep them.
    lines = ["".join(node.text or "" for node in p.iter(qn("w:t"))).strip() for p in tc.iter(qn("w:p"))]
    return "\n".join(line for line in lines if line)
