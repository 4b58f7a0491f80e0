"""The golden site: a small content tree built by budgetsite, its output committed in tests/golden/site/.

Pelican's tests/output/basic: every test run builds it again and compares byte for byte
(tests/site/test_golden_site.py), so a change to what a page says shows up as a diff to read instead of
"byte-identical" claimed in a commit message. Each file is stored as <its path>.golden (generated pages
are not source: code tools such as `duplicates` skip them). After a change that alters pages on purpose,
regenerate and review the diff:

    python3 tests/golden/golden_site.py

Input: one department-year of the hand-written fixture tree (邢台 2023: narrative with <script>, 三公
table, glossary, one project) and its hand-written page, built for https://budget.example.gov.cn/budget/.
Left out of the comparison: the Pagefind index (hashed file names), the theme's static files and the
original file and data.json (verbatim copies), and the SQLite file (binary; its rows are tested in
test_site_downloads).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site_content"
GOLDEN = REPO / "tests" / "golden" / "site"
DEPT_YEAR = Path("xingtaishi-gongyehexinxihuaju") / "2023"
BASE_URL = "/budget/"
SITE_URL = "https://budget.example.gov.cn"  # canonical links, Open Graph tags and sitemap.xml need a host
UNCOMPARED_FOLDERS = ("pagefind", "static")  # and every search bundle, pagefind-<year>-<region hash>
UNCOMPARED_NAMES = ("data.json", "source.txt", "budgetsite.sqlite")
SUFFIX = ".golden"


def build_golden_site(work: Path) -> Path:
    """Build the golden site's input inside `work`; returns the output folder."""
    from budgetsite.config import load_config
    from budgetsite.site.build import build

    content = work / "content"
    shutil.copytree(FIXTURE / DEPT_YEAR, content / DEPT_YEAR)
    shutil.copytree(FIXTURE / "pages", content / "pages")
    config = load_config(
        work, content=str(content), output=str(work / "output"), base_url=BASE_URL, site_url=SITE_URL
    )
    build(config, quiet=True)
    return config.output


def compared_files(output: Path) -> dict[str, bytes]:
    """Relative path → bytes of every output file the golden comparison covers."""
    files = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output)
        if (
            path.is_file()
            and relative.parts[0] not in UNCOMPARED_FOLDERS
            and not relative.parts[0].startswith("pagefind-")
            and path.name not in UNCOMPARED_NAMES
        ):
            files[relative.as_posix()] = path.read_bytes()
    return files


def golden_files() -> dict[str, bytes]:
    """Relative output path → bytes of the committed golden site."""
    return {
        path.relative_to(GOLDEN).as_posix().removesuffix(SUFFIX): path.read_bytes()
        for path in sorted(GOLDEN.rglob(f"*{SUFFIX}"))
    }


def regenerate() -> None:
    """Replace tests/golden/site/ with a fresh build."""
    with tempfile.TemporaryDirectory() as work:
        files = compared_files(build_golden_site(Path(work)))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for relative, data in files.items():
        target = GOLDEN / (relative + SUFFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(files)} files to {GOLDEN.relative_to(REPO)}/ — review them with git diff")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "generator"))
    regenerate()
