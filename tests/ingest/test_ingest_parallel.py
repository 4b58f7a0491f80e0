"""`budgetsite ingest --workers N` and `--scheduler ADDRESS` write the same content tree as a serial run.

One batch of real files, ingested three ways (serially, in 2 local processes, on a 2-worker Dask
LocalCluster started here): every file of the three trees byte for byte, the same summary and failure
lines, the same exit code. The batch holds a -narrative/-tables pair merged into one folder (江苏省人大
2019), a file that prints no year and borrows it (missing_year.txt), one that cannot be read (encrypted),
one that is no disclosure, and two versions of one disclosure (徐水 2024 as DOCX and PDF) that refuse.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dask
import pytest
from click.testing import CliRunner
from distributed import LocalCluster
from ingest_helpers import ALL_SAMPLES, FIXTURES, HENGSHUI_2020

import budgetsite
from budgetsite.cli import main
from budgetsite.content import parallel

CORPUS = FIXTURES / "corpus"
WORKERS_VERSION = budgetsite.__version__
BATCH = [
    CORPUS / "js-renda-2019-budget-narrative.pdf",
    CORPUS / "js-renda-2019-budget-tables.pdf",
    CORPUS / "sh-putuo-caizhengju-2025-dept-budget.pdf",
    FIXTURES / "hebei_xushui_2024.docx",
    FIXTURES / "hebei_xushui_2024.pdf",
    FIXTURES / "encrypted.pdf",
    FIXTURES / "not_a_disclosure.txt",
    HENGSHUI_2020,
    FIXTURES / "missing_year.txt",
]


@dataclass
class Run:
    exit_code: int
    stdout: list[str]
    errors: list[str]
    tree: dict[str, bytes]  # every file of the content tree, by path inside it


def ingest(folder: Path, *options: str, sources: list[Path] = BATCH) -> Run:
    """`budgetsite ingest` of `sources` into folder/content, run for real."""
    runner = CliRunner()
    content = folder / "content"
    result = runner.invoke(
        main, ["ingest", "--content", str(content), *options, *map(str, sources)], catch_exceptions=False
    )
    tree = {
        str(path.relative_to(content)): path.read_bytes()
        for path in sorted(content.rglob("*"))
        if path.is_file()
    }
    return Run(
        result.exit_code,
        result.stdout.replace(str(folder), "FOLDER").splitlines(),  # each run writes its own tree
        [line for line in result.stderr.splitlines() if line.startswith("error:")],
        tree,
    )


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Run:
    run = ingest(tmp_path_factory.mktemp("serial"))
    # What the batch must do, checked once against the files (so that "the same as serial" means something).
    assert run.exit_code == 1
    assert {line.split(" → ")[0] for line in run.stdout} == {
        "江苏省人大常委会办公厅 2019",
        "上海市普陀区财政局 2025",
        "衡水市工业和信息化局 2020",
    }
    assert "from js-renda-2019-budget-narrative.pdf, js-renda-2019-budget-tables.pdf" in run.stdout[0]
    assert any("source-2.pdf" in name for name in run.tree)  # the pair kept both originals
    docx, pdf = FIXTURES / "hebei_xushui_2024.docx", FIXTURES / "hebei_xushui_2024.pdf"
    assert run.errors == [
        f"error: {FIXTURES / 'encrypted.pdf'}: encrypted PDF (needs a password) — save an unencrypted copy, "
        "e.g. qpdf --decrypt",
        f"error: {FIXTURES / 'not_a_disclosure.txt'}: not a budget disclosure (no budget tables, project "
        "performance tables or disclosure sections found) — give a 部门预算/决算公开 document",
        # missing_year.txt (徐水 2024 without its year) borrowed 2024 and joined these two.
        f"error: {docx} and {pdf} both hold 部门预算收支总表 of 保定市徐水区工业和信息化局 2024: two versions of "
        "one disclosure? — ingest only one of them, or use --force to merge them anyway",
    ]
    return run


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two worker processes, one thread each, as `dask worker --nworkers 2 --nthreads 1` would start."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local_cluster:
        yield local_cluster


def assert_same(run: Run, serial: Run) -> None:
    assert sorted(run.tree) == sorted(serial.tree)
    for name, data in serial.tree.items():
        assert run.tree[name] == data, f"{name} differs from the serial run"
    assert run.stdout == serial.stdout
    assert run.errors == serial.errors
    assert run.exit_code == serial.exit_code


def test_two_local_processes_write_the_serial_tree(serial: Run, tmp_path: Path) -> None:
    assert_same(ingest(tmp_path, "--workers", "2"), serial)


@pytest.mark.parametrize("pool", [parallel.SerialPool(), parallel.LocalPool(2)], ids=["serial", "workers-2"])
def test_progress_counts_each_finished_file_once(pool: parallel.FilePool) -> None:
    # Before the Dask tests: a fork is safest while this process runs no cluster threads.
    from budgetsite.content.ingest import read_all

    finished: list[Path] = []
    reads = read_all(ALL_SAMPLES, department=None, year=None, region=None, pool=pool, done=finished.append)
    assert sorted(finished) == sorted(ALL_SAMPLES)
    assert [read.path for read in reads] == ALL_SAMPLES  # results in the order given, whatever finished first


def test_a_local_process_that_dies_mid_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker process is killed (SIGKILL) as it starts on each file: tried again in a fresh pool, then
    # every file is named, and nothing is written.
    monkeypatch.setenv("BUDGETSITE_CRASH_AT", "first-pass")
    run = ingest(tmp_path, "--workers", "2", sources=BATCH[:2])
    assert run.exit_code == 1
    assert run.errors == [
        f"error: {path}: the process reading it died (out of memory?) — ingest this file alone to see why"
        for path in BATCH[:2]
    ]
    assert run.tree == {}


def test_dask_cluster_writes_the_serial_tree(serial: Run, cluster: LocalCluster, tmp_path: Path) -> None:
    assert_same(ingest(tmp_path, "--scheduler", cluster.scheduler_address), serial)


def test_a_dask_worker_that_dies_mid_file_is_reported(tmp_path: Path) -> None:
    # Workers that die on every file: once the scheduler's retries are spent (none here, to keep it
    # short), each file is named with what to do, and nothing is written.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            env={"BUDGETSITE_CRASH_AT": "first-pass"},
        ) as dying,
    ):
        run = ingest(tmp_path, "--scheduler", dying.scheduler_address, sources=BATCH[:2])
    assert run.exit_code == 1
    assert run.errors == [
        f"error: {path}: the Dask workers reading it died each time (out of memory, or a worker stopped) — "
        "check the workers' logs, or ingest this file alone without --scheduler"
        for path in BATCH[:2]
    ]
    assert run.tree == {}


def test_a_worker_with_another_budgetsite_is_refused(
    cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers of another version could recognize a file differently: refused before any file is sent.
    monkeypatch.setattr(budgetsite, "__version__", "0.0.1")  # this machine's, not the workers'
    run = ingest(tmp_path, "--scheduler", cluster.scheduler_address, sources=[HENGSHUI_2020])
    assert run.exit_code == 1
    [line] = run.errors
    assert line.startswith("error: the Dask worker tcp://127.0.0.1:")
    assert line.endswith(
        f"runs budgetsite {WORKERS_VERSION}, this machine 0.0.1 — install the same budgetsite version on every "
        "worker machine"
    )
    assert not (tmp_path / "content").exists()


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_scheduler_says_how_to_start_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "SCHEDULER_TIMEOUT", "2s")  # 10 s for users; the test need not wait
    address = f"tcp://127.0.0.1:{closed_port()}"
    run = ingest(tmp_path, "--scheduler", address, sources=[HENGSHUI_2020])
    assert run.exit_code == 1
    [line] = run.errors
    assert line.startswith(f"error: cannot reach the Dask scheduler at {address} (")
    assert "start one with `dask scheduler`" in line
    assert not (tmp_path / "content").exists()  # nothing written, not even the content folder


def test_workers_and_scheduler_together_are_refused(tmp_path: Path) -> None:
    run = ingest(tmp_path, "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786", sources=[HENGSHUI_2020])
    assert run.exit_code == 1
    assert run.errors == [
        "error: --workers and --scheduler cannot be used together — use --workers N for processes on "
        "this machine, or --scheduler ADDRESS for a Dask cluster (its workers set the parallelism: "
        "dask worker --nworkers N)"
    ]
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize(("given", "pool"), [("1", "SerialPool"), ("3", "LocalPool"), ("auto", "")])
def test_worker_counts(given: str, pool: str) -> None:
    from budgetsite.cli import worker_count

    chosen = parallel.open_pool(worker_count(given), None)
    cores = len(os.sched_getaffinity(0))
    expected = pool or ("LocalPool" if cores > 1 else "SerialPool")
    assert type(chosen).__name__ == expected
    if isinstance(chosen, parallel.LocalPool):
        assert chosen.workers == (3 if given == "3" else cores)


def test_bad_worker_count_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "--workers", "two", str(HENGSHUI_2020)])
    assert result.exit_code == 2
    assert "'two' is not a number of processes: give N ≥ 0, or auto" in result.stderr
