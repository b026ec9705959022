"""Workable: recorded widget and v3 responses parsed, and accounts served from 127.0.0.1."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.http import HttpClient
from leadboard.sources.workable import V3_QUERY, WorkableConnector, parse_job

FETCHED = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
WIDGET = "/apply.workable.com/api/v1/widget/accounts/acme"
V3 = "/apply.workable.com/api/v3/accounts/acme/jobs"
DETAIL = re.compile(r"^/apply\.workable\.com/api/v2/accounts/acme/jobs/(\w+)$")
EMPTY_WIDGET = {"name": "Acme", "description": "<p>About Acme</p>", "jobs": []}


def recorded(ats_fixtures: Path, name: str) -> dict[str, Any]:
    return json.loads((ats_fixtures / "workable" / f"{name}.json").read_text())


def connector(server: HTTPServer, client: HttpClient) -> WorkableConnector:
    return WorkableConnector(client, base_url=server.url_for(""))


def v3_job(shortcode: str, title: str = "ML Engineer") -> dict[str, Any]:
    return {"id": 1, "shortcode": shortcode, "title": title, "published": "2026-06-01T00:00:00Z"}


def detail_handler(request: Request) -> Response:
    """The v2 detail of any shortcode: its description, requirements and benefits."""
    match = DETAIL.match(request.path)
    assert match is not None
    shortcode = match.group(1)
    body = {
        "shortcode": shortcode,
        "description": f"<p>About {shortcode}</p>",
        "requirements": "<ul><li>Python</li></ul>",
        "benefits": "",
    }
    return Response(json.dumps(body), content_type="application/json")


# --- the recorded responses ---------------------------------------------------------------------


def test_widget_with_details_parses(ats_fixtures: Path) -> None:
    body = recorded(ats_fixtures, "widget-v1-workable-details")
    [posting] = [parse_job(job, "workable", FETCHED) for job in body["jobs"]]

    assert posting.external_id == "401786A940"
    assert posting.title == "Implementation Manager"
    assert posting.url == "https://apply.workable.com/workable/j/401786A940/"
    assert posting.locations == ["Boston, Massachusetts, United States"]
    assert posting.posted_at == "2026-06-22"  # published_on, not created_at (2026-03-06)
    assert posting.extra["created_at"] == "2026-03-06"
    assert posting.employment_type == "Full-time"
    assert posting.workplace_type is None  # telecommuting: false
    assert posting.requisition_id is None  # code: null
    assert posting.description_format == "html"
    assert (posting.description or "").startswith("<p>Workable is an all-in-one HR platform")
    assert posting.extra["department"] == ["Operations"]
    assert posting.extra["apply_url"] == "https://apply.workable.com/j/401786A940/apply"
    assert posting.payload == body["jobs"][0]


def test_widget_without_details_parses(ats_fixtures: Path) -> None:
    body = recorded(ats_fixtures, "widget-v1-zego")
    postings = [parse_job(job, "zego", FETCHED) for job in body["jobs"]]

    assert [p.external_id for p in postings] == ["0897A038EC", "450EC5C378", "655F2A00AE"]
    first = postings[0]
    assert first.title == "Claims Fraud Triage Handler"
    assert first.locations == ["Halifax, England, United Kingdom"]
    assert first.posted_at == "2026-06-02"
    assert first.employment_type is None  # "" in the record
    assert first.requisition_id is None  # code: ""
    assert all(p.description is None for p in postings)  # no details=true: no description
    assert postings[1].employment_type == "Full-time"
    assert postings[1].extra["experience"] == "Associate"


def test_v3_records_parse(ats_fixtures: Path) -> None:
    body = recorded(ats_fixtures, "v3-jobs-page1")
    us, emea, paris = (parse_job(job, "acme", FETCHED) for job in body["results"])

    assert us.external_id == "F8427A442D"  # the shortcode, as for widget records
    assert us.title == "Senior Python Software Engineer/Open-Source Contributor - US Remote"
    assert us.locations == ["United States"]  # city "" and region null
    assert us.workplace_type == "remote"
    assert us.posted_at == "2026-06-02T00:00:00.000Z"
    assert us.employment_type == "full"
    assert us.extra["job_id"] == "5856207" and us.extra["department"] == ["Product"]
    assert emea.locations == ["France"]
    assert paris.locations == ["Paris, Île-de-France, France"]
    assert paris.url == "https://apply.workable.com/acme/j/97904BAC90/"


def test_recorded_board_served_locally(
    httpserver: HTTPServer, http: HttpClient, ats_fixtures: Path
) -> None:
    body = recorded(ats_fixtures, "widget-v1-workable-details")
    httpserver.expect_request(
        "/apply.workable.com/api/v1/widget/accounts/workable",
        query_string={"details": "true"},
    ).respond_with_json(body)
    fetch = connector(httpserver, http).fetch("workable")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    [posting] = fetch.postings
    assert posting.key == "workable:workable:401786A940"
    assert posting.company == "Workable"  # the widget's account name
    assert posting.description
    assert len(httpserver.log) == 1  # the description was there: no detail request


def test_widget_records_without_description_are_completed(
    httpserver: HTTPServer, http: HttpClient, ats_fixtures: Path
) -> None:
    body = recorded(ats_fixtures, "widget-v1-zego")
    httpserver.expect_request(WIDGET).respond_with_json(body)
    httpserver.expect_request(DETAIL).respond_with_handler(detail_handler)
    fetch = connector(httpserver, http).fetch("acme")

    assert fetch.complete is True and len(fetch.postings) == 3
    first = fetch.postings[0]
    assert first.company == "Zego" and first.title == "Claims Fraud Triage Handler"
    assert first.description == (
        "<p>About 0897A038EC</p>\n<h3>Requirements</h3>\n<ul><li>Python</li></ul>"
    )
    assert first.payload["requirements"] == "<ul><li>Python</li></ul>"  # merged with the detail


# --- the v3 fallback: paging, totals, details ---------------------------------------------------


def test_empty_widget_falls_back_to_v3_pages(
    httpserver: HTTPServer, http: HttpClient, ats_fixtures: Path
) -> None:
    page1 = {**recorded(ats_fixtures, "v3-jobs-page1"), "total": 5, "nextPage": "T2"}
    page2 = {"total": 5, "results": [v3_job("AA1"), v3_job("AA2", "Data Lead")]}
    httpserver.expect_request(WIDGET).respond_with_json(EMPTY_WIDGET)
    httpserver.expect_request(V3, method="POST", json=V3_QUERY).respond_with_json(page1)
    httpserver.expect_request(
        V3, method="POST", json={**V3_QUERY, "token": "T2"}
    ).respond_with_json(page2)
    httpserver.expect_request(DETAIL).respond_with_handler(detail_handler)
    fetch = connector(httpserver, http).fetch("acme")

    assert fetch.error is None and fetch.complete is True
    assert [p.external_id for p in fetch.postings] == [
        "F8427A442D",
        "CB1DEFE6CE",
        "97904BAC90",
        "AA1",
        "AA2",
    ]
    assert fetch.postings[0].description == (
        "<p>About F8427A442D</p>\n<h3>Requirements</h3>\n<ul><li>Python</li></ul>"
    )
    assert {p.company for p in fetch.postings} == {"Acme"}
    assert fetch.postings[3].posted_at == "2026-06-01T00:00:00Z"


def test_truly_empty_board_is_complete(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(WIDGET).respond_with_json(EMPTY_WIDGET)
    httpserver.expect_request(V3, method="POST").respond_with_json({"total": 0, "results": []})
    fetch = connector(httpserver, http).fetch("acme")
    assert fetch.complete is True and fetch.postings == [] and fetch.error is None


def test_v3_shorter_than_its_total_is_partial(
    httpserver: HTTPServer, http: HttpClient, ats_fixtures: Path
) -> None:
    # The recorded page as the recorder trimmed it: 3 results of a total of 7, no nextPage.
    httpserver.expect_request(WIDGET).respond_with_json(EMPTY_WIDGET)
    httpserver.expect_request(V3, method="POST").respond_with_json(
        recorded(ats_fixtures, "v3-jobs-page1")
    )
    httpserver.expect_request(DETAIL).respond_with_handler(detail_handler)
    fetch = connector(httpserver, http).fetch("acme")
    assert fetch.complete is False and len(fetch.postings) == 3
    assert "got 3 of 7 jobs" in (fetch.error or "")


def test_a_failing_later_v3_page_keeps_the_first(httpserver: HTTPServer, http: HttpClient) -> None:
    page1 = {"total": 3, "results": [v3_job("AA1"), v3_job("AA2")], "nextPage": "T2"}
    httpserver.expect_request(WIDGET).respond_with_json(EMPTY_WIDGET)
    httpserver.expect_request(V3, method="POST", json=V3_QUERY).respond_with_json(page1)
    httpserver.expect_request(
        V3, method="POST", json={**V3_QUERY, "token": "T2"}
    ).respond_with_data("bad gateway", status=502)
    httpserver.expect_request(DETAIL).respond_with_handler(detail_handler)
    fetch = connector(httpserver, http).fetch("acme")

    assert fetch.complete is False and [p.external_id for p in fetch.postings] == ["AA1", "AA2"]
    assert "v3 page 2" in (fetch.error or "") and "HTTP 502" in (fetch.error or "")


def test_a_failing_first_v3_page_is_not_a_verified_empty_board(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    httpserver.expect_request(WIDGET).respond_with_json(EMPTY_WIDGET)
    httpserver.expect_request(V3, method="POST").respond_with_data("<html>", status=200)
    fetch = connector(httpserver, http).fetch("acme")
    assert fetch.complete is False and fetch.postings == []
    assert "is not JSON" in (fetch.error or "")


def test_detail_404_is_gone_and_unchanged_records_are_not_read_again(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    page = {"total": 2, "results": [v3_job("AA1"), v3_job("AA2")]}
    httpserver.expect_request(WIDGET).respond_with_json(EMPTY_WIDGET)
    httpserver.expect_request(V3, method="POST").respond_with_json(page)
    httpserver.expect_request(
        "/apply.workable.com/api/v2/accounts/acme/jobs/AA2"
    ).respond_with_data("gone", status=404)
    httpserver.expect_request(DETAIL).respond_with_handler(detail_handler)
    first = connector(httpserver, http).fetch("acme")

    assert [p.external_id for p in first.postings] == ["AA1"]
    assert first.gone == {"AA2"} and first.complete is True
    known = {"AA1": first.postings[0].extra["listing_hash"]}

    httpserver.clear_log()
    second = connector(httpserver, http).fetch("acme", known=known)
    assert second.unchanged == {"AA1"} and second.postings == []
    assert [request.path for request, _ in httpserver.log] == [
        WIDGET,
        V3,
        "/apply.workable.com/api/v2/accounts/acme/jobs/AA2",  # AA1's detail is not asked again
    ]


def test_detail_server_error_is_a_reject(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(WIDGET).respond_with_json(
        {"name": "Acme", "jobs": [{"shortcode": "AA1", "title": "ML Lead"}]}
    )
    httpserver.expect_request(DETAIL).respond_with_data("oops", status=500)
    fetch = connector(httpserver, http).fetch("acme")
    assert fetch.postings == [] and fetch.complete is True and fetch.listed == {"AA1"}
    [reject] = fetch.rejects
    assert reject.where == "job AA1" and "detail not fetched" in reject.reason


# --- errors -------------------------------------------------------------------------------------


def test_429_then_success(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_ordered_request(WIDGET).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(WIDGET).respond_with_json(
        {"name": "Acme", "jobs": [{"shortcode": "AA1", "title": "T", "description": "<p>x</p>"}]}
    )
    fetch = connector(httpserver, http).fetch("acme")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["AA1"]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (503, "down", "HTTP 503"),
        (404, "not found", "HTTP 404"),
        (200, '{"name": "Acme", "jobs": [{"shortcode": "A', "is not JSON"),
        (200, "<!doctype html><html><body>Careers</body></html>", "is not JSON"),
        (200, '{"name": "Acme"}', "no 'jobs' list"),
    ],
)
def test_bad_account_is_an_error(
    httpserver: HTTPServer, http: HttpClient, status: int, body: str, message: str
) -> None:
    httpserver.expect_request(WIDGET).respond_with_data(body, status=status)
    fetch = connector(httpserver, http).fetch("acme")
    assert fetch.complete is False and fetch.postings == []
    assert "workable account 'acme'" in (fetch.error or "") and message in (fetch.error or "")


def test_timeout_is_an_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(EMPTY_WIDGET), content_type="application/json")

    httpserver.expect_request(WIDGET).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(httpserver, client).fetch("acme")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


def test_one_bad_job_is_rejected_the_rest_kept(httpserver: HTTPServer, http: HttpClient) -> None:
    jobs = [
        {"shortcode": "AA1", "title": "ML Lead", "description": "<p>a</p>"},
        {"shortcode": "AA2", "title": "", "description": "<p>b</p>"},
        {"title": "No shortcode", "description": "<p>c</p>"},
        {"shortcode": "AA4", "title": "Data Lead", "description": "<p>d</p>"},
    ]
    httpserver.expect_request(WIDGET).respond_with_json({"name": "Acme", "jobs": jobs})
    fetch = connector(httpserver, http).fetch("acme")

    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["AA1", "AA4"]
    assert [r.where for r in fetch.rejects] == ["job AA2", "jobs[2]"]
    assert "no title" in fetch.rejects[0].reason and "no id" in fetch.rejects[1].reason


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://apply.workable.com/limula/?lng=en", "limula"),
        ("https://apply.workable.com/ridgway-machines-ltd-1/?lng=en", "ridgway-machines-ltd-1"),
        ("https://apply.workable.com/zego/j/0897A038EC/", "zego"),
        ("HTTP://Apply.Workable.com/Zego/j/0897A038EC", "zego"),
        ("https://nu-quantum.workable.com/", "nu-quantum"),
        ("https://exotec.workable.com/jobs/123", "exotec"),
        ("https://apply.workable.com/api/v1/widget/accounts/1global?details=true", "1global"),
        ("https://apply.workable.com/api/v3/accounts/oxyle-ag-1/jobs", "oxyle-ag-1"),
        ("https://apply.workable.com/j/401786A940", None),  # no account in the URL
        ("https://jobs.workable.com/company/gtYQCeCQYDV9vkqD6DowUY/jobs-at-x", None),
        ("https://www.workable.com/", None),
        ("https://acme.recruitee.com/o/x", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert WorkableConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert WorkableConnector.careers_url("limula") == "https://apply.workable.com/limula/"
