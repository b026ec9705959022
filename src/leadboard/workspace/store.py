"""The workspace tables' one owner: every read and write of ``saved_searches``,
``alert_deliveries``, ``saved_jobs``, ``application_events`` and ``users`` goes through
:class:`Workspace`, and answers in typed rows.

The workspace writes without the store's writer lock: its writes are one small transaction each,
and a saved search must not wait for a crawl to end.

>>> from leadboard.store.repository import Store
>>> workspace = Workspace(Store.open("sqlite://").engine)
>>> saved = workspace.add_search("llm platform lead", filters=SearchFilters(remote=["remote"]))
>>> saved.id, saved.name, saved.filters.remote, saved.feed
(1, 'llm platform lead', ['remote'], '/feeds/1.atom')
>>> workspace.rename_search(1, "  LLM leads ").name
'LLM leads'
>>> [s.name for s in workspace.searches()], workspace.searches(owner="someone else")
(['LLM leads'], [])

A job's place in the tracker, each change an event (``tracker.py`` says which moves are allowed):

>>> workspace.move_job("greenhouse:acme:1", "saved").state
'saved'
>>> workspace.move_job("greenhouse:acme:1", "applied", note="via the careers page").notes
'via the careers page'
>>> [(e.state, e.note) for e in workspace.events()]
[('saved', ''), ('applied', 'via the careers page')]
>>> workspace.tracked(owner="someone else"), workspace.hidden_jobs()
([], [])
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast, get_args

from pydantic import TypeAdapter
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadboard.search.engine import SORTS, SearchFilters
from leadboard.store.schema import (
    LOCAL_OWNER,
    AlertDelivery,
    ApplicationEvent,
    SavedJob,
    SavedSearch,
    User,
)

MAX_NAME = 200  # characters of a saved search's name (the column's size)
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; a larger one names nothing
# Where an application stands (``saved_jobs.state``); "hidden" jobs leave the results.
JobState = Literal["saved", "hidden", "applied", "interviewing", "offer", "rejected", "withdrawn"]
JOB_STATES: tuple[str, ...] = get_args(JobState)

# What became of a posting's announcement on a channel (``alert_deliveries.status``): sent; failed
# (retried on the next run); given up after too many attempts; dropped (it failed, then the
# posting closed or stopped matching, so it is not announced).
DeliveryStatus = Literal["sent", "failed", "gave_up", "dropped"]
MAX_ERROR = 1000  # characters of a delivery's last error kept

_FILTERS: TypeAdapter[SearchFilters] = TypeAdapter(SearchFilters)


class UnknownSavedSearch(LookupError):
    """No saved search with that id belongs to this owner."""


class InvalidSavedSearch(ValueError):
    """A name or sort a saved search cannot have; the message says why."""


class UntrackedJob(LookupError):
    """The owner has not saved, hidden or applied to that job."""


class InvalidUser(ValueError):
    """A user name that cannot be used (empty, too long, taken); the message says why."""


@dataclass(frozen=True)
class TrackedRow:
    """A job in its owner's tracker: where it stands now, and its latest note."""

    owner: str
    job_id: str
    state: str
    notes: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EventRow:
    """One step of an application (a state reached) or a note added, and when."""

    id: int
    job_id: str
    state: str
    at: datetime
    note: str


@dataclass(frozen=True)
class UserRow:
    name: str
    created_at: datetime


def token_digest(token: str) -> str:
    """What is kept of a token: its SHA-256, in hex (a token is random, so no salt is needed).

    >>> token_digest("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SavedSearchRow:
    """A saved search as its owner sees it."""

    id: int
    owner: str
    name: str
    query: str
    filters: SearchFilters
    sort: str
    created_at: datetime
    last_seen_at: datetime  # postings first seen after it are new

    @property
    def feed(self) -> str:
        """The path of its Atom feed."""
        return f"/feeds/{self.id}.atom"


@dataclass(frozen=True)
class DeliveryRow:
    """One posting announced (or being announced) by a saved search on one channel."""

    id: int
    owner: str
    saved_search_id: int
    job_id: str
    channel: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


def filters_json(filters: SearchFilters) -> dict[str, Any]:
    """The filters as stored: only what differs from the defaults (a later default applies).

    >>> filters_json(SearchFilters(remote=["remote"], salary_min=200_000))
    {'remote': ['remote'], 'salary_min': 200000.0}
    """
    dumped: dict[str, Any] = _FILTERS.dump_python(filters, mode="json", exclude_defaults=True)
    return dumped


def filters_of(stored: dict[str, Any]) -> SearchFilters:
    """Stored filters read back, validated; names a later version dropped are ignored.

    >>> filters_of({"remote": ["remote"], "gone": 1}).remote
    ['remote']
    """
    return _FILTERS.validate_python(stored)


def clean_name(name: str) -> str:
    """A saved search's name, spaces tidied; empty or too long is refused.

    >>> clean_name("  staff   LLM  ")
    'staff LLM'
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidSavedSearch("a saved search needs a name")
    if len(cleaned) > MAX_NAME:
        raise InvalidSavedSearch(f"a saved search's name has at most {MAX_NAME} characters")
    return cleaned


def default_name(query: str, filters: SearchFilters) -> str:
    """What a saved search is called when it is given no name: its words, else its filters.

    >>> default_name("llm lead", SearchFilters())
    'llm lead'
    >>> default_name("", SearchFilters(remote=["remote"], seniority=["staff", "principal"]))
    'staff, principal · remote'

    >>> default_name("", SearchFilters(posted_within_days=7)), default_name("", SearchFilters())
    ('posted_within_days: 7', 'every job')
    """
    words = " ".join(query.split())
    if words:
        return words[: MAX_NAME - 1] + "…" if len(words) > MAX_NAME else words
    parts = [
        ", ".join(map(str, value)) if isinstance(value, list) else f"{key}: {value}"
        for key, value in filters_json(filters).items()
    ]
    return (" · ".join(p for p in parts if p) or "every job")[:MAX_NAME]


class Workspace:
    """The job seeker's tables, over the store's engine (``Workspace(store.engine)``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- saved searches --------------------------------------------------------------------

    def add_search(
        self,
        query: str,
        *,
        name: str | None = None,
        filters: SearchFilters | None = None,
        sort: str = "relevance",
        owner: str = LOCAL_OWNER,
        at: datetime | None = None,
    ) -> SavedSearchRow:
        """Keep a search; its results as they are now count as seen."""
        filters = filters or SearchFilters()
        if sort not in SORTS:
            raise InvalidSavedSearch(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        now = at or datetime.now(UTC)
        row = SavedSearch(
            owner=owner,
            name=clean_name(name if name is not None else default_name(query, filters)),
            query=query.strip(),
            filters=filters_json(filters),
            sort=sort,
            created_at=now,
            last_seen_at=now,
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return _saved(row)

    def searches(self, owner: str = LOCAL_OWNER) -> list[SavedSearchRow]:
        """The owner's saved searches, oldest first."""
        query = select(SavedSearch).where(SavedSearch.owner == owner).order_by(SavedSearch.id)
        with Session(self.engine) as session:
            return [_saved(row) for row in session.scalars(query)]

    def search(self, search_id: int, owner: str = LOCAL_OWNER) -> SavedSearchRow:
        """One of the owner's saved searches, or ``UnknownSavedSearch``."""
        with Session(self.engine) as session:
            return _saved(_owned(session, search_id, owner))

    def rename_search(self, search_id: int, name: str, owner: str = LOCAL_OWNER) -> SavedSearchRow:
        cleaned = clean_name(name)
        with Session(self.engine) as session, session.begin():
            row = _owned(session, search_id, owner)
            row.name = cleaned
            return _saved(row)

    def remove_search(self, search_id: int, owner: str = LOCAL_OWNER) -> SavedSearchRow:
        """Forget a saved search (and its deliveries); answers what it was."""
        with Session(self.engine) as session, session.begin():
            row = _owned(session, search_id, owner)
            removed = _saved(row)
            session.delete(row)
            return removed

    def mark_seen(
        self, search_id: int, owner: str = LOCAL_OWNER, at: datetime | None = None
    ) -> SavedSearchRow:
        """The owner looked at the results now (or ``at``): nothing is new any more."""
        with Session(self.engine) as session, session.begin():
            row = _owned(session, search_id, owner)
            row.last_seen_at = at or datetime.now(UTC)
            return _saved(row)

    # -- alert deliveries (``workspace/alerts.py``) ------------------------------------------

    def deliveries(
        self,
        search_id: int | None = None,
        *,
        channel: str | None = None,
        owner: str = LOCAL_OWNER,
    ) -> list[DeliveryRow]:
        """The owner's deliveries (of one saved search, on one channel), oldest first."""
        query = select(AlertDelivery).where(AlertDelivery.owner == owner)
        if search_id is not None:
            query = query.where(AlertDelivery.saved_search_id == search_id)
        if channel is not None:
            query = query.where(AlertDelivery.channel == channel)
        with Session(self.engine) as session:
            return [_delivery(row) for row in session.scalars(query.order_by(AlertDelivery.id))]

    def record_deliveries(
        self,
        search_id: int,
        channel: str,
        job_ids: Sequence[str],
        *,
        error: str | None,
        max_attempts: int,
        owner: str = LOCAL_OWNER,
        at: datetime | None = None,
    ) -> list[DeliveryRow]:
        """One more attempt at announcing ``job_ids`` on ``channel``: sent when ``error`` is None,
        else failed (retried later), or given up once ``max_attempts`` have failed.

        >>> from leadboard.store.repository import Store
        >>> workspace = Workspace(Store.open("sqlite://").engine)
        >>> saved = workspace.add_search("ranking")
        >>> [d.status for d in workspace.record_deliveries(
        ...     saved.id, "email", ["a:1"], error="refused", max_attempts=2)]
        ['failed']
        >>> [(d.status, d.attempts, d.last_error) for d in workspace.record_deliveries(
        ...     saved.id, "email", ["a:1", "a:2"], error="refused", max_attempts=2)]
        [('gave_up', 2, 'refused'), ('failed', 1, 'refused')]
        """
        now = at or datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            _owned(session, search_id, owner)
            known = _delivery_rows(session, search_id, channel, job_ids)
            rows = []
            for job_id in dict.fromkeys(job_ids):
                row = known.get(job_id)
                if row is None:
                    row = AlertDelivery(
                        owner=owner,
                        saved_search_id=search_id,
                        job_id=job_id,
                        channel=channel,
                        attempts=0,
                        created_at=now,
                    )
                    session.add(row)
                row.attempts += 1
                if error is None:
                    row.status, row.last_error, row.sent_at = "sent", None, now
                else:
                    row.status = "gave_up" if row.attempts >= max_attempts else "failed"
                    row.last_error = error[:MAX_ERROR]
                rows.append(row)
            session.flush()
            return [_delivery(row) for row in rows]

    def drop_deliveries(
        self, search_id: int, channel: str, job_ids: Sequence[str], *, owner: str = LOCAL_OWNER
    ) -> list[DeliveryRow]:
        """Failed deliveries not to retry: their postings closed or no longer match."""
        with Session(self.engine) as session, session.begin():
            _owned(session, search_id, owner)
            rows = list(_delivery_rows(session, search_id, channel, job_ids).values())
            for row in rows:
                row.status = "dropped"
            session.flush()
            return [_delivery(row) for row in rows]

    # -- the tracker: saved, hidden and applied-to jobs ----------------------------------------

    def tracked(
        self, owner: str = LOCAL_OWNER, job_ids: Iterable[str] | None = None
    ) -> list[TrackedRow]:
        """The owner's tracked jobs (hidden ones included), most recently changed first; only
        those of ``job_ids`` when given."""
        query = select(SavedJob).where(SavedJob.owner == owner)
        if job_ids is not None:
            query = query.where(SavedJob.job_id.in_(list(job_ids)))
        query = query.order_by(SavedJob.updated_at.desc(), SavedJob.id.desc())
        with Session(self.engine) as session:
            return [_tracked(row) for row in session.scalars(query)]

    def hidden_jobs(self, owner: str = LOCAL_OWNER) -> list[str]:
        """The ids of the jobs the owner hid: they leave the owner's search results."""
        query = select(SavedJob.job_id).where(SavedJob.owner == owner, SavedJob.state == "hidden")
        with Session(self.engine) as session:
            return list(session.scalars(query))

    def events(
        self, owner: str = LOCAL_OWNER, job_ids: Iterable[str] | None = None
    ) -> list[EventRow]:
        """The owner's application events in the order they were made (each dated: a step can be
        dated in the past), only those of ``job_ids`` when given."""
        query = select(ApplicationEvent).where(ApplicationEvent.owner == owner)
        if job_ids is not None:
            query = query.where(ApplicationEvent.job_id.in_(list(job_ids)))
        query = query.order_by(ApplicationEvent.id)  # the order they happened in
        with Session(self.engine) as session:
            return [
                EventRow(row.id, row.job_id, row.state, row.at, row.note)
                for row in session.scalars(query)
            ]

    def move_job(
        self,
        job_id: str,
        state: str,
        *,
        note: str = "",
        owner: str = LOCAL_OWNER,
        at: datetime | None = None,
        check: Callable[[str | None], None] | None = None,
    ) -> TrackedRow:
        """Put a job in ``state`` (tracking it if it was not), with an event dated ``at`` (now by
        default). ``check(current state or None)`` runs in the same transaction and raises to
        refuse the move (``tracker.check_move``)."""
        if state not in JOB_STATES:
            raise ValueError(f"state must be one of {', '.join(JOB_STATES)}, not {state!r}")
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            row = _saved_job(session, job_id, owner)
            if check is not None:
                check(row.state if row else None)
            if row is None:
                row = SavedJob(owner=owner, job_id=job_id, notes="", created_at=at or now)
                session.add(row)
            row.state, row.updated_at = state, now
            if note.strip():
                row.notes = note.strip()
            session.add(
                ApplicationEvent(
                    owner=owner, job_id=job_id, state=state, at=at or now, note=note.strip()
                )
            )
            session.flush()
            return _tracked(row)

    def note_job(
        self, job_id: str, note: str, *, owner: str = LOCAL_OWNER, at: datetime | None = None
    ) -> TrackedRow:
        """Add a note to a tracked job (an event in its current state); ``UntrackedJob`` else."""
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            row = _saved_job(session, job_id, owner)
            if row is None:
                raise UntrackedJob(f"job {job_id[:200]!r} is not in your tracker: save it first")
            row.notes, row.updated_at = note.strip(), now
            session.add(
                ApplicationEvent(
                    owner=owner, job_id=job_id, state=row.state, at=at or now, note=note.strip()
                )
            )
            session.flush()
            return _tracked(row)

    def forget_job(self, job_id: str, owner: str = LOCAL_OWNER) -> TrackedRow:
        """Take a job out of the tracker (unhide it, unsave it), its events with it."""
        with Session(self.engine) as session, session.begin():
            row = _saved_job(session, job_id, owner)
            if row is None:
                raise UntrackedJob(f"job {job_id[:200]!r} is not in your tracker")
            forgotten = _tracked(row)
            session.delete(row)
            session.execute(
                delete(ApplicationEvent).where(
                    ApplicationEvent.owner == owner, ApplicationEvent.job_id == job_id
                )
            )
            return forgotten

    # -- users: one a token -------------------------------------------------------------------

    def add_user(self, name: str, at: datetime | None = None) -> tuple[UserRow, str]:
        """A new user and their token (shown once: only its SHA-256 is kept)."""
        cleaned = " ".join(name.split())
        if not cleaned or len(cleaned) > MAX_NAME:
            raise InvalidUser(f"a user needs a name of 1 to {MAX_NAME} characters")
        token = secrets.token_urlsafe(32)
        row = User(
            name=cleaned, token_sha256=token_digest(token), created_at=at or datetime.now(UTC)
        )
        try:
            with Session(self.engine) as session, session.begin():
                session.add(row)
                session.flush()
                made = UserRow(row.name, row.created_at)
        except IntegrityError as error:
            raise InvalidUser(f"there is already a user called {cleaned!r}") from error
        return made, token

    def users(self) -> list[UserRow]:
        with Session(self.engine) as session:
            return [
                UserRow(row.name, row.created_at)
                for row in session.scalars(select(User).order_by(User.id))
            ]

    def remove_user(self, name: str) -> bool:
        """Forget a user's token (their workspace rows stay); whether there was one."""
        with Session(self.engine) as session, session.begin():
            row = session.scalars(select(User).where(User.name == name)).first()
            if row is not None:
                session.delete(row)
            return row is not None

    def user_of_token(self, token: str) -> str | None:
        """The name of the user whose token this is, if any."""
        query = select(User.name).where(User.token_sha256 == token_digest(token))
        with Session(self.engine) as session:
            found: str | None = session.scalars(query).first()
            return found


def _saved_job(session: Session, job_id: str, owner: str) -> SavedJob | None:
    query = select(SavedJob).where(SavedJob.owner == owner, SavedJob.job_id == job_id)
    return session.scalars(query).first()


def _tracked(row: SavedJob) -> TrackedRow:
    return TrackedRow(row.owner, row.job_id, row.state, row.notes, row.created_at, row.updated_at)


def _owned(session: Session, search_id: int, owner: str) -> SavedSearch:
    row = session.get(SavedSearch, search_id) if 0 < search_id <= MAX_ID else None
    if row is None or row.owner != owner:  # another owner's is as good as none
        raise UnknownSavedSearch(f"no saved search with id {search_id}")
    return row


def _delivery_rows(
    session: Session, search_id: int, channel: str, job_ids: Sequence[str]
) -> dict[str, AlertDelivery]:
    wanted = set(job_ids)
    query = select(AlertDelivery).where(
        AlertDelivery.saved_search_id == search_id, AlertDelivery.channel == channel
    )
    # A saved search's deliveries on a channel: one row a posting it ever announced (few enough
    # to read whole, where an IN list could pass a backend's cap on bound parameters).
    return {row.job_id: row for row in session.scalars(query) if row.job_id in wanted}


def _delivery(row: AlertDelivery) -> DeliveryRow:
    return DeliveryRow(
        id=row.id,
        owner=row.owner,
        saved_search_id=row.saved_search_id,
        job_id=row.job_id,
        channel=row.channel,
        status=cast(DeliveryStatus, row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def _saved(row: SavedSearch) -> SavedSearchRow:
    return SavedSearchRow(
        id=row.id,
        owner=row.owner,
        name=row.name,
        query=row.query,
        filters=filters_of(row.filters),
        sort=row.sort,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
    )
