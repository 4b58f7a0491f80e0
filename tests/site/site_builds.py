"""Build a site around one edited disclosure: the fixture's 邢台 2023, changed by a test, written into a
content tree the way ingest writes it (content.tree.write_disclosure) and built."""

from __future__ import annotations

from pathlib import Path

from budgetsite.config import load_config
from budgetsite.content.tree import Original, load_disclosure, sha256_file, write_disclosure
from budgetsite.model import Disclosure
from budgetsite.site.build import build

XINGTAI_2023 = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "site_content"
    / "xingtaishi-gongyehexinxihuaju"
    / "2023"
)


def xingtai_2023() -> Disclosure:
    """The fixture disclosure 邢台 2023 (its slug set), for a test to change."""
    disclosure = load_disclosure(XINGTAI_2023)
    disclosure.slug = XINGTAI_2023.parent.name
    return disclosure


def build_with(disclosure: Disclosure, root: Path) -> tuple[Path, Path]:
    """Write `disclosure` (with the fixture's source.txt as its original) into root/content and build the
    site into root/output; returns (its content folder, its folder in the built site)."""
    source = XINGTAI_2023 / "source.txt"
    write_disclosure(disclosure, [Original(source, sha256_file(source), "txt")], root / "content")
    build(load_config(root, content=str(root / "content"), output=str(root / "output")), quiet=True)
    folder = Path(disclosure.slug or "") / str(disclosure.year)
    return root / "content" / folder, root / "output" / "departments" / folder
