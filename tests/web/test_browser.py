"""The web app in a real browser (Debian's chromium, driven by Playwright): search, filter, open a
job, go back — without and with JavaScript. Screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.browser import serving, shot
from support.search_jobs import fill

from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store
from leadboard.web.app import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('web') / 'leadboard.db'}")
    fill(store)
    with serving(create_app(store, SearchEngine(store))) as url:
        yield url
    store.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_search_filter_open_a_job_and_come_back(server, browser, javascript, csp_refusals):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    refused = csp_refusals(page)
    page.goto(server + "/")
    assert page.get_by_label("Search ML leadership jobs").is_visible()
    shot(page, f"01-home-{'js' if javascript else 'nojs'}")

    page.get_by_label("Search ML leadership jobs").fill("team remote")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=team+remote")
    cards = page.locator("article.card h2 a")
    # A typed word ranks, it does not filter (issue 13): the remote job first, the other after.
    both = ["Staff Machine Learning Engineer, Ranking", "Engineering Manager, ML Platform"]
    assert cards.all_inner_texts() == both
    shot(page, f"02-results-{'js' if javascript else 'nojs'}")

    page.get_by_role("link", name="Keep only Remote").click()  # now it filters
    page.wait_for_url("**/?q=team+remote%3A")
    assert cards.all_inner_texts() == ["Staff Machine Learning Engineer, Ranking"]
    page.get_by_role("link", name="Remove filter Remote").click()  # the team stays
    page.wait_for_url("**/?q=team")
    assert set(cards.all_inner_texts()) == set(both)
    page.locator("aside").get_by_role("link", name="Manager", exact=True).click()  # a facet
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
    assert refused == []  # every page satisfies its Content-Security-Policy
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


def test_the_api_docs_work_offline_under_the_content_security_policy(server, browser, csp_refusals):
    page = browser.new_page()
    refused = csp_refusals(page)
    elsewhere: list[str] = []

    def offline(route):  # nothing but this server answers, as on a machine with no internet
        if route.request.url.startswith(server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(server + "/docs")
    page.get_by_text("/api/v1/search").first.wait_for(timeout=15_000)  # Swagger UI drew the API
    assert page.get_by_role("heading", name="Leadboard").first.is_visible()
    shot(page, "05-api-docs")
    assert elsewhere == [] and refused == []
    page.close()
