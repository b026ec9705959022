"""What people read instead of codes, dates and raw amounts: the one label table.

The vocabularies' codes come from their owners (``models``); this module only says them in
words, for every page: the web templates reach it through the filters ``web/templating.py``
registers (``label``, ``filter_label``, ``pay``, ``ago``, ``when``), the market and company pages
(``insights/``) import it. It sits beside ``models`` so that both can.

>>> label("ml_ic", "family"), label("remote", "remote"), label("staff", "seniority")
('ML engineer (IC)', 'Remote', 'Staff')
>>> filter_label("remote", "remote"), filter_label("family", "ml_leadership")
('Remote', 'ML leadership')
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, NamedTuple

FAMILIES = {
    "ml_leadership": "ML leadership",
    "ml_ic": "ML engineer (IC)",
    "data": "Data",
    "software": "Software",
    "other": "Other",
    "any": "All roles",
}
SENIORITIES = {
    "intern": "Intern",
    "junior": "Junior",
    "mid": "Mid-level",
    "senior": "Senior",
    "staff": "Staff",
    "principal": "Principal",
    "manager": "Manager",
    "director": "Director",
    "executive": "Executive",
    "unknown": "Level not given",
}
REMOTE = {
    "remote": "Remote",
    "hybrid": "Hybrid",
    "onsite": "On-site",
    "unknown": "Remote policy not given",
}
DUTIES = {
    "architecture": "Architecture",
    "hands_on_coding": "Hands-on coding",
    "best_practices": "Best practices",
    "mentoring": "Mentoring",
    "project_management": "Project management",
    "stakeholders": "Stakeholder communication",
    "people_management": "People management",
    "research": "Research",
    "deployment_mlops": "Deployment and MLOps",
}
LEADERSHIP = {  # match.profile.LeadershipKind
    "people_management": "People management",
    "led_team": "Led a team",
    "mentoring": "Mentoring",
    "architecture": "Architecture",
    "hiring": "Hiring",
}
SORTS = {"relevance": "Relevance", "newest": "Newest", "salary": "Pay"}
TABLES = {
    "family": FAMILIES,
    "seniority": SENIORITIES,
    "remote": REMOTE,
    "duty": DUTIES,
    "leadership": LEADERSHIP,
    "sort": SORTS,
}
# A query chip's kind (search/query.py), said before its value; the others say themselves.
CHIP_KINDS = {"skill": "Skill", "city": "City", "country": "Country"}
# A search URL's parameters, as an active filter's chip says them ("remote: remote" → "Remote").
PARAMETERS = {
    "family": "Role",
    "seniority": "Level",
    "remote": "Remote",
    "country": "Country",
    "city": "City",
    "skill": "Skill",
    "company": "Company",
    "min_salary": "Pay at least",
    "currency": "Currency",
    "period": "Pay per",
    "posted_within": "Posted within",
    "years_max": "Years asked at most",
    "convert": "Convert currencies",
    "unstated_pay": "With unstated pay",
    "include_closed": "With closed postings",
}


def label(code: str | None, kind: str) -> str:
    """``code`` of vocabulary ``kind`` in words; an unknown code is shown as it is, readable.

    >>> label("hands_on_coding", "duty"), label("new_thing", "family"), label(None, "seniority")
    ('Hands-on coding', 'New thing', 'Level not given')
    """
    table = TABLES.get(kind, {})
    if code is None:
        return table.get("unknown", "Not given")
    return table.get(code) or code.replace("_", " ").capitalize()


def filter_label(key: str, value: str) -> str:
    """An active filter (a URL parameter) as a chip says it.

    >>> filter_label("seniority", "manager"), filter_label("posted_within", "30")
    ('Manager', 'Posted in the last 30 days')
    >>> filter_label("skill", "PyTorch"), filter_label("company", "Acme")
    ('Skill: PyTorch', 'Company: Acme')
    """
    if key in TABLES:
        return label(value, key)
    if key == "posted_within":
        return f"Posted in the last {value} days"
    return f"{PARAMETERS.get(key, key)}: {value}"


def in_sentence(words: str) -> str:
    """A label as it reads inside a sentence: its first letter small, unless it starts an
    acronym.

    >>> in_sentence("Hands-on coding"), in_sentence("ML engineer (IC)")
    ('hands-on coding', 'ML engineer (IC)')
    """
    if len(words) > 1 and words[1].isupper():
        return words
    return words[:1].lower() + words[1:]


def chip_label(kind: str, value: str, said: str) -> str:
    """A query's chip (``search.query.Chip``: its kind, value and label) in words.

    >>> chip_label("remote", "remote", "remote"), chip_label("skill", "PyTorch", "PyTorch")
    ('Remote', 'Skill: PyTorch')
    >>> chip_label("salary_min", "200000", "≥ USD 200k a year")
    '≥ USD 200k a year'
    """
    if kind in TABLES:
        return label(value, kind)
    if kind in CHIP_KINDS:
        return f"{CHIP_KINDS[kind]}: {said}"
    return said


def amount(value: float) -> str:
    """An amount as people write pay: thousands as "k" from 10,000, else whole or with cents.

    >>> amount(150_000), amount(152_500), amount(18), amount(18.5), amount(4_500)
    ('150k', '152.5k', '18', '18.50', '4,500')
    """
    if value >= 10_000:
        return f"{value / 1000:,.1f}".removesuffix(".0") + "k"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def pay(salary: Any) -> str:
    """A posting's stated pay: "USD 18/hour", "USD 150k–200k/year", "from EUR 60k/year" (a
    range whose ends are equal is one amount; nothing is converted).

    >>> from types import SimpleNamespace as S
    >>> pay(S(min=18, max=18, currency="USD", period="hour"))
    'USD 18/hour'
    >>> pay(S(min=150_000, max=200_000, currency="USD", period="year"))
    'USD 150k–200k/year'
    >>> pay(S(min=60_000, max=None, currency="EUR", period="year")), pay(None)
    ('from EUR 60k/year', '')
    >>> pay(S(min=None, max=90, currency="GBP", period="day"))
    'up to GBP 90/day'
    """
    if not salary or (salary.min is None and salary.max is None):
        return ""
    low, high = salary.min, salary.max
    per = f"/{salary.period}" if salary.period else ""
    if low is not None and high is not None and low != high:
        return f"{salary.currency} {amount(low)}–{amount(high)}{per}"
    if low is not None and high is not None:
        return f"{salary.currency} {amount(low)}{per}"
    if low is not None:
        return f"from {salary.currency} {amount(low)}{per}"
    return f"up to {salary.currency} {amount(high)}{per}"


def ago(moment: datetime | date | str | None, now: datetime | None = None) -> str:
    """How long ago ``moment`` was, in words ("today", "3 days ago", "2 months ago").

    >>> now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    >>> [ago(datetime(2026, 12, d, tzinfo=UTC), now) for d in (7, 6, 4)]
    ['today', 'yesterday', '3 days ago']
    >>> ago("2026-11-16T09:00:00+00:00", now), ago("2026-09-01", now), ago("2024-11-01", now)
    ('3 weeks ago', '3 months ago', '2 years ago')
    """
    when = _moment(moment)
    if when is None:
        return ""
    days = ((now or datetime.now(UTC)) - when).days
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    count, unit = (
        (days, "day")
        if days < 14
        else (days // 7, "week")
        if days < 60
        else (days // 30, "month")
        if days < 730
        else (days // 365, "year")
    )
    return f"{count} {unit}s ago"


class When(NamedTuple):
    """A posting's date as a page shows it: the words, and the exact date behind them (for a
    ``<time>`` element), or ``None`` when there is no date to point at."""

    text: str
    exact: str | None


def when(job: Any, now: datetime | None = None) -> When:
    """A job card's date in words, from its real dates only: the source's own date, else when
    Leadboard first saw it (said so), a dump's snapshot, or "date not given" — never made up.

    >>> from types import SimpleNamespace as S
    >>> now = datetime(2026, 12, 7, tzinfo=UTC)
    >>> when(S(posted_at="2026-12-04T00:00:00+00:00", first_seen_at=None, snapshot=None), now)
    When(text='posted 3 days ago', exact='2026-12-04')
    >>> when(S(posted_at=None, first_seen_at="2026-12-04T08:00:00+00:00", snapshot=None), now)
    When(text='first seen 2 days ago', exact='2026-12-04')
    >>> when(S(posted_at=None, first_seen_at="2026-12-01", snapshot="2018"), now).text
    'from a 2018 snapshot'
    >>> when(S(posted_at=None, first_seen_at=None, snapshot=None), now).text
    'date not given'
    """
    posted, seen = _moment(job.posted_at), _moment(job.first_seen_at)
    if posted is not None:
        return When(f"posted {ago(posted, now)}", posted.date().isoformat())
    if job.snapshot:
        return When(f"from a {job.snapshot} snapshot", None)
    if seen is not None:
        return When(f"first seen {ago(seen, now)}", seen.date().isoformat())
    return When("date not given", None)


def _moment(moment: datetime | date | str | None) -> datetime | None:
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
