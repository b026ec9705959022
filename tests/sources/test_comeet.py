"""Comeet: the recorded positions parsed, and careers pages (built around them) served locally."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.comeet import ComeetConnector, parse_position, split_board
from leadboard.sources.http import FetchError, HttpClient

FETCHED = datetime(2026, 8, 12, 12, 0, tzinfo=UTC)
BOARD = "wiliot/F6.003"
PATH = "/www.comeet.com/jobs/wiliot/F6.003"
HTML = "text/html; charset=utf-8"


@pytest.fixture
def wiliot(ats_fixtures: Path) -> list[dict[str, Any]]:
    return json.loads((ats_fixtures / "comeet" / "positions-wiliot.json").read_text())


def careers_page(positions: Any) -> str:
    """A careers page as Comeet renders it: the positions as a script assignment, then more."""
    data = positions if isinstance(positions, str) else json.dumps(positions)
    return (
        "<!DOCTYPE html><html><head><title>Careers</title></head><body><div ng-app></div>"
        '<script>\n  var COMPANY_DATA = {"name": "Wiliot"};\n'
        f"  COMPANY_POSITIONS_DATA = {data};\n"
        "  var POSITION_DATA = null;\n</script></body></html>"
    )


def as_on_page(record: dict[str, Any]) -> dict[str, Any]:
    """The page's shape: detail sections under ``custom_fields`` instead of ``details``."""
    page_record = {k: v for k, v in record.items() if k != "details"}
    page_record["custom_fields"] = {"details": record["details"]}
    return page_record


def connector(server: HTTPServer, client: HttpClient) -> ComeetConnector:
    return ComeetConnector(client, base_url=server.url_for(""))


def position(uid: str, name: str = "ML Engineer", **fields: Any) -> dict[str, Any]:
    return {"uid": uid, "name": name, **fields}


# --- the recorded positions ---------------------------------------------------------------------


def test_recorded_positions_parse(wiliot: list[dict[str, Any]]) -> None:
    new_york, dallas = (parse_position(p, BOARD, FETCHED) for p in wiliot)

    assert (new_york.external_id, new_york.title) == ("18.767", "Forward Deployed Engineer")
    assert new_york.url == (
        "https://www.comeet.com/jobs/wiliot/F6.003/forward-deployed-engineer/18.767"
    )
    assert new_york.company == "Wiliot"
    assert new_york.locations == ["New York, NY, US"]
    assert new_york.workplace_type == "On-site"
    assert new_york.posted_at is None  # Comeet gives no posting date: time_updated is not one
    assert new_york.updated_at == "2026-08-12T02:36:49Z"
    assert new_york.extra["company_page"] == "https://www.wiliot.com/positions/position-18_767"
    text = new_york.description or ""
    assert new_york.description_format == "html"
    assert text.startswith("<h3>Description</h3>\n<p>Wiliot was founded by the team")
    assert "<h3>Responsibilities</h3>" not in text  # an empty section ("") is left out
    assert text.index("<h3>Description</h3>") < text.index("<h3>Requirements</h3>")
    # The same job listed a second time for another office, under its own uid.
    assert dallas.external_id == "18.767-9B.20A"
    assert dallas.locations == ["Plano, TX, US"] and dallas.extra["office"] == "Dallas"
    assert new_york.payload == wiliot[0]


def test_page_shape_reads_the_same(wiliot: list[dict[str, Any]]) -> None:
    api = parse_position(wiliot[0], BOARD, FETCHED)
    page = parse_position(as_on_page(wiliot[0]), BOARD, FETCHED)
    assert page.description == api.description and page.locations == api.locations


def test_recorded_positions_served_as_a_careers_page(
    httpserver: HTTPServer, http: HttpClient, wiliot: list[dict[str, Any]]
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        careers_page([as_on_page(p) for p in wiliot]), content_type=HTML
    )
    fetch = connector(httpserver, http).fetch(BOARD)

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.key for p in fetch.postings] == [
        "comeet:wiliot/F6.003:18.767",
        "comeet:wiliot/F6.003:18.767-9B.20A",
    ]
    assert all(p.description for p in fetch.postings)
    assert len(httpserver.log) == 1  # the page holds everything: no other request


def test_a_description_holding_brackets_does_not_cut_the_data(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    tricky = position("1", details=[{"name": "About", "value": "<p>arr = [1];</p>", "order": 1}])
    httpserver.expect_request(PATH).respond_with_data(
        careers_page([tricky, position("2")]), content_type=HTML
    )
    fetch = connector(httpserver, http).fetch(BOARD)
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "2"]
    assert fetch.postings[0].description == "<h3>About</h3>\n<p>arr = [1];</p>"


def test_sections_follow_their_order_and_remote_locations() -> None:
    record = position(
        "9",
        location={"name": "Remote", "is_remote": True, "city": "", "country": ""},
        details=[
            {"name": "Requirements", "value": "<ul><li>ML</li></ul>", "order": 2},
            {"name": "Description", "value": "<p>Lead</p>", "order": 1},
            {"name": "Benefits", "value": None, "order": 3},
        ],
    )
    posting = parse_position(record, BOARD, FETCHED)
    assert posting.description == (
        "<h3>Description</h3>\n<p>Lead</p>\n<h3>Requirements</h3>\n<ul><li>ML</li></ul>"
    )
    assert posting.locations == ["Remote"] and posting.workplace_type == "Remote"
    bare = parse_position(position("10"), BOARD, FETCHED)
    assert bare.url is None and bare.locations == [] and bare.description is None


@pytest.mark.parametrize(
    ("record", "reason"),
    [("x", "not an object"), ({"name": "T"}, "no id"), ({"uid": "1.2"}, "no title")],
)
def test_unusable_records_raise_value_error(record: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_position(record, BOARD, FETCHED)


# --- the fetcher against a local server ---------------------------------------------------------


def test_429_then_success(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        careers_page([position("1")]), content_type=HTML
    )
    fetch = connector(httpserver, http).fetch(BOARD)
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1"]


def test_empty_board_is_complete(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH).respond_with_data(careers_page([]), content_type=HTML)
    fetch = connector(httpserver, http).fetch(BOARD)
    assert fetch.complete is True and fetch.postings == [] and fetch.error is None


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (503, "down", "HTTP 503"),
        (404, "not found", "HTTP 404"),
        (200, "<html><body>Page not found</body></html>", "holds no COMPANY_POSITIONS_DATA"),
        (200, careers_page('[{"uid": "1", "name": '), "is not JSON"),
        (200, careers_page('{"uid": "1"}'), "is not a list"),
        (200, '[{"uid": "1", "name": "T"}]', "holds no COMPANY_POSITIONS_DATA"),
    ],
)
def test_bad_page_is_an_error(
    httpserver: HTTPServer, http: HttpClient, status: int, body: str, message: str
) -> None:
    httpserver.expect_request(PATH).respond_with_data(body, status=status, content_type=HTML)
    fetch = connector(httpserver, http).fetch(BOARD)
    assert fetch.complete is False and fetch.postings == []
    assert "comeet board 'wiliot/F6.003'" in (fetch.error or "") and message in (fetch.error or "")


def test_timeout_is_an_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(careers_page([]), content_type=HTML)

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(httpserver, client).fetch(BOARD)
    assert fetch.complete is False and "timed out" in (fetch.error or "")


def test_a_bare_company_uid_is_a_board_error(httpserver: HTTPServer, http: HttpClient) -> None:
    fetch = connector(httpserver, http).fetch("67.007")
    assert fetch.complete is False and "'company/board_id'" in (fetch.error or "")
    assert len(httpserver.log) == 0  # nothing was requested
    assert ComeetConnector.careers_url("67.007") is None


def test_one_bad_position_is_rejected_the_rest_kept(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    page = careers_page([position("1"), {"uid": "2", "name": None}, 7, position("4", "Lead")])
    httpserver.expect_request(PATH).respond_with_data(page, content_type=HTML)
    fetch = connector(httpserver, http).fetch(BOARD)

    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "4"]
    assert [r.where for r in fetch.rejects] == ["position 2", "positions[2]"]


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://www.comeet.com/jobs/arbe/C6.001", "arbe/C6.001"),
        ("https://www.comeet.com/jobs/noma_security/3A.005/", "noma_security/3A.005"),
        ("https://WWW.Comeet.com/jobs/plainid/C4.00C?utm=x", "plainid/C4.00C"),
        (
            "https://www.comeet.com/jobs/wiliot/F6.003/forward-deployed-engineer/18.767",
            "wiliot/F6.003",
        ),
        ("http://comeet.com/jobs/overwolf/B1.001/", "overwolf/B1.001"),
        ("https://www.comeet.co/careers-api/2.0/company/F6.003/positions?token=x", None),
        ("https://www.comeet.com/jobs/arbe", None),  # no board id
        ("https://www.hunters.security/careers", None),
        ("https://apply.workable.com/zego/", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert ComeetConnector.board_from_url(url) == token


def test_careers_url_and_tokens() -> None:
    assert ComeetConnector.careers_url("dreamgroup/99.002") == (
        "https://www.comeet.com/jobs/dreamgroup/99.002"
    )
    assert split_board("majesticlabs/AA.004") == ("majesticlabs", "AA.004")
    for bad in ("", "arbe", "arbe/", "a/b/c"):
        with pytest.raises(FetchError):
            split_board(bad)
