"""Rippling ATS public job-board connector.

A board is a Rippling board slug (``acme`` of ``https://ats.rippling.com/acme/jobs``). Its jobs are
listed by the careers site's own paged API,
``GET https://ats.rippling.com/api/v2/board/{slug}/jobs?page=N&pageSize=50`` (``{"items": [...],
"page", "pageSize", "totalItems", "totalPages"}``, pages counted from 0), read to the last page.
When that API fails on its first page, the older one-response list
``GET https://api.rippling.com/platform/api/ats/v1/board/{slug}/jobs`` (a JSON array) is read
instead. Both lists give one row per (job, location): rows are merged into one record per job id,
with every location kept. Neither list has the text: each job is read in detail from
``GET https://api.rippling.com/platform/api/ats/v1/board/{slug}/jobs/{id}`` (description sections,
company name, employment type, ``createdOn``, ``payRangeDetails``). A job's public page is
``https://ats.rippling.com/{slug}/jobs/{id}``.

>>> RipplingConnector.board_from_url("https://ats.rippling.com/en-GB/skyports/jobs/84d3?x=1")
'skyports'
"""

from __future__ import annotations

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
    to_number,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "rippling"
BOARD_HOST = "ats.rippling.com"
API_HOST = "api.rippling.com"
PAGE_SIZE = 50
MAX_PAGES = 400  # 20,000 rows: far above any real board; stops a server that never ends
# The careers site puts a locale before the slug: ats.rippling.com/en-GB/{slug}/jobs.
_LOCALE = re.compile(r"[a-z]{2}(?:-[a-z0-9]{2,4})?", re.IGNORECASE)
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# The careers site's own paths under ats.rippling.com: never a board slug.
_NOT_SLUGS = frozenset({"api", "_next", "static", "favicon.ico", "robots.txt"})
# Most open first: a job offered remote in one location is a remote job.
_WORKPLACE_ORDER = ("REMOTE", "HYBRID", "ON_SITE")


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """One merged job record (list rows, plus the detail when read) → a SourcePosting.

    Reads both list shapes (v2 ``id``/``locations``/``department.name``; v1 ``uuid``/
    ``workLocation``/``department.label``) and the detail's fields. The detail's ``description``
    is an object of HTML sections (``company``, ``role``…), joined in the order given.
    ``ValueError`` when the record is not a job (not an object, no id, no ``name``).

    >>> from datetime import UTC
    >>> p = parse_job({"uuid": "3c36", "name": "ML Lead",
    ...                "workLocation": {"label": "Remote (United States)"},
    ...                "description": {"company": "<p>We</p>", "role": "<p>You</p>"},
    ...                "payRangeDetails": [{"currency": "USD", "frequency": "YEAR",
    ...                                     "rangeStart": 180000, "rangeEnd": 220000}]},
    ...               "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.url, p.locations
    ('https://ats.rippling.com/acme/jobs/3c36', ['Remote (United States)'])
    >>> p.description
    '<p>We</p>\\n<p>You</p>'
    >>> p.salary.min, p.salary.max, p.salary.currency, p.salary.period
    (180000.0, 220000.0, 'USD', 'YEAR')
    """
    job_id, title = _id_and_title(record)

    description = _description(record.get("description"))
    department = record.get("department")
    department_name = (
        clean_text(department.get("name")) or clean_text(department.get("label"))
        if isinstance(department, dict)
        else clean_text(department)
    )
    employment = record.get("employmentType")
    pay_ranges = record.get("payRangeDetails")
    extra = non_empty(
        department=department_name,
        language=clean_text(record.get("language")),
        pay_ranges=pay_ranges if isinstance(pay_ranges, list) and len(pay_ranges) > 1 else None,
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=clean_text(record.get("url")) or job_url(board, job_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(record.get("companyName")),
        locations=_locations(record),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("createdOn")),
        salary=_salary(pay_ranges),
        workplace_type=_workplace(record.get("locations")),
        employment_type=(
            clean_text(employment.get("label")) or clean_text(employment.get("id"))
            if isinstance(employment, dict)
            else clean_text(employment)
        ),
        extra=extra,
    )


def job_url(slug: str, job_id: str) -> str:
    """The public page of one job.

    >>> job_url("rippling", "84d3")
    'https://ats.rippling.com/rippling/jobs/84d3'
    """
    return f"https://{BOARD_HOST}/{slug}/jobs/{job_id}"


class RipplingConnector(AtsConnector):
    """Fetches Rippling boards: the paged list (or the older one-response list), then each job's
    detail (``has_details``).

    >>> from leadboard.sources.http import HttpClient
    >>> conn = RipplingConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.jobs_url("acme")
    'http://127.0.0.1:9/ats.rippling.com/api/v2/board/acme/jobs'
    >>> conn.detail_url("acme", "3c36")
    'http://127.0.0.1:9/api.rippling.com/platform/api/ats/v1/board/acme/jobs/3c36'
    """

    kind = SOURCE
    default_page_size = PAGE_SIZE
    has_details = True

    def jobs_url(self, slug: str) -> str:
        """The paged (v2) list."""
        return self.url(BOARD_HOST, f"/api/v2/board/{slug}/jobs")

    def v1_jobs_url(self, slug: str) -> str:
        """The older one-response (v1) list, read when the paged one fails."""
        return self.url(API_HOST, f"/platform/api/ats/v1/board/{slug}/jobs")

    def detail_url(self, slug: str, job_id: str) -> str:
        return self.url(API_HOST, f"/platform/api/ats/v1/board/{slug}/jobs/{job_id}")

    def record_id(self, record: Any) -> str | None:
        if not isinstance(record, dict):
            return None
        return clean_text(record.get("id")) or clean_text(record.get("uuid"))

    def read_listing(self, board: str) -> Listing:
        """Every job of ``board``: the paged list to its last page, else the v1 list."""
        try:
            rows, error = self._read_pages(board)
        except FetchError as paged_error:
            # The paged API is the careers site's own; the v1 list is the documented fallback.
            url = self.v1_jobs_url(board)
            try:
                body = self.client.get_json(url)
            except FetchError as err:
                raise FetchError(f"{paged_error}; then {err}", url=url, status=err.status) from err
            if not isinstance(body, list):
                raise FetchError(
                    f"{paged_error}; then the response from {url} is not a list of jobs", url=url
                ) from paged_error
            rows, error = body, None
        return Listing(self._merge_rows(rows), error=error)

    def read_detail(self, board: str, record: Any) -> Any:
        """The merged list record with the job's detail merged over it."""
        job_id = self.record_id(record)
        if job_id is None:  # parse will refuse it; there is nothing to ask for
            return record
        url = self.detail_url(board, job_id)
        detail = self.client.get_json(url)
        if not isinstance(detail, dict):
            raise FetchError(f"response from {url} is not a job object", url=url)
        return {**record, **detail}

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    def _read_pages(self, board: str) -> tuple[list[Any], str | None]:
        """The v2 rows and why they are partial (None: complete); a first page that fails raises
        ``FetchError``, a later one ends the listing with an error."""
        url = self.jobs_url(board)
        rows: list[Any] = []
        total_items: Any = None
        for page in range(MAX_PAGES):
            try:
                body = self.client.get_json(url, params={"page": page, "pageSize": self.page_size})
            except FetchError as err:
                if page == 0:
                    raise
                return rows, str(err)
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                message = f"page {page} from {url} has no 'items' list"
                if page == 0:
                    raise FetchError(message, url=url)
                return rows, message
            rows += items
            total_items, total_pages = body.get("totalItems"), body.get("totalPages")
            if (pages := _count(total_pages)) is not None:
                more = page + 1 < pages
            else:  # no page count: a short page is the last
                more = len(items) >= self.page_size
            if not items or not more:
                break
        else:
            return rows, f"stopped after {MAX_PAGES} pages"
        # Fewer rows than announced: jobs are missing, so none may be closed.
        total = _count(total_items)
        if total is not None and len(rows) < total:
            return rows, f"got {len(rows)} of {total} job rows"
        return rows, None

    def _merge_rows(self, rows: list[Any]) -> list[Any]:
        """One record per job id: a job listed once per location becomes one record holding every
        location (v2 ``locations`` joined; v1 ``workLocation`` labels gathered in
        ``workLocations``). Rows without an id are kept as they are (parse refuses them)."""
        merged: dict[str, dict[str, Any]] = {}
        records: list[Any] = []
        for row in rows:
            job_id = self.record_id(row)
            if job_id is None:
                records.append(row)
                continue
            first = merged.get(job_id)
            if first is None:
                merged[job_id] = dict(row)
                records.append(merged[job_id])
                continue
            if isinstance(row.get("locations"), list):
                known = first.setdefault("locations", [])
                if isinstance(known, list):
                    known += [place for place in row["locations"] if place not in known]
            if isinstance(row.get("workLocation"), dict):
                labels = first.setdefault("workLocations", _labels([first.get("workLocation")]))
                for label in _labels([row["workLocation"]]):
                    if isinstance(labels, list) and label not in labels:
                        labels.append(label)
        return records

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The slug of a board page, a job page (with or without a locale) or an API URL.

        >>> RipplingConnector.board_from_url(
        ...     "https://api.rippling.com/platform/api/ats/v1/board/11fs-group-ltd/jobs")
        '11fs-group-ltd'
        >>> RipplingConnector.board_from_url("https://www.rippling.com/careers") is None
        True
        """
        host, segments, _, _ = url_parts(url)
        if host == API_HOST:
            # /platform/api/ats/v1/board/{slug}/jobs
            if len(segments) > 5 and segments[:5] == ["platform", "api", "ats", "v1", "board"]:
                return _slug(segments[5])
            return None
        if host != BOARD_HOST or not segments:
            return None
        if segments[:3] in (["api", "v2", "board"], ["api", "v1", "board"]):
            return _slug(segments[3]) if len(segments) > 3 else None
        if len(segments) > 1 and segments[1].lower() != "jobs" and _LOCALE.fullmatch(segments[0]):
            segments = segments[1:]  # /en-GB/{slug}/jobs
        return _slug(segments[0])

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The board's job list.

        >>> RipplingConnector.careers_url("shippo")
        'https://ats.rippling.com/shippo/jobs'
        """
        return f"https://{BOARD_HOST}/{board}/jobs"


def _id_and_title(record: Any) -> tuple[str, str]:
    """``id`` (v2) or ``uuid`` (v1) and ``name``; ``ValueError`` when missing."""
    if isinstance(record, dict) and clean_text(record.get("id")) is None and "uuid" in record:
        record = {**record, "id": record["uuid"]}
    return id_and_title(record, title_key="name")


def _slug(segment: str) -> str | None:
    return segment if _SLUG.fullmatch(segment) and segment.lower() not in _NOT_SLUGS else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _labels(places: list[Any]) -> list[str]:
    return unique_texts(p.get("label") if isinstance(p, dict) else p for p in places)


def _locations(record: dict[str, Any]) -> list[str]:
    """v2 ``locations[].name``, v1 ``workLocation.label`` and the detail's ``workLocations``."""
    places: list[Any] = []
    if isinstance(record.get("locations"), list):
        places += [p.get("name") if isinstance(p, dict) else p for p in record["locations"]]
    places += _labels([record.get("workLocation")])
    if isinstance(record.get("workLocations"), list):
        places += _labels(record["workLocations"])
    return unique_texts(places)


def _workplace(locations: Any) -> str | None:
    """The most open ``workplaceType`` among the v2 locations (``REMOTE``, ``HYBRID``,
    ``ON_SITE``), as spelled by the source."""
    if not isinstance(locations, list):
        return None
    kinds = unique_texts(p.get("workplaceType") for p in locations if isinstance(p, dict))
    known = [k for k in _WORKPLACE_ORDER if k in {kind.upper() for kind in kinds}]
    if known:
        return next(kind for kind in kinds if kind.upper() == known[0])
    return kinds[0] if kinds else None


def _description(value: Any) -> str | None:
    """The detail's description: an object of HTML sections, or (older answers) one string."""
    if isinstance(value, dict):
        return "\n".join(t for part in value.values() if (t := clean_text(part))) or None
    return clean_text(value)


def _salary(ranges: Any) -> SalaryHint | None:
    """``payRangeDetails`` → one hint spanning the ranges in the first range's currency and
    frequency (ranges in another currency or frequency stay in ``extra["pay_ranges"]``)."""
    if not isinstance(ranges, list):
        return None
    usable = [
        r
        for r in ranges
        if isinstance(r, dict)
        and (to_number(r.get("rangeStart")) is not None or to_number(r.get("rangeEnd")) is not None)
    ]
    if not usable:
        return None
    currency, period = clean_text(usable[0].get("currency")), clean_text(usable[0].get("frequency"))
    same = [
        r
        for r in usable
        if clean_text(r.get("currency")) == currency and clean_text(r.get("frequency")) == period
    ]
    lows = [n for r in same if (n := to_number(r.get("rangeStart"))) is not None]
    highs = [n for r in same if (n := to_number(r.get("rangeEnd"))) is not None]
    return SalaryHint(
        min=min(lows) if lows else None,
        max=max(highs) if highs else None,
        currency=currency,
        period=period,
    )
