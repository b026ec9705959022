"""Hybrid search over the search documents: full text and vectors, fused, filtered, faceted.

1. The query is parsed (``query.py``): free text, plus chips. A chip the user asked for as a
   filter (a pay floor, ``remote:``, or an explicit filter parameter) filters; a chip that is
   only a typed word (a level, a skill, a place, remote) *ranks*: the jobs that have it come
   first (``CHIP_BOOST``), and it filters only where ``PLENTY`` results would still remain. The
   answer says what was relaxed ("showing all levels: 3 jobs are director").
2. *Lexical*: the database's own full-text engine — SQLite FTS5 with BM25 (title weighted 8,
   skills 3, company 2, description 1; read word by word and summed, ``terms.py``), PostgreSQL's
   lexemes with a BM25 of ``search_words``' scores (each word's documents kept in memory,
   ``pg_words.py``) — finds the jobs with every word of the query (any word, when none has them
   all) within the filters; the best ``POOL`` go to the fusion.
3. *Semantic*: the query's embedding against the vector index (``vectors.py``), the nearest
   ``POOL`` kept when they pass the filters and a similarity floor.
4. The two lists are fused by reciprocal rank fusion (k = 60), then nudged by what a senior ML
   person cares about: ML-leadership probability, freshness (the posting's own date only), a
   stated salary, the typed chips; then the best ``RERANK`` are reranked by the learned ranker
   (``rank.py``) where one ships, and the first page holds at most ``PER_COMPANY`` jobs of a
   company (the others move down, not out).
5. Facet counts over the same result set, each ignoring its own filter (so a facet can widen).
6. No result: ``suggestions`` say which filter or word to drop, with the count it would give.

Duplicate clusters show once (the cluster's head document) and closed postings are hidden unless
asked for. The default view is ML-leadership roles only (``role_family=["ml_leadership"]``).
"""

from __future__ import annotations

import copy
import ctypes
import html
import logging
import re
import sys
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from leadboard.search.columns import SPARSE_SHARE, DocumentColumns, Mask
from leadboard.search.currency import rate_table
from leadboard.search.documents import CardFacts, SearchDocuments
from leadboard.search.index import BODY_CHARS, salary_a_year, sync_search_index
from leadboard.search.pg_words import PgWordScores, kept_beside
from leadboard.search.query import Chip, ParsedQuery, parse_query
from leadboard.search.rank import Ranker, candidate_features, load_ranker
from leadboard.search.terms import (
    Scores,
    SizedCache,
    WordFile,
    WordScores,
    best,
    scores_bytes,
    text_bytes,
)
from leadboard.search.vectors import VectorIndex
from leadboard.store import compact
from leadboard.store.repository import Store
from leadboard.store.schema import Job, JobEnrichment

Sort = Literal["relevance", "newest", "salary"]
Mode = Literal["hybrid", "lexical", "semantic"]
MODES: tuple[str, ...] = ("hybrid", "lexical", "semantic")
SORTS: tuple[str, ...] = ("relevance", "newest", "salary")
DEFAULT_FAMILIES = ["ml_leadership"]
ANY = "any"
POOL = 300  # candidates each retriever gives the fusion
RRF_K = 60
MATCH_CACHE_BYTES = 48_000_000  # word queries' ranked matches kept (64 of 100k postings' worth)
VECTOR_CACHE_BYTES = 1_000_000  # query texts' vectors kept (~600 of 384 floats)
MASK_CACHE_BYTES = 24_000_000  # filters' masks kept (24 at a million documents: 1 MB each)
MIN_SIMILARITY = 0.30  # below this cosine a "semantic match" is noise
# Typed chips rank: a job with all of them scores (1 + CHIP_BOOST) times one with none; a typed
# chip filters only where at least PLENTY results keep it (tuned on the judged tune queries).
CHIP_BOOST = 1.0
PLENTY = 50
SOFT_KINDS = frozenset({"seniority", "skill", "city", "country", "remote", "visa"})
LEXICAL_KINDS: frozenset[str] = frozenset()  # typed chips whose words the full text reads too
MEANING_KINDS = frozenset({"seniority"})  # ... and the query's vector
RERANK = 100  # the fused list's best, reranked by the learned ranker
PER_COMPANY = 3  # a company's jobs on the first page, at most (the rest move down)
FIRST_PAGE = 20  # the slots diversity applies to, whatever the page size
UNSTATED_PAY = 0.7  # a posting that states no pay, kept by include_unstated_pay, ranks lower
NO_URL = 0.97  # a posting that gives no URL to apply at ranks a little lower (issue 16)
MAX_PAGE_SIZE = 100
FACET_TOP = 25
POSTED_BUCKETS = (7, 30, 90, 365)
_WORDS = re.compile(r"\w+", re.UNICODE)
# Words that say nothing about a job; full-text engines walk their huge posting lists for nothing.
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "at",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "job",
        "jobs",
        "role",
        "roles",
        "position",
    }
)


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
    salary_min: float | None = None  # in salary_currency, per salary_period
    salary_currency: str = "USD"
    salary_period: str = "year"  # hour, day, week, month or year (full time: see index.py)
    include_unstated_pay: bool = False  # a pay floor keeps postings that state no pay, lower
    convert_currency: bool = True  # compare other currencies' pay through the dated rate table
    posted_within_days: int | None = None
    years_max: int | None = None  # postings asking at most this many years (or not saying)
    visa: bool = False  # postings that mention visa sponsorship
    include_closed: bool = False
    exclude: list[str] = field(default_factory=list)  # job ids their owner hid (the tracker)


@dataclass
class SearchRequest:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    mode: Mode = "hybrid"  # lexical or semantic alone: for comparisons (bench/bench_search.py)
    features: bool = False  # answer the reranked candidates' features too (to train a ranker)


@dataclass
class Hit:
    document_id: int
    job_id: str
    score: float
    job: dict[str, Any]
    highlights: list[str]  # safe HTML: text escaped, matches in <mark>


@dataclass
class Selection:
    """Every document a query and filters match, unranked and unpaged: for counting them
    (market pages) rather than listing a page."""

    ids: list[int]  # search document ids, ascending
    query: ParsedQuery
    filters: SearchFilters  # with the query's chips merged in
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """A way out of an empty answer: drop a filter (``kind`` "filter", ``name`` its
    ``SearchFilters`` field), a word of the query (``kind`` "word"), or keep postings that state
    no pay (``kind`` "unstated_pay"); ``count``: the jobs it would give."""

    kind: str
    name: str
    count: int
    label: str


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
    filtered: list[Chip] = field(default_factory=list)  # the query's chips that filtered
    suggestions: list[Suggestion] = field(default_factory=list)
    ranker: str | None = None  # the learned ranker that ordered the results, if any
    # With ``SearchRequest.features``: the candidates' job ids and rank.FEATURES rows.
    features: tuple[list[str], np.ndarray] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON the API and ``leadboard search --json`` answer."""
        return {
            "total": self.total,
            "query": {
                "raw": self.query.raw,
                "text": self.query.text,
                "chips": [
                    {**vars(chip), "filtered": chip in self.filtered} for chip in self.query.chips
                ],
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
            "suggestions": [vars(suggestion) for suggestion in self.suggestions],
        }


log = logging.getLogger(__name__)
_NO_MATCHES: Scores = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


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
        ranker: Ranker | None | Literal["default"] = "default",
    ) -> None:
        self.store = store
        self.documents = SearchDocuments(store)  # the search tables' reader
        self.embedder = embedder
        self.vectors = vectors
        self.notes = list(notes)  # why semantic search is off, when it is
        self.catching_up: threading.Thread | None = None  # open_engine(aside=True)'s sync
        self._columns: DocumentColumns | None = None
        self._columns_file = kept_beside(store, ".columns.npz")  # kept for the next start
        self._columns_lock = threading.Lock()
        self._match_cache: SizedCache[tuple[int, tuple[str, ...], bool], Scores] = SizedCache(
            MATCH_CACHE_BYTES, lambda key, found: text_bytes(key[1]) + scores_bytes((), found)
        )
        # The full-text ranking, word by word (SQLite's FTS5, PostgreSQL's lexemes); the common
        # words kept beside the store (PostgreSQL: under $LEADBOARD_HOME).
        kept = kept_beside(store, ".words.json")
        file = WordFile(kept) if kept is not None else None
        sqlite = store.engine.dialect.name == "sqlite"
        self.words = WordScores(file=file if sqlite else None)  # (its tokenizer serves both)
        self.pg_words = PgWordScores(file=None if sqlite else file)
        self._warmed = False
        self._vector_cache: SizedCache[str, np.ndarray] = SizedCache(
            VECTOR_CACHE_BYTES, lambda query, vector: text_bytes(query) + vector.nbytes
        )
        self.dialect = store.engine.dialect.name
        # The learned ranker (rank.py) shipped with the package, unless one is given (or None).
        self.ranker = load_ranker() if ranker == "default" else ranker
        # A filter's mask (the default view's family, a facet click's value) is the same for
        # every search of a generation: made once (~1 ms each at a million documents).
        self._mask_cache: SizedCache[tuple[int, str, tuple[str, ...]], Mask] = SizedCache(
            MASK_CACHE_BYTES, lambda key, mask: mask.nbytes
        )
        self._known: SizedCache[tuple[int, str], bool] = SizedCache(
            100_000, lambda key, _: text_bytes(key[1])
        )

    # -- the search ------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        with self.documents.reading():  # PostgreSQL: one connection a search, not one a read
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResponse:
        columns = self.columns()  # the index generation read once a search, not once a word
        parsed = parse_query(
            request.q,
            default_currency=request.filters.salary_currency,
            known=lambda word: self.knows(word, columns.generation),
        )
        # Chips asked for as filters filter; chips that are only typed words rank (below).
        typed = [c for c in parsed.chips if not c.explicit and c.kind in SOFT_KINDS]
        filters = merge_chips(request.filters, [c for c in parsed.chips if c not in typed])
        page = max(1, int(request.page))
        per_page = min(max(1, int(request.per_page)), MAX_PAGE_SIZE)
        notes = list(parsed.notes)
        # A typed chip's words still say what the job is: the meaning reads them (and the full
        # text those of LEXICAL_KINDS), while the chip ranks by the fact it stands for.
        lexical_text = " ".join(
            [parsed.text, *(c.source for c in typed if c.kind in LEXICAL_KINDS)]
        )
        meaning = " ".join([*(c.source for c in typed if c.kind in MEANING_KINDS), parsed.text])
        terms = search_terms(lexical_text) if request.mode != "semantic" else []
        use_vectors = bool(
            meaning.strip() and self.vectors and self.embedder and request.mode != "lexical"
        )
        if parsed.text.strip() and not use_vectors:
            notes.extend(self.notes or ["semantic search is off: words only"])
        if filters.convert_currency and (
            filters.salary_min is not None or request.sort == "salary"
        ):
            notes.append(rate_table().note())
        masks = self._masks(columns, filters)
        where = _all_of(masks.values(), columns.size)
        # Facets count over the text's matches under the always-on conditions only, so that
        # each facet can leave its own filter out (and widen the view).
        base = _all_of([masks[name] for name in ("head", "open") if name in masks], columns.size)
        searching = bool(terms or use_vectors)
        # The text's matches in any filter, positions ascending (None: every document): at a
        # million documents a whole mask of them, combined with each filter's, cost more than
        # the few thousand matches they are.
        matches: np.ndarray | None = None
        found: Scores = _NO_MATCHES
        in_where = False  # whether any full-text match passes the filters
        semantic_base: dict[int, float] = {}
        every = True
        if searching:
            if terms:
                # Any word is a poor reading (and a slow one: every job has "lead"); the
                # meaning is a better one where there are vectors to read it with.
                found, every = self._lexical(
                    columns, terms, where, any_word_fallback=not use_vectors
                )
                in_where = bool(where[found[0]].any())
            matches = found[0]
            if use_vectors:
                semantic_base = self._semantic(columns, meaning.strip(), base)
                if semantic_base:
                    near = np.fromiter(semantic_base, dtype=np.int64)
                    matches = _with_few(matches, near)
        # Typed chips: a filter where plenty of results keep it, else a ranking signal.
        filtered: list[Chip] = []
        boosts: list[Mask] = []
        for chip in typed:
            mask = self._chip_mask(columns, chip)
            kept = _count(where & mask, matches)
            if kept >= PLENTY:
                filtered.append(chip)
                where &= mask
            else:
                boosts.append(mask)
                notes.append(_relaxed_note(chip, kept))
        if filtered:
            filters = merge_chips(filters, filtered)
            masks = self._masks(columns, filters)
        total = _count(where, matches)
        ranker = None
        features = None
        if searching:
            if terms and not every and total:
                notes.append("no job has every word: showing jobs with any of them")
            elif terms and not in_where and use_vectors and total:
                notes.append("no job has every word: showing jobs close in meaning")
            semantic = {p: s for p, s in semantic_base.items() if where[p]}
            lexical = best(found, where, POOL)  # the best full-text matches, best first
            ranked = self._fuse(columns, lexical, semantic, self._factors(columns, boosts, filters))
            wanted = request.sort == "relevance" and self.ranker is not None
            if ranked and (wanted or request.features):
                rows = candidate_features(
                    columns, ranked[:RERANK], lexical, semantic, parsed, boosts, self.words
                )
                if request.features:
                    doc_ids = [int(columns.ids[p]) for p, _ in ranked[:RERANK]]
                    jobs = self.documents.jobs_of(doc_ids)
                    features = ([jobs[i].job.id if i in jobs else "" for i in doc_ids], rows)
                if wanted and self.ranker is not None:
                    ranked = self.ranker.rerank(ranked, rows, RERANK)
                    ranker = self.ranker.name
            ordered = self._order(columns, ranked, request.sort, filters)
            if request.sort == "relevance":
                ordered = diversify(columns, ordered, FIRST_PAGE, PER_COMPANY)
            page_positions = ordered[(page - 1) * per_page : page * per_page]
            assert matches is not None  # (searching)
            facets = self._facets(columns, masks, matches[base[matches]])
        else:
            page_positions = self._browse(
                columns, where, request.sort, filters, page, per_page, boosts
            )
            facets = self._facets(columns, masks, None)
        if "open" in masks and total < per_page:
            notes += _hidden_note(columns, masks, matches)
        suggestions = self._suggestions(
            columns, masks, filters, matches, terms if every else [], empty=not total
        )
        page_ids = [(int(columns.ids[p]), score) for p, score in page_positions]
        hits = self._hits(page_ids, terms)
        return SearchResponse(
            total=total,
            query=parsed,
            filters=filters,
            results=hits,
            facets=facets,
            page=page,
            per_page=per_page,
            sort=request.sort,
            semantic=use_vectors,
            notes=notes,
            filtered=[c for c in parsed.chips if c not in typed] + filtered,
            suggestions=suggestions,
            ranker=ranker,
            features=features,
        )

    def knows(self, word: str, generation: int | None = None) -> bool:
        """Whether the search index (of ``generation``: read when not given) holds ``word`` (a
        word it holds is never "corrected")."""
        if generation is None:
            generation = self.documents.generation()
        with self._columns_lock:
            found = self._known.get((generation, word))
        if found is None:
            if self.dialect == "sqlite":
                found = self.documents.knows(word)
            else:  # its documents, which a search of it reads next anyway
                columns = self._columns
                if columns is None or columns.generation != generation:
                    columns = self.columns()
                found = self.pg_words.knows(self.documents, columns, word)
            with self._columns_lock:
                self._known.put((generation, word), found)
        return found

    def _chip_mask(self, columns: DocumentColumns, chip: Chip) -> Mask:
        """The documents a chip would keep, were it a filter."""
        masks = self._masks(columns, merge_chips(SearchFilters(role_family=[ANY]), [chip]))
        kept = [mask for name, mask in masks.items() if name not in ("head", "open")]
        return _all_of(kept, columns.size)

    @staticmethod
    def _factors(
        columns: DocumentColumns, boosts: Sequence[Mask], filters: SearchFilters
    ) -> np.ndarray | None:
        """Each document's multiplier: typed chips it has lift it (all of them: ×(1 +
        CHIP_BOOST)); a posting that states no pay, kept despite a pay floor, sinks."""
        if not boosts and not (filters.salary_min is not None and filters.include_unstated_pay):
            return None
        factor = np.ones(columns.size, dtype=np.float64)
        if boosts:
            factor += CHIP_BOOST * np.mean(boosts, axis=0)
        if filters.salary_min is not None and filters.include_unstated_pay:
            factor[columns.salary_currency.codes < 0] *= UNSTATED_PAY
        return factor

    def _suggestions(
        self,
        columns: DocumentColumns,
        masks: dict[str, Mask],
        filters: SearchFilters,
        matches: np.ndarray | None,
        terms: list[str],
        *,
        empty: bool,
    ) -> list[Suggestion]:
        """Under a pay floor, how many postings state no pay; and for an ``empty`` answer, what
        leaving each filter or word (of ``terms``, all required) out would give, most first:
        counted on the column masks, among ``matches`` (positions; None: every document)."""
        found: list[Suggestion] = []
        if filters.salary_min is not None and not filters.include_unstated_pay:
            others = _all_of([m for name, m in masks.items() if name != "salary"], columns.size)
            unstated = _count(others & (columns.salary_currency.codes < 0), matches)
            if unstated:
                found.append(
                    Suggestion(
                        "unstated_pay",
                        "include_unstated_pay",
                        unstated,
                        f"include postings that state no pay ({unstated})",
                    )
                )
        if not empty:
            return found
        for name in masks:
            if name == "head":
                continue
            rest = [mask for key, mask in masks.items() if key != name]
            count = _count(_all_of(rest, columns.size), matches)
            if count:
                field_name, label = _FILTER_NAMES.get(name, (name, name))
                found.append(Suggestion("filter", field_name, count, f"{label} ({count})"))
        if len(terms) > 1:
            where = _all_of(masks.values(), columns.size)
            for word in terms:
                positions, _ = self._matches(columns, [t for t in terms if t != word], True)
                count = int(where[positions].sum())
                if count:
                    found.append(Suggestion("word", word, count, f"without “{word}” ({count})"))
        found.sort(key=lambda s: (s.kind == "unstated_pay", -s.count))
        return found

    def similar(self, job_id: str, limit: int = 10) -> list[Hit]:
        """Open jobs nearest to ``job_id`` by embedding (any family), its own cluster left out."""
        if self.vectors is None:
            return []
        columns = self.columns()
        document = self.documents.document_of_job(job_id)
        embedding = self.store.get_embedding(job_id)
        if document is None or embedding is None:
            return []
        allowed = columns.head & columns.open
        allowed &= ~columns.cluster.isin([document.cluster_id])  # its own cluster left out
        nearest = self.vectors.nearest(np.frombuffer(embedding.vector, dtype="<f4"), POOL)
        ids = np.array([doc_id for doc_id, _ in nearest], dtype=np.int64)
        positions = columns.positions_of(ids)
        scores = dict(nearest)
        # Across companies: at most two of one company among them.
        kept = diversify(
            columns,
            [(int(p), scores[int(columns.ids[p])]) for p in positions if allowed[p]],
            limit,
            2,
        )[:limit]
        return self._hits([(int(columns.ids[p]), score) for p, score in kept], [])

    # -- the snapshot of the documents' facts ----------------------------------------------

    def columns(self) -> DocumentColumns:
        """The documents' facts in memory, read again whenever the search index changed."""
        generation = self.documents.generation()
        with self._columns_lock:
            if self._columns is None or self._columns.generation != generation:
                changed = self._columns is not None
                self._columns = self._read_columns(generation)
                self._match_cache.clear()
                if changed and self._warmed:
                    # The common words' scores were the old index's: read them again, aside.
                    threading.Thread(target=self._warm_words, daemon=True).start()
                if changed and self.vectors is not None and self.embedder is not None:
                    # New postings' embeddings (serve --watch) join the vector index, aside.
                    threading.Thread(target=self._sync_vectors, daemon=True).start()
            return self._columns

    def _read_columns(self, generation: int) -> DocumentColumns:
        """The facts of ``generation``: from the file an earlier run saved beside the store,
        else read from the tables (a minute at a million documents) and saved for the next."""
        if self._columns_file is not None:
            saved = DocumentColumns.load(self._columns_file, generation)
            if saved is not None:
                return saved
        columns = DocumentColumns(self.documents.facts())
        give_back_freed_memory()  # the facts, read as Python objects, are freed
        if self._columns_file is not None:
            try:
                columns.save(self._columns_file)
            except OSError:
                log.warning("could not save the search columns at %s", self._columns_file)
        return columns

    def _sync_vectors(self) -> None:
        assert self.vectors is not None and self.embedder is not None
        try:
            self.vectors.sync(self.store, self.embedder.version)
        except Exception:
            log.exception("adding new embeddings to the vector index failed")
        give_back_freed_memory()

    def selection(self, q: str = "", filters: SearchFilters | None = None) -> Selection:
        """What ``search`` matches by words, the query's chips as filters — every document, not
        a page of them. (The search only ranks by a chip the user typed; a market page about
        "pytorch remote" counts remote PyTorch jobs.) Semantic neighbours are left out: a count
        must not depend on how many nearest vectors were asked for."""
        filters = filters or SearchFilters()
        parsed = parse_query(q, default_currency=filters.salary_currency)
        merged = merge_chips(filters, parsed.chips)
        notes = list(parsed.notes)
        terms = search_terms(parsed.text)
        columns = self.columns()
        where = _all_of(self._masks(columns, merged).values(), columns.size)
        if terms:
            (positions, _), every = self._lexical(columns, terms, where)
            matched = np.zeros(columns.size, dtype=bool)
            matched[positions] = True
            where &= matched
            if where.any() and not every:
                notes.append("no job has every word: counting jobs with any of them")
        return Selection(columns.ids[where].tolist(), parsed, merged, notes)

    # -- filters -------------------------------------------------------------------------------

    def _masks(self, columns: DocumentColumns, filters: SearchFilters) -> dict[str, Mask]:
        """One mask a filter, by name: a facet is counted without its own."""
        c = columns
        masks: dict[str, Mask] = {"head": c.head}
        if filters.exclude:  # hidden jobs leave with their duplicates; always on, like "head"
            hidden = self.store.jobs_with_enrichments(filters.exclude)  # one query
            masks["head"] = c.head & ~c.cluster.isin([found.job.cluster_id for found in hidden])
        if not filters.include_closed:
            masks["open"] = c.open
        families = DEFAULT_FAMILIES if filters.role_family is None else filters.role_family
        kept = self._kept_mask
        if families and ANY not in families:
            masks["role_family"] = kept(c, "role_family", families, c.role_family.isin)
        if filters.seniority:
            masks["seniority"] = kept(c, "seniority", filters.seniority, c.seniority.isin)
        if filters.remote:
            masks["remote"] = kept(c, "remote", filters.remote, c.remote.isin)
        if filters.country:
            masks["country"] = kept(
                c, "country", filters.country, lambda v: c.tag_mask("country", v)
            )
        if filters.city:
            masks["city"] = kept(c, "city", filters.city, lambda v: c.tag_mask("city", v))
        if filters.skills:
            masks["skill"] = kept(
                c,
                "skill",
                filters.skills,
                lambda v: _all_of((c.tag_mask("skill", [s]) for s in v), c.size),
            )
        if filters.company:
            lower = [name.lower() for name in filters.company]
            masks["company"] = kept(c, "company", lower, c.company_lower.isin)
        if filters.salary_min is not None:
            floor = salary_a_year(float(filters.salary_min), filters.salary_period)
            with np.errstate(invalid="ignore"):  # no comparable pay (NaN) is never enough
                masks["salary"] = _pay(c, filters) >= (floor or 0.0)
            if filters.include_unstated_pay:  # ... unless the posting states none (ranked lower)
                masks["salary"] |= c.salary_currency.codes < 0
        if filters.posted_within_days:
            since = datetime.now(UTC) - timedelta(days=int(filters.posted_within_days))
            masks["posted"] = c.posted >= since.timestamp()
        if filters.years_max is not None:
            with np.errstate(invalid="ignore"):
                masks["years"] = np.isnan(c.years_min) | (c.years_min <= filters.years_max)
        if filters.visa:
            masks["visa"] = c.visa
        return masks

    def _kept_mask(
        self,
        columns: DocumentColumns,
        name: str,
        values: Sequence[str],
        make: Callable[[Sequence[str]], Mask],
    ) -> Mask:
        """``make(values)``, the mask of filter ``name``, kept for the generation's next searches
        (read-only: searches share it)."""
        key = (columns.generation, name, tuple(values))
        with self._columns_lock:
            found = self._mask_cache.get(key)
        if found is None:
            found = make(values)
            found.flags.writeable = False
            with self._columns_lock:
                self._mask_cache.put(key, found)
        return found

    # -- retrieval -----------------------------------------------------------------------------

    def _lexical(
        self,
        columns: DocumentColumns,
        terms: list[str],
        where: Mask,
        *,
        any_word_fallback: bool = True,
    ) -> tuple[Scores, bool]:
        """The full-text matches (positions ascending and scores, lower is better), and
        whether it needed every word (it does, unless no job in ``where`` has them all and
        ``any_word_fallback``: then any word will do)."""
        choices = (True, False) if len(terms) > 1 and any_word_fallback else (True,)
        for every in choices:
            found = self._matches(columns, terms, every)
            if where[found[0]].any() or every is choices[-1]:
                return found, every
        raise AssertionError("unreachable")  # pragma: no cover

    def _matches(self, columns: DocumentColumns, terms: list[str], every: bool) -> Scores:
        """Every document matching ``terms``: positions ascending, and each one's score (lower
        is better). Filters play no part, so the answer is kept (until the index changes) for
        the same words' next page, sort or facet click; only the best ``POOL`` in the filters
        are ever put in order (``best``)."""
        key = (columns.generation, tuple(terms), every)
        with self._columns_lock:
            cached = self._match_cache.get(key)
        if cached is not None:
            return cached
        if self.dialect == "sqlite":
            found = self.words.matches(self.documents, columns, terms, every)
        else:
            found = self.pg_words.matches(self.documents, columns, terms, every)
        with self._columns_lock:
            self._match_cache.put(key, found)
        return found

    def warm_up(self) -> int:
        """Read ahead what a first search would wait for: the embedding model (seconds to load
        and quantise), the documents' facts, the rate table, and the scores of every common
        word (``terms.WordScores.warm_up``, ``pg_words.PgWordScores.warm_up``). Returns how
        many words it read. A server runs
        it in a thread at start (``leadboard serve``), and the words again in a thread whenever the
        index changes; searches meanwhile do the work themselves."""
        if self.embedder is not None:
            self.embedder.encode(["machine learning tech lead"])
        rate_table()
        self._warmed = True  # and again whenever the index changes (``columns``)
        return self._warm_words()

    def _warm_words(self) -> int:
        columns = self.columns()
        if self.dialect == "sqlite":
            return self.words.warm_up(self.documents, columns)
        return self.pg_words.warm_up(self.documents, columns)

    def _semantic(self, columns: DocumentColumns, query_text: str, base: Mask) -> dict[int, float]:
        """Positions of the nearest documents in ``base`` (similar enough), with similarity."""
        assert self.vectors is not None and self.embedder is not None
        with self._columns_lock:
            vector = self._vector_cache.get(query_text)
        if vector is None:
            vector = self.embedder.encode([query_text])[0]
            with self._columns_lock:
                self._vector_cache.put(query_text, vector)
        nearest = [(i, s) for i, s in self.vectors.nearest(vector, POOL) if s >= MIN_SIMILARITY]
        if not nearest:
            return {}
        ids = np.array([doc_id for doc_id, _ in nearest], dtype=np.int64)
        similarity = dict(nearest)
        return {
            int(p): similarity[int(columns.ids[p])] for p in columns.positions_of(ids) if base[p]
        }

    # -- ranking -------------------------------------------------------------------------------

    def _fuse(
        self,
        columns: DocumentColumns,
        lexical: np.ndarray,
        semantic: dict[int, float],
        factor: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """Reciprocal rank fusion of the two lists (positions), times the ranking signals
        (and ``factor``, one multiplier a document, where given)."""
        fused: dict[int, float] = {}
        for rank, position in enumerate(lexical.tolist()):
            fused[position] = fused.get(position, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, position in enumerate(sorted(semantic, key=lambda p: -semantic[p])):
            fused[position] = fused.get(position, 0.0) + 1.0 / (RRF_K + rank + 1)
        if not fused:
            return []
        positions = np.fromiter(fused, dtype=np.int64)
        signal = _signals(columns, positions, time.time())
        if factor is not None:
            signal = signal * factor[positions]
        scored = [
            (int(p), fused[int(p)] * float(s)) for p, s in zip(positions, signal, strict=True)
        ]
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored

    def _order(
        self,
        columns: DocumentColumns,
        ranked: list[tuple[int, float]],
        sort: str,
        filters: SearchFilters,
    ) -> list[tuple[int, float]]:
        if sort == "relevance" or not ranked:
            return ranked
        positions = np.array([p for p, _ in ranked], dtype=np.int64)
        keys = self._sort_keys(columns, positions, sort, filters)
        return [ranked[i] for i in np.lexsort(keys)]

    def _browse(
        self,
        columns: DocumentColumns,
        where: Mask,
        sort: str,
        filters: SearchFilters,
        page: int,
        per_page: int,
        boosts: Sequence[Mask] = (),
    ) -> list[tuple[int, float]]:
        """No query text: the filtered jobs, ML leadership and freshness first (or as sorted);
        by relevance, those with more of the typed chips (``boosts``) before all."""
        positions = np.flatnonzero(where)
        keys = self._sort_keys(columns, positions, sort, filters)
        if sort == "relevance" and boosts:
            keys = (*keys, -np.sum([mask[positions] for mask in boosts], axis=0))
        chosen = positions[np.lexsort(keys)][(page - 1) * per_page : page * per_page]
        lead = np.nan_to_num(columns.ml_leadership[chosen])
        return [(int(p), float(score)) for p, score in zip(chosen, lead, strict=True)]

    @staticmethod
    def _sort_keys(
        columns: DocumentColumns, positions: np.ndarray, sort: str, filters: SearchFilters
    ) -> tuple[np.ndarray, ...]:
        """``np.lexsort`` keys (last is primary) ordering ``positions`` as ``sort`` asks; the
        document id breaks ties, so pages never overlap."""
        ids = columns.ids[positions]
        posted = columns.posted[positions]
        if sort == "newest":
            return (ids, -posted)
        if sort == "salary":
            # Highest pay first, as far as it compares; then pay that doesn't; then none.
            pay = _pay(columns, filters)[positions]
            stated = columns.salary_currency.codes[positions] >= 0
            group = np.where(~np.isnan(pay), 0, np.where(stated, 1, 2))
            return (ids, -np.nan_to_num(pay, nan=-1.0), group)
        lead = columns.ml_leadership[positions]
        return (ids, -posted, -np.nan_to_num(lead, nan=-1.0), np.isnan(lead))

    # -- facets and results --------------------------------------------------------------------

    def _facets(
        self, columns: DocumentColumns, masks: dict[str, Mask], in_results: np.ndarray | None
    ) -> dict[str, list[tuple[str, int]]]:
        """Each facet's counts among the documents of ``masks`` but its own, and of
        ``in_results`` (positions ascending; None: every document). Few results are counted by
        their positions, each mask read at them only: at a million documents a pass over whole
        masks for each facet cost more than the search (issue 14)."""
        c = columns
        if in_results is not None and len(in_results) * SPARSE_SHARE >= c.size:
            dense = np.zeros(c.size, dtype=bool)
            dense[in_results] = True
            in_results = dense
        if in_results is None or in_results.dtype == bool:
            results = [] if in_results is None else [in_results]

            def among(names: list[str]) -> np.ndarray:  # a mask
                return _all_of([masks[name] for name in names] + results, c.size)
        else:
            picked = in_results
            at = {name: mask[picked] for name, mask in masks.items()}

            def among(names: list[str]) -> np.ndarray:  # positions
                return picked[_all_of([at[name] for name in names], len(picked))]

        chosen: dict[str, np.ndarray] = {}

        def without(name: str) -> np.ndarray:
            key = name if name in masks else ""  # "": all the masks, for each facet not set
            if key not in chosen:
                chosen[key] = among([other for other in masks if other != key])
            return chosen[key]

        now = time.time()
        posted_base = c.posted[without("posted")]
        posted = [
            (f"{days}", int(np.count_nonzero(posted_base >= now - days * 86400)))
            for days in POSTED_BUCKETS
        ]
        stated = int(np.count_nonzero(c.salary_currency.codes[without("salary")] >= 0))
        return {
            "role_family": c.role_family.counts(without("role_family")),
            "seniority": c.seniority.counts(without("seniority")),
            "remote": c.remote.counts(without("remote")),
            "country": c.tag_counts("country", without("country"))[:FACET_TOP],
            "city": c.tag_counts("city", without("city"))[:FACET_TOP],
            "skills": c.tag_counts("skill", without("skill"))[:FACET_TOP],
            "company": c.company.counts(without("company"))[:FACET_TOP],
            "posted_within_days": posted,
            "salary": [("stated", stated)],
        }

    def _hits(self, page: Sequence[tuple[int, float]], terms: list[str]) -> list[Hit]:
        if not page:
            return []
        cards = self.documents.cards_of(doc_id for doc_id, _ in page)
        hits = []
        for doc_id, score in page:
            facts = cards.get(doc_id)
            if facts is None:
                continue
            snippet = highlight(compact.unpack_description(facts.description)[1], terms)
            hits.append(Hit(doc_id, facts.id, round(score, 6), card(facts), [snippet]))
        return hits


def merge_chips(filters: SearchFilters, chips: Iterable[Chip]) -> SearchFilters:
    """``filters`` with the query's chips added (a chip never removes an explicit filter)."""
    merged = copy.copy(filters)
    for name, value in list(vars(merged).items()):
        if isinstance(value, list):
            setattr(merged, name, list(value))  # the chips below add to copies
    for chip in chips:
        target = {
            "remote": merged.remote,
            "seniority": merged.seniority,
            "country": merged.country,
            "city": merged.city,
            "skill": merged.skills,
        }.get(chip.kind)
        if target is not None and chip.value not in target:
            target.append(chip.value)
        elif chip.kind == "salary_min":
            currency, amount = chip.value.split()
            merged.salary_currency, merged.salary_min = currency, float(amount)
        elif chip.kind == "visa":
            merged.visa = True
    return merged


def diversify(
    columns: DocumentColumns, ordered: list[tuple[int, float]], slots: int, most: int
) -> list[tuple[int, float]]:
    """``ordered`` (positions, best first) with at most ``most`` jobs of one company in its first
    ``slots``: a company's further jobs move down, after them, not out.

    >>> from leadboard.search.columns import Categorical
    >>> class Columns:
    ...     company = Categorical.of(["a", "a", "a", "b", None, None])
    >>> ranked = [(p, 1.0) for p in range(6)]
    >>> [p for p, _ in diversify(Columns(), ranked, slots=3, most=1)]
    [0, 3, 4, 1, 2, 5]
    """
    codes = columns.company.codes
    head: list[tuple[int, float]] = []
    later: list[tuple[int, float]] = []
    seen: dict[int, int] = {}
    for index, item in enumerate(ordered):
        if len(head) >= slots:
            return head + later + ordered[index:]
        code = int(codes[item[0]])
        if code >= 0 and seen.get(code, 0) >= most:
            later.append(item)
            continue
        seen[code] = seen.get(code, 0) + 1
        head.append(item)
    return head + later


def _relaxed_note(chip: Chip, count: int) -> str:
    """What a typed chip that ranks rather than filters says.

    >>> _relaxed_note(Chip("seniority", "director", "director", "head of"), 3)
    'showing all levels: 3 jobs are director (first); “head of:” keeps only those'
    """
    jobs = f"{count} job{'s' if count != 1 else ''}"
    said = {
        "seniority": f"showing all levels: {jobs} {'is' if count == 1 else 'are'} {chip.label}",
        "city": f"showing every place: {jobs} in {chip.label}",
        "country": f"showing every place: {jobs} in {chip.label}",
        "remote": f"showing every workplace: {jobs} {chip.label}",
        "skill": f"showing jobs without {chip.label} too: {jobs} name it",
        "visa": f"showing jobs that do not mention visas too: {jobs} mention sponsorship",
    }[chip.kind]
    return f"{said} (first); “{chip.source}:” keeps only those"


# A mask's name (``SearchEngine._masks``) → the filter it stands for, and how to drop it.
_FILTER_NAMES = {
    "open": ("include_closed", "include closed or stale postings"),
    "role_family": ("role_family", "all role families"),
    "seniority": ("seniority", "any level"),
    "remote": ("remote", "any workplace"),
    "country": ("country", "any country"),
    "city": ("city", "any city"),
    "skill": ("skills", "without the skills filter"),
    "company": ("company", "any company"),
    "salary": ("salary_min", "no pay floor"),
    "posted": ("posted_within_days", "posted any time"),
    "years": ("years_max", "any years of experience"),
    "visa": ("visa", "visa sponsorship or not"),
}


def search_terms(text_: str) -> list[str]:
    """The words of a query the full-text engine looks for (stop words dropped, unless the
    query is nothing else).

    >>> search_terms("Head of AI, London")
    ['head', 'ai', 'london']
    """
    words = list(dict.fromkeys(_WORDS.findall(text_.lower())))  # each once, in order
    return [w for w in words if w not in STOP_WORDS] or words


def _hidden_note(
    columns: DocumentColumns, masks: dict[str, Mask], matches: np.ndarray | None
) -> list[str]:
    """Say how many matches (positions; None: every document) are left out as closed or
    stale, so that a short or empty answer is not taken for "nothing matches" (a store of old
    dumps is all stale)."""
    others = _all_of([mask for name, mask in masks.items() if name != "open"], columns.size)
    count = _count(others & ~columns.open, matches)
    if not count:
        return []
    plural = "s" if count != 1 else ""
    return [
        f"{count} more matching posting{plural} closed or stale (not confirmed open for a "
        "while): hidden; include closed postings to see them"
    ]


def _count(mask: Mask, among: np.ndarray | None) -> int:
    """How many of ``among`` (positions; None: every document) ``mask`` holds.

    >>> mask = np.array([True, False, True, True])
    >>> _count(mask, np.array([1, 2])), _count(mask, None)
    (1, 3)
    """
    return int(np.count_nonzero(mask if among is None else mask[among]))


def _with_few(ascending: np.ndarray, few: np.ndarray) -> np.ndarray:
    """``np.union1d(ascending, few)`` for ``ascending`` sorted and unique (a text's matches, up
    to a million) and ``few`` small (the vectors' neighbours): the few put in their places, not
    the whole union hashed again (numpy 2's ``unique``: ~0.6 s of CPU for 800k matches).

    >>> _with_few(np.array([1, 4, 9]), np.array([9, 0, 5, 5]))
    array([0, 1, 4, 5, 9])
    """
    ascending = ascending.astype(np.int64, copy=False)
    few = np.unique(few).astype(np.int64, copy=False)
    at = np.searchsorted(ascending, few)
    held = np.zeros(len(few), dtype=bool)
    inside = at < len(ascending)
    held[inside] = ascending[at[inside]] == few[inside]
    return np.insert(ascending, at[~held], few[~held])


def _all_of(masks: Iterable[Mask], size: int) -> Mask:
    combined = np.ones(size, dtype=bool)
    for mask in masks:
        combined &= mask
    return combined


def _pay(columns: DocumentColumns, filters: SearchFilters) -> np.ndarray:
    """Each document's top yearly pay in ``filters.salary_currency`` (NaN: none, or in a
    currency that is not converted)."""
    currency = columns.salary_currency
    table = rate_table() if filters.convert_currency else None
    factors = np.array(
        [
            1.0
            if value == filters.salary_currency
            else (table.factor(value, filters.salary_currency) if table else None) or np.nan
            for value in currency.values
        ]
        + [np.nan]  # code -1 (no salary) reads the last one
    )
    return columns.salary_year_max * factors[currency.codes]


def _signals(columns: DocumentColumns, positions: np.ndarray, now: float) -> np.ndarray:
    """How much the ranking signals lift each match: ML leadership most, then freshness, salary.
    Freshness is the posting's own date's: a posting that gives none gets none (not the day we
    first saw it, nor a dump's snapshot). A posting with no URL to apply at ranks a little
    lower (``NO_URL``)."""
    lead = np.nan_to_num(columns.ml_leadership[positions])
    posted = columns.posted[positions]
    age_days = np.maximum(0.0, (now - posted) / 86400)
    freshness = np.where(posted > 0, np.exp(-age_days / 180.0), 0.0)
    salary = np.where(columns.salary_currency.codes[positions] >= 0, 1.03, 1.0)
    link = np.where(columns.no_url[positions], NO_URL, 1.0)
    return (0.6 + 0.4 * lead) * (0.85 + 0.15 * freshness) * salary * link


def highlight(text_: str, terms: Sequence[str], chars: int = 240) -> str:
    """Safe HTML: about ``chars`` characters of ``text_`` around its densest run of query words,
    escaped, each query word (or a word sharing its stem: "lead" marks "leadership") in
    ``<mark>``.

    >>> highlight("At Acme <R&D> we build ML platforms; we lead the platform team.",
    ...           ["platform"], chars=50)
    '… Acme &lt;R&amp;D&gt; we build ML <mark>platforms</mark>; we lead the <mark>platform</mark> …'
    >>> highlight("Tools & <b>ML</b>", [])
    'Tools &amp; &lt;b&gt;ML&lt;/b&gt;'
    """
    text_ = " ".join(text_[:BODY_CHARS].split())
    hits = _term_spans(text_, tuple(terms)) if terms else []
    start = 0
    if hits:  # the hit that starts the window holding the most hits
        starts = [begin for begin, _ in hits]
        best = max(range(len(hits)), key=lambda i: bisect_left(starts, starts[i] + chars) - i)
        start = max(0, starts[best] - 20)
        start = text_.rfind(" ", 0, start) + 1 if start else 0  # back to a word's start
    end = min(len(text_), start + chars)
    if end < len(text_):  # to the end of the word it falls in
        end = text_.find(" ", end) if " " in text_[end:] else len(text_)
    pieces, cursor = ["… " if start else ""], start
    for begin, finish in hits:
        if begin >= start and finish <= end:
            pieces += [
                html.escape(text_[cursor:begin]),
                f"<mark>{html.escape(text_[begin:finish])}</mark>",
            ]
            cursor = finish
    pieces.append(html.escape(text_[cursor:end]) + (" …" if end < len(text_) else ""))
    return "".join(pieces)


@lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Query words as they appear in text: short ones whole ("ml", "llms"), longer ones by
    their first letters, a crude stem ("engineer" marks "engineering")."""
    alternatives = [
        re.escape(t) + "s?" if len(t) <= 3 else re.escape(t[: max(4, len(t) - 3)]) + r"\w*"
        for t in sorted(set(terms), key=len, reverse=True)
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def _term_spans(text_: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where ``_term_pattern(terms)`` matches ``text_``, exactly as ``finditer`` finds them, but
    tried only where a word's first letters are (``str.find`` on the lowered text): the
    expression tried at every character was a quarter of a search's CPU on a page of results.

    >>> _term_spans("Lead ML; leadership. MLS", ("lead", "ml"))
    [(0, 4), (5, 7), (9, 19), (21, 24)]
    """
    pattern = _term_pattern(terms)
    lowered = text_.lower()
    if (
        len(lowered) != len(text_)  # a letter that lowers to two ("İ"): positions would shift
        or not all(t.isascii() for t in terms)
        or any(c in text_ for c in _ascii_folds())  # "ſ" matches "s" but lowers to itself
    ):
        return [m.span() for m in pattern.finditer(text_)]
    starts: set[int] = set()
    for t in set(terms):
        first = t[: max(4, len(t) - 3)].lower()  # the literal each alternative begins with
        at = lowered.find(first)
        while at >= 0:
            starts.add(at)
            at = lowered.find(first, at + 1)
    spans: list[tuple[int, int]] = []
    for start in sorted(starts):
        found = pattern.match(text_, start) if not spans or start >= spans[-1][1] else None
        if found:
            spans.append(found.span())
    return spans


@lru_cache(maxsize=1)
def _ascii_folds() -> str:
    """The characters beyond ASCII that an ignore-case expression matches to an ASCII letter
    while their ``lower()`` is no ASCII letter (Python's: "ı", "ſ")."""
    letter = re.compile(r"[a-z]", re.IGNORECASE)
    return "".join(
        c for c in map(chr, range(0x80, 0x10000)) if letter.fullmatch(c) and not c.lower().isascii()
    )


def job_card(job: Job, enrichment: JobEnrichment | None) -> dict[str, Any]:
    """The job as a result shows it (the API's ``job`` object)."""
    return card(CardFacts.of(job, enrichment))


def card(job: CardFacts) -> dict[str, Any]:
    """``job_card`` of a job's card facts (a page of results reads them as they are)."""
    salary = None
    if job.salary_currency:
        salary = {
            "min": job.salary_min,
            "max": job.salary_max,
            "currency": job.salary_currency,
            "period": job.salary_period,
        }
    places = [
        ", ".join(p for p in (place.get("city"), place.get("country")) if p)
        for place in job.locations or []
    ]
    return {
        "id": job.id,
        "title": job.title,
        "company": job.company,
        "location": "; ".join(p for p in places if p) or (job.location_raw or ""),
        "countries": (job.countries or "").split(),
        "remote": job.remote,
        "salary": salary,
        "seniority": job.seniority,
        "role_family": job.role_family,
        "ml_leadership": job.ml_leadership,
        "skills": list(job.skills or []) if job.enriched else [],
        "years_min": job.years_min,
        **job_dates(job),
        "url": job.url,
    }


def job_dates(job: CardFacts) -> dict[str, Any]:
    """What is known of a job's dates, kept apart: the source's posted date (or None), when we
    first saw it, the dump snapshot it came from, whether it is stale or closed, and one line
    saying it for people ("posted 2026-11-30", "first seen 3 days ago", "from a 2018 snapshot",
    "date unknown")."""
    return {
        "posted_at": _iso(job.posted_at),
        "first_seen_at": _iso(job.first_seen_at),
        "snapshot": job.snapshot,
        "stale": job.stale_at is not None,
        "closed": job.closed_at is not None,
        "date_note": date_note(job.posted_at, job.first_seen_at, job.snapshot),
    }


def date_note(
    posted_at: datetime | None,
    first_seen_at: datetime | None,
    snapshot: str | None,
    now: datetime | None = None,
) -> str:
    """One honest line about when a job was posted.

    >>> when = datetime(2026, 12, 4, tzinfo=UTC)
    >>> date_note(None, when, None, now=datetime(2026, 12, 7, tzinfo=UTC))
    'first seen 3 days ago'
    >>> date_note(None, when, "2018"), date_note(when, when, None)
    ('from a 2018 snapshot', 'posted 2026-12-04')
    """
    if posted_at is not None:
        return f"posted {posted_at.date().isoformat()}"
    if snapshot:
        return f"from a {snapshot} snapshot"
    if first_seen_at is None:
        return "date unknown"
    days = ((now or datetime.now(UTC)) - first_seen_at).days
    return "first seen today" if days < 1 else f"first seen {days} day{'s' * (days != 1)} ago"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@contextmanager
def _writing_if_free(store: Store) -> Iterator[bool]:
    """The writer lock if no other process holds it (True), else nothing (False): a search
    never waits for an import, and the import brings the index up to date when it ends."""
    from leadboard.store.locks import StoreBusy

    try:
        with store.writer(wait=0):
            yield True
            return
    except StoreBusy:
        pass
    yield False


def open_engine(store: Store, *, semantic: bool = True, aside: bool = False) -> SearchEngine:
    """Bring the search index up to date and open an engine on it, semantic where it can be;
    also says what is missing (no embedding model, no embeddings yet, no vector engine).

    ``aside`` (a server's start): where the store was indexed before (its vector index holds
    vectors, or semantic search is off), the engine opens on the index as it is and brings it
    up to date in a thread: at a million postings finding what changed reads every job (a
    minute), and the pipeline syncs after every change anyway. The engine reads the new index
    when its generation moves."""
    from leadboard.enrich.embeddings import EmbeddingsUnavailable, default_embedder
    from leadboard.search.vectors import VectorIndexUnavailable, open_vector_index

    if aside and SearchDocuments(store).count():
        try:
            embedder = default_embedder() if semantic else None
            vectors = open_vector_index(store) if semantic else None
        except (EmbeddingsUnavailable, VectorIndexUnavailable):
            vectors = None
        if not semantic or (vectors is not None and vectors.count()):
            engine = (
                SearchEngine(store, embedder=embedder, vectors=vectors)
                if semantic
                else SearchEngine(store, notes=["semantic search is off (asked for)"])
            )
            engine.catching_up = threading.Thread(target=_catch_up, args=(engine,), daemon=True)
            engine.catching_up.start()
            return engine
    with _writing_if_free(store) as free:
        if free:
            sync_search_index(store)
        if not semantic:
            return SearchEngine(store, notes=["semantic search is off (asked for)"])
        try:
            embedder = default_embedder()
            vectors = open_vector_index(store)
            indexed = vectors.sync(store, embedder.version) if free else 0
        except (EmbeddingsUnavailable, VectorIndexUnavailable) as error:
            return SearchEngine(store, notes=[f"semantic search is off: {error}"])
    if not indexed and not vectors.count():
        # The vector index holds open postings only: a store of stale dumps has embeddings
        # and still nothing to search by meaning.
        missing = (
            "no open posting has an embedding (the vector index holds open postings only)"
            if store.has_embeddings(embedder.version)
            else "no embeddings yet (run `leadboard enrich`)"
        )
        return SearchEngine(store, notes=[f"semantic search is off: {missing}"])
    return SearchEngine(store, embedder=embedder, vectors=vectors)


def _catch_up(engine: SearchEngine) -> None:
    """``open_engine(aside=True)``'s sync, in its thread: the documents, then the vectors."""
    try:
        with _writing_if_free(engine.store) as free:
            if not free:
                return  # a writer is at work: it syncs when it ends
            sync_search_index(engine.store)
            if engine.vectors is not None and engine.embedder is not None:
                engine.vectors.sync(engine.store, engine.embedder.version)
    except Exception:
        log.exception("bringing the search index up to date at start failed")
    give_back_freed_memory()


def give_back_freed_memory() -> None:
    """Hand the heap memory a sync or a rebuild of the columns freed back to the system.
    glibc's malloc keeps freed memory for reuse in the arena of the thread that freed it: at
    160k postings a restart's sync and searches left ~0.14 GB resident that nothing used
    (more at a million). Linux only (elsewhere the allocator is left as it is)."""
    if sys.platform.startswith("linux"):
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; musl has none
        if trim is not None:
            trim(0)
