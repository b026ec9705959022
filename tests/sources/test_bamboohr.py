"""BambooHR: the recorded careers lists, and tenants served from 127.0.0.1 with their details.

No recorded ``/careers/{id}/detail`` response exists (see the fixtures' SOURCE.txt): the detail
bodies here are built from the documented shape (``{"meta": {"jobOpeningStatus": "Open"},
"result": {"jobOpening": {jobOpeningShareUrl, description, datePosted, compensation, …}}}``),
with the listing's own values where the two overlap.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.bamboohr import BambooHRConnector, parse_job
from leadboard.sources.http import HttpClient

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LIST = "/aca.bamboohr.com/careers/list"


def detail_path(job_id: str, tenant: str = "aca") -> str:
    return f"/{tenant}.bamboohr.com/careers/{job_id}/detail"


def detail_body(record: dict[str, Any], tenant: str = "aca", **fields: Any) -> dict[str, Any]:
    """A detail answer in the documented shape, for a listing record (no recording exists)."""
    opening = {
        "jobOpeningShareUrl": f"https://{tenant}.bamboohr.com/careers/{record['id']}",
        "jobOpeningName": record["jobOpeningName"],
        "jobOpeningStatus": "Open",
        "departmentLabel": record.get("departmentLabel"),
        "employmentStatusLabel": record.get("employmentStatusLabel"),
        "location": record.get("location"),
        "atsLocation": record.get("atsLocation"),
        "isRemote": record.get("isRemote"),
        "locationType": record.get("locationType"),
        "description": f"<p>About {record['jobOpeningName']}.</p>",
        "datePosted": "2026-04-0" + str(int(record["id"]) % 9 + 1),
        "minimumExperience": "Experienced",
        "compensation": None,
    }
    opening.update(fields)
    return {
        "meta": {"jobOpeningStatus": "Open"},
        "result": {"jobOpening": opening, "formFields": {}},
    }


@pytest.fixture
def fixtures(ats_fixtures: Path) -> Path:
    return ats_fixtures / "bamboohr"


def load(fixtures: Path, name: str) -> dict[str, Any]:
    return json.loads((fixtures / name).read_text())


def serve_details(server: HTTPServer, records: list[dict[str, Any]], tenant: str = "aca") -> None:
    for record in records:
        server.expect_request(detail_path(record["id"], tenant)).respond_with_json(
            detail_body(record, tenant)
        )


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> BambooHRConnector:
    return BambooHRConnector(http, base_url=httpserver.url_for(""))


# --- the recorded lists -------------------------------------------------------------------------


def test_recorded_list_records_parse_without_detail(fixtures: Path) -> None:
    records = load(fixtures, "list-aca.json")["result"]
    first, second, edited = (parse_job(r, "aca", FETCHED) for r in records)

    assert first.key == "bamboohr:aca:39"
    assert first.url == "https://aca.bamboohr.com/careers/39"
    assert first.title == "Aircraft Maintenance Engineer"
    assert first.locations == ["Edmonton International Airport, Alberta"]
    assert first.employment_type == "Full-Time"
    assert first.workplace_type == "On-site"  # locationType "0"
    assert first.extra["department"] == "Maintenance"
    # the list carries no text and no date: nothing is made up
    assert first.description is None and first.posted_at is None and first.salary_text is None
    assert first.payload == records[0]

    # location all null, atsLocation filled
    assert second.locations == ["Edmonton, Alberta, Canada"]
    assert second.workplace_type == "Remote" and second.employment_type == "Part-Time"
    # the recorder's edited row: isRemote true wins over locationType "2"
    assert edited.locations == [] and edited.workplace_type == "Remote"
    assert edited.extra["location_type"] == "2"


def test_trimmed_list_parses_and_its_count_is_kept(fixtures: Path) -> None:
    body = load(fixtures, "list-trimmed.json")
    postings = [parse_job(r, "x", FETCHED) for r in body["result"]]
    assert [(p.external_id, p.title) for p in postings] == [
        ("86", "Nurse Paralegal"),
        ("87", "Marketing & Social Media Intern"),
    ]
    assert postings[0].locations == ["Fort Lauderdale, Florida"]
    assert postings[1].extra["department"] == "Marketing"  # "Marketing " stripped
    assert postings[1].employment_type == "Internship"  # employmentType null: the label is used


def test_recorded_tenant_fetched_with_details(
    httpserver: HTTPServer, connector: BambooHRConnector, fixtures: Path
) -> None:
    body = load(fixtures, "list-aca.json")
    httpserver.expect_request(LIST).respond_with_json(body)
    serve_details(httpserver, body["result"])

    fetch = connector.fetch("aca", company="ACA")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == ["39", "41", "44"]
    assert fetch.listed == {"39", "41", "44"}
    posting = fetch.postings[0]
    assert posting.description == "<p>About Aircraft Maintenance Engineer.</p>"
    assert posting.description_format == "html"
    assert posting.posted_at == "2026-04-04"  # from the detail's datePosted
    assert posting.company == "ACA"
    assert posting.extra["minimum_experience"] == "Experienced"
    assert posting.payload["departmentId"] == "18652"  # the listing's fields stay in the payload
    assert len(httpserver.log) == 4


def test_trimmed_recording_is_an_incomplete_listing(
    httpserver: HTTPServer, http: HttpClient, fixtures: Path
) -> None:
    # meta.totalCount says 3 but the recorder kept 2: nothing may be closed on that basis.
    body = load(fixtures, "list-trimmed.json")
    httpserver.expect_request("/acme.bamboohr.com/careers/list").respond_with_json(body)
    serve_details(httpserver, body["result"], tenant="acme")
    fetch = BambooHRConnector(http, base_url=httpserver.url_for("")).fetch("acme")
    assert [p.title for p in fetch.postings] == [
        "Nurse Paralegal",
        "Marketing & Social Media Intern",
    ]
    assert fetch.complete is False and "got 2 of 3 positions" in (fetch.error or "")


# --- detail fields ------------------------------------------------------------------------------


def test_detail_fields_win_over_the_listing(
    httpserver: HTTPServer, connector: BambooHRConnector
) -> None:
    record = {"id": "7", "jobOpeningName": "ML Lead", "locationType": "0", "isRemote": None}
    httpserver.expect_request(LIST).respond_with_json(
        {"meta": {"totalCount": 1}, "result": [record]}
    )
    httpserver.expect_request(detail_path("7")).respond_with_json(
        detail_body(
            record,
            jobOpeningName="Head of Machine Learning",
            jobOpeningShareUrl="https://aca.bamboohr.com/careers/7?share=1",
            compensation="120,000 - 150,000 CAD / year",
            locationType="2",
            location={"city": "Calgary", "state": "Alberta", "addressCountry": "Canada"},
        )
    )
    [posting] = connector.fetch("aca").postings
    assert posting.title == "Head of Machine Learning"
    assert posting.url == "https://aca.bamboohr.com/careers/7?share=1"
    assert posting.salary_text == "120,000 - 150,000 CAD / year"
    assert posting.salary is None  # free text: never parsed into numbers here
    assert posting.workplace_type == "Hybrid"
    assert posting.locations == ["Calgary, Alberta, Canada"]


def test_detail_404_means_gone(httpserver: HTTPServer, connector: BambooHRConnector) -> None:
    records = [{"id": "1", "jobOpeningName": "A"}, {"id": "2", "jobOpeningName": "B"}]
    httpserver.expect_request(LIST).respond_with_json({"result": records})
    httpserver.expect_request(detail_path("1")).respond_with_json(detail_body(records[0]))
    httpserver.expect_request(detail_path("2")).respond_with_data("gone", status=404)
    fetch = connector.fetch("aca")
    assert [p.external_id for p in fetch.postings] == ["1"]
    assert fetch.gone == {"2"} and fetch.rejects == [] and fetch.complete is True


def test_detail_of_the_wrong_shape_is_a_reject(
    httpserver: HTTPServer, connector: BambooHRConnector
) -> None:
    records = [{"id": "1", "jobOpeningName": "A"}, {"id": "2", "jobOpeningName": "B"}]
    httpserver.expect_request(LIST).respond_with_json({"result": records})
    httpserver.expect_request(detail_path("1")).respond_with_json({"result": {"formFields": {}}})
    httpserver.expect_request(detail_path("2")).respond_with_data("boom", status=500)
    fetch = connector.fetch("aca")
    assert fetch.postings == [] and fetch.gone == set()
    assert [(r.where, "result.jobOpening" in r.reason) for r in fetch.rejects] == [
        ("position 1", True),
        ("position 2", False),
    ]
    assert "HTTP 500" in fetch.rejects[1].reason
    assert fetch.listed == {"1", "2"}  # still listed: not closed


def test_unchanged_records_skip_the_detail(
    httpserver: HTTPServer, connector: BambooHRConnector
) -> None:
    records = [{"id": "1", "jobOpeningName": "A"}, {"id": "2", "jobOpeningName": "B"}]
    httpserver.expect_request(LIST).respond_with_json({"result": records})
    serve_details(httpserver, records)
    first = connector.fetch("aca")
    known = {p.external_id: p.extra["listing_hash"] for p in first.postings}
    known["2"] = "something-else"
    httpserver.clear_log()

    second = connector.fetch("aca", known=known)

    assert second.unchanged == {"1"} and [p.external_id for p in second.postings] == ["2"]
    assert [entry[0].path for entry in httpserver.log] == [LIST, detail_path("2")]


# --- failures -----------------------------------------------------------------------------------


def test_429_then_success(httpserver: HTTPServer, connector: BambooHRConnector) -> None:
    httpserver.expect_oneshot_request(LIST).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request(LIST).respond_with_json({"result": []})
    fetch = connector.fetch("aca")
    assert fetch.complete is True and fetch.error is None and len(httpserver.log) == 2


def test_persistent_5xx_is_a_board_error(
    httpserver: HTTPServer, connector: BambooHRConnector
) -> None:
    httpserver.expect_request(LIST).respond_with_data("down", status=503)
    fetch = connector.fetch("aca")
    assert fetch.complete is False and fetch.postings == []
    assert "bamboohr tenant 'aca'" in (fetch.error or "") and "HTTP 503" in (fetch.error or "")


def test_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(LIST).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = BambooHRConnector(client, base_url=httpserver.url_for("")).fetch("aca")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('{"result": [{"id": "1', "application/json", "is not JSON"),
        ("<html><body>Careers</body></html>", "text/html", "is not JSON"),
        ('{"meta": {}, "results": []}', "application/json", "no 'result' list"),
        ('[{"id": "1"}]', "application/json", "no 'result' list"),
    ],
)
def test_bad_list_body_is_a_board_error(
    httpserver: HTTPServer,
    connector: BambooHRConnector,
    body: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(LIST).respond_with_data(body, content_type=content_type)
    fetch = connector.fetch("aca")
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_one_malformed_record_is_one_reject(
    httpserver: HTTPServer, connector: BambooHRConnector
) -> None:
    good = {"id": "1", "jobOpeningName": "A"}
    records = [
        good,
        {"jobOpeningName": "no id"},
        "not a record",
        {"id": "3", "jobOpeningName": " "},
    ]
    httpserver.expect_request(LIST).respond_with_json({"result": records})
    httpserver.expect_request(detail_path("1")).respond_with_json(detail_body(good))
    httpserver.expect_request(detail_path("3")).respond_with_json(
        {"result": {"jobOpening": {"jobOpeningName": ""}}}
    )
    fetch = connector.fetch("aca")
    assert [p.external_id for p in fetch.postings] == ["1"] and fetch.complete is True
    assert [(r.where, r.reason) for r in fetch.rejects] == [
        ("positions[1]", "position record has no id"),
        ("positions[2]", "position record is a str, not an object"),
        ("position 3", "position 3 has no title ('jobOpeningName')"),
    ]


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://amundi.bamboohr.com/careers", "amundi"),
        ("https://bbenergy.bamboohr.com/careers/", "bbenergy"),
        ("http://LuxAviation.BambooHR.com/careers/123?source=linkedin", "luxaviation"),
        ("https://jcifederal.bamboohr.com/careers/list", "jcifederal"),
        ("https://jcifederal.bamboohr.com/careers/45/detail", "jcifederal"),
        ("https://acme.bamboohr.com/jobs/view.php?id=12", "acme"),
        ("https://www.bamboohr.com/careers", None),
        ("https://api.bamboohr.com/api/gateway.php/acme/v1/jobs", None),
        ("https://acme.bamboohr.com.evil.example/careers", None),
        ("https://jobs.lever.co/acme", None),
        ("not a url", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert BambooHRConnector.board_from_url(url) == token


def test_careers_url_round_trips() -> None:
    assert BambooHRConnector.board_from_url(BambooHRConnector.careers_url("amundi")) == "amundi"
