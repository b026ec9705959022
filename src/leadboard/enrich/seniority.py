"""Seniority: the level a role is hired at, by the rules of ``data/labels/GUIDELINES.md``.

The title decides first ("Staff", "Sr.", "Head of", "VP", "II"…); a title without a level takes it
from the years of experience required (5+ → senior, 2–4 → mid, 0–1 → junior) and is ``mid`` when no
years are given. Rules, not a model: they are readable, they follow the guidelines word for word,
and on the tune labels they beat the learned models we tried.

>>> seniority_of("Staff Machine Learning Engineer").level
'staff'
>>> seniority_of("Data Analyst", years_min=1).level
'junior'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from leadboard.models import Seniority

Source = Literal["title", "text", "years", "default"]

# Levels from lowest to highest. When a title names one level, the highest one found wins
# ("Senior Manager" → manager, "Associate Director" → director); "intern" beats everything
# ("Product Manager MBA Intern" is an internship).
_ORDER: tuple[Seniority, ...] = (
    "junior",
    "mid",
    "senior",
    "staff",
    "principal",
    "manager",
    "director",
    "executive",
)
_RANK = {level: rank for rank, level in enumerate(_ORDER)}

_INTERN = re.compile(
    r"\b(?:interns?|internships?|co-?op|working student|student|trainee|apprentice(?:ship)?)\b",
    re.IGNORECASE,
)
_EXECUTIVE = re.compile(
    r"\b(?:vp|s?vp|evp|avp|vice[- ]president|chief(?!\s+of\s+staff)|c[teoifm]o|ciso|cpo|"
    r"president)\b",
    re.IGNORECASE,
)
_DIRECTOR = re.compile(r"\b(?:director|head\s+of|head\s*[,:\-–]|global\s+head)\b|^head\b", re.I)
_PRINCIPAL = re.compile(
    r"\b(?:principal|distinguished|(?<!postdoctoral )(?<!postdoc )(?<!research )fellow)\b", re.I
)
_STAFF = re.compile(r"\bstaff\+?(?!ing)\b", re.IGNORECASE)
# "Staff" that is not a level: "Member of Technical Staff", "Chief of Staff", "Staff Accountant".
_STAFF_NOT_LEVEL = re.compile(
    r"\bmember\s+of\s+(?:the\s+)?(?:\w+\s+)?staff\b|\bchief\s+of\s+staff\b|\bstaff\s+accountant\b",
    re.IGNORECASE,
)
_MANAGER = re.compile(r"\b(?:manager|mgr|leader)\b", re.IGNORECASE)
# A "manager" that manages a product, an account or a programme, not people (GUIDELINES.md).
_NOT_PEOPLE_MANAGER = re.compile(
    r"\b(?:product|program|programme|project|account|accounts|partner|partnerships?|success|"
    r"engagement|outcomes|deployment|campaign|marketing|relations|relationship|community|"
    r"content|brand|category|channel|territory|client|portfolio|release|launch|case|event|"
    r"events|commercialization|gtm|thought|vendor|facilities|property|construction|test)"
    r"\s+(?:\w+\s+)?(?:manager|mgr|leader)\b",
    re.IGNORECASE,
)
# ...but these make it a people manager again: "Group Product Manager", "Manager, Data Science",
# "Senior Manager of Analytics".
_PEOPLE_MANAGER = re.compile(
    r"\b(?:group|engineering|development|team|people|line)\s+(?:\w+\s+)?(?:manager|leader)\b"
    r"|^(?:(?:senior|sr\.?)\s+)?manager\b",
    re.IGNORECASE,
)
_SENIOR = re.compile(
    r"\b(?:senior|sr|snr|lead|tech\s+lead|iii|iv|level\s+(?:3|iii|iv))\b", re.IGNORECASE
)
# A bare "2" or "1" after a word counts as a level ("Account Manager 2"), not one in "2026".
_MID = re.compile(r"\b(?:ii|level\s+(?:2|ii))\b|(?<=[a-z] )2(?=\s*(?:$|[(,\-–|]))", re.I)
_JUNIOR = re.compile(
    r"\b(?:junior|jr|entry[- ]level|new\s+grad(?:uate)?s?|graduate|early[- ]career|associate)\b",
    re.IGNORECASE,
)
# Roman "I" only in its own word and upper-case, so "I / DD" or a pronoun is not read as a level.
_LEVEL_ONE = re.compile(r"(?<![\w/])I\b(?!\s*/)|(?<=[A-Za-z] )1(?=\s*(?:$|[(,\-–|]))")
# "Associate" that is not junior: "Associate General Counsel", "Associate Director/Principal".
_ASSOCIATE_NOT_JUNIOR = re.compile(r"\bassociate\s+(?:general\s+counsel|partner)\b", re.I)
# Two levels offered in one title ("Senior/Staff", "Staff to Principal", "Staff + Sr."); not a
# level and its own senior band ("Principal / Sr Principal" is principal).
_LEVEL_WORD = r"(?:junior|jr\.?|mid|senior|sr\.?|staff|principal|lead)"
_TWO_LEVELS = re.compile(
    rf"\b({_LEVEL_WORD})\s*(?:/|\bor\b|\bto\b|-|–|&|\+)\s*({_LEVEL_WORD})\b"
    r"(?!\.?\s+(?:staff|principal)\b)",
    re.IGNORECASE,
)
_WORD_LEVEL: dict[str, Seniority] = {
    "junior": "junior",
    "jr": "junior",
    "jr.": "junior",
    "mid": "mid",
    "senior": "senior",
    "sr": "senior",
    "sr.": "senior",
    "lead": "senior",
    "staff": "staff",
    "principal": "principal",
}

# Text that clearly says the role supervises people ("a role that clearly supervises people is
# manager whatever its title").
_SUPERVISES_PEOPLE = re.compile(
    r"\b(?:(?<!experience )(?:manage|managing|lead|leading|supervise|supervising|hire|hiring|"
    r"grow|growing|build|building|recruit)(?:\s*(?:,|and|&)\s*(?:inspire|lead|manage|develop|grow|mentor|"
    r"retain))*\s+(?:a|the|your|our)\s+(?:\w+\s+){0,3}team\s+of\s+(?:\d+\+?\s+|\w+\s+)?"
    r"(?:[\w-]+\s+){0,3}(?:engineers|scientists|analysts|managers|researchers|people|members)"
    r"|directly\s+manag(?:e|ing)|direct\s+reports\b(?!\s*:?\s*(?:none|n/a|no\b))"
    r"|supervis(?:e|ing)\s+(?:the|a)\s+[\w\s]{0,40}?team"
    r"|\d+\+?\s+years?\s+(?:of\s+)?(?:experience\s+)?(?:managing|supervising)(?:/\w+)?\s+"
    r"(?:a\s+team|teams|people|direct))",
    re.IGNORECASE,
)


# Where a title names no level, the text often names it with the title: "we are seeking a Senior
# Solutions Architect", "As a Staff Software Engineer on our team".
_TEXT_LEVEL_WORD = (
    r"(?P<level>senior|sr\.?|staff|principal|lead|junior|entry[- ]level|mid[- ]level)"
    r"(?:\s*/\s*(?:senior|staff|principal))?"
)
_TEXT_INTRO = r"\b(?:seeking|looking\s+for|to\s+hire|hiring|as)\s+(?:an?\s+)?(?:[\w-]+,?\s+){0,5}?"
_TEXT_LEVEL_NAMES: dict[str, Seniority] = {
    "senior": "senior",
    "sr": "senior",
    "sr.": "senior",
    "lead": "senior",
    "staff": "staff",
    "principal": "principal",
    "junior": "junior",
    "entry-level": "junior",
    "entry level": "junior",
    "mid-level": "mid",
    "mid level": "mid",
}


@dataclass(frozen=True)
class SeniorityResult:
    """A level with what decided it: the title, the text, the years required, or the default."""

    level: Seniority
    source: Source
    evidence: str = ""


def title_level(title: str | None) -> tuple[Seniority, str] | None:
    """The level a title names, with the words that name it; ``None`` when it names none.

    >>> title_level("Senior/Staff Machine Learning Engineer")
    ('senior', 'Senior/Staff')
    >>> title_level("Technical Program Manager") is None
    True
    """
    if not title or not title.strip():
        return None
    text = " ".join(title.split())
    if match := _INTERN.search(text):
        return "intern", match.group(0)
    found: list[tuple[Seniority, str]] = []
    above_manager: tuple[tuple[re.Pattern[str], Seniority], ...] = (
        (_EXECUTIVE, "executive"),
        (_DIRECTOR, "director"),
    )
    for pattern, level in above_manager:
        if match := pattern.search(text):
            found.append((level, match.group(0)))
    if (match := _MANAGER.search(text)) and _is_people_manager(text):
        found.append(("manager", match.group(0)))
    if match := _PRINCIPAL.search(text):
        found.append(("principal", match.group(0)))
    if (match := _STAFF.search(_STAFF_NOT_LEVEL.sub(" ", text))) is not None:
        found.append(("staff", match.group(0)))
    if match := _SENIOR.search(text):
        found.append(("senior", match.group(0)))
    if match := _MID.search(text):
        found.append(("mid", match.group(0)))
    junior_text = _ASSOCIATE_NOT_JUNIOR.sub(" ", text)
    if (match := _JUNIOR.search(junior_text)) or (match := _LEVEL_ONE.search(junior_text)):
        found.append(("junior", match.group(0)))
    if not found:
        return None
    if (pair := _TWO_LEVELS.search(text)) is not None:
        # Two levels in one title → the lower one, unless a higher band (manager+) is named too.
        low = min((_WORD_LEVEL[w.lower()] for w in pair.groups()), key=_RANK.__getitem__)
        if all(_RANK[level] <= _RANK["principal"] for level, _ in found):
            return low, pair.group(0)
    return max(found, key=lambda item: _RANK[item[0]])


def _is_people_manager(title: str) -> bool:
    """'Manager' that manages people, not a product, programme or account."""
    if _PEOPLE_MANAGER.search(title):
        return True
    return not _NOT_PEOPLE_MANAGER.search(title)


def _level_named_in_text(title: str, text: str) -> tuple[Seniority, str] | None:
    """The level the text gives the title: "seeking a Senior Solutions Architect" → senior."""
    head = re.split(r"\s*[,\-–(|/:]\s*", title.strip())[0].strip()
    if len(head) < 4:
        return None
    title_words = re.escape(head) + r"s?\b"
    # The full pattern is compiled per title (milliseconds): only for a text that names the title.
    if not re.search(title_words, text, re.I):
        return None
    pattern = re.compile(_TEXT_INTRO + _TEXT_LEVEL_WORD + r"\s+" + title_words, re.I)
    if (match := pattern.search(text)) is None:
        return None
    return _TEXT_LEVEL_NAMES[match.group("level").lower()], match.group(0)


def level_from_years(years_min: int | None) -> Seniority:
    """The level of a title without one, from the years required (GUIDELINES.md).

    >>> [level_from_years(y) for y in (None, 0, 3, 8)]
    ['mid', 'junior', 'mid', 'senior']
    """
    if years_min is None:
        return "mid"
    if years_min >= 5:
        return "senior"
    if years_min >= 2:
        return "mid"
    return "junior"


def seniority_of(
    title: str | None, text: str | None = None, years_min: int | None = None
) -> SeniorityResult:
    """The level a role is hired at: the title first, then the text, then the years required.

    ``years_min`` is the experience the posting requires (``leadboard.enrich.years``); pass it
    when known so this function stays pure.

    >>> seniority_of("Engineering Manager, Inference").level
    'manager'
    >>> seniority_of("Technical Program Manager", years_min=6).level
    'senior'
    >>> seniority_of("Machine Learning Engineer").level
    'mid'
    """
    named = title_level(title)
    if named is not None:
        level, words = named
        if level == "senior" and text and (match := _SUPERVISES_PEOPLE.search(text)):
            return SeniorityResult("manager", "text", match.group(0))
        return SeniorityResult(level, "title", words)
    if text and (match := _SUPERVISES_PEOPLE.search(text)):
        return SeniorityResult("manager", "text", match.group(0))
    if text and title and (named_in_text := _level_named_in_text(title, text)) is not None:
        return SeniorityResult(named_in_text[0], "text", named_in_text[1])
    if years_min is not None:
        return SeniorityResult(level_from_years(years_min), "years", f"{years_min}+ years")
    return SeniorityResult("mid", "default", "")


def posting_seniority(posting: dict[str, Any]) -> SeniorityResult:
    """Seniority of a raw posting (``title``, ``description``, ``description_format``).

    Extracts the text and the years required itself; use ``seniority_of`` when you have them.

    >>> posting_seniority({"title": "Head of AI", "description": ""}).level
    'director'
    """
    from leadboard.normalize.html import clean_description

    text = clean_description(posting.get("description"), posting.get("description_format")).text
    return seniority_of(posting.get("title"), text, years_required(text))


def years_required(text: str) -> int | None:
    """The minimum years of experience a text requires, via ``leadboard.enrich.years``."""
    try:
        from leadboard.enrich.years import extract_years
    except ImportError:  # built in parallel; without it a plain title is levelled 'mid'
        return None
    return extract_years(text).years_min
