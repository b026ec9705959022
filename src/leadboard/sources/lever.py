"""Lever public postings API connector.

A board (a Lever "site") is read page by page with
``GET {base}/v0/postings/{site}?mode=json&skip=N&limit=100`` until a page comes back short. Sites
hosted in Lever's EU region live on another host: name them ``eu:site`` (or mark them ``eu`` in
``boards.csv``).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from leadboard.models import DescriptionFormat, SalaryHint, SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    clean_text,
    id_and_title,
    non_empty,
    object_at,
    salary_hint,
    unique_texts,
    url_parts,
)
from leadboard.sources.http import FetchError, HttpClient, api_base

SOURCE = "lever"
DEFAULT_API = "https://api.lever.co"
DEFAULT_EU_API = "https://api.eu.lever.co"
API_ENV_VAR = "LEADBOARD_LEVER_API"
EU_API_ENV_VAR = "LEADBOARD_LEVER_EU_API"
EU_PREFIX = "eu:"
PAGE_SIZE = 100
MAX_PAGES = 200  # 20,000 postings: far above any real board; stops a server that never ends


def parse_job(record: dict[str, Any], board: str, fetched_at: datetime) -> SourcePosting:
    """Read one posting record, in the API's own shape, into a SourcePosting.

    The description is Lever's HTML pieces joined: ``description`` (or ``opening`` +
    ``descriptionBody``), each of ``lists`` as a heading and a list, then ``additional``; when the
    record has no HTML, ``descriptionPlain`` as text. ``createdAt`` (epoch ms) becomes ISO 8601 UTC.
    Raises ``ValueError`` when the record is not a posting (not an object, no id, no title).

    >>> p = parse_job({"id": "ab-1", "text": "Head of ML", "createdAt": 1700000000000,
    ...                "categories": {"location": "Paris", "commitment": "Full-time"}},
    ...               "mistral", datetime(2026, 5, 1, tzinfo=UTC))
    >>> p.title, p.locations, p.posted_at, p.employment_type
    ('Head of ML', ['Paris'], '2023-11-14T22:13:20+00:00', 'Full-time')
    """
    posting_id, title = id_and_title(record, word="posting", title_key="text")

    categories = object_at(record, "categories")
    description, description_format = _description(record)
    workplace = clean_text(record.get("workplaceType"))
    extra = non_empty(
        team=clean_text(categories.get("team")),
        department=clean_text(categories.get("department")),
        country=clean_text(record.get("country")),
        apply_url=clean_text(record.get("applyUrl")),
    )
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=posting_id,
        url=clean_text(record.get("hostedUrl")),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(categories),
        description=description,
        description_format=description_format,
        posted_at=_epoch_ms(record.get("createdAt")),
        updated_at=_epoch_ms(record.get("updatedAt")),
        salary=_salary(record.get("salaryRange")),
        salary_text=clean_text(record.get("salaryDescriptionPlain")),
        # "unspecified" is Lever's way of saying nothing: leave the hint empty.
        workplace_type=None if workplace in (None, "unspecified") else workplace,
        employment_type=clean_text(categories.get("commitment")),
        extra=extra,
    )


class LeverConnector(AtsConnector):
    """Fetches Lever sites, following pagination (``fetch`` comes from ``AtsConnector``).

    The API roots come from the arguments, else ``$LEADBOARD_LEVER_API`` /
    ``$LEADBOARD_LEVER_EU_API``, else Lever's public hosts.

    >>> conn = LeverConnector(HttpClient(), base_url="http://127.0.0.1:1")
    >>> conn.postings_url("palantir"), conn.postings_url("eu:acme")
    ('http://127.0.0.1:1/v0/postings/palantir', 'https://api.eu.lever.co/v0/postings/acme')
    """

    kind = SOURCE
    default_api = DEFAULT_API
    api_env_var = API_ENV_VAR
    board_word = "site"
    record_word = "posting"

    def __init__(
        self,
        client: HttpClient,
        *,
        base_url: str | None = None,
        eu_base_url: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(client, base_url=base_url, page_size=page_size)
        self.eu_base_url = api_base(eu_base_url, EU_API_ENV_VAR, DEFAULT_EU_API)

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The site in a Lever board or posting URL (``eu:site`` in Lever's EU region).

        >>> LeverConnector.board_from_url("https://jobs.lever.co/palantir/abc-123/apply")
        'palantir'
        >>> LeverConnector.board_from_url("https://jobs.eu.lever.co/acme")
        'eu:acme'
        >>> LeverConnector.board_from_url("https://lever.co/careers") is None
        True
        """
        host, segments, _, _ = url_parts(url)
        if host in ("api.lever.co", "api.eu.lever.co") and segments[:2] == ["v0", "postings"]:
            segments = segments[2:]
        elif host not in ("jobs.lever.co", "jobs.eu.lever.co"):
            return None
        if not segments:
            return None
        return f"{EU_PREFIX}{segments[0]}" if ".eu." in host else segments[0]

    @classmethod
    def careers_url(cls, board: str) -> str:
        site, is_eu = split_board(board)
        return f"https://jobs.{'eu.' if is_eu else ''}lever.co/{site}"

    def postings_url(self, board: str) -> str:
        site, is_eu = split_board(board)
        return f"{self.eu_base_url if is_eu else self.base_url}/v0/postings/{site}"

    def read_listing(self, board: str) -> Listing:
        """Every posting of ``board`` (``site`` or ``eu:site``), page by page."""
        url = self.postings_url(board)
        records: list[Any] = []
        for page in range(MAX_PAGES):
            params = {"mode": "json", "skip": str(len(records)), "limit": str(self.page_size)}
            try:
                page_records = self.client.get_json(url, params=params)
            except FetchError as err:
                # A missing page leaves the listing incomplete; the pages before it still count.
                return Listing(records, error=str(err))
            if not isinstance(page_records, list):
                return Listing(
                    records, error=f"page {page + 1} from {url} is not a list of postings"
                )
            records += page_records
            if len(page_records) < self.page_size:
                return Listing(records)
        return Listing(records, error=f"stopped after {MAX_PAGES} pages")

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting:
        return parse_job(record, board, fetched_at)


def split_board(board: str) -> tuple[str, bool]:
    """``"eu:acme"`` → ``("acme", True)``; ``"acme"`` → ``("acme", False)``."""
    if board.lower().startswith(EU_PREFIX):
        return board[len(EU_PREFIX) :], True
    return board, False


def _locations(categories: dict[str, Any]) -> list[str]:
    """``categories.location`` first, then the others of ``categories.allLocations``."""
    candidates = [categories.get("location")]
    if isinstance(categories.get("allLocations"), list):
        candidates += categories["allLocations"]
    return unique_texts(candidates)


def _description(record: dict[str, Any]) -> tuple[str | None, DescriptionFormat | None]:
    """Lever's HTML pieces joined into one document, or the plain text when there is no HTML."""
    parts: list[str] = []
    main = clean_text(record.get("description"))
    if main:
        parts.append(main)
    else:  # newer records split the description into an opening and a body
        parts += [p for key in ("opening", "descriptionBody") if (p := clean_text(record.get(key)))]
    for item in record.get("lists") or []:
        if not isinstance(item, dict):
            continue
        heading, content = clean_text(item.get("text")), clean_text(item.get("content"))
        if heading:
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        if content:
            parts.append(
                content if content.lstrip().startswith(("<ul", "<ol")) else f"<ul>{content}</ul>"
            )
    if additional := clean_text(record.get("additional")):
        parts.append(additional)
    if parts:
        return "\n".join(parts), "html"
    plain = clean_text(record.get("descriptionPlain"))
    return (plain, "text") if plain else (None, None)


def _epoch_ms(value: Any) -> str | None:
    """Epoch milliseconds → ISO 8601 UTC; a string is passed on as received."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    try:
        return datetime.fromtimestamp(float(value) / 1000, tz=UTC).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _salary(salary_range: Any) -> SalaryHint | None:
    """``{"min": 180000, "max": 240000, "currency": "USD", "interval": "per-year-salary"}``."""
    return salary_hint(salary_range, period="interval")
