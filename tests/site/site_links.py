"""A link checker over a built site: every internal href/src resolves to a file and every #anchor exists."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def html_files(output: Path) -> list[Path]:
    """Every HTML page of the site (the Pagefind bundle excluded)."""
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts)


def url_of(output: Path, page: Path, base_path: str = "/") -> str:
    """The site URL path a page file is served at."""
    relative = page.relative_to(output).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return base_path + relative


@cache
def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def soup(path: Path) -> BeautifulSoup:
    """Parsed page (cached: pages of a built site do not change during a test session)."""
    return _parse(path)


def target_file(output: Path, url_path: str, base_path: str) -> Path | None:
    """The file a URL path of the site resolves to, or None when it would not be found."""
    if not url_path.startswith(base_path):
        return None
    relative = unquote(url_path[len(base_path) :])
    candidate = output / relative
    if relative == "" or relative.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    """All internal links of the site that point nowhere: 'page -> href (reason)'."""
    problems = []
    for page in html_files(output):
        page_url = url_of(output, page, base_path)
        document = soup(page)
        for tag in document.find_all(["a", "link", "script", "img", "form"]):
            attribute = {"a": "href", "link": "href", "form": "action"}.get(tag.name, "src")
            href = tag.get(attribute)
            if href is None:
                continue
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external (none expected, but not ours to check)
            if not parts.path:
                target: Path | None = page
            elif not parts.path.startswith("/"):
                problems.append(f"{page_url} -> {href} (relative link; every link must go through url())")
                continue
            else:
                target = target_file(output, parts.path, base_path)
            if target is None:
                problems.append(f"{page_url} -> {href} (no such file)")
                continue
            if (
                parts.fragment
                and target.suffix == ".html"
                and soup(target).find(id=unquote(parts.fragment)) is None
            ):
                problems.append(f"{page_url} -> {href} (no element with that id)")
    return problems
