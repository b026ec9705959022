"""Dates → aware UTC datetimes; titles without board noise."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from leadboard.normalize.dates import parse_datetime
from leadboard.normalize.title import clean_title


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-07-10T14:30:48-04:00", datetime(2025, 7, 10, 18, 30, 48, tzinfo=UTC)),
        ("2026-01-22", datetime(2026, 1, 22, tzinfo=UTC)),
        ("2026-01-22T05:36:07.443Z", datetime(2026, 1, 22, 5, 36, 7, 443000, tzinfo=UTC)),
        ("2026-02-06T22:08:15.304+00:00", datetime(2026, 2, 6, 22, 8, 15, 304000, tzinfo=UTC)),
        ("2026-01-22T09:42:31.393288", datetime(2026, 1, 22, 9, 42, 31, 393288, tzinfo=UTC)),
        ("2025/09/09", datetime(2025, 9, 9, tzinfo=UTC)),
        ("Jan 22, 2026", datetime(2026, 1, 22, tzinfo=UTC)),
        (1767225600000, datetime(2026, 1, 1, tzinfo=UTC)),  # Lever createdAt, epoch ms
        ("1767225600000", datetime(2026, 1, 1, tzinfo=UTC)),
        (1767225600, datetime(2026, 1, 1, tzinfo=UTC)),  # epoch seconds
        (date(2026, 1, 2), datetime(2026, 1, 2, tzinfo=UTC)),
        (
            datetime(2026, 1, 2, 12, tzinfo=timezone(timedelta(hours=2))),
            datetime(2026, 1, 2, 10, tzinfo=UTC),
        ),
        ("not a date", None),
        ("3 days ago", None),
        ("2026", None),
        ("2026-13-45", None),
        ("", None),
        (None, None),
        (0, None),  # 1970: a missing value, not a date
        (True, None),
        ("20255-01-01", None),
    ],
)
def test_parse_datetime(raw: object, expected: datetime | None) -> None:
    parsed = parse_datetime(raw)  # type: ignore[arg-type]
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Senior ML Engineer (Remote) - Apply now!", "Senior ML Engineer"),
        ("🚀 Staff ML Engineer", "Staff ML Engineer"),
        ("✨ AI Engineer ✨", "AI Engineer"),
        ("Machine Learning Engineer - R12345", "Machine Learning Engineer"),
        ("Engineering Manager, ML Infra (Req #4521)", "Engineering Manager, ML Infra"),
        ("Senior Software Engineer | JR-00123", "Senior Software Engineer"),
        ("Software Engineer, Job ID: 998877", "Software Engineer"),
        ("Director, AI Research [123456]", "Director, AI Research"),
        ("Data Engineer (m/f/d)", "Data Engineer"),
        ("ML Engineer - Hybrid", "ML Engineer"),
        ("Lead ML Engineer - Remote, US", "Lead ML Engineer"),
        ("URGENT: Data Scientist", "Data Scientist"),
        ("NEW! ML Engineer", "ML Engineer"),
        ("  Head   of   AI  ", "Head of AI"),
        ("HEAD OF MACHINE LEARNING & AI PLATFORM", "Head of Machine Learning & AI Platform"),
        ("STAFF MACHINE LEARNING ENGINEER, NLP", "Staff Machine Learning Engineer, NLP"),
        ("SR. DATA SCIENTIST - NLP/LLM", "Sr. Data Scientist - NLP/LLM"),
        ("VP OF ENGINEERING", "VP of Engineering"),
        ("IOS ENGINEER II", "iOS Engineer II"),
        ("AI/ML ENGINEER - GENAI & LLMOPS", "AI/ML Engineer - GenAI & LLMOps"),
        ("LEAD SRE", "Lead SRE"),
        ("SRE II", "SRE II"),  # short all-caps titles are left alone
        ("CTO", "CTO"),
        ("Summer Intern 2026", "Summer Intern 2026"),  # a year is not a requisition id
        ("New Grad Software Engineer", "New Grad Software Engineer"),
        ("C++ Engineer", "C++ Engineer"),
        ("Research Engineer, Post-Training (LLMs)", "Research Engineer, Post-Training (LLMs)"),
        ("Member of Technical Staff", "Member of Technical Staff"),
        ("🔥🔥", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_clean_title(raw: str | None, clean: str) -> None:
    assert clean_title(raw) == clean
