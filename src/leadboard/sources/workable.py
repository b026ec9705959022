"""Workable public job-board connector.

A board (a Workable account) is read with the widget API,
``GET https://apply.workable.com/api/v1/widget/accounts/{slug}?details=true``, which returns the
whole board in one answer, descriptions included: ``{"name": ..., "jobs": [...]}``.

Some accounts answer the widget with an empty list although they have openings; an empty widget
answer is therefore checked against the careers page's own API,
``POST https://apply.workable.com/api/v3/accounts/{slug}/jobs`` (``{"total", "results",
"nextPage"}``, the next page asked for with ``{"token": nextPage}``). Its records carry no
description: each is completed by ``GET https://apply.workable.com/api/v2/accounts/{slug}/jobs/
{shortcode}``. Jobs are known by their shortcode in both shapes, and their public page is
``https://apply.workable.com/{slug}/j/{shortcode}/``.

>>> from leadboard.sources.http import HttpClient
>>> conn = WorkableConnector(HttpClient(), base_url="http://127.0.0.1:9")
>>> conn.widget_url("zego")
'http://127.0.0.1:9/apply.workable.com/api/v1/widget/accounts/zego'
"""

from __future__ import annotations

import html
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

SOURCE = "workable"
HOST = "apply.workable.com"
MAX_PAGES = 100  # v3 pages hold ~10 jobs: far above any real board; stops a server that never ends
# The v3 listing's filters, all empty: every published job.
V3_QUERY: dict[str, Any] = {"query": "", "location": [], "department": [], "worktype": []}
# First path segments of apply.workable.com that are not an account.
_NOT_ACCOUNTS = frozenset({"api", "j", "jobs", "js", "css", "assets", "static", "careers"})
# Sub-domains of workable.com that are Workable's own, not an account's careers page.
_NOT_SUBDOMAINS = frozenset({"www", "apply", "jobs", "api", "help", "resources", "status"})
# The detail's extra sections, after ``description``, as the job page shows them.
_SECTIONS = (("requirements", "Requirements"), ("benefits", "Benefits"))


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one job (widget v1 record, or v3 record merged with its v2 detail) into a posting.

    The posting date is the widget's ``published_on`` (else its ``created_at``) or v3's
    ``published``; the remote hint is v3's ``workplace``, else ``remote`` / ``telecommuting``.
    Raises ``ValueError`` when the record is not a job (not an object, no shortcode, no title).

    >>> from datetime import UTC
    >>> p = parse_job({"shortcode": "AB12", "title": "ML Lead", "telecommuting": True,
    ...                "published_on": "2026-06-02", "city": "Athens", "country": "Greece"},
    ...               "acme", datetime(2026, 7, 1, tzinfo=UTC))
    >>> p.url, p.locations, p.workplace_type, p.posted_at
    ('https://apply.workable.com/acme/j/AB12/', ['Athens, Greece'], 'Remote', '2026-06-02')
    """
    shortcode, title = id_and_title(
        {"id": record.get("shortcode"), "title": record.get("title")}
        if isinstance(record, dict)
        else record
    )
    description = _description(record)
    department = record.get("department")
    extra = non_empty(
        department=unique_texts(department if isinstance(department, list) else [department]),
        function=clean_text(record.get("function")),
        industry=clean_text(record.get("industry")),
        education=clean_text(record.get("education")),
        experience=clean_text(record.get("experience")),
        language=clean_text(record.get("language")),
        job_id=clean_text(record.get("id")),
        created_at=clean_text(record.get("created_at")),
        apply_url=clean_text(record.get("application_url")),
        short_url=clean_text(record.get("shortlink")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=shortcode,
        url=job_url(board, shortcode),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(record),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("published_on"))
        or clean_text(record.get("published"))
        or clean_text(record.get("created_at")),
        workplace_type=_workplace(record),
        employment_type=clean_text(record.get("employment_type")) or clean_text(record.get("type")),
        requisition_id=clean_text(record.get("code")),
        extra=extra,
    )


class WorkableConnector(AtsConnector):
    """Fetches Workable accounts (``fetch`` comes from ``AtsConnector``).

    >>> WorkableConnector.board_from_url("https://apply.workable.com/limula/?lng=en")
    'limula'
    >>> WorkableConnector.careers_url("zego")
    'https://apply.workable.com/zego/'
    """

    kind = SOURCE
    board_word = "account"
    has_details = True  # only v3 records need it: widget records already hold the description

    def widget_url(self, slug: str) -> str:
        return self.url(HOST, f"/api/v1/widget/accounts/{slug}")

    def v3_url(self, slug: str) -> str:
        return self.url(HOST, f"/api/v3/accounts/{slug}/jobs")

    def detail_url(self, slug: str, shortcode: str) -> str:
        return self.url(HOST, f"/api/v2/accounts/{slug}/jobs/{shortcode}")

    def read_listing(self, board: str) -> Listing:
        """Every job of account ``board``: the widget's, or v3's pages when the widget has none."""
        url = self.widget_url(board)
        body = self.client.get_json(url, params={"details": "true"})
        jobs = body.get("jobs") if isinstance(body, dict) else None
        if not isinstance(jobs, list):
            raise FetchError(f"response from {url} has no 'jobs' list", url=url)
        company = clean_text(body.get("name"))
        if jobs:
            return Listing(jobs, company=company)
        listing = self._read_v3(board)
        listing.company = company
        return listing

    def _read_v3(self, board: str) -> Listing:
        """v3's pages, ``nextPage`` to ``nextPage``; any failure leaves the listing partial (the
        widget said "no jobs", which this listing is there to confirm, not to trust)."""
        url = self.v3_url(board)
        records: list[Any] = []
        query = dict(V3_QUERY)
        total: Any = None
        for page in range(1, MAX_PAGES + 1):
            try:
                body = self.client.post_json(url, query)
            except FetchError as err:
                return Listing(records, error=f"the widget listed no jobs; v3 page {page}: {err}")
            results = body.get("results") if isinstance(body, dict) else None
            if not isinstance(results, list):
                return Listing(records, error=f"v3 page {page} from {url} has no 'results' list")
            records += results
            total = body.get("total", total)
            next_page = clean_text(body.get("nextPage"))
            if not next_page or not results:
                break
            query["token"] = next_page
        else:
            return Listing(records, error=f"stopped after {MAX_PAGES} v3 pages")
        # A listing shorter than the total it announces is partial: don't let it close jobs.
        if isinstance(total, int) and not isinstance(total, bool) and total > len(records):
            return Listing(records, error=f"got {len(records)} of {total} jobs")
        return Listing(records)

    def read_detail(self, board: str, record: Any) -> Any:
        """A v3 record merged with its v2 detail (the description); widget records as they are."""
        if not isinstance(record, dict) or "description" in record:
            return record
        shortcode = self.record_id(record)
        if shortcode is None:
            return record  # parse rejects it
        url = self.detail_url(board, shortcode)
        detail = self.client.get_json(url)
        if not isinstance(detail, dict):
            raise FetchError(f"detail from {url} is not an object", url=url)
        return {**record, **detail}

    def record_id(self, record: Any) -> str | None:
        return clean_text(record.get("shortcode")) if isinstance(record, dict) else None

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The account of ``apply.workable.com/{slug}/…`` (board, job and API URLs) or of
        ``{slug}.workable.com``; None for other URLs and for account-less ``/j/{shortcode}``.

        >>> WorkableConnector.board_from_url("https://apply.workable.com/j/401786A940") is None
        True
        """
        host, segments, _, _ = url_parts(url)
        if host == HOST:
            if segments[:1] == ["api"]:  # /api/v1/widget/accounts/{slug}, /api/v3/accounts/{slug}
                if "accounts" in segments[:-1]:
                    return segments[segments.index("accounts") + 1].lower()
                return None
            if segments and segments[0].lower() not in _NOT_ACCOUNTS:
                return segments[0].lower()
            return None
        if host.endswith(".workable.com"):
            sub = host[: -len(".workable.com")]
            if sub and "." not in sub and sub not in _NOT_SUBDOMAINS:
                return sub
        return None

    @classmethod
    def careers_url(cls, board: str) -> str:
        return f"https://{HOST}/{board}/"


def job_url(board: str, shortcode: str) -> str:
    """The job's public page on the account's careers site."""
    return f"https://{HOST}/{board}/j/{shortcode}/"


def _locations(record: dict[str, Any]) -> list[str]:
    """ "City, Region, Country" per entry of ``locations`` (hidden ones only when all are hidden),
    else v3's ``location``, else the widget's flat city/state/country."""
    items = [item for item in record.get("locations") or [] if isinstance(item, dict)]
    shown = [item for item in items if item.get("hidden") is not True] or items
    places = [_place(item) for item in shown]
    if not any(places) and isinstance(record.get("location"), dict):
        places = [_place(record["location"])]
    if not any(places):
        places = [", ".join(unique_texts(record.get(k) for k in ("city", "state", "country")))]
    return unique_texts(places)


def _place(item: dict[str, Any]) -> str:
    return ", ".join(unique_texts(item.get(k) for k in ("city", "region", "country")))


def _workplace(record: dict[str, Any]) -> str | None:
    """v3's ``workplace`` ("remote", "hybrid", "on_site"); else a true ``remote`` /
    ``telecommuting`` flag means remote (false says nothing more than "not remote")."""
    workplace = clean_text(record.get("workplace"))
    if workplace:
        return workplace
    if record.get("remote") is True or record.get("telecommuting") is True:
        return "Remote"
    return None


def _description(record: dict[str, Any]) -> str | None:
    """``description``, then the detail's requirements and benefits under their headings."""
    parts = [text] if (text := clean_text(record.get("description"))) else []
    for key, heading in _SECTIONS:
        if text := clean_text(record.get(key)):
            parts += [f"<h3>{html.escape(heading)}</h3>", text]
    return "\n".join(parts) or None
