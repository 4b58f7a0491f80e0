"""Layouts of real Jiangsu and Shanghai disclosures that once broke ingest (issue 9), one test per class."""

from __future__ import annotations

from budgetsite.read.pdf_tables import _cell_text


def test_cell_holding_only_spaces_reads_as_empty() -> None:
    """js-fayuan-2018 pads empty ruled cells with space characters; such a cell once crashed the reader
    (and was reported as a corrupt PDF)."""
    spaces = [
        {"text": " ", "x0": 10.0 + k * 3, "x1": 13.0 + k * 3, "top": 20.0, "bottom": 30.0, "size": 10.0}
        for k in range(3)
    ]
    assert _cell_text(spaces, (0.0, 15.0, 100.0, 35.0), 1) == ("", False)
