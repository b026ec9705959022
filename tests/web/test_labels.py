"""What the pages say instead of codes, raw amounts and dates (leadboard/labels.py)."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from leadboard.labels import ago, filter_label, label, pay, when

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("low", "high", "currency", "period", "shown"),
    [
        (18, 18, "USD", "hour", "USD 18/hour"),  # not "USD 18–18 / hour"
        (150_000, 200_000, "USD", "year", "USD 150k–200k/year"),
        (152_500, 152_500, "EUR", "year", "EUR 152.5k/year"),
        (4_500, 6_000, "GBP", "month", "GBP 4,500–6,000/month"),
        (22.5, 30, "CAD", "hour", "CAD 22.50–30/hour"),
        (90_000, None, "CHF", "year", "from CHF 90k/year"),
        (None, 700, "USD", "day", "up to USD 700/day"),
    ],
)
def test_pay_is_said_as_people_write_it(low, high, currency, period, shown):
    assert pay(SimpleNamespace(min=low, max=high, currency=currency, period=period)) == shown


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ("2026-12-07T08:00:00+00:00", "today"),
        ("2026-12-06T08:00:00+00:00", "yesterday"),
        ("2026-11-27T12:00:00+00:00", "10 days ago"),
        ("2026-11-02T12:00:00+00:00", "5 weeks ago"),
        ("2026-06-01T00:00:00", "6 months ago"),  # a naive date is read as UTC
        ("2023-01-01T00:00:00+00:00", "3 years ago"),
    ],
)
def test_dates_are_relative(moment, said):
    assert ago(moment, NOW) == said


def test_a_date_is_only_ever_a_real_one():
    def card(posted=None, seen=None, snapshot=None):
        return SimpleNamespace(posted_at=posted, first_seen_at=seen, snapshot=snapshot)

    seen = "2026-12-04T12:00:00+00:00"
    assert when(card("2026-11-27T12:00:00+00:00", seen), NOW).text == "posted 10 days ago"
    assert when(card(None, seen), NOW) == ("first seen 3 days ago", "2026-12-04")
    assert when(card(None, seen, "2018"), NOW) == ("from a 2018 snapshot", None)
    assert when(card(), NOW) == ("date not given", None)


def test_codes_become_labels():
    assert label("ml_ic", "family") == "ML engineer (IC)"
    assert label("ml_leadership", "family") == "ML leadership"
    assert label("onsite", "remote") == "On-site"
    assert label("deployment_mlops", "duty") == "Deployment and MLOps"
    assert filter_label("remote", "remote") == "Remote"  # not "remote: remote"
    assert filter_label("country", "GB") == "Country: GB"
