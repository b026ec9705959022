"""SmartRecruiters: recorded responses parsed, and companies served from 127.0.0.1."""

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
from leadboard.sources.smartrecruiters import SmartRecruitersConnector, parse_posting

FETCHED = datetime(2026, 8, 5, 12, 0, tzinfo=UTC)
API = "/api.smartrecruiters.com/v1/companies"
DETAIL_ID = "744000140949875"


def load(ats_fixtures: Path, name: str) -> Any:
    return json.loads((ats_fixtures / "smartrecruiters" / name).read_text())


def page(records: list[dict[str, Any]], *, total: int, offset: int = 0) -> dict[str, Any]:
    return {"offset": offset, "limit": 100, "totalFound": total, "content": records}


def item(posting_id: str, name: str = "ML Engineer") -> dict[str, Any]:
    return {"id": posting_id, "name": name, "company": {"identifier": "acme", "name": "Acme"}}


def query(offset: int, limit: int = 100) -> dict[str, str]:
    return {"limit": str(limit), "offset": str(offset)}


def serve_details(server: HTTPServer, company: str = "acme") -> None:
    """Every ``/postings/{id}`` of ``company`` answers a small job ad naming that id."""

    def detail(request: Request) -> Response:
        posting_id = request.path.rsplit("/", 1)[1]
        body = {
            "id": posting_id,
            "postingUrl": f"https://jobs.smartrecruiters.com/{company}/{posting_id}-ml",
            "jobAd": {"sections": {"jobDescription": {"title": "Job", "text": "<p>Build.</p>"}}},
        }
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request(re.compile(rf"^{API}/{company}/postings/[^/]+$")).respond_with_handler(
        detail
    )


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> SmartRecruitersConnector:
    return SmartRecruitersConnector(http, base_url=httpserver.url_for(""))


# --- recorded responses ---------------------------------------------------------------------------


def test_visa_listing_items_parse(ats_fixtures: Path) -> None:
    body = load(ats_fixtures, "list-visa-limit2.json")
    director, engineer = (parse_posting(r, "Visa", FETCHED) for r in body["content"])

    assert director.key == "smartrecruiters:Visa:744000129971988"
    assert director.title == "Director"
    assert director.company == "Visa"
    assert director.url == "https://jobs.smartrecruiters.com/Visa/744000129971988"
    assert director.locations == ["Bengaluru, KA, India"]
    assert director.posted_at == "2026-06-03T11:08:12.368Z"
    assert director.updated_at is None  # the API gives no update date: none is invented
    assert director.workplace_type == "onsite"  # remote and hybrid both false
    assert director.employment_type == "Full-time"
    assert director.requisition_id == "REF97388Z"
    assert director.description is None and director.salary is None  # listing items only
    assert director.extra["department"] == "Cyber Security"
    assert director.extra["country"] == "in"
    assert director.extra["custom_fields"]["Job Family Group"] == "Engineering and Technology"
    assert director.payload == body["content"][0]

    assert engineer.workplace_type == "hybrid"
    assert engineer.extra["hybrid_description"].startswith("Austin, TX office")
    assert engineer.extra["experience_level"] == "Mid-Senior Level"


def test_knight_listing_with_empty_department(ats_fixtures: Path) -> None:
    [record] = load(ats_fixtures, "list-knight.json")["content"]
    posting = parse_posting(record, "knight", FETCHED)
    assert posting.title == "CNA  / LPN - Consistent Hours. Start Next Week."
    assert posting.company == "Knight Gayles"
    # the company identifier ("Knight") builds the public URL, not the board token's spelling
    assert posting.url == "https://jobs.smartrecruiters.com/Knight/743999671674844"
    assert posting.employment_type == "Part-time"
    assert posting.posted_at == "2018-06-08T02:11:28.000Z"
    assert "department" not in posting.extra  # {} when unset


def test_western_digital_listing_parses(ats_fixtures: Path) -> None:
    body = load(ats_fixtures, "list-westerndigital.json")
    postings = [parse_posting(r, "WesternDigital", FETCHED) for r in body["content"]]
    assert [p.external_id for p in postings] == [
        "744000141247940",
        "744000141229015",
        "744000141229499",
    ]
    assert postings[0].title.startswith("環境・安全衛生マネージャー")
    assert postings[1].title == "Intern - Data Science"
    assert postings[1].locations == ["Bayan Lepas, Penang, Malaysia"]


def test_detail_gives_job_ad_url_and_pay(ats_fixtures: Path) -> None:
    detail = load(ats_fixtures, f"detail-westerndigital-{DETAIL_ID}.json")
    posting = parse_posting(detail, "WesternDigital", FETCHED)

    assert posting.title == "Summer 2027 Intern - Hardware Engineering"
    assert posting.url == (
        "https://jobs.smartrecruiters.com/WesternDigital/"
        "744000140949875-summer-2027-intern-hardware-engineering"
    )
    assert posting.posted_at == "2026-07-31T15:44:17.247Z"
    assert posting.workplace_type == "hybrid"
    assert posting.employment_type == "Intern"
    assert posting.description_format == "html"
    text = posting.description or ""
    headings = [
        "<h3>Company Description</h3>",
        "<h3>Job Description</h3>",
        "<h3>Qualifications</h3>",
        "<h3>Additional Information</h3>",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "WD is building the infrastructure behind the AI-driven data economy." in text
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (34, 47, "USD", "HOURLY")
    assert posting.extra["apply_url"].endswith("?oga=true")


def test_recorded_company_served_end_to_end(
    ats_fixtures: Path, httpserver: HTTPServer, connector: SmartRecruitersConnector
) -> None:
    listing = load(ats_fixtures, "list-westerndigital.json")
    detail = load(ats_fixtures, f"detail-westerndigital-{DETAIL_ID}.json")
    httpserver.expect_request(
        f"{API}/WesternDigital/postings", query_string=query(0)
    ).respond_with_json(listing)
    # The recorded detail belongs to another posting of the same company: each listed posting is
    # answered with it, under its own id and name.
    for record in listing["content"]:
        own = {**detail, "id": record["id"], "name": record["name"]}
        httpserver.expect_request(
            f"{API}/WesternDigital/postings/{record['id']}"
        ).respond_with_json(own)

    fetch = connector.fetch("WesternDigital")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == [r["id"] for r in listing["content"]]
    assert {p.company for p in fetch.postings} == {"Western Digital"}
    assert all(p.description and p.salary for p in fetch.postings)
    # where both give a field, the detail's (read later) wins over the listing item's
    assert fetch.postings[1].locations == ["San Jose, CA, United States"]
    assert fetch.postings[1].payload["refNumber"] == detail["refNumber"]


def test_recorded_short_listing_is_partial(
    ats_fixtures: Path, httpserver: HTTPServer, http: HttpClient
) -> None:
    """Visa's page announces 10 postings and holds 2; an empty next page leaves it partial."""
    body = load(ats_fixtures, "list-visa-limit2.json")
    httpserver.expect_request(f"{API}/Visa/postings", query_string=query(0, 2)).respond_with_json(
        body
    )
    httpserver.expect_request(f"{API}/Visa/postings", query_string=query(2, 2)).respond_with_json(
        page([], total=10, offset=2)
    )
    serve_details(httpserver, "Visa")
    connector = SmartRecruitersConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch("Visa")

    assert fetch.complete is False and "got 2 of 10 postings" in (fetch.error or "")
    assert len(fetch.postings) == 2 and fetch.listed == {"744000129971988", "744000122509268"}


# --- the fetcher ----------------------------------------------------------------------------------


def test_pages_until_total_found(httpserver: HTTPServer, http: HttpClient) -> None:
    pages = [[item("1"), item("2")], [item("3"), item("4")], [item("5")]]
    for number, records in enumerate(pages):
        httpserver.expect_request(
            f"{API}/acme/postings", query_string=query(2 * number, 2)
        ).respond_with_json(page(records, total=5, offset=2 * number))
    serve_details(httpserver)
    connector = SmartRecruitersConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch("acme")

    assert fetch.error is None and fetch.complete is True
    assert [p.external_id for p in fetch.postings] == ["1", "2", "3", "4", "5"]
    assert fetch.postings[0].description == "<h3>Job</h3>\n<p>Build.</p>"
    assert fetch.postings[0].url == "https://jobs.smartrecruiters.com/acme/1-ml"
    listing_requests = [r for r in httpserver.log if r[0].path == f"{API}/acme/postings"]
    assert len(listing_requests) == 3  # stopped at totalFound: no empty fourth page


def test_total_changing_while_paging_is_partial(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(f"{API}/acme/postings", query_string=query(0, 2)).respond_with_json(
        page([item("1"), item("2")], total=4)
    )
    httpserver.expect_request(f"{API}/acme/postings", query_string=query(2, 2)).respond_with_json(
        page([item("4")], total=3, offset=2)  # one closed meanwhile: "3" may have been skipped
    )
    serve_details(httpserver)
    connector = SmartRecruitersConnector(http, base_url=httpserver.url_for(""), page_size=2)
    fetch = connector.fetch("acme")
    assert fetch.complete is False and "changed while read (4 → 3)" in (fetch.error or "")
    assert [p.external_id for p in fetch.postings] == ["1", "2"]


def test_429_then_success(httpserver: HTTPServer, connector: SmartRecruitersConnector) -> None:
    httpserver.expect_ordered_request(f"{API}/acme/postings").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(f"{API}/acme/postings").respond_with_json(
        page([item("1")], total=1)
    )
    serve_details(httpserver)
    fetch = connector.fetch("acme")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1"]


def test_persistent_5xx_is_a_board_error(
    httpserver: HTTPServer, connector: SmartRecruitersConnector
) -> None:
    httpserver.expect_request(f"{API}/acme/postings").respond_with_data("down", status=503)
    fetch = connector.fetch("acme")
    assert fetch.complete is False and fetch.postings == []
    assert "smartrecruiters company 'acme'" in (fetch.error or "")
    assert "HTTP 503" in (fetch.error or "")


def test_failing_later_page_keeps_earlier_postings(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    httpserver.expect_request(f"{API}/acme/postings", query_string=query(0, 2)).respond_with_json(
        page([item("1"), item("2")], total=4)
    )
    httpserver.expect_request(f"{API}/acme/postings", query_string=query(2, 2)).respond_with_data(
        "bad gateway", status=502
    )
    serve_details(httpserver)
    connector = SmartRecruitersConnector(http, base_url=httpserver.url_for(""), page_size=2)
    fetch = connector.fetch("acme")
    assert fetch.complete is False and "HTTP 502" in (fetch.error or "")
    assert [p.external_id for p in fetch.postings] == ["1", "2"]


def test_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(page([], total=0)), content_type="application/json")

    httpserver.expect_request(f"{API}/acme/postings").respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = SmartRecruitersConnector(client, base_url=httpserver.url_for("")).fetch("acme")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('{"content": [{"id": "1', "application/json", "is not JSON"),
        ("<html><body>Careers</body></html>", "text/html", "is not JSON"),
        ('{"message": "company not found"}', "application/json", "no 'content' list"),
    ],
)
def test_bad_bodies_are_board_errors(
    httpserver: HTTPServer,
    connector: SmartRecruitersConnector,
    body: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(f"{API}/acme/postings").respond_with_data(
        body, content_type=content_type
    )
    fetch = connector.fetch("acme")
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_malformed_record_is_one_reject(
    httpserver: HTTPServer, connector: SmartRecruitersConnector
) -> None:
    records = [item("1"), {"id": "2", "name": ""}, item("3")]
    httpserver.expect_request(f"{API}/acme/postings").respond_with_json(page(records, total=3))
    serve_details(httpserver)
    fetch = connector.fetch("acme")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "3"]
    [reject] = fetch.rejects
    assert reject.where == "posting 2" and "no title" in reject.reason
    assert fetch.listed == {"1", "2", "3"}  # listed, so never closed for a bad record


def test_detail_404_means_gone(httpserver: HTTPServer, connector: SmartRecruitersConnector) -> None:
    httpserver.expect_request(f"{API}/acme/postings").respond_with_json(
        page([item("1"), item("2")], total=2)
    )
    httpserver.expect_request(f"{API}/acme/postings/2").respond_with_data("gone", status=404)
    serve_details(httpserver)
    fetch = connector.fetch("acme")
    assert fetch.complete is True and fetch.gone == {"2"}
    assert [p.external_id for p in fetch.postings] == ["1"]


def test_unchanged_record_skips_its_detail(
    httpserver: HTTPServer, connector: SmartRecruitersConnector
) -> None:
    httpserver.expect_request(f"{API}/acme/postings").respond_with_json(
        page([item("1"), item("2")], total=2)
    )
    serve_details(httpserver)
    first = connector.fetch("acme")
    known = {p.external_id: p.extra["listing_hash"] for p in first.postings if p.external_id == "1"}
    httpserver.clear_log()

    second = connector.fetch("acme", known=known)

    assert second.unchanged == {"1"} and [p.external_id for p in second.postings] == ["2"]
    detail_paths = [r[0].path for r in httpserver.log if "/postings/" in r[0].path]
    assert detail_paths == [f"{API}/acme/postings/2"]


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://careers.smartrecruiters.com/AbbVie", "AbbVie"),
        (
            "https://careers.smartrecruiters.com/BicycleTherapeutics/careers-page",
            "BicycleTherapeutics",
        ),
        ("http://CAREERS.SmartRecruiters.com/Bosch-HomeComfort?search=ml", "Bosch-HomeComfort"),
        ("https://jobs.smartrecruiters.com/CERN", "CERN"),
        (
            "https://jobs.smartrecruiters.com/WesternDigital/744000140949875-summer-2027-intern",
            "WesternDigital",
        ),
        ("https://api.smartrecruiters.com/v1/companies/ASOS/postings", "ASOS"),
        ("https://api.smartrecruiters.com/v1/companies/Visa/postings/744000129971988", "Visa"),
        ("https://jobs.smartrecruiters.com/oneclick-ui/company/x/publication/y", None),
        ("https://careers.smartrecruiters.com/", None),
        ("https://api.smartrecruiters.com/v1/other", None),
        ("https://www.auto1-group.com/jobs/", None),
        ("https://boards.greenhouse.io/anthropic", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert SmartRecruitersConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert SmartRecruitersConnector.careers_url("aecom2") == (
        "https://careers.smartrecruiters.com/aecom2"
    )
