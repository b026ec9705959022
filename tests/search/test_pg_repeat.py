"""The benches scale a PostgreSQL store up in SQL (``bench.bench_search.repeat_postgres``, issue
14's server path at a million postings): every copy in one statement a table, with the indexes made
again after. The copies must be what the sync would have made of them, or the next start of a
server would rebuild them all, and each copy's word scores must be of the words its text kept."""

from __future__ import annotations

from sqlalchemy import text

from bench.bench_search import repeat_postgres
from leadboard.search.documents import SearchDocuments
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import sync_search_index
from leadboard.store.repository import Store


def counts(store: Store) -> dict[str, int]:
    tables = ("jobs", "enrichments", "search_documents", "search_tags", "search_words")
    with store.engine.connect() as connection:
        return {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables}


def test_copies_are_what_the_sync_would_make(filled_pg_store):
    before = counts(filled_pg_store)
    generation = SearchDocuments(filled_pg_store).generation()

    repeat_postgres(filled_pg_store, 3 * before["search_documents"])

    after = counts(filled_pg_store)
    for table in ("jobs", "enrichments", "search_documents", "search_tags"):
        assert after[table] == 3 * before[table], table
    # Nothing for the sync to rebuild: each copy's doc_key is the one Python would give it.
    summary = sync_search_index(filled_pg_store)
    assert summary.indexed == 0 and summary.total == after["search_documents"]
    assert SearchDocuments(filled_pg_store).generation() > generation  # engines read the copies
    with filled_pg_store.engine.connect() as connection:
        indexes = connection.scalars(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_words'")
        ).all()
        # A copy's word scores are of words its vector holds, and its vector is its original's
        # with some words left out.
        strays = connection.scalar(
            text(
                "SELECT count(*) FROM search_words AS w JOIN search_documents AS d "
                "ON d.id = w.document_id WHERE NOT d.search_vector @@ to_tsquery("
                "'simple', quote_literal(w.word))"
            )
        )
        grown = connection.scalar(
            text(
                "SELECT count(*) FROM search_documents AS c JOIN search_documents AS o "
                "ON c.job_id LIKE o.job_id || '#%' WHERE NOT (tsvector_to_array(c.search_vector) "
                "<@ tsvector_to_array(o.search_vector))"
            )
        )
    assert "ix_search_words_best" in indexes  # made again after the copy
    assert strays == 0 and grown == 0
    assert after["search_words"] <= 3 * before["search_words"]


def test_a_search_finds_the_copies(filled_pg_store):
    request = SearchRequest(q="ranking", filters=SearchFilters(role_family=["any"]))
    found = SearchEngine(filled_pg_store).search(request).total

    repeat_postgres(filled_pg_store, 2 * counts(filled_pg_store)["search_documents"], drop=0.0)

    response = SearchEngine(filled_pg_store).search(request)
    assert found and response.total == 2 * found
    assert any(hit.job_id.endswith("#1") for hit in response.results)
