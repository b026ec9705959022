"""A posting's text is kept once (migration 0010): the search documents say how much of the job's
description the full-text index holds, not the text. On SQLite the index is a contentless FTS5
table, which removes a document only when told the text it indexed; these tests change jobs'
texts under it (before a sync, twice, while a sync is building) and check that the index stays
whole and finds what the jobs say now — and that a store migrated from 0009 and back, with real
postings, finds the same postings in the same order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from support.migrations import migrate_to
from support.search_jobs import NOW, fill, make_job

from leadboard.enrich.enricher import Enricher
from leadboard.enrich.role import RoleClassifier
from leadboard.enrich.training import PACKAGED_ROLE_MODEL_DIR
from leadboard.pipeline import import_paths, refresh_store
from leadboard.search.documents import SearchDocuments
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import _document, sync_search_index
from leadboard.store import compact

JOB = "greenhouse:acme:{}".format
POSTINGS = 300  # the first lines of one real dump
WORDS = ['"machine"', '"learning"', '"engineer"', '"python"', '"node.js"', '"remote"', '"lead"']
QUERIES = ["machine learning", "staff engineer python", "remote data scientist", "head of ai"]


def matched(store, word: str) -> list[int]:
    """Ids of the documents the full-text index finds ``word`` in (either backend)."""
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            query = "SELECT rowid FROM search_fts WHERE search_fts MATCH :w ORDER BY rowid"
            return list(connection.scalars(text(query), {"w": f'"{word}"'}))
        query = (
            "SELECT id FROM search_documents WHERE search_vector @@ "
            "plainto_tsquery('english', :w) ORDER BY id"
        )
        return list(connection.scalars(text(query), {"w": word}))


def scores(store, word: str) -> list[tuple[int, float]]:
    """Every document matching ``word`` with the backend's own score of it."""
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            query = (
                "SELECT rowid, bm25(search_fts, 8.0, 2.0, 3.0, 1.0) FROM search_fts "
                "WHERE search_fts MATCH :w ORDER BY rowid"
            )
            return [tuple(row) for row in connection.execute(text(query), {"w": word})]
        query = (
            "SELECT id, ts_rank_cd(search_vector, q) FROM search_documents, "
            "phraseto_tsquery('english', :w) q WHERE search_vector @@ q ORDER BY id"
        )
        return [tuple(row) for row in connection.execute(text(query), {"w": word.strip('"')})]


def assert_whole(store) -> None:
    """SQLite: FTS5's own check that the index holds exactly what it was told."""
    if store.engine.dialect.name == "sqlite":
        with store.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
            )
            left = connection.scalar(text("SELECT count(*) FROM search_replaced_text"))
        assert left == 0  # a sync leaves no replaced text behind


def save(store, *jobs) -> None:
    store.save_batch(list(jobs), [], index=store.duplicate_index(), seen_at=NOW)


def test_a_changed_text_is_found_by_its_new_words_only(store):
    fill(store)
    save(store, make_job("3", "Data Analyst", "Forecasts in Tableau.", "onsite", None, 1))
    save(
        store,
        make_job("3", "Data Analyst", "Forecasts in Tableau, then Looker.", "onsite", None, 1),
    )
    sync_search_index(store)
    analyst = SearchDocuments(store).document_of_job(JOB(3)).id
    assert matched(store, "looker") == [analyst] and matched(store, "dashboards") == []
    assert_whole(store)
    save(store, make_job("3", "Data Analyst", "Dashboards again.", "onsite", None, 1))
    sync_search_index(store)
    assert matched(store, "dashboards") == [analyst] and matched(store, "looker") == []
    assert_whole(store)


def test_a_document_built_before_its_job_changed_keeps_the_text_it_indexed(store):
    """A sync reads the jobs, then writes: a crawl may change a job in between."""
    fill(store)
    before = make_job("2", "Engineering Manager", "Manage the Spark team.", "hybrid", None, 1)
    save(store, before)
    [pair] = store.jobs_with_enrichments([JOB(2)])
    built = _document(pair.job, pair.enrichment)  # what the sync is about to write
    save(store, make_job("2", "Engineering Manager", "Manage the Flink team.", "hybrid", None, 1))
    SearchDocuments(store).save([built])
    manager = SearchDocuments(store).document_of_job(JOB(2)).id
    assert matched(store, "spark") == [manager] and matched(store, "flink") == []
    sync_search_index(store)  # the next sync indexes the text the job has now
    assert matched(store, "flink") == [manager] and matched(store, "spark") == []
    assert_whole(store)


def test_the_store_holds_no_second_copy_of_the_text(store):
    fill(store)
    columns = {column["name"] for column in inspect(store.engine).get_columns("search_documents")}
    assert "body" not in columns and "body_chars" in columns
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as connection:
        tables = set(connection.scalars(text("SELECT name FROM sqlite_schema")))
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert "search_fts_content" not in tables  # contentless: FTS5 keeps no copy either
    # Once, in the job's description (a frame this short keeps its words as they are).
    assert Path(store.engine.url.database).read_bytes().count(b"Croissants") == 1
    assert matched(store, "croissants") != []


def results(store) -> list[tuple[int, list[str]]]:
    engine = SearchEngine(store)  # a new engine: nothing cached from another layout
    found = []
    for query in QUERIES:
        response = engine.search(SearchRequest(q=query, filters=SearchFilters(role_family=["any"])))
        found.append((response.total, [hit.job_id for hit in response.results]))
    return found


def test_real_postings_search_the_same_after_0009_to_the_newest_and_back(
    store, shared_data_dir, tmp_path
):
    enricher = Enricher(role_model=RoleClassifier.load(PACKAGED_ROLE_MODEL_DIR))
    dump = tmp_path / "slice.jsonl"
    source = shared_data_dir / "postings" / "ats-boards-2026-05" / "postings.jsonl"
    with source.open() as lines:
        dump.write_text("".join(itertools.islice(lines, POSTINGS)))
    import_paths(store, [dump])
    refresh_store(store, enricher=enricher, say=lambda message: None)
    first = results(store)
    assert any(total for total, _ in first)

    migrate_to(store.engine, "0009", down=True)  # a store of the layout before
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM search_documents WHERE body != ''"))
    before = {word: scores(store, word) for word in WORDS}
    assert any(before.values())
    migrate_to(store.engine, "head", down=False)
    assert {word: scores(store, word) for word in WORDS} == before
    assert results(store) == first
    assert_whole(store)

    migrate_to(store.engine, "0009", down=True)
    assert {word: scores(store, word) for word in WORDS} == before
    migrate_to(store.engine, "head", down=False)
    assert {word: scores(store, word) for word in WORDS} == before
    assert results(store) == first
    assert_whole(store)


@pytest.mark.parametrize("changed", [False, True])
def test_the_migration_keeps_what_an_unsynced_document_indexed(store, changed):
    """An 0009 store whose job changed after its document was built: 0010 still removes the
    document by the text it indexed, at the next sync."""
    fill(store)
    migrate_to(store.engine, "0009", down=True)
    if changed:  # the crawl ran (it wrote the job as 0009's code did), the sync did not
        _, job = make_job("5", "Pastry Chef", "Brioche for a hotel.", "onsite", None, 2)
        description = compact.pack_description(job.description_html, job.description_text)
        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE jobs SET description = :d, content_hash = :h WHERE id = :id"),
                {"d": description, "h": job.content_hash, "id": job.id},
            )
    migrate_to(store.engine, "head", down=False)
    chef = SearchDocuments(store).document_of_job(JOB(5)).id
    assert matched(store, "croissants") == [chef]
    sync_search_index(store)
    assert matched(store, "brioche") == ([chef] if changed else [])
    assert matched(store, "croissants") == ([] if changed else [chef])
    assert_whole(store)


def test_a_sync_that_rewrote_most_documents_merges_the_full_text_index(store):
    """Rewritten documents stay in their old segment, marked deleted, until a merge: an import
    then its enrichment would leave twice the index it needs."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("FTS5's segments")

    def index_bytes() -> int:
        with store.engine.connect() as connection:
            return connection.scalar(text("SELECT sum(length(block)) FROM search_fts_data"))

    fill(store)
    once = index_bytes()
    for n in range(3):  # every document rewritten, three times over
        save(store, *(make_job(str(i), f"Chef {n}", "Bread.", "onsite", None, 1) for i in "12345"))
        sync_search_index(store)
    assert index_bytes() < once
    assert matched(store, "bread") != [] and matched(store, "croissants") == []
    assert_whole(store)


def test_the_migration_gives_the_space_of_the_texts_back(store):
    """Dropping a column shrinks each row where it is, which frees no page: ``migrate`` VACUUMs
    after 0010 however few pages are free."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's file")
    from leadboard.store.database import migrate

    texts = [" ".join(f"w{i}x{n}" for n in range(800)) for i in range(30)]  # ~6 KB each
    save(store, *(make_job(str(i), "Analyst", t, "onsite", None, 1) for i, t in enumerate(texts)))
    sync_search_index(store)
    migrate_to(store.engine, "0009", down=True)
    database = Path(str(store.engine.url.database))
    store.engine.dispose()
    before = database.stat().st_size
    migrate(store.engine)
    assert before - database.stat().st_size > 0.8 * sum(map(len, texts))
    assert matched(store, "w29x799") != []
