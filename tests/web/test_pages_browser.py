"""The pages for people (issue 16) in a real browser, at a desktop's and a phone's size: result
cards with badges and the Apply button, the filters drawer on a phone, labels instead of codes,
relative dates, a company page. Screenshots go to ``test-output/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.browser import fits, serving, shot
from support.company_jobs import fill_companies
from support.search_jobs import fill

from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store
from leadboard.web.app import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'leadboard.db'}")
    fill(store)
    fill_companies(store)
    with serving(create_app(store, SearchEngine(store))) as url:
        yield url
    store.close()


def test_result_cards_show_labels_badges_relative_dates_and_apply(server, page, size):
    page.goto(server + "/?family=any&q=research")
    assert page.get_by_role("heading", level=1).inner_text() == "Jobs for “research”"
    card = page.locator("article.card").filter(has_text="Research Lead, Gemini")
    assert card.locator(".badge.pay").inner_text() == "USD 250k–300k/year"
    assert card.locator(".badge.remote").inner_text() == "Hybrid"  # not "hybrid"
    assert card.locator(".badge.level").inner_text() == "Director"
    assert card.locator("time").inner_text() == "posted 10 days ago"
    apply = card.get_by_role("link", name="Apply for Research Lead, Gemini at Google DeepMind")
    assert apply.is_visible() and apply.get_attribute("href").startswith("https://")
    # A posting that gives no URL says so, and one without a date of its own says when we saw it.
    bare = page.locator("article.card").filter(has_text="Staff Research Engineer")
    assert bare.get_by_text("No link to apply given by the source").is_visible()
    assert bare.locator(".age").inner_text() == "first seen 2 days ago"
    hourly = page.locator("article.card").filter(has_text="Research Scientist, Alignment")
    assert hourly.locator(".badge.pay").inner_text() == "USD 18/hour"  # not "USD 18–18 / hour"
    assert hourly.locator(".badge.family").inner_text() == "ML engineer (IC)"
    assert fits(page)
    shot(page, f"pages-results-{size}")


def test_results_come_first_on_a_phone_and_filters_open_in_a_drawer(server, page, size):
    page.goto(server + "/?family=any")
    facet = page.locator("aside").get_by_role("link", name="Manager", exact=True)
    first_card = page.locator("article.card").first
    if size == "desktop":  # the filters are a column beside the results, always open
        assert facet.is_visible()
        assert page.locator(".drawer > summary").is_hidden()
    else:  # one line above the results; the facets only when asked for
        assert facet.is_hidden()
        summary = page.locator(".drawer > summary")
        assert summary.bounding_box()["height"] < 60
        assert first_card.bounding_box()["y"] < 844  # a result in the first screenful
        shot(page, "pages-drawer-closed-phone")
        summary.click()
        assert facet.is_visible()
        shot(page, "pages-drawer-open-phone")
    facet.click()
    page.wait_for_url("**seniority=manager**")
    chip = page.get_by_role("link", name="Remove filter Manager")
    assert chip.is_visible()  # the active filter in words, not "seniority: manager"
    titles = page.locator("article.card h2 a").all_inner_texts()
    assert set(titles) == {
        "Engineering Manager, ML Platform",
        "Engineering Manager, Applied AI",
        "ML Engineering Manager, Ranking",
    }


def test_a_company_page_merges_names_and_counts_with_sample_sizes(server, page, size):
    page.goto(server + "/jobs/file:ai-labs-2026:5")
    assert page.get_by_role("heading", level=1).inner_text() == "Research Scientist, Alignment"
    page.get_by_role("link", name="DeepMind", exact=True).click()  # the job's company
    page.wait_for_url("**/companies/google-deepmind")
    assert page.get_by_role("heading", level=1).inner_text() == "Google DeepMind"
    assert page.get_by_text("“Google DeepMind” (4 postings), “DeepMind” (1 posting)").is_visible()
    glance = page.get_by_role("list", name="At a glance").inner_text()
    assert "4\nopen roles" in glance and "50%\nML leadership (2 of 4 read)" in glance
    roles = page.locator("#roles article.card h3 a").all_inner_texts()
    assert roles[0] == "Staff Research Engineer"  # first seen 2 days ago: the newest we know of
    assert "Head of Research Operations" not in roles  # closed
    assert page.get_by_text("greenhouse:deepmind").is_visible()
    assert page.locator("#boards time").inner_text() == "today"  # crawled 3 hours ago
    assert page.get_by_role("img", name="Open roles by remote policy, with 95% intervals")
    assert fits(page)
    shot(page, f"pages-company-{size}")
    page.goto(server + "/companies")
    assert page.get_by_role("heading", level=1).inner_text() == "Companies"
    assert page.get_by_role("link", name="Meta", exact=True).is_visible()
    shot(page, f"pages-companies-{size}")


def test_the_job_page_puts_apply_first_and_keeps_the_evidence(server, page, size):
    page.goto(server + "/jobs/greenhouse:deepmind:1")
    apply = page.get_by_role("link", name="Apply for Research Lead, Gemini at Google DeepMind")
    assert apply.is_visible()
    box = apply.bounding_box()
    assert box["y"] < 500  # in the first screenful, at either size
    assert page.get_by_role("heading", name="What Leadboard read").is_visible()
    facts = page.locator(".facts").inner_text()
    assert "ML leadership" in facts and "Director" in facts and "USD 250k–300k/year" in facts
    assert fits(page)
    shot(page, f"pages-job-{size}")
