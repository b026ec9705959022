"""Where the store lives, and how to connect: SQLite by default, PostgreSQL when configured."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"


def leadboard_home() -> Path:
    """``$LEADBOARD_HOME``, else ``~/.local/share/leadboard``."""
    env = os.environ.get("LEADBOARD_HOME")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share" / "leadboard"


def database_url() -> str:
    """``$LEADBOARD_DATABASE_URL`` (``postgresql+psycopg://…``), else the embedded SQLite file."""
    url = os.environ.get("LEADBOARD_DATABASE_URL")
    if url:
        return url
    home = leadboard_home()
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'leadboard.db'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`), with SQLite set up for WAL."""
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # DB-API objects: untyped
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster than FULL
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (one process at a time: two opening a
    new store at once would both create its tables)."""
    from leadboard.store.locks import store_lock

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store_lock(engine, "migrate", wait=300), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
