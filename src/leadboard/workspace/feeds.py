"""A saved search as an Atom feed (RFC 4287, written by ``feedgen``): its newest open postings.

Each entry links to the job's page here and to the original posting, and is dated honestly:
``updated`` (and ``published``) is the posting's own date when it gives one; otherwise
``updated`` is when Leadboard first saw it, there is no ``published``, and the entry says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from feedgen.feed import FeedGenerator

from leadboard.normalize.urls import safe_http_url
from leadboard.search.documents import PostingDates
from leadboard.search.engine import job_card
from leadboard.store.repository import JobWithEnrichment
from leadboard.workspace.searches import dated
from leadboard.workspace.store import SavedSearchRow

MEDIA_TYPE = "application/atom+xml"


def date_said(posting: PostingDates) -> str:
    """Which date an entry carries, in words.

    >>> from datetime import UTC, datetime
    >>> seen = datetime(2026, 12, 3, tzinfo=UTC)
    >>> date_said(PostingDates(1, "a", None, seen, True))
    'First seen by Leadboard 2026-12-03: the posting gives no date of its own.'
    >>> date_said(PostingDates(1, "a", datetime(2026, 12, 1, tzinfo=UTC), seen, True))
    "Posted 2026-12-01 (the posting's own date)."
    """
    if posting.posted_at is not None:
        return f"Posted {posting.posted_at.date().isoformat()} (the posting's own date)."
    seen = posting.first_seen_at.date().isoformat()
    return f"First seen by Leadboard {seen}: the posting gives no date of its own."


def atom_feed(
    saved: SavedSearchRow,
    entries: Sequence[tuple[PostingDates, JobWithEnrichment]],
    *,
    base_url: str,
    job_url: Callable[[str], str],
) -> bytes:
    """The feed of ``saved`` at ``base_url`` (``http://host:port``), holding ``entries`` in the
    order given (``searches.newest``); ``job_url(job_id)`` is a job's page."""
    base = base_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(base + saved.feed)
    feed.title(f"Leadboard: {saved.name}")
    feed.subtitle(f"The newest open postings of the saved search “{saved.name}”.")
    feed.author({"name": "Leadboard"})
    feed.link(href=base + saved.feed, rel="self", type=MEDIA_TYPE)
    feed.link(href=f"{base}/saved/{saved.id}", rel="alternate", type="text/html")
    feed.generator("Leadboard")
    # The newest entry's date; with none, when the search was saved (never "now": a reader
    # would take an unchanged feed for a changed one).
    feed.updated(max((dated(p) for p, _ in entries), default=saved.created_at))
    for posting, found in entries:
        job = found.job
        card = job_card(job, found.enrichment)
        entry = feed.add_entry(order="append")
        page = job_url(job.id)
        entry.id(page)
        entry.title(f"{job.title} — {job.company}" if job.company else job.title)
        entry.link(href=page, rel="alternate", type="text/html")
        original = safe_http_url(job.url or "")
        if original:
            entry.link(href=original, rel="related", title="The original posting")
        if job.company:
            entry.author({"name": job.company})
        entry.updated(dated(posting))
        if posting.posted_at is not None:
            entry.published(posting.posted_at)
        facts = [card["location"], card["remote"] if card["remote"] != "unknown" else ""]
        where = " · ".join(fact for fact in facts if fact)
        original_said = f" The original posting: {original}" if original else " No original URL."
        entry.summary(f"{where + '. ' if where else ''}{date_said(posting)}{original_said}")
    atom: bytes = feed.atom_str(pretty=True)
    return atom
