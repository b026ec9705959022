"""Personio: recorded XML feeds parsed, and feeds served from 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.http import HttpClient
from leadboard.sources.personio import (
    PersonioConnector,
    _positions,
    parse_position,
    position_record,
)

FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PATH = "/demo.jobs.personio.de/xml"
COM_PATH = "/demo.jobs.personio.com/xml"
XML = "application/xml"


def feed(ats_fixtures: Path, year: int) -> str:
    return (ats_fixtures / "personio" / f"xml-demo-account-{year}.xml").read_text()


def positions(*bodies: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><workzag-jobs>{"".join(bodies)}</workzag-jobs>'


def position(position_id: str, name: str = "ML Engineer") -> str:
    return f"<position><id>{position_id}</id><office>Berlin</office><name>{name}</name></position>"


def connector(server: HTTPServer, client: HttpClient) -> PersonioConnector:
    return PersonioConnector(client, base_url=server.url_for(""))


# --- the recorded feeds -------------------------------------------------------------------------


def test_2024_feed_parses(ats_fixtures: Path) -> None:
    records = [position_record(p) for p in _positions(feed(ats_fixtures, 2024), "x")]
    postings = [parse_position(r, "demo", FETCHED) for r in records]

    assert len(postings) == 11
    first = postings[0]
    assert first.external_id == "2140231"
    assert first.title == "Copy of Junior Compliance and Immigrations Manager"
    assert first.url == "https://demo.jobs.personio.de/job/2140231"
    assert first.locations == ["London"]
    assert first.posted_at == "2024-09-24T11:00:15+00:00"
    assert first.employment_type == "full-time"  # "permanent" says nothing about hours
    assert first.extra["employment"] == "permanent"
    assert first.extra["subcompany"] == "Parent Ltd."
    assert first.extra["keywords"] == ["Compliance", "Immigration"]
    pay = first.salary
    assert pay is not None  # min 100000.00, max "" (absent), as the feed gives it
    assert (pay.min, pay.max, pay.currency, pay.period) == (100000.0, None, "GBP", "yearly")
    text = first.description or ""
    assert first.description_format == "html"
    assert text.startswith("<h3>Your mission</h3>\nThe International Affairs Office Manager")
    assert text.index("<h3>Your mission</h3>") < text.index("<h3>Your profile</h3>")
    assert "]]>" not in text and "<![CDATA[" not in text
    assert first.payload["salaryInformation"]["currencySymbol"] == "£"
    assert len(first.payload["jobDescriptions"]) == 3

    by_id = {p.external_id: p for p in postings}
    assert by_id["2140233"].salary is not None and by_id["2140233"].salary.currency == "EUR"
    assert by_id["2140235"].salary is None  # no salaryInformation element
    student = by_id["2140222"]
    assert student.employment_type == "intern"  # not "permanent": kept as given
    assert student.extra["schedule"] == "part-time"
    assert by_id["2140221"].extra.get("subcompany") is None  # element absent
    assert all(p.description for p in postings)


def test_2022_feed_parses(ats_fixtures: Path) -> None:
    records = [position_record(p) for p in _positions(feed(ats_fixtures, 2022), "x")]
    postings = [parse_position(r, "demo", FETCHED) for r in records]

    assert [p.external_id for p in postings] == ["681100", "681097", "681098"]
    general = postings[0]
    assert (general.title, general.locations) == ("General Application", ["Remote"])
    assert general.posted_at == "2018-10-22T13:43:47+00:00"
    assert general.extra["recruiting_category"] == "Permanent Employee"
    assert "department" not in general.extra
    assert (general.description or "").startswith("<h3>Your mission</h3>\nLorem ipsum")


def test_recorded_feed_served_locally(
    httpserver: HTTPServer, http: HttpClient, ats_fixtures: Path
) -> None:
    httpserver.expect_request(PATH).respond_with_data(feed(ats_fixtures, 2024), content_type=XML)
    fetch = connector(httpserver, http).fetch("demo", company="Demo GmbH")

    assert fetch.error is None and fetch.complete is True and fetch.rejects == []
    assert len(fetch.postings) == 11 and len(fetch.listed) == 11
    assert fetch.postings[0].key == "personio:demo:2140231"
    assert {p.company for p in fetch.postings} == {"Demo GmbH"}


def test_additional_offices_and_odd_records() -> None:
    xml = positions(
        "<position><id>1</id><name>Lead</name><office>Berlin</office>"
        "<additionalOffices><office>Munich</office><office>Berlin</office></additionalOffices>"
        "<employmentType>freelance</employmentType><schedule>full-time</schedule>"
        "<salaryInformation><min></min><max></max><currencyCode>EUR</currencyCode>"
        "</salaryInformation><jobDescriptions><jobDescription><name>Empty</name><value/>"
        "</jobDescription></jobDescriptions></position>"
    )
    [record] = [position_record(p) for p in _positions(xml, "x")]
    posting = parse_position(record, "acme", FETCHED)
    assert posting.locations == ["Berlin", "Munich"]
    assert posting.employment_type == "freelance"
    assert posting.salary is None  # no amount: no hint, however the currency is set
    assert posting.description is None and posting.posted_at is None  # nothing invented


@pytest.mark.parametrize(
    ("record", "reason"),
    [({"name": "Lead"}, "no id"), ({"id": "3"}, "no title"), ("x", "not an object")],
)
def test_unusable_records_raise_value_error(record: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_position(record, "acme", FETCHED)  # type: ignore[arg-type]


# --- the fetcher against a local server ---------------------------------------------------------


def test_com_tenant_is_read_when_de_answers_404(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH).respond_with_data("no such page", status=404)
    httpserver.expect_request(COM_PATH).respond_with_data(
        positions(position("5")), content_type=XML
    )
    fetch = connector(httpserver, http).fetch("demo")
    assert fetch.complete is True
    assert [p.url for p in fetch.postings] == ["https://demo.jobs.personio.com/job/5"]


def test_429_then_success(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        positions(position("1")), content_type=XML
    )
    fetch = connector(httpserver, http).fetch("demo")
    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1"]
    assert fetch.postings[0].url == "https://demo.jobs.personio.de/job/1"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (503, "down", "HTTP 503"),
        (200, '<?xml version="1.0"?><workzag-jobs><position><id>1</id', "not a Personio XML"),
        (200, "<!DOCTYPE html><html><body><p>Jobs<br></p></body></html>", "not a Personio XML"),
        (200, "<html><body>Careers</body></html>", "is <html>, not <workzag-jobs>"),
        (200, '{"jobs": []}', "not a Personio XML"),
        (
            200,
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            "<workzag-jobs>&a;</workzag-jobs>",
            "EntitiesForbidden",
        ),
    ],
)
def test_bad_feed_is_an_error(
    httpserver: HTTPServer, http: HttpClient, status: int, body: str, message: str
) -> None:
    httpserver.expect_request(PATH).respond_with_data(body, status=status)
    fetch = connector(httpserver, http).fetch("demo")
    assert fetch.complete is False and fetch.postings == []
    assert "personio careers site 'demo'" in (fetch.error or "") and message in (fetch.error or "")


def test_404_on_both_domains_is_an_error(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH).respond_with_data("no", status=404)
    httpserver.expect_request(COM_PATH).respond_with_data("no", status=404)
    fetch = connector(httpserver, http).fetch("demo")
    assert fetch.complete is False and "HTTP 404" in (fetch.error or "")
    assert "jobs.personio.com" in (fetch.error or "")


def test_timeout_is_an_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(positions(), content_type=XML)

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with HttpClient(timeout=0.3, retries=0, min_interval=0) as client:
        fetch = connector(httpserver, client).fetch("demo")
    assert fetch.complete is False and "timed out" in (fetch.error or "")


def test_empty_feed_is_complete(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request(PATH).respond_with_data(positions(), content_type=XML)
    fetch = connector(httpserver, http).fetch("demo")
    assert fetch.complete is True and fetch.postings == [] and fetch.error is None


def test_one_bad_position_is_rejected_the_rest_kept(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    body = positions(
        position("1"), "<position><name>No id</name></position>", position("3", "Data Lead")
    )
    httpserver.expect_request(PATH).respond_with_data(body, content_type=XML)
    fetch = connector(httpserver, http).fetch("demo")

    assert fetch.complete is True and [p.external_id for p in fetch.postings] == ["1", "3"]
    [reject] = fetch.rejects
    assert reject.where == "positions[1]" and "no id" in reject.reason


# --- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "token"),
    [
        ("https://arx.jobs.personio.de/?language=en", "arx"),
        ("https://elcogen.jobs.personio.com/?language=en", "elcogen"),
        ("https://Eurowings-Digital.jobs.personio.com/job/1234567?display=en", "eurowings-digital"),
        ("http://ororatech.jobs.personio.de/xml", "ororatech"),
        ("kolmargroup.jobs.personio.com", "kolmargroup"),
        ("https://careers.vivid.money", None),  # a custom domain: not recognisable
        ("https://www.personio.de/", None),
        ("https://apply.workable.com/zego/", None),
    ],
)
def test_board_from_url(url: str, token: str | None) -> None:
    assert PersonioConnector.board_from_url(url) == token


def test_careers_url() -> None:
    assert PersonioConnector.careers_url("ororatech") == "https://ororatech.jobs.personio.de/"
