"""iCIMS: the recorded list excerpt, and list and job pages served from 127.0.0.1.

No job page was recorded: the pages below are hand-written with a schema.org JobPosting block.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from selectolax.lexbor import LexborHTMLParser
from werkzeug import Request, Response

from leadboard.sources.http import HttpClient
from leadboard.sources.icims import IcimsConnector, parse_job, read_rows

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
HOST = "careers-wipfli.icims.com"
LIST = f"/{HOST}/jobs/search"
LIST_QUERY = {"ss": "1", "in_iframe": "1"}
IDS = ["8214", "8212"]


@pytest.fixture
def excerpt(ats_fixtures: Path) -> str:
    return (ats_fixtures / "icims" / "search-wipfli-trimmed.html").read_text()


def job_page(description: str, **fields: Any) -> str:
    node = {"@type": "JobPosting", "title": "T", "description": description, **fields}
    return f'<html><script type="application/ld+json">{json.dumps(node)}</script></html>'


def card(job_id: str, title: str) -> str:
    return (
        f'<div class="row"><div class="header"><span class="field-label">Job Locations</span>'
        f'<span>US-WI-Milwaukee</span></div><a class="iCIMS_Anchor" title="{job_id} - {title}"'
        f' href="https://{HOST}/jobs/{job_id}/x/job?in_iframe=1"><h3>{title}</h3></a></div>'
    )


def connector(http: HttpClient, server: HTTPServer) -> IcimsConnector:
    return IcimsConnector(http, base_url=server.url_for(""))


def serve_list(server: HTTPServer, body: str, page: str | None = None) -> None:
    query = {**LIST_QUERY, "pr": page} if page else LIST_QUERY
    server.expect_request(LIST, query_string=query).respond_with_data(
        whole_page(body), content_type="text/html"
    )


def whole_page(body: str) -> str:
    """A list page as served: a page cut short (no ``</html>``) does not count as a listing."""
    return body if "</html>" in body else f"<html><body>{body}</body></html>"


def serve_job(server: HTTPServer, job_id: str, body: str, status: int = 200) -> None:
    server.expect_request(f"/{HOST}/jobs/{job_id}/job").respond_with_data(
        body, status=status, content_type="text/html"
    )


def test_recorded_excerpt_parses(excerpt: str) -> None:
    rows = read_rows(LexborHTMLParser(excerpt))
    assert [row["id"] for row in rows] == IDS
    first = parse_job(rows[0], HOST, FETCHED)
    assert first.key == f"icims:{HOST}:8214"
    assert first.url == f"https://{HOST}/jobs/8214/payroll-tax-specialist/job"
    assert first.title == "Payroll Tax Specialist"
    assert first.locations == ["US"]
    assert first.requisition_id == "2026-8214"
    assert first.description is None and first.posted_at is None  # the list has neither
    assert first.extra == {}
    assert parse_job(rows[1], HOST, FETCHED).requisition_id == "2026-8212"


def test_recorded_excerpt_with_job_pages(
    httpserver: HTTPServer, http: HttpClient, excerpt: str
) -> None:
    serve_list(httpserver, excerpt)
    serve_job(
        httpserver,
        "8214",
        job_page(
            "<p>Payroll tax work.</p>",
            datePosted="2026-04-02",
            validThrough="2026-07-01",
            employmentType="FULL_TIME",
            hiringOrganization={"@type": "Organization", "name": "Wipfli"},
            jobLocation={"@type": "Place", "address": {"addressLocality": "Milwaukee"}},
        ),
    )
    serve_job(httpserver, "8212", "<html><body>no data</body></html>")
    fetch = connector(http, httpserver).fetch(HOST)

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    first, second = fetch.postings
    assert [first.external_id, second.external_id] == IDS
    assert first.description == "<p>Payroll tax work.</p>" and first.description_format == "html"
    assert (first.posted_at, first.closes_at) == ("2026-04-02", "2026-07-01")
    assert first.employment_type == "FULL_TIME" and first.company == "Wipfli"
    assert first.locations[0] == "US" and len(first.locations) == 2
    assert first.requisition_id == "2026-8214"
    assert second.description is None and second.extra["page_without_description"] is True


def test_follows_linked_pages_and_keeps_a_failing_page_partial(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    serve_list(httpserver, card("1", "One") + '<a href="?pr=1&ss=1&in_iframe=1">Next</a>')
    serve_list(httpserver, card("2", "Two") + '<a href="?pr=2&ss=1">Next</a>', "1")
    httpserver.expect_request(LIST, query_string={**LIST_QUERY, "pr": "2"}).respond_with_data(
        "down", status=503
    )
    for job_id in ("1", "2"):
        serve_job(httpserver, job_id, job_page(f"<p>{job_id}</p>"))
    fetch = connector(http, httpserver).fetch(HOST)
    assert [p.external_id for p in fetch.postings] == ["1", "2"]
    assert fetch.complete is False and "pr=2" in (fetch.error or "")
    assert fetch.postings[0].locations == ["US-WI-Milwaukee"]


def test_gone_unchanged_and_rejected_jobs(httpserver: HTTPServer, http: HttpClient) -> None:
    serve_list(httpserver, card("1", "One") + card("2", "Two") + card("3", " "))
    serve_job(httpserver, "1", job_page("<p>1</p>"))
    serve_job(httpserver, "2", "gone", status=404)
    serve_job(httpserver, "3", job_page("<p>3</p>"))
    first = connector(http, httpserver).fetch(HOST)
    assert [p.external_id for p in first.postings] == ["1"]
    assert first.gone == {"2"}
    [reject] = first.rejects
    assert reject.where == "job 3" and "no title" in reject.reason

    httpserver.clear_log()
    known = {"1": first.postings[0].extra["listing_hash"]}
    again = connector(http, httpserver).fetch(HOST, known=known)
    assert again.unchanged == {"1"}
    paths = [request.path for request, _ in httpserver.log]
    assert f"/{HOST}/jobs/1/job" not in paths and f"/{HOST}/jobs/2/job" in paths


def test_retries_after_429(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_ordered_request(LIST).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(LIST).respond_with_data(
        whole_page(card("1", "One")), content_type="text/html"
    )
    serve_job(httpserver, "1", job_page("<p>1</p>"))
    fetch = connector(http, httpserver).fetch(HOST)
    assert fetch.complete is True and len(fetch.postings) == 1


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (500, "oops", "text/html", "HTTP 500"),
        (200, '{"searchResults": [{"id": 1', "application/json", "not an HTML page"),
    ],
)
def test_a_bad_site_is_an_error(
    httpserver: HTTPServer,
    http: HttpClient,
    status: int,
    body: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(LIST).respond_with_data(
        body, status=status, content_type=content_type
    )
    fetch = connector(http, httpserver).fetch(HOST)
    assert fetch.complete is False and fetch.postings == []
    assert f"icims career site '{HOST}'" in (fetch.error or "") and message in (fetch.error or "")


def test_a_timeout_is_an_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.8)
        return Response("<html></html>", content_type="text/html")

    httpserver.expect_request(LIST).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(client, httpserver).fetch(HOST)
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://careers-adventhealthglr.icims.com/", "careers-adventhealthglr.icims.com"),
        ("https://aujscareers-aus.icims.com/jobs/intro", "aujscareers-aus.icims.com"),
        (
            "https://careers-swissport.icims.com/jobs/search?ss=1&hashed=-625920382&in_iframe=1",
            "careers-swissport.icims.com",
        ),
        ("http://Careers-Wipfli.iCIMS.com/jobs/8214/payroll/job", "careers-wipfli.icims.com"),
        ("https://www.icims.com/", None),
        ("https://careers.qorvo.com/", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert IcimsConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert IcimsConnector.careers_url(HOST) == f"https://{HOST}/jobs/search?ss=1"


def test_a_list_page_cut_short_is_a_partial_listing(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    httpserver.expect_request(LIST).respond_with_data(
        "<html><body>"
        + card("1", "One")
        + card(
            "2",
            "Tw",
        ),
        content_type="text/html",
    )
    fetch = connector(http, httpserver).fetch(HOST)
    assert fetch.complete is False and "cut short" in (fetch.error or "")
