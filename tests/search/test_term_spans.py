"""A result's snippet finds the query's words where the expression alone would (engine.highlight):
``_term_spans`` looks only where a word's first letters are, and must find what ``finditer``
finds in every text, those whose letters lower or fold oddly included."""

import random

import pytest

from leadboard.search.engine import _term_pattern, _term_spans, highlight

TEXTS = [
    "Lead the ML platform team; leadership of MLOps, mls and llms. Leading!",
    "STAFF Machine-Learning ENGINEER (ml/ai) — engineering_manager, engineers' lead",
    "İstanbul: lead İnference; ınfra",  # "İ" lowers to two characters
    "ſtaff ſcientiſt, ſenior",  # long s: matches "s" ignoring case, lowers to itself
    "Kelvin-scale kubernetes (the Kelvin sign lowers to k)",
    "München: Datenplattform, München data lead",
    "",
]
TERMS = [
    ("lead",),
    ("ml", "lead"),
    ("engineer", "staff"),
    ("staff", "scientist", "senior"),
    ("kubernetes",),
    ("münchen", "data"),
    ("llms", "mls", "ai"),
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_spans_are_those_the_expression_finds(text):
    for terms in TERMS:
        found = [m.span() for m in _term_pattern(terms).finditer(text)]
        assert _term_spans(text, terms) == found, terms


def test_the_spans_agree_on_random_text():
    rng = random.Random(7)
    words = ["lead", "Leader", "ML", "mls", "staff", "ſtaff", "İ", "data-lead", "x", "ai", "AIs"]
    for _ in range(300):
        text = rng.choice([" ", "", "_", "-"]).join(rng.choices(words, k=rng.randint(0, 25)))
        terms = tuple(rng.sample(["lead", "ml", "staff", "ai", "leadership"], rng.randint(1, 3)))
        assert _term_spans(text, terms) == [m.span() for m in _term_pattern(terms).finditer(text)]


def test_a_snippet_marks_every_query_word_in_its_window():
    text = "We hire a Staff ML engineer to lead our ML platform; the lead reports to the VP."
    assert highlight(text, ["staff", "ml", "lead"], chars=80) == (
        "We hire a <mark>Staff</mark> <mark>ML</mark> engineer to <mark>lead</mark> our "
        "<mark>ML</mark> platform; the <mark>lead</mark> reports to the VP."
    )
