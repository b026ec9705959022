"""Saved searches over HTTP, on both backends: the API, the search page's "Save this search", the
/saved page's "new since you last looked", and each search's Atom feed read by a real feed parser
(feedparser)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from support.search_jobs import NOW, fill, make_job

from leadboard.search.engine import SearchEngine
from leadboard.search.index import sync_search_index
from leadboard.web.app import create_app
from leadboard.web.routes.saved import filters_of, params_of
from leadboard.web.schemas import SavedSearchRename, SearchParams
from leadboard.workspace.store import InvalidSavedSearch, Workspace, clean_name


@pytest.fixture
def client(store):
    fill(store)
    return TestClient(create_app(store, SearchEngine(store)), follow_redirects=False)


def store_job(store, external_id, title, text, *, seen_at, days=1, posted=True, url=None):
    posting, job = make_job(external_id, title, text, "remote", None, days, url=url)
    if not posted:
        job = job.model_copy(update={"posted_at": None})
    store.save_batch([(posting, job)], [], index=store.duplicate_index(), seen_at=seen_at)
    sync_search_index(store)
    return job.id


def test_the_api_saves_lists_renames_and_removes(client):
    made = client.post(
        "/api/v1/saved-searches",
        json={"query": "team", "filters": {"remote": ["remote"]}, "sort": "newest"},
    )
    assert made.status_code == 201
    saved = made.json()
    assert saved["name"] == "team" and saved["feed"] == f"/feeds/{saved['id']}.atom"
    assert saved["filters"]["remote"] == ["remote"] and saved["sort"] == "newest"
    assert saved["matching"] == 1 and saved["new"] == 0  # seen when saved

    listed = client.get("/api/v1/saved-searches").json()
    assert [s["id"] for s in listed] == [saved["id"]]
    renamed = client.patch(f"/api/v1/saved-searches/{saved['id']}", json={"name": " Remote leads "})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Remote leads"
    assert client.get(f"/api/v1/saved-searches/{saved['id']}").json()["name"] == "Remote leads"
    assert client.delete(f"/api/v1/saved-searches/{saved['id']}").status_code == 204
    assert client.get("/api/v1/saved-searches").json() == []
    gone = client.delete(f"/api/v1/saved-searches/{saved['id']}")
    assert gone.status_code == 404 and "no saved search" in gone.json()["detail"]


def test_the_api_refuses_filters_and_names_it_does_not_know(client):
    for body, says in [
        ({"filters": {"remote": ["sometimes"]}}, "remote"),
        ({"sort": "best"}, "sort"),
        ({"name": "   "}, "name"),
        ({"filters": {"min_salary": "lots"}}, "min_salary"),
        ({"filters": {"country": ["GBR"]}}, "country"),
    ]:
        refused = client.post("/api/v1/saved-searches", json=body)
        assert refused.status_code == 422 and says in refused.json()["detail"], body
    assert client.get("/api/v1/saved-searches").json() == []


@pytest.mark.parametrize("name", ["\x1f", "\x85", " \xa0\u2028 ", "\x1c\x1d"])
def test_a_name_the_store_would_refuse_is_refused_by_the_schema(name):
    """The OpenAPI schema promises what the store accepts: a name of spaces or control characters
    (str.split collapses both) is invalid by the schema itself (found by the API fuzz)."""
    with pytest.raises(InvalidSavedSearch):
        clean_name(name)
    with pytest.raises(ValidationError):
        SavedSearchRename(name=name)
    assert clean_name(f"{name}ML") == "ML" and SavedSearchRename(name=f"{name}ML")


def test_search_url_parameters_survive_a_save(client):
    params = SearchParams(
        family=["any"],
        remote=["remote"],
        country=["gb"],
        min_salary="185,500",
        currency="eur",
        period="month",
        convert=False,
        posted_within=30,
        years_max=8,
        unstated_pay=True,
        skill=["PyTorch"],
    )
    filters = filters_of(params)
    assert filters.country == ["GB"] and filters.salary_min == 185_500
    assert filters_of(params_of(filters)) == filters


def test_save_this_search_from_the_page_then_open_it(client, store):
    page = client.get("/?q=team&remote=remote")
    assert "Save this search" in page.text

    saved = client.post(
        "/saved?q=team&remote=remote&family=any&sort=newest", data={"name": "Remote teams"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/saved"
    listing = client.get("/saved")
    assert "Remote teams" in listing.text and "Nothing new since you last looked" in listing.text
    (kept,) = Workspace(store.engine).searches()
    assert kept.query == "team" and kept.filters.remote == ["remote"] and kept.sort == "newest"

    # A posting first seen after the search was saved (as a crawl would store it now).
    store_job(store, "9", "Remote ML team lead", "Lead the team.", seen_at=datetime.now(UTC))
    listing = client.get("/saved")
    assert "1 new" in listing.text and "2 open postings" in listing.text

    opened = client.get(f"/saved/{kept.id}")
    assert opened.status_code == 303
    assert opened.headers["location"] == "/?q=team&family=any&remote=remote&sort=newest"
    assert Workspace(store.engine).search(kept.id).last_seen_at > kept.last_seen_at
    assert "Nothing new since you last looked" in client.get("/saved").text


def test_the_page_renames_and_deletes(client, store):
    saved = Workspace(store.engine).add_search("ranking")

    assert client.post(f"/saved/{saved.id}/rename", data={"name": "Ranking"}).status_code == 303
    assert Workspace(store.engine).search(saved.id).name == "Ranking"
    assert client.post(f"/saved/{saved.id}/delete").status_code == 303
    assert Workspace(store.engine).searches() == []
    assert client.post(f"/saved/{saved.id}/delete").status_code == 404
    assert "No saved searches yet" in client.get("/saved").text


def test_a_form_another_site_sends_is_refused(client, store):
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = client.post("/saved?q=team", data={"name": "x"}, headers=headers)
        assert refused.status_code == 403
    assert Workspace(store.engine).searches() == []
    same = client.post("/saved?q=team", headers={"Origin": "http://testserver"})
    assert same.status_code == 303


def test_with_a_write_token_changes_need_it(store):
    fill(store)
    client = TestClient(
        create_app(store, SearchEngine(store), write_token="s3cret"), follow_redirects=False
    )
    assert client.post("/api/v1/saved-searches", json={"query": "team"}).status_code == 401
    assert client.post("/saved?q=team").status_code == 401
    allowed = client.post(
        "/api/v1/saved-searches",
        json={"query": "team"},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert allowed.status_code == 201
    for change in (client.patch, client.delete):
        kwargs = {"json": {"name": "x"}} if change is client.patch else {}
        assert change(f"/api/v1/saved-searches/{allowed.json()['id']}", **kwargs).status_code == 401
    assert client.get("/api/v1/saved-searches").status_code == 200  # reading needs no token


def test_the_feed_is_valid_atom_with_its_newest_open_postings(client, store):
    every_role = filters_of(SearchParams(family=["any"]))
    saved = Workspace(store.engine).add_search("lead", name="Leads", filters=every_role)
    store_job(
        store,
        "9",
        "ML team lead, Search",
        "Lead the search team.",
        seen_at=NOW + timedelta(hours=1),
        posted=False,
        url="https://jobs.example.com/acme/9",
    )
    store_job(store, "10", "ML team lead, Closed", "Lead a team.", seen_at=NOW + timedelta(hours=1))
    store.close_jobs(["greenhouse:acme:10"], at=NOW + timedelta(hours=2))

    answer = client.get(f"/feeds/{saved.id}.atom")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.title == "Leadboard: Leads"
    assert feed.feed.id == f"http://testserver/feeds/{saved.id}.atom"
    titles = [entry.title for entry in feed.entries]
    # Newest first: the undated posting by when it was first seen (in an hour), then the ranking
    # lead posted 3 days ago; never the closed one.
    assert titles == [
        "ML team lead, Search — Acme Inc",
        "Staff Machine Learning Engineer, Ranking — Acme Inc",
    ]
    undated, dated = feed.entries[0], feed.entries[1]
    assert undated.id == "http://testserver/jobs/greenhouse:acme:9"
    assert [(link.rel, link.href) for link in undated.links] == [
        ("alternate", "http://testserver/jobs/greenhouse:acme:9")
    ]
    content = undated.content[0]
    assert content.type == "text/html"
    assert '<a href="https://jobs.example.com/acme/9">The original posting</a>' in content.value
    first_seen = (NOW + timedelta(hours=1)).replace(microsecond=0)
    assert undated.updated_parsed[:6] == first_seen.timetuple()[:6]
    assert "published" not in undated  # no date of its own: none invented
    assert "First seen by Leadboard" in undated.summary and "no date of its own" in undated.summary
    posted = (NOW - timedelta(days=3)).replace(microsecond=0)
    assert dated.updated_parsed[:6] == posted.timetuple()[:6]
    assert dated.published_parsed[:6] == posted.timetuple()[:6]
    assert "the posting's own date" in dated.summary
    assert feed.feed.updated_parsed == undated.updated_parsed


def test_an_unknown_feed_is_not_found(client):
    assert client.get("/feeds/99.atom").status_code == 404
