"""A server's start does not wait for the search index to catch up (issue 14): at a million
postings finding what changed reads every job, a minute; ``open_engine(aside=True)`` opens on
the index as the last sync left it and brings it up to date in a thread. A store never indexed
is indexed at once, as before."""

from __future__ import annotations

import pytest
from support.search_jobs import NOW, fill, make_job

from leadboard.search.documents import SearchDocuments
from leadboard.search.engine import SearchFilters, SearchRequest, open_engine

ANY = SearchFilters(role_family=["any"], include_closed=True)


def test_a_server_start_answers_on_the_last_index_and_catches_up_aside(store) -> None:
    fill(store)
    before = SearchDocuments(store).generation()
    new = make_job("9", "Head of Applied Research", "Lead the zebrafish lab.", "onsite", None, 1)
    store.save_batch([new], [], index=store.duplicate_index(), seen_at=NOW)  # not yet indexed
    engine = open_engine(store, semantic=False, aside=True)
    assert engine.catching_up is not None
    engine.catching_up.join(timeout=30)
    assert SearchDocuments(store).generation() > before  # synced, in the engine's thread
    found = engine.search(SearchRequest(q="zebrafish", filters=ANY))
    assert [hit.job_id for hit in found.results] == [new[1].id]


def test_a_store_never_indexed_is_indexed_before_the_engine_opens(store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("one backend is enough: the choice is made before any SQL of the index")
    new = make_job("9", "Head of Applied Research", "Lead the zebrafish lab.", "onsite", None, 1)
    store.save_batch([new], [], index=store.duplicate_index(), seen_at=NOW)
    engine = open_engine(store, semantic=False, aside=True)
    assert SearchDocuments(store).count() == 1  # no wait: done before it answered
    assert engine.search(SearchRequest(q="zebrafish", filters=ANY)).total == 1
