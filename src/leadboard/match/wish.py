"""The role a résumé says its author is looking for, from its summary.

Career changers, new graduates and people stepping up say what they want in their summary
("Financial analyst … want a junior data scientist or machine learning role", "Graduating
student looking for an entry-level software engineer role", "Looking for a staff frontend or
frontend tech lead role"). Their latest title says where they were, not where they are going:
the matcher scores the kind of work and the level against the wish where there is one.

>>> wish = wish_of("Analyst for five years. I want a junior data scientist or ML role, ideally "
...                "in finance.")
>>> wish.text, wish.levels, wish.names_role
('junior data scientist or ML', ('junior',), True)
>>> wish_of("Not looking for management; want a mid-to-senior data engineer role.").levels
('mid', 'senior')
>>> wish_of("Shipped ranking models for ten years.").text
''
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadboard.models import Seniority

# "looking for", "seeking", "want a", "want to grow into", "moving into" … and what
# follows, up to the end of the clause (a comma or a stop: "…role, ideally in finance") or to
# where it goes on about the place or the team ("… role in the Bay Area", "… on a backend team").
_INTENT = re.compile(
    r"\b(?:looking\s+for|seeking|(?:want|hope|aim)(?:s|ing)?(?:\s+to\s+(?:grow|move|step)"
    r"(?:\s+up)?\s+into)?|moving\s+into|transition(?:ing)?\s+into)\s+"
    r"(?P<what>[^.,;:!?()\n]{3,90}?)(?=\s+(?:in|at|on|where|with|for|ideally|preferably)\b|"
    r"[.,;:!?()\n]|$)",
    re.IGNORECASE,
)
_DENIED = re.compile(r"\b(?:not|no|never|nor)\s+$", re.IGNORECASE)
# A role word: the wish names a kind of work, not just a field ("moving into machine learning").
_ROLE_WORD = re.compile(
    r"\b(?:engineer\w*|scientist|analyst|developer|researcher|manager|director|head|lead|"
    r"architect|sre|designer|role|position|job)\b",
    re.IGNORECASE,
)
_LEVEL_WORDS: tuple[tuple[re.Pattern[str], Seniority], ...] = (
    (re.compile(r"\b(?:intern(?:ship)?s?|co-?op)\b", re.I), "intern"),
    (
        re.compile(r"\b(?:junior|jr\.?|entry[- ]level|new[- ]grad(?:uate)?|graduate)\b", re.I),
        "junior",
    ),
    (re.compile(r"\bmid(?:[- ]level)?\b", re.I), "mid"),
    (re.compile(r"\b(?:senior|sr\.?|(?:tech(?:nical)?\s+)?lead)\b", re.I), "senior"),
    (re.compile(r"\bstaff\b", re.I), "staff"),
    (re.compile(r"\bprincipal\b", re.I), "principal"),
    (re.compile(r"\b(?:manager|management)\b", re.I), "manager"),
    (re.compile(r"\b(?:director|head of)\b", re.I), "director"),
)
_ORDER = [level for _, level in _LEVEL_WORDS]
_FILLER = re.compile(
    r"^(?:an?|the)\s+|\s+(?:roles?|positions?|jobs?|opportunit(?:y|ies))$", re.IGNORECASE
)


@dataclass(frozen=True)
class Wish:
    """What the person is looking for: the words that say it, without the article and the
    "role" around them (``""``: nothing said), the levels they name (none: the person's own
    level stands), and whether they name a kind of work ("a data engineer role"), not only a
    field ("machine learning")."""

    text: str = ""
    levels: tuple[Seniority, ...] = ()
    names_role: bool = False


def wish_of(summary: str) -> Wish:
    """The wish a summary states, every clause of it together ("moving into machine learning";
    "a junior data scientist role"); a clause that denies it ("not looking for management") is
    left out.

    >>> wish_of("Moving into machine learning. Seeking a junior ML engineer role.")
    Wish(text='machine learning; junior ML engineer', levels=('junior',), names_role=True)
    >>> wish_of("Looking for a senior or staff SRE / platform role, remote.").levels
    ('senior', 'staff')
    """
    clauses = [
        match.group("what").strip()
        for match in _INTENT.finditer(summary)
        if not _DENIED.search(summary[max(0, match.start() - 12) : match.start()])
    ]
    text = "; ".join(clauses)
    levels = {level for pattern, level in _LEVEL_WORDS if pattern.search(text)}
    # The bare role reads closer to job titles: "senior iOS engineer", not "a senior iOS role".
    bare = "; ".join(_FILLER.sub("", clause).strip() for clause in clauses)
    return Wish(bare, tuple(sorted(levels, key=_ORDER.index)), bool(_ROLE_WORD.search(text)))
