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
from collections.abc import Iterable
from dataclasses import dataclass

from leadboard.search.documents import Document, IndexedJob, SearchDocuments, Tag
from leadboard.store.repository import Store
from leadboard.store.schema import Job, JobEnrichment

HOURS_A_YEAR, DAYS_A_YEAR = 2080, 260  # full time: 40 hours, 5 days a week
_A_YEAR = {"hour": HOURS_A_YEAR, "day": DAYS_A_YEAR, "week": 52, "month": 12, "year": 1}
SALARY_PERIODS = tuple(reversed(_A_YEAR))  # year first
BATCH = 500
BODY_CHARS = 20_000  # the description text searched; the rest of very long ones adds nothing
MERGE_AFTER = 10  # a sync that rewrote a tenth of the documents merges the full-text index
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
    documents = SearchDocuments(store)
    changed = [job.job_id for job in documents.indexed_jobs() if _outdated(job)]
    summary = SyncSummary()
    for start in range(0, len(changed), BATCH):
        pairs = store.jobs_with_enrichments(changed[start : start + BATCH])
        summary.indexed += documents.save([_document(p.job, p.enrichment) for p in pairs])
    settled = documents.settle(changed=bool(summary.indexed))
    summary.removed, summary.total = settled.removed, settled.total
    if summary.indexed and summary.indexed * MERGE_AFTER >= summary.total:
        documents.merge_full_text()
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


def document_key(job: IndexedJob) -> str:
    """The ``doc_key`` a document built from ``job`` as it is now has."""
    return _doc_key(
        job.content_hash,
        job.closed,
        job.cluster_id,
        job.enrichment_version,
        job.enrichment_hash,
    )


def _outdated(job: IndexedJob) -> bool:
    """Whether a job's document is missing or was built from something else."""
    return job.doc_key != document_key(job)


def _document(job: Job, enrichment: JobEnrichment | None) -> Document:
    skills = enrichment.skills if enrichment else []
    return Document(
        job_id=job.id,
        doc_key=_doc_key(
            job.content_hash,
            not _is_open(job),
            job.cluster_id,
            enrichment.version if enrichment else None,
            enrichment.content_hash if enrichment else None,
        ),
        cluster_id=job.cluster_id,
        is_open=_is_open(job),
        title=job.title,
        company=job.company or "",
        skills=" ".join(skills),
        body=job.description_text[:BODY_CHARS],
        role_family=enrichment.role_family if enrichment else None,
        ml_leadership=enrichment.ml_leadership if enrichment else None,
        seniority=enrichment.seniority if enrichment else "unknown",
        years_min=enrichment.years_min if enrichment else None,
        remote=job.remote,
        salary_currency=job.salary_currency,
        salary_year_min=salary_a_year(job.salary_min, job.salary_period),
        salary_year_max=salary_a_year(job.salary_max or job.salary_min, job.salary_period),
        posted_at=job.posted_at,
        visa=sponsors_visas(job.description_text),
        tags=list(_tags(job, enrichment)),
    )


def _is_open(job: Job) -> bool:
    """Open as far as search goes: neither closed nor stale (unconfirmed for too long)."""
    return job.closed_at is None and job.stale_at is None


def _tags(job: Job, enrichment: JobEnrichment | None) -> Iterable[Tag]:
    seen: set[tuple[str, str]] = set()
    skills = enrichment.skills if enrichment else []
    countries = (job.countries or "").split()
    cities = [place.get("city") for place in job.locations or [] if isinstance(place, dict)]
    for kind, values in (("skill", skills), ("country", countries), ("city", cities)):
        for value in values:
            if value and (kind, str(value)[:200]) not in seen:
                seen.add((kind, str(value)[:200]))
                yield Tag(kind, str(value)[:200])
