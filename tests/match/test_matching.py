"""A profile against stored, enriched and embedded jobs: ranking, explanations, filters, the
skill gap, and ``leadboard match --json``."""

import json

import pytest
from support.match_jobs import FRONTEND_RESUME, STAFF_ML_RESUME, fill_postings, match_engine
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.match import Matcher
from leadboard.match.scoring import skills_part
from leadboard.search.engine import SearchFilters


def titles(answer):
    return [fit.job["title"] for fit in answer.results]


@pytest.fixture
def matcher(store, embedder):
    fill_postings(store, embedder)
    return Matcher(match_engine(store, embedder))


def test_a_staff_ml_resume_ranks_the_ml_lead_job_above_the_frontend_job(matcher):
    answer = matcher.match_file(STAFF_ML_RESUME.encode(), "cv.md")
    ranked = titles(answer)
    assert ranked[0] == "Machine Learning Engineering Lead, Ranking"
    assert ranked.index("Machine Learning Engineering Lead, Ranking") < ranked.index(
        "Senior Frontend Engineer"
    )
    assert all(0.0 <= fit.score <= 1.0 for fit in answer.results)
    frontend = titles(matcher.match_file(FRONTEND_RESUME.encode(), "cv.txt"))
    assert frontend[0] == "Senior Frontend Engineer"


def test_the_explanation_names_skills_lines_experience_and_a_verdict(matcher):
    answer = matcher.match_file(STAFF_ML_RESUME.encode(), "cv.md")
    lead = answer.results[0]
    assert lead.summary == "4 of 5 required skills"
    matched = {skill["name"]: skill for skill in lead.matched}
    assert matched["PyTorch"]["resume_line"].startswith("Managed a team of 6 ML engineers")
    assert matched["PyTorch"]["posting_line"] == "Python, PyTorch, Kubernetes and Spark."
    assert matched["Ray"]["required"] is False  # a nice-to-have, and she has it
    (missing,) = lead.missing
    assert missing["name"] == "Spark" and missing["required"] is True
    assert missing["posting_line"] == "Python, PyTorch, Kubernetes and Spark."
    assert lead.experience["years_asked_min"] == 8 and lead.experience["years_short"] == 0
    assert lead.experience["text"].startswith("asks 8+ years; you have")
    assert lead.leadership["asked"] == "people management"
    assert lead.verdict.startswith(("Strong fit", "Good fit")) and lead.verdict.endswith(".")
    gap = {item["skill"]: item for item in answer.skill_gap}
    assert gap["Spark"]["job_ids"][0] == lead.job["id"]
    analyst = next(fit for fit in answer.results if fit.job["title"] == "Junior Data Analyst")
    # An analyst's reports are other work than a staff ML engineer's, three levels down.
    assert analyst.verdict.startswith("Poor fit: it is another kind of work (research,")
    assert analyst.experience["text"].endswith("a junior role, you are staff")


def test_search_filters_still_apply(matcher):
    answer = matcher.match_file(
        STAFF_ML_RESUME.encode(), "cv.md", SearchFilters(role_family=["any"], salary_min=200_000)
    )
    assert titles(answer) == ["Machine Learning Engineering Lead, Ranking"]
    families = matcher.match_file(
        STAFF_ML_RESUME.encode(), "cv.md", SearchFilters(role_family=["data", "other"])
    )
    assert set(titles(families)) <= {"Junior Data Analyst", "Pastry Chef"}


def test_an_edited_profile_matches_again_without_the_resume(matcher):
    profile = matcher.read(FRONTEND_RESUME.encode(), "cv.txt")
    before = matcher.match(profile).results[0]
    assert before.job["title"] == "Senior Frontend Engineer"
    edited = profile.model_copy(update={"skills": []})
    after = next(f for f in matcher.match(edited).results if f.job["id"] == before.job["id"])
    assert after.score < before.score and not after.matched


def test_a_job_without_extracted_skills_does_not_get_full_coverage_for_free():
    assert skills_part([], {"Python"}) < 0.5
    one = [{"name": "Python", "required": True}]
    nine = [{"name": f"S{i}", "required": True} for i in range(8)] + one
    assert skills_part(one, {"Python"}) < skills_part(
        nine, {"Python"} | {f"S{i}" for i in range(8)}
    )
    required, nice = [{"name": "Go", "required": True}], [{"name": "Go", "required": False}]
    assert skills_part(required + nice[:0], set()) < skills_part(nice, set())  # a gap in a must


def test_without_embeddings_the_fit_leaves_meaning_out_and_says_so(store):
    fill_postings(store)
    answer = Matcher(match_engine(store)).match_file(STAFF_ML_RESUME.encode(), "cv.md")
    assert titles(answer)[0] == "Machine Learning Engineering Lead, Ranking"
    assert answer.notes and answer.results[0].parts["semantic"] == 0.0


@pytest.fixture
def home(tmp_path, monkeypatch, database_url, embedder):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    from leadboard.store.repository import Store

    store = Store.open(database_url)
    fill_postings(store, embedder)
    store.close()
    return tmp_path


def test_cli_match_json(home):
    resume = home / "cv.md"
    resume.write_text(STAFF_ML_RESUME)
    result = CliRunner().invoke(app, ["match", str(resume), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"profile", "results", "skill_gap", "considered", "notes"}
    assert answer["profile"]["titles"][0] == "Staff Machine Learning Engineer"
    first = answer["results"][0]
    assert set(first) >= {
        "job",
        "score",
        "matched_skills",
        "missing_skills",
        "experience",
        "verdict",
        "summary",
    }
    assert first["job"]["title"] == "Machine Learning Engineering Lead, Ranking"
    assert set(first["job"]) >= {"id", "title", "company", "remote", "salary", "url"}  # as search
    assert len(answer["results"]) == 2
    remote_only = CliRunner().invoke(
        app, ["match", str(resume), "--remote", "--min-salary", "250k", "--json"]
    )
    assert [r["job"]["title"] for r in json.loads(remote_only.stdout)["results"]] == [
        "Machine Learning Engineering Lead, Ranking"
    ]


def test_cli_match_says_what_is_wrong_with_a_file(home):
    empty = home / "cv.pdf"
    empty.write_bytes(b"")
    result = CliRunner().invoke(app, ["match", str(empty)])
    assert result.exit_code == 2 and "The file is empty" in result.output
    missing = CliRunner().invoke(app, ["match", str(home / "nope.pdf")])
    assert missing.exit_code == 2 and "No such file" in missing.output
