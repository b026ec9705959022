"""`leadboard boards` and `boards add|remove|disable|enable`: the registry as our checks read it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.sources.registry import KINDS

runner = CliRunner()
FIELDS = {"company", "ats", "token", "url", "status", "last_success", "failures", "open_postings"}


@pytest.fixture
def home(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    return tmp_path


def run(*args: str):
    return runner.invoke(app, list(args))


def boards(*args: str) -> list[dict]:
    result = run("boards", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_registry_lists_thousands_of_boards_of_many_kinds(home) -> None:
    listed = boards()
    assert len(listed) > 4000
    assert set(listed[0]) >= FIELDS
    kinds = {b["ats"] for b in listed}
    assert len(kinds) >= 18 and kinds <= set(KINDS)
    workday = boards("--ats", "workday")
    assert len(workday) > 200 and {b["ats"] for b in workday} == {"workday"}
    assert all(b["token"].count("/") == 2 for b in workday)  # tenant/wdN/site
    curated = [b for b in listed if b["ats"] == "greenhouse" and b["token"] == "anthropic"]
    assert curated and curated[0]["ml_heavy"] is True
    assert {b["status"] for b in listed} == {"new"}
    assert all(b["open_postings"] == 0 and b["last_success"] is None for b in listed)


CAREERS_URLS = [
    ("https://job-boards.greenhouse.io/acmeai", "greenhouse", "acmeai"),
    ("https://boards.greenhouse.io/embed/job_board?for=acmeai", "greenhouse", "acmeai"),
    ("https://jobs.lever.co/acmeai/1234-abcd", "lever", "acmeai"),
    ("https://jobs.ashbyhq.com/acmeai", "ashby", "acmeai"),
    ("https://acme.wd5.myworkdayjobs.com/en-US/Careers", "workday", "acme/wd5/Careers"),
    ("https://careers.smartrecruiters.com/AcmeAI", "smartrecruiters", "AcmeAI"),
    ("https://acmeai.recruitee.com/", "recruitee", "acmeai"),
    ("https://apply.workable.com/acmeai/", "workable", "acmeai"),
    ("https://acmeai.jobs.personio.de/", "personio", "acmeai"),
    ("https://acmeai.teamtailor.com/jobs", "teamtailor", "acmeai.teamtailor.com"),
    ("https://acmeai.bamboohr.com/careers", "bamboohr", "acmeai"),
    ("https://ats.rippling.com/acmeai/jobs", "rippling", "acmeai"),
    ("https://jobs.gem.com/acmeai", "gem", "acmeai"),
    ("https://acmeai.breezy.hr/", "breezy", "acmeai"),
    ("https://acmeai.pinpointhq.com/", "pinpoint", "acmeai"),
    ("https://acmeai.eightfold.ai/careers", "eightfold", "acmeai"),
]


def test_add_detects_the_ats_and_token_from_a_careers_url(home) -> None:
    for url, ats, token in CAREERS_URLS:
        result = run("boards", "add", url, "--json")
        assert result.exit_code == 0, (url, result.output)
        added = json.loads(result.output)
        assert (added["ats"], added["token"]) == (ats, token), url
        assert set(added) == {"ats", "token", "company", "url"}
    listed = {(b["ats"], b["token"]): b for b in boards()}
    for _, ats, token in CAREERS_URLS:
        assert listed[(ats, token)]["status"] == "new"


def test_an_unknown_url_is_a_clear_error(home) -> None:
    result = run("boards", "add", "https://www.example.com/careers")
    assert result.exit_code == 1
    assert "no supported job board recognised" in result.output


def test_remove_and_disable_stick_across_registry_syncs(home) -> None:
    assert run("boards", "disable", "greenhouse:anthropic").exit_code == 0
    assert run("boards", "remove", "ashby:openai").exit_code == 0
    listed = {f"{b['ats']}:{b['token']}": b for b in boards()}
    assert listed["greenhouse:anthropic"]["status"] == "disabled"
    assert "ashby:openai" not in listed, "a removed board is not added back by the registry"
    assert run("boards", "enable", "greenhouse:anthropic").exit_code == 0
    assert {b["status"] for b in boards("--ats", "greenhouse") if b["token"] == "anthropic"} == {
        "new"
    }
    missing = run("boards", "disable", "greenhouse:no-such-board-here")
    assert missing.exit_code == 1 and "no board" in missing.output
