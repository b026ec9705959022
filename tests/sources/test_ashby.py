"""Ashby: parse_job on hand-written and real records, and boards served from 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from leadboard.sources.ashby import AshbyConnector, parse_job
from leadboard.sources.http import HttpClient

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PATH = "/posting-api/job-board/acme"


def board_fixture() -> dict[str, Any]:
    return json.loads((FIXTURES / "ashby_board.json").read_text())


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> AshbyConnector:
    return AshbyConnector(http, base_url=httpserver.url_for(""))


# --- parse_job ----------------------------------------------------------------------------------


def test_parse_job_reads_every_field() -> None:
    record = board_fixture()["jobs"][0]
    posting = parse_job(record, "acme", FETCHED)

    assert posting.key == "ashby:acme:0b6a1f1e-1111-4a2b-9c3d-000000000001"
    assert posting.url == record["jobUrl"]
    assert posting.title == "Manager, Applied Machine Learning"
    assert posting.locations == ["San Francisco", "Seattle", "New York"]
    assert posting.description == record["descriptionHtml"]
    assert posting.description_format == "html"
    assert posting.posted_at == "2026-03-30T17:04:12.511+00:00"
    assert posting.updated_at == "2026-04-05T09:12:00.000+00:00"
    assert posting.workplace_type == "Hybrid"
    assert posting.employment_type == "FullTime"
    assert posting.salary_text == "$260K – $340K • Offers Equity"
    assert posting.payload == record
    assert posting.extra["department"] == "Research" and posting.extra["team"] == "Applied ML"
    assert posting.extra["is_listed"] is True
    assert len(posting.extra["compensation_tiers"]) == 1
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period, salary.cents) == (
        260000,
        340000,
        "USD",
        "1 YEAR",
        False,
    )


def test_is_remote_plain_text_and_hourly_pay() -> None:
    posting = parse_job(board_fixture()["jobs"][2], "acme", FETCHED)
    assert posting.workplace_type == "Remote"  # from isRemote: workplaceType is null
    assert (posting.description, posting.description_format) == (
        "Build evaluation suites for frontier models.",
        "text",
    )
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (90, 120, "EUR", "1 HOUR")
    assert posting.employment_type == "Contract"


def test_unlisted_job_parses_and_is_flagged() -> None:
    posting = parse_job(board_fixture()["jobs"][1], "acme", FETCHED)
    assert posting.extra["is_listed"] is False
    assert posting.title == "Internal Transfer: Staff ML Engineer"


def test_salary_from_the_first_tier_when_no_summary_components() -> None:
    record = board_fixture()["jobs"][0]
    del record["compensation"]["summaryComponents"]
    salary = parse_job(record, "acme", FETCHED).salary
    assert salary is not None and (salary.min, salary.max) == (260000, 340000)


@pytest.mark.parametrize(
    "compensation",
    [
        None,
        "lots",
        {"summaryComponents": [{"compensationType": "EquityPercentage", "minValue": 0.1}]},
        {"summaryComponents": [{"compensationType": "Salary", "minValue": None}]},
        {"summaryComponents": "junk", "compensationTiers": [None]},
    ],
)
def test_compensation_without_salary_is_no_hint(compensation: Any) -> None:
    record = {"id": "x", "title": "T", "compensation": compensation}
    assert parse_job(record, "acme", FETCHED).salary is None


def test_older_job_board_shape_from_dumps() -> None:
    record = {
        "id": "52263a22-1621-4dbb-9a11-ae4490f2acc8",
        "title": "Head of Applied AI",
        "updatedAt": "2026-01-22T05:36:07.443Z",
        "departmentName": "Applied AI",
        "teamName": "Solutions",
        "locationName": "Seoul, South Korea",
        "workplaceType": "Hybrid",
        "employmentType": "FullTime",
        "isListed": True,
        "jobRequisitionId": "REQ-77",
        "publishedDate": "2026-01-22",
        "applicationDeadline": "2026-04-30T07:00:00.000Z",
        "secondaryLocations": [{"locationId": "l2", "locationName": "Tokyo, Japan"}],
        "compensationTierSummary": "$232K – $350K • Offers Equity",
    }
    posting = parse_job(record, "openai", FETCHED)
    assert posting.url == "https://jobs.ashbyhq.com/openai/52263a22-1621-4dbb-9a11-ae4490f2acc8"
    assert posting.locations == ["Seoul, South Korea", "Tokyo, Japan"]
    assert posting.posted_at == "2026-01-22" and posting.closes_at == "2026-04-30T07:00:00.000Z"
    assert posting.requisition_id == "REQ-77"
    assert posting.salary_text == "$232K – $350K • Offers Equity" and posting.salary is None
    assert posting.extra["department"] == "Applied AI" and posting.extra["team"] == "Solutions"
    assert posting.description is None


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (42, "not an object"),
        ({"title": "T"}, "no id"),
        ({"id": "x", "title": None}, "no title"),
    ],
)
def test_unusable_records_raise_value_error(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_job(record, "acme", FETCHED)


@pytest.mark.shared_data
def test_every_real_record_in_the_ai_labs_dump_parses(shared_data_dir: Path) -> None:
    dump = shared_data_dir / "postings" / "ai-labs-2026-04" / "postings.jsonl"
    checked = with_salary_text = 0
    for line in dump.read_text().splitlines():
        row = json.loads(line)
        if row["extra"].get("ats") != "ashby":
            continue
        posting = parse_job(row["extra"]["raw_record"], "openai", FETCHED)
        assert posting.url == row["url"]
        assert posting.title == row["title"].strip()
        assert posting.locations[0] == row["location"]
        assert posting.posted_at == row["extra"]["raw_record"]["publishedDate"]
        with_salary_text += posting.salary_text is not None
        checked += 1
    assert checked > 1000 and with_salary_text > 1000


# --- the board fetcher --------------------------------------------------------------------------


def test_board_end_to_end(httpserver: HTTPServer, connector: AshbyConnector) -> None:
    httpserver.expect_request(PATH, query_string={"includeCompensation": "true"}).respond_with_json(
        board_fixture()
    )
    fetch = connector.fetch("acme", company="Acme")

    assert fetch.error is None and fetch.complete is True
    assert [p.external_id[-1] for p in fetch.postings] == ["1", "3"]  # unlisted job left out
    assert {p.company for p in fetch.postings} == {"Acme"}
    [reject] = fetch.rejects
    assert (reject.source, reject.where) == ("ashby:acme", "jobs[3]")
    assert "not an object" in reject.reason


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, '{"success": false}', "HTTP 404"),
        (200, "<!doctype html><title>Ashby</title>", "is not JSON"),
        (200, '{"apiVersion": "1"}', "no 'jobs' list"),
    ],
)
def test_bad_board_is_an_error(
    httpserver: HTTPServer, connector: AshbyConnector, status: int, body: str, message: str
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        body, status=status, content_type="application/json"
    )
    fetch = connector.fetch("acme")
    assert fetch.complete is False and fetch.postings == []
    assert (fetch.error or "").startswith("ashby board 'acme'") and message in (fetch.error or "")


def test_base_url_from_environment(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOARD_ASHBY_API", httpserver.url_for("/"))
    httpserver.expect_request(PATH).respond_with_json({"jobs": []})
    with HttpClient(min_interval=0, retries=0) as http:
        assert AshbyConnector(http).fetch("acme").complete is True
