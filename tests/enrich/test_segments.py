"""Cutting a posting into sentences once for every extractor (leadboard.enrich.segments)."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest

from leadboard.enrich import segments
from leadboard.enrich.duties import extract_duties
from leadboard.enrich.enricher import Enricher
from leadboard.enrich.segments import Segments, sentence_around, split_sentences
from leadboard.enrich.skills import extract_skills
from leadboard.enrich.years import extract_years
from leadboard.normalize.html import clean_description


def test_docstring_examples() -> None:
    result = doctest.testmod(segments)
    assert result.attempted >= 4 and result.failed == 0


# --- Sentences -----------------------------------------------------------------------------------

SPLITS = [
    # flattened bullets (most dumps lose their line breaks)
    (
        "What you'll do: - Build models - Mentor juniors. Requirements: - 5+ years",
        ["What you'll do:", "Build models", "Mentor juniors.", "Requirements:", "5+ years"],
    ),
    ("Line one\nLine two\n\n- bullet", ["Line one", "Line two", "bullet"]),
    ("• First thing • Second thing", ["First thing", "Second thing"]),
    # headings glued to the text before or after them
    (
        "industry conferences.QualificationsRequired: 3+ years",
        ["industry conferences.", "Qualifications", "Required:", "3+ years"],
    ),
    (
        "platform architectureQualificationsRequired",
        ["platform architecture", "Qualifications", "Required"],
    ),
    # markdown headings
    (
        "**About the Role** We build. **What You’ll Work On** - Ranking",
        ["About the Role", "We build.", "What You’ll Work On", "Ranking"],
    ),
    # bullets that lost their marks: a capitalised duty verb after a lower-case word
    (
        "help improve our offering Confidently interact with executives",
        ["help improve our offering", "Confidently interact with executives"],
    ),
    (
        "Implement unit tests Keep up-to-date with iOS",
        ["Implement unit tests", "Keep up-to-date with iOS"],
    ),
    # Python list reprs from CSV dumps
    ("['Build models', 'Work with product teams']", ["Build models", "Work with product teams"]),
    ("[\"Build the team's models\", 'Ship them']", ["Build the team's models", "Ship them"]),
    # clauses
    (
        "5+ years of Go preferred; strong SQL required",
        ["5+ years of Go preferred", "strong SQL required"],
    ),
    # what must stay whole: abbreviations, ranges
    ("Use Node.js and PyTorch, e.g. for serving.", ["Use Node.js and PyTorch, e.g. for serving."]),
    (
        "A degree (e.g. Computer Science) and an M.S. Degree",
        ["A degree (e.g. Computer Science) and an M.S. Degree"],
    ),
    (
        "Typically between 3 - 5 years of experience",
        ["Typically between 3 - 5 years of experience"],
    ),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


@pytest.mark.parametrize("text", [t for t, _ in SPLITS])
def test_sentence_offsets_point_into_the_text(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


# --- Finding a span's sentence -------------------------------------------------------------------

TEXT = "Requirements: - 5+ years of Python - Go. Benefits: Dental"


def test_a_span_is_placed_in_its_sentence() -> None:
    segments = Segments(TEXT)
    start = TEXT.index("Python")
    assert TEXT[slice(*segments.sentence_at(start, start + 6))] == "5+ years of Python"


def test_a_span_across_sentences_gets_all_of_them() -> None:
    segments = Segments(TEXT)
    start, end = TEXT.index("Python"), TEXT.index("Go") + 2
    assert TEXT[slice(*segments.sentence_at(start, end))] == "5+ years of Python - Go."


def test_a_span_on_a_bullet_mark_keeps_its_own_start() -> None:
    dash = TEXT.index("- Go")
    assert Segments(TEXT).sentence_at(dash, dash + 1)[0] == dash


def test_the_sentences_before_and_after_a_position() -> None:
    segments = Segments(TEXT)
    go = TEXT.index("Go")
    before, after = segments.sentence_before(go), segments.sentence_after(go + 1)
    assert before is not None and before.text == "5+ years of Python"
    assert after is not None and after.text == "Benefits:"
    assert segments.sentence_before(0) is None and segments.sentence_after(len(TEXT)) is None


def test_sentence_around_reads_only_a_window_of_a_long_text() -> None:
    text = "x" * 5000 + ". Python and Rust. " + "Y" * 5000
    start = text.index("Python")
    assert text[slice(*sentence_around(text, start, start + 6))] == "Python and Rust."


# --- One segmentation for every extractor --------------------------------------------------------

POSTING = (
    "About Acme: we build search. Responsibilities: - Mentor engineers and review code - "
    "Design the ranking architecture. Requirements: - 5+ years of Python; Go is a plus"
)


def test_the_extractors_read_the_sentences_they_are_given() -> None:
    segments = Segments(POSTING)
    sentences = {(s.start, s.end) for s in segments.sentences}
    duties = extract_duties(POSTING, "Engineering Manager", segments)
    for spans in duties.evidence.values():
        assert all((span.start, span.end) in sentences for span in spans if span.start is not None)
    years = extract_years(POSTING, segments)
    assert years.evidence is not None
    assert (years.evidence.start, years.evidence.end) in sentences  # "5+ years of Python"
    skills = {m.name: m.required for m in extract_skills(POSTING, segments)}
    # "a plus" is read in Go's own clause, not in Python's
    assert skills == {"Search and Ranking": None, "Python": True, "Go": False}


def test_the_enricher_gives_what_each_extractor_gives_alone() -> None:
    result = Enricher(role_model=None).enrich({"id": "1", "title": "ML Manager", "text": POSTING})
    alone = Segments(POSTING)
    assert result.duties == extract_duties(POSTING, "ML Manager", alone).duties
    assert result.years_evidence == extract_years(POSTING, alone).evidence
    assert result.skills == extract_skills(POSTING, alone)


def test_spark_capital_is_an_investor_not_a_skill() -> None:
    text = "Backed by Spark Capital, you will build models in Python."
    assert [m.name for m in extract_skills(text)] == ["Python"]


# --- The first-character test before the boundaries ----------------------------------------------

EVERY_KIND_OF_BOUNDARY = (
    "Line one\n\nLine two. Two! Three? e.g. a Ph.D. or M.S. Sr. vs. Jr. Clause; next: Heading: "
    "Text - bullet • dot ▪ mark * star **About the Role** customers.Job Description "
    "QualificationsRequired offering Engage with us: 'a', 'b'\", 'c' 3 - 5 years (Lead) Mentor"
)


def real_texts(data_dir: Path, per_dump: int) -> list[str]:
    """Clean descriptions of ``per_dump`` postings spread through each real dump."""
    texts = []
    for path in sorted((data_dir / "postings").glob("*/postings.jsonl")):
        with path.open() as file:
            lines = [line for line in file if line.strip()]
        for line in lines[:: max(1, len(lines) // per_dump)][:per_dump]:
            row = json.loads(line)
            texts.append(
                clean_description(row.get("description"), row.get("description_format")).text
            )
    return texts


def boundaries(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


@pytest.mark.shared_data
def test_the_first_character_test_changes_no_boundary(shared_data_dir: Path) -> None:
    """``_BOUNDARY`` tries its alternatives only where a boundary can start; the boundaries are
    those of the alternatives alone, on every kind of boundary and on real postings."""
    alone = re.compile(segments.BOUNDARIES)
    assert len(boundaries(alone, EVERY_KIND_OF_BOUNDARY)) >= 15
    for text in [EVERY_KIND_OF_BOUNDARY, *real_texts(shared_data_dir, 40)]:
        assert boundaries(segments._BOUNDARY, text) == boundaries(alone, text)
