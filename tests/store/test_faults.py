"""Faults that lose nothing: a disk that fills during an import rolls back the batch that failed
and keeps every posting stored before it; a store a newer Leadboard migrated, or an older one
left half-migrated, is refused with a message that says what to do, and left as it was.

A full disk is SQLite's ``PRAGMA max_page_count`` on every connection of the store."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect, text
from support.migrations import migrate_to

from leadboard import models
from leadboard.cli import main
from leadboard.pipeline import import_paths
from leadboard.store.database import MIGRATIONS, MigrationRefused, migrate
from leadboard.store.repository import Store, StoreFull

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)


def pair(n: int, text_bytes: int = 100) -> tuple[models.SourcePosting, models.Job]:
    # Random text: it does not compress, so a batch of it needs as many pages as it is long.
    words = base64.b64encode(os.urandom(text_bytes)).decode()
    posting = models.SourcePosting(
        source="greenhouse",
        board="acme",
        external_id=str(n),
        fetched_at=T0,
        payload={"id": n, "content": words},
    )
    job = models.Job(
        id=posting.key,
        source="greenhouse",
        board="acme",
        external_id=str(n),
        title=f"ML Engineer {n}",
        title_raw=f"ML Engineer {n}",
        description_text=words,
        content_hash=hashlib.sha256(words.encode()).hexdigest(),
    )
    return posting, job


@contextmanager
def disk_full_after(engine: Engine, more_pages: int) -> Iterator[None]:
    """The store may grow by ``more_pages`` pages, no more, until the block ends."""
    with engine.connect() as connection:
        limit = int(connection.exec_driver_sql("PRAGMA page_count").scalar_one()) + more_pages

    def limited(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit}")

    event.listen(engine, "connect", limited)
    engine.dispose()  # connections made from now on have the limit
    try:
        yield
    finally:
        event.remove(engine, "connect", limited)
        engine.dispose()


def integrity(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.exec_driver_sql("PRAGMA integrity_check").scalar_one())


def sqlite_only(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("a full disk is simulated with SQLite's max_page_count")


def test_a_full_disk_rolls_back_the_batch_that_failed_and_keeps_the_earlier_ones(store):
    sqlite_only(store)
    index = store.duplicate_index()
    store.save_batch([pair(n) for n in range(5)], [], index=index, seen_at=T0)
    big = [pair(n, text_bytes=20_000) for n in range(5, 55)]  # ~1.4 MB: far over 4 pages

    with disk_full_after(store.engine, 4), pytest.raises(StoreFull) as failed:
        store.save_batch(big, [], index=index, seen_at=T0)

    assert "the batch of 50 postings being saved was rolled back" in str(failed.value)
    assert "everything stored before it is intact" in str(failed.value)
    assert integrity(store.engine) == "ok"
    assert (store.stats()["jobs"], store.stats()["raw_postings"]) == (5, 5)
    assert store.get_job("greenhouse:acme:4").title == "ML Engineer 4"
    assert (
        store.get_job("greenhouse:acme:5") is None
    )  # none of the failed batch, not even its first

    counts = store.save_batch(big, [], index=store.duplicate_index(), seen_at=T0)
    assert counts.inserted == 50 and store.stats()["jobs"] == 55


def write_dump(path: Path, first: int, count: int, text_bytes: int) -> Path:
    rows = [
        {
            "id": f"r{n}",
            "source": "test",
            "company": "Acme",
            "title": f"Data Scientist {n}",
            "description": base64.b64encode(os.urandom(text_bytes)).decode(),
        }
        for n in range(first, first + count)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_an_import_that_fills_the_disk_stops_clearly_and_a_later_one_completes(store, tmp_path):
    sqlite_only(store)
    assert import_paths(store, [write_dump(tmp_path / "a" / "a.jsonl", 0, 20, 200)]).inserted == 20
    # two batches of 500 and 100; the text once in the store (0014: the payload packed against it)
    second = write_dump(tmp_path / "b" / "b.jsonl", 20, 600, 8000)

    with disk_full_after(store.engine, 200), pytest.raises(StoreFull, match="Free disk space"):
        import_paths(store, [second])
    assert integrity(store.engine) == "ok"
    jobs = store.stats()["jobs"]
    assert jobs == 20  # the first batch of the second dump needed more than 200 pages: rolled back

    summary = import_paths(store, [second])
    assert (summary.inserted, store.stats()["jobs"]) == (600, 620)


def revision(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def test_a_store_a_newer_leadboard_migrated_is_refused_with_what_to_do(database_url):
    store = Store.open(database_url)
    store.save_batch([pair(1)], [], index=store.duplicate_index(), seen_at=T0)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    store.close()

    with pytest.raises(MigrationRefused) as refused:
        Store.open(database_url)
    message = str(refused.value)
    assert "schema revision 0042, which this version of Leadboard does not know" in message
    assert "Upgrade Leadboard" in message and "LEADBOARD_HOME" in message
    store = Store(store.engine)
    assert revision(store.engine) == "0042" and store.get_job("greenhouse:acme:1") is not None


def test_the_command_says_so_in_one_line(database_url, monkeypatch, capsys):
    store = Store.open(database_url)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    store.close()
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.argv", ["leadboard", "stats"])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("leadboard: the store ") and "revision 0042" in line


def newest() -> str:
    """The revision ``migrate`` brings a store to."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())


def test_a_half_migrated_store_is_refused_and_the_attempt_rolled_back_whole(store):
    """An older Leadboard, interrupted while migrating to 0009, added a column and stopped:
    migrating again fails on it, and the failed attempt leaves nothing of its own."""
    store.save_batch([pair(1)], [], index=store.duplicate_index(), seen_at=T0)
    migrate_to(store.engine, "0008", down=True)
    with store.engine.begin() as connection:
        connection.execute(text("ALTER TABLE jobs ADD COLUMN description TEXT"))

    with pytest.raises(MigrationRefused) as refused:
        migrate(store.engine)

    message = str(refused.value)
    assert f"from schema revision 0008 to {newest()} failed, and was rolled back" in message
    assert "half-migrated: restore a backup" in message
    assert revision(store.engine) == "0008"
    # 0009's first steps (raw_postings' new payload column, its data) were undone with the rest.
    assert "payload_zstd" not in {
        c["name"] for c in inspect(store.engine).get_columns("raw_postings")
    }
    with store.engine.connect() as connection:
        payload = connection.execute(text("SELECT payload FROM raw_postings")).scalar()
    assert (json.loads(payload) if isinstance(payload, str) else payload)["id"] == 1


def test_a_migration_stopped_by_a_full_disk_leaves_the_old_store_whole(store):
    sqlite_only(store)
    store.save_batch(
        [pair(n, 3000) for n in range(200)], [], index=store.duplicate_index(), seen_at=T0
    )
    migrate_to(store.engine, "0008", down=True)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")  # no free pages left: converting needs new ones

    full = "failed, and was rolled back: database or disk is full"
    with disk_full_after(store.engine, 2), pytest.raises(MigrationRefused, match=full):
        migrate(store.engine)
    assert revision(store.engine) == "0008" and integrity(store.engine) == "ok"

    migrate(store.engine)
    assert revision(store.engine) == newest()
    assert Store(store.engine).stats()["jobs"] == 200
