"""Ashby public job-board API connector.

A board (an Ashby organisation) is one
``GET {base}/posting-api/job-board/{org}?includeCompensation=true``, which returns
``{"jobs": [...]}``. ``parse_job`` also reads the older job-board record shape found in dumps
(``locationName``, ``publishedDate``, ``compensationTierSummary``, no ``jobUrl``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from leadboard.models import DescriptionFormat, SalaryHint, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    jobs_in,
    non_empty,
    to_number,
    unique_texts,
    url_parts,
)

SOURCE = "ashby"
DEFAULT_API = "https://api.ashbyhq.com"
API_ENV_VAR = "LEADBOARD_ASHBY_API"
JOB_PAGE = "https://jobs.ashbyhq.com/{org}/{id}"  # where a record without jobUrl lives


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one job record, in the API's own shape, into a SourcePosting.

    Unlisted jobs (``isListed: false``) parse like any other, flagged ``extra["is_listed"]``;
    ``AshbyConnector`` leaves them out. Raises ``ValueError`` when the record is not a job (not an
    object, no id, no title).

    >>> from datetime import UTC
    >>> p = parse_job({"id": "u-1", "title": "ML Manager", "locationName": "Remote",
    ...                "workplaceType": "Remote", "compensationTierSummary": "$200K – $250K"},
    ...               "openai", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.url, p.workplace_type, p.salary_text
    ('https://jobs.ashbyhq.com/openai/u-1', 'Remote', '$200K – $250K')
    """
    job_id, title = id_and_title(record)

    compensation = record.get("compensation")
    compensation = compensation if isinstance(compensation, dict) else {}
    description, description_format = _description(record)
    extra = non_empty(
        is_listed=record.get("isListed") if isinstance(record.get("isListed"), bool) else None,
        department=clean_text(record.get("department")) or clean_text(record.get("departmentName")),
        team=clean_text(record.get("team")) or clean_text(record.get("teamName")),
        apply_url=clean_text(record.get("applyUrl")),
        compensation_tiers=compensation.get("compensationTiers") or None,
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=clean_text(record.get("jobUrl")) or JOB_PAGE.format(org=board, id=job_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(record),
        description=description,
        description_format=description_format,
        posted_at=clean_text(record.get("publishedAt")) or clean_text(record.get("publishedDate")),
        updated_at=clean_text(record.get("updatedAt")),
        closes_at=clean_text(record.get("applicationDeadline")),
        salary=_salary(compensation),
        salary_text=(
            clean_text(compensation.get("compensationTierSummary"))
            or clean_text(compensation.get("scrapeableCompensationSalarySummary"))
            or clean_text(record.get("compensationTierSummary"))
        ),
        workplace_type=_workplace(record),
        employment_type=clean_text(record.get("employmentType")),
        requisition_id=clean_text(record.get("jobRequisitionId"))
        or clean_text(record.get("requisitionId")),
        extra=extra,
    )


class AshbyConnector(AtsConnector):
    """Fetches Ashby job boards, leaving unlisted jobs out (``fetch`` comes from ``AtsConnector``).

    The API root comes from ``base_url``, else ``$LEADBOARD_ASHBY_API``, else the public API.

    >>> from leadboard.sources.http import HttpClient
    >>> AshbyConnector(HttpClient(), base_url="http://127.0.0.1:1").board_url("openai")
    'http://127.0.0.1:1/posting-api/job-board/openai'
    """

    kind = SOURCE
    default_api = DEFAULT_API
    api_env_var = API_ENV_VAR

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The organisation in an Ashby board, job or API URL; None for other URLs.

        >>> AshbyConnector.board_from_url("https://jobs.ashbyhq.com/openai/4a1b?utm_source=x")
        'openai'
        >>> AshbyConnector.board_from_url("https://www.ashbyhq.com/customers") is None
        True
        """
        host, segments, _, _ = url_parts(url)
        if host == "api.ashbyhq.com" and segments[:2] == ["posting-api", "job-board"]:
            segments = segments[2:]
        elif host != "jobs.ashbyhq.com":
            return None
        return segments[0] if segments else None

    @classmethod
    def careers_url(cls, board: str) -> str:
        return f"https://jobs.ashbyhq.com/{board}"

    def board_url(self, org: str) -> str:
        return f"{self.base_url}/posting-api/job-board/{org}"

    def read_listing(self, org: str) -> Listing:
        """Every job of board ``org``, in one response (Ashby gives no total to check it by)."""
        url = self.board_url(org)
        body = self.client.get_json(url, params={"includeCompensation": "true"})
        return Listing(jobs_in(body, url))

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting | None:
        posting = parse_job(record, board, fetched_at)
        # Hidden from the public board: not an open posting to show.
        return None if posting.extra.get("is_listed") is False else posting


def _locations(record: dict[str, Any]) -> list[str]:
    """The primary location, then the secondary ones (strings or ``{"location": …}`` objects)."""
    candidates: list[Any] = [record.get("location") or record.get("locationName")]
    for item in record.get("secondaryLocations") or []:
        if isinstance(item, dict):
            candidates.append(item.get("location") or item.get("locationName"))
        else:
            candidates.append(item)
    return unique_texts(candidates)


def _description(record: dict[str, Any]) -> tuple[str | None, DescriptionFormat | None]:
    if html := clean_text(record.get("descriptionHtml")):
        return html, "html"
    if plain := clean_text(record.get("descriptionPlain")):
        return plain, "text"
    return None, None


def _workplace(record: dict[str, Any]) -> str | None:
    """``workplaceType`` ("Remote", "Hybrid", "OnSite"); else ``isRemote: true`` means "Remote"."""
    if workplace := clean_text(record.get("workplaceType")):
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
        low, high = to_number(component.get("minValue")), to_number(component.get("maxValue"))
        if low is None and high is None:
            continue
        return SalaryHint(
            min=low,
            max=high,
            currency=clean_text(component.get("currencyCode")),
            period=clean_text(component.get("interval")),
        )
    return None
