"""Jobvite: the recorded list excerpt, and HTML list pages served from 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from selectolax.lexbor import LexborHTMLParser
from werkzeug import Request, Response

from leadboard.sources.http import HttpClient
from leadboard.sources.jobvite import JobviteConnector, parse_job, read_rows

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PATH = "/jobs.jobvite.com/feedingamerica/search"
IDS = ["octxAfww", "ohAzAfwK"]


@pytest.fixture
def excerpt(ats_fixtures: Path) -> str:
    return (ats_fixtures / "jobvite" / "search-feedingamerica-trimmed.html").read_text()


def page(*jobs: tuple[str, str], links: str = "") -> str:
    """A list page in the newer template: the location inside the job link."""
    rows = "".join(
        f'<li><a href="/feedingamerica/job/{job_id}"><div class="title">{title}</div>'
        f'<div class="jv-job-list-location">Remote</div></a></li>'
        for job_id, title in jobs
    )
    return f'<html><body><ul class="jv-job-list">{rows}</ul>{links}</body></html>'


def connector(http: HttpClient, server: HTTPServer) -> JobviteConnector:
    return JobviteConnector(http, base_url=server.url_for(""))


def serve(server: HTTPServer, body: str, query: dict[str, str] | None = None) -> None:
    server.expect_request(PATH, query_string=query or "").respond_with_data(
        body, content_type="text/html; charset=utf-8"
    )


def test_recorded_excerpt_parses(excerpt: str) -> None:
    rows = read_rows(LexborHTMLParser(excerpt))
    assert [row["id"] for row in rows] == IDS
    posting = parse_job(rows[0], "feedingamerica", FETCHED)
    assert posting.key == "jobvite:feedingamerica:octxAfww"
    assert posting.url == "https://jobs.jobvite.com/feedingamerica/job/octxAfww"
    assert posting.title == "Manager, Development (Chicago/Hybrid)"
    assert posting.locations == ["Chicago, Illinois"]
    assert posting.description is None and posting.posted_at is None  # the list has neither
    assert posting.extra == {"listing_only": True}
    assert parse_job(rows[1], "feedingamerica", FETCHED).title == (
        "Manager, Technology Vendor Management (Chicago/Hybrid)"
    )


def test_recorded_excerpt_through_a_local_server(
    httpserver: HTTPServer, http: HttpClient, excerpt: str
) -> None:
    serve(httpserver, excerpt)
    fetch = connector(http, httpserver).fetch("feedingamerica", company="Feeding America")
    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == IDS
    assert {p.company for p in fetch.postings} == {"Feeding America"}


def test_newer_template_and_navigation_links() -> None:
    body = page(("a1", "ML Lead")) + '<a href="/feedingamerica/jobs">All jobs</a>'
    [row] = read_rows(LexborHTMLParser(body))
    assert (row["id"], row["title"], row["location"]) == ("a1", "ML Lead", "Remote")


def test_follows_linked_pages(httpserver: HTTPServer, http: HttpClient) -> None:
    links = '<div class="jv-pagination"><a href="?p=1">2</a><a href="?p=2">3</a></div>'
    serve(httpserver, page(("a1", "One"), links=links))
    serve(httpserver, page(("a2", "Two"), ("a1", "One"), links=links), {"p": "1"})
    serve(httpserver, page(("a3", "Three"), links='<a href="?p=1">2</a>'), {"p": "2"})
    fetch = connector(http, httpserver).fetch("feedingamerica")
    assert fetch.complete is True
    assert [p.external_id for p in fetch.postings] == ["a1", "a2", "a3"]  # a1 once
    assert len(httpserver.log) == 3


def test_a_failing_later_page_keeps_the_first(httpserver: HTTPServer, http: HttpClient) -> None:
    serve(httpserver, page(("a1", "One"), links='<a href="?p=1">2</a>'))
    httpserver.expect_request(PATH, query_string={"p": "1"}).respond_with_data("x", status=502)
    fetch = connector(http, httpserver).fetch("feedingamerica")
    assert fetch.complete is False and [p.external_id for p in fetch.postings] == ["a1"]
    assert "p=1" in (fetch.error or "") and "HTTP 502" in (fetch.error or "")


def test_a_link_without_title_is_one_reject(httpserver: HTTPServer, http: HttpClient) -> None:
    serve(httpserver, page(("a1", "One"), ("a2", " "), ("a3", "Three")))
    fetch = connector(http, httpserver).fetch("feedingamerica")
    assert [p.external_id for p in fetch.postings] == ["a1", "a3"]
    [reject] = fetch.rejects
    assert reject.where == "job a2" and "no title" in reject.reason


def test_retries_after_429(httpserver: HTTPServer, http: HttpClient, excerpt: str) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(excerpt, content_type="text/html")
    fetch = connector(http, httpserver).fetch("feedingamerica")
    assert fetch.complete is True and len(fetch.postings) == 2


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (503, "down", "text/html", "HTTP 503"),
        (200, '{"jobs": [{"id": 1', "application/json", "not an HTML page"),
        (200, "Jobs", "text/plain", "not an HTML page"),
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
    httpserver.expect_request(PATH).respond_with_data(
        body, status=status, content_type=content_type
    )
    fetch = connector(http, httpserver).fetch("feedingamerica")
    assert fetch.complete is False and fetch.postings == []
    assert "jobvite career site 'feedingamerica'" in (fetch.error or "")
    assert message in (fetch.error or "")


def test_a_redirect_away_is_no_empty_board(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        "", status=302, headers={"Location": "/support/job-seekers?invalid=1"}
    )
    httpserver.expect_request("/support/job-seekers").respond_with_data(
        "<html><body>Sorry</body></html>", content_type="text/html"
    )
    fetch = connector(http, httpserver).fetch("feedingamerica")
    assert fetch.complete is False and "redirected" in (fetch.error or "")


def test_a_timeout_is_an_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.8)
        return Response("<html></html>", content_type="text/html")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(client, httpserver).fetch("feedingamerica")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://jobs.jobvite.com/genpactexperience", "genpactexperience"),
        ("https://jobs.jobvite.com/resolver/jobs", "resolver"),
        ("http://JOBS.jobvite.com/feedingamerica/job/octxAfww?nl=0", "feedingamerica"),
        ("https://jobs.jobvite.com/careers/nutanix/jobs", "nutanix"),
        ("https://www.jobvite.com/", None),
        ("https://jobs.lever.co/resolver", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert JobviteConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert JobviteConnector.careers_url("resolver") == "https://jobs.jobvite.com/resolver/jobs"
