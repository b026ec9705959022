"""The search tables' one owner: every read and write of ``search_documents``, ``search_tags``,
``search_state`` and the full-text objects beside them (SQLite's ``search_fts``, PostgreSQL's
``search_vector``) goes through :class:`SearchDocuments`, and answers in typed rows.

``search/index.py`` decides *what* a document says (from a job and its enrichment) and hands
:class:`Document` rows to :meth:`SearchDocuments.save`; the engine, its columns and word scores,
the matcher and the market pages read through the other methods. A schema change of these
tables is checked against this module alone (``docs/architecture.md`` §3).

A document's text is kept once, as the job's description: a row says how much of it the index
holds (``body_chars``). SQLite's ``search_fts`` is a contentless FTS5 table, and FTS5 removes a
row only when told the text it indexed: the job's text now, or the description it had when a
change replaced it (``search_replaced_text``, kept by triggers on ``jobs`` until the next sync:
migration 0010). PostgreSQL's ``search_vector`` is written here, from the same text.

>>> from leadboard.store.repository import Store
>>> documents = SearchDocuments(Store.open("sqlite://"))
>>> documents.generation(), documents.count(), documents.facts().ids
(0, 0, [])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, defer

from leadboard.store import compact
from leadboard.store.repository import JobWithEnrichment, Store
from leadboard.store.schema import (
    Job,
    JobEmbedding,
    JobEnrichment,
    SearchDocument,
    SearchState,
    SearchTag,
    without_nul,
)

BM25_WEIGHTS = "8.0, 2.0, 3.0, 1.0"  # search_fts columns: title, company, skills, body
CHUNK = 1000  # ids a query asks for at once (SQLite and PostgreSQL cap bound parameters)
FETCH = 10_000  # rows read at once where a query walks every job


class Tag(NamedTuple):
    """One many-valued fact of a document: a skill, a country or a city."""

    kind: str  # skill | country | city
    value: str


@dataclass
class Document:
    """A search document as ``search/index.py`` builds it from a job and its enrichment."""

    job_id: str
    doc_key: str  # what it was built from (index.py): a changed key rebuilds it
    cluster_id: str
    is_open: bool
    title: str
    company: str
    skills: str
    body: str
    role_family: str | None
    ml_leadership: float | None
    seniority: str
    years_min: int | None
    remote: str
    salary_currency: str | None
    salary_year_min: float | None
    salary_year_max: float | None
    posted_at: datetime | None
    visa: bool
    tags: list[Tag] = field(default_factory=list)

    def columns(self) -> dict[str, Any]:
        """The ``search_documents`` row's values (the tags go to ``search_tags``; the text is
        the job's, the row says how much of it is indexed)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_KEPT}
        return values | {"body_chars": len(self.body)}


_NOT_KEPT = {"tags", "body"}


@dataclass(frozen=True, slots=True)
class IndexedJob:
    """A stored job as the index last saw it: what decides whether its document is rebuilt."""

    job_id: str
    content_hash: str
    closed: bool  # closed or stale: not open as far as search goes
    cluster_id: str
    enrichment_version: str | None
    enrichment_hash: str | None
    doc_key: str | None  # its document's key; None when it has no document yet


@dataclass(frozen=True)
class Settled:
    """What ``SearchDocuments.settle`` did."""

    removed: int  # documents whose job is gone
    total: int  # documents now


@dataclass(frozen=True)
class DocumentFacts:
    """Every document's filter and facet facts, one list a column in id order, and every tag
    (three parallel lists): what ``columns.DocumentColumns`` is built from."""

    generation: int
    ids: list[int]
    is_head: list[bool]
    is_open: list[bool]
    role_family: list[str | None]
    ml_leadership: list[float | None]
    seniority: list[str]
    years_min: list[int | None]
    remote: list[str]
    company: list[str]
    salary_currency: list[str | None]
    salary_year_max: list[float | None]
    posted_at: list[datetime | None]
    cluster_id: list[str]
    visa: list[bool]
    title: list[str]
    has_body: list[bool]  # False: a title-only posting (many AI labs' records)
    has_url: list[bool]  # False: no URL to apply at (it ranks a little lower, engine._signals)
    tag_documents: list[int]
    tag_kinds: list[str]
    tag_values: list[str]


_FACT_COLUMNS = (
    "id",
    "is_head",
    "is_open",
    "role_family",
    "ml_leadership",
    "seniority",
    "years_min",
    "remote",
    "company",
    "salary_currency",
    "salary_year_max",
    "posted_at",
    "cluster_id",
    "visa",
)


@dataclass(frozen=True)
class Ranked:
    """Documents a full-text query matches, with the full-text engine's own score of each
    (``fts_scores``: FTS5's BM25, lower is better; ``ts_ranks``: PostgreSQL's ``ts_rank_cd``,
    higher is better, the benchmarks' and tests' reference now that search ranks in memory)."""

    ids: np.ndarray  # int64
    scores: np.ndarray  # float64


class TermCount(NamedTuple):
    """A token of the SQLite full-text index (a lexeme of PostgreSQL's ``search_vector``) and
    how many documents hold it."""

    term: str
    documents: int


class WordPostings(NamedTuple):
    """PostgreSQL: the documents holding one lexeme (ids ascending, int64), and those of them
    ``search_words`` scores (ids ascending, int64; scores, float32)."""

    ids: np.ndarray
    scored_ids: np.ndarray
    scores: np.ndarray


@dataclass(frozen=True, slots=True)
class PostingDates:
    """A document's job and its dates (``SearchDocuments.dates_of``): what a saved search's feed
    orders by and its "new since you last looked" counts (``workspace/searches.py``)."""

    document_id: int
    job_id: str
    posted_at: datetime | None  # the source's date; None when it gave none
    first_seen_at: datetime
    open: bool  # neither closed nor stale, as the job says now


@dataclass(frozen=True, slots=True)
class CardFacts:
    """What a result card shows of a job and its enrichment (``engine.job_card``): read for a
    page of results as plain columns (``SearchDocuments.cards_of``), not as ORM objects, whose
    loading (every column, every JSON one decoded) was a tenth of a search's CPU."""

    id: str
    title: str
    company: str | None
    locations: list[Any] | None
    location_raw: str | None
    countries: str | None
    remote: str
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None
    posted_at: datetime | None
    first_seen_at: datetime | None
    snapshot: str | None
    stale_at: datetime | None
    closed_at: datetime | None
    url: str | None
    enriched: bool
    seniority: str | None
    role_family: str | None
    ml_leadership: float | None
    skills: list[Any] | None
    years_min: int | None
    description: bytes | None = None  # the job's, compressed (``cards_of`` only): the snippet's

    @classmethod
    def of(cls, job: Job, enrichment: JobEnrichment | None) -> CardFacts:
        """The card's facts of a job and its enrichment loaded as ORM objects."""
        values = {name: getattr(job, name) for name in _CARD_JOB}
        values |= {name: getattr(enrichment, name, None) for name in _CARD_ENRICHMENT}
        return cls(**values, enriched=enrichment is not None)


_CARD_JOB = tuple(f.name for f in fields(CardFacts)[:17])
_CARD_ENRICHMENT = tuple(f.name for f in fields(CardFacts)[18:23])


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    cluster_id: str


class StoredVector(NamedTuple):
    """An embedding the vector index should hold for a document, and the content it is of."""

    content_hash: str
    vector: bytes  # float32, little-endian


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What matching reads of one document (``match/scoring.py``)."""

    document_id: int
    job_id: str
    role_family: str | None
    seniority: str
    years_min: int | None
    years_max: int | None
    duties: list[str]
    skills: list[dict[str, Any]]  # the enrichment's skill details: name, required, evidence
    title: str = ""  # what kind of work it is (research, engineering, management)
    remote_regions: tuple[str, ...] = ()  # where a remote job may be done from ("US", "Europe")


@dataclass(frozen=True, slots=True)
class PostingFacts:
    """What the market pages read of one document (``insights/figures.py``)."""

    id: int
    company: str
    source: str  # "greenhouse:anthropic": the job's source and board
    remote: str
    seniority: str
    years_min: int | None
    salary_currency: str | None
    salary_year_min: float | None
    salary_year_max: float | None
    posted_at: datetime | None  # the job's, as its source gave it
    enriched: bool
    described: bool  # it has a description to read
    duties: list[str]
    skills: list[str]
    countries: list[str]
    cities: list[str]


class SearchDocuments:
    """The search tables of one store (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        self.dialect = store.engine.dialect.name
        self._held = threading.local()  # this thread's connection, inside ``reading``

    @contextmanager
    def reading(self) -> Iterator[None]:
        """PostgreSQL: the reads of this thread inside it (a search's: the generation, its words,
        matches, ranks and page) share one pooled connection, in autocommit: one checkout and
        one pre-ping a search, and no BEGIN and ROLLBACK a statement (read committed reads each
        statement from a snapshot of its own either way). A connection a statement was 4 round
        trips to the server a statement. SQLite: nothing changes.

        >>> from leadboard.store.repository import Store
        >>> documents = SearchDocuments(Store.open("sqlite://"))
        >>> with documents.reading():
        ...     documents.generation()
        0
        """
        if self.dialect == "sqlite" or getattr(self._held, "connection", None) is not None:
            yield
            return
        with self.engine.connect() as connection:
            self._held.connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            try:
                yield
            finally:
                self._held.connection = None

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """The connection ``reading`` holds in this thread, else one of the pool's."""
        held = getattr(self._held, "connection", None)
        if held is not None:
            yield held
            return
        with self.engine.connect() as connection:
            yield connection

    # -- the generation --------------------------------------------------------------------

    def generation(self) -> int:
        """How many times the documents changed (0 for a store never indexed)."""
        with self._connection() as connection:
            return _generation(connection)

    def count(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count(SearchDocument.id))) or 0

    # -- writing (search/index.py) ---------------------------------------------------------

    def indexed_jobs(self) -> Iterator[IndexedJob]:
        """Every stored job with what its document was built from, read a batch at a time (at
        a million jobs, the whole list took ~0.9 GB while a sync looked through it)."""
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
            .execution_options(yield_per=FETCH)
        )
        with Session(self.engine) as session:
            for job_id, digest, closed, cluster, version, enriched, key in session.execute(query):
                yield IndexedJob(job_id, digest, bool(closed), cluster, version, enriched, key)

    def save(self, documents: Sequence[Document]) -> int:
        """Write these documents, their tags and their full text, in one transaction; a job's
        existing document is updated in place (its id, the full-text and vector rowid, stays)."""
        if not documents:
            return 0
        job_ids = [d.job_id for d in documents]
        with Session(self.engine) as session, session.begin():
            existing = dict(
                session.execute(
                    select(SearchDocument.job_id, SearchDocument.id).where(
                        SearchDocument.job_id.in_(job_ids)
                    )
                ).all()
            )
            text_ = _FullText(session, self.dialect, job_ids)
            text_.remove(existing.values())
            for document in documents:
                values = document.columns()
                document_id = existing.get(document.job_id)
                if document_id is None:
                    document_id = session.execute(
                        insert(SearchDocument).values(**values).returning(SearchDocument.id)
                    ).scalar_one()
                else:
                    session.execute(
                        update(SearchDocument)
                        .where(SearchDocument.id == document_id)
                        .values(**values)
                    )
                    session.execute(delete(SearchTag).where(SearchTag.document_id == document_id))
                text_.add(document_id, document)
                if document.tags:
                    session.execute(
                        insert(SearchTag),
                        [
                            {"document_id": document_id, "kind": kind, "value": value}
                            for kind, value in document.tags
                        ],
                    )
        return len(documents)

    def settle(self, changed: bool) -> Settled:
        """Drop the documents whose job is gone; when anything changed (``changed``, or a
        drop), mark one head a duplicate cluster again and move the generation on."""
        with Session(self.engine) as session, session.begin():
            # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN (subquery) as a hashed subplan
            # only while the ids fit in work_mem, else row by row (134k: over 9 minutes).
            orphans = select(SearchDocument.id, SearchDocument.job_id).where(
                ~select(Job.id).where(Job.id == SearchDocument.job_id).exists()
            )
            gone_jobs = dict(session.execute(orphans).all())
            gone = list(gone_jobs)
            if gone:
                _FullText(session, self.dialect, list(gone_jobs.values())).remove(gone)
                session.execute(delete(SearchTag).where(SearchTag.document_id.in_(gone)))
                session.execute(delete(SearchDocument).where(SearchDocument.id.in_(gone)))
            if changed or gone:
                _mark_cluster_heads(session)
                _count_a_change(session)
            total = session.scalar(select(func.count(SearchDocument.id))) or 0
        return Settled(removed=len(gone), total=total)

    def merge_full_text(self) -> None:
        """SQLite: merge the full-text index into one segment (FTS5's ``optimize``). A document
        rewritten stays in its old segment, marked deleted, until a merge reaches it: a store
        whose documents were all rewritten once (an import, then its enrichment) holds twice the
        index it needs. About a CPU-second a 30k documents; PostgreSQL: nothing to do."""
        if self.dialect == "sqlite":
            with Session(self.engine) as session, session.begin():
                session.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))

    # -- reading: the engine -----------------------------------------------------------------

    def facts(self) -> DocumentFacts:
        """Every document's facts and tags, with the generation they are of (one transaction:
        the three agree)."""
        d = SearchDocument
        with Session(self.engine) as session:
            generation = _generation(session)
            rows = session.execute(
                select(
                    *(getattr(d, name) for name in _FACT_COLUMNS),
                    d.title,
                    d.body_chars > 0,
                    Job.url.is_not(None),
                )
                .outerjoin(Job, Job.id == d.job_id)
                .order_by(d.id)
            ).all()
            tags = session.execute(
                select(SearchTag.document_id, SearchTag.kind, SearchTag.value)
            ).all()
        columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] if rows else []
        columns = columns or [[] for _ in range(len(_FACT_COLUMNS) + 3)]
        tag_columns: list[list[Any]] = [list(c) for c in zip(*tags, strict=True)] if tags else []
        tag_columns = tag_columns or [[], [], []]
        return DocumentFacts(generation, *columns, *tag_columns)

    def fts_scores(self, expression: str) -> Ranked:
        """SQLite: FTS5's BM25 (``BM25_WEIGHTS``) of every document matching ``expression``
        (an FTS5 query), in no particular order."""
        with Session(self.engine) as session:
            rows = session.execute(
                text(
                    f"SELECT rowid, bm25(search_fts, {BM25_WEIGHTS}) FROM search_fts "
                    "WHERE search_fts MATCH :expression"
                ),
                {"expression": expression},
            ).all()
        return Ranked(
            np.array([row[0] for row in rows], dtype=np.int64),
            np.array([row[1] for row in rows], dtype=np.float64),
        )

    def fts_common_terms(self, min_documents: int) -> list[TermCount]:
        """SQLite: the full-text index's tokens held by ``min_documents`` documents or more."""
        with Session(self.engine) as session:
            # fts5vocab is a per-connection view of the index: made where it is read.
            session.execute(
                text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_rows "
                    "USING fts5vocab(main, search_fts, 'row')"
                )
            )
            rows = session.execute(
                text("SELECT term, doc FROM temp.search_fts_rows WHERE doc >= :rows"),
                {"rows": min_documents},
            ).all()
        return [TermCount(term, int(documents)) for term, documents in rows]

    def knows(self, word: str) -> bool:
        """SQLite: whether any document holds ``word`` (as FTS5 reads it: stemmed; PostgreSQL's
        engine asks ``pg_words.PgWordScores.knows``).

        >>> from leadboard.store.repository import Store
        >>> SearchDocuments(Store.open("sqlite://")).knows("training")
        False
        """
        quoted = '"' + word.replace('"', '""') + '"'
        with self._connection() as session:
            found = session.execute(
                text("SELECT 1 FROM search_fts WHERE search_fts MATCH :word LIMIT 1"),
                {"word": quoted},
            )
            return found.first() is not None

    def ts_ranks(
        self, terms: Sequence[str], *, every: bool = True, among: Sequence[int] | None = None
    ) -> Ranked:
        """PostgreSQL: ``ts_rank_cd`` of the documents matching every (or any) of ``terms``
        (only those of ``among``, where given: each rank reads the document's whole vector)."""
        asked: dict[str, Any] = {"query": _pg_query(terms, every)}
        if among is not None:
            asked["ids"] = [int(i) for i in among]
        with self._connection() as connection:
            rows = connection.execute(_PG_RANKS if among is None else _PG_RANKS_AMONG, asked).all()
        return Ranked(
            np.array([row[0] for row in rows], dtype=np.int64),
            np.array([row[1] for row in rows], dtype=np.float64),
        )

    def lexemes(self, words: Sequence[str]) -> list[tuple[str, ...]]:
        """PostgreSQL: each of ``words``' lexemes as ``search_vector`` holds them (the english
        configuration's stems of ``_pg_term``'s letters and digits, as ``to_tsquery`` reads the
        word; none for a stop word), in one round trip.

        >>> from leadboard.store.repository import Store
        >>> SearchDocuments(Store.open("sqlite://")).lexemes([])
        []
        """
        if not words:
            return []
        cleaned = [_pg_term(word).strip("'") for word in words]
        with self._connection() as connection:
            rows = connection.execute(_PG_LEXEMES, {"words": cleaned}).all()
        return [tuple(row[0]) for row in rows]

    def word_counts(self, min_documents: int) -> list[TermCount]:
        """PostgreSQL: the lexemes ``min_documents`` documents or more hold (``ts_stat``: one
        pass over every vector)."""
        with self._connection() as connection:
            rows = connection.execute(_PG_WORD_COUNTS, {"rows": min_documents}).all()
        return [TermCount(word, int(documents)) for word, documents in rows]

    def word_postings(self, word: str) -> WordPostings:
        """PostgreSQL: the documents holding the lexeme ``word``, from the GIN index, with its
        scores in ``search_words``. Outside a search (``reading``) the planner is kept from
        scanning the table for a common word (the index names its documents for a fraction of
        reading every vector: a parallel scan of 3.9 GB at a million postings)."""
        asked = {"query": "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"}
        asked["word"] = word
        held = getattr(self._held, "connection", None)
        with nullcontext(held) if held is not None else self.engine.begin() as connection:
            if held is None:
                connection.execute(text("SET LOCAL enable_seqscan = off"))
            ids, scored = connection.execute(_PG_POSTINGS, asked).one()
        pairs = np.frombuffer(scored or b"", dtype=[("id", ">i4"), ("score", ">f4")])
        found = _unpacked(ids)
        # In the table's physical order, mostly the ids' own: a merge sort of sorted runs takes
        # a millisecond where quicksort took ~10 (400k matches at a million documents).
        found.sort(kind="stable")
        return WordPostings(found, pairs["id"].astype(np.int64), pairs["score"].astype(np.float32))

    def score_words(self, first: int, last: int) -> None:
        """PostgreSQL: write again the per-word scores (``search_words``) of the documents with
        ids ``first`` to ``last``, in one statement (``save`` writes them a document at a time;
        a bulk copy of documents, ``bench/bench_search.py``, calls this)."""
        with Session(self.engine) as session, session.begin():
            session.execute(_PG_WORDS_FORGET, {"first": first, "last": last})
            session.execute(_PG_WORDS, {"first": first, "last": last})

    def document_of_job(self, job_id: str) -> DocumentRef | None:
        query = select(SearchDocument.id, SearchDocument.cluster_id).where(
            SearchDocument.job_id == job_id
        )
        with Session(self.engine) as session:
            row = session.execute(query).first()
        return DocumentRef(row[0], row[1]) if row else None

    def cards_of(self, document_ids: Iterable[int]) -> dict[int, CardFacts]:
        """document id → what its result card and snippet show (description included), for
        those of ``document_ids`` that exist: one select of those columns."""
        ids = list(document_ids)
        with self._connection() as connection:
            rows = connection.execute(_CARDS, {"ids": ids}).all()
        return {row[0]: CardFacts(*row[1:]) for row in rows}

    def jobs_of(self, document_ids: Iterable[int]) -> dict[int, JobWithEnrichment]:
        """document id → its job and enrichment, for those of ``document_ids`` that exist:
        what a result card shows (``engine.job_card``). The enrichment's evidence and skill
        details (compressed JSON) and the job's signature are left unread, and raise if asked
        for: they were half of what loading a page of results cost."""
        query = (
            select(SearchDocument.id, Job, JobEnrichment)
            .join(Job, Job.id == SearchDocument.job_id)
            .outerjoin(JobEnrichment, JobEnrichment.job_id == Job.id)
            .where(SearchDocument.id.in_(list(document_ids)))
            .options(
                *(
                    defer(column, raiseload=True)
                    for column in (
                        Job.minhash,
                        JobEnrichment.evidence,
                        JobEnrichment.skill_detail,
                    )
                )
            )
        )
        with Session(self.engine) as session:
            return {
                doc_id: JobWithEnrichment(job, enrichment)
                for doc_id, job, enrichment in session.execute(query)
            }

    def dates_of(self, document_ids: Sequence[int]) -> list[PostingDates]:
        """The jobs of ``document_ids`` and their dates, in id order (unknown ids left out)."""
        d = SearchDocument
        columns = (d.id, Job.id, Job.posted_at, Job.first_seen_at, Job.closed_at, Job.stale_at)
        found: list[PostingDates] = []
        with Session(self.engine) as session:
            for start in range(0, len(document_ids), CHUNK):
                chunk = list(document_ids[start : start + CHUNK])
                query = select(*columns).join(Job, Job.id == d.job_id).where(d.id.in_(chunk))
                for doc_id, job_id, posted, seen, closed, stale in session.execute(query):
                    open_ = closed is None and stale is None
                    found.append(PostingDates(doc_id, job_id, posted, seen, open_))
        return sorted(found, key=lambda dates: dates.document_id)

    def vectors_to_index(self, model: str) -> dict[int, StoredVector]:
        """document id → the embedding a vector index should hold for it: open documents whose
        job has an embedding by ``model`` of its current content."""
        query = self._embedded(model, JobEmbedding.vector)
        with Session(self.engine) as session:
            return {
                doc_id: StoredVector(digest, vector)
                for doc_id, digest, vector in session.execute(query)
            }

    def vector_hashes(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """``vectors_to_index`` without the vectors (a million take 1.5 GB; ``vectors_of``
        reads those wanted), as arrays: the document ids (int64) and their content hashes
        (bytes), read a batch at a time (at a million documents, a dict of them took ~0.4 GB
        while a sync compared it)."""
        query = self._embedded(model).execution_options(yield_per=FETCH)
        ids, digests = [np.zeros(0, np.int64)], [np.zeros(0, "S1")]
        with Session(self.engine) as session:
            for rows in session.execute(query).partitions():
                ids.append(np.array([doc_id for doc_id, _ in rows], dtype=np.int64))
                digests.append(np.array([digest for _, digest in rows], dtype=np.bytes_))
        return np.concatenate(ids), np.concatenate(digests)

    @staticmethod
    def _embedded(model: str, *columns: Any) -> Select[Any]:
        """The open documents whose job has an embedding by ``model`` of its current content:
        their ids, content hashes, and ``columns``."""
        return (
            select(SearchDocument.id, JobEmbedding.content_hash, *columns)
            .join(Job, Job.id == SearchDocument.job_id)
            .join(JobEmbedding, JobEmbedding.job_id == Job.id)
            .where(
                SearchDocument.is_open,
                JobEmbedding.model == model,
                JobEmbedding.content_hash == Job.content_hash,
            )
        )

    def vectors_of(self, document_ids: Sequence[int]) -> dict[int, bytes]:
        """The embeddings (float32 bytes) of these documents' jobs, as ``vectors_to_index``
        reads them."""
        found: dict[int, bytes] = {}
        with Session(self.engine) as session:
            for start in range(0, len(document_ids), CHUNK):
                query = (
                    select(SearchDocument.id, JobEmbedding.vector)
                    .join(JobEmbedding, JobEmbedding.job_id == SearchDocument.job_id)
                    .where(SearchDocument.id.in_(document_ids[start : start + CHUNK]))
                )
                found.update((doc_id, vector) for doc_id, vector in session.execute(query))
        return found

    # -- reading: matching -------------------------------------------------------------------

    def candidates(self, document_ids: Iterable[int]) -> list[CandidateFacts]:
        """What matching reads of these documents."""
        return self._candidates(SearchDocument.id.in_(list(document_ids)))

    def candidates_of_jobs(self, job_ids: Iterable[str]) -> list[CandidateFacts]:
        """What matching reads of these jobs' documents (jobs without one left out)."""
        return self._candidates(SearchDocument.job_id.in_(list(job_ids)))

    def _candidates(self, which: Any) -> list[CandidateFacts]:
        query = (
            select(
                SearchDocument.id,
                SearchDocument.job_id,
                SearchDocument.role_family,
                SearchDocument.seniority,
                JobEnrichment.years_min,
                JobEnrichment.years_max,
                JobEnrichment.duties,
                # The skills' details only: the rest of the enrichment is not needed to score.
                JobEnrichment.skill_detail,
                SearchDocument.title,
                Job.remote_regions,
            )
            .join(Job, Job.id == SearchDocument.job_id)
            .outerjoin(JobEnrichment, JobEnrichment.job_id == SearchDocument.job_id)
            .where(which)
        )
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        return [
            CandidateFacts(
                document_id=doc_id,
                job_id=job_id,
                role_family=family,
                seniority=seniority,
                years_min=low,
                years_max=high,
                duties=list(duties or []),
                skills=[
                    skill for skill in (detail or {}).get("skills") or [] if isinstance(skill, dict)
                ],
                title=title,
                remote_regions=tuple(str(region) for region in regions or ()),
            )
            for doc_id, job_id, family, seniority, low, high, duties, detail, title, regions in rows
        ]

    def sharing_tags(self, kind: str, values: Sequence[str], at_least: int) -> dict[int, int]:
        """document id → how many of ``values`` it is tagged with (as ``kind``), for the
        documents tagged with ``at_least`` of them."""
        shared = func.count(SearchTag.value)
        query = (
            select(SearchTag.document_id, shared)
            .where(SearchTag.kind == kind, SearchTag.value.in_(list(values)))
            .group_by(SearchTag.document_id)
            .having(shared >= at_least)
        )
        with Session(self.engine) as session:
            return {doc_id: int(n) for doc_id, n in session.execute(query)}

    # -- reading: market pages ---------------------------------------------------------------

    def postings(self, ids: Sequence[int]) -> list[PostingFacts]:
        """What the market pages read of the documents ``ids``, in id order."""
        d = SearchDocument
        columns = (
            d.id,
            d.company,
            Job.source + ":" + Job.board,
            d.remote,
            d.seniority,
            d.years_min,
            d.salary_currency,
            d.salary_year_min,
            d.salary_year_max,
            Job.posted_at,
            JobEnrichment.job_id,
            JobEnrichment.duties,
            d.body_chars > 0,
        )
        rows: list[Any] = []
        tags: dict[str, dict[int, list[str]]] = {"skill": {}, "country": {}, "city": {}}
        with Session(self.engine) as session:
            for start in range(0, len(ids), CHUNK):
                chunk = list(ids[start : start + CHUNK])
                rows += session.execute(
                    select(*columns)
                    .join(Job, Job.id == d.job_id)
                    .outerjoin(JobEnrichment, JobEnrichment.job_id == d.job_id)
                    .where(d.id.in_(chunk))
                ).all()
                query = select(SearchTag.document_id, SearchTag.kind, SearchTag.value).where(
                    SearchTag.document_id.in_(chunk)
                )
                for document_id, kind, value in session.execute(query):
                    if kind in tags:
                        tags[kind].setdefault(document_id, []).append(value)
        return [
            PostingFacts(
                id=doc_id,
                company=company or "",
                source=source,
                remote=remote,
                seniority=seniority,
                years_min=years,
                salary_currency=currency,
                salary_year_min=low,
                salary_year_max=high,
                posted_at=posted,
                enriched=enriched is not None,
                described=bool(described),
                duties=list(duties or ()),
                skills=tags["skill"].get(doc_id, []),
                countries=tags["country"].get(doc_id, []),
                cities=tags["city"].get(doc_id, []),
            )
            for (
                doc_id,
                company,
                source,
                remote,
                seniority,
                years,
                currency,
                low,
                high,
                posted,
                enriched,
                duties,
                described,
            ) in sorted(rows, key=lambda row: row[0])
        ]


class _FullText:
    """The full-text index's rows of some jobs' documents, in a ``save`` or ``settle``
    transaction (see the module docstring): SQLite's contentless ``search_fts``, PostgreSQL's
    ``search_vector`` column."""

    def __init__(self, session: Session, dialect: str, job_ids: Sequence[str]) -> None:
        self.session = session
        self.sqlite = dialect == "sqlite"
        self.job_ids = list(job_ids)
        self.replaced: dict[str, bytes] = {}  # job id -> the description its document indexed
        self.now: dict[str, bytes | None] = {}  # job id -> its description now
        if self.sqlite:
            jobs = {"jobs": self.job_ids}
            self.replaced = dict(session.execute(_REPLACED, jobs).all())
            self.now = dict(
                session.execute(
                    select(Job.id, Job.description).where(Job.id.in_(self.job_ids))
                ).all()
            )

    def indexed(self, job_id: str, chars: int) -> str:
        """The text a document of ``job_id`` holding ``chars`` characters indexed."""
        frame = self.replaced.get(job_id, self.now.get(job_id))
        return compact.unpack_description(frame)[1][:chars]

    def remove(self, document_ids: Iterable[int]) -> None:
        """SQLite: take these documents out of ``search_fts``, told the text each indexed, and
        forget these jobs' replaced texts. PostgreSQL: nothing to do (``add`` overwrites the
        vector; a deleted row takes its own along)."""
        if not self.sqlite:
            return
        d = SearchDocument
        rows = self.session.execute(
            select(d.id, d.job_id, d.title, d.company, d.skills, d.body_chars).where(
                d.id.in_(list(document_ids))
            )
        ).all()
        deletes = [
            {
                "id": doc_id,
                "title": title,
                "company": company,
                "skills": skills,
                "body": self.indexed(job_id, chars),
            }
            for doc_id, job_id, title, company, skills, chars in rows
        ]
        if deletes:
            self.session.execute(_FTS_DELETE, deletes)
        if self.replaced:
            self.session.execute(_FORGET, {"jobs": list(self.replaced)})
            self.replaced = {}

    def add(self, document_id: int, document: Document) -> None:
        """Index ``document``'s text under its id. SQLite: when its job's text changed after
        the document was built from it, the text indexed is kept as a replaced one."""
        values = {
            "id": document_id,
            "title": without_nul(document.title),
            "company": without_nul(document.company),
            "skills": without_nul(document.skills),
            "body": document.body,
        }
        if not self.sqlite:
            self.session.execute(_PG_VECTOR, values)
            one = {"first": document_id, "last": document_id}
            self.session.execute(_PG_WORDS_FORGET, one)
            self.session.execute(_PG_WORDS, one)
            return
        self.session.execute(_FTS_INSERT, values)
        if self.indexed(document.job_id, len(document.body)) != document.body:
            kept = {"job": document.job_id, "text": compact.pack_description("", document.body)}
            self.session.execute(_KEEP, kept)


_FTS_COLUMNS = "title, company, skills, body"
_FTS_INSERT = text(
    f"INSERT INTO search_fts (rowid, {_FTS_COLUMNS}) VALUES (:id, :title, :company, :skills, :body)"
)
_FTS_DELETE = text(
    f"INSERT INTO search_fts (search_fts, rowid, {_FTS_COLUMNS}) "
    "VALUES ('delete', :id, :title, :company, :skills, :body)"
)
_REPLACED = text(
    "SELECT job_id, description FROM search_replaced_text WHERE job_id IN :jobs"
).bindparams(bindparam("jobs", expanding=True))
_FORGET = text("DELETE FROM search_replaced_text WHERE job_id IN :jobs").bindparams(
    bindparam("jobs", expanding=True)
)
_KEEP = text("INSERT INTO search_replaced_text (job_id, description) VALUES (:job, :text)")
# The weights of migration 0003's generated column, which 0010 made a plain one written here.
_PG_VECTOR = text(
    "UPDATE search_documents SET search_vector = "
    "setweight(to_tsvector('english', CAST(:title AS text)), 'A') "
    "|| setweight(to_tsvector('english', CAST(:company AS text) || ' ' "
    "|| CAST(:skills AS text)), 'B') "
    "|| setweight(to_tsvector('english', left(CAST(:body AS text), 200000)), 'C') "
    "WHERE id = :id"
)
# PostgreSQL's per-word scores of a document (``search_words``, migration 0011, which holds the
# same statement): for each word, BM25's term part without the IDF (a constant for the word,
# so it does not change a word's order) over its weighted count (title 8, company and skills 3,
# text 1, as SQLite's BM25_WEIGHTS) and the document's length; only words counting 3 or more
# (every title word, the text's repeated ones: ~27 a document); a word a document holds but
# weighs under 3 scores as one mention (``pg_words.py``, which adds each word's IDF).
_PG_WORDS_FORGET = text("DELETE FROM search_words WHERE document_id BETWEEN :first AND :last")
_PG_WORDS = text(
    "INSERT INTO search_words (word, document_id, score) "
    "SELECT lexeme, id, weighted * 2.2 / (weighted + 1.2 * (0.25 + 0.75 * tokens / 290.0)) "
    "FROM (SELECT d.id, u.lexeme, "
    "(SELECT sum(CASE w WHEN 'A' THEN 8 WHEN 'B' THEN 3 ELSE 1 END) FROM unnest(u.weights) AS w) "
    "AS weighted, sum(cardinality(u.positions)) OVER (PARTITION BY d.id) AS tokens "
    "FROM search_documents AS d, unnest(d.search_vector) AS u "
    "WHERE d.id BETWEEN :first AND :last) AS counted "
    "WHERE weighted >= 3"
)


_CARDS = (
    select(
        SearchDocument.id,
        *(getattr(Job, name) for name in _CARD_JOB),
        JobEnrichment.job_id.is_not(None),
        *(getattr(JobEnrichment, name) for name in _CARD_ENRICHMENT),
        Job.description,
    )
    .join(Job, Job.id == SearchDocument.job_id)
    .outerjoin(JobEnrichment, JobEnrichment.job_id == Job.id)
    .where(SearchDocument.id.in_(bindparam("ids", expanding=True)))
)


def _generation(session: Session | Connection) -> int:
    return session.scalar(select(SearchState.generation).where(SearchState.id == 1)) or 0


def _pg_term(term: str) -> str:
    """One word as a tsquery operand: letters and digits only, so no tsquery syntax gets in.

    >>> _pg_term("c++'); drop")
    "'cdrop'"
    """
    return "'" + re.sub(r"[^\w]", "", term) + "'"


def _pg_query(terms: Sequence[str], every: bool) -> str:
    """The tsquery text (``to_tsquery``'s) of every (``&``) or any (``|``) of ``terms``.

    >>> _pg_query(["ml", "lead"], every=False)
    "'ml' | 'lead'"
    """
    return (" & " if every else " | ").join(_pg_term(t) for t in terms)


# A search's statements, made once (building a select each time was ~5% of a search's CPU).
_ASKED = "to_tsquery('english', :query)"
_PG_LEXEMES = text(
    "SELECT tsvector_to_array(to_tsvector('english', asked.word)) "
    "FROM unnest(CAST(:words AS text[])) WITH ORDINALITY AS asked(word, n) ORDER BY asked.n"
)
_PG_WORD_COUNTS = text(
    "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM search_documents') "
    "WHERE ndoc >= :rows"
)
# A lexeme's documents (4 bytes an id) and its search_words pairs (an id and a score: 8 bytes).
_PG_POSTINGS = text(
    "SELECT (SELECT string_agg(int4send(id), ''::bytea) FROM search_documents "
    "WHERE search_vector @@ CAST(:query AS tsquery)), "
    "(SELECT string_agg(int4send(document_id) || float4send(score), ''::bytea "
    "ORDER BY document_id) FROM search_words WHERE word = :word)"
)
_PG_RANKS = text(
    f"SELECT id, ts_rank_cd(search_vector, {_ASKED}) FROM search_documents "
    f"WHERE search_vector @@ {_ASKED}"
)
_PG_RANKS_AMONG = text(f"{_PG_RANKS.text} AND id = ANY(:ids)").bindparams(
    bindparam("ids", type_=ARRAY(Integer))
)


def _unpacked(packed: bytes | None) -> np.ndarray:
    """The ids PostgreSQL packed into one bytea (``string_agg(int4send(id), ''::bytea)``: 4
    bytes each, big-endian), as int64: a hundred thousand ids come back as one value, not as a
    hundred thousand rows (~1 µs each in Python).

    >>> _unpacked(bytes([0, 0, 0, 7, 0, 0, 1, 0])).tolist(), _unpacked(None).tolist()
    ([7, 256], [])
    """
    return np.frombuffer(packed or b"", dtype=">i4").astype(np.int64)


def _count_a_change(session: Session) -> None:
    """Move ``search_state.generation`` on, so that snapshots of the documents are read again."""
    moved = (
        session.connection()
        .execute(
            update(SearchState)
            .where(SearchState.id == 1)
            .values(generation=SearchState.generation + 1)
        )
        .rowcount
    )
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
