"""Fixtures of the web tests."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.browser import SIZES, chromium, serving
from support.search_jobs import fill


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the browser tests of a module (skips where it is not
    installed). Not one a session: Playwright's sync API holds an event loop while it runs, and
    the doctests collected after tests/ call ``asyncio.run``."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def csp_refusals() -> Callable[[Any], list[str]]:
    """``watch(page)``: a list that fills with what the page's Content-Security-Policy refused
    (chromium says each on the console, "Refused to load …" / "Refused to execute …")."""

    def watch(page: Any) -> list[str]:
        refused: list[str] = []

        def on_console(message: Any) -> None:
            if "Refused to" in message.text or "Content Security Policy" in message.text:
                refused.append(message.text)

        page.on("console", on_console)
        return refused

    return watch


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    """desktop or phone: a test that asks for ``page`` runs at both."""
    return str(request.param)


@pytest.fixture
def page(size: str, browser: Any, csp_refusals: Callable[[Any], list[str]]) -> Iterator[Any]:
    """A page at ``size``'s viewport that must satisfy its Content-Security-Policy throughout."""
    context = browser.new_context(viewport=SIZES[size])
    opened = context.new_page()
    refused = csp_refusals(opened)
    yield opened
    assert refused == []  # every page satisfies its Content-Security-Policy
    context.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The search test jobs in a new SQLite store (nothing saved, nothing tracked), served
    (a module may serve its own ``server``)."""
    from leadboard.search.engine import SearchEngine
    from leadboard.store.repository import Store
    from leadboard.web.app import create_app

    store = Store.open(f"sqlite:///{tmp_path / 'leadboard.db'}")
    fill(store)
    with serving(create_app(store, SearchEngine(store))) as url:
        yield url
    store.close()
