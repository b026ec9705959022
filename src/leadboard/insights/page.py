"""A market page: the figures of one selection of postings, the claims a hand-written category
page makes checked against them, and an overview paragraph written from the figures.

A page is for a role family (a *topic*: ``/insights/ml-tech-lead``) or for a search
(``/insights?q=…``: the postings the search engine matches by words and chips). Every skill
share is set beside the same skill's share in the other ML postings — ML leadership and ML
engineer roles the page leaves out — so that what is *specific* to the page shows.

>>> topic_for("ml-leadership").slug, topic_for("ml-engineer").families
('ml-tech-lead', ('ml_ic',))
>>> percent(Share.of(71, 100)), interval(Share.of(71, 100))
('71%', '61–79%')
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any

from leadboard import labels
from leadboard.insights import figures
from leadboard.insights.figures import Counted, PayGroup, SkillRow, Trend, Years
from leadboard.insights.stats import MIN_SAMPLE, Difference, Share, difference
from leadboard.labels import in_sentence
from leadboard.search.engine import SearchEngine, SearchFilters

ML_FAMILIES = ("ml_leadership", "ml_ic")
# The vocabularies' words as they read in a sentence ("ML engineer (IC) roles"): labels.py's.
FAMILY_NAMES = {code: in_sentence(words) for code, words in labels.FAMILIES.items()}
TOP_COMPANIES, TOP_PLACES, TOP_SKILLS, TOP_SPECIFIC = 15, 12, 20, 5
MIN_SPECIFIC = 5  # a skill asked by fewer postings is not called "specific", whatever its share
# Skill areas the hand-written page calls "increasingly valuable": followed period by period.
TREND_SERIES = {
    "LLMs": ("LLMs",),
    "RAG": ("RAG",),
    "Vector databases": ("Vector Databases",),
    "AI agents": ("AI Agents",),
    "GenAI, LLMs or vector DBs": ("Generative AI", "LLMs", "Vector Databases"),
}
GENAI = "GenAI, LLMs or vector DBs"
DUTY_NAMES = {code: in_sentence(words) for code, words in labels.DUTIES.items()}
# Section anchors (the GitHub-style slug of each heading, so Markdown links work too).
SECTIONS = {
    "claims-checked": "Claims checked",
    "open-roles": "Open roles",
    "where": "Where",
    "duties": "Duties",
    "skills": "Skills",
    "experience": "Experience",
    "pay": "Pay",
    "trend": "Trend",
}


@dataclass(frozen=True)
class Topic:
    """A market page for role families: its address and its name."""

    slug: str
    title: str
    families: tuple[str, ...]


TOPICS = {
    topic.slug: topic
    for topic in (
        Topic("ml-tech-lead", "ML Tech Lead", ("ml_leadership",)),
        Topic("ml-engineer", "ML Engineer", ("ml_ic",)),
        Topic("data", "Data", ("data",)),
        Topic("software", "Software Engineer", ("software",)),
        Topic("other", "Other roles", ("other",)),
    )
}
ALIASES = {"ml-leadership": "ml-tech-lead", "ml-ic": "ml-engineer"}


class UnknownTopic(ValueError):
    """No market page has that address."""


def topic_for(slug: str) -> Topic:
    """The topic at ``slug`` (or one of its aliases)."""
    topic = TOPICS.get(ALIASES.get(slug, slug))
    if topic is None:
        raise UnknownTopic(f"no market page {slug[:60]!r}; one of: {', '.join(TOPICS)}")
    return topic


@dataclass(frozen=True)
class Part:
    """A piece of the overview paragraph; a number carries the anchor of its section."""

    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Claim:
    """What a hand-written page says, and what the postings say about it."""

    says: str  # the claim, quoted
    measured: str  # what was counted
    share: Share
    verdict: str
    anchor: str
    change: Difference | None = None  # for "increasingly": last period minus first


@dataclass
class MarketPage:
    """Everything a market page shows, measured (``build_page`` makes one)."""

    title: str
    slug: str | None  # the topic's, or None for a search's page
    query: str
    selection: str  # what the page counts, in words
    compared_with: str
    notes: list[str]
    postings: int
    readable: int  # enriched, with a description: what duties, skills and years count
    companies: int
    top_companies: list[Counted]
    sources: list[Counted]  # boards and dumps: how old and how complete the data is
    remote: list[Counted]
    countries: list[Counted]
    cities: list[Counted]
    duties: list[Counted]
    skills: list[SkillRow]  # every skill asked, most asked first
    specific: list[SkillRow]  # asked clearly more often here than in the other ML roles
    less: list[SkillRow]  # asked clearly less often
    others_readable: int  # the postings compared against
    years: Years
    pay: list[PayGroup]
    trend: Trend
    claims: list[Claim]
    overview: list[Part] = field(default_factory=list)
    build_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The page as JSON-ready data (``leadboard insights --json``)."""
        data = asdict(self)
        data["overview_text"] = "".join(part.text for part in self.overview)
        return data


def build_page(
    engine: SearchEngine,
    *,
    topic: Topic | None = None,
    q: str = "",
    filters: SearchFilters | None = None,
) -> MarketPage:
    """The market page of a topic, or of what a search for ``q`` with ``filters`` matches."""
    start = time.perf_counter()
    if topic is not None:
        filters = SearchFilters(role_family=list(topic.families))
    selection = engine.selection(q, filters)
    mine = set(selection.ids)
    ml_roles = engine.selection("", SearchFilters(role_family=list(ML_FAMILIES))).ids
    here = figures.load(engine.documents, selection.ids)
    others = figures.load(engine.documents, [i for i in ml_roles if i not in mine])
    company_count, top_companies = figures.companies(here, TOP_COMPANIES)
    skills = figures.skills(here, others)
    years = figures.years(here)
    trend = figures.trend(here, TREND_SERIES)
    page = MarketPage(
        title=topic.title if topic else _search_title(q),
        slug=topic.slug if topic else None,
        query=q,
        selection=_describe(selection.filters, selection.query.chips),
        compared_with="other ML roles: ML leadership and ML engineer postings not on this page",
        notes=selection.notes,
        postings=len(here),
        readable=len(figures.readable(here)),
        companies=company_count,
        top_companies=top_companies,
        sources=figures.sources(here, TOP_PLACES),
        remote=figures.remote(here),
        countries=figures.places(here, "countries", TOP_PLACES),
        cities=figures.places(here, "cities", TOP_PLACES),
        duties=figures.duties(here),
        skills=skills,
        specific=_specific(skills, more=True),
        less=_specific(skills, more=False),
        others_readable=len(figures.readable(others)),
        years=years,
        pay=figures.pay(here),
        trend=trend,
        claims=_claims(here, years, trend),
    )
    page.overview = overview(page)
    page.build_ms = round((time.perf_counter() - start) * 1000, 1)
    return page


class PageCache:
    """Built pages, kept until the search index changes. Counting a page over thousands of
    postings takes a second or so, the data changes only when jobs are imported or enriched,
    and people open the same few pages again and again.

    >>> from leadboard.store.repository import Store
    >>> cache = PageCache(SearchEngine(Store.open("sqlite://")))
    >>> cache.page(topic=topic_for("data")) is cache.page(topic=topic_for("data"))
    True
    """

    def __init__(self, engine: SearchEngine, size: int = 64) -> None:
        self.engine = engine
        self.size = size
        self._pages: OrderedDict[tuple[Any, ...], MarketPage] = OrderedDict()
        self._lock = threading.Lock()

    def page(
        self, *, topic: Topic | None = None, q: str = "", filters: SearchFilters | None = None
    ) -> MarketPage:
        """The page ``build_page`` makes for these arguments, built again once the index moved."""
        generation = self.engine.documents.generation()
        key = (generation, topic.slug if topic else None, q, repr(filters))
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
        page = build_page(self.engine, topic=topic, q=q, filters=filters)
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page


def _search_title(q: str) -> str:
    words = " ".join(q.split())
    return f"Jobs matching “{words[:80]}”" if words else "Jobs matching the filters"


def _describe(filters: SearchFilters, chips: list[Any]) -> str:
    families = filters.role_family or ["ml_leadership"]
    named = (
        "every role"
        if "any" in families
        else " and ".join(FAMILY_NAMES.get(f, f) for f in families) + " roles"
    )
    said = [labels.chip_label(chip.kind, chip.value, chip.label) for chip in chips]
    state = "open, stale and closed" if filters.include_closed else "open"
    return f"{state} {named}, each duplicate once" + (f"; {', '.join(said)}" if said else "")


def _specific(skills: list[SkillRow], *, more: bool) -> list[SkillRow]:
    """Skills whose difference from the other ML roles is clear (its interval leaves out 0)."""
    sign = 1 if more else -1
    clear = [
        row
        for row in skills
        if row.difference is not None
        and sign * (row.difference.low if more else row.difference.high) > 0
        and max(row.here.count, row.others.count) >= MIN_SPECIFIC
    ]
    return sorted(clear, key=lambda row: -sign * row.difference.value)[:TOP_SPECIFIC]  # type: ignore[union-attr]


# --- Claims ---------------------------------------------------------------------------------------


def _claims(here: list[figures.Posting], years: Years, trend: Trend) -> list[Claim]:
    python = figures.asking_any(here, ["Python"])
    frameworks = figures.asking_any(here, ["TensorFlow", "PyTorch"])
    pytorch = figures.asking_any(here, ["PyTorch"])
    genai = figures.asking_any(here, TREND_SERIES[GENAI])
    change = _change(trend, GENAI)
    return [
        Claim(
            "Proficiency in Python … is standard",
            "postings asking for Python",
            python,
            majority(python),
            "skills",
        ),
        Claim(
            "familiarity with frameworks such as TensorFlow or PyTorch is standard",
            "postings asking for TensorFlow or PyTorch",
            frameworks,
            majority(frameworks),
            "skills",
        ),
        Claim(
            "PyTorch is standard",
            "postings asking for PyTorch",
            pytorch,
            majority(pytorch),
            "skills",
        ),
        Claim(
            "Most candidates … possess 8+ years of relevant experience",
            "postings stating a minimum that ask 8 years or more (what postings ask, not what "
            "candidates have)",
            years.many,
            majority(years.many),
            "experience",
        ),
        Claim(
            "Generative AI, LLMs, and vector databases is increasingly valuable",
            "postings asking for any of them; the change from the first to the last period "
            f"with {MIN_SAMPLE}+ dated postings",
            genai,
            _direction(change, trend),
            "trend",
            change,
        ),
    ]


def majority(share: Share) -> str:
    """Whether a share supports "standard"/"most": its whole interval above 50%."""
    if share.value is None:
        return "no postings"
    if share.small:
        return f"too few postings to tell (n={share.total})"
    assert share.low is not None and share.high is not None
    if share.low > 0.5:
        return "supported"
    return "not supported" if share.high < 0.5 else "unclear: the interval spans 50%"


def _periods(trend: Trend) -> list[figures.TrendPoint]:
    return [point for point in trend.points if point.postings >= MIN_SAMPLE]


def _change(trend: Trend, name: str) -> Difference | None:
    periods = _periods(trend)
    if len(periods) < 2:
        return None
    return difference(periods[-1].shares[name], periods[0].shares[name])


def _direction(change: Difference | None, trend: Trend) -> str:
    if change is None:
        return f"too few dated postings to tell (fewer than two periods with {MIN_SAMPLE}+)"
    periods = _periods(trend)
    span = f"{periods[0].period} to {periods[-1].period}"
    if change.low > 0:
        return f"rising ({span})"
    return f"falling ({span})" if change.high < 0 else f"no clear change ({span})"


# --- The overview paragraph -----------------------------------------------------------------------


def overview(page: MarketPage) -> list[Part]:
    """The page's figures in a few sentences; each number carries its section's anchor."""
    parts: list[Part] = []

    def say(*pieces: str | tuple[str, str]) -> None:
        for piece in pieces:
            parts.append(Part(*piece) if isinstance(piece, tuple) else Part(piece))

    if page.postings == 0:
        say("No open postings match, so there is nothing to measure.")
        return parts
    if page.postings < MIN_SAMPLE:
        say(
            "Only ",
            (str(page.postings), "open-roles"),
            " postings match: too few for firm "
            "figures, and every share below carries a wide interval. ",
        )
    say(
        (f"{page.postings:,}", "open-roles"),
        " open postings, at ",
        (f"{page.companies:,}", "open-roles"),
        " companies; ",
    )
    remote = {row.name: row.share for row in page.remote}
    say(
        (percent(remote.get("remote")), "where"),
        " say they are remote and ",
        (percent(remote.get("hybrid")), "where"),
        " hybrid. ",
    )
    listed = [row for row in page.duties if row.share.count][:3]
    if listed:
        say("The duties they list most are ")
        _listing(say, [(DUTY_NAMES.get(row.name, row.name), row.share) for row in listed], "duties")
        say(". ")
    if page.skills:
        say("The skills asked most are ")
        _listing(say, [(row.name, row.here) for row in page.skills[:3]], "skills")
        if page.specific:
            say("; beside other ML roles, the most specific to these postings are ")
            _listing(say, [(row.name, row.difference) for row in page.specific[:3]], "skills")
        say(". ")
    years = page.years
    if years.quartiles is not None:
        say(
            "Of the ",
            (f"{years.stated.count:,}", "experience"),
            " postings that state a minimum of years, ",
            (percent(years.many), "experience"),
            " ask for eight or more (median ",
            (f"{years.quartiles[1]:g}", "experience"),
            " years). ",
        )
    currencies = [group for group in page.pay if group.by == "all"]
    if currencies:
        top = currencies[0]
        say(
            (f"{top.count:,}", "pay"),
            f" state pay in {top.currency}: a median range of ",
            (money_range(top.median_low, top.median_high, top.currency), "pay"),
            " a year",
        )
        rest = sum(group.count for group in currencies[1:])
        if rest:
            say(", and ", (f"{rest:,}", "pay"), " in other currencies (never converted)")
        say(". ")
    say(
        (f"{page.trend.dated.count:,}", "trend"),
        " of the readable postings carry a real posting date.",
    )
    return parts


def _listing(say: Any, items: list[tuple[str, Share | Difference | None]], anchor: str) -> None:
    """ "A (71%), B (60%) and C (52%)", each figure linked."""
    for index, (name, figure) in enumerate(items):
        if index:
            say(" and " if index == len(items) - 1 else ", ")
        shown = points(figure) if isinstance(figure, Difference) else percent(figure)
        say(f"{name} (", (shown, anchor), ")")


# --- Number formats (the page, Markdown and the overview share them) ---------------------------


def percent(share: Share | None) -> str:
    """A share as a whole percentage ("71%"); "–" when there is nothing to divide."""
    return "–" if share is None or share.value is None else f"{share.value:.0%}"


def interval(share: Share) -> str:
    """A share's 95% interval ("62–79%")."""
    if share.low is None or share.high is None:
        return "–"
    return f"{share.low * 100:.0f}–{share.high:.0%}"


def points(change: Difference | None, *, ci: bool = False) -> str:
    """A difference of shares in percentage points, optionally with its interval.

    >>> points(Difference(0.052, -0.004, 0.11), ci=True)
    '+5 points (0 to +11)'
    """
    if change is None:
        return "–"
    shown = _signed(change.value)
    text = f"{shown} point{'' if shown in ('+1', '-1') else 's'}"
    return text + f" ({_signed(change.low)} to {_signed(change.high)})" if ci else text


def _signed(proportion: float) -> str:
    whole = round(proportion * 100)
    return f"{whole:+d}" if whole else "0"


def money_range(low: float, high: float, currency: str) -> str:
    """A yearly range: "USD 198k–259k"."""
    return f"{money(low, currency)}–{high / 1000:,.0f}k"


def money(amount: float, currency: str) -> str:
    """A yearly amount, rounded to the thousand: "USD 185k"."""
    return f"{currency} {amount / 1000:,.0f}k"
