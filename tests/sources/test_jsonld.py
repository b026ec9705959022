"""schema.org JobPosting JSON-LD: real saved pages, a messy hand-written page, field variants."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from leadboard.sources.jsonld import parse_job_posting, parse_jsonld_page

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
PAGE_URL = "https://careers.acme.example/jobs/ml-head"
PAGES = "fixtures/career-pages"  # real saved pages in the shared data


def page_with(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<html><head>{scripts}</head><body></body></html>"


def posting_from(node: dict[str, Any]) -> Any:
    return parse_job_posting({"@type": "JobPosting", "title": "ML Lead", **node}, PAGE_URL, FETCHED)


# --- a messy page -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def messy() -> Any:
    html = (FIXTURES / "jsonld_messy.html").read_text()
    return parse_jsonld_page(html, PAGE_URL, FETCHED)


def test_messy_page_yields_both_postings(messy: Any) -> None:
    assert messy.error is None and messy.rejects == [] and messy.complete is True
    assert (messy.source, messy.board) == ("jsonld", "careers.acme.example")
    assert [p.title for p in messy.postings] == [
        "Head of Machine Learning",
        "Staff ML Engineer, Perception",
    ]


def test_messy_page_graph_posting_fields(messy: Any) -> None:
    posting = messy.postings[0]
    assert posting.key == "jsonld:careers.acme.example:REQ-1042"
    assert posting.url == PAGE_URL
    assert posting.company == "Acme Robotics GmbH"
    assert posting.locations == ["Munich, Bavaria, DE"]
    assert posting.workplace_type == "TELECOMMUTE"
    assert posting.remote_regions == ["Germany", "Austria", "Zurich"]
    assert posting.employment_type == "FULL_TIME, CONTRACTOR"
    assert (posting.posted_at, posting.closes_at) == ("2026-04-20", "2026-07-20T23:59:59Z")
    assert posting.description_format == "html" and "perception team" in posting.description
    assert posting.extra == {"months_of_experience": 120}
    salary = posting.salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (
        140000,
        180000,
        "EUR",
        "YEAR",
    )
    assert posting.payload["identifier"]["value"] == "REQ-1042"


def test_messy_page_nested_posting_fields(messy: Any) -> None:
    posting = messy.postings[1]
    assert posting.url == "https://careers.acme.example/jobs/ml-staff"
    assert re.fullmatch(r"[0-9a-f]{16}", posting.external_id)  # no identifier: hash of its URL
    assert posting.locations == ["Berlin, Germany"]
    assert posting.description_format == "text"
    assert posting.salary is not None
    assert (posting.salary.min, posting.salary.max, posting.salary.period) == (9000, 9000, "MONTH")


# --- real saved pages ---------------------------------------------------------------------------


@pytest.mark.shared_data
def test_real_meta_page(shared_data_dir: Path) -> None:
    html = (shared_data_dir / PAGES / "jsonld_meta_software_engineer.html").read_text()
    url = "https://www.metacareers.com/jobs/1234567890/"
    fetch = parse_jsonld_page(html, url, FETCHED)
    [posting] = fetch.postings
    assert fetch.complete is True and fetch.board == "www.metacareers.com"
    assert posting.title == "Software Engineer, Infrastructure" and posting.company == "Meta"
    # nine Places that all carry Sunnyvale's address: their names say where the job really is
    assert len(posting.locations) == 9
    assert posting.locations[:2] == ["Sunnyvale, CA", "Bellevue, WA"]
    assert "Remote, US" in posting.locations
    assert posting.employment_type == "Full-time"
    assert posting.closes_at == "2026-06-08T12:50:57-07:00"
    # responsibilities and qualifications kept beside the description
    assert "<h3>Qualifications</h3>" in posting.description
    assert "6+ years of programming experience" in posting.description
    assert posting.salary is None and posting.workplace_type is None


@pytest.mark.shared_data
def test_real_neura_page(shared_data_dir: Path) -> None:
    html = (shared_data_dir / PAGES / "jsonld_neura_robotics_manager.html").read_text()
    fetch = parse_jsonld_page(html, "https://jobs.neura-robotics.com/offer/x", FETCHED)
    [posting] = fetch.postings
    assert posting.external_id == "00df0928-b013-448c-b3dd-6c6fb80eadc2"
    assert posting.url.startswith("https://jobs.neura-robotics.com/offer/manager-ecosystem")
    assert posting.company == "Neura Robotics GmbH"
    assert posting.locations == ["Metzingen, DE"]
    assert posting.posted_at == "2025-11-06T00:00:00+01:00"
    assert "\\n" not in posting.description  # doubly escaped newlines repaired
    assert posting.description.startswith("<strong>Your mission &amp; challenges</strong>")


@pytest.mark.shared_data
def test_real_page_without_json_ld(shared_data_dir: Path) -> None:
    html = (shared_data_dir / PAGES / "didi_global_jobdetail.html").read_text()
    fetch = parse_jsonld_page(html, "https://careers.didiglobal.com/job/1", FETCHED)
    assert fetch.postings == [] and fetch.complete is False
    assert fetch.error == "page https://careers.didiglobal.com/job/1 has no JSON-LD blocks"


# --- leniency and failure -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        '{"@type": "JobPosting", "title": "ML Lead"}',
        '{"@type": "JobPosting", "title": "ML Lead",}',  # trailing comma
        '<!-- {"@type": "JobPosting", "title": "ML Lead"} -->',  # HTML comment
        '//<![CDATA[\n{"@type": "JobPosting", "title": "ML Lead"}\n//]]>',
        '{"@type": "JobPosting", "title": "ML\tLead"}'.replace("\t", "\x0b"),  # control char
        '{"@type": "JobPosting", "title": "ML Lead"};',
        '[{"@type": "JobPosting", "title": "ML Lead"}]',
        '{"@graph": [{"@type": "JobPosting", "title": "ML Lead"}]}',
        '{"@type": "schema:JobPosting", "name": "ML Lead"}',
        '{"@type": "Organization"} {"@type": "JobPosting", "title": "ML Lead"}',  # two values
    ],
)
def test_lenient_json(block: str) -> None:
    fetch = parse_jsonld_page(page_with(block), PAGE_URL, FETCHED)
    assert fetch.rejects == [] and fetch.error is None
    assert [p.title.replace("\x0b", " ") for p in fetch.postings] == ["ML Lead"]


def test_broken_block_is_rejected_and_others_go_on() -> None:
    html = page_with('{"@type": "JobPosting", "title": ', '{"@type": "JobPosting", "title": "A"}')
    fetch = parse_jsonld_page(html, PAGE_URL, FETCHED)
    assert [p.title for p in fetch.postings] == ["A"]
    [reject] = fetch.rejects
    assert reject.where == f"{PAGE_URL} (JSON-LD block 1)"
    assert reject.reason.startswith("unreadable JSON-LD")
    assert fetch.complete is False  # part of the page could not be read


def test_posting_without_title_is_rejected() -> None:
    fetch = parse_jsonld_page(
        page_with('{"@type": "JobPosting", "description": "x"}'), PAGE_URL, FETCHED
    )
    assert fetch.postings == [] and fetch.rejects[0].reason == "JobPosting has no title"


def test_page_with_json_ld_but_no_posting() -> None:
    fetch = parse_jsonld_page(
        page_with('{"@type": "Organization", "name": "Acme"}'), PAGE_URL, FETCHED
    )
    assert fetch.postings == [] and fetch.complete is False
    assert fetch.error == f"page {PAGE_URL} has no schema.org JobPosting in its JSON-LD"


@pytest.mark.parametrize("html", ["", "<html>", "not html at all", "<script></script>"])
def test_junk_pages_do_not_crash(html: str) -> None:
    fetch = parse_jsonld_page(html, PAGE_URL, FETCHED)
    assert fetch.postings == [] and fetch.error is not None


# --- field variants -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_salary", "expected"),
    [
        (
            {
                "currency": "USD",
                "value": {"minValue": 150000, "maxValue": 200000, "unitText": "YEAR"},
            },
            (150000, 200000, "USD", "YEAR"),
        ),
        ({"currency": "USD", "unitText": "HOUR", "value": {"value": 85}}, (85, 85, "USD", "HOUR")),
        ({"currency": "GBP", "value": 95000}, (95000, 95000, "GBP", None)),
        (
            {"currency": "EUR", "value": {"minValue": "90000", "maxValue": "110000.50"}},
            (90000, 110000.5, "EUR", None),
        ),
        (
            {"value": {"currency": "CAD", "minValue": 1, "maxValue": 2, "unitText": "DAY"}},
            (1, 2, "CAD", "DAY"),
        ),
        ({"currency": "USD", "value": {"minValue": 120000}}, (120000, None, "USD", None)),
        (
            [{"currency": "USD", "value": {"value": "n/a"}}, {"currency": "USD", "value": 5}],
            (5, 5, "USD", None),
        ),
    ],
)
def test_base_salary(base_salary: Any, expected: tuple[Any, ...]) -> None:
    salary = posting_from({"baseSalary": base_salary}).salary
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == expected


@pytest.mark.parametrize(
    "base_salary",
    [
        None,
        "100k",
        {},
        {"currency": "USD"},
        {"value": {"unitText": "YEAR"}},
        {"value": "competitive"},
    ],
)
def test_unusable_base_salary(base_salary: Any) -> None:
    assert posting_from({"baseSalary": base_salary}).salary is None


def test_estimated_salary_when_no_base_salary() -> None:
    salary = posting_from({"estimatedSalary": {"currency": "USD", "value": 7}}).salary
    assert salary is not None and salary.min == 7


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ({"@type": "PropertyValue", "name": "Acme", "value": "R-1"}, "R-1"),
        ("JOB-9", "JOB-9"),
        (12345, "12345"),
        ([{"@type": "PropertyValue", "value": None}, "second"], "second"),
    ],
)
def test_identifier(identifier: Any, expected: str) -> None:
    assert posting_from({"identifier": identifier}).external_id == expected


def test_missing_identifier_hashes_the_url() -> None:
    first = posting_from({}).external_id
    assert first == posting_from({"identifier": ""}).external_id
    assert first != posting_from({"url": "https://x.example/other"}).external_id


@pytest.mark.parametrize(
    ("job_location", "expected"),
    [
        (
            {
                "@type": "Place",
                "address": {
                    "addressLocality": "Austin",
                    "addressRegion": "TX",
                    "addressCountry": "US",
                },
            },
            ["Austin, TX, US"],
        ),
        (
            {"address": {"addressLocality": "Paris", "addressCountry": {"name": "France"}}},
            ["Paris, France"],
        ),
        ({"address": {"addressCountry": {"@type": "Country", "name": ["USA", "USA"]}}}, ["USA"]),
        ({"name": "HQ Campus"}, ["HQ Campus"]),
        ([{"address": "London"}, {"address": "London"}], ["London"]),
        (
            {"address": {"addressLocality": "Singapore", "addressCountry": "Singapore"}},
            ["Singapore"],
        ),
        (None, []),
        ("Remote", ["Remote"]),
    ],
)
def test_job_location(job_location: Any, expected: list[str]) -> None:
    assert posting_from({"jobLocation": job_location}).locations == expected


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        ({"@type": "Country", "name": "USA"}, ["USA"]),
        (
            [{"@type": "Country", "name": "United Kingdom"}, {"@type": "State", "name": "CA"}],
            ["United Kingdom", "CA"],
        ),
        ("Europe", ["Europe"]),
        (None, []),
    ],
)
def test_applicant_location_requirements(requirements: Any, expected: list[str]) -> None:
    assert posting_from({"applicantLocationRequirements": requirements}).remote_regions == (
        expected
    )


@pytest.mark.parametrize(
    ("employment_type", "expected"),
    [
        ("FULL_TIME", "FULL_TIME"),
        (["FULL_TIME", "PART_TIME"], "FULL_TIME, PART_TIME"),
        (["FULL_TIME", "FULL_TIME"], "FULL_TIME"),
        ([], None),
        (None, None),
    ],
)
def test_employment_type(employment_type: Any, expected: str | None) -> None:
    assert posting_from({"employmentType": employment_type}).employment_type == expected


@pytest.mark.parametrize(
    ("experience", "expected"),
    [
        ({"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 36}, 36),
        ([{"monthsOfExperience": "60"}], 60),
        ("5+ years of experience", None),
        (None, None),
    ],
)
def test_months_of_experience(experience: Any, expected: float | None) -> None:
    posting = posting_from({"experienceRequirements": experience})
    assert posting.extra.get("months_of_experience") == expected


def test_hiring_organization_as_string_and_payload_kept() -> None:
    node = {"hiringOrganization": "Acme", "datePosted": "2026-01-01"}
    posting = posting_from(node)
    assert posting.company == "Acme" and posting.payload["hiringOrganization"] == "Acme"
    assert json.loads(json.dumps(posting.payload)) == posting.payload
