"""A link checker over HTTP: follow every internal link of a running site, anchors included.

The file-based checker of a built output/ folder is tests/site/site_links.py (`broken_links`); this one
checks what a server actually serves, e.g. a site mounted under a sub-path such as /budget/.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

# Attributes that point at another resource. srcset is skipped: the theme does not use it.
LINK_ATTRIBUTES = (
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("form", "action"),
)


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
