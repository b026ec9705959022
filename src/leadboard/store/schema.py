"""SQLAlchemy table definitions: the store's schema (migrations live in ``migrations/``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

from leadboard.store import compact


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and read back tz-aware, on SQLite (which drops zones) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def without_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters; they carry nothing, so both drop them."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


class CleanText(TypeDecorator[str]):
    impl: type[TypeEngine[str]] = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return without_nul(value)


class CleanString(CleanText):
    impl = String
    cache_ok = True


class CleanJSON(TypeDecorator[Any]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return without_nul(value)


class ZstdJSON(TypeDecorator[Any]):
    """A JSON value kept as a zstd frame (``store/compact.py``); read back as the value. Never
    queried inside, only read whole."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        return None if value is None else compact.pack_json(without_nul(value))

    def process_result_value(self, value: bytes | None, dialect: Any) -> Any:
        return None if value is None else compact.unpack_json(value)


class SmallVector(TypeDecorator[bytes]):
    """A float32 vector kept as int8 steps with a scale (``compact.quantize``: a quarter of the
    bytes; float16 until migration 0014), read back as float32 bytes."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else compact.quantize(value)

    def process_result_value(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else compact.dequantize(value)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: CleanJSON, list[Any]: CleanJSON, datetime: UTCDateTime}


class IngestRun(Base):
    """One `crawl` or `import`: what was asked, when, and what came of it."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(CleanString(20))  # crawl | import | crawl-page
    args: Mapped[list[Any]] = mapped_column(default=list)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(CleanString(20), default="running")  # ok | rejects | failed
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RawPosting(Base):
    """A payload exactly as a source gave it; a new row only when the payload changes. The
    payload is read whole, by ``leadboard show``: ``frame`` holds it compressed
    (``compact.pack_payload``), against the job's description where ``with_description`` says
    so (migration 0014: the payload repeats the description, ~1.5 KB a posting). Such a frame
    reads back only with the job's description of the time: ``Store.save_batch`` re-packs a job's
    marked frames alone before it changes the description (and writes the job's URL into the rows
    that leave it out before it changes the URL).
    """

    __tablename__ = "raw_postings"
    __table_args__ = (UniqueConstraint("job_id", "payload_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(CleanString(400))  # the unique index leads with it
    source: Mapped[str] = mapped_column(CleanString(40))
    board: Mapped[str] = mapped_column(CleanString(200))
    external_id: Mapped[str] = mapped_column(CleanString(200))
    # The posting's URL; None where it is the job's, "" where it had none (0014: ~110 B a row).
    own_url: Mapped[str | None] = mapped_column("url", CleanText)
    origin: Mapped[str | None] = mapped_column(CleanText)  # API URL or dump file it came from
    fetched_at: Mapped[datetime]
    payload_hash: Mapped[str] = mapped_column(CleanString(64))
    frame: Mapped[bytes] = mapped_column("payload", LargeBinary)
    with_description: Mapped[bool] = mapped_column(default=False, server_default=false())
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"))
    job: Mapped[Job] = relationship(
        primaryjoin="foreign(RawPosting.job_id) == Job.id", viewonly=True, lazy="joined"
    )

    @property
    def url(self) -> str | None:
        return self.job.url if self.own_url is None else self.own_url or None

    @property
    def payload(self) -> dict[str, Any]:
        description = self.job.description if self.with_description else None
        return dict(compact.unpack_payload(self.frame, description))


class Job(Base):
    """A normalised posting, one row per ``{source}:{board}:{external_id}``.

    Its description, sanitised HTML and plain text, is one compressed ``description`` blob
    (``compact.pack_description``), read and written as ``description_html`` and
    ``description_text``.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_source_board", "source", "board"),
        Index("ix_jobs_cluster", "cluster_id"),
    )

    id: Mapped[str] = mapped_column(CleanString(400), primary_key=True)
    source: Mapped[str] = mapped_column(CleanString(40))
    board: Mapped[str] = mapped_column(CleanString(200))
    external_id: Mapped[str] = mapped_column(CleanString(200))
    url: Mapped[str | None] = mapped_column(CleanText)
    title: Mapped[str] = mapped_column(CleanText)
    title_raw: Mapped[str] = mapped_column(CleanText)
    company: Mapped[str | None] = mapped_column(CleanString(300), index=True)
    description: Mapped[bytes | None] = mapped_column(LargeBinary)
    locations: Mapped[list[Any]] = mapped_column(default=list)
    location_raw: Mapped[str | None] = mapped_column(CleanText)
    countries: Mapped[str | None] = mapped_column(CleanString(200))  # " US GB " for cheap filtering
    remote: Mapped[str] = mapped_column(CleanString(10), default="unknown")
    remote_regions: Mapped[list[Any]] = mapped_column(default=list)
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_currency: Mapped[str | None] = mapped_column(CleanString(3))
    salary_period: Mapped[str | None] = mapped_column(CleanString(5))
    employment_type: Mapped[str | None] = mapped_column(CleanString(100))
    requisition_id: Mapped[str | None] = mapped_column(CleanString(200))
    posted_at: Mapped[datetime | None]
    source_updated_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]  # when the content last changed after the first sighting
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    # The latest moment the posting is known to have been open: a crawl's fetch time, or the
    # end of a dump's snapshot period (never an import time when the dump's date is known).
    confirmed_at: Mapped[datetime | None]
    snapshot: Mapped[str | None] = mapped_column(CleanString(10))  # a dump's date: "2018"…
    stale_at: Mapped[datetime | None]  # set when unconfirmed for too long (repository.mark_stale)
    listing_hash: Mapped[str | None] = mapped_column(CleanString(16))  # see sources/base.py
    content_hash: Mapped[str] = mapped_column(CleanString(64))
    cluster_id: Mapped[str] = mapped_column(CleanString(400))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # near-duplicate signature
    warnings: Mapped[list[Any]] = mapped_column(default=list)

    @property
    def description_html(self) -> str:
        return compact.unpack_description(self.description)[0]

    @description_html.setter
    def description_html(self, html: str) -> None:
        self.set_description(html, self.description_text)

    @property
    def description_text(self) -> str:
        return compact.unpack_description(self.description)[1]

    @description_text.setter
    def description_text(self, text: str) -> None:
        self.set_description(self.description_html, text)

    def set_description(self, html: str, text: str) -> None:
        self.description = compact.pack_description(without_nul(html), without_nul(text))


class Board(Base):
    """A job board Leadboard knows (the shipped registry, the curated list, or added by the user)
    and how crawling it goes: what ``leadboard boards`` shows and the scheduler reads."""

    __tablename__ = "boards"

    spec: Mapped[str] = mapped_column(CleanString(300), primary_key=True)  # kind:token
    kind: Mapped[str] = mapped_column(CleanString(40), index=True)
    token: Mapped[str] = mapped_column(CleanString(260))
    company: Mapped[str | None] = mapped_column(CleanString(300))
    url: Mapped[str | None] = mapped_column(CleanText)
    origin: Mapped[str] = mapped_column(CleanString(20))  # curated | registry | user
    ml_heavy: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    removed: Mapped[bool] = mapped_column(default=False)  # the user removed it: never re-added
    # new | ok | failing | quarantined
    status: Mapped[str] = mapped_column(CleanString(20), default="new")
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row
    last_error: Mapped[str | None] = mapped_column(CleanText)
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)
    interval_s: Mapped[int] = mapped_column(Integer, default=3600)
    empty_streak: Mapped[int] = mapped_column(Integer, default=0)  # empty listings in a row


class IngestError(Base):
    """A record that was skipped, or a board that failed, and why."""

    __tablename__ = "ingest_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"), index=True)
    source: Mapped[str] = mapped_column(CleanText)
    location: Mapped[str] = mapped_column(CleanText)  # record id, line number or URL
    reason: Mapped[str] = mapped_column(CleanText)
    sample: Mapped[str | None] = mapped_column(CleanText)
    created_at: Mapped[datetime]


class JobEnrichment(Base):
    """What enrichment found in a job, and which model version found it (one row a job).

    The columns search filters on are columns; ``detail`` is the whole ``Enrichment`` (the
    evidence, taxonomy ids, reasons), kept in two compressed parts: ``skill_detail`` (what
    matching reads) and the rest, ``evidence`` (``compact.split_detail``; migration 0013 made
    the first a frame too). ``content_hash`` is the job's when it was enriched: a job whose
    content or the enricher's version has changed since is enriched again.
    """

    __tablename__ = "enrichments"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    version: Mapped[str] = mapped_column(CleanString(100))
    content_hash: Mapped[str] = mapped_column(CleanString(64), index=True)  # done_by_content
    enriched_at: Mapped[datetime]
    # Not indexed (0013): search filters its own columns in memory (search/columns.py).
    role_family: Mapped[str | None] = mapped_column(CleanString(20))
    ml_leadership: Mapped[float | None] = mapped_column(Float)
    is_ml_leadership: Mapped[bool | None]
    seniority: Mapped[str] = mapped_column(CleanString(20))
    years_min: Mapped[int | None]
    years_max: Mapped[int | None]
    skills: Mapped[list[Any]] = mapped_column(default=list)  # canonical skill names
    duties: Mapped[list[Any]] = mapped_column(default=list)
    skill_detail: Mapped[dict[str, Any]] = mapped_column(ZstdJSON(), default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(ZstdJSON(), default=dict)

    @property
    def detail(self) -> dict[str, Any]:
        return compact.join_detail(self.skill_detail, self.evidence)


class JobEmbedding(Base):
    """A job's sentence embedding (float32 bytes, kept as int8 steps), with the model that made
    it."""

    __tablename__ = "embeddings"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    model: Mapped[str] = mapped_column(CleanString(100))
    content_hash: Mapped[str] = mapped_column(CleanString(64), index=True)  # done_by_content
    vector: Mapped[bytes] = mapped_column(SmallVector)


class SearchDocument(Base):
    """A job as search sees it: its text and the facts it is filtered and faceted by, from the
    job and its enrichment, flattened into one row (``search/index.py`` keeps it in step).

    Its text is the job's (the description once, in ``jobs``): ``body_chars`` says how much of
    the job's description text the full-text index holds. That index is backend-specific and
    lives beside the rows, outside the models (see ``BACKEND_OBJECTS``), written by
    ``search/documents.py``: a contentless FTS5 table on SQLite (``search_fts``, migration
    0010), a ``tsvector`` column with a GIN index on PostgreSQL.
    """

    __tablename__ = "search_documents"
    # Filters, facets and orders run over search/columns.py: no index on their columns (0012).

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), unique=True)
    doc_key: Mapped[str] = mapped_column(CleanString(64))  # what it was built from; see index.py
    cluster_id: Mapped[str] = mapped_column(CleanString(400), index=True)
    is_open: Mapped[bool]
    is_head: Mapped[bool] = mapped_column(default=False)  # the one member a listing shows
    title: Mapped[str] = mapped_column(CleanText)
    company: Mapped[str] = mapped_column(CleanText, default="")
    skills: Mapped[str] = mapped_column(CleanText, default="")  # canonical names, for matching
    body_chars: Mapped[int] = mapped_column(Integer, default=0)  # of the job's text, indexed
    role_family: Mapped[str | None] = mapped_column(CleanString(20))
    ml_leadership: Mapped[float | None] = mapped_column(Float)
    seniority: Mapped[str] = mapped_column(CleanString(20), default="unknown")
    years_min: Mapped[int | None]
    remote: Mapped[str] = mapped_column(CleanString(10), default="unknown")
    salary_currency: Mapped[str | None] = mapped_column(CleanString(3))
    salary_year_min: Mapped[float | None] = mapped_column(Float)  # in its own currency, a year
    salary_year_max: Mapped[float | None] = mapped_column(Float)
    posted_at: Mapped[datetime | None]  # as the source gave it; None when it gave none
    visa: Mapped[bool] = mapped_column(default=False)  # says it sponsors visas (index.py)


class SearchState(Base):
    """One row: how many times ``search_documents`` changed, so that a search process holding
    a snapshot of them (``search/columns.py``) knows when to read them again."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class SearchTag(Base):
    """Many-valued facts of a search document — its skills, countries and cities — one a row,
    for filters (``EXISTS``) and facet counts (``GROUP BY value``)."""

    __tablename__ = "search_tags"
    __table_args__ = (
        Index("ix_search_tags_kind_value", "kind", "value", "document_id"),
        {"sqlite_with_rowid": False},  # the primary key is the table (migration 0012)
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("search_documents.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(CleanString(10), primary_key=True)  # skill|country|city
    value: Mapped[str] = mapped_column(CleanString(200), primary_key=True)


# --- The job seeker's workspace (``workspace/store.py`` ``Workspace`` owns these; migration 0007)
# Every row belongs to an ``owner``: "local" (one user on a laptop) until per-token users come.
LOCAL_OWNER = "local"


class SavedSearch(Base):
    """A search kept by name: its query, filters (``SearchFilters``' fields that differ from the
    defaults) and sort, and when its owner last looked at its results."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(
        CleanString(200), default=LOCAL_OWNER, server_default=LOCAL_OWNER, index=True
    )
    name: Mapped[str] = mapped_column(CleanString(200))
    query: Mapped[str] = mapped_column(CleanText, default="")
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sort: Mapped[str] = mapped_column(CleanString(20), default="relevance")
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]  # postings first seen after it are "new"


class AlertDelivery(Base):
    """One posting announced by one saved search on one channel (email, webhook…): made once,
    so a posting is announced once; retried while ``status`` is not ``sent``."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("saved_search_id", "job_id", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(
        CleanString(200), default=LOCAL_OWNER, server_default=LOCAL_OWNER
    )
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[str] = mapped_column(CleanString(400))
    channel: Mapped[str] = mapped_column(CleanString(20))
    # sent | failed (retried) | gave_up | dropped: workspace/store.py DeliveryStatus
    status: Mapped[str] = mapped_column(CleanString(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(CleanText)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SavedJob(Base):
    """A job its owner saved, hid or applied to, and where the application stands:
    saved | hidden | applied | interviewing | offer | rejected | withdrawn."""

    __tablename__ = "saved_jobs"
    __table_args__ = (UniqueConstraint("owner", "job_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(
        CleanString(200), default=LOCAL_OWNER, server_default=LOCAL_OWNER
    )
    job_id: Mapped[str] = mapped_column(CleanString(400), index=True)
    state: Mapped[str] = mapped_column(CleanString(20), default="saved")
    notes: Mapped[str] = mapped_column(CleanText, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ApplicationEvent(Base):
    """A step of an application (a ``saved_jobs`` state reached), with its date and a note."""

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_owner_job", "owner", "job_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(
        CleanString(200), default=LOCAL_OWNER, server_default=LOCAL_OWNER
    )
    job_id: Mapped[str] = mapped_column(CleanString(400))
    state: Mapped[str] = mapped_column(CleanString(20))
    at: Mapped[datetime]
    note: Mapped[str] = mapped_column(CleanText, default="")


class User(Base):
    """Someone the served app knows by a token of their own (``leadboard users add NAME``): their
    requests read and write the workspace rows whose ``owner`` is ``name``. Only the token's
    SHA-256 is kept (migration 0008)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(CleanString(200), unique=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


# Objects the migrations make for one backend only, which the models do not describe: the
# full-text objects (migrations 0003 and 0010: on SQLite with the replaced texts the full-text
# index still holds) and PostgreSQL's vector table (0006, with the HNSW indexes
# ``search/vectors.py`` makes on it, one a dimension), and PostgreSQL's per-word scores (0011).
BACKEND_OBJECTS = {
    "search_fts",
    "search_replaced_text",
    "search_vector",
    "ix_search_documents_search_vector",
    "search_words",
    "ix_search_words_best",
    "ix_search_words_document",
    "job_vectors",
}


def managed_by_models(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's ``include_object``: leave the backend-specific search objects (and FTS5's own
    shadow tables) out of model comparisons."""
    return not (
        name
        and (name in BACKEND_OBJECTS or name.startswith(("search_fts_", "ix_job_vectors_hnsw")))
    )
