"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from leadboard.store.schema import Base, managed_by_models


def test_migrations_match_the_models(store):
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": managed_by_models})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrating_twice_is_harmless(store):
    from leadboard.store.database import migrate

    migrate(store.engine)
    tables = set(inspect(store.engine).get_table_names())
    assert {"jobs", "raw_postings", "ingest_errors", "ingest_runs", "alembic_version"} <= tables


def test_sqlite_store_uses_wal(store):
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
