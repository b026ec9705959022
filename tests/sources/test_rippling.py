"""Rippling: the recorded v1 and v2 lists, and boards served from 127.0.0.1 with job details.

No recorded detail response exists (see the fixtures' SOURCE.txt). The detail bodies here are
built from the shape other public clients of
``api.rippling.com/platform/api/ats/v1/board/{slug}/jobs/{id}`` read: ``description`` as an object
of HTML sections (``company``, ``role``), ``companyName``, ``employmentType {id, label}``,
``workLocations`` (strings), ``createdOn`` and ``payRangeDetails [{currency, frequency,
rangeStart, rangeEnd}]``.
"""

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
from leadboard.sources.rippling import RipplingConnector, parse_job

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SLUG = "11fs-group-ltd"
V2 = f"/ats.rippling.com/api/v2/board/{SLUG}/jobs"
V1 = f"/api.rippling.com/platform/api/ats/v1/board/{SLUG}/jobs"


def detail_path(job_id: str) -> str:
    return f"{V1}/{job_id}"


def detail_body(job_id: str, name: str, **fields: Any) -> dict[str, Any]:
    """A detail answer in the shape public clients read (no recording exists)."""
    body = {
        "uuid": job_id,
        "name": name,
        "description": {
            "company": "<p>11:FS builds digital banks.</p>",
            "role": f"<p>As {name} you will lead.</p>",
        },
        "companyName": "11:FS",
        "employmentType": {"id": "SALARIED_FT", "label": "Salaried, full-time"},
        "department": {"label": "Pulse"},
        "workLocations": ["London, United Kingdom"],
        "createdOn": "2026-03-02T17:01:22.412000Z",
    }
    body.update(fields)
    return body


def row(job_id: str, name: str = "ML Engineer", *places: str, kind: str = "ON_SITE") -> dict:
    """One v2 list row."""
    return {
        "id": job_id,
        "name": name,
        "url": f"https://ats.rippling.com/{SLUG}/jobs/{job_id}",
        "department": {"name": "Engineering"},
        "locations": [{"name": p, "workplaceType": kind} for p in places or ("London, UK",)],
        "language": "en-US",
    }


def page(items: list[dict], number: int, total_items: int, total_pages: int) -> dict[str, Any]:
    return {
        "items": items,
        "page": number,
        "pageSize": 2,
        "totalItems": total_items,
        "totalPages": total_pages,
    }


def query(number: int, size: int = 2) -> dict[str, str]:
    return {"page": str(number), "pageSize": str(size)}


def serve_details(server: HTTPServer, records: list[dict[str, Any]]) -> None:
    for record in records:
        job_id = record.get("id") or record["uuid"]
        server.expect_request(detail_path(job_id)).respond_with_json(
            detail_body(job_id, record["name"])
        )


@pytest.fixture
def fixtures(ats_fixtures: Path) -> Path:
    return ats_fixtures / "rippling"


def load(fixtures: Path, name: str) -> Any:
    return json.loads((fixtures / name).read_text())


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> RipplingConnector:
    return RipplingConnector(http, base_url=httpserver.url_for(""), page_size=2)


# --- the recorded lists -------------------------------------------------------------------------


def test_recorded_v1_rows_parse(fixtures: Path) -> None:
    records = load(fixtures, "v1-board-jobs-11fs-group-ltd.json")
    sales, director = (parse_job(r, SLUG, FETCHED) for r in records)
    assert sales.key == "rippling:11fs-group-ltd:3c36e9c8-1bee-45a2-94fe-09f10ccbe10f"
    assert sales.title == "Senior Sales Executive"
    assert sales.url == (
        "https://ats.rippling.com/11fs-group-ltd/jobs/3c36e9c8-1bee-45a2-94fe-09f10ccbe10f"
    )
    assert sales.locations == ["London, United Kingdom"]
    assert sales.extra["department"] == "Pulse"
    # the list has no text, no date, no pay: nothing is made up
    assert (sales.description, sales.posted_at, sales.salary) == (None, None, None)
    assert director.locations == ["Remote (United States)"]
    assert director.payload == records[1]


def test_recorded_v2_rows_parse(fixtures: Path) -> None:
    body = load(fixtures, "v2-board-jobs-rippling-page0.json")
    first = parse_job(body["items"][0], "rippling", FETCHED)
    assert first.external_id == "84d388b6-7656-434c-8862-0312eb6b97ac"
    assert first.title == "Business Operations Manager"
    assert first.locations == ["San Francisco, CA"]
    assert first.workplace_type == "ON_SITE"
    assert first.extra == {"department": "Bizops", "language": "en-US"}


def test_recorded_v1_board_fetched_when_the_paged_list_fails(
    httpserver: HTTPServer, http: HttpClient, fixtures: Path
) -> None:
    records = load(fixtures, "v1-board-jobs-11fs-group-ltd.json")
    httpserver.expect_request(V2).respond_with_data("not found", status=404)
    httpserver.expect_request(V1).respond_with_json(records)
    serve_details(httpserver, records)

    fetch = RipplingConnector(http, base_url=httpserver.url_for("")).fetch(SLUG)

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.title for p in fetch.postings] == [
        "Senior Sales Executive",
        "Director, Strategic Solutions",
    ]
    sales = fetch.postings[0]
    assert sales.company == "11:FS"
    assert sales.description == (
        "<p>11:FS builds digital banks.</p>\n<p>As Senior Sales Executive you will lead.</p>"
    )
    assert sales.description_format == "html"
    assert sales.posted_at == "2026-03-02T17:01:22.412000Z"
    assert sales.employment_type == "Salaried, full-time"
    # the v1 row's own location and the detail's workLocations, once each
    assert fetch.postings[1].locations == ["Remote (United States)", "London, United Kingdom"]


def test_recorded_v2_page_alone_is_incomplete(
    httpserver: HTTPServer, http: HttpClient, fixtures: Path
) -> None:
    # Recorded with pageSize=2 of 315 pages: the next page is not served, so the listing is
    # partial (never complete) but keeps the job it read.
    body = load(fixtures, "v2-board-jobs-rippling-page0.json")
    path = "/ats.rippling.com/api/v2/board/rippling/jobs"
    httpserver.expect_request(path, query_string=query(0)).respond_with_json(body)
    httpserver.expect_request(path, query_string=query(1)).respond_with_data("no", status=404)
    httpserver.expect_request(
        "/api.rippling.com/platform/api/ats/v1/board/rippling/jobs/84d388b6-7656-434c-8862-0312eb6b97ac"
    ).respond_with_json(detail_body("84d388b6-7656-434c-8862-0312eb6b97ac", "BizOps Manager"))
    connector = RipplingConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch("rippling")

    assert fetch.complete is False and "HTTP 404" in (fetch.error or "")
    [posting] = fetch.postings
    assert posting.locations == ["San Francisco, CA", "New York, NY", "London, United Kingdom"]


def test_recorded_v2_page_as_a_whole_board(
    httpserver: HTTPServer, http: HttpClient, fixtures: Path
) -> None:
    # The recorded page with its totals edited to say it is the whole board (2 rows, 1 page).
    body = {**load(fixtures, "v2-board-jobs-rippling-page0.json"), "totalItems": 2, "totalPages": 1}
    job_id = "84d388b6-7656-434c-8862-0312eb6b97ac"
    httpserver.expect_request("/ats.rippling.com/api/v2/board/rippling/jobs").respond_with_json(
        body
    )
    httpserver.expect_request(
        f"/api.rippling.com/platform/api/ats/v1/board/rippling/jobs/{job_id}"
    ).respond_with_json(detail_body(job_id, "Business Operations Manager", workLocations=[]))

    fetch = RipplingConnector(http, base_url=httpserver.url_for("")).fetch("rippling")

    assert fetch.complete is True and fetch.error is None and fetch.rejects == []
    [posting] = fetch.postings  # two rows, one job: one detail request
    assert posting.locations == ["San Francisco, CA", "New York, NY"]
    assert posting.workplace_type == "ON_SITE"
    assert posting.url == f"https://ats.rippling.com/rippling/jobs/{job_id}"
    assert httpserver.log[0][0].args.to_dict() == {"page": "0", "pageSize": "50"}
    assert len(httpserver.log) == 2


# --- detail fields ------------------------------------------------------------------------------


def test_pay_ranges_and_workplace() -> None:
    record = {
        **row("j1", "Head of ML", "New York, NY", "Remote (US)"),
        "locations": [
            {"name": "New York, NY", "workplaceType": "ON_SITE"},
            {"name": "Remote (US)", "workplaceType": "REMOTE"},
        ],
        "payRangeDetails": [
            {"currency": "USD", "frequency": "YEAR", "rangeStart": 97200, "rangeEnd": 170100},
            {"currency": "USD", "frequency": "YEAR", "rangeStart": 91800.0, "rangeEnd": 160650},
            {"currency": "CAD", "frequency": "YEAR", "rangeStart": 128000, "rangeEnd": 160000},
        ],
        "description": "<p>One string</p>",
        "employmentType": "CONTRACTOR",
    }
    posting = parse_job(record, SLUG, FETCHED)
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period, salary.cents) == (
        91800,
        170100,
        "USD",
        "YEAR",
        False,
    )
    assert len(posting.extra["pay_ranges"]) == 3  # the CAD range is kept, not merged
    assert posting.workplace_type == "REMOTE"  # the most open of the locations
    assert posting.description == "<p>One string</p>"
    assert posting.employment_type == "CONTRACTOR"


@pytest.mark.parametrize(
    "ranges",
    [None, [], "USD 100k", [{"currency": "USD", "frequency": "YEAR"}], [{"rangeStart": "n/a"}]],
)
def test_unusable_pay_ranges_are_no_hint(ranges: Any) -> None:
    assert parse_job({**row("j1"), "payRangeDetails": ranges}, SLUG, FETCHED).salary is None


def test_detail_404_means_gone(httpserver: HTTPServer, connector: RipplingConnector) -> None:
    httpserver.expect_request(V2).respond_with_json(page([row("a"), row("b")], 0, 2, 1))
    httpserver.expect_request(detail_path("a")).respond_with_json(detail_body("a", "A"))
    httpserver.expect_request(detail_path("b")).respond_with_data("gone", status=404)
    fetch = connector.fetch(SLUG)
    assert [p.external_id for p in fetch.postings] == ["a"]
    assert fetch.gone == {"b"} and fetch.complete is True and fetch.rejects == []


def test_detail_not_an_object_is_a_reject(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2).respond_with_json(page([row("a"), row("b")], 0, 2, 1))
    httpserver.expect_request(detail_path("a")).respond_with_json(["not", "a", "job"])
    httpserver.expect_request(detail_path("b")).respond_with_json(detail_body("b", "B"))
    fetch = connector.fetch(SLUG)
    assert [p.external_id for p in fetch.postings] == ["b"]
    [reject] = fetch.rejects
    assert reject.where == "job a" and "is not a job object" in reject.reason


def test_unchanged_records_skip_the_detail(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2).respond_with_json(page([row("a"), row("b")], 0, 2, 1))
    serve_details(httpserver, [row("a"), row("b")])
    first = connector.fetch(SLUG)
    known = {p.external_id: p.extra["listing_hash"] for p in first.postings}
    known["b"] = "0000000000000000"
    httpserver.clear_log()

    second = connector.fetch(SLUG, known=known)

    assert second.unchanged == {"a"} and [p.external_id for p in second.postings] == ["b"]
    assert [entry[0].path for entry in httpserver.log] == [V2, detail_path("b")]


# --- paging and failures ------------------------------------------------------------------------


def test_pages_to_the_last_and_merges_a_job_split_across_pages(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    pages = [
        [row("a", "A", "Paris"), row("b", "B")],
        [row("a", "A", "Berlin", kind="HYBRID"), row("c", "C")],
        [row("d", "D")],
    ]
    for number, items in enumerate(pages):
        httpserver.expect_request(V2, query_string=query(number)).respond_with_json(
            page(items, number, 5, 3)
        )
    serve_details(httpserver, [row("a", "A"), row("b", "B"), row("c", "C"), row("d", "D")])

    fetch = connector.fetch(SLUG)

    assert fetch.complete is True and fetch.error is None
    assert [p.external_id for p in fetch.postings] == ["a", "b", "c", "d"]
    job_a = fetch.postings[0]
    assert job_a.locations == ["Paris", "Berlin", "London, United Kingdom"]
    assert job_a.workplace_type == "HYBRID"
    listing_requests = [e[0] for e in httpserver.log if e[0].path == V2]
    assert [r.args["page"] for r in listing_requests] == ["0", "1", "2"]


def test_a_failing_later_page_keeps_the_earlier_ones(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2, query_string=query(0)).respond_with_json(
        page([row("a"), row("b")], 0, 4, 2)
    )
    httpserver.expect_request(V2, query_string=query(1)).respond_with_data("down", status=502)
    serve_details(httpserver, [row("a"), row("b")])
    fetch = connector.fetch(SLUG)
    assert [p.external_id for p in fetch.postings] == ["a", "b"]
    assert fetch.complete is False and "HTTP 502" in (fetch.error or "")
    assert "rippling board '11fs-group-ltd'" in (fetch.error or "")


def test_a_malformed_later_page_keeps_the_earlier_ones(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2, query_string=query(0)).respond_with_json(
        page([row("a"), row("b")], 0, 4, 2)
    )
    httpserver.expect_request(V2, query_string=query(1)).respond_with_json({"error": "oops"})
    serve_details(httpserver, [row("a"), row("b")])
    fetch = connector.fetch(SLUG)
    assert len(fetch.postings) == 2 and fetch.complete is False
    assert "page 1" in (fetch.error or "") and "no 'items' list" in (fetch.error or "")


def test_fewer_rows_than_announced_is_incomplete(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2).respond_with_json(page([row("a")], 0, 3, 1))
    serve_details(httpserver, [row("a")])
    fetch = connector.fetch(SLUG)
    assert len(fetch.postings) == 1 and fetch.complete is False
    assert "got 1 of 3 job rows" in (fetch.error or "")


def test_without_a_page_count_a_short_page_is_the_last(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2, query_string=query(0)).respond_with_json(
        {"items": [row("a"), row("b")]}
    )
    httpserver.expect_request(V2, query_string=query(1)).respond_with_json({"items": [row("c")]})
    serve_details(httpserver, [row("a"), row("b"), row("c")])
    fetch = connector.fetch(SLUG)
    assert fetch.complete is True and len(fetch.postings) == 3


def test_429_then_success(httpserver: HTTPServer, connector: RipplingConnector) -> None:
    httpserver.expect_oneshot_request(V2).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request(V2).respond_with_json(page([], 0, 0, 0))
    fetch = connector.fetch(SLUG)
    assert fetch.complete is True and fetch.error is None and len(httpserver.log) == 2


def test_persistent_5xx_on_both_lists_is_a_board_error(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    httpserver.expect_request(V2).respond_with_data("down", status=503)
    httpserver.expect_request(V1).respond_with_data("down", status=503)
    fetch = connector.fetch(SLUG)
    assert fetch.complete is False and fetch.postings == []
    error = fetch.error or ""
    assert error.count("HTTP 503") == 2 and "/api/v2/board/" in error and "/ats/v1/board/" in error


def test_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response("[]", content_type="application/json")

    httpserver.expect_request(V2).respond_with_handler(slow)
    httpserver.expect_request(V1).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = RipplingConnector(client, base_url=httpserver.url_for("")).fetch(SLUG)
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('{"items": [{"id": 1', "application/json", "is not JSON"),
        ("<html><body>Rippling</body></html>", "text/html", "is not JSON"),
        ('{"jobs": []}', "application/json", "is not a list of jobs"),
    ],
)
def test_bad_bodies_on_both_lists_are_a_board_error(
    httpserver: HTTPServer,
    connector: RipplingConnector,
    body: str,
    content_type: str,
    message: str,
) -> None:
    httpserver.expect_request(V2).respond_with_data(body, content_type=content_type)
    httpserver.expect_request(V1).respond_with_data(body, content_type=content_type)
    fetch = connector.fetch(SLUG)
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_one_malformed_record_is_one_reject(
    httpserver: HTTPServer, connector: RipplingConnector
) -> None:
    no_id = {k: v for k, v in row("x").items() if k != "id"}
    httpserver.expect_request(V2).respond_with_json(page([row("a"), no_id], 0, 2, 1))
    serve_details(httpserver, [row("a")])
    fetch = connector.fetch(SLUG)
    assert [p.external_id for p in fetch.postings] == ["a"] and fetch.complete is True
    [reject] = fetch.rejects
    assert (reject.where, reject.reason) == ("jobs[1]", "job record has no id")


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://ats.rippling.com/ataibeckley/jobs", "ataibeckley"),
        ("https://ats.rippling.com/chess/jobs/", "chess"),
        (
            "https://ats.rippling.com/en-GB/skyportsdeliveries-limited/jobs",
            "skyportsdeliveries-limited",
        ),
        (
            "http://ATS.Rippling.com/gotenna-inc/jobs/3c36e9c8-1bee-45a2-94fe-09f10ccbe10f?src=li",
            "gotenna-inc",
        ),
        ("https://ats.rippling.com/shippo", "shippo"),
        ("https://ats.rippling.com/hp/jobs", "hp"),  # a two-letter slug is not a locale
        ("https://api.rippling.com/platform/api/ats/v1/board/overland-ai/jobs", "overland-ai"),
        ("https://ats.rippling.com/api/v2/board/rippling/jobs?page=0&pageSize=2", "rippling"),
        ("https://api.rippling.com/platform/api/other/v1/board/x/jobs", None),
        ("https://www.rippling.com/careers", None),
        ("https://ats.rippling.com/", None),
        ("https://jobs.ashbyhq.com/rippling", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert RipplingConnector.board_from_url(url) == token


def test_careers_url_round_trips() -> None:
    assert RipplingConnector.board_from_url(RipplingConnector.careers_url("shippo")) == "shippo"
