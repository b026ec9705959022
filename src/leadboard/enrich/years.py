"""Years of professional experience a posting requires, with the phrase that says so.

GUIDELINES.md ("years_min, years_max") is the spec: the *required* experience ("8+ years" → 8,
None; "5–7 years" → 5, 7; "a decade" → 10); alternatives by degree → the smallest; several
requirements → the general one for the role, not a single tool's or a sub-requirement's
("3+ years of Python" beside "8+ years of software engineering" → 8); nothing stated → None.

The phrasing is formulaic and the evidence must point at characters of the text, so this is a
handful of regular expressions and context rules rather than a model:

1. find every "<number> years" phrase (digits, number words, ranges, "a decade", "6 months"
   → 0, "Years of experience: 3-5");
2. drop those that are not the candidate's experience (company age, benefits, ages, terms…);
3. give each a tier from its section header and its own clause: required; "ideally" / "desired"
   (counts only when nothing is required, as the tune labels do); preferred / nice-to-have /
   bonus (never counts: the labels give null when only those state years);
4. choose among the best tier: a "total" / "overall" figure; else degree alternatives (their
   first run) → the smallest; else the largest figure that is not a sub-requirement, a single
   tool's or a management one (those usually ask for fewer years than the role's).

>>> result = extract_years("Requirements: 8+ years of software engineering; 3+ years of Python.")
>>> result.years_min, result.years_max, result.evidence.text
(8, None, '8+ years of software engineering')
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from enum import IntEnum

from leadboard.enrich.segments import Segments
from leadboard.models import Evidence

# --- Numbers -------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "a": 1,
    "an": 1,
}
_WORD = "|".join(word for word in _NUMBER_WORDS if len(word) > 2)
# One number: "5", "five", "three (3)", "(3)", "(5+)". At most two digits, and not glued to a
# digit, "$" or thousands separator, so "2019" and "$150,000" never start one; a full stop may
# touch it ("Science).8+ years" in scraped text) unless it is a decimal point.
_NUM = (
    rf"(?:(?<![\d$,])(?<!\d\.)\d{{1,2}}(?![\d,])|\b(?:{_WORD})\b(?:\s*\(\d{{1,2}}\+?\))?|"
    rf"\(\d{{1,2}}\)|(?<=\()\d{{1,2}})"
)
_DASH = r"(?:\s*(?:-|–|—|to|/)\s*|\s+(?=\d))"  # "3 5 years": a dash lost in scraping
_PLUS = r"(?:\s*\+|\s*-?\s*plus\b|\s+or\s+more\b)"
_UNIT = r"(?:years?|yrs?|yoe)(?:'s|’s|'|’|rsquo|\?(?=\s*exp))?(?![a-z])"  # "years? exp": lost ’

# "5+ years", "5 - 7 yrs", "three (3) years or more", "two-plus years", "8 or more years",
# "10+ years'", "between 3 and 5 years". Matched on lower-cased text near a unit word that a
# cheap scan found first.
_YEARS = re.compile(
    rf"(?P<between>between\s+)?(?P<low>{_NUM})(?:(?:{_DASH}|(?P<and>\s+and\s+))(?P<high>{_NUM}))?"
    rf"(?P<plus>{_PLUS})?\s*-?\s*(?P<unit>{_UNIT})"
    rf"(?P<more>\s+or\s+(?:more|greater|longer|above)\b|\s*\+)?"
)
# "Years of experience: 3-5", where the number follows the words.
_YEARS_LABELLED = re.compile(
    rf"(?P<unit>years?)\s+of\s+(?:[a-z]+\s+)?experience(?:\s+required)?\s*[:\-–]?\s*"
    rf"(?:minimum\s+|at\s+least\s+)?(?P<low>{_NUM})(?:{_DASH}(?P<high>{_NUM}))?(?P<plus>{_PLUS})?"
    r"(?!\s*\+?\s*(?:years?|yrs?|months?|decades?|-|\d))"
)
# "a decade", "over two decades", "3 decades".
_DECADES = re.compile(r"(?:\b(?P<word>a|one|two|three)|(?P<digits>\d))\s+(?P<unit>decades?)\b")
# "six months of experience": under a year, so a floor of 0 years.
_MONTHS = re.compile(rf"(?P<low>\d{{1,2}}|\b(?:{_WORD}))\s*\+?\s*(?P<unit>months?)\b")
_UNIT_ANCHOR = re.compile(r"y(?:ears?|rs?|oe)(?![a-qt-z])|decades?\b|months?\b")
# "8+ work experience", "5+ working experience", "2+ of experience": the word "years" dropped.
# Only with a "+" and "of" or a kind of experience ("Python 3+ experience" is a version). Found
# from the "+" (a literal start makes the scan cheap), then the number just before it.
_EXPERIENCE_KIND = r"(?:work|working|professional|industry|relevant)\s+"
_YEARS_UNSAID = re.compile(
    rf"\+\s*(?:of\s+(?:{_EXPERIENCE_KIND})?|{_EXPERIENCE_KIND})(?P<unit>experience)\b"
)
_UNSAID_NUMBER = re.compile(r"(?<![\d$,.])(?P<low>\d{1,2})\s*$")
_NUMBER_REACH = 30  # characters before a unit word where its number can start

MAX_PLAUSIBLE_YEARS = 25  # "30 years of investing experience" is a company's, not a candidate's


def _number(token: str) -> int:
    """'5' → 5, 'five' → 5, 'three (3)' → 3, '(3)' → 3."""
    digits = re.search(r"\d+", token)
    if digits:
        return int(digits.group())
    return _NUMBER_WORDS[token.strip()]


@dataclass(frozen=True)
class _Phrase:
    """A number of years as written: "5-7 years" is low 5, high 7; "8+ years" high None."""

    low: int
    high: int | None
    start: int
    end: int
    unit: str  # "year", "decade" or "month", as written


def _years_phrase(match: re.Match[str]) -> _Phrase | None:
    """The phrase a _YEARS or _YEARS_LABELLED match states, or None for a reversed range."""
    low = _number(match.group("low"))
    high = _number(match.group("high")) if match.group("high") else None
    start = match.start()
    if match.groupdict().get("and") and not match.group("between"):
        # "PhD and 5 years": "and" joins a range only after "between".
        low, high, start = high or low, None, match.start("high")
    # "3-5+ years" and "7/8+ years" read as 3 and 7 and more (so do the labels).
    if high is not None and (match.group("plus") or match.groupdict().get("more")):
        high = None
    if high is not None and high <= low:
        return None
    return _Phrase(low, high, start, match.end(), "year")


def _phrases(lowered: str) -> list[_Phrase]:
    """Every "<n> years", "<n> decades" and "<n> months" phrase, in reading order."""
    found: dict[int, _Phrase] = {}  # keyed by the unit word's offset
    for anchor in _UNIT_ANCHOR.finditer(lowered):
        unit_at = anchor.start()
        if unit_at in found:
            continue
        window = (max(0, unit_at - _NUMBER_REACH), min(len(lowered), anchor.end() + 20))
        unit = lowered[unit_at]
        pattern = _DECADES if unit == "d" else _MONTHS if unit == "m" else _YEARS
        for match in pattern.finditer(lowered, *window):
            if match.start("unit") != unit_at:
                continue
            if unit == "d":
                number = _number(match.group("word") or match.group("digits"))
                found[unit_at] = _Phrase(10 * number, None, match.start(), match.end(), "decade")
            elif unit == "m":
                months = _number(match.group("low"))
                found[unit_at] = _Phrase(months // 12, None, match.start(), match.end(), "month")
            elif phrase := _years_phrase(match):
                found[unit_at] = phrase
        if unit == "y" and unit_at not in found:
            labelled = _YEARS_LABELLED.match(lowered, unit_at, min(len(lowered), unit_at + 80))
            if labelled and (phrase := _years_phrase(labelled)):
                found[unit_at] = phrase
    for unsaid in _YEARS_UNSAID.finditer(lowered):
        digits = _UNSAID_NUMBER.search(lowered, max(0, unsaid.start() - 4), unsaid.start())
        if digits:
            low = int(digits.group("low"))
            found[unsaid.start("unit")] = _Phrase(low, None, digits.start(), unsaid.end(), "year")
    ordered = sorted(found.values(), key=lambda phrase: phrase.start)
    # "2 years and 6 months": the months refine the years, they are no requirement of their own.
    return [
        phrase
        for previous, phrase in zip([None, *ordered], ordered, strict=False)
        if not (
            previous is not None
            and (previous.unit, phrase.unit) == ("year", "month")
            and re.fullmatch(r"\s*(?:and|,)?\s*", lowered[previous.end : phrase.start])
        )
    ]


# --- Text structure: clauses and section headers -------------------------------------------------


_CLAUSE_REACH = 300  # characters a clause may reach either side of its phrase


def _clause(text: str, segments: Segments, phrase: _Phrase) -> tuple[int, int]:
    """The sentence that states a phrase, read with the labels before it on the same line ("For
    M.S. holders: 10+ years") and with what it labels ("0-3 years: Must have the ability…")."""
    start, end = segments.sentence_at(phrase.start, phrase.end)
    while (
        (label := segments.sentence_before(start))
        and label.text.endswith(":")
        and label.start >= phrase.start - _CLAUSE_REACH
        and "\n" not in text[label.end : start]
    ):
        start = label.start
    if (
        text[phrase.end : end].strip(" *_") == ":"
        and (labelled := segments.sentence_after(end))
        and "\n" not in text[end : labelled.start]
    ):
        end = min(labelled.end, phrase.end + _CLAUSE_REACH)
    return start, end


class Tier(IntEnum):
    """How binding a mention is; lower is stronger."""

    REQUIRED = 0
    IDEAL = 1  # "Ideally you'd have", "Desired": the labels count it when nothing is required
    PREFERRED = 2  # "Preferred", "Nice to have", "Bonus": never counts


# Section headers, matched on lower-cased text (a case-sensitive scan is several times faster).
# Multi-word headers are trusted anywhere; a bare word ("Preferred", "Requirements") only where
# it looks like a heading (see _looks_like_heading), since "(PhD preferred)" is not one.
_PREFERRED_HEADER = (
    r"preferred\s*(?:qualifications?|skills?|experience|requirements?|background|education)|"
    r"nice[\s-]to[\s-]haves?|bonus\s+(?:points?|qualifications?)|good\s+to\s+have|pluses|"
    r"(?:it'?s\s+)?a\s+plus\s+if|extra\s+credit|even\s+better|"
    r"what\s+(?:would\s+)?make[s]?\s+you\s+stand\s+out|you\s+might\s+also\s+have|"
    r"additional(?:ly)?\s+preferred|"
    r"many\s+(?:of\s+(?:us|them)\s+)?have"  # "…many have: 10+ years" describes the team
)
_IDEAL_HEADER = (
    r"ideally,?\s+you(?:'|’)?(?:d|\s+would)\s+(?:also\s+)?have|ideal\s+candidates?|"
    r"desired\s*(?:qualifications?|skills?|experience)|we\s+desire|desirable\s+candidates?"
)
_REQUIRED_HEADER = (
    r"(?:minimum|basic|required|essential|key|mandatory)\s*(?:qualifications?|requirements?|"
    r"skills?|experience)|must[\s-]haves?|what\s+you(?:'|’)?ll\s+need|what\s+you\s+need|"
    r"what\s+we(?:'|’)?re\s+looking\s+for|what\s+we\s+look\s+for|about\s+you|who\s+you\s+are|"
    r"what\s+you(?:'|’)?ll\s+bring|what\s+you\s+(?:will\s+)?bring|you\s+(?:may\s+be\s+a\s+"
    r"(?:good\s+)?fit|should\s+have|have\s*:)|we(?:'|’)?d\s+love\s+to\s+hear\s+from\s+you|"
    r"we\s+require|need\s+to\s+have"
)
_ANY_HEADER = (
    rf"(?:(?P<preferred>{_PREFERRED_HEADER})|(?P<ideal>{_IDEAL_HEADER})|"
    rf"(?P<required>{_REQUIRED_HEADER})|(?P<weak_preferred>preferred|bonus)|"
    rf"(?P<weak_ideal>desired|desirable)|(?P<weak_required>requirements|required|qualifications))"
)
# The look-ahead on first letters lets the scan skip most word starts at once.
_HEADER = re.compile(rf"\b(?=[abdegiknmpqrwy]){_ANY_HEADER}")
_GLUED_HEADER = re.compile(_ANY_HEADER)  # matched where a glued capital starts a header
_HEADER_TIERS = {
    "preferred": Tier.PREFERRED,
    "ideal": Tier.IDEAL,
    "required": Tier.REQUIRED,
    "weak_preferred": Tier.PREFERRED,
    "weak_ideal": Tier.IDEAL,
    "weak_required": Tier.REQUIRED,
}
_GLUED_HEADER_WORDS = ("Preferred", "Required", "Qualifications", "Desired", "Bonus", "Nice")
_SECTION_REACH = 2500  # how far before a phrase its section header is looked for


def _looks_like_heading(text: str, start: int, end: int) -> bool:
    """A bare word is a heading where it opens a line, or is capitalised and what follows is
    a colon, a line break or a new item ("Requirements 5+ years…"), not more capitals of the
    same sentence ("CREATES DESIRED FUNCTIONALITY")."""
    before = text[max(0, start - 3) : start].rstrip(" *#_")
    opens_line = start == 0 or not before or before[-1] in "\n•:"
    capitalised = text[start].isupper()
    after = text[end : end + 12].lstrip(" *_")
    ends_line = not after or after[0] in ":\n"
    caps_sentence = text[start:end].isupper() and re.match(r"\s+[A-Z]{2,}\b", text[end : end + 12])
    starts_item = bool(after) and (after[0].isupper() or after[0].isdigit() or after[0] in "-•(")
    return (opens_line or capitalised) and (
        ends_line or (capitalised and starts_item and not caps_sentence)
    )


class _Sections:
    """Section headers of one text, scanned lazily: only the stretch before the phrases.

    Scanning a whole description for headers costs more than everything else together, and a
    phrase's header is seldom more than a couple of thousand characters above it.
    """

    def __init__(self, text: str, lowered: str) -> None:
        self._text = text
        self._lowered = lowered
        self._scanned_to = 0
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._tiers: list[Tier] = []

    def locate(self, position: int) -> tuple[Tier, int]:
        """The tier of the nearest header before ``position`` (required when none), and where
        that header ends (0 when none)."""
        scan_from = max(0, position - _SECTION_REACH, self._scanned_to)
        found = list(_HEADER.finditer(self._lowered, scan_from, position))
        found.extend(self._glued_headers(scan_from, position))
        covered_to = 0  # "Qualifications" inside a glued "…sPreferred Qualifications" is no header
        for header in sorted(found, key=lambda header: header.start()):
            kind = header.lastgroup or "required"
            if header.start() < covered_to or (
                kind.startswith("weak")
                and not _looks_like_heading(self._text, header.start(), header.end())
            ):
                continue
            covered_to = header.end()
            self._starts.append(header.start())
            self._ends.append(header.end())
            self._tiers.append(_HEADER_TIERS[kind])
        self._scanned_to = max(position, self._scanned_to)
        index = bisect_right(self._starts, position)
        if not index:
            return Tier.REQUIRED, 0
        return self._tiers[index - 1], self._ends[index - 1]

    def _glued_headers(self, start: int, end: int) -> list[re.Match[str]]:
        """Headers glued to the word before them ("…improvementsRequired Qualifications"),
        which the word-boundary scan misses; found with plain substring searches (cheap)."""
        glued = []
        for word in _GLUED_HEADER_WORDS:
            at = self._text.find(word, start, end)
            while at > 0:
                header = self._text[at - 1].islower() and _GLUED_HEADER.match(self._lowered, at)
                if header:
                    glued.append(header)
                at = self._text.find(word, at + 1, end)
        return glued


def _lower_keeping_offsets(text: str) -> str:
    """``text.lower()``, except characters whose lower case is longer (offsets must not move)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# --- Context rules -------------------------------------------------------------------------------
# `before` is the phrase's clause up to the phrase (at most _LOOK_BEHIND characters), `after` the
# clause after it up to the next phrase (at most _LOOK_AHEAD); both lower-cased.

_LOOK_BEHIND = 160
_LOOK_AHEAD = 140
_NEAR = 60  # the part of `before` whose words describe the phrase itself

# Something near the phrase must say it is experience, or an activity done for that long.
_EXPERIENCE_AFTER = re.compile(
    r"experience|\bexp\b|expertise|background|track\s+record|\bwork|industry|professional|career|"
    r"practi[cs]|post-?(?:doc|grad|phd|graduat)|hands-on|^\W*\((?:required|preferred)\)|"
    r"\bas\s+an?\b|\b(?:in|within|at|on|with)\s+(?:an?\s+|the\s+)?[\w/&-]+|^\W*(?:of\s+)?\w+ing\b|"
    r"\bof\s+[\w/&-]+"
)
_EXPERIENCE_BEFORE = re.compile(
    r"experience|expertise|track\s+record|\bwork(?:ed|ing)\b|\bexp\b|"
    r"\byou(?:'|’)?(?:ve|\s+have)\s+(?:been|spent|led|built|managed|worked)\b|"
    r"\b(?:ph\.?\s?d|m\.?sc?|b\.?sc?|m\.?a|b\.?a|mba|degree)\.?\s*(?:\+|plus|and|with|&)\s*$"
)  # the last line: "PhD + 1 year, MS + 4 years"
# What comes just before a bare figure and makes it experience, across list items and
# headings: "Experience: ', 'Minimum 3+ years'", "Senior level (7+ years)".
_EXPERIENCE_LEAD_IN = re.compile(
    r"(?:experience|level|seniority)[^a-z0-9]{0,12}(?:minimum|min\.?|at\s+least)?\s*(?:of\s+)?$"
)
# Words before a phrase that show it is not the candidate's experience: a company's age or
# story within a few words ("founded … 20 years", "we've been at it for"), or a word right before
# the number ("every 2 years", "after 1 year", "less than 6 months", "a commitment of 2 years").
_NOT_EXPERIENCE_BEFORE = re.compile(
    r"(?:\b(?:founded|founding|history|ago|celebrat\w*|anniversary|vest\w*|401\s*\(?k|legacy|"
    r"heritage|in\s+business|cliff|retention|retain\w*|we(?:'|’)?(?:ve|\s+have)\s+been|"
    r"has\s+been\s+(?:around|in\s+business|operating|serving)|current\s+(?:position|role|job)|"
    r"over\s+the\s+(?:past|last|next|coming)|for\s+the\s+(?:past|last|next))\b[^.]{0,30}|"
    r"\b(?:since|after|within|every|each|per|up\s+to|aged?|old|older|under|younger|maximum|"
    r"less\s+than|fewer\s+than|no\s+more\s+than|term|contract|warranty|course|duration|period|"
    r"lasting|assignment|commitment|rotation|past|last|next|first|coming|recent|following)\s+"
    r"(?:of\s+|for\s+)?(?:over\s+|about\s+|approximately\s+|around\s+|at\s+least\s+)?|"
    # "For 8 years, Scale has…", "run for approximately six months", "for over a decade"
    r"(?:^|[,.]\s*|\b(?:run|runs|last|lasts)\s+)for\s+|"
    r"\bfor\s+(?:over|more\s+than|nearly|almost|about|approximately|around)\s+|"
    # "a firm with over a decade of experience", "Clay spent 18 years at Google"
    r"\b(?:firm|company|organi[sz]ation|agency|business|provider|(?:market|industry|global)\s+"
    r"leader|brand|inc|llc|we|it)\s+"
    r"(?:with|has|have|brings?|boasts?)\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+)?|"
    r"(?<!you\s)(?<!have\s)(?<!’ve\s)(?<!'ve\s)\bspent\s+(?:over\s+|more\s+than\s+|nearly\s+)?|"
    r"^\W*with\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+)?)$"
)
# Words after a phrase that show the same ("20 years old", "a 4-year degree", "5 years of
# historical data", "8 years, Scale has been", "over a decade of experience, we have…").
_NOT_EXPERIENCE_AFTER = re.compile(
    r"^\W*(?:ago|old|of\s+age|of\s+(?:\w+\s+)?history|in\s+business\s*(?:$|[,.;]|for|since)|"
    r"of\s+operation|of\s+(?:\w+\s+)?data(?:\s*$|\s*[,.;)]|\s+(?:on|from|about|for|to|and|in))|"
    r"of\s+service|of\s+employment|contract|term|warranty|vesting|cliff|plan|program|"
    r"degree|college|university|bachelor|course|apprenticeship|commitment|rotation|assignment|"
    r"of\s+(?:\w+\s+)?(?:college|university|study|school|coursework|undergraduate|"
    r"graduate\s+(?:study|school)|(?:full[\s-]time\s+)?(?:education|schooling|enrollment|tuition))|"
    r"later|prior\s+to|from\s+now|in\s+a\s+row|running|consecutive|of\s+growth)\b|"
    # "For 8 years, Scale has powered…", "With over a decade of experience, we help…"
    r"^[^,]{0,60},\s*(?!you\b)(?:\w+\s+){1,2}(?:has|have)\s+(?:been|\w+ed)\b|"
    r"^[^,]{0,60},\s*(?:we|they|our|the\s+company|it\s+(?:has|is|was))\b|"
    r"comparable\s+to\s+a\s+degree|in\s+lieu\s+of\s+a\s+degree|beyond\s+the\s+minimum|substitut|"
    r"^\W*(?:\w+\s+){0,3}internship"
)
# "a 5-year plan", "the four-year degree": a hyphenated singular "year" is an adjective.
_COMPOUND_YEAR = re.compile(r"-\s*year(?!s)")
# A phrase's own clause calling it preferred ("3+ years in healthcare preferred") or required.
_PREFERRED_AFTER = re.compile(
    r"\b(?:preferred|a\s+(?:big\s+|strong\s+|huge\s+)?plus|a\s+bonus|nice[\s-]to[\s-]haves?|"
    r"desirable|advantageous|not\s+required|not\s+a\s+requirement)\b(?!\s*(?::|qualifications|"
    r"skills|requirements))"  # "…Nice to have: …" opens the next section instead
)
_PREFERRED_AT_END = re.compile(
    r"\b(?:preferred|a\s+(?:big\s+|strong\s+|huge\s+)?plus|a\s+bonus|nice[\s-]to[\s-]have)\W*$"
)
# Where a clause turns to another subject, whose "preferred" is not the years':
# "2+ years of experience, Masters or PhD preferred", "…, with SaaS experience preferred".
# So does a comma after the finished "<n> years of … experience" ("2-3 years of relevant
# experience, advanced Excel, analytics knowledge a plus"), unless the marker follows it at once
# ("…experience, preferred"); a comma inside the field list ("in data, analytics or marketing
# preferred") does not.
_NEW_TOPIC = re.compile(
    r",\s*(?=(?:with|and|including|especially|particularly|ideally)\b|"
    r"(?:an?\s+)?(?:master|ph\.?\s?d|bachelor|degree|m\.?s\b|b\.?s\b|mba))|"
    r"(?<=experience),\s*(?!(?:(?:is|are|would\s+be|will\s+be)\s+)?(?:strongly\s+|highly\s+)?"
    r"(?:preferred|a\s+(?:big\s+|strong\s+|huge\s+)?plus|a\s+bonus|desir|nice|advantageous|"
    r"not\s+(?:a\s+)?requir))"
)
_PREFERRED_REACH = 70  # "5+ years of X preferred" says it close by; further on it is about X
_PREFERRED_BEFORE = re.compile(
    r"\b(?:preferably|bonus|nice[\s-]to[\s-]have|a\s+plus\s+if|ideally|desired?)\b\W*"
    r"(?:(?:you\s+(?:have|bring)|have|at\s+least|a\s+minimum\s+of|minimum|min\.?|over|"
    r"more\s+than)\s+)*$"
)
_REQUIRED_NEAR = re.compile(
    r"(?<!not\s)\b(?:required|mandatory|is\s+a\s+must|must\s+have|requires?)\b"
)
_MINIMUM_BEFORE = re.compile(r"\b(?:minimum|at\s+least|must\s+have|required?)\W*(?:of\s+)?$")
_DEGREE = re.compile(
    r"\b(?:b\.?s\.?c?|m\.?s\.?c?|b\.?a|m\.?a|mba|ph\.?\s?d|doctora(?:te|l)|bachelor(?:'|’)?s?|"
    r"master(?:'|’)?s?|bscs|mscs|graduate|undergraduate|degree|diploma|in\s+lieu)(?![a-z])"
)
# A phrase that narrows an earlier one: "10+ years, including 2 years managing", "with 3+ years".
_NARROWING_LINK = re.compile(
    r"(?:including|of\s+which|with|incl\.?|additional|additionally|where)\s*"
    r"(?:at\s+least|a\s+minimum\s+of|minimum|min\.?|over|more\s+than)?\s*$"
)
# A single tool's or a side skill's figure ("5+ years of Python", "3 years managing people").
_TOOL_SCOPE = re.compile(
    r"^\W*(?:of\s+)?(?:(?:hands-on|direct|professional|relevant|practical|working|"
    r"demonstrated|proven|strong|recent|prior|solid)\s+)*(?:experience\s+)?(?:with|in|using|of|"
    r"programming\s+in|coding\s+in|developing\s+in|writing)?\s*"
    r"(?:python|java(?!script)|javascript|typescript|sql|c\+\+|c#|\.net|scala|golang|go\b|rust|"
    r"ruby|php|kotlin|swift|r\b|sas|spss|matlab|tableau|power\s?bi|excel|aws|azure|gcp|"
    r"kubernetes|docker|terraform|spark|hadoop|airflow|kafka|pytorch|tensorflow|react|angular|"
    r"node|linux|unix|salesforce|sap|snowflake|databricks|jira|looker|dbt)\b"
)
_MANAGEMENT_SCOPE = re.compile(
    r"^\W*(?:of\s+)?(?:(?:direct|hands-on|proven|professional|relevant|formal|prior)\s+)*"
    r"(?:experience\s+)?(?:as\s+an?\s+|in\s+an?\s+|in\s+)?(?:"
    r"(?:people|line|team|engineering|technical|direct|formal|design|staff|organi[sz]ational)\s+"
    r"(?:management|manager)|(?:\w+\s+)?leadership|(?:people\s+)?manager|managing|leading|"
    r"supervis\w*|mentoring)\b(?!\s+(?:consult|engineer))"
)
# A figure offered instead of the one before it: "…, or 1+ years of IT experience".
_OR_BEFORE = re.compile(r"\bor\s+(?:at\s+least\s+|a\s+minimum\s+of\s+|minimum\s+|over\s+)?$")
# "Total experience 8+ years", "10+ years overall": the role's general figure, whatever else.
_OVERALL_BEFORE = re.compile(r"\b(?:total|overall|combined)\b\W*(?:\w+\W+){0,2}$")
_OVERALL_AFTER = re.compile(r"^\W*(?:of\s+)?(?:overall|total|combined)\b")


@dataclass(frozen=True)
class YearsMention:
    """One phrase that states years of experience, and how binding it is."""

    low: int
    high: int | None
    start: int
    end: int
    tier: Tier
    # "…with a PhD", "BS + 6 years", "For M.S. holders: 10+ years", or one of two figures joined
    # by "or" ("2+ years of data management, or 1+ years of IT experience")
    degree_alternative: bool
    narrowing: bool  # a sub-requirement of another phrase, or a single tool's or a management one
    overall: bool  # "total", "overall" or "combined" experience
    evidence: Evidence  # the clause that states it


@dataclass(frozen=True)
class YearsResult:
    """Required years of experience where the text states them, and the phrase that does."""

    years_min: int | None
    years_max: int | None
    evidence: Evidence | None
    reason: str | None = None  # why nothing was found


def _tier(section: Tier, before: str, after: str) -> Tier:
    """The section's tier, overridden by what the phrase's own clause says."""
    if re.match(r"\W*\(required\)", after):  # Indeed's "Data Scientist: 8 years (Required)"
        return Tier.REQUIRED
    if re.match(r"\W*\(preferred\)", after):
        return Tier.PREFERRED
    after = re.sub(r"\([^)]*\)", "", after)  # "(Python preferred)" is about Python
    if _REQUIRED_NEAR.search(before[-_NEAR:]) or _REQUIRED_NEAR.search(after):
        return Tier.REQUIRED
    own = _NEW_TOPIC.split(after, maxsplit=1)[0]
    says_preferred = _PREFERRED_AFTER.search(own[:_PREFERRED_REACH]) or _PREFERRED_AT_END.search(
        own
    )
    if says_preferred and not _MINIMUM_BEFORE.search(before):
        return Tier.PREFERRED
    if _PREFERRED_BEFORE.search(before[-_NEAR:]):
        return max(section, Tier.IDEAL if "ideally" in before[-_NEAR:] else Tier.PREFERRED)
    return section


def _is_experience(before: str, after: str, phrase_text: str, lead_in: str) -> bool:
    """Whether a phrase, in its context, is a candidate's experience (see the rules above)."""
    near = before[-_NEAR:].rsplit(":", 1)[-1]  # "…every day You have: 10+ years" starts afresh
    if _NOT_EXPERIENCE_BEFORE.search(near) or _NOT_EXPERIENCE_AFTER.search(after):
        return False
    if _COMPOUND_YEAR.search(phrase_text) and not after.lstrip().startswith("experience"):
        return False
    if "month" in phrase_text:  # months are experience only when said so ("6 months' experience")
        return "experience" in after[:60] or "experience" in before[-30:]
    return bool(
        _EXPERIENCE_AFTER.search(after[:70])
        or _EXPERIENCE_BEFORE.search(before)
        or "experience" in phrase_text  # "Years of experience: 3-5"
        or "yoe" in phrase_text  # "3+ YOE": years of experience, abbreviated
        or _EXPERIENCE_LEAD_IN.search(lead_in)
    )


def find_mentions(text: str, segments: Segments | None = None) -> list[YearsMention]:
    """Every phrase of ``text`` that states years of experience, in reading order.

    >>> [(m.low, m.high) for m in find_mentions("Founded 20 years ago. 3-5 years of experience.")]
    [(3, 5)]
    """
    lowered = _lower_keeping_offsets(text)
    phrases = [phrase for phrase in _phrases(lowered) if phrase.low <= MAX_PLAUSIBLE_YEARS]
    if not phrases:
        return []
    sections = _Sections(text, lowered)
    segments = segments or Segments(text)
    mentions: list[YearsMention] = []
    afters: list[str] = []
    for index, phrase in enumerate(phrases):
        clause_start, clause_end = _clause(text, segments, phrase)
        section, header_end = sections.locate(phrase.start)
        if clause_start < header_end <= phrase.start:  # "…every week About You 4+ years"
            clause_start = header_end
        next_start = phrases[index + 1].start if index + 1 < len(phrases) else len(text)
        before = lowered[max(clause_start, phrase.start - _LOOK_BEHIND) : phrase.start]
        after = lowered[phrase.end : min(clause_end, next_start, phrase.end + _LOOK_AHEAD)]
        phrase_text = lowered[phrase.start : phrase.end]
        lead_in = lowered[max(0, phrase.start - 40) : phrase.start]
        if not _is_experience(before, after, phrase_text, lead_in):
            continue
        previous = mentions[-1] if mentions else None
        follows_another = previous is not None and previous.end >= phrase.start - len(before)
        overall = bool(_OVERALL_BEFORE.search(before) or _OVERALL_AFTER.search(after))
        degree = bool(_DEGREE.search(before) or _DEGREE.search(after))
        # "…or a PhD with 2+ years": "with" here ties the years to a degree, not to the figure
        narrowing = not overall and bool(
            (follows_another and not degree and _NARROWING_LINK.search(before))
            or _TOOL_SCOPE.search(after)
            or _MANAGEMENT_SCOPE.search(after)
        )
        either = previous is not None and follows_another and bool(_OR_BEFORE.search(before))
        if either:
            mentions[-1] = replace(mentions[-1], degree_alternative=True)
        mentions.append(
            YearsMention(
                low=phrase.low,
                high=phrase.high,
                start=phrase.start,
                end=phrase.end,
                tier=_tier(section, before, after),
                degree_alternative=degree or either,
                narrowing=narrowing,
                overall=overall,
                evidence=_evidence(text, (clause_start, clause_end), phrase),
            )
        )
        afters.append(re.sub(r"\W+", " ", after[:40]).strip())
    return _mark_parallel_alternatives(mentions, afters)


def _mark_parallel_alternatives(
    mentions: list[YearsMention], afters: list[str]
) -> list[YearsMention]:
    """Phrases worded alike ("5+ years of C development (CS2)", "10+ years of C development
    (CS3)") are alternatives for different grades or degrees, like degree alternatives."""
    first_with: dict[str, int] = {}
    parallel: set[int] = set()
    for index, after in enumerate(afters):
        if len(after) < 15:
            continue
        earlier = first_with.setdefault(after, index)
        if mentions[earlier].low != mentions[index].low:
            parallel.update({earlier, index})
    return [
        replace(mention, degree_alternative=True) if index in parallel else mention
        for index, mention in enumerate(mentions)
    ]


def _choose(mentions: list[YearsMention]) -> YearsMention | None:
    """The general requirement among the most binding phrases (see the module docstring)."""
    counted = [m for m in mentions if m.tier < Tier.PREFERRED]
    if not counted:
        return None
    best_tier = min(m.tier for m in counted)
    counted = [m for m in counted if m.tier == best_tier]
    overall = [m for m in counted if m.overall]
    if overall:
        return overall[0]
    # A sub-requirement is no alternative to the general figure ("BA and 4-6 years of relevant
    # experience; 0-2 years of leadership experience" → 4-6), unless all are sub-requirements.
    general = [m for m in counted if not m.narrowing] or counted
    alternatives = [m for m in general if m.degree_alternative]
    if len(alternatives) >= 2:
        # Only the first run of alternatives: a second run is usually another level's.
        run = alternatives[:1]
        for m in alternatives[1:]:
            if m.start - run[-1].end > 400:
                break
            run.append(m)
        return min(run if len(run) >= 2 else alternatives, key=lambda m: m.low)
    return max(general, key=lambda m: m.low)


def _evidence(text: str, clause: tuple[int, int], phrase: _Phrase) -> Evidence:
    """The clause that states a phrase, trimmed to a readable length and of bullets."""
    start = max(clause[0], phrase.start - 120)
    end = min(clause[1], phrase.end + 160)
    while start < phrase.start and text[start] in " \t\n-•*:'\",":
        start += 1
    while end > phrase.end and text[end - 1] in " \t\n-•*:;,.'\"":
        end -= 1
    return Evidence(text=text[start:end], start=start, end=end)


def extract_years(text: str | None, segments: Segments | None = None) -> YearsResult:
    """Required years of professional experience stated in ``text`` (a cleaned description).

    >>> extract_years("5–7 years of experience in ML.").years_max
    7
    >>> extract_years("Several years of experience.").reason
    'no years of experience stated'
    """
    if text is not None and not isinstance(text, str):
        raise TypeError(f"extract_years needs the description as str, not {type(text).__name__}")
    if not text or not text.strip():
        return YearsResult(None, None, None, "no description text")
    mentions = find_mentions(text, segments)
    chosen = _choose(mentions)
    if chosen is None:
        if mentions:
            return YearsResult(None, None, None, "years stated only as preferred")
        return YearsResult(None, None, None, "no years of experience stated")
    return YearsResult(chosen.low, chosen.high, chosen.evidence)
