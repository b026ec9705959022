"""Fixtures of the search tests."""

from __future__ import annotations

import pytest
from support.postgres import fresh_database
from support.search_jobs import fill

from leadboard.store.repository import Store


@pytest.fixture
def filled_pg_store(postgres_url, postgres_template):
    """A PostgreSQL store of its own holding ``support.search_jobs``'s jobs."""
    with fresh_database(postgres_url, postgres_template) as url:
        opened = Store.open(url)
        fill(opened)
        yield opened
        opened.close()
