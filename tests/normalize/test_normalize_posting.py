"""normalize_posting: SourcePosting → Job, end to end on hand-written postings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadboard.models import SalaryHint, SourcePosting
from leadboard.normalize import InvalidPosting, normalize_employment_type, normalize_posting

FETCHED = datetime(2026, 5, 1, 12, tzinfo=UTC)


def posting(**fields: object) -> SourcePosting:
    base: dict[str, object] = {
        "source": "greenhouse",
        "board": "acme",
        "external_id": "123",
        "fetched_at": FETCHED,
        "title": "Staff ML Engineer",
        "company": "Acme",
    }
    base.update(fields)
    return SourcePosting(**base)  # type: ignore[arg-type]


def test_greenhouse_like_posting() -> None:
    job = normalize_posting(
        posting(
            title="Staff Machine Learning Engineer, Ranking (Remote) - R1234",
            locations=["Remote - US", "New York City, NY"],
            description=(
                "&lt;p&gt;Lead ranking.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;PyTorch&lt;/li&gt;&lt;/ul&gt;"
            ),
            description_format="html",
            salary=SalaryHint(
                min=20_000_000, max=26_000_000, currency="USD", period="YEAR", cents=True
            ),
            posted_at="2025-07-10T14:30:48-04:00",
            updated_at="2026-01-22T05:36:07.443Z",
            employment_type="FullTime",
            requisition_id=" 1812 ",
            url="https://boards.greenhouse.io/acme/jobs/123",
        )
    )
    assert job.id == "greenhouse:acme:123"
    assert job.title == "Staff Machine Learning Engineer, Ranking"
    assert job.title_raw == "Staff Machine Learning Engineer, Ranking (Remote) - R1234"
    assert job.description_text == "Lead ranking.\n- PyTorch"
    assert job.description_html == "<p>Lead ranking.</p><ul><li>PyTorch</li></ul>"
    assert job.remote == "remote" and job.remote_regions == ["US"]
    assert [(p.city, p.region, p.country) for p in job.locations] == [("New York City", "NY", "US")]
    assert job.location_raw == "Remote - US; New York City, NY"
    assert (job.salary.min, job.salary.max, job.salary.currency, job.salary.period) == (
        200_000,
        260_000,
        "USD",
        "year",
    )
    assert job.posted_at == datetime(2025, 7, 10, 18, 30, 48, tzinfo=UTC)
    assert job.source_updated_at == datetime(2026, 1, 22, 5, 36, 7, 443000, tzinfo=UTC)
    assert job.employment_type == "full_time"
    assert job.requisition_id == "1812"
    assert job.warnings == []
    assert len(job.content_hash) == 64


def test_salary_sources_in_order_hint_then_text_then_description() -> None:
    text_only = posting(salary_text="$150K - $180K", description="Salary: $1 - $2 per hour")
    assert normalize_posting(text_only).salary.min == 150_000
    described = posting(description="The base salary range is $160,000 - $190,000.")
    assert normalize_posting(described).salary.min == 160_000
    bad_hint = posting(
        salary=SalaryHint(min=1, max=2, currency="XYZ", period="year"), salary_text="£70k - £80k"
    )
    job = normalize_posting(bad_hint)
    assert (job.salary.currency, job.salary.min) == ("GBP", 70_000)
    assert job.warnings == ["salary ignored: unknown currency 'XYZ'"]


def test_default_currency_is_used_only_when_passed() -> None:
    unmarked = posting(salary_text="150-180k")
    assert normalize_posting(unmarked).salary is None
    assert normalize_posting(unmarked, default_currency="USD").salary.currency == "USD"


def test_description_signals_fill_an_unknown_policy() -> None:
    job = normalize_posting(
        posting(locations=["United States"], description="This role is fully remote.")
    )
    assert (job.remote, job.remote_regions) == ("remote", ["US"])


def test_a_city_alone_means_onsite() -> None:
    assert normalize_posting(posting(locations=["Tokyo, Japan"])).remote == "onsite"


def test_workplace_hint_is_used() -> None:
    job = normalize_posting(posting(locations=["Seoul, South Korea"], workplace_type="Hybrid"))
    assert job.remote == "hybrid"


def test_field_problems_become_warnings() -> None:
    job = normalize_posting(
        posting(posted_at="3 weeks ago", salary_text="XYZ 100,000", description="x" * 1_000_001)
    )
    assert any("truncated" in w for w in job.warnings)
    assert "posted_at not understood: '3 weeks ago'" in job.warnings
    assert "salary ignored: unknown currency 'XYZ'" in job.warnings
    assert job.posted_at is None and job.salary is None


@pytest.mark.parametrize("title", [None, "", "   ", "🚀🔥"])
def test_posting_without_a_usable_title_is_invalid(title: str | None) -> None:
    with pytest.raises(InvalidPosting) as raised:
        normalize_posting(posting(title=title))
    assert isinstance(raised.value, ValueError)
    assert "title" in raised.value.reason


class TestContentHash:
    def test_stable_across_fetches(self) -> None:
        first = normalize_posting(posting(description="<p>Same</p>", description_format="html"))
        again = normalize_posting(
            posting(
                description="<p>Same</p>",
                description_format="html",
                fetched_at=datetime(2026, 6, 1, tzinfo=UTC),
                updated_at="2026-06-01",
            )
        )
        assert first.content_hash == again.content_hash

    @pytest.mark.parametrize(
        "change",
        [
            {"title": "Principal ML Engineer"},
            {"company": "Other Co"},
            {"locations": ["London, UK"]},
            {"description": "<p>Different</p>"},
            {"salary_text": "$200K - $250K"},
            {"workplace_type": "Remote"},
            {"employment_type": "Contract"},
        ],
    )
    def test_changes_with_content(self, change: dict[str, object]) -> None:
        base = {"description": "<p>Same</p>", "description_format": "html"}
        before = normalize_posting(posting(**base))
        after = normalize_posting(posting(**(base | change)))
        assert before.content_hash != after.content_hash

    def test_ignores_formatting_only_changes(self) -> None:
        tidy = normalize_posting(posting(description="<p>Same text</p>", description_format="html"))
        messy = normalize_posting(
            posting(description="<div><p>Same   text</p></div>\n", description_format="html")
        )
        assert tidy.content_hash == messy.content_hash


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("FullTime", "full_time"),
        ("FULL_TIME", "full_time"),
        ("Full-time", "full_time"),
        ("Part-time", "part_time"),
        ("Contract", "contract"),
        ("Intern", "internship"),
        ("Temporary", "temporary"),
        ("Per Diem", "per_diem"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_employment_type(raw: str | None, kind: str | None) -> None:
    assert normalize_employment_type(raw) == kind
