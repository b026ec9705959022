"""Facet counts at a million postings (issue 14): a narrow query's matches count their tags
through their own pairs, a broad one's by a pass over every pair; both must give the counts
a plain loop gives, whatever the mask."""

from __future__ import annotations

from collections import Counter

import numpy as np

from leadboard.search.columns import SPARSE_SHARE, Categorical, Tags


def plain_counts(positions: list[int], values: list[str], mask: np.ndarray) -> list:
    counted = Counter(v for p, v in zip(positions, values, strict=True) if mask[p])
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


def test_tag_counts_match_a_plain_count_for_narrow_and_broad_masks() -> None:
    rng = np.random.default_rng(3)
    size = 4_000
    pairs = int(size * 2.7)
    positions = rng.integers(0, size, pairs)  # in no order, some documents without tags
    values = [f"skill{v}" for v in rng.zipf(1.6, pairs) % 300]
    tags = Tags.of(positions, Categorical.of(values))
    for share in (0.0, 0.001, 0.5 / SPARSE_SHARE, 2 / SPARSE_SHARE, 0.6, 1.0):
        mask = rng.random(size) < share
        assert tags.counts(mask) == plain_counts(positions.tolist(), values, mask), share
        # A search's matches are counted by their positions, never made a mask (issue 14).
        picked = np.flatnonzero(mask)
        assert tags.counts(picked) == tags.counts(mask), share


def test_categorical_counts_leave_documents_without_a_value_out() -> None:
    column = Categorical.of(["data", None, "data", "ml_ic", None])
    assert column.counts(np.array([True, True, True, True, True])) == [("data", 2), ("ml_ic", 1)]
    assert column.counts(np.zeros(5, dtype=bool)) == []
    assert column.counts(np.array([1, 3, 4])) == [("ml_ic", 1)]
