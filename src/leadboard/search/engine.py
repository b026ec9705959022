"""Hybrid search over the search documents: full text and vectors, fused, filtered, faceted.

1. The query is parsed (``query.py``): free text, plus chips that become filters.
2. *Lexical*: the database's own full-text engine — SQLite FTS5 with BM25 (title weighted 8,
   skills 3, company 2, description 1), PostgreSQL ``to_tsquery`` with ``ts_rank_cd`` — finds the
   jobs with every word of the query (any word, when none has them all) within the filters; the
   best ``POOL`` go to the fusion.
3. *Semantic*: the query's embedding against the vector index (``vectors.py``), the nearest
   ``POOL`` kept when they pass the filters and a similarity floor.
4. The two lists are fused by reciprocal rank fusion (k = 60), then nudged by what a senior ML
   person cares about: ML-leadership probability, freshness, a stated salary.
5. Facet counts over the same result set, each ignoring its own filter (so a facet can widen).

Duplicate clusters show once (the cluster's head document) and closed postings are hidden unless
asked for. The default view is ML-leadership roles only (``role_family=["ml_leadership"]``).
"""

from __future__ import annotations

import html
import math
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
from sqlalchemy import Float, Integer, and_, exists, false, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from leadboard.search.query import Chip, ParsedQuery, parse_query
from leadboard.search.vectors import VectorIndex
from leadboard.store.repository import Store
from leadboard.store.schema import Job, JobEmbedding, JobEnrichment, SearchDocument, SearchTag

Sort = Literal["relevance", "newest", "salary"]
Mode = Literal["hybrid", "lexical", "semantic"]
MODES: tuple[str, ...] = ("hybrid", "lexical", "semantic")
SORTS: tuple[str, ...] = ("relevance", "newest", "salary")
DEFAULT_FAMILIES = ["ml_leadership"]
ANY = "any"
POOL = 300  # candidates each retriever gives the fusion
RRF_K = 60
MIN_SIMILARITY = 0.30  # below this cosine a "semantic match" is noise
MAX_PAGE_SIZE = 100
HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "\x02", "\x03"
FACET_TOP = 25
POSTED_BUCKETS = (7, 30, 90, 365)
FACET_CACHE_SECONDS = 60.0
MAX_ID_LIST = 20_000  # a result set up to this size is passed to facet queries as ids
_WORDS = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchFilters:
    """Filters besides the query text; the query's chips are added to them."""

    role_family: list[str] | None = None  # None: ML leadership only; ["any"]: every family
    seniority: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)  # ISO alpha-2
    city: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)  # every one of them
    company: list[str] = field(default_factory=list)
    salary_min: float | None = None  # a year, in salary_currency; never converted
    salary_currency: str = "USD"
    posted_within_days: int | None = None
    years_max: int | None = None  # postings asking at most this many years (or not saying)
    visa: bool = False  # postings that mention visa sponsorship
    include_closed: bool = False


@dataclass
class SearchRequest:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    mode: Mode = "hybrid"  # lexical or semantic alone: for comparisons (bench/bench_search.py)


@dataclass
class Hit:
    document_id: int
    job_id: str
    score: float
    job: dict[str, Any]
    highlights: list[str]  # safe HTML: text escaped, matches in <mark>


@dataclass
class SearchResponse:
    total: int
    query: ParsedQuery
    filters: SearchFilters
    results: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    per_page: int
    sort: str
    semantic: bool  # whether the vector index took part
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON the API and ``leadboard search --json`` answer."""
        return {
            "total": self.total,
            "query": {
                "raw": self.query.raw,
                "text": self.query.text,
                "chips": [vars(chip) for chip in self.query.chips],
                "corrections": self.query.corrections,
            },
            "results": [
                {"job": hit.job, "score": hit.score, "highlights": hit.highlights}
                for hit in self.results
            ],
            "facets": {
                name: [{"value": value, "count": count} for value, count in counts]
                for name, counts in self.facets.items()
            },
            "page": self.page,
            "per_page": self.per_page,
            "sort": self.sort,
            "semantic": self.semantic,
            "notes": self.notes,
        }


class SearchEngine:
    """Searches one store. ``embedder`` and ``vectors`` are optional: without them the search is
    lexical only, and says so in ``notes``."""

    def __init__(
        self,
        store: Store,
        *,
        embedder: Any | None = None,
        vectors: VectorIndex | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.vectors = vectors
        self.notes = list(notes)  # why semantic search is off, when it is
        self._facet_cache: dict[str, tuple[float, dict[str, list[tuple[str, int]]]]] = {}
        self.dialect = store.engine.dialect.name

    # -- the search ------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        parsed = parse_query(request.q, default_currency=request.filters.salary_currency)
        filters = merge_chips(request.filters, parsed.chips)
        page = max(1, int(request.page))
        per_page = min(max(1, int(request.per_page)), MAX_PAGE_SIZE)
        conditions = self._conditions(filters)
        notes = list(parsed.notes)
        terms = _WORDS.findall(parsed.text.lower()) if request.mode != "semantic" else []
        semantic_ids: dict[int, float] = {}
        use_vectors = (
            bool(parsed.text.strip()) and self.vectors and self.embedder
            and request.mode != "lexical"
        )  # fmt: skip
        if parsed.text.strip() and not use_vectors:
            notes.extend(self.notes or ["semantic search is off: words only"])
        with Session(self.store.engine) as session:
            where = list(conditions.values())
            # Facets count over the text's matches under the always-on conditions only, so that
            # each facet can leave its own filter out (and widen the view).
            base = [conditions[name] for name in ("head", "open") if name in conditions]
            lexical: list[int] = []
            lexical_base: list[int] = []
            match = None
            if terms:
                lexical, match, every = self._lexical(session, terms, where)
                # The same words, read the same way (every or any), for the facets' base.
                lexical_base = self._lexical(session, terms, base, every)[0]
                if not every:
                    notes.append("no job has every word: showing jobs with any of them")
            semantic_base: dict[int, float] = {}
            if use_vectors:
                semantic_base = self._semantic(session, parsed.text, base)
                semantic_ids = self._within(session, semantic_base, where)
            results: set[int] | None = None
            if terms or use_vectors:
                results = set(lexical) | set(semantic_ids)
                total = len(results)
                facet_base = set(lexical_base) | set(semantic_base)
                in_results = self._in_results(facet_base, match, semantic_base)
                ranked = self._fuse(session, lexical[:POOL], semantic_ids)
                ordered = self._order(session, ranked, request.sort, filters)
                page_ids = ordered[(page - 1) * per_page : page * per_page]
            else:
                facet_base = None
                in_results = None
                total = session.scalar(select(func.count(SearchDocument.id)).where(*where)) or 0
                page_ids = self._browse(session, where, request.sort, filters, page, per_page)
            if in_results is None:  # browsing: the same few views again and again
                facets = self._cached_facets(session, conditions, filters)
            else:
                facets = self._facets(session, conditions, in_results, facet_base)
            hits = self._hits(session, page_ids, match, terms)
        return SearchResponse(
            total=total, query=parsed, filters=filters, results=hits, facets=facets, page=page,
            per_page=per_page, sort=request.sort, semantic=bool(use_vectors), notes=notes,
        )  # fmt: skip

    def similar(self, job_id: str, limit: int = 10) -> list[Hit]:
        """Open jobs nearest to ``job_id`` by embedding (any family), its own cluster left out."""
        if self.vectors is None:
            return []
        with Session(self.store.engine) as session:
            document = session.scalar(select(SearchDocument).where(SearchDocument.job_id == job_id))
            if document is None:
                return []
            vector = session.scalar(
                select(JobEmbedding.vector).where(JobEmbedding.job_id == job_id)
            )
            if vector is None:
                return []
            nearest = self.vectors.nearest(np.frombuffer(vector, dtype="<f4"), POOL)
            wanted = [doc_id for doc_id, _ in nearest]
            allowed = set(
                session.scalars(
                    select(SearchDocument.id).where(
                        SearchDocument.id.in_(wanted),
                        SearchDocument.is_head,
                        SearchDocument.is_open,
                        SearchDocument.cluster_id != document.cluster_id,
                    )  # fmt: skip
                )
            )
            scores = {doc_id: sim for doc_id, sim in nearest if doc_id in allowed}
            ids = sorted(scores, key=lambda i: -scores[i])[:limit]
            hits = self._hits(session, [(i, scores[i]) for i in ids], None, [])
        return hits

    # -- filters -------------------------------------------------------------------------------

    def _conditions(self, filters: SearchFilters) -> dict[str, Any]:
        """Named SQL conditions: a facet is counted without its own."""
        d = SearchDocument
        conditions: dict[str, Any] = {"head": d.is_head}
        if not filters.include_closed:
            conditions["open"] = d.is_open
        families = DEFAULT_FAMILIES if filters.role_family is None else filters.role_family
        if families and ANY not in families:
            conditions["role_family"] = d.role_family.in_(families)
        if filters.seniority:
            conditions["seniority"] = d.seniority.in_(filters.seniority)
        if filters.remote:
            conditions["remote"] = d.remote.in_(filters.remote)
        if filters.country:
            conditions["country"] = _has_tag("country", filters.country)
        if filters.city:
            conditions["city"] = _has_tag("city", filters.city)
        if filters.skills:
            conditions["skill"] = and_(*(_has_tag("skill", [s]) for s in filters.skills))
        if filters.company:
            lowered = [c.lower() for c in filters.company]
            conditions["company"] = func.lower(d.company).in_(lowered)
        if filters.salary_min is not None:
            conditions["salary"] = and_(
                d.salary_currency == filters.salary_currency,
                d.salary_year_max >= float(filters.salary_min),
            )
        if filters.posted_within_days:
            since = datetime.now(UTC) - timedelta(days=int(filters.posted_within_days))
            conditions["posted"] = d.posted_at >= since
        if filters.years_max is not None:
            conditions["years"] = or_(d.years_min.is_(None), d.years_min <= filters.years_max)
        if filters.visa:
            body = func.lower(d.body)
            conditions["visa"] = and_(
                or_(body.like("%visa sponsorship%"), body.like("%sponsor%visa%")),
                ~body.like("%not%sponsor%"), ~body.like("%unable to sponsor%"),
                ~body.like("%no visa sponsorship%"), ~body.like("%without sponsorship%"),
            )  # fmt: skip
        return conditions

    # -- retrieval -----------------------------------------------------------------------------

    def _lexical(
        self, session: Session, terms: list[str], where: list[Any], every: bool | None = None
    ) -> tuple[list[int], Any, bool]:
        """Every full-text match in the filters, best first; the match; whether it needed every
        word (it does, unless no job has them all: then any word will do; ``every`` decides)."""
        choices = (every,) if every is not None else (True, False) if len(terms) > 1 else (True,)
        for all_words in choices:
            match = self._match(terms, every=all_words)
            rank = match.c.rank
            query = (
                select(SearchDocument.id)
                .join(match, match.c.id == SearchDocument.id)
                .where(*where)
                .order_by(rank.desc() if self.dialect == "postgresql" else rank, SearchDocument.id)
            )
            ids = list(session.scalars(query))
            if ids:
                return ids, match, all_words
        return [], match, all_words

    def _match(self, terms: list[str], *, every: bool = True) -> Any:
        """A (id, rank) subquery of the documents matching every one (or any) of ``terms``."""
        if self.dialect == "postgresql":
            joiner = " & " if every else " | "
            query = func.to_tsquery("english", joiner.join(_pg_term(t) for t in terms))
            vector = literal_column("search_documents.search_vector")
            return (
                select(SearchDocument.id.label("id"), func.ts_rank_cd(vector, query).label("rank"))
                .where(vector.op("@@")(query))
                .subquery("lexical")
            )
        # Quoted: no FTS syntax gets through. Side by side, FTS5 terms must all match.
        expression = (" " if every else " OR ").join(f'"{t}"' for t in terms)
        return (
            text(
                "SELECT rowid AS id, bm25(search_fts, 8.0, 2.0, 3.0, 1.0) AS rank "
                "FROM search_fts WHERE search_fts MATCH :expression"
            )
            .bindparams(expression=expression)
            .columns(id=Integer, rank=Float)
            .subquery("lexical")
        )

    def _semantic(self, session: Session, query_text: str, where: list[Any]) -> dict[int, float]:
        assert self.vectors is not None and self.embedder is not None
        vector = self.embedder.encode([query_text])[0]
        nearest = {i: s for i, s in self.vectors.nearest(vector, POOL) if s >= MIN_SIMILARITY}
        return self._within(session, nearest, where)

    def _within(
        self, session: Session, scored: dict[int, float], where: list[Any]
    ) -> dict[int, float]:
        """The documents of ``scored`` that meet ``where``, scores kept."""
        if not scored:
            return {}
        query = select(SearchDocument.id).where(SearchDocument.id.in_(list(scored)), *where)
        allowed = set(session.scalars(query))
        return {doc_id: sim for doc_id, sim in scored.items() if doc_id in allowed}

    def _in_results(self, results: set[int], match: Any, semantic: dict[int, float]) -> Any:
        """The result set as a condition: its ids, or (when huge) the match it came from."""
        if len(results) <= MAX_ID_LIST:
            return SearchDocument.id.in_(sorted(results))
        lexical = SearchDocument.id.in_(select(match.c.id)) if match is not None else false()
        return or_(lexical, SearchDocument.id.in_(list(semantic))) if semantic else lexical

    # -- ranking -------------------------------------------------------------------------------

    def _fuse(
        self, session: Session, lexical: list[int], semantic: dict[int, float]
    ) -> list[tuple[int, float]]:
        """Reciprocal rank fusion of the two lists, times the ranking signals."""
        fused: dict[int, float] = {}
        for rank, doc_id in enumerate(lexical):
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        semantic_order = sorted(semantic, key=lambda i: -semantic[i])
        for rank, doc_id in enumerate(semantic_order):
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        if not fused:
            return []
        signals = session.execute(
            select(
                SearchDocument.id, SearchDocument.ml_leadership, SearchDocument.posted_at,
                SearchDocument.salary_currency,
            ).where(SearchDocument.id.in_(list(fused)))
        )  # fmt: skip
        now = datetime.now(UTC)
        scored = []
        for doc_id, lead, posted, currency in signals:
            scored.append((doc_id, fused[doc_id] * _signal(lead, posted, currency, now)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored

    def _order(
        self, session: Session, ranked: list[tuple[int, float]], sort: str, filters: SearchFilters
    ) -> list[tuple[int, float]]:
        if sort == "relevance" or not ranked:
            return ranked
        ids = [doc_id for doc_id, _ in ranked]
        keys = {
            doc_id: (posted, currency, high)
            for doc_id, posted, currency, high in session.execute(
                select(
                    SearchDocument.id, SearchDocument.posted_at, SearchDocument.salary_currency,
                    SearchDocument.salary_year_max,
                ).where(SearchDocument.id.in_(ids))
            )
        }  # fmt: skip
        if sort == "newest":
            return sorted(ranked, key=lambda item: keys[item[0]][0], reverse=True)

        # Salary: the chosen currency first (amounts in others are not comparable), highest first.
        def salary_key(item: tuple[int, float]) -> tuple[int, float]:
            _, currency, high = keys[item[0]]
            return (0 if currency == filters.salary_currency else 1 if currency else 2,
                    -(high or 0.0))  # fmt: skip

        return sorted(ranked, key=salary_key)

    def _browse(
        self, session: Session, where: list[Any], sort: str, filters: SearchFilters,
        page: int, per_page: int,
    ) -> list[tuple[int, float]]:  # fmt: skip
        """No query text: the filtered jobs, ML leadership and freshness first (or as sorted)."""
        d = SearchDocument
        if sort == "newest":
            order = [d.posted_at.desc(), d.id]
        elif sort == "salary":
            # NULL currency compares as unknown: coalesce, or jobs without pay would come first.
            other = func.coalesce(d.salary_currency, "") != filters.salary_currency
            order = [other, d.salary_year_max.is_(None),
                     d.salary_year_max.desc(), d.id]  # fmt: skip
        else:
            order = [d.ml_leadership.is_(None), d.ml_leadership.desc(), d.posted_at.desc(), d.id]
        query = select(d.id, d.ml_leadership).where(*where).order_by(*order)
        rows = session.execute(query.limit(per_page).offset((page - 1) * per_page))
        return [(doc_id, float(lead or 0.0)) for doc_id, lead in rows]

    # -- facets and results --------------------------------------------------------------------

    def _facets(
        self,
        session: Session,
        conditions: dict[str, Any],
        in_results: Any,
        results: set[int] | None,
    ) -> dict[str, list[tuple[str, int]]]:
        d = SearchDocument
        # Tags of a known result set are read by document id (the tags' primary key) rather
        # than by scanning every tag of a kind.
        tag_ids = (
            [SearchTag.document_id.in_(sorted(results))]
            if results is not None and len(results) <= MAX_ID_LIST
            else []
        )

        def where_without(name: str) -> list[Any]:
            kept = [c for key, c in conditions.items() if key != name]
            return kept + ([in_results] if in_results is not None else [])

        def grouped(column: Any, name: str, limit: int | None = None) -> list[tuple[str, int]]:
            count = func.count(d.id)
            query = select(column, count).where(*where_without(name)).group_by(column)
            query = query.order_by(count.desc(), column)
            return [(str(v), n) for v, n in session.execute(query.limit(limit)) if v is not None]

        def tagged(kind: str, name: str) -> list[tuple[str, int]]:
            count = func.count(d.id)
            query = (
                select(SearchTag.value, count)
                .join(d, d.id == SearchTag.document_id)
                .where(SearchTag.kind == kind, *tag_ids, *where_without(name))
                .group_by(SearchTag.value)
                .order_by(count.desc(), SearchTag.value)
                .limit(FACET_TOP)
            )
            return [(str(v), n) for v, n in session.execute(query)]

        now = datetime.now(UTC)
        posted = [
            (f"{days}", session.scalar(
                select(func.count(d.id)).where(*where_without("posted"),
                                               d.posted_at >= now - timedelta(days=days))) or 0)
            for days in POSTED_BUCKETS
        ]  # fmt: skip
        with_salary = session.scalar(
            select(func.count(d.id)).where(*where_without("salary"), d.salary_currency.is_not(None))
        ) or 0  # fmt: skip
        return {
            "role_family": grouped(d.role_family, "role_family"),
            "seniority": grouped(d.seniority, "seniority"),
            "remote": grouped(d.remote, "remote"),
            "country": tagged("country", "country"),
            "city": tagged("city", "city"),
            "skills": tagged("skill", "skill"),
            "company": grouped(d.company, "company", FACET_TOP),
            "posted_within_days": posted,
            "salary": [("stated", with_salary)],
        }

    def _cached_facets(
        self, session: Session, conditions: dict[str, Any], filters: SearchFilters
    ) -> dict[str, list[tuple[str, int]]]:
        """Facets of a filter-only view, kept ``FACET_CACHE_SECONDS``: counts over the whole
        store cost more than the search, and a minute-old count is still a good count."""
        key = repr(filters)
        now = time.monotonic()
        cached = self._facet_cache.get(key)
        if cached and now - cached[0] < FACET_CACHE_SECONDS:
            return cached[1]
        facets = self._facets(session, conditions, None, None)
        if len(self._facet_cache) >= 256:
            self._facet_cache.clear()
        self._facet_cache[key] = (now, facets)
        return facets

    def _hits(
        self, session: Session, page: Sequence[tuple[int, float]], match: Any, terms: list[str]
    ) -> list[Hit]:
        if not page:
            return []
        ids = [doc_id for doc_id, _ in page]
        rows = session.execute(
            select(SearchDocument.id, Job, JobEnrichment)
            .join(Job, Job.id == SearchDocument.job_id)
            .outerjoin(JobEnrichment, JobEnrichment.job_id == Job.id)
            .where(SearchDocument.id.in_(ids))
        ).all()
        by_id = {doc_id: (job, enrichment) for doc_id, job, enrichment in rows}
        snippets = self._snippets(session, ids, terms) if terms else {}
        hits = []
        for doc_id, score in page:
            if doc_id not in by_id:
                continue
            job, enrichment = by_id[doc_id]
            marked = snippets.get(doc_id) or _plain_snippet(job.description_text)
            hits.append(Hit(doc_id, job.id, round(score, 6), job_card(job, enrichment),
                            [_safe_html(marked)]))  # fmt: skip
        return hits

    def _snippets(self, session: Session, ids: list[int], terms: list[str]) -> dict[int, str]:
        if self.dialect == "postgresql":
            query = func.to_tsquery("english", " | ".join(_pg_term(t) for t in terms))
            options = (f"StartSel={HIGHLIGHT_OPEN}, StopSel={HIGHLIGHT_CLOSE}, MaxFragments=2, "
                       "MaxWords=24, MinWords=10, FragmentDelimiter= … ")  # fmt: skip
            rows = session.execute(
                select(
                    SearchDocument.id,
                    func.ts_headline("english", func.left(SearchDocument.body, 20000), query,
                                     options),
                ).where(SearchDocument.id.in_(ids))
            )  # fmt: skip
            return {doc_id: snippet for doc_id, snippet in rows}
        expression = " OR ".join(f'"{t}"' for t in terms)
        placeholders = ", ".join(str(int(i)) for i in ids)
        rows = session.execute(
            text(
                f"SELECT rowid, snippet(search_fts, 3, :open, :close, ' … ', 24) FROM search_fts "
                f"WHERE search_fts MATCH :expression AND rowid IN ({placeholders})"
            ),
            {"open": HIGHLIGHT_OPEN, "close": HIGHLIGHT_CLOSE, "expression": expression},
        )
        return {int(doc_id): snippet for doc_id, snippet in rows}


def merge_chips(filters: SearchFilters, chips: Iterable[Chip]) -> SearchFilters:
    """``filters`` with the query's chips added (a chip never removes an explicit filter)."""
    merged = SearchFilters(**{k: (list(v) if isinstance(v, list) else v)
                              for k, v in vars(filters).items()})  # fmt: skip
    for chip in chips:
        target = {"remote": merged.remote, "seniority": merged.seniority,
                  "country": merged.country, "city": merged.city,
                  "skill": merged.skills}.get(chip.kind)  # fmt: skip
        if target is not None and chip.value not in target:
            target.append(chip.value)
        elif chip.kind == "salary_min":
            currency, amount = chip.value.split()
            merged.salary_currency, merged.salary_min = currency, float(amount)
        elif chip.kind == "visa":
            merged.visa = True
    return merged


def _has_tag(kind: str, values: list[str]) -> Any:
    tag = SearchTag.__table__.alias()  # its own alias: facet queries select from search_tags too
    return (
        exists()
        .where(tag.c.document_id == SearchDocument.id, tag.c.kind == kind, tag.c.value.in_(values))
        .correlate(SearchDocument)
    )


def _pg_term(term: str) -> str:
    """One word as a tsquery operand: letters and digits only, so no tsquery syntax gets in."""
    return "'" + re.sub(r"[^\w]", "", term) + "'"


def _signal(lead: float | None, posted: datetime | None, currency: str | None,
            now: datetime) -> float:  # fmt: skip
    """How much the ranking signals lift a match: ML leadership most, then freshness, salary."""
    age_days = max(0.0, (now - posted).total_seconds() / 86400) if posted else 365.0
    freshness = math.exp(-age_days / 180.0)
    return (0.6 + 0.4 * (lead or 0.0)) * (0.85 + 0.15 * freshness) * (1.03 if currency else 1.0)


def _plain_snippet(text_: str, chars: int = 240) -> str:
    snippet = " ".join(text_.split())[:chars]
    return snippet + (" …" if len(text_) > chars else "")


def _safe_html(marked: str) -> str:
    """Escape everything, then turn the highlight sentinels into <mark>."""
    escaped = html.escape(marked.replace(HIGHLIGHT_OPEN, "\x00o").replace(HIGHLIGHT_CLOSE, "\x00c"))
    return escaped.replace("\x00o", "<mark>").replace("\x00c", "</mark>")


def job_card(job: Job, enrichment: JobEnrichment | None) -> dict[str, Any]:
    """The job as a result shows it (the API's ``job`` object)."""
    salary = None
    if job.salary_currency:
        salary = {"min": job.salary_min, "max": job.salary_max,
                  "currency": job.salary_currency, "period": job.salary_period}  # fmt: skip
    places = [", ".join(p for p in (place.get("city"), place.get("country")) if p)
              for place in job.locations or []]  # fmt: skip
    return {
        "id": job.id,
        "title": job.title,
        "company": job.company,
        "location": "; ".join(p for p in places if p) or (job.location_raw or ""),
        "countries": (job.countries or "").split(),
        "remote": job.remote,
        "salary": salary,
        "seniority": enrichment.seniority if enrichment else None,
        "role_family": enrichment.role_family if enrichment else None,
        "ml_leadership": enrichment.ml_leadership if enrichment else None,
        "skills": list(enrichment.skills) if enrichment else [],
        "years_min": enrichment.years_min if enrichment else None,
        "posted_at": (job.posted_at or job.first_seen_at).isoformat(),
        "url": job.url,
        "closed": job.closed_at is not None,
    }


def open_engine(store: Store, *, semantic: bool = True) -> SearchEngine:
    """Bring the search index up to date and open an engine on it, semantic where it can be;
    also says what is missing (no embedding model, no embeddings yet, no vector engine)."""
    from leadboard.enrich.embeddings import (
        Embedder,
        EmbeddingsUnavailable,
        model_dir,
    )
    from leadboard.search.index import sync_search_index
    from leadboard.search.vectors import VectorIndexUnavailable, open_vector_index

    sync_search_index(store)
    if not semantic:
        return SearchEngine(store, notes=["semantic search is off (asked for)"])
    try:
        model_dir()
        embedder = Embedder()
        vectors = open_vector_index(store)
        indexed = vectors.sync(store, embedder.version)
    except (EmbeddingsUnavailable, VectorIndexUnavailable) as error:
        return SearchEngine(store, notes=[f"semantic search is off: {error}"])
    if not indexed and not vectors.count():
        return SearchEngine(
            store, notes=["semantic search is off: no embeddings yet (run `leadboard enrich`)"]
        )
    return SearchEngine(store, embedder=embedder, vectors=vectors)
