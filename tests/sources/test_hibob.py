"""HiBob: the recorded (redacted) job-ad answer, and careers sites served from 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.hibob import HiBobConnector, parse_job
from leadboard.sources.http import HttpClient

FETCHED = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
PATH = "/liquidia.careers.hibob.com/api/job-ad"
REFERER = {"Referer": "https://liquidia.careers.hibob.com/"}


@pytest.fixture
def recorded(ats_fixtures: Path) -> dict[str, Any]:
    return json.loads((ats_fixtures / "hibob" / "job-ads-redacted.json").read_text())


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> HiBobConnector:
    return HiBobConnector(http, base_url=httpserver.url_for(""))


def ad(job_id: str, title: str = "ML Engineer", **fields: Any) -> dict[str, Any]:
    return {"id": job_id, "title": title, **fields}


# --- the recorded answer ------------------------------------------------------------------------


def test_recorded_job_ads_parse(recorded: dict[str, Any]) -> None:
    records = recorded["jobAdDetails"]
    first, second = (parse_job(r, "liquidia", FETCHED) for r in records)

    assert first.key == "hibob:liquidia:05ee8195-b8d4-4590-a36e-5187cd4974b2"
    assert first.url == (
        "https://liquidia.careers.hibob.com/jobs/05ee8195-b8d4-4590-a36e-5187cd4974b2"
    )
    assert first.title == "Senior Clinical Trial Associate"
    assert first.locations == ["USA, United States"]
    assert first.posted_at == "2026-07-17T00:00:00Z"
    assert first.workplace_type == "Hybrid" and first.employment_type == "Regular Full Time"
    # empty sections ("responsibilities": "") leave no empty heading behind
    assert first.description == (
        "<p>Job description redacted for testing.</p>\n"
        "<h3>Requirements</h3>\n<p>Requirements redacted.</p>"
    )
    assert first.description_format == "html"
    assert first.extra["department"] == "1023-Clin Ops - R&D"
    assert first.extra["workspace_type_id"] == "hybrid"
    assert first.payload == records[0]

    assert second.description == "<p>Another redacted description.</p>"
    assert second.workplace_type == "Remote" and second.posted_at == "2026-08-21T00:00:00Z"
    assert first.salary is None and first.updated_at is None  # the source gives neither


def test_recorded_site_fetched_with_its_referer(
    httpserver: HTTPServer, connector: HiBobConnector, recorded: dict[str, Any]
) -> None:
    # Only a request naming the site gets the list, as on the real API (401 otherwise).
    httpserver.expect_request(PATH, headers=REFERER).respond_with_json(recorded)
    httpserver.expect_request(PATH).respond_with_data("Unauthorized", status=401)

    fetch = connector.fetch("liquidia", company="Liquidia")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.title for p in fetch.postings] == [
        "Senior Clinical Trial Associate",
        "Senior Director, Medical Writing",
    ]
    assert {p.company for p in fetch.postings} == {"Liquidia"}
    assert httpserver.log[0][0].headers["companyIdentifier"] == "liquidia"
    assert len(httpserver.log) == 1


def test_job_ads_list_under_its_other_name(
    httpserver: HTTPServer, connector: HiBobConnector
) -> None:
    httpserver.expect_request(PATH).respond_with_json({"jobAds": [ad("a1")]})
    fetch = connector.fetch("liquidia")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["a1"]


def test_site_alone_or_workspace_id_alone() -> None:
    posting = parse_job(ad("x", site="Tel Aviv", workspaceTypeId="on_site"), "oosto", FETCHED)
    assert posting.locations == ["Tel Aviv"] and posting.workplace_type == "on_site"
    bare = parse_job(ad("y"), "oosto", FETCHED)
    assert bare.locations == [] and bare.description is None and bare.posted_at is None


# --- failures -----------------------------------------------------------------------------------


def test_401_without_referer_is_a_board_error(
    httpserver: HTTPServer, connector: HiBobConnector
) -> None:
    httpserver.expect_request(PATH).respond_with_data("Unauthorized", status=401)
    fetch = connector.fetch("liquidia")
    assert fetch.complete is False and "HTTP 401" in (fetch.error or "")
    assert "hibob site 'liquidia'" in (fetch.error or "")


def test_429_then_success(httpserver: HTTPServer, connector: HiBobConnector) -> None:
    httpserver.expect_oneshot_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request(PATH).respond_with_json({"jobAdDetails": [ad("a1")]})
    fetch = connector.fetch("liquidia")
    assert fetch.complete is True and len(fetch.postings) == 1 and len(httpserver.log) == 2


def test_persistent_5xx_is_a_board_error(httpserver: HTTPServer, connector: HiBobConnector) -> None:
    httpserver.expect_request(PATH).respond_with_data("down", status=502)
    fetch = connector.fetch("liquidia")
    assert fetch.complete is False and fetch.postings == [] and "HTTP 502" in (fetch.error or "")


def test_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response('{"jobAdDetails": []}', content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = HiBobConnector(client, base_url=httpserver.url_for("")).fetch("liquidia")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('{"jobAdDetails": [{"id": "1', "application/json", "is not JSON"),
        ("<!doctype html><html><div id=app></div></html>", "text/html", "is not JSON"),
        ('{"filterGroups": {}}', "application/json", "no 'jobAdDetails' list"),
        ('{"jobAdDetails": {"id": "1"}}', "application/json", "no 'jobAdDetails' list"),
    ],
)
def test_bad_body_is_a_board_error(
    httpserver: HTTPServer, connector: HiBobConnector, body: str, content_type: str, message: str
) -> None:
    httpserver.expect_request(PATH).respond_with_data(body, content_type=content_type)
    fetch = connector.fetch("liquidia")
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_one_malformed_record_is_one_reject(
    httpserver: HTTPServer, connector: HiBobConnector
) -> None:
    records = [ad("a1"), {"id": "a2", "title": None}, ad("a3", "Data Lead")]
    httpserver.expect_request(PATH).respond_with_json({"jobAdDetails": records})
    fetch = connector.fetch("liquidia")
    assert [p.external_id for p in fetch.postings] == ["a1", "a3"] and fetch.complete is True
    [reject] = fetch.rejects
    assert (reject.source, reject.where) == ("hibob:liquidia", "job ad a2")
    assert reject.reason == "job ad a2 has no title"
    assert fetch.listed == {"a1", "a2", "a3"}


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://onwardmedical.careers.hibob.com/", "onwardmedical"),
        ("https://oosto.careers.hibob.com", "oosto"),
        ("https://swissto12-b67d359b42.careers.hibob.com", "swissto12-b67d359b42"),
        ("http://Siren.Careers.HiBob.com/jobs/05ee8195-b8d4-4590-a36e-5187cd4974b2", "siren"),
        ("https://siren.careers.hibob.com/jobs/abc/apply?utm_source=x", "siren"),
        ("https://siren.careers.hibob.com/api/job-ad", "siren"),
        ("https://careers.hibob.com/", None),
        ("https://www.hibob.com/careers/", None),
        ("https://app.hibob.com/", None),
        ("https://siren.careers.hibob.com.example.org/", None),
        ("https://boards.greenhouse.io/siren", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert HiBobConnector.board_from_url(url) == token


def test_careers_url_round_trips() -> None:
    assert HiBobConnector.board_from_url(HiBobConnector.careers_url("oosto")) == "oosto"
