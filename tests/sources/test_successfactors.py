"""SuccessFactors (Career Site Builder feeds): the recorded RSS feed, a Google feed, and sites
served from 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.http import FetchError, HttpClient
from leadboard.sources.successfactors import SuccessFactorsConnector, parse_item, read_feed

FETCHED = datetime(2026, 10, 3, 12, 0, tzinfo=UTC)
HOST = "careers.qorvo.com"
GOOGLE = f"/{HOST}/googlefeed.xml"
RSS = f"/{HOST}/feeds/"
RSS_QUERY = {"locale": "en_US"}

# No Google feed of a real site has been recorded: this one is written by hand in the shape
# Career Site Builder publishes (RSS 2.0 + Google Base ``g:`` fields, an entity-escaped HTML
# description, CDATA titles ending with the place). The second item has no pubDate; the third
# has no link, guid or g:id (not a usable job).
GOOGLE_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
<channel><title>Acme Careers</title><link>https://careers.qorvo.com</link>
<item>
  <title><![CDATA[Head of Machine Learning (Richardson, TX, US, 75080)]]></title>
  <link>https://careers.qorvo.com/job/Richardson-Head-of-ML-TX-75080/1400000100/?feedId=77&amp;utm_source=J2WGoogle</link>
  <guid>https://careers.qorvo.com/job/Richardson-Head-of-ML-TX-75080/1400000100/</guid>
  <description>&lt;p&gt;Lead our &lt;b&gt;ML&lt;/b&gt; team.&lt;/p&gt;</description>
  <pubDate>Fri, 02 Oct 2026 7:00:00 GMT</pubDate>
  <g:location>Richardson, TX, US, 75080</g:location>
  <g:employer>Qorvo</g:employer>
  <g:job_function>Engineering</g:job_function>
  <g:expiration_date>2026-12-31</g:expiration_date>
</item>
<item>
  <title><![CDATA[Data Scientist (m/f/d)]]></title>
  <link>https://careers.qorvo.com/job/Munich-Data-Scientist/1400000200/</link>
  <description><![CDATA[<p>Models.</p>]]></description>
  <g:location>Munich, BY, DE</g:location>
  <g:location>Remote, DE</g:location>
  <g:job_function>ATS_WEBFORM</g:job_function>
</item>
<item><title>Broken</title><description>no link at all</description></item>
</channel></rss>
"""


def recorded_rss(ats_fixtures: Path) -> str:
    return (ats_fixtures / "successfactors" / "rss-qorvo.xml").read_text()


@pytest.fixture
def connector(httpserver: HTTPServer, http: HttpClient) -> SuccessFactorsConnector:
    return SuccessFactorsConnector(http, base_url=httpserver.url_for(""))


# --- the recorded RSS feed ------------------------------------------------------------------------


def test_recorded_rss_items_parse(ats_fixtures: Path) -> None:
    records = read_feed(recorded_rss(ats_fixtures), "https://careers.qorvo.com/feeds/")
    first, second = (parse_item(r, HOST, FETCHED) for r in records)

    assert first.key == "successfactors:careers.qorvo.com:1397790900"
    assert first.title == "Principal Research Scientist"
    assert first.locations == ["Richardson, TX, US, 75080"]  # split off the title
    assert first.extra["feed_title"] == "Principal Research Scientist (Richardson, TX, US, 75080)"
    assert first.posted_at == "Fri, 02 Oct 2026 7:00:00 GMT"  # as given; normalize parses it
    assert first.closes_at is None and first.company is None
    # the feed's tracking parameters are dropped from the public link
    assert first.url == (
        "https://careers.qorvo.com/job/Richardson-Principal-Research-Scientist-TX-75080/1397790900/"
    )
    assert first.description == "..."  # the recorder blanked the summaries
    assert first.payload == records[0] and first.payload["guid"].endswith("utm_campaign=J2W_RSS")
    assert second.external_id == "1397710500"
    assert second.title == "Principal Research Scientist -  RF MMIC Design"


def test_recorded_rss_served_when_the_google_feed_is_missing(
    ats_fixtures: Path, httpserver: HTTPServer, connector: SuccessFactorsConnector
) -> None:
    httpserver.expect_request(GOOGLE).respond_with_data("Not Found", status=404)
    httpserver.expect_request(RSS, query_string=RSS_QUERY).respond_with_data(
        recorded_rss(ats_fixtures), content_type="application/rss+xml"
    )

    fetch = connector.fetch(HOST, company="Qorvo")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert [p.external_id for p in fetch.postings] == ["1397790900", "1397710500"]
    assert {p.company for p in fetch.postings} == {"Qorvo"}


# --- the Google feed ------------------------------------------------------------------------------


def test_google_feed_items_parse() -> None:
    head, scientist, broken = read_feed(GOOGLE_FEED, "https://careers.qorvo.com/googlefeed.xml")
    posting = parse_item(head, HOST, FETCHED)

    assert posting.external_id == "1400000100"
    assert posting.title == "Head of Machine Learning"
    assert posting.company == "Qorvo"
    assert posting.locations == ["Richardson, TX, US, 75080"]
    assert posting.url == "https://careers.qorvo.com/job/Richardson-Head-of-ML-TX-75080/1400000100/"
    # escaped in the XML, HTML once parsed
    assert posting.description == "<p>Lead our <b>ML</b> team.</p>"
    assert posting.description_format == "html"
    assert posting.posted_at == "Fri, 02 Oct 2026 7:00:00 GMT"
    assert posting.closes_at == "2026-12-31"
    assert posting.extra["google_base"] == {"g:job_function": "Engineering"}

    other = parse_item(scientist, HOST, FETCHED)
    assert other.title == "Data Scientist (m/f/d)"  # no comma: not a place
    assert other.locations == ["Munich, BY, DE", "Remote, DE"]
    assert other.posted_at is None  # no pubDate: no date is invented
    assert other.description == "<p>Models.</p>"
    assert "google_base" not in other.extra  # ATS_WEBFORM is CSB's placeholder

    with pytest.raises(ValueError, match="no job id"):
        parse_item(broken, HOST, FETCHED)


def test_google_feed_is_read_first(
    httpserver: HTTPServer, connector: SuccessFactorsConnector
) -> None:
    httpserver.expect_request(GOOGLE).respond_with_data(GOOGLE_FEED, content_type="text/xml")
    fetch = connector.fetch(HOST)

    assert fetch.complete is True and fetch.error is None
    assert [p.external_id for p in fetch.postings] == ["1400000100", "1400000200"]
    [reject] = fetch.rejects  # the item without a link, guid or g:id
    assert reject.where == "jobs[2]" and "no job id" in reject.reason
    assert [r[0].path for r in httpserver.log] == [GOOGLE]  # the RSS feed was not needed


def test_429_then_success(httpserver: HTTPServer, connector: SuccessFactorsConnector) -> None:
    httpserver.expect_ordered_request(GOOGLE).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(GOOGLE).respond_with_data(GOOGLE_FEED)
    fetch = connector.fetch(HOST)
    assert fetch.complete is True and len(fetch.postings) == 2


def test_persistent_5xx_is_a_board_error(
    httpserver: HTTPServer, connector: SuccessFactorsConnector
) -> None:
    httpserver.expect_request(GOOGLE).respond_with_data("down", status=503)
    fetch = connector.fetch(HOST)
    assert fetch.complete is False and fetch.postings == []
    assert "successfactors site 'careers.qorvo.com'" in (fetch.error or "")
    assert "HTTP 503" in (fetch.error or "")
    assert all(r[0].path == GOOGLE for r in httpserver.log)  # a 5xx is no reason to switch feed


def test_both_feeds_missing_is_a_board_error(
    httpserver: HTTPServer, connector: SuccessFactorsConnector
) -> None:
    httpserver.expect_request(GOOGLE).respond_with_data("nope", status=404)
    httpserver.expect_request(RSS).respond_with_data("nope", status=410)
    fetch = connector.fetch(HOST)
    assert fetch.complete is False
    assert "HTTP 404" in (fetch.error or "") and "RSS feed: HTTP 410" in (fetch.error or "")


def test_timeout_is_a_board_error(httpserver: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.6)
        return Response(GOOGLE_FEED, content_type="text/xml")

    httpserver.expect_request(GOOGLE).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = SuccessFactorsConnector(client, base_url=httpserver.url_for("")).fetch(HOST)
    assert fetch.complete is False and "timed out" in (fetch.error or "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOGLE_FEED[: len(GOOGLE_FEED) // 2], "not a readable XML feed"),  # cut mid-transfer
        ("<!DOCTYPE html><html><body><p>Careers<br></body></html>", "not a readable XML feed"),
        ('{"jobs": []}', "not a readable XML feed"),
        ("<html><body><p>Our feed moved</p></body></html>", "not an RSS feed (<html>)"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "not an RSS feed (<feed>)"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "xxxxxxxx">]><rss>&big;</rss>',
            "not a readable XML feed",  # entities refused: no billion laughs
        ),
    ],
)
def test_bad_bodies_are_board_errors(
    httpserver: HTTPServer, connector: SuccessFactorsConnector, text: str, message: str
) -> None:
    httpserver.expect_request(GOOGLE).respond_with_data(text, content_type="text/html")
    fetch = connector.fetch(HOST)
    assert fetch.complete is False and fetch.postings == [] and message in (fetch.error or "")


def test_empty_channel_is_an_empty_complete_listing() -> None:
    assert read_feed("<rss><channel><title>x</title></channel></rss>", "https://x/feed") == []


def test_repeated_elements_collect_into_lists() -> None:
    [record] = read_feed(
        '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><title>T</title>'
        "<g:location>A</g:location><g:location>B</g:location><!-- note --></item></channel></rss>",
        "https://x/feed",
    )
    assert record == {"title": "T", "g:location": ["A", "B"]}


def test_legacy_company_id_is_a_clear_board_error(
    httpserver: HTTPServer, connector: SuccessFactorsConnector
) -> None:
    # Counted around the fetch: a retry of an earlier test's request may reach the server late.
    before = len(httpserver.log)
    fetch = connector.fetch("transpor01")
    assert fetch.complete is False and "legacy SuccessFactors company id" in (fetch.error or "")
    assert len(httpserver.log) == before  # nothing was requested
    with pytest.raises(FetchError):
        connector.read_listing("transpor01")


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://careers.qorvo.com/job/Richardson-Scientist-TX-75080/1397790900/", HOST),
        (
            "https://careers.qorvo.com/job/Richardson-Scientist/1397790900/?feedId=null&utm_source=x",
            HOST,
        ),
        ("https://careers.ey.com/ey/job/London-Data-Scientist/1234567801/", "careers.ey.com"),
        ("https://jobs.barry-callebaut.com/go/All-Jobs/8610800/", "jobs.barry-callebaut.com"),
        ("http://JOBS.Swissgrid.ch/go/All-Jobs/8755602/?locale=en_US", "jobs.swissgrid.ch"),
        ("https://jobs.oxinst.com/googlefeed.xml", "jobs.oxinst.com"),
        ("https://petrobras.jobs2web.com/go/TODAS-AS-VAGAS/4594519/", "petrobras.jobs2web.com"),
        ("https://netjets.jobs.hr.cloud.sap/europe", "netjets.jobs.hr.cloud.sap"),
        (
            "https://volkswagengroupchina.jobs2web.sapsf.cn/",
            "volkswagengroupchina.jobs2web.sapsf.cn",
        ),
        (
            "https://career5.successfactors.eu/career?company=transpor01&career_ns=job_listing_summary",
            "transpor01",
        ),
        ("https://career2.sapsf.com/career?company=acmeP", "acmeP"),
        ("https://career5.successfactors.eu/career", None),  # no company named
        ("https://rmkcdn.successfactors.com/84a3f1/logo.png", None),
        ("https://jobs.sap.com/search/", None),  # CSB, but nothing in the URL says so
        ("https://careers.qualcomm.com/careers/job/446700000000", None),  # Eightfold
        ("https://acme.wd5.myworkdayjobs.com/en-US/External/job/Paris/ML-Lead_R123", None),
        ("https://boards.greenhouse.io/anthropic/jobs/4012345008", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert SuccessFactorsConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert SuccessFactorsConnector.careers_url("jobs.sap.com") == "https://jobs.sap.com/"
    assert SuccessFactorsConnector.careers_url("transpor01") is None
