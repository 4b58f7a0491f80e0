"""A site built with --base-url /budget/ works when a static server mounts output/ under /budget/."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from serve_helpers import fetch, run_cli
from site_links import broken_links

from linkcheck import crawl

MOUNT = "/budget/"


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` at MOUNT only, like a GitHub Pages project site; everything else is 404."""

    def translate_path(self, path: str) -> str:
        request_path = unquote(urlsplit(path).path)
        if not request_path.startswith(MOUNT):
            return str(Path(self.directory) / ".not-mounted" / "missing")
        return super().translate_path("/" + request_path[len(MOUNT) :])

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def mounted_site(sample_site: Path) -> Iterator[tuple[str, Path]]:
    """The sample site built for /budget/ and served there by a small local server."""
    result = run_cli("build", "--base-url", MOUNT, cwd=sample_site)
    assert result.returncode == 0, result.stdout + result.stderr
    output = sample_site / "output"
    handler = functools.partial(SubPathHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{MOUNT}", output
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_every_link_works_under_the_sub_path(mounted_site: tuple[str, Path]) -> None:
    url, output = mounted_site
    problems, fetched = crawl(url)
    assert problems == []
    html_pages = len(list(output.rglob("*.html")))
    # The crawl reached every page from the home page, and then some (CSS, data files).
    assert fetched >= html_pages > 20
    assert broken_links(output, MOUNT) == []


def test_the_sub_path_server_really_mounts_at_budget(mounted_site: tuple[str, Path]) -> None:
    # Guards the test above: a site with root-relative links (/static/…) would fail under this server.
    url, _ = mounted_site
    root = url[: -len(MOUNT)]
    assert fetch(url)[0] == 200
    assert fetch(root + "/index.html")[0] == 404
    assert fetch(root + "/static/site.css")[0] == 404
    assert fetch(url + "static/site.css")[0] == 200
