"""Reading a server-rendered HTML job list page by page (Jobvite, iCIMS).

These career sites have no JSON listing: each page of the list is HTML, and the only honest way to
know the other pages is the page's own links to them (``?p=2``, ``&pr=1``…). ``read_pages``
fetches the first page, then every page a fetched page links to, until no new page is linked;
records are deduplicated by id across pages.

>>> from selectolax.lexbor import LexborHTMLParser
>>> linked_values(LexborHTMLParser('<a href="?p=1">2</a><a href="/x/search?q=a&p=2">3</a>'), "p")
['1', '2']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser

from leadboard.sources.base import Listing
from leadboard.sources.http import FetchError, HttpClient

MAX_PAGES = 100  # far above any real board's pages; stops a site that links pages forever

RowReader = Callable[[LexborHTMLParser], list[dict[str, Any]]]


def linked_values(tree: LexborHTMLParser, param: str) -> list[str]:
    """Every value of query parameter ``param`` in the page's links, first seen first."""
    values: dict[str, None] = {}
    for anchor in tree.css("a[href]"):
        query = urlsplit(anchor.attributes.get("href") or "").query
        for value in parse_qs(query).get(param, []):
            if value.strip():
                values.setdefault(value.strip(), None)
    return list(values)


def read_pages(
    client: HttpClient,
    url: str,
    *,
    params: Mapping[str, str],
    page_param: str,
    read_rows: RowReader,
    what: str = "job",
) -> Listing:
    """The records of every page of an HTML list, following the pages it links to.

    The first request failing raises ``FetchError``; a later page failing, or the page cap being
    hit, returns what was read with ``error`` set (a partial listing closes nothing).
    """
    first = get_page(client, url, params)
    records: dict[str, dict[str, Any]] = {}
    _add(records, read_rows(first))
    seen: set[str] = set()
    waiting = linked_values(first, page_param)
    pages = 1
    while waiting:
        value = waiting.pop(0)
        if value in seen:
            continue
        seen.add(value)
        if pages >= MAX_PAGES:
            return Listing(list(records.values()), error=f"stopped after {MAX_PAGES} pages")
        try:
            page = get_page(client, url, {**params, page_param: value})
        except FetchError as err:
            error = f"{what} list page {page_param}={value}: {err}"
            return Listing(list(records.values()), error=error)
        pages += 1
        _add(records, read_rows(page))
        waiting += [v for v in linked_values(page, page_param) if v not in seen]
    return Listing(list(records.values()))


def get_page(client: HttpClient, url: str, params: Mapping[str, str]) -> LexborHTMLParser:
    """One list page as parsed HTML; ``FetchError`` when the answer is not an HTML page of that
    list (JSON, plain text, or a redirect elsewhere: the career site's "no such company" page
    must not pass for an empty board)."""
    response = client.get(url, params=params)
    content_type = response.headers.get("content-type", "").lower()
    if "html" not in content_type:
        shown = content_type or "no content type"
        raise FetchError(f"response from {url} is not an HTML page ({shown})", url=url)
    if response.url.path.rstrip("/") != urlsplit(url).path.rstrip("/"):
        raise FetchError(f"{url} redirected to {response.url}: no such board?", url=url)
    # A page cut short still parses; only its end tag says the list on it is whole. Without it
    # the rows past the cut would look removed upstream, and be closed.
    if "</html>" not in response.text[-4096:].lower():
        raise FetchError(f"page from {url} is cut short (no </html> at its end)", url=url)
    return LexborHTMLParser(response.text)


def _add(records: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    for row in rows:
        records.setdefault(str(row["id"]), row)
