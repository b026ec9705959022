"""The application tracker: which moves between states are allowed, the board (each tracked job
with its steps' dates, notes and whether the posting is still open) and its export.

An application goes forward: saved → applied → interviewing → offer, steps may be skipped (a
recruiter's call puts a saved job straight into interviewing). It ends rejected or withdrawn,
which only an application can be (a job merely saved is hidden or taken out instead). Going back
— an ended application moved on again, or an earlier step — needs an explicit *reopen*: it is
allowed, and recorded like any move, but never by a slip of the mouse. Hiding takes a job out of
the search results; an application in progress is not hidden (withdraw it first).

>>> check_move(None, "applied")
>>> check_move("interviewing", "applied")
Traceback (most recent call last):
...
leadboard.workspace.tracker.ImpossibleMove: interviewing → applied is a step back: reopen it...
>>> check_move("withdrawn", "interviewing", reopen=True)

The store's jobs are read, never written: a tracked posting that closes stays tracked, and says
when (``posting_status``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from leadboard.search.engine import SearchRequest, job_card
from leadboard.store.repository import JobWithEnrichment, Store
from leadboard.store.schema import LOCAL_OWNER, Job
from leadboard.workspace.store import JOB_STATES, EventRow, TrackedRow, Workspace

PIPELINE = ("saved", "applied", "interviewing", "offer")  # forward, steps may be skipped
ENDED = ("rejected", "withdrawn")
APPLIED = ("applied", "interviewing", "offer")  # an application in progress
BOARD = (*PIPELINE, *ENDED)  # the board's columns, in order; hidden jobs are listed apart
STATE_NAMES = {
    "saved": "Saved",
    "hidden": "Hidden",
    "applied": "Applied",
    "interviewing": "Interviewing",
    "offer": "Offer",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}
EXPORT_COLUMNS = (
    "job_id",
    "title",
    "company",
    "url",
    "state",
    "since",
    *(f"{state}_on" for state in JOB_STATES),
    "posting_open",
    "posting",
    "notes",
    "history",
)


class ImpossibleMove(ValueError):
    """A move the tracker refuses; the message says why and what to do instead."""


class UnknownJob(LookupError):
    """The store holds no job with that id."""


def check_move(current: str | None, new: str, *, reopen: bool = False) -> None:
    """Refuse a move from ``current`` (None: not tracked yet) to ``new`` that an application
    cannot make (the module's docstring says which); ``reopen`` allows going back.

    >>> check_move("saved", "withdrawn")
    Traceback (most recent call last):
    ...
    leadboard.workspace.tracker.ImpossibleMove: only an application can be withdrawn: ...
    >>> check_move("rejected", "hidden"), check_move("hidden", "applied")
    (None, None)
    """
    if new not in JOB_STATES:
        raise ImpossibleMove(f"state must be one of {', '.join(JOB_STATES)}, not {new!r}")
    if new == current:
        raise ImpossibleMove(f"this job is already {new}: add a note instead")
    if reopen:
        return
    if current in ENDED and new != "hidden":
        raise ImpossibleMove(
            f"this application was {current}: reopen it to move it to {new} (an explicit step back)"
        )
    if new in ENDED and current not in APPLIED:
        said = f"this job is {current}" if current else "this job is not tracked"
        raise ImpossibleMove(
            f"only an application can be {new}: {said}, not applied to"
            " (hide it, or take it out of the tracker)"
        )
    if new == "hidden" and current in APPLIED:
        raise ImpossibleMove(
            f"an application in progress ({current}) is not hidden: withdraw it first"
        )
    if current in PIPELINE and new in PIPELINE and PIPELINE.index(new) < PIPELINE.index(current):
        raise ImpossibleMove(f"{current} → {new} is a step back: reopen it to move it back")


@dataclass(frozen=True)
class PostingStatus:
    """Whether a tracked posting is still open, said with the real date it changed."""

    open: bool
    said: str
    closed_on: str | None = None  # ISO date: its own closing date, else when it left its board


def _day(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment else None


def posting_status(job: Job | None, now: datetime | None = None) -> PostingStatus:
    """What a tracked posting's row says of it now (None: no longer in the store).

    >>> from datetime import timedelta
    >>> day = datetime(2026, 11, 20, tzinfo=UTC)
    >>> gone = Job(closed_at=day, closes_at=None, stale_at=None, confirmed_at=day - timedelta(1))
    >>> posting_status(gone).said
    'No longer listed since 2026-11-20 (last confirmed open 2026-11-19)'
    >>> own = Job(closed_at=day, closes_at=day - timedelta(2), stale_at=None, confirmed_at=None)
    >>> posting_status(own).said
    "Closed on 2026-11-18 (the posting's own closing date)"
    >>> posting_status(None).said
    'No longer in Leadboard: the posting was removed from the store'
    """
    now = now or datetime.now(UTC)
    if job is None:
        return PostingStatus(
            False, "No longer in Leadboard: the posting was removed from the store"
        )
    seen = f" (last confirmed open {_day(job.confirmed_at)})" if job.confirmed_at else ""
    own_close = job.closes_at if job.closes_at and job.closes_at <= now else None
    if own_close is not None:
        return PostingStatus(
            False, f"Closed on {_day(own_close)} (the posting's own closing date)", _day(own_close)
        )
    if job.closed_at is not None:
        when = _day(job.closed_at)
        return PostingStatus(False, f"No longer listed since {when}{seen}", when)
    if job.stale_at is not None:
        last = _day(job.confirmed_at or job.last_seen_at)
        return PostingStatus(True, f"Not confirmed open since {last}: it may be gone")
    confirmed = f" (last confirmed {_day(job.confirmed_at)})" if job.confirmed_at else ""
    closes = f"; closes {_day(job.closes_at)}" if job.closes_at else ""
    return PostingStatus(True, f"Open{confirmed}{closes}")


@dataclass(frozen=True)
class Step:
    """A move (``moved``: the state changed) or a note, with its date."""

    state: str
    at: datetime
    note: str
    moved: bool


@dataclass(frozen=True)
class TrackedJob:
    """A card of the board: the job, where its application stands, and how it got there."""

    job_id: str
    state: str
    since: datetime  # when it reached its state
    notes: str  # the latest note
    created_at: datetime
    updated_at: datetime
    title: str
    company: str | None
    url: str | None
    posting: PostingStatus
    steps: list[Step] = field(default_factory=list)
    card: dict[str, Any] | None = None  # the job as a result shows it (None: gone)

    def reached(self, state: str) -> datetime | None:
        """When the application last reached ``state``, if it did."""
        dates = [step.at for step in self.steps if step.moved and step.state == state]
        return dates[-1] if dates else None


def _steps(events: Sequence[EventRow]) -> list[Step]:
    steps, before = [], None
    for event in events:
        steps.append(Step(event.state, event.at, event.note, event.state != before))
        before = event.state
    return steps


def tracked_jobs(
    workspace: Workspace,
    store: Store,
    owner: str = LOCAL_OWNER,
    *,
    states: Sequence[str] | None = None,
    job_ids: Sequence[str] | None = None,
) -> list[TrackedJob]:
    """The owner's tracked jobs (of ``states``, of ``job_ids``, when given), most recently
    changed first, each with its steps and its posting's status."""
    rows = [
        row for row in workspace.tracked(owner, job_ids) if states is None or row.state in states
    ]
    ids = [row.job_id for row in rows]
    jobs = {found.job.id: found for found in store.jobs_with_enrichments(ids)} if ids else {}
    by_job: dict[str, list[EventRow]] = {}
    for event in workspace.events(owner, ids) if ids else []:
        by_job.setdefault(event.job_id, []).append(event)
    now = datetime.now(UTC)
    return [
        _tracked_job(row, jobs.get(row.job_id), by_job.get(row.job_id, []), now) for row in rows
    ]


def _tracked_job(
    row: TrackedRow, found: JobWithEnrichment | None, events: list[EventRow], now: datetime
) -> TrackedJob:
    steps = _steps(events)
    moves = [step for step in steps if step.moved and step.state == row.state]
    job = found.job if found else None
    return TrackedJob(
        job_id=row.job_id,
        state=row.state,
        since=moves[-1].at if moves else row.updated_at,
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
        title=job.title if job else row.job_id,
        company=job.company if job else None,
        url=job.url if job else None,
        posting=posting_status(job, now),
        steps=steps,
        card=job_card(found.job, found.enrichment) if found else None,
    )


def board(tracked: Sequence[TrackedJob]) -> dict[str, list[TrackedJob]]:
    """The tracked jobs by state, one column a state of ``BOARD`` (then "hidden")."""
    columns: dict[str, list[TrackedJob]] = {state: [] for state in (*BOARD, "hidden")}
    for each in tracked:
        columns[each.state].append(each)
    return columns


def export_row(tracked: TrackedJob) -> dict[str, Any]:
    """One tracked job as a flat record (``EXPORT_COLUMNS``), dates as ISO days."""
    history = "; ".join(
        f"{_day(step.at)} {step.state if step.moved else 'note'}"
        + (f": {step.note}" if step.note else "")
        for step in tracked.steps
    )
    return {
        "job_id": tracked.job_id,
        "title": tracked.title,
        "company": tracked.company or "",
        "url": tracked.url or "",
        "state": tracked.state,
        "since": _day(tracked.since),
        **{f"{state}_on": _day(tracked.reached(state)) or "" for state in JOB_STATES},
        "posting_open": tracked.posting.open,
        "posting": tracked.posting.said,
        "notes": tracked.notes,
        "history": history,
    }


def export_csv(tracked: Sequence[TrackedJob]) -> str:
    """The tracker as CSV, one row a job (``EXPORT_COLUMNS``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for each in tracked:
        writer.writerow(export_row(each))
    return out.getvalue()


def export_json(tracked: Sequence[TrackedJob]) -> str:
    """The tracker as JSON: one object a job, with its steps (moves and notes) in full."""
    return json.dumps([as_json(each) for each in tracked], indent=2, ensure_ascii=False)


def as_json(tracked: TrackedJob) -> dict[str, Any]:
    """A tracked job as plain JSON values (the CLI's ``--json``, the JSON export)."""
    return {
        "job_id": tracked.job_id,
        "title": tracked.title,
        "company": tracked.company,
        "url": tracked.url,
        "state": tracked.state,
        "since": tracked.since.isoformat(),
        "notes": tracked.notes,
        "created_at": tracked.created_at.isoformat(),
        "updated_at": tracked.updated_at.isoformat(),
        "posting": asdict(tracked.posting),
        "steps": [
            {"state": s.state, "at": s.at.isoformat(), "note": s.note, "moved": s.moved}
            for s in tracked.steps
        ],
    }


def move(
    workspace: Workspace,
    store: Store,
    job_id: str,
    state: str,
    *,
    note: str = "",
    reopen: bool = False,
    owner: str = LOCAL_OWNER,
    at: datetime | None = None,
) -> TrackedJob:
    """Move a stored job to ``state`` (tracking it if it was not): ``UnknownJob`` when the store
    has no such job, ``ImpossibleMove`` when the tracker refuses the move."""
    if state not in JOB_STATES:
        raise ImpossibleMove(f"state must be one of {', '.join(JOB_STATES)}, not {state!r}")
    if store.get_job(job_id) is None and not workspace.tracked(owner, [job_id]):
        raise UnknownJob(f"no job with id {job_id[:200]!r}")
    workspace.move_job(
        job_id,
        state,
        note=note,
        owner=owner,
        at=at,
        check=lambda current: check_move(current, state, reopen=reopen),
    )
    (moved,) = tracked_jobs(workspace, store, owner, job_ids=[job_id])
    return moved


def without_hidden(request: SearchRequest, workspace: Workspace, owner: str) -> SearchRequest:
    """``request`` leaving out the jobs ``owner`` hid (and their duplicates)."""
    hidden = workspace.hidden_jobs(owner)
    if not hidden:
        return request
    exclude = [*request.filters.exclude, *hidden]
    return replace(request, filters=replace(request.filters, exclude=exclude))


def states_of(workspace: Workspace, owner: str, job_ids: Sequence[str]) -> dict[str, str]:
    """job id → its state in ``owner``'s tracker, for those of ``job_ids`` tracked."""
    return {row.job_id: row.state for row in workspace.tracked(owner, job_ids)} if job_ids else {}
