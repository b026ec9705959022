"""SAP SuccessFactors Career Site Builder (CSB) connector: the career site's job feeds.

A board is the careers host (``jobs.sap.com``, ``careers.qorvo.com``). Each board is one request,
complete in one response (the feeds have no paging):

- ``GET https://{host}/googlefeed.xml``: the feed Career Site Builder publishes for Google, RSS 2.0
  with the Google Base namespace (``g:location``, ``g:employer``, ``g:expiration_date``…). It is
  the primary feed: the board registry names it for most SuccessFactors boards, and it lists every
  job the site publishes.
- ``GET https://{host}/feeds/?locale=en_US`` (the site's RSS feed: title, link, ``pubDate``,
  a summary) when the site answers 404 or 410 for the first.

A job's id is the numeric CSB job id in its link (``/job/{slug}/{id}/``), the same in both feeds.
Legacy boards named by a company id on ``career5.successfactors.eu`` are recognised but not read.

>>> SuccessFactorsConnector.board_from_url(
...     "https://careers.qorvo.com/job/Richardson-Principal-Research-Scientist-TX/1397790900/")
'careers.qorvo.com'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import Element  # the type only: parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from leadboard.models import SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    non_empty,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "successfactors"
GOOGLE_FEED_PATH = "/googlefeed.xml"
RSS_FEED_PATH = "/feeds/?locale=en_US"
G_NS = "http://base.google.com/ns/1.0"  # the Google Base namespace: ``g:`` keys in a record
_FALLBACK_STATUSES = frozenset({404, 410})
# ``/job/{slug}/{id}/`` (optionally under one brand folder, ``/ey/job/…``): a CSB job page.
_JOB_PATH = re.compile(r"^/(?:[^/]+/)?job/[^/]+/(\d+)/?$")
# ``/go/{category}/{id}/``: a CSB category page; ``/googlefeed.xml``: its Google feed.
_CSB_PATH = re.compile(r"^/(?:[^/]+/)?go/[^/]+/\d+/?$|^/googlefeed\.xml$")
_LEGACY_HOST = re.compile(r"^career\d*\.(?:successfactors|sapsf)\.[a-z]+$")
_CSB_HOST_PARTS = (".jobs2web.", ".jobs.hr.cloud.sap")
_TITLE_PLACE = re.compile(r"^(?P<title>.*\S)\s*\((?P<place>[^()]*,[^()]*)\)\s*$")
_TRACKING_PARAMS = frozenset({"feedid"})
# ``g:`` fields read into the posting's own fields rather than kept as extra facts.
_READ_G_FIELDS = frozenset({"g:id", "g:location", "g:employer", "g:expiration_date", "g:job_type"})


def job_id(record: Any) -> str | None:
    """The CSB job id: the number in the link, else ``g:id``, else the ``guid``.

    >>> job_id({"link": "https://careers.qorvo.com/job/Richardson-Scientist/1397790900/?x=1"})
    '1397790900'
    """
    if not isinstance(record, dict):
        return None
    for key in ("link", "guid"):
        if link := _one(record.get(key)):
            match = _JOB_PATH.match(urlsplit(link).path)
            if match:
                return match.group(1)
    return _one(record.get("g:id")) or _one(record.get("guid"))


def parse_item(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one feed item (as ``read_feed`` gives it) into a SourcePosting.

    The CSB title ends with the job's place in parentheses, ``Title (Richardson, TX, US, 75080)``:
    it is split off, and is the location where the item has no ``g:location``. ``pubDate`` is
    the publication date, ``g:expiration_date`` the closing date; an item without them has none.
    Raises ``ValueError`` for an item that is not a job (no id, no title).

    >>> p = parse_item({"title": "ML Lead (Berlin, DE)", "link": "https://jobs.sap.com/job/ML/42/"},
    ...                "jobs.sap.com", datetime(2026, 7, 1))
    >>> p.external_id, p.title, p.locations, p.posted_at
    ('42', 'ML Lead', ['Berlin, DE'], None)
    """
    if not isinstance(record, dict):
        raise ValueError(f"item is a {type(record).__name__}, not an object")
    item_id = job_id(record)
    if item_id is None:
        raise ValueError("item has no job id (link, g:id or guid)")
    raw_title = _one(record.get("title"))
    title, place = _split_title(raw_title)
    if title is None:
        raise ValueError(f"item {item_id} has no title")
    locations = _all(record.get("g:location")) or ([place] if place else [])
    description = _one(record.get("description"))
    google_base = {
        key: value
        for key, value in record.items()
        if key.startswith("g:") and key not in _READ_G_FIELDS and value not in (None, "", [])
    }
    # "ATS_WEBFORM" is how CSB fills the job function when the company set none.
    if google_base.get("g:job_function") == "ATS_WEBFORM":
        del google_base["g:job_function"]
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=item_id,
        url=_public_url(_one(record.get("link"))),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=_one(record.get("g:employer")),
        locations=locations,
        description=description,
        description_format="html" if description else None,
        posted_at=_one(record.get("pubDate")),
        closes_at=_one(record.get("g:expiration_date")),
        employment_type=_one(record.get("g:job_type")),
        extra=non_empty(
            feed_title=raw_title if raw_title != title else None,
            google_base=google_base,
        ),
    )


def read_feed(text: str, url: str) -> list[dict[str, Any]]:
    """The ``<item>``s of an RSS feed as plain records, else a ``FetchError`` naming ``url``.

    Each child element becomes a key (``g:`` for the Google Base namespace, the bare name for
    others), its text the value; a repeated element gives a list.

    >>> read_feed('<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><title>A</title>'
    ...           '<g:location>Paris</g:location></item></channel></rss>', "https://x/feed")
    [{'title': 'A', 'g:location': 'Paris'}]
    """
    try:
        root = fromstring(text)
    except (ParseError, DefusedXmlException) as err:
        start = text[:80].strip().replace("\n", " ")
        raise FetchError(
            f"response from {url} is not a readable XML feed ({err}; it starts {start!r})",
            url=url,
        ) from err
    channel = root.find("channel") if _local(root.tag) == "rss" else None
    if channel is None:
        raise FetchError(f"response from {url} is not an RSS feed (<{_local(root.tag)}>)", url=url)
    return [_record(item) for item in channel.findall("item")]


class SuccessFactorsConnector(AtsConnector):
    """Fetches Career Site Builder boards from their job feed, in one request.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = SuccessFactorsConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.url("jobs.sap.com", GOOGLE_FEED_PATH)
    'http://127.0.0.1:9/jobs.sap.com/googlefeed.xml'
    """

    kind = SOURCE
    board_word = "site"
    record_word = "job"

    def read_listing(self, board: str) -> Listing:
        """Every job of the site ``board``: its Google feed, else its RSS feed."""
        host = board.strip().lower()
        if "." not in host:
            url = f"career5.successfactors.eu/career?company={board}"
            raise FetchError(
                f"'{board}' is a legacy SuccessFactors company id ({url}): its job pages are not"
                " a feed, and Leadboard reads only Career Site Builder feeds",
                url=url,
            )
        url = self.url(host, GOOGLE_FEED_PATH)
        try:
            text = self.client.get_text(url)
        except FetchError as err:
            if err.status not in _FALLBACK_STATUSES:
                raise
            url = self.url(host, RSS_FEED_PATH)
            try:
                text = self.client.get_text(url)
            except FetchError as rss_err:
                raise FetchError(
                    f"{err}; RSS feed: {rss_err}", url=rss_err.url, status=rss_err.status
                ) from rss_err
        return Listing(read_feed(text, url))

    def record_id(self, record: Any) -> str | None:
        return job_id(record)

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_item(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The site in a URL that is clearly SuccessFactors, else None (many hosts are not).

        A careers host counts when the URL is a CSB job page (``/job/{slug}/{id}/``), category
        page (``/go/{name}/{id}/``) or Google feed, or the host is SAP's (``*.jobs2web.com``,
        ``*.jobs.hr.cloud.sap``). Legacy ``career*.successfactors.*`` / ``career*.sapsf.*`` pages
        give their ``company`` id, as the board registry writes them.

        >>> SuccessFactorsConnector.board_from_url(
        ...     "https://career5.successfactors.eu/career?company=transpor01&navBarLevel=JOB_SEARCH")
        'transpor01'
        >>> SuccessFactorsConnector.board_from_url("https://jobs.sap.com/search/") is None
        True
        """
        parts = url_parts(url)
        host = parts.host
        if not host or "." not in host:
            return None
        if _LEGACY_HOST.match(host):
            company = dict(parse_qsl(parts.query)).get("company")
            return clean_text(company)
        if host.endswith((".successfactors.com", ".successfactors.eu", ".sapsf.com", ".sapsf.eu")):
            return None  # SAP's own hosts (CDN, HR suite): no board of their own
        if any(part in f"{host}." for part in _CSB_HOST_PARTS):
            return host
        if _JOB_PATH.match(parts.path) or _CSB_PATH.match(parts.path):
            return host
        return None

    @classmethod
    def careers_url(cls, board: str) -> str | None:
        """The site's home page; None for a legacy company id (its data centre is unknown).

        >>> SuccessFactorsConnector.careers_url("careers.qorvo.com")
        'https://careers.qorvo.com/'
        """
        host = board.strip().lower()
        return f"https://{quote(host)}/" if "." in host else None


def _local(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rpartition("}")[2]


def _record(item: Element) -> dict[str, Any]:
    """One ``<item>`` as ``{key: text}``; repeated keys collect into lists."""
    record: dict[str, Any] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        namespace = child.tag[1:].partition("}")[0] if child.tag.startswith("{") else ""
        key = f"g:{_local(child.tag)}" if namespace == G_NS else _local(child.tag)
        value = "".join(child.itertext()).strip()
        if key not in record:
            record[key] = value
        elif isinstance(record[key], list):
            record[key].append(value)
        else:
            record[key] = [record[key], value]
    return record


def _one(value: Any) -> str | None:
    """A field's text: the first non-empty one where the element was repeated."""
    values = _all(value)
    return values[0] if values else None


def _all(value: Any) -> list[str]:
    return unique_texts(value if isinstance(value, list) else [value])


def _split_title(raw: str | None) -> tuple[str | None, str | None]:
    """``"Scientist (Richardson, TX, US, 75080)"`` → ``("Scientist", "Richardson, TX, US, 75080")``.

    Only a final parenthesis holding a comma is a place: ``"Engineer (m/f/d)"`` stays whole.
    """
    if raw is None:
        return None, None
    match = _TITLE_PLACE.match(raw)
    if match is None:
        return raw, None
    return match.group("title"), match.group("place").strip()


def _public_url(link: str | None) -> str | None:
    """The job link without the feed's tracking parameters (``utm_*``, ``feedId``)."""
    if link is None:
        return None
    parts = urlsplit(link)
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))
