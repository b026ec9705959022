"""Dates as sources spell them → timezone-aware UTC ``datetime`` (or None, never an exception).

Handles ISO 8601 with or without offset ("2025-07-10T14:30:48-04:00", "2026-01-22T05:36:07.443Z"),
bare dates ("2026-01-22"), RSS's RFC 822 dates ("Fri, 04 Sep 2026 14:50:13 +0300"), epoch
milliseconds (Lever ``createdAt``) or seconds, as numbers or digit strings. Naive values are taken
as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from dateutil import parser as dateutil_parser

# Outside this window a "date" is a parsing accident (a 0 timestamp, a year typo such as 20255).
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# Epoch seconds for 1990..2100 have 9-10 digits; epoch milliseconds have 12-13.
_EPOCH_DIGITS = re.compile(r"[+-]?\d{9,13}(?:\.\d+)?")
_LOOKS_LIKE_DATE = re.compile(
    r"\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}"
    r"|\d{1,2} [A-Za-z]{3,9} \d{4}"  # RFC 822: "04 Sep 2026"
)


def parse_datetime(value: str | int | float | datetime | date | None) -> datetime | None:
    """Parse a source's date into an aware UTC ``datetime``; None when it cannot be read.

    >>> parse_datetime("2025-07-10T14:30:48-04:00")
    datetime.datetime(2025, 7, 10, 18, 30, 48, tzinfo=datetime.timezone.utc)
    >>> parse_datetime(1767225600000)  # Lever createdAt, epoch milliseconds
    datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_datetime("Fri, 04 Sep 2026 14:50:13 +0300")  # an RSS pubDate
    datetime.datetime(2026, 9, 4, 11, 50, 13, tzinfo=datetime.timezone.utc)
    >>> parse_datetime("not a date") is None
    True
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float):
        parsed = _from_epoch(float(value))
    elif isinstance(value, str):
        parsed = _from_string(value.strip())
    else:
        return None
    if parsed is None:
        return None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parsed if _EARLIEST <= parsed < _LATEST else None


def _from_string(text: str) -> datetime | None:
    if not text:
        return None
    if _EPOCH_DIGITS.fullmatch(text):
        return _from_epoch(float(text))
    try:
        return datetime.fromisoformat(text)  # fast path; Python 3.11 accepts "Z" and offsets
    except ValueError:
        pass
    # Other spellings ("Jan 22, 2026", "01/22/2026"): only strings that contain a whole date,
    # so that dateutil does not invent one out of "3 days ago" or a bare year.
    if not _LOOKS_LIKE_DATE.search(text):
        return None
    try:
        return dateutil_parser.parse(text)
    except (ValueError, OverflowError):
        return None


def _from_epoch(number: float) -> datetime | None:
    # Milliseconds when the number is too large to be seconds before 2100 (~4.1e9).
    seconds = number / 1000 if abs(number) >= 1e11 else number
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
