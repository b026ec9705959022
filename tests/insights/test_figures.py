"""Each figure of a market page, counted over hand-made postings (no database): the numbers a
reader can check on paper."""

from datetime import UTC, datetime

import pytest

from leadboard.insights import figures
from leadboard.insights.figures import Posting
from leadboard.insights.stats import Share, difference, quartiles, wilson


def test_wilson_matches_newcombes_worked_example_and_stays_in_bounds():
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0
    assert Share.of(0, 0).value is None and Share.of(0, 0).small


def test_a_share_from_fewer_than_twenty_postings_says_so():
    assert Share.of(10, 19).small and not Share.of(10, 20).small


def test_newcombes_difference_interval_from_his_paper():
    change = difference(Share.of(56, 70), Share.of(48, 80))
    assert round(change.low, 4) == 0.0524 and round(change.high, 4) == 0.3339
    assert difference(Share.of(1, 2), Share.of(0, 0)) is None


def test_quartiles_interpolate_like_numpy():
    assert quartiles([3, 3, 5, 5, 8, 8, 12, 12]) == (4.5, 6.5, 9.0)
    with pytest.raises(ValueError):
        quartiles([])


def test_duties_skills_and_years_are_shares_of_the_readable_postings_only():
    rows = [
        Posting(1, duties=frozenset({"mentoring"}), skills=frozenset({"Python"}), years_min=8),
        Posting(2, duties=frozenset({"mentoring", "architecture"}), years_min=3),
        Posting(3, readable=False),  # not enriched, or no text: counts for places, not duties
    ]
    duties = {row.name: row.share for row in figures.duties(rows)}
    assert (duties["mentoring"].count, duties["mentoring"].total) == (2, 2)
    assert duties["architecture"].value == 0.5 and duties["people_management"].count == 0
    assert figures.asking_any(rows, ["Python", "Rust"]).total == 2
    years = figures.years(rows)
    assert (
        years.stated.count == 2 and years.many.count == 1 and years.quartiles == (4.25, 5.5, 6.75)
    )
    assert dict(years.histogram)["8"] == 1 and dict(years.histogram)["15+"] == 0


def test_skills_set_beside_the_other_group_with_the_difference():
    here = [
        Posting(i, skills=frozenset({"Python", "Kubernetes"} if i < 3 else {"Python"}))
        for i in range(4)
    ]
    others = [Posting(10 + i, skills=frozenset({"Python", "PyTorch"})) for i in range(6)]
    rows = {row.name: row for row in figures.skills(here, others)}
    assert list(rows) == ["Python", "Kubernetes"]  # most asked first; PyTorch is not asked here
    assert rows["Kubernetes"].here.value == 0.75 and rows["Kubernetes"].others.count == 0
    assert rows["Python"].difference.value == 0.0


def test_companies_places_and_remote():
    rows = [
        Posting(1, company="Acme", remote="remote", countries=("US", "GB"), cities=("London",)),
        Posting(2, company="Acme", remote="onsite", countries=("US",)),
        Posting(3, company="", remote="remote"),  # no company name: not a company
    ]
    count, top = figures.companies(rows, 5)
    assert count == 1 and top[0].name == "Acme" and top[0].share.total == 3
    countries = {row.name: row.share.count for row in figures.places(rows, "countries", 5)}
    assert countries == {"US": 2, "GB": 1}  # a posting naming two countries counts for each
    assert [(row.name, row.share.count) for row in figures.remote(rows)] == [
        ("remote", 2),
        ("onsite", 1),
    ]


def test_pay_never_mixes_currencies_and_groups_by_country_and_seniority():
    rows = [
        Posting(
            1,
            salary_currency="USD",
            salary_year_min=100_000,
            salary_year_max=200_000,
            countries=("US",),
            seniority="staff",
        ),
        Posting(
            2,
            salary_currency="USD",
            salary_year_min=200_000,
            salary_year_max=None,
            countries=("US", "CA"),
            seniority="manager",
        ),
        Posting(
            3,
            salary_currency="EUR",
            salary_year_min=90_000,
            salary_year_max=110_000,
            seniority="staff",
        ),
        Posting(4),  # states no pay
    ]
    groups = {(g.currency, g.by, g.group): g for g in figures.pay(rows)}
    usd = groups[("USD", "all", "all")]
    assert usd.count == 2 and usd.median == 175_000  # midpoints 150k and 200k (one number: itself)
    assert usd.median_low == 150_000 and usd.median_high == 200_000 and usd.small
    assert groups[("USD", "country", "US")].count == 1
    assert groups[("USD", "country", "several")].count == 1
    assert groups[("EUR", "country", "none")].median == 100_000
    assert groups[("EUR", "seniority", "staff")].count == 1
    assert [g.currency for g in figures.pay(rows)][0] == "USD"  # most postings first


def test_the_trend_counts_dated_postings_only_and_coarsens_its_periods_to_fill_them():
    def posting(i, month):
        asked = {"LLMs"} if (i // 6) % 2 else set()  # half of each month's postings
        return Posting(i, skills=frozenset(asked), posted_at=datetime(2025, month, 1, tzinfo=UTC))

    rows = [posting(i, 1 + i % 6) for i in range(48)] + [Posting(100)]  # one undated
    trend = figures.trend(rows, {"LLMs": ["LLMs"]})
    assert trend.dated.count == 48 and trend.dated.total == 49
    assert trend.period == "quarter"
    assert [(p.period, p.postings) for p in trend.points] == [("2025-Q1", 24), ("2025-Q2", 24)]
    assert trend.points[0].shares["LLMs"].value == 0.5
    few = figures.trend(rows[:30], {"LLMs": ["LLMs"]})  # quarters of 15: half-years of 15 too
    assert few.period == "year" and few.points[0].postings == 30
