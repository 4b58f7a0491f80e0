"""`budgetsite serve` as a real subprocess: live edits, broken edits, base path, clean exit."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from serve_helpers import Served, dept_year_folder, fetch, run_cli, start_server, stop_server, wait_for

NEW_PARAGRAPH = "本段为预览测试新增的说明文字，保存后应立即出现在页面上。"


def _page_url(served: Served) -> tuple[str, Path]:
    folder = dept_year_folder(served.site / "content")
    return f"{served.url}departments/{folder.parent.name}/{folder.name}/", folder


def _main_text(body: str) -> str:
    main = BeautifulSoup(body, "html.parser").find("main")
    return main.get_text(" ", strip=True) if main else ""


def test_appended_paragraph_is_served_within_2_seconds(served_sample: Served) -> None:
    url, folder = _page_url(served_sample)
    status, body = fetch(url)
    assert status == 200 and NEW_PARAGRAPH not in body
    index_md = folder / "index.md"
    with index_md.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{NEW_PARAGRAPH}\n")
    took = wait_for(lambda: NEW_PARAGRAPH in _main_text(fetch(url)[1]), timeout=2.0)
    assert took is not None, f"new paragraph not served within 2 s:\n{served_sample.stderr()}"
    # Only the pages showing this department-year were re-rendered, not the whole site.
    rebuilt = re.search(r"rebuilt (\d+) pages", served_sample.stderr())
    built = re.search(r"built (\d+) pages", served_sample.stderr())
    assert rebuilt and built and int(rebuilt.group(1)) < int(built.group(1))


def test_broken_front_matter_shows_error_page_then_recovers(served_sample: Served) -> None:
    url, folder = _page_url(served_sample)
    index_md = folder / "index.md"
    good = index_md.read_text(encoding="utf-8")
    # An unclosed YAML list on the `year:` line of the front matter.
    broken_line = next(n for n, line in enumerate(good.splitlines(), start=1) if line.startswith("year:"))
    index_md.write_text(good.replace("\nyear: ", "\nyear: [", 1), encoding="utf-8")

    assert wait_for(lambda: fetch(url)[0] == 500, timeout=5), served_sample.stderr()
    body = fetch(url)[1]
    page = BeautifulSoup(body, "html.parser")
    error = page.select_one("#budgetsite-build-error")
    assert error is not None
    assert "index.md" in error.get_text() and f"第 {broken_line} 行" in error.get_text(), error.get_text()
    assert "livereload" in body  # the error page reloads itself when the file is fixed
    assert served_sample.process.poll() is None, "the server must survive a broken edit"
    errors = [line for line in served_sample.stderr().splitlines() if "index.md" in line and "error" in line]
    assert len(errors) == 1, served_sample.stderr()
    assert f"index.md:{broken_line}" in errors[0]
    assert "Traceback" not in served_sample.stderr()

    index_md.write_text(good + f"\n{NEW_PARAGRAPH}\n", encoding="utf-8")
    assert wait_for(lambda: NEW_PARAGRAPH in _main_text(fetch(url)[1]), timeout=5), served_sample.stderr()
    assert fetch(url)[0] == 200


def test_template_error_shows_template_and_line_then_recovers(served_sample: Served) -> None:
    url, _ = _page_url(served_sample)
    override = served_sample.site / "themes" / "default" / "templates" / "dept_year.html"
    override.parent.mkdir(parents=True)
    # A site theme overriding one template of the default theme; line 3 has an unclosed call.
    override.write_text(
        '{% extends "default/dept_year.html" %}\n{% block content %}\n{{ dy.department( }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    assert wait_for(lambda: fetch(url)[0] == 500, timeout=5), served_sample.stderr()
    error = BeautifulSoup(fetch(url)[1], "html.parser").select_one("#budgetsite-build-error")
    assert error is not None and "dept_year.html" in error.get_text() and "第 3 行" in error.get_text()
    assert served_sample.process.poll() is None

    override.write_text(
        '{% extends "default/dept_year.html" %}\n{% block content %}<p>覆盖模板生效</p>{{ super() }}{% endblock %}\n',
        encoding="utf-8",
    )
    assert wait_for(lambda: "覆盖模板生效" in fetch(url)[1], timeout=10), served_sample.stderr()
    assert fetch(url)[0] == 200


def test_binds_localhost_by_default_and_ctrl_c_exits_cleanly(served_sample: Served) -> None:
    assert "Serving http://127.0.0.1:" in served_sample.stderr()
    # Bound to 127.0.0.1 only: another loopback address (where a 0.0.0.0 server would answer) is refused.
    port = int(served_sample.url.split(":")[2].split("/")[0])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", port), timeout=2).close()
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    started = time.monotonic()
    assert stop_server(served_sample) == 0
    assert time.monotonic() - started < 5
    assert "Traceback" not in served_sample.stderr()
    assert "Stopped." in served_sample.stderr()


def test_serves_under_the_base_url_path(sample_site: Path) -> None:
    served = start_server(sample_site, "--base-url", "/budget/")
    try:
        assert served.url.endswith("/budget/")
        status, body = fetch(served.url)
        assert status == 200
        links = [a["href"] for a in BeautifulSoup(body, "html.parser").find_all("a", href=True)]
        internal = [h for h in links if h.startswith("/")]
        assert internal and all(h.startswith("/budget/") for h in internal), internal
        # The root redirects into the site; nothing is served outside the base path.
        root_status, _ = fetch(served.url.replace("/budget/", "/departments/"))
        assert root_status == 404
    finally:
        stop_server(served)


def test_a_busy_port_is_one_clear_line_before_any_build(sample_site: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=sample_site, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use) — pass another --port or stop the other server"
    ]
    assert not (sample_site / ".budgetsite-cache").exists()
