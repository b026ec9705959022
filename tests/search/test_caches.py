"""Every cache of the search has a memory bound that holds whatever users type (issue 12, item 5).

Words that match nothing used to be kept forever: the budget counted the rows a word matched, so
an entry with no rows cost nothing and never left. Each entry now costs its bytes plus a fixed
overhead, so unknown words fill the budget and the oldest leave.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from support.search_jobs import fill

from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.terms import ENTRY_BYTES, SizedCache, Tokenizer, WordScores

ANY = SearchFilters(role_family=["any"])


def test_entries_with_no_data_still_fill_the_budget() -> None:
    cache: SizedCache[str, int] = SizedCache(budget=100 * ENTRY_BYTES, cost=lambda k, v: 0)
    for n in range(100_000):
        cache.put(f"unknown{n}", 0)
    assert len(cache) == 100 and cache.cost <= cache.budget
    assert "unknown99999" in cache and "unknown0" not in cache  # the oldest left first


def test_the_least_recently_used_entry_leaves_first() -> None:
    cache: SizedCache[str, int] = SizedCache(budget=2 * ENTRY_BYTES, cost=lambda k, v: 0)
    cache.put("kept", 1)
    cache.put("other", 2)
    assert cache.get("kept") == 1  # used again: now the newest
    cache.put("new", 3)
    assert cache.keys() == ["kept", "new"]


def test_a_big_entry_is_counted_by_its_bytes() -> None:
    cache: SizedCache[str, np.ndarray] = SizedCache(
        budget=1_000_000, cost=lambda key, value: value.nbytes
    )
    for n in range(10):
        cache.put(str(n), np.zeros(200_000, dtype=np.int32))  # 800 kB each
    assert len(cache) == 1 and cache.cost <= 1_000_000 + 800_000 + ENTRY_BYTES


def test_many_unknown_words_keep_the_word_cache_bounded(store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's WordScores (PostgreSQL's: test_pg_words.py)")
    fill(store)
    engine = SearchEngine(store)
    budget = 200 * ENTRY_BYTES
    words = WordScores(lazy_budget=budget)
    columns = engine.columns()
    assert len(words.scores(engine.documents, columns, "ranking")[0]) == 1  # a known word is found
    tracemalloc.start()
    try:
        for n in range(3_000):
            words.scores(engine.documents, columns, f"zqx{n}unknownword")
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    kept, cost = words.lazy_bytes()
    assert kept <= 200 and cost <= budget
    # What stays allocated: the bounded word cache and the tokenizer's (3,000 short texts).
    assert held < budget + 3_000 * ENTRY_BYTES + 500_000


def test_the_tokenizer_keeps_a_bounded_number_of_bytes() -> None:
    tokenizer = Tokenizer()
    tokenizer._known.budget = 50_000  # a small bound, to see it hold
    for n in range(2_000):
        assert tokenizer.tokens(f"word{n} " * 20)
    assert tokenizer._known.cost <= 50_000


def test_the_engines_match_cache_is_bounded_by_bytes(store) -> None:
    fill(store)
    engine = SearchEngine(store)
    engine._match_cache.budget = 30 * ENTRY_BYTES
    for n in range(300):
        engine.search(SearchRequest(q=f"unknownword{n}", filters=ANY, mode="lexical"))
    assert len(engine._match_cache) <= 30
    assert engine._match_cache.cost <= engine._match_cache.budget
