"""With netlify.toml's security headers applied, Pagefind search still works in a real browser."""

from __future__ import annotations

import functools
import http.server
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from serve_helpers import run_cli, with_browser

ROOT = Path(__file__).resolve().parents[2]


def netlify_headers(path: str) -> dict[str, str]:
    """The headers netlify.toml gives `path` ("/x/*" matches everything below /x/, as on Netlify)."""
    headers: dict[str, str] = {}
    for rule in tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))["headers"]:
        pattern = rule["for"]
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            headers.update(rule["values"])
    return headers


class NetlifyLikeHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that sends netlify.toml's headers with every file."""

    def end_headers(self) -> None:
        for name, value in netlify_headers(self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def deployed(sample_site: Path) -> Iterator[str]:
    result = run_cli("build", cwd=sample_site)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(NetlifyLikeHandler, directory=str(sample_site / "output"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.browser
def test_search_works_under_the_netlify_content_security_policy(deployed: str) -> None:
    def check(browser: Browser) -> None:
        page = browser.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.on("pageerror", lambda error: messages.append(str(error)))
        # 001 (保定市徐水区 2024) prints a 三公 table row "公务接待费".
        response = page.goto(deployed + "search/?q=公务接待")
        assert response is not None
        assert "'wasm-unsafe-eval'" in response.headers["content-security-policy"]
        page.locator("#search-results > li h3 a").first.wait_for(timeout=20_000)
        blocked = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
        assert blocked == []

    with_browser(check)
