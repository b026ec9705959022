"""What the search derives from the documents is kept beside a SQLite store (issue 14): a
restart reads the documents' columns and the common words' scores back instead of computing
them again (a minute and several minutes at a million postings), and never reads those of an
older index."""

from __future__ import annotations

import mmap

import numpy as np
import pytest
from support.search_jobs import NOW, fill, make_job

from leadboard.search.columns import DocumentColumns, beside_store
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import sync_search_index
from leadboard.search.terms import WordFile

ANY = SearchFilters(role_family=["any"])


@pytest.fixture
def filled(store):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("the files beside a SQLite store (PostgreSQL's: test_pg_words.py)")
    fill(store)
    return store


def mapped_base(array: np.ndarray) -> object:
    """What an array's memory finally belongs to (a memory map, for mapped words)."""
    base: object = array
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    return base.obj if isinstance(base, memoryview) else base


def warmed(store) -> tuple[SearchEngine, int]:
    engine = SearchEngine(store)
    engine.words.common_rows = 3  # the fixture's "common" words: in 3+ jobs
    return engine, engine.warm_up()


def test_a_restart_maps_in_the_common_words_an_earlier_run_read(filled) -> None:
    first, read = warmed(filled)
    assert read >= 3 and first.words.read_ahead() == read
    again, read_again = warmed(filled)  # as a restarted server
    assert read_again == read
    kept = again.words._common
    # Mapped from the file, not read from the full-text index again; the same scores.
    assert all(isinstance(mapped_base(positions), mmap.mmap) for positions, _ in kept.values())
    for key, (positions, scores) in first.words._common.items():
        assert kept[key][0].tolist() == positions.tolist()
        assert kept[key][1].tolist() == scores.tolist()
    for q in ("machine learning engineer", "team platform", "lead"):
        request = SearchRequest(q=q, filters=ANY)
        assert [h.job_id for h in again.search(request).results] == [
            h.job_id for h in first.search(request).results
        ]


def test_the_words_of_an_older_index_are_not_used_and_their_files_go(filled) -> None:
    engine, _ = warmed(filled)
    path = beside_store(filled, ".words.json")
    assert path is not None and WordFile(path).load(engine.columns()) is not None
    changed = make_job("3", "Senior Data Analyst", "Dashboards in Looker.", "onsite", None, 1)
    filled.save_batch([changed], [], index=filled.duplicate_index(), seen_at=NOW)
    assert sync_search_index(filled).indexed == 1
    restarted = SearchEngine(filled)
    assert WordFile(path).load(restarted.columns()) is None  # of the generation before
    restarted.words.common_rows = 3
    assert restarted.warm_up() >= 3  # read again, and kept for this generation
    assert WordFile(path).load(restarted.columns()) is not None
    assert len(list(path.parent.glob("leadboard.words.*.positions"))) == 1  # the old set went


def test_a_restart_reads_the_columns_back_with_every_fact(filled) -> None:
    engine = SearchEngine(filled)
    built = engine.columns()
    path = beside_store(filled, ".columns.npz")
    assert path is not None and path.exists()
    saved = DocumentColumns.load(path, built.generation)
    assert saved is not None
    for name, value in vars(built).items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(getattr(saved, name), value, equal_nan=True), name
    assert saved.title == built.title and saved.company.values == built.company.values
    assert {k: t.values.values for k, t in saved.tags.items()} == {
        k: t.values.values for k, t in built.tags.items()
    }
    assert DocumentColumns.load(path, built.generation + 1) is None  # another index's
    request = SearchRequest(q="engineer", filters=ANY)
    restarted = SearchEngine(filled)
    answer, expected = restarted.search(request), engine.search(request)
    assert answer.facets == expected.facets and answer.total == expected.total


def test_damaged_files_are_read_again_from_the_store(filled) -> None:
    engine, read = warmed(filled)
    columns = engine.columns()
    for suffix in (".words.json", ".columns.npz"):
        path = beside_store(filled, suffix)
        assert path is not None
        path.write_bytes(b"not what was written")
    saved = beside_store(filled, ".columns.npz")
    assert saved is not None and DocumentColumns.load(saved, columns.generation) is None
    again, read_again = warmed(filled)
    assert read_again == read and again.columns().size == columns.size


def resident_kilobytes(fragment: str) -> int:
    """Resident kilobytes of this process's mappings of files whose path holds ``fragment``."""
    total, counting = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head, *rest = line.split()
            if not head.endswith(":"):  # a mapping's first line: addresses ... [path]
                counting = len(rest) >= 5 and fragment in rest[4]
            elif counting and head == "Rss:":
                total += int(rest[0])
    return total


@pytest.mark.skipif(not hasattr(mmap, "MADV_DONTNEED"), reason="no madvise here")
def test_searches_let_go_of_the_word_file_pages_they_read(filled, monkeypatch) -> None:
    """The word file's pages stay in the kernel's cache, not in the server's memory: once
    searches have read ``RELEASE_AFTER`` bytes of lists, none of them count in this process
    (issue 14: at a million postings they made up a good part of its 3 GB), and the answers
    are the same."""
    from pathlib import Path

    from leadboard.search import terms

    if not Path("/proc/self/smaps").exists():
        pytest.skip("Linux's /proc reports what is resident")
    first, _ = warmed(filled)
    again, _ = warmed(filled)  # the words mapped from the file
    request = SearchRequest(q="acme team", filters=ANY)  # two of the fixture's common words
    answer = [h.job_id for h in again.search(request).results]
    assert resident_kilobytes("leadboard.words.") > 0  # under the budget: the pages stay
    monkeypatch.setattr(terms, "RELEASE_AFTER", 0)
    again._match_cache.clear()
    assert [h.job_id for h in again.search(request).results] == answer
    assert answer == [h.job_id for h in first.search(request).results]
    assert resident_kilobytes("leadboard.words.") == 0
