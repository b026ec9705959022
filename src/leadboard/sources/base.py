"""What every connector hands back, and what the ATS connectors share.

Each ATS connector is an ``AtsConnector`` with two hooks: ``read_listing`` (how that ATS serves a
board's raw records) and ``parse`` (one record into a posting); an ATS whose listing lacks the
description also writes ``read_detail``. ``AtsConnector.fetch`` does the rest the same way for every
kind: errors, rejects, the company name, which postings were listed, which details are gone (404 or
410), whether the listing is complete, and skipping detail requests for records unchanged since the
last crawl.

Where a board lives: ATSs with one API host (Greenhouse, SmartRecruiters…) and ATSs where each
board has its own host (``acme.recruitee.com``, ``acme.wd5.myworkdayjobs.com``) both build URLs with
``AtsConnector.url(host, path)``. Overriding the API root (``base_url``, or ``$LEADBOARD_ATS_ROOT``
for every kind without its own variable) sends ``https://{host}{path}`` to ``{root}/{host}{path}``
instead: how tests and the market simulator serve every board from 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, NamedTuple
from urllib.parse import urlsplit

from leadboard.models import Reject, SalaryHint, SourcePosting
from leadboard.sources.http import FetchError, HttpClient, api_base, record_sample


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
    # The board's host could not be reached at all (``FetchError.unreachable``): offline?
    unreachable: bool = False
    # Every external id the listing named, parsed or not: a listed posting is never closed.
    listed: set[str] = field(default_factory=set)
    # Listed records unchanged since the last crawl whose detail was not fetched again:
    # still open, content as stored (``known`` in ``AtsConnector.fetch``).
    unchanged: set[str] = field(default_factory=set)
    # External ids whose detail answered 404/410: the posting is gone, whatever the listing says.
    gone: set[str] = field(default_factory=set)


@dataclass
class Listing:
    """A board's raw records as its ATS served them, before any is parsed."""

    records: list[Any]
    error: str | None = None  # why part (or all) of the board is missing; None: it is complete
    company: str | None = None  # the company's name, where the listing gives it


ROOT_ENV_VAR = "LEADBOARD_ATS_ROOT"  # one API root for every kind that has no variable of its own


class AtsConnector:
    """Fetches boards of one ATS through one HTTP client; subclasses say where and how to read.

    A subclass sets ``kind``, writes ``read_listing`` and ``parse``, and where the ATS needs it
    ``read_detail`` (with ``has_details = True``), ``board_from_url`` and ``careers_url``. URLs
    are built with ``url(host, path)``; Greenhouse, Lever and Ashby keep their older per-kind API
    roots (``default_api``, ``api_env_var``). ``fetch`` never raises for a bad board or record: a
    failed board comes back with ``error`` set, a record ``parse`` refuses becomes a ``Reject``.
    """

    kind: ClassVar[str]  # "greenhouse": the postings' source, and the start of every message
    default_api: ClassVar[str] = ""  # "": each board's own host (see ``url``)
    api_env_var: ClassVar[str] = ROOT_ENV_VAR
    board_word: ClassVar[str] = "board"  # what the ATS calls a board, for error messages
    record_word: ClassVar[str] = "job"  # what it calls a record, for reject locations
    has_details: ClassVar[bool] = False  # the listing lacks descriptions: ``read_detail`` them
    default_page_size: ClassVar[int] = 100  # records a page, for ATSs that page their listing

    def __init__(
        self, client: HttpClient, *, base_url: str | None = None, page_size: int | None = None
    ) -> None:
        self.client = client
        self.base_url = api_base(base_url, self.api_env_var, self.default_api)
        self.page_size = page_size or self.default_page_size

    def url(self, host: str, path: str) -> str:
        """``https://{host}{path}``, or ``{root}/{host}{path}`` when the API root is overridden.

        >>> from leadboard.sources.http import HttpClient
        >>> conn = AtsConnector(HttpClient(), base_url="http://127.0.0.1:9")
        >>> conn.url("acme.recruitee.com", "/api/offers/")
        'http://127.0.0.1:9/acme.recruitee.com/api/offers/'
        """
        if self.base_url:
            return f"{self.base_url}/{host}{path}"
        return f"https://{host}{path}"

    @classmethod
    def board_from_url(cls, url: str) -> str | None:
        """The board token in a careers URL of this ATS, or None when the URL is not one."""
        return None

    @classmethod
    def careers_url(cls, board: str) -> str | None:
        """The public careers page of ``board``, for people (not the API)."""
        return None

    def read_listing(self, board: str) -> Listing:
        """Every raw record of ``board``; may raise ``FetchError`` when nothing came back."""
        raise NotImplementedError

    def read_detail(self, board: str, record: Any) -> Any:
        """``record`` completed by its detail request (``has_details`` kinds); may raise
        ``FetchError`` (a 404 or 410 there means the posting is gone)."""
        return record

    def record_id(self, record: Any) -> str | None:
        """A listing record's external id (the one ``parse`` gives the posting)."""
        return clean_text(record.get("id")) if isinstance(record, dict) else None

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting | None:
        """One record → a posting, or None to leave it out; ``ValueError`` makes it a Reject."""
        raise NotImplementedError

    def fetch(
        self, board: str, *, company: str | None = None, known: Mapping[str, str] | None = None
    ) -> BoardFetch:
        """Fetch every open posting of ``board``; ``company`` fills postings that name none.

        ``known`` maps external ids to the ``listing_hash`` stored with them: a listed record
        whose hash is unchanged is not read in detail again (it lands in ``unchanged``).
        """
        result = BoardFetch(source=self.kind, board=board)
        fetched_at = datetime.now(UTC)
        try:
            listing = self.read_listing(board)
        except FetchError as err:
            result.error = f"{self.kind} {self.board_word} '{board}': {err}"
            result.unreachable = err.unreachable
            return result
        company = company or listing.company
        for index, record in enumerate(listing.records):
            record_id = self.record_id(record)
            if record_id is not None:
                result.listed.add(record_id)
            fingerprint = listing_hash(record)
            if self.has_details:
                if record_id is not None and known and known.get(record_id) == fingerprint:
                    result.unchanged.add(record_id)
                    continue
                try:
                    record = self.read_detail(board, record)
                except FetchError as err:
                    if err.status in (404, 410) and record_id is not None:
                        result.gone.add(record_id)
                        continue
                    where = self._where(record, index)
                    result.rejects.append(
                        Reject(
                            f"{self.kind}:{board}",
                            where,
                            f"detail not fetched: {err}",
                            record_sample(record),
                        )
                    )
                    continue
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
                posting.extra["listing_hash"] = fingerprint
                result.listed.add(posting.external_id)
                result.postings.append(posting)
        # A partial listing keeps what it read, but must not let absent postings be closed.
        result.complete = listing.error is None
        if listing.error is not None:
            result.error = f"{self.kind} {self.board_word} '{board}': {listing.error}"
            result.unreachable = not listing.records and self.client.last_unreachable()
        return result

    def _where(self, record: Any, index: int) -> str:
        """``job 42`` when the record has a usable id, else its position: ``jobs[3]``."""
        record_id = self.record_id(record)
        return f"{self.record_word} {record_id}" if record_id else f"{self.record_word}s[{index}]"


class UrlParts(NamedTuple):
    """What ``board_from_url`` reads of a URL."""

    host: str  # lower case, no trailing dot; "" when the URL names none or cannot be read
    segments: list[str]  # the path's non-empty segments, as written
    path: str
    query: str


def url_parts(url: str) -> UrlParts:
    """A careers URL taken apart for ``board_from_url``: with or without a scheme, never raising
    (a malformed URL, e.g. an unclosed ``[``, has no host).

    >>> url_parts("HTTPS://Jobs.Lever.co./acme/123?x=1")
    UrlParts(host='jobs.lever.co', segments=['acme', '123'], path='/acme/123', query='x=1')
    >>> url_parts("acme.recruitee.com/o").host, url_parts("https://[oops/x").host
    ('acme.recruitee.com', '')
    """
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return UrlParts("", [], "", "")
    segments = [segment for segment in parts.path.split("/") if segment]
    return UrlParts(host.lower().rstrip("."), segments, parts.path, parts.query)


def listing_hash(record: Any) -> str:
    """A short, stable fingerprint of a listing record (key order does not matter).

    >>> listing_hash({"a": 1, "b": 2}) == listing_hash({"b": 2, "a": 1})
    True
    """
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


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


def object_at(record: Mapping[str, Any], key: str) -> dict[str, Any]:
    """``record[key]`` when it is a JSON object, else an empty one (missing, null, a list…).

    >>> object_at({"categories": {"team": "ML"}}, "categories"), object_at({"extra": None}, "extra")
    ({'team': 'ML'}, {})
    """
    value = record.get(key)
    return value if isinstance(value, dict) else {}


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


def salary_hint(
    fields: Any,
    *,
    low: str = "min",
    high: str = "max",
    currency: str = "currency",
    period: str = "period",
) -> SalaryHint | None:
    """Pay as a record's fields state it (amounts as numbers or numeric strings), or None when
    it names no amount; the keys differ by ATS. Nothing is guessed: ``normalize`` decides.

    >>> salary_hint({"min": "5253", "max": "", "currency": "EUR", "period": "month"})
    SalaryHint(min=5253.0, max=None, currency='EUR', period='month', cents=False)
    >>> salary_hint({"compensation_minimum": None}, low="compensation_minimum") is None
    True
    """
    if not isinstance(fields, dict):
        return None
    low_amount, high_amount = to_number(fields.get(low)), to_number(fields.get(high))
    if low_amount is None and high_amount is None:
        return None
    return SalaryHint(
        min=low_amount,
        max=high_amount,
        currency=clean_text(fields.get(currency)),
        period=clean_text(fields.get(period)),
    )


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
