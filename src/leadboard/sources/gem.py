"""Gem job-board API connector.

A board is a Gem job-board slug (``jobs.gem.com/{slug}``); its postings come in one request,
``GET https://api.gem.com/job_board/v0/{slug}/job_posts/``: a JSON list of Greenhouse-like records
with the HTML ``content`` included (no paging, no total). Ids are numeric strings for postings
migrated from Greenhouse, opaque base64-like strings otherwise.

>>> from leadboard.sources.http import HttpClient
>>> GemConnector(HttpClient(), base_url="http://127.0.0.1:9").posts_url("groq")
'http://127.0.0.1:9/api.gem.com/job_board/v0/groq/job_posts/'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from leadboard.models import DescriptionFormat, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    unique_texts,
)
from leadboard.sources.http import FetchError

SOURCE = "gem"
API_HOST = "api.gem.com"
BOARD_HOST = "jobs.gem.com"

# jobs.gem.com/{slug}[/{post id}] and api.gem.com/job_board/v0/{slug}/job_posts[/…]
_BOARD_URL = re.compile(r"^(?:https?://)?jobs\.gem\.com/([A-Za-z0-9_.~-]+)", re.IGNORECASE)
_API_URL = re.compile(
    r"^(?:https?://)?api\.gem\.com/job_board/v0/([A-Za-z0-9_.~-]+)(?:/|$|\?)", re.IGNORECASE
)


def parse_job(record: Any, board: str, fetched_at: datetime) -> SourcePosting:
    """Read one job-post record, in the API's own shape, into a SourcePosting.

    ``content`` (HTML) is the description, ``content_plain`` the fallback as text;
    ``first_published_at`` is the posting date (``created_at`` when it is missing: the post's
    creation), ``location_type`` the remote hint. ``ValueError`` when the record is not a post.

    >>> from datetime import UTC
    >>> p = parse_job({"id": "4965519002", "title": "Software Engineer",
    ...                "location": {"name": "San Francisco, United States"},
    ...                "location_type": "hybrid", "first_published_at": "2020-11-17T15:37:23Z"},
    ...               "gem", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.key, p.locations, p.workplace_type, p.posted_at
    ('gem:gem:4965519002', ['San Francisco, United States'], 'hybrid', '2020-11-17T15:37:23Z')
    """
    post_id, title = id_and_title(record, word="job post")

    offices = record.get("offices") if isinstance(record.get("offices"), list) else []
    office_places = [
        office["location"].get("name")
        for office in offices
        if isinstance(office, dict) and isinstance(office.get("location"), dict)
    ]
    location = record.get("location")
    location_name = location.get("name") if isinstance(location, dict) else location

    description = clean_text(record.get("content"))
    description_format: DescriptionFormat = "html"
    if description is None:
        description, description_format = clean_text(record.get("content_plain")), "text"

    # first_published_at is when the post went public; created_at (the post's creation) stands in
    posted = clean_text(record.get("first_published_at")) or clean_text(record.get("created_at"))
    extra = non_empty(
        internal_job_id=clean_text(record.get("internal_job_id")),
        departments=_names(record.get("departments")),
        offices=_names(offices),
        created_at=clean_text(record.get("created_at")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=post_id,
        url=clean_text(record.get("absolute_url")),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=unique_texts([location_name, *office_places]),
        description=description,
        description_format=description_format if description else None,
        posted_at=posted,
        updated_at=clean_text(record.get("updated_at")),
        workplace_type=clean_text(record.get("location_type")),
        employment_type=clean_text(record.get("employment_type")),
        requisition_id=clean_text(record.get("requisition_id")),
        extra=extra,
    )


class GemConnector(AtsConnector):
    """Fetches Gem job boards (``fetch`` comes from ``AtsConnector``): one request a board."""

    kind = SOURCE
    record_word = "job post"

    def posts_url(self, board: str) -> str:
        return self.url(API_HOST, f"/job_board/v0/{board}/job_posts/")

    def read_listing(self, board: str) -> Listing:
        """Every job post of ``board``; a body that is not a list is a ``FetchError``."""
        url = self.posts_url(board)
        body = self.client.get_json(url)
        if not isinstance(body, list):
            raise FetchError(f"response from {url} is not a list of job posts", url=url)
        return Listing(body)

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The slug in a Gem board, job or API URL; None for other URLs.

        >>> GemConnector.board_from_url("https://jobs.gem.com/groq/am9icG9zdDqTzmNG?src=x")
        'groq'
        >>> GemConnector.board_from_url("https://API.gem.com/job_board/v0/bilt/job_posts/")
        'bilt'
        >>> GemConnector.board_from_url("https://www.gem.com/careers") is None
        True
        """
        text = url.strip()
        match = _BOARD_URL.match(text) or _API_URL.match(text)
        return match.group(1) if match else None

    @classmethod
    def careers_url(cls, board: str) -> str:
        """``https://jobs.gem.com/{slug}``."""
        return f"https://{BOARD_HOST}/{board}"


def _names(items: Any) -> list[str]:
    """The ``name`` of each department or office."""
    if not isinstance(items, list):
        return []
    return unique_texts(item.get("name") for item in items if isinstance(item, dict))
