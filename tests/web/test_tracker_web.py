"""The application tracker over HTTP, on both backends: "Save" and "Hide" on the results and the
job page, the /tracker board and its forms, /api/v1/tracker (moves, notes, refusals, export), and
per-user tokens: each token sees only its own tracker and saved searches."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from support.search_jobs import NOW, fill

from leadboard.search.engine import SearchEngine
from leadboard.web.app import create_app
from leadboard.web.security import InsecureSetup
from leadboard.workspace.store import Workspace

RANKING = "greenhouse:acme:1"  # Staff Machine Learning Engineer, Ranking
PLATFORM = "greenhouse:acme:2"  # Engineering Manager, ML Platform


@pytest.fixture
def client(store):
    fill(store)
    return TestClient(create_app(store, SearchEngine(store)), follow_redirects=False)


def result_ids(client, **params):
    answer = client.get("/api/v1/search", params=params).json()
    return [hit["job"]["id"] for hit in answer["results"]]


def test_save_and_hide_from_the_results_then_move_on_the_board(client):
    page = client.get("/")
    assert page.status_code == 200
    assert f'name="job_id" value="{RANKING}"' in page.text  # Save / Hide on each result card

    saved = client.post("/tracker", data={"job_id": RANKING, "state": "saved", "next": "/?q=ml"})
    assert saved.status_code == 303 and saved.headers["location"] == "/?q=ml"
    assert "tracked-saved" in client.get("/").text  # the card says it is saved
    assert "tracked-saved" in client.get(f"/jobs/{RANKING}").text  # and so does the job page

    hidden = client.post("/tracker", data={"job_id": PLATFORM, "state": "hidden", "next": "/"})
    assert hidden.status_code == 303
    assert PLATFORM not in client.get("/").text  # gone from the page …
    assert PLATFORM not in result_ids(client) and RANKING in result_ids(client)  # … and the API

    board = client.get("/tracker")
    assert board.status_code == 200 and "<h1>Your applications</h1>" in board.text
    assert "Staff Machine Learning Engineer, Ranking" in board.text
    assert "Hidden from your results (1)" in board.text

    moved = client.post(
        "/tracker", data={"job_id": RANKING, "state": "applied", "note": "CV sent to Ada"}
    )
    assert moved.status_code == 303 and moved.headers["location"] == "/tracker"
    board = client.get("/tracker").text
    applied_column = board.split('id="col-applied"')[1].split("</section>")[0]
    assert "Ranking" in applied_column and "CV sent to Ada" in applied_column

    unhidden = client.post("/tracker/remove", data={"job_id": PLATFORM})
    assert unhidden.status_code == 303 and PLATFORM in result_ids(client)


def test_a_refused_move_says_why_and_forms_from_other_sites_are_refused(client):
    client.post("/tracker", data={"job_id": RANKING, "state": "saved"})
    refused = client.post("/tracker", data={"job_id": RANKING, "state": "rejected"})
    assert refused.status_code == 409 and "only an application can be rejected" in refused.text
    forged = client.post(
        "/tracker",
        data={"job_id": RANKING, "state": "applied"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    away = client.post(
        "/tracker", data={"job_id": RANKING, "state": "applied", "next": "https://evil.example/"}
    )
    assert away.status_code == 303 and away.headers["location"] == "/tracker"


def test_the_api_moves_notes_refuses_and_forgets(client):
    made = client.post("/api/v1/tracker", json={"job_id": RANKING, "state": "applied"})
    assert made.status_code == 200
    body = made.json()
    assert body["state"] == "applied" and body["job"]["title"].startswith("Staff Machine")
    assert body["posting"] == {
        "open": True,
        "said": body["posting"]["said"],
        "closed_on": None,
    } and body["posting"]["said"].startswith("Open")

    noted = client.post("/api/v1/tracker", json={"job_id": RANKING, "note": "call on Monday"})
    assert noted.json()["state"] == "applied" and noted.json()["notes"] == "call on Monday"
    back = client.post("/api/v1/tracker", json={"job_id": RANKING, "state": "saved"})
    assert back.status_code == 409 and "step back: reopen" in back.json()["detail"]
    reopened = client.post(
        "/api/v1/tracker", json={"job_id": RANKING, "state": "saved", "reopen": True}
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "saved"
    unknown = client.post(
        "/api/v1/tracker", json={"job_id": "greenhouse:acme:404", "state": "saved"}
    )
    assert unknown.status_code == 404 and "no job with id" in unknown.json()["detail"]
    assert (
        client.post("/api/v1/tracker", json={"job_id": RANKING, "state": "ghosted"}).status_code
        == 422
    )
    assert client.post("/api/v1/tracker", json={"job_id": PLATFORM, "note": "x"}).status_code == 404

    assert [t["job_id"] for t in client.get("/api/v1/tracker").json()] == [RANKING]
    assert client.get("/api/v1/tracker", params={"state": "hidden"}).json() == []
    one = client.get(f"/api/v1/tracker/{RANKING}").json()
    assert [(s["state"], s["moved"]) for s in one["steps"]] == [
        ("applied", True),
        ("applied", False),
        ("saved", True),
    ]
    assert client.delete(f"/api/v1/tracker/{RANKING}").status_code == 204
    assert client.get(f"/api/v1/tracker/{RANKING}").status_code == 404
    assert client.delete(f"/api/v1/tracker/{RANKING}").status_code == 404


def test_a_closed_posting_stays_on_the_board_and_says_since_when(client, store):
    client.post("/api/v1/tracker", json={"job_id": RANKING, "state": "applied"})
    closed = NOW + timedelta(days=2)
    store.close_jobs([RANKING], closed)

    (tracked,) = client.get("/api/v1/tracker").json()
    day = closed.date().isoformat()
    assert tracked["posting"]["open"] is False and tracked["posting"]["closed_on"] == day
    assert f"No longer listed since {day}" in client.get("/tracker").text


def test_the_export_as_csv_and_json(client):
    client.post("/api/v1/tracker", json={"job_id": RANKING, "state": "saved", "note": "a, b"})
    as_csv = client.get("/api/v1/tracker/export", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "leadboard-tracker.csv" in as_csv.headers["content-disposition"]
    (row,) = csv.DictReader(io.StringIO(as_csv.text))
    assert row["job_id"] == RANKING and row["state"] == "saved" and row["notes"] == "a, b"
    as_json = client.get("/api/v1/tracker/export", params={"format": "json"}).json()
    assert as_json[0]["job_id"] == RANKING and as_json[0]["steps"][0]["note"] == "a, b"
    assert client.get("/api/v1/tracker/export", params={"format": "xml"}).status_code == 422


def test_each_token_sees_only_its_own_tracker_and_saved_searches(store):
    """Served beyond loopback with two users: neither reads nor changes the other's rows."""
    fill(store)
    workspace = Workspace(store.engine)
    _, ada = workspace.add_user("ada")
    _, grace = workspace.add_user("grace")
    app = create_app(store, SearchEngine(store), public=True)  # users: no write token needed
    client = TestClient(app, follow_redirects=False)
    as_ada = {"Authorization": f"Bearer {ada}"}
    as_grace = {"Authorization": f"Bearer {grace}"}

    tracked = client.post(
        "/api/v1/tracker", json={"job_id": RANKING, "state": "applied"}, headers=as_ada
    )
    assert tracked.status_code == 200
    saved = client.post("/api/v1/saved-searches", json={"query": "ranking"}, headers=as_ada)
    assert saved.status_code == 201
    search_id = saved.json()["id"]

    assert [t["job_id"] for t in client.get("/api/v1/tracker", headers=as_ada).json()] == [RANKING]
    assert client.get("/api/v1/tracker", headers=as_grace).json() == []
    assert client.get(f"/api/v1/tracker/{RANKING}", headers=as_grace).status_code == 404
    assert client.delete(f"/api/v1/tracker/{RANKING}", headers=as_grace).status_code == 404
    assert client.get("/api/v1/saved-searches", headers=as_grace).json() == []
    for read in (f"/api/v1/saved-searches/{search_id}", f"/feeds/{search_id}.atom"):
        assert client.get(read, headers=as_grace).status_code == 404, read
    renamed = client.patch(
        f"/api/v1/saved-searches/{search_id}", json={"name": "mine"}, headers=as_grace
    )
    assert renamed.status_code == 404
    export = client.get("/api/v1/tracker/export", headers=as_grace)
    assert RANKING not in export.text

    # Without a token there is no workspace beyond loopback; a token nobody has is refused.
    assert client.get("/api/v1/tracker").status_code == 401
    assert client.get("/tracker").status_code == 401
    assert (
        client.post("/api/v1/tracker", json={"job_id": RANKING, "state": "saved"}).status_code
        == 401
    )
    wrong = client.get("/api/v1/tracker", headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401 and "unknown token" in wrong.json()["detail"]
    assert client.get("/api/v1/search").status_code == 200  # searching needs no token

    # Ada's hidden job leaves her results only.
    client.post("/api/v1/tracker", json={"job_id": PLATFORM, "state": "hidden"}, headers=as_ada)
    assert PLATFORM not in [
        h["job"]["id"] for h in client.get("/api/v1/search", headers=as_ada).json()["results"]
    ]
    assert PLATFORM in [
        h["job"]["id"] for h in client.get("/api/v1/search", headers=as_grace).json()["results"]
    ]


def test_the_write_token_is_the_local_user_and_no_user_no_token_is_refused(store):
    fill(store)
    local = Workspace(store.engine)
    local.move_job(RANKING, "saved")  # the laptop's own tracker
    with pytest.raises(InsecureSetup, match="leadboard users add"):
        create_app(store, SearchEngine(store), public=True)
    client = TestClient(create_app(store, SearchEngine(store), public=True, write_token="s3cret"))
    mine = client.get("/api/v1/tracker", headers={"Authorization": "Bearer s3cret"}).json()
    assert [t["job_id"] for t in mine] == [RANKING]
