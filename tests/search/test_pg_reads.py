"""What a search costs the database on the server path (issue 14): on PostgreSQL it reads through
one pooled connection (one checkout and one pre-ping, however many statements), and a page of
results is read as the columns its cards show, which must say what ``job_card`` says of the ORM's
job and enrichment."""

from __future__ import annotations

from sqlalchemy import event
from support.search_jobs import fill

from leadboard.search.documents import SearchDocuments
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest, job_card

EVERY_FAMILY = SearchFilters(role_family=["any"])


def test_a_search_checks_out_one_connection(filled_pg_store):
    engine = SearchEngine(filled_pg_store)
    engine.search(SearchRequest(q="warm"))  # the documents' facts read once, aside
    checkouts: list[object] = []
    event.listen(filled_pg_store.engine, "checkout", lambda *args: checkouts.append(args))

    # New words: each is looked up (is it known?), matched, ranked, and a page is read.
    found = engine.search(SearchRequest(q="ranking python platform", filters=EVERY_FAMILY))

    assert found.results and len(checkouts) == 1


def test_reads_outside_a_search_still_work_on_their_own(filled_pg_store):
    documents = SearchDocuments(filled_pg_store)
    with documents.reading():
        inside = documents.generation()
    assert inside == documents.generation() > 0


def test_a_page_shows_what_job_card_says(store):
    fill(store)
    response = SearchEngine(store).search(SearchRequest(q="lead", filters=EVERY_FAMILY))

    assert response.results
    for hit in response.results:
        job = store.get_job(hit.job_id)
        assert job is not None
        assert hit.job == job_card(job, store.get_enrichment(hit.job_id))


def test_a_word_is_known_from_a_title_or_from_a_text_that_says_it_once(store):
    fill(store)
    engine = SearchEngine(store)

    assert engine.knows("ranking")  # a title's word
    assert engine.knows("croissants")  # said once in a text only: found by its matches
    assert not engine.knows("rankng")  # misspelt: no document holds it
