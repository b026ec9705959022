"""Alembic environment: runs on the connection ``store.database.migrate`` hands over."""

from alembic import context

from leadboard.store.schema import Base, managed_by_models

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic` run by hand
    raise RuntimeError("run migrations through leadboard.store.database.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=managed_by_models,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
