"""Where ingest's per-file work (read + recognize) runs: here, in N local processes, or on a Dask cluster.

Reading is the slow stage (~8 PDF pages/s a core), and every file is read on its own, so it fans out;
grouping, borrowing and all writes stay in the coordinating process (content/ingest.py), which gets the
results back in the order of the files, so the content tree is byte-identical to a serial run.

A pool runs `work(path)` for every file and returns, per file, what it returned or a `BudgetsiteError`
when the file could not be handed over or its worker died. Local processes share the disk; on a Dask
cluster the file's bytes travel with the task (`load` reads them here), since workers on other machines
do not see this disk: the worker reads a copy in a temporary folder, under the file's own name, and the
result is `relocated` to name the original. What the work logs is sent back too and logged here, file
by file in order, as a serial run would have logged it.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, Self, TypeVar

from budgetsite.errors import BudgetsiteError, ConfigError, InternalError, describe_exception, write_crash_log


class Relocatable(Protocol):
    """A result that can name the file it was read from, rather than the worker's copy of it."""

    def relocated(self, copy: Path, path: Path) -> Self: ...


logger = logging.getLogger(__name__)

T = TypeVar("T", bound=Relocatable)
Work = Callable[[Path], T]
Done = Callable[[Path], None]

# What the coordinator waits for a Dask scheduler to answer before it gives up.
SCHEDULER_TIMEOUT = "10s"


class FilePool(Protocol):
    """Runs the per-file work of ingest somewhere; results in the order of `paths`."""

    def map(
        self, work: Work[T], paths: list[Path], load: Callable[[Path], bytes], done: Done
    ) -> list[T | BudgetsiteError]: ...

    def close(self) -> None: ...


class SerialPool:
    """Every file in this process, one after the other (the default, --workers 1)."""

    def map(
        self, work: Work[T], paths: list[Path], load: Callable[[Path], bytes], done: Done
    ) -> list[T | BudgetsiteError]:
        results: list[T | BudgetsiteError] = []
        for path in paths:
            results.append(work(path))
            done(path)
        return results

    def close(self) -> None:
        pass


@dataclass
class LogLine:
    """One log record of the work on a file, to be logged again by the coordinator."""

    logger: str
    level: int
    message: str

    def relocated(self, copy: Path, path: Path) -> LogLine:
        return LogLine(self.logger, self.level, self.message.replace(str(copy), str(path)))


@dataclass
class _Outcome(Generic[T]):
    result: T
    log: list[LogLine]


def run_captured(work: Work[T], level: int, path: Path, data: bytes | None) -> _Outcome[T]:
    """Run `work` in a worker process, keeping what budgetsite logs meanwhile for the coordinator.

    With `data` (the file's bytes, from another machine), `work` reads a copy named as the file.
    """
    with _children_allowed(), _captured_log(level) as log:
        if data is None:
            return _Outcome(work(path), log)
        with tempfile.TemporaryDirectory(prefix="budgetsite-ingest-") as folder:
            copy = Path(folder) / path.name
            copy.write_bytes(data)
            result = work(copy).relocated(copy, path)
    return _Outcome(result, [line.relocated(copy, path) for line in log])


def _replay(log: list[LogLine]) -> None:
    for line in log:
        logging.getLogger(line.logger).log(line.level, "%s", line.message)


@contextlib.contextmanager
def _captured_log(level: int) -> Iterator[list[LogLine]]:
    """Collect this thread's budgetsite log records at `level` (the coordinator's), instead of printing them."""
    import threading

    lines: list[LogLine] = []
    thread = threading.get_ident()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread:
                lines.append(LogLine(record.name, record.levelno, record.getMessage()))

    budgetsite = logging.getLogger("budgetsite")
    handler = Collect(level)
    saved = budgetsite.level, budgetsite.propagate
    budgetsite.setLevel(level)
    budgetsite.propagate = False  # printed once, by the coordinator
    budgetsite.addHandler(handler)
    try:
        yield lines
    finally:
        budgetsite.removeHandler(handler)
        budgetsite.setLevel(saved[0])
        budgetsite.propagate = saved[1]


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a daemonic worker process start the capped reading child (read/isolate.py).

    A Dask nanny starts its worker as a daemonic process, and multiprocessing refuses children to those
    (so they cannot be orphaned). The reading child is itself daemonic and killed when done or past its
    time, so the rule protects nothing here; without the caps a hostile file could take down the worker.
    """
    config: dict[str, Any] = mp.current_process()._config  # type: ignore[attr-defined]
    daemonic = config.get("daemon", False)
    config["daemon"] = False
    try:
        yield
    finally:
        config["daemon"] = daemonic


def _bug(path: Path, error: BaseException) -> InternalError:
    import traceback

    log = write_crash_log("".join(traceback.format_exception(error)))
    return InternalError(error, log, path=path)


class LocalPool:
    """`workers` local processes (--workers N), each reading files in its own capped child as a serial run does."""

    def __init__(self, workers: int):
        self.workers = workers

    def map(
        self, work: Work[T], paths: list[Path], load: Callable[[Path], bytes], done: Done
    ) -> list[T | BudgetsiteError]:
        results: dict[int, _Outcome[T] | BudgetsiteError] = {}  # by the file's place in `paths`
        level = logging.getLogger("budgetsite").getEffectiveLevel()
        # A process that dies (the kernel's OOM killer during recognition) breaks the whole pool and
        # fails every file still in it: those get one more try in a fresh pool, then are reported.
        pending = list(enumerate(paths))
        for attempt in (1, 2):
            # Forked: the workers start with budgetsite and the readers already imported.
            with ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork")) as executor:
                futures: dict[Future[_Outcome[T]], int] = {
                    executor.submit(run_captured, work, level, path, None): index for index, path in pending
                }
                for future in as_completed(futures):
                    index = futures[future]
                    try:
                        results[index] = future.result()
                    except BrokenProcessPool:
                        if attempt == 1:
                            continue
                        results[index] = BudgetsiteError(
                            "the process reading it died (out of memory?)",
                            path=paths[index],
                            hint="ingest this file alone to see why",
                        )
                    except Exception as error:
                        results[index] = _bug(paths[index], error)
                    done(paths[index])
            pending = [(index, path) for index, path in pending if index not in results]
            if not pending:
                break
        return [_unpack(results[index]) for index in range(len(paths))]

    def close(self) -> None:
        pass


def _unpack(outcome: _Outcome[T] | BudgetsiteError) -> T | BudgetsiteError:
    """The work's result, its log replayed here first."""
    if isinstance(outcome, BudgetsiteError):
        return outcome
    _replay(outcome.log)
    return outcome.result


class DaskPool:
    """Tasks on a running dask.distributed cluster (--scheduler ADDRESS); each carries its file's bytes."""

    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError(
                "--scheduler needs dask.distributed, which is not installed",
                hint="install it with: pip install 'budgetsite[cluster]'",
            ) from None
        try:
            self.client = Client(address, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as error:
            reason = " ".join(str(error).split())[:200] or type(error).__name__
            raise ConfigError(
                f"cannot reach the Dask scheduler at {address} ({reason})",
                hint="start one with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, "
                "then give its address, e.g. --scheduler tcp://HOST:8786",
            ) from None
        try:
            self._check_workers(address)
        except ConfigError:
            self.client.close()
            raise

    def _check_workers(self, address: str) -> None:
        """ConfigError, before any file is sent, when a worker cannot run this budgetsite.

        A worker with another version could recognize a file differently: the tree would depend on
        which worker read which file. (Workers that join later are not asked.)
        """
        from budgetsite import __version__

        try:
            versions = self.client.run(_budgetsite_version)
        except Exception as error:  # the task's unpickling fails where budgetsite is not installed
            raise ConfigError(
                f"the Dask workers of {address} cannot run budgetsite ({describe_exception(error)})",
                hint="install it on every worker machine: pip install 'budgetsite[cluster]'",
            ) from None
        for worker, version in sorted(versions.items()):
            if version != __version__:
                raise ConfigError(
                    f"the Dask worker {worker} runs budgetsite {version}, this machine {__version__}",
                    hint="install the same budgetsite version on every worker machine",
                )

    def map(
        self, work: Work[T], paths: list[Path], load: Callable[[Path], bytes], done: Done
    ) -> list[T | BudgetsiteError]:
        from distributed import as_completed as dask_completed

        level = logging.getLogger("budgetsite").getEffectiveLevel()
        results: dict[int, _Outcome[T] | BudgetsiteError] = {}  # by the file's place in `paths`
        # Bytes are held here only for the files in flight: a few per worker thread, not the whole batch.
        threads = sum(self.client.nthreads().values())
        if not threads:
            logger.warning("the Dask scheduler has no workers yet: waiting for one (start `dask worker`)")
        queue = iter(enumerate(paths))
        running: dict[Any, int] = {}

        def submit_next() -> Any:
            for index, path in queue:
                try:
                    data = load(path)
                except BudgetsiteError as error:
                    results[index] = error
                    done(path)
                    continue
                # pure=False: two copies of one file are two tasks, each with its own path.
                future = self.client.submit(run_captured, work, level, path, data, pure=False)
                running[future] = index
                return future
            return None

        first = [
            future for future in (submit_next() for _ in range(2 * max(threads, 1))) if future is not None
        ]
        completed = dask_completed(first)
        for future in completed:
            index = running.pop(future)
            try:
                results[index] = future.result()
            except Exception as error:  # KilledWorker once the scheduler's retries are spent
                results[index] = _worker_error(paths[index], error)
            done(paths[index])
            following = submit_next()
            if following is not None:
                completed.add(following)
        return [_unpack(results[index]) for index in range(len(paths))]

    def close(self) -> None:
        self.client.close()


def _budgetsite_version() -> str:
    """The budgetsite version of the process this runs in (sent to every Dask worker)."""
    from budgetsite import __version__

    return __version__


def _worker_error(path: Path, error: Exception) -> BudgetsiteError:
    """The line for a file whose task failed outside budgetsite's own error handling."""
    from distributed import KilledWorker

    if isinstance(error, KilledWorker):
        # The scheduler already gave it to another worker `distributed.scheduler.allowed-failures` times.
        return BudgetsiteError(
            "the Dask workers reading it died each time (out of memory, or a worker stopped)",
            path=path,
            hint="check the workers' logs, or ingest this file alone without --scheduler",
        )
    return _bug(path, error)


def open_pool(workers: int | None, scheduler: str | None) -> FilePool:
    """The pool for --workers/--scheduler: serial by default; ConfigError for a bad combination."""
    if scheduler is not None:
        if workers is not None:
            raise ConfigError(
                "--workers and --scheduler cannot be used together",
                hint="use --workers N for processes on this machine, or --scheduler ADDRESS for a Dask "
                "cluster (its workers set the parallelism: dask worker --nworkers N)",
            )
        return DaskPool(scheduler)
    count = workers if workers is not None else 1
    if count == 0:
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if count == 1:
        return SerialPool()
    if "fork" not in mp.get_all_start_methods():
        return SerialPool()  # readers run in-process there too (read/isolate.py)
    return LocalPool(count)
