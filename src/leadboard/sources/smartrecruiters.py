"""SmartRecruiters public Posting API connector.

A board is a company identifier (``AbbVie``, ``BoschGroup``), read from
``api.smartrecruiters.com`` in two steps:

- ``GET /v1/companies/{company}/postings?limit=100&offset=N`` pages through the listing
  (``{"offset", "limit", "totalFound", "content": [...]}``) until ``totalFound`` postings came back;
  listing items carry no description.
- ``GET /v1/companies/{company}/postings/{id}`` is each posting's detail: the job ad
  (``jobAd.sections``, HTML), ``postingUrl`` and, where the company publishes it, ``compensation``.

>>> SmartRecruitersConnector.board_from_url("https://jobs.smartrecruiters.com/CERN/7440-engineer")
'CERN'
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    salary_hint,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "smartrecruiters"
API_HOST = "api.smartrecruiters.com"
PAGE_SIZE = 100  # the API's maximum ``limit``
MAX_PAGES = 200  # 20,000 postings: far above any real board; stops a server that never ends
# The job ad's sections in the order the public page shows them; any other section follows.
_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
# First path segments of jobs./careers.smartrecruiters.com that are not a company identifier.
_NOT_COMPANIES = frozenset({"oneclick-ui", "external-referrals", "sr-jobs", "app", "static"})
_COMPANY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def parse_posting(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one posting (a listing item, merged with its detail when read) into a SourcePosting.

    ``releasedDate`` is the posting's publication date; the API gives no update date. The job ad's
    sections are joined as HTML, each under its own heading. ``compensation`` becomes a
    ``SalaryHint`` as given (``"HOURLY"`` stays ``"HOURLY"``). Raises ``ValueError`` when the
    record is not a posting.

    >>> from datetime import UTC
    >>> p = parse_posting({"id": "744", "name": "ML Lead", "releasedDate": "2026-06-03T11:08:12Z",
    ...                    "location": {"fullLocation": "Austin, TX, United States",
    ...                                 "remote": False, "hybrid": True}},
    ...                   "Visa", datetime(2026, 7, 1, tzinfo=UTC))
    >>> p.url, p.locations, p.posted_at, p.workplace_type
    ('https://jobs.smartrecruiters.com/Visa/744', ['Austin, TX, United States'], \
'2026-06-03T11:08:12Z', 'hybrid')
    """
    posting_id, title = id_and_title(record, word="posting", title_key="name")
    company = _dict(record.get("company"))
    location = _dict(record.get("location"))
    description = _description(record.get("jobAd"))
    identifier = clean_text(company.get("identifier")) or board
    default_url = f"https://jobs.smartrecruiters.com/{quote(identifier)}/{quote(posting_id)}"
    extra = non_empty(
        uuid=clean_text(record.get("uuid")),
        department=_label(record.get("department")),
        function=_label(record.get("function")),
        industry=_label(record.get("industry")),
        experience_level=_label(record.get("experienceLevel")),
        language=clean_text(_dict(record.get("language")).get("code")),
        country=clean_text(location.get("country")),
        hybrid_description=clean_text(location.get("hybridDescription")),
        custom_fields=_custom_fields(record.get("customField")),
        apply_url=clean_text(record.get("applyUrl")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=posting_id,
        url=clean_text(record.get("postingUrl")) or default_url,
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(company.get("name")),
        locations=_locations(location),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("releasedDate")),
        salary=_salary(record.get("compensation")),
        workplace_type=_workplace(location),
        employment_type=_label(record.get("typeOfEmployment")),
        requisition_id=clean_text(record.get("refNumber")),
        extra=extra,
    )


class SmartRecruitersConnector(AtsConnector):
    """Fetches SmartRecruiters companies: the paged listing, then each posting's detail.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = SmartRecruitersConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.postings_url("Visa")
    'http://127.0.0.1:9/api.smartrecruiters.com/v1/companies/Visa/postings'
    """

    kind = SOURCE
    default_page_size = PAGE_SIZE
    board_word = "company"
    record_word = "posting"
    has_details = True

    def postings_url(self, company: str) -> str:
        return self.url(API_HOST, f"/v1/companies/{quote(company, safe='')}/postings")

    def read_listing(self, board: str) -> Listing:
        """Every posting of company ``board``, page by page against ``totalFound``."""
        url = self.postings_url(board)
        records: list[Any] = []
        total: int | None = None
        for page in range(MAX_PAGES):
            params = {"limit": str(self.page_size), "offset": str(len(records))}
            try:
                body = self.client.get_json(url, params=params)
                content = _content(body, url)
            except FetchError as err:
                if page == 0:
                    raise  # nothing came back: the whole board failed
                return Listing(records, error=f"page {page + 1}: {err}", company=_company(records))
            found = body.get("totalFound")
            found = found if isinstance(found, int) and not isinstance(found, bool) else None
            if page == 0:
                total = found
            elif found is not None and total is not None and found != total:
                # Postings opened or closed while paging: offsets shifted, some may be missed.
                return Listing(
                    records,
                    error=f"the listing changed while read ({total} → {found})",
                    company=_company(records),
                )
            records += content
            if total is None:  # no announced total: a short page is the last one
                if len(content) < self.page_size:
                    return Listing(records, company=_company(records))
            elif len(records) >= total:
                return Listing(records, company=_company(records))
            elif not content:  # the server stopped before the total it announced
                return Listing(
                    records,
                    error=f"got {len(records)} of {total} postings",
                    company=_company(records),
                )
        return Listing(records, error=f"stopped after {MAX_PAGES} pages", company=_company(records))

    def read_detail(self, board: str, record: Any) -> Any:
        """The listing item merged with ``/postings/{id}`` (the job ad, URLs, compensation)."""
        posting_id = self.record_id(record)
        if posting_id is None:
            return record  # ``parse`` rejects it with the reason
        url = f"{self.postings_url(board)}/{quote(posting_id, safe='')}"
        detail = self.client.get_json(url)
        if not isinstance(detail, dict):
            raise FetchError(f"posting detail from {url} is not an object", url=url)
        return {**record, **detail}

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_posting(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The company identifier in a careers, job or API URL of SmartRecruiters.

        >>> SmartRecruitersConnector.board_from_url("https://careers.smartrecruiters.com/AbbVie")
        'AbbVie'
        >>> SmartRecruitersConnector.board_from_url(
        ...     "https://api.smartrecruiters.com/v1/companies/ASOS/postings?limit=10")
        'ASOS'
        >>> SmartRecruitersConnector.board_from_url("https://jobs.lever.co/acme") is None
        True
        """
        host, segments, _, _ = url_parts(url)
        if host == API_HOST:
            if len(segments) >= 3 and segments[0] == "v1" and segments[1] == "companies":
                candidate = segments[2]
            else:
                return None
        elif host in ("careers.smartrecruiters.com", "jobs.smartrecruiters.com"):
            if not segments or segments[0].lower() in _NOT_COMPANIES:
                return None
            candidate = segments[0]
        else:
            return None
        return candidate if _COMPANY.fullmatch(candidate) else None

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The company's SmartRecruiters careers page.

        >>> SmartRecruitersConnector.careers_url("BoschGroup")
        'https://careers.smartrecruiters.com/BoschGroup'
        """
        return f"https://careers.smartrecruiters.com/{quote(board)}"


def _content(body: Any, url: str) -> list[Any]:
    """The ``content`` list of a listing page, else a ``FetchError`` naming the URL."""
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, list):
        raise FetchError(f"response from {url} has no 'content' list of postings", url=url)
    return content


def _company(records: list[Any]) -> str | None:
    """The company's display name, from the first listing item that names it."""
    for record in records:
        if isinstance(record, dict) and (
            name := clean_text(_dict(record.get("company")).get("name"))
        ):
            return name
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _label(value: Any) -> str | None:
    """``{"id": "permanent", "label": "Full-time"}`` → ``"Full-time"``; ``{}`` → None."""
    return clean_text(_dict(value).get("label"))


def _locations(location: dict[str, Any]) -> list[str]:
    """``fullLocation`` as written, else city, region and country joined."""
    if full := clean_text(location.get("fullLocation")):
        return [full]
    parts = unique_texts(location.get(key) for key in ("city", "region", "country"))
    return [", ".join(parts)] if parts else []


def _workplace(location: dict[str, Any]) -> str | None:
    """SmartRecruiters' two flags: ``remote``, ``hybrid``; both false is its on-site."""
    remote, hybrid = location.get("remote"), location.get("hybrid")
    if remote is True:
        return "remote"
    if hybrid is True:
        return "hybrid"
    if remote is False and hybrid is False:
        return "onsite"
    return None


def _custom_fields(fields: Any) -> dict[str, str]:
    """``customField`` items as ``{fieldLabel: valueLabel}``."""
    result: dict[str, str] = {}
    for field in fields if isinstance(fields, list) else []:
        if not isinstance(field, dict):
            continue
        name, value = clean_text(field.get("fieldLabel")), clean_text(field.get("valueLabel"))
        if name and value:
            result[name] = value
    return result


def _description(job_ad: Any) -> str | None:
    """``jobAd.sections`` joined as HTML: each section's title as a heading, then its text."""
    sections = _dict(_dict(job_ad).get("sections"))
    names = [n for n in _SECTIONS if n in sections] + [n for n in sections if n not in _SECTIONS]
    parts: list[str] = []
    for name in names:
        section = _dict(sections[name])
        text = clean_text(section.get("text"))
        if text is None:
            continue
        if heading := clean_text(section.get("title")):
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        parts.append(text)
    return "\n".join(parts) or None


def _salary(compensation: Any) -> SalaryHint | None:
    """``{"min": 34, "max": 47, "currency": "USD", "period": "HOURLY"}``, as given."""
    return salary_hint(compensation)
