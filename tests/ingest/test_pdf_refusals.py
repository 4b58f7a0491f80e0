"""Files ingest cannot read (issue 5 point 6): one clear line, exit 1, nothing written — via the real CLI.

Fixtures from tests/fixtures/make_office_fixtures.py: a page rendered by pdftoppm and wrapped into a PDF
by Pillow (no text layer), qpdf --encrypt, the first half of a PDF, fonts stripped of their ToUnicode map,
and LibreOffice's --convert-to doc.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES, XUSHUI_2024

from budgetsite.cli import main
from budgetsite.errors import InputError
from budgetsite.read.pdf import PdfReader


def refused_line(source: Path, tmp_path: Path) -> str:
    """Ingest `source` with a good file beside it: exit 1, one error line, only the good file written."""
    content = tmp_path / "content"
    result = CliRunner().invoke(
        main, ["ingest", str(XUSHUI_2024), str(source), "--content", str(content), "-q"]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    assert [p.name for p in content.glob("*/*")] == ["2024"]  # the good file (issue 9: batches go on)
    assert lines[0].startswith(f"error: {source}")
    return lines[0]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("scanned_no_text.pdf", "no text layer (scanned images only) — run OCR first, e.g. ocrmypdf"),
        ("encrypted.pdf", "encrypted PDF (needs a password)"),
        ("truncated.pdf", "truncated PDF"),
        ("cid_no_unicode_map.pdf", "the font has no Unicode map"),
        ("old_word_format.doc", "old binary .doc format is not supported — convert it to .docx"),
    ],
)
def test_bad_file_refused_with_one_line(fixture: str, expected: str, tmp_path: Path) -> None:
    assert expected in refused_line(FIXTURES / fixture, tmp_path)


def test_old_excel_format_refused(tmp_path: Path) -> None:
    old = tmp_path / "tables.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # an OLE2 header, as .xls files start
    assert "old binary .xls format is not supported — convert it to .xlsx" in refused_line(old, tmp_path)


def test_corrupt_pdf_with_intact_ends_refused(tmp_path: Path) -> None:
    data = (FIXTURES / "hebei_xushui_2024.pdf").read_bytes()
    middle = len(data) // 2
    corrupt = tmp_path / "corrupt.pdf"
    # Header and trailer intact, the object data in between overwritten.
    corrupt.write_bytes(data[:1000] + b"\x00garbage" * ((middle - 1000) // 8) + data[-600:])
    line = refused_line(corrupt, tmp_path)
    assert "corrupt PDF" in line or "no text layer" in line


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    fake = tmp_path / "report.pdf"
    fake.write_text("这不是PDF文件", encoding="utf-8")
    with pytest.raises(InputError) as error:
        PdfReader().read(fake)
    assert error.value.line() == f"{fake}: not a PDF file (no %PDF- header) — check the file type"


def test_partly_scanned_pdf_reads_and_names_the_image_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pypdf import PdfReader as PypdfReader
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_page(PypdfReader(FIXTURES / "unruled_table.pdf").pages[0])
    writer.add_page(PypdfReader(FIXTURES / "scanned_no_text.pdf").pages[0])
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    with caplog.at_level("WARNING", logger="budgetsite.read.pdf"):
        blocks = PdfReader().read(mixed).blocks
    assert any(getattr(b, "text", "") == "部门预算支出总表" for b in blocks)
    assert "pages without text (images only): 2 —" in caplog.text
