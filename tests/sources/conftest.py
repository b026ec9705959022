"""Fixtures shared by the connector tests: a local HTTP server and a fast client to reach it.

Every request in these tests goes to 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from leadboard.sources.http import HttpClient


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    """A local HTTP server on 127.0.0.1, threaded so a slow handler blocks no other request."""
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def httpserver(server: HTTPServer) -> Iterator[HTTPServer]:
    """The module's server, emptied for this test; fails the test if a handler's check failed."""
    server.clear()
    yield server
    server.check_assertions()


@pytest.fixture
def http() -> Iterator[HttpClient]:
    """A client for the local server: no rate limit, one quick retry."""
    with HttpClient(timeout=2, retries=1, backoff=0.001, min_interval=0) as client:
        yield client


@pytest.fixture(scope="session")
def ats_fixtures(shared_data_dir: Path) -> Path:
    """``../shared/data/fixtures/ats``: real recorded responses, one folder per ATS kind."""
    return shared_data_dir / "fixtures" / "ats"
