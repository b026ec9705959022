"""Where the store lives, and how to connect: SQLite by default, PostgreSQL when configured."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError

MIGRATIONS = Path(__file__).parent / "migrations"
# SQLite's page: compressed rows of 1-3 KB leave much of a 4 KB page (the default) empty, one row
# a page; 16 KB pages hold several (the bench store: 15.3 KB a posting with 4 KB pages, 13.8 KB).
PAGE_SIZE = 16384


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
    cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new store's; an old one's at its VACUUM
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster than FULL
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class MigrationRefused(RuntimeError):
    """The store cannot be brought to this version's schema; the message says what to do."""


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision, in one transaction (one process at a
    time: two opening a new store at once would both create its tables).

    A store at a revision this version does not know (a newer Leadboard migrated it), or one
    whose migration fails (an older Leadboard, whose SQLite migrations were not atomic, may have
    been interrupted halfway), is refused with :class:`MigrationRefused`, saying what to do; the
    failed attempt is rolled back whole. A SQLite store that a migration left a quarter free, or
    one of another page size than ``PAGE_SIZE``, is VACUUMed (rewritten compactly) afterwards."""
    from leadboard.store.locks import store_lock

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    where = engine.url.render_as_string(hide_password=True)
    with store_lock(engine, "migrate", wait=300), engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
        if current == head:
            return
        if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
            raise MigrationRefused(
                f"the store {where} is at schema revision {current}, which this version of "
                f"Leadboard does not know (it knows up to {head}): a newer Leadboard migrated "
                "it. Upgrade Leadboard (pip install -U leadboard), or point LEADBOARD_HOME or "
                "LEADBOARD_DATABASE_URL at another store."
            )
        try:
            with _one_transaction(connection):
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except Exception as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise MigrationRefused(
                f"migrating the store {where} from schema revision {current or '(none)'} to "
                f"{head} failed, and was rolled back: {reason[:300]}. If that says the disk is "
                "full, free space and run the command again. If an older Leadboard was "
                "interrupted while migrating this store, it may be half-migrated: restore a "
                "backup of it, or move it aside and import your data into a new one."
            ) from error
    if current is not None and engine.dialect.name == "sqlite":
        _vacuum(engine, always=bool(config.attributes.get("vacuum")))  # a migration may ask


@contextmanager
def _one_transaction(connection: Connection) -> Iterator[None]:
    """A transaction around a whole migration. Python's sqlite3 runs DDL outside transactions
    (it begins one before DML only), so an interrupted migration would leave a store half
    converted: here SQLite gets an explicit BEGIN, and its DDL is rolled back with the rest."""
    if connection.dialect.name != "sqlite":
        with connection.begin():
            yield
        return
    driver = connection.connection.driver_connection
    saved = driver.isolation_level  # type: ignore[union-attr]  # sqlite3.Connection here
    driver.isolation_level = None  # type: ignore[union-attr]  # BEGIN and COMMIT are ours
    try:
        with connection.begin():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield
    finally:
        driver.isolation_level = saved  # type: ignore[union-attr]


def _vacuum(engine: Engine, *, always: bool = False) -> None:
    """VACUUM a store a migration left a quarter free or more (``always``: one whose rows it
    shrank in place, which frees no page), or one of another page size, into ``PAGE_SIZE`` pages
    where no other process has it open (a page size changes only outside WAL mode)."""
    engine.dispose()  # this process's idle connections would keep it in WAL mode too
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        pragma = connection.exec_driver_sql
        pages = pragma("PRAGMA page_count").scalar() or 0
        free = pragma("PRAGMA freelist_count").scalar() or 0
        if not always and free <= pages / 4 and pragma("PRAGMA page_size").scalar() == PAGE_SIZE:
            return
        try:
            if pragma("PRAGMA journal_mode=DELETE").scalar() == "delete":
                pragma(f"PRAGMA page_size={PAGE_SIZE}")
            pragma("VACUUM")
        except OperationalError:
            pass  # another process is writing: the store stays as it is, whole, until later
        finally:
            pragma("PRAGMA journal_mode=WAL")
