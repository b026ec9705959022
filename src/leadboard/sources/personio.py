"""Personio public XML job feed connector.

A board (a Personio careers subdomain) is one ``GET https://{slug}.jobs.personio.de/xml``: a
``<workzag-jobs>`` document with one ``<position>`` per open job, descriptions included (no
paging). Tenants that moved to ``{slug}.jobs.personio.com`` are read there when the ``.de`` feed
answers 404. The XML is parsed with ``defusedxml`` (no entity expansion, no external DTDs), and each
``<position>`` becomes a plain dict record (``position_record``), the posting's payload.

>>> from leadboard.sources.http import HttpClient
>>> conn = PersonioConnector(HttpClient(), base_url="http://127.0.0.1:9")
>>> conn.feed_url("arx")
'http://127.0.0.1:9/arx.jobs.personio.de/xml'
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element  # the type only: parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

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
from leadboard.sources.http import FetchError, HttpClient

SOURCE = "personio"
DOMAINS = ("jobs.personio.de", "jobs.personio.com")  # the usual one first
ROOT_TAG = "workzag-jobs"
# Sub-domains that are Personio's own pages, not a company's careers site.
_NOT_BOARDS = frozenset({"www", "api", "app", "help", "support", "status"})
# employmentType values that say nothing about hours: the schedule says more (full-time…).
_CONTRACT_ONLY = frozenset({"permanent", "temporary"})


def position_record(position: Element) -> dict[str, Any]:
    """One ``<position>`` as a dict: simple elements as their text, ``jobDescriptions`` as a list
    of ``{"name", "value"}``, ``additionalOffices`` as a list of names, ``salaryInformation`` (and
    any other nested element) as ``{child: text}``.

    >>> xml = "<position><id>7</id><office>Berlin</office><additionalOffices><office>Munich"
    >>> xml += "</office></additionalOffices><jobDescriptions><jobDescription><name>Role</name>"
    >>> xml += "<value><![CDATA[ <p>Hi</p> ]]></value></jobDescription></jobDescriptions>"
    >>> xml += "</position>"
    >>> position_record(fromstring(xml))
    {'id': '7', 'office': 'Berlin', 'additionalOffices': ['Munich'], \
'jobDescriptions': [{'name': 'Role', 'value': '<p>Hi</p>'}]}
    """
    record: dict[str, Any] = {}
    for child in position:
        tag = str(child.tag)
        if tag == "jobDescriptions":
            record[tag] = [
                {"name": _text(item.find("name")), "value": _text(item.find("value"))}
                for item in child.findall("jobDescription")
            ]
        elif tag == "additionalOffices":
            record[tag] = [_text(office) for office in child.findall("office")]
        elif len(child):
            record[tag] = {str(item.tag): _text(item) for item in child}
        else:
            record[tag] = _text(child)
    return record


def parse_position(
    record: dict[str, Any], board: str, fetched_at: datetime, *, host: str | None = None
) -> SourcePosting:
    """Read one position record (see ``position_record``) into a SourcePosting.

    ``createdAt`` is the posting date. The description is every ``jobDescription`` as a heading
    and its HTML. Pay comes from ``salaryInformation`` as given (``type`` such as "yearly" is the
    period). Raises ``ValueError`` when the record is not a position (no id, no name).

    >>> from datetime import UTC
    >>> p = parse_position({"id": "681097", "name": "SEO Manager", "office": "London",
    ...                     "employmentType": "permanent", "schedule": "full-time",
    ...                     "createdAt": "2017-05-23T07:50:24+00:00"},
    ...                    "acme", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.url, p.locations, p.employment_type, p.posted_at
    ('https://acme.jobs.personio.de/job/681097', ['London'], 'full-time', \
'2017-05-23T07:50:24+00:00')
    """
    position_id, title = id_and_title(record, word="position", title_key="name")
    employment = clean_text(record.get("employmentType"))
    schedule = clean_text(record.get("schedule"))
    if employment is None or (employment.lower() in _CONTRACT_ONLY and schedule):
        employment_type = schedule
    else:
        employment_type = employment
    description = _description(record.get("jobDescriptions"))
    extra = non_empty(
        department=clean_text(record.get("department")),
        subcompany=clean_text(record.get("subcompany")),
        recruiting_category=clean_text(record.get("recruitingCategory")),
        employment=employment,
        schedule=schedule,
        seniority=clean_text(record.get("seniority")),
        years_of_experience=clean_text(record.get("yearsOfExperience")),
        keywords=unique_texts(str(record.get("keywords") or "").split(",")),
        occupation=clean_text(record.get("occupation")),
        occupation_category=clean_text(record.get("occupationCategory")),
    )
    offices = record.get("additionalOffices")
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=position_id,
        url=f"https://{host or board_host(board)}/job/{position_id}",
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=unique_texts(
            [record.get("office"), *(offices if isinstance(offices, list) else [])]
        ),
        description=description,
        description_format="html" if description else None,
        posted_at=clean_text(record.get("createdAt")),
        salary=_salary(record.get("salaryInformation")),
        employment_type=employment_type,
        extra=extra,
    )


class PersonioConnector(AtsConnector):
    """Fetches Personio XML feeds, one request a board (two when ``.de`` answers 404).

    >>> PersonioConnector.board_from_url("https://elcogen.jobs.personio.com/?language=en")
    'elcogen'
    >>> PersonioConnector.careers_url("arx")
    'https://arx.jobs.personio.de/'
    """

    kind = SOURCE
    board_word = "careers site"
    record_word = "position"

    def __init__(self, client: HttpClient, *, base_url: str | None = None) -> None:
        super().__init__(client, base_url=base_url)
        # The host each board's feed came from, for its job URLs (``.com`` tenants).
        self._hosts: dict[str, str] = {}

    def feed_url(self, board: str, domain: str = DOMAINS[0]) -> str:
        return self.url(board_host(board, domain), "/xml")

    def read_listing(self, board: str) -> Listing:
        """Every position of ``board``: the ``.de`` feed, or the ``.com`` one when ``.de`` 404s."""
        for domain in DOMAINS:
            url = self.feed_url(board, domain)
            try:
                text = self.client.get_text(url)
            except FetchError as err:
                if err.status == 404 and domain != DOMAINS[-1]:
                    continue
                raise
            self._hosts[board] = board_host(board, domain)
            return Listing([position_record(p) for p in _positions(text, url)])
        raise AssertionError("unreachable: the last domain returns or raises")  # pragma: no cover

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_position(record, board, fetched_at, host=self._hosts.get(board))

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The subdomain of ``{slug}.jobs.personio.de`` / ``.com`` URLs (board, job, feed pages).

        >>> PersonioConnector.board_from_url("https://arx.jobs.personio.de/job/123?language=en")
        'arx'
        >>> PersonioConnector.board_from_url("https://www.personio.de/") is None
        True
        """
        host = url_parts(url).host
        for domain in DOMAINS:
            if host.endswith("." + domain):
                slug = host[: -len(domain) - 1]
                if slug and "." not in slug and slug not in _NOT_BOARDS:
                    return slug
        return None

    @classmethod
    def careers_url(cls, board: str) -> str:
        return f"https://{board_host(board)}/"


def board_host(board: str, domain: str = DOMAINS[0]) -> str:
    return f"{board.strip().lower()}.{domain}"


def _positions(text: str, url: str) -> list[Element]:
    """The ``<position>`` elements of a feed; a body that is not a Personio feed: ``FetchError``."""
    try:
        root = fromstring(text)
    except (ParseError, DefusedXmlException) as err:
        start = text[:80].strip().replace("\n", " ")
        raise FetchError(
            f"response from {url} is not a Personio XML feed ({err.__class__.__name__}: {err};"
            f" it starts {start!r})",
            url=url,
        ) from err
    if root.tag != ROOT_TAG:
        raise FetchError(f"response from {url} is <{root.tag}>, not <{ROOT_TAG}>", url=url)
    return root.findall("position")


def _text(element: Element | None) -> str | None:
    """An element's stripped text (CDATA included), None when empty or absent."""
    return clean_text(element.text) if element is not None else None


def _description(sections: Any) -> str | None:
    """Each ``jobDescription`` as ``<h3>name</h3>`` and its HTML value, in the feed's order."""
    parts: list[str] = []
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict) or not (value := clean_text(section.get("value"))):
            continue
        if name := clean_text(section.get("name")):
            parts.append(f"<h3>{html.escape(name)}</h3>")
        parts.append(value)
    return "\n".join(parts) or None


def _salary(info: Any) -> SalaryHint | None:
    """``{"min": "100000.00", "max": "", "currencyCode": "GBP", "type": "yearly"}``."""
    return salary_hint(info, currency="currencyCode", period="type")
