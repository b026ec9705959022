"""The fuzz stage (issue 12, "Make it stay fixed"): every parser of outside input, fed anything.

Each property: the parser returns (or raises only its documented error) and does so within a time
bound per input. Examples are few per parser so the file runs in well under a minute; the long
run with 100,000 hostile inputs is ``bench/fuzz_parsers.py``.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leadboard.match.profile import read_profile
from leadboard.normalize.dates import parse_datetime
from leadboard.normalize.html import clean_description, html_to_text
from leadboard.normalize.location import find_workplace_signal, parse_location
from leadboard.normalize.salary import find_salary_in_text, parse_salary_text
from leadboard.normalize.title import clean_title
from leadboard.search.query import parse_amount, parse_query
from leadboard.sources.files import read_dump
from leadboard.sources.jsonld import parse_jsonld_page

# Linear time: a fixed allowance plus so much per MB of input; generous, as the machine is shared
# (real inputs take milliseconds; a quadratic parser blows through this at a few hundred kB).
SECONDS_BASE, SECONDS_PER_MB = 1.0, 10.0
FUZZ = settings(
    max_examples=60,
    deadline=None,  # timed by hand below: hypothesis' deadline flakes on a loaded machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text as hostile users write it: any unicode, control characters, and the characters parsers
# care about repeated (digits, separators, brackets, currency signs, markup).
PIECES = st.sampled_from(
    [
        "$",
        "€",
        "₹",
        "£",
        "CHF",
        "k",
        "LPA",
        ",",
        ".",
        "'",
        "\u202f",
        "-",
        "–",
        "/",
        " ",
        "\n",
        "\t",
        "\x00",
        "\x1b[31m",
        "<",
        ">",
        "</",
        "<script>",
        "&amp;",
        "&#",
        '"',
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "up to",
        "per month",
        "remote",
        "hybrid",
        "Senior",
        "2020",
        "Jan",
        "–present",
        "Python",
        "9" * 30,
        "\ud7ff",
        "\u200b",
        "\ufeff",
        "𝟗",
    ]
)
PAGE_URL = "https://jobs.example.com/1"
HOSTILE = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=200).map("".join),
    st.tuples(PIECES, st.integers(1, 20_000)).map(lambda pair: pair[0] * pair[1]),
)


def timed(parse: Callable[[], Any], size: int = 0) -> Any:
    # CPU time: the parsers run on one thread, and a busy machine must not fail them.
    started = time.process_time()
    result = parse()
    elapsed = time.process_time() - started
    allowed = SECONDS_BASE + SECONDS_PER_MB * size / 1e6
    assert elapsed < allowed, f"{elapsed:.2f} s for {size} characters"
    return result


@pytest.fixture(scope="module", autouse=True)
def loaded_once() -> None:
    """What parsers load on first use (place names, the skill vocabulary) is not input time."""
    parse_location(["London"], "remote")
    read_profile("Python engineer, 2019 - 2021")
    parse_query("staff ml remote $200k")


@FUZZ
@given(HOSTILE)
def test_salary(text: str) -> None:
    timed(lambda: (parse_salary_text(text), find_salary_in_text(text)), len(text))


@FUZZ
@given(st.lists(HOSTILE, max_size=4), st.one_of(st.none(), HOSTILE), HOSTILE)
def test_location(places: list[str], workplace: str | None, text: str) -> None:
    size = sum(map(len, places)) + len(workplace or "") + len(text)
    timed(lambda: (parse_location(places, workplace), find_workplace_signal(text)), size)


@FUZZ
@given(st.one_of(HOSTILE, st.integers(), st.floats(allow_nan=True), st.none()))
def test_dates(value: Any) -> None:
    timed(lambda: parse_datetime(value))


@FUZZ
@given(HOSTILE, st.sampled_from([None, "html", "text", "escaped_html", "markdown"]))
def test_html_cleaning(markup: str, kind: str | None) -> None:
    timed(lambda: (html_to_text(markup), clean_description(markup, kind)), len(markup))


@FUZZ
@given(st.one_of(HOSTILE, st.none()))
def test_title(raw: str | None) -> None:
    timed(lambda: clean_title(raw), len(raw or ""))


@FUZZ
@given(HOSTILE)
def test_search_query(raw: str) -> None:
    timed(lambda: parse_query(raw), len(raw))


@FUZZ
@given(HOSTILE)
def test_search_amount_raises_only_value_error(raw: str) -> None:
    with contextlib.suppress(ValueError):  # its documented error: "not an amount"
        timed(lambda: parse_amount(raw), len(raw))


@settings(FUZZ, max_examples=30)
@given(HOSTILE)
# One 20,000-character sentence of skill mentions: each mention read the whole sentence again
# for company talk (4 s of CPU).
@example("Python" * 3333)
def test_resume_text_profile(text: str) -> None:
    timed(lambda: read_profile(text), len(text))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(HOSTILE, children, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        key: JSON_VALUES
        for key in (
            "id",
            "title",
            "company",
            "description",
            "url",
            "location",
            "salary_text",
            "posted_at",
            "extra",
            "job_url",
            "raw_record",
        )
    },
)


@settings(FUZZ, max_examples=40)
@given(st.lists(st.one_of(RECORDS.map(json.dumps), HOSTILE), min_size=1, max_size=6))
def test_dump_lines_jsonl(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "dump.jsonl"
    path.write_text(
        "\n".join(line.replace("\n", " ") for line in lines),
        encoding="utf-8",
        errors="surrogatepass",
    )
    read_each(path)


@settings(FUZZ, max_examples=40)
@given(st.lists(st.lists(HOSTILE, min_size=4, max_size=4), max_size=6))
def test_dump_lines_csv(tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]) -> None:
    import csv

    path = tmp_path_factory.mktemp("fuzz") / "dump.csv"
    with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "description", "extra"])
        writer.writerows(rows)
    read_each(path)


def read_each(path: Path) -> None:
    from leadboard.sources.files import DumpFormatError

    with contextlib.suppress(DumpFormatError):  # the documented refusal of a file that is no dump
        when = datetime(2026, 1, 1, tzinfo=UTC)
        timed(lambda: list(read_dump(path, fetched_at=when)), path.stat().st_size)


@settings(FUZZ, max_examples=40)
@given(st.lists(st.one_of(RECORDS, JSON_VALUES), max_size=3), HOSTILE)
def test_jsonld_page(nodes: list[Any], noise: str) -> None:
    blocks = "".join(
        f'<script type="application/ld+json">{json.dumps({"@type": "JobPosting", **node})}</script>'
        if isinstance(node, dict)
        else f'<script type="application/ld+json">{json.dumps(node)}{noise[:50]}</script>'
        for node in nodes
    )
    page = f"<html><body>{noise}{blocks}</body></html>"
    timed(lambda: parse_jsonld_page(page, PAGE_URL, datetime(2026, 1, 1)), len(page))


@pytest.mark.parametrize(
    "hostile",
    ["[" * 100_000, "{" * 100_000, '<div class="' * 20_000, "<" * 200_000, "$1," * 100_000],
    ids=["brackets", "braces", "open-attributes", "angles", "money"],
)
def test_a_hostile_page_of_each_kind_parses_in_time(hostile: str) -> None:
    page = f'<script type="application/ld+json">{hostile}</script>{hostile}'
    timed(lambda: parse_jsonld_page(page, PAGE_URL, datetime(2026, 1, 1)), len(page))
    timed(lambda: html_to_text(hostile), len(hostile))
    timed(lambda: (parse_salary_text(hostile), find_salary_in_text(hostile)), len(hostile))
