"""Teamtailor career-site feed connector.

A board is the host of a Teamtailor career site: ``acme.teamtailor.com`` (also
``acme.na.teamtailor.com``) or a company's own careers host such as ``careers.d-edge.com``. Its jobs
come from the site's RSS feed, ``GET https://{host}/jobs.rss?offset=N&per_page=100``, read page by
page until a page comes back short (a feed without ``offset`` gives only the first 100 jobs). Each
``<item>`` has the full description (entity-escaped HTML), ``pubDate`` (the posting date),
``link``, ``guid``, ``remoteStatus`` and Teamtailor's ``tt:`` fields (``tt:locations``,
``tt:department``, ``tt:role``, ``tt:division``); items are read into plain dicts.

When the RSS feed fails on its first page (or is not RSS), the site's JSON Feed
``GET https://{host}/jobs.json`` is read instead (items with ``content_html``,
``date_published`` and a schema.org ``_jobposting``), following ``next_url`` where the feed
pages. Both feeds give the same id: the number in the job's URL
(``https://{host}/jobs/7793185-title``).

>>> TeamtailorConnector.board_from_url("https://Aignostics.teamtailor.com/jobs/123-ml-lead")
'aignostics.teamtailor.com'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element  # the type only: parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

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
from leadboard.sources.jsonld import parse_job_posting

SOURCE = "teamtailor"
DOMAIN = "teamtailor.com"
PAGE_SIZE = 100  # the feed's documented page size
MAX_PAGES = 100  # 10,000 jobs: far above any real site; stops a server that never ends
# Subdomains of teamtailor.com that are Teamtailor's own sites, not a career site.
_NOT_SITES = frozenset(
    {"www", "app", "api", "support", "docs", "partner", "status", "assets", "blog", "help"}
)
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
_JOB_NUMBER = re.compile(r"/jobs/(\d+)")
# ``remoteStatus`` in words a remote hint reader knows; "temporary" is passed on as it is.
_REMOTE_STATUS = {"fully": "Remote", "hybrid": "Hybrid", "none": "On-site"}


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """One job (an RSS ``<item>`` read into a dict, or a JSON Feed item) → a SourcePosting.

    ``ValueError`` when the record is not a job (not an object, no id, no title).

    >>> from datetime import UTC
    >>> p = parse_job({"title": "ML Lead", "pubDate": "Fri, 04 Sep 2026 14:50:13 +0300",
    ...                "link": "https://acme.teamtailor.com/jobs/8323453-ml-lead",
    ...                "remoteStatus": "fully", "description": "<p>Hi</p>",
    ...                "locations": [{"name": "HQ", "city": "Helsinki", "country": "Finland"}]},
    ...               "acme.teamtailor.com", datetime(2026, 9, 5, tzinfo=UTC))
    >>> p.external_id, p.locations, p.workplace_type, p.posted_at
    ('8323453', ['Helsinki, Finland'], 'Remote', '2026-09-04T14:50:13+03:00')
    """
    job_id, title = id_and_title(
        {**record, "id": job_number(record)} if isinstance(record, dict) else record
    )
    url = clean_text(record.get("link")) or clean_text(record.get("url"))

    # JSON Feed items carry a schema.org JobPosting: read it the way JSON-LD pages are read.
    node = record.get("_jobposting")
    structured = None
    if isinstance(node, dict):
        try:
            structured = parse_job_posting(node, url or f"https://{board}/jobs", fetched_at)
        except ValueError:
            structured = None
    description = (
        clean_text(record.get("description"))
        or clean_text(record.get("content_html"))
        or (structured.description if structured else None)
    )
    remote_status = clean_text(record.get("remoteStatus"))
    places = record.get("locations")
    rss_places = [p for p in places if isinstance(p, dict)] if isinstance(places, list) else []
    extra = non_empty(
        department=clean_text(record.get("department")),
        role=clean_text(record.get("role")),
        division=clean_text(record.get("division")),
        remote_status=remote_status,
        location_names=unique_texts(p.get("name") for p in rss_places),
        uuid=clean_text(record.get("guid")) or clean_text(record.get("id")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=job_id,
        url=url,
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=structured.company if structured else None,
        locations=_rss_locations(rss_places) or _feed_locations(node),
        description=description,
        description_format="html" if description else None,
        posted_at=_rfc822(record.get("pubDate"))
        or clean_text(record.get("date_published"))
        or (structured.posted_at if structured else None),
        updated_at=clean_text(record.get("date_modified")),
        closes_at=structured.closes_at if structured else None,
        salary=structured.salary if structured else None,
        workplace_type=_REMOTE_STATUS.get((remote_status or "").lower(), remote_status)
        or (structured.workplace_type if structured else None),
        remote_regions=structured.remote_regions if structured else [],
        employment_type=structured.employment_type if structured else None,
        extra=extra,
    )


def job_number(record: Any) -> str | None:
    """The job's number: from its URL, else the JobPosting ``identifier``, else its uuid.

    >>> job_number({"url": "https://x.teamtailor.com/jobs/7793185-saljare", "id": "942c"})
    '7793185'
    """
    if not isinstance(record, dict):
        return None
    for key in ("link", "url"):
        if match := _JOB_NUMBER.search(clean_text(record.get(key)) or ""):
            return match.group(1)
    node = record.get("_jobposting")
    identifier = node.get("identifier") if isinstance(node, dict) else None
    if isinstance(identifier, dict) and (number := clean_text(identifier.get("value"))):
        return number
    return clean_text(record.get("guid")) or clean_text(record.get("id"))


class TeamtailorConnector(AtsConnector):
    """Fetches Teamtailor career sites: the RSS feed page by page, else the JSON Feed.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = TeamtailorConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.rss_url("careers.d-edge.com")
    'http://127.0.0.1:9/careers.d-edge.com/jobs.rss'
    """

    kind = SOURCE
    default_page_size = PAGE_SIZE
    board_word = "site"

    def rss_url(self, host: str) -> str:
        return self.url(host, "/jobs.rss")

    def json_url(self, host: str) -> str:
        return self.url(host, "/jobs.json")

    def record_id(self, record: Any) -> str | None:
        return job_number(record)

    def read_listing(self, board: str) -> Listing:
        """Every job of site ``board``: the RSS feed to its last page, else the JSON Feed."""
        try:
            return self._read_rss(board)
        except FetchError as rss_error:
            try:
                return self._read_json_feed(board)
            except FetchError as err:
                raise FetchError(
                    f"{rss_error}; then {err}", url=err.url, status=err.status
                ) from err

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)

    def _read_rss(self, board: str) -> Listing:
        url = self.rss_url(board)
        records: list[Any] = []
        seen: set[str] = set()
        company = None
        for page in range(MAX_PAGES):
            offset = page * self.page_size
            params = {"offset": offset, "per_page": self.page_size}
            try:
                channel = _channel(self.client.get_text(url, params=params), url)
            except FetchError as err:
                if page == 0:
                    raise
                return Listing(records, error=str(err), company=company)
            if page == 0:
                company = clean_text(channel.findtext("title"))
            items = [_item_record(item) for item in channel.findall("item")]
            new_ids = {i for r in items if (i := job_number(r)) is not None} - seen
            if page > 0 and items and not new_ids:
                # The same jobs again: the feed ignores offset, so the rest cannot be read.
                return Listing(
                    records, error=f"page at offset {offset} repeats earlier jobs", company=company
                )
            # A job pushed onto this page by a newer one was read on the page before.
            records += [r for r in items if (i := job_number(r)) is None or i in new_ids]
            seen |= new_ids
            if len(items) < self.page_size:
                return Listing(records, company=company)
        return Listing(records, error=f"stopped after {MAX_PAGES} pages", company=company)

    def _read_json_feed(self, board: str) -> Listing:
        url = self.json_url(board)
        records: list[Any] = []
        company = None
        for page in range(MAX_PAGES):
            try:
                body = self.client.get_json(url)
            except FetchError as err:
                if page == 0:
                    raise
                return Listing(records, error=str(err), company=company)
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                if page == 0:
                    raise FetchError(f"response from {url} has no 'items' list", url=url)
                return Listing(records, error=f"{url} has no 'items' list", company=company)
            if page == 0:
                company = clean_text(body.get("title"))
            records += items
            next_url = self._same_site(clean_text(body.get("next_url")), board)
            if next_url is None:
                return Listing(records, company=company)
            url = next_url
        return Listing(records, error=f"stopped after {MAX_PAGES} pages", company=company)

    def _same_site(self, next_url: str | None, board: str) -> str | None:
        """JSON Feed ``next_url`` routed like every request (only on the site's own host)."""
        if next_url is None:
            return None
        parts = urlsplit(next_url)
        if (parts.hostname or "").lower() != board.lower():
            return None
        return self.url(board, parts.path + (f"?{parts.query}" if parts.query else ""))

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The host of a ``*.teamtailor.com`` career site (board, job, feed URLs). A company's own
        careers host cannot be told from its URL alone: None.

        >>> TeamtailorConnector.board_from_url("https://careers.d-edge.com/jobs") is None
        True
        """
        host = url_parts(url).host
        if not host.endswith(f".{DOMAIN}") or not _HOST.fullmatch(host):
            return None
        if host.split(".", 1)[0] in _NOT_SITES:
            return None
        return host

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The site's job list.

        >>> TeamtailorConnector.careers_url("careers.d-edge.com")
        'https://careers.d-edge.com/jobs'
        """
        return f"https://{board}/jobs"


def _channel(text: str, url: str) -> Element:
    """The ``<channel>`` of an RSS document, or a ``FetchError`` that says what came instead."""
    try:
        root = fromstring(text)
    except (ParseError, DefusedXmlException) as err:
        start = text[:80].strip().replace("\n", " ")
        raise FetchError(
            f"response from {url} is not RSS ({err.__class__.__name__}; it starts {start!r})",
            url=url,
        ) from err
    channel = root.find("channel")
    if _local(root.tag) != "rss" or channel is None:
        raise FetchError(f"response from {url} is not an RSS feed (<{_local(root.tag)}>)", url=url)
    return channel


def _item_record(item: Element) -> dict[str, Any]:
    """An ``<item>`` as a dict keyed by local names: ``tt:locations`` becomes ``locations``, a
    list of ``{name, address, zip, city, country}``; an empty element is None."""
    record: dict[str, Any] = {}
    for child in item:
        name = _local(child.tag)
        if name == "locations":
            value: Any = [
                {_local(field.tag): clean_text(field.text) for field in place} for place in child
            ]
        elif len(child):
            value = {_local(field.tag): clean_text(field.text) for field in child}
        else:
            value = clean_text(child.text)
        if name in record:  # a repeated element (several <category>) becomes a list
            previous = record[name]
            record[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            record[name] = value
    return record


def _local(tag: str) -> str:
    """``{https://teamtailor.com/locations}city`` → ``city``."""
    return tag.rsplit("}", 1)[-1]


def _rss_locations(places: list[dict[str, Any]]) -> list[str]:
    """``City, Country`` for each ``tt:location`` (its name when it has neither)."""
    texts = []
    for place in places:
        parts = unique_texts([place.get("city"), place.get("country")])
        texts.append(", ".join(parts) if parts else place.get("name"))
    return unique_texts(texts)


def _feed_locations(node: Any) -> list[str]:
    """``Locality, Country`` of each ``_jobposting.jobLocation`` address. Teamtailor's
    ``addressRegion`` is a free label ("Europe", "Mälardalen") that would read as a place of its
    own, so it is left out."""
    places = node.get("jobLocation") if isinstance(node, dict) else None
    texts = []
    for place in places if isinstance(places, list) else [places]:
        if not isinstance(place, dict):
            continue
        address = place.get("address")
        if isinstance(address, dict):
            parts = unique_texts([address.get("addressLocality"), address.get("addressCountry")])
            texts.append(", ".join(parts) or None)
        else:
            texts.append(clean_text(address) or clean_text(place.get("name")))
    return unique_texts(texts)


def _rfc822(value: Any) -> str | None:
    """An RSS date (``Fri, 04 Sep 2026 14:50:13 +0300``) as ISO 8601 with its offset; a date
    that does not read as RFC 822 is passed on as received."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return text
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()
