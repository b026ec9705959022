"""Recruitee careers-site API connector.

A board is one ``GET https://{slug}.recruitee.com/api/offers/``, which returns every published
offer, descriptions included, as ``{"offers": [...]}`` (no paging). Boards on a custom careers
domain serve the same answer at ``https://{host}/api/offers/``: their token is that host (a token
with a dot in it, e.g. ``careers.atlys.com``).

>>> from leadboard.sources.http import HttpClient
>>> conn = RecruiteeConnector(HttpClient(), base_url="http://127.0.0.1:9")
>>> conn.offers_url("channable"), conn.offers_url("careers.atlys.com")
('http://127.0.0.1:9/channable.recruitee.com/api/offers/', \
'http://127.0.0.1:9/careers.atlys.com/api/offers/')
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    salary_hint,
    to_number,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "recruitee"
DOMAIN = "recruitee.com"
OFFERS_PATH = "/api/offers/"
# Sub-domains of recruitee.com that are Recruitee's own, not a company's careers site.
_NOT_BOARDS = frozenset({"www", "app", "api", "help", "blog", "support", "status", "careers"})
# The description's sections, in the order a Recruitee careers page shows them.
_SECTIONS = (("description", None), ("requirements", "Requirements"))


def parse_offer(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one offer, in the API's own shape, into a SourcePosting.

    ``published_at`` (``"2026-06-08 13:03:54 UTC"``, as served) is the posting date; an offer
    that was never published keeps no date rather than its ``created_at``. Pay comes from
    ``salary`` only when it holds an amount. Raises ``ValueError`` when the record is not an offer.

    >>> from datetime import UTC
    >>> p = parse_offer({"id": 7, "title": "ML Lead", "hybrid": True, "city": "Utrecht",
    ...                  "country": "Netherlands", "published_at": "2026-06-08 13:03:54 UTC",
    ...                  "salary": {"min": "5000", "max": "7000", "currency": "EUR",
    ...                             "period": "month"}},
    ...                 "channable", datetime(2026, 7, 1, tzinfo=UTC))
    >>> p.locations, p.workplace_type, p.posted_at, p.salary.max, p.salary.period
    (['Utrecht, Netherlands'], 'Hybrid', '2026-06-08 13:03:54 UTC', 7000.0, 'month')
    """
    offer_id, title = id_and_title(record, word="offer")
    description = _description(record)
    extra = non_empty(
        department=clean_text(record.get("department")),
        category=clean_text(record.get("category_code")),
        experience=clean_text(record.get("experience_code")),
        education=clean_text(record.get("education_code")),
        tags=unique_texts(record.get("tags") or []) if isinstance(record.get("tags"), list) else [],
        slug=clean_text(record.get("slug")),
        apply_url=clean_text(record.get("careers_apply_url")),
        min_hours_per_week=to_number(record.get("min_hours_per_week") or record.get("min_hours")),
        max_hours_per_week=to_number(record.get("max_hours_per_week") or record.get("max_hours")),
        created_at=clean_text(record.get("created_at")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=offer_id,
        url=clean_text(record.get("careers_url")) or _offer_url(board, record),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(record.get("company_name")),
        locations=_locations(record),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("published_at")),
        updated_at=clean_text(record.get("updated_at")),
        closes_at=clean_text(record.get("close_at")),
        salary=_salary(record.get("salary")),
        workplace_type=_workplace(record),
        employment_type=clean_text(record.get("employment_type_code")),
        extra=extra,
    )


class RecruiteeConnector(AtsConnector):
    """Fetches Recruitee careers sites, one request a board (``fetch`` comes from the base).

    >>> RecruiteeConnector.board_from_url("https://Channable.recruitee.com/o/ai-engineer")
    'channable'
    >>> RecruiteeConnector.careers_url("careers.atlys.com")
    'https://careers.atlys.com/'
    """

    kind = SOURCE
    board_word = "careers site"
    record_word = "offer"

    def offers_url(self, board: str) -> str:
        return self.url(board_host(board), OFFERS_PATH)

    def read_listing(self, board: str) -> Listing:
        """Every published offer of ``board``, in one response."""
        url = self.offers_url(board)
        body = self.client.get_json(url)
        offers = body.get("offers") if isinstance(body, dict) else None
        if not isinstance(offers, list):
            raise FetchError(f"response from {url} has no 'offers' list", url=url)
        return Listing(offers)

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_offer(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The slug of ``{slug}.recruitee.com`` URLs (board, offer and API pages alike).

        Custom careers domains cannot be told apart from other sites by their URL: None.

        >>> RecruiteeConnector.board_from_url("https://jobs.lever.co/acme") is None
        True
        """
        host = url_parts(url).host
        if not host.endswith("." + DOMAIN):
            return None
        slug = host[: -len(DOMAIN) - 1]
        if not slug or "." in slug or slug in _NOT_BOARDS:
            return None
        return slug

    @classmethod
    def careers_url(cls, board: str) -> str:
        return f"https://{board_host(board)}/"


def board_host(board: str) -> str:
    """``acme`` → ``acme.recruitee.com``; a token with a dot is a custom host, kept as it is.

    >>> board_host("acme"), board_host("Careers.Atlys.com")
    ('acme.recruitee.com', 'careers.atlys.com')
    """
    token = board.strip().lower()
    return token if "." in token else f"{token}.{DOMAIN}"


def _offer_url(board: str, record: dict[str, Any]) -> str | None:
    """The offer's page when the record has no ``careers_url``: ``/o/{slug}`` on the board."""
    slug = clean_text(record.get("slug"))
    return f"https://{board_host(board)}/o/{slug}" if slug else None


def _locations(record: dict[str, Any]) -> list[str]:
    """One "city, state, country" string per entry of ``locations``; else the flat fields, else
    the offer's ``location`` text (which may be a label such as "Remote job")."""
    places = [
        _place(item.get("city"), item.get("state"), item.get("country"))
        for item in record.get("locations") or []
        if isinstance(item, dict)
    ]
    if not any(places):
        places = [_place(record.get("city"), record.get("state_name"), record.get("country"))]
    if not any(places):
        places = [record.get("location")]
    return unique_texts(places)


def _place(*parts: Any) -> str | None:
    """ "Tel Aviv", "Tel Aviv", "Israel" → "Tel Aviv, Israel" (a state named like its city once)."""
    return ", ".join(unique_texts(parts)) or None


def _workplace(record: dict[str, Any]) -> str | None:
    """Recruitee's three booleans; the most open one that is set wins."""
    for key, word in (("remote", "Remote"), ("hybrid", "Hybrid"), ("on_site", "On-site")):
        if record.get(key) is True:
            return word
    return None


def _description(record: dict[str, Any]) -> str | None:
    """``description`` then ``requirements`` (HTML), the latter under its own heading."""
    parts: list[str] = []
    for key, heading in _SECTIONS:
        text = clean_text(record.get(key))
        if text:
            parts += [f"<h3>{html.escape(heading)}</h3>"] if heading and parts else []
            parts.append(text)
    return "\n".join(parts) or None


def _salary(salary: Any) -> SalaryHint | None:
    """``{"min": "5253", "max": "6152", "period": "month", "currency": "EUR"}``; all-null: None."""
    return salary_hint(salary)
