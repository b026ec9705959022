"""The figures of a market page: what a selection of postings says, counted.

``load`` reads what the figures need of each posting — its search document, the duties of its
enrichment, the posting date its source gave — by document id (``SearchEngine.selection`` gives
the ids: open postings, one per duplicate cluster, so a job seen on three boards counts once).
Each other function is one figure, counted in Python over those rows: the same code on SQLite and
PostgreSQL, easy to check by hand, and milliseconds for thousands of postings (reading the rows
is what takes the time).

Duties, skills, years and the trend are shares of the *readable* postings: enriched, and with a
description to read them from. A posting not yet enriched, or listed without its text (some
board listings give only a title), has none of them — which is not the same as asking for none.
Places and the remote policy are shares of all.

>>> rows = [Posting(1, company="Acme", skills=frozenset({"Python"}), years_min=10),
...         Posting(2, company="Acme", skills=frozenset({"Python", "PyTorch"}), years_min=5)]
>>> asking_any(rows, ["PyTorch"]).value, years(rows).many.count, companies(rows, 5)[0]
(0.5, 1, 1)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import get_args

from leadboard.insights.stats import MIN_SAMPLE, Difference, Share, difference, quartiles
from leadboard.models import Duty, Seniority
from leadboard.search.documents import SearchDocuments

DUTIES: tuple[str, ...] = get_args(Duty)
SENIORITIES: tuple[str, ...] = get_args(Seniority)
MANY_YEARS = 8  # "most candidates possess 8+ years": the claim the page checks
HISTOGRAM_TOP = 15  # years of experience: one bar a year up to 14, then "15+"
PERIODS = (("quarter", 3), ("half-year", 6), ("year", 12))  # the trend's, finest first


@dataclass(frozen=True, slots=True)
class Posting:
    """What the figures read of one posting (its search document id first)."""

    id: int
    company: str = ""
    source: str = ""  # "greenhouse:anthropic", "file:linkedin-ds-2018": board or dump
    remote: str = "unknown"
    seniority: str = "unknown"
    readable: bool = True  # enriched, with a description: see the module docstring
    years_min: int | None = None
    duties: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    salary_currency: str | None = None
    salary_year_min: float | None = None  # in its own currency, a year
    salary_year_max: float | None = None
    posted_at: datetime | None = None  # as the source gave it; None when it gave none


def load(documents: SearchDocuments, ids: Sequence[int]) -> list[Posting]:
    """The postings with search document ``ids``, in id order."""
    return [
        Posting(
            id=found.id,
            company=found.company,
            source=found.source,
            remote=found.remote,
            seniority=found.seniority,
            readable=found.enriched and found.described,
            years_min=found.years_min,
            duties=frozenset(found.duties),
            skills=frozenset(found.skills),
            countries=tuple(found.countries),
            cities=tuple(found.cities),
            salary_currency=found.salary_currency,
            salary_year_min=found.salary_year_min,
            salary_year_max=found.salary_year_max,
            posted_at=found.posted_at,
        )
        for found in documents.postings(ids)
    ]


@dataclass(frozen=True)
class Counted:
    """A name (a company, a country, a duty…) and the share of postings it has."""

    name: str
    share: Share


@dataclass(frozen=True)
class SkillRow:
    """How often a skill is asked here and in the postings compared against."""

    name: str
    here: Share
    others: Share
    difference: Difference | None  # here minus others; None when either has no postings


@dataclass(frozen=True)
class Years:
    """The minimum years of experience postings ask for."""

    stated: Share  # postings that state a minimum, of the readable ones
    quartiles: tuple[float, float, float] | None  # q1, median, q3 of the stated minimums
    many: Share  # asking MANY_YEARS or more, of those that state one
    histogram: list[tuple[str, int]]  # "0" … "14", "15+": postings asking that minimum


@dataclass(frozen=True)
class PayGroup:
    """Yearly pay of the postings in one currency (and one country or seniority): quartiles
    of each posting's range midpoint, and the medians of its two ends."""

    currency: str
    by: str  # "all", "country" or "seniority"
    group: str  # the country code or seniority ("all" for the whole currency)
    count: int
    q1: float
    median: float
    q3: float
    whisker_low: float  # the lowest and highest midpoints within 1.5 IQR of the box (Tukey)
    whisker_high: float
    median_low: float  # the median of the ranges' lower ends, and of their upper ends
    median_high: float
    small: bool


@dataclass(frozen=True)
class TrendPoint:
    period: str  # "2026-Q1", "2026-H1" or "2026"
    postings: int  # readable postings with a posting date in that period
    shares: dict[str, Share]  # series name -> share of those postings asking for it


@dataclass(frozen=True)
class Trend:
    dated: Share  # readable postings with a posting date from their source
    period: str  # "quarter", "half-year" or "year"
    series: dict[str, tuple[str, ...]]  # series name -> the skills any of which counts
    points: list[TrendPoint]


def readable(postings: Iterable[Posting]) -> list[Posting]:
    """The readable ones: the denominator of duties, skills, years and the trend."""
    return [posting for posting in postings if posting.readable]


def companies(postings: Sequence[Posting], top: int) -> tuple[int, list[Counted]]:
    """How many companies post, and the ``top`` posting most (shares of all postings)."""
    counts = Counter(posting.company for posting in postings if posting.company)
    return len(counts), _most(counts, len(postings), top)


def sources(postings: Sequence[Posting], top: int) -> list[Counted]:
    """The boards and dumps the postings come from, most first. A dump's postings stay open
    until a complete listing of their board says otherwise, so old dumps count as open."""
    return _most(Counter(posting.source for posting in postings), len(postings), top)


def remote(postings: Sequence[Posting]) -> list[Counted]:
    """The share of postings by remote policy (remote, hybrid, onsite, unknown)."""
    return _most(Counter(posting.remote for posting in postings), len(postings))


def places(postings: Sequence[Posting], kind: str, top: int) -> list[Counted]:
    """The ``top`` countries or cities (``kind``) named by most postings; a posting naming
    several counts for each, so shares can add up to more than 100%."""
    named = Counter(place for p in postings for place in set(getattr(p, kind)))
    return _most(named, len(postings), top)


def duties(postings: Sequence[Posting]) -> list[Counted]:
    """Each duty of the fixed vocabulary, with the share of readable postings that list it."""
    read = readable(postings)
    listed = Counter(duty for posting in read for duty in posting.duties)
    rows = [Counted(duty, Share.of(listed[duty], len(read))) for duty in DUTIES]
    return sorted(rows, key=lambda row: -row.share.count)  # stable: vocabulary order on ties


def skills(postings: Sequence[Posting], others: Sequence[Posting]) -> list[SkillRow]:
    """Every skill the postings ask for, most asked first, beside its share in ``others`` and
    the difference (with Newcombe's interval)."""
    here, there = readable(postings), readable(others)
    asked_here = Counter(skill for posting in here for skill in posting.skills)
    asked_there = Counter(skill for posting in there for skill in posting.skills)
    rows = []
    for name, count in sorted(asked_here.items(), key=lambda item: (-item[1], item[0])):
        mine, theirs = Share.of(count, len(here)), Share.of(asked_there[name], len(there))
        rows.append(SkillRow(name, mine, theirs, difference(mine, theirs)))
    return rows


def asking_any(postings: Sequence[Posting], names: Iterable[str]) -> Share:
    """The share of readable postings asking for at least one of the skills ``names``."""
    wanted, read = set(names), readable(postings)
    return Share.of(sum(bool(posting.skills & wanted) for posting in read), len(read))


def years(postings: Sequence[Posting]) -> Years:
    """The minimum years asked: how many state one, quartiles, the share asking 8+, a histogram."""
    read = readable(postings)
    stated = sorted(p.years_min for p in read if p.years_min is not None)
    bins = Counter(min(value, HISTOGRAM_TOP) for value in stated)
    histogram = [
        (str(year) if year < HISTOGRAM_TOP else f"{HISTOGRAM_TOP}+", bins[year])
        for year in range(HISTOGRAM_TOP + 1)
    ]
    return Years(
        stated=Share.of(len(stated), len(read)),
        quartiles=quartiles(stated) if stated else None,
        many=Share.of(sum(value >= MANY_YEARS for value in stated), len(stated)),
        histogram=histogram,
    )


def pay(postings: Sequence[Posting]) -> list[PayGroup]:
    """Yearly pay stated by the postings, by currency — never converted, never mixed — and
    within a currency by country and by seniority. A posting naming one country counts for it;
    one naming several, or none, counts under "several" or "none"."""
    groups: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for posting in postings:
        if posting.salary_currency is None or posting.salary_year_min is None:
            continue
        low = posting.salary_year_min
        ends = (low, posting.salary_year_max if posting.salary_year_max is not None else low)
        places_ = set(posting.countries)
        country = next(iter(places_)) if len(places_) == 1 else "several" if places_ else "none"
        for by, group in (("all", "all"), ("country", country), ("seniority", posting.seniority)):
            groups[(posting.salary_currency, by, group)].append(ends)
    size = {currency: len(ends) for (currency, by, _), ends in groups.items() if by == "all"}
    rank = {"all": 0, "country": 1, "seniority": 2}

    def order(group: PayGroup) -> tuple[int, str, int, int, str]:
        within = _seniority_rank(group.group) if group.by == "seniority" else -group.count
        return (-size[group.currency], group.currency, rank[group.by], within, group.group)

    return sorted((_pay_group(key, ends) for key, ends in groups.items()), key=order)


def trend(postings: Sequence[Posting], series: Mapping[str, Sequence[str]]) -> Trend:
    """The share of postings asking for each series of skills, period by period, counting only
    postings whose source gave a posting date (the others carry the date Leadboard first saw
    them, which says nothing about when they were posted). The period is the finest of quarter,
    half-year and year at which at least two periods hold ``MIN_SAMPLE`` dated postings."""
    read = readable(postings)
    dated = [posting for posting in read if posting.posted_at is not None]
    period, months = next(
        ((name, months) for name, months in PERIODS if _well_filled(_by_period(dated, months))),
        PERIODS[-1],
    )
    by_period = _by_period(dated, months)
    points = [
        TrendPoint(
            label,
            len(members),
            {name: asking_any(members, skills_) for name, skills_ in series.items()},
        )
        for label, members in sorted(by_period.items())
    ]
    return Trend(
        Share.of(len(dated), len(read)),
        period,
        {name: tuple(skills_) for name, skills_ in series.items()},
        points,
    )


def _most(counts: Counter[str], total: int, top: int | None = None) -> list[Counted]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [Counted(name, Share.of(count, total)) for name, count in ranked]


def _pay_group(key: tuple[str, str, str], ends: list[tuple[float, float]]) -> PayGroup:
    currency, by, group = key
    middles = sorted((low + high) / 2 for low, high in ends)
    q1, median, q3 = quartiles(middles)
    reach = 1.5 * (q3 - q1)
    inside = [m for m in middles if q1 - reach <= m <= q3 + reach]
    return PayGroup(
        currency=currency,
        by=by,
        group=group,
        count=len(ends),
        q1=q1,
        median=median,
        q3=q3,
        whisker_low=inside[0],
        whisker_high=inside[-1],
        median_low=quartiles(sorted(low for low, _ in ends))[1],
        median_high=quartiles(sorted(high for _, high in ends))[1],
        small=len(ends) < MIN_SAMPLE,
    )


def _seniority_rank(seniority: str) -> int:
    return SENIORITIES.index(seniority) if seniority in SENIORITIES else len(SENIORITIES)


def _by_period(postings: Sequence[Posting], months: int) -> dict[str, list[Posting]]:
    grouped: dict[str, list[Posting]] = defaultdict(list)
    for posting in postings:
        grouped[_period(posting.posted_at, months)].append(posting)  # type: ignore[arg-type]
    return grouped


def _well_filled(grouped: Mapping[str, Sequence[Posting]]) -> bool:
    return sum(len(members) >= MIN_SAMPLE for members in grouped.values()) >= 2


def _period(moment: datetime, months: int) -> str:
    if months == 12:
        return str(moment.year)
    if months == 6:
        return f"{moment.year}-H{(moment.month - 1) // 6 + 1}"
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"
