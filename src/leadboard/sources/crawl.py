"""Fetch many boards at once, politely, without one bad board stopping the rest.

>>> from leadboard.sources.boards import load_boards
>>> for fetch in crawl(load_boards()[:3], concurrency=2):   # doctest: +SKIP
...     print(fetch.board, len(fetch.postings), fetch.error)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Protocol

from leadboard.sources.base import BoardFetch, url_parts
from leadboard.sources.boards import BoardRef
from leadboard.sources.http import FetchError, HttpClient
from leadboard.sources.jsonld import SOURCE as JSONLD
from leadboard.sources.jsonld import parse_jsonld_page
from leadboard.sources.lever import LeverConnector
from leadboard.sources.registry import KINDS, connector_class


class Connector(Protocol):
    @property
    def kind(self) -> str: ...  # read-only: connectors set it on the class

    def fetch(
        self, board: str, *, company: str | None = None, known: Mapping[str, str] | None = None
    ) -> BoardFetch: ...


class Connectors:
    """One connector per ATS kind, sharing one client, each made when first asked for.

    ``base_urls`` overrides API roots by kind (and ``lever_eu``); otherwise the connectors'
    ``LEADBOARD_*`` environment variables, otherwise the public APIs.
    """

    def __init__(self, client: HttpClient, base_urls: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.base_urls = dict(base_urls or {})
        self._made: dict[str, Connector] = {}
        self._lock = threading.Lock()

    def get(self, kind: str) -> Connector | None:
        """The connector of ``kind``, or None when Leadboard has none."""
        if kind not in KINDS:
            return None
        with self._lock:
            if kind not in self._made:
                self._made[kind] = self._make(kind)
            return self._made[kind]

    def _make(self, kind: str) -> Connector:
        if kind == "lever":
            return LeverConnector(
                self.client,
                base_url=self.base_urls.get("lever"),
                eu_base_url=self.base_urls.get("lever_eu"),
            )
        return connector_class(kind)(self.client, base_url=self.base_urls.get(kind))


def make_connectors(client: HttpClient, base_urls: Mapping[str, str] | None = None) -> Connectors:
    """The connectors of every kind, sharing ``client`` (see ``Connectors``)."""
    return Connectors(client, base_urls)


KnownListing = Callable[[BoardRef], Mapping[str, str]]


def crawl(
    boards: Iterable[BoardRef],
    *,
    client: HttpClient | None = None,
    concurrency: int = 4,
    base_urls: Mapping[str, str] | None = None,
    known: KnownListing | None = None,
) -> Iterator[BoardFetch]:
    """Fetch ``boards`` with at most ``concurrency`` in flight; yield each result as it finishes.

    A board that fails comes back as a ``BoardFetch`` with ``error`` set; it never stops the
    others. Without ``client``, one is made (default politeness) and closed at the end. ``known``
    gives a board's stored listing hashes, so that unchanged records are not read in detail again.
    """
    own_client = client is None
    http = client or HttpClient()
    connectors = make_connectors(http, base_urls)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="crawl")
    try:
        futures = {pool.submit(_fetch_one, connectors, board, known): board for board in boards}
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # a consumer that stops early
        if own_client:
            http.close()


def fetch_board(
    board: BoardRef, *, client: HttpClient | None = None, base_urls: Mapping[str, str] | None = None
) -> BoardFetch:
    """Fetch one board; never raises. See ``crawl`` for many."""
    with _client_for(client) as http:
        return _fetch_one(make_connectors(http, base_urls), board)


def fetch_career_page(
    url: str, *, client: HttpClient | None = None, fetched_at: datetime | None = None
) -> BoardFetch:
    """Fetch one career page and read its schema.org JobPosting JSON-LD; never raises.

    >>> fetch_career_page("https://jobs.example.com/42").postings   # doctest: +SKIP
    """
    with _client_for(client) as http:
        try:
            page = http.get_text(url)
        except FetchError as err:
            return BoardFetch(
                source=JSONLD,
                board=_host(url),
                error=f"career page: {err}",
                unreachable=err.unreachable,
            )
        return parse_jsonld_page(page, url, fetched_at or datetime.now(UTC))


def _fetch_one(
    connectors: Connectors, board: BoardRef, known: KnownListing | None = None
) -> BoardFetch:
    connector = connectors.get(board.kind)
    if connector is None:
        return BoardFetch(
            source=board.kind,
            board=board.token,
            error=f"no connector for board kind {board.kind!r}",
        )
    try:
        listing = known(board) if known is not None else None
        return connector.fetch(board.token, company=board.company, known=listing)
    except Exception as err:  # noqa: BLE001 - a bug in one connector must not end the whole crawl
        return BoardFetch(
            source=board.kind,
            board=board.token,
            error=f"{board.spec}: unexpected {err.__class__.__name__}: {err}",
        )


@contextmanager
def _client_for(client: HttpClient | None) -> Iterator[HttpClient]:
    """Use the caller's client as is, or make one and close it afterwards."""
    if client is not None:
        yield client
        return
    with HttpClient() as own:
        yield own


def _host(url: str) -> str:
    return url_parts(url).host or url
