"""serve's WSGI app and error reporting, without starting a server."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jinja2 import DictLoader, Environment, StrictUndefined

from budgetsite.errors import ContentError
from budgetsite.serve.server import BuildProblem, PreviewApp, error_page, problem_from_exception
from budgetsite.site.load import split_front_matter


def _call(app: PreviewApp, path: str) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    # WSGI passes the unquoted path as latin-1 text (PEP 3333).
    environ = {"PATH_INFO": path.encode("utf-8").decode("latin-1"), "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, start_response))
    return str(seen["status"]), seen["headers"], body  # type: ignore[return-value]


@pytest.fixture
def preview(tmp_path: Path) -> Path:
    (tmp_path / "departments" / "gongxin" / "2024").mkdir(parents=True)
    (tmp_path / "departments" / "gongxin" / "2024" / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>徐水</body></html>", encoding="utf-8"
    )
    (tmp_path / "404.html").write_text("<html><head></head><body>找不到</body></html>", encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "wasm.zh-cn.pagefind").write_bytes(b"\0asm")
    return tmp_path


def test_serves_pages_under_the_base_path_and_redirects_the_root(preview: Path) -> None:
    app = PreviewApp(preview, "/budget/", lambda: None)
    status, headers, body = _call(app, "/budget/departments/gongxin/2024/")
    assert status == "200 OK" and "徐水" in body.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    status, headers, _ = _call(app, "/")
    assert status.startswith("302") and headers["Location"] == "/budget/"
    status, headers, _ = _call(app, "/budget/departments/gongxin/2024")
    assert status.startswith("301") and headers["Location"] == "/budget/departments/gongxin/2024/"


def test_missing_pages_get_the_site_404_page_and_nothing_escapes_the_folder(preview: Path) -> None:
    app = PreviewApp(preview, "/", lambda: None)
    status, _, body = _call(app, "/departments/nobody/")
    assert status.startswith("404") and "找不到" in body.decode()
    (preview.parent / "secret.txt").write_text("secret", encoding="utf-8")
    status, _, body = _call(app, "/../secret.txt")
    assert status.startswith("404") and b"secret" not in body


def test_while_broken_every_page_is_the_error_page_but_assets_still_load(preview: Path) -> None:
    problem = BuildProblem(
        "content/x/2024/index.md:3: front matter is not valid YAML", "content/x/2024/index.md", 3
    )
    app = PreviewApp(preview, "/", lambda: problem)
    status, _, body = _call(app, "/departments/gongxin/2024/")
    assert status.startswith("500")
    page = BeautifulSoup(body.decode(), "html.parser")
    assert "content/x/2024/index.md" in page.select_one("#budgetsite-build-error").get_text()
    assert "第 3 行" in page.get_text()
    # </head> must be there: livereload injects its script before it, so the error page reloads itself.
    assert b"</head>" in body
    status, _, _ = _call(app, "/pagefind/wasm.zh-cn.pagefind")
    assert status == "200 OK"


def test_error_page_escapes_the_message() -> None:
    body = error_page(BuildProblem("<script>alert(1)</script>", "a<b>.md", 1)).decode()
    soup = BeautifulSoup(body, "html.parser")
    assert soup.find("script") is None and "<script>alert(1)</script>" in soup.get_text()


def test_invalid_front_matter_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    text = "---\ntitle: 2024年部门预算\nyear: [2024\n---\n正文\n"
    with pytest.raises(ContentError) as caught:
        split_front_matter(text, path)
    problem = problem_from_exception(caught.value)
    assert problem.file == str(path)
    assert problem.line is not None and problem.line >= 3
    assert problem.one_line().startswith(f"{path}:{problem.line}")
    assert "\n" not in problem.one_line()


def test_template_syntax_error_names_template_and_line() -> None:
    env = Environment(loader=DictLoader({"page.html": "<p>\n{{ title }\n</p>"}))
    with pytest.raises(Exception) as caught:
        env.get_template("page.html")
    problem = problem_from_exception(caught.value)
    assert problem.file == "page.html" and problem.line == 2


def test_template_runtime_error_names_template_and_line(tmp_path: Path) -> None:
    from jinja2 import FileSystemLoader

    (tmp_path / "page.html").write_text("<p>\n<b>\n{{ missing.attribute }}\n</b>", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined)
    with pytest.raises(Exception) as caught:
        env.get_template("page.html").render()
    problem = problem_from_exception(caught.value)
    assert problem.file == str(tmp_path / "page.html") and problem.line == 3


def test_template_error_wrapped_by_the_build_still_names_the_line(tmp_path: Path) -> None:
    from jinja2 import FileSystemLoader

    from budgetsite.site.render import render_template

    (tmp_path / "page.html").write_text("<p>\n{{ dy.missing }}\n</p>", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined)
    with pytest.raises(ContentError) as caught:
        render_template(env, "page.html", {"dy": {}})
    problem = problem_from_exception(caught.value)
    assert problem.file == str(tmp_path / "page.html") and problem.line == 2
