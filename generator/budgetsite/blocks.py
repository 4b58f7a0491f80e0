"""Neutral blocks: what every reader emits and every recognizer consumes.

A reader knows its file format and nothing about budgets; a recognizer knows budgets and nothing about
file formats. These four block types are the whole vocabulary between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A line the source marks as a heading (Word style, bold title line, Markdown #)."""

    text: str
    level: int = 1
    page: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """A run of body text (one paragraph; lines already joined)."""

    text: str
    page: int | None = None


@dataclass(frozen=True)
class RawTable:
    """A grid of cell texts as found: header rows included, merged cells expanded, nothing parsed.

    Cells are stripped strings ("" for an empty cell). `page` is the 1-based source page where the
    table (or this piece of it) starts, when the format has pages.
    """

    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None


@dataclass(frozen=True)
class PageBreak:
    """A page boundary in paged sources (PDF, PDF-to-text conversions)."""

    page: int


Block = Heading | Paragraph | RawTable | PageBreak
