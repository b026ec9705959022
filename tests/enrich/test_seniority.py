"""Seniority rules (GUIDELINES.md "seniority"): title first, then the text, then years."""

from __future__ import annotations

import pytest

from leadboard.enrich.seniority import (
    level_from_years,
    posting_seniority,
    seniority_of,
    title_level,
)

# --- The first tests of this module (kept as written) ---


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Staff Machine Learning Engineer", "staff"),
        ("Senior/Staff ML Engineer", "senior"),  # two levels: the lower one
        ("Staff + Sr. Software Engineer, Cloud Inference", "senior"),
        ("Principal / Sr Principal DevOps Engineer", "principal"),  # one band, two grades
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


# --- Titles, one rule at a time ---


@pytest.mark.parametrize(
    ("title", "level"),
    [
        # Interns beat every other word.
        ("Software Engineer Intern", "intern"),
        ("Summer 2026 Internship, Product Line Management 1", "intern"),
        ("Product Manager MBA Intern, AI Platform Inference - Summer 2026", "intern"),
        ("Junior Software Developer, Summer 2026 (Co-op / Internship)", "intern"),
        ("Working Student Data Engineering", "intern"),
        # Executives and directors.
        ("VP of Data Science, AdTech", "executive"),
        ("Data Scientist - Corporate Bank - Vice President", "executive"),
        ("Chief Data Scientist", "executive"),
        ("CTO", "executive"),
        ("Chief Information Security Officer", "executive"),
        ("Director of Data Science", "director"),
        ("Senior Director, Product Management", "director"),
        ("Associate Director, Platform and DevOps", "director"),
        ("Director II, Data Science - GRM Actuarial", "director"),
        ("Head of Data Science, Instagram Experience", "director"),
        ("Head of GTM Operations", "director"),
        # People managers.
        ("Engineering Manager, Inference", "manager"),
        ("Manager II, Machine Learning Engineering", "manager"),
        ("Senior Manager, Data Science", "manager"),
        ("Manager, Sales Development (Enterprise)", "manager"),
        ("Group Product Manager, Quantum AI", "manager"),
        ("Technical Lead Manager, Physical AI", "manager"),
        ("Data Science Manager", "manager"),
        ("Engineering Manager I, Growth AI", "manager"),
        # Principal and staff.
        ("Principal Data Scientist", "principal"),
        ("Sr. Principal Data Scientist", "principal"),
        ("Distinguished Engineer, Machine Learning Systems", "principal"),
        ("Data Scientist Associate Principal", "principal"),
        ("Principal Product Manager, Security - GTM", "principal"),
        ("Staff Machine Learning Engineer, Voice AI", "staff"),
        ("Senior Staff ML Engineer, Search & Recommendation", "staff"),
        ("Staff II Software Engineer AI/ML Ops", "staff"),
        ("Staff Product Manager, ML Research", "staff"),
        ("Staff+ Software Engineer, Full-stack", "staff"),
        # Two levels in one title: the lower one.
        ("Senior/Staff Machine Learning Engineer", "senior"),
        ("Senior / Staff Applied Machine Learning Scientist", "senior"),
        ("Staff to Principal data scientist", "staff"),
        ("Site Reliability Engineer (Senior or Staff), Storage", "senior"),
        # Senior, mid, junior.
        ("Senior Data Scientist", "senior"),
        ("Sr Data Scientist", "senior"),
        ("Lead Data Scientist", "senior"),
        ("Research Scientist, Tech Lead, AI-Based Cyberattack Defense", "senior"),
        ("Senior Member of Technical Staff, Multimodal AI", "senior"),
        ("Data Engineer III", "senior"),
        ("Applied Scientist II, Amazon Payments Team", "mid"),
        ("Marketing Analyst II", "mid"),
        ("Technical Account Manager 2 (Thai Speaking)", "mid"),
        ("Data Scientist I", "junior"),
        ("Junior Data Scientist", "junior"),
        ("Jr. Software Engineer", "junior"),
        ("Entry Level Data Scientist/Analyst/Engineer", "junior"),
        ("Associate Product Manager (APM), New College Graduate", "junior"),
        ("KYC Operations Associate, India", "junior"),
    ],
)
def test_title_level(title: str, level: str) -> None:
    found = title_level(title)
    assert found is not None, title
    assert found[0] == level


@pytest.mark.parametrize(
    "title",
    [
        "Machine Learning Engineer",
        "Member of Technical Staff, Model Training",  # "staff" here is not a level
        "Chief of Staff",  # …nor here
        "Technical Program Manager",  # manages a programme, not people
        "Product Manager, Gen AI Platform",
        "Account Manager - Banking and Wealth",
        "AI Success Manager, West",
        "Partner Sales Manager, Japan",
        "Customer Success Manager",
        "Postdoctoral Fellow, Tissue Models",
        "Data Analyst - Deposit Management",
        "Internal Tools Engineer",  # "internal" is not "intern"
        "Associate General Counsel",  # a senior legal title, not an associate level
        "",
    ],
)
def test_title_without_level(title: str) -> None:
    assert title_level(title) is None


@pytest.mark.parametrize(
    ("years", "level"),
    [
        (None, "mid"),
        (0, "junior"),
        (1, "junior"),
        (2, "mid"),
        (4, "mid"),
        (5, "senior"),
        (12, "senior"),
    ],
)
def test_level_from_years(years: int | None, level: str) -> None:
    assert level_from_years(years) == level


def test_plain_title_takes_level_from_years() -> None:
    assert seniority_of("Technical Program Manager", "", years_min=6).level == "senior"
    result = seniority_of("Data Analyst", "Excel and SQL.", years_min=1)
    assert (result.level, result.source) == ("junior", "years")


def test_plain_title_without_years_is_mid() -> None:
    result = seniority_of("Machine Learning Engineer", "Build ranking models.")
    assert (result.level, result.source) == ("mid", "default")


def test_title_wins_over_years() -> None:
    assert seniority_of("Staff Data Scientist", "", years_min=1).level == "staff"
    assert seniority_of("Associate Customer Success Manager", "", years_min=5).level == "junior"


@pytest.mark.parametrize(
    "text",
    [
        "You will lead a team of 5+ data scientists building credit models.",
        "You will manage a team of dedicated partner managers.",
        "Supervise the Data Operations team to ensure reliable operations.",
        "Lead and inspire a team of world class data scientists.",
        "3+ years of experience managing/supervising a team.",
        "This role has 4 direct reports.",
        "Directly manage ~5 senior team members.",
    ],
)
def test_text_that_supervises_people_makes_a_lead_a_manager(text: str) -> None:
    result = seniority_of("Lead Data Scientist", text)
    assert (result.level, result.source) == ("manager", "text")


@pytest.mark.parametrize(
    "text",
    [
        "DIRECT REPORTS: None. Will own data ingestion.",
        "5+ years of experience; 1+ years of experience leading a team of data scientists.",
        "Mentor junior analysts and lead projects end to end.",
        "Work with senior management to answer strategic questions.",
    ],
)
def test_text_without_supervision_keeps_the_title_level(text: str) -> None:
    assert seniority_of("Lead Data Scientist", text).level == "senior"


@pytest.mark.parametrize(
    ("title", "text", "level"),
    [
        ("Solutions Architect - France", "As a Senior Solutions Architect, you'll help.", "senior"),
        ("Software Engineer, AI DevX", "As a Staff Software Engineer on our team", "staff"),
        (
            "Embedded Software Engineer",
            "BETA is seeking an entry-level Embedded Software Engineer who is eager",
            "junior",
        ),
        ("Data Analyst", "We work closely with a Senior Data Analyst.", "mid"),  # not the role
    ],
)
def test_level_named_in_the_text(title: str, text: str, level: str) -> None:
    assert seniority_of(title, text).level == level


@pytest.mark.parametrize("title", [None, "", "   ", "???", "🚀", "x" * 10_000])
def test_bad_titles_do_not_crash(title: str | None) -> None:
    assert seniority_of(title, None).level == "mid"


def test_posting_seniority_reads_a_raw_posting() -> None:
    posting = {
        "title": "Head of AI",
        "description": "<p>Build and lead our applied ML group.</p>",
        "description_format": "html",
    }
    assert posting_seniority(posting).level == "director"
    assert posting_seniority({"title": None, "description": None}).level in {"mid", "unknown"}


@pytest.mark.shared_data
def test_seniority_accuracy_on_tune(shared_data_dir) -> None:
    from leadboard.datasets import load_labelled

    labelled = load_labelled("tune", data_dir=shared_data_dir)
    correct = sum(posting_seniority(lp.posting).level == lp.label["seniority"] for lp in labelled)
    assert correct / len(labelled) >= 0.88
