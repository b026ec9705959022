"""Pure functions that turn a ``SourcePosting`` into a ``Job``.

One module per concern — ``html`` (description text and safe HTML), ``location`` (places, remote
policy, remote regions), ``salary``, ``dates``, ``title`` — and ``normalize_posting`` here, which
assembles them. Nothing in this package does I/O; the gazetteer loads once on first use.
"""

from __future__ import annotations

import hashlib
import json
import re

from leadboard.models import Job, Place, Salary, SourcePosting
from leadboard.normalize.dates import parse_datetime
from leadboard.normalize.html import clean_description
from leadboard.normalize.location import parse_location, resolve_remote
from leadboard.normalize.salary import (
    SalaryResult,
    find_salary_in_text,
    parse_salary_text,
    salary_from_hint,
)
from leadboard.normalize.title import clean_title
from leadboard.normalize.urls import safe_http_url

__all__ = ["InvalidPosting", "content_hash", "normalize_employment_type", "normalize_posting"]

_EMPLOYMENT_TYPES = {
    "fulltime": "full_time",
    "permanent": "full_time",
    "regular": "full_time",
    "parttime": "part_time",
    "contract": "contract",
    "contractor": "contract",
    "contracttohire": "contract",
    "freelance": "contract",
    "temporary": "temporary",
    "temp": "temporary",
    "seasonal": "temporary",
    "intern": "internship",
    "internship": "internship",
    "volunteer": "volunteer",
    "apprenticeship": "internship",
}


class InvalidPosting(ValueError):
    """A posting that cannot become a ``Job`` (e.g. no usable title); ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize_posting(posting: SourcePosting, *, default_currency: str | None = None) -> Job:
    """Clean text, locations, salary, dates and title of one posting into a ``Job``.

    ``default_currency`` is used only for salary figures that carry no currency at all; pass it
    when you know the posting's market (e.g. "USD" for a US board), otherwise such figures are
    dropped. Raises ``InvalidPosting`` when the posting has no usable title.

    >>> from datetime import datetime, UTC
    >>> job = normalize_posting(SourcePosting(
    ...     source="lever", board="acme", external_id="42", fetched_at=datetime.now(UTC),
    ...     title="🚀 Staff ML Engineer (Remote)", locations=["Remote - US"],
    ...     description="<p>Build models.</p><p>Salary: $200K – $250K</p>",
    ...     description_format="html"))
    >>> job.id, job.title, job.remote, job.remote_regions, job.salary.min
    ('lever:acme:42', 'Staff ML Engineer', 'remote', ['US'], 200000.0)
    """
    title = clean_title(posting.title)
    if not title:
        if not (posting.title or "").strip():
            raise InvalidPosting("missing title")
        raise InvalidPosting(f"title has no words left: {posting.title!r}")

    warnings: list[str] = []
    description = clean_description(posting.description, posting.description_format)
    warnings.extend(description.warnings)

    raw_locations = [loc.strip() for loc in posting.locations if loc and loc.strip()]
    location = parse_location(raw_locations, posting.workplace_type, posting.remote_regions)
    scanned = _scan_window(description.text)
    location = resolve_remote(location, scanned)

    salary = _salary(posting, scanned, default_currency, warnings)

    dates = {}
    for field in ("posted_at", "updated_at", "closes_at"):
        raw = getattr(posting, field)
        dates[field] = parse_datetime(raw)
        if raw and dates[field] is None:
            warnings.append(f"{field} not understood: {str(raw)[:40]!r}")

    url = safe_http_url(posting.url)
    if posting.url and url is None:  # a javascript: or other non-web link is never stored
        warnings.append(f"url dropped, not an http(s) link: {posting.url[:60]!r}")

    company = (posting.company or "").strip() or None
    employment_type = normalize_employment_type(posting.employment_type)
    return Job(
        id=posting.key,
        source=posting.source,
        board=posting.board,
        external_id=posting.external_id,
        url=url,
        title=title,
        title_raw=posting.title or "",
        company=company,
        description_text=description.text,
        description_html=description.html,
        locations=location.places,
        location_raw="; ".join(raw_locations) or None,
        remote=location.remote,
        remote_regions=location.remote_regions,
        salary=salary,
        employment_type=employment_type,
        posted_at=dates["posted_at"],
        source_updated_at=dates["updated_at"],
        closes_at=dates["closes_at"],
        requisition_id=(posting.requisition_id or "").strip() or None,
        content_hash=content_hash(
            title=title,
            company=company,
            places=location.places,
            description_text=description.text,
            salary=salary,
            remote=location.remote,
            remote_regions=location.remote_regions,
            employment_type=employment_type,
        ),
        warnings=warnings,
    )


def normalize_employment_type(raw: str | None) -> str | None:
    """Employment kind, snake-cased: "FullTime", "FULL_TIME", "Full-time" → "full_time".

    >>> normalize_employment_type("FullTime"), normalize_employment_type("Intern")
    ('full_time', 'internship')
    """
    if not raw or not raw.strip():
        return None
    squashed = re.sub(r"[^a-z]", "", raw.lower())
    if squashed in _EMPLOYMENT_TYPES:
        return _EMPLOYMENT_TYPES[squashed]
    return re.sub(r"[^a-z0-9]+", "_", raw.strip().lower()).strip("_") or None


def content_hash(
    *,
    title: str,
    company: str | None,
    places: list[Place],
    description_text: str,
    salary: Salary | None,
    remote: str,
    remote_regions: list[str],
    employment_type: str | None,
) -> str:
    """sha256 over what a reader would call "the posting changed"; fetch times are left out.

    >>> len(content_hash(title="T", company=None, places=[], description_text="", salary=None,
    ...                  remote="unknown", remote_regions=[], employment_type=None))
    64
    """
    payload = {
        "title": title,
        "company": company,
        "places": sorted([p.city or "", p.region or "", p.country or ""] for p in places),
        "description": description_text,
        "salary": salary.model_dump() if salary else None,
        "remote": remote,
        "remote_regions": sorted(remote_regions),
        "employment_type": employment_type,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _scan_window(text: str, edge: int = 100_000) -> str:
    """The text the salary and workplace scans read: all of it, or both ends of a huge one.

    Pay and workplace statements sit near the top or in the closing section; bounding the scan
    keeps an accidental megabyte description from costing seconds.
    """
    return text if len(text) <= 2 * edge else text[:edge] + "\n" + text[-edge:]


def _salary(
    posting: SourcePosting, text: str, default_currency: str | None, warnings: list[str]
) -> Salary | None:
    """Structured hint first, then the salary text field, then the description."""
    hint, salary_text = posting.salary, (posting.salary_text or "").strip()
    results: list[SalaryResult] = []
    if hint is not None and (hint.min is not None or hint.max is not None):
        results.append(salary_from_hint(hint, default_currency=default_currency))
    if salary_text and (not results or results[-1].salary is None):
        results.append(parse_salary_text(salary_text, default_currency=default_currency))
    for result in results:
        warnings.extend(result.warnings)
        if result.salary is not None:
            return result.salary
    return find_salary_in_text(text, default_currency=default_currency).salary
