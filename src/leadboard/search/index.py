"""Keep the search documents in step with the jobs and their enrichments.

Each job has one ``search_documents`` row: its text (title, company, skill names, description)
for the full-text index, and the facts search filters and facets on (role family, seniority,
remote, salary a year, countries, cities, skills…), flattened from the job and its enrichment.
``sync_search_index`` rebuilds the rows whose job, enrichment or open/closed state changed — a
``doc_key`` remembers what each row was built from — and then marks one *head* per duplicate
cluster: the member a listing shows (the cluster's first job if open, else its first open one).
The database's own triggers (SQLite FTS5) or generated column (PostgreSQL) follow the text.

>>> salary_a_year(50.0, "hour")
104000.0
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from leadboard.store.repository import Store
from leadboard.store.schema import Job, JobEnrichment, SearchDocument, SearchState, SearchTag

HOURS_A_YEAR, DAYS_A_YEAR = 2080, 260  # full time: 40 hours, 5 days a week
_A_YEAR = {"hour": HOURS_A_YEAR, "day": DAYS_A_YEAR, "week": 52, "month": 12, "year": 1}
SALARY_PERIODS = tuple(reversed(_A_YEAR))  # year first
BATCH = 500
BODY_CHARS = 20_000  # the description text searched; the rest of very long ones adds nothing
# What a document is built from besides its job and enrichment: a new version rebuilds them all.
DOCUMENT_VERSION = "3"  # 2: the visa fact; 3: only a source's posted date, stale is not open
_SPONSORS = re.compile(r"visa sponsorship|sponsor\w*\W+(?:\w+\W+){0,6}?visas?\b", re.I)
_NO_SPONSORSHIP = re.compile(
    r"\b(?:not|unable to|cannot|can't|won't|no longer)\W+(?:\w+\W+){0,3}?sponsor"
    r"|\bno visa sponsorship|\bwithout (?:visa )?sponsorship",
    re.I,
)


def salary_a_year(amount: float | None, period: str | None) -> float | None:
    """``amount`` paid per ``period``, as a yearly figure (full-time), in the same currency."""
    if amount is None or period not in _A_YEAR:
        return None
    return float(amount) * _A_YEAR[period]


@dataclass
class SyncSummary:
    indexed: int = 0  # documents written (new or changed)
    removed: int = 0  # documents whose job is gone
    total: int = 0  # documents now in the index


def sponsors_visas(text: str) -> bool:
    """Whether a posting says it sponsors visas (and does not say it won't).

    >>> sponsors_visas("We offer visa sponsorship and relocation.")
    True
    >>> sponsors_visas("We are unable to sponsor visas for this role.")
    False
    """
    return bool(_SPONSORS.search(text)) and not _NO_SPONSORSHIP.search(text)


def sync_search_index(store: Store) -> SyncSummary:
    """Bring ``search_documents`` (and so the full-text index) up to date with the store."""
    summary = SyncSummary()
    with Session(store.engine) as session:
        changed = _changed_jobs(session)
    for start in range(0, len(changed), BATCH):
        with Session(store.engine) as session, session.begin():
            summary.indexed += _write(session, changed[start : start + BATCH])
    with Session(store.engine) as session, session.begin():
        orphans = select(SearchDocument.id).where(SearchDocument.job_id.not_in(select(Job.id)))
        gone = list(session.scalars(orphans))
        if gone:
            session.execute(delete(SearchTag).where(SearchTag.document_id.in_(gone)))
            session.execute(delete(SearchDocument).where(SearchDocument.id.in_(gone)))
            summary.removed = len(gone)
        if summary.indexed or summary.removed:
            _mark_cluster_heads(session)
            _count_a_change(session)
        summary.total = session.scalar(select(func.count(SearchDocument.id))) or 0
    return summary


def _doc_key(
    job_hash: str, closed: bool, cluster: str, version: str | None, enriched: str | None
) -> str:
    parts = (
        DOCUMENT_VERSION,
        job_hash,
        "closed" if closed else "open",
        cluster,
        version or "",
        enriched or "",
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _changed_jobs(session: Session) -> list[str]:
    query = (
        select(
            Job.id,
            Job.content_hash,
            Job.closed_at.is_not(None) | Job.stale_at.is_not(None),
            Job.cluster_id,
            JobEnrichment.version,
            JobEnrichment.content_hash,
            SearchDocument.doc_key,
        )
        .outerjoin(JobEnrichment, JobEnrichment.job_id == Job.id)
        .outerjoin(SearchDocument, SearchDocument.job_id == Job.id)
    )
    return [
        job_id
        for job_id, digest, closed, cluster, version, enriched, key in session.execute(query)
        if key != _doc_key(digest, bool(closed), cluster, version, enriched)
    ]


def _write(session: Session, job_ids: Sequence[str]) -> int:
    rows = session.execute(
        select(Job, JobEnrichment)
        .outerjoin(JobEnrichment, JobEnrichment.job_id == Job.id)
        .where(Job.id.in_(job_ids))
    ).all()
    existing = dict(
        session.execute(
            select(SearchDocument.job_id, SearchDocument.id).where(
                SearchDocument.job_id.in_(job_ids)
            )
        ).all()
    )
    for job, enrichment in rows:
        values = _document(job, enrichment)
        document_id = existing.get(job.id)
        if document_id is None:
            document_id = session.execute(
                insert(SearchDocument).values(**values).returning(SearchDocument.id)
            ).scalar_one()
        else:  # updated in place: the id (the full-text and vector rowid) stays
            session.execute(
                update(SearchDocument).where(SearchDocument.id == document_id).values(**values)
            )
            session.execute(delete(SearchTag).where(SearchTag.document_id == document_id))
        tags = [
            {"document_id": document_id, "kind": kind, "value": value}
            for kind, value in _tags(job, enrichment)
        ]
        if tags:
            session.execute(insert(SearchTag), tags)
    return len(rows)


def _document(job: Job, enrichment: JobEnrichment | None) -> dict[str, Any]:
    skills = enrichment.skills if enrichment else []
    return {
        "job_id": job.id,
        "doc_key": _doc_key(
            job.content_hash,
            not _is_open(job),
            job.cluster_id,
            enrichment.version if enrichment else None,
            enrichment.content_hash if enrichment else None,
        ),
        "cluster_id": job.cluster_id,
        "is_open": _is_open(job),
        "title": job.title,
        "company": job.company or "",
        "skills": " ".join(skills),
        "body": job.description_text[:BODY_CHARS],
        "role_family": enrichment.role_family if enrichment else None,
        "ml_leadership": enrichment.ml_leadership if enrichment else None,
        "seniority": enrichment.seniority if enrichment else "unknown",
        "years_min": enrichment.years_min if enrichment else None,
        "remote": job.remote,
        "salary_currency": job.salary_currency,
        "salary_year_min": salary_a_year(job.salary_min, job.salary_period),
        "salary_year_max": salary_a_year(job.salary_max or job.salary_min, job.salary_period),
        "posted_at": job.posted_at,
        "visa": sponsors_visas(job.description_text),
    }


def _is_open(job: Job) -> bool:
    """Open as far as search goes: neither closed nor stale (unconfirmed for too long)."""
    return job.closed_at is None and job.stale_at is None


def _tags(job: Job, enrichment: JobEnrichment | None) -> Iterable[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    skills = enrichment.skills if enrichment else []
    countries = (job.countries or "").split()
    cities = [place.get("city") for place in job.locations or [] if isinstance(place, dict)]
    for kind, values in (("skill", skills), ("country", countries), ("city", cities)):
        for value in values:
            if value and (kind, str(value)[:200]) not in seen:
                seen.add((kind, str(value)[:200]))
                yield kind, str(value)[:200]


def _count_a_change(session: Session) -> None:
    """Move ``search_state.generation`` on, so that snapshots of the documents are read again."""
    moved = session.execute(
        update(SearchState).where(SearchState.id == 1).values(generation=SearchState.generation + 1)
    ).rowcount
    if not moved:
        session.execute(insert(SearchState).values(id=1, generation=1))


def _mark_cluster_heads(session: Session) -> None:
    """One head a cluster: its first job if open, else its first open member (as listings do)."""
    member = SearchDocument.__table__.alias("member")
    job = Job.__table__.alias("member_job")
    first = (
        select(member.c.id)
        .join(job, job.c.id == member.c.job_id)
        .where(member.c.cluster_id == SearchDocument.cluster_id)
        .order_by(
            member.c.is_open.desc(), (job.c.id != job.c.cluster_id), job.c.first_seen_at, job.c.id
        )
        .limit(1)
        .scalar_subquery()
    )
    session.execute(update(SearchDocument).values(is_head=and_(SearchDocument.id == first)))
