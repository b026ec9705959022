"""Eightfold AI careers-portal connector.

A board is a portal: ``fcx`` (for ``fcx.eightfold.ai``) or a careers host that Eightfold serves
(``careers.qualcomm.com``). Every request names the company's ``domain``; when it is not the
portal's own (``fcx`` → ``fcx.com``, ``careers.qualcomm.com`` → ``qualcomm.com``), write it after
a colon: ``stmicroelectronics:st.com``, ``careers.kering.com:kering``.

- ``GET https://{host}/api/apply/v2/jobs?domain={domain}&start=N&num=10`` pages through
  ``{"count": total, "positions": [...]}`` (Eightfold serves at most 10 a page).
- Portals that refuse that API (403/404/405) are read from the newer search API,
  ``GET https://{host}/api/pcsx/search?domain={domain}&start=N&num=10``, which answers
  ``{"data": {"count": total, "positions": [...]}}`` with other field names.

Listings carry no description (``job_description`` is empty): no detail response of Eightfold
has been recorded, and guessing its endpoint would risk reading every posting as gone.

>>> split_board("fcx"), split_board("careers.kering.com:kering")
(('fcx.eightfold.ai', 'fcx.com'), ('careers.kering.com', 'kering'))
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urljoin

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

SOURCE = "eightfold"
HOST_SUFFIX = ".eightfold.ai"
V2_PATH = "/api/apply/v2/jobs"
PCSX_PATH = "/api/pcsx/search"
PAGE_SIZE = 10  # Eightfold silently caps ``num`` at 10
MAX_PAGES = 2000  # 20,000 positions: far above any real portal; stops a server that never ends
# A first v2 answer with one of these statuses means "not this API here": try the search API.
_TRY_PCSX = frozenset({403, 404, 405})
_NOT_PORTALS = frozenset({"www", "app", "api", "docs", "help", "status"})
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_JOB_PATH = re.compile(r"^/careers/job/\d+")


def split_board(board: str) -> tuple[str, str]:
    """``(host, domain)`` of a board token: ``x``, ``x:domain``, ``host`` or ``host:domain``.

    Without an explicit domain, ``x.eightfold.ai`` asks for ``x.com`` and a careers host for its
    last two labels (``apply.careers.microsoft.com`` → ``microsoft.com``).

    >>> split_board("apply.careers.microsoft.com")
    ('apply.careers.microsoft.com', 'microsoft.com')
    """
    name, _, domain = board.strip().partition(":")
    host = name.strip().lower()
    if "." not in host:
        host += HOST_SUFFIX
    domain = domain.strip()
    if not domain:
        if host.endswith(HOST_SUFFIX):
            domain = host[: -len(HOST_SUFFIX)] + ".com"
        else:
            domain = ".".join(host.split(".")[-2:])
    return host, domain


def parse_position(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one position (v2 or search-API shape) into a SourcePosting.

    The posting date is v2's ``t_create`` or the search API's ``postedTs`` (epoch seconds, written
    as ISO 8601 UTC); ``t_update`` is the update date. Raises ``ValueError`` when the record is not
    a position.

    >>> p = parse_position({"id": 42478672, "name": "Engineering Manager",
    ...                     "t_create": 1781660892, "locations": ["New Orleans, LA USA 70112"],
    ...                     "work_location_option": "onsite"},
    ...                    "fcx", datetime(2026, 7, 1, tzinfo=UTC))
    >>> p.url, p.posted_at, p.workplace_type
    ('https://fcx.eightfold.ai/careers/job/42478672', '2026-06-17T01:48:12+00:00', 'onsite')
    """
    has_posting_name = isinstance(record, dict) and clean_text(record.get("posting_name"))
    title_key = "posting_name" if has_posting_name else "name"
    position_id, title = id_and_title(record, word="position", title_key=title_key)
    host = split_board(board)[0]
    description = clean_text(record.get("job_description"))
    standardized = _texts(record.get("standardizedLocations"))
    listed_locations = _texts(record.get("locations")) or _texts(record.get("location"))
    extra = non_empty(
        department=clean_text(record.get("department")),
        business_unit=clean_text(record.get("business_unit")),
        ats_job_id=clean_text(_first(record, "ats_job_id", "atsJobId")),
        locale=clean_text(record.get("locale")),
        location_flexibility=clean_text(
            _first(record, "location_flexibility", "locationFlexibility")
        ),
        # the search API's own spelling of the places, when ``standardizedLocations`` was used
        listed_locations=listed_locations if standardized else [],
        created_at=_epoch_s(record.get("creationTs")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=position_id,
        url=_public_url(record, host, position_id),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=standardized or listed_locations,
        description=description,
        description_format="html" if description else None,
        posted_at=_epoch_s(_first(record, "t_create", "postedTs")),
        updated_at=_epoch_s(record.get("t_update")),
        workplace_type=clean_text(_first(record, "work_location_option", "workLocationOption")),
        requisition_id=clean_text(_first(record, "display_job_id", "displayJobId")),
        extra=extra,
    )


class EightfoldConnector(AtsConnector):
    """Fetches Eightfold portals page by page against the announced ``count``.

    >>> from leadboard.sources.http import HttpClient
    >>> conn = EightfoldConnector(HttpClient(), base_url="http://127.0.0.1:9")
    >>> conn.url(split_board("fcx")[0], V2_PATH)
    'http://127.0.0.1:9/fcx.eightfold.ai/api/apply/v2/jobs'
    """

    kind = SOURCE
    default_page_size = PAGE_SIZE
    board_word = "portal"
    record_word = "position"

    def read_listing(self, board: str) -> Listing:
        """Every position of ``board``: the v2 jobs API, else the search API."""
        host, domain = split_board(board)
        try:
            return self._read_pages(self.url(host, V2_PATH), {"domain": domain})
        except FetchError as err:
            if err.status not in _TRY_PCSX:
                raise
            first_error = err
        params = {"domain": domain, "query": "", "location": ""}
        try:
            return self._read_pages(self.url(host, PCSX_PATH), params)
        except FetchError as err:
            raise FetchError(
                f"{first_error}; search API: {err}", url=err.url, status=err.status
            ) from err

    def _read_pages(self, url: str, params: dict[str, str]) -> Listing:
        """Pages of ``url`` until ``count`` positions came back; raises if the first fails."""
        records: list[Any] = []
        seen: set[str] = set()
        start = 0
        total: int | None = None
        for page in range(MAX_PAGES):
            try:
                body = self.client.get_json(
                    url, params={**params, "start": str(start), "num": str(self.page_size)}
                )
                count, positions = _page(body, url)
            except FetchError as err:
                if page == 0:
                    raise
                return Listing(records, error=f"page {page + 1}: {err}")
            if page == 0:
                total = count
            elif count is not None and total is not None and count != total:
                # Positions opened or closed while paging: offsets shifted, some may be missed.
                return Listing(records, error=f"the listing changed while read ({total} → {count})")
            start += len(positions)
            for position in positions:
                position_id = self.record_id(position)
                if position_id is None or position_id not in seen:
                    records.append(position)
                if position_id is not None:
                    seen.add(position_id)
            if total is None:
                if len(positions) < self.page_size:
                    return Listing(records)
            elif start >= total:
                return Listing(records)
            elif not positions:
                return Listing(records, error=f"got {start} of {total} positions")
        return Listing(records, error=f"stopped after {MAX_PAGES} pages")

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_position(record, board, fetched_at)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The portal in an Eightfold URL: any ``x.eightfold.ai`` page, or a careers host's job
        page (``/careers/job/{id}``), API URL or ``/careers?domain=`` search.

        >>> EightfoldConnector.board_from_url("https://lamresearch.eightfold.ai/careers")
        'lamresearch'
        >>> EightfoldConnector.board_from_url(
        ...     "https://careers.qualcomm.com/careers/search?query=*&domain=qualcomm.com")
        'careers.qualcomm.com'
        >>> EightfoldConnector.board_from_url("https://careers.example.com/careers") is None
        True
        """
        host, _, path, query = url_parts(url)
        path = path or "/"
        domains = [v for k, vs in parse_qs(query).items() if k.lower() == "domain" for v in vs]
        if host.endswith(HOST_SUFFIX):
            name = host[: -len(HOST_SUFFIX)]
            if not _LABEL.fullmatch(name) or name in _NOT_PORTALS:
                return None
            token = name
        elif (
            _JOB_PATH.match(path)
            or path.startswith((V2_PATH, PCSX_PATH))
            or (path.rstrip("/").startswith("/careers") and domains)
        ):
            token = host
        else:
            return None
        # Name the domain only where it differs from the one the token implies.
        if domains and (domain := domains[0].strip()) and domain != split_board(token)[1]:
            return f"{token}:{domain}"
        return token

    @classmethod
    def careers_url(cls, board: str) -> str:
        """The portal's careers page.

        >>> EightfoldConnector.careers_url("fcx")
        'https://fcx.eightfold.ai/careers'
        """
        return f"https://{split_board(board)[0]}/careers"


def _page(body: Any, url: str) -> tuple[int | None, list[Any]]:
    """``(count, positions)`` of a v2 page or a search-API page, else a ``FetchError``."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        body = body["data"]  # the search API wraps its answer
    positions = body.get("positions") if isinstance(body, dict) else None
    if not isinstance(positions, list):
        raise FetchError(f"response from {url} has no 'positions' list", url=url)
    count = body.get("count")
    return (count if isinstance(count, int) and not isinstance(count, bool) else None), positions


def _first(record: dict[str, Any], *keys: str) -> Any:
    """The first of ``keys`` that holds something (v2 and search API spell fields apart)."""
    for key in keys:
        if record.get(key) not in (None, ""):
            return record[key]
    return None


def _texts(value: Any) -> list[str]:
    return unique_texts(value) if isinstance(value, list) else unique_texts([value])


def _public_url(record: dict[str, Any], host: str, position_id: str) -> str:
    """``canonicalPositionUrl`` (may be a custom domain), the search API's relative
    ``positionUrl`` on the portal, else the portal's job page."""
    if canonical := clean_text(record.get("canonicalPositionUrl")):
        return canonical
    if relative := clean_text(record.get("positionUrl")):
        return urljoin(f"https://{host}/", relative)
    return f"https://{host}/careers/job/{position_id}"


def _epoch_s(value: Any) -> str | None:
    """Epoch seconds → ISO 8601 UTC; 0, booleans and out-of-range values are no date."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None
