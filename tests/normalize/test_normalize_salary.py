"""Salary from structured hints and from text: real-world strings, table-driven."""

from __future__ import annotations

import pytest

from leadboard.models import SalaryHint
from leadboard.normalize.salary import (
    currency_code,
    find_salary_in_text,
    normalize_period,
    parse_salary_text,
    salary_from_hint,
)

# (text, expected (min, max, currency, period) or None)
SALARY_TEXTS = [
    ("$180K – $250K", (180_000, 250_000, "USD", "year")),
    ("€90k - €120k", (90_000, 120_000, "EUR", "year")),
    ("£60,000 per annum", (60_000, 60_000, "GBP", "year")),
    ("$85/hr", (85, 85, "USD", "hour")),
    ("USD 200,000-260,000 + equity", (200_000, 260_000, "USD", "year")),
    ("$104k-$171k", (104_000, 171_000, "USD", "year")),
    ("CA$150,000 - CA$200,000", (150_000, 200_000, "CAD", "year")),
    ("₹25L - ₹40L", (2_500_000, 4_000_000, "INR", "year")),
    ("25-40 LPA", (2_500_000, 4_000_000, "INR", "year")),
    ("25-40 Lakhs", (2_500_000, 4_000_000, "INR", "year")),
    ("₹1.2 Cr", (12_000_000, 12_000_000, "INR", "year")),
    ("$120,000 - $150,000 a year", (120_000, 150_000, "USD", "year")),
    ("$50 - $60 an hour", (50, 60, "USD", "hour")),
    ("Up to $200k", (200_000, 200_000, "USD", "year")),  # single figure: min = max (GUIDELINES)
    ("From £70k", (70_000, 70_000, "GBP", "year")),
    ("£150k+", (150_000, 150_000, "GBP", "year")),
    ("$79.8K/yr", (79_800, 79_800, "USD", "year")),
    ("$11K/yr", (11_000, 11_000, "USD", "year")),
    ("$4,000/month", (4_000, 4_000, "USD", "month")),
    ("$4,079 a month", (4_079, 4_079, "USD", "month")),
    ("$600/month", (600, 600, "USD", "month")),
    ("$35-40/hr", (35, 40, "USD", "hour")),
    ("$21–$23/hr", (21, 23, "USD", "hour")),
    ("$38/hour - $45/hour", (38, 45, "USD", "hour")),
    ("$23.00 per hour", (23, 23, "USD", "hour")),
    ("$27.17 - $36.60 an hour", (27.17, 36.6, "USD", "hour")),
    ("$64.00 - 82.14 per hour", (64, 82.14, "USD", "hour")),
    ("USD$23.27 per hour", (23.27, 23.27, "USD", "hour")),
    ("Salary: $150,000", (150_000, 150_000, "USD", "year")),
    ("$160~170k", (160_000, 170_000, "USD", "year")),
    ("$190–250k + early equity", (190_000, 250_000, "USD", "year")),
    ("USD $69,000 - $73,000", (69_000, 73_000, "USD", "year")),
    ("$150,000 - $200,000 CAD", (150_000, 200_000, "CAD", "year")),
    ("90.000 € - 120.000 € brutto", (90_000, 120_000, "EUR", "year")),
    ("€55.000 - €70.000 per year", (55_000, 70_000, "EUR", "year")),
    ("between $130,000 and $300,000 annually", (130_000, 300_000, "USD", "year")),
    ("$68,000.00 to $78,000.00 /year", (68_000, 78_000, "USD", "year")),
    ("USD$146,000 per year - USD$162,000 per year", (146_000, 162_000, "USD", "year")),
    ("SGD 8,000 - 10,000 per month", (8_000, 10_000, "SGD", "month")),
    ("CHF 140,000 - 160,000", (140_000, 160_000, "CHF", "year")),
    ("A$180,000 – A$220,000", (180_000, 220_000, "AUD", "year")),
    ("$250K – $180K", (180_000, 250_000, "USD", "year")),  # swapped, with a warning
    ("Level 3: $150,000 - $180,000", (150_000, 180_000, "USD", "year")),
    # No salary:
    ("competitive", None),
    ("DOE", None),
    ("None", None),
    ("Negotiable", None),
    ("150-180k", None),  # no currency and no default given
    ("60k", None),
    ("$50", None),  # no unit: hourly or daily cannot be told
    ("$21-$34", None),
    ("$0.00 to $1.00 /hour", None),  # implausible
    ("$1,635.00 - $3,185.00 biweekly", None),  # a period outside our set: never converted
    ("¥6,000,000 - ¥9,000,000", None),  # yen: monthly or yearly cannot be told
    ("$23/yr", None),  # implausible yearly amount
]


@pytest.mark.parametrize(("text", "expected"), SALARY_TEXTS)
def test_parse_salary_text(text: str, expected: tuple | None) -> None:
    salary = parse_salary_text(text).salary
    if expected is None:
        assert salary is None
        return
    assert salary is not None
    low, high, currency, period = expected
    assert (salary.min, salary.max, salary.currency, salary.period) == pytest.approx(
        (low, high, currency, period)
    )


def test_swapped_range_is_reported() -> None:
    result = parse_salary_text("$250K – $180K")
    assert result.warnings == ["salary min and max were swapped"]


def test_default_currency_only_for_unmarked_amounts() -> None:
    assert parse_salary_text("150-180k", default_currency="USD").salary.currency == "USD"
    assert parse_salary_text("£60k - £70k", default_currency="USD").salary.currency == "GBP"


@pytest.mark.parametrize("text", ["XYZ 100,000", "ABC 50k - 60k"])
def test_unknown_currency_is_a_warning_not_an_exception(text: str) -> None:
    result = parse_salary_text(text)
    assert result.salary is None
    assert any("unknown currency" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("$50", "period unclear"),
        ("$1,635.00 - $3,185.00 biweekly", "outside hour/day/week/month/year"),
        ("$0.00 to $1.00 /hour", "zero or negative"),
        ("$23/yr", "implausible"),
        ("Grade 7", "no currency"),
    ],
)
def test_rejected_text_says_why(text: str, warning: str) -> None:
    result = parse_salary_text(text)
    assert result.salary is None
    assert any(warning in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("text", ["competitive", "DOE", "None", "", None])
def test_no_salary_words_are_silent(text: str | None) -> None:
    assert parse_salary_text(text) == (None, [])


@pytest.mark.parametrize(
    ("raw", "period"),
    [
        ("year", "year"), ("YEAR", "year"), ("per-year-salary", "year"), ("yearly", "year"),
        ("ANNUAL", "year"), ("HOUR", "hour"), ("hourly", "hour"), ("per-hour-wage", "hour"),
        ("monthly", "month"), ("MONTH", "month"), ("weekly", "week"), ("DAY", "day"),
        ("biweekly", None), ("one-time", None), ("", None), (None, None), ("salary", None),
    ],
)  # fmt: skip
def test_normalize_period(raw: str | None, period: str | None) -> None:
    assert normalize_period(raw) == period


@pytest.mark.parametrize(
    ("raw", "code"),
    [("usd", "USD"), ("€", "EUR"), ("£", "GBP"), ("CA$", "CAD"), ("₹", "INR"), ("$", "USD"),
     ("RMB", "CNY"), ("XYZ", None), ("", None)],
)  # fmt: skip
def test_currency_code(raw: str, code: str | None) -> None:
    assert currency_code(raw) == code


class TestSalaryFromHint:
    def test_greenhouse_cents(self) -> None:
        hint = SalaryHint(min=18_000_000, max=25_000_000, currency="USD", period="YEAR", cents=True)
        salary = salary_from_hint(hint).salary
        assert (salary.min, salary.max, salary.currency, salary.period) == (
            180_000,
            250_000,
            "USD",
            "year",
        )

    def test_lever_interval_spelling(self) -> None:
        hint = SalaryHint(min=150_000, max=190_000, currency="usd", period="per-year-salary")
        assert salary_from_hint(hint).salary.period == "year"

    def test_hourly_hint(self) -> None:
        hint = SalaryHint(min=40, max=55, currency="GBP", period="HOUR")
        salary = salary_from_hint(hint).salary
        assert (salary.min, salary.max, salary.period) == (40, 55, "hour")

    def test_missing_period_inferred_only_from_unambiguous_magnitude(self) -> None:
        assert salary_from_hint(SalaryHint(min=120_000, currency="EUR")).salary.period == "year"
        result = salary_from_hint(SalaryHint(min=40, max=50, currency="EUR"))
        assert result.salary is None and "unclear period" in result.warnings[0]

    def test_unknown_currency_warns(self) -> None:
        result = salary_from_hint(SalaryHint(min=1, max=2, currency="XYZ", period="year"))
        assert result.salary is None
        assert result.warnings == ["salary ignored: unknown currency 'XYZ'"]

    def test_swaps_min_and_max(self) -> None:
        result = salary_from_hint(
            SalaryHint(min=200_000, max=150_000, currency="USD", period="year")
        )
        assert (result.salary.min, result.salary.max) == (150_000, 200_000)
        assert result.warnings == ["salary min and max were swapped"]

    def test_absurd_amount_rejected(self) -> None:
        result = salary_from_hint(SalaryHint(min=5, max=9, currency="USD", period="year"))
        assert result.salary is None and "implausible" in result.warnings[0]

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -5.0, 0.0])
    def test_non_numbers_and_non_positive_amounts_rejected(self, bad: float) -> None:
        result = salary_from_hint(SalaryHint(min=bad, max=10, currency="USD", period="hour"))
        assert result.salary is None and result.warnings

    def test_empty_hint_is_no_salary(self) -> None:
        assert salary_from_hint(SalaryHint(currency="USD")) == (None, [])


# (description excerpt, expected (min, max, currency, period) or None)
DESCRIPTIONS = [
    (
        "The annual base salary range for this role is $180,000—$250,000 USD.",
        (180_000, 250_000, "USD", "year"),
    ),
    (
        "The base salary range for this full-time position in the locations of San Francisco, "
        "New York, Seattle is: $216,000 — $270,000 USD PLEASE NOTE",
        (216_000, 270_000, "USD", "year"),
    ),
    ("Hourly Pay Range $28 — $35 USD Roles", (28, 35, "USD", "hour")),
    ("Comp: Top-tier EU salaries (~€90k - €120k).", (90_000, 120_000, "EUR", "year")),
    ("Pay Rate: $19 per hour USD for undergrad interns.", (19, 19, "USD", "hour")),
    (
        "pays a salary of up to $300,000 plus bonus plus full benefits",
        (300_000, 300_000, "USD", "year"),
    ),
    (
        "We raised $50M. The base salary range is $150,000 - $190,000.",
        (150_000, 190_000, "USD", "year"),
    ),
    ("US based applicants only $148,614 — $260,074 USD", (148_614, 260_074, "USD", "year")),
    ("We've raised $781M in funding and our last valuation was $11B", None),
    ("It is trusted to help manage over $30 trillion in assets globally.", None),
    ("You'll watch a feature you built close an $800K contract.", None),
    ("Compensation includes a $10,000 signing bonus.", None),
    ("Perks: learning budget of $2,000 per year.", None),
    ("Fertility HRA (up to $10,000 per year)", None),
    ("COMPENSATION $160,000 – $185,000 OTE DEPENDING ON YOUR LOCATION", None),
    ("We automate how over $100B in annualized spend flows.", None),
    ("Salary 150,000 - 180,000 per year", None),  # no currency marker and no default
    ("Experience with SQL 2019 and ISO 27001 audits.", None),
]


@pytest.mark.parametrize(("text", "expected"), DESCRIPTIONS)
def test_find_salary_in_text(text: str, expected: tuple | None) -> None:
    salary = find_salary_in_text(text).salary
    if expected is None:
        assert salary is None
        return
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == pytest.approx(expected)


def test_find_salary_in_text_takes_the_first_range() -> None:
    text = "CA Only: $17.56/hour - $28.19/hour. CO Only: $16.37/hour - $26.81/hour."
    assert find_salary_in_text(text).salary.min == pytest.approx(17.56)


def test_find_salary_in_text_uses_default_currency_with_an_explicit_period() -> None:
    salary = find_salary_in_text("Salary 150,000 - 180,000 per year", default_currency="EUR").salary
    assert (salary.min, salary.max, salary.currency) == (150_000, 180_000, "EUR")
