"""Company pages' figures (insights/company.py): which names are one company, and what a
company's postings say, counted once per duplicate with honest dates."""

from datetime import timedelta

import pytest
from support.company_jobs import CRAWLED, NOW, fill_companies

from leadboard.insights.company import (
    MONTHS,
    build_page,
    charts_of,
    company_key,
    company_slug,
    directory,
)


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (["DeepMind", "Google DeepMind", "Google DeepMind Ltd."], True),  # the alias table
        (["Meta", "Meta Platforms, Inc.", "META PLATFORMS INC", "Facebook"], True),
        (["Anthropic", "Anthropic, PBC", "anthropic pbc"], True),  # a legal suffix
        (["Zoë AI GmbH", "Zoe AI"], True),  # accents
        (["xAI", "X.AI Corp"], True),  # a dot inside a word
        (["Hugging Face", "HuggingFace"], True),
        (["The Trade Desk", "Trade Desk Inc"], True),
        (["Google", "Google DeepMind"], False),  # a part of a company is not the company
        (["Scale AI", "Scale"], False),  # too common a word to alias
        (["Co", "Inc"], False),  # a name that is only a suffix stays itself
    ],
)
def test_names_are_one_company_by_the_key_rule(names, same):
    assert (len({company_key(name) for name in names}) == 1) is same


def test_the_directory_names_a_company_by_its_most_used_name():
    found = directory({"DeepMind": 9, "Google DeepMind": 3, "–": 4, "Meta": 1})
    assert sorted(found) == ["google-deepmind", "meta"]  # "–" makes no page
    deepmind = found["google-deepmind"]
    assert deepmind.name == "DeepMind" and deepmind.jobs == 12
    assert company_slug("Google DeepMind Ltd") == deepmind.slug


def test_a_company_page_counts_open_roles_once_with_sample_sizes(store):
    fill_companies(store)
    company = directory(store.company_names())["google-deepmind"]
    assert company.names == {"Google DeepMind": 4, "DeepMind": 1}
    page = build_page(store, company)
    assert (page.open, page.closed, page.stale) == (4, 1, 0)  # job 4 closed 20 days ago
    assert [role["title"] for role in page.roles] == [
        "Staff Research Engineer",  # no date of its own: first seen 2 days ago
        "Research Lead, Gemini",  # posted 10 days ago
        "Engineering Manager, Applied AI",
        "Research Scientist, Alignment",
    ]
    lead = page.ml_leadership
    assert (lead.count, lead.total, lead.value, lead.small) == (2, 4, 0.5, True)
    assert 0.1 < lead.low < 0.5 < lead.high < 0.9  # Wilson's interval of 2 of 4
    assert {row.name: row.share.count for row in page.remote} == {
        "remote": 2,
        "hybrid": 1,
        "onsite": 1,
    }
    assert (page.pay_stated.count, page.pay_stated.total) == (3, 4)
    stated = {(r.min, r.max, r.currency, r.period) for r in page.pay_ranges}
    assert stated == {
        (250_000, 300_000, "USD", "year"),
        (150_000, 150_000, "GBP", "year"),
        (18, 18, "USD", "hour"),
    }
    # Yearly pay is per currency, never converted: USD 18/hour is 37,440 a year.
    usd = next(g for g in page.pay if g.currency == "USD" and g.by == "all")
    assert (usd.count, usd.whisker_low, usd.whisker_high) == (2, 18 * 2080, 275_000)


def test_openings_by_month_keep_the_sources_dates_apart_from_first_sight(store):
    fill_companies(store)
    page = build_page(store, directory(store.company_names())["google-deepmind"])
    opened_dated = sum(month.opened_dated for month in page.months)
    opened_seen = sum(month.opened_first_seen for month in page.months)
    assert (opened_dated, opened_seen) == (4, 1)  # one posting gave no date of its own
    assert (page.undated.count, page.undated.total) == (1, 5)  # the page says so, with its size
    seen_month = (NOW - timedelta(days=2)).strftime("%Y-%m")
    assert {m.month: m.opened_first_seen for m in page.months}[seen_month] == 1
    closed_month = (NOW - timedelta(days=20)).strftime("%Y-%m")
    assert {m.month: m.closed for m in page.months}[closed_month] == 1
    labels = [month.month for month in page.months]
    assert labels == sorted(labels) and len(labels) <= MONTHS  # a continuous run of months
    assert "openings" in charts_of(page) and "remote" in charts_of(page)


def test_boards_say_when_they_were_last_crawled_and_dumps_are_not(store):
    fill_companies(store)
    page = build_page(store, directory(store.company_names())["google-deepmind"])
    crawled, dump = page.boards
    assert crawled.spec == "greenhouse:deepmind" and crawled.status == "ok"
    assert crawled.last_success_at.replace(tzinfo=None) == CRAWLED.replace(tzinfo=None)
    assert crawled.open_postings == 3
    assert (dump.spec, dump.crawled, dump.open_postings) == ("file:ai-labs-2026", False, 1)


def test_postings_not_confirmed_lately_count_only_when_asked(store):
    fill_companies(store)
    store.mark_stale(NOW + timedelta(days=100), 60)  # nothing confirmed for 100 days
    company = directory(store.company_names())["google-deepmind"]
    page = build_page(store, company)
    assert (page.open, page.stale, page.closed, page.roles) == (0, 4, 1, [])
    assert page.ml_leadership.total == 0 and page.ml_leadership.value is None
    counted = build_page(store, company, include_stale=True)
    assert (counted.open, counted.stale, counted.include_stale) == (4, 4, True)
    assert all(role["stale"] for role in counted.roles)  # each card says so
