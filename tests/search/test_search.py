"""Search end to end on each backend: the store's jobs and enrichments, the search index, the
full-text engine of the database, the vector index, the fused and filtered results."""

import time

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from support.search_jobs import JOBS, NOW, fill, make_job

from leadboard.pipeline import EnrichSummary, embed_store
from leadboard.search.documents import BM25_WEIGHTS
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest, search_terms
from leadboard.search.index import sync_search_index
from leadboard.search.terms import WordScores
from leadboard.search.vectors import VectorIndexUnavailable, open_vector_index

ANY = SearchFilters(role_family=["any"])


def titles(response):
    return [hit.job["title"] for hit in response.results]


def test_words_find_jobs_ranked_with_highlights(store):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q="ranking team", filters=ANY))
    assert titles(response)[0] == "Staff Machine Learning Engineer, Ranking"
    assert response.total >= 1 and not response.semantic
    assert "<mark>ranking</mark>" in response.results[0].highlights[0].lower()


def test_when_no_job_has_every_word_any_word_will_do_without_vectors(store):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q="ranking croissants", filters=ANY))
    assert "no job has every word: showing jobs with any of them" in response.notes
    assert {"Staff Machine Learning Engineer, Ranking", "Pastry Chef"} <= set(titles(response))


def test_the_default_view_is_ml_leadership_and_facets_can_widen_it(store):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q="team"))
    assert set(titles(response)) == {
        "Staff Machine Learning Engineer, Ranking",
        "Engineering Manager, ML Platform",
    }
    families = dict(response.facets["role_family"])
    assert families == {"ml_leadership": 2, "data": 1}  # its own filter left out of its counts


def test_inline_constraints_become_chips_and_filters(store):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q="remote pytroch $200k+", filters=ANY))
    assert [(c.kind, c.value) for c in response.query.chips] == [
        ("remote", "remote"),
        ("skill", "PyTorch"),
        ("salary_min", "USD 200000"),
    ]
    assert titles(response) == ["Staff Machine Learning Engineer, Ranking"]
    assert response.query.corrections == {"pytroch": "PyTorch"}


def test_a_salary_floor_compares_other_currencies_through_the_dated_rate_table(store):
    from leadboard.search.currency import rate_table

    fill(
        store,
        JOBS
        + [
            (
                "6",
                "ML Lead, Berlin",
                "Lead ML.",
                "ml_leadership",
                "senior",
                "onsite",
                [],
                (240_000, "EUR"),
                5,
            ),
            (
                "7",
                "ML Lead, Buenos Aires",
                "Lead ML.",
                "ml_leadership",
                "senior",
                "onsite",
                [],
                (300_000_000, "ARS"),
                5,
            ),  # a currency the ECB table does not quote
        ],
    )
    engine = SearchEngine(store)
    floor = SearchFilters(role_family=["any"], salary_min=210_000)
    converted = engine.search(SearchRequest(filters=floor, sort="salary"))
    assert set(titles(converted)) == {
        "Staff Machine Learning Engineer, Ranking",
        "Engineering Manager, ML Platform",
        "Head of Applied AI",
        "ML Lead, Berlin",
    }
    assert rate_table().day.isoformat() in converted.notes[-1]
    floor.convert_currency = False
    same_currency = engine.search(SearchRequest(filters=floor))
    assert "ML Lead, Berlin" not in titles(same_currency) and same_currency.total == 3
    assert not any("rates" in note for note in same_currency.notes)
    # A floor by the hour is a floor by the (full-time) year: $100/h is $208,000.
    hourly = SearchFilters(
        role_family=["any"], salary_min=100, salary_period="hour", convert_currency=False
    )
    assert engine.search(SearchRequest(filters=hourly)).total == 3
    by_pay = engine.search(SearchRequest(filters=ANY, sort="salary"))
    assert titles(by_pay)[0] == "Head of Applied AI"
    assert titles(by_pay)[-3] == "ML Lead, Buenos Aires"  # pay that doesn't compare, then none
    assert set(titles(by_pay)[-2:]) == {"Data Analyst", "Pastry Chef"}


def test_filters_without_words_list_ml_leadership_first_or_by_salary(store):
    fill(store)
    engine = SearchEngine(store)
    by_relevance = engine.search(
        SearchRequest(filters=SearchFilters(role_family=["any"], country=["GB"]))
    )
    assert by_relevance.total == 5
    assert set(titles(by_relevance)[:3]) == {
        "Staff Machine Learning Engineer, Ranking",
        "Engineering Manager, ML Platform",
        "Head of Applied AI",
    }
    by_salary = engine.search(SearchRequest(filters=ANY, sort="salary"))
    assert titles(by_salary)[:3] == [
        "Head of Applied AI",
        "Staff Machine Learning Engineer, Ranking",
        "Engineering Manager, ML Platform",
    ]
    newest = engine.search(SearchRequest(filters=ANY, sort="newest"))
    assert titles(newest)[0] == "Data Analyst"
    skills = dict(by_relevance.facets["skills"])
    assert skills["Python"] == 2 and skills["SQL"] == 1
    within = engine.search(
        SearchRequest(filters=SearchFilters(role_family=["any"], posted_within_days=7))
    )
    assert within.total == 3


def test_duplicates_show_once_and_closed_jobs_are_hidden(store):
    fill(store)
    _, title, text, _, _, remote, _, salary, days = JOBS[0]
    copy = make_job(
        "9",
        title,
        text,
        remote,
        salary,
        days,
        board="mirror",
        url="https://jobs.example.com/acme/1",
    )  # the same posting, seen elsewhere
    store.save_batch([copy], [], index=store.duplicate_index(), seen_at=NOW)
    still_listed = {f"greenhouse:acme:{i}" for i in ("1", "2", "3", "5")}
    store.close_missing("greenhouse", "acme", still_listed, NOW)
    summary = sync_search_index(store)
    assert summary.indexed == 2  # the copy, and the job that closed
    engine = SearchEngine(store)
    assert titles(engine.search(SearchRequest(q="ranking", filters=ANY))) == [
        "Staff Machine Learning Engineer, Ranking"
    ]
    assert "Head of Applied AI" not in titles(engine.search(SearchRequest(q="applied")))
    closed = SearchFilters(role_family=["any"], include_closed=True)
    assert "Head of Applied AI" in titles(engine.search(SearchRequest(q="applied", filters=closed)))


def test_the_index_follows_changes_only(store):
    assert fill(store).indexed == 5
    assert sync_search_index(store).indexed == 0
    engine = SearchEngine(store)  # one engine throughout: its snapshot and caches must follow
    assert engine.search(SearchRequest(q="looker", filters=ANY)).total == 0
    assert engine.search(SearchRequest(q="sales reports", filters=ANY)).total == 1
    changed = make_job("3", "Senior Data Analyst", "Dashboards in Looker.", "onsite", None, 1)
    store.save_batch([changed], [], index=store.duplicate_index(), seen_at=NOW)
    assert sync_search_index(store).indexed == 1
    assert titles(engine.search(SearchRequest(q="looker", filters=ANY))) == ["Senior Data Analyst"]
    assert engine.search(SearchRequest(q="sales reports", filters=ANY)).total == 0


HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "'; DROP TABLE jobs; --",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "AND OR NOT",
    "title:ranking",
    "^",
    "(((",
    "🚀",
    "",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_without_errors_or_raw_html(store, query):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q=query, filters=ANY, page=10**6))
    assert response.results == []  # that page is far past the end
    first = SearchEngine(store).search(SearchRequest(q=query, filters=ANY))
    for hit in first.results:
        assert "<script>" not in hit.highlights[0] and "<b>" not in hit.highlights[0]
    assert store.stats()["jobs"] == 5


def test_html_in_postings_is_escaped_in_highlights(store):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q="croissants", filters=ANY))
    highlight = response.results[0].highlights[0]
    assert "<b>" not in highlight and "<mark>Croissants</mark>" in highlight
    assert "&lt;b&gt;and&lt;/b&gt;" in highlight  # the text's own tags shown as text, escaped


def test_meaning_finds_what_words_miss_and_similar_jobs(store, embedder):
    fill(store)
    embed_store(store, embedder, EnrichSummary())
    try:
        vectors = open_vector_index(store)
    except VectorIndexUnavailable as error:
        pytest.skip(str(error))
    assert vectors.sync(store, embedder.version) == 5
    assert vectors.sync(store, embedder.version) == 0
    engine = SearchEngine(store, embedder=embedder, vectors=vectors)
    response = engine.search(SearchRequest(q="bakery croissant baker", filters=ANY))
    assert response.semantic and titles(response)[0] == "Pastry Chef"
    # No job has both words: with vectors, the meaning reads the query rather than any word.
    mixed = engine.search(SearchRequest(q="ranking croissants", filters=ANY))
    assert "no job has every word: showing jobs close in meaning" in mixed.notes
    assert mixed.total >= 1 and mixed.semantic
    words_only = SearchEngine(store).search(SearchRequest(q="patisserie", filters=ANY))
    meaning = engine.search(SearchRequest(q="patisserie", filters=ANY))
    assert words_only.total == 0 and "Pastry Chef" in titles(meaning)
    similar = engine.similar("greenhouse:acme:1")
    assert similar and similar[0].job["title"] != "Staff Machine Learning Engineer, Ranking"
    assert "Pastry Chef" not in [hit.job["title"] for hit in similar[:2]]
    vector = np.frombuffer(store.get_embedding("greenhouse:acme:5").vector, dtype="<f4")
    assert vectors.nearest(vector, 1)[0][1] == pytest.approx(1.0, abs=1e-4)


def test_postings_embedded_while_serving_join_the_vector_index(store, embedder):
    """serve --watch embeds new postings in the background: the running engine's vector index
    takes them in when the search index changes, without a restart."""
    fill(store, JOBS[:4])
    embed_store(store, embedder, EnrichSummary())
    try:
        vectors = open_vector_index(store)
    except VectorIndexUnavailable as error:
        pytest.skip(str(error))
    vectors.sync(store, embedder.version)
    engine = SearchEngine(store, embedder=embedder, vectors=vectors)
    assert "Pastry Chef" not in titles(engine.search(SearchRequest(q="patisserie", filters=ANY)))
    fill(store, JOBS[4:])  # what a watch cycle stores, embeds and indexes
    embed_store(store, embedder, EnrichSummary())
    engine.search(SearchRequest(q="patisserie", filters=ANY))  # sees the index move on
    deadline = time.monotonic() + 20
    while vectors.count() < len(JOBS) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert vectors.count() == len(JOBS)
    assert "Pastry Chef" in titles(engine.search(SearchRequest(q="patisserie", filters=ANY)))


def sync_vectors(index, wanted: dict[int, tuple[str, bytes]], model: str) -> int:
    """``HnswIndex.sync`` of these documents (id -> (content hash, vector)) by ``model``."""
    from leadboard.search.vectors import Held

    ids = np.array(list(wanted), dtype=np.int64)
    digests = np.array([digest for digest, _ in wanted.values()], dtype=np.bytes_)
    held = Held.wanted(ids, digests, model)
    return index._sync(held, lambda chunk: {i: wanted[i][1] for i in chunk})


def test_the_sqlite_vector_index_serves_many_threads_and_survives_a_reopen(tmp_path):
    """The web app searches from a thread pool; the graph is saved beside the store, and a
    damaged file is rebuilt rather than trusted."""
    from concurrent.futures import ThreadPoolExecutor

    from leadboard.search.vectors import HnswIndex

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 384)).astype("<f4")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = HnswIndex(tmp_path / "vectors.usearch")
    first = {i + 1: ("h", v.tobytes()) for i, v in enumerate(vectors)}
    assert sync_vectors(index, first, "m") == 300

    def nearest(i: int) -> int:
        return index.nearest(vectors[i % 300], 5)[0][0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(nearest, range(400)))
    assert found == [i % 300 + 1 for i in range(400)]

    reopened = HnswIndex(tmp_path / "vectors.usearch")
    assert reopened.count() == 300 and reopened.nearest(vectors[7], 1)[0][0] == 8
    # One changed document is replaced, one gone is dropped, the rest untouched.
    wanted = {i + 1: ("h", v.tobytes()) for i, v in enumerate(vectors) if i != 0}
    wanted[2] = ("changed", vectors[0].tobytes())
    assert sync_vectors(reopened, wanted, "m") == 1
    assert reopened.count() == 299 and reopened.nearest(vectors[0], 1)[0][0] == 2

    (tmp_path / "vectors.usearch").write_bytes(b"not a graph")
    assert HnswIndex(tmp_path / "vectors.usearch").count() == 0


def test_the_graph_bookkeeping_of_a_version_before_is_read_then_kept_as_arrays(tmp_path):
    """A graph saved with a JSON dict of hashes (versions before ``Held``) is not built again:
    the JSON is read, kept as arrays, and goes at the next save; a JSON newer than the arrays
    (an older version saved the graph since) is the one believed."""
    import json
    import os

    from leadboard.search.vectors import HnswIndex

    vectors = np.random.default_rng(1).normal(size=(20, 8)).astype("<f4")
    wanted = {i + 1: ("h", v.tobytes()) for i, v in enumerate(vectors)}
    graph = tmp_path / "vectors.usearch"
    assert sync_vectors(HnswIndex(graph), wanted, "m") == 20
    legacy, arrays = graph.with_suffix(".json"), graph.with_suffix(".npz")
    legacy.write_text(json.dumps({"hashes": {str(i): ["h", "m"] for i in wanted}}))
    arrays.unlink()

    assert sync_vectors(HnswIndex(graph), wanted, "m") == 0  # nothing changed: nothing rebuilt
    assert arrays.is_file() and HnswIndex(graph).held().digests.tolist() == [b"h"] * 20
    # An older version re-embedded document 3 since: its JSON says so, and is believed.
    legacy.write_text(
        json.dumps({"hashes": {str(i): ["old" if i == 3 else "h", "m"] for i in wanted}})
    )
    newer = arrays.stat().st_mtime_ns + 1_000_000_000
    os.utime(legacy, ns=(newer, newer))
    assert sync_vectors(HnswIndex(graph), wanted, "m") == 1
    assert not legacy.exists() and sync_vectors(HnswIndex(graph), wanted, "m") == 0
    assert sync_vectors(HnswIndex(graph), wanted, "another model") == 20


def test_words_are_ranked_one_by_one_exactly_as_the_full_text_engine_ranks_them(store):
    """SQLite reads each word's BM25 alone (common words ahead, in warm_up) and adds them up:
    the same matches in the very order of FTS5's own BM25 of the whole query."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's WordScores (PostgreSQL's: test_pg_words.py)")
    fill(store)
    engine = SearchEngine(store)
    engine.words = WordScores(common_rows=3)  # the fixture's "common" words: in 3+ jobs
    assert engine.warm_up() >= 3  # read ahead: the rest is read when asked for
    queries = (
        "engineer",
        "machine learning engineer",
        "ml ranking staff",
        "head applied",
        "ranking croissants",
        "team platform",
        "modelling models",
        "lead",
    )
    matched_some = 0
    columns = engine.columns()
    with Session(store.engine) as session:
        for q in queries:
            words = search_terms(q)
            for every in (True, False):
                expression = (" " if every else " OR ").join(f'"{w}"' for w in words)
                reference = session.scalars(
                    text(
                        f"SELECT rowid FROM search_fts WHERE search_fts MATCH :e "
                        f"ORDER BY bm25(search_fts, {BM25_WEIGHTS}), rowid"
                    ),
                    {"e": expression},
                )
                expected = columns.positions_of(np.array(list(reference), dtype=np.int64))
                got = engine.words.ranked(engine.documents, columns, words, every)
                assert got.tolist() == expected.tolist(), (q, every)
                matched_some += bool(len(got))
    assert matched_some >= 12


def test_warm_up_reads_ahead_a_common_word_whose_stem_does_not_stem_to_itself(store):
    """FTS5 stems a query again, and "database" is the token "databas", which stems to
    "databa": warm_up asks for it as a word that stems back to it, so a new query typing it
    reads nothing more (at a million postings such a word, read when typed, cost ~1 s)."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's WordScores (PostgreSQL's: test_pg_words.py)")
    fill(
        store,
        [
            (str(i), f"Database Engineer {i}", "SQL.", "data", "mid", "onsite", [], None, i)
            for i in range(1, 4)
        ],
    )
    engine = SearchEngine(store)
    engine.words = WordScores(common_rows=3)
    engine.warm_up()
    assert ("databas",) in engine.words._common
    results = engine.search(
        SearchRequest(q="databases", filters=SearchFilters(role_family=["any"]))
    )
    assert results.total == 3
    assert engine.words.lazy_bytes()[0] == 0  # no word read on demand


def test_a_warmed_engine_reads_the_common_words_again_when_the_index_changes(store):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's WordScores (PostgreSQL's: test_pg_words.py)")
    fill(store)
    engine = SearchEngine(store)
    engine.words = WordScores(common_rows=3)
    read = engine.warm_up()
    assert read >= 3 and engine.words.read_ahead() == read
    changed = make_job("3", "Senior Data Analyst", "Dashboards in Looker.", "onsite", None, 1)
    store.save_batch([changed], [], index=store.duplicate_index(), seen_at=NOW)
    assert sync_search_index(store).indexed == 1
    # The search sees the new index (the old scores go) and starts reading them again, aside.
    assert titles(engine.search(SearchRequest(q="looker", filters=ANY))) == ["Senior Data Analyst"]
    deadline = time.monotonic() + 30
    while engine.words.read_ahead() < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engine.words.read_ahead() >= 3
