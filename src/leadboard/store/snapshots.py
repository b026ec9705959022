"""When a dump was taken, and so until when its postings are known to have been open.

A dump's snapshot is the date its folder or file name gives (``linkedin-ds-2018``,
``ats-boards-2026-05``, ``aggregator-2026q1``), or the date ``leadboard import --snapshot-date``
states. Its postings are *confirmed* open at the start of that period (or on their own posted date,
if later): the latest moment we know them open, never the moment we imported them.

>>> snapshot_of_path("../shared/data/postings/linkedin-ds-2018/postings.jsonl")
'2018'
>>> snapshot_start("2026-05").date(), snapshot_start("2026Q1").date()
(datetime.date(2026, 5, 1), datetime.date(2026, 1, 1))
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import PurePath

# A year 1990–2099, then optionally a month (and day) or a quarter; not inside a longer number.
_DATE_IN_NAME = re.compile(
    r"(?<![0-9])((?:19[9]|20[0-9])[0-9])"
    r"(?:[-_.]?[qQ]([1-4])|-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?(?![0-9])"
)
_SNAPSHOT = re.compile(r"^(\d{4})(?:Q([1-4])|-(\d{2})(?:-(\d{2}))?)?$")


def snapshot_of_path(path: str | PurePath) -> str | None:
    """The snapshot date a dump's path names, nearest part first: ``2018``, ``2026-05``,
    ``2026-05-21`` or ``2026Q1``; None when no part names one.

    >>> snapshot_of_path("dumps/ai-labs-2025-08/postings.jsonl"), snapshot_of_path("x/jobs.csv")
    ('2025-08', None)
    """
    for part in reversed(PurePath(str(path)).parts):
        match = _DATE_IN_NAME.search(part)
        if match:
            year, quarter, month, day = match.groups()
            if quarter:
                return f"{year}Q{quarter}"
            return "-".join(p for p in (year, month, day) if p)
    return None


def parse_snapshot(text: str) -> str:
    """A snapshot date as a person types it (``2026-05-21``, ``2026-05``, ``2018``, ``2026q1``);
    ``ValueError`` otherwise.

    >>> parse_snapshot(" 2026q1 ")
    '2026Q1'
    """
    snapshot = text.strip().upper()
    if not _SNAPSHOT.match(snapshot):
        raise ValueError(f"snapshot date {text!r} is not YYYY, YYYY-MM, YYYY-MM-DD or YYYYQn")
    snapshot_start(snapshot)  # a real date, or ValueError
    return snapshot


def snapshot_start(snapshot: str) -> datetime:
    """The first moment of the snapshot's period (UTC)."""
    match = _SNAPSHOT.match(snapshot)
    if not match:
        raise ValueError(f"not a snapshot date: {snapshot!r}")
    year, quarter, month, day = match.groups()
    if quarter:
        return datetime(int(year), 3 * int(quarter) - 2, 1, tzinfo=UTC)
    return datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC)


def confirmed_by_dump(
    snapshot: str | None, posted_at: datetime | None, imported_at: datetime
) -> datetime:
    """Until when a dumped posting is known open: the start of the dump's snapshot period, or
    the posting's own posted date when later. A dump whose date nobody knows vouches for its
    postings only as of the import (the 60-day staleness clock starts then), and the posting
    keeps no snapshot, so that nothing claims a date the dump did not give.

    >>> from datetime import datetime, UTC
    >>> now = datetime(2026, 12, 7, tzinfo=UTC)
    >>> confirmed_by_dump("2018", None, now).year, confirmed_by_dump(None, None, now) == now
    (2018, True)
    """
    if not snapshot:
        return imported_at
    moments = [snapshot_start(snapshot)] + ([posted_at] if posted_at is not None else [])
    return min(max(moments), imported_at)
