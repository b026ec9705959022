"""Fixtures of the web tests."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support.browser import chromium


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
