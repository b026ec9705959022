"""Jobvite career-site connector (server-rendered HTML list; no JSON API without a key).

A board is a Jobvite company slug (``jobs.jobvite.com/{company}``). The list is
``GET https://jobs.jobvite.com/{company}/search`` (HTML); further pages are the ones the page links
to (``?p=N``), followed until none is new. Each posting is a link ``/{company}/job/{id}`` with its
title and a ``.jv-job-list-location`` next to it (in the link, or in the same table row or list
item: Jobvite's templates differ between employers). That is all the list gives: no description,
no dates, no pay. Job pages (``/{company}/job/{id}``) are not read: no recorded page shows where
their text is, so postings come without a description.

>>> from leadboard.sources.http import HttpClient
>>> JobviteConnector(HttpClient(), base_url="http://127.0.0.1:9").search_url("resolver")
'http://127.0.0.1:9/jobs.jobvite.com/resolver/search'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from leadboard.models import SourcePosting
from leadboard.sources.base import AtsConnector, Listing, clean_text, id_and_title, non_empty
from leadboard.sources.html_listing import read_pages

SOURCE = "jobvite"
HOST = "jobs.jobvite.com"
PAGE_PARAM = "p"

_JOB_PATH = re.compile(r"^/([^/]+)/job/([A-Za-z0-9]+)/?$")
_BOARD_URL = re.compile(
    r"^(?:https?://)?jobs\.jobvite\.com/(?:careers/)?([A-Za-z0-9_.-]+)(?:[/?#]|$)", re.IGNORECASE
)
_ROW_TAGS = frozenset({"tr", "li"})
_SPACES = re.compile(r"\s+")


def read_rows(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """The postings of one list page: ``{"id", "title", "path", "location"}`` per job link.

    >>> page = ('<table><tr><td><a href="/acme/job/oAb1">ML Lead</a></td>'
    ...         '<td class="jv-job-list-location">Chicago, Illinois</td></tr></table>')
    >>> read_rows(LexborHTMLParser(page))
    [{'id': 'oAb1', 'title': 'ML Lead', 'path': '/acme/job/oAb1', 'location': 'Chicago, Illinois'}]
    """
    rows = []
    for anchor in tree.css("a[href]"):
        path = urlsplit(anchor.attributes.get("href") or "").path
        match = _JOB_PATH.match(path)
        if match is None:
            continue
        location = _text(anchor.css_first(".jv-job-list-location"))
        title_node = anchor.css_first(".jv-job-list-name") or anchor.css_first(".title")
        title = _text(title_node) if title_node is not None else _text(anchor)
        if location and title_node is None and title:  # the location sits in the link's text
            title = clean_text(title.replace(location, "", 1))
        if location is None and (row := _row_of(anchor)) is not None:
            location = _text(row.css_first(".jv-job-list-location"))
        rows.append({"id": match.group(2), "title": title, "path": path, "location": location})
    return rows


def parse_job(record: Any, board: str, fetched_at: datetime) -> SourcePosting:
    """One row of the list (as ``read_rows`` gives it) → a SourcePosting without description.

    >>> from datetime import UTC
    >>> p = parse_job({"id": "oAb1", "title": "ML Lead", "path": "/acme/job/oAb1",
    ...                "location": "Chicago, Illinois"}, "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.key, p.url, p.locations
    ('jobvite:acme:oAb1', 'https://jobs.jobvite.com/acme/job/oAb1', ['Chicago, Illinois'])
    """
    job_id, title = id_and_title(record)
    path = clean_text(record.get("path")) or f"/{board}/job/{job_id}"
    location = clean_text(record.get("location"))
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=f"https://{HOST}{path}",
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=[location] if location else [],
        extra=non_empty(listing_only=True),
    )


class JobviteConnector(AtsConnector):
    """Fetches Jobvite career sites from their HTML list pages (``fetch`` from ``AtsConnector``)."""

    kind = SOURCE
    board_word = "career site"

    def search_url(self, board: str) -> str:
        return self.url(HOST, f"/{board}/search")

    def read_listing(self, board: str) -> Listing:
        """Every posting on every list page of ``board``."""
        return read_pages(
            self.client,
            self.search_url(board),
            params={},
            page_param=PAGE_PARAM,
            read_rows=read_rows,
        )

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The company in a Jobvite list or job URL; None for other URLs.

        >>> JobviteConnector.board_from_url("https://jobs.jobvite.com/resolver/jobs")
        'resolver'
        >>> JobviteConnector.board_from_url("https://www.jobvite.com/") is None
        True
        """
        match = _BOARD_URL.match(url.strip())
        return match.group(1) if match else None

    @classmethod
    def careers_url(cls, board: str) -> str:
        """``https://jobs.jobvite.com/{company}/jobs``: the public list."""
        return f"https://{HOST}/{board}/jobs"


def _text(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return clean_text(_SPACES.sub(" ", node.text(deep=True, separator=" ")))


def _row_of(anchor: LexborNode) -> LexborNode | None:
    """The table row or list item that holds a job link (a few levels up at most)."""
    node = anchor.parent
    for _ in range(4):
        if node is None:
            return None
        if node.tag in _ROW_TAGS:
            return node
        node = node.parent
    return None
