"""Greenhouse public job-board API connector.

One board is one ``GET {base}/v1/boards/{token}/jobs?content=true``, which returns
``{"jobs": [...], "meta": {"total": N}}``. ``parse_job`` reads one of those job records (or a record
of the same shape from a dump) into a ``SourcePosting``; ``GreenhouseConnector`` fetches a board.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    jobs_in,
    non_empty,
    to_number,
    url_parts,
)

SOURCE = "greenhouse"
DEFAULT_API = "https://boards-api.greenhouse.io"
API_ENV_VAR = "LEADBOARD_GREENHOUSE_API"
_BOARD_HOSTS = {
    "job-boards.greenhouse.io",
    "boards.greenhouse.io",
    "job-boards.eu.greenhouse.io",
    "boards.eu.greenhouse.io",
    "boards-api.greenhouse.io",
}

# Custom-field ("metadata") names that boards use for the remote / on-site hint and the job type.
_WORKPLACE_FIELDS = ("location type", "workplace type", "workplace", "remote", "work location")
_EMPLOYMENT_FIELDS = ("employment type", "job type", "employment")
_PERIOD_WORDS = {
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "annual": "year",
    "year": "year",
}


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one job record, in the API's own shape, into a SourcePosting.

    ``content`` (entity-escaped HTML) is passed on as received: ``normalize`` unescapes it.
    Raises ``ValueError`` when the record is not a job at all (not an object, no id, no title).

    >>> from datetime import UTC
    >>> p = parse_job({"id": 7, "title": "ML Lead", "location": {"name": "London; Remote"}},
    ...               "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.key, p.locations
    ('greenhouse:acme:7', ['London', 'Remote'])
    """
    job_id, title = id_and_title(record)

    metadata = _metadata(record.get("metadata"))
    content = record.get("content")
    content = content if isinstance(content, str) and content.strip() else None
    extra = non_empty(
        internal_job_id=record.get("internal_job_id"),
        language=record.get("language"),
        departments=_names(record.get("departments")),
        offices=_names(record.get("offices")),
        metadata=metadata,
        pay_ranges=record.get("pay_input_ranges") or None,
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=clean_text(record.get("absolute_url")),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(record.get("company_name")),
        locations=_locations(record.get("location")),
        description=content,
        description_format="html" if content else None,
        posted_at=clean_text(record.get("first_published")),
        updated_at=clean_text(record.get("updated_at")),
        salary=_salary(record.get("pay_input_ranges")),
        workplace_type=_first_field(metadata, _WORKPLACE_FIELDS),
        employment_type=_first_field(metadata, _EMPLOYMENT_FIELDS),
        requisition_id=clean_text(record.get("requisition_id")),
        extra=extra,
    )


class GreenhouseConnector(AtsConnector):
    """Fetches Greenhouse boards through one HTTP client (``fetch`` comes from ``AtsConnector``).

    The API root comes from ``base_url``, else ``$LEADBOARD_GREENHOUSE_API``, else the public API.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = GreenhouseConnector(HttpClient(), base_url="http://127.0.0.1:8000")
    >>> conn.jobs_url("anthropic")
    'http://127.0.0.1:8000/v1/boards/anthropic/jobs'
    """

    kind = SOURCE
    default_api = DEFAULT_API
    api_env_var = API_ENV_VAR

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The token in a Greenhouse board, job, embed or API URL; None for other URLs.

        >>> GreenhouseConnector.board_from_url("https://job-boards.greenhouse.io/anthropic/jobs/1")
        'anthropic'
        >>> GreenhouseConnector.board_from_url(
        ...     "https://boards.greenhouse.io/embed/job_board?for=acme&b=https://acme.com")
        'acme'
        >>> GreenhouseConnector.board_from_url("https://www.greenhouse.com/careers") is None
        True
        """
        host, segments, _, query = url_parts(url)
        if host not in _BOARD_HOSTS:
            return None
        wanted = parse_qs(query).get("for")
        if wanted and wanted[0].strip():
            return wanted[0].strip()
        if host == "boards-api.greenhouse.io" and segments[:2] == ["v1", "boards"]:
            segments = segments[2:]
        if not segments or segments[0].lower() in ("embed", "v1"):
            return None
        return segments[0]

    @classmethod
    def careers_url(cls, board: str) -> str:
        return f"https://job-boards.greenhouse.io/{board}"

    def jobs_url(self, token: str) -> str:
        return f"{self.base_url}/v1/boards/{token}/jobs"

    def read_listing(self, token: str) -> Listing:
        """Every job of board ``token``, in one response."""
        url = self.jobs_url(token)
        body = self.client.get_json(url, params={"content": "true"})
        jobs = jobs_in(body, url)
        meta = body.get("meta")
        total = meta.get("total") if isinstance(meta, dict) else None
        # A listing shorter than the total it announces is partial: don't let it close jobs.
        if isinstance(total, int) and total > len(jobs):
            return Listing(jobs, error=f"got {len(jobs)} of {total} jobs")
        return Listing(jobs)

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)


def _locations(location: Any) -> list[str]:
    """``{"name": "Mountain View, California, US; New York City, New York, US"}`` → two places."""
    name = clean_text(location.get("name")) if isinstance(location, dict) else clean_text(location)
    if name is None:
        return []
    return [part.strip() for part in name.split(";") if part.strip()]


def _names(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    return [n for item in items if isinstance(item, dict) and (n := clean_text(item.get("name")))]


def _metadata(items: Any) -> dict[str, Any]:
    """Custom fields as ``{name: value}``, dropping empty values."""
    fields: dict[str, Any] = {}
    if not isinstance(items, list):
        return fields
    for item in items:
        if not isinstance(item, dict) or not clean_text(item.get("name")):
            continue
        value = item.get("value")
        if value not in (None, "", []):
            fields[str(item["name"]).strip()] = value
    return fields


def _first_field(metadata: dict[str, Any], wanted: tuple[str, ...]) -> str | None:
    for name, value in metadata.items():
        if name.lower() in wanted:
            return ", ".join(map(str, value)) if isinstance(value, list) else clean_text(value)
    return None


def _salary(ranges: Any) -> SalaryHint | None:
    """``pay_input_ranges`` (amounts in cents) → one hint spanning the ranges in the first currency.

    Boards list one range per pay zone; the hint spans them all. Ranges in another currency are not
    merged (they stay in ``extra["pay_ranges"]``).
    """
    if not isinstance(ranges, list):
        return None
    usable = [
        r
        for r in ranges
        if isinstance(r, dict)
        and (to_number(r.get("min_cents")) is not None or to_number(r.get("max_cents")) is not None)
    ]
    if not usable:
        return None
    currency = clean_text(usable[0].get("currency_type"))
    same = [r for r in usable if clean_text(r.get("currency_type")) == currency]
    mins = [n for r in same if (n := to_number(r.get("min_cents"))) is not None]
    maxes = [n for r in same if (n := to_number(r.get("max_cents"))) is not None]
    return SalaryHint(
        min=min(mins) if mins else None,
        max=max(maxes) if maxes else None,
        currency=currency,
        period=_period(usable[0].get("title")),
        cents=True,
    )


def _period(title: Any) -> str | None:
    """Greenhouse has no pay-period field; a range title like "Hourly Pay" sometimes says it."""
    words = re.findall(r"[a-z]+", str(title or "").lower())
    for word in words:
        for stem, period in _PERIOD_WORDS.items():
            if word.startswith(stem):
                return period
    return None
