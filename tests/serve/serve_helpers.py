"""Helpers for the serve/init/deploy tests: run the real CLI, start and stop `budgetsite serve`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from chromium import CHROMIUM, CHROMIUM_ARGS
from samples import SAMPLES

SAMPLE = SAMPLES / "001_8bf267248edeb530.txt"  # 保定市徐水区工业和信息化局, 2024 budget
STARTUP_SECONDS = 90  # the first build runs Pagefind; bounded so a hung server fails the test


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real `budgetsite` command (as a user would) and return its result."""
    return subprocess.run(
        [sys.executable, "-m", "budgetsite", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    """(status, body text) of a GET, HTTP errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def dept_year_folder(content: Path) -> Path:
    """The only content/<slug>/<year>/ folder of a one-sample tree."""
    folders = [p.parent for p in content.glob("*/*/data.json")]
    assert len(folders) == 1, folders
    return folders[0]


@dataclass
class Served:
    """A running `budgetsite serve` subprocess."""

    process: subprocess.Popen[str]
    url: str  # http://127.0.0.1:<port>/ (base path included)
    site: Path
    log: Path  # the server's stderr

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(site: Path, *extra: str) -> Served:
    """Start `budgetsite serve` in `site` on a free port; return once it answers."""
    port = free_port()
    log = site.parent / f"serve-{port}.log"
    handle = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "budgetsite", "serve", "--port", str(port), *extra],
        cwd=site,
        stdout=handle,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    handle.close()
    base = next((extra[i + 1] for i, a in enumerate(extra) if a == "--base-url"), "/")
    served = Served(process, f"http://127.0.0.1:{port}{base}", site, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}:\n{served.stderr()}")
        try:
            with urllib.request.urlopen(served.url, timeout=2):
                return served
        except urllib.error.HTTPError:
            return served  # it answers (an error page is still an answer)
        except OSError:
            time.sleep(0.2)
    stop_server(served)
    raise AssertionError(f"serve did not answer within {STARTUP_SECONDS} s:\n{served.stderr()}")


def stop_server(served: Served) -> int:
    """Ctrl-C the server (SIGINT) and wait; kill it if it does not stop. Returns its exit status."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
        try:
            served.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(timeout=10)
    return served.process.returncode


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.05) -> float | None:
    """Poll `predicate()` until true; return the seconds it took, or None on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    return None


def with_browser(test: Callable[[Browser], None]) -> None:
    """Run `test(browser)` with a headless Debian chromium, in a thread of its own.

    Playwright's sync API refuses to start inside a running asyncio loop, and the browser tests of
    tests/browser keep a session-wide Playwright (and its loop) open on the main thread; a separate
    thread has no loop, so these tests pass in any order.
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    test(browser)
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test's thread below
            failure.append(error)

    thread = threading.Thread(target=run, name="serve-browser-test")
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "browser test did not finish within 120 s"
    if failure:
        raise failure[0]
