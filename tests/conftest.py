"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


@pytest.fixture
def store(tmp_path):
    """An empty store on a fresh SQLite file."""
    from leadboard.store.repository import Store

    opened = Store.open(f"sqlite:///{tmp_path / 'leadboard.db'}")
    yield opened
    opened.close()
