"""Breezy HR public portal connector.

A board is a Breezy portal subdomain (``{x}.breezy.hr``; a custom portal host such as
``jobs.acme.com`` is accepted as the token too). The listing is one request,
``GET https://{x}.breezy.hr/json``: a JSON list of positions, with no paging and no description.
The description lives on each position's page, ``GET https://{x}.breezy.hr/p/{friendly_id}``
(HTML), in its schema.org ``JobPosting`` JSON-LD block; when a page has none, its
``<div class="description">`` is taken instead. Those page reads are skipped for positions whose
listing record is unchanged since the last crawl (``known`` in ``AtsConnector.fetch``).

>>> from leadboard.sources.http import HttpClient
>>> conn = BreezyConnector(HttpClient(), base_url="http://127.0.0.1:9")
>>> conn.listing_url("reface"), conn.position_url("reface", {"friendly_id": "e636-ml-lead"})
('http://127.0.0.1:9/reface.breezy.hr/json', 'http://127.0.0.1:9/reface.breezy.hr/p/e636-ml-lead')
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from leadboard.models import DescriptionFormat, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    object_at,
    unique_texts,
)
from leadboard.sources.http import FetchError
from leadboard.sources.jsonld import parse_job_posting, parse_jsonld_page

SOURCE = "breezy"
HOST_SUFFIX = ".breezy.hr"
DETAIL_KEY = "detail"  # where read_detail puts what the position page adds to the record

# Breezy's own sites, not portals.
_NOT_PORTALS = frozenset({"www", "app", "api", "developer", "help", "marketplace", "assets"})
_PORTAL_URL = re.compile(
    r"^(?:https?://)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.breezy\.hr(?:[:/?#]|$)", re.IGNORECASE
)


def parse_job(record: Any, board: str, fetched_at: datetime) -> SourcePosting:
    """Read one position (its listing record, with ``detail`` when the page was read).

    ``published_date`` is the posting date, ``salary`` (free text) the pay string,
    ``type.name`` the employment type, ``location.is_remote`` the remote hint. The description
    and any structured pay come from the page's JSON-LD (``detail.job_posting``), else from the
    page's HTML (``detail.description_html``), else from a ``description`` in the record itself.
    ``ValueError`` when the record is not a position (not an object, no id, no name).

    >>> from datetime import UTC
    >>> p = parse_job({"id": "e636", "name": "ML Lead", "published_date": "2026-06-04T23:24:11Z",
    ...                "location": {"city": "Tacoma", "state": {"id": "WA", "name": "Washington"},
    ...                             "country": {"id": "US", "name": "United States"}},
    ...                "salary": "$150k - $180k"}, "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.key, p.locations, p.posted_at
    ('breezy:acme:e636', ['Tacoma, Washington, United States'], '2026-06-04T23:24:11Z')
    >>> p.salary_text, p.description
    ('$150k - $180k', None)
    """
    position_id, title = id_and_title(record, word="position", title_key="name")

    page_read = isinstance(record.get(DETAIL_KEY), dict)
    detail = record[DETAIL_KEY] if page_read else {}
    url = clean_text(record.get("url"))
    from_page = _from_job_posting(detail.get("job_posting"), url, fetched_at)
    description: str | None
    description_format: DescriptionFormat | None
    if from_page and from_page.description:  # the JSON-LD reader tells HTML from plain text
        description, description_format = from_page.description, from_page.description_format
    else:
        description = clean_text(detail.get("description_html")) or clean_text(
            record.get("description")
        )
        description_format = "html" if description else None
    places = _places(record)
    remote = any(place.get("is_remote") is True for place in places)
    kind = object_at(record, "type")
    company = object_at(record, "company")
    experience = record.get("experience")
    extra = non_empty(
        friendly_id=clean_text(record.get("friendly_id")),
        department=clean_text(record.get("department")),
        type_id=clean_text(kind.get("id")),
        experience=clean_text(experience.get("name") if isinstance(experience, dict) else None),
        countries=unique_texts(_code(place.get("country")) for place in places),
        # the page was read but held no description: Breezy's page layout may have changed
        page_without_description=True if page_read and not description else None,
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=position_id,
        url=url,
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(company.get("name")),
        locations=unique_texts(_place_text(place) for place in places),
        description=description,
        description_format=description_format,
        posted_at=clean_text(record.get("published_date")),
        salary=from_page.salary if from_page else None,
        salary_text=clean_text(record.get("salary")),
        workplace_type="remote" if remote else None,
        remote_regions=from_page.remote_regions if from_page else [],
        employment_type=clean_text(kind.get("name")) or clean_text(kind.get("id")),
        extra=extra,
    )


class BreezyConnector(AtsConnector):
    """Fetches Breezy portals: the ``/json`` listing, then each new or changed position's page."""

    kind = SOURCE
    board_word = "portal"
    record_word = "position"
    has_details = True

    def listing_url(self, board: str) -> str:
        return self.url(portal_host(board), "/json")

    def position_url(self, board: str, record: dict[str, Any]) -> str:
        """The position page: ``/p/{friendly_id}`` (the id alone when the record has no slug)."""
        slug = clean_text(record.get("friendly_id"))
        if slug is None:  # the page path of the record's own URL, else Breezy's id-only path
            path = urlsplit(clean_text(record.get("url")) or "").path
            slug = path[len("/p/") :] if path.startswith("/p/") else clean_text(record.get("id"))
        return self.url(portal_host(board), f"/p/{quote(slug or '', safe='-_.~')}")

    def read_listing(self, board: str) -> Listing:
        """Every position of ``board``; a body that is not a list is a ``FetchError``."""
        url = self.listing_url(board)
        body = self.client.get_json(url)
        if not isinstance(body, list):
            raise FetchError(f"response from {url} is not a list of positions", url=url)
        names = (
            clean_text(r["company"].get("name"))
            for r in body
            if isinstance(r, dict) and isinstance(r.get("company"), dict)
        )
        return Listing(body, company=next((n for n in names if n), None))

    def read_detail(self, board: str, record: Any) -> Any:
        """``record`` with ``detail``: the page's JSON-LD ``JobPosting`` or its description HTML.

        A record that is not a position is returned as is (``parse`` rejects it); one that already
        carries a description needs no page.
        """
        if not isinstance(record, dict) or clean_text(record.get("id")) is None:
            return record
        if clean_text(record.get("description")):
            return record
        page = self.client.get_text(self.position_url(board, record))
        return {**record, DETAIL_KEY: page_detail(page, clean_text(record.get("url")) or board)}

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The portal in a Breezy portal, position or ``/json`` URL; None for other URLs.

        >>> BreezyConnector.board_from_url("https://Reface.breezy.hr/p/e636-ml-lead?src=li")
        'reface'
        >>> BreezyConnector.board_from_url("https://app.breezy.hr/signin") is None
        True
        """
        match = _PORTAL_URL.match(url.strip())
        if match is None or match.group(1).lower() in _NOT_PORTALS:
            return None
        return match.group(1).lower()

    @classmethod
    def careers_url(cls, board: str) -> str:
        """``https://{x}.breezy.hr/``: the portal's list of positions."""
        return f"https://{portal_host(board)}/"


def portal_host(board: str) -> str:
    """``reface`` → ``reface.breezy.hr``; a token with a dot is already a (custom) host.

    >>> portal_host("reface"), portal_host("careers.acme.com")
    ('reface.breezy.hr', 'careers.acme.com')
    """
    return board if "." in board else f"{board}{HOST_SUFFIX}"


def page_detail(page: str, page_url: str) -> dict[str, Any]:
    """What a position page adds: ``{"job_posting": {...}}`` from its JSON-LD, else
    ``{"description_html": "..."}`` from ``div.description``, else ``{}``.

    >>> page_detail('<div class="description"><p>Lead ML.</p></div>', "https://x.breezy.hr/p/1")
    {'description_html': '<p>Lead ML.</p>'}
    """
    found = parse_jsonld_page(page, page_url, datetime.now(UTC))
    for posting in found.postings:
        if posting.description:
            return {"job_posting": posting.payload}
    node = LexborHTMLParser(page).css_first("div.description")
    inner = clean_text(node.inner_html) if node is not None else None
    return {"description_html": inner} if inner else {}


def _from_job_posting(node: Any, url: str | None, fetched_at: datetime) -> SourcePosting | None:
    """The page's JobPosting read by the JSON-LD reader (None when absent or unusable)."""
    if not isinstance(node, dict):
        return None
    try:
        return parse_job_posting(node, url or "", fetched_at)
    except ValueError:
        return None


def _places(record: dict[str, Any]) -> list[dict[str, Any]]:
    """``location`` (the primary place) first, then the others of ``locations``."""
    places = [record.get("location")]
    if isinstance(record.get("locations"), list):
        places += record["locations"]
    return [place for place in places if isinstance(place, dict)]


def _place_text(place: dict[str, Any]) -> str | None:
    """ "City, State, Country" from the place's parts; its ``name`` when it has no parts."""
    parts = unique_texts(
        [place.get("city"), _name(place.get("state")), _name(place.get("country"))]
    )
    return ", ".join(parts) if parts else clean_text(place.get("name"))


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean_text(value.get("name")) or clean_text(value.get("id"))
    return clean_text(value)


def _code(value: Any) -> str | None:
    return clean_text(value.get("id")) if isinstance(value, dict) else None
