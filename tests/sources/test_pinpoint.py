"""Pinpoint: the recorded postings.json response, and boards served from 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.http import HttpClient
from leadboard.sources.pinpoint import PinpointConnector, parse_job
from leadboard.sources.registry import connector_class

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PATH = "/aawdc.pinpointhq.com/postings.json"
IDS = ["515428", "512061", "217178"]


@pytest.fixture
def body(ats_fixtures: Path) -> dict[str, Any]:
    return json.loads((ats_fixtures / "pinpoint" / "postings-aawdc.json").read_text())


def connector(http: HttpClient, server: HTTPServer) -> PinpointConnector:
    return PinpointConnector(http, base_url=server.url_for(""))


# --- the recorded response -----------------------------------------------------------------------


def test_registry_names_this_class() -> None:
    assert connector_class("pinpoint") is PinpointConnector


def test_recorded_postings_parse(body: dict[str, Any]) -> None:
    first, hourly, pipeline = (parse_job(r, "aawdc", FETCHED) for r in body["data"])

    assert first.key == "pinpoint:aawdc:515428"
    assert first.url == (
        "https://aawdc.pinpointhq.com/en/postings/fca592d6-2561-4b2a-88b0-15d2b375971a"
    )
    assert first.title == "Warehouse/Fleet Manager"
    assert first.locations == ["North County"]  # empty city and province left out
    assert first.posted_at is None and first.updated_at is None  # the feed gives no such date
    assert first.closes_at == "2026-06-26T23:59:59-04:00"
    assert first.workplace_type == "onsite" and first.employment_type == "full_time"
    assert first.requisition_id == "PIN-0679"
    assert first.salary_text == "$80,000 - $100,000 / year"
    salary = first.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period, salary.cents) == (
        80000.0,
        100000.0,
        "USD",
        "year",
        False,
    )
    assert first.extra == {
        "job_id": "521722",
        "department": "Transportation",
        "division": "AAWDC",
        "employment_type_text": "Full Time",
    }
    assert first.payload == body["data"][0]

    # The advert's sections, in order, each under its heading; the empty "benefits" is left out.
    text = first.description or ""
    assert first.description_format == "html"
    pieces = [
        "<h1><!--block-->The <strong>Warehouse/Fleet Manager</strong>",
        "<h3>Key Responsibilities</h3>",
        "Oversee and coordinate all day-to-day shop operations",
        "<h3>Skills, Knowledge and Expertise</h3>",
        "High School Diploma, GED, or Equivalency.",
    ]
    positions = [text.index(piece) for piece in pieces]
    assert positions == sorted(positions)
    assert "<h3>Benefits</h3>" not in text

    assert hourly.salary is not None and hourly.salary.period == "hour"
    assert (hourly.salary.min, hourly.salary.max) == (17.0, 18.0)
    assert hourly.employment_type == "contract_to_hire"
    assert hourly.title == "Reach truck crown and Walkie Rider EPJ Operators in Jessup, MD"

    assert pipeline.salary is None and pipeline.salary_text is None  # compensation not visible
    assert pipeline.locations == ["Partner Employment Opportunity, Varies by Listing, Maryland"]
    assert pipeline.extra["postal_code"] == "21240"
    assert "<h3>Why Join Our Talent Pipeline? / How to apply</h3>" in (pipeline.description or "")


def test_recorded_board_through_a_local_server(
    httpserver: HTTPServer, http: HttpClient, body: dict[str, Any]
) -> None:
    httpserver.expect_request(PATH).respond_with_json(body)
    fetch = connector(http, httpserver).fetch("aawdc", company="AAWDC")
    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == IDS
    assert fetch.listed == set(IDS)
    assert {p.company for p in fetch.postings} == {"AAWDC"}


# --- parse on odd records ------------------------------------------------------------------------


def test_hidden_pay_is_not_read() -> None:
    record = {
        "id": "9",
        "title": "T",
        "compensation": "£50k",
        "compensation_minimum": 50000,
        "compensation_visible": False,
    }
    posting = parse_job(record, "acme", FETCHED)
    assert posting.salary is None and posting.salary_text is None


def test_a_bare_posting() -> None:
    record = {"id": 4, "title": "ML Lead", "workplace_type_text": "Remote", "location": "x"}
    posting = parse_job(record, "acme", FETCHED)
    assert posting.external_id == "4" and posting.workplace_type == "Remote"
    assert posting.description is None and posting.description_format is None
    assert posting.locations == [] and posting.salary is None and posting.closes_at is None


def test_repeated_location_parts_once() -> None:
    record = {
        "id": 1,
        "title": "T",
        "location": {"name": "London", "city": "london", "province": ""},
    }
    assert parse_job(record, "acme", FETCHED).locations == ["London"]
    record["location"] = {"name": "Leeds Office", "city": "Leeds", "province": "West Yorkshire"}
    assert parse_job(record, "acme", FETCHED).locations == ["Leeds Office, West Yorkshire"]


@pytest.mark.parametrize(
    ("record", "reason"),
    [([1], "not an object"), ({"title": "T"}, "no id"), ({"id": "x"}, "no title")],
)
def test_unusable_records_raise(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_job(record, "acme", FETCHED)


# --- the fetcher against a local server ----------------------------------------------------------


def test_a_malformed_record_is_one_reject(
    httpserver: HTTPServer, http: HttpClient, body: dict[str, Any]
) -> None:
    data = body["data"]
    httpserver.expect_request(PATH).respond_with_json({"data": [data[0], {"id": "77"}, data[1]]})
    fetch = connector(http, httpserver).fetch("aawdc")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == IDS[:2]
    [reject] = fetch.rejects
    assert reject.source == "pinpoint:aawdc" and reject.where == "posting 77"
    assert "no title" in reject.reason
    assert "77" in fetch.listed  # listed, so never closed for being unparseable


def test_retries_after_429(httpserver: HTTPServer, http: HttpClient, body: dict[str, Any]) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(body)
    fetch = connector(http, httpserver).fetch("aawdc")
    assert fetch.complete is True and len(fetch.postings) == 3 and len(httpserver.log) == 2


@pytest.mark.parametrize(
    ("status", "text", "content_type", "message"),
    [
        (502, "bad gateway", "text/plain", "HTTP 502"),
        (404, "<html>Not found</html>", "text/html", "HTTP 404"),
        (200, '{"data": [{"id": "1', "application/json", "is not JSON"),
        (200, "<!doctype html><html><body>Careers</body></html>", "text/html", "is not JSON"),
        (200, '{"errors": ["nope"]}', "application/json", "no 'data' list"),
        (200, "[]", "application/json", "no 'data' list"),
    ],
)
def test_a_bad_board_is_an_error(
    httpserver: HTTPServer,
    http: HttpClient,
    status: int,
    text: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        text, status=status, content_type=content_type
    )
    fetch = connector(http, httpserver).fetch("aawdc")
    assert fetch.complete is False and fetch.postings == []
    assert "pinpoint board 'aawdc'" in (fetch.error or "") and message in (fetch.error or "")


def test_a_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.8)
        return Response('{"data": []}', content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(client, httpserver).fetch("aawdc")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


# --- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://100ms.pinpointhq.com", "100ms"),
        ("https://accelercomm.pinpointhq.com/en", "accelercomm"),
        ("https://bighatbiosciences.pinpointhq.com/", "bighatbiosciences"),
        ("http://ARM.pinpointhq.com/en/postings/fca592d6-2561-4b2a-88b0-15d2b375971a", "arm"),
        ("https://cvent.pinpointhq.com/postings.json", "cvent"),
        ("https://coindcx.pinpointhq.com?utm_source=x", "coindcx"),
        ("https://www.pinpointhq.com/customers", None),
        ("https://pinpointhq.com/", None),
        ("https://arm.pinpointhq.com.evil.example/", None),
        ("https://jobs.gem.com/arm", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert PinpointConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert PinpointConnector.careers_url("arm") == "https://arm.pinpointhq.com"
