"""The search tables' one owner (``search/documents.py``) and the store's typed reads that search,
matching and market pages use: what each answers, on both backends."""

import numpy as np
import pytest
from sqlalchemy import inspect, update
from sqlalchemy.orm import Session
from support.search_jobs import JOBS, NOW, fill, make_job

from leadboard.search.documents import (
    CandidateFacts,
    DocumentFacts,
    PostingFacts,
    SearchDocuments,
    StoredVector,
)
from leadboard.search.index import sync_search_index
from leadboard.search.vectors import HnswIndex, VectorIndexUnavailable, open_vector_index
from leadboard.store.schema import Job

JOB = "greenhouse:acme:{}".format


def test_an_empty_store_has_no_documents_and_generation_0(store):
    documents = SearchDocuments(store)
    assert documents.generation() == 0 and documents.count() == 0
    facts = documents.facts()
    assert isinstance(facts, DocumentFacts) and facts.ids == [] and facts.tag_values == []


def test_the_facts_are_one_list_a_column_in_id_order_with_the_tags_beside(store):
    fill(store)
    documents = SearchDocuments(store)
    facts = documents.facts()
    assert facts.generation == documents.generation() == 1
    assert facts.ids == sorted(facts.ids) and len(facts.ids) == len(JOBS) == documents.count()
    chef = facts.ids.index(documents.document_of_job(JOB(5)).id)
    assert facts.role_family[chef] == "other" and facts.seniority[chef] == "mid"
    assert facts.is_open[chef] and facts.is_head[chef] and facts.company[chef] == "Acme Inc"
    assert facts.salary_year_max[chef] is None and facts.salary_year_max[0] == 250_000.0
    tags = set(zip(facts.tag_documents, facts.tag_kinds, facts.tag_values, strict=True))
    assert (facts.ids[0], "skill", "PyTorch") in tags and (facts.ids[0], "city", "London") in tags


def test_a_sync_moves_the_generation_only_when_a_document_changes_and_keeps_its_id(store):
    fill(store)
    documents = SearchDocuments(store)
    before = documents.document_of_job(JOB(3))
    assert sync_search_index(store).indexed == 0 and documents.generation() == 1
    changed = make_job("3", "Senior Data Analyst", "Dashboards in Looker.", "onsite", None, 1)
    store.save_batch([changed], [], index=store.duplicate_index(), seen_at=NOW)
    assert sync_search_index(store).indexed == 1 and documents.generation() == 2
    after = documents.document_of_job(JOB(3))
    assert after == before  # updated in place: the full-text and vector rowid stays
    assert documents.jobs_of([after.id])[after.id].job.title == "Senior Data Analyst"
    assert documents.document_of_job("greenhouse:acme:nope") is None


def test_jobs_of_documents_come_with_their_enrichment(store):
    fill(store)
    documents = SearchDocuments(store)
    ids = [documents.document_of_job(JOB(n)).id for n in (1, 5)]
    found = documents.jobs_of([*ids, 10_000])  # an unknown id is left out
    assert sorted(found) == sorted(ids)
    ranking = found[ids[0]]
    assert ranking.job.id == JOB(1) and ranking.enrichment.role_family == "ml_leadership"
    assert [pair.job.id for pair in store.jobs_with_enrichments([JOB(5), "nope"])] == [JOB(5)]


def test_matching_reads_candidates_and_shared_skills(store):
    fill(store)
    documents = SearchDocuments(store)
    by_jobs = documents.candidates_of_jobs([JOB(1), JOB(2), "nope"])
    assert all(isinstance(c, CandidateFacts) for c in by_jobs)
    ranking = next(c for c in by_jobs if c.job_id == JOB(1))
    assert ranking.seniority == "staff" and ranking.role_family == "ml_leadership"
    assert [s["name"] for s in ranking.skills] == ["Python", "PyTorch"]
    assert documents.candidates([ranking.document_id]) == [ranking]
    shared = documents.sharing_tags("skill", ["Python", "PyTorch", "SQL"], at_least=1)
    head = documents.document_of_job(JOB(4)).id
    assert shared[ranking.document_id] == 2 and shared[head] == 1
    assert documents.sharing_tags("skill", ["Python", "PyTorch"], at_least=2) == {
        ranking.document_id: 2
    }


def test_a_remote_jobs_regions_come_with_its_candidate_facts(store):
    """Matching reads where a remote job may be done from ("Remote (India)") with its facts."""
    fill(store)
    with Session(store.engine) as session:
        session.execute(update(Job).where(Job.id == JOB(1)).values(remote_regions=["India"]))
        session.commit()
    facts = {c.job_id: c for c in SearchDocuments(store).candidates_of_jobs([JOB(1), JOB(2)])}
    assert facts[JOB(1)].remote_regions == ("India",)
    assert facts[JOB(2)].remote_regions == ()


def test_market_pages_read_postings_in_id_order(store):
    fill(store)
    documents = SearchDocuments(store)
    ids = sorted(documents.facts().ids, reverse=True)
    postings = documents.postings(ids)
    assert [p.id for p in postings] == sorted(ids)
    first = postings[0]
    assert isinstance(first, PostingFacts) and first.source == "greenhouse:acme"
    assert first.enriched and first.described and first.countries == ["GB"]
    assert sorted(first.skills) == ["PyTorch", "Python"] and first.cities == ["London"]
    assert first.posted_at is not None and first.salary_year_min == 250_000.0


def test_full_text_reads_rank_what_the_database_matches(store):
    fill(store)
    documents = SearchDocuments(store)
    platform = documents.document_of_job(JOB(2)).id
    if store.engine.dialect.name == "sqlite":
        found = documents.fts_scores('"platform"')
        assert found.ids.tolist() == [platform] and found.scores[0] < 0  # BM25: lower is better
        common = {term.term: term.documents for term in documents.fts_common_terms(3)}
        assert common["acm"] == len(JOBS)  # every job's company, Porter-stemmed
    else:
        every = documents.ts_ranks(["platform", "kubernetes"], every=True)
        assert every.ids.tolist() == [platform] and every.scores[0] > 0
        either = documents.ts_ranks(["platform", "bakery"], every=False)
        assert len(either.ids) == 2
        assert documents.ts_ranks(["c++'); drop table jobs; --"]).ids.size == 0


def test_the_vector_index_reads_open_documents_embedded_by_the_model_of_their_content(store):
    fill(store)
    vector = np.ones(8, dtype="<f4").tobytes()
    pairs = store.jobs_with_enrichments(JOB(n) for n in (1, 2, 3, 4))
    hashes = {pair.job.id: pair.job.content_hash for pair in pairs}
    store.save_embeddings(
        [
            (JOB(1), hashes[JOB(1)], vector),
            (JOB(2), hashes[JOB(2)], vector),
            (JOB(3), "an older text", vector),  # embedded before its content changed
        ],
        "m",
    )
    store.save_embeddings([(JOB(4), hashes[JOB(4)], vector)], "another model")
    store.close_jobs([JOB(2)], NOW)
    sync_search_index(store)
    documents = SearchDocuments(store)
    wanted = documents.vectors_to_index("m")
    assert list(wanted) == [documents.document_of_job(JOB(1)).id]
    assert wanted[documents.document_of_job(JOB(1)).id] == StoredVector(hashes[JOB(1)], vector)
    assert store.embedding_vectors([JOB(1), JOB(4)], "m") == {JOB(1): vector}


def test_the_vector_indexes_take_their_dimension_from_the_vectors(store, tmp_path):
    """Neither engine fixes the embedding model's size: 8-dimensional vectors index and answer."""
    fill(store)
    jobs = store.jobs_with_enrichments(JOB(n) for n in (1, 2, 3))
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3, 8)).astype("<f4")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.save_embeddings(
        [(p.job.id, p.job.content_hash, v.tobytes()) for p, v in zip(jobs, vectors, strict=True)],
        "tiny",
    )
    documents = SearchDocuments(store)
    first = documents.document_of_job(jobs[0].job.id).id
    if store.engine.dialect.name == "sqlite":
        index = HnswIndex(tmp_path / "vectors.usearch")
        assert index.sync(store, "tiny") == 3
        assert HnswIndex(tmp_path / "vectors.usearch").nearest(vectors[0], 1)[0][0] == first
        return
    try:
        index = open_vector_index(store)
    except VectorIndexUnavailable as error:
        pytest.skip(str(error))
    assert index.sync(store, "tiny") == 3 and index.count() == 3
    nearest = index.nearest(vectors[0], 2)
    assert nearest[0][0] == first and nearest[0][1] == pytest.approx(1.0, abs=1e-5)
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("job_vectors")}
    assert "ix_job_vectors_hnsw_8" in indexes


def test_pgvector_table_comes_from_the_migrations_without_a_fixed_dimension(store):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("job_vectors is PostgreSQL's (pgvector)")
    with store.engine.connect() as connection:
        has_vector = connection.exec_driver_sql(
            "SELECT 1 FROM pg_extension WHERE extname = 'vector'"
        ).first()
        if has_vector is None:
            pytest.skip("this server has no pgvector")
        dimension = connection.exec_driver_sql(
            "SELECT atttypmod FROM pg_attribute "
            "WHERE attrelid = 'job_vectors'::regclass AND attname = 'embedding'"
        ).scalar_one()
    assert dimension == -1  # vector, not vector(384): the model's size is read from its vectors
    open_vector_index(store)  # opening an index makes nothing: the table is already there
