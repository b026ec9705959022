"""`leadboard save-job`, `hide`, `track`, `tracker` (board, export, note, remove) and `users`, on
both backends."""

from __future__ import annotations

import csv
import json

import pytest
from support.search_jobs import fill
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.store.repository import Store
from leadboard.workspace.store import Workspace

runner = CliRunner()
RANKING = "greenhouse:acme:1"  # Staff Machine Learning Engineer, Ranking
PLATFORM = "greenhouse:acme:2"  # Engineering Manager, ML Platform


@pytest.fixture
def home(tmp_path, monkeypatch, database_url):
    """A store with the small search set, where `leadboard` finds it."""
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    store = Store.open(database_url)
    fill(store)
    yield store
    store.close()


def run(*args):
    return runner.invoke(app, list(args))


def test_save_track_and_see_the_board(home):
    assert run("save-job", RANKING, "--note", "referral from Ada").exit_code == 0
    applied = run("track", RANKING, "applied", "--on", "2026-12-01", "--note", "CV sent")
    assert applied.exit_code == 0 and applied.stdout.startswith("Applied: Staff Machine")

    board = run("tracker")
    assert board.exit_code == 0
    assert "== Applied (1)" in board.stdout and "Saved " in board.stdout
    assert "Applied 2026-12-01" in board.stdout and "note: CV sent" in board.stdout

    (tracked,) = json.loads(run("tracker", "--json").stdout)
    assert tracked["job_id"] == RANKING and tracked["state"] == "applied"
    assert [s["state"] for s in tracked["steps"]] == ["saved", "applied"]
    assert tracked["since"].startswith("2026-12-01")


def test_an_impossible_move_is_refused_with_the_reason(home):
    run("track", RANKING, "applied")
    refused = run("track", RANKING, "saved")
    assert refused.exit_code == 2 and "step back: reopen" in refused.output
    assert run("track", RANKING, "saved", "--reopen").exit_code == 0
    unknown = run("save-job", "greenhouse:acme:404")
    assert unknown.exit_code == 1 and "no job with id" in unknown.output
    assert run("track", RANKING, "ghosted").exit_code == 2


def test_a_hidden_job_leaves_the_search_results_until_removed(home):
    def ids():
        answer = json.loads(run("search", "", "--words-only", "--json").stdout)
        return [hit["job"]["id"] for hit in answer["results"]]

    assert PLATFORM in ids()
    assert run("hide", PLATFORM).exit_code == 0
    assert PLATFORM not in ids() and RANKING in ids()
    assert run("tracker", "remove", PLATFORM).exit_code == 0
    assert PLATFORM in ids()
    assert run("tracker", "remove", PLATFORM).exit_code == 1  # no longer tracked


def test_notes_and_the_export(home, tmp_path):
    run("save-job", RANKING)
    assert run("tracker", "note", RANKING, "ask about the team, and pay").exit_code == 0
    assert run("tracker", "note", PLATFORM, "x").exit_code == 1  # not tracked

    out = tmp_path / "tracker.csv"
    assert run("tracker", "export", "--format", "csv", "--output", str(out)).exit_code == 0
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["job_id"] == RANKING and row["notes"] == "ask about the team, and pay"
    exported = json.loads(run("tracker", "export", "--format", "json").stdout)
    assert [s["moved"] for s in exported[0]["steps"]] == [True, False]


def test_users_get_a_token_shown_once(home):
    added = run("users", "add", "ada")
    assert added.exit_code == 0
    token = added.stdout.strip()
    assert Workspace(home.engine).user_of_token(token) == "ada"
    assert run("users", "add", "ada").exit_code == 2  # taken
    assert [u["name"] for u in json.loads(run("users", "--json").stdout)] == ["ada"]
    assert run("users", "remove", "ada").exit_code == 0
    assert Workspace(home.engine).user_of_token(token) is None
    assert run("users", "remove", "ada").exit_code == 1
