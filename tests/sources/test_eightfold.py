"""Eightfold: recorded v2 and search-API responses parsed, and portals served from 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.eightfold import EightfoldConnector, parse_position, split_board
from leadboard.sources.http import HttpClient

FETCHED = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
V2 = "/fcx.eightfold.ai/api/apply/v2/jobs"
MS_V2 = "/apply.careers.microsoft.com/api/apply/v2/jobs"
MS_PCSX = "/apply.careers.microsoft.com/api/pcsx/search"


def load(ats_fixtures: Path, name: str) -> dict[str, Any]:
    return json.loads((ats_fixtures / "eightfold" / name).read_text())


def position(position_id: int, name: str = "ML Engineer") -> dict[str, Any]:
    return {"id": position_id, "name": name, "t_create": 1781660892, "locations": ["Phoenix, AZ"]}


def body(positions: list[Any], count: int) -> dict[str, Any]:
    return {"domain": "fcx.com", "count": count, "positions": positions}


def query(start: int, num: int = 10, domain: str = "fcx.com") -> dict[str, str]:
    return {"domain": domain, "start": str(start), "num": str(num)}


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> EightfoldConnector:
    return EightfoldConnector(http, base_url=httpserver.url_for(""))


@pytest.mark.parametrize(
    ("board", "expected"),
    [
        ("fcx", ("fcx.eightfold.ai", "fcx.com")),
        ("FCX", ("fcx.eightfold.ai", "fcx.com")),
        ("fcx.eightfold.ai", ("fcx.eightfold.ai", "fcx.com")),
        ("stmicroelectronics:st.com", ("stmicroelectronics.eightfold.ai", "st.com")),
        ("careers.qualcomm.com", ("careers.qualcomm.com", "qualcomm.com")),
        ("jobs.infineon.com", ("jobs.infineon.com", "infineon.com")),
        ("careers.kering.com:kering", ("careers.kering.com", "kering")),
    ],
)
def test_split_board(board: str, expected: tuple[str, str]) -> None:
    assert split_board(board) == expected


# --- recorded responses ---------------------------------------------------------------------------


def test_v2_positions_parse(ats_fixtures: Path) -> None:
    recorded = load(ats_fixtures, "apply-v2-jobs-fcx.json")
    postings = [parse_position(p, "fcx", FETCHED) for p in recorded["positions"]]
    first = postings[0]

    assert [p.external_id for p in postings] == ["42478672", "42477103", "42475929"]
    assert first.key == "eightfold:fcx:42478672"
    assert first.title == "Manager Engineering - Electrical"
    assert first.url == "https://talent.fmjobs.com/careers/job/42478672"  # custom domain
    assert first.locations == ["New Orleans, LA USA 70112"]
    assert first.posted_at == "2026-06-17T01:48:12+00:00"  # t_create 1781660892
    assert first.updated_at == "2026-06-17T15:54:57+00:00"  # t_update 1781711697
    assert first.workplace_type == "onsite"
    assert first.requisition_id == "144860"
    assert first.description is None  # "" in list responses: not a description
    assert first.extra == {
        "department": "Engineering Services",
        "business_unit": "005",
        "ats_job_id": "144860",
        "locale": "en_US",
    }
    assert first.payload == recorded["positions"][0]
    assert postings[2].title == "CLP Operator Trainee - Hydromet"


def test_search_api_positions_parse(ats_fixtures: Path) -> None:
    recorded = load(ats_fixtures, "pcsx-search-microsoft.json")
    board = "apply.careers.microsoft.com"
    postings = [parse_position(p, board, FETCHED) for p in recorded["data"]["positions"]]
    intern = postings[0]

    assert intern.external_id == "1970393556962891"
    assert intern.title == "AI Software Engineering Intern"
    assert intern.url == "https://apply.careers.microsoft.com/careers/job/1970393556962891"
    assert intern.locations == ["Redmond, WA, US", "Mountain View, CA, US"]
    assert intern.extra["listed_locations"] == [
        "United States, Washington, Redmond",
        "United States, California, Mountain View",
    ]
    assert intern.posted_at == "2026-08-19T07:00:00+00:00"  # postedTs 1787122800
    assert intern.extra["created_at"] == "2026-08-13T21:02:58+00:00"  # creationTs, kept aside
    assert intern.updated_at is None
    assert intern.requisition_id == "200049019"
    assert intern.workplace_type == "onsite"
    assert postings[3].locations == ["US"]


def test_recorded_v2_portal_served_end_to_end(
    ats_fixtures: Path, httpserver: HTTPServer, connector: EightfoldConnector
) -> None:
    recorded = load(ats_fixtures, "apply-v2-jobs-fcx.json")
    # The recording kept 3 of 256 positions: announce what the page holds to read it whole.
    whole = {**recorded, "count": len(recorded["positions"])}
    httpserver.expect_request(V2, query_string=query(0)).respond_with_json(whole)

    fetch = connector.fetch("fcx", company="Freeport-McMoRan")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == ["42478672", "42477103", "42475929"]
    assert {p.company for p in fetch.postings} == {"Freeport-McMoRan"}


def test_recorded_v2_page_as_served_is_partial(
    ats_fixtures: Path, httpserver: HTTPServer, connector: EightfoldConnector
) -> None:
    """The recorded page announces 256 positions: a next page that comes back empty is partial."""
    httpserver.expect_request(V2, query_string=query(0)).respond_with_json(
        load(ats_fixtures, "apply-v2-jobs-fcx.json")
    )
    httpserver.expect_request(V2, query_string=query(3)).respond_with_json(body([], 256))
    fetch = connector.fetch("fcx")
    assert fetch.complete is False and "got 3 of 256 positions" in (fetch.error or "")
    assert len(fetch.postings) == 3


def test_search_api_when_v2_is_refused(
    ats_fixtures: Path, httpserver: HTTPServer, connector: EightfoldConnector
) -> None:
    recorded = load(ats_fixtures, "pcsx-search-microsoft.json")
    whole = {**recorded, "data": {**recorded["data"], "count": 4}}
    httpserver.expect_request(MS_V2).respond_with_data("not here", status=404)
    pcsx_query = {**query(0, domain="microsoft.com"), "query": "", "location": ""}
    httpserver.expect_request(MS_PCSX, query_string=pcsx_query).respond_with_json(whole)

    fetch = connector.fetch("apply.careers.microsoft.com")

    assert fetch.error is None and fetch.complete is True
    assert [p.title for p in fetch.postings][:2] == [
        "AI Software Engineering Intern",
        "Principal Software Engineer - AI Experiences, Copilot",
    ]


def test_both_apis_refused_is_a_board_error(
    httpserver: HTTPServer, connector: EightfoldConnector
) -> None:
    httpserver.expect_request(MS_V2).respond_with_data("no", status=403)
    httpserver.expect_request(MS_PCSX).respond_with_json(
        {"message": "PCSX is not enabled for this user."}, status=403
    )
    fetch = connector.fetch("apply.careers.microsoft.com")
    assert fetch.complete is False and fetch.postings == []
    error = fetch.error or ""
    assert "eightfold portal 'apply.careers.microsoft.com'" in error
    assert "search API" in error and error.count("HTTP 403") == 2


# --- the fetcher ----------------------------------------------------------------------------------


def test_pages_until_count(httpserver: HTTPServer, http: HttpClient) -> None:
    pages = [[position(1), position(2)], [position(3), position(4)], [position(5)]]
    for number, positions in enumerate(pages):
        httpserver.expect_request(V2, query_string=query(2 * number, 2)).respond_with_json(
            body(positions, 5)
        )
    connector = EightfoldConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch("fcx")

    assert fetch.error is None and fetch.complete is True
    assert [p.external_id for p in fetch.postings] == ["1", "2", "3", "4", "5"]
    assert len(httpserver.log) == 3  # stopped at count: no empty fourth page


def test_domain_named_in_the_token(httpserver: HTTPServer, connector: EightfoldConnector) -> None:
    httpserver.expect_request(
        "/stmicroelectronics.eightfold.ai/api/apply/v2/jobs", query_string=query(0, domain="st.com")
    ).respond_with_json(body([position(1)], 1))
    fetch = connector.fetch("stmicroelectronics:st.com")
    assert fetch.complete is True
    assert fetch.postings[0].url == "https://stmicroelectronics.eightfold.ai/careers/job/1"


def test_repeated_position_across_pages_is_read_once(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    httpserver.expect_request(V2, query_string=query(0, 2)).respond_with_json(
        body([position(1), position(2)], 3)
    )
    httpserver.expect_request(V2, query_string=query(2, 2)).respond_with_json(
        body([position(2)], 3)  # a new position pushed 2 onto the next page
    )
    connector = EightfoldConnector(http, base_url=httpserver.url_for(""), page_size=2)
    fetch = connector.fetch("fcx")
    assert [p.external_id for p in fetch.postings] == ["1", "2"]


def test_count_changing_while_paging_is_partial(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(V2, query_string=query(0, 2)).respond_with_json(
        body([position(1), position(2)], 4)
    )
    httpserver.expect_request(V2, query_string=query(2, 2)).respond_with_json(
        body([position(4)], 3)  # one closed meanwhile: offsets shifted, 3 may have been skipped
    )
    connector = EightfoldConnector(http, base_url=httpserver.url_for(""), page_size=2)
    fetch = connector.fetch("fcx")
    assert fetch.complete is False and "changed while read" in (fetch.error or "")
    assert [p.external_id for p in fetch.postings] == ["1", "2"]


def test_429_then_success(httpserver: HTTPServer, connector: EightfoldConnector) -> None:
    httpserver.expect_ordered_request(V2).respond_with_data(
        "busy", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(V2).respond_with_json(body([position(1)], 1))
    fetch = connector.fetch("fcx")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1"]


def test_persistent_5xx_is_a_board_error(
    httpserver: HTTPServer, connector: EightfoldConnector
) -> None:
    httpserver.expect_request(V2).respond_with_data("down", status=500)
    fetch = connector.fetch("fcx")
    assert fetch.complete is False and fetch.postings == []
    assert "HTTP 500" in (fetch.error or "")
    assert all(r[0].path == V2 for r in httpserver.log)  # a 5xx is no reason to try another API


def test_failing_later_page_keeps_earlier_positions(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    httpserver.expect_request(V2, query_string=query(0, 2)).respond_with_json(
        body([position(1), position(2)], 4)
    )
    httpserver.expect_request(V2, query_string=query(2, 2)).respond_with_data("x", status=502)
    connector = EightfoldConnector(http, base_url=httpserver.url_for(""), page_size=2)
    fetch = connector.fetch("fcx")
    assert fetch.complete is False and "page 2" in (fetch.error or "")
    assert [p.external_id for p in fetch.postings] == ["1", "2"]


def test_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(body([], 0)), content_type="application/json")

    httpserver.expect_request(V2).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = EightfoldConnector(client, base_url=httpserver.url_for("")).fetch("fcx")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("text", "content_type", "message"),
    [
        ('{"count": 3, "positions": [{"id": 1', "application/json", "is not JSON"),
        ("<!doctype html><html><body>Careers</body></html>", "text/html", "is not JSON"),
        ('{"status": 200, "data": {"count": 0}}', "application/json", "no 'positions' list"),
        ("[]", "application/json", "no 'positions' list"),
    ],
)
def test_bad_bodies_are_board_errors(
    httpserver: HTTPServer,
    connector: EightfoldConnector,
    text: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(V2).respond_with_data(text, content_type=content_type)
    fetch = connector.fetch("fcx")
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_malformed_record_is_one_reject(
    httpserver: HTTPServer, connector: EightfoldConnector
) -> None:
    positions = [position(1), {"id": 2, "name": "  "}, "oops", position(3)]
    httpserver.expect_request(V2).respond_with_json(body(positions, 4))
    fetch = connector.fetch("fcx")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "3"]
    assert [r.where for r in fetch.rejects] == ["position 2", "positions[2]"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1781660892, "2026-06-17T01:48:12+00:00"), (0, None), (None, None), (True, None), ("x", None)],
)
def test_epoch_seconds(value: Any, expected: str | None) -> None:
    record = {"id": 1, "name": "T", "t_create": value}
    assert parse_position(record, "fcx", FETCHED).posted_at == expected


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://aexp.eightfold.ai/careers", "aexp"),
        ("https://Citi.Eightfold.AI/careers/job/563705876642261?domain=citi.com", "citi"),
        ("http://zebra.eightfold.ai/careers?query=ml&domain=zebra.com", "zebra"),
        (
            "https://stmicroelectronics.eightfold.ai/careers?domain=st.com",
            "stmicroelectronics:st.com",
        ),
        (
            "https://careers.qualcomm.com/careers/search?query=*&domain=qualcomm.com",
            "careers.qualcomm.com",
        ),
        ("https://jobs.infineon.com/careers/job/563637156512345", "jobs.infineon.com"),
        (
            "https://careers.kering.com/careers/job/563705876642261-foo?domain=kering",
            "careers.kering.com:kering",
        ),
        ("https://fcx.eightfold.ai/api/apply/v2/jobs?domain=fcx.com&start=0", "fcx"),
        (
            "https://apply.careers.microsoft.com/api/pcsx/search?domain=microsoft.com",
            ("apply.careers.microsoft.com"),
        ),
        ("https://app.eightfold.ai/login", None),
        ("https://careers.kering.com", None),  # nothing says Eightfold
        ("https://jobs.lever.co/acme/123", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert EightfoldConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert (
        EightfoldConnector.careers_url("jobs.vodafone.com") == "https://jobs.vodafone.com/careers"
    )
    assert EightfoldConnector.careers_url("hsbc") == "https://hsbc.eightfold.ai/careers"
