"""Import postings from dump files: JSONL, JSON arrays and CSV.

``leadboard import PATH…`` reads files through :func:`read_dump`; a folder is first expanded by
:func:`iter_dump_files`. Every record becomes a ``SourcePosting`` or a ``Reject`` (file, line or
row number, reason, a short sample); one bad record never stops the file.

Our dump schema
---------------
One posting per JSON object (a line of a ``.jsonl`` file, an element of a ``.json`` array) or per
CSV row (a header row names the columns; ``extra`` then holds a JSON object as text)::

    {"id": "ats26-5cf53628478b",            # stable id within the dump (optional, see below)
     "source": "ats-boards-2026-05",        # dataset name: becomes the board
     "url": "https://job-boards.greenhouse.io/scaleai/jobs/4611533005",
     "company": "Scale AI",
     "title": "Technical Advisor Specialist",    # required (HN posts excepted)
     "location": "San Francisco, CA",       # a string, or a list of strings
     "description": "About the Program …",
     "description_format": "text",          # "text" | "html" | null
     "posted_at": "2026-02-26T20:39:53Z",   # any date text; the normaliser parses it
     "salary_text": "$40k-$73k",            # pay as written ("None" counts as none)
     "extra": {"workplace_type": "Remote", "employment_type": "Full-time", …}}

How a record is read:

- ``source`` is ``"file"``, ``board`` the record's ``source`` (else the file name), ``external_id``
  the record's ``id`` (else a hash of the URL, else of title + company + description, so that
  importing the same file twice gives the same job ids).
- ``extra.workplace_type``, ``extra.employment_type`` and ``extra.updated_at`` fill the posting's
  fields of those names; the whole ``extra`` is kept in ``SourcePosting.extra``.
- **Raw ATS records**: when ``extra.raw_record`` holds the record a Greenhouse, Ashby or Lever API
  gave (``extra.ats`` names which), it goes through that connector's ``parse_job``, the board is
  read from the job URL (``job-boards.greenhouse.io/<token>/jobs/<id>``,
  ``jobs.ashbyhq.com/<org>/<id>``, ``jobs.lever.co/<site>/<id>``), so the job id is the ATS one
  (``greenhouse:anthropic:5101832008``) and merges with a live crawl. The record's own fields fill
  what the raw record lacks (often the description); ``extra.dump`` / ``extra.dump_id`` say where it
  came from. Arrays of ``{company, job_url, raw_record, description_html}`` read the same way.
- **Hacker News posts** (``url`` on ``news.ycombinator.com``) go to :mod:`leadboard.sources.hn`,
  which reads company and roles from the post itself.

Other CSV shapes are recognised by their header: Glassdoor and LinkedIn 2020 scrapes
(``,Name,Company,State,City,Salary,Location,Url,Description``), Indeed 2020 (``Job Title,Location,
Company,Salary,Description,Source``) and LinkedIn 2025 (``Title,Company,Location,Link,…``).

Files are read as UTF-8 (a BOM is allowed); bytes that are not UTF-8 are replaced and the posting
gets an ``extra.import_warnings`` note. Files stream: one line (CSV: one row) at a time.
"""

from __future__ import annotations

import ast
import codecs
import csv
import hashlib
import json
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from leadboard.models import DescriptionFormat, SourcePosting
from leadboard.sources import ashby, greenhouse, hn, lever
from leadboard.sources.base import Reject, object_at

SAMPLE_CHARS = 200
DOC_FILE_NAMES = {"source.txt", "license", "licence", "notice"}
DOC_SUFFIXES = {".txt", ".md", ".rst"}
DATA_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv"}
# Keys any posting record carries at least one of: a JSON file without them is not a posting dump.
POSTING_KEYS = {"title", "description", "url", "job_url", "company", "raw_record"}
NONE_WORDS = {"", "none", "null", "nan", "n/a", "na", "-"}
DECODE_WARNING = "invalid UTF-8 bytes replaced"
DETECT_BYTES = 1 << 16  # enough for a CSV header or a first JSON record
# A posting record is a few levels deep; a line nested deeper is broken or hostile, and Python's
# json (and everything that walks a record after it) recurses once a level: 100k "[" would raise
# RecursionError and end the import. Such a line is a reject, measured before it is parsed.
MAX_JSON_DEPTH = 64


class DumpFormatError(ValueError):
    """The file is not a dump this module can read (the message names the file and why)."""


@dataclass
class DumpScan:
    """What a folder holds: files to import, and files passed over with the reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # data files we could not open


# ---------------------------------------------------------------------------------------------
# Finding the files


def scan_dump_files(path: Path) -> DumpScan:
    """Expand ``path`` into the dump files to import, noting the files that are not dumps.

    Documentation (``SOURCE.txt``, ``README*``, ``*.md``) and hidden files are passed over
    silently; data files that hold no postings (a CSV with an unknown header, an empty file) are
    listed in ``skipped`` with the reason.

    >>> scan = scan_dump_files(Path("data/postings/ds-jobs-2020-04"))  # doctest: +SKIP
    >>> scan.skipped  # doctest: +SKIP
    [(PosixPath('…/native/skills_dictionary.csv'), 'CSV header is not a posting dump: …')]
    """
    path = Path(path)
    if path.is_file():
        return DumpScan(files=[path])
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such file or folder")
    scan = DumpScan()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = file.relative_to(path)
        if any(part.startswith(".") for part in relative.parts) or _is_documentation(file):
            continue
        if file.suffix.lower() not in DATA_SUFFIXES:
            scan.skipped.append((file, f"not a dump file type ({file.suffix or 'no suffix'})"))
            continue
        try:
            kind = _detect_kind(file)
        except DumpFormatError as error:
            scan.skipped.append((file, str(error).removeprefix(f"{file}: ")))
            continue
        except OSError as error:  # one unreadable file must not hide the folder's others
            scan.unreadable.append((file, f"cannot be read: {error.strerror or error}"))
            continue
        if kind == "empty":
            scan.skipped.append((file, "empty file"))
        else:
            scan.files.append(file)
    return scan


def iter_dump_files(path: Path) -> list[Path]:
    """The dump files under ``path`` (``[path]`` for a file), sorted; see :func:`scan_dump_files`.

    >>> iter_dump_files(Path("data/postings/ds-jobs-2020-04"))  # doctest: +SKIP
    [PosixPath('…/native/glassdoor_data_analyst.csv'), …, PosixPath('…/postings.jsonl')]
    """
    return scan_dump_files(path).files


def _is_documentation(file: Path) -> bool:
    name = file.name.lower()
    return (
        name in DOC_FILE_NAMES or name.startswith("readme") or file.suffix.lower() in DOC_SUFFIXES
    )


# ---------------------------------------------------------------------------------------------
# Reading one file


@dataclass
class _Context:
    """What every record of one file shares."""

    path: Path
    dataset: str  # default board: the file name, or its folder's for generic names
    fetched_at: datetime

    def reject(self, where: str, reason: str, sample: Any = None) -> Reject:
        return Reject(source=str(self.path), where=where, reason=reason, sample=_sample(sample))


def read_dump(
    path: Path, *, fetched_at: datetime | None = None
) -> Iterator[SourcePosting | Reject]:
    """Read one dump file into postings and rejects, streaming.

    The file kind is detected now (unknown kinds raise :class:`DumpFormatError` naming the file);
    records are read as the iterator is consumed. ``fetched_at`` defaults to the file's
    modification time, so reading the same file twice gives equal postings.

    >>> for item in read_dump(Path("postings.jsonl")):  # doctest: +SKIP
    ...     print(item.key if isinstance(item, SourcePosting) else item.reason)
    file:ats-boards-2026-05:ats26-5cf53628478b
    """
    path = Path(path)
    if path.is_dir():
        raise DumpFormatError(f"{path}: a folder; expand it with iter_dump_files first")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    kind = _detect_kind(path)
    if fetched_at is None:
        fetched_at = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    context = _Context(path=path, dataset=_dataset_name(path), fetched_at=fetched_at)
    if kind == "empty":
        return iter(())
    if kind == "jsonl":
        return _read_jsonl(context)
    if kind == "json":
        return _read_json_array(context)
    return _read_csv(context, CSV_KINDS[kind])


def _dataset_name(path: Path) -> str:
    """The default board: the file stem, or the folder's name when the stem says nothing."""
    generic = {"postings", "native", "data", "jobs", "dump", "export"}
    if path.stem.lower() not in generic:
        return path.stem
    folder = path.parent
    while folder.name.lower() in generic and folder.parent != folder:
        folder = folder.parent
    name = folder.name or path.stem
    # A folder's original CSV and its postings.jsonl are different dumps: keep their boards apart.
    return name if path.stem.lower() == "postings" else f"{name}-{path.stem}"


def _detect_kind(path: Path) -> str:
    """``empty``, ``jsonl``, ``json`` or a key of ``CSV_KINDS``; raises DumpFormatError."""
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        raise DumpFormatError(
            f"{path}: unknown dump file type {suffix or '(no suffix)'!r}; "
            "expected .jsonl, .ndjson, .json or .csv"
        )
    with path.open("rb") as handle:
        first_line = _first_content_line(handle.read(DETECT_BYTES))
    if first_line is None:
        return "empty"
    if suffix == ".csv":
        header = next(csv.reader([first_line]))
        kind = _csv_kind(header)
        if kind is None:
            shown = ", ".join(header[:8]) + (", …" if len(header) > 8 else "")
            raise DumpFormatError(f"{path}: CSV header is not a posting dump: {shown}")
        return kind
    if suffix == ".json" and first_line.lstrip().startswith("["):
        return "json"
    try:
        first = None if json_too_deep(first_line) else json.loads(first_line)
    except ValueError:  # malformed, or a number too long for Python to convert
        first = None
    if suffix == ".json" and not isinstance(first, dict):  # a dict: JSON Lines named .json
        raise DumpFormatError(f"{path}: a .json dump must hold an array of posting records")
    if first is None:
        return "jsonl"  # a broken first line is a reject, not a reason to refuse the file
    if isinstance(first, dict) and not POSTING_KEYS & first.keys():
        shown = ", ".join(list(first)[:8])
        raise DumpFormatError(f"{path}: JSON records hold no posting fields (keys: {shown})")
    return "jsonl"


_JSON_TOKENS = re.compile(r'\\.|["\[\]{}]', re.DOTALL)  # escapes, quotes, brackets: one pass


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays or objects deeper than ``limit`` (strings not counted).

    Linear in the text and cheap for ordinary lines (counting brackets is enough there).

    >>> json_too_deep("[" * 100_000), json_too_deep('{"a": [[1]]}', 2), json_too_deep('"[[[["', 2)
    (True, True, False)
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string = 0, False
    for token in _JSON_TOKENS.finditer(text):
        char = token.group()
        if char == '"':
            in_string = not in_string
        elif in_string or len(char) == 2:
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _value_too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a parsed JSON value nests deeper than ``limit`` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _first_content_line(head: bytes) -> str | None:
    """The first non-blank line of a file's first bytes (cut there if the line is longer)."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return next((line for line in text.splitlines() if line.strip()), None)


# ---------------------------------------------------------------------------------------------
# Decoding: one line at a time, so that a bad byte is pinned to its line


class _Lines:
    """A binary file's lines, decoded one by one, numbered, with room to push lines back.

    The CSV reader pulls lines from this object, which lets us know the exact lines of each row
    and re-read the lines of a row that turned out broken.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._count = 0
        self._pushed_back: deque[tuple[int, str, bool]] = deque()
        self.taken: list[tuple[int, str, bool]] = []  # (line number, text, had bad bytes)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._pushed_back:
            line = self._pushed_back.popleft()
        else:
            raw = next(self._handle)
            self._count += 1
            text, bad = _decode(raw)
            if self._count == 1:
                text = text.removeprefix("\ufeff")
            line = (self._count, text, bad)
        self.taken.append(line)
        return line[1]

    def push_back(self, lines: Iterable[tuple[int, str, bool]]) -> None:
        self._pushed_back.extendleft(reversed(list(lines)))


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


# ---------------------------------------------------------------------------------------------
# JSONL and JSON arrays


def _read_jsonl(context: _Context) -> Iterator[SourcePosting | Reject]:
    with context.path.open("rb") as handle:
        lines = _Lines(handle)
        for text in lines:
            number, _, bad_bytes = lines.taken.pop()
            if not text.strip():
                continue
            where = f"line {number}"
            if json_too_deep(text):
                yield context.reject(where, f"nested deeper than {MAX_JSON_DEPTH} levels", text)
                continue
            try:
                record = json.loads(text)
            except ValueError as error:  # a 5,000-digit number is a ValueError, not a decode error
                reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
                yield context.reject(where, f"malformed JSON: {reason}", text)
                continue
            yield from _from_record(record, context, where, bad_bytes=bad_bytes, raw=text)


def _read_json_array(context: _Context) -> Iterator[SourcePosting | Reject]:
    for index, item in enumerate(_stream_json_array(context.path), start=1):
        where = f"item {index}"
        if isinstance(item, _JsonError):
            yield context.reject(where, item.reason, item.sample)
            return
        record, bad_bytes = item
        if _value_too_deep(record):
            yield context.reject(where, f"nested deeper than {MAX_JSON_DEPTH} levels", "")
            continue
        yield from _from_record(record, context, where, bad_bytes=bad_bytes, raw=record)


@dataclass
class _JsonError:
    reason: str
    sample: str


def _stream_json_array(
    path: Path, chunk_size: int = 1 << 16
) -> Iterator[tuple[Any, bool] | _JsonError]:
    """Yield ``(element, had_bad_bytes)`` for each element of a top-level JSON array.

    Only the element being parsed is held in memory. A syntax error ends the stream (an array
    cannot be resynchronised), after yielding a ``_JsonError``.
    """
    decoder = json.JSONDecoder()
    with path.open("rb") as handle:
        chunks = _DecodedChunks(handle)
        buffer, position = chunks.read(chunk_size).removeprefix("\ufeff"), 0
        started = False
        while True:
            # Between elements: whitespace, and commas (read leniently).
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position >= len(buffer):
                if chunks.at_end:
                    yield _JsonError("malformed JSON: the array is not closed", buffer[-80:])
                    return
                buffer, position = chunks.read(chunk_size), 0
                continue
            if not started:
                if buffer[position] != "[":
                    yield _JsonError("malformed JSON: expected an array", buffer[position:])
                    return
                started, position = True, position + 1
                continue
            if buffer[position] == "]":
                return
            size = chunk_size
            while True:
                try:
                    element, end = decoder.raw_decode(buffer, position)
                    if end < len(buffer) or chunks.at_end:
                        break  # else a bare number may go on in the next chunk: read more
                except json.JSONDecodeError as error:
                    if chunks.at_end:
                        yield _JsonError(f"malformed JSON: {error.msg}", buffer[position:])
                        return
                except ValueError as error:  # a number too long to convert
                    yield _JsonError(f"malformed JSON: {error}", buffer[position:])
                    return
                except RecursionError:  # an array cannot be resynchronised: the stream ends
                    reason = f"nested deeper than {MAX_JSON_DEPTH} levels"
                    yield _JsonError(f"malformed JSON: {reason}", buffer[position:])
                    return
                buffer, position = buffer[position:] + chunks.read(size), 0
                size *= 2  # a long element: grow reads so that re-parsing stays linear
            yield element, chunks.bad_bytes and "\ufffd" in buffer[position:end]
            position = end


class _DecodedChunks:
    """UTF-8 text of a binary file, chunk by chunk; bad bytes are replaced and remembered."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
        self.at_end = False
        self.bad_bytes = False

    def read(self, size: int) -> str:
        raw = self._handle.read(size)
        self.at_end = not raw
        state = self._decoder.getstate()
        try:
            return self._decoder.decode(raw, final=self.at_end)
        except UnicodeDecodeError:
            self._decoder.setstate(state)
            self._decoder.errors = "replace"
            text = self._decoder.decode(raw, final=self.at_end)
            self._decoder.errors = "strict"
            self.bad_bytes = True
            return text


# ---------------------------------------------------------------------------------------------
# CSV


@dataclass(frozen=True)
class _CsvKind:
    """A CSV shape: the columns that identify it and how a row becomes a record of our schema."""

    required: frozenset[str]
    to_record: Callable[[dict[str, str]], dict[str, Any]]


def _csv_kind(header: list[str]) -> str | None:
    columns = {name.strip().lower() for name in header}
    for name, kind in CSV_KINDS.items():
        if kind.required <= columns:
            return name
    return None


def _read_csv(context: _Context, kind: _CsvKind) -> Iterator[SourcePosting | Reject]:
    # Real descriptions exceed the csv module's 128 KiB default field limit.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with context.path.open("rb") as handle:
        lines = _Lines(handle)
        header: list[str] | None = None
        row_number = 0
        reader = csv.reader(lines, strict=True)
        while True:
            lines.taken.clear()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                first, *rest = lines.taken or [(0, "", False)]
                row_number += 1
                yield context.reject(
                    f"row {row_number} (line {first[0]})", f"broken CSV quoting: {error}", first[1]
                )
                # Re-read what the broken row swallowed: the rows after it are usually fine.
                lines.push_back(rest)
                reader = csv.reader(lines, strict=True)
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [name.strip() for name in row]
                continue
            row_number += 1
            first_line = lines.taken[0][0] if lines.taken else 0
            where = f"row {row_number} (line {first_line})"
            if len(row) != len(header):
                yield context.reject(
                    where, f"expected {len(header)} columns, got {len(row)}", ",".join(row)
                )
                continue
            values = dict(zip(header, row, strict=True))
            bad_bytes = any(bad for _, _, bad in lines.taken)
            record = kind.to_record({name.lower(): value for name, value in values.items()})
            yield from _from_record(record, context, where, bad_bytes=bad_bytes, raw=values)


def _ours_from_csv(row: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {key: (value if value != "" else None) for key, value in row.items()}
    extra = record.get("extra")
    if isinstance(extra, str):
        try:
            if json_too_deep(extra):
                raise json.JSONDecodeError("nested too deep", extra, 0)
            record["extra"] = json.loads(extra)
        except ValueError:
            record["extra"] = {"extra_text": extra}
    return record


def _scraped_2020_from_csv(row: dict[str, str]) -> dict[str, Any]:
    """Glassdoor and LinkedIn scrapes of 2020 (ds-jobs-2020-04), same columns."""
    url = row.get("url") or None
    site = _site_of(url)
    return {
        "url": url,
        "title": row.get("name"),
        "company": row.get("company"),
        "location": row.get("location")
        or ", ".join(filter(None, [row.get("city"), row.get("state")])),
        "description": row.get("description"),
        "description_format": "text",
        "salary_text": row.get("salary"),
        "extra": {"site": site} if site else {},
    }


def _indeed_2020_from_csv(row: dict[str, str]) -> dict[str, Any]:
    return {
        "title": row.get("job title"),
        "company": row.get("company"),
        "location": row.get("location"),
        "description": row.get("description"),
        "description_format": "text",
        "salary_text": row.get("salary"),
        "extra": {"site": (row.get("source") or "indeed").lower()},
    }


def _linkedin_2025_from_csv(row: dict[str, str]) -> dict[str, Any]:
    extra = {"applicants": row.get("applicants") or None, "site": "linkedin"}
    return {
        "url": row.get("link") or None,
        "title": row.get("title"),
        "company": row.get("company"),
        "location": row.get("location"),
        "description": row.get("description"),
        "description_format": "text",
        "salary_text": row.get("salary"),
        "posted_at": row.get("posted_date") or None,
        "extra": {
            "workplace_type": row.get("workplacetype") or None,
            "employment_type": row.get("employmenttype") or None,
            **{key: value for key, value in extra.items() if value},
        },
    }


CSV_KINDS: dict[str, _CsvKind] = {
    "csv": _CsvKind(frozenset({"title", "description", "id"}), _ours_from_csv),
    "csv-linkedin-2025": _CsvKind(
        frozenset({"title", "company", "link", "description", "workplacetype"}),
        _linkedin_2025_from_csv,
    ),
    "csv-scraped-2020": _CsvKind(
        frozenset({"name", "company", "url", "description", "salary"}), _scraped_2020_from_csv
    ),
    "csv-indeed-2020": _CsvKind(
        frozenset({"job title", "company", "description", "source"}), _indeed_2020_from_csv
    ),
    # Our schema without ids: checked last, as the shapes above also have title + description.
    "csv-no-id": _CsvKind(frozenset({"title", "description"}), _ours_from_csv),
}


# ---------------------------------------------------------------------------------------------
# One record of our schema → postings


def _from_record(
    record: Any, context: _Context, where: str, *, bad_bytes: bool, raw: Any
) -> Iterator[SourcePosting | Reject]:
    if not isinstance(record, dict):
        yield context.reject(where, f"not a JSON object but {type(record).__name__}", raw)
        return
    warnings = [DECODE_WARNING] if bad_bytes else []
    try:
        if "job_url" in record and "url" not in record:
            record = _from_ats_sample(record, context)
        payload = raw if isinstance(raw, dict) else record  # CSV: the row as the file has it
        if hn.is_hn_record(record):
            postings = hn.postings_from_record(record, fetched_at=context.fetched_at)
            for posting in postings:
                posting.extra.update(_provenance(record, context))
        elif _raw_ats_record(record) is not None:
            postings = [_from_ats_record(record, context)]
        else:
            postings = [_from_our_schema(record, context, payload)]
    except (_RecordError, hn.UnusablePost) as error:
        yield context.reject(where, str(error), raw)
        return
    except ValidationError as error:
        problem = error.errors()[0]
        field_name = ".".join(str(part) for part in problem["loc"])
        yield context.reject(where, f"invalid field {field_name}: {problem['msg']}", raw)
        return
    except (TypeError, AttributeError, KeyError) as error:  # a field of a shape no reader expects
        yield context.reject(where, f"unreadable record: {type(error).__name__}: {error}", raw)
        return
    for posting in postings:
        if warnings:
            posting.extra["import_warnings"] = posting.extra.get("import_warnings", []) + warnings
        yield posting


class _RecordError(ValueError):
    """A record that cannot become a posting; the message is the reject reason."""


def _from_our_schema(
    record: dict[str, Any], context: _Context, payload: dict[str, Any] | None = None
) -> SourcePosting:
    title = _text(record.get("title"))
    if title is None:
        raise _RecordError("missing title")
    extra = object_at(record, "extra")
    extra = {key: value for key, value in extra.items() if key != "raw_record"}  # in payload
    description = _unlist(_text(record.get("description"), strip=False))
    return SourcePosting(
        source="file",
        board=_text(record.get("source")) or context.dataset,
        external_id=_text(record.get("id")) or _stable_id(record),
        url=_text(record.get("url")),
        fetched_at=context.fetched_at,
        payload=record if payload is None else payload,
        title=title,
        company=_text(record.get("company")),
        locations=_locations(record.get("location")),
        description=description,
        description_format=_description_format(record.get("description_format"), description),
        posted_at=_text(record.get("posted_at")),
        updated_at=_text(extra.get("updated_at")),
        salary_text=_salary_text(record.get("salary_text")),
        workplace_type=_text(extra.get("workplace_type")),
        employment_type=_text(extra.get("employment_type")),
        extra=extra,
    )


# ---------------------------------------------------------------------------------------------
# Raw ATS records: one code path with the live connectors

ATS_PARSERS: dict[str, Callable[[], Callable[..., SourcePosting]]] = {
    # Looked up at call time, so a connector's latest parse_job is the one used.
    "greenhouse": lambda: greenhouse.parse_job,
    "ashby": lambda: ashby.parse_job,
    "lever": lambda: lever.parse_job,
}
ATS_URL_PATTERNS = {
    "greenhouse": re.compile(
        r"(?:job-boards|boards)(?:\.eu)?\.greenhouse\.io/(?:embed/job_app\?for=)?([\w.-]+)"
    ),
    "ashby": re.compile(r"jobs\.ashbyhq\.com/([^/?#\s]+)/[0-9a-fA-F-]{8,}"),
    "lever": re.compile(r"jobs\.(?:eu\.)?lever\.co/([^/?#\s]+)/[0-9a-fA-F-]{8,}"),
}
# Where each API puts the job's own URL.
ATS_URL_KEYS = ("absolute_url", "jobUrl", "hostedUrl", "applyUrl")


def _raw_ats_record(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """``(ats, raw record)`` when the record carries one a connector can read."""
    extra = record.get("extra")
    if not isinstance(extra, dict) or not isinstance(extra.get("raw_record"), dict):
        return None
    ats = str(extra.get("ats") or _ats_of_url(_text(record.get("url"))) or "").lower()
    return (ats, extra["raw_record"]) if ats in ATS_PARSERS else None


def _from_ats_record(record: dict[str, Any], context: _Context) -> SourcePosting:
    found = _raw_ats_record(record)
    assert found is not None
    ats, raw = found
    urls = [raw.get(key) for key in ATS_URL_KEYS] + [record.get("url")]
    board = next(
        (
            match.group(1)
            for url in urls
            if isinstance(url, str)
            for match in [ATS_URL_PATTERNS[ats].search(url)]
            if match
        ),
        None,
    )
    if board is None:
        # Without the board the ATS id would not merge with a crawl: keep it as a file posting.
        posting = _from_our_schema(record, context)
        posting.extra["import_warnings"] = [f"{ats} board not found in the job URL"]
        return posting
    try:
        posting = ATS_PARSERS[ats]()(raw, board, context.fetched_at)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _RecordError(f"{ats} record not readable: {type(error).__name__}: {error}") from None
    return _fill_from_record(posting, record, _provenance(record, context))


def _fill_from_record(
    posting: SourcePosting, record: dict[str, Any], provenance: dict[str, str]
) -> SourcePosting:
    """Fill what the raw ATS record lacks (list endpoints carry no description) from the dump."""
    extra = {
        key: value for key, value in (record.get("extra") or {}).items() if key != "raw_record"
    }
    description = _text(record.get("description"), strip=False)
    update: dict[str, Any] = {"extra": {**extra, **posting.extra, **provenance}}
    if not posting.description and description:
        update["description"] = description
        update["description_format"] = _description_format(
            record.get("description_format"), description
        )
    fallbacks = {
        "title": _text(record.get("title")),
        "company": _text(record.get("company")),
        "url": _text(record.get("url")),
        "posted_at": _text(record.get("posted_at")),
        "salary_text": _salary_text(record.get("salary_text")),
    }
    update |= {
        key: value for key, value in fallbacks.items() if value and not getattr(posting, key)
    }
    if not posting.locations and (locations := _locations(record.get("location"))):
        update["locations"] = locations
    return posting.model_copy(update=update)


def _provenance(record: dict[str, Any], context: _Context) -> dict[str, str]:
    """Where a posting whose id is not the dump's came from: ``dump`` and ``dump_id``."""
    provenance = {"dump": _text(record.get("source")) or context.dataset}
    if dump_id := _text(record.get("id")):
        provenance["dump_id"] = dump_id
    return provenance


def _from_ats_sample(sample: dict[str, Any], context: _Context) -> dict[str, Any]:
    """``{company, job_url, raw_record, description_html}`` (ats-format-samples) → our schema."""
    raw = sample.get("raw_record")
    title = (raw.get("title") or raw.get("text")) if isinstance(raw, dict) else None
    return {
        "source": context.dataset,
        "url": sample.get("job_url"),
        "company": sample.get("company"),
        "title": title,
        "description": sample.get("description_html"),
        "description_format": "html",
        "extra": {"ats": _ats_of_url(sample.get("job_url")), "raw_record": raw},
    }


def _ats_of_url(url: Any) -> str | None:
    if not url or not isinstance(url, str):
        return None
    return next((ats for ats, pattern in ATS_URL_PATTERNS.items() if pattern.search(url)), None)


# ---------------------------------------------------------------------------------------------
# Small field helpers


def _text(value: Any, *, strip: bool = True) -> str | None:
    """A field as text: numbers become text, blanks and non-scalars become None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip() if strip else value


def _salary_text(value: Any) -> str | None:
    text = _text(value)
    return None if text is None or text.lower() in NONE_WORDS else text


def _locations(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [text for item in values if (text := _text(item))]


def _description_format(value: Any, description: str | None) -> DescriptionFormat | None:
    if value in ("html", "text"):
        return value
    if description is None:
        return None
    return "html" if re.search(r"</?(p|div|br|ul|li|h\d|strong|span)\b", description) else "text"


def _unlist(description: str | None) -> str | None:
    """A description stored as a Python list of paragraphs (LinkedIn 2020) → the text."""
    if description is None or not re.match(r"\s*\[\s*['\"]", description):
        return description
    try:
        paragraphs = ast.literal_eval(description.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return description
    if isinstance(paragraphs, list) and all(isinstance(p, str) for p in paragraphs):
        return "\n".join(p.strip() for p in paragraphs if p.strip())
    return description


def _stable_id(record: dict[str, Any]) -> str:
    """A hash of the URL, else of the content: the same record always gets the same id."""
    url = _text(record.get("url"))
    basis = url or "\n".join(
        _text(record.get(key)) or "" for key in ("title", "company", "location", "description")
    )
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def _site_of(url: str | None) -> str | None:
    match = re.match(r"https?://(?:www\.)?([^./]+)\.", url or "")
    return match.group(1).lower() if match else None


def _sample(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text.strip()
    return text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS] + "…"
