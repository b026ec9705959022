"""Saved searches in a real browser, at a desktop's and a phone's size: search, press "Save this
search", find it on /saved by its name, open it (back on its results), rename it, delete it.
Plain forms, no script; screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from support.browser import serving, shot
from support.search_jobs import fill

from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store
from leadboard.web.app import create_app

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
RANKING = "Staff Machine Learning Engineer, Ranking"


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def server(tmp_path, size) -> Iterator[str]:
    """A fresh store each size: nothing is saved yet."""
    store = Store.open(f"sqlite:///{tmp_path / 'leadboard.db'}")
    fill(store)
    with serving(create_app(store, SearchEngine(store))) as url:
        yield url
    store.close()


@pytest.fixture
def page(size, browser, csp_refusals):
    context = browser.new_context(viewport=SIZES[size])
    opened = context.new_page()
    refused = csp_refusals(opened)
    yield opened
    assert refused == []  # every page satisfies its Content-Security-Policy
    context.close()


def fits(page) -> bool:
    """No horizontal scroll."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_save_a_search_open_it_rename_it_and_delete_it(server, page, size):
    page.goto(server + "/")
    page.get_by_role("searchbox").fill("ranking")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("article.card").filter(has_text=RANKING).count() == 1
    form = page.locator("form.save-search")
    form.get_by_label("Name").fill("Ranking leads")
    form.get_by_role("button", name="Save this search").click()
    page.wait_for_load_state()

    assert urlsplit(page.url).path == "/saved"
    assert page.get_by_role("heading", level=1).inner_text() == "Saved searches"
    saved = page.locator("li.saved-search")
    assert saved.count() == 1
    assert saved.get_by_role("heading", level=2).inner_text() == "Ranking leads"
    assert "“ranking”" in saved.locator(".meta").inner_text()
    assert "1 open posting" in saved.locator(".new").inner_text()
    assert fits(page)
    shot(page, f"saved-list-{size}")

    saved.get_by_role("link", name="Ranking leads").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["ranking"]
    assert page.get_by_role("heading", level=1).inner_text() == "Jobs for “ranking”"
    assert page.locator("article.card").filter(has_text=RANKING).count() == 1
    assert fits(page)
    shot(page, f"saved-opened-{size}")

    page.goto(server + "/saved")
    saved = page.locator("li.saved-search")
    saved.locator("summary").click()
    saved.get_by_label("New name").fill("Remote ranking leads")
    saved.get_by_role("button", name="Rename").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/saved"
    saved = page.locator("li.saved-search")
    assert saved.get_by_role("heading", level=2).inner_text() == "Remote ranking leads"
    assert "Nothing new since you last looked" in saved.locator(".new").inner_text()
    saved.locator("summary").click()
    assert fits(page)
    shot(page, f"saved-renamed-{size}")

    saved.get_by_role("button", name="Delete Remote ranking leads").click()
    page.wait_for_load_state()
    assert page.locator("li.saved-search").count() == 0
    assert "No saved searches yet" in page.locator("ul.saved-list").inner_text()
    assert fits(page)
    shot(page, f"saved-deleted-{size}")
