"""Full-text ranking on SQLite: FTS5's BM25 read one word at a time, then summed per query.

FTS5 ranks a query by computing BM25 for every row that matches it — a few microseconds a row, so
"staff machine learning engineer" (20,000 matches among 100k postings) spends ~300 ms ranking,
while finding the matches takes ~20. But FTS5's BM25 of several words is the sum of each word's
own BM25 (one IDF a word; the same document lengths and column weights), so the engine asks FTS5
for one word at a time, keeps each word's ``(positions, scores)``, and adds them up per query
(:func:`bm25_sum`): the same order as FTS5's own multi-word ranking (the tests compare the two).

What a word costs to read grows with the documents holding it. So :meth:`WordScores.warm_up` reads
every *common* word of the index ahead — each token in at least ``COMMON_ROWS`` documents,
commonest first, about 30 MB at 27k postings and 150 MB at 100k — and any other word is read when a
query first asks for it, which costs a few milliseconds. Words are matched as FTS5 matches them,
by its own tokens: :class:`Tokenizer` runs FTS5's tokenizer (porter stemming), so "models" and
"model" share one entry.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

import numpy as np

from leadboard.search.columns import DocumentColumns
from leadboard.search.documents import SearchDocuments

# The tokenizer of the search_fts table (migration 0003): the Tokenizer must split words alike.
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
COMMON_ROWS = 2_000  # a token in this many documents is read ahead; a rarer one costs < ~8 ms
COMMON_BUDGET = 24_000_000  # (position, score) pairs read ahead at most: 8 bytes each
LAZY_BUDGET = 16_000_000  # bytes of the words read on demand kept (2M pairs), oldest dropped first
TOKENS_BUDGET = 8_000_000  # bytes of texts' tokens kept by a Tokenizer
ENTRY_BYTES = 400  # what one cache entry costs beyond its own data: dict slot, key, tuple, arrays

Scores = tuple[np.ndarray, np.ndarray]  # positions ascending (int32), BM25 (float32, lower=better)


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedCache(Generic[K, V]):
    """A dict bounded by what its entries cost in bytes, least recently used dropped first.

    Every entry costs at least ``ENTRY_BYTES`` beyond its data, so entries with no data (a word
    that matches nothing) fill the budget as surely as big ones: the memory stays bounded by
    ``budget`` plus one entry whatever is asked. Not thread-safe: callers hold their own lock.

    >>> cache = SizedCache(budget=3 * ENTRY_BYTES, cost=lambda key, value: 0)
    >>> for word in ("a", "b", "c", "d"):
    ...     cache.put(word, None)
    >>> list(cache.keys()), cache.cost <= cache.budget
    (['b', 'c', 'd'], True)
    """

    def __init__(self, budget: int, cost: Callable[[K, V], int]) -> None:
        self.budget = budget
        self._cost_of = cost
        self._entries: dict[K, tuple[V, int]] = {}
        self.cost = 0

    def get(self, key: K) -> V | None:
        found = self._entries.pop(key, None)
        if found is None:
            return None
        self._entries[key] = found  # the most recently used goes last
        return found[0]

    def put(self, key: K, value: V) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.cost -= old[1]
        cost = ENTRY_BYTES + max(0, self._cost_of(key, value))
        self._entries[key] = (value, cost)
        self.cost += cost
        while self.cost > self.budget and len(self._entries) > 1:
            self.cost -= self._entries.pop(next(iter(self._entries)))[1]

    def clear(self) -> None:
        self._entries.clear()
        self.cost = 0

    def keys(self) -> list[K]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


def text_bytes(value: object) -> int:
    """What a string, or the strings of a tuple, take in memory (roughly; for cache costs).

    >>> text_bytes("abc") == sys.getsizeof("abc"), text_bytes(("a", "b")) > text_bytes("a")
    (True, True)
    """
    if isinstance(value, str):
        return sys.getsizeof(value)
    if isinstance(value, tuple):
        return sys.getsizeof(value) + sum(text_bytes(item) for item in value)
    return sys.getsizeof(value)


def scores_bytes(key: tuple[str, ...], found: Scores) -> int:
    """A word's cache entry: its tokens and its two arrays."""
    return text_bytes(key) + found[0].nbytes + found[1].nbytes


class Tokenizer:
    """FTS5's own tokens of a text, from an in-memory table with the index's tokenizer.

    >>> Tokenizer().tokens("Modeling models")
    ('model', 'model')
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE words USING fts5(w, tokenize='{FTS_TOKENIZE}')")
        self._db.execute("CREATE VIRTUAL TABLE words_tokens USING fts5vocab(words, 'instance')")
        self._lock = threading.Lock()
        self._known: SizedCache[str, tuple[str, ...]] = SizedCache(
            TOKENS_BUDGET, lambda text_, tokens: text_bytes(text_) + text_bytes(tokens)
        )

    def tokens(self, text_: str) -> tuple[str, ...]:
        return self.tokens_of([text_])[0]

    def tokens_of(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The tokens of each text; those not cached are tokenised in one round trip (the
        learned ranker reads a hundred titles a query).

        >>> Tokenizer().tokens_of(["Staff ML Engineers", "", "Staff"])
        [('staff', 'ml', 'engin'), (), ('staff',)]
        """
        with self._lock:
            found = {text_: self._known.get(text_) for text_ in texts}
            missing = [text_ for text_, tokens in found.items() if tokens is None]
            if missing:
                self._db.executemany(
                    "INSERT INTO words (rowid, w) VALUES (?, ?)", enumerate(missing, start=1)
                )
                rows = self._db.execute(
                    "SELECT doc, term FROM words_tokens ORDER BY doc, offset"
                ).fetchall()
                self._db.execute("DELETE FROM words")
                by_row: dict[int, list[str]] = {}
                for row, term in rows:
                    by_row.setdefault(row, []).append(term)
                for row, text_ in enumerate(missing, start=1):
                    tokens = tuple(by_row.get(row, ()))
                    found[text_] = tokens
                    self._known.put(text_, tokens)
        return [found[text_] or () for text_ in texts]


class WordScores:
    """Each word's BM25 over the documents holding it, per index generation (SQLite FTS5).

    ``ranked(documents, columns, words, every)`` gives the positions of the documents holding every
    (or any) of ``words``, best first, exactly as FTS5 ranks them. ``common_rows``: a token in
    this many documents is read ahead by ``warm_up``.
    """

    def __init__(self, common_rows: int = COMMON_ROWS, lazy_budget: int = LAZY_BUDGET) -> None:
        self.common_rows = common_rows
        self.tokenizer = Tokenizer()
        self._generation: int | None = None
        # Read ahead: kept for the generation, bounded by COMMON_BUDGET pairs (warm_up).
        self._common: dict[tuple[str, ...], Scores] = {}
        # Read on demand, words that match nothing included: bounded in bytes.
        self._lazy: SizedCache[tuple[str, ...], Scores] = SizedCache(lazy_budget, scores_bytes)
        self._lock = threading.Lock()

    def ranked(
        self,
        documents: SearchDocuments,
        columns: DocumentColumns,
        words: Sequence[str],
        every: bool,
    ) -> np.ndarray:
        scored = [self.scores(documents, columns, word) for word in words]
        return bm25_sum(scored, every)

    def scores(self, documents: SearchDocuments, columns: DocumentColumns, word: str) -> Scores:
        """(positions ascending, BM25) of the documents holding ``word`` (all its tokens, in
        order, when it has several)."""
        key = self.tokenizer.tokens(word)
        found = self._cached(columns.generation, key)
        if found is None:
            # The word as typed goes to FTS5 (quoted: no query syntax gets through), which
            # tokenises it exactly as ``key`` says.
            quoted = '"' + word.replace('"', '""') + '"'
            found = _read(documents, columns, quoted) if key else _NONE
            with self._lock:
                if self._generation == columns.generation:
                    self._lazy.put(key, found)
        return found

    def warm_up(self, documents: SearchDocuments, columns: DocumentColumns) -> int:
        """Read the common tokens of the index ahead (see the module's docstring); returns how
        many. Searches meanwhile read what they need themselves."""
        self._cached(columns.generation, ())  # a new generation empties the caches
        common = documents.fts_common_terms(self.common_rows)
        read = rows = 0
        for token, count in sorted(common, key=lambda row: -row.documents):
            if rows + count > COMMON_BUDGET:
                break
            # FTS5 stems a query again; a stem that does not stem to itself cannot be asked for
            # as it is (it is read when a word of it is typed).
            if self.tokenizer.tokens(token) != (token,) or (token,) in self._common:
                continue
            found = _read(documents, columns, f'"{token}"')
            with self._lock:
                if self._generation != columns.generation:
                    return read  # the index changed meanwhile: these scores are stale
                self._common[(token,)] = found
            read += 1
            rows += count
        return read

    def read_ahead(self) -> int:
        """How many words ``warm_up`` has read for the index generation last seen."""
        with self._lock:
            return len(self._common)

    def forget(self) -> None:
        """Drop the words read on demand (``warm_up``'s stay): a benchmark's next query then
        pays what a new text costs."""
        with self._lock:
            self._lazy.clear()

    def lazy_bytes(self) -> tuple[int, int]:
        """(words, bytes) of the words read on demand now kept."""
        with self._lock:
            return len(self._lazy), self._lazy.cost

    def _cached(self, generation: int, key: tuple[str, ...]) -> Scores | None:
        with self._lock:
            if self._generation != generation:
                self._generation = generation
                self._common.clear()
                self._lazy.clear()
            found = self._common.get(key)
            return found if found is not None else self._lazy.get(key)


_NONE: Scores = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


def _read(documents: SearchDocuments, columns: DocumentColumns, expression: str) -> Scores:
    """FTS5's BM25 of one word (or phrase) for every document holding it."""
    found = documents.fts_scores(expression)
    ids, scores = found.ids, found.scores
    order = np.argsort(ids)
    positions, held = columns.locate(ids[order])
    # 8 bytes a pair: single precision orders as FTS5 does (the tests compare the orders) and
    # halves the memory.
    return positions[held].astype(np.int32), scores[order][held].astype(np.float32)


def bm25_sum(scored: Sequence[Scores], every: bool) -> np.ndarray:
    """Positions matching every (or any) word, best first, from each word's (positions, BM25).

    >>> first = (np.array([1, 2, 5]), np.array([-1.0, -3.0, -2.0]))
    >>> second = (np.array([2, 5, 7]), np.array([-1.0, -4.0, -9.0]))
    >>> bm25_sum([first, second], every=True).tolist()  # 5: -6, 2: -4
    [5, 2]
    >>> bm25_sum([first, second], every=False).tolist()
    [7, 5, 2, 1]
    """
    if not scored:
        return np.zeros(0, dtype=np.int64)
    scored = sorted(scored, key=lambda pair: len(pair[0]))
    positions: np.ndarray = scored[0][0].astype(np.int64)
    scores: np.ndarray = scored[0][1].astype(np.float64)
    for other_positions, other_scores in scored[1:]:
        if every:  # the documents that have this word too, its score added
            if not len(other_positions):
                return other_positions.astype(np.int64)
            at = np.minimum(np.searchsorted(other_positions, positions), len(other_positions) - 1)
            has = other_positions[at] == positions
            positions, scores = positions[has], scores[has] + other_scores[at[has]]
        else:  # any word: the union, each document's scores summed
            positions, inverse = np.unique(
                np.concatenate([positions, other_positions]), return_inverse=True
            )
            scores = np.bincount(inverse, weights=np.concatenate([scores, other_scores]))
    # Lower is better; ties go to the lower document id (its position).
    return positions[np.lexsort((positions, scores))]
