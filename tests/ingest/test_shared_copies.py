"""The committed sample and schema copies stay identical to ../shared/ (the design's source of truth)."""

from pathlib import Path

import pytest

from budgetsite.content.tree import SCHEMA_PATH
from samples import SAMPLES, SCHEMA

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared beside this clone")
def test_committed_copies_equal_shared() -> None:
    assert SCHEMA.read_bytes() == (SHARED / "schema" / "disclosure.schema.json").read_bytes()
    # The package's copy, which build and check validate data.json against.
    assert SCHEMA.read_bytes() == SCHEMA_PATH.read_bytes()
    shared_samples = sorted((SHARED / "disclosures").glob("*.txt"))
    assert [p.name for p in shared_samples] == sorted(p.name for p in SAMPLES.glob("*.txt"))
    for shared in shared_samples:
        assert (SAMPLES / shared.name).read_bytes() == shared.read_bytes(), shared.name
