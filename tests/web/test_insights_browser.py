"""The ML Tech Lead market page in a real browser (Debian's chromium, driven by Playwright), with
and without JavaScript: charts drawn, tables behind them, the overview's links landing on their
sections. Screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.browser import serving, shot
from support.market_jobs import fill_market

from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store
from leadboard.web.app import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('insights') / 'leadboard.db'}")
    fill_market(store)
    with serving(create_app(store, SearchEngine(store))) as url:
        yield url
    store.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_ml_tech_lead_page_shows_its_charts_and_tables(
    server, browser, javascript, csp_refusals
):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    refused = csp_refusals(page)
    page.goto(server + "/")
    page.get_by_role("link", name="The market").click()  # from the header of every page
    page.wait_for_url("**/insights/ml-tech-lead")
    assert page.get_by_role("heading", name="ML Tech Lead jobs: the market, measured").is_visible()

    charts = page.get_by_role("img")
    assert charts.count() == 4  # duties, skills, years, pay in USD
    for name in ("Duties listed", "Skills asked", "Minimum years", "Yearly pay in USD"):
        chart = page.get_by_role("img", name=name)
        assert chart.is_visible() and chart.bounding_box()["height"] > 100
    shot(page, f"insights-01-page-{'js' if javascript else 'nojs'}")

    duties = page.locator("#duties")
    table = duties.get_by_role("table", name="Duties listed")
    assert not table.is_visible()  # behind the chart, one click away
    duties.get_by_text("The table behind the chart").click()
    assert table.is_visible()
    assert (
        table.get_by_role("row", name="mentoring").get_by_role("cell").first.inner_text() == "75%"
    )
    claims = page.get_by_role("table", name="Claims and what the postings say")
    assert claims.get_by_role("row", name="PyTorch is standard").get_by_text("not supported")

    page.locator(".overview").get_by_role("link", name="6.5").click()  # the median years
    page.wait_for_url("**#experience")
    assert page.get_by_role("heading", name="Experience").is_visible()
    shot(page, f"insights-02-experience-{'js' if javascript else 'nojs'}")
    assert refused == []  # charts and styles satisfy the Content-Security-Policy
    context.close()


def test_the_other_market_pages_are_one_click_away(server, browser):
    page = browser.new_page()
    page.goto(server + "/insights/ml-tech-lead")
    page.get_by_role("navigation", name="Market pages").get_by_role(
        "link", name="ML Engineer"
    ).click()
    page.wait_for_url("**/insights/ml-engineer")
    assert page.get_by_text("10 postings: open ML engineer (IC) roles").is_visible()
    assert page.get_by_role("note").is_visible()  # "Only 10 postings: too few for firm figures"
    shot(page, "insights-03-ml-engineer")
    page.close()
