"""The repository: every table but the search ones (``search/documents.py`` owns those).

>>> store = Store.open("sqlite://")  # in memory
>>> store.stats()["jobs"]
0
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Engine,
    Result,
    and_,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from leadboard import models
from leadboard.models import Reject
from leadboard.store import compact
from leadboard.store.boards import Boards
from leadboard.store.database import make_engine, migrate
from leadboard.store.dedup import DuplicateIndex
from leadboard.store.locks import store_lock
from leadboard.store.schema import (
    IngestError,
    IngestRun,
    JobEmbedding,
    JobEnrichment,
    RawPosting,
    without_nul,
)
from leadboard.store.schema import Job as JobRow
from leadboard.store.snapshots import confirmed_by_dump

SAMPLE_CHARS = 500


class StoreFull(RuntimeError):
    """The disk under the store (or its size limit) is full: the write that failed was rolled
    back whole; everything written before it is intact."""


def _is_full(error: OperationalError) -> bool:
    """SQLite's SQLITE_FULL (13), PostgreSQL's disk_full (53100)."""
    code = getattr(error.orig, "sqlite_errorcode", None) or getattr(error.orig, "sqlstate", None)
    return code in (13, "53100")


@contextmanager
def _rolled_back_when_full(what: str) -> Iterator[None]:
    """Turn a full disk during ``what`` into :class:`StoreFull`, saying what was kept."""
    try:
        yield
    except OperationalError as error:
        if not _is_full(error):
            raise
        raise StoreFull(
            f"the store is full ({str(error.orig).strip()}): {what} was rolled back; everything "
            "stored before it is intact. Free disk space and run the command again: what is "
            "stored already is recognised, so it goes on where it stopped."
        ) from error


@dataclass
class BatchCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    duplicates: dict[str, int] = field(default_factory=dict)  # by rule: requisition | url | text


@dataclass
class JobFilters:
    """What ``leadboard jobs`` can narrow a listing by."""

    company: str | None = None
    source: str | None = None
    remote: str | None = None
    country: str | None = None  # ISO alpha-2
    title: str | None = None  # case-insensitive substring
    with_salary: bool = False
    include_closed: bool = False
    one_per_cluster: bool = True


@dataclass(frozen=True)
class JobWithEnrichment:
    """A stored job and its enrichment (None until it is enriched): what a result shows."""

    job: JobRow
    enrichment: JobEnrichment | None


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class Store:
    """SQLite or PostgreSQL behind one interface."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect (default: the configured database) and bring the schema up to date."""
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writer(
        self, *, wait: float | None = None, say: Callable[[str], None] = lambda m: None
    ) -> Iterator[Store]:
        """Hold the store's writer lock for a whole import, crawl or enrichment: a second
        writer waits (``wait`` seconds, default ``$LEADBOARD_LOCK_WAIT`` or 600), saying so,
        then gives up with ``StoreBusy``. Runs another process left ``running`` (it was killed:
        it no longer holds the lock) are marked ``interrupted``."""
        if wait is None:
            wait = float(os.environ.get("LEADBOARD_LOCK_WAIT", "600"))
        with store_lock(self.engine, "writer", wait=wait, say=say):
            with Session(self.engine) as session, session.begin():
                session.execute(
                    update(IngestRun)
                    .where(IngestRun.status == "running")
                    .values(status="interrupted", finished_at=datetime.now(UTC))
                )
            yield self

    @property
    def boards(self) -> Boards:
        """The board registry and its crawl state (``store/boards.py``)."""
        return Boards(self.engine)

    # -- ingest runs and errors -------------------------------------------------------------

    def start_run(self, kind: str, args: Sequence[str], started_at: datetime) -> int:
        with Session(self.engine) as session, session.begin():
            run = IngestRun(kind=kind, args=list(args), started_at=started_at, counts={})
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any], at: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            run = session.get(IngestRun, run_id)
            if run is not None:
                run.status, run.counts, run.finished_at = status, counts, at

    def record_errors(self, rejects: Iterable[Reject], run_id: int | None, at: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            session.add_all(_error_row(reject, run_id, at) for reject in rejects)

    # -- writing jobs -----------------------------------------------------------------------

    def duplicate_index(self) -> DuplicateIndex:
        """An index of every stored job, to assign clusters to incoming ones."""
        index = DuplicateIndex()
        columns = (
            JobRow.id,
            JobRow.cluster_id,
            JobRow.company,
            JobRow.requisition_id,
            JobRow.url,
            JobRow.title,
            JobRow.minhash,
        )
        with Session(self.engine) as session:
            for row in session.execute(select(*columns).order_by(JobRow.first_seen_at, JobRow.id)):
                index.add(*row)
        return index

    def save_batch(
        self,
        pairs: Sequence[tuple[models.SourcePosting, models.Job]],
        rejects: Sequence[Reject],
        *,
        index: DuplicateIndex,
        seen_at: datetime,
        run_id: int | None = None,
        origin: str | None = None,
        from_dump: bool = False,
        snapshot: str | None = None,
        signatures: Sequence[str | bytes | None] | None = None,
    ) -> BatchCounts:
        """Upsert a batch of postings and log its rejects, all in one transaction.

        ``signatures``, one a pair, are the jobs' text signatures made beforehand
        (``dedup.sign``, in worker processes), or their texts, signed here if needed; without
        them each is made here.

        A crawled posting is confirmed open at ``seen_at``; a dumped one only as of the dump's
        ``snapshot`` (or its own posted date): see ``store/snapshots.py``. A closed posting
        reopens only on evidence newer than its closing.
        """
        counts = BatchCounts()
        what = f"the batch of {len(pairs)} postings being saved"
        with _rolled_back_when_full(what), Session(self.engine) as session, session.begin():
            ids = list({job.id for _, job in pairs})
            existing: dict[str, JobRow | SimpleNamespace] = {
                row.id: row for row in session.scalars(select(JobRow).where(JobRow.id.in_(ids)))
            }
            known_payloads = {
                (job_id, digest)
                for job_id, digest in session.execute(
                    select(RawPosting.job_id, RawPosting.payload_hash).where(
                        RawPosting.job_id.in_(ids)
                    )
                )
            }
            # New rows are inserted in one executemany each (the ORM's unit of work took a
            # third of an import's time); until then they are plain namespaces.
            new_jobs: list[SimpleNamespace] = []
            new_payloads: list[dict[str, Any]] = []
            for at, (posting, job) in enumerate(pairs):
                signed = job.description_text if signatures is None else signatures[at]
                digest = payload_hash(posting.payload)
                if (job.id, digest) not in known_payloads:
                    known_payloads.add((job.id, digest))
                    new_payloads.append(_raw_row(posting, digest, run_id, origin))
                row: JobRow | SimpleNamespace | None = existing.get(job.id)
                confirmed = (
                    confirmed_by_dump(snapshot, job.posted_at, seen_at) if from_dump else seen_at
                )
                listing = posting.extra.get("listing_hash")
                if row is None:
                    row = SimpleNamespace(id=job.id, first_seen_at=seen_at, updated_at=None)
                    self._write_job(row, job, index, counts, signed)
                    row.last_seen_at, row.confirmed_at = seen_at, confirmed
                    row.closed_at = row.stale_at = None
                    row.snapshot = snapshot if from_dump else None
                    row.listing_hash = listing
                    new_jobs.append(row)
                    existing[job.id] = row
                    counts.inserted += 1
                    continue
                if row.closed_at is not None and confirmed > row.closed_at:
                    row.closed_at = None
                    counts.reopened += 1
                if row.confirmed_at is None or confirmed > row.confirmed_at:
                    # The newest evidence speaks for it: a newer dump, or a crawl (no snapshot).
                    row.confirmed_at, row.stale_at = confirmed, None
                    row.snapshot = snapshot if from_dump else None
                row.listing_hash = listing or row.listing_hash
                row.last_seen_at = seen_at
                if row.content_hash == job.content_hash:
                    counts.unchanged += 1
                else:
                    self._write_job(row, job, index, counts, signed)
                    row.updated_at = seen_at
                    counts.updated += 1
            # Every value given, None as NULL: one executemany a table (the ORM otherwise leaves
            # None out, and splits the rows into a statement for each pattern of Nones).
            if new_jobs:
                rows = [vars(row) for row in new_jobs]
                session.execute(insert(JobRow).execution_options(render_nulls=True), rows)
            _pack_payloads(session, new_payloads, existing)  # before the jobs are flushed
            if new_payloads:
                session.execute(
                    insert(RawPosting).execution_options(render_nulls=True), new_payloads
                )
            session.add_all(_error_row(reject, run_id, seen_at) for reject in rejects)
        return counts

    @staticmethod
    def _write_job(
        row: JobRow | SimpleNamespace,
        job: models.Job,
        index: DuplicateIndex,
        counts: BatchCounts,
        signed: str | bytes | None,  # the job's text, or its signature (DuplicateIndex.assign)
    ) -> None:
        assignment = index.assign(
            job.id, job.company, job.requisition_id, job.url, job.title, signed
        )
        if assignment.reason != "new":
            counts.duplicates[assignment.reason] = counts.duplicates.get(assignment.reason, 0) + 1
        salary = job.salary
        countries = sorted({p.country for p in job.locations if p.country})
        row.source, row.board, row.external_id = job.source, job.board, job.external_id
        row.url = job.url  # its canonical form is made where read (dedup.py; 0014)
        row.title, row.title_raw, row.company = job.title, job.title_raw, job.company
        row.description = compact.pack_description(
            without_nul(job.description_html), without_nul(job.description_text)
        )
        row.locations = [place.model_dump() for place in job.locations]
        row.location_raw = job.location_raw
        row.countries = f" {' '.join(countries)} " if countries else None
        row.remote, row.remote_regions = job.remote, list(job.remote_regions)
        row.salary_min = salary.min if salary else None
        row.salary_max = salary.max if salary else None
        row.salary_currency = salary.currency if salary else None
        row.salary_period = salary.period if salary else None
        row.employment_type, row.requisition_id = job.employment_type, job.requisition_id
        row.posted_at, row.source_updated_at = job.posted_at, job.source_updated_at
        row.closes_at = job.closes_at
        row.content_hash, row.warnings = job.content_hash, list(job.warnings)
        row.cluster_id, row.minhash = assignment.cluster_id, assignment.signature

    def open_count(self, source: str, board: str) -> int:
        """How many of a board's jobs are open."""
        with Session(self.engine) as session:
            query = select(func.count(JobRow.id)).where(
                JobRow.source == source, JobRow.board == board, JobRow.closed_at.is_(None)
            )
            return session.scalar(query) or 0

    def open_by_board(self) -> dict[str, int]:
        """Open (and not stale) jobs per ``kind:token`` board."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(JobRow.source, JobRow.board, func.count(JobRow.id))
                .where(JobRow.closed_at.is_(None), JobRow.stale_at.is_(None))
                .group_by(JobRow.source, JobRow.board)
            )
            return {f"{source}:{board}": n for source, board, n in rows}

    def close_missing(self, source: str, board: str, seen_ids: set[str], at: datetime) -> int:
        """Close the open jobs of a board that a *complete* listing no longer shows."""
        with Session(self.engine) as session, session.begin():
            open_ids = session.scalars(
                select(JobRow.id).where(
                    JobRow.source == source, JobRow.board == board, JobRow.closed_at.is_(None)
                )
            ).all()
            gone = [job_id for job_id in open_ids if job_id not in seen_ids]
            _set_in_chunks(session, gone, closed_at=at)
            return len(gone)

    def close_jobs(self, job_ids: Iterable[str], at: datetime) -> int:
        """Close these jobs (their detail answered 404/410): returns how many were open."""
        with Session(self.engine) as session, session.begin():
            ids = list(job_ids)
            open_ids = [
                job_id
                for start in range(0, len(ids), 500)
                for job_id in session.scalars(
                    select(JobRow.id).where(
                        JobRow.id.in_(ids[start : start + 500]), JobRow.closed_at.is_(None)
                    )
                )
            ]
            _set_in_chunks(session, open_ids, closed_at=at)
            return len(open_ids)

    def confirm_listed(self, job_ids: Iterable[str], at: datetime) -> int:
        """Jobs a listing showed unchanged (their detail not read again): confirmed open at
        ``at``, reopened if they were closed. Returns how many reopened."""
        with Session(self.engine) as session, session.begin():
            ids = list(job_ids)
            reopened = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                reopened += _rowcount(
                    session.execute(
                        update(JobRow)
                        .where(JobRow.id.in_(chunk), JobRow.closed_at.is_not(None))
                        .values(closed_at=None)
                    )
                )
                session.execute(
                    update(JobRow)
                    .where(JobRow.id.in_(chunk))
                    .values(last_seen_at=at, confirmed_at=at, stale_at=None)
                )
            return reopened

    def content_hashes(self, job_ids: Iterable[str]) -> dict[str, str]:
        """``{job id: content hash}`` of those of ``job_ids`` that are stored."""
        with Session(self.engine) as session:
            query = select(JobRow.id, JobRow.content_hash).where(JobRow.id.in_(list(job_ids)))
            return {job_id: digest for job_id, digest in session.execute(query)}

    def listing_hashes(self, source: str, board: str) -> dict[str, str]:
        """``{external id: listing hash}`` of a board's stored jobs (``AtsConnector.fetch``)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(JobRow.external_id, JobRow.listing_hash).where(
                    JobRow.source == source,
                    JobRow.board == board,
                    JobRow.listing_hash.is_not(None),
                )
            )
            return {external_id: digest for external_id, digest in rows if digest is not None}

    def mark_stale(self, now: datetime, days: float) -> tuple[int, int]:
        """Open jobs unconfirmed for ``days`` become stale; stale ones confirmed since are not.
        Returns ``(newly stale, no longer stale)``."""
        cutoff = now - timedelta(days=days)
        with Session(self.engine) as session, session.begin():
            stale = _rowcount(
                session.execute(
                    update(JobRow)
                    .where(
                        JobRow.stale_at.is_(None),
                        JobRow.closed_at.is_(None),
                        or_(JobRow.confirmed_at.is_(None), JobRow.confirmed_at < cutoff),
                    )
                    .values(stale_at=now)
                )
            )
            fresh = _rowcount(
                session.execute(
                    update(JobRow)
                    .where(JobRow.stale_at.is_not(None), JobRow.confirmed_at >= cutoff)
                    .values(stale_at=None)
                )
            )
            return stale, fresh

    # -- enrichment ---------------------------------------------------------------------------

    def jobs_to_enrich(
        self, version: str, *, after: str = "", limit: int = 200
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """Jobs never enriched, changed since, or enriched by another ``version``: ``(id,
        content_hash, enricher input)`` in id order, the first ``limit`` after id ``after``."""
        stale = or_(
            JobEnrichment.job_id.is_(None),
            JobEnrichment.version != version,
            JobEnrichment.content_hash != JobRow.content_hash,
        )
        return self._pending(JobEnrichment, stale, after, limit)

    def jobs_to_embed(
        self, model: str, *, after: str = "", limit: int = 200
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """Open jobs without an embedding from ``model`` of their current content (as above)."""
        stale = or_(
            JobEmbedding.job_id.is_(None),
            JobEmbedding.model != model,
            JobEmbedding.content_hash != JobRow.content_hash,
        )
        return self._pending(JobEmbedding, and_(stale, JobRow.closed_at.is_(None)), after, limit)

    def _pending(
        self, table: type[JobEnrichment | JobEmbedding], condition: Any, after: str, limit: int
    ) -> list[tuple[str, str, dict[str, Any]]]:
        columns = (
            JobRow.id,
            JobRow.content_hash,
            JobRow.title_raw,
            JobRow.description,
            JobRow.remote,
            JobRow.salary_min,
            JobRow.salary_max,
            JobRow.salary_currency,
            JobRow.salary_period,
        )
        query = (
            select(*columns)
            .outerjoin(table, table.job_id == JobRow.id)
            .where(condition, JobRow.id > after)
            .order_by(JobRow.id)
            .limit(limit)
        )
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        pending = []
        for job_id, digest, title, description, remote, low, high, currency, period in rows:
            text = compact.unpack_description(description)[1]
            salary = (
                models.Salary.model_validate(
                    {"min": low, "max": high, "currency": currency, "period": period}
                )
                if currency and period
                else None
            )
            row = {"id": job_id, "title": title, "text": text, "remote": remote, "salary": salary}
            pending.append((job_id, digest, row))
        return pending

    def save_enrichments(
        self, enriched: Sequence[tuple[str, str, models.Enrichment]], at: datetime
    ) -> None:
        """Store ``(job id, content hash, enrichment)`` triples, replacing older ones."""
        rows = [_enrichment_row(job_id, digest, result, at) for job_id, digest, result in enriched]
        self._upsert(JobEnrichment, rows)

    def save_embeddings(self, embedded: Sequence[tuple[str, str, bytes]], model: str) -> None:
        """Store ``(job id, content hash, float32 vector bytes)`` triples from ``model``."""
        rows = [
            {"job_id": job_id, "model": model, "content_hash": digest, "vector": vector}
            for job_id, digest, vector in embedded
        ]
        self._upsert(JobEmbedding, rows)

    def done_by_content(
        self, hashes: Iterable[str], *, version: str = "", model: str = ""
    ) -> dict[tuple[str, str], str]:
        """``(content hash, raw title)`` → the id of a job with that content and title whose
        enrichment by ``version`` (with ``model``: embedding by ``model``) is of its current
        content: what a re-post of the same content can copy instead of computing again."""
        table: type[JobEnrichment | JobEmbedding] = JobEmbedding if model else JobEnrichment
        made_by = JobEmbedding.model == model if model else JobEnrichment.version == version
        query = (
            select(JobRow.content_hash, JobRow.title_raw, JobRow.id)
            .join(table, table.job_id == JobRow.id)
            .where(table.content_hash.in_(list(hashes)), table.content_hash == JobRow.content_hash)
            .where(made_by)
        )
        with Session(self.engine) as session:
            return {(digest, title): job_id for digest, title, job_id in session.execute(query)}

    def _upsert(
        self, table: type[JobEnrichment | JobEmbedding], rows: list[dict[str, Any]]
    ) -> None:
        """Insert rows keyed by ``job_id``, replacing existing ones: in one statement, so that two
        processes enriching the same store at once cannot trip over each other's new rows."""
        if not rows:
            return
        from sqlalchemy.dialects import postgresql, sqlite

        # The two dialects' inserts share the upsert this needs (``excluded``, ``on_conflict``).
        statement: Any = (
            postgresql.insert(table)
            if self.engine.dialect.name == "postgresql"
            else sqlite.insert(table)
        )
        columns = {name: statement.excluded[name] for name in rows[0] if name != "job_id"}
        statement = statement.on_conflict_do_update(index_elements=["job_id"], set_=columns)
        what = f"the batch of {len(rows)} {table.__tablename__} being saved"
        with _rolled_back_when_full(what), Session(self.engine) as session, session.begin():
            session.execute(statement, rows)

    def get_enrichment(self, job_id: str) -> JobEnrichment | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(JobEnrichment, job_id)

    def get_embedding(self, job_id: str) -> JobEmbedding | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(JobEmbedding, job_id)

    def jobs_with_enrichments(self, job_ids: Iterable[str]) -> list[JobWithEnrichment]:
        """These jobs, each with its enrichment (None until enriched); unknown ids left out."""
        query = (
            select(JobRow, JobEnrichment)
            .outerjoin(JobEnrichment, JobEnrichment.job_id == JobRow.id)
            .where(JobRow.id.in_(list(job_ids)))
        )
        with Session(self.engine) as session:
            return [
                JobWithEnrichment(job, enrichment) for job, enrichment in session.execute(query)
            ]

    def has_embeddings(self, model: str) -> bool:
        """Whether any job has an embedding by ``model`` (open or not)."""
        query = select(JobEmbedding.job_id).where(JobEmbedding.model == model).limit(1)
        with Session(self.engine) as session:
            return session.execute(query).first() is not None

    def embedding_vectors(self, job_ids: Iterable[str], model: str) -> dict[str, bytes]:
        """job id → its embedding (float32 bytes) by ``model``, for those of ``job_ids`` that
        have one."""
        query = select(JobEmbedding.job_id, JobEmbedding.vector).where(
            JobEmbedding.job_id.in_(list(job_ids)), JobEmbedding.model == model
        )
        with Session(self.engine) as session:
            return {job_id: vector for job_id, vector in session.execute(query)}

    # -- reading ------------------------------------------------------------------------------

    def get_job(self, job_id: str) -> JobRow | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(JobRow, job_id)

    def raw_postings(self, job_id: str) -> list[RawPosting]:
        with Session(self.engine) as session:
            query = select(RawPosting).where(RawPosting.job_id == job_id).order_by(RawPosting.id)
            return list(session.scalars(query))

    def cluster_members(self, cluster_id: str) -> list[str]:
        with Session(self.engine) as session:
            query = select(JobRow.id).where(JobRow.cluster_id == cluster_id).order_by(JobRow.id)
            return list(session.scalars(query))

    def company_names(self) -> dict[str, int]:
        """Every company name the jobs give, with how many jobs (open or not) give it: what
        ``insights/company.py`` merges into companies."""
        count = func.count(JobRow.id)
        query = (
            select(JobRow.company, count)
            .where(JobRow.company.is_not(None))
            .group_by(JobRow.company)
        )
        with Session(self.engine) as session:
            return {name: n for name, n in session.execute(query) if name}

    def company_jobs(self, names: Iterable[str]) -> list[JobWithEnrichment]:
        """Every job — open, stale or closed — whose company is one of ``names`` (exactly as
        stored), each with its enrichment, in id order."""
        query = (
            select(JobRow, JobEnrichment)
            .outerjoin(JobEnrichment, JobEnrichment.job_id == JobRow.id)
            .where(JobRow.company.in_(list(names)))
            .order_by(JobRow.id)
        )
        with Session(self.engine, expire_on_commit=False) as session:
            return [
                JobWithEnrichment(job, enrichment) for job, enrichment in session.execute(query)
            ]

    def list_jobs(
        self, filters: JobFilters | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[JobRow]:
        """Jobs, newest first; a duplicate cluster shows once (its first open member)."""
        filters = filters or JobFilters()
        conditions = _filter_conditions(filters)
        # Only a source's own date says how new a posting is: undated ones come last.
        newest = (JobRow.posted_at.is_(None), JobRow.posted_at.desc(), JobRow.id)
        query = select(JobRow).where(*conditions)
        if filters.one_per_cluster:
            rank = (
                func.row_number()
                .over(
                    partition_by=JobRow.cluster_id,
                    order_by=(
                        JobRow.closed_at.is_not(None),
                        JobRow.id != JobRow.cluster_id,  # the cluster's first job, if open
                        JobRow.first_seen_at,
                        JobRow.id,
                    ),
                )
                .label("rank")
            )
            ranked = select(JobRow.id, rank).where(*conditions).subquery()
            query = select(JobRow).join(ranked, and_(ranked.c.id == JobRow.id, ranked.c.rank == 1))
        query = query.order_by(*newest).limit(limit).offset(offset)
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(query))

    def stats(self) -> dict[str, Any]:
        """Counts for ``leadboard stats``."""
        with Session(self.engine) as session:
            scalar = session.scalar
            jobs = scalar(select(func.count(JobRow.id))) or 0
            open_jobs = scalar(select(func.count(JobRow.id)).where(JobRow.closed_at.is_(None))) or 0
            stale = (
                scalar(
                    select(func.count(JobRow.id)).where(
                        JobRow.closed_at.is_(None), JobRow.stale_at.is_not(None)
                    )
                )
                or 0
            )
            clusters = scalar(select(func.count(func.distinct(JobRow.cluster_id)))) or 0

            def grouped(column: Any, limit: int | None = None) -> dict[str, int]:
                count = func.count(JobRow.id)
                query = select(column, count).group_by(column).order_by(count.desc(), column)
                rows = session.execute(query.limit(limit) if limit else query)
                return {str(key): n for key, n in rows}

            errors = func.count(IngestError.id)
            error_rows = session.execute(
                select(IngestError.reason, errors)
                .group_by(IngestError.reason)
                .order_by(errors.desc())
                .limit(15)
            )
            return {
                "jobs": jobs,
                "open": open_jobs - stale,
                "stale": stale,
                "closed": jobs - open_jobs,
                "raw_postings": scalar(select(func.count(RawPosting.id))) or 0,
                "clusters": clusters,
                "jobs_in_duplicate_clusters": jobs - clusters,
                "by_source": grouped(JobRow.source),
                "by_board": grouped(JobRow.source + ":" + JobRow.board, 15),
                "by_company": grouped(JobRow.company, 15),
                "by_remote": grouped(JobRow.remote),
                "with_salary": scalar(
                    select(func.count(JobRow.id)).where(JobRow.salary_currency.is_not(None))
                )
                or 0,
                "salary_currency": grouped(JobRow.salary_currency),
                "with_location": scalar(
                    select(func.count(JobRow.id)).where(JobRow.countries.is_not(None))
                )
                or 0,
                "errors": scalar(select(func.count(IngestError.id))) or 0,
                "errors_by_reason": {reason: n for reason, n in error_rows},
                "enriched": scalar(select(func.count(JobEnrichment.job_id))) or 0,
                "by_role_family": _counts(session, JobEnrichment.role_family),
                "by_seniority": _counts(session, JobEnrichment.seniority),
                "ml_leadership": scalar(
                    select(func.count(JobEnrichment.job_id)).where(
                        JobEnrichment.is_ml_leadership.is_(True)
                    )
                )
                or 0,
                "enrichment_versions": _counts(session, JobEnrichment.version),
                "embedded": scalar(select(func.count(JobEmbedding.job_id))) or 0,
                "boards": self.boards.counts(),
                "boards_in_trouble": self.boards.in_trouble(),
            }


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE changed (a DML statement's result is a cursor result)."""
    return cast("CursorResult[Any]", result).rowcount


def _counts(session: Session, column: Any) -> dict[str, int]:
    count = func.count()
    query = select(column, count).group_by(column).order_by(count.desc(), column)
    return {str(key): n for key, n in session.execute(query)}


def _filter_conditions(filters: JobFilters) -> list[Any]:
    conditions: list[Any] = []
    if not filters.include_closed:
        conditions += [JobRow.closed_at.is_(None), JobRow.stale_at.is_(None)]
    if filters.company:
        conditions.append(func.lower(JobRow.company) == filters.company.lower())
    if filters.source:
        conditions.append(JobRow.source == filters.source)
    if filters.remote:
        conditions.append(JobRow.remote == filters.remote)
    if filters.country:
        conditions.append(
            JobRow.countries.contains(f" {filters.country.upper()} ", autoescape=True)
        )
    if filters.title:
        pattern = filters.title.lower()
        conditions.append(func.lower(JobRow.title).contains(pattern, autoescape=True))
    if filters.with_salary:
        conditions.append(or_(JobRow.salary_min.is_not(None), JobRow.salary_max.is_not(None)))
    return conditions


def _set_in_chunks(session: Session, job_ids: Sequence[str], **values: Any) -> None:
    for start in range(0, len(job_ids), 500):
        session.execute(
            update(JobRow).where(JobRow.id.in_(job_ids[start : start + 500])).values(**values)
        )


def _raw_row(
    posting: models.SourcePosting, digest: str, run_id: int | None, origin: str | None
) -> dict[str, Any]:
    return {
        "job_id": posting.key,
        "source": posting.source,
        "board": posting.board,
        "external_id": posting.external_id,
        "url": posting.url,
        "origin": origin,
        "fetched_at": posting.fetched_at,
        "payload_hash": digest,
        "payload": posting.payload,  # packed by _pack_payloads
        "run_id": run_id,
    }


def _pack_payloads(
    session: Session,
    rows: list[dict[str, Any]],
    jobs: dict[str, JobRow | SimpleNamespace],
) -> None:
    """New payload rows packed against their jobs as they stand after the batch
    (``RawPosting``): the payload against the job's description, the URL left out where it is
    the job's. Before that, what the batch changes under older rows is written into them: a
    frame packed against a replaced description is packed again alone, a replaced URL is
    written where the rows left it out. Call before the session flushes the jobs (what they
    replace is read from the ORM's history)."""
    replaced: dict[str, bytes] = {}
    moved: dict[str, str | None] = {}
    for job_id, job in jobs.items():
        if isinstance(job, JobRow):
            state = inspect(job).attrs
            before = state.description.history.deleted
            if before and before[0] and before[0] != job.description:
                replaced[job_id] = before[0]
            urls = state.url.history.deleted
            if urls and urls[0] != job.url:
                moved[job_id] = urls[0]
    if replaced:
        marked = session.execute(
            select(RawPosting.id, RawPosting.job_id, RawPosting.frame).where(
                RawPosting.job_id.in_(replaced), RawPosting.with_description
            )
        ).all()
        alone = [
            {
                "id": key,
                "frame": compact.pack_payload(compact.unpack_payload(frame, replaced[job_id])),
                "with_description": False,
            }
            for key, job_id, frame in marked
        ]
        if alone:
            session.execute(update(RawPosting), alone)
    for job_id, url in moved.items():
        session.execute(
            update(RawPosting)
            .where(RawPosting.job_id == job_id, RawPosting.own_url.is_(None))
            .values(own_url=url or "")
        )
    for row in rows:
        job = jobs[row["job_id"]]
        row["frame"] = compact.pack_payload(without_nul(row.pop("payload")), job.description)
        row["with_description"] = job.description is not None
        url = row.pop("url")
        row["own_url"] = None if url is not None and url == job.url else (url or "")


def _enrichment_row(
    job_id: str, digest: str, result: models.Enrichment, at: datetime
) -> dict[str, Any]:
    skill_detail, evidence = compact.split_detail(result.model_dump(mode="json"))
    return {
        "job_id": job_id,
        "version": result.model_version,
        "content_hash": digest,
        "enriched_at": at,
        "role_family": result.role_family,
        "ml_leadership": result.ml_leadership,
        "is_ml_leadership": result.is_ml_leadership,
        "seniority": result.seniority,
        "years_min": result.years_min,
        "years_max": result.years_max,
        "skills": [skill.name for skill in result.skills],
        "duties": list(result.duties),
        "skill_detail": skill_detail,
        "evidence": evidence,
    }


def _error_row(reject: Reject, run_id: int | None, at: datetime) -> IngestError:
    sample = reject.sample[:SAMPLE_CHARS] if reject.sample else None
    return IngestError(
        run_id=run_id,
        source=reject.source,
        location=reject.where,
        reason=reject.reason,
        sample=sample,
        created_at=at,
    )
