"""Workday: recorded CXS responses parsed, and careers sites served from 127.0.0.1."""

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

from leadboard.sources import workday
from leadboard.sources.http import HttpClient
from leadboard.sources.workday import WorkdayConnector, parse_job, split_board

FETCHED = datetime(2026, 8, 5, 12, 0, tzinfo=UTC)
BOARD = "acme/wd5/Careers"
API = "/acme.wd5.myworkdayjobs.com/wday/cxs/acme/Careers"
GDIT = "gdit/wd5/External_Career_Site"
GDIT_API = "/gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/External_Career_Site"


def load(ats_fixtures: Path, name: str) -> Any:
    return json.loads((ats_fixtures / "workday" / name).read_text(encoding="utf-8"))


def item(slug: str, title: str = "ML Engineer", posted: str = "Posted Today") -> dict[str, Any]:
    return {
        "title": title,
        "externalPath": f"/job/Paris/{slug}",
        "locationsText": "Paris",
        "postedOn": posted,
        "bulletFields": [slug.rsplit("_", 1)[-1]],
    }


def page(records: list[Any], total: int) -> dict[str, Any]:
    return {"total": total, "jobPostings": records, "facets": [], "userAuthenticated": False}


def body(offset: int, limit: int = 20) -> dict[str, Any]:
    return {"appliedFacets": {}, "limit": limit, "offset": offset, "searchText": ""}


def expect_page(server: HTTPServer, offset: int, limit: int = 20, api: str = API) -> Any:
    return server.expect_request(f"{api}/jobs", method="POST", json=body(offset, limit))


def serve_details(server: HTTPServer, api: str = API) -> None:
    """Every ``{api}/job/...`` answers a small detail naming its posting."""

    def detail(request: Request) -> Response:
        slug = request.path.rsplit("/", 1)[1]
        info = {
            "title": f"Detail of {slug}",
            "jobDescription": f"<p>About {slug}.</p>",
            "startDate": "2026-07-01",
            "location": "Paris",
            "jobPostingId": slug,
        }
        answer = {"jobPostingInfo": info, "hiringOrganization": {"name": "Acme SAS", "url": ""}}
        return Response(json.dumps(answer), content_type="application/json")

    server.expect_request(
        re.compile(rf"^{re.escape(api)}/job/.+$"), method="GET"
    ).respond_with_handler(detail)


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> WorkdayConnector:
    return WorkdayConnector(http, base_url=httpserver.url_for(""))


# --- recorded responses ---------------------------------------------------------------------------


def test_gdit_listing_records_parse_without_a_date(ats_fixtures: Path) -> None:
    records = load(ats_fixtures, "list-gdit-External_Career_Site.json")["jobPostings"]
    postings = [parse_job(r, GDIT, FETCHED) for r in records]

    first = postings[0]
    assert first.key == "workday:gdit/wd5/External_Career_Site:Data-Engineer_RQ216675"
    assert first.title == "Data Engineer"
    assert first.url == (
        "https://gdit.wd5.myworkdayjobs.com/External_Career_Site"
        "/job/USA-DC-Washington/Data-Engineer_RQ216675"
    )
    assert first.locations == ["USA DC Washington"]
    # "Posted 8 Days Ago" is relative to a day we do not know: a label, never a date.
    assert first.posted_at is None and first.updated_at is None
    assert first.extra["posted_on"] == "Posted 8 Days Ago"
    assert first.extra["bullet_fields"] == ["RQ216675"]
    assert first.description is None and first.company is None
    assert [p.external_id for p in postings[1:]] == [
        "Cloud-Data-Engineer_RQ221571-1",
        "Data-Engineer-Senior-Principal--Hybrid-_RQ222489-1",
        "Data-Engineer---TS-SCI-with-Polygraph_RQ223218",
    ]
    assert postings[1].locations == ["DEU Wiesbaden - Wiesbaden Army Airfield (APC180)"]


def test_micron_listing_records_parse(ats_fixtures: Path) -> None:
    records = load(ats_fixtures, "list-micron-external.json")["jobPostings"]
    postings = [parse_job(r, "micron/wd1/External", FETCHED) for r in records]

    assert len(postings) == 20 and len({p.external_id for p in postings}) == 20
    japanese = postings[1]
    assert japanese.title == "半導体製造 EUVフォトマスク検査・管理スタッフ（技術職）"
    assert japanese.external_id == "-EUV---_JR87841"
    assert japanese.url == (
        "https://micron.wd1.myworkdayjobs.com/External/job/Hiroshima---Fab-15-Japan/-EUV---_JR87841"
    )
    assert japanese.employment_type == "Full time"  # this tenant lists timeType
    # "2 Locations" counts places without naming them: no location until the detail says.
    scientist = next(p for p in postings if p.external_id.endswith("_JR97659"))
    assert scientist.locations == []
    contract = next(p for p in postings if p.external_id.endswith("_JR100916"))
    assert contract.employment_type is None and contract.locations == ["Fab 10A, Singapore"]


def test_gdit_detail_completes_its_listing_record(ats_fixtures: Path) -> None:
    listed = load(ats_fixtures, "list-gdit-External_Career_Site.json")["jobPostings"][0]
    detail = load(ats_fixtures, "detail-gdit-RQ216675.json")
    posting = parse_job({**listed, **detail}, GDIT, FETCHED)

    assert posting.external_id == "Data-Engineer_RQ216675"
    assert posting.posted_at == "2026-07-07"  # jobPostingInfo.startDate
    assert posting.company == "GD Information Technology, Inc."
    assert posting.requisition_id == "RQ216675"
    assert posting.employment_type == "Full time"
    assert posting.url == detail["jobPostingInfo"]["externalUrl"]
    assert posting.locations == ["USA DC Washington"]
    assert posting.description_format == "html"
    assert (posting.description or "").startswith('<p style="text-align:left"><b><u>Type of')
    assert "Data Engineer" in (posting.description or "")
    assert posting.extra["country"] == "United States of America"
    assert posting.extra["requisition_location"] == "USA DC Washington - 330 C St SW (DCC127)"
    assert posting.extra["workday_id"] == "0ce19f3061551000bf0457bfc3270000"
    assert posting.extra["can_apply"] is True
    assert posting.workplace_type is None  # this tenant gives no remoteType


def test_synchrony_detail_read_through_the_connector(
    ats_fixtures: Path, httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    detail = load(ats_fixtures, "detail-blp-intern-technology.json")
    path = "/job/Stamford-Hub/BLP-Intern---Technology_2601695-1"
    api = "/synchronyfinancial.wd5.myworkdayjobs.com/wday/cxs/synchronyfinancial/University"
    httpserver.expect_request(api + path, method="GET").respond_with_json(detail)
    listed = {"title": "BLP Intern – Technology", "externalPath": path, "locationsText": "X"}

    merged = connector.read_detail("synchronyfinancial/wd5/University", listed)
    posting = parse_job(merged, "synchronyfinancial/wd5/University", FETCHED)

    assert "similarJobs" not in merged  # other postings, not this one
    assert merged["jobPostingInfo"] == detail["jobPostingInfo"]
    assert posting.external_id == "BLP-Intern---Technology_2601695-1"
    assert posting.title == "BLP Intern – Technology"
    assert posting.company == "Synchrony Bank"
    assert posting.posted_at == "2026-06-16"
    assert posting.requisition_id == "2601695"
    assert posting.locations == ["Stamford Hub"]  # the detail's, not the listing's
    assert posting.extra["posted_on"] == "Posted 30+ Days Ago"
    assert "Business Leadership Program" in (posting.description or "")
    assert posting.url == (
        "https://synchronyfinancial.wd5.myworkdayjobs.com/University/job/Stamford-Hub/"
        "BLP-Intern---Technology_2601695-1"
    )


def test_recorded_site_served_whole(
    ats_fixtures: Path, httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    listing = load(ats_fixtures, "list-gdit-External_Career_Site.json")
    detail = load(ats_fixtures, "detail-gdit-RQ216675.json")
    # The recording is 4 postings of 644: serve it as a site of 4 (total set to what it holds).
    expect_page(httpserver, 0, api=GDIT_API).respond_with_json({**listing, "total": 4})
    httpserver.expect_request(
        GDIT_API + "/job/USA-DC-Washington/Data-Engineer_RQ216675", method="GET"
    ).respond_with_json(detail)
    serve_details(httpserver, GDIT_API)

    fetch = connector.fetch(GDIT)

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert len(fetch.postings) == 4 and len(fetch.listed) == 4
    recorded = fetch.postings[0]
    assert recorded.company == "GD Information Technology, Inc."
    assert recorded.posted_at == "2026-07-07"
    assert recorded.payload["jobPostingInfo"]["jobReqId"] == "RQ216675"
    assert "postedOn" not in recorded.payload  # the listing's relative label (see the hash)
    assert fetch.postings[1].description == "<p>About Cloud-Data-Engineer_RQ221571-1.</p>"


def test_recorded_page_short_of_its_total_is_partial(
    ats_fixtures: Path, httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    listing = load(ats_fixtures, "list-gdit-External_Career_Site.json")  # 4 of total 644
    expect_page(httpserver, 0, api=GDIT_API).respond_with_json(listing)
    serve_details(httpserver, GDIT_API)

    fetch = connector.fetch(GDIT)

    assert fetch.complete is False and len(fetch.postings) == 4
    assert "got 4 of 644 postings" in (fetch.error or "")


# --- paging -------------------------------------------------------------------------------------


def test_pages_by_offset_and_keeps_the_first_total(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    # Some tenants answer total 0 after the first page: the first page's total counts.
    expect_page(httpserver, 0, 2).respond_with_json(page([item("A_1"), item("B_2")], total=5))
    expect_page(httpserver, 2, 2).respond_with_json(page([item("C_3"), item("D_4")], total=0))
    expect_page(httpserver, 4, 2).respond_with_json(page([item("E_5")], total=0))
    serve_details(httpserver)
    connector = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=2)

    fetch = connector.fetch(BOARD, company="Acme")

    assert fetch.error is None and fetch.complete is True
    assert [p.external_id for p in fetch.postings] == ["A_1", "B_2", "C_3", "D_4", "E_5"]
    assert fetch.postings[2].title == "Detail of C_3" and fetch.postings[2].company == "Acme SAS"
    assert fetch.postings[4].posted_at == "2026-07-01"
    posts = [r for r, _ in httpserver.log if r.method == "POST"]
    assert len(posts) == 3


def test_stops_at_the_total_without_an_empty_page(httpserver: HTTPServer, http: HttpClient) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(page([item("A_1"), item("B_2")], total=4))
    expect_page(httpserver, 2, 2).respond_with_json(page([item("C_3"), item("D_4")], total=4))
    serve_details(httpserver)
    fetch = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is True and len(fetch.postings) == 4
    assert sum(r.method == "POST" for r, _ in httpserver.log) == 2


def test_without_a_total_pages_until_a_short_page(httpserver: HTTPServer, http: HttpClient) -> None:
    first = {"jobPostings": [item("A_1"), item("B_2")]}
    expect_page(httpserver, 0, 2).respond_with_json(first)
    expect_page(httpserver, 2, 2).respond_with_json({"jobPostings": []})
    serve_details(httpserver)
    fetch = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["A_1", "B_2"]


def test_a_posting_shifted_onto_the_next_page_is_kept_once(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(page([item("A_1"), item("B_2")], total=3))
    expect_page(httpserver, 2, 2).respond_with_json(page([item("B_2"), item("C_3")], total=0))
    serve_details(httpserver)
    fetch = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is True
    assert [p.external_id for p in fetch.postings] == ["A_1", "B_2", "C_3"]


def test_a_server_that_never_ends_is_cut_off(
    httpserver: HTTPServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workday, "MAX_PAGES", 3)
    counter = iter(range(1000))

    def endless(request: Request) -> Response:
        n = next(counter)
        return Response(
            json.dumps(page([item(f"P_{n}")], total=0)), content_type="application/json"
        )

    httpserver.expect_request(f"{API}/jobs", method="POST").respond_with_handler(endless)
    serve_details(httpserver)
    fetch = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=1).fetch(BOARD)
    assert fetch.complete is False and len(fetch.postings) == 3
    assert "stopped after 3 pages" in (fetch.error or "")


def test_a_failing_later_page_keeps_the_earlier_ones(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(page([item("A_1"), item("B_2")], total=3))
    expect_page(httpserver, 2, 2).respond_with_data("upstream", status=502)
    serve_details(httpserver)
    fetch = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is False and [p.external_id for p in fetch.postings] == ["A_1", "B_2"]
    assert "workday site 'acme/wd5/Careers'" in (fetch.error or "")
    assert "page 2" in (fetch.error or "") and "HTTP 502" in (fetch.error or "")


def test_a_malformed_later_page_keeps_the_earlier_ones(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    expect_page(httpserver, 0, 2).respond_with_json(page([item("A_1"), item("B_2")], total=3))
    expect_page(httpserver, 2, 2).respond_with_json({"errorCode": "S22"})
    serve_details(httpserver)
    fetch = WorkdayConnector(http, base_url=httpserver.url_for(""), page_size=2).fetch(BOARD)
    assert fetch.complete is False and len(fetch.postings) == 2
    assert "no 'jobPostings' list" in (fetch.error or "")


# --- failures -------------------------------------------------------------------------------------


def test_a_429_is_retried(httpserver: HTTPServer, connector: WorkdayConnector) -> None:
    # One-shot handlers answer before permanent ones: the 429 first, then the page.
    httpserver.expect_oneshot_request(f"{API}/jobs", method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    expect_page(httpserver, 0).respond_with_json(page([item("A_1")], total=1))
    serve_details(httpserver)

    fetch = connector.fetch(BOARD)

    assert fetch.error is None and fetch.complete is True and len(fetch.postings) == 1
    assert sum(r.method == "POST" for r, _ in httpserver.log) == 2


def test_persistent_5xx_is_a_board_error(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    expect_page(httpserver, 0).respond_with_data("down", status=503)
    fetch = connector.fetch(BOARD)
    assert fetch.complete is False and fetch.postings == []
    assert fetch.error is not None and "HTTP 503" in fetch.error
    assert len(httpserver.log) == 2  # the client's one retry, then the board fails


def test_a_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(page([], total=0)), content_type="application/json")

    httpserver.expect_request(f"{API}/jobs", method="POST").respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = WorkdayConnector(client, base_url=httpserver.url_for("")).fetch(BOARD)
    assert fetch.complete is False and fetch.postings == []
    assert "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("payload", "content_type", "message"),
    [
        (
            '{"total": 3, "jobPostings": [{"title": "x", "externalPath": "/j',
            "application/json",
            "is not JSON",
        ),
        ("<html><body>Workday is down for maintenance</body></html>", "text/html", "is not JSON"),
        ('{"total": 3, "errorCode": "HTTP_404"}', "application/json", "no 'jobPostings' list"),
        ('[{"title": "x"}]', "application/json", "no 'jobPostings' list"),
    ],
)
def test_bad_first_page_is_a_board_error(
    httpserver: HTTPServer,
    connector: WorkdayConnector,
    payload: str,
    content_type: str,
    message: str,
) -> None:
    expect_page(httpserver, 0).respond_with_data(payload, content_type=content_type)
    fetch = connector.fetch(BOARD)
    assert fetch.complete is False and fetch.postings == []
    assert message in (fetch.error or "")


def test_a_bad_token_is_a_board_error_without_a_request(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    before = len(httpserver.log)  # a late retry of an earlier test's request may arrive
    fetch = connector.fetch("acme/Careers")
    assert fetch.complete is False and "is not tenant/wdN/site" in (fetch.error or "")
    assert len(httpserver.log) == before  # nothing was requested


def test_malformed_records_are_rejected_one_by_one(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    records = [item("A_1"), {"title": "No path"}, "oops", {"externalPath": "/job/X/NoTitle_9"}]
    expect_page(httpserver, 0).respond_with_json(page(records, total=4))
    # No title in the listing nor in this detail: the record cannot become a posting.
    httpserver.expect_request(f"{API}/job/X/NoTitle_9", method="GET").respond_with_json(
        {"jobPostingInfo": {"jobDescription": "<p>?</p>"}}
    )
    serve_details(httpserver)

    fetch = connector.fetch(BOARD)

    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["A_1"]
    assert [(r.where, r.reason) for r in fetch.rejects] == [
        ("postings[1]", "posting record has no id"),
        ("postings[2]", "posting record is a str, not an object"),
        ("posting NoTitle_9", "posting NoTitle_9 has no title"),
    ]
    assert fetch.listed == {"A_1", "NoTitle_9"}


# --- details --------------------------------------------------------------------------------------


def test_a_detail_404_means_the_posting_is_gone(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    expect_page(httpserver, 0).respond_with_json(page([item("A_1"), item("B_2")], total=2))
    httpserver.expect_request(f"{API}/job/Paris/B_2", method="GET").respond_with_data(
        '{"errorCode": "HTTP_404"}', status=404
    )
    serve_details(httpserver)

    fetch = connector.fetch(BOARD)

    assert fetch.complete is True and fetch.gone == {"B_2"}
    assert [p.external_id for p in fetch.postings] == ["A_1"] and fetch.rejects == []


def test_a_detail_without_posting_info_is_rejected(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    expect_page(httpserver, 0).respond_with_json(page([item("A_1")], total=1))
    httpserver.expect_request(f"{API}/job/Paris/A_1", method="GET").respond_with_json({"x": 1})
    fetch = connector.fetch(BOARD)
    [reject] = fetch.rejects
    assert reject.where == "posting A_1" and "has no 'jobPostingInfo' object" in reject.reason
    assert fetch.postings == [] and fetch.listed == {"A_1"}


def test_unchanged_records_skip_the_detail_even_as_posted_on_ages(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    expect_page(httpserver, 0).respond_with_json(page([item("A_1"), item("B_2")], total=2))
    serve_details(httpserver)
    first = connector.fetch(BOARD)
    known = {p.external_id: p.extra["listing_hash"] for p in first.postings}

    httpserver.clear()
    # A day later "Posted Today" reads "Posted Yesterday": the posting itself did not change.
    aged = [item("A_1", posted="Posted Yesterday"), item("B_2", title="ML Lead")]
    expect_page(httpserver, 0).respond_with_json(page(aged, total=2))
    serve_details(httpserver)
    second = connector.fetch(BOARD, known=known)

    assert second.complete is True and second.unchanged == {"A_1"}
    assert [p.external_id for p in second.postings] == ["B_2"]  # its title changed
    details = [r.path for r, _ in httpserver.log if r.method == "GET"]
    assert details == [f"{API}/job/Paris/B_2"]


# --- tokens and URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://abb.wd3.myworkdayjobs.com/External_Career_Page", "abb/wd3/External_Career_Page"),
        ("https://ag.wd3.myworkdayjobs.com/en-US/Airbus", "ag/wd3/Airbus"),
        (
            "https://bdoau.wd105.myworkdayjobs.com/en-GB/BDOEarlyCareers/",
            "bdoau/wd105/BDOEarlyCareers",
        ),
        (
            "http://GDIT.WD5.myworkdayjobs.com/External_Career_Site/job/USA-DC-Washington/"
            "Data-Engineer_RQ216675?source=linkedin",
            "gdit/wd5/External_Career_Site",
        ),
        (
            "https://micron.wd1.myworkdayjobs.com/wday/cxs/micron/External/jobs",
            "micron/wd1/External",
        ),
        (
            "https://wd3.myworkdaysite.com/recruiting/havas/GroupExternalCareerSite/",
            "havas/wd3/GroupExternalCareerSite",
        ),
        (
            "https://wd1.myworkdaysite.com/en-US/recruiting/wf/WellsFargoJobs",
            "wf/wd1/WellsFargoJobs",
        ),
        ("boeing.wd1.myworkdayjobs.com/EXTERNAL_CAREERS", "boeing/wd1/EXTERNAL_CAREERS"),
    ],
)
def test_board_from_url(url: str, token: str) -> None:
    assert WorkdayConnector.board_from_url(url) == token
    split_board(token)  # a token the connector reads


@pytest.mark.parametrize(
    "url",
    [
        "https://boards.greenhouse.io/anthropic",
        "https://abb.wd3.myworkdayjobs.com/",
        "https://abb.wd3.myworkdayjobs.com/en-US",
        "https://www.myworkdayjobs.com/Careers",
        "https://jobs.gsk.com/en-gb/jobs",
        "https://wd3.myworkdaysite.com/recruiting/havas",
        "https://abb.wd3.myworkdayjobs.com.evil.example/Careers",
    ],
)
def test_board_from_url_refuses_other_urls(url: str) -> None:
    assert WorkdayConnector.board_from_url(url) is None


def test_a_tenant_that_is_no_host_name_is_read_from_myworkdaysite(
    httpserver: HTTPServer, connector: WorkdayConnector
) -> None:
    api = "/wd1.myworkdaysite.com/wday/cxs/vhr_wachtelllipton/wlrk"
    expect_page(httpserver, 0, api=api).respond_with_json(page([item("A_1")], total=1))
    serve_details(httpserver, api)
    fetch = connector.fetch("vhr_wachtelllipton/wd1/wlrk")
    assert fetch.complete is True
    assert fetch.postings[0].url == (
        "https://wd1.myworkdaysite.com/recruiting/vhr_wachtelllipton/wlrk/job/Paris/A_1"
    )
    url = WorkdayConnector.careers_url("vhr_wachtelllipton/wd1/wlrk")
    assert WorkdayConnector.board_from_url(url) == "vhr_wachtelllipton/wd1/wlrk"


def test_careers_url_round_trips() -> None:
    url = WorkdayConnector.careers_url("accenture/wd103/AccentureCareers")
    assert url == "https://accenture.wd103.myworkdayjobs.com/AccentureCareers"
    assert WorkdayConnector.board_from_url(url) == "accenture/wd103/AccentureCareers"
