"""What a saved search matches now, newest first, and how many of those are new since its owner
last looked.

A saved search's postings are those its words and filters *select* (``SearchEngine.selection``,
what a market page counts: the query's typed chips filter, and neighbours by meaning alone are
left out), open ones only: a feed or a count must not hold a posting that merely resembles the
query, nor change with how many nearest vectors were asked for. Jobs the search's owner hid (the
tracker) leave them with their duplicates, as they leave that owner's results, so a count, a feed
or an alert never holds one. A posting is dated by its own date when it gives one, else by when
Leadboard first saw it (``PostingDates``); it is *new* when first seen after the search's
``last_seen_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from leadboard.search.documents import PostingDates
from leadboard.search.engine import SearchEngine
from leadboard.store.repository import JobWithEnrichment
from leadboard.workspace.store import SavedSearchRow, Workspace

FEED_ENTRIES = 50  # postings a feed holds: the newest


def dated(posting: PostingDates) -> datetime:
    """The date a posting is ordered by: its own, else when it was first seen."""
    return posting.posted_at or posting.first_seen_at


def matches(engine: SearchEngine, saved: SavedSearchRow) -> list[PostingDates]:
    """The open postings ``saved`` selects now, newest first (the document id breaks ties),
    without the jobs its owner hid."""
    hidden = Workspace(engine.store.engine).hidden_jobs(saved.owner)
    filters = replace(
        saved.filters, include_closed=False, exclude=[*saved.filters.exclude, *hidden]
    )
    selected = engine.selection(saved.query, filters).ids
    found = [p for p in engine.documents.dates_of(selected) if p.open]
    return sorted(found, key=lambda p: (dated(p), p.document_id), reverse=True)


def new_since(postings: Sequence[PostingDates], since: datetime) -> int:
    """How many of ``postings`` Leadboard first saw after ``since``."""
    return sum(1 for p in postings if p.first_seen_at > since)


def newest(
    engine: SearchEngine, postings: Sequence[PostingDates], limit: int = FEED_ENTRIES
) -> list[tuple[PostingDates, JobWithEnrichment]]:
    """The first ``limit`` of ``postings`` (newest first) with their jobs, for a feed."""
    chosen = list(postings[:limit])
    jobs = engine.documents.jobs_of(p.document_id for p in chosen)
    return [(p, jobs[p.document_id]) for p in chosen if p.document_id in jobs]
