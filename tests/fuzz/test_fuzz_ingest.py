"""Fuzz suite (issue 13): damaged copies of real disclosures through the whole ingest pipeline.

For every case (a seeded mutant, see fuzz_mutations.py) ingest must:

* never raise (no traceback) and never report a budgetsite bug (InternalError) — a bad file is one line;
* stay within the documented reader limits, measured: the reading child's added memory and its time;
* on failure leave the content tree exactly as it was (half the cases start from an ingested tree);
* on success write data.json files that validate against the schema.

300 cases run in CI (a few minutes on 2 cores). The longer run is

    BUDGETSITE_FUZZ_CASES=3000 python3 -m pytest -q -s tests/fuzz

which prints one line of figures per format (cases, failures by kind, slowest, largest memory); a failing
seed is replayed with BUDGETSITE_FUZZ_SEED=<format>:<seed>.
"""

from __future__ import annotations

import itertools
import math
import os
import resource
import shutil
import time
import traceback
from collections import Counter
from pathlib import Path

import pytest
from fuzz_mutations import mutant

from budgetsite.content.ingest import ingest_sources
from budgetsite.content.tree import validate_data
from budgetsite.errors import InternalError
from budgetsite.model import load_json_text
from budgetsite.read.limits import DEFAULT_LIMITS, LimitError

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SAMPLES = FIXTURES / "samples"

# Format → (share of the cases, sources to mutate). Small PDFs mostly: a page of pdfminer costs.
FORMATS: dict[str, tuple[float, list[Path]]] = {
    "text": (
        0.40,
        [
            SAMPLES / "000_8f224ed89935fe50.txt",
            SAMPLES / "001_8bf267248edeb530.txt",
            SAMPLES / "002_ae784f8ae38a492c.txt",
            FIXTURES / "variant_word_district_2025.txt",
            FIXTURES / "variant_pipe_city_2021.md",
        ],
    ),
    "docx": (0.25, [FIXTURES / "hebei_xushui_2024.docx", FIXTURES / "hebei_hengshui_2020.docx"]),
    "xlsx": (0.17, [FIXTURES / "hebei_xushui_2024_tables.xlsx"]),
    "pdf": (
        0.18,
        [
            FIXTURES / "unruled_table.pdf",
            FIXTURES / "table_split_across_pages.pdf",
            FIXTURES / "hebei_hengshui_2020.pdf",
        ],
    ),
}
TOTAL_CASES = int(os.environ.get("BUDGETSITE_FUZZ_CASES", "300"))
LIMITS = DEFAULT_LIMITS


def snapshot(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cases(fmt: str) -> list[tuple[Path, int]]:
    """(source, seed) of this format's share of the run; a replayed seed alone if one is given."""
    replay = os.environ.get("BUDGETSITE_FUZZ_SEED")
    share, sources = FORMATS[fmt]
    if replay:
        name, _, seed = replay.partition(":")
        return [(sources[int(seed) % len(sources)], int(seed))] if name == fmt else []
    count = math.ceil(TOTAL_CASES * share)
    # The large PDF costs ~20 small ones: it takes one seed in ten of its turns.
    seeds = (seed for seed in itertools.count() if not _skip(sources, seed))
    return [(sources[seed % len(sources)], seed) for seed in itertools.islice(seeds, count)]


def _skip(sources: list[Path], seed: int) -> bool:
    source = sources[seed % len(sources)]
    return source.stat().st_size > 200_000 and source.suffix == ".pdf" and seed % 10 != 2


@pytest.fixture(scope="module")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each source ingested as it is: the tree half the cases start from."""
    trees = {}
    for _, sources in FORMATS.values():
        for source in sources:
            content = tmp_path_factory.mktemp("baseline") / "content"
            ingest_sources([source], content_dir=content, quiet=True, limits=LIMITS)
            trees[source] = content
    return trees


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_fuzzed_sources(fmt: str, baselines: dict[Path, Path], tmp_path: Path) -> None:
    problems: list[str] = []
    outcomes: Counter[str] = Counter()
    slowest, largest = 0.0, 0.0
    started = time.perf_counter()
    for source, seed in cases(fmt):
        case = tmp_path / f"{fmt}-{seed}"
        case.mkdir()
        path = case / f"mutant{source.suffix}"
        path.write_bytes(mutant(source, seed))
        content = case / "content"
        if seed % 2 and baselines[source].is_dir():  # small PDFs are no disclosure: no baseline tree
            shutil.copytree(baselines[source], content)
        before = snapshot(content)
        try:
            report = ingest_sources([path], content_dir=content, quiet=True, limits=LIMITS)
        except BaseException as error:
            problems.append(f"{fmt}:{seed} raised {type(error).__name__}: {error}\n{traceback.format_exc()}")
            continue
        for _, usage in report.usages:
            slowest, largest = max(slowest, usage.seconds), max(largest, usage.added_mb)
            if usage.seconds > LIMITS.seconds or usage.added_mb > LIMITS.memory_mb:
                problems.append(f"{fmt}:{seed} over the limits: {usage}")
        if report.failures:
            error = report.failures[0]
            outcomes[
                type(error).__name__ if not isinstance(error, LimitError) else f"limit {error.name}"
            ] += 1
            if isinstance(error, InternalError):
                problems.append(f"{fmt}:{seed} budgetsite bug: {error.line()}")
            if snapshot(content) != before:
                problems.append(f"{fmt}:{seed} failed ({error.line()}) but changed the content tree")
        else:
            outcomes["ingested"] += 1
            for data_json in content.glob("*/*/data.json"):
                try:
                    validate_data(load_json_text(data_json.read_text(encoding="utf-8")), data_json)
                except Exception as invalid:
                    problems.append(f"{fmt}:{seed} wrote an invalid data.json: {invalid}")
        shutil.rmtree(case)
    total = sum(outcomes.values())
    print(
        f"\nfuzz {fmt}: {total} cases in {time.perf_counter() - started:.0f} s — "
        + ", ".join(f"{kind} {n}" for kind, n in outcomes.most_common())
        + f"; slowest read {slowest:.1f} s, most memory added {largest:.0f} MB "
        f"(peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )
    assert not problems, "\n".join(problems[:20])
