"""Ashby public job-board API connector.

A board (an Ashby organisation) is one
``GET {base}/posting-api/job-board/{org}?includeCompensation=true``, which returns
``{"jobs": [...]}``. ``parse_job`` also reads the older job-board record shape found in dumps
(``locationName``, ``publishedDate``, ``compensationTierSummary``, no ``jobUrl``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import BoardFetch, Reject
from leadboard.sources.http import FetchError, HttpClient, api_base, record_sample

SOURCE = "ashby"
DEFAULT_API = "https://api.ashbyhq.com"
API_ENV_VAR = "LEADBOARD_ASHBY_API"
JOB_PAGE = "https://jobs.ashbyhq.com/{org}/{id}"  # where a record without jobUrl lives


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one job record, in the API's own shape, into a SourcePosting.

    Unlisted jobs (``isListed: false``) parse like any other, flagged ``extra["is_listed"]``;
    ``AshbyConnector`` leaves them out. Raises ``ValueError`` when the record is not a job (not an
    object, no id, no title).

    >>> p = parse_job({"id": "u-1", "title": "ML Manager", "locationName": "Remote",
    ...                "workplaceType": "Remote", "compensationTierSummary": "$200K – $250K"},
    ...               "openai", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.url, p.workplace_type, p.salary_text
    ('https://jobs.ashbyhq.com/openai/u-1', 'Remote', '$200K – $250K')
    """
    if not isinstance(record, dict):
        raise ValueError(f"job record is a {type(record).__name__}, not an object")
    job_id = _text(record.get("id"))
    if job_id is None:
        raise ValueError("job record has no id")
    title = _text(record.get("title"))
    if title is None:
        raise ValueError(f"job {job_id} has no title")

    compensation = record.get("compensation")
    compensation = compensation if isinstance(compensation, dict) else {}
    description, description_format = _description(record)
    extra = {
        key: value
        for key, value in {
            "is_listed": record.get("isListed")
            if isinstance(record.get("isListed"), bool)
            else None,
            "department": _text(record.get("department")) or _text(record.get("departmentName")),
            "team": _text(record.get("team")) or _text(record.get("teamName")),
            "apply_url": _text(record.get("applyUrl")),
            "compensation_tiers": compensation.get("compensationTiers") or None,
        }.items()
        if value is not None
    }
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=_text(record.get("jobUrl")) or JOB_PAGE.format(org=board, id=job_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(record),
        description=description,
        description_format=description_format,
        posted_at=_text(record.get("publishedAt")) or _text(record.get("publishedDate")),
        updated_at=_text(record.get("updatedAt")),
        closes_at=_text(record.get("applicationDeadline")),
        salary=_salary(compensation),
        salary_text=(
            _text(compensation.get("compensationTierSummary"))
            or _text(compensation.get("scrapeableCompensationSalarySummary"))
            or _text(record.get("compensationTierSummary"))
        ),
        workplace_type=_workplace(record),
        employment_type=_text(record.get("employmentType")),
        requisition_id=_text(record.get("jobRequisitionId")) or _text(record.get("requisitionId")),
        extra=extra,
    )


class AshbyConnector:
    """Fetches Ashby job boards through one HTTP client, leaving unlisted jobs out.

    The API root comes from ``base_url``, else ``$LEADBOARD_ASHBY_API``, else the public API.

    >>> AshbyConnector(HttpClient(), base_url="http://127.0.0.1:1").board_url("openai")
    'http://127.0.0.1:1/posting-api/job-board/openai'
    """

    kind = SOURCE

    def __init__(self, client: HttpClient, *, base_url: str | None = None) -> None:
        self.client = client
        self.base_url = api_base(base_url, API_ENV_VAR, DEFAULT_API)

    def board_url(self, org: str) -> str:
        return f"{self.base_url}/posting-api/job-board/{org}"

    def fetch(self, org: str, *, company: str | None = None) -> BoardFetch:
        """Fetch every listed job of board ``org``; never raises for a bad board or record."""
        result = BoardFetch(source=SOURCE, board=org)
        url = self.board_url(org)
        try:
            body = self.client.get_json(url, params={"includeCompensation": "true"})
        except FetchError as err:
            result.error = f"ashby board '{org}': {err}"
            return result
        jobs = body.get("jobs") if isinstance(body, dict) else None
        if not isinstance(jobs, list):
            result.error = f"ashby board '{org}': response from {url} has no 'jobs' list"
            return result

        fetched_at = datetime.now(UTC)
        for index, record in enumerate(jobs):
            try:
                posting = parse_job(record, org, fetched_at)
            except ValueError as err:
                job_id = record.get("id") if isinstance(record, dict) else None
                where = f"job {job_id}" if job_id else f"jobs[{index}]"
                result.rejects.append(
                    Reject(f"{SOURCE}:{org}", where, str(err), record_sample(record))
                )
                continue
            if posting.extra.get("is_listed") is False:
                continue  # hidden from the public board: not an open posting to show
            posting.company = posting.company or company
            result.postings.append(posting)
        result.complete = True
        return result


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _locations(record: dict[str, Any]) -> list[str]:
    """The primary location, then the secondary ones (strings or ``{"location": …}`` objects)."""
    candidates: list[Any] = [record.get("location") or record.get("locationName")]
    for item in record.get("secondaryLocations") or []:
        if isinstance(item, dict):
            candidates.append(item.get("location") or item.get("locationName"))
        else:
            candidates.append(item)
    locations: list[str] = []
    for candidate in candidates:
        text = _text(candidate)
        if text and text not in locations:
            locations.append(text)
    return locations


def _description(record: dict[str, Any]) -> tuple[str | None, str | None]:
    if html := _text(record.get("descriptionHtml")):
        return html, "html"
    if plain := _text(record.get("descriptionPlain")):
        return plain, "text"
    return None, None


def _workplace(record: dict[str, Any]) -> str | None:
    """``workplaceType`` ("Remote", "Hybrid", "OnSite"); else ``isRemote: true`` means "Remote"."""
    if workplace := _text(record.get("workplaceType")):
        return workplace
    return "Remote" if record.get("isRemote") is True else None


def _salary(compensation: dict[str, Any]) -> SalaryHint | None:
    """The salary component of ``compensation.summaryComponents`` (else of the first tier).

    ``{"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD",
    "minValue": 200000, "maxValue": 250000}`` → a hint with ``period="1 YEAR"``.
    """
    components = compensation.get("summaryComponents")
    if not isinstance(components, list) or not components:
        tiers = compensation.get("compensationTiers")
        first = tiers[0] if isinstance(tiers, list) and tiers else {}
        components = first.get("components") if isinstance(first, dict) else None
    for component in components if isinstance(components, list) else []:
        if not isinstance(component, dict):
            continue
        if str(component.get("compensationType", "")).lower() != "salary":
            continue
        low, high = _number(component.get("minValue")), _number(component.get("maxValue"))
        if low is None and high is None:
            continue
        return SalaryHint(
            min=low,
            max=high,
            currency=_text(component.get("currencyCode")),
            period=_text(component.get("interval")),
        )
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
