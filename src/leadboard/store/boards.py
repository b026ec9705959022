"""The boards Leadboard crawls, and how crawling each one goes (table ``boards``).

The scheduler asks which boards are due, then reports each fetch: a success sets the next visit
an interval later (hourly, stretched up to a day for boards whose postings rarely change), a
failure counts against the board and, after ``QUARANTINE_AFTER`` in a row, quarantines it with a
back-off that doubles each time (capped at a week), saying why.

>>> from datetime import UTC
>>> from leadboard.store.repository import Store
>>> boards = Store.open("sqlite://").boards
>>> boards.sync([BoardRef("greenhouse", "acme", "Acme", origin="curated", ml_heavy=True)])
1
>>> [b.spec for b in boards.due(datetime.now(UTC))]
['greenhouse:acme']
"""

from __future__ import annotations

import builtins  # Boards.list shadows the builtin in the class's annotations
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from leadboard.models import BoardRef
from leadboard.store.schema import Board

HOUR = 3600
MIN_INTERVAL_S = HOUR
MAX_INTERVAL_S = 24 * HOUR  # a board that never changes is still read daily
QUARANTINE_AFTER = 3  # failures in a row
MAX_BACKOFF_S = 7 * 24 * HOUR


@dataclass
class CrawlOutcome:
    """What one fetch of a board came to, as the scheduler reports it."""

    ok: bool
    error: str | None = None
    changed: bool = False  # anything new, updated, closed or reopened
    empty_streak: int = 0


class Boards:
    """Reads and writes the ``boards`` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def sync(self, entries: Iterable[BoardRef]) -> int:
        """Add the boards not yet known (a removed board is never added back). Returns how many
        were added. Cheap when nothing is new: one query for the known specs."""
        with Session(self.engine) as session, session.begin():
            known = set(session.scalars(select(Board.spec)))
            fresh = {entry.spec: entry for entry in entries if entry.spec not in known}
            session.add_all(_new_row(entry) for entry in fresh.values())
            return len(fresh)

    def add(self, entry: BoardRef) -> Board:
        """Add (or bring back) a board the user named; it is due at once."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row = session.get(Board, entry.spec)
            if row is None:
                row = _new_row(entry)
                session.add(row)
            row.removed, row.enabled, row.next_due_at = False, True, None
            row.company = entry.company or row.company
            row.url = entry.url or row.url
            return row

    def set_enabled(self, spec: str, enabled: bool, *, removed: bool = False) -> bool:
        """Enable, disable or remove a board; False when there is no such board."""
        with Session(self.engine) as session, session.begin():
            row = session.get(Board, spec)
            if row is None:
                return False
            row.enabled, row.removed = enabled, removed
            if enabled:
                row.status = "new" if row.last_attempt_at is None else row.status
            return True

    def get(self, spec: str) -> Board | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(Board, spec)

    def list(self, kind: str | None = None, *, include_removed: bool = False) -> list[Board]:
        query = select(Board).order_by(Board.kind, Board.spec)
        if kind:
            query = query.where(Board.kind == kind)
        if not include_removed:
            query = query.where(Board.removed.is_(False))
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(query))

    def due(
        self, now: datetime, *, kinds: Sequence[str] | None = None, limit: int | None = None
    ) -> builtins.list[Board]:
        """Enabled boards whose next visit has come, longest waiting first."""
        query = (
            select(Board)
            .where(
                Board.enabled.is_(True),
                Board.removed.is_(False),
                or_(Board.next_due_at.is_(None), Board.next_due_at <= now),
            )
            .order_by(Board.next_due_at.is_not(None), Board.next_due_at, Board.spec)
        )
        if kinds is not None:
            query = query.where(Board.kind.in_(list(kinds)))
        if limit:
            query = query.limit(limit)
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(query))

    def next_due(self) -> datetime | None:
        """When the next enabled board falls due (None: none is scheduled)."""
        with Session(self.engine) as session:
            return session.scalar(
                select(Board.next_due_at)
                .where(Board.enabled.is_(True), Board.removed.is_(False))
                .order_by(Board.next_due_at.is_not(None), Board.next_due_at)
                .limit(1)
            )

    def record(self, spec: str, outcome: CrawlOutcome, at: datetime) -> Board | None:
        """Note a fetch's outcome and schedule the board's next visit."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row = session.get(Board, spec)
            if row is None:
                return None
            row.last_attempt_at = at
            row.empty_streak = outcome.empty_streak
            if outcome.ok:
                row.status, row.failures, row.last_error = "ok", 0, None
                row.last_success_at = at
                # Changing boards are read hourly; quiet ones less and less often.
                interval = row.interval_s or MIN_INTERVAL_S
                interval = MIN_INTERVAL_S if outcome.changed else min(MAX_INTERVAL_S, interval * 2)
                row.interval_s = interval
                row.next_due_at = at + timedelta(seconds=interval)
                return row
            row.failures = (row.failures or 0) + 1
            row.last_error = outcome.error
            if row.failures >= QUARANTINE_AFTER:
                row.status = "quarantined"
                back_off = min(MAX_BACKOFF_S, HOUR * 2 ** (row.failures - QUARANTINE_AFTER + 1))
            else:
                row.status = "failing"
                back_off = MIN_INTERVAL_S
            row.next_due_at = at + timedelta(seconds=back_off)
            return row

    def counts(self) -> dict[str, dict[str, int]]:
        """Boards by status and by kind (enabled ones), for ``leadboard stats``."""
        by_status: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        with Session(self.engine) as session:
            for status, kind, enabled in session.execute(
                select(Board.status, Board.kind, Board.enabled).where(Board.removed.is_(False))
            ):
                key = status if enabled else "disabled"
                by_status[key] = by_status.get(key, 0) + 1
                by_kind[kind] = by_kind.get(kind, 0) + 1
        return {"by_status": by_status, "by_kind": by_kind}

    def in_trouble(self, limit: int = 15) -> builtins.list[dict[str, object]]:
        """Failing and quarantined boards, most failures first, each with why."""
        query = (
            select(Board)
            .where(Board.status.in_(("failing", "quarantined")), Board.removed.is_(False))
            .order_by(Board.failures.desc(), Board.spec)
            .limit(limit)
        )
        with Session(self.engine) as session:
            return [
                {
                    "board": row.spec,
                    "status": row.status,
                    "failures": row.failures,
                    "why": row.last_error,
                    "next_try": row.next_due_at.isoformat() if row.next_due_at else None,
                }
                for row in session.scalars(query)
            ]


def _new_row(entry: BoardRef) -> Board:
    return Board(
        spec=entry.spec,
        kind=entry.kind,
        token=entry.token,
        company=entry.company,
        url=entry.url,
        origin=entry.origin,
        ml_heavy=entry.ml_heavy,
        enabled=True,
        removed=False,
        status="new",
        failures=0,
        interval_s=MIN_INTERVAL_S,
        empty_streak=0,
    )
