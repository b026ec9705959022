"""A fresh install, as a new user meets it: no ``../shared`` beside the checkout, no model
trained, no internet, nothing stored. Each command still does something useful and says what."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.enrich.role import MODEL_FILE, ROLE_MODEL_VERSION, RoleClassifier
from leadboard.enrich.training import PACKAGED_ROLE_MODEL_DIR, load_role_model
from leadboard.search.engine import SearchEngine
from leadboard.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()
POSTINGS = [
    {
        "id": "lead",
        "title": "Head of Machine Learning",
        "company": "Acme",
        "location": "Remote",
        "description": "Lead a team of ML engineers building ranking models; hire and mentor.",
    },
    {
        "id": "sales",
        "title": "Account Executive",
        "company": "Acme",
        "location": "NYC",
        "description": "Own a sales quota and grow customer accounts.",
    },
]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty home, an empty models folder and no shared data: a new user's machine."""
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LEADBOARD_DATABASE_URL", raising=False)
    (tmp_path / "models").mkdir()
    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("LEADBOARD_DATA_DIR", str(tmp_path / "no-shared-data"))
    return tmp_path


def test_the_packaged_role_model_loads_without_pickle_and_is_small():
    model = RoleClassifier.load(PACKAGED_ROLE_MODEL_DIR)
    assert model.version == ROLE_MODEL_VERSION
    meta = json.loads((PACKAGED_ROLE_MODEL_DIR / "role_model.json").read_text())
    assert meta["name"] == model.name and meta["n_weak"] > 0  # the full training, not a sample
    assert (PACKAGED_ROLE_MODEL_DIR / MODEL_FILE).stat().st_size < 4_500_000


def test_the_packaged_model_is_package_data():
    """`pip install` copies it: pyproject's package-data names every file of the folder."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["leadboard"]
    package = PACKAGED_ROLE_MODEL_DIR.parents[2]
    files = [p.relative_to(package).as_posix() for p in PACKAGED_ROLE_MODEL_DIR.iterdir()]
    assert MODEL_FILE in {name.rsplit("/", 1)[-1] for name in files}
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in files)


def test_enrich_a_file_on_a_fresh_machine_gives_families_and_probabilities(fresh):
    source = fresh / "in.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in POSTINGS), encoding="utf-8")
    result = runner.invoke(app, ["enrich", "--input", str(source), "--output", str(fresh / "o")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (fresh / "o").read_text().splitlines()]
    assert [line["role_family"] for line in lines] == ["ml_leadership", "other"]
    assert lines[0]["ml_leadership"] > 0.5 > lines[1]["ml_leadership"]
    assert not list((fresh / "models").iterdir())  # nothing was trained on the way


def test_the_users_own_model_wins_over_the_packaged_one(fresh):
    postings = [
        {"title": t}
        for t in (
            "Staff ML Engineer",
            "ML Engineer",
            "Data Analyst",
            "Backend Engineer",
            "Account Executive",
        )
    ] * 4
    labels = ["ml_leadership", "ml_ic", "data", "software", "other"] * 4
    own = RoleClassifier().fit(postings, labels).save(fresh / "models" / "role")
    assert load_role_model().name == RoleClassifier.load(own).name
    assert load_role_model().name != RoleClassifier.load(PACKAGED_ROLE_MODEL_DIR).name


def test_an_offline_crawl_says_so_and_exits_0_then_stats_runs(fresh, monkeypatch):
    for kind in ("GREENHOUSE", "LEVER", "LEVER_EU", "ASHBY"):  # port 9 (discard): refused
        monkeypatch.setenv(f"LEADBOARD_{kind}_API", "http://127.0.0.1:9")
    monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", "0")
    crawled = runner.invoke(app, ["crawl", "greenhouse:a", "lever:b", "ashby:c"])
    assert crawled.exit_code == 0, crawled.output
    assert "no job board could be reached (offline?): nothing fetched" in crawled.output
    assert "leadboard import" in crawled.output and "fetched, 3 failed" not in crawled.output
    as_json = json.loads(runner.invoke(app, ["crawl", "greenhouse:a", "--json"]).output)
    assert as_json["status"] == "offline" and "leadboard import" in as_json["message"]
    stats = runner.invoke(app, ["stats"])
    assert stats.exit_code == 0, stats.output


def test_the_search_page_of_an_empty_store_says_how_to_fill_it(store):
    page = TestClient(create_app(store, SearchEngine(store))).get("/").text
    assert "No jobs stored yet" in page and "leadboard crawl" in page
    assert "No jobs match" not in page
