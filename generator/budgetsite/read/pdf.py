"""PDF reader (pdfplumber): text in reading order, ruled tables, continued tables joined, debris dropped."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budgetsite.blocks import Block, Heading, PageBreak, Paragraph, RawTable
from budgetsite.errors import InputError
from budgetsite.read import ReadResult, raised_in
from budgetsite.read.cjk import join_wrapped
from budgetsite.read.limits import DEFAULT_LIMITS, LimitError, Limits
from budgetsite.read.pdf_tables import (
    TablePiece,
    continues,
    join_continuation,
    piece_from_table,
    ruling_settings,
    without_background_fills,
)
from budgetsite.read.pdf_text import (
    Line,
    TextRun,
    drop_headers_and_footers,
    page_lines,
    paragraphs,
    running_lines,
    uses_first_line_indent,
)
from budgetsite.read.pdf_whitespace import whitespace_tables

if TYPE_CHECKING:
    from pdfplumber.page import Page

log = logging.getLogger(__name__)

_OCR_HINT = "run OCR first, e.g. ocrmypdf"
# Share of characters extracted as "(cid:N)" above which the text is unusable.
_CID_SHARE = 0.05


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line]
    pieces: list[TablePiece]
    scanned: bool = False  # an image and no text: a page the text layer leaves out


class PdfReader:
    """Read a PDF with a text layer into neutral blocks."""

    extensions: tuple[str, ...] = (".pdf",)

    def read(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
        """Read `path`; InputError for scans, encrypted, truncated, damaged or font-garbled files.

        Only what the PDF parser raises for damaged bytes is a corrupt file; any other exception is a
        bug of budgetsite and goes through, with the page it happened on as a note.
        """
        # Imported here: pdfplumber costs a third of a second, and most runs read no PDF at all.
        import pdfplumber

        _linear_decompress_corrupted()

        _check_envelope(path)
        pages: list[_Page] = []
        in_page_code = False  # inside budgetsite's own page code (else: pdfplumber opening the file)
        try:
            with pdfplumber.open(path) as pdf:
                if len(pdf.pages) > limits.pages:
                    raise LimitError(f"the page count ({len(pdf.pages)})", "pages", limits.pages, path=path)
                for page in pdf.pages:
                    try:
                        in_page_code = True
                        pages.append(_read_page(page))
                        in_page_code = False
                    except Exception as error:
                        error.add_note(f"page {page.page_number}")
                        raise
        except InputError:
            raise
        except Exception as error:
            # Opening the file and building its pages (a /MediaBox that is missing …) is pdfplumber
            # parsing the bytes; inside our page code only the parser proper (pdfminer) speaks for them.
            parsers = ("pdfminer",) if in_page_code else ("pdfminer", "pdfplumber")
            if not _damaged_file(error, parsers):
                raise
            log.debug("reading %s failed", path, exc_info=True)
            raise _open_error(path, error) from None
        _check_text_layer(path, pages)
        return ReadResult(blocks=_blocks(pages), format="pdf")


def decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's decompress_corrupted, linear: the same bytes, the same errors, in one pass.

    pdfminer's feeds zlib one byte at a time and grows its result by concatenation — quadratic: a
    3.7 MB PDF with one byte of a stream's checksum changed took 528 s to read instead of 2. Its rule
    is kept: a zlib error before the last 3 bytes (the Adler-32 checksum) is raised, one within them
    returns what was decompressed.
    """
    import zlib

    decompressor = zlib.decompressobj()
    parts = [decompressor.decompress(data[: max(len(data) - 3, 0)])]  # raises where pdfminer raises
    try:
        for index in range(max(len(data) - 3, 0), len(data)):
            parts.append(decompressor.decompress(data[index : index + 1]))
    except zlib.error:
        log.warning("Data-loss while decompressing corrupted data")
    return b"".join(parts)


_PDFMINER_ORIGINALS: dict[str, object] = {}  # what was patched, kept for the equivalence test


def _linear_decompress_corrupted() -> None:
    import pdfminer.pdftypes

    if pdfminer.pdftypes.decompress_corrupted is not decompress_corrupted:
        _PDFMINER_ORIGINALS["decompress_corrupted"] = pdfminer.pdftypes.decompress_corrupted
        pdfminer.pdftypes.decompress_corrupted = decompress_corrupted


def _damaged_file(error: Exception, parsers: tuple[str, ...]) -> bool:
    """True for what the PDF parser raises on damaged bytes (not a bug of budgetsite's page code).

    `parsers`: the packages whose generic exceptions (KeyError, TypeError …) mean damaged bytes.
    """
    import zlib

    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    parser_errors = (
        PSException,
        PdfminerException,
        MalformedPDFException,
        PDFPasswordIncorrect,
        PDFEncryptionError,
        zlib.error,
        OSError,
    )
    if isinstance(error, parser_errors):
        return True
    # pdfminer reports broken object streams with whatever KeyError/TypeError/ValueError its parser hit.
    return raised_in(error, parsers)


def _check_envelope(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as error:
        raise InputError(f"cannot read file ({error.strerror})", path=path) from None
    if b"%PDF-" not in head:
        raise InputError("not a PDF file (no %PDF- header)", path=path, hint="check the file type")
    if b"%%EOF" not in tail:
        # A download cut short loses the cross-reference table at the end; pdfminer would silently
        # return whatever pages it can guess, so refuse instead.
        raise InputError("truncated PDF (no %%EOF at the end)", path=path, hint="download the file again")


def _open_error(path: Path, error: Exception) -> InputError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(cause).lower():
        return InputError(
            "encrypted PDF (needs a password)",
            path=path,
            hint="save an unencrypted copy, e.g. qpdf --decrypt",
        )
    return InputError(
        f"corrupt PDF ({type(cause).__name__})", path=path, hint="get an intact copy of the file"
    )


def _read_page(page: Page) -> _Page:
    # 01 (WPS) carries the text of other pages far outside this page's box; only what is on it counts.
    page = page.within_bbox(page.bbox)
    ruled = without_background_fills(page)
    pieces = [
        piece
        for table in ruled.find_tables(ruling_settings(ruled))
        if (piece := piece_from_table(table, page.chars, page.page_number)) is not None
    ]
    boxes = [piece.bbox for piece in pieces]
    chars = [char for char in page.chars if not any(_inside(char, box) for box in boxes)]
    lines = page_lines(chars, page.page_number)
    if not pieces:
        # No ruling at all: look for columns aligned by whitespace.
        pieces, lines = whitespace_tables(lines, page.page_number)
    scanned = not page.chars and bool(page.images)
    return _Page(page.page_number, float(page.height), lines, pieces, scanned)


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    middle_x = (char["x0"] + char["x1"]) / 2
    middle_y = (char["top"] + char["bottom"]) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _check_text_layer(path: Path, pages: list[_Page]) -> None:
    texts = [line.text for page in pages for line in page.lines]
    texts += [cell for page in pages for piece in page.pieces for row in piece.rows for cell in row]
    total = sum(len(text) for text in texts)
    if total == 0:
        raise InputError("no text layer (scanned images only)", path=path, hint=_OCR_HINT)
    scanned = [str(page.number) for page in pages if page.scanned]
    if scanned:
        # A partly scanned file still reads; say which pages were skipped so nobody trusts them silently.
        log.warning(
            "%s: pages without text (images only): %s — OCR them to include them", path, ", ".join(scanned)
        )
    garbled = sum(text.count("(cid:") * 8 for text in texts)
    if garbled > _CID_SHARE * total:
        raise InputError(
            "text comes out as (cid:N) codes: the font has no Unicode map",
            path=path,
            hint="OCR the file (e.g. ocrmypdf --force-ocr) or get a copy made with embedded Unicode fonts",
        )


def _blocks(pages: list[_Page]) -> list[Block]:
    running = running_lines([p.lines for p in pages], [p.height for p in pages])
    for page in pages:
        page.lines = drop_headers_and_footers(page.lines, page.height, running)
    all_lines = [line for page in pages for line in page.lines]
    sizes = Counter(line.size for line in all_lines)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0

    blocks: list[Block] = []
    open_table: TablePiece | None = None  # last block emitted was this table, at the end of its page
    open_run: TextRun | None = None  # last block emitted was this paragraph, at the end of its page
    open_index = 0
    page_runs = [paragraphs(page.lines, body_size, _right_edge(page.lines)) for page in pages]
    indents = uses_first_line_indent([run for runs in page_runs for run in runs])
    for page, runs in zip(pages, page_runs, strict=True):
        if page.number > 1:
            blocks.append(PageBreak(page.number))
        items: list[tuple[float, TextRun | TablePiece]] = [(run.top, run) for run in runs]
        items += [(piece.bbox[1], piece) for piece in page.pieces]
        items.sort(key=lambda item: item[0])
        for index, (_, item) in enumerate(items):
            if isinstance(item, TablePiece):
                if index == 0 and open_table is not None and continues(open_table, item):
                    join_continuation(open_table, item)
                    # The joined table now ends on this page: a third page may continue it.
                    open_table.page, open_table.bbox = item.page, item.bbox
                    continue
                blocks.extend(Paragraph(text, page.number) for text in item.lifted_lines)
                blocks.append(RawTable(rows=item.rows, page=item.page))
                open_table, open_run = item, None
            else:
                if index == 0 and open_run is not None and open_run.continued_by(item, indents):
                    # A paragraph broken by the page end: join it, keep it on the page where it starts.
                    open_run.text = join_wrapped([open_run.text, item.text])
                    open_run.open_end = item.open_end
                    blocks[open_index] = _text_block(open_run)
                    open_table = None
                    continue
                blocks.append(_text_block(item))
                open_run, open_index = item, len(blocks) - 1
                open_table = None
    return blocks


def _right_edge(lines: list[Line]) -> float:
    """Where justified body lines end on this page (a few long lines decide, not the widest one)."""
    ends = sorted(line.x1 for line in lines)
    return ends[int(len(ends) * 0.8)] if ends else 0.0


def _text_block(run: TextRun) -> Block:
    if run.heading_level is not None:
        return Heading(run.text, run.heading_level, run.page)
    return Paragraph(run.text, run.page)
