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

from leadboard.models import SalaryHint, SourcePosting
from leadboard.sources.base import BoardFetch, Reject
from leadboard.sources.http import FetchError, HttpClient, api_base, record_sample

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
    if not isinstance(record, dict):
        raise ValueError(f"posting record is a {type(record).__name__}, not an object")
    posting_id = _text(record.get("id"))
    if posting_id is None:
        raise ValueError("posting record has no id")
    title = _text(record.get("text"))
    if title is None:
        raise ValueError(f"posting {posting_id} has no title ('text')")

    categories = record.get("categories") if isinstance(record.get("categories"), dict) else {}
    description, description_format = _description(record)
    workplace = _text(record.get("workplaceType"))
    extra = {
        key: value
        for key, value in {
            "team": _text(categories.get("team")),
            "department": _text(categories.get("department")),
            "country": _text(record.get("country")),
            "apply_url": _text(record.get("applyUrl")),
        }.items()
        if value is not None
    }
    return SourcePosting(
        source=SOURCE,
        board=board,
        external_id=posting_id,
        url=_text(record.get("hostedUrl")),
        fetched_at=fetched_at,
        payload=record,
        title=title,
        locations=_locations(categories),
        description=description,
        description_format=description_format,
        posted_at=_epoch_ms(record.get("createdAt")),
        updated_at=_epoch_ms(record.get("updatedAt")),
        salary=_salary(record.get("salaryRange")),
        salary_text=_text(record.get("salaryDescriptionPlain")),
        # "unspecified" is Lever's way of saying nothing: leave the hint empty.
        workplace_type=None if workplace in (None, "unspecified") else workplace,
        employment_type=_text(categories.get("commitment")),
        extra=extra,
    )


class LeverConnector:
    """Fetches Lever sites, following pagination, through one HTTP client.

    The API roots come from the arguments, else ``$LEADBOARD_LEVER_API`` /
    ``$LEADBOARD_LEVER_EU_API``, else Lever's public hosts.

    >>> conn = LeverConnector(HttpClient(), base_url="http://127.0.0.1:1")
    >>> conn.postings_url("palantir"), conn.postings_url("eu:acme")
    ('http://127.0.0.1:1/v0/postings/palantir', 'https://api.eu.lever.co/v0/postings/acme')
    """

    kind = SOURCE

    def __init__(
        self,
        client: HttpClient,
        *,
        base_url: str | None = None,
        eu_base_url: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.client = client
        self.base_url = api_base(base_url, API_ENV_VAR, DEFAULT_API)
        self.eu_base_url = api_base(eu_base_url, EU_API_ENV_VAR, DEFAULT_EU_API)
        self.page_size = page_size

    def postings_url(self, board: str) -> str:
        site, is_eu = split_board(board)
        return f"{self.eu_base_url if is_eu else self.base_url}/v0/postings/{site}"

    def fetch(self, board: str, *, company: str | None = None) -> BoardFetch:
        """Fetch every posting of ``board`` (``site`` or ``eu:site``); never raises."""
        result = BoardFetch(source=SOURCE, board=board)
        url = self.postings_url(board)
        fetched_at = datetime.now(UTC)
        seen = 0
        for page in range(MAX_PAGES):
            params = {"mode": "json", "skip": str(seen), "limit": str(self.page_size)}
            try:
                records = self.client.get_json(url, params=params)
            except FetchError as err:
                result.error = f"lever site '{board}': {err}"
                return result  # a page is missing: the listing is incomplete
            if not isinstance(records, list):
                result.error = (
                    f"lever site '{board}': page {page + 1} from {url} is not a list of postings"
                )
                return result
            for index, record in enumerate(records):
                self._add(result, record, seen + index, board, fetched_at, company)
            seen += len(records)
            if len(records) < self.page_size:
                result.complete = True
                return result
        result.error = f"lever site '{board}': stopped after {MAX_PAGES} pages"
        return result

    def _add(
        self,
        result: BoardFetch,
        record: Any,
        index: int,
        board: str,
        fetched_at: datetime,
        company: str | None,
    ) -> None:
        try:
            posting = parse_job(record, board, fetched_at)
        except ValueError as err:
            posting_id = record.get("id") if isinstance(record, dict) else None
            where = f"posting {posting_id}" if posting_id else f"postings[{index}]"
            result.rejects.append(
                Reject(f"{SOURCE}:{board}", where, str(err), record_sample(record))
            )
            return
        posting.company = posting.company or company
        result.postings.append(posting)


def split_board(board: str) -> tuple[str, bool]:
    """``"eu:acme"`` → ``("acme", True)``; ``"acme"`` → ``("acme", False)``."""
    if board.lower().startswith(EU_PREFIX):
        return board[len(EU_PREFIX) :], True
    return board, False


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _locations(categories: dict[str, Any]) -> list[str]:
    """``categories.location`` first, then the others of ``categories.allLocations``."""
    locations: list[str] = []
    candidates = [categories.get("location")]
    if isinstance(categories.get("allLocations"), list):
        candidates += categories["allLocations"]
    for candidate in candidates:
        text = _text(candidate)
        if text and text not in locations:
            locations.append(text)
    return locations


def _description(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """Lever's HTML pieces joined into one document, or the plain text when there is no HTML."""
    parts: list[str] = []
    main = _text(record.get("description"))
    if main:
        parts.append(main)
    else:  # newer records split the description into an opening and a body
        parts += [p for key in ("opening", "descriptionBody") if (p := _text(record.get(key)))]
    for item in record.get("lists") or []:
        if not isinstance(item, dict):
            continue
        heading, content = _text(item.get("text")), _text(item.get("content"))
        if heading:
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        if content:
            parts.append(
                content if content.lstrip().startswith(("<ul", "<ol")) else f"<ul>{content}</ul>"
            )
    if additional := _text(record.get("additional")):
        parts.append(additional)
    if parts:
        return "\n".join(parts), "html"
    plain = _text(record.get("descriptionPlain"))
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
    if not isinstance(salary_range, dict):
        return None
    low, high = _number(salary_range.get("min")), _number(salary_range.get("max"))
    if low is None and high is None:
        return None
    return SalaryHint(
        min=low,
        max=high,
        currency=_text(salary_range.get("currency")),
        period=_text(salary_range.get("interval")),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
