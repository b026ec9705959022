"""`leadboard` end to end: import, crawl against a local board, list, show, stats."""

import json

import pytest
from typer.testing import CliRunner

from leadboard.cli import app

runner = CliRunner()

GOOD_ROWS = [
    {
        "id": "t-1",
        "source": "test-dump",
        "url": "https://jobs.example.com/1",
        "company": "Acme AI",
        "title": "Staff Machine Learning Engineer",
        "location": "Remote - US",
        "description": "<p>Lead our <b>ranking</b> team.</p>",
        "description_format": "html",
        "posted_at": "2026-05-01T10:00:00Z",
        "salary_text": "$200K – $250K",
        "extra": {},
    },
    {
        "id": "t-2",
        "source": "test-dump",
        "url": "https://jobs.example.com/2",
        "company": "Beta Labs",
        "title": "Head of AI",
        "location": "London, UK",
        "description": "Build and run the applied AI group.",
        "description_format": "text",
        "posted_at": "2026-04-01",
        "salary_text": "£150,000 per annum",
        "extra": {},
    },
    {
        "id": "t-3",
        "source": "test-dump",
        "url": None,
        "company": "Gamma",
        "title": "ML Engineering Manager",
        "location": "Berlin, Germany",
        "description": "Manage eight engineers.",
        "description_format": "text",
        "posted_at": "not a date",
        "salary_text": None,
        "extra": {},
    },
]


@pytest.fixture
def home(tmp_path, monkeypatch, database_url, models_dir):
    """A fresh LEADBOARD_HOME, with the store on each selected backend (and the session's small
    role model)."""
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEADBOARD_DATABASE_URL", database_url)
    return tmp_path


def write_dump(path, rows, bad_lines=()):
    lines = [json.dumps(row) for row in rows] + list(bad_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_import_list_show_stats_and_reimport_changes_nothing(home):
    dump = write_dump(home / "dump.jsonl", GOOD_ROWS)
    first = run("import", dump, "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert (summary["read"], summary["inserted"], summary["rejected"]) == (3, 3, 0)

    again = json.loads(run("import", dump, "--json").output)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)

    listed = json.loads(run("jobs", "--json").output)
    # Newest first by the dates the postings gave; one without a date is never "new": last.
    assert [job["title"] for job in listed] == [
        "Staff Machine Learning Engineer",
        "Head of AI",
        "ML Engineering Manager",
    ]
    assert listed[2]["posted_at"] is None
    staff = listed[0]
    assert staff["remote"] == "remote"
    assert staff["salary"] == {
        "min": 200000.0,
        "max": 250000.0,
        "currency": "USD",
        "period": "year",
    }

    shown = run("show", staff["id"])
    assert shown.exit_code == 0
    assert "Lead our ranking team." in shown.output and "<b>" not in shown.output

    remote_only = json.loads(run("jobs", "--remote", "remote", "--json").output)
    assert [job["id"] for job in remote_only] == [staff["id"]]

    numbers = json.loads(run("stats", "--json").output)
    assert numbers["jobs"] == 3 and numbers["with_salary"] == 2
    assert numbers["salary_currency"] == {"None": 1, "USD": 1, "GBP": 1}


def test_bad_records_are_rejected_with_reasons_and_the_rest_is_stored(home):
    missing_title = dict(GOOD_ROWS[0], id="t-9", title="")
    dump = write_dump(home / "dump.jsonl", [GOOD_ROWS[0], missing_title], ["{not json"])
    result = run("import", dump)
    assert result.exit_code == 3, result.output  # done, with rejects
    assert "rejected 1" in result.output
    numbers = json.loads(run("stats", "--json").output)
    assert numbers["jobs"] == 1
    assert numbers["errors"] == 2


def test_unknown_paths_and_ids_give_clear_errors(home):
    result = run("import", home / "nope.jsonl")
    assert result.exit_code == 1 and "No such file" in result.output
    shown = run("show", "greenhouse:nope:1")
    assert shown.exit_code == 1 and "No job" in shown.output
    assert run("jobs", "--remote", "mars").exit_code == 2


def test_empty_store_lists_nothing_helpfully(home):
    result = run("jobs")
    assert result.exit_code == 0 and "leadboard import" in result.output


def greenhouse_job(job_id, title, content):
    return {
        "id": job_id,
        "title": title,
        "updated_at": "2026-05-01T10:00:00-04:00",
        "first_published": "2026-04-20T09:00:00-04:00",
        "requisition_id": f"R-{job_id}",
        "absolute_url": f"https://job-boards.greenhouse.io/acme/jobs/{job_id}",
        "location": {"name": "San Francisco, CA; Remote - US"},
        "company_name": "Acme",
        "content": content,
        "metadata": [],
        "pay_input_ranges": [],
    }


def test_crawl_a_local_board_then_notice_a_closed_posting(home, httpserver, monkeypatch):
    monkeypatch.setenv("LEADBOARD_GREENHOUSE_API", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", "0")
    jobs = [
        greenhouse_job(1, "Staff ML Engineer", "&lt;p&gt;Lead &amp;amp; mentor.&lt;/p&gt;"),
        greenhouse_job(2, "Head of AI", "&lt;p&gt;Build the AI org.&lt;/p&gt;"),
    ]
    path = "/v1/boards/acme/jobs"
    httpserver.expect_request(path).respond_with_json({"jobs": jobs, "meta": {"total": 2}})
    first = json.loads(run("crawl", "greenhouse:acme", "--json").output)
    assert (first["inserted"], first["closed"], first["failed"]) == (2, 0, [])
    shown = json.loads(run("show", "greenhouse:acme:1", "--json").output)
    assert shown["description"] == "Lead & mentor."
    assert shown["remote"] in {"remote", "hybrid"}

    httpserver.clear()
    httpserver.expect_request(path).respond_with_json({"jobs": jobs[:1], "meta": {"total": 1}})
    second = json.loads(run("crawl", "greenhouse:acme", "--json").output)
    assert (second["inserted"], second["unchanged"], second["closed"]) == (0, 1, 1)
    open_jobs = json.loads(run("jobs", "--json").output)
    assert [job["id"] for job in open_jobs] == ["greenhouse:acme:1"]


def test_a_failing_board_is_named_and_the_others_are_stored(home, httpserver, monkeypatch):
    monkeypatch.setenv("LEADBOARD_GREENHOUSE_API", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", "0")
    httpserver.expect_request("/v1/boards/good/jobs").respond_with_json(
        {"jobs": [greenhouse_job(5, "ML Lead", "&lt;p&gt;Hi&lt;/p&gt;")], "meta": {"total": 1}}
    )
    httpserver.expect_request("/v1/boards/broken/jobs").respond_with_data("<html>oops", status=200)
    result = run("crawl", "greenhouse:good", "greenhouse:broken")
    assert result.exit_code == 3, result.output
    assert "FAILED greenhouse:broken" in result.output
    assert json.loads(run("stats", "--json").output)["jobs"] == 1


def test_crawl_rejects_unknown_board_kinds(home):
    result = run("crawl", "monster:acme")
    assert result.exit_code == 2 and "monster" in result.output


def test_offline_crawl_stops_early_and_says_how_to_import(home, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nothing listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("LEADBOARD_GREENHOUSE_API", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", "0")
    boards = [f"greenhouse:board{i}" for i in range(8)]
    result = run("crawl", *boards, "--concurrency", "2", "--json")
    assert result.exit_code == 0, result.output  # offline is no failure: nothing to fetch
    summary = json.loads(result.output)
    assert summary["status"] == "offline" and "leadboard import" in summary["message"]
    assert summary["boards"] == 2  # gave up after the first two


@pytest.mark.shared_data
def test_real_dumps_import_twice_without_changes(home, shared_data_dir):
    """A real folder (HTML from Greenhouse/Ashby) and the raw ATS record samples beside another."""
    folders = [
        shared_data_dir / "postings/ai-labs-2025-08",
        shared_data_dir / "postings/ai-labs-2026-04/ats-format-samples",
    ]
    first = json.loads(run("import", *folders, "--json").output)
    assert first["inserted"] > 300 and first["failed"] == []
    # The four placeholder rows in the samples have no title: rejected, with the reason.
    assert first["rejects_by_reason"] == {"missing title": first["rejected"]}
    again = json.loads(run("import", *folders, "--json").output)
    assert (again["inserted"], again["updated"]) == (0, 0)
    assert again["unchanged"] == first["inserted"] + first["unchanged"]
    numbers = json.loads(run("stats", "--json").output)
    assert numbers["jobs"] == first["inserted"]
    assert numbers["raw_postings"] >= numbers["jobs"]
    # Raw Greenhouse records are keyed like a live crawl of their board.
    assert numbers["by_source"].get("greenhouse", 0) > 0
    # Both dumps are months old (2025-08, 2026-04 by their folders): stale, listed only on request.
    assert numbers["stale"] == numbers["jobs"] and numbers["open"] == 0
    assert json.loads(run("jobs", "--source", "greenhouse", "--json").output) == []
    jobs = json.loads(
        run("jobs", "--source", "greenhouse", "--closed", "--limit", "5", "--json").output
    )
    assert all(job["id"].startswith("greenhouse:") for job in jobs) and jobs


# --- Enrichment in the store -------------------------------------------------------------------


def test_import_enriches_what_it_stores_and_show_gives_the_evidence(home, models_dir):
    dump = write_dump(home / "dump.jsonl", GOOD_ROWS)
    summary = json.loads(run("import", dump, "--json").output)
    enrichment = summary["enrichment"]
    assert enrichment["enriched"] == 3 and enrichment["embedded"] == 0
    numbers = json.loads(run("stats", "--json").output)
    assert numbers["enriched"] == 3 and sum(numbers["by_seniority"].values()) == 3
    assert numbers["by_seniority"]["staff"] == 1 and numbers["by_seniority"]["manager"] == 1

    detail = json.loads(run("show", "file:test-dump:t-1", "--json").output)["enrichment"]
    assert detail["seniority"] == "staff" and detail["model_version"] == enrichment["version"]
    shown = run("show", "file:test-dump:t-1").output
    assert "seniority: staff" in shown and "enriched by" in shown

    again = json.loads(run("import", dump, "--json").output)
    assert again["enrichment"]["enriched"] == 0  # nothing changed, nothing redone
    # The packaged role model: families on a fresh home, nothing trained into models_dir.
    assert enrichment["problems"] == [] and "+role-" in enrichment["version"]
    assert sum(numbers["by_role_family"].values()) == 3 and not list(models_dir.iterdir())


def test_import_without_enrichment_then_enrich_the_store(home):
    dump = write_dump(home / "dump.jsonl", GOOD_ROWS)
    summary = json.loads(run("import", dump, "--no-enrich", "--json").output)
    assert "enrichment" not in summary
    assert json.loads(run("stats", "--json").output)["enriched"] == 0

    result = run("enrich", "--no-embeddings")
    assert result.exit_code == 0, result.output
    assert "enriched 3 jobs" in result.output
    assert json.loads(run("enrich", "--no-embeddings", "--json").output)["enriched"] == 0


def test_enrich_embeds_the_open_jobs(home):
    from leadboard.enrich.embeddings import EmbeddingsUnavailable, model_dir

    try:
        model_dir()
    except EmbeddingsUnavailable as error:
        pytest.skip(str(error))
    write_dump(home / "dump.jsonl", GOOD_ROWS)
    run("import", home / "dump.jsonl", "--no-enrich")
    summary = json.loads(run("enrich", "--json").output)
    assert (summary["enriched"], summary["embedded"]) == (3, 3)
    assert summary["embedding_model"] == "all-MiniLM-L6-v2:int8:128"
    assert json.loads(run("stats", "--json").output)["embedded"] == 3


def test_without_a_role_model_or_labels_enrichment_says_so(home, monkeypatch, tmp_path):
    from leadboard.enrich import training

    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(tmp_path / "empty-models"))
    # A broken install: not even the packaged model.
    monkeypatch.setattr(training, "PACKAGED_ROLE_MODEL_DIR", tmp_path / "not-installed")
    monkeypatch.setenv("LEADBOARD_DATA_DIR", str(tmp_path / "no-data"))
    dump = write_dump(home / "dump.jsonl", GOOD_ROWS)
    result = run("import", dump)
    assert result.exit_code == 0, result.output
    assert "no role families: no role model" in result.output and "leadboard train" in result.output
    numbers = json.loads(run("stats", "--json").output)
    assert numbers["enriched"] == 3 and numbers["by_role_family"] == {"None": 3}


def test_train_writes_a_model_the_next_enrichment_uses(
    home, monkeypatch, tmp_path, shared_data_dir
):
    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(tmp_path / "models"))
    result = run("train", "--limit", "60", "--no-weak", "--no-extra", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["labelled"] == {"dev_tune": 60} and report["weak"] == 0
    assert (tmp_path / "models" / "role" / "role_model.zip").is_file()
    dump = write_dump(home / "dump.jsonl", GOOD_ROWS)
    summary = json.loads(run("import", dump, "--json").output)
    assert summary["enrichment"]["problems"] == []
    assert "+role-" in summary["enrichment"]["version"]


def test_search_answers_the_api_contract_as_json(home):
    dump = write_dump(home / "dump.jsonl", GOOD_ROWS)
    run("import", dump)
    result = run("search", "ranking team remote", "--family", "any", "--words-only", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert set(answer) >= {"total", "query", "results", "facets"}
    assert answer["total"] == 1
    assert answer["query"]["chips"][0]["kind"] == "remote"
    top = answer["results"][0]
    assert top["job"]["title"] == "Staff Machine Learning Engineer" and top["score"] > 0
    assert set(top["job"]) >= {
        "id",
        "title",
        "company",
        "location",
        "remote",
        "salary",
        "seniority",
        "skills",
    }
    assert "<mark>ranking</mark>" in top["highlights"][0]
    text = run("search", "head of ai", "--family", "any", "--words-only")
    assert text.exit_code == 0 and "Head of AI" in text.output
    assert run("search", "x", "--sort", "cheapest").exit_code == 2
    assert run("search", "x", "--min-salary", "lots").exit_code == 2


def test_an_empty_store_trains_no_model(home, monkeypatch, tmp_path):
    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(tmp_path / "no-models-yet"))
    result = run("enrich", "--no-embeddings", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["enriched"] == 0
    assert not (tmp_path / "no-models-yet").exists()  # the shared data was there: still no training


def test_jobs_and_show_print_the_same_job_cards_the_api_answers(home):
    from fastapi.testclient import TestClient

    from leadboard.search.engine import SearchEngine
    from leadboard.store.repository import Store
    from leadboard.web.app import create_app

    assert run("import", write_dump(home / "dump.jsonl", GOOD_ROWS)).exit_code == 0
    listed = json.loads(run("jobs", "--json").output)
    store = Store.open()
    api = TestClient(create_app(store, SearchEngine(store)))
    for card in listed:
        assert api.get(f"/api/v1/jobs/{card['id']}").json()["job"] == card
    assert listed[0]["seniority"] == "staff" and listed[0]["role_family"]  # enriched on import
    shown = json.loads(run("show", listed[0]["id"], "--json").output)
    assert {key: shown[key] for key in listed[0]} == listed[0]  # the card, then the details
    assert shown["description"] and "remote_regions" in shown
