"""Read one source file in a child process with a memory and a time cap, so no input takes down a batch.

The child is forked (the readers are already imported, nothing is pickled on the way in), caps its
address space at what budgetsite already uses plus `limits.memory_mb`, reads, and sends back the blocks
or the error. The parent waits at most `limits.seconds`, then kills it. Outcomes, all as exceptions the
CLI prints as one line: `InputError` (a bad file, as the reader said), `LimitError` (time, memory or a
reader limit), `InternalError` (an exception budgetsite did not expect: a bug, traceback in a log file).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import resource
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from budgetsite.errors import InputError, InternalError, describe_exception, write_crash_log
from budgetsite.read import ReadResult, reader_for
from budgetsite.read.limits import LimitError, Limits, check_file_size


@dataclass
class Usage:
    """What reading one file cost, as measured in the child."""

    peak_rss_mb: float  # the child's resident-memory high-water mark (inherited pages included)
    seconds: float
    added_mb: float = 0.0  # how far reading raised it above what the child held when it began


def read_file(path: Path, limits: Limits) -> ReadResult:
    """Read `path` in this process (the child's job; also the fallback where fork is missing)."""
    check_file_size(path, limits)
    return reader_for(path).read(path, limits)


def read_isolated(path: Path, limits: Limits) -> tuple[ReadResult, Usage]:
    """Read `path` in a forked child capped at limits.memory_mb and limits.seconds (see the module doc)."""
    reader_for(path)  # an unsupported type fails here, without a child
    _preload(path.suffix.lower())
    if "fork" not in mp.get_all_start_methods():
        started = time.perf_counter()
        return read_file(path, limits), Usage(_peak_rss_mb(), time.perf_counter() - started)
    receiver, sender = mp.Pipe(duplex=False)
    child = mp.get_context("fork").Process(target=_child, args=(sender, path, limits), daemon=True)
    started = time.perf_counter()
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise LimitError("the time to read it", "seconds", limits.seconds, path=path)
        try:
            outcome, payload, usage = receiver.recv()
        except EOFError:
            child.join(5)
            # Killed by the kernel (the memory cap hit outside Python's allocator) or crashed outright.
            raise LimitError(
                f"the memory to read it (the reader died with exit status {child.exitcode})",
                "memory_mb",
                limits.memory_mb,
                path=path,
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    usage.seconds = time.perf_counter() - started
    if outcome == "ok":
        return payload, usage
    if outcome == "memory":
        raise LimitError("the memory to read it", "memory_mb", limits.memory_mb, path=path)
    if outcome == "limit":
        what, name, limit = payload
        raise LimitError(what, name, limit, path=path)
    if outcome == "input":
        problem, hint = payload
        raise InputError(problem, path=path, hint=hint)
    description, log = payload
    raise InternalError(description, log, path=path)


# The parser each reader imports when it first reads. Imported once in the parent, every forked child
# inherits it: a batch of 100 workbooks pays openpyxl's half-second import once, not 100 times.
_PARSERS = {".pdf": "pdfplumber", ".docx": "docx", ".xlsx": "openpyxl", ".xlsm": "openpyxl"}


def _preload(suffix: str) -> None:
    import importlib

    if suffix in _PARSERS:
        with contextlib.suppress(ImportError):  # the reader says so, as one line, in the child
            importlib.import_module(_PARSERS[suffix])


def _child(sender: Connection, path: Path, limits: Limits) -> None:
    _cap_memory(limits.memory_mb)
    start_kb = _reset_peak()
    try:
        message: tuple = ("ok", read_file(path, limits))
    except LimitError as error:
        message = ("limit", (error.what, error.name, error.limit))
    except InputError as error:
        message = ("input", (error.problem, error.hint))
    except MemoryError:
        message = ("memory", None)
    except Exception as error:
        message = ("bug", (describe_exception(error), write_crash_log(traceback.format_exc())))
    peak_mb = _peak_rss_mb()
    sender.send((*message, Usage(peak_mb, 0.0, max(0.0, peak_mb - start_kb / 1024) if start_kb else 0.0)))
    sender.close()


def _cap_memory(memory_mb: int) -> None:
    """Limit this process's address space to what it maps now plus `memory_mb` (Linux /proc)."""
    mapped_kb = _status_kb("VmSize")
    if not mapped_kb:
        return
    cap = (mapped_kb << 10) + (memory_mb << 20)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _peak_rss_mb() -> float:
    """The resident high-water mark of this process (VmHWM; ru_maxrss where /proc is missing)."""
    return (_status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def _reset_peak() -> int:
    """Reset the high-water mark to what is resident now (a fork inherits its parent's); that, in KiB.

    0 when the kernel cannot (no /proc): then only the inherited peak is known.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return 0
    return _status_kb("VmRSS")


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith(f"{field}:")), 0)
    except OSError:
        return 0
