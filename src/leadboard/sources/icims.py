"""iCIMS career-site connector (server-rendered HTML list, job pages with JSON-LD).

A board is an iCIMS careers host (``careers-acme.icims.com``). The list is
``GET https://{host}/jobs/search?ss=1&in_iframe=1`` (HTML; the iframe variant is the bare list);
further pages are the ones the page links to (``&pr=N``), followed until none is new. Each posting
is a job card: a link ``/jobs/{id}/{slug}/job`` with the title, a "Job Locations" field and a
header list of fields (``Job ID``…). The text is on the job page,
``GET https://{host}/jobs/{id}/job?in_iframe=1``, in its schema.org ``JobPosting`` JSON-LD, which
also gives the posting date, type and pay where the employer filled them in. Job pages are not
read again for cards unchanged since the last crawl.

>>> from leadboard.sources.http import HttpClient
>>> conn = IcimsConnector(HttpClient(), base_url="http://127.0.0.1:9")
>>> conn.search_url("careers-acme.icims.com")
'http://127.0.0.1:9/careers-acme.icims.com/jobs/search'
>>> conn.job_url("careers-acme.icims.com", "8214")
'http://127.0.0.1:9/careers-acme.icims.com/jobs/8214/job'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from leadboard.models import SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    object_at,
    unique_texts,
)
from leadboard.sources.html_listing import read_pages
from leadboard.sources.jsonld import parse_job_posting, parse_jsonld_page

SOURCE = "icims"
LIST_PARAMS = {"ss": "1", "in_iframe": "1"}
PAGE_PARAM = "pr"
DETAIL_KEY = "detail"

_JOB_PATH = re.compile(r"^/jobs/(\d+)(?:/[^/]*)?/job/?$")
_TITLE_ATTR = re.compile(r"^\s*\d+\s*-\s*")  # title="8214 - Payroll Tax Specialist"
_HOST_URL = re.compile(
    r"^(?:https?://)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.icims\.com(?:[:/?#]|$)", re.IGNORECASE
)
_NOT_BOARDS = frozenset({"www", "api", "developer", "community", "care"})
_SPACES = re.compile(r"\s+")


def read_rows(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """The job cards of one list page: ``id``, ``title``, ``path``, ``location``, ``fields``.

    >>> page = ('<li class="iCIMS_JobCardItem"><div><span class="field-label">Job Locations'
    ...         '</span><span>US-WI-Milwaukee</span></div><a title="8 - ML Lead"'
    ...         ' href="https://h.icims.com/jobs/8/ml-lead/job?in_iframe=1"><h3>ML Lead</h3></a>')
    >>> [(r["id"], r["title"], r["path"], r["location"]) for r in read_rows(LexborHTMLParser(page))]
    [('8', 'ML Lead', '/jobs/8/ml-lead/job', 'US-WI-Milwaukee')]
    """
    rows = []
    for anchor in tree.css("a[href]"):
        path = urlsplit(anchor.attributes.get("href") or "").path
        match = _JOB_PATH.match(path)
        if match is None:
            continue
        heading = anchor.css_first("h3") or anchor.css_first("h2")
        title = _text(heading) or _TITLE_ATTR.sub("", anchor.attributes.get("title") or "")
        card = _card_of(anchor)
        rows.append(
            {
                "id": match.group(1),
                "title": clean_text(title) or _text(anchor),
                "path": path,
                "location": _labelled(card, "location") if card is not None else None,
                "fields": _header_fields(card) if card is not None else {},
            }
        )
    return rows


def parse_job(record: Any, board: str, fetched_at: datetime) -> SourcePosting:
    """One job card (with ``detail.job_posting`` when its page was read) → a SourcePosting.

    The card gives the title, location and ``Job ID`` (the requisition id); the page's JSON-LD
    gives the description, ``datePosted``, ``validThrough``, employment type, pay and remote hint.
    ``ValueError`` when the record is not a job card.

    >>> p = parse_job({"id": "8214", "title": "Payroll Tax Specialist", "location": "US",
    ...                "path": "/jobs/8214/payroll-tax-specialist/job",
    ...                "fields": {"Job ID": "2026-8214"}}, "careers-wipfli.icims.com",
    ...               datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.url, p.requisition_id, p.locations
    ('https://careers-wipfli.icims.com/jobs/8214/payroll-tax-specialist/job', '2026-8214', ['US'])
    """
    job_id, title = id_and_title(record)
    fields = object_at(record, "fields")
    path = clean_text(record.get("path")) or f"/jobs/{job_id}/job"
    url = f"https://{board}{path}"
    page_read = isinstance(record.get(DETAIL_KEY), dict)
    node = record[DETAIL_KEY].get("job_posting") if page_read else None
    page = _from_job_posting(node, url, fetched_at)
    description = page.description if page else None
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=url,
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=page.company if page else None,
        locations=unique_texts([record.get("location"), *(page.locations if page else [])]),
        description=description,
        description_format=page.description_format if page and description else None,
        posted_at=page.posted_at if page else None,
        closes_at=page.closes_at if page else None,
        salary=page.salary if page else None,
        workplace_type=page.workplace_type if page else None,
        remote_regions=page.remote_regions if page else [],
        employment_type=page.employment_type if page else None,
        requisition_id=clean_text(fields.get("Job ID")),
        extra=non_empty(
            fields={k: v for k, v in fields.items() if k != "Job ID"},
            page_without_description=True if page_read and not description else None,
        ),
    )


class IcimsConnector(AtsConnector):
    """Fetches iCIMS career sites: the HTML list pages, then each new or changed job's page."""

    kind = SOURCE
    board_word = "career site"
    has_details = True

    def search_url(self, board: str) -> str:
        return self.url(board, "/jobs/search")

    def job_url(self, board: str, job_id: str) -> str:
        return self.url(board, f"/jobs/{job_id}/job")

    def read_listing(self, board: str) -> Listing:
        """Every job card on every list page of ``board`` (a careers host)."""
        return read_pages(
            self.client,
            self.search_url(board),
            params=LIST_PARAMS,
            page_param=PAGE_PARAM,
            read_rows=read_rows,
        )

    def read_detail(self, board: str, record: Any) -> Any:
        """``record`` with ``detail.job_posting``: the job page's JSON-LD (``{}`` when absent)."""
        job_id = clean_text(record.get("id")) if isinstance(record, dict) else None
        if job_id is None:
            return record  # parse rejects it
        url = self.job_url(board, job_id)
        page = self.client.get_text(url, params={"in_iframe": "1"})
        found = parse_jsonld_page(page, f"https://{board}/jobs/{job_id}/job", datetime.now(UTC))
        nodes = [p.payload for p in found.postings]
        return {**record, DETAIL_KEY: {"job_posting": nodes[0]} if nodes else {}}

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The careers host in an iCIMS list or job URL; None for other URLs.

        >>> IcimsConnector.board_from_url("https://Careers-Swissport.icims.com/jobs/search?ss=1")
        'careers-swissport.icims.com'
        >>> IcimsConnector.board_from_url("https://www.icims.com/") is None
        True
        """
        match = _HOST_URL.match(url.strip())
        if match is None or match.group(1).lower() in _NOT_BOARDS:
            return None
        return f"{match.group(1).lower()}.icims.com"

    @classmethod
    def careers_url(cls, board: str) -> str:
        """``https://{host}/jobs/search?ss=1``: the public list."""
        return f"https://{board}/jobs/search?ss=1"


def _text(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return clean_text(_SPACES.sub(" ", node.text(deep=True, separator=" ")))


def _card_of(anchor: LexborNode) -> LexborNode | None:
    """The job card around a link: ``li.iCIMS_JobCardItem``, else the nearest ``div.row``."""
    node, row = anchor.parent, None
    for _ in range(6):
        if node is None:
            break
        classes = (node.attributes.get("class") or "").split()
        if "iCIMS_JobCardItem" in classes or node.tag == "li":
            return node
        if row is None and "row" in classes:
            row = node
        node = node.parent
    return row


def _labelled(card: LexborNode, word: str) -> str | None:
    """The text beside the screen-reader label containing ``word`` ("Job Locations" → "US")."""
    for label in card.css(".field-label"):
        label_text = _text(label) or ""
        if word not in label_text.lower() or label.parent is None:
            continue
        values = [
            _text(child)
            for child in label.parent.iter()
            if "field-label" not in (child.attributes.get("class") or "")
        ]
        return clean_text(" ".join(v for v in values if v))
    return None


def _header_fields(card: LexborNode) -> dict[str, str]:
    """The card's ``dt``/``dd`` header fields: ``{"Job ID": "2026-8214", …}``."""
    fields: dict[str, str] = {}
    for tag in card.css(".iCIMS_JobHeaderTag"):
        name, value = _text(tag.css_first("dt")), _text(tag.css_first("dd"))
        if name and value:
            fields.setdefault(name, value)
    return fields


def _from_job_posting(node: Any, url: str, fetched_at: datetime) -> SourcePosting | None:
    if not isinstance(node, dict):
        return None
    try:
        return parse_job_posting(node, url, fetched_at)
    except ValueError:
        return None
