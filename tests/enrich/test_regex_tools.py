"""``fold_case``: a lower-case pattern on folded text finds what it finds with IGNORECASE."""

import re

import pytest

from leadboard.enrich import role
from leadboard.enrich.regex_tools import fold_case

# Characters that match an ASCII letter only case-insensitively, and ones that look like one but
# do not: the Kelvin sign, long s, dotted and dotless I, the German sharp s, accents, ligatures.
TRICKY = [
    "Staff ML Engineer: Machine Learning, PYTORCH, LLMs and Kubernetes",
    "\u212aubernetes, ſcalable Inference, İNFERENCE, ınference, MACHİNE LEARNİNG",
    "Straße-Analysen, ﬁne-tuning, Ｌａｔｅｎｃｙ, Ａnalytics, café dashboards",
    "NLP/CV — RLHF · A/B tests; ROADMAP; Go-To-Market; C++ & Node.js",
]
DESCRIPTION_PATTERNS = [
    role._D_ML,
    role._D_ANALYTICS,
    role._D_LEAD,
    role._D_GO_TO_MARKET,
    role._D_SOFTWARE,
]


def test_folding_keeps_length_and_changes_only_what_matches_a_letter() -> None:
    for text in TRICKY:
        folded = fold_case(text)
        assert len(folded) == len(text)
        for before, after in zip(text, folded, strict=True):
            if before != after:
                assert re.fullmatch(after, before, re.IGNORECASE)


@pytest.mark.parametrize("pattern", DESCRIPTION_PATTERNS, ids=lambda p: p.pattern[:30])
def test_folded_patterns_find_what_ignorecase_finds(pattern: re.Pattern[str]) -> None:
    assert not pattern.flags & re.IGNORECASE  # what makes them fast
    ignorecase = re.compile(pattern.pattern, re.IGNORECASE)
    for text in TRICKY:
        assert pattern.findall(fold_case(text)) == [
            fold_case(found) for found in ignorecase.findall(text)
        ]
