"""What every connector hands back, and what the ATS connectors (Greenhouse, Lever, Ashby) share.

Each ATS connector is an ``AtsConnector`` with two hooks: ``read_listing`` (how that ATS serves a
board's raw records) and ``parse`` (one record into a posting). ``AtsConnector.fetch`` does the rest
the same way for all three: errors, rejects, the company name and whether the listing is complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from leadboard.models import SourcePosting
from leadboard.sources.http import FetchError, HttpClient, api_base, record_sample


@dataclass
class Reject:
    """A record a connector could not use, and why. The batch goes on without it."""

    source: str  # e.g. "greenhouse:anthropic" or a dump's file path
    where: str  # record id, line number or URL: enough to find the record again
    reason: str
    sample: str | None = None  # the start of the offending record (a few hundred characters)


@dataclass
class BoardFetch:
    """The result of fetching one board (or one career page)."""

    source: str  # greenhouse | lever | ashby | jsonld
    board: str
    postings: list[SourcePosting] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    # True only when the whole listing came back: postings absent from it may then be closed.
    complete: bool = False
    error: str | None = None  # why the board failed, when it did


@dataclass
class Listing:
    """A board's raw records as its ATS served them, before any is parsed."""

    records: list[Any]
    error: str | None = None  # why part (or all) of the board is missing; None: it is complete


class AtsConnector:
    """Fetches boards of one ATS through one HTTP client; subclasses say where and how to read.

    A subclass sets ``kind`` and its API root (``default_api``, overridable by ``api_env_var`` or
    the ``base_url`` argument), and writes ``read_listing`` and ``parse``. ``fetch`` never raises
    for a bad board or record: a failed board comes back with ``error`` set, a record ``parse``
    refuses becomes a ``Reject``.
    """

    kind: ClassVar[str]  # "greenhouse": the postings' source, and the start of every message
    default_api: ClassVar[str]
    api_env_var: ClassVar[str]
    board_word: ClassVar[str] = "board"  # what the ATS calls a board, for error messages
    record_word: ClassVar[str] = "job"  # what it calls a record, for reject locations

    def __init__(self, client: HttpClient, *, base_url: str | None = None) -> None:
        self.client = client
        self.base_url = api_base(base_url, self.api_env_var, self.default_api)

    def read_listing(self, board: str) -> Listing:
        """Every raw record of ``board``; may raise ``FetchError`` when nothing came back."""
        raise NotImplementedError

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting | None:
        """One record → a posting, or None to leave it out; ``ValueError`` makes it a Reject."""
        raise NotImplementedError

    def fetch(self, board: str, *, company: str | None = None) -> BoardFetch:
        """Fetch every open posting of ``board``; ``company`` fills postings that name none."""
        result = BoardFetch(source=self.kind, board=board)
        fetched_at = datetime.now(UTC)
        try:
            listing = self.read_listing(board)
        except FetchError as err:
            result.error = f"{self.kind} {self.board_word} '{board}': {err}"
            return result
        for index, record in enumerate(listing.records):
            try:
                posting = self.parse(record, board, fetched_at)
            except ValueError as err:
                where = self._where(record, index)
                result.rejects.append(
                    Reject(f"{self.kind}:{board}", where, str(err), record_sample(record))
                )
                continue
            if posting is not None:
                posting.company = posting.company or company
                result.postings.append(posting)
        # A partial listing keeps what it read, but must not let absent postings be closed.
        result.complete = listing.error is None
        if listing.error is not None:
            result.error = f"{self.kind} {self.board_word} '{board}': {listing.error}"
        return result

    def _where(self, record: Any, index: int) -> str:
        """``job 42`` when the record has a usable id, else its position: ``jobs[3]``."""
        record_id = clean_text(record.get("id")) if isinstance(record, dict) else None
        return f"{self.record_word} {record_id}" if record_id else f"{self.record_word}s[{index}]"


def jobs_in(body: Any, url: str) -> list[Any]:
    """The ``jobs`` list of a ``{"jobs": [...]}`` answer (Greenhouse, Ashby), else a FetchError.

    >>> jobs_in({"jobs": [{"id": 1}]}, "http://api.example/board")
    [{'id': 1}]
    """
    jobs = body.get("jobs") if isinstance(body, dict) else None
    if not isinstance(jobs, list):
        raise FetchError(f"response from {url} has no 'jobs' list", url=url)
    return jobs


# --- field readers the ATS parsers share ---------------------------------------------------------


def id_and_title(record: Any, *, word: str = "job", title_key: str = "title") -> tuple[str, str]:
    """The id and title every ATS record needs; ``ValueError`` when the record is not a job.

    >>> id_and_title({"id": 7, "title": " ML Lead "})
    ('7', 'ML Lead')
    >>> id_and_title({"id": "p-1"}, word="posting", title_key="text")
    Traceback (most recent call last):
    ValueError: posting p-1 has no title ('text')
    """
    if not isinstance(record, dict):
        raise ValueError(f"{word} record is a {type(record).__name__}, not an object")
    record_id = clean_text(record.get("id"))
    if record_id is None:
        raise ValueError(f"{word} record has no id")
    title = clean_text(record.get(title_key))
    if title is None:
        named_key = "" if title_key == "title" else f" ('{title_key}')"
        raise ValueError(f"{word} {record_id} has no title{named_key}")
    return record_id, title


def clean_text(value: Any) -> str | None:
    """A non-empty stripped string, or None (numbers become their decimal text).

    >>> clean_text("  Paris "), clean_text(4012345008), clean_text(""), clean_text({"a": 1})
    ('Paris', '4012345008', None, None)
    """
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def unique_texts(values: Iterable[Any]) -> list[str]:
    """The clean texts among ``values``, first occurrence first, without repeats or blanks.

    >>> unique_texts(["Paris", " London ", None, "Paris", ""])
    ['Paris', 'London']
    """
    return list(dict.fromkeys(text for value in values if (text := clean_text(value))))


def non_empty(**fields: Any) -> dict[str, Any]:
    """The fields that hold something, for ``SourcePosting.extra``: None, [] and {} are left out.

    >>> non_empty(team="Applied ML", country=None, offices=[], is_listed=False)
    {'team': 'Applied ML', 'is_listed': False}
    """
    return {key: value for key, value in fields.items() if value not in (None, [], {})}


def to_number(value: Any) -> float | None:
    """A number or numeric string as a float; anything else (booleans included) is None.

    >>> to_number("180000"), to_number(True), to_number("n/a")
    (180000.0, None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
