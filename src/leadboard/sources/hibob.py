"""HiBob careers-site connector.

A board is the ``{x}`` of a HiBob careers site ``https://{x}.careers.hibob.com``. Every open job ad,
with its full text, comes in one response: ``GET https://{x}.careers.hibob.com/api/job-ad``,
``{"filterGroups": {...}, "jobAdDetails": [...]}``. The API answers 401 unless the request names
the site: it gets a ``Referer: https://{x}.careers.hibob.com/`` header (and the
``companyIdentifier: {x}`` header some sites check instead). A job's public page is
``https://{x}.careers.hibob.com/jobs/{id}``.

>>> HiBobConnector.board_from_url("https://Siren.careers.hibob.com/jobs/05ee8195")
'siren'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from leadboard.models import SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "hibob"
DOMAIN = "careers.hibob.com"
_SITE = re.compile(r"[a-z0-9][a-z0-9-]*")
# The parts of a job ad after ``description``, each under its own heading.
_SECTIONS = (
    ("responsibilities", "Responsibilities"),
    ("requirements", "Requirements"),
    ("benefits", "Benefits"),
)
# Recorded answers name the list ``jobAdDetails``; ``jobAds`` is accepted as well.
_LIST_KEYS = ("jobAdDetails", "jobAds")


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """One job ad → a SourcePosting. ``ValueError`` when it is not a job ad (no id, no title).

    The description is ``description`` followed by ``responsibilities``, ``requirements`` and
    ``benefits`` (HTML, each under a heading) when they hold something. ``publishedAt`` is the
    posting date; ``site`` (HiBob's office name) and ``country`` make the location.

    >>> from datetime import UTC
    >>> p = parse_job({"id": "b5", "title": "ML Lead", "site": "Paris", "country": "France",
    ...                "description": "<p>Hi</p>", "requirements": "<p>ML</p>",
    ...                "publishedAt": "2026-08-21T00:00:00Z", "workspaceType": "Remote"},
    ...               "acme", datetime(2026, 9, 1, tzinfo=UTC))
    >>> p.url, p.locations, p.workplace_type, p.posted_at
    ('https://acme.careers.hibob.com/jobs/b5', ['Paris, France'], 'Remote', '2026-08-21T00:00:00Z')
    >>> p.description
    '<p>Hi</p>\\n<h3>Requirements</h3>\\n<p>ML</p>'
    """
    job_id, title = id_and_title(record, word="job ad")

    description = _description(record)
    place = ", ".join(unique_texts([record.get("site"), record.get("country")]))
    extra = non_empty(
        department=clean_text(record.get("department")),
        site=clean_text(record.get("site")),
        country=clean_text(record.get("country")),
        language=clean_text(record.get("language")),
        workspace_type_id=clean_text(record.get("workspaceTypeId")),
        employment_type_id=clean_text(record.get("employmentTypeId")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=job_url(board, job_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=[place] if place else [],
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("publishedAt")),
        # "Remote" / "Hybrid" / "On-site"; the id ("on_site") when the label is missing
        workplace_type=clean_text(record.get("workspaceType"))
        or clean_text(record.get("workspaceTypeId")),
        employment_type=clean_text(record.get("employmentType")),
        extra=extra,
    )


def job_url(site: str, job_id: str) -> str:
    """The public page of one job ad.

    >>> job_url("acme", "b5")
    'https://acme.careers.hibob.com/jobs/b5'
    """
    return f"https://{site}.{DOMAIN}/jobs/{job_id}"


class HiBobConnector(AtsConnector):
    """Fetches HiBob careers sites: one request a site, the full text included.

    >>> from leadboard.sources.http import HttpClient
    >>> HiBobConnector(HttpClient(), base_url="http://127.0.0.1:9").job_ads_url("acme")
    'http://127.0.0.1:9/acme.careers.hibob.com/api/job-ad'
    """

    kind = SOURCE
    board_word = "site"
    record_word = "job ad"

    def job_ads_url(self, site: str) -> str:
        return self.url(f"{site}.{DOMAIN}", "/api/job-ad")

    def read_listing(self, board: str) -> Listing:
        """Every job ad of careers site ``board``, in one response."""
        url = self.job_ads_url(board)
        # Without a Referer naming the site itself the API answers 401.
        headers = {"Referer": f"https://{board}.{DOMAIN}/", "companyIdentifier": board}
        body = self.client.get_json(url, headers=headers)
        if isinstance(body, dict):
            for key in _LIST_KEYS:
                if isinstance(body.get(key), list):
                    return Listing(body[key])
        raise FetchError(f"response from {url} has no 'jobAdDetails' list", url=url)

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """``x`` from any URL on ``x.careers.hibob.com`` (site, job page, API).

        >>> HiBobConnector.board_from_url("https://www.hibob.com/careers/") is None
        True
        """
        host = url_parts(url).host
        site, dot, domain = host.partition(".")
        if not dot or domain != DOMAIN or not _SITE.fullmatch(site):
            return None
        return site

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The site's job list.

        >>> HiBobConnector.careers_url("oosto")
        'https://oosto.careers.hibob.com/'
        """
        return f"https://{board}.{DOMAIN}/"


def _description(record: dict[str, Any]) -> str | None:
    parts = []
    if main := clean_text(record.get("description")):
        parts.append(main)
    for key, heading in _SECTIONS:
        if text := clean_text(record.get(key)):
            parts += [f"<h3>{heading}</h3>", text]
    return "\n".join(parts) or None
