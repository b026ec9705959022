"""The parts of a fit that tell jobs apart: implied skills, skills weighted by how specific they
are, the kind of work (track), the résumé's place, the field a title names, and verdict bands
that do not call every job in a top 20 a strong fit."""

import csv
from dataclasses import fields
from importlib import resources

from leadboard.enrich.skills import vocabulary
from leadboard.match.profile import Profile, SkillEvidence
from leadboard.match.scoring import (
    BAND_NAMES,
    BANDS,
    Candidate,
    Weights,
    band_of,
    implied_skills,
    location_part,
    person_of,
    score,
    skills_part,
    specificity,
    title_part,
    track_of,
    track_part,
)
from leadboard.search.columns import DocumentColumns
from leadboard.search.documents import DocumentFacts


def profile(*skills, **fields):
    return Profile(
        skills=[SkillEvidence(name=name, lines=[f"{name} line"]) for name in skills], **fields
    )


def job(**fields):
    base = {
        "document_id": 1,
        "job_id": "j1",
        "role_family": "ml_ic",
        "seniority": "senior",
        "years_min": None,
        "years_max": None,
        "duties": [],
        "skills": [],
    }
    return Candidate(**(base | fields))


# --- Implied skills ------------------------------------------------------------------------------


def test_the_taxonomy_says_which_skills_imply_others():
    assert implied_skills(["PyTorch"])["Deep Learning"] == "PyTorch"
    assert implied_skills(["LLMs"])["Generative AI"] == "LLMs"
    # Followed through: RAG → LLMs → Generative AI.
    assert implied_skills(["RAG"])["Generative AI"] == "RAG"
    names = {skill.name for skill in vocabulary()}
    for skill in vocabulary():
        assert set(skill.implies) <= names - {skill.name}, skill.name
    # Every row of the file has its five columns (an unquoted comma once cut a pattern short).
    source = resources.files("leadboard") / "data" / "skills.csv"
    with source.open(encoding="utf-8", newline="") as rows:
        assert all(None not in row for row in csv.DictReader(rows))


def test_an_implied_skill_matches_and_says_where_it_comes_from():
    person = person_of(profile("PyTorch", "Python"))
    asked = [{"name": "Deep Learning", "required": True}, {"name": "Python", "required": True}]
    fit = score(job(skills=asked), person, Weights())
    assert fit.summary == "2 of 2 required skills"
    lines = {skill["name"]: skill["resume_line"] for skill in fit.matched}
    assert lines == {"Deep Learning": "(implied by PyTorch)", "Python": "Python line"}


# --- Skills weighted by how specific they are ----------------------------------------------------


def columns_with_skills(tags: dict[int, list[str]]) -> DocumentColumns:
    """Columns of documents with these skill tags (the other facts blank)."""
    ids = sorted(tags)
    pairs = [(doc, skill) for doc in ids for skill in tags[doc]]
    blank = {column.name: [None] * len(ids) for column in fields(DocumentFacts)}
    return DocumentColumns(
        DocumentFacts(
            **blank
            | {
                "generation": 1,
                "ids": ids,
                "is_head": [True] * len(ids),
                "is_open": [True] * len(ids),
                "seniority": ["senior"] * len(ids),
                "remote": ["onsite"] * len(ids),
                "cluster_id": [str(i) for i in ids],
                "visa": [False] * len(ids),
                "tag_documents": [doc for doc, _ in pairs],
                "tag_kinds": ["skill"] * len(pairs),
                "tag_values": [skill for _, skill in pairs],
            }
        )
    )


def test_a_skill_in_every_posting_weighs_less_than_a_rare_one():
    generic = ["Python", "SQL", "Machine Learning"]
    tags = {i: list(generic) for i in range(1, 21)}
    tags[1] += ["RLHF"]
    weight = specificity(columns_with_skills(tags))
    assert weight["Python"] < 1.0 < weight["RLHF"]


def test_three_of_three_generic_skills_do_not_beat_nine_of_twelve_specific_ones():
    generic = ["Python", "SQL", "Machine Learning"]
    specific = [f"Specific {i}" for i in range(12)]
    tags = {i: list(generic) for i in range(1, 41)}
    for i, name in enumerate(specific):
        tags[i + 1].append(name)
    weight = specificity(columns_with_skills(tags))
    thin = [{"name": name, "required": True} for name in generic]
    rich = [{"name": name, "required": True} for name in specific]
    assert skills_part(thin, generic, weight) < skills_part(rich, specific[:9], weight)
    # Without the weights they would tie or worse: the prior alone cannot tell them apart.
    assert skills_part(thin, generic) >= skills_part(rich, specific[:9]) - 0.05


# --- Track, title field and place -----------------------------------------------------------------


def test_a_data_engineer_is_not_an_analyst():
    engineer = person_of(profile("Spark", titles=["Lead Data Engineer"], seniority="senior"))
    assert engineer.track == {"engineering": 1.0}
    assert track_of("Senior Data Analyst") == {"analysis": 1.0}
    pipelines = score(job(title="Senior Data Engineer", role_family="data"), engineer, Weights())
    reports = score(job(title="Senior Data Analyst", role_family="data"), engineer, Weights())
    assert pipelines.parts["track"] == 1.0 and reports.parts["track"] < 0.5
    assert pipelines.score > reports.score


def test_the_level_gap_counts_more_than_the_years_asked():
    person = person_of(profile(titles=["Senior ML Engineer"], seniority="senior", years_total=6))
    # Two levels up with the years met, against the right level asking two years more.
    above = score(job(seniority="principal", years_min=5), person, Weights())
    short = score(job(seniority="senior", years_min=8), person, Weights())
    assert above.parts["experience"] < short.parts["experience"]


def test_a_research_lead_is_not_a_lead_data_scientist():
    person = track_of("Research Lead, Large Language Models")
    assert person == {"research": 1.0}
    assert track_of("Lead Data Scientist") == {"engineering": 1.0}
    assert track_of("Senior Engineering Manager") == {"management": 1.0}
    assert track_part(person, track_of("AI Research Lead")) == 1.0
    assert track_part(person, track_of("Lead Data Scientist")) < 0.5
    lead = person_of(profile("LLMs", titles=["Research Lead"], seniority="senior"))
    research = score(job(title="Research Scientist, Post-Training"), lead, Weights())
    analytics = score(job(title="Lead Data Scientist"), lead, Weights())
    assert research.score > analytics.score


def test_the_field_a_title_names_must_be_the_persons():
    cv = {"Computer Vision", "Deep Learning"}
    assert title_part("Senior Machine Learning Engineer, Computer Vision", cv) == 1.0
    assert title_part("Speech Recognition Engineer", cv) == 0.0
    assert 0.0 < title_part("Data Scientist", cv) < 1.0  # names no field


def test_the_kind_of_software_work_a_title_names_must_be_the_persons():
    frontend = person_of(profile("TypeScript", titles=["Frontend Tech Lead"], seniority="senior"))
    assert frontend.kinds == {"frontend"}
    titles = ("Senior Frontend Engineer", "Senior Full Stack Engineer", "Senior Backend Engineer")
    fits = [score(job(title=t, role_family="software"), frontend, Weights()) for t in titles]
    assert [fit.parts["title"] for fit in fits] == [1.0, 0.5, 0.0]
    assert fits[0].score > fits[1].score > fits[2].score
    # Someone whose role names no kind of software work is not judged on it.
    ml = person_of(profile("PyTorch", titles=["Senior ML Engineer"], seniority="senior"))
    assert not ml.kinds
    assert title_part("Senior Backend Engineer", ml.have, ml.kinds) == title_part("Engineer", [])


def test_a_title_that_names_no_level_is_half_a_step_nearer():
    person = person_of(profile(titles=["Senior Data Scientist"], seniority="senior"))
    # Both read as mid: one by its title ("II"), the other by default.
    named = score(job(title="Data Scientist II", seniority="mid"), person, Weights())
    unnamed = score(job(title="Data Scientist", seniority="mid"), person, Weights())
    assert named.parts["experience"] < unnamed.parts["experience"] < 1.0


def test_the_place_counts_only_when_the_resume_names_one():
    london = profile(city="London", country="GB")
    onsite_us = job(remote="onsite", countries=("US",), cities=("New York City",))
    remote_us = job(remote="remote", countries=("US",))
    anywhere = job(remote="remote")
    assert location_part(onsite_us, london) == 0.1
    assert location_part(remote_us, london) < location_part(anywhere, london) == 1.0
    assert "location" not in score(onsite_us, person_of(profile()), Weights()).parts
    far = score(onsite_us, person_of(london), Weights())
    assert far.parts["location"] == 0.1 and "another country" in far.verdict


def test_a_job_abroad_on_ones_own_continent_is_a_move_not_out_of_reach():
    onsite_us = job(remote="onsite", countries=("US",), cities=("New York City",))
    onsite_berlin = job(remote="onsite", countries=("DE",), cities=("Berlin",))
    toronto, manchester = profile(city="Toronto", country="CA"), profile(country="GB")
    assert location_part(onsite_us, toronto) > location_part(onsite_us, manchester) == 0.1
    assert location_part(onsite_berlin, manchester) == location_part(onsite_us, toronto)
    assert location_part(onsite_us, toronto) < location_part(onsite_us, profile(country="US"))


# --- Verdicts ------------------------------------------------------------------------------------


def test_bands_follow_the_fitted_thresholds():
    strong, good, stretch = BANDS
    assert strong > good > stretch
    assert [band_of(x) for x in (strong, good, stretch, stretch - 0.01)] == list(BAND_NAMES)


def test_one_of_three_required_skills_is_not_a_strong_fit():
    person = person_of(profile("Python", titles=["Senior ML Engineer"], seniority="senior"))
    asked = [{"name": name, "required": True} for name in ("Python", "Go", "Rust")]
    fit = score(
        job(title="Machine Learning Engineer", skills=asked, similarity=0.8), person, Weights()
    )
    assert fit.summary == "1 of 3 required skills"
    assert fit.band != "strong" and not fit.verdict.startswith("Strong fit")


# --- The role the résumé asks for ----------------------------------------------------------------


def test_a_career_changer_is_matched_to_the_role_they_ask_for_not_the_one_they_leave():
    changer = person_of(
        profile(
            "Python",
            titles=["Senior Financial Analyst"],
            seniority="senior",
            summary="Five years of FP&A at a bank. I want a junior data scientist or machine "
            "learning role, ideally in finance.",
        )
    )
    junior_ds = job(title="Data Scientist", seniority="junior", role_family="ml_ic")
    senior_analyst = job(title="Senior Data Analyst", seniority="senior", role_family="data")
    assert changer.levels == ("junior",) and changer.family == "ml_ic"
    # Either role the wish names fits in full: a data-family data scientist job too.
    data_ds = job(title="Data Scientist", seniority="junior", role_family="data")
    assert score(data_ds, changer, Weights()).parts["family"] == 1.0
    fits = {j.title: score(j, changer, Weights()) for j in (junior_ds, senior_analyst)}
    assert fits["Data Scientist"].parts["track"] > fits["Senior Data Analyst"].parts["track"]
    assert fits["Data Scientist"].score > fits["Senior Data Analyst"].score


def test_a_graduate_who_asks_for_an_entry_level_role_ranks_it_above_internships():
    graduate = person_of(
        profile(
            "Java",
            titles=["Software Engineering Intern"],
            seniority="intern",
            summary="Graduating student looking for an entry-level software engineer role.",
        )
    )
    entry = score(job(title="Software Engineer I", seniority="junior"), graduate, Weights())
    intern = score(job(title="Software Engineer Intern", seniority="intern"), graduate, Weights())
    assert entry.parts["experience"] > intern.parts["experience"]
    # An internship is for students, not one rung below junior: it counts as a clear mismatch.
    assert (
        intern.parts["experience"]
        < score(job(seniority="mid"), graduate, Weights()).parts["experience"]
    )
    # A student who asks for an internship gets one.
    student = person_of(
        profile(
            titles=["Software Engineering Intern"],
            seniority="intern",
            summary="Junior at CMU, seeking a summer 2027 software engineering internship.",
        )
    )
    assert score(job(seniority="intern"), student, Weights()).parts["experience"] > 0.9


def test_someone_who_has_only_trained_and_names_no_role_is_matched_as_a_graduate():
    graduate = person_of(
        profile(
            "PyTorch",
            titles=["Machine Learning Intern"],
            seniority="intern",
            summary="M.S. Computer Science, graduating December 2026. Two ML internships.",
        )
    )
    entry = score(job(title="Machine Learning Engineer I", seniority="junior"), graduate, Weights())
    intern = score(job(title="Machine Learning Intern", seniority="intern"), graduate, Weights())
    assert graduate.levels == ("junior",)
    assert entry.parts["experience"] > intern.parts["experience"]


def test_the_wish_steps_down_only_for_those_who_ask_to():
    # A staff engineer's "staff backend or tech lead role": staff, not the senior a tech lead is.
    staff = person_of(
        profile(
            titles=["Staff Software Engineer"],
            seniority="staff",
            summary="Backend engineer for eleven years. Looking for a staff backend or tech lead "
            "role, Dallas or remote.",
        )
    )
    assert staff.levels == ("staff",)
    staff_job, senior_job = job(seniority="staff"), job(seniority="senior")
    assert (
        score(staff_job, staff, Weights()).parts["experience"]
        > score(senior_job, staff, Weights()).parts["experience"]
    )


def test_of_two_levels_asked_for_either_fits_and_a_denied_wish_is_not_one():
    person = person_of(
        profile(
            titles=["Data Engineer"],
            seniority="mid",
            summary="Not looking for management; want a mid-to-senior data engineer role.",
        )
    )
    assert person.levels == ("mid", "senior")
    for level in ("mid", "senior"):
        assert score(job(seniority=level), person, Weights()).parts["experience"] > 0.9
    manager = score(job(seniority="manager", title="Data Engineering Manager"), person, Weights())
    assert manager.parts["experience"] < 0.8
    # Without a wish the person's own level stands.
    assert person_of(profile(seniority="staff")).levels == ("staff",)


def test_a_remote_job_limited_to_another_region_hardly_fits():
    dallas = profile(city="Dallas", country="US")
    india = job(remote="remote", regions=("India",))
    europe = job(remote="remote", regions=("Europe",))
    us_or_uk = job(remote="remote", regions=("US", "UK"))
    assert location_part(india, dallas) == location_part(europe, dallas) == 0.3
    assert location_part(us_or_uk, dallas) == location_part(job(remote="remote"), dallas) == 1.0
    assert location_part(europe, profile(city="Lisbon", country="PT")) == 1.0


def test_a_data_scientist_who_builds_models_fits_ml_postings_as_well_as_data_ones():
    # "Data Scientist" postings are filed under data or ml_ic about evenly.
    scientist = person_of(
        profile(titles=["Data Scientist II"], seniority="mid", years_total=6, years_ml=4)
    )
    as_data = score(job(role_family="data", title="Data Scientist"), scientist, Weights())
    as_ml = score(job(role_family="ml_ic", title="Data Scientist"), scientist, Weights())
    assert as_ml.parts["family"] == as_data.parts["family"] == 1.0
    analyst = person_of(profile(titles=["Data Analyst"], seniority="mid", years_total=6))
    assert score(job(role_family="ml_ic"), analyst, Weights()).parts["family"] < 1.0


def test_an_analyst_posting_that_mentions_research_is_still_analysis_work():
    scientist = person_of(profile(titles=["Data Scientist"], seniority="junior"))
    analyst_job = job(title="Data Analyst", role_family="data", duties=["research"])
    scientist_job = job(title="Data Scientist", role_family="data")
    assert score(analyst_job, scientist, Weights()).parts["track"] < 0.5
    assert score(scientist_job, scientist, Weights()).parts["track"] == 1.0
