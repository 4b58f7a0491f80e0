"""Where the suite finds the sample disclosures and the data.json schema.

Committed copies of ../shared/disclosures/*.txt and ../shared/schema/disclosure.schema.json, so the suite runs
on any clone; tests/ingest/test_shared_copies.py keeps them identical to shared/ wherever shared/ is present.
"""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"
SCHEMA = FIXTURES / "disclosure.schema.json"
# The development corpus of real files (../shared/disclosures/corpus/, 24 files, 9 MB: too big to commit).
# CI and every developer machine have ../shared beside the clone.
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures" / "corpus"
