"""PostgreSQL matches and ranks a text from each word's documents kept in memory (issue 14,
``search/pg_words.py``): the matches are those of PostgreSQL's own ``@@`` (totals and facets
stay exact: ``test_backends_agree.py``), the order a BM25 of ``search_words``' scores
(migration 0011, kept by the sync), and the common words are written once a generation to a
file every worker maps in."""

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
from leadboard.search.pg_words import UNSCORED, PgWordScores, kept_beside
from leadboard.search.terms import WordFile
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


def test_words_are_read_as_the_index_stems_them(pg_store):
    documents = SearchDocuments(pg_store)
    assert documents.lexemes(["Platforms", "about", "c++'); drop table jobs; --", "ML"]) == [
        ("platform",),
        (),  # PostgreSQL's stop word
        ("cdroptablejob",),  # letters and digits only: no query syntax gets in
        ("ml",),
    ]


def test_the_matches_are_those_of_postgresqls_own_query(pg_store):
    fill(pg_store, PLATFORM + [posting(16, "Bakery Platform Lead", "Bread and ovens.")])
    documents = SearchDocuments(pg_store)
    columns = DocumentColumns(documents.facts())
    words = PgWordScores()
    for terms, every in (
        (["platform"], True),
        (["Platforms", "bakery"], True),
        (["platform", "bakery"], False),
        (["about", "bakery"], True),  # the stop word is left out, as to_tsquery leaves it
        (["platform", "zzyzx"], True),
        (["zzyzx", "bread", "platform", "about"], False),
        (["about"], True),  # nothing but a stop word: nothing
    ):
        expected = columns.positions_of(np.sort(documents.ts_ranks(terms, every=every).ids))
        found = words.matches(documents, columns, terms, every)[0]
        assert found.tolist() == expected.tolist(), (terms, every)


def test_a_words_score_is_its_weight_in_the_document_times_its_idf(pg_store):
    fill(pg_store, PLATFORM)
    documents = SearchDocuments(pg_store)
    columns = DocumentColumns(documents.facts())
    positions, scores = PgWordScores().scores(documents, columns, "platform")
    at = {
        n: int(np.flatnonzero(positions == position)[0])
        for n in (0, 3, 15)
        for position in columns.positions_of(np.array([documents.document_of_job(JOB(n)).id]))
    }
    titled, once, thrice = (float(scores[at[n]]) for n in (0, 3, 15))
    assert titled < thrice < once < 0  # lower is better: the title, then three times, then once
    idf = np.log(1 + (columns.size - len(positions) + 0.5) / (len(positions) + 0.5))
    assert once == pytest.approx(-idf * UNSCORED)
    assert titled == pytest.approx(-idf * words_of(pg_store, JOB(0))["platform"])


def test_the_engine_counts_every_match_and_pages_the_best(pg_store):
    fill(pg_store, PLATFORM)
    answer = SearchEngine(pg_store, ranker=None).search(
        SearchRequest(q="platform", filters=SearchFilters(role_family=["any"]), per_page=4)
    )
    assert answer.total == len(PLATFORM)
    ranked = [hit.job_id for hit in answer.results]
    assert set(ranked[:3]) == {JOB(n) for n in range(3)} and ranked[3] == JOB(15)


def test_the_common_words_are_written_once_and_mapped_by_every_worker(
    pg_store, tmp_path, monkeypatch
):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path))
    fill(pg_store, PLATFORM)
    documents = SearchDocuments(pg_store)
    columns = DocumentColumns(documents.facts())
    path = kept_beside(pg_store, ".words.json")
    assert path is not None and path.parent == tmp_path / "search"
    first, second = (PgWordScores(WordFile(path), common_rows=5) for _ in range(2))
    read: list[str] = []
    event.listen(pg_store.engine, "before_cursor_execute", lambda *a: read.append(a[2]))
    common = len(documents.word_counts(5))  # "platform", "lead", "team", "tool", ...
    assert common > 3
    assert first.warm_up(documents, columns) == common
    written = sum("search_vector @@" in statement for statement in read)
    assert written == common
    assert second.warm_up(documents, columns) == common  # another worker: mapped, not read
    assert sum("search_vector @@" in statement for statement in read) == written
    asked = (["platform"], ["teams", "tools"], ["bread"], ["ovens"])
    found = [second.matches(documents, columns, terms, True) for terms in asked]
    # Rare words are read when asked for ("bread": no document holds it).
    assert sum("search_vector @@" in statement for statement in read) == written + 2
    for terms, scores in zip(asked, found, strict=True):
        expected = PgWordScores().matches(documents, columns, terms, True)
        assert [a.tolist() for a in scores] == [a.tolist() for a in expected]
    # A new generation: the file is of the old one, and is written again.
    changed = make_job("0", "Bakery Manager", TEXT.format(n=0), "remote", None, 1)
    pg_store.save_batch([changed], [], index=pg_store.duplicate_index(), seen_at=NOW)
    sync_search_index(pg_store)
    columns = DocumentColumns(documents.facts())
    assert WordFile(path).load(columns) is None
    assert second.warm_up(documents, columns) == len(documents.word_counts(5))
    assert WordFile(path).load(columns) is not None


def test_a_search_of_warmed_words_asks_postgresql_for_the_page_only(
    pg_store, tmp_path, monkeypatch
):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path))
    fill(pg_store, PLATFORM)
    engine = SearchEngine(pg_store, ranker=None)
    engine.pg_words.common_rows = 5
    assert engine.warm_up() > 3
    asked: list[str] = []
    event.listen(pg_store.engine, "before_cursor_execute", lambda *a: asked.append(a[2]))
    answer = engine.search(
        SearchRequest(q="platform team", filters=SearchFilters(role_family=["any"]))
    )
    assert answer.total == 15  # all but the last: it says nothing of teams
    assert not [s for s in asked if "search_vector" in s or "search_words" in s]


def test_database_files_are_kept_apart(postgres_url, postgres_template, tmp_path, monkeypatch):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path))
    with (
        fresh_database(postgres_url, postgres_template) as one,
        fresh_database(postgres_url, postgres_template) as other,
    ):
        stores = [Store.open(one), Store.open(other)]
        paths = {kept_beside(store, ".words.json") for store in stores}
        for store in stores:
            store.close()
    assert len(paths) == 2


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


def test_a_home_that_cannot_be_written_keeps_nothing_and_still_searches(
    pg_store, tmp_path, monkeypatch
):
    blocked = tmp_path / "home"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("LEADBOARD_HOME", str(blocked))
    fill(pg_store, PLATFORM)
    assert kept_beside(pg_store, ".words.json") is None
    engine = SearchEngine(pg_store, ranker=None)
    assert engine.warm_up() == 0  # no file: every word is read when first asked for
    answer = engine.search(SearchRequest(q="platform", filters=SearchFilters(role_family=["any"])))
    assert answer.total == len(PLATFORM)
