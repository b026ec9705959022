"""The web app in a real browser (Debian's chromium, driven by Playwright): search, filter, open a
job, go back — without and with JavaScript. Screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.search_jobs import fill

from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store
from leadboard.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium not installed (apt-get install chromium)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('web') / 'leadboard.db'}")
    fill(store)
    port = _free_port()
    config = uvicorn.Config(create_app(store, SearchEngine(store)), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_search_filter_open_a_job_and_come_back(server, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(server + "/")
    assert page.get_by_label("Search ML leadership jobs").is_visible()
    shot(page, f"01-home-{'js' if javascript else 'nojs'}")

    page.get_by_label("Search ML leadership jobs").fill("team remote")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=team+remote")
    cards = page.locator("li.card h3 a")
    assert cards.all_inner_texts() == ["Staff Machine Learning Engineer, Ranking"]
    assert page.get_by_role("link", name="Remove remote remote").is_visible()
    shot(page, f"02-results-{'js' if javascript else 'nojs'}")

    page.get_by_role("link", name="Remove remote remote").click()  # the chip goes, the team stays
    page.wait_for_url("**/?q=team")
    assert set(cards.all_inner_texts()) == {"Staff Machine Learning Engineer, Ranking",
                                            "Engineering Manager, ML Platform"}  # fmt: skip
    page.locator("aside").get_by_role("link", name="manager", exact=True).click()  # a facet
    assert cards.all_inner_texts() == ["Engineering Manager, ML Platform"]
    shot(page, f"03-facet-{'js' if javascript else 'nojs'}")

    cards.first.click()
    page.wait_for_url("**/jobs/greenhouse:acme:2")
    assert page.get_by_role("heading", name="Engineering Manager, ML Platform").is_visible()
    assert page.get_by_text("What Leadboard read").is_visible()
    shot(page, f"04-job-{'js' if javascript else 'nojs'}")

    page.go_back()
    page.wait_for_url("**seniority=manager**")
    assert cards.all_inner_texts() == ["Engineering Manager, ML Platform"]
    context.close()


def test_keyboard_reaches_the_search_box_and_results(server, browser):
    page = browser.new_page()
    page.goto(server + "/?q=ranking&family=any")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.close()
