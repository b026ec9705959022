"""Breezy: the recorded /json listings, position pages, and portals served from 127.0.0.1.

No position page was recorded: the pages below are hand-written in the shape the listing's ``url``
points at (a schema.org JobPosting JSON-LD block, or a ``div.description``).
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

from leadboard.sources.breezy import BreezyConnector, page_detail, parse_job, portal_host
from leadboard.sources.http import HttpClient
from leadboard.sources.registry import connector_class

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DEMO = "/breezy.breezy.hr"
TRUCK = "/10-4-truck-recruiting.breezy.hr"


def job_posting_page(description: str, **fields: Any) -> str:
    node = {"@context": "https://schema.org", "@type": "JobPosting", "title": "T", **fields}
    node["description"] = description
    return (
        "<!doctype html><html><head><title>Position</title>"
        f'<script type="application/ld+json">{json.dumps(node)}</script></head>'
        '<body><div class="description"><p>page text</p></div></body></html>'
    )


@pytest.fixture
def demo(ats_fixtures: Path) -> list[dict[str, Any]]:
    return json.loads((ats_fixtures / "breezy" / "json-breezy-demo.json").read_text())


@pytest.fixture
def truck(ats_fixtures: Path) -> list[dict[str, Any]]:
    path = ats_fixtures / "breezy" / "json-10-4-truck-recruiting-augmented.json"
    return json.loads(path.read_text())


def connector(http: HttpClient, server: HTTPServer) -> BreezyConnector:
    return BreezyConnector(http, base_url=server.url_for(""))


def serve_demo_pages(server: HTTPServer, demo: list[dict[str, Any]]) -> None:
    for record in demo:
        server.expect_request(f"{DEMO}/p/{record['friendly_id']}").respond_with_data(
            job_posting_page(f"<p>About {record['name']}</p>"), content_type="text/html"
        )


# --- the recorded listings -----------------------------------------------------------------------


def test_registry_names_this_class() -> None:
    assert connector_class("breezy") is BreezyConnector


def test_recorded_demo_listing_parses(demo: list[dict[str, Any]]) -> None:
    first, second = (parse_job(record, "breezy", FETCHED) for record in demo)

    assert first.key == "breezy:breezy:98323abf2296"
    assert first.url == "https://breezy.breezy.hr/p/98323abf2296-employee-12"
    assert first.title == "Employee #12"
    assert first.company == "MS Breezy Trial"
    assert first.locations == ["Chaos, Florida, United States"]  # location and locations[0]: once
    assert first.posted_at == "2024-02-15T14:37:22.684Z"
    assert first.updated_at is None
    assert first.salary_text == "$0.05 – $0.06 / hour" and first.salary is None
    assert first.employment_type == "Other"
    assert first.workplace_type is None  # is_remote false is no hint of its own
    assert first.description is None  # the listing has none; the page was not read here
    assert first.extra == {
        "friendly_id": "98323abf2296-employee-12",
        "department": "Does Not Matter",
        "type_id": "other",
        "countries": ["US"],
    }
    assert first.payload == demo[0]

    assert second.locations == ["New York, United States"]  # city and state name are one
    assert second.salary_text == "$1 – $5 / year" and second.employment_type == "Contract"


def test_recorded_augmented_listing_parses(truck: list[dict[str, Any]]) -> None:
    driver, backend, intern = (
        parse_job(record, "10-4-truck-recruiting", FETCHED) for record in truck
    )
    assert driver.title == "CDL A Home Daily Truck Driving Position"
    assert driver.locations == ["Tacoma, Washington, United States"]
    assert driver.salary_text == "$1.40k - $1.80k"
    assert driver.description == "<p>Drive <strong>home daily</strong> routes out of Tacoma.</p>"
    assert driver.posted_at == "2026-06-04T23:24:11.988Z"

    assert backend.locations == ["Remote"] and backend.workplace_type == "remote"
    assert backend.employment_type == "Contractor" and backend.salary_text is None
    assert "countries" not in backend.extra  # country null
    assert intern.employment_type == "Intern" and intern.locations == [
        "Dallas, Texas, United States"
    ]


def test_recorded_portal_through_a_local_server(
    httpserver: HTTPServer, http: HttpClient, demo: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(f"{DEMO}/json").respond_with_json(demo)
    serve_demo_pages(httpserver, demo)
    fetch = connector(http, httpserver).fetch("breezy")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == ["98323abf2296", "088ac6d52139"]
    assert [p.description for p in fetch.postings] == [
        "<p>About Employee #12</p>",
        "<p>About Open Position</p>",
    ]
    assert {p.description_format for p in fetch.postings} == {"html"}
    assert {p.company for p in fetch.postings} == {"MS Breezy Trial"}
    posting = fetch.postings[0]
    assert posting.payload["detail"]["job_posting"]["@type"] == "JobPosting"
    assert posting.payload["name"] == "Employee #12"  # the listing record, merged with the page
    assert len(httpserver.log) == 3


def test_augmented_record_with_a_description_needs_no_page(
    httpserver: HTTPServer, http: HttpClient, truck: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(f"{TRUCK}/json").respond_with_json(truck)
    for record in truck[1:]:
        httpserver.expect_request(f"{TRUCK}/p/{record['friendly_id']}").respond_with_data(
            job_posting_page("<p>More</p>"), content_type="text/html"
        )
    fetch = connector(http, httpserver).fetch("10-4-truck-recruiting")
    assert fetch.complete is True and len(fetch.postings) == 3
    assert fetch.postings[0].description.startswith("<p>Drive")
    assert [p.description for p in fetch.postings[1:]] == ["<p>More</p>", "<p>More</p>"]
    paths = [request.path for request, _ in httpserver.log]
    assert f"{TRUCK}/p/{truck[0]['friendly_id']}" not in paths and len(paths) == 3


# --- position pages ------------------------------------------------------------------------------


def test_page_detail_prefers_json_ld_and_reads_its_pay() -> None:
    page = job_posting_page(
        "<p>Lead the ML team.</p>",
        baseSalary={
            "currency": "USD",
            "value": {"minValue": 150000, "maxValue": 180000, "unitText": "YEAR"},
        },
        applicantLocationRequirements={"@type": "Country", "name": "USA"},
    )
    detail = page_detail(page, "https://acme.breezy.hr/p/1-ml-lead")
    assert list(detail) == ["job_posting"]
    record = {"id": "1", "name": "ML Lead", "url": "https://acme.breezy.hr/p/1-ml-lead"}
    posting = parse_job({**record, "detail": detail}, "acme", FETCHED)
    assert posting.description == "<p>Lead the ML team.</p>"
    assert posting.salary is not None
    assert (posting.salary.min, posting.salary.max, posting.salary.currency) == (
        150000.0,
        180000.0,
        "USD",
    )
    assert posting.salary.period == "YEAR" and posting.remote_regions == ["USA"]


def test_page_detail_falls_back_to_the_description_div() -> None:
    page = '<html><body><div class="description"><h2>Role</h2><p>Build.</p></div></body></html>'
    plain = parse_job(
        {"id": "1", "name": "T", "detail": page_detail(job_posting_page("Build models."), "u")},
        "acme",
        FETCHED,
    )
    assert (plain.description, plain.description_format) == ("Build models.", "text")
    detail = page_detail(page, "https://acme.breezy.hr/p/1")
    assert detail == {"description_html": "<h2>Role</h2><p>Build.</p>"}
    posting = parse_job({"id": "1", "name": "T", "detail": detail}, "acme", FETCHED)
    assert posting.description == "<h2>Role</h2><p>Build.</p>"


def test_a_page_without_description_is_flagged() -> None:
    detail = page_detail("<html><body><h1>Apply</h1></body></html>", "https://acme.breezy.hr/p/1")
    assert detail == {}
    posting = parse_job({"id": "1", "name": "T", "detail": detail}, "acme", FETCHED)
    assert posting.description is None and posting.extra["page_without_description"] is True
    unread = parse_job({"id": "1", "name": "T"}, "acme", FETCHED)
    assert "page_without_description" not in unread.extra


def test_a_page_without_description_still_lists_the_position(
    httpserver: HTTPServer, http: HttpClient, demo: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(f"{DEMO}/json").respond_with_json(demo[:1])
    httpserver.expect_request(f"{DEMO}/p/{demo[0]['friendly_id']}").respond_with_data(
        "<html><body><h1>Employee #12</h1></body></html>", content_type="text/html"
    )
    fetch = connector(http, httpserver).fetch("breezy")
    [posting] = fetch.postings
    assert fetch.complete is True and posting.description is None
    assert posting.extra["page_without_description"] is True
    assert posting.payload["detail"] == {}


def test_position_url_without_a_friendly_id(http: HttpClient) -> None:
    conn = BreezyConnector(http, base_url="http://127.0.0.1:9")
    from_url = {"id": "ab12", "url": "https://acme.breezy.hr/p/ab12-ml-lead"}
    assert conn.position_url("acme", from_url) == "http://127.0.0.1:9/acme.breezy.hr/p/ab12-ml-lead"
    assert conn.position_url("acme", {"id": "ab12"}) == "http://127.0.0.1:9/acme.breezy.hr/p/ab12"


# --- parse on odd records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("text", "not an object"),
        ({"name": "T"}, "no id"),
        ({"id": "x", "title": "T"}, "no title \\('name'\\)"),
    ],
)
def test_unusable_records_raise(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_job(record, "acme", FETCHED)


def test_no_dates_when_the_record_has_none() -> None:
    posting = parse_job({"id": "x", "name": "T", "location": None}, "acme", FETCHED)
    assert posting.posted_at is None and posting.locations == [] and posting.company is None


# --- the fetcher against a local server ----------------------------------------------------------


def test_a_gone_position_and_a_failing_page(
    httpserver: HTTPServer, http: HttpClient, demo: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(f"{DEMO}/json").respond_with_json(demo)
    httpserver.expect_request(f"{DEMO}/p/{demo[0]['friendly_id']}").respond_with_data(
        "Not found", status=404
    )
    httpserver.expect_request(f"{DEMO}/p/{demo[1]['friendly_id']}").respond_with_data(
        "oops", status=500
    )
    fetch = connector(http, httpserver).fetch("breezy")
    assert fetch.postings == [] and fetch.complete is True  # the listing itself is whole
    assert fetch.gone == {"98323abf2296"}
    [reject] = fetch.rejects
    assert reject.where == "position 088ac6d52139" and "detail not fetched" in reject.reason
    assert "HTTP 500" in reject.reason
    assert fetch.listed == {"98323abf2296", "088ac6d52139"}


def test_unchanged_positions_are_not_read_again(
    httpserver: HTTPServer, http: HttpClient, demo: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(f"{DEMO}/json").respond_with_json(demo)
    serve_demo_pages(httpserver, demo)
    first = connector(http, httpserver).fetch("breezy")
    known = {p.external_id: p.extra["listing_hash"] for p in first.postings[:1]}
    httpserver.clear_log()

    again = connector(http, httpserver).fetch("breezy", known=known)
    assert again.unchanged == {"98323abf2296"}
    assert [p.external_id for p in again.postings] == ["088ac6d52139"]
    paths = [request.path for request, _ in httpserver.log]
    assert paths == [f"{DEMO}/json", f"{DEMO}/p/{demo[1]['friendly_id']}"]


def test_a_malformed_record_is_one_reject(
    httpserver: HTTPServer, http: HttpClient, demo: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(f"{DEMO}/json").respond_with_json([demo[0], {"name": "no id"}])
    serve_demo_pages(httpserver, demo)
    fetch = connector(http, httpserver).fetch("breezy")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["98323abf2296"]
    [reject] = fetch.rejects
    assert reject.source == "breezy:breezy" and reject.where == "positions[1]"
    assert "no id" in reject.reason


def test_retries_after_429(
    httpserver: HTTPServer, http: HttpClient, demo: list[dict[str, Any]]
) -> None:
    httpserver.expect_ordered_request(f"{DEMO}/json").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(f"{DEMO}/json").respond_with_json(demo[:1])
    httpserver.expect_request(f"{DEMO}/p/{demo[0]['friendly_id']}").respond_with_data(
        job_posting_page("<p>x</p>"), content_type="text/html"
    )
    fetch = connector(http, httpserver).fetch("breezy")
    assert fetch.complete is True and len(fetch.postings) == 1 and len(httpserver.log) == 3


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (503, "down", "text/plain", "HTTP 503"),
        (404, "<html>Not found</html>", "text/html", "HTTP 404"),
        (200, '[{"id": "98323', "application/json", "is not JSON"),
        (200, "<!doctype html><html><body>Careers</body></html>", "text/html", "is not JSON"),
        (200, '{"positions": []}', "application/json", "is not a list of positions"),
    ],
)
def test_a_bad_portal_is_an_error(
    httpserver: HTTPServer,
    http: HttpClient,
    status: int,
    body: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(f"{DEMO}/json").respond_with_data(
        body, status=status, content_type=content_type
    )
    fetch = connector(http, httpserver).fetch("breezy")
    assert fetch.complete is False and fetch.postings == []
    assert "breezy portal 'breezy'" in (fetch.error or "") and message in (fetch.error or "")


def test_a_timeout_is_a_portal_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.8)
        return Response("[]", content_type="application/json")

    httpserver.expect_request(f"{DEMO}/json").respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(client, httpserver).fetch("breezy")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


def test_a_custom_portal_host(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request("/careers.acme.com/json").respond_with_json([])
    fetch = connector(http, httpserver).fetch("careers.acme.com")
    assert fetch.complete is True and fetch.postings == []
    assert portal_host("careers.acme.com") == "careers.acme.com"


# --- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://ascento-ag.breezy.hr/", "ascento-ag"),
        ("https://zeno-power.breezy.hr", "zeno-power"),
        (
            "http://Reface.Breezy.HR/p/e63605aeb81c-cdl-a-home-daily-truck-driving-position",
            "reface",
        ),
        ("https://social-discovery-ventures.breezy.hr/json", "social-discovery-ventures"),
        ("https://vyntra.breezy.hr/?utm_source=x#positions", "vyntra"),
        ("https://genestack.com/company/careers/", None),
        ("https://www.breezy.hr/pricing", None),
        ("https://app.breezy.hr/signin", None),
        ("https://breezy.hr/", None),
        ("https://acme.pinpointhq.com/", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert BreezyConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert BreezyConnector.careers_url("reface") == "https://reface.breezy.hr/"
