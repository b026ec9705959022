"""A company's page (``/companies/{slug}``): its open roles and what they say, counted like a
market page — every share with its sample size and Wilson interval (``insights/figures.py``).

Postings name their company in many ways ("Meta", "Meta Platforms, Inc."). One company is the
names that share a *key* (``company_key``): the name in lower case, accents and punctuation
dropped, legal suffixes (Inc, LLC, GmbH…) dropped, then looked up in a small alias table
(``data/company_aliases.csv``: "DeepMind" is "Google DeepMind"). The page shows the names it
merged and this rule (``RULE``).

>>> company_key("Meta Platforms, Inc."), company_key("Meta"), company_key("DeepMind")
('meta', 'meta', 'google deepmind')
>>> company_slug("Google DeepMind"), company_slug("Zoë Labs GmbH")
('google-deepmind', 'zoe-labs')

Dates are the ones we have: a posting is counted as opened in the month its source dated it, or
— when the source gave no date — the month Leadboard first saw it (counted apart, and the page
says so); closed in the month a complete listing of its board no longer had it. A job seen on
several boards (one duplicate cluster) counts once.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from leadboard.insights import charts, figures
from leadboard.insights.figures import Counted, PayGroup
from leadboard.insights.stats import Share
from leadboard.labels import label
from leadboard.search.engine import job_card
from leadboard.search.index import salary_a_year
from leadboard.store.repository import JobWithEnrichment, Store
from leadboard.store.schema import Board

ALIASES_CSV = Path(__file__).resolve().parents[1] / "data" / "company_aliases.csv"
# Dropped from the end of a name (repeatedly: "Foo Pty Ltd" is "foo"), and "the" from its start.
LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "pbc",
        "pte",
        "pty",
        "lp",
        "llp",
        "se",
        "oy",
        "kk",
        "srl",
        "spa",
    ]
)
RULE = (
    "Names are one company when they share a key: lower case, accents and punctuation dropped, "
    "legal suffixes (Inc, LLC, Ltd, GmbH, Corp, PBC…) and a leading “The” dropped, then the "
    "alias table (data/company_aliases.csv) applied — “DeepMind” is “Google DeepMind”, "
    "“Meta Platforms” is “Meta”."
)
MIN_BOX = 5  # fewer stated ranges than this make no box (the table lists them)
CHART_MONTHS = 12  # the openings chart's (the labels of more would overlap)
MONTHS = 24  # the openings table's months, the latest last; earlier ones are summed
_JOINED = re.compile(r"(?<=\w)[.'’](?=\w)")  # "X.AI", "Macy's": one word
_APART = re.compile(r"[^\w]+")


def _words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    text = _JOINED.sub("", folded.lower().replace("&", " and "))
    words = [word for word in _APART.sub(" ", text).replace("_", " ").split() if word]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return words


@cache
def aliases() -> dict[str, str]:
    """The alias table: a name's key → the key of the company it is."""
    with ALIASES_CSV.open(newline="", encoding="utf-8") as handle:
        return {
            " ".join(_words(row["alias"])): " ".join(_words(row["company"]))
            for row in csv.DictReader(handle)
        }


def company_key(name: str) -> str:
    """The key that names of one company share (see the module docstring).

    >>> company_key("The Walt Disney Company"), company_key("X.AI Corp"), company_key("xAI")
    ('walt disney company', 'xai', 'xai')
    >>> company_key("Anthropic PBC") == company_key("anthropic")
    True
    """
    key = " ".join(_words(name))
    return aliases().get(key, key)


def company_slug(name: str) -> str:
    """The company's page name: its key with dashes ("" when the name has no letters)."""
    return company_key(name).replace(" ", "-")


@dataclass(frozen=True)
class Company:
    """One company: its key, page name, the name it is shown by (the name most of its jobs
    give) and every name merged into it, with how many jobs give each."""

    key: str
    slug: str
    name: str
    names: dict[str, int]

    @property
    def jobs(self) -> int:
        return sum(self.names.values())


def directory(names: Mapping[str, int]) -> dict[str, Company]:
    """The companies of stored company names (name → jobs), by slug.

    >>> found = directory({"DeepMind": 2, "Google DeepMind": 5, "Meta Platforms, Inc.": 1})
    >>> found["google-deepmind"].name, found["google-deepmind"].names
    ('Google DeepMind', {'Google DeepMind': 5, 'DeepMind': 2})
    >>> sorted(found)
    ['google-deepmind', 'meta']
    """
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for name, count in names.items():
        if key := company_key(name):
            grouped[key][name] = count
    companies = {}
    for key, merged in grouped.items():
        ordered = dict(sorted(merged.items(), key=lambda item: (-item[1], item[0])))
        slug = key.replace(" ", "-")
        companies[slug] = Company(key, slug, next(iter(ordered)), ordered)
    return companies


@dataclass(frozen=True)
class Month:
    """Postings opened and closed in one month ("2026-11"; "earlier" sums older months)."""

    month: str
    opened_dated: int  # opened in this month by the date their source gave
    opened_first_seen: int  # no date from the source: first seen by Leadboard this month
    closed: int


@dataclass(frozen=True)
class BoardState:
    """One of the company's boards and how crawling it goes (``store/boards.py``); a dump's
    postings have no board to crawl (``crawled`` False)."""

    spec: str
    crawled: bool
    status: str | None = None  # new | ok | failing | quarantined
    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_error: str | None = None
    open_postings: int = 0  # this company's open postings from it


@dataclass(frozen=True)
class PayRange:
    """A pay range as postings state it (never converted), and how many state exactly it."""

    min: float | None
    max: float | None
    currency: str
    period: str | None
    postings: int


@dataclass
class CompanyPage:
    """What a company page shows; every share carries its count and total."""

    company: Company
    rule: str
    roles: list[
        dict[str, Any]
    ]  # open roles, as job cards (``search.engine.job_card``), newest first
    open: int  # open roles, one per duplicate cluster
    stale: int  # not closed but unconfirmed for too long: open roles only if include_stale
    closed: int
    enriched: int  # open roles read by the role model (the denominator of the families)
    ml_leadership: Share
    families: list[Counted]
    remote: list[Counted]
    pay_stated: Share
    pay_ranges: list[PayRange]
    pay: list[PayGroup]  # yearly pay by currency (``figures.pay``)
    months: list[Month]
    undated: Share  # of all postings counted in ``months``: opened by first sight, not a date
    boards: list[BoardState] = field(default_factory=list)
    include_stale: bool = False


def build_page(store: Store, company: Company, *, include_stale: bool = False) -> CompanyPage:
    """The page of ``company``, read through the store's typed methods. ``include_stale``:
    count the postings not confirmed open for a while (an old dump's) as open roles too."""
    rows = store.company_jobs(company.names)
    clusters = _one_per_cluster(rows)
    open_ = [
        r for r in clusters if r.job.closed_at is None and (include_stale or r.job.stale_at is None)
    ]
    stale = sum(r.job.closed_at is None and r.job.stale_at is not None for r in clusters)
    postings = [_posting(index, r) for index, r in enumerate(open_)]
    enriched = [r for r in open_ if r.enrichment is not None]
    families = Counter(
        r.enrichment.role_family or "unknown" for r in enriched if r.enrichment is not None
    )
    leadership = families["ml_leadership"]
    stated = [r for r in open_ if r.job.salary_currency]
    months, undated = _months(clusters)
    return CompanyPage(
        company=company,
        rule=RULE,
        roles=[job_card(r.job, r.enrichment) for r in sorted(open_, key=_newest_first)],
        open=len(open_),
        stale=stale,
        closed=sum(r.job.closed_at is not None for r in clusters),
        enriched=len(enriched),
        ml_leadership=Share.of(leadership, len(enriched)),
        families=[
            Counted(name, Share.of(n, len(enriched)))
            for name, n in sorted(families.items(), key=lambda item: (-item[1], item[0]))
        ],
        remote=figures.remote(postings),
        pay_stated=Share.of(len(stated), len(open_)),
        pay_ranges=_ranges(stated),
        pay=[group for group in figures.pay(postings) if group.by in ("all", "seniority")],
        months=months,
        undated=undated,
        boards=_boards(store, rows, open_),
        include_stale=include_stale,
    )


def _one_per_cluster(rows: Sequence[JobWithEnrichment]) -> list[JobWithEnrichment]:
    """One row a duplicate cluster: an open member if any, else the first."""
    best: dict[str, JobWithEnrichment] = {}
    for row in rows:
        held = best.get(row.job.cluster_id)
        if held is None or (held.job.closed_at is not None and row.job.closed_at is None):
            best[row.job.cluster_id] = row
    return list(best.values())


def _posting(index: int, row: JobWithEnrichment) -> figures.Posting:
    job, enrichment = row.job, row.enrichment
    period = job.salary_period
    return figures.Posting(
        id=index,
        company=job.company or "",
        source=f"{job.source}:{job.board}",
        remote=job.remote,
        seniority=enrichment.seniority if enrichment else "unknown",
        countries=tuple((job.countries or "").split()),
        salary_currency=job.salary_currency,
        salary_year_min=salary_a_year(job.salary_min or job.salary_max, period),
        salary_year_max=salary_a_year(job.salary_max or job.salary_min, period),
        posted_at=job.posted_at,
    )


def _newest_first(row: JobWithEnrichment) -> tuple[float, str]:
    moment = row.job.posted_at or row.job.first_seen_at
    return (-_aware(moment).timestamp() if moment else 0.0, row.job.id)


def _ranges(stated: Sequence[JobWithEnrichment]) -> list[PayRange]:
    counts = Counter(
        (r.job.salary_min, r.job.salary_max, r.job.salary_currency or "", r.job.salary_period)
        for r in stated
    )
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][2], item[0][0] or 0.0))
    return [
        PayRange(low, high, currency, period, n) for (low, high, currency, period), n in ordered
    ]


def _months(rows: Sequence[JobWithEnrichment]) -> tuple[list[Month], Share]:
    """Openings and closings month by month (the last ``MONTHS`` months that have any, as a
    continuous run; earlier ones summed in "earlier"), and the share opened by first sight."""
    dated: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for row in rows:
        job = row.job
        if job.posted_at is not None:
            dated[_month(job.posted_at)] += 1
        else:
            seen[_month(job.first_seen_at)] += 1
        if job.closed_at is not None:
            closed[_month(job.closed_at)] += 1
    undated = Share.of(sum(seen.values()), len(rows))
    present = set(dated) | set(seen) | set(closed)
    if not present:
        return [], undated
    run = _month_run(min(present), max(present))
    recent, earlier = run[-MONTHS:], set(run[:-MONTHS])
    months = [Month(m, dated[m], seen[m], closed[m]) for m in recent]
    if earlier:
        older = [sum(c[m] for m in earlier) for c in (dated, seen, closed)]
        months.insert(0, Month("earlier", *older))
    return months, undated


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _month_run(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``.

    >>> _month_run("2025-11", "2026-02")
    ['2025-11', '2025-12', '2026-01', '2026-02']
    """
    year, month = map(int, first.split("-"))
    run = []
    while (label := f"{year:04d}-{month:02d}") <= last:
        run.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return run


def _boards(
    store: Store, rows: Sequence[JobWithEnrichment], open_: Sequence[JobWithEnrichment]
) -> list[BoardState]:
    """The boards the company's postings come from, with their crawl state; dumps apart."""
    counts = Counter(f"{r.job.source}:{r.job.board}" for r in open_)
    specs = sorted({f"{r.job.source}:{r.job.board}" for r in rows})
    states = []
    for spec in specs:
        board: Board | None = None if spec.startswith("file:") else store.boards.get(spec)
        if board is None:
            states.append(BoardState(spec, crawled=False, open_postings=counts[spec]))
            continue
        states.append(
            BoardState(
                spec,
                crawled=True,
                status=board.status,
                last_success_at=board.last_success_at,
                last_attempt_at=board.last_attempt_at,
                last_error=board.last_error,
                open_postings=counts[spec],
            )
        )
    return sorted(states, key=lambda state: (not state.crawled, -state.open_postings, state.spec))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def charts_of(page: CompanyPage) -> dict[str, str]:
    """The page's charts as inline SVG (``insights/charts.py``), by name: the remote policy mix,
    yearly pay by currency, and the postings opened month by month."""
    drawn: dict[str, str] = {}
    if page.open:
        drawn["remote"] = charts.bars(
            "remote-chart",
            "Open roles by remote policy, with 95% intervals",
            [_bar(label(row.name, "remote"), row.share) for row in page.remote],
        )
    for currency in [group.currency for group in page.pay if group.by == "all"]:
        rows = [
            charts.Box(
                f"{'all' if group.by == 'all' else group.group} (n={group.count})",
                group.q1,
                group.median,
                group.q3,
                group.whisker_low,
                group.whisker_high,
                group.count,
            )
            for group in page.pay
            if group.currency == currency and group.count >= MIN_BOX
        ]
        if rows:
            drawn[f"pay-{currency}"] = charts.boxes(
                f"pay-{currency}-chart",
                f"Yearly pay stated in {currency}, by seniority (range midpoints)",
                rows,
                unit=currency,
            )
    recent = [m for m in page.months if m.month != "earlier"][-CHART_MONTHS:]
    if len(recent) >= 2:
        drawn["openings"] = charts.histogram(
            "openings-chart",
            "Postings opened a month (by their source's date, or first seen when it gave none)",
            [(m.month, m.opened_dated + m.opened_first_seen) for m in recent],
        )
    return drawn


def _bar(label: str, share: Share) -> charts.Bar:
    note = f"n={share.total}, too few to tell" if share.small and share.total else ""
    return charts.Bar(label, share.value or 0.0, share.low, share.high, note=note)
