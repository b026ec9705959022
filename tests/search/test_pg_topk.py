"""PostgreSQL ranks a bounded few of a query's matches (issue 14, ``search/pg_topk.py``):
``ts_rank_cd`` reads each match's whole vector, so ranking every match of a common word cost
seconds at scale. The matches themselves still come from the GIN index, all of them (the
totals and facets stay exact: ``test_backends_agree.py``); where few pass the filters every
one is ranked, as before; else the candidates are the documents each word scores best in
(``search_words``, migration 0011, kept by the sync)."""

from __future__ import annotations

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from support.postgres import fresh_database
from support.search_jobs import NOW, fill, make_job

from leadboard.search.columns import DocumentColumns
from leadboard.search.documents import SearchDocuments
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import sync_search_index
from leadboard.search.pg_topk import WordMatches, best_matches
from leadboard.store.database import MIGRATIONS
from leadboard.store.repository import Store

JOB = "greenhouse:acme:{}".format
TEXT = "We build tools for {n} teams across the company, with care and tests."


def posting(n: int, title: str, text_: str) -> tuple:
    """A search_jobs.JOBS row: every posting a different text, so none are duplicates."""
    return (str(n), title, text_, "ml_leadership", "senior", "remote", [], None, 1 + n % 5)


# Three postings say "platform" in the title, twelve once in the text, one three times.
PLATFORM = (
    [posting(n, f"Platform Lead {n}", TEXT.format(n=n)) for n in range(3)]
    + [posting(n, f"Data Lead {n}", TEXT.format(n=n) + " Our platform.") for n in range(3, 15)]
    + [posting(15, "Data Lead 15", "Platform, platform and more platform work.")]
)


@pytest.fixture
def pg_store(postgres_url, postgres_template):
    with fresh_database(postgres_url, postgres_template) as url:
        opened = Store.open(url)
        yield opened
        opened.close()


def words_of(store: Store, job_id: str) -> dict[str, float]:
    document = SearchDocuments(store).document_of_job(job_id)
    assert document is not None
    with store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT word, score FROM search_words WHERE document_id = :id"),
            {"id": document.id},
        )
        return dict(rows.all())


def test_the_word_table_holds_the_words_a_document_counts_three_times_or_more(pg_store):
    fill(pg_store, PLATFORM)
    titled, once, thrice = (words_of(pg_store, JOB(n)) for n in (0, 3, 15))
    assert {"platform", "lead"} <= set(titled)  # a title word counts 8
    assert "platform" not in once and "tool" not in once  # a word of the text said once
    assert "platform" in thrice  # ... or three times
    assert titled["platform"] > thrice["platform"] > 0


def test_the_word_table_follows_a_changed_document_and_a_removed_one(pg_store):
    fill(pg_store, PLATFORM)
    changed = make_job("0", "Bakery Manager", TEXT.format(n=0), "remote", None, 1)
    pg_store.save_batch([changed], [], index=pg_store.duplicate_index(), seen_at=NOW)
    sync_search_index(pg_store)
    assert "platform" not in words_of(pg_store, JOB(0)) and "bakeri" in words_of(pg_store, JOB(0))
    document = SearchDocuments(pg_store).document_of_job(JOB(1))
    with pg_store.engine.begin() as connection:
        gone = {"id": document.id}
        connection.execute(text("DELETE FROM search_tags WHERE document_id = :id"), gone)
        connection.execute(text("DELETE FROM search_documents WHERE id = :id"), gone)
        left = connection.scalar(
            text("SELECT count(*) FROM search_words WHERE document_id = :id"), {"id": document.id}
        )
    assert left == 0  # a document's words go with it


def test_the_words_best_documents_come_from_one_index_range_a_word_best_first(pg_store):
    fill(pg_store, PLATFORM)
    documents = SearchDocuments(pg_store)
    titled = {documents.document_of_job(JOB(n)).id for n in range(3)}
    assert set(documents.best_of_words(["platform"], 3).tolist()) == titled
    # "Platforms" is read as the index reads it (stemmed); a word nobody holds finds nothing.
    assert set(documents.best_of_words(["Platforms", "zzyzx"], 3).tolist()) == titled
    assert documents.best_of_words(["c++'); drop table jobs; --"], 3).size == 0


def test_the_matches_come_from_the_index_alone_the_same_as_ranked(pg_store):
    fill(pg_store, PLATFORM + [posting(16, "Bakery Platform Lead", "Bread and ovens.")])
    documents = SearchDocuments(pg_store)
    for terms, every in (
        (["platform"], True),
        (["platform", "bakery"], True),
        (["platform", "bakery"], False),
        (["about", "bakery"], True),  # PostgreSQL's stop word: left out
        (["platform", "zzyzx"], True),
    ):
        ranked = sorted(documents.ts_ranks(terms, every=every).ids.tolist())
        assert documents.ts_matches(terms, every=every).tolist() == ranked, (terms, every)
    among = documents.ts_ranks(["platform"], among=documents.best_of_words(["platform"], 3))
    assert len(among.ids) == 3


def test_any_words_matches_are_each_words_kept_the_same_as_one_query(pg_store):
    # A third of new texts fall back to any of their words: each word's matches are kept for
    # the next text that has it, and together they are what the one `|` query matches.
    fill(pg_store, PLATFORM + [posting(16, "Bakery Platform Lead", "Bread and ovens.")])
    documents = SearchDocuments(pg_store)
    columns = DocumentColumns(documents.facts())
    words = WordMatches()
    statements: list[str] = []
    event.listen(pg_store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for terms in (["platform", "bakery"], ["about", "bakery", "zzyzx"], ["bread", "platform"]):
        expected = columns.positions_of(documents.ts_matches(terms, every=False)).tolist()
        assert words.any_of(documents, columns, terms).tolist() == expected, terms
    asked = len(statements)
    assert len(words.any_of(documents, columns, ["zzyzx", "bread", "platform", "about"])) == 17
    assert len(statements) == asked  # every word asked before: no statement


def whole_order(documents: SearchDocuments, columns: DocumentColumns, terms) -> list[int]:
    """Every match by ``ts_rank_cd``, best first, ties to the lower position: the order before."""
    ranked = documents.ts_ranks(terms)
    positions = columns.positions_of(np.sort(ranked.ids))
    scores = -ranked.scores[np.argsort(ranked.ids)]
    return positions[np.lexsort((positions, scores))].tolist()


def test_few_matches_in_the_filters_are_all_ranked_as_before(pg_store):
    fill(pg_store, PLATFORM)
    documents = SearchDocuments(pg_store)
    columns = DocumentColumns(documents.facts())
    matched = columns.positions_of(documents.ts_matches(["platform"]))
    everywhere = np.ones(columns.size, dtype=bool)
    found = best_matches(documents, columns, ["platform"], True, matched, everywhere, 10)
    assert found.tolist() == whole_order(documents, columns, ["platform"])[:10]


def test_many_matches_rank_a_bounded_few_the_words_best_documents_first(pg_store):
    fill(pg_store, PLATFORM)
    documents = SearchDocuments(pg_store)
    columns = DocumentColumns(documents.facts())
    matched = columns.positions_of(documents.ts_matches(["platform"]))
    everywhere = np.ones(columns.size, dtype=bool)
    assert len(matched) == len(PLATFORM)
    found = best_matches(
        documents, columns, ["platform"], True, matched, everywhere, 10, rank_all=5, depth=4
    )
    assert len(found) == 5  # of 16 matches, 5 ranked
    ids = [documents.document_of_job(JOB(n)).id for n in range(3)]
    titled = set(columns.positions_of(np.array(ids)).tolist())
    assert set(found[:3].tolist()) == titled
    # Filters first: among the matches they keep, the words' best are looked for deeper.
    later = np.zeros(columns.size, dtype=bool)
    later[matched[5:]] = True  # no title match kept
    found = best_matches(
        documents, columns, ["platform"], True, matched, later, 10, rank_all=5, depth=1
    )
    thrice = columns.positions_of(np.array([documents.document_of_job(JOB(15)).id]))[0]
    assert found[0] == thrice and len(found) == 5 and later[found].all()


def test_the_engine_counts_every_match_and_pages_the_best(pg_store):
    fill(pg_store, PLATFORM)
    answer = SearchEngine(pg_store, ranker=None).search(
        SearchRequest(q="platform", filters=SearchFilters(role_family=["any"]), per_page=3)
    )
    assert answer.total == len(PLATFORM)
    assert {hit.job_id for hit in answer.results} == {JOB(n) for n in range(3)}


def test_migration_0011_fills_the_word_table_from_the_documents_there(pg_store):
    fill(pg_store, PLATFORM)
    before = words_of(pg_store, JOB(15))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with pg_store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
        assert connection.scalar(text("SELECT to_regclass('search_words')")) is None
        command.upgrade(config, "0011")
    assert words_of(pg_store, JOB(15)) == pytest.approx(before)
