"""Years of experience required by a posting (leadboard.enrich.years)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from leadboard.enrich.years import extract_years, find_mentions
from leadboard.normalize.html import clean_description

# (text, years_min, years_max): real-shaped requirement lines, as postings phrase them.
REQUIRED = [
    ("8+ years of experience in software engineering", 8, None),
    ("5–7 years of experience building data pipelines", 5, 7),
    ("5-7 yrs experience in analytics", 5, 7),
    ("5 to 7 years of relevant experience", 5, 7),
    ("Experience: 8-10 years in combined real estate and facilities management", 8, 10),
    ("A decade of experience building machine learning systems", 10, None),
    ("Over a decade of experience shipping ML products to production", 10, None),
    ("At least three years of experience addressing sophisticated ML problems", 3, None),
    ("A minimum of six years of professional experience working as a Data Scientist", 6, None),
    ("Minimum of 5 years of sales operations experience", 5, None),
    ("8 or more years of professional experience in testing and automation", 8, None),
    ("7 years or more of experience in data science", 7, None),
    ("3+ yrs of hands-on machine learning experience", 3, None),
    ("Three (3) years or more experience working in software development", 3, None),
    ("Two-plus years of experience as a data scientist", 2, None),
    ("10+ years' experience in the technology field", 10, None),
    ("Minimum 5 years’ experience working as a Data Scientist", 5, None),
    ("One year of experience in a customer-facing analytics role", 1, None),
    ("5+ YEARS OF EXPERIENCE IN MACHINE LEARNING AND DEEP LEARNING", 5, None),
    ("- 6+ years building production ML/AI systems", 6, None),
    ("• 0-2 years of experience in software development", 0, 2),
    ("Have 3-5+ years in a recruiting coordinator or recruiting operations role", 3, None),
    ("You have 7/8+ years of experience in AI/ML", 7, None),
    ("Deep experience in distributed systems or ML serving (8+ years)", 8, None),
    ("Experience:\nData Scientist: 8 years (Required)", 8, None),
    ("Requirements 5+ years of demonstrated experience in building large scale systems", 5, None),
    ("What you'll bring: 12+ years of industry experience designing large systems", 12, None),
    ("We're looking for candidates with 0-3 years of experience in investment sectors", 0, 3),
    ("Six months minimum experience in supply chain analytics", 0, None),
    ("2 years and 6 months of experience in a similar role", 2, None),
    ("Years of Experience: 3-5", 3, 5),
    ("Experience:', 'Minimum 3+ years'", 3, None),
    ("Entry level (0-1 years)", 0, 1),
    ("Looking for someone with between 3 and 5 years of experience", 3, 5),
    ("5+yrs exp in backend development", 5, None),
    ("Senior engineers with 6+ YOE in distributed systems", 6, None),  # years of experience
    ("Requirements:* 3-5 years? experience* SQL experience is a MUST", 3, 5),
    ("Perfect for a recent graduate or someone with 0-3 years of experience", 0, 3),
    ("3 years programming experience in Java", 3, None),
    ("Minimum of 2 years of operational/financial analysis experience", 2, None),
    # Alternatives by degree: the smallest.
    ("5+ years of experience with a BS, or 3+ years with a PhD", 3, None),
    ("PhD + 1 year, MS + 4 years, BS + 6 years of work experience in Computer Science", 1, None),
    (
        "Minimum 5 years of relevant experience with a bachelor's degree; or 3 years with a "
        "Master's; or 0 years with PhD",
        0,
        None,
    ),
    (
        "For M.S. holders: 10+ years of industry experience in applied science. "
        "For Ph.D. holders: 6+ years of industry experience in applied science.",
        6,
        None,
    ),
    # Several requirements: the general one, not a tool's, a sub-requirement or management.
    ("3+ years of Python. 8+ years of software engineering experience.", 8, None),
    ("10+ years of technical experience, with at least 2 of those years as a manager", 10, None),
    (
        "2+ years of engineering leadership and 7+ years of software engineering experience",
        7,
        None,
    ),
    ("6–9 years of total experience, including 5+ years in backend engineering", 6, 9),
    (
        "8 years of experience in product management. 3 years of experience taking technical "
        "products from conception to launch.",
        8,
        None,
    ),
    ("5+ years in a customer-facing technical role, with 2+ years in account management", 5, None),
    # Required beside preferred: the required figure.
    (
        "Basic Qualifications\n- 5+ years' experience in Product Operations\n"
        "Preferred Qualifications\n- 7+ years' experience in Product Operations",
        5,
        None,
    ),
    ("5+ years of experience in Data Science, 3+ years in Healthcare preferred", 5, None),
    ("Desired Skills and Experience 5+ years FP&A experience required", 5, None),
    # "Ideally" lists are the only requirements some postings give; the labels count them.
    ("Ideally you'd have:\n- At least 1-3 years of model training experience", 1, 3),
    # Not a company blurb that happens to sit next to the requirement.
    ("Founded 20 years ago, we build tools. You have 4+ years of backend experience.", 4, None),
    ("It improves every week About You 4+ years of experience as a software engineer", 4, None),
    ("Join our team if you have 5+ years of experience", 5, None),
    ("Each candidate should have 5+ years of ML experience", 5, None),
    ("This is a contract position requiring 5+ years of experience", 5, None),
    ("You have been a data scientist for 5+ years", 5, None),
    # Headers glued to the text before them, as scraped.
    ("systems improvementsRequirements: 3+ years of experience in coding", 3, None),
    # The word "years" left out.
    (
        "REQUIRED QUALIFICATIONS BS in Aerospace Engineering 8+ work experience as an engineer",
        8,
        None,
    ),
    ("5+ working experience as a clinical data analyst with clinical trials", 5, None),
    ("Required qualifications: At least 2+ of experience building ML teams", 2, None),
    # "a plus" that belongs to a later item of the list, not to the years.
    (
        "Experience 2 - 3 years of relevant experience, advanced Excel, SQL knowledge a plus.",
        2,
        3,
    ),
    # Figures offered as alternatives: the smallest; a sub-requirement is no alternative.
    ("2+ years of experience with large databases, or 1+ years IT experience.", 1, None),
    (
        "BA/BS degree and 4-6 years of relevant experience, and 0-2 years of leadership experience",
        4,
        6,
    ),
    (
        "Masters degree with 4+ years of experience in ML or PhD with 2+ yrs of relevant exp",
        2,
        None,
    ),
]

# Texts with no required years: company age, benefits, ages, dates, money, terms, "several".
NOT_REQUIRED = [
    "Founded 10 years ago, we are a fast-growing startup.",
    "With over 20 years of history, our company leads the market.",
    "Over the past 15 years we have grown to 500 employees.",
    "For 8 years, Scale has been the leading AI data foundry.",
    "With over a decade of experience, we help Fortune 500 companies transform.",
    "With 20 years of direct industry experience, we have helped a thousand businesses.",
    "Building on more than 30 years of investing experience, Point72 seeks to deliver returns.",
    "401(k) match after 1 year of service.",
    "Paid parental leave after one year of employment.",
    "Must be 18 years of age or older.",
    "Founded in 2019, we raised $50M in 2021.",
    "We offer a 4-year vesting schedule with a 1-year cliff.",
    "The base salary range is $120,000 - $150,000 per year.",
    "Our platform stores 5 years of data for every customer.",
    "Currently enrolled in a 4-year degree in Computer Science.",
    "The program lasts two years and includes four rotations.",
    "Within the last 2 years we have tripled revenue.",
    "Several years of experience in machine learning.",
    "Years of experience required will correlate with the internal job level.",
    "Less than 6 months of relevant work experience with a Bachelor's degree.",
    "Preferred Qualifications\n- 7 or more years of industry experience as an ML Engineer",
    "Nice to have: 5+ years of experience with Kubernetes",
    "3+ years of experience in data, analytics, reporting or marketing preferred",
    "2+ years of experience with LLMs is a plus.",
    "Bonus Points\n5+ years of experience working in data science",
    "Data Analyst: 2 years (Preferred)",
    "Our mission for the next decade is to make AI safe.",
    "Many of us have 10+ years of experience in the field.",
    "Before founding the company, Clay spent 18 years at Google.",
    "We have been in business for 12 years.",
    "We ask for a commitment of 2 years to the program.",
    "Engagements will run for approximately six months with flexible scheduling.",
    "Ranked among the most cost-effective charities in the world for over a decade.",
    "Completion of at least one year of law school.",
    "An additional 4 years of experience may be substituted in lieu of a degree.",
    "Degree in Computer Science or 8 years of experience comparable to a degree",
    "To be considered, you must have been in your current position a minimum of 1 year.",
    "Write code for systems improvementsPreferred Qualifications: 3+ years of experience",
    "Knowledge of SQL.PreferredQualifications3+ years of experience in software coding",
    "2+ years of experience in data, analytics, reporting or marketing preferred",
]


@pytest.mark.parametrize(("text", "low", "high"), REQUIRED)
def test_required_years(text: str, low: int, high: int | None) -> None:
    result = extract_years(text)
    assert (result.years_min, result.years_max) == (low, high)
    assert result.reason is None


@pytest.mark.parametrize("text", NOT_REQUIRED)
def test_no_required_years(text: str) -> None:
    result = extract_years(text)
    assert (result.years_min, result.years_max, result.evidence) == (None, None, None)
    assert result.reason


@pytest.mark.parametrize(("text", "low", "high"), REQUIRED)
def test_evidence_points_at_the_phrase(text: str, low: int, high: int | None) -> None:
    evidence = extract_years(text).evidence
    assert evidence is not None
    assert evidence.start is not None and evidence.end is not None
    assert text[evidence.start : evidence.end] == evidence.text
    assert any(
        evidence.start <= m.start and m.end <= evidence.end and m.low == low
        for m in find_mentions(text)
    )


def test_evidence_is_the_clause_not_the_whole_text() -> None:
    text = (
        "About us: we build search. Responsibilities: ship models.\n"
        "Requirements:\n- 5+ years of experience in ML engineering\n- Python"
    )
    evidence = extract_years(text).evidence
    assert evidence is not None
    assert evidence.text == "5+ years of experience in ML engineering"


def test_reason_says_only_preferred() -> None:
    assert extract_years("Preferred Qualifications\n- 7+ years of experience").reason == (
        "years stated only as preferred"
    )


def test_html_description_after_cleaning() -> None:
    markup = (
        "<h3>About you</h3><ul><li>Bachelor&rsquo;s degree</li>"
        "<li><strong>5+ years</strong> of experience in applied ML</li></ul>"
        "<h3>Nice to have</h3><ul><li>8+ years of experience</li></ul>"
    )
    text = clean_description(markup, "html").text
    result = extract_years(text)
    assert (result.years_min, result.years_max) == (5, None)
    assert result.evidence is not None and "5+ years" in result.evidence.text


@pytest.mark.parametrize("text", [None, "", "   \n\t", "years years years", "5+", "- - -"])
def test_bad_input_gives_a_reason(text: str | None) -> None:
    result = extract_years(text)
    assert (result.years_min, result.years_max, result.evidence) == (None, None, None)
    assert result.reason


def test_non_text_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="as str"):
        extract_years(b"5+ years of experience")  # type: ignore[arg-type]


def test_offsets_survive_characters_that_lengthen_when_lower_cased() -> None:
    text = "İstanbul office. İİİ Requirements: 4+ years of experience in data science."
    result = extract_years(text)
    assert result.years_min == 4
    assert result.evidence is not None
    assert text[result.evidence.start : result.evidence.end] == result.evidence.text


def test_a_huge_text_is_handled_quickly() -> None:
    text = ("We ship models. " * 40_000) + "Requirements: 6+ years of experience in ML."
    started = time.perf_counter()
    assert extract_years(text).years_min == 6
    assert time.perf_counter() - started < 2.0


@pytest.mark.shared_data
def test_exact_match_on_the_tune_labels(shared_data_dir: Path) -> None:
    from leadboard.datasets import load_labelled

    labelled = load_labelled("tune", data_dir=shared_data_dir)
    assert len(labelled) > 500
    exact = 0
    for item in labelled:
        row = item.posting
        text = clean_description(row.get("description"), row.get("description_format")).text
        result = extract_years(text)
        exact += (result.years_min, result.years_max) == (
            item.label.get("years_min"),
            item.label.get("years_max"),
        )
    assert exact / len(labelled) >= 0.93
