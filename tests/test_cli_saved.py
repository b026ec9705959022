"""`leadboard saved`: add (with the filter options of `leadboard search`), list, rename and remove
saved searches, on both backends."""

from __future__ import annotations

import json

import pytest
from support.search_jobs import fill
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.store.repository import Store
from leadboard.workspace.store import Workspace

runner = CliRunner()


@pytest.fixture
def home(tmp_path, monkeypatch, database_url):
    """A store with the small search set, where `leadboard` finds it."""
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    store = Store.open(database_url)
    fill(store)
    yield store
    store.close()


def test_add_prints_its_id_name_query_and_feed(home):
    added = runner.invoke(
        app, ["saved", "add", "team", "--remote", "remote", "--min-salary", "200k", "--json"]
    )

    assert added.exit_code == 0, added.output
    answer = json.loads(added.stdout)
    assert answer == {"id": 1, "name": "team", "query": "team", "feed": "/feeds/1.atom"}
    (kept,) = Workspace(home.engine).searches()
    assert kept.filters.remote == ["remote"] and kept.filters.salary_min == 200_000


def test_list_rename_and_remove(home):
    runner.invoke(app, ["saved", "add", "team", "--name", "Teams"])
    runner.invoke(app, ["saved", "add", "", "--family", "any", "--sort", "newest"])

    listed = json.loads(runner.invoke(app, ["saved", "--json"]).stdout)
    assert [(s["id"], s["name"], s["sort"]) for s in listed] == [
        (1, "Teams", "relevance"),
        (2, "any", "newest"),  # named by its filters: every role family
    ]
    assert listed[0]["matching"] == 2 and listed[0]["new"] == 0  # the two ML teams, seen
    assert listed[1]["matching"] == 5
    text = runner.invoke(app, ["saved"]).stdout
    assert "Teams" in text and "0 new of 2 open" in text

    renamed = runner.invoke(app, ["saved", "rename", "1", "ML teams"])
    assert renamed.exit_code == 0 and "ML teams" in renamed.stdout
    removed = runner.invoke(app, ["saved", "remove", "2"])
    assert removed.exit_code == 0 and "any" in removed.stdout
    assert [s.name for s in Workspace(home.engine).searches()] == ["ML teams"]


def test_what_it_cannot_do_is_said_with_an_exit_status(home):
    unknown = runner.invoke(app, ["saved", "remove", "7"])
    assert unknown.exit_code == 1 and "no saved search with id 7" in unknown.output
    bad_sort = runner.invoke(app, ["saved", "add", "team", "--sort", "best"])
    assert bad_sort.exit_code == 2 and "--sort must be one of" in bad_sort.output
    bad_floor = runner.invoke(app, ["saved", "add", "team", "--min-salary", "lots"])
    assert bad_floor.exit_code == 2
    assert runner.invoke(app, ["saved", "rename", "7", "x"]).exit_code == 1
    assert Workspace(home.engine).searches() == []
