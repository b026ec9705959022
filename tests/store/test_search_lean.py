"""Migration 0012: ``search_tags`` without a rowid on SQLite (its primary key is the table) and no
index on the columns the engine filters in memory — the tags and documents read the same after
it and after going back."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from support.search_jobs import fill

from leadboard.search.documents import SearchDocuments
from leadboard.store.database import MIGRATIONS


def _alembic(store, revision: str, *, down: bool) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


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

    _alembic(store, "0011", down=True)
    indexes, rowid = layout(store)
    assert {"ix_search_documents_listing", "ix_search_documents_posted"} <= indexes and rowid
    assert documents.facts() == facts

    _alembic(store, "0012", down=False)
    assert layout(store)[1] is not sqlite
    assert documents.facts() == facts
    assert documents.sharing_tags("skill", ["Python", "PyTorch"], at_least=1) == shared
