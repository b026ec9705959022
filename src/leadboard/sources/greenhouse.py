"""Greenhouse public job-board API connector.

One board is one ``GET {base}/v1/boards/{token}/jobs?content=true``, which returns
``{"jobs": [...], "meta": {"total": N}}``. ``parse_job`` reads one of those job records (or a record
of the same shape from a dump) into a ``SourcePosting``; ``GreenhouseConnector`` fetches a board.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import BoardFetch, Reject
from leadboard.sources.http import FetchError, HttpClient, api_base, record_sample

SOURCE = "greenhouse"
DEFAULT_API = "https://boards-api.greenhouse.io"
API_ENV_VAR = "LEADBOARD_GREENHOUSE_API"

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

    >>> p = parse_job({"id": 7, "title": "ML Lead", "location": {"name": "London; Remote"}},
    ...               "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.key, p.locations
    ('greenhouse:acme:7', ['London', 'Remote'])
    """
    if not isinstance(record, dict):
        raise ValueError(f"job record is a {type(record).__name__}, not an object")
    job_id = _text(record.get("id"))
    if job_id is None:
        raise ValueError("job record has no id")
    title = _text(record.get("title"))
    if title is None:
        raise ValueError(f"job {job_id} has no title")

    metadata = _metadata(record.get("metadata"))
    content = record.get("content")
    content = content if isinstance(content, str) and content.strip() else None
    extra = {
        key: value
        for key, value in {
            "internal_job_id": record.get("internal_job_id"),
            "language": record.get("language"),
            "departments": _names(record.get("departments")),
            "offices": _names(record.get("offices")),
            "metadata": metadata,
            "pay_ranges": record.get("pay_input_ranges") or None,
        }.items()
        if value not in (None, [], {})
    }
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=_text(record.get("absolute_url")),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=_text(record.get("company_name")),
        locations=_locations(record.get("location")),
        description=content,
        description_format="html" if content else None,
        posted_at=_text(record.get("first_published")),
        updated_at=_text(record.get("updated_at")),
        salary=_salary(record.get("pay_input_ranges")),
        workplace_type=_first_field(metadata, _WORKPLACE_FIELDS),
        employment_type=_first_field(metadata, _EMPLOYMENT_FIELDS),
        requisition_id=_text(record.get("requisition_id")),
        extra=extra,
    )


class GreenhouseConnector:
    """Fetches Greenhouse boards through one HTTP client.

    The API root comes from ``base_url``, else ``$LEADBOARD_GREENHOUSE_API``, else the public API.

    >>> conn = GreenhouseConnector(HttpClient(), base_url="http://127.0.0.1:8000")
    >>> conn.jobs_url("anthropic")
    'http://127.0.0.1:8000/v1/boards/anthropic/jobs'
    """

    kind = SOURCE

    def __init__(self, client: HttpClient, *, base_url: str | None = None) -> None:
        self.client = client
        self.base_url = api_base(base_url, API_ENV_VAR, DEFAULT_API)

    def jobs_url(self, token: str) -> str:
        return f"{self.base_url}/v1/boards/{token}/jobs"

    def fetch(self, token: str, *, company: str | None = None) -> BoardFetch:
        """Fetch every open job of board ``token``; never raises for a bad board or record."""
        result = BoardFetch(source=SOURCE, board=token)
        url = self.jobs_url(token)
        try:
            body = self.client.get_json(url, params={"content": "true"})
        except FetchError as err:
            result.error = f"greenhouse board '{token}': {err}"
            return result
        jobs = body.get("jobs") if isinstance(body, dict) else None
        if not isinstance(jobs, list):
            result.error = f"greenhouse board '{token}': response from {url} has no 'jobs' list"
            return result

        fetched_at = datetime.now(UTC)
        for index, record in enumerate(jobs):
            try:
                posting = parse_job(record, token, fetched_at)
            except ValueError as err:
                where = _where(record, index)
                result.rejects.append(
                    Reject(f"{SOURCE}:{token}", where, str(err), record_sample(record))
                )
                continue
            if company and not posting.company:
                posting.company = company
            result.postings.append(posting)

        total = body.get("meta", {}).get("total") if isinstance(body.get("meta"), dict) else None
        # A listing shorter than the total it announces is partial: don't let it close jobs.
        result.complete = not isinstance(total, int) or total <= len(jobs)
        if not result.complete:
            result.error = f"greenhouse board '{token}': got {len(jobs)} of {total} jobs"
        return result


def _text(value: Any) -> str | None:
    """A non-empty stripped string, or None (numbers become their decimal text)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _where(record: Any, index: int) -> str:
    job_id = record.get("id") if isinstance(record, dict) else None
    return f"job {job_id}" if job_id is not None else f"jobs[{index}]"


def _locations(location: Any) -> list[str]:
    """``{"name": "Mountain View, California, US; New York City, New York, US"}`` → two places."""
    name = _text(location.get("name")) if isinstance(location, dict) else _text(location)
    if name is None:
        return []
    return [part.strip() for part in name.split(";") if part.strip()]


def _names(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    return [n for item in items if isinstance(item, dict) and (n := _text(item.get("name")))]


def _metadata(items: Any) -> dict[str, Any]:
    """Custom fields as ``{name: value}``, dropping empty values."""
    fields: dict[str, Any] = {}
    if not isinstance(items, list):
        return fields
    for item in items:
        if not isinstance(item, dict) or not _text(item.get("name")):
            continue
        value = item.get("value")
        if value not in (None, "", []):
            fields[str(item["name"]).strip()] = value
    return fields


def _first_field(metadata: dict[str, Any], wanted: tuple[str, ...]) -> str | None:
    for name, value in metadata.items():
        if name.lower() in wanted:
            return ", ".join(map(str, value)) if isinstance(value, list) else _text(value)
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
        and (_number(r.get("min_cents")) is not None or _number(r.get("max_cents")) is not None)
    ]
    if not usable:
        return None
    currency = _text(usable[0].get("currency_type"))
    same = [r for r in usable if _text(r.get("currency_type")) == currency]
    mins = [n for r in same if (n := _number(r.get("min_cents"))) is not None]
    maxes = [n for r in same if (n := _number(r.get("max_cents"))) is not None]
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


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
