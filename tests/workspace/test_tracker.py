"""The application tracker on both backends: moves recorded as dated events, impossible moves
refused with the reason, a closed posting kept and said closed with its real date, owners kept
apart, the CSV and JSON export, hidden jobs (and their duplicates) leaving the search results, and
per-user tokens kept as hashes only."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.search_jobs import NOW, fill, make_job

from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import sync_search_index
from leadboard.store.schema import ApplicationEvent, User
from leadboard.workspace.store import InvalidUser, UntrackedJob, Workspace
from leadboard.workspace.tracker import (
    ImpossibleMove,
    UnknownJob,
    board,
    export_csv,
    export_json,
    move,
    tracked_jobs,
    without_hidden,
)

RANKING = "greenhouse:acme:1"  # Staff Machine Learning Engineer, Ranking
PLATFORM = "greenhouse:acme:2"  # Engineering Manager, ML Platform
DAY = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def filled(store):
    fill(store)
    return store


def test_an_application_moves_forward_with_a_dated_event_for_each_step(filled):
    workspace = Workspace(filled.engine)
    move(workspace, filled, RANKING, "saved", at=DAY)
    move(
        workspace, filled, RANKING, "applied", note="CV via the careers page", at=DAY + timedelta(2)
    )
    workspace.note_job(RANKING, "recruiter replied", at=DAY + timedelta(5))
    moved = move(workspace, filled, RANKING, "interviewing", at=DAY + timedelta(9))

    assert moved.state == "interviewing" and moved.since == DAY + timedelta(9)
    assert moved.notes == "recruiter replied"  # the latest note
    assert moved.title == "Staff Machine Learning Engineer, Ranking" and moved.company
    assert [(s.state, s.at.date().isoformat(), s.note, s.moved) for s in moved.steps] == [
        ("saved", "2026-11-02", "", True),
        ("applied", "2026-11-04", "CV via the careers page", True),
        ("applied", "2026-11-07", "recruiter replied", False),  # a note, not a move
        ("interviewing", "2026-11-11", "", True),
    ]
    assert moved.reached("applied") == DAY + timedelta(2) and moved.reached("offer") is None
    (row,) = workspace.tracked()
    assert row.state == "interviewing"  # the current state, on saved_jobs


def test_impossible_moves_are_refused_and_say_why(filled):
    workspace = Workspace(filled.engine)
    with pytest.raises(ImpossibleMove, match="only an application can be rejected"):
        move(workspace, filled, RANKING, "rejected")
    move(workspace, filled, RANKING, "applied")
    with pytest.raises(ImpossibleMove, match="applied → saved is a step back: reopen"):
        move(workspace, filled, RANKING, "saved")
    with pytest.raises(ImpossibleMove, match="in progress .applied. is not hidden: withdraw"):
        move(workspace, filled, RANKING, "hidden")
    with pytest.raises(ImpossibleMove, match="already applied: add a note"):
        move(workspace, filled, RANKING, "applied")
    move(workspace, filled, RANKING, "withdrawn", note="took another offer")
    with pytest.raises(ImpossibleMove, match="was withdrawn: reopen it to move it to interviewing"):
        move(workspace, filled, RANKING, "interviewing")
    with pytest.raises(ImpossibleMove, match="state must be one of"):
        move(workspace, filled, RANKING, "ghosted")
    with pytest.raises(UnknownJob, match="no job with id"):
        move(workspace, filled, "greenhouse:acme:404", "saved")
    # Nothing refused was recorded: two moves, two events.
    with Session(filled.engine) as session:
        assert len(session.scalars(select(ApplicationEvent)).all()) == 2
    reopened = move(workspace, filled, RANKING, "interviewing", reopen=True, note="they called")
    assert reopened.state == "interviewing"
    assert [s.state for s in reopened.steps if s.moved] == ["applied", "withdrawn", "interviewing"]


def test_a_note_needs_a_tracked_job(filled):
    with pytest.raises(UntrackedJob, match="save it first"):
        Workspace(filled.engine).note_job(RANKING, "hello")


def test_a_tracked_posting_that_closes_stays_and_says_when(filled):
    workspace = Workspace(filled.engine)
    move(workspace, filled, RANKING, "applied")
    move(workspace, filled, PLATFORM, "saved")
    closed_on = NOW + timedelta(days=1)
    assert filled.close_jobs([RANKING], closed_on) == 1

    by_id = {t.job_id: t for t in tracked_jobs(workspace, filled)}
    assert set(by_id) == {RANKING, PLATFORM}  # still tracked
    gone = by_id[RANKING].posting
    assert not gone.open and gone.closed_on == closed_on.date().isoformat()
    assert gone.said.startswith(f"No longer listed since {closed_on.date().isoformat()}")
    assert by_id[PLATFORM].posting.open and by_id[PLATFORM].posting.said.startswith("Open")


def test_each_owner_sees_only_their_own_tracker(filled):
    workspace = Workspace(filled.engine)
    move(workspace, filled, RANKING, "applied", owner="ada")
    move(workspace, filled, PLATFORM, "hidden", owner="grace")

    assert [t.job_id for t in tracked_jobs(workspace, filled, "ada")] == [RANKING]
    assert workspace.hidden_jobs("ada") == [] and workspace.hidden_jobs("grace") == [PLATFORM]
    assert tracked_jobs(workspace, filled) == []  # "local" tracks nothing
    with pytest.raises(UntrackedJob):
        workspace.forget_job(RANKING, owner="grace")
    # The same job, tracked by another owner, moves on its own.
    move(workspace, filled, RANKING, "saved", owner="grace")
    assert [t.state for t in tracked_jobs(workspace, filled, "ada")] == ["applied"]


def test_the_board_has_a_column_a_state(filled):
    workspace = Workspace(filled.engine)
    move(workspace, filled, RANKING, "offer")
    move(workspace, filled, PLATFORM, "hidden")
    columns = board(tracked_jobs(workspace, filled))
    assert list(columns) == [
        "saved",
        "applied",
        "interviewing",
        "offer",
        "rejected",
        "withdrawn",
        "hidden",
    ]
    assert [t.job_id for t in columns["offer"]] == [RANKING]
    assert [t.job_id for t in columns["hidden"]] == [PLATFORM]


def test_the_export_in_csv_and_json(filled):
    workspace = Workspace(filled.engine)
    move(workspace, filled, RANKING, "saved", at=DAY)
    move(
        workspace, filled, RANKING, "applied", note='said "yes", then, "no"', at=DAY + timedelta(1)
    )
    found = tracked_jobs(workspace, filled)

    (row,) = csv.DictReader(io.StringIO(export_csv(found)))
    assert row["job_id"] == RANKING and row["state"] == "applied"
    assert row["saved_on"] == "2026-11-02" and row["applied_on"] == "2026-11-03"
    assert row["offer_on"] == "" and row["posting_open"] == "True"
    assert row["notes"] == 'said "yes", then, "no"'  # quoted, read back whole
    assert row["history"] == '2026-11-02 saved; 2026-11-03 applied: said "yes", then, "no"'

    (each,) = json.loads(export_json(found))
    assert each["state"] == "applied" and each["posting"]["open"] is True
    assert [s["state"] for s in each["steps"]] == ["saved", "applied"]


def test_hidden_jobs_and_their_duplicates_leave_the_search_results(filled):
    # A duplicate of the ranking job on another board (the same posting URL): one cluster.
    posting, job = make_job(
        "1",
        "Staff Machine Learning Engineer, Ranking",
        "Lead the ranking team.",
        "remote",
        None,
        3,
        board="acme-eu",
        url="https://jobs.example.com/acme/1",
    )
    filled.save_batch([(posting, job)], [], index=filled.duplicate_index(), seen_at=NOW)
    sync_search_index(filled)
    engine = SearchEngine(filled)
    workspace = Workspace(filled.engine)
    request = SearchRequest(q="ranking", filters=SearchFilters(role_family=["any"]))
    before = engine.search(request)
    assert before.total == 1 and before.results[0].job_id in {RANKING, job.id}

    move(workspace, filled, job.id, "hidden")  # the duplicate's id: the cluster goes
    after = engine.search(without_hidden(request, workspace, "local"))
    assert after.total == 0
    assert engine.search(without_hidden(request, workspace, "someone else")).total == 1
    browse = SearchRequest(filters=SearchFilters(role_family=["any"]))
    hidden = without_hidden(browse, workspace, "local")
    assert engine.search(hidden).total == engine.search(browse).total - 1
    assert sum(f[1] for f in engine.search(hidden).facets["role_family"]) == (
        sum(f[1] for f in engine.search(browse).facets["role_family"]) - 1
    )


def test_a_user_token_is_kept_as_its_hash_only(store):
    workspace = Workspace(store.engine)
    ada, token = workspace.add_user("  Ada  ")
    assert ada.name == "Ada" and len(token) >= 40
    assert workspace.user_of_token(token) == "Ada" and workspace.user_of_token(token + "x") is None
    with Session(store.engine) as session:
        (row,) = session.scalars(select(User)).all()
        assert token not in row.token_sha256 and len(row.token_sha256) == 64
    with pytest.raises(InvalidUser, match="already a user called 'Ada'"):
        workspace.add_user("Ada")
    with pytest.raises(InvalidUser):
        workspace.add_user("   ")
    assert [u.name for u in workspace.users()] == ["Ada"]
    assert workspace.remove_user("Ada") and workspace.user_of_token(token) is None
    assert not workspace.remove_user("Ada")
