"""Seniority by the rules of GUIDELINES.md: title first, then the text, then the years asked."""

import pytest

from leadboard.enrich.seniority import seniority_of


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Staff Machine Learning Engineer", "staff"),
        ("Senior/Staff ML Engineer", "senior"),  # two levels: the lower one
        ("Engineering Manager, ML Infrastructure", "manager"),
        ("Product Manager, AI", "mid"),  # manages a product, not people: a plain title
        ("Head of AI", "director"),
        ("Director of Machine Learning", "director"),
        ("VP of Engineering", "executive"),
        ("Machine Learning Engineer II", "mid"),
        ("Data Science Intern", "intern"),
        ("Principal Applied Scientist", "principal"),
        ("Member of Technical Staff", "mid"),  # "Staff" here is not a level
        ("Tech Lead, Ranking", "senior"),
        ("New Grad Software Engineer", "junior"),
    ],
)
def test_title_decides_first(title, expected):
    assert seniority_of(title).level == expected


@pytest.mark.parametrize(
    ("years", "expected"), [(6, "senior"), (3, "mid"), (1, "junior"), (None, "mid")]
)
def test_a_plain_title_takes_its_level_from_the_years_asked(years, expected):
    assert seniority_of("Data Analyst", years_min=years).level == expected


def test_a_role_that_manages_a_team_is_manager_whatever_its_title():
    text = "You will lead a team of 6 machine learning engineers and grow their careers."
    assert seniority_of("Machine Learning Lead", text).level == "manager"
