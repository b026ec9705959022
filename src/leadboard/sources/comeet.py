"""Comeet hosted careers-page connector.

Comeet's JSON careers API (``www.comeet.co/careers-api/2.0/company/{uid}/positions``) needs a
per-company ``?token=``, which the board registry does not hold. The public careers page does not
need one: ``GET https://www.comeet.com/jobs/{company}/{board_id}`` is server-rendered with every
open position, descriptions included, in a ``COMPANY_POSITIONS_DATA = [...]`` script assignment.
That page is the listing: one request a board, no paging. A board token is
``{company}/{board_id}`` (``arbe/C6.001``), as in the page's URL.

Positions on the page and in the API share one shape (``uid``, ``name``, ``location``…); their
description sections sit in ``details`` (API) or ``custom_fields.details`` (page). Comeet gives no
posting date: ``time_updated`` is the last change, kept as ``updated_at`` only.

>>> from leadboard.sources.http import HttpClient
>>> conn = ComeetConnector(HttpClient(), base_url="http://127.0.0.1:9")
>>> conn.page_url("arbe/C6.001")
'http://127.0.0.1:9/www.comeet.com/jobs/arbe/C6.001'
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from leadboard.models import SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    object_at,
    to_number,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError

SOURCE = "comeet"
HOST = "www.comeet.com"
_HOSTS = frozenset({"comeet.com", "www.comeet.com", "comeet.co", "www.comeet.co"})
_POSITIONS_MARKER = re.compile(r"\bCOMPANY_POSITIONS_DATA\s*=\s*")
# Where a position's own page is, best first: Comeet's hosted page, then the company's site.
_URL_KEYS = ("url_comeet_hosted_page", "url_recruit_hosted_page", "url_active_page")


def parse_position(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one position (careers page or API shape) into a SourcePosting.

    Raises ``ValueError`` when the record is not a position (not an object, no uid, no name).

    >>> from datetime import UTC
    >>> p = parse_position({"uid": "18.767", "name": "FDE", "workplace_type": "On-site",
    ...                     "location": {"name": "Dallas", "city": "Plano", "state": "TX",
    ...                                  "country": "US"},
    ...                     "time_updated": "2026-08-12T02:36:49Z"},
    ...                    "wiliot/F6.003", datetime(2026, 8, 12, tzinfo=UTC))
    >>> p.locations, p.workplace_type, p.posted_at, p.updated_at
    (['Plano, TX, US'], 'On-site', None, '2026-08-12T02:36:49Z')
    """
    position_id, title = id_and_title(
        {"id": record.get("uid"), "title": record.get("name")}
        if isinstance(record, dict)
        else record,
        word="position",
    )
    location = object_at(record, "location")
    description = _description(record)
    extra = non_empty(
        department=clean_text(record.get("department")),
        experience_level=clean_text(record.get("experience_level")),
        office=clean_text(location.get("name")),
        company_page=clean_text(record.get("url_active_page")),
        linkedin_job_posting_id=clean_text(record.get("linkedin_job_posting_id")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=position_id,
        url=next((url for key in _URL_KEYS if (url := clean_text(record.get(key)))), None),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        company=clean_text(record.get("company_name")),
        locations=_locations(record.get("location")),
        description=description,
        description_format="html" if description else None,
        updated_at=clean_text(record.get("time_updated")),
        workplace_type=clean_text(record.get("workplace_type"))
        or ("Remote" if location.get("is_remote") is True else None),
        employment_type=clean_text(record.get("employment_type")),
        requisition_id=clean_text(record.get("internal_use_custom_id")),
        extra=extra,
    )


class ComeetConnector(AtsConnector):
    """Fetches Comeet careers pages, one request a board (``fetch`` comes from the base).

    >>> ComeetConnector.board_from_url("https://www.comeet.com/jobs/arbe/C6.001/engineer/1A.2B")
    'arbe/C6.001'
    >>> ComeetConnector.careers_url("guardio/57.000")
    'https://www.comeet.com/jobs/guardio/57.000'
    """

    kind = SOURCE
    record_word = "position"

    def page_url(self, board: str) -> str:
        company, board_id = split_board(board)
        return self.url(HOST, f"/jobs/{quote(company)}/{quote(board_id)}")

    def read_listing(self, board: str) -> Listing:
        """Every position embedded in ``board``'s careers page."""
        url = self.page_url(board)
        return Listing(embedded_positions(self.client.get_text(url), url))

    def record_id(self, record: Any) -> str | None:
        return clean_text(record.get("uid")) if isinstance(record, dict) else None

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_position(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """``company/board_id`` of ``www.comeet.com/jobs/{company}/{board_id}/…`` (board and
        position pages); None for other URLs, and for API URLs, which name no company.

        >>> ComeetConnector.board_from_url("https://www.comeet.co/careers-api/2.0/company/F6.003")
        """
        host, segments, _, _ = url_parts(url)
        if host not in _HOSTS or len(segments) < 3 or segments[0].lower() != "jobs":
            return None
        return f"{segments[1]}/{segments[2]}"

    @classmethod
    def careers_url(cls, board: str) -> str | None:
        """The careers page; None for a token that does not name one (a bare company UID)."""
        try:
            company, board_id = split_board(board)
        except FetchError:
            return None
        return f"https://{HOST}/jobs/{company}/{board_id}"


def split_board(board: str) -> tuple[str, str]:
    """``"arbe/C6.001"`` → ``("arbe", "C6.001")``; a token without both parts is a ``FetchError``
    (a bare company UID such as ``67.007`` does not say which careers page to read).

    >>> split_board(" overwolf/B1.001 ")
    ('overwolf', 'B1.001')
    """
    company, _, board_id = board.strip().strip("/").partition("/")
    if not company or not board_id or "/" in board_id:
        raise FetchError(
            f"a Comeet board is 'company/board_id' (as in www.comeet.com/jobs/company/board_id),"
            f" not {board!r}",
            url="",
        )
    return company, board_id


def embedded_positions(page: str, url: str) -> list[Any]:
    """The ``COMPANY_POSITIONS_DATA`` list of a careers page; ``FetchError`` when absent or broken.

    The JSON is decoded from the assignment onwards (``raw_decode``), so a description holding
    ``];`` cannot cut it short.

    >>> embedded_positions('<script>COMPANY_POSITIONS_DATA = [{"uid": "1"}];</script>', "u")
    [{'uid': '1'}]
    """
    match = _POSITIONS_MARKER.search(page)
    if match is None:
        start = page[:80].strip().replace("\n", " ")
        raise FetchError(
            f"page {url} holds no COMPANY_POSITIONS_DATA (not a Comeet careers page?"
            f" it starts {start!r})",
            url=url,
        )
    try:
        positions, _ = json.JSONDecoder().raw_decode(page, match.end())
    except json.JSONDecodeError as err:
        raise FetchError(f"COMPANY_POSITIONS_DATA in {url} is not JSON ({err})", url=url) from err
    if not isinstance(positions, list):
        raise FetchError(f"COMPANY_POSITIONS_DATA in {url} is not a list", url=url)
    return positions


def _locations(location: Any) -> list[str]:
    """ "City, State, Country" from the location's parts, else its name (an office label)."""
    if not isinstance(location, dict):
        return unique_texts([location])
    place = ", ".join(unique_texts(location.get(k) for k in ("city", "state", "country")))
    return unique_texts([place or location.get("name")])


def _description(record: dict[str, Any]) -> str | None:
    """Each detail section as ``<h3>name</h3>`` and its HTML, in Comeet's ``order``."""
    details = record.get("details")
    custom = record.get("custom_fields")
    if not isinstance(details, list) and isinstance(custom, dict):
        details = custom.get("details")
    sections = [d for d in details if isinstance(d, dict)] if isinstance(details, list) else []
    sections.sort(key=lambda d: n if (n := to_number(d.get("order"))) is not None else 1e9)
    parts: list[str] = []
    for section in sections:
        if not (value := clean_text(section.get("value"))):
            continue
        if name := clean_text(section.get("name")):
            parts.append(f"<h3>{html.escape(name)}</h3>")
        parts.append(value)
    return "\n".join(parts) or None
