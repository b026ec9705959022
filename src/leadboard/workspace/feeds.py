"""A saved search as an Atom feed (RFC 4287, written by ``feedgen``): its newest open postings.

Each entry links to the job's page here (and, in its content, to the original posting), and is
dated honestly: ``updated`` (and ``published``) is the posting's own date when it gives one;
otherwise ``updated`` is when Leadboard first saw it, there is no ``published``, and the entry
says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

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
        # One link, the job's page (Atom's default relation, alternate): feedgen 1.0 writes an
        # entry link's href alone (python-feedgen issue #135), so a second, "related" one would
        # read as another alternate. The original posting is linked from the content instead.
        entry.link(href=page)
        original = safe_http_url(job.url or "")
        if job.company:
            entry.author({"name": job.company})
        entry.updated(dated(posting))
        if posting.posted_at is not None:
            entry.published(posting.posted_at)
        facts = [
            job.company,
            card["location"],
            card["remote"] if card["remote"] != "unknown" else "",
        ]
        where = " · ".join(fact for fact in facts if fact)
        said = f"{where}. {date_said(posting)}" if where else date_said(posting)
        entry.summary(said + (f" The original posting: {original}" if original else ""))
        links = f'<a href="{escape(page)}">On Leadboard</a>'
        if original:
            links += f' · <a href="{escape(original)}">The original posting</a>'
        else:
            links += " · no link to the original posting"
        entry.content(f"<p>{escape(said)}</p><p>{links}</p>", type="html")
    atom: bytes = feed.atom_str(pretty=True)
    return atom
