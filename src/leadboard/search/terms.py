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

Beside a SQLite file, what ``warm_up`` reads is kept on disk (:class:`WordFile`: every common
word, ``FILE_BUDGET`` pairs at most, 1.6 GB at a million postings) for the index generation it
is of: a restart maps it in at once instead of reading for minutes, and the pages a query does
not touch stay on disk.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import sqlite3
import sys
import threading
import uuid
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

import numpy as np

from leadboard.search.columns import DocumentColumns
from leadboard.search.documents import SearchDocuments

# The tokenizer of the search_fts table (migration 0003): the Tokenizer must split words alike.
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
COMMON_ROWS = 2_000  # a token in this many documents is read ahead; a rarer one costs < ~8 ms
COMMON_BUDGET = 24_000_000  # (position, score) pairs read ahead at most: 8 bytes each
FILE_BUDGET = 400_000_000  # ... where they go to a WordFile (mapped in: only used pages stay)
LAZY_BUDGET = 16_000_000  # bytes of the words read on demand kept (2M pairs), oldest dropped first
# Bytes of word lists searches read before the word file's pages are let go (WordFile.release):
# what the file keeps resident stays under about this, and a list is mapped again (~1 ms for a
# million pairs) once in that many bytes' worth of searches rather than at every search.
RELEASE_AFTER = 256_000_000
TOKENS_BUDGET = 8_000_000  # bytes of texts' tokens kept by a Tokenizer
ENTRY_BYTES = 400  # what one cache entry costs beyond its own data: dict slot, key, tuple, arrays
# Endings the porter stemmer takes off again, tried in this order (WordScores.spellings).
ENDINGS = ("e", "s", "ment", "ing", "ed", "al", "ion", "ive", "ity", "ness", "ful", "ly", "er")

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

    def __init__(
        self,
        common_rows: int = COMMON_ROWS,
        lazy_budget: int = LAZY_BUDGET,
        file: WordFile | None = None,
    ) -> None:
        self.common_rows = common_rows
        self.file = file  # where the common words are kept between runs, if anywhere
        self.tokenizer = Tokenizer()
        self._generation: int | None = None
        # Read ahead: kept for the generation, bounded by COMMON_BUDGET pairs (warm_up).
        self._common: dict[tuple[str, ...], Scores] = {}
        # Read on demand, words that match nothing included: bounded in bytes.
        self._lazy: SizedCache[tuple[str, ...], Scores] = SizedCache(lazy_budget, scores_bytes)
        self._read = 0  # bytes of word lists searches read since the word file's pages went
        self._lock = threading.Lock()

    def ranked(
        self,
        documents: SearchDocuments,
        columns: DocumentColumns,
        words: Sequence[str],
        every: bool,
    ) -> np.ndarray:
        """The positions of ``matches``, best first."""
        return _in_order(self.matches(documents, columns, words, every))

    def matches(
        self,
        documents: SearchDocuments,
        columns: DocumentColumns,
        words: Sequence[str],
        every: bool,
    ) -> Scores:
        """Positions (ascending) of the documents holding every (or any) of ``words``, with
        their summed BM25 (lower is better): ``bm25_matches``."""
        scored = [self.scores(documents, columns, word) for word in words]
        found = bm25_matches(scored, every, columns.size)
        if self.file is not None:  # the sums are new arrays: the words' pages need not stay
            with self._lock:
                self._read += sum(positions.nbytes + scores.nbytes for positions, scores in scored)
                release = self._read > RELEASE_AFTER
                self._read = 0 if release else self._read
            if release:
                self.file.release()
        return found

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
        """Read the common tokens of the index ahead (see the module's docstring), or map in
        those a ``file`` holds for this generation; returns how many. Searches meanwhile read
        what they need themselves."""
        self._cached(columns.generation, ())  # a new generation empties the caches
        if self.file is not None:
            kept = self.file.load(columns)
            if kept is not None:
                return self._keep(columns.generation, kept)
        common = documents.fts_common_terms(self.common_rows)
        asked = self.spellings([row.term for row in common])
        writer = self.file.writer() if self.file is not None else None
        budget = FILE_BUDGET if writer is not None else COMMON_BUDGET
        read = rows = 0
        try:
            for token, count in sorted(common, key=lambda row: -row.documents):
                if rows + count > budget:
                    break
                if token not in asked or (token,) in self._common:
                    continue
                found = _read(documents, columns, f'"{asked[token]}"')
                if self._generation != columns.generation:
                    return read  # the index changed meanwhile: these scores are stale
                if writer is not None:  # to disk, mapped in when all are read
                    writer.add(token, found)
                else:
                    with self._lock:
                        self._common[(token,)] = found
                read += 1
                rows += count
            if writer is not None:
                return self._keep(columns.generation, writer.finish(columns))
        finally:
            if writer is not None:
                writer.abandon()
        return read

    def spellings(self, tokens: Sequence[str]) -> dict[str, str]:
        """A word FTS5 reads as each of ``tokens`` alone, for those it finds one for. FTS5 stems
        a query again, and a stem need not stem to itself ("database" is "databas", which is
        "databa"): such a token is asked for as itself with an ending that stemming takes back
        off (``ENDINGS``), else it would be read only when typed — at a million postings, a
        common word read on demand cost ~1 s ("Database Engineer").

        >>> WordScores().spellings(["model", "databas", "respons", "employ"])
        {'model': 'model', 'databas': 'database', 'respons': 'response', 'employ': 'employe'}
        """
        found = {
            token: token
            for token, tokens in zip(tokens, self.tokenizer.tokens_of(tokens), strict=True)
            if tokens == (token,)
        }
        for ending in ENDINGS:
            missing = [token for token in tokens if token not in found]
            if not missing:
                break
            words = [token + ending for token in missing]
            for token, word, tokens_ in zip(
                missing, words, self.tokenizer.tokens_of(words), strict=True
            ):
                if tokens_ == (token,):
                    found[token] = word
        return {token: found[token] for token in tokens if token in found}

    def _keep(self, generation: int, common: dict[tuple[str, ...], Scores]) -> int:
        with self._lock:
            if self._generation == generation:
                self._common = common
        return len(common)

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


class WordFile:
    """The common words' scores of one index generation, on disk (see the module docstring):
    ``<store>.words.json`` names the words, where each one's pairs start, the generation and
    the data files ``<store>.words.<stamp>.positions`` / ``.scores`` (int32, float32). A new
    file set gets a new stamp and the names file moves into place last, so a reader sees the
    old set or the new one, never a mix; the old set's files go once the new one is in place.

    >>> import tempfile
    >>> from leadboard.search.documents import SearchDocuments
    >>> from leadboard.store.repository import Store
    >>> columns = DocumentColumns(SearchDocuments(Store.open("sqlite://")).facts())
    >>> file = WordFile(Path(tempfile.mkdtemp()) / "leadboard.words.json")
    >>> writer = file.writer()
    >>> writer.add("lead", (np.array([0, 3], dtype=np.int32), np.array([-1.5, -2.0])))
    >>> kept = writer.finish(columns)
    >>> kept[("lead",)][0].tolist(), file.load(columns)[("lead",)][1].tolist()
    ([0, 3], [-1.5, -2.0])
    """

    FORMAT = 2  # 2: with the common stems that do not stem to themselves (spellings)

    def __init__(self, path: Path) -> None:
        self.path = path
        self._maps: list[mmap.mmap] = []  # the data files of the set last loaded

    def load(self, columns: DocumentColumns) -> dict[tuple[str, ...], Scores] | None:
        """The words kept for ``columns``' generation and documents (None: none are)."""
        try:
            names = json.loads(self.path.read_text())
            if names.get("format") != self.FORMAT or names.get("of") != _identity(columns):
                return None
            starts, words = names["starts"], names["words"]
            positions, scores = _NONE
            maps = []
            if starts[-1]:  # (an empty file cannot be mapped)
                maps = [_mapped(self._data(names["stamp"], k)) for k in ("positions", "scores")]
                positions = np.frombuffer(maps[0], dtype=np.int32)
                scores = np.frombuffer(maps[1], dtype=np.float32)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        if len(starts) != len(words) + 1 or not starts[-1] == len(positions) == len(scores):
            return None
        self._maps = maps
        return {
            (word,): (positions[start:end], scores[start:end])
            for word, start, end in zip(words, starts, starts[1:], strict=False)
        }

    def writer(self) -> _WordWriter:
        return _WordWriter(self)

    def release(self) -> None:
        """Let go of the file's pages that searches touched: they stay in the kernel's cache,
        mapped again by the next read that needs them (~1 ms for a million pairs), but no
        longer count in this process's memory (else, at a million postings, up to 1.6 GB as
        searches touch more words)."""
        for mapped in self._maps if hasattr(mmap, "MADV_DONTNEED") else ():
            with contextlib.suppress(ValueError):  # closed: nothing to let go of
                mapped.madvise(mmap.MADV_DONTNEED)

    def _data(self, stamp: str, kind: str) -> Path:
        return self.path.with_name(f"{self.path.stem}.{stamp}.{kind}")


class _WordWriter:
    """Appends words' pairs to a new file set of a :class:`WordFile`."""

    def __init__(self, file: WordFile) -> None:
        self.file = file
        self.stamp = uuid.uuid4().hex[:12]
        self.paths = [file._data(self.stamp, kind) for kind in ("positions", "scores")]
        self.outs: list[BinaryIO] = [path.open("wb") for path in self.paths]
        self.words: list[str] = []
        self.starts = [0]

    def add(self, word: str, found: Scores) -> None:
        positions, scores = found
        self.outs[0].write(positions.astype(np.int32).tobytes())
        self.outs[1].write(scores.astype(np.float32).tobytes())
        self.words.append(word)
        self.starts.append(self.starts[-1] + len(positions))

    def finish(self, columns: DocumentColumns) -> dict[tuple[str, ...], Scores]:
        """Put the new set in place (the old one's files go) and map it in."""
        for out in self.outs:
            out.close()
        names: dict[str, Any] = {
            "format": WordFile.FORMAT,
            "of": _identity(columns),
            "stamp": self.stamp,
            "words": self.words,
            "starts": self.starts,
        }
        path = self.file.path
        partial = path.with_name(f"{path.name}.{self.stamp}.partial")
        partial.write_text(json.dumps(names))
        os.replace(partial, path)
        self.paths = []  # in place: not to be abandoned
        for old in path.parent.glob(f"{path.stem}.*"):
            if old.suffix in (".positions", ".scores") and self.stamp not in old.name:
                old.unlink(missing_ok=True)
        kept = self.file.load(columns)
        assert kept is not None, "a word file just written reads back"
        return kept

    def abandon(self) -> None:
        """Remove the files of a set never put in place (the index changed meanwhile)."""
        for out in self.outs:
            out.close()
        for path in self.paths:
            path.unlink(missing_ok=True)


def _mapped(path: Path) -> mmap.mmap:
    """A file mapped in (read-only). The kernel is asked to read it into its cache ahead,
    aside: a new query's words are then a memory read, not a disk read (at a million postings
    the file is 1.6 GB, and the first touch of a word cost up to 700 ms); the pages count in
    this process's memory only once a query reads them (until ``WordFile.release``)."""
    with path.open("rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if hasattr(mmap, "MADV_WILLNEED"):
        mapped.madvise(mmap.MADV_WILLNEED)
    return mapped


def _identity(columns: DocumentColumns) -> list[int]:
    """What the kept scores are of: the generation, the documents, the highest id."""
    return [columns.generation, columns.size, int(columns.ids[-1]) if columns.size else 0]


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
    return _in_order(bm25_matches(scored, every))


def bm25_matches(scored: Sequence[Scores], every: bool, size: int | None = None) -> Scores:
    """The documents matching every (or any) word, positions ascending, with their summed BM25
    (each word's added in the order of the shortest list first, whichever way it is summed: the
    same sums, to the last bit). With ``size`` (how many documents there are) long lists are
    summed into dense arrays, which costs a pass over each list rather than a search per match.

    >>> first = (np.array([1, 2, 5]), np.array([-1.0, -3.0, -2.0]))
    >>> second = (np.array([2, 5, 7]), np.array([-1.0, -4.0, -9.0]))
    >>> [a.tolist() for a in bm25_matches([first, second], every=True)]
    [[2, 5], [-4.0, -6.0]]
    >>> [a.tolist() for a in bm25_matches([first, second], every=True, size=8)]
    [[2, 5], [-4.0, -6.0]]
    >>> [a.tolist() for a in bm25_matches([first, second], every=False, size=8)]
    [[1, 2, 5, 7], [-1.0, -4.0, -6.0, -9.0]]
    """
    if not scored:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    scored = sorted(scored, key=lambda pair: len(pair[0]))
    # Every word: the shortest list bounds the matches; any word: the longest (at a million
    # documents a union of common words, merged list by list, cost ~0.3 s where summed densely
    # it costs ~20 ms).
    bound = len(scored[0][0]) if every else len(scored[-1][0])
    if size and len(scored) > 1 and bound * DENSE_SHARE >= size:
        return _dense_sum(scored, every, size)
    positions: np.ndarray = scored[0][0].astype(np.int64)
    scores: np.ndarray = scored[0][1].astype(np.float64)
    for other_positions, other_scores in scored[1:]:
        if every:  # the documents that have this word too, its score added
            if not len(other_positions):
                return other_positions.astype(np.int64), np.zeros(0, dtype=np.float64)
            at = np.minimum(np.searchsorted(other_positions, positions), len(other_positions) - 1)
            has = other_positions[at] == positions
            positions, scores = positions[has], scores[has] + other_scores[at[has]]
        else:  # any word: the union, each document's scores summed
            positions, inverse = np.unique(
                np.concatenate([positions, other_positions]), return_inverse=True
            )
            scores = np.bincount(inverse, weights=np.concatenate([scores, other_scores]))
    return positions, scores


DENSE_SHARE = 20  # sum densely where the matches may be 1/20 of the documents or more


def _dense_sum(scored: Sequence[Scores], every: bool, size: int) -> Scores:
    total = np.zeros(size, dtype=np.float64)
    holding = np.zeros(size, dtype=np.int16)  # how many of the words each document holds
    for positions, scores in scored:  # shortest first, as bm25_matches adds them
        total[positions] += scores
        holding[positions] += 1
    kept = np.flatnonzero(holding == len(scored) if every else holding > 0)
    return kept.astype(np.int64), total[kept]


def _in_order(found: Scores) -> np.ndarray:
    """Positions best first (lower score); ties go to the lower position (document id)."""
    positions, scores = found
    return positions[np.lexsort((positions, scores))]


def best(found: Scores, where: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best of ``found``'s positions in ``where`` (a mask), best first: exactly the
    first ``k`` of the whole order, without putting every match in order.

    >>> found = (np.array([1, 2, 5, 7]), np.array([-1.0, -4.0, -6.0, -4.0]))
    >>> best(found, np.ones(8, dtype=bool), 2).tolist(), best(found, np.ones(8, dtype=bool), 9)
    ([5, 2], array([5, 2, 7, 1]))
    """
    positions, scores = found
    kept = where[positions]
    positions, scores = positions[kept], scores[kept]
    if len(positions) > k:  # those no worse than the k-th best (its ties too) are put in order
        near = scores <= np.partition(scores, k - 1)[k - 1]
        positions, scores = positions[near], scores[near]
    return _in_order((positions, scores))[:k]
