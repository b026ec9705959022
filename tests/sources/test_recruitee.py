"""Recruitee: recorded offers responses parsed, and careers sites served from 127.0.0.1."""

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
from leadboard.sources.recruitee import RecruiteeConnector, board_host, parse_offer

FETCHED = datetime(2026, 8, 12, 12, 0, tzinfo=UTC)
PATH = "/aikidosecurity.recruitee.com/api/offers/"


def recorded(ats_fixtures: Path, name: str) -> dict[str, Any]:
    return json.loads((ats_fixtures / "recruitee" / f"offers-{name}.json").read_text())


@pytest.fixture
def aikido(ats_fixtures: Path) -> dict[str, Any]:
    return recorded(ats_fixtures, "aikidosecurity")


def offer(offer_id: Any, title: str = "ML Engineer", **fields: Any) -> dict[str, Any]:
    return {"id": offer_id, "title": title, **fields}


# --- the recorded responses ---------------------------------------------------------------------


def test_aikido_offers_parse(aikido: dict[str, Any]) -> None:
    postings = [parse_offer(o, "aikidosecurity", FETCHED) for o in aikido["offers"]]

    assert [p.external_id for p in postings] == ["2707521", "2707517", "2705729"]
    tel_aviv, dubai, chicago = postings
    assert tel_aviv.title == "Customer Success Engineer Tel Aviv"
    assert tel_aviv.url == (
        "https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv"
    )
    assert tel_aviv.company == "Aikido Security"
    assert tel_aviv.locations == ["Tel Aviv, Israel"]  # city and state are both "Tel Aviv"
    assert tel_aviv.workplace_type == "Remote"  # remote: true, although the offer names a city
    assert tel_aviv.posted_at == "2026-08-11 20:45:29 UTC"  # published_at, not created_at
    assert tel_aviv.extra["created_at"] == "2026-08-11 20:42:57 UTC"
    assert tel_aviv.employment_type == "fulltime_permanent"
    assert tel_aviv.salary is None  # the all-null salary object
    assert dubai.locations == ["Dubai, United Arab Emirates"]
    assert chicago.locations == ["Chicago, Illinois, United States"]
    assert chicago.workplace_type == "On-site"
    assert chicago.updated_at == "2026-08-10 19:18:44 UTC"
    pay = chicago.salary
    assert pay is not None
    assert (pay.min, pay.max, pay.currency, pay.period) == (75.0, 95.0, "USD", "year")
    # The description (cut at 600 characters by the recorder) and the requirements, in order.
    text = tel_aviv.description or ""
    assert tel_aviv.description_format == "html"
    assert text.startswith("<p><strong>🌍 We’re making security suck less")
    assert text.index("<h3>Requirements</h3>") < text.index("<ul><li><p>Medior/Senior profile")
    assert tel_aviv.payload == aikido["offers"][0]


def test_channable_offers_parse(ats_fixtures: Path) -> None:
    body = recorded(ats_fixtures, "channable")
    first, second = (parse_offer(o, "channable", FETCHED) for o in body["offers"])

    assert (first.external_id, first.title) == ("2631774", "Account Executive France")
    # A custom careers domain: the record's careers_url is the public page.
    assert first.url == "https://jobs.channable.com/o/account-executive-france-2028"
    assert first.locations == ["Utrecht, Netherlands"]
    assert first.workplace_type == "Hybrid"
    assert first.employment_type == "fulltime_fixed_term"
    assert first.posted_at == "2026-06-08 13:03:54 UTC"
    pay = first.salary
    assert pay is not None
    assert (pay.min, pay.max, pay.currency, pay.period) == (5253.0, 6152.0, "EUR", "month")
    # This trimmed capture has no requirements: the description alone, no empty heading.
    assert second.description is not None and "<h3>" not in second.description
    assert second.extra["department"] == "Engineering"


def test_recorded_board_served_locally(
    httpserver: HTTPServer, http: HttpClient, aikido: dict[str, Any]
) -> None:
    httpserver.expect_request(PATH, method="GET").respond_with_json(aikido)
    fetch = RecruiteeConnector(http, base_url=httpserver.url_for("")).fetch("aikidosecurity")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.key for p in fetch.postings] == [
        "recruitee:aikidosecurity:2707521",
        "recruitee:aikidosecurity:2707517",
        "recruitee:aikidosecurity:2705729",
    ]
    assert fetch.listed == {"2707521", "2707517", "2705729"}
    assert all(p.description for p in fetch.postings)


def test_custom_domain_board(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request("/careers.atlys.com/api/offers/").respond_with_json(
        {"offers": [offer(1, careers_url="https://careers.atlys.com/o/ml")]}
    )
    fetch = RecruiteeConnector(http, base_url=httpserver.url_for("")).fetch("careers.atlys.com")
    assert fetch.complete is True
    assert [p.url for p in fetch.postings] == ["https://careers.atlys.com/o/ml"]


# --- parse on odd records -----------------------------------------------------------------------


def test_fallbacks_for_sparse_offers() -> None:
    posting = parse_offer(
        offer(9, slug="ml-lead", location="Remote job", salary={"min": "n/a"}), "acme", FETCHED
    )
    assert posting.url == "https://acme.recruitee.com/o/ml-lead"  # built from the slug
    assert posting.locations == ["Remote job"]  # no structured place: the label as given
    assert posting.salary is None and posting.posted_at is None  # nothing invented
    assert posting.workplace_type is None and posting.description is None
    flat = parse_offer(offer(9, city="Berlin", country="Germany"), "acme", FETCHED)
    assert flat.locations == ["Berlin, Germany"] and flat.url is None


@pytest.mark.parametrize(
    ("record", "reason"),
    [("x", "not an object"), ({"title": "T"}, "no id"), ({"id": 3, "title": " "}, "no title")],
)
def test_unusable_records_raise_value_error(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_offer(record, "acme", FETCHED)


# --- the fetcher against a local server ---------------------------------------------------------


def test_429_then_success(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json({"offers": [offer(1)]})
    fetch = RecruiteeConnector(http, base_url=httpserver.url_for("")).fetch("aikidosecurity")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1"]
    assert len(httpserver.log) == 2


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (503, "down", "text/plain", "HTTP 503"),
        (404, "no", "text/plain", "HTTP 404"),
        (200, '{"offers": [{"id": 1', "application/json", "is not JSON"),
        (200, "<html><body>Careers</body></html>", "text/html", "is not JSON"),
        (200, '{"error": "not found"}', "application/json", "no 'offers' list"),
        (200, '[{"id": 1}]', "application/json", "no 'offers' list"),
    ],
)
def test_bad_board_is_an_error(
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
    fetch = RecruiteeConnector(http, base_url=httpserver.url_for("")).fetch("aikidosecurity")
    assert fetch.complete is False and fetch.postings == []
    assert "recruitee careers site 'aikidosecurity'" in (fetch.error or "")
    assert message in (fetch.error or "")


def test_timeout_is_an_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response('{"offers": []}', content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = RecruiteeConnector(client, base_url=httpserver.url_for("")).fetch("aikidosecurity")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


def test_one_bad_offer_is_rejected_the_rest_kept(httpserver: HTTPServer, http: HttpClient) -> None:
    offers = [offer(1), {"id": 2, "title": None}, "junk", offer(3, "Data Lead")]
    httpserver.expect_request(PATH).respond_with_json({"offers": offers})
    fetch = RecruiteeConnector(http, base_url=httpserver.url_for("")).fetch("aikidosecurity")

    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "3"]
    assert [(r.where, r.source) for r in fetch.rejects] == [
        ("offer 2", "recruitee:aikidosecurity"),
        ("offers[2]", "recruitee:aikidosecurity"),
    ]
    assert fetch.listed == {"1", "2", "3"}  # a listed offer is never closed, parsed or not


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://consultdss.recruitee.com/jobs", "consultdss"),
        ("https://8advisory.recruitee.com/l/en/", "8advisory"),
        ("http://SwordTech.Recruitee.com/open-positions?x=1", "swordtech"),
        ("https://aikidosecurity.recruitee.com/o/office-manager-chicago", "aikidosecurity"),
        ("https://channable.recruitee.com/api/offers/", "channable"),
        ("semrush.recruitee.com", "semrush"),
        ("https://jobs.channable.com/o/ai-engineer", None),  # a custom domain: not recognisable
        ("https://www.recruitee.com/", None),
        ("https://boards.greenhouse.io/anthropic", None),
        ("not a url", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert RecruiteeConnector.board_from_url(url) == token


def test_careers_url_and_host() -> None:
    assert RecruiteeConnector.careers_url("semrush") == "https://semrush.recruitee.com/"
    assert board_host("careers.qblox.com") == "careers.qblox.com"
