"""A link checker for built sites, shared by the build and serve tests.

Two ways to check: `check_links(output_dir, base_url)` reads the files of a built site, and
`crawl(start_url)` follows links over HTTP from a running server. Both resolve every internal
`href`/`src` (anchors included) and return a list of readable problems; an empty list means no
broken links.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

# Attributes that point at another resource. srcset is skipped: the theme does not use it.
LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"))
SITE_HOST = "site.invalid"  # a placeholder origin so urljoin can resolve relative links of local files


def _links(soup: BeautifulSoup) -> Iterator[str]:
    for tag_name, attribute in LINK_ATTRIBUTES:
        for tag in soup.find_all(tag_name):
            value = tag.get(attribute)
            if value:
                yield str(value).strip()


def _anchors(soup: BeautifulSoup) -> set[str]:
    ids = {str(tag["id"]) for tag in soup.find_all(id=True)}
    names = {str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})}
    return ids | names


def _is_external(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "javascript", "data"):
        return True
    return bool(parts.netloc) and f"{parts.scheme}://{parts.netloc}" != origin


def _page_url(path: Path, output_dir: Path, base_url: str) -> str:
    relative = path.relative_to(output_dir).as_posix()
    if relative == "index.html":
        relative = ""
    elif relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return f"http://{SITE_HOST}{base_url}{relative}"


def _file_for(url_path: str, output_dir: Path, base_url: str) -> Path | None:
    """The file a static host would serve for `url_path`, or None when it falls outside the site."""
    if not url_path.startswith(base_url):
        return None
    relative = unquote(url_path[len(base_url) :])
    target = output_dir / relative
    if relative == "" or relative.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_links(output_dir: Path, base_url: str = "/") -> list[str]:
    """Check every internal href/src and #anchor of every HTML page under `output_dir`.

    `base_url` is the path the site will be served from (e.g. "/budget/"); a link outside it is broken.
    """
    output_dir = Path(output_dir)
    if not base_url.endswith("/"):
        base_url += "/"
    origin = f"http://{SITE_HOST}"
    soups: dict[Path, BeautifulSoup] = {}

    def soup_of(path: Path) -> BeautifulSoup:
        if path not in soups:
            soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return soups[path]

    problems: list[str] = []
    for page in sorted(output_dir.rglob("*.html")):
        page_url = _page_url(page, output_dir, base_url)
        name = page.relative_to(output_dir).as_posix()
        for link in _links(soup_of(page)):
            if _is_external(link, origin):
                continue
            absolute, fragment = urldefrag(urljoin(page_url, link))
            target = _file_for(urlsplit(absolute).path, output_dir, base_url)
            if target is None or not target.is_file():
                problems.append(f"{name}: broken link {link!r}")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in _anchors(soup_of(target)):
                problems.append(f"{name}: missing anchor {link!r}")
    return problems


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), b""


def crawl(start_url: str, limit: int = 5000) -> tuple[list[str], int]:
    """Follow every internal link from `start_url` over HTTP; return (problems, pages fetched).

    A link is internal when it has the same origin and lies under the start URL's path, so a site
    mounted at /budget/ that links outside /budget/ counts as broken.
    """
    parts = urlsplit(start_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    prefix = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    pages: dict[str, BeautifulSoup | None] = {}
    queue = [start_url]
    references: list[tuple[str, str, str]] = []  # (page, link as written, absolute url with fragment)
    problems: list[str] = []
    while queue and len(pages) < limit:
        url = queue.pop()
        if url in pages:
            continue
        status, content_type, body = _fetch(url)
        pages[url] = None
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if "html" not in content_type:
            continue
        soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
        pages[url] = soup
        for link in _links(soup):
            if _is_external(link, origin):
                continue
            absolute = urljoin(url, link)
            target, _ = urldefrag(absolute)
            if not urlsplit(target).path.startswith(prefix):
                problems.append(f"{url}: link {link!r} leaves the site's path {prefix}")
                continue
            references.append((url, link, absolute))
            if target not in pages:
                queue.append(target)
    for page, link, absolute in references:
        target, fragment = urldefrag(absolute)
        soup = pages.get(target)
        if fragment and soup is not None and unquote(fragment) not in _anchors(soup):
            problems.append(f"{page}: missing anchor {link!r}")
    return problems, len(pages)
