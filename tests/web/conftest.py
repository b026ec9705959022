"""Fixtures of the web tests."""

from collections.abc import Iterator

import pytest
from support.browser import chromium


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for every browser test (skips where it is not installed)."""
    with chromium() as launched:
        yield launched
