"""Workday careers sites, read through the CXS JSON API behind ``*.myworkdayjobs.com``.

A board is ``tenant/wdN/site`` (e.g. ``gdit/wd5/External_Career_Site``), served from the host
``{tenant}.{wdN}.myworkdayjobs.com`` (or ``{wdN}.myworkdaysite.com`` for the rare tenant whose
name cannot be a host name, e.g. one with an underscore; that host is not checked against a
recorded response):

- listing: ``POST https://{host}/wday/cxs/{tenant}/{site}/jobs`` with the JSON body
  ``{"appliedFacets": {}, "limit": 20, "offset": N, "searchText": ""}``, which answers
  ``{"total": N, "jobPostings": [{title, externalPath, locationsText, postedOn, bulletFields}]}``;
  20 is the largest page every tenant accepts. Some tenants send the real ``total`` only on the
  first page (``0`` afterwards), so the first page's total is kept.
- detail: ``GET https://{host}/wday/cxs/{tenant}/{site}{externalPath}``, which answers
  ``{"jobPostingInfo": {jobDescription, startDate, location, additionalLocations, timeType,
  jobReqId, externalUrl…}, "hiringOrganization": {"name": …}}``.

A posting's id is the last segment of its ``externalPath`` (Workday's ``jobPostingId``, e.g.
``Data-Engineer_RQ216675``). ``startDate`` is the posting date; ``postedOn`` ("Posted 30+ Days
Ago") is a label relative to the day it was served, never turned into a date.

>>> split_board("gdit/wd5/External_Career_Site").host
'gdit.wd5.myworkdayjobs.com'
>>> WorkdayConnector.board_from_url("https://ag.wd3.myworkdayjobs.com/en-US/Airbus/job/X/Y_1")
'ag/wd3/Airbus'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import unquote

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

SOURCE = "workday"
PAGE_SIZE = 20  # Workday refuses larger pages on some tenants
MAX_PAGES = 250  # 5,000 postings: above the largest real sites; stops a server that never ends

_INSTANCE = re.compile(r"wd\d+", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_LOCALE = re.compile(r"[a-z]{2}(?:-[a-z]{2,4})?", re.IGNORECASE)  # en-US, fr-FR, zh-Hans…
# "2 Locations": the listing's summary of a multi-location posting, not a place.
_LOCATION_COUNT = re.compile(r"\d+\s+locations?", re.IGNORECASE)
# Path segments after the host that are Workday's own pages, never a site name.
_NOT_SITES = frozenset({"wday", "job", "login", "userhome"})


class WorkdayBoard(NamedTuple):
    """A board token's parts: ``tenant/wdN/site``."""

    tenant: str
    instance: str  # wd1, wd3, wd5, wd103…: the data centre
    site: str

    @property
    def host(self) -> str:
        """``{tenant}.{wdN}.myworkdayjobs.com``; a tenant that cannot be a host name
        (``vhr_wachtelllipton``) is served from ``{wdN}.myworkdaysite.com`` instead."""
        if _HOST_LABEL.fullmatch(self.tenant):
            return f"{self.tenant}.{self.instance}.myworkdayjobs.com"
        return f"{self.instance}.myworkdaysite.com"

    @property
    def site_url(self) -> str:
        """The site's public page, which job pages extend with their ``externalPath``."""
        if _HOST_LABEL.fullmatch(self.tenant):
            return f"https://{self.host}/{self.site}"
        return f"https://{self.host}/recruiting/{self.tenant}/{self.site}"

    @property
    def api_path(self) -> str:
        return f"/wday/cxs/{self.tenant}/{self.site}"


def split_board(board: str) -> WorkdayBoard:
    """``"gdit/wd5/External_Career_Site"`` → its parts; ``FetchError`` when it is not a token.

    >>> split_board("ghr/WD1/Lateral-US")
    WorkdayBoard(tenant='ghr', instance='wd1', site='Lateral-US')
    >>> split_board("gdit/External")
    Traceback (most recent call last):
    leadboard.sources.http.FetchError: workday board token 'gdit/External' is not tenant/wdN/site
    """
    parts = board.strip().strip("/").split("/")
    if (
        len(parts) != 3
        or not _NAME.fullmatch(parts[0])
        or not _INSTANCE.fullmatch(parts[1])
        or not _NAME.fullmatch(parts[2])
    ):
        raise FetchError(f"workday board token {board!r} is not tenant/wdN/site", url=board)
    tenant, instance, site = parts
    return WorkdayBoard(tenant.lower(), instance.lower(), site)


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one listing record, merged with its detail (``jobPostingInfo``…), into a posting.

    A listing record without its detail parses too, with what the listing has (no description,
    no date). Raises ``ValueError`` when the record is not a posting (no ``externalPath``, no
    title).

    >>> from datetime import UTC
    >>> p = parse_job({"title": "Data Engineer", "externalPath": "/job/DC/Data-Engineer_RQ1",
    ...                "jobPostingInfo": {"startDate": "2026-07-07", "location": "DC",
    ...                                   "jobDescription": "<p>Hi</p>", "jobReqId": "RQ1"}},
    ...               "gdit/wd5/Ext", datetime(2026, 8, 1, tzinfo=UTC))
    >>> p.external_id, p.posted_at, p.locations, p.requisition_id
    ('Data-Engineer_RQ1', '2026-07-07', ['DC'], 'RQ1')
    >>> p.url
    'https://gdit.wd5.myworkdayjobs.com/Ext/job/DC/Data-Engineer_RQ1'
    """
    if not isinstance(record, dict):
        raise ValueError(f"posting record is a {type(record).__name__}, not an object")
    info = _object(record.get("jobPostingInfo"))
    path = _external_path(record)
    posting_id = _posting_id(path) or clean_text(info.get("jobPostingId"))
    title = clean_text(info.get("title")) or clean_text(record.get("title"))
    posting_id, title = id_and_title({"id": posting_id, "title": title}, word="posting")

    description = clean_text(info.get("jobDescription"))
    country = _object(info.get("country"))
    requisition_location = _object(info.get("jobRequisitionLocation"))
    bullets = record.get("bulletFields")
    extra = non_empty(
        # "Posted 8 Days Ago": relative to the day it was served; kept as a label, not a date.
        posted_on=clean_text(info.get("postedOn")) or clean_text(record.get("postedOn")),
        bullet_fields=unique_texts(bullets) if isinstance(bullets, list) else [],
        country=clean_text(country.get("descriptor")),
        requisition_location=clean_text(requisition_location.get("descriptor")),
        workday_id=clean_text(info.get("id")),
        external_path=path,
        can_apply=info.get("canApply") if isinstance(info.get("canApply"), bool) else None,
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=posting_id,
        url=clean_text(info.get("externalUrl")) or _public_url(board, path),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(_object(record.get("hiringOrganization")).get("name")),
        locations=_locations(record, info),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(info.get("startDate")),
        workplace_type=clean_text(info.get("remoteType")) or clean_text(record.get("remoteType")),
        employment_type=clean_text(info.get("timeType")) or clean_text(record.get("timeType")),
        requisition_id=clean_text(info.get("jobReqId")),
        extra=extra,
    )


class WorkdayConnector(AtsConnector):
    """Fetches Workday careers sites: the listing page by page, then each posting's detail.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = WorkdayConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.jobs_url("gdit/wd5/Ext")
    'http://127.0.0.1:9/gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/Ext/jobs'
    """

    kind = SOURCE
    default_page_size = PAGE_SIZE
    board_word = "site"
    record_word = "posting"
    has_details = True

    def jobs_url(self, board: str) -> str:
        site = split_board(board)
        return self.url(site.host, f"{site.api_path}/jobs")

    def read_listing(self, board: str) -> Listing:
        """Every posting of ``board`` (``tenant/wdN/site``), page by page."""
        url = self.jobs_url(board)
        records: list[Any] = []
        seen: set[str] = set()
        total: int | None = None
        for page in range(MAX_PAGES):
            body = {
                "appliedFacets": {},
                "limit": self.page_size,
                "offset": page * self.page_size,
                "searchText": "",
            }
            try:
                answer = self.client.post_json(url, body)
                postings = _postings_in(answer, url)
            except FetchError as err:
                if page == 0:
                    raise
                # A missing page leaves the listing incomplete; the pages before it still count.
                return Listing(records, error=f"page {page + 1}: {err}")
            if page == 0:
                total = _total(answer, len(postings))
            for record in postings:
                # Postings published while paging shift the offsets: keep each posting once.
                record_id = self.record_id(record)
                if record_id is not None:
                    if record_id in seen:
                        continue
                    seen.add(record_id)
                records.append(_without_relative_date(record))
            read = page * self.page_size + len(postings)
            if len(postings) < self.page_size or (total is not None and read >= total):
                break
        else:
            return Listing(records, error=f"stopped after {MAX_PAGES} pages")
        if total is not None and len(records) < total:
            return Listing(records, error=f"got {len(records)} of {total} postings")
        return Listing(records)

    def read_detail(self, board: str, record: Any) -> Any:
        """``record`` merged with its detail; ``similarJobs`` (other postings) is left out."""
        path = _external_path(record)
        if path is None:
            return record  # nothing to ask for: ``parse`` rejects the record
        site = split_board(board)
        url = self.url(site.host, site.api_path + path)
        detail = self.client.get_json(url)
        if not isinstance(detail, dict) or not isinstance(detail.get("jobPostingInfo"), dict):
            raise FetchError(f"detail from {url} has no 'jobPostingInfo' object", url=url)
        merged = dict(record)
        merged.update((key, value) for key, value in detail.items() if key != "similarJobs")
        return merged

    def record_id(self, record: Any) -> str | None:
        return _posting_id(_external_path(record))

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The ``tenant/wdN/site`` of a Workday careers URL: a site or job page, its API, or a
        ``wdN.myworkdaysite.com/recruiting/{tenant}/{site}`` page.

        >>> WorkdayConnector.board_from_url("https://gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/"
        ...                                 "External_Career_Site/jobs")
        'gdit/wd5/External_Career_Site'
        >>> WorkdayConnector.board_from_url("https://wd3.myworkdaysite.com/recruiting/havas/GES/")
        'havas/wd3/GES'
        >>> WorkdayConnector.board_from_url("https://jobs.lever.co/acme") is None
        True
        """
        host, raw_segments, _, _ = url_parts(url)
        segments = [unquote(s) for s in raw_segments]
        labels = host.split(".")
        if host.endswith(".myworkdayjobs.com") and len(labels) == 4:
            tenant, instance = labels[0], labels[1]
            if segments[:2] == ["wday", "cxs"] and len(segments) >= 4:
                tenant, site = segments[2].lower(), segments[3]  # the API: /wday/cxs/{t}/{site}
            else:
                if segments and _is_locale(segments[0], followed=len(segments) > 1):
                    segments = segments[1:]
                site = segments[0] if segments else ""
        elif host.endswith(".myworkdaysite.com") and len(labels) == 3:
            instance = labels[0]
            if segments and _is_locale(segments[0], followed=len(segments) > 1):
                segments = segments[1:]
            if len(segments) < 3 or segments[0].lower() != "recruiting":
                return None
            tenant, site = segments[1].lower(), segments[2]
        else:
            return None
        if (
            not _INSTANCE.fullmatch(instance)
            or not _NAME.fullmatch(tenant)
            or not _NAME.fullmatch(site)
            or site.lower() in _NOT_SITES
        ):
            return None
        return f"{tenant}/{instance}/{site}"

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The site's own page.

        >>> WorkdayConnector.careers_url("abb/wd3/External_Career_Page")
        'https://abb.wd3.myworkdayjobs.com/External_Career_Page'
        >>> WorkdayConnector.careers_url("vhr_wachtelllipton/wd1/wlrk")
        'https://wd1.myworkdaysite.com/recruiting/vhr_wachtelllipton/wlrk'
        """
        return split_board(board).site_url


def _postings_in(answer: Any, url: str) -> list[Any]:
    postings = answer.get("jobPostings") if isinstance(answer, dict) else None
    if not isinstance(postings, list):
        raise FetchError(f"response from {url} has no 'jobPostings' list", url=url)
    return postings


def _total(answer: dict[str, Any], first_page: int) -> int | None:
    """The first page's ``total``; None when absent or smaller than that page (not a count)."""
    total = answer.get("total")
    if isinstance(total, bool) or not isinstance(total, int) or total < first_page:
        return None
    return total


def _without_relative_date(record: Any) -> Any:
    """The listing record less ``postedOn``: the label ("Posted 8 Days Ago") changes every day
    and would make every record look changed, so every detail would be read again. The detail
    carries the same label (``jobPostingInfo.postedOn``)."""
    if isinstance(record, dict) and "postedOn" in record:
        return {key: value for key, value in record.items() if key != "postedOn"}
    return record


def _is_locale(segment: str, *, followed: bool) -> bool:
    """``en-US`` is a locale wherever it stands; a bare ``fr`` only before a site name."""
    return bool(_LOCALE.fullmatch(segment)) and ("-" in segment or followed)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _external_path(record: Any) -> str | None:
    """``/job/USA-DC-Washington/Data-Engineer_RQ216675``: where the posting lives on the site."""
    path = clean_text(record.get("externalPath")) if isinstance(record, dict) else None
    if path is None:
        return None
    return path if path.startswith("/") else f"/{path}"


def _posting_id(path: str | None) -> str | None:
    """The last segment of ``externalPath`` (Workday's ``jobPostingId``)."""
    return clean_text(path.rstrip("/").rsplit("/", 1)[-1]) if path else None


def _public_url(board: str, path: str | None) -> str | None:
    if path is None:
        return None
    try:
        site = split_board(board)
    except FetchError:
        return None
    return site.site_url + path


def _locations(record: dict[str, Any], info: dict[str, Any]) -> list[str]:
    """The detail's ``location`` and ``additionalLocations``; else the listing's
    ``locationsText`` unless it only counts them ("2 Locations")."""
    additional = info.get("additionalLocations")
    places = unique_texts(
        [info.get("location"), *(additional if isinstance(additional, list) else [])]
    )
    if places:
        return places
    text = clean_text(record.get("locationsText"))
    return [text] if text and not _LOCATION_COUNT.fullmatch(text) else []
