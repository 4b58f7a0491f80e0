"""In a real browser (Debian chromium), the open page reloads by itself after an edit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from serve_helpers import Served, dept_year_folder, with_browser

NEW_PARAGRAPH = "浏览器自动刷新测试：这一段是在页面打开之后才写入 index.md 的。"


@pytest.mark.browser
def test_open_page_reloads_itself_after_an_edit(served_sample: Served) -> None:
    folder = dept_year_folder(served_sample.site / "content")
    url = f"{served_sample.url}departments/{folder.parent.name}/{folder.name}/"

    def check(browser: Browser) -> None:
        page = browser.new_page()
        # The page opens the live-reload websocket; wait for the server's hello so it is listening.
        with page.expect_websocket(timeout=10_000) as socket_info:
            page.goto(url)
        socket_info.value.wait_for_event("framereceived", timeout=10_000)
        page.wait_for_timeout(300)  # the client sends its `info` message right after the hello
        page.evaluate("window.__beforeEdit = true")
        assert NEW_PARAGRAPH not in page.inner_text("main")

        with (folder / "index.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n{NEW_PARAGRAPH}\n")

        # Nobody touches the page: the server tells it to reload, and the new text appears.
        page.wait_for_function(
            "text => document.querySelector('main') && document.querySelector('main').innerText.includes(text)",
            arg=NEW_PARAGRAPH,
            timeout=10_000,
        )
        # A full reload, not a patched DOM: the marker set on the old document is gone.
        assert page.evaluate("window.__beforeEdit === undefined")

    with_browser(check)
