"""Pinpoint public postings connector.

A board is a Pinpoint subdomain (``{x}.pinpointhq.com``); every open posting comes in one request,
``GET https://{x}.pinpointhq.com/postings.json``, as ``{"data": [...]}`` (no paging, no total).
Each posting carries its advert in HTML sections (description, key responsibilities, skills,
benefits; each with its own heading), its pay both as structured fields and as a display string,
and an application deadline, but no publication date: ``posted_at`` stays empty.

>>> from leadboard.sources.http import HttpClient
>>> PinpointConnector(HttpClient(), base_url="http://127.0.0.1:9").postings_url("arm")
'http://127.0.0.1:9/arm.pinpointhq.com/postings.json'
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    object_at,
    salary_hint,
    unique_texts,
)
from leadboard.sources.http import FetchError

SOURCE = "pinpoint"
HOST_SUFFIX = ".pinpointhq.com"

# The advert's sections after ``description``, in the order the posting page shows them.
_SECTIONS = (
    ("key_responsibilities", "key_responsibilities_header"),
    ("skills_knowledge_expertise", "skills_knowledge_expertise_header"),
    ("benefits", "benefits_header"),
)
# {x}.pinpointhq.com, any path; "www" is Pinpoint's own site, not a board.
_BOARD_URL = re.compile(
    r"^(?:https?://)?(?!www\.)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.pinpointhq\.com(?:[:/?#]|$)",
    re.IGNORECASE,
)


def parse_job(record: Any, board: str, fetched_at: datetime) -> SourcePosting:
    """Read one posting of ``data``, in the API's own shape, into a SourcePosting.

    The description is ``description`` followed by each non-empty section under its own heading.
    Pay comes from ``compensation_minimum``/``maximum``/``currency``/``frequency`` (and the
    ``compensation`` string) unless ``compensation_visible`` is false: the board hides it.
    ``ValueError`` when the record is not a posting.

    >>> from datetime import UTC
    >>> p = parse_job({"id": "1", "title": "ML Lead", "compensation_minimum": 80000.0,
    ...                "compensation_currency": "GBP", "compensation_frequency": "year",
    ...                "compensation_visible": True, "location": {"name": "London"}},
    ...               "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.key, p.locations, (p.salary.min, p.salary.max, p.salary.currency, p.salary.period)
    ('pinpoint:acme:1', ['London'], (80000.0, None, 'GBP', 'year'))
    """
    posting_id, title = id_and_title(record, word="posting")

    job = object_at(record, "job")
    location = object_at(record, "location")
    pay_shown = record.get("compensation_visible") is not False
    description = _description(record)
    extra = non_empty(
        job_id=clean_text(job.get("id")),
        department=_name(job.get("department")),
        division=_name(job.get("division")),
        reporting_to=clean_text(record.get("reporting_to")),
        postal_code=clean_text(location.get("postal_code")),
        employment_type_text=clean_text(record.get("employment_type_text")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=posting_id,
        url=clean_text(record.get("url")),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(location),
        description=description,
        description_format="html" if description else None,
        closes_at=clean_text(record.get("deadline_at")),
        salary=_salary(record) if pay_shown else None,
        salary_text=clean_text(record.get("compensation")) if pay_shown else None,
        workplace_type=clean_text(record.get("workplace_type"))
        or clean_text(record.get("workplace_type_text")),
        employment_type=clean_text(record.get("employment_type"))
        or clean_text(record.get("employment_type_text")),
        requisition_id=clean_text(job.get("requisition_id")),
        extra=extra,
    )


class PinpointConnector(AtsConnector):
    """Fetches Pinpoint boards (``fetch`` comes from ``AtsConnector``): one request a board."""

    kind = SOURCE
    record_word = "posting"

    def postings_url(self, board: str) -> str:
        return self.url(f"{board}{HOST_SUFFIX}", "/postings.json")

    def read_listing(self, board: str) -> Listing:
        """Every posting of ``board``; a body without a ``data`` list is a ``FetchError``."""
        url = self.postings_url(board)
        body = self.client.get_json(url)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise FetchError(f"response from {url} has no 'data' list of postings", url=url)
        return Listing(data)

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The subdomain in a Pinpoint board, posting or API URL; None for other URLs.

        >>> PinpointConnector.board_from_url("https://Arm.PinpointHQ.com/en/postings/fca5?x=1")
        'arm'
        >>> PinpointConnector.board_from_url("https://www.pinpointhq.com/") is None
        True
        """
        match = _BOARD_URL.match(url.strip())
        return match.group(1).lower() if match else None

    @classmethod
    def careers_url(cls, board: str) -> str:
        """``https://{x}.pinpointhq.com``: the board's own careers site."""
        return f"https://{board}{HOST_SUFFIX}"


def _description(record: dict[str, Any]) -> str | None:
    """``description``, then every non-empty section under its heading, as one HTML document."""
    parts = [main] if (main := clean_text(record.get("description"))) else []
    for field, header_field in _SECTIONS:
        content = clean_text(record.get(field))
        if content is None:
            continue
        if heading := clean_text(record.get(header_field)):
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        parts.append(content)
    return "\n".join(parts) or None


def _locations(location: dict[str, Any]) -> list[str]:
    """One place from the location's name, city and province (each once, in that order)."""
    pieces: dict[str, str] = {}  # lower-cased → first spelling: "London" and "london" are one
    for text in unique_texts(location.get(key) for key in ("name", "city", "province")):
        pieces.setdefault(text.lower(), text)
    # a part already inside another ("Leeds" in "Leeds Office") is said once
    kept = [text for low, text in pieces.items() if not any(low in o and low != o for o in pieces)]
    return [", ".join(kept)] if kept else []


def _name(value: Any) -> str | None:
    return clean_text(value.get("name")) if isinstance(value, dict) else clean_text(value)


def _salary(record: dict[str, Any]) -> SalaryHint | None:
    return salary_hint(
        record,
        low="compensation_minimum",
        high="compensation_maximum",
        currency="compensation_currency",
        period="compensation_frequency",
    )
