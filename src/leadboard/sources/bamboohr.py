"""BambooHR public careers-site connector.

A board is a BambooHR tenant (``acme`` of ``acme.bamboohr.com``). Its open positions come from
``GET https://{tenant}.bamboohr.com/careers/list`` (``{"meta": {"totalCount": N}, "result":
[...]}``, one response, no description and no date); each position's text, posting date and pay
come from ``GET https://{tenant}.bamboohr.com/careers/{id}/detail`` (``{"result": {"jobOpening":
{...}}}``), merged over the listing record. The public page of a position is
``https://{tenant}.bamboohr.com/careers/{id}``.

>>> BambooHRConnector.board_from_url("https://Amundi.bamboohr.com/careers/12?source=x")
'amundi'
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

SOURCE = "bamboohr"
DOMAIN = "bamboohr.com"
# Subdomains of bamboohr.com that are BambooHR's own sites, not a tenant's careers page.
_NOT_TENANTS = frozenset({"www", "api", "app", "help", "partners", "marketplace", "status"})
_TENANT = re.compile(r"[a-z0-9][a-z0-9-]*")
# ``locationType`` is a code: on-site, remote, hybrid (as BambooHR's careers page labels them).
_LOCATION_TYPES = {"0": "On-site", "1": "Remote", "2": "Hybrid"}


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """One listing record (merged with its ``jobOpening`` detail, when read) → a SourcePosting.

    ``compensation`` is BambooHR's free pay text, so it goes to ``salary_text`` (never parsed
    here); ``datePosted`` (``YYYY-MM-DD``) only exists in the detail. ``ValueError`` when the
    record is not a position (not an object, no id, no ``jobOpeningName``).

    >>> from datetime import UTC
    >>> p = parse_job({"id": "39", "jobOpeningName": "ML Lead", "isRemote": True,
    ...                "location": {"city": "Denver", "state": "Colorado"},
    ...                "datePosted": "2026-04-02", "compensation": "$150k - $180k"},
    ...               "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.url, p.locations, p.workplace_type
    ('https://acme.bamboohr.com/careers/39', ['Denver, Colorado'], 'Remote')
    >>> p.posted_at, p.salary_text
    ('2026-04-02', '$150k - $180k')
    """
    job_id, title = id_and_title(record, word="position", title_key="jobOpeningName")

    location_type = clean_text(record.get("locationType"))
    extra = non_empty(
        department=clean_text(record.get("departmentLabel")),
        department_id=clean_text(record.get("departmentId")),
        location_type=location_type,
        minimum_experience=clean_text(record.get("minimumExperience")),
        status=clean_text(record.get("jobOpeningStatus")),
    )
    description = clean_text(record.get("description"))
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=clean_text(record.get("jobOpeningShareUrl")) or job_url(board, job_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(record),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("datePosted")),
        salary_text=clean_text(record.get("compensation")),
        # An explicit isRemote wins over the code (the code may still say on-site).
        workplace_type="Remote"
        if record.get("isRemote") is True
        else _LOCATION_TYPES.get(location_type or ""),
        employment_type=clean_text(record.get("employmentStatusLabel"))
        or clean_text(record.get("employmentType")),
        extra=extra,
    )


def job_url(tenant: str, job_id: str) -> str:
    """The public page of one position.

    >>> job_url("acme", "39")
    'https://acme.bamboohr.com/careers/39'
    """
    return f"https://{tenant}.{DOMAIN}/careers/{job_id}"


class BambooHRConnector(AtsConnector):
    """Fetches BambooHR tenants: the list, then each position's detail (``has_details``).

    >>> from leadboard.sources.http import HttpClient
    >>> conn = BambooHRConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.list_url("acme")
    'http://127.0.0.1:9/acme.bamboohr.com/careers/list'
    >>> conn.detail_url("acme", "39")
    'http://127.0.0.1:9/acme.bamboohr.com/careers/39/detail'
    """

    kind = SOURCE
    board_word = "tenant"
    record_word = "position"
    has_details = True

    def list_url(self, tenant: str) -> str:
        return self.url(f"{tenant}.{DOMAIN}", "/careers/list")

    def detail_url(self, tenant: str, job_id: str) -> str:
        return self.url(f"{tenant}.{DOMAIN}", f"/careers/{job_id}/detail")

    def read_listing(self, board: str) -> Listing:
        """Every open position of tenant ``board``, in one response."""
        url = self.list_url(board)
        body = self.client.get_json(url)
        records = body.get("result") if isinstance(body, dict) else None
        if not isinstance(records, list):
            raise FetchError(f"response from {url} has no 'result' list of positions", url=url)
        meta = body.get("meta")
        total = meta.get("totalCount") if isinstance(meta, dict) else None
        # A list shorter than the count it announces is partial: don't let it close positions.
        if isinstance(total, int) and not isinstance(total, bool) and total > len(records):
            return Listing(records, error=f"got {len(records)} of {total} positions")
        return Listing(records)

    def read_detail(self, board: str, record: Any) -> Any:
        """The listing record with its ``jobOpening`` detail merged over it."""
        job_id = self.record_id(record)
        if job_id is None:  # parse will refuse it; there is nothing to ask for
            return record
        url = self.detail_url(board, job_id)
        body = self.client.get_json(url)
        result = body.get("result") if isinstance(body, dict) else None
        opening = result.get("jobOpening") if isinstance(result, dict) else None
        if not isinstance(opening, dict):
            raise FetchError(f"response from {url} has no 'result.jobOpening' object", url=url)
        return {**record, **opening}

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """``acme`` from ``https://acme.bamboohr.com/careers``, ``…/careers/39``, ``…/jobs/…``.

        >>> BambooHRConnector.board_from_url("https://www.bamboohr.com/careers") is None
        True
        """
        host = url_parts(url).host
        tenant, dot, domain = host.partition(".")
        if not dot or domain != DOMAIN or tenant in _NOT_TENANTS:
            return None
        return tenant if _TENANT.fullmatch(tenant) else None

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The tenant's careers page.

        >>> BambooHRConnector.careers_url("amundi")
        'https://amundi.bamboohr.com/careers'
        """
        return f"https://{board}.{DOMAIN}/careers"


def _locations(record: dict[str, Any]) -> list[str]:
    """``location`` (city, state, country) and ``atsLocation`` (city, state/province, country)
    as place strings; either may be all nulls."""
    places = []
    for key in ("location", "atsLocation"):
        place = record.get(key)
        if not isinstance(place, dict):
            continue
        parts = unique_texts(
            place.get(field) for field in ("city", "state", "province", "addressCountry", "country")
        )
        if parts:
            places.append(", ".join(parts))
    return unique_texts(places)
