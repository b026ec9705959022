"""Full-text matching and ranking on PostgreSQL, from each word's documents kept in memory.

Read from PostgreSQL at each search, a common word cost a visit to every heap row that holds it
(GIN has no index-only scan: a parallel scan of the whole table for the words of 40% of a
million postings) and ``ts_rank_cd`` read every candidate's whole vector: 64-78 ms of the
database's CPU a new text at a million postings, where issue 14 allows ~35 in all. So the
PostgreSQL path works as SQLite's does (``terms.py``): each word's (position, score) pairs, the
every-word matches their intersection, the any-word ones their union, the order their sums
(``terms.bm25_matches``, ``terms.best``), and PostgreSQL serves the page's cards.

- A word is a lexeme of ``search_vector`` (PostgreSQL's english stemming; a typed word is
  stemmed by the server, one round trip a search for the words not seen before).
- Its documents come from the GIN index, its score in a document from ``search_words``
  (migration 0011: BM25's term part, title words weighted 8, company and skills 3, the text 1,
  for the words a document weighs 3 or more) times BM25's IDF; a document that says the word
  only once or twice in its text (no ``search_words`` row) scores ``UNSCORED``, what one
  mention in a text of average length gives. The order is BM25's, not ``ts_rank_cd``'s
  (which rewards words close together): ``bench_search relevance`` measures both.
- The common words (in ``COMMON_ROWS`` documents or more) are read at the start of each index
  generation (``warm_up``) into a :class:`terms.WordFile` under ``$LEADBOARD_HOME/search``, which
  every worker of ``serve --workers N`` maps in: one builds it (a file lock), the others wait and
  map it. A rarer word is read when a search first asks for it (a few hundred rows at most).
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sqlalchemy import text

from leadboard.search.columns import DocumentColumns, beside_store
from leadboard.search.documents import SearchDocuments
from leadboard.search.terms import (
    COMMON_ROWS,
    FILE_BUDGET,
    LAZY_BUDGET,
    TOKENS_BUDGET,
    Scores,
    SizedCache,
    WordFile,
    bm25_matches,
    scores_bytes,
    text_bytes,
)
from leadboard.store.database import leadboard_home
from leadboard.store.repository import Store

# A document that holds a word but weighs it under 3 (once or twice in its text): BM25's term
# part for one mention in a text of average length (search_words' formula, weighted = 1).
UNSCORED = 1.0


class PgWordScores:
    """Each lexeme's (positions ascending, score: lower is better) per index generation, read
    from PostgreSQL (see the module's docstring); ``file``: where the common ones are kept."""

    def __init__(
        self,
        file: WordFile | None = None,
        common_rows: int = COMMON_ROWS,
        lazy_budget: int = LAZY_BUDGET,
    ) -> None:
        self.file = file
        self.common_rows = common_rows
        self._generation: int | None = None
        self._common: dict[tuple[str, ...], Scores] = {}
        self._lazy: SizedCache[tuple[str, ...], Scores] = SizedCache(lazy_budget, scores_bytes)
        self._lexemes: SizedCache[str, tuple[str, ...]] = SizedCache(
            TOKENS_BUDGET, lambda word, lexemes: text_bytes(word) + text_bytes(lexemes)
        )
        self._lock = threading.Lock()

    def matches(
        self,
        documents: SearchDocuments,
        columns: DocumentColumns,
        terms: Sequence[str],
        every: bool,
    ) -> Scores:
        """Positions (ascending) of the documents holding every (or any) of ``terms``' lexemes
        (``to_tsquery``'s ``&`` or ``|`` of them; a stop word asks for nothing), with their
        summed scores. A word of several lexemes ("foo_bar") asks for each of them, anywhere
        in the document (PostgreSQL reads it as a phrase)."""
        words = dict.fromkeys(w for found in self.lexemes(documents, terms) for w in found)
        scored = [self.scores(documents, columns, word) for word in words]
        return bm25_matches(scored, every, columns.size)

    def knows(self, documents: SearchDocuments, columns: DocumentColumns, word: str) -> bool:
        """Whether some document holds ``word`` (each of its lexemes; a stop word: no)."""
        lexemes = self.lexemes(documents, [word])[0]
        return bool(lexemes) and all(len(self.scores(documents, columns, w)[0]) for w in lexemes)

    def lexemes(self, documents: SearchDocuments, terms: Sequence[str]) -> list[tuple[str, ...]]:
        """Each term's lexemes, those not seen before stemmed by the server in one round trip."""
        with self._lock:
            found = {term: self._lexemes.get(term) for term in terms}
        missing = [term for term, lexemes in found.items() if lexemes is None]
        for term, lexemes in zip(missing, documents.lexemes(missing), strict=True):
            found[term] = lexemes
            with self._lock:
                self._lexemes.put(term, lexemes)
        return [found[term] or () for term in terms]

    def scores(self, documents: SearchDocuments, columns: DocumentColumns, word: str) -> Scores:
        """(positions ascending, score) of the documents holding the lexeme ``word``."""
        key = (word,)
        with self._lock:
            self._renew(columns.generation)
            found = self._common.get(key)
            if found is None:
                found = self._lazy.get(key)
        if found is None:
            found = read_word(documents, columns, word)
            with self._lock:
                if self._generation == columns.generation:
                    self._lazy.put(key, found)
        return found

    def warm_up(self, documents: SearchDocuments, columns: DocumentColumns) -> int:
        """Map in the common words ``file`` holds for this generation, after writing it where
        none does (one worker at a time: the others then map in what it wrote); how many."""
        with self._lock:
            self._renew(columns.generation)
        if self.file is None:
            return 0
        with _locked(self.file.path.with_name(self.file.path.name + ".lock")):
            kept = self.file.load(columns)
            if kept is None:
                kept = self._write(documents, columns, self.file)
        if kept is None:
            return 0
        with self._lock:
            if self._generation == columns.generation:
                self._common = kept
        return len(kept)

    def forget(self) -> None:
        """Drop the words read on demand and the texts' lexemes (a benchmark's next text then
        pays what a new text costs)."""
        with self._lock:
            self._lazy.clear()
            self._lexemes.clear()

    def _write(
        self, documents: SearchDocuments, columns: DocumentColumns, file: WordFile
    ) -> dict[tuple[str, ...], Scores] | None:
        """Every common word, commonest first (``FILE_BUDGET`` pairs at most), to a new set of
        ``file``; None if the index changed meanwhile."""
        common = sorted(documents.word_counts(self.common_rows), key=lambda row: -row.documents)
        writer = file.writer()
        rows = 0
        try:
            for word, count in common:
                if rows + count > FILE_BUDGET:
                    break
                found = read_word(documents, columns, word)
                if documents.generation() != columns.generation:
                    return None
                writer.add(word, found)
                rows += count
            return writer.finish(columns)
        finally:
            writer.abandon()

    def _renew(self, generation: int) -> None:
        """A new generation empties the caches (the caller holds the lock)."""
        if self._generation != generation:
            self._generation = generation
            self._common = {}
            self._lazy.clear()


def read_word(documents: SearchDocuments, columns: DocumentColumns, word: str) -> Scores:
    """The lexeme ``word``'s (positions ascending, int32; score, float32: lower is better):
    ``search_words``' score where it has one, else ``UNSCORED``, times BM25's IDF, negated."""
    postings = documents.word_postings(word)
    positions, held = columns.locate(postings.ids)
    positions = positions[held]
    weights = np.full(len(positions), UNSCORED, dtype=np.float64)
    scored, kept = columns.locate(postings.scored_ids)
    scored, scores = scored[kept], postings.scores[kept]
    at = np.minimum(np.searchsorted(positions, scored), max(0, len(positions) - 1))
    match = positions[at] == scored if len(positions) else np.zeros(len(scored), dtype=bool)
    weights[at[match]] = scores[match]
    holding = len(positions)
    idf = math.log(1 + (columns.size - holding + 0.5) / (holding + 0.5))
    return positions.astype(np.int32), (-idf * weights).astype(np.float32)


def kept_beside(store: Store, suffix: str) -> Path | None:
    """Where the search keeps what it derives from the documents (``suffix``: what): beside a
    SQLite file (``columns.beside_store``); for a PostgreSQL database, under
    ``$LEADBOARD_HOME/search``, named by the database (its server, name and oid: a database
    made again under the same name is another). None for an in-memory store, or where that
    folder cannot be made."""
    if store.engine.dialect.name != "postgresql":
        return beside_store(store, suffix)
    url = store.engine.url
    with store.engine.connect() as connection:
        oid = connection.scalar(
            text("SELECT oid FROM pg_database WHERE datname = current_database()")
        )
    named = f"{url.host}:{url.port}/{url.database}/{oid}"
    digest = hashlib.sha256(named.encode()).hexdigest()[:16]
    folder = leadboard_home() / "search"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a home we cannot write to: nothing is kept, searches read as they go
        return None
    return folder / f"{url.database}-{digest}{suffix}"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (made where missing), held by one process at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
