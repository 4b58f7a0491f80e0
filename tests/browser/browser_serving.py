"""Helpers the browser tests share: where the repository is, which content to build, a static server.

A module of its own (not conftest.py): test folders each have a conftest, and `from conftest import …`
picks whichever one was imported first in a whole-suite run.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"


def content_dir() -> Path:
    """The shipped content, or the fixture tree before ingest has run."""
    shipped = REPO / "content"
    if any(shipped.glob("*/*/data.json")):
        return shipped
    return REPO / "tests" / "fixtures" / "site_content"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port for as long as the generator runs; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
