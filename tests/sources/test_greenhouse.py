"""Greenhouse: parse_job on hand-written and real records, and boards served from 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from leadboard.sources.greenhouse import GreenhouseConnector, parse_job
from leadboard.sources.http import HttpClient

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def board_fixture() -> dict[str, Any]:
    return json.loads((FIXTURES / "greenhouse_jobs.json").read_text())


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> GreenhouseConnector:
    return GreenhouseConnector(http, base_url=httpserver.url_for(""))


# --- parse_job ----------------------------------------------------------------------------------


def test_parse_job_reads_every_field() -> None:
    record = board_fixture()["jobs"][0]
    posting = parse_job(record, "acmeai", FETCHED)

    assert posting.key == "greenhouse:acmeai:4012345008"
    assert posting.url == "https://job-boards.greenhouse.io/acmeai/jobs/4012345008"
    assert posting.title == "Engineering Manager, Machine Learning Infrastructure"
    assert posting.company == "Acme AI"
    assert posting.locations == [
        "San Francisco, CA",
        "New York City, NY",
        "Remote-Friendly (Travel Required)",
    ]
    # entity-escaped HTML passes through untouched: normalize/ unescapes it
    assert posting.description == record["content"]
    assert posting.description.startswith("&lt;h2&gt;About the role")
    assert posting.description_format == "html"
    assert posting.posted_at == "2026-03-26T06:01:33-04:00"
    assert posting.updated_at == "2026-04-01T10:49:08-04:00"
    assert posting.requisition_id == "ML-2041"
    assert posting.workplace_type == "Hybrid"
    assert posting.employment_type == "Full-time"
    assert posting.payload == record
    assert posting.fetched_at == FETCHED
    assert posting.extra["departments"] == ["Engineering"]
    assert posting.extra["offices"] == ["San Francisco"]
    assert posting.extra["metadata"] == {"Location Type": "Hybrid", "Employment Type": "Full-time"}


def test_pay_input_ranges_span_the_zones_in_cents() -> None:
    salary = parse_job(board_fixture()["jobs"][0], "acmeai", FETCHED).salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.cents) == (
        27000000,
        40500000,
        "USD",
        True,
    )
    assert salary.period is None  # Greenhouse does not say; normalize decides


def test_hourly_pay_range_title_gives_the_period() -> None:
    posting = parse_job(board_fixture()["jobs"][3], "acmeai", FETCHED)
    assert posting.salary is not None
    assert (posting.salary.min, posting.salary.currency, posting.salary.period) == (
        9000,
        "CAD",
        "hour",
    )
    assert posting.description is None and posting.description_format is None  # "" content


def test_ranges_in_a_second_currency_are_not_merged() -> None:
    record = {
        "id": 1,
        "title": "ML Lead",
        "pay_input_ranges": [
            {"min_cents": 10000000, "max_cents": 15000000, "currency_type": "GBP", "title": "UK"},
            {"min_cents": 20000000, "max_cents": 25000000, "currency_type": "USD", "title": "US"},
        ],
    }
    salary = parse_job(record, "b", FETCHED).salary
    assert salary is not None and (salary.min, salary.max, salary.currency) == (
        10000000,
        15000000,
        "GBP",
    )


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"name": "Dublin, IE"}, ["Dublin, IE"]),
        ({"name": "Doha, Qatar ; Dubai, UAE"}, ["Doha, Qatar", "Dubai, UAE"]),
        (
            {"name": "Mountain View, California, US; New York City, New York, US"},
            ["Mountain View, California, US", "New York City, New York, US"],
        ),
        ({"name": "London;; "}, ["London"]),
        ({"name": ""}, []),
        ({"name": None}, []),
        (None, []),
        ("Remote", ["Remote"]),
    ],
)
def test_locations(location: Any, expected: list[str]) -> None:
    assert parse_job({"id": 1, "title": "T", "location": location}, "b", FETCHED).locations == (
        expected
    )


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (None, "not an object"),
        (["id", 1], "not an object"),
        ({"title": "ML Lead"}, "no id"),
        ({"id": "", "title": "ML Lead"}, "no id"),
        ({"id": 5}, "no title"),
        ({"id": 5, "title": "   "}, "no title"),
    ],
)
def test_unusable_records_raise_value_error(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_job(record, "b", FETCHED)


def test_odd_field_shapes_do_not_crash() -> None:
    posting = parse_job(
        {
            "id": 9,
            "title": "Head of AI",
            "metadata": "oops",
            "location": ["x"],
            "pay_input_ranges": [{"min_cents": "lots", "max_cents": None}, "junk"],
            "departments": [None, {"name": "Research"}],
            "requisition_id": 1812,
            "content": {"not": "text"},
        },
        "b",
        FETCHED,
    )
    assert posting.salary is None and posting.locations == [] and posting.description is None
    assert posting.requisition_id == "1812" and posting.extra["departments"] == ["Research"]


@pytest.mark.shared_data
def test_every_real_record_in_the_ai_labs_dump_parses(shared_data_dir: Path) -> None:
    dump = shared_data_dir / "postings" / "ai-labs-2026-04" / "postings.jsonl"
    checked = 0
    for line in dump.read_text().splitlines():
        row = json.loads(line)
        record = row["extra"].get("raw_record")
        if row["extra"].get("ats") != "greenhouse" or record is None:
            continue
        board = row["url"].split("/")[3]
        posting = parse_job(record, board, FETCHED)
        assert posting.title == row["title"].strip()
        assert posting.url == record["absolute_url"]
        assert posting.company == record["company_name"].strip()
        assert " ".join("; ".join(posting.locations).split()) == " ".join(
            row["location"].replace(" ;", ";").split()
        )
        assert posting.posted_at == record["first_published"]
        checked += 1
    assert checked > 2000


@pytest.mark.shared_data
def test_format_samples_parse(shared_data_dir: Path) -> None:
    folder = shared_data_dir / "postings/ai-labs-2026-04/ats-format-samples"
    samples = [
        s
        for s in json.loads((folder / "greenhouse_records_sample.json").read_text())
        if s["raw_record"]
    ]
    postings = [parse_job(s["raw_record"], "sample", FETCHED) for s in samples]
    assert [p.url for p in postings] == [s["raw_record"]["absolute_url"] for s in samples]
    assert all(p.requisition_id or p.payload["requisition_id"] is None for p in postings)
    assert any(len(p.locations) > 1 for p in postings)  # "A; B" names split


# --- the board fetcher --------------------------------------------------------------------------


def test_board_end_to_end(httpserver: HTTPServer, connector: GreenhouseConnector) -> None:
    httpserver.expect_request(
        "/v1/boards/acmeai/jobs", query_string={"content": "true"}
    ).respond_with_json(board_fixture())
    fetch = connector.fetch("acmeai", company="Acme (from boards.csv)")

    assert fetch.error is None and fetch.complete is True
    assert (fetch.source, fetch.board) == ("greenhouse", "acmeai")
    assert [p.external_id for p in fetch.postings] == ["4012345008", "4012345009", "4012345011"]
    assert fetch.postings[0].company == "Acme AI"  # the record's own name wins
    [reject] = fetch.rejects
    assert reject.source == "greenhouse:acmeai" and reject.where == "job 4012345010"
    assert "no title" in reject.reason and "4012345010" in (reject.sample or "")


def test_404_board_is_an_error_not_an_exception(
    httpserver: HTTPServer, connector: GreenhouseConnector
) -> None:
    httpserver.expect_request("/v1/boards/nosuch/jobs").respond_with_json(
        {"status": 404, "error": "Job board not found"}, status=404
    )
    fetch = connector.fetch("nosuch")
    assert fetch.complete is False and fetch.postings == []
    assert fetch.error is not None and fetch.error.startswith("greenhouse board 'nosuch'")
    assert "HTTP 404" in fetch.error


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html><body>Maintenance</body></html>", "is not JSON"),
        ('{"jobs": [{"id": 1,', "is not JSON"),
        ('{"error": "nope"}', "no 'jobs' list"),
        ("[1, 2]", "no 'jobs' list"),
    ],
)
def test_bad_bodies(
    httpserver: HTTPServer, connector: GreenhouseConnector, body: str, message: str
) -> None:
    httpserver.expect_request("/v1/boards/acmeai/jobs").respond_with_data(
        body, content_type="application/json"
    )
    fetch = connector.fetch("acmeai")
    assert fetch.complete is False and message in (fetch.error or "")


def test_listing_shorter_than_its_total_is_incomplete(
    httpserver: HTTPServer, connector: GreenhouseConnector
) -> None:
    body = board_fixture()
    body["meta"]["total"] = 40
    httpserver.expect_request("/v1/boards/acmeai/jobs").respond_with_json(body)
    fetch = connector.fetch("acmeai")
    assert fetch.complete is False and len(fetch.postings) == 3
    assert "got 4 of 40 jobs" in (fetch.error or "")


def test_base_url_from_environment(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOARD_GREENHOUSE_API", httpserver.url_for("/"))
    httpserver.expect_request("/v1/boards/acmeai/jobs").respond_with_json({"jobs": []})
    with HttpClient(min_interval=0, retries=0) as http:
        fetch = GreenhouseConnector(http).fetch("acmeai")
    assert fetch.complete is True and fetch.postings == [] and fetch.error is None
