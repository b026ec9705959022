"""A résumé's text → its profile: sections, date ranges and years, titles, seniority,
leadership evidence and skills, each with the lines that show it."""

from datetime import date

import pytest
from support.match_jobs import FRONTEND_RESUME, STAFF_ML_RESUME

from leadboard.match.profile import find_date_ranges, merged_months, read_profile, split_sections

TODAY = date(2026, 7, 1)


@pytest.mark.parametrize(
    ("line", "months"),
    [
        ("Staff ML Engineer, Acme  Jan 2019 – Present", 7 * 12 + 7),  # to July 2026
        ("Software Engineer (2016-2019)", 36),
        ("Analyst | 03/2015 - 06/2018", 40),
        ("Researcher, Sept. 2012 to May 2013", 9),
        ("Lead engineer, January, 2020 — current", 6 * 12 + 7),
        ("Since 2024: Head of Data", 31),
        ("Engineer 2019.03 – 2020.02", 12),
        ("ML Engineer 2021 - 2021", 12),
    ],
)
def test_date_ranges_as_people_write_them(line, months):
    (found,) = find_date_ranges(line, TODAY)
    assert found.months == months


@pytest.mark.parametrize(
    "line",
    ["Graduated 2012", "Python 3.11, 2 years", "Call 415-555-2019", "Q3 2021 revenue: $2019"],
)
def test_lines_without_a_range(line):
    assert find_date_ranges(line, TODAY) == []


def test_overlapping_roles_count_once():
    assert merged_months([(0, 24), (12, 36), (36, 48)]) == 48
    text = (
        "Experience\n"
        "Staff Engineer, Acme — Jan 2016 – Dec 2019\n"
        "Advisor (part-time), Beta — Jan 2018 – Dec 2018\n"
        "Engineer, Gamma — 2012 - 2016\n"
    )
    profile = read_profile(text, today=TODAY)
    assert profile.years_total == 8.0  # 2012–2016 and 2016–2019; the advisory year overlaps
    assert [role.title for role in profile.roles] == ["Staff Engineer", "Advisor", "Engineer"]


def test_sections_from_their_headings():
    lines = [
        "Jane Doe",
        "## Professional Summary",
        "x",
        "WORK HISTORY",
        "y",
        "Technical Skills:",
        "Python",
        "Education & Certifications",
        "BSc",
    ]
    assert [(s.kind, s.first) for s in split_sections(lines)] == [
        ("header", 0),
        ("summary", 1),
        ("experience", 3),
        ("skills", 5),
        ("education", 7),
    ]
    assert [s.kind for s in split_sections(["Skills: Python, SQL", "Work: built an app"])] == [
        "skills"
    ]


def test_a_staff_ml_resume():
    profile = read_profile(STAFF_ML_RESUME, today=TODAY)
    assert profile.titles == ["Staff Machine Learning Engineer", "Machine Learning Engineer"]
    assert profile.seniority == "staff"
    assert profile.years_total == 12.6  # Jan 2014 → July 2026; the degree's years left out
    assert profile.years_ml == 12.6
    assert profile.sections == ["summary", "experience", "skills", "education"]
    assert profile.summary.startswith("Staff ML engineer building ranking")
    skills = {skill.name: skill.lines for skill in profile.skills}
    assert {"Python", "PyTorch", "TensorFlow", "Kubernetes", "Ray", "SQL"} <= set(skills)
    assert skills["PyTorch"][0].startswith("Managed a team of 6 ML engineers")
    assert skills["Ray"] == ["Python, PyTorch, TensorFlow, Kubernetes, Ray, SQL"]


def test_leadership_evidence_with_the_lines():
    text = (
        "Experience\nDirector of ML, FinCo, 2019 – Present\n"
        "- Manage 4 managers and 35 engineers across fraud and risk.\n"
        "- Mentored six senior engineers into staff roles.\n"
        "- Architected the feature platform.\n"
        "- Tech lead for the payments team.\n"
        "Engineer, Beta, 2012 – 2019\n"
        "- Grew the team from 3 to 15.\n"
    )
    profile = read_profile(text, today=TODAY)
    kinds = [(e.kind, e.people) for e in profile.leadership]
    assert kinds == [
        ("people_management", 35),
        ("mentoring", None),
        ("architecture", None),
        ("led_team", None),
        ("people_management", 15),
    ]
    assert profile.people_managed == 35
    assert profile.leadership[0].line == "Manage 4 managers and 35 engineers across fraud and risk."
    assert profile.seniority == "director"


def test_a_tech_lead_leads_without_managing_and_company_sizes_are_not_teams():
    text = (
        "Experience\nHead of AI — Quillbright (Series B, 140 people), 2023 – Present\n"
        "- Technical lead of the ranking effort (5 ML engineers, 2 data scientists).\n"
    )
    profile = read_profile(text, today=TODAY)
    assert profile.people_managed is None
    assert [e.kind for e in profile.leadership] == ["led_team"]


def test_a_resume_without_ml_has_no_ml_years_and_a_title_level():
    profile = read_profile(FRONTEND_RESUME, today=TODAY)
    assert profile.titles == ["Senior Frontend Engineer", "Frontend Developer"]
    assert profile.seniority == "senior" and profile.years_ml == 0.0
    assert profile.years_total == pytest.approx(8.8, abs=0.1)  # Sep 2017 → July 2026
    assert {"JavaScript", "TypeScript"} <= set(profile.skill_names)


def test_a_title_without_a_level_is_mid_whatever_the_years():
    # labelled/resumes/README.md: "Data Engineer" after 6 years (r57) and "Data Scientist" after
    # 7 (r45) are mid; the level a title names still wins, and a postdoc's comes from the years.
    text = "Experience\nMachine Learning Engineer, Acme, 2015 – Present\n"
    assert read_profile(text, today=TODAY).seniority == "mid"  # 11 years
    lead = text.replace("Machine Learning Engineer", "Lead Machine Learning Engineer")
    assert read_profile(lead, today=TODAY).seniority == "senior"
    junior = "Experience\nData Scientist I, Acme, 2025 – Present\n"
    assert read_profile(junior, today=TODAY).seniority == "junior"
    postdoc = "Experience\nPostdoctoral Researcher, MIT, 2025 – Present\n"
    assert read_profile(postdoc, today=TODAY).seniority == "junior"  # 1.5 years
    assert read_profile("Jane Doe\nPython developer", today=TODAY).seniority == "mid"


@pytest.mark.parametrize(
    ("line", "skill"),
    [
        ("Backend engineer. No machine learning in my background.", "Machine Learning"),
        ("I design pipelines. I do not build ML models, but I feed them.", "Machine Learning"),
        ("Took the assistant to 28% of tickets resolved without an agent.", "AI Agents"),
        ("Chose retrieval-augmented generation over fine-tuning for the launch.", "Fine-tuning"),
        ("Python, SQL · now taking a deep learning course in the evenings", "Deep Learning"),
    ],
)
def test_a_skill_the_resume_denies_or_is_only_learning_is_not_one(line, skill):
    assert skill not in read_profile(f"Summary\n{line}", today=TODAY).skill_names


def test_a_denial_reaches_only_its_own_clause():
    text = (
        "Summary\nShipped Go services without downtime on Kubernetes.\n"
        "Not only Python: SQL and Spark too. No Java; Scala for Spark jobs."
    )
    skills = read_profile(text, today=TODAY).skill_names
    assert {"Go", "Kubernetes", "Python", "SQL", "Spark", "Scala"} <= set(skills)
    assert "Java" not in skills


def test_a_data_scientists_years_are_ml_years_only_where_the_role_builds_models():
    text = (
        "Experience\n"
        "Senior Data Scientist, Acme — 2022 – Present\n"
        "- Demand forecasting and an uplift model in production.\n"
        "Data Scientist, Acme — 2020 – 2022\n"
        "- A/B test readouts and propensity-score matching for marketing.\n"
    )
    profile = read_profile(text, today=TODAY)
    assert [role.ml for role in profile.roles] == [True, False]
    # Jan 2020 (all) and Jan 2022 (the modelling) to July 2026, this month included.
    assert (profile.years_total, profile.years_ml) == (6.6, 4.6)


def test_internships_and_assistantships_are_training_not_years():
    text = (
        "Experience\n"
        "Data Scientist, Acme — Jul 2024 – Present\n"
        "Data Science Intern, Beta — Jun 2023 – Aug 2023\n"
        "Research Assistant, State University — Jan 2022 – May 2023\n"
    )
    profile = read_profile(text, today=TODAY)
    assert profile.years_total == 2.1  # the job alone: Jul 2024 → July 2026
    assert profile.titles[0] == "Data Scientist" and len(profile.roles) == 3


def test_someone_who_has_only_trained_so_far_is_an_intern_with_no_years():
    text = (
        "Experience\n"
        "Research Assistant (part-time), Language Lab — Jan 2025 – May 2026\n"
        "Machine Learning Engineering Intern, Verdant — Jun 2025 – Sep 2025\n"
    )
    profile = read_profile(text, today=TODAY)
    assert (profile.seniority, profile.years_total, profile.years_ml) == ("intern", 0.0, 0.0)
    # The internship titles them, though the assistantship is the later: it is the work they
    # are hired into (a "Research Assistant" title reads as no kind of engineering at all).
    assert profile.titles == ["Machine Learning Engineering Intern", "Research Assistant"]


def test_a_phd_listed_as_a_role_is_training_and_a_postdoc_a_job():
    text = (
        "Experience\n"
        "Research Scientist, Lumen Labs — Sep 2023 – Present\n"
        "PhD Researcher, Stanford University — Sep 2018 – Jun 2023\n"
    )
    profile = read_profile(text, today=TODAY)
    assert profile.years_total == 2.9  # Sep 2023 to July 2026, not the PhD's five years too
    postdoc = read_profile(text.replace("PhD Researcher", "Postdoctoral Associate"), today=TODAY)
    assert postdoc.years_total == 7.8


def test_a_title_keeps_the_field_after_its_comma_but_not_the_employer():
    text = (
        "Experience\n"
        "Tech Lead, LLM Applications — Acme, Austin · Mar 2024 – Present\n"
        "Engineering Manager, Machine Learning (Fraud & Risk), 2020 – 2024\n"
        "Data Analyst, Front Range Health — Denver, CO — 2016 – 2020\n"
    )
    assert read_profile(text, today=TODAY).titles == [
        "Tech Lead, LLM Applications",
        "Engineering Manager, Machine Learning",
        "Data Analyst",
    ]


def test_a_surname_that_is_also_a_place_is_not_where_the_person_lives():
    text = (
        "Tomás Reyes-Quintero\nRaleigh, NC — tomas@example.com — github.com/tomas\n\n"
        "Machine Learning Engineer\n\nExperience\nML Engineer, Acme, Apr 2025 – Present\n"
    )
    profile = read_profile(text, today=date(2026, 11, 30))
    assert (profile.city, profile.country) == ("Raleigh", "US")
    other = read_profile(
        "Olivia Brandt-Nakamura\nChicago, IL · o@example.com\n", today=date(2026, 11, 30)
    )
    assert (other.city, other.country) == ("Chicago", "US")
