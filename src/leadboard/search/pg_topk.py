"""Full-text ranking on PostgreSQL: every match from the GIN index, ``ts_rank_cd`` of a bounded few.

``ts_rank_cd`` reads a match's whole ``tsvector`` (~10 µs a match: 100 ms for the 9,000 matches of
"engineering manager" among 27k postings, seconds at a million), while the GIN index alone names
the matches for a tenth of that (``SearchDocuments.ts_matches``). So a search takes every match
from the index — the totals and the facets stay exact — and ranks only candidates
(:func:`best_matches`):

- where at most ``RANK_ALL`` matches pass the filters, all of them: the order is then exactly
  ``ts_rank_cd``'s over every match, as it was;
- else the documents each query word scores best in (``search_words``, migration 0011, read by
  ``SearchDocuments.best_of_words``: one index range a word), ``DEPTH`` a word at first and four
  times deeper while fewer than ``RANK_ALL // 2`` of them match and pass the filters (up to
  ``MAX_DEPTH``), topped up to ``RANK_ALL`` with the newest other matches. A document that holds
  the query's words only once or twice in its text is found by the top-up alone: the order may
  differ from ranking every match, by design (as SQLite's BM25 and ``ts_rank_cd`` differ).

The matches of *any* of a text's words (the engine's fallback where no document in the filters
has them all, a third of new texts) are the union of each word's (:class:`WordMatches`), kept per
index generation: such a search visits every heap row of its words anyway (GIN names no id
without the heap), ~80% of PostgreSQL's CPU in a server's searches when read as one ``|`` query
each time, while a text's words are mostly words other texts asked before. A search for every
word still reads their common matches together, fewer rows than any one of its words has.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from leadboard.search.columns import DocumentColumns, Mask
from leadboard.search.documents import SearchDocuments
from leadboard.search.terms import SizedCache, best, text_bytes

RANK_ALL = 600  # matches in the filters ranked all at once (~6 ms), >= engine.POOL
DEPTH = 300  # documents a word is looked at first, best first
MAX_DEPTH = 4_800
WORD_MATCHES_BYTES = 32_000_000  # words' matches kept for any-word searches (4 bytes a match)


class WordMatches:
    """Each word's matches (positions, int32), from the GIN index, kept per index generation
    (``WORD_MATCHES_BYTES`` at most, the least recently used dropped first), for the searches
    that need any of a text's words (see the module's docstring)."""

    def __init__(self, budget: int = WORD_MATCHES_BYTES) -> None:
        self._kept: SizedCache[tuple[int, str], np.ndarray] = SizedCache(
            budget, lambda key, found: text_bytes(key[1]) + found.nbytes
        )
        self._lock = threading.Lock()

    def any_of(
        self, documents: SearchDocuments, columns: DocumentColumns, terms: Sequence[str]
    ) -> np.ndarray:
        """Positions (int64, ascending) of the documents matching any of ``terms``, as
        ``SearchDocuments.ts_matches(terms, every=False)`` finds them (a word PostgreSQL ignores,
        one of its stop words, matches nothing either way).

        >>> from leadboard.store.repository import Store
        >>> documents = SearchDocuments(Store.open("sqlite://"))
        >>> WordMatches().any_of(documents, DocumentColumns(documents.facts()), []).tolist()
        []
        """
        matched = np.zeros(columns.size, dtype=bool)  # a mask: no sort of the words' matches
        for term in dict.fromkeys(terms):
            matched[self._of(documents, columns, term)] = True
        return np.flatnonzero(matched)

    def _of(self, documents: SearchDocuments, columns: DocumentColumns, term: str) -> np.ndarray:
        key = (columns.generation, term)
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:
            kept = columns.positions_of(documents.ts_matches([term])).astype(np.int32)
            with self._lock:
                self._kept.put(key, kept)
        return kept


def best_matches(
    documents: SearchDocuments,
    columns: DocumentColumns,
    terms: Sequence[str],
    every: bool,
    matched: np.ndarray,
    where: Mask,
    k: int,
    *,
    rank_all: int = RANK_ALL,
    depth: int = DEPTH,
) -> np.ndarray:
    """The ``k`` best of ``matched`` (positions ascending: the matches of ``terms``, every or
    any of them) in ``where``, by ``ts_rank_cd``, best first (ties: the lower position); of
    ``rank_all`` candidates at most where more match (see the module's docstring)."""
    kept = matched[where[matched]]
    if not len(kept):
        return kept.astype(np.int64)
    if len(kept) > rank_all:
        kept = candidates(documents, columns, terms, kept, rank_all, depth)
    ranks = documents.ts_ranks(terms, every=every, among=columns.ids[kept].tolist())
    order = np.argsort(ranks.ids)
    positions, held = columns.locate(ranks.ids[order])
    return best((positions[held], -ranks.scores[order][held]), where, k)


def candidates(
    documents: SearchDocuments,
    columns: DocumentColumns,
    terms: Sequence[str],
    kept: np.ndarray,
    rank_all: int = RANK_ALL,
    depth: int = DEPTH,
) -> np.ndarray:
    """``rank_all`` of ``kept`` (positions ascending, more than ``rank_all`` of them), positions
    ascending: those the words score best in first, then the newest others. Work in the
    candidates only, never a pass over every document (a million at issue 14's scale).

    >>> class Columns:  # documents 10, 20, ... at positions 0, 1, ...
    ...     ids = np.arange(10, 110, 10)
    ...     def locate(self, ids):
    ...         return np.minimum(ids // 10 - 1, 9), np.isin(ids, self.ids)
    >>> class Documents:  # the words score best in documents 50, 20, 990 (not kept), 90
    ...     def best_of_words(self, terms, depth):
    ...         return np.array([50, 20, 990, 90])[:depth]
    >>> candidates(Documents(), Columns(), ["w"], np.arange(8), rank_all=4, depth=4).tolist()
    [1, 4, 6, 7]
    """
    while True:
        ids = documents.best_of_words(terms, depth)  # best first
        positions, held = columns.locate(ids)
        found = positions[held]
        at = np.minimum(np.searchsorted(kept, found), len(kept) - 1)
        found = found[kept[at] == found]  # those in ``kept``
        if len(found) >= rank_all // 2 or depth >= MAX_DEPTH or len(ids) < depth:
            break
        depth *= 4
    found = found[:rank_all]
    # The newest others: of the last kept, as many as are missing, those not found already.
    missing = rank_all - len(found)
    last = kept[max(0, len(kept) - missing - len(found)) :]
    last = last[~np.isin(last, found)]
    return np.sort(np.concatenate([found, last[max(0, len(last) - missing) :]]))
