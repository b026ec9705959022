"""Charts as inline SVG, drawn on the server: bars with intervals, a histogram, box plots, lines.

Written by hand rather than through a plotting library: each chart is a few dozen shapes, and
drawing them directly keeps a page fast to build (no figure objects, no font files), small (a
few kilobytes a chart), and accessible — text stays text, and every chart is an ``img`` with a
``<title>`` and a ``<desc>`` that reads out its numbers. The table behind each chart is on the
page beside it. Every label is escaped here: the strings come from postings.

>>> svg = bars("duties", "Duties", [Bar("mentoring", 0.71, 0.62, 0.79)])
>>> svg.startswith('<svg') and '<title id="duties-title">Duties</title>' in svg
True
>>> "mentoring: 71% (95% CI 62–79%)" in svg
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 200  # room for the labels left of horizontal bars
ROW = 24  # height of a bar's row
INK, MUTED, ACCENT, SECOND, FAINT = "#1a1a1a", "#4a4a4a", "#0b57d0", "#b3261e", "#d0d7de"
LINE_COLOURS = ("#0b57d0", "#b3261e", "#1e7b34", "#8a4baf", "#a15c00", "#00676b")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "4 4")  # lines told apart without colour too


@dataclass(frozen=True)
class Bar:
    """One bar: a share with its interval; ``marker`` draws a second share as a diamond."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    marker: float | None = None
    note: str = ""  # e.g. "n=12, too few to tell"


@dataclass(frozen=True)
class Box:
    """One box of a box plot: quartiles, whiskers and how many values are behind it."""

    label: str
    q1: float
    median: float
    q3: float
    low: float
    high: float
    count: int


def bars(
    chart_id: str,
    title: str,
    rows: Sequence[Bar],
    *,
    marker_label: str | None = None,
    bar_label: str = "share",
) -> str:
    """Horizontal bars of shares (0–1) with their 95% intervals as whiskers."""
    legend = 22 if marker_label else 0
    height = 30 + legend + ROW * len(rows)
    plot = WIDTH - LABEL_WIDTH - 70
    parts = [_axis_ticks(LABEL_WIDTH, plot, 14 + legend, height - 8)]
    if marker_label:
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="10" fill="{ACCENT}"/>'
            f'<text x="{LABEL_WIDTH + 16}" y="13">{_e(bar_label)}</text>'
            f'<path d="{_diamond(LABEL_WIDTH + 190, 9)}" fill="{SECOND}"/>'
            f'<text x="{LABEL_WIDTH + 200}" y="13">{_e(marker_label)}</text>'
        )
    spoken = []
    for index, row in enumerate(rows):
        y = 20 + legend + index * ROW
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 12}" text-anchor="end">'
            f"{_e(_clip(row.label, 28))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{max(plot * row.value, 1):.1f}" '
            f'height="{ROW - 8}" fill="{ACCENT}" opacity="{0.45 if row.note else 0.85}"/>'
        )
        if row.low is not None and row.high is not None:
            x1, x2 = LABEL_WIDTH + plot * row.low, LABEL_WIDTH + plot * row.high
            mid = y + ROW / 2 - 2
            whisker = f"M{x1:.1f} {mid}H{x2:.1f}M{x1:.1f} {mid - 4}V{mid + 4}M{x2:.1f} {mid - 4}"
            parts.append(f'<path d="{whisker}V{mid + 4}" stroke="{INK}" fill="none"/>')
        if row.marker is not None:
            parts.append(
                f'<path d="{_diamond(LABEL_WIDTH + plot * row.marker, y + ROW / 2 - 2)}"'
                f' fill="{SECOND}"/>'
            )
        end = LABEL_WIDTH + plot * max(row.value, row.high or 0, row.marker or 0)
        parts.append(
            f'<text x="{end + 6:.1f}" y="{y + 12}" fill="{MUTED}">{row.value:.0%}'
            f"{' *' if row.note else ''}</text>"
        )
        spoken.append(_spoken(row, marker_label))
    return _svg(chart_id, title, "; ".join(spoken) or "no data", height, parts)


def histogram(
    chart_id: str,
    title: str,
    bins: Sequence[tuple[str, int]],
    *,
    highlight_from: str | None = None,
    unit: str = "postings",
) -> str:
    """Vertical bars of counts; bins from ``highlight_from`` on are drawn in the second colour."""
    height, top, bottom, left = 220, 14, 30, 44
    plot_w, plot_h = WIDTH - left - 10, height - top - bottom
    most = max((count for _, count in bins), default=0) or 1
    width = plot_w / max(len(bins), 1)
    labels = [label for label, _ in bins]
    start = labels.index(highlight_from) if highlight_from in labels else len(bins)
    parts = [
        f'<path d="M{left} {top}V{top + plot_h}H{WIDTH - 10}" stroke="{FAINT}" fill="none"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" fill="{MUTED}">{most}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" fill="{MUTED}">0</text>',
    ]
    for index, (label, count) in enumerate(bins):
        bar_h = plot_h * count / most
        x = left + index * width
        colour = SECOND if index >= start else ACCENT
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{top + plot_h - bar_h:.1f}" width="{width - 4:.1f}" '
            f'height="{bar_h:.1f}" fill="{colour}"/>'
            f'<text x="{x + width / 2:.1f}" y="{height - 12}" text-anchor="middle">'
            f"{_e(label)}</text>"
        )
        if count:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{top + plot_h - bar_h - 3:.1f}" '
                f'text-anchor="middle" fill="{MUTED}" font-size="11">{count}</text>'
            )
    spoken = "; ".join(f"{label}: {count} {unit}" for label, count in bins if count)
    return _svg(chart_id, title, spoken or "no data", height, parts)


def boxes(chart_id: str, title: str, rows: Sequence[Box], *, unit: str) -> str:
    """Horizontal box plots on one shared scale (quartiles as the box, median as the bar,
    whiskers to the furthest values within 1.5 IQR)."""
    height = 40 + ROW * len(rows)
    plot = WIDTH - LABEL_WIDTH - 30
    low = min((row.low for row in rows), default=0.0)
    high = max((row.high for row in rows), default=1.0)
    span = (high - low) or 1.0

    def at(value: float) -> float:
        return LABEL_WIDTH + plot * (value - low) / span

    parts = [
        f'<text x="{LABEL_WIDTH}" y="{height - 6}" fill="{MUTED}">{_e(_amount(low, unit))}</text>'
        f'<text x="{LABEL_WIDTH + plot}" y="{height - 6}" text-anchor="end" fill="{MUTED}">'
        f"{_e(_amount(high, unit))}</text>"
    ]
    spoken = []
    for index, row in enumerate(rows):
        y = 8 + index * ROW
        mid = y + ROW / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{mid + 4}" text-anchor="end">'
            f"{_e(_clip(row.label, 28))}</text>"
            f'<path d="M{at(row.low):.1f} {mid}H{at(row.q1):.1f}M{at(row.q3):.1f} {mid}'
            f'H{at(row.high):.1f}" stroke="{INK}" fill="none"/>'
            f'<rect x="{at(row.q1):.1f}" y="{y + 4}" width="{max(at(row.q3) - at(row.q1), 1):.1f}" '
            f'height="{ROW - 8}" fill="{ACCENT}" fill-opacity="0.25" stroke="{ACCENT}"/>'
            f'<path d="M{at(row.median):.1f} {y + 3}V{y + ROW - 3}" stroke="{INK}" '
            f'stroke-width="2.5"/>'
        )
        middle = f"{_amount(row.q1, unit)}–{_amount(row.q3, unit)}"
        spoken.append(
            f"{row.label}: median {_amount(row.median, unit)}, middle half {middle} "
            f"({row.count} postings)"
        )
    return _svg(chart_id, title, "; ".join(spoken) or "no data", height, parts)


def lines(
    chart_id: str, title: str, periods: Sequence[str], series: dict[str, Sequence[float | None]]
) -> str:
    """Shares (0–1) over periods, one line a series, a gap where a value is missing."""
    height, top, bottom, left, legend_w = 240, 14, 30, 44, 190
    plot_w, plot_h = WIDTH - left - legend_w - 10, height - top - bottom
    most = max((v for values in series.values() for v in values if v is not None), default=0)
    ceiling = max(0.1, min(1.0, (int(most * 10) + 1) / 10))  # the next 10% above the highest
    step = plot_w / max(len(periods) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h * (1 - value / ceiling)

    parts = [
        f'<path d="M{left} {top}V{top + plot_h}H{left + plot_w}" stroke="{FAINT}" '
        f'fill="none"/><text x="{left - 6}" y="{top + 10}" text-anchor="end" '
        f'fill="{MUTED}">{ceiling:.0%}</text><text x="{left - 6}" y="{top + plot_h}" '
        f'text-anchor="end" fill="{MUTED}">0%</text>'
    ]
    for index, period in enumerate(periods):
        parts.append(
            f'<text x="{left + index * step:.1f}" y="{height - 10}" '
            f'text-anchor="middle">{_e(period)}</text>'
        )
    spoken = []
    for number, (name, values) in enumerate(series.items()):
        colour, dash = LINE_COLOURS[number % 6], DASHES[number % 6]
        path, pen_down = [], False
        for index, value in enumerate(values):
            if value is None:
                pen_down = False
                continue
            x, y = point(index, value)
            path.append(f"{'L' if pen_down else 'M'}{x:.1f} {y:.1f}")
            pen_down = True
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        parts.append(
            f'<path d="{"".join(path)}" stroke="{colour}" stroke-width="2" fill="none"'
            f' stroke-dasharray="{dash}"/>'
            f'<path d="M{WIDTH - legend_w + 4} {top + 6 + number * 20}h24" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="{WIDTH - legend_w + 34}" y="{top + 10 + number * 20}">'
            f"{_e(_clip(name, 24))}</text>"
        )
        said = ", ".join(
            f"{p} {v:.0%}" for p, v in zip(periods, values, strict=True) if v is not None
        )
        spoken.append(f"{name}: {said or 'no data'}")
    return _svg(chart_id, title, "; ".join(spoken) or "no data", height, parts)


# --- Pieces --------------------------------------------------------------------------------------


def _svg(chart_id: str, title: str, description: str, height: int, parts: list[str]) -> str:
    ident = _e(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{INK}"><title id="{ident}-title">{_e(title)}</title>'
        f'<desc id="{ident}-desc">{_e(description)}</desc>{"".join(parts)}</svg>'
    )


def _axis_ticks(left: int, width: int, top: int, bottom: int) -> str:
    ticks = []
    for tenth in range(0, 11, 2):
        x = left + width * tenth / 10
        ticks.append(
            f'<path d="M{x:.1f} {top}V{bottom}" stroke="{FAINT}"/>'
            f'<text x="{x:.1f}" y="{top - 2}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="10">{tenth * 10}%</text>'
        )
    return "".join(ticks)


def _spoken(row: Bar, marker_label: str | None) -> str:
    said = f"{row.label}: {row.value:.0%}"
    if row.low is not None and row.high is not None:
        said += f" (95% CI {row.low * 100:.0f}–{row.high:.0%})"
    if row.marker is not None and marker_label:
        said += f", {marker_label} {row.marker:.0%}"
    return said + (f", {row.note}" if row.note else "")


def _diamond(x: float, y: float, r: float = 5) -> str:
    return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z"


def _amount(value: float, unit: str) -> str:
    return f"{unit} {value / 1000:,.0f}k"


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)
