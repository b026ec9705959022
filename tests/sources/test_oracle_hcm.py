"""Oracle Recruiting Cloud: recorded REST responses parsed, and sites served from 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources import oracle_hcm
from leadboard.sources.http import HttpClient
from leadboard.sources.oracle_hcm import FACETS, OracleHcmConnector, parse_job, split_board

FETCHED = datetime(2026, 8, 9, 12, 0, tzinfo=UTC)
HOST = "ejov.fa.ca2.oraclecloud.com"
BOARD = f"{HOST}/CX"
LIST_PATH = f"/{HOST}/hcmRestApi/resources/latest/recruitingCEJobRequisitions"
DETAIL_PATH = f"/{HOST}/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails"
AMEX = "egug.fa.us2.oraclecloud.com/CX_1"


def load(ats_fixtures: Path, name: str) -> Any:
    return json.loads((ats_fixtures / "oraclehcm" / name).read_text(encoding="utf-8"))


def req(posting_id: str, title: str = "ML Engineer", **fields: Any) -> dict[str, Any]:
    return {"Id": posting_id, "Title": title, "PostedDate": "2026-08-01", **fields}


def listing(records: list[Any], total: int | None) -> dict[str, Any]:
    wrapper: dict[str, Any] = {"requisitionList": records, "locationsFacet": []}
    if total is not None:
        wrapper["TotalJobsCount"] = total
    return {"items": [wrapper], "count": 1, "hasMore": False, "limit": 25, "offset": 0}


def list_query(offset: int, limit: int = 25, site: str = "CX") -> dict[str, str]:
    finder = (
        f"findReqs;siteNumber={site},facetsList={FACETS},limit={limit},offset={offset},"
        "sortBy=POSTING_DATES_DESC"
    )
    return {
        "onlyData": "true",
        "expand": "requisitionList.secondaryLocations,flexFieldsFacet.values",
        "finder": finder,
    }


def detail_query(posting_id: str, site: str = "CX") -> dict[str, str]:
    return {
        "expand": "all",
        "onlyData": "true",
        "finder": f'ById;Id="{posting_id}",siteNumber={site}',
    }


def expect_page(server: HTTPServer, offset: int, limit: int = 25) -> Any:
    return server.expect_request(LIST_PATH, query_string=list_query(offset, limit))


def serve_details(server: HTTPServer) -> None:
    """Every detail request answers a small requisition naming the id it was asked for."""

    def detail(request: Request) -> Response:
        finder = request.args["finder"]
        posting_id = finder.split('Id="', 1)[1].split('"', 1)[0]
        item = {
            "Id": posting_id,
            "Title": f"Detail of {posting_id}",
            "ExternalDescriptionStr": f"<p>About {posting_id}.</p>",
            "PrimaryLocation": None,  # a null in the detail keeps the listing's value
            "JobSchedule": "Full time",
        }
        answer = {"items": [item], "count": 1, "hasMore": False}
        return Response(json.dumps(answer), content_type="application/json")

    server.expect_request(DETAIL_PATH).respond_with_handler(detail)


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> OracleHcmConnector:
    return OracleHcmConnector(http, base_url=httpserver.url_for(""))


# --- recorded responses ---------------------------------------------------------------------------


def test_trimmed_listing_records_parse(ats_fixtures: Path) -> None:
    records = load(ats_fixtures, "list-trimmed.json")["items"][0]["requisitionList"]
    inspector, leader = (parse_job(r, BOARD, FETCHED) for r in records)

    assert inspector.key == "oracle_hcm:ejov.fa.ca2.oraclecloud.com/CX:25587"
    assert inspector.title == "Bridge Inspector"
    assert inspector.url == (
        "https://ejov.fa.ca2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX/job/25587"
    )
    assert inspector.posted_at == "2026-08-07"
    assert inspector.locations == ["PERTH, WESTERN AUSTRALIA, Australia"]
    assert inspector.description is None  # ShortDescriptionStr is empty in the listing
    assert inspector.requisition_id == "25587" and inspector.closes_at is None
    assert leader.locations == [
        "SAN FRANCISCO, CA, United States",
        "HOUSTON, TX, United States",
        "ATLANTA, GA, United States",
        "MIAMI, FL, United States",
        "IRVINE, CA, United States",
    ]
    assert leader.payload == records[1]


def test_amex_detail_parses(ats_fixtures: Path) -> None:
    item = load(ats_fixtures, "detail-amex-26011990.json")["items"][0]
    posting = parse_job(item, AMEX, FETCHED)

    assert posting.external_id == "26011990"
    assert posting.title.startswith("Campus Undergraduate Summer Internship Program - 2027")
    assert posting.url == (
        "https://egug.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/job/26011990"
    )
    assert posting.locations == ["Phoenix, AZ, United States"]
    assert posting.posted_at is None  # this recording kept no date field: none is made up
    assert posting.extra["internal_requisition_id"] == "300001703597912"
    assert posting.description_format == "html"
    text = posting.description or ""
    pieces = [
        "Business Unit/Role Specific Info",  # ExternalDescriptionStr
        "How will you make an impact in this role?",  # ExternalResponsibilitiesStr
        "Minimum Qualifications",  # ExternalQualificationsStr
        "We back you with benefits",  # OrganizationDescriptionStr
        "At American Express, our culture",  # CorporateDescriptionStr
    ]
    positions = [text.index(piece) for piece in pieces]
    assert positions == sorted(positions)


def test_recorded_site_served_whole(
    ats_fixtures: Path, httpserver: HTTPServer, connector: OracleHcmConnector
) -> None:
    recorded = load(ats_fixtures, "list-trimmed.json")
    amex = load(ats_fixtures, "detail-amex-26011990.json")["items"][0]
    expect_page(httpserver, 0).respond_with_json(recorded)  # no TotalJobsCount: a short page
    # The detail recording is of another site; served here as the detail of both requisitions.
    for posting_id in ("25587", "26876"):
        httpserver.expect_request(
            DETAIL_PATH, query_string=detail_query(posting_id)
        ).respond_with_json({"items": [{**amex, "Id": posting_id}], "count": 1, "hasMore": False})

    fetch = connector.fetch(BOARD, company="Acme")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert fetch.listed == {"25587", "26876"}
    inspector, leader = fetch.postings
    assert inspector.company == "Acme" and inspector.posted_at == "2026-08-07"
    assert inspector.title.startswith("Campus Undergraduate")  # the detail's title wins
    # Where both hold a value the detail's wins (here the recorded Amex requisition's).
    assert leader.locations == ["Phoenix, AZ, United States"]
    assert leader.payload["PostedDate"] == "2026-08-07"
    assert "Minimum Qualifications" in (leader.description or "")


# --- paging -------------------------------------------------------------------------------------


def test_pages_by_offset_inside_the_finder(httpserver: HTTPServer, http: HttpClient) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(listing([req("1"), req("2")], total=5))
    expect_page(httpserver, 2, 2).respond_with_json(listing([req("3"), req("4")], total=5))
    expect_page(httpserver, 4, 2).respond_with_json(
        listing([req("5", PostingEndDate="2026-09-30", WorkplaceType="Hybrid")], total=5)
    )
    serve_details(httpserver)
    connector = OracleHcmConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch(BOARD)

    assert fetch.error is None and fetch.complete is True
    assert [p.external_id for p in fetch.postings] == ["1", "2", "3", "4", "5"]
    last = fetch.postings[4]
    assert last.title == "Detail of 5" and last.description == "<p>About 5.</p>"
    assert last.closes_at == "2026-09-30" and last.workplace_type == "Hybrid"
    assert last.employment_type == "Full time" and last.posted_at == "2026-08-01"
    assert sum(r.path == LIST_PATH for r, _ in httpserver.log) == 3


def test_stops_at_the_total(httpserver: HTTPServer, http: HttpClient) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(listing([req("1"), req("2")], total=2))
    serve_details(httpserver)
    fetch = OracleHcmConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is True and len(fetch.postings) == 2
    assert sum(r.path == LIST_PATH for r, _ in httpserver.log) == 1


def test_fewer_than_the_total_is_partial(httpserver: HTTPServer, http: HttpClient) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(listing([req("1"), req("2")], total=4))
    expect_page(httpserver, 2, 2).respond_with_json(listing([req("2")], total=4))  # a repeat
    serve_details(httpserver)
    fetch = OracleHcmConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is False and [p.external_id for p in fetch.postings] == ["1", "2"]
    assert "got 2 of 4 requisitions" in (fetch.error or "")


def test_a_failing_later_page_keeps_the_earlier_ones(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(listing([req("1"), req("2")], total=3))
    expect_page(httpserver, 2, 2).respond_with_data("<html>Bad gateway</html>", status=502)
    serve_details(httpserver)
    fetch = OracleHcmConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is False and [p.external_id for p in fetch.postings] == ["1", "2"]
    assert f"oracle_hcm site '{BOARD}'" in (fetch.error or "")
    assert "page 2" in (fetch.error or "") and "HTTP 502" in (fetch.error or "")


def test_a_server_that_never_ends_is_cut_off(
    httpserver: HTTPServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oracle_hcm, "MAX_PAGES", 3)
    counter = iter(range(1000))

    def endless(request: Request) -> Response:
        body = listing([req(str(next(counter)))], total=None)
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(LIST_PATH).respond_with_handler(endless)
    serve_details(httpserver)
    fetch = OracleHcmConnector(http, base_url=httpserver.url_for(""), page_size=1).fetch(BOARD)
    assert fetch.complete is False and len(fetch.postings) == 3
    assert "stopped after 3 pages" in (fetch.error or "")


# --- failures -------------------------------------------------------------------------------------


def test_a_429_is_retried(httpserver: HTTPServer, connector: OracleHcmConnector) -> None:
    # One-shot handlers answer before permanent ones: the 429 first, then the page.
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    expect_page(httpserver, 0).respond_with_json(listing([req("1")], total=1))
    serve_details(httpserver)
    fetch = connector.fetch(BOARD)
    assert fetch.error is None and fetch.complete is True and len(fetch.postings) == 1
    assert sum(r.path == LIST_PATH for r, _ in httpserver.log) == 2


def test_persistent_5xx_is_a_board_error(
    httpserver: HTTPServer, connector: OracleHcmConnector
) -> None:
    expect_page(httpserver, 0).respond_with_data("down", status=500)
    fetch = connector.fetch(BOARD)
    assert fetch.complete is False and fetch.postings == []
    assert "HTTP 500" in (fetch.error or "") and len(httpserver.log) == 2


def test_a_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(listing([], total=0)), content_type="application/json")

    httpserver.expect_request(LIST_PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = OracleHcmConnector(client, base_url=httpserver.url_for("")).fetch(BOARD)
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("payload", "content_type", "message"),
    [
        ('{"items": [{"requisitionList": [{"Id": "1', "application/json", "is not JSON"),
        ("<!DOCTYPE html><html><body>Sign in</body></html>", "text/html", "is not JSON"),
        ('{"items": [], "count": 0}', "application/json", "no 'items[0].requisitionList'"),
        ('{"items": [{"TotalJobsCount": 3}]}', "application/json", "no 'items[0].requisitionList'"),
        ('{"title": "Not Found", "status": "404"}', "application/json", "no 'items[0]"),
    ],
)
def test_bad_first_page_is_a_board_error(
    httpserver: HTTPServer,
    connector: OracleHcmConnector,
    payload: str,
    content_type: str,
    message: str,
) -> None:
    expect_page(httpserver, 0).respond_with_data(payload, content_type=content_type)
    fetch = connector.fetch(BOARD)
    assert fetch.complete is False and fetch.postings == []
    assert message in (fetch.error or "")


def test_an_empty_site_is_complete(httpserver: HTTPServer, connector: OracleHcmConnector) -> None:
    expect_page(httpserver, 0).respond_with_json(listing([], total=0))
    fetch = connector.fetch(BOARD)
    assert fetch.complete is True and fetch.error is None and fetch.postings == []


def test_a_bad_token_is_a_board_error_without_a_request(
    httpserver: HTTPServer, connector: OracleHcmConnector
) -> None:
    before = len(httpserver.log)  # a late retry of an earlier test's request may arrive
    fetch = connector.fetch("CX_1")
    assert fetch.complete is False and "is not host/site" in (fetch.error or "")
    assert len(httpserver.log) == before  # nothing was requested


def test_malformed_records_are_rejected_one_by_one(
    httpserver: HTTPServer, connector: OracleHcmConnector
) -> None:
    records = [req("1"), {"Title": "No id"}, ["oops"], {"Id": "4"}]
    expect_page(httpserver, 0).respond_with_json(listing(records, total=4))
    httpserver.expect_request(DETAIL_PATH, query_string=detail_query("4")).respond_with_json(
        {"items": [{"Id": "4", "Title": None}], "count": 1}
    )
    serve_details(httpserver)

    fetch = connector.fetch(BOARD)

    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1"]
    assert [(r.where, r.reason) for r in fetch.rejects] == [
        ("requisitions[1]", "requisition record has no id"),
        ("requisitions[2]", "requisition record is a list, not an object"),
        ("requisition 4", "requisition 4 has no title"),
    ]
    assert fetch.listed == {"1", "4"}


# --- details --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "respond",
    [
        lambda handler: handler.respond_with_data("gone", status=404),
        # The finder finds nothing: the requisition is no longer on the site.
        lambda handler: handler.respond_with_json({"items": [], "count": 0, "hasMore": False}),
    ],
)
def test_a_missing_detail_means_the_posting_is_gone(
    httpserver: HTTPServer, connector: OracleHcmConnector, respond: Any
) -> None:
    expect_page(httpserver, 0).respond_with_json(listing([req("1"), req("2")], total=2))
    respond(httpserver.expect_request(DETAIL_PATH, query_string=detail_query("2")))
    serve_details(httpserver)

    fetch = connector.fetch(BOARD)

    assert fetch.complete is True and fetch.gone == {"2"} and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == ["1"]


def test_a_detail_of_the_wrong_shape_is_rejected(
    httpserver: HTTPServer, connector: OracleHcmConnector
) -> None:
    expect_page(httpserver, 0).respond_with_json(listing([req("1")], total=1))
    httpserver.expect_request(DETAIL_PATH).respond_with_json({"detail": "?"})
    fetch = connector.fetch(BOARD)
    [reject] = fetch.rejects
    assert reject.where == "requisition 1" and "has no 'items' list" in reject.reason


def test_unchanged_records_skip_the_detail(
    httpserver: HTTPServer, connector: OracleHcmConnector
) -> None:
    expect_page(httpserver, 0).respond_with_json(listing([req("1"), req("2")], total=2))
    serve_details(httpserver)
    first = connector.fetch(BOARD)
    known = {p.external_id: p.extra["listing_hash"] for p in first.postings}

    httpserver.clear()
    records = [req("1"), req("2", title="Head of ML")]
    expect_page(httpserver, 0).respond_with_json(listing(records, total=2))
    serve_details(httpserver)
    second = connector.fetch(BOARD, known=known)

    assert second.unchanged == {"1"} and [p.external_id for p in second.postings] == ["2"]
    asked = [r.args["finder"] for r, _ in httpserver.log if r.path == DETAIL_PATH]
    assert asked == ['ById;Id="2",siteNumber=CX']


# --- tokens and URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        (
            "https://eibd.fa.em2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/jobs",
            "eibd.fa.em2.oraclecloud.com/CX_1",
        ),
        (
            "https://eibd.fa.em2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001/"
            "requisitions?mode=location",
            "eibd.fa.em2.oraclecloud.com/CX_1001",
        ),
        (
            "https://eofd.fa.us6.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001",
            "eofd.fa.us6.oraclecloud.com/CX_1001",
        ),
        (
            "http://HCML.FA.US2.ORACLECLOUD.COM/hcmUI/CandidateExperience/fr-FR/sites/AEO-Careers/"
            "job/12345/?utm_source=x",
            "hcml.fa.us2.oraclecloud.com/AEO-Careers",
        ),
        (
            "https://iaayey.fa.ocs.oraclecloud26.com/hcmUI/CandidateExperience/en/sites/CX_1/",
            "iaayey.fa.ocs.oraclecloud26.com/CX_1",
        ),
        (
            "https://egug.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/"
            'recruitingCEJobRequisitionDetails?expand=all&finder=ById;Id="26011990",'
            'siteNumber="CX_1"',
            "egug.fa.us2.oraclecloud.com/CX_1",
        ),
        (
            "https://ejov.fa.ca2.oraclecloud.com/hcmRestApi/resources/latest/"
            "recruitingCEJobRequisitions?onlyData=true&finder=findReqs%3BsiteNumber%3DCX%2Climit%3D25",
            "ejov.fa.ca2.oraclecloud.com/CX",
        ),
    ],
)
def test_board_from_url(url: str, token: str) -> None:
    assert OracleHcmConnector.board_from_url(url) == token
    split_board(token)  # a token the connector reads


@pytest.mark.parametrize(
    "url",
    [
        "https://boards.greenhouse.io/anthropic",
        "https://gdit.wd5.myworkdayjobs.com/External_Career_Site",
        "https://eibd.fa.em2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/",
        "https://eibd.fa.em2.oraclecloud.com/hcmRestApi/resources/latest/recruitingCEJobRequisitions",
        "https://eibd.fa.em2.oraclecloud.com/",
    ],
)
def test_board_from_url_refuses_other_urls(url: str) -> None:
    assert OracleHcmConnector.board_from_url(url) is None


def test_careers_url_round_trips() -> None:
    url = OracleHcmConnector.careers_url("hdpc.fa.us2.oraclecloud.com/CampusHiring")
    assert (
        url == "https://hdpc.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CampusHiring"
    )
    assert OracleHcmConnector.board_from_url(url) == "hdpc.fa.us2.oraclecloud.com/CampusHiring"
