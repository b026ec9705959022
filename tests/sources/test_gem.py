"""Gem: the recorded job-board response, and boards served from 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.gem import GemConnector, parse_job
from leadboard.sources.http import HttpClient
from leadboard.sources.registry import connector_class

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PATH = "/api.gem.com/job_board/v0/gem/job_posts/"


@pytest.fixture
def posts(ats_fixtures: Path) -> list[dict[str, Any]]:
    return json.loads((ats_fixtures / "gem" / "job-posts-gem.json").read_text())


def connector(http: HttpClient, server: HTTPServer) -> GemConnector:
    return GemConnector(http, base_url=server.url_for(""))


# --- the recorded response -----------------------------------------------------------------------


def test_registry_names_this_class() -> None:
    assert connector_class("gem") is GemConnector


def test_recorded_posts_parse(posts: list[dict[str, Any]]) -> None:
    first, second = (parse_job(record, "gem", FETCHED) for record in posts)

    assert first.key == "gem:gem:4965519002"
    assert first.url == "https://jobs.gem.com/gem/4965519002"
    assert first.title == "Software Engineer"
    assert first.locations == ["San Francisco, United States"]  # office repeats it: once
    assert first.posted_at == "2020-11-17T15:37:23.000Z"  # first_published_at, not created_at
    assert first.updated_at == "2026-03-10T21:20:54.077Z"
    assert first.workplace_type == "hybrid" and first.employment_type == "full_time"
    assert first.requisition_id == "95"
    assert first.description_format == "html"
    assert (first.description or "").startswith("<h2>Role Details</h2>")
    assert first.description.endswith("...")  # the recorder cut it: passed on as received
    assert first.extra == {
        "internal_job_id": "4117748002",
        "departments": ["Engineering"],
        "offices": ["San Francisco"],
        "created_at": "2020-11-17T15:37:20.000Z",
    }
    assert first.payload == posts[0] and first.salary is None and first.salary_text is None

    assert second.external_id == "am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL"  # opaque id
    assert second.url == "https://jobs.gem.com/gem/am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL"
    assert second.title == "Senior Software Engineer - Core ATS"
    assert second.posted_at == "2025-12-04T18:31:33.628Z"
    assert second.requisition_id == "R20220335"


def test_recorded_board_through_a_local_server(
    httpserver: HTTPServer, http: HttpClient, posts: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(PATH).respond_with_json(posts)
    fetch = connector(http, httpserver).fetch("gem", company="Gem")
    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == [
        "4965519002",
        "am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL",
    ]
    assert fetch.listed == {"4965519002", "am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL"}
    assert {p.company for p in fetch.postings} == {"Gem"}


# --- parse on odd records ------------------------------------------------------------------------


def test_plain_content_and_created_at_fallbacks() -> None:
    record = {
        "id": "x1",
        "title": "ML Lead",
        "content": "  ",
        "content_plain": "Lead the ML team.",
        "created_at": "2026-01-02T00:00:00Z",
        "location": "Remote",
        "offices": [{"name": "NYC", "location": {"name": "New York, United States"}}, "junk"],
        "departments": "not a list",
    }
    posting = parse_job(record, "acme", FETCHED)
    assert (posting.description, posting.description_format) == ("Lead the ML team.", "text")
    assert posting.posted_at == "2026-01-02T00:00:00Z"
    assert posting.locations == ["Remote", "New York, United States"]
    assert posting.extra == {"offices": ["NYC"], "created_at": "2026-01-02T00:00:00Z"}


def test_no_dates_when_the_record_has_none() -> None:
    posting = parse_job({"id": 3, "title": "T"}, "acme", FETCHED)
    assert posting.posted_at is None and posting.updated_at is None
    assert posting.description is None and posting.description_format is None
    assert posting.locations == []


@pytest.mark.parametrize(
    ("record", "reason"),
    [("text", "not an object"), ({"title": "T"}, "no id"), ({"id": "x", "title": " "}, "no title")],
)
def test_unusable_records_raise(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_job(record, "acme", FETCHED)


# --- the fetcher against a local server ----------------------------------------------------------


def test_a_malformed_record_is_one_reject(
    httpserver: HTTPServer, http: HttpClient, posts: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(PATH).respond_with_json([posts[0], {"title": "no id"}, posts[1]])
    fetch = connector(http, httpserver).fetch("gem")
    assert fetch.complete is True and len(fetch.postings) == 2
    [reject] = fetch.rejects
    assert reject.source == "gem:gem" and reject.where == "job posts[1]"
    assert "no id" in reject.reason


def test_retries_after_429(
    httpserver: HTTPServer, http: HttpClient, posts: list[dict[str, Any]]
) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(posts)
    fetch = connector(http, httpserver).fetch("gem")
    assert fetch.complete is True and len(fetch.postings) == 2 and len(httpserver.log) == 2


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (503, "down", "text/plain", "HTTP 503"),
        (404, '{"error": "not found"}', "application/json", "HTTP 404"),
        (200, '[{"id": "1', "application/json", "is not JSON"),
        (200, "<html><body>Jobs</body></html>", "text/html", "is not JSON"),
        (200, '{"job_posts": []}', "application/json", "is not a list of job posts"),
    ],
)
def test_a_bad_board_is_an_error(
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
    fetch = connector(http, httpserver).fetch("gem")
    assert fetch.complete is False and fetch.postings == []
    assert "gem board 'gem'" in (fetch.error or "") and message in (fetch.error or "")


def test_a_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.8)
        return Response("[]", content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(client, httpserver).fetch("gem")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


# --- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://jobs.gem.com/11x-ai", "11x-ai"),
        ("https://jobs.gem.com/instrumental-inc-", "instrumental-inc-"),
        ("http://JOBS.GEM.COM/groq/", "groq"),
        ("https://jobs.gem.com/lumalabs-ai/am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL?utm=x", "lumalabs-ai"),
        ("https://jobs.gem.com/bilt/4965519002", "bilt"),
        ("https://api.gem.com/job_board/v0/shef-com/job_posts/", "shef-com"),
        ("https://www.gem.com/careers", None),
        ("https://jobs.lever.co/groq", None),
        ("https://jobs.gem.com/", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert GemConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert GemConnector.careers_url("groq") == "https://jobs.gem.com/groq"
