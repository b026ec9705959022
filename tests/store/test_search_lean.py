"""Migrations 0012 and 0013: ``search_tags`` without a rowid on SQLite (its primary key is the
table), the enrichments' skill details a zstd frame, and no index on the columns search filters
in memory — tags, documents, matching's candidates and enrichments read the same after them and
after going back, on both backends."""

from __future__ import annotations

import json

from sqlalchemy import inspect, text
from support.migrations import migrate_to
from support.search_jobs import fill

from leadboard.search.documents import SearchDocuments


def layout(store) -> tuple[set[str], bool]:
    """The indexes of ``search_documents``, and whether ``search_tags`` has a rowid."""
    indexes = {index["name"] for index in inspect(store.engine).get_indexes("search_documents")}
    rowid = True
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as connection:
            sql = connection.scalar(
                text("SELECT sql FROM sqlite_schema WHERE name = 'search_tags'")
            )
        rowid = "WITHOUT ROWID" not in sql
    return indexes, rowid


def test_the_tags_and_documents_read_the_same_through_0012_and_back(store):
    fill(store)
    documents = SearchDocuments(store)
    facts = documents.facts()
    shared = documents.sharing_tags("skill", ["Python", "PyTorch"], at_least=1)
    sqlite = store.engine.dialect.name == "sqlite"

    indexes, rowid = layout(store)
    assert not {"ix_search_documents_listing", "ix_search_documents_posted"} & indexes
    assert rowid is not sqlite  # SQLite: the primary key is the table

    migrate_to(store.engine, "0011", down=True)
    indexes, rowid = layout(store)
    assert {"ix_search_documents_listing", "ix_search_documents_posted"} <= indexes and rowid
    assert documents.facts() == facts

    migrate_to(store.engine, "0012", down=False)
    assert layout(store)[1] is not sqlite
    assert documents.facts() == facts
    assert documents.sharing_tags("skill", ["Python", "PyTorch"], at_least=1) == shared


def test_the_skill_details_are_a_frame_and_read_the_same_through_0013_and_back(store):
    fill(store)
    documents = SearchDocuments(store)
    ids = [documents.document_of_job(f"greenhouse:acme:{n}").id for n in (1, 2, 5)]
    candidates = documents.candidates(ids)
    detail = store.get_enrichment("greenhouse:acme:1").detail
    assert {skill["name"] for c in candidates for skill in c.skills} >= {"Python", "PyTorch"}
    with store.engine.connect() as connection:
        stored = connection.scalar(text("SELECT skill_detail FROM enrichments LIMIT 1"))
    assert isinstance(stored, bytes) and not stored.startswith(b"{")  # a frame, not JSON

    migrate_to(store.engine, "0012", down=True)
    with store.engine.connect() as connection:
        stored = connection.scalar(text("SELECT skill_detail FROM enrichments LIMIT 1"))
    assert "skills" in (stored if isinstance(stored, dict) else json.loads(stored))
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("enrichments")}
    assert "ix_enrichments_role_family" in indexes
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("jobs")}
    assert {"ix_jobs_canonical_url", "ix_jobs_remote"} <= indexes

    migrate_to(store.engine, "head", down=False)
    assert documents.candidates(ids) == candidates
    assert store.get_enrichment("greenhouse:acme:1").detail == detail
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("enrichments")}
    assert indexes == {"ix_enrichments_content_hash"}
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("jobs")}
    assert not {"ix_jobs_canonical_url", "ix_jobs_remote"} & indexes
