"""A market page as HTML (the web page, or a file that stands alone), Markdown or JSON.

The HTML comes from the web app's template ``insights.html`` (Jinja2, autoescaped), with the
charts of ``charts.py`` inline; ``leadboard insights`` and ``/insights/…`` render the same page.
Markdown has the same sections and numbers as tables; its anchors are the headings' own (as
GitHub writes them), so the overview's links work there too.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from leadboard.insights import charts
from leadboard.insights.figures import PayGroup, SkillRow
from leadboard.insights.page import (
    DUTY_NAMES,
    SECTIONS,
    TOP_SKILLS,
    TOPICS,
    MarketPage,
    interval,
    money,
    money_range,
    percent,
    points,
)
from leadboard.insights.stats import MIN_SAMPLE, Share

WEB = Path(__file__).resolve().parents[1] / "web"
CHART_SKILLS = 15  # bars in the skills chart (the table lists more)
SOURCES_NOTE = (
    "Where the postings come from. “Open” means no complete listing of its board has shown a "
    "posting gone and it was confirmed open within 60 days: a dump's postings count only until "
    "60 days after the dump's snapshot."
)
MIN_BOX = 5  # fewer midpoints than this make no box; the table still lists them


def to_json(page: MarketPage) -> str:
    """The page's figures as JSON."""
    return json.dumps(page.as_dict(), indent=2, ensure_ascii=False, default=str)


def to_html(page: MarketPage, *, standalone: bool = False, listing: str | None = None) -> str:
    """The page as HTML: for the web app, or (``standalone``) with its styles inline.
    ``listing`` links the search page of the same postings (default: the topic's, or the
    query's)."""
    css = None
    if standalone:
        css = "\n".join(
            (WEB / "static" / name).read_text() for name in ("style.css", "insights.css")
        )
    template = _templates().get_template("insights.html")
    return template.render(
        page=page,
        charts=_charts(page),
        css=css,
        sections=SECTIONS,
        topics=TOPICS,
        duty_names=DUTY_NAMES,
        min_sample=MIN_SAMPLE,
        top_skills=TOP_SKILLS,
        sources_note=SOURCES_NOTE,
        search_link=listing or _listing(page),
        percent=percent,
        interval=interval,
        points=points,
        money=money,
        money_range=money_range,
    )


def _listing(page: MarketPage) -> str:
    if page.slug is not None:
        return "/?" + urlencode([("family", family) for family in TOPICS[page.slug].families])
    return "/?" + urlencode({"q": page.query}) if page.query else "/"


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(["html"])
    )


# --- Charts --------------------------------------------------------------------------------------


def _charts(page: MarketPage) -> dict[str, str]:
    """The page's charts as inline SVG, by section anchor (a section may have none)."""
    drawn: dict[str, str] = {}
    if page.readable:
        drawn["duties"] = charts.bars(
            "duties-chart",
            "Duties listed, share of postings (bars) with 95% intervals",
            [_bar(DUTY_NAMES.get(row.name, row.name), row.share) for row in page.duties],
        )
    if page.skills:
        drawn["skills"] = charts.bars(
            "skills-chart",
            "Skills asked: these postings against other ML roles",
            [_skill_bar(row) for row in page.skills[:CHART_SKILLS]],
            bar_label="these postings",
            marker_label="other ML roles",
        )
    if page.years.stated.count:
        drawn["experience"] = charts.histogram(
            "experience-chart",
            "Minimum years of experience asked (8 or more in red)",
            page.years.histogram,
            highlight_from="8",
        )
    for currency in [group for group in page.pay if group.by == "all" and group.count >= MIN_BOX]:
        rows = [
            _box(group)
            for group in page.pay
            if group.currency == currency.currency
            and group.by in ("all", "seniority")
            and group.count >= MIN_BOX
        ]
        drawn[f"pay-{currency.currency}"] = charts.boxes(
            f"pay-{currency.currency}-chart",
            f"Yearly pay in {currency.currency} by seniority (range midpoints)",
            rows,
            unit=currency.currency,
        )
    filled = [point for point in page.trend.points if point.postings >= MIN_SAMPLE]
    if len(filled) >= 2:
        drawn["trend"] = charts.lines(
            "trend-chart",
            f"Share of dated postings asking for each, by {page.trend.period} "
            f"({MIN_SAMPLE}+ postings a {page.trend.period})",
            [point.period for point in filled],
            {name: [point.shares[name].value for point in filled] for name in page.trend.series},
        )
    return drawn


def _bar(label: str, share: Share) -> charts.Bar:
    return charts.Bar(label, share.value or 0.0, share.low, share.high, note=_few(share))


def _skill_bar(row: SkillRow) -> charts.Bar:
    bar = _bar(row.name, row.here)
    return charts.Bar(bar.label, bar.value, bar.low, bar.high, row.others.value, bar.note)


def _box(group: PayGroup) -> charts.Box:
    label = "all" if group.by == "all" else group.group
    return charts.Box(
        f"{label} (n={group.count})",
        group.q1,
        group.median,
        group.q3,
        group.whisker_low,
        group.whisker_high,
        group.count,
    )


def _few(share: Share) -> str:
    return f"n={share.total}, too few to tell" if share.small and share.total else ""


# --- Markdown ------------------------------------------------------------------------------------


def to_markdown(page: MarketPage) -> str:
    """The page as Markdown: the overview, then each section's table."""
    out: list[str] = [f"# {_md(page.title)} jobs: the market, measured", ""]
    out += [f"*{page.postings:,} postings: {_md(page.selection)}.*", ""]
    out += [f"> note: {_md(note)}" for note in page.notes]
    overview = "".join(
        f"[{_md(part.text)}](#{part.anchor})" if part.anchor else _md(part.text)
        for part in page.overview
    )
    out += [overview, ""]
    if page.postings:
        out += _claims_md(page) + _roles_md(page) + _where_md(page) + _duties_md(page)
        out += _skills_md(page) + _years_md(page) + _pay_md(page) + _trend_md(page)
    out += [
        "---",
        f"Shares carry Wilson 95% intervals, differences Newcombe's; “few” marks a figure "
        f"from fewer than {MIN_SAMPLE} postings. Counted in {page.build_ms:.0f} ms.",
    ]
    return "\n".join(out) + "\n"


def _claims_md(page: MarketPage) -> list[str]:
    rows = [
        [f"“{claim.says}”", claim.measured, *_share_cells(claim.share), claim.verdict]
        for claim in page.claims
    ]
    return _section("claims-checked") + _table(
        ["The usual page says", "Measured", "Share", "95% CI", "Postings", "Verdict"], rows
    )


def _roles_md(page: MarketPage) -> list[str]:
    intro = (
        f"**{page.postings:,}** open postings (each duplicate once) at **{page.companies:,}**"
        f" companies; {page.readable:,} of them with a description read by Leadboard's models."
    )
    companies = [[_md(row.name), *_share_cells(row.share)] for row in page.top_companies]
    sources = [[_md(row.name), *_share_cells(row.share)] for row in page.sources]
    return (
        _section("open-roles")
        + [intro, ""]
        + _table(["Company", "Share", "95% CI", "Postings"], companies)
        + [SOURCES_NOTE, ""]
        + _table(["Source", "Share", "95% CI", "Postings"], sources)
    )


def _where_md(page: MarketPage) -> list[str]:
    out = _section("where")
    for heading, counted in (
        ("Remote policy", page.remote),
        ("Country", page.countries),
        ("City", page.cities),
    ):
        if counted:
            rows = [[_md(row.name), *_share_cells(row.share)] for row in counted]
            out += _table([heading, "Share", "95% CI", "Postings"], rows)
    return out


def _duties_md(page: MarketPage) -> list[str]:
    rows = [[DUTY_NAMES.get(row.name, row.name), *_share_cells(row.share)] for row in page.duties]
    return _section("duties") + _table(["Duty", "Share", "95% CI", "Postings"], rows)


def _skills_md(page: MarketPage) -> list[str]:
    out = _section("skills")
    out += [
        f"Compared with {page.compared_with} ({page.others_readable:,} with a description).",
        "",
    ]
    rows = [
        [
            _md(row.name),
            *_share_cells(row.here),
            percent(row.others),
            points(row.difference, ci=True),
        ]
        for row in page.skills[:TOP_SKILLS]
    ]
    out += _table(
        ["Skill", "Share", "95% CI", "Postings", "Other ML roles", "Difference (95% CI)"], rows
    )
    for label, listed in (
        ("Asked clearly more often here", page.specific),
        ("Asked clearly less often here", page.less),
    ):
        if listed:
            named = ", ".join(f"{_md(row.name)} ({points(row.difference)})" for row in listed)
            out += [f"{label}: {named}.", ""]
    return out


def _years_md(page: MarketPage) -> list[str]:
    years = page.years
    out = _section("experience")
    if years.quartiles is None:
        return out + ["No posting states a minimum of years.", ""]
    q1, median, q3 = years.quartiles
    out += [
        f"{years.stated.count:,} of {years.stated.total:,} postings state a minimum "
        f"({percent(years.stated)}). Median {median:g} years, quartiles {q1:g}–{q3:g}; "
        f"asking 8 or more: {percent(years.many)} (95% CI {interval(years.many)})"
        f"{' — few' if years.many.small else ''}.",
        "",
    ]
    return out + _table(
        ["Years asked", "Postings"], [[label, str(n)] for label, n in years.histogram]
    )


def _pay_md(page: MarketPage) -> list[str]:
    out = _section("pay")
    if not page.pay:
        return out + ["No posting states pay.", ""]
    out += [
        "Yearly pay as stated, by currency (never converted). Midpoint: the middle of each "
        "posting's range; “typical range”: the medians of the ranges' two ends.",
        "",
    ]
    rows = [
        [
            group.currency,
            group.by,
            _md(group.group),
            _n(group.count, group.small),
            f"{_k(group.median_low)}–{_k(group.median_high)}",
            f"{_k(group.q1)}–{_k(group.median)}–{_k(group.q3)}",
        ]
        for group in page.pay
    ]
    return out + _table(
        ["Currency", "By", "Group", "Postings", "Typical range", "Midpoint q1–median–q3"], rows
    )


def _trend_md(page: MarketPage) -> list[str]:
    trend = page.trend
    out = _section("trend")
    out += [
        f"{trend.dated.count:,} of {trend.dated.total:,} readable postings "
        f"({percent(trend.dated)}) carry a posting date from their source; the others only "
        "the day Leadboard first saw them, and are left out. Which boards were collected "
        f"when differs by period. Periods: {trend.period}s.",
        "",
    ]
    if not trend.points:
        return out
    names = list(trend.series)
    rows = [
        [
            point.period,
            _n(point.postings, point.postings < MIN_SAMPLE),
            *[percent(point.shares[name]) for name in names],
        ]
        for point in trend.points
    ]
    return out + _table(["Period", "Dated postings", *names], rows)


def _section(anchor: str) -> list[str]:
    return [f"## {SECTIONS[anchor]}", ""]


def _share_cells(share: Share) -> list[str]:
    return [percent(share), interval(share), f"{share.count:,} of {_n(share.total, share.small)}"]


def _n(count: int, small: bool) -> str:
    return f"{count:,}" + (" (few)" if small else "")


def _k(amount: float) -> str:
    return f"{amount / 1000:,.0f}k"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _md(text: Any) -> str:
    """Text from postings, inert in Markdown: no HTML, links, emphasis or table breaks."""
    escaped = str(text)
    for char in "\\`*_[]<>|#":
        escaped = escaped.replace(char, "\\" + char)
    return re.sub(r"\s+", " ", escaped)
