"""Lever: parse_job on hand-written records, and paginated sites served from 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from leadboard.sources.http import HttpClient
from leadboard.sources.lever import LeverConnector, parse_job, split_board

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PATH = "/v0/postings/acmelab"


def page(number: int) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / f"lever_page{number}.json").read_text())


def query(skip: int, limit: int) -> dict[str, str]:
    return {"mode": "json", "skip": str(skip), "limit": str(limit)}


# --- parse_job ----------------------------------------------------------------------------------


def test_parse_job_reads_every_field() -> None:
    record = page(1)[0]
    posting = parse_job(record, "acmelab", FETCHED)

    assert posting.key == "lever:acmelab:5b1f2c3d-0000-4000-8000-000000000001"
    assert posting.url == "https://jobs.lever.co/acmelab/5b1f2c3d-0000-4000-8000-000000000001"
    assert posting.title == "Applied AI Engineering Lead"
    assert posting.company is None  # Lever records do not name the company
    assert posting.locations == ["Paris", "London"]
    assert posting.posted_at == "2026-04-01T00:00:00+00:00"  # createdAt 1775001600000 ms
    assert posting.workplace_type == "hybrid"
    assert posting.employment_type == "Full-time"
    assert posting.salary_text == "Plus equity."
    assert posting.payload == record
    assert posting.extra == {
        "team": "Applied AI",
        "department": "Engineering",
        "country": "FR",
        "apply_url": record["applyUrl"],
    }
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period, salary.cents) == (
        120000,
        160000,
        "EUR",
        "per-year-salary",
        False,
    )


def test_description_joins_body_lists_and_additional() -> None:
    posting = parse_job(page(1)[0], "acmelab", FETCHED)
    assert posting.description_format == "html"
    text = posting.description or ""
    pieces = [
        "<div>Mistral-like lab looking for an <b>applied AI lead</b>.</div>",
        "<h3>What you will do</h3>",
        "<ul><li>Lead 6 engineers</li>",
        "<h3>About you</h3>",
        "<li>8+ years in ML</li>",
        "<div>We offer equity and a learning budget.</div>",
    ]
    positions = [text.index(piece) for piece in pieces]
    assert positions == sorted(positions)  # in Lever's own order


def test_plain_text_when_there_is_no_html() -> None:
    posting = parse_job(page(1)[1], "acmelab", FETCHED)
    assert posting.description == "Short contract evaluating LLM agents."
    assert posting.description_format == "text"
    assert posting.salary is None and posting.locations == ["Remote - US"]
    assert posting.workplace_type == "remote"


def test_split_description_opening_and_body() -> None:
    record = {
        "id": "x",
        "text": "ML Manager",
        "opening": "<p>Hello</p>",
        "descriptionBody": "<p>Body</p>",
        "lists": [{"text": "<Needs>", "content": ""}],
    }
    posting = parse_job(record, "b", FETCHED)
    assert posting.description == "<p>Hello</p>\n<p>Body</p>\n<h3>&lt;Needs&gt;</h3>"


def test_unspecified_workplace_is_no_hint() -> None:
    assert parse_job(page(2)[0], "acmelab", FETCHED).workplace_type is None


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (1775001600000, "2026-04-01T00:00:00+00:00"),
        (0, "1970-01-01T00:00:00+00:00"),
        (1775001600123.0, "2026-04-01T00:00:00.123000+00:00"),
        ("2026-04-01", "2026-04-01"),  # already a date string: passed on
        (None, None),
        (True, None),
        (10**20, None),  # out of range
    ],
)
def test_created_at_epoch_ms(created: Any, expected: str | None) -> None:
    record = {"id": "x", "text": "T", "createdAt": created}
    assert parse_job(record, "b", FETCHED).posted_at == expected


@pytest.mark.parametrize(
    "salary_range",
    [None, "100k", {}, {"min": None, "max": None, "currency": "USD"}, {"min": "a", "max": []}],
)
def test_unusable_salary_range_is_no_hint(salary_range: Any) -> None:
    assert (
        parse_job({"id": "x", "text": "T", "salaryRange": salary_range}, "b", FETCHED).salary
        is None
    )


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("text", "not an object"),
        ({"text": "ML Lead"}, "no id"),
        ({"id": "x"}, "no title"),
        ({"id": "x", "text": ""}, "no title"),
    ],
)
def test_unusable_records_raise_value_error(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_job(record, "b", FETCHED)


@pytest.mark.parametrize(
    ("board", "expected"),
    [("acme", ("acme", False)), ("eu:acme", ("acme", True)), ("EU:acme", ("acme", True))],
)
def test_split_board(board: str, expected: tuple[str, bool]) -> None:
    assert split_board(board) == expected


# --- the paginated fetcher ----------------------------------------------------------------------


def test_pages_until_a_short_page(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH, query_string=query(0, 2)).respond_with_json(page(1))
    httpserver.expect_request(PATH, query_string=query(2, 2)).respond_with_json(page(2))
    httpserver.expect_request(PATH, query_string=query(4, 2)).respond_with_json([])
    connector = LeverConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch("acmelab", company="Acme Lab")

    assert fetch.error is None and fetch.complete is True
    assert [p.title for p in fetch.postings] == [
        "Applied AI Engineering Lead",
        "ML Research Contractor",
        "Head of Inference Platform",
    ]
    assert {p.company for p in fetch.postings} == {"Acme Lab"}  # filled from the board list
    [reject] = fetch.rejects
    assert reject.source == "lever:acmelab" and reject.where == "postings[3]"
    assert "no id" in reject.reason
    assert len(httpserver.log) == 3


def test_single_short_page_is_complete(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH, query_string=query(0, 100)).respond_with_json(page(1))
    fetch = LeverConnector(http, base_url=httpserver.url_for("")).fetch("acmelab")
    assert fetch.complete is True and len(fetch.postings) == 2 and len(httpserver.log) == 1


def test_a_failing_later_page_makes_the_listing_incomplete(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    httpserver.expect_request(PATH, query_string=query(0, 2)).respond_with_json(page(1))
    httpserver.expect_request(PATH, query_string=query(2, 2)).respond_with_data(
        "upstream", status=502
    )
    fetch = LeverConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch("acmelab")
    assert fetch.complete is False and len(fetch.postings) == 2  # what came back is kept
    assert "lever site 'acmelab'" in (fetch.error or "") and "HTTP 502" in (fetch.error or "")


def test_eu_site_goes_to_the_eu_host(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH).respond_with_json(page(2)[:1])
    connector = LeverConnector(
        http, base_url="http://127.0.0.1:9/not-used", eu_base_url=httpserver.url_for("")
    )
    fetch = connector.fetch("eu:acmelab")
    assert fetch.complete is True and fetch.board == "eu:acmelab"
    assert fetch.postings[0].key == "lever:eu:acmelab:5b1f2c3d-0000-4000-8000-000000000003"


def test_hosts_from_environment(
    httpserver: HTTPServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADBOARD_LEVER_API", httpserver.url_for("/global"))
    monkeypatch.setenv("LEADBOARD_LEVER_EU_API", httpserver.url_for("/eu"))
    httpserver.expect_request("/global" + PATH).respond_with_json([])
    httpserver.expect_request("/eu" + PATH).respond_with_json([])
    connector = LeverConnector(http)
    assert connector.fetch("acmelab").complete is True
    assert connector.fetch("eu:acmelab").complete is True


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, '{"ok": false, "error": "Document not found"}', "HTTP 404"),
        (200, '{"ok": false, "error": "Document not found"}', "is not a list of postings"),
        (200, '[{"id": ', "is not JSON"),
    ],
)
def test_bad_site_is_an_error(
    httpserver: HTTPServer, http: HttpClient, status: int, body: str, message: str
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        body, status=status, content_type="application/json"
    )
    fetch = LeverConnector(http, base_url=httpserver.url_for("")).fetch("acmelab")
    assert fetch.complete is False and fetch.postings == []
    assert message in (fetch.error or "")
