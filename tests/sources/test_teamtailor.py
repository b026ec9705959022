"""Teamtailor: the recorded RSS and JSON feeds, and career sites served from 127.0.0.1."""

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
from leadboard.sources.teamtailor import TeamtailorConnector, parse_job

FETCHED = datetime(2026, 9, 5, 12, 0, tzinfo=UTC)
HOST = "upcloud.teamtailor.com"
RSS = f"/{HOST}/jobs.rss"
JSON = f"/{HOST}/jobs.json"
RSS_TYPE = "application/rss+xml"


def item(number: int, title: str = "ML Engineer", **fields: str) -> str:
    """One RSS ``<item>`` in the feed's real layout."""
    parts = {
        "title": title,
        "description": "&lt;p&gt;About the role&lt;/p&gt;",
        "pubDate": "Tue, 23 Jun 2026 16:35:08 +0300",
        "link": f"https://{HOST}/jobs/{number}-ml-engineer",
        "remoteStatus": "none",
        "guid": f"00000000-0000-4000-8000-{number:012d}",
        **fields,
    }
    body = "".join(f"<{k}>{v}</{k}>" if v else f"<{k}/>" for k, v in parts.items())
    return (
        f"<item>{body}<tt:locations><tt:location><tt:name>HQ</tt:name><tt:city>Helsinki</tt:city>"
        "<tt:country>Finland</tt:country></tt:location></tt:locations>"
        "<tt:department>Engineering</tt:department></item>"
    )


def rss(*items: str, title: str = "UpCloud") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:tt="https://teamtailor.com/locations"><channel>'
        f"<title>{title}</title><link>https://{HOST}/jobs</link>{''.join(items)}</channel></rss>"
    )


def query(offset: int, size: int) -> dict[str, str]:
    return {"offset": str(offset), "per_page": str(size)}


@pytest.fixture
def fixtures(ats_fixtures: Path) -> Path:
    return ats_fixtures / "teamtailor"


def load(fixtures: Path, name: str) -> dict[str, Any]:
    return json.loads((fixtures / name).read_text())


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> TeamtailorConnector:
    return TeamtailorConnector(http, base_url=httpserver.url_for(""), page_size=2)


# --- the recorded feeds -------------------------------------------------------------------------


def test_recorded_rss_feed_fetched(
    httpserver: HTTPServer, http: HttpClient, fixtures: Path
) -> None:
    feed = (fixtures / "jobs-rss-upcloud.rss").read_text()
    httpserver.expect_request(RSS, query_string=query(0, 100)).respond_with_data(
        feed, content_type=RSS_TYPE
    )

    fetch = TeamtailorConnector(http, base_url=httpserver.url_for("")).fetch(HOST)

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    analyst, developer = fetch.postings
    assert analyst.key == "teamtailor:upcloud.teamtailor.com:8323453"
    assert analyst.title == "Business Intelligence Analyst"
    assert (
        analyst.url == "https://upcloud.teamtailor.com/jobs/8323453-business-intelligence-analyst"
    )
    assert analyst.company == "UpCloud"  # the channel's title
    assert analyst.locations == ["Helsinki, Finland"]
    assert analyst.posted_at == "2026-09-04T14:50:13+03:00"  # pubDate, offset kept
    assert analyst.workplace_type == "Hybrid"
    # entity-escaped in the XML, so the description arrives as HTML
    assert analyst.description is not None
    assert analyst.description.startswith("<p><span>We are looking for a <strong>Business")
    assert analyst.description_format == "html"
    assert analyst.extra == {
        "department": "Finance",
        "role": "Business Intelligence Analyst",
        "remote_status": "hybrid",
        "location_names": ["Helsinki"],
        "uuid": "d8938509-ff5a-4755-a5f7-5f89a0ac791e",
        "listing_hash": analyst.extra["listing_hash"],
    }
    assert analyst.payload["locations"][0]["address"] == "Aleksanterinkatu 15 B"

    assert developer.workplace_type == "Remote"  # remoteStatus "fully"
    assert developer.locations == ["Helsinki, Finland"]
    assert developer.extra["location_names"] == ["EU"]
    assert developer.payload["locations"][0]["zip"] is None  # <tt:zip/>
    assert developer.posted_at == "2026-06-23T16:35:08+03:00"
    assert len(httpserver.log) == 1


def test_recorded_json_feeds_parse(fixtures: Path) -> None:
    body = load(fixtures, "jobs-json-feed-1komma5.json")
    first = parse_job(body["items"][0], "1komma5.teamtailor.com", FETCHED)
    assert first.external_id == "7793185"  # the number in the URL, as for RSS items
    assert first.title == "Utesäljare energilösningar till 1KOMMA5° i Stockholm"
    assert first.company == "1KOMMA5° Sverige"
    assert first.locations == ["Stockholm, SE"]  # addressRegion "Mälardalen" left out
    assert first.posted_at == "2026-05-26T08:33:05+02:00"
    assert first.description is not None and first.description.startswith("<p>Vi driver")
    assert first.extra["uuid"] == "942c032b-91ee-4fc4-a044-c5e7971f3a1e"

    # trimmed recording: no content_html at all, two offices
    body = load(fixtures, "jobs-json-feed-career-teamtailor.json")
    second = parse_job(body["items"][1], "career.teamtailor.com", FETCHED)
    assert second.external_id == "7069633"
    assert second.locations == ["Stockholm, SE", "København, DK"]
    assert second.description is None and second.description_format is None
    assert second.company is None  # no hiringOrganization in this recording


@pytest.mark.parametrize(
    ("name", "host", "ids", "company"),
    [
        (
            "jobs-json-feed-1komma5.json",
            "1komma5.teamtailor.com",
            ["7793185", "7675543"],
            "1KOMMA5° Sverige",
        ),
        (
            "jobs-json-feed-career-teamtailor.json",
            "career.teamtailor.com",
            ["7167985", "7069633"],
            "Teamtailor",
        ),
    ],
)
def test_recorded_json_feed_read_when_rss_fails(
    httpserver: HTTPServer,
    http: HttpClient,
    fixtures: Path,
    name: str,
    host: str,
    ids: list[str],
    company: str,
) -> None:
    httpserver.expect_request(f"/{host}/jobs.rss").respond_with_data("not found", status=404)
    httpserver.expect_request(f"/{host}/jobs.json").respond_with_json(load(fixtures, name))
    fetch = TeamtailorConnector(http, base_url=httpserver.url_for("")).fetch(host)
    assert fetch.complete is True and fetch.error is None and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == ids
    assert {p.company for p in fetch.postings} == {company}


# --- fields -------------------------------------------------------------------------------------


def test_odd_dates_and_remote_statuses() -> None:
    record = {"title": "T", "link": f"https://{HOST}/jobs/1-t", "pubDate": "sometime in June"}
    assert parse_job(record, HOST, FETCHED).posted_at == "sometime in June"  # passed on
    assert parse_job({**record, "remoteStatus": "temporary"}, HOST, FETCHED).workplace_type == (
        "temporary"
    )
    assert parse_job({**record, "remoteStatus": "none"}, HOST, FETCHED).workplace_type == "On-site"
    no_date = parse_job({"title": "T", "link": f"https://{HOST}/jobs/1-t"}, HOST, FETCHED)
    assert no_date.posted_at is None and no_date.workplace_type is None


def test_json_feed_item_with_structured_fields() -> None:
    record = {
        "id": "uuid-1",
        "title": "Head of ML",
        "url": "https://careers.d-edge.com/jobs/55-head-of-ml",
        "date_published": "2026-05-26T08:33:05+02:00",
        "date_modified": "2026-05-27T08:00:00+02:00",
        "_jobposting": {
            "@type": "JobPosting",
            "title": "Head of ML",
            "employmentType": "FULL_TIME",
            "jobLocationType": "TELECOMMUTE",
            "validThrough": "2026-07-01",
            "baseSalary": {
                "currency": "EUR",
                "value": {"minValue": 90000, "maxValue": 120000, "unitText": "YEAR"},
            },
        },
    }
    posting = parse_job(record, "careers.d-edge.com", FETCHED)
    assert posting.external_id == "55"
    assert posting.workplace_type == "TELECOMMUTE" and posting.employment_type == "FULL_TIME"
    assert posting.updated_at == "2026-05-27T08:00:00+02:00"
    assert posting.closes_at == "2026-07-01"
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (
        90000,
        120000,
        "EUR",
        "YEAR",
    )


# --- paging and failures ------------------------------------------------------------------------


def test_rss_pages_until_a_short_page(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    pages = [[item(1), item(2)], [item(3), item(4)], [item(5, "Data Lead")]]
    for number, items in enumerate(pages):
        httpserver.expect_request(RSS, query_string=query(number * 2, 2)).respond_with_data(
            rss(*items), content_type=RSS_TYPE
        )
    fetch = connector.fetch(HOST)
    assert fetch.complete is True and fetch.error is None
    assert [p.external_id for p in fetch.postings] == ["1", "2", "3", "4", "5"]
    assert fetch.postings[-1].title == "Data Lead"
    assert len(httpserver.log) == 3


def test_a_job_shifted_to_the_next_page_is_read_once(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    httpserver.expect_request(RSS, query_string=query(0, 2)).respond_with_data(
        rss(item(1), item(2)), content_type=RSS_TYPE
    )
    httpserver.expect_request(RSS, query_string=query(2, 2)).respond_with_data(
        rss(item(2), item(3)), content_type=RSS_TYPE
    )
    httpserver.expect_request(RSS, query_string=query(4, 2)).respond_with_data(
        rss(), content_type=RSS_TYPE
    )
    fetch = connector.fetch(HOST)
    assert [p.external_id for p in fetch.postings] == ["1", "2", "3"] and fetch.complete is True


def test_a_feed_that_ignores_offset_is_incomplete(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    httpserver.expect_request(RSS).respond_with_data(rss(item(1), item(2)), content_type=RSS_TYPE)
    fetch = connector.fetch(HOST)
    assert [p.external_id for p in fetch.postings] == ["1", "2"]
    assert fetch.complete is False and "repeats earlier jobs" in (fetch.error or "")
    assert len(httpserver.log) == 2


def test_a_page_of_unidentifiable_items_ends_the_listing(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    # Items without link or guid cannot show that a later page is new: stop rather than loop.
    orphans = ["<item><title>Orphan</title></item>"] * 2
    httpserver.expect_request(RSS).respond_with_data(rss(*orphans), content_type=RSS_TYPE)
    fetch = connector.fetch(HOST)
    assert fetch.postings == [] and [r.where for r in fetch.rejects] == ["jobs[0]", "jobs[1]"]
    assert fetch.complete is False and "repeats earlier jobs" in (fetch.error or "")
    assert len(httpserver.log) == 2


def test_a_failing_later_page_keeps_the_earlier_ones(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    httpserver.expect_request(RSS, query_string=query(0, 2)).respond_with_data(
        rss(item(1), item(2)), content_type=RSS_TYPE
    )
    httpserver.expect_request(RSS, query_string=query(2, 2)).respond_with_data(
        "<rss><channel><item><title>cut", content_type=RSS_TYPE
    )
    fetch = connector.fetch(HOST)
    assert [p.external_id for p in fetch.postings] == ["1", "2"] and fetch.complete is False
    assert "is not RSS" in (fetch.error or "")
    assert "teamtailor site 'upcloud.teamtailor.com'" in (fetch.error or "")


def test_json_feed_follows_next_url(httpserver: HTTPServer, connector: TeamtailorConnector) -> None:
    httpserver.expect_request(RSS).respond_with_data("gone", status=404)
    first = {
        "title": "UpCloud",
        "items": [{"id": "u1", "title": "A", "url": f"https://{HOST}/jobs/1-a"}],
        "next_url": f"https://{HOST}/jobs.json?page=2",
    }
    second = {"items": [{"id": "u2", "title": "B", "url": f"https://{HOST}/jobs/2-b"}]}
    httpserver.expect_request(JSON, query_string="page=2").respond_with_json(second)
    httpserver.expect_request(JSON, query_string="").respond_with_json(first)
    fetch = connector.fetch(HOST)
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "2"]


def test_json_feed_next_url_elsewhere_is_not_followed(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    httpserver.expect_request(RSS).respond_with_data("gone", status=404)
    body = {"items": [], "next_url": "https://evil.example/jobs.json?page=2"}
    httpserver.expect_request(JSON).respond_with_json(body)
    fetch = connector.fetch(HOST)
    assert fetch.complete is True and fetch.postings == []
    assert len(httpserver.log) == 2


def test_429_then_success(httpserver: HTTPServer, connector: TeamtailorConnector) -> None:
    httpserver.expect_oneshot_request(RSS).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request(RSS).respond_with_data(rss(item(1)), content_type=RSS_TYPE)
    fetch = connector.fetch(HOST)
    assert fetch.complete is True and len(fetch.postings) == 1 and len(httpserver.log) == 2


def test_persistent_5xx_on_both_feeds_is_a_site_error(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    httpserver.expect_request(RSS).respond_with_data("down", status=503)
    httpserver.expect_request(JSON).respond_with_data("down", status=503)
    fetch = connector.fetch(HOST)
    assert fetch.complete is False and fetch.postings == []
    error = fetch.error or ""
    assert error.count("HTTP 503") == 2 and "jobs.rss" in error and "jobs.json" in error


def test_timeout_is_a_site_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response(rss(), content_type=RSS_TYPE)

    httpserver.expect_request(RSS).respond_with_handler(slow)
    httpserver.expect_request(JSON).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = TeamtailorConnector(client, base_url=httpserver.url_for("")).fetch(HOST)
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("rss_body", "json_body", "message"),
    [
        ("<rss><channel><item><title>cut", '{"items": [{"id": 1', "is not JSON"),
        ("<html><body>Jobs</body></html>", "<html><body>Jobs</body></html>", "is not an RSS feed"),
        ("<!doctype html><p>Jobs", '{"version": "1.1"}', "has no 'items' list"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>', "[]", "EntitiesForbidden"),
    ],
)
def test_bad_bodies_are_a_site_error(
    httpserver: HTTPServer,
    connector: TeamtailorConnector,
    rss_body: str,
    json_body: str,
    message: str,
) -> None:
    httpserver.expect_request(RSS).respond_with_data(rss_body, content_type="text/html")
    httpserver.expect_request(JSON).respond_with_data(json_body, content_type="application/json")
    fetch = connector.fetch(HOST)
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_a_broken_rss_feed_falls_back_to_json(
    httpserver: HTTPServer, connector: TeamtailorConnector
) -> None:
    httpserver.expect_request(RSS).respond_with_data("<rss><channel><item>", content_type=RSS_TYPE)
    httpserver.expect_request(JSON).respond_with_json(
        {"items": [{"id": "u", "title": "A", "url": f"https://{HOST}/jobs/9-a"}]}
    )
    fetch = connector.fetch(HOST)
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["9"]


def test_one_malformed_item_is_one_reject(httpserver: HTTPServer, http: HttpClient) -> None:
    no_id = "<item><title>Orphan</title><description>x</description></item>"
    body = rss(item(1), item(2, title=""), no_id)
    httpserver.expect_request(RSS, query_string=query(0, 100)).respond_with_data(
        body, content_type=RSS_TYPE
    )
    fetch = TeamtailorConnector(http, base_url=httpserver.url_for("")).fetch(HOST)
    assert [p.external_id for p in fetch.postings] == ["1"] and fetch.complete is True
    assert [(r.where, r.reason) for r in fetch.rejects] == [
        ("job 2", "job 2 has no title"),
        ("jobs[2]", "job record has no id"),
    ]
    assert fetch.listed == {"1", "2"}


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://aignostics.teamtailor.com/jobs", "aignostics.teamtailor.com"),
        ("https://axmed.teamtailor.com/", "axmed.teamtailor.com"),
        ("https://bearingpointag.teamtailor.com/en/jobs", "bearingpointag.teamtailor.com"),
        (
            "http://BearingPointUSA.na.Teamtailor.com/jobs/4711-data-lead?utm=x",
            "bearingpointusa.na.teamtailor.com",
        ),
        ("https://1komma5.teamtailor.com/jobs.json", "1komma5.teamtailor.com"),
        ("https://upcloud.teamtailor.com/jobs.rss?offset=100", "upcloud.teamtailor.com"),
        ("https://www.teamtailor.com/en/", None),
        ("https://app.teamtailor.com/companies/x", None),
        ("https://teamtailor.com/jobs", None),
        ("https://careers.d-edge.com/jobs", None),  # a custom host: not knowable from the URL
        ("https://upcloud.teamtailor.com.evil.example/jobs", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert TeamtailorConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert (
        TeamtailorConnector.careers_url("career.airahome.com") == "https://career.airahome.com/jobs"
    )
    assert TeamtailorConnector.board_from_url(TeamtailorConnector.careers_url(HOST)) == HOST
