"""Hostile and damaged source files (issue 13 §2, §5): one line naming the file, the problem and the
option or remedy; bounded time and memory; nothing written; a bug in budgetsite said to be one.

Every input is made here from the committed fixtures with zipfile/python-docx/openpyxl, so each test
shows the exact bytes it feeds in.
"""

from __future__ import annotations

import re
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES, HENGSHUI_2020, HENGSHUI_SLUG

from budgetsite.cli import main
from budgetsite.errors import InputError
from budgetsite.read import raised_in, reader_for
from budgetsite.read.pdf_text import Line
from budgetsite.read.pdf_whitespace import _table_from_run

DOCX = FIXTURES / "hebei_xushui_2024.docx"


def ingest(*args: str | Path) -> tuple[int, list[str], Path]:
    """Run `budgetsite ingest ARGS -q` into a fresh content folder; (exit code, output lines, content)."""
    runner = CliRunner()
    content = Path(runner.isolated_filesystem().__enter__()) / "content"
    result = runner.invoke(main, ["ingest", *map(str, args), "--content", str(content), "-q"])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.strip().splitlines(), content


def refused(source: Path, *options: str) -> str:
    """Ingest `source`: exit 1, exactly one line starting with the file, no content written."""
    code, lines, content = ingest(source, *options)
    assert code == 1, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {source}: "), lines
    assert not content.exists()
    return lines[0]


def rewrite_part(source: Path, target: Path, part: str, edit) -> Path:
    """Copy the zip `source` to `target` with member `part` replaced by edit(old bytes)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, edit(data) if item.filename == part else data)
    return target


def with_first_grid_span(value: str):
    """An edit of word/document.xml giving the first table cell <w:gridSpan w:val=value/>."""

    def edit(xml: bytes) -> bytes:
        return re.sub(
            rb"<w:tc>(<w:tcPr>)?",
            lambda m: (
                b'<w:tc><w:tcPr><w:gridSpan w:val="'
                + value.encode()
                + b'"/>'
                + (b"" if m.group(1) else b"</w:tcPr>")
            ),
            xml,
            count=1,
        )

    return edit


# --- §2 limits -------------------------------------------------------------------------------------


def test_huge_grid_span_is_refused_by_the_span_limit(tmp_path: Path) -> None:
    bomb = rewrite_part(DOCX, tmp_path / "span.docx", "word/document.xml", with_first_grid_span("100000000"))
    started = time.perf_counter()
    line = refused(bomb)
    assert "a table cell spanning 100,000,000 columns is over the limit span=1000" in line
    assert line.endswith("if the file is genuine, raise it with --limit span=N")
    assert time.perf_counter() - started < 20


def test_huge_grid_span_past_a_raised_limit_hits_the_memory_cap(tmp_path: Path) -> None:
    # 100,000,000 columns need ~800 MB for the row alone: the child's memory cap stops it, not the machine.
    bomb = rewrite_part(DOCX, tmp_path / "span.docx", "word/document.xml", with_first_grid_span("100000000"))
    line = refused(bomb, "--limit", "span=200000000", "--limit", "memory_mb=200")
    assert "the memory to read it is over the limit memory_mb=200" in line


def test_grid_span_that_is_no_number_is_one_line(tmp_path: Path) -> None:
    broken = rewrite_part(DOCX, tmp_path / "abc.docx", "word/document.xml", with_first_grid_span("abc"))
    assert "damaged Word table: w:gridSpan is 'abc', not a number" in refused(broken)


def test_xlsx_cell_at_xfd1048576_is_refused_fast(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "部门预算收支总表"
    sheet["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 20_000
    started = time.perf_counter()
    line = refused(path)
    assert "sheet 'Sheet' (1,048,576 rows × 16,384 columns) is over the limit cells=2000000" in line
    assert time.perf_counter() - started < 20


def test_zip_bomb_docx_is_refused_by_its_ratio(tmp_path: Path) -> None:
    # 300 MiB of one repeated paragraph deflates to ~300 KB: a ratio of ~1000:1.
    paragraph = b"<w:p><w:r><w:t>\xe9\xa2\x84\xe7\xae\x97</w:t></w:r></w:p>"
    body = paragraph * (300 * 2**20 // len(paragraph))
    bomb = rewrite_part(
        DOCX,
        tmp_path / "bomb.docx",
        "word/document.xml",
        lambda xml: xml.replace(b"<w:body>", b"<w:body>" + body, 1),
    )
    assert bomb.stat().st_size < 2 * 2**20
    line = refused(bomb)
    assert "the unpacked size (30" in line and "over the limit unpacked_mb=256" in line


def test_zip_part_with_a_high_ratio_is_refused_under_the_size_limit(tmp_path: Path) -> None:
    filler = b"<w:p/>" * (20 * 2**20 // 6)  # 20 MiB, far under unpacked_mb, compressed ~1000:1
    bomb = rewrite_part(
        DOCX,
        tmp_path / "ratio.docx",
        "word/document.xml",
        lambda xml: xml.replace(b"<w:body>", b"<w:body>" + filler, 1),
    )
    line = refused(bomb)
    assert "the compression ratio of word/document.xml" in line and "over the limit ratio=200" in line


def test_200_mb_text_file_is_refused_by_size_at_once(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 2**20)
    started = time.perf_counter()
    assert "the file (200 MB) is over the limit file_mb=50" in refused(big)
    assert time.perf_counter() - started < 10


def test_slow_file_is_stopped_by_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from budgetsite.read.text import TextReader

    # A reader stuck for a minute, as pdfminer's byte-wise decompress_corrupted is on a damaged PDF; the
    # forked child inherits the patch and the parent kills it when the limit is up.
    monkeypatch.setattr(TextReader, "read", lambda self, path, limits=None: time.sleep(60))
    started = time.perf_counter()
    line = refused(HENGSHUI_2020, "--limit", "seconds=1")
    assert line.endswith(
        "the time to read it is over the limit seconds=1 — if the file is genuine, raise it with --limit seconds=N"
    )
    assert time.perf_counter() - started < 15


def test_bad_limit_option_is_one_line() -> None:
    code, lines, _ = ingest(HENGSHUI_2020, "--limit", "pages=lots")
    assert code == 1
    assert lines == [
        "error: bad --limit 'pages=lots' — write NAME=POSITIVE-INTEGER with NAME one of cells, file_mb, "
        "memory_mb, pages, ratio, seconds, span, unpacked_mb"
    ]


def test_pdf_page_limit(tmp_path: Path) -> None:
    line = refused(FIXTURES / "hebei_xushui_2024.pdf", "--limit", "pages=2")
    assert re.search(r"the page count \(\d+\) is over the limit pages=2", line)


# --- §5 damaged files: one line, never a traceback ------------------------------------------------


def test_docx_with_damaged_deflate_stream_is_one_line(tmp_path: Path) -> None:
    # zlib.error: the compressed bytes of word/document.xml overwritten in the middle.
    data = bytearray(DOCX.read_bytes())
    with zipfile.ZipFile(DOCX) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 100 : start + 400] = b"\xff" * 300
    broken = tmp_path / "zlib.docx"
    broken.write_bytes(bytes(data))
    with pytest.raises(zlib.error):  # what the parser really raises for these bytes
        zipfile.ZipFile(broken).read("word/document.xml")
    assert "not a readable .docx file" in refused(broken)


def test_docx_claiming_a_future_zip_version_is_one_line(tmp_path: Path) -> None:
    # "zip file version 9.9": the central directory's version-needed field of every member set to 99.
    data = bytearray(DOCX.read_bytes())
    for match in re.finditer(rb"PK\x01\x02", bytes(data)):
        data[match.start() + 6] = 99
    broken = tmp_path / "version.docx"
    broken.write_bytes(bytes(data))
    with pytest.raises(NotImplementedError, match="zip file version"):
        zipfile.ZipFile(broken).read("word/document.xml")
    assert "not a readable .docx file (NotImplementedError)" in refused(broken)


def test_xlsx_with_malformed_sheet_xml_is_one_line(tmp_path: Path) -> None:
    source = FIXTURES / "hebei_xushui_2024_tables.xlsx"
    broken = rewrite_part(
        source, tmp_path / "parse.xlsx", "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]
    )
    assert "not a readable .xlsx workbook" in refused(broken)


def test_pdf_whitespace_table_with_a_zero_width_segment() -> None:
    # A zero-width text segment (x0 == x1) made next() raise StopIteration (pdf_whitespace.py:52).
    def line(top: float, segments: list[tuple[float, float, str]]) -> Line:
        return Line(
            " ".join(s[2] for s in segments),
            top,
            top + 10,
            segments[0][0],
            segments[-1][1],
            10,
            False,
            1,
            segments,
        )

    run = [
        line(0, [(0, 20, "科目"), (50, 70, "合计"), (100, 120, "基本")]),
        line(12, [(0, 20, "201"), (60, 60, ""), (100, 120, "3.5")]),
    ]
    piece = _table_from_run(run, 1)
    assert piece is not None
    assert piece.rows == [["科目", "合计", "基本"], ["201", "", "3.5"]]


# --- a bug in budgetsite is said to be one ---------------------------------------------------------


def test_exception_in_pdf_page_code_is_a_budgetsite_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    import budgetsite.read.pdf as pdf_module

    def broken_page(page):
        raise KeyError("bbox")

    # The child process is forked: it inherits the patched page code.
    monkeypatch.setattr(pdf_module, "_read_page", broken_page)
    source = FIXTURES / "hebei_xushui_2024.pdf"
    line = refused(source)
    assert "internal error KeyError: 'bbox' on page 1 — this is a bug in budgetsite" in line
    assert "corrupt" not in line and "intact copy" not in line
    log = Path(re.search(r"traceback in (\S+)\)", line).group(1))
    assert "broken_page" in log.read_text(encoding="utf-8")
    log.unlink()


def test_exception_from_the_pdf_parser_is_a_damaged_file() -> None:
    namespace = {"__name__": "pdfminer.fake"}
    exec("def parse():\n    return {}['missing']", namespace)  # a KeyError raised in pdfminer's code
    try:
        namespace["parse"]()
    except KeyError as error:
        assert raised_in(error, ("pdfminer",))
    try:
        {}["missing"]  # the same exception raised here, outside pdfminer
    except KeyError as error:
        assert not raised_in(error, ("pdfminer",))


@pytest.mark.parametrize(
    ("module", "error", "expected"),
    [
        # budgetsite's own module fails to import: a bug, raised as it is (not "unsupported file type")
        (
            "budgetsite.read.pdf",
            ImportError("cannot import name 'x'", name="budgetsite.read.pdf_tables"),
            ImportError,
        ),
        # a third-party package is missing: the user can fix that
        ("budgetsite.read.docx", ModuleNotFoundError("No module named 'docx'", name="docx"), InputError),
    ],
)
def test_reader_registry_swallows_only_missing_third_party_packages(
    module: str, error: ImportError, expected: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def failing(name: str, *args):
        if name == module:
            raise error
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", failing)
    with pytest.raises(expected) as raised:
        reader_for(Path("a." + module.rsplit(".", 1)[1]))
    if expected is InputError:
        assert "reading .docx files needs the Python package docx, which is not installed" in str(
            raised.value
        )


def test_internal_error_in_a_command_is_one_line_with_a_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import budgetsite.content.review as review

    def crash(content_dir, **options):
        raise AttributeError("'NoneType' object has no attribute 'rows'")

    monkeypatch.setattr(review, "report_checks", crash)
    result = CliRunner().invoke(main, ["check", "--content", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(
        "error: internal error AttributeError: 'NoneType' object has no attribute 'rows'"
    )
    assert "this is a bug in budgetsite" in lines[0]
    log = Path(re.search(r"traceback in (\S+)\)", lines[0]).group(1))
    assert "AttributeError" in log.read_text(encoding="utf-8")
    log.unlink()


# --- batches (issue 9) -----------------------------------------------------------------------------


def test_batch_ingests_good_files_lists_failures_last_and_skipped_files(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a-good.txt").write_bytes(HENGSHUI_2020.read_bytes())
    (sources / "b-empty.txt").write_bytes(b"")
    (sources / "c-minutes.txt").write_bytes((FIXTURES / "not_a_disclosure.txt").read_bytes())
    (sources / "d-old.doc").write_bytes((FIXTURES / "old_word_format.doc").read_bytes())
    content = tmp_path / "content"
    result = CliRunner().invoke(main, ["ingest", str(sources), "--content", str(content)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("Reading")]
    assert lines[0].startswith(f"衡水市工业和信息化局 2020 → {content / HENGSHUI_SLUG / '2020'} (new)")
    assert (
        lines[1]
        == f"skipped {sources / 'd-old.doc'}: old binary .doc format — convert it to .docx (e.g. `libreoffice --headless --convert-to docx FILE`)"
    )
    assert lines[2].startswith(f"error: {sources / 'b-empty.txt'}: the file is empty")
    assert lines[3].startswith(f"error: {sources / 'c-minutes.txt'}: ")
    assert lines[4] == "2 failed, 1 department-year(s) ingested from 3 files"
    assert len(lines) == 5
    assert (content / HENGSHUI_SLUG / "2020" / "data.json").is_file()


# --- a fraction of a disclosure --------------------------------------------------------------------


def test_text_cut_short_warns_that_it_looks_incomplete(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The probe's case: sample 000 cut at 7,734 bytes still ingests, as "1 tables, 0 projects".
    cut = tmp_path / "cut.txt"
    cut.write_bytes(HENGSHUI_2020.read_bytes()[:7734])
    result = CliRunner().invoke(main, ["ingest", str(cut), "--content", str(tmp_path / "content")])
    assert result.exit_code == 0, result.output
    assert (
        f"{cut}: the document looks incomplete: it ends mid-sentence (“…2020年，我部门机”) — "
        "check that the file is whole" in caplog.text
    )
    assert "1 tables, 0 projects" in result.output


@pytest.mark.parametrize("sample", sorted((FIXTURES / "samples").glob("*.txt")), ids=lambda p: p.name[:3])
def test_whole_samples_do_not_look_incomplete(
    sample: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    result = CliRunner().invoke(main, ["ingest", str(sample), "--content", str(tmp_path / "content")])
    assert result.exit_code == 0 and "looks incomplete" not in caplog.text


def test_pdf_with_a_non_number_in_its_media_box_is_one_line(tmp_path: Path) -> None:
    # pdfplumber's MalformedPDFException ("Bounding box contains non-number coordinate(s)"): the first
    # page's /MediaBox[0 0 612 792] made /MediaBox[0 0 (W) 792], same length, so the xref stays valid.
    data = (FIXTURES / "unruled_table.pdf").read_bytes()
    assert data.count(b"/MediaBox[0 0 612 792]") >= 1
    broken = tmp_path / "mediabox.pdf"
    broken.write_bytes(data.replace(b"/MediaBox[0 0 612 792]", b"/MediaBox[0 0 (W) 792]", 1))
    assert "corrupt PDF (MalformedPDFException) — get an intact copy of the file" in refused(broken)


def test_pdf_without_any_media_box_is_a_damaged_file_not_a_bug(tmp_path: Path) -> None:
    # Found by the long fuzz run (pdf:498): pdfplumber builds its pages with a TypeError on a missing
    # /MediaBox — raised by the parser while opening the file, not by budgetsite's page code.
    data = (FIXTURES / "unruled_table.pdf").read_bytes()
    data = data.replace(b"/MediaBox[0 0 612 792]", b" " * 22).replace(b"/MediaBox[ 0 0 612 792 ]", b" " * 24)
    broken = tmp_path / "no-mediabox.pdf"
    broken.write_bytes(data)
    assert "corrupt PDF (TypeError) — get an intact copy of the file" in refused(broken)


def test_linear_decompress_corrupted_matches_pdfminer_and_is_fast() -> None:
    # The probe's "3.6 MB PDF with one byte changed: 200 s instead of 2 s" (528 s here on
    # 11_SH_putuo_caizhengju_2024_dept_final.pdf, a byte of its 3.4 MB stream's checksum flipped).
    import random

    import pdfminer.pdftypes

    from budgetsite.read import pdf as pdf_module
    from budgetsite.read.pdf import decompress_corrupted

    # pdfminer's own, whether or not a PDF was read in this process already (that patches it).
    pdfminer_version = pdf_module._PDFMINER_ORIGINALS.get(
        "decompress_corrupted", pdfminer.pdftypes.decompress_corrupted
    )
    assert pdfminer_version is not decompress_corrupted

    rng = random.Random(13)
    text = "".join(rng.choice("预算支出合计0123456789 \n") for _ in range(20_000)).encode()
    stream = zlib.compress(text)
    bad_checksum = stream[:-2] + bytes([stream[-2] ^ 0xFF]) + stream[-1:]
    bad_middle = stream[:100] + b"\xff\xff\xff\xff" + stream[104:]
    for data in (stream, bad_checksum, stream[:-1], b"", b"x"):
        assert decompress_corrupted(data) == pdfminer_version(data)
    assert decompress_corrupted(bad_checksum) == text
    with pytest.raises(zlib.error):
        pdfminer_version(bad_middle)
    with pytest.raises(zlib.error):
        decompress_corrupted(bad_middle)
    big = zlib.compress(text * 200)  # 4 MB of text, as in the probe's PDF
    big = big[:-2] + bytes([big[-2] ^ 0xFF]) + big[-1:]
    started = time.perf_counter()
    assert decompress_corrupted(big) == text * 200
    assert time.perf_counter() - started < 2
