"""The engine puts only the best ``POOL`` full-text matches in order (issue 14): at a million
postings, sorting every match of "machine learning engineer" cost more than the rest of the
search. What it picks must be exactly the first of the whole order, ties included, and the
sums of long word lists (added densely) must be those of the short ones, to the last bit."""

from __future__ import annotations

import numpy as np

from leadboard.search.terms import best, bm25_matches


def whole_order(found: tuple[np.ndarray, np.ndarray], where: np.ndarray) -> list[int]:
    positions, scores = found
    kept = where[positions]
    positions, scores = positions[kept], scores[kept]
    return positions[np.lexsort((positions, scores))].tolist()


def test_the_best_k_are_the_first_k_of_the_whole_order_ties_included() -> None:
    rng = np.random.default_rng(14)
    for trial in range(200):
        size = int(rng.integers(1, 3_000))
        positions = np.sort(rng.choice(size, int(rng.integers(0, size + 1)), replace=False))
        # Few distinct scores: many ties, some across the k-th place.
        scores = rng.integers(-8, 0, len(positions)).astype(np.float64)
        where = rng.random(size) < rng.random()
        k = int(rng.integers(1, 400))
        expected = whole_order((positions, scores), where)[:k]
        assert best((positions, scores), where, k).tolist() == expected, trial


def test_dense_and_sparse_sums_agree_to_the_last_bit() -> None:
    rng = np.random.default_rng(7)
    size = 5_000
    words = []
    for share in (0.5, 0.3, 0.9):
        positions = np.sort(rng.choice(size, int(size * share), replace=False)).astype(np.int32)
        words.append((positions, -rng.random(len(positions)).astype(np.float32) * 9))
    for every in (True, False):
        sparse = bm25_matches(words, every)  # no size: the search per match
        dense = bm25_matches(words, every, size)  # long lists: summed into dense arrays
        assert sparse[0].tolist() == dense[0].tolist()
        assert sparse[1].tobytes() == dense[1].tobytes()
