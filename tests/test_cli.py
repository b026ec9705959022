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
def home(tmp_path, monkeypatch, database_url):
    """A fresh LEADBOARD_HOME, with the store on each selected backend."""
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
    # Newest first; a posting without a date counts from when it was first seen (today).
    assert [job["title"] for job in listed] == [
        "ML Engineering Manager",
        "Staff Machine Learning Engineer",
        "Head of AI",
    ]
    staff = listed[1]
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
    result = run("crawl", *boards, "--concurrency", "2")
    assert result.exit_code == 1
    assert "no internet access" in result.output and "leadboard import" in result.output
    assert "boards: 2 fetched, 2 failed" in result.output  # gave up after the first two


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
    jobs = json.loads(run("jobs", "--source", "greenhouse", "--limit", "5", "--json").output)
    assert all(job["id"].startswith("greenhouse:") for job in jobs) and jobs
