"""Query understanding: what people type into the search box, turned into text and filters.

"llm platform tech lead remote london $200k+ pytorch staff" is free text ("llm platform tech
lead") plus constraints: remote, London, a salary floor, a skill, a level. Each constraint becomes
a :class:`Chip` the page shows back, removable, and the rest is searched as text. Tools and
languages are chips *and* stay in the text (they describe the job too); ML areas ("LLMs", "RAG")
stay text only. A chip is ``explicit`` when its syntax says the user asks for a filter — a pay
floor (``$200k+``), or a word followed by a colon (``remote:``, ``berlin:``, ``staff:``); the
engine filters by those and *ranks* by the others (the user typed words, not filters).

Typos in skill names are forgiven ("pytroch" → PyTorch) by edit distance against the skill
vocabulary, and ``spelling`` can add a correction table for the other words — but only for words
the search index does not know (``known``): "training" is a word, not a typo of "ranking".

>>> parsed = parse_query("Staff ML tech lead, remote, $200k+ pytroch")
>>> [(chip.kind, chip.value) for chip in parsed.chips]
[('seniority', 'staff'), ('remote', 'remote'), ('salary_min', 'USD 200000'), ('skill', 'PyTorch')]
>>> parsed.text
'ML tech lead PyTorch'
>>> [chip.kind for chip in parsed.chips if chip.explicit]
['salary_min']
>>> [chip.kind for chip in parse_query("remote: ml lead").chips if chip.explicit]
['remote']
>>> parse_query("distributed trainnig", known=lambda word: word != "trainnig").corrections
{}
>>> parse_query("distributed training", known=lambda word: word == "training").text
'distributed training'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from rapidfuzz import fuzz, process

from leadboard.enrich.skills import skills_named_in, vocabulary
from leadboard.normalize.location import place_named

MAX_QUERY_CHARS = 500  # a query longer than this is cut (and says so): nobody types more


@dataclass(frozen=True)
class Chip:
    """One constraint read from the query: ``kind`` and ``value`` filter, ``label`` is shown.

    Kinds: ``remote`` (remote|hybrid|onsite), ``country`` (ISO alpha-2), ``city``, ``salary_min``
    ("USD 200000": currency and yearly amount), ``seniority``, ``skill`` (canonical name),
    ``visa`` ("sponsorship").
    """

    kind: str
    value: str
    label: str
    source: str  # the words of the query it came from
    explicit: bool = False  # asked for as a filter (a pay floor, "remote:"), not just typed


@dataclass
class ParsedQuery:
    raw: str
    text: str  # what is left to search as text
    chips: list[Chip] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)  # typed → understood
    notes: list[str] = field(default_factory=list)  # e.g. "query cut to 500 characters"

    def values(self, kind: str) -> list[str]:
        return [chip.value for chip in self.chips if chip.kind == kind]


_REMOTE = {
    "remote": "remote",
    "wfh": "remote",
    "work from home": "remote",
    "fully remote": "remote",
    "remote-first": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "on-site": "onsite",
    "in office": "onsite",
    "in-office": "onsite",
}
_SENIORITY = {
    "intern": "intern",
    "internship": "intern",
    "junior": "junior",
    "entry level": "junior",
    "new grad": "junior",
    "mid": "mid",
    "mid-level": "mid",
    "senior": "senior",
    "sr": "senior",
    "staff": "staff",
    "senior staff": "staff",
    "principal": "principal",
    "distinguished": "principal",
    "director": "director",
    "head of": "director",
    "vp": "executive",
    "vice president": "executive",
    "chief": "executive",
}
# "Senior Director", "Sr. Manager", "senior principal": one rung above the word's own, not a
# "senior" IC level beside it (which ranked Senior Data Scientists first for "Senior Director, Data
# Science"): the "senior" goes, the rung's word is read as it is alone.
_SENIOR_RUNG = re.compile(
    r"\b(?:senior|sr)\.?\s+(?=(?:manager|mgr|director|vp|vice president|principal|head)\b)",
    re.IGNORECASE,
)
_VISA = re.compile(
    r"\b(?:no visa|needs? (?:a )?visa|visa sponsorship|visa|sponsorship|sponsor(?:s|ed)?)\b", re.I
)
_SALARY = re.compile(
    r"(?<![\w$£€])(?P<currency>[$£€])?\s?(?P<amount>\d{2,3}(?:[.,]\d)?)\s?(?P<k>[kK])"
    r"(?:\s?(?P<code>usd|gbp|eur|cad|chf|aud))?\s?\+?(?!\w)"
    r"|(?<![\w$£€])(?P<currency2>[$£€])(?P<amount2>\d{2,3}(?:,\d{3}))\+?(?!\w)",
    re.IGNORECASE,
)
_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR"}
_WORD = re.compile(r"[\w+#./-]+", re.UNICODE)
_SEPARATORS = re.compile(r"[,;|]+")
_ASKED = re.compile(r"([\w+#.-]+):(?=\s|$)")  # "remote:": a filter asked for
# Words too common or too short to correct: a typo fix must not turn "go" into "Go".
_NO_FIX_BELOW = 5


def parse_query(
    raw: str,
    *,
    default_currency: str = "USD",
    spelling: Callable[[str], str | None] | None = None,
    known: Callable[[str], bool] | None = None,
) -> ParsedQuery:
    """Split a query into chips and text (see the module docstring). ``known(word)``: whether
    the search index holds the word (such a word is never corrected)."""
    parsed = ParsedQuery(raw=raw, text="")
    query = " ".join((raw or "").split())
    if len(query) > MAX_QUERY_CHARS:
        query = query[:MAX_QUERY_CHARS]
        parsed.notes.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
    # "remote:" asks for a filter; the colon goes, the words it ends are remembered.
    asked = {m.group(1).lower() for m in _ASKED.finditer(query)}
    query = _ASKED.sub(lambda m: m.group(1), query)
    rest = _SEPARATORS.sub(" ", query)
    is_known = known or (lambda _: False)

    rest = _take_salary(rest, parsed, default_currency)
    rest = _take_phrases(
        rest, parsed, _VISA, lambda _: Chip("visa", "sponsorship", "visa sponsorship", _)
    )
    rest = _take_words(rest, parsed, _REMOTE, "remote", lambda v: v)
    rest = _take_words(_SENIOR_RUNG.sub("", rest), parsed, _SENIORITY, "seniority", lambda v: v)
    rest = _take_places(rest, parsed)
    words = [_fix_skill_typo(word, parsed, is_known) for word in _WORD.findall(rest)]
    text = " ".join(words)
    named = [(skill.name, text[start:end]) for skill, start, end in skills_named_in(text)]
    # Lower-case names the posting rules only trust in context ("go", "rust") are meant here.
    named += [
        (_skill_names()[w.lower()], w) for w in words if len(w) > 1 and w.lower() in _skill_names()
    ]
    typed = {understood: word for word, understood in parsed.corrections.items()}
    for name, source in named:
        if name not in parsed.values("skill") and name in _filterable_skills():
            parsed.chips.append(Chip("skill", name, name, typed.get(source, source)))
    if spelling is not None:
        words = [_fix_word(word, parsed, spelling, is_known) for word in text.split()]
        text = " ".join(words)
    parsed.text = text
    parsed.chips = [
        replace(chip, explicit=True)
        if chip.kind == "salary_min" or set(chip.source.lower().split()) & asked
        else chip
        for chip in parsed.chips
    ]
    # Chips in the order the query names them, as the page shows them back.
    position = {id(c): query.lower().find(c.source.lower()) for c in parsed.chips}
    parsed.chips.sort(key=lambda c: position[id(c)] if position[id(c)] >= 0 else len(query))
    return parsed


def _take_salary(text: str, parsed: ParsedQuery, default_currency: str) -> str:
    def take(match: re.Match[str]) -> str:
        symbol = match.group("currency") or match.group("currency2")
        code = match.group("code")
        if match.group("amount"):
            amount = float(match.group("amount").replace(",", ".")) * 1000
        else:
            amount = float(match.group("amount2").replace(",", ""))
        if not (symbol or code) and amount < 20_000:
            return match.group()  # "40k" alone could be anything; a salary says a currency or k
        currency = (code or "").upper() or _SYMBOLS.get(symbol or "", default_currency)
        label = f"≥ {_money(amount, currency)} a year"
        if not (symbol or code):
            label += f" (read as {currency})"
        parsed.chips.append(Chip("salary_min", f"{currency} {int(amount)}", label, match.group()))
        return " "

    return _SALARY.sub(take, text)


def _money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(currency)
    figure = f"{amount / 1000:g}k"
    return f"{symbol}{figure}" if symbol else f"{currency} {figure}"


def _take_phrases(
    text: str, parsed: ParsedQuery, pattern: re.Pattern[str], chip: Callable[[str], Chip]
) -> str:
    match = pattern.search(text)
    if not match:
        return text
    parsed.chips.append(chip(match.group()))
    return pattern.sub(" ", text)


def _take_words(
    text: str,
    parsed: ParsedQuery,
    table: dict[str, str],
    kind: str,
    label: Callable[[str], str],
) -> str:
    """Chips for the table's phrases (longest first, whole words only), removed from the text."""
    for phrase in sorted(table, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}\.?(?![\w-])", re.IGNORECASE)
        match = pattern.search(text)
        if match:
            value = table[phrase]
            if value not in parsed.values(kind):
                parsed.chips.append(Chip(kind, value, label(value), match.group()))
            text = pattern.sub(" ", text)
    return text


def _take_places(text: str, parsed: ParsedQuery) -> str:
    """Countries and well-known cities, trying three-word names before two and one."""
    words = text.split()
    kept: list[str] = []
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            phrase = " ".join(words[index : index + size])
            place = place_named(phrase) if len(phrase) >= 2 else None
            if place is not None and len(words[index : index + size]) == size:
                if place.city:
                    label = f"{place.city}, {place.country}" if place.country else place.city
                    parsed.chips.append(Chip("city", place.city, label, phrase))
                else:
                    label = phrase.upper() if len(phrase) <= 3 else phrase.title()
                    parsed.chips.append(Chip("country", str(place.country), label, phrase))
                index += size
                break
        else:
            kept.append(words[index])
            index += 1
    return " ".join(kept)


@cache
def _filterable_skills() -> frozenset[str]:
    """Tools, languages and infrastructure: a posting that asks for one names it. ML areas
    ("LLMs", "post-training", "inference") describe the work in many words: they stay text, for
    the full-text and semantic search to weigh, rather than filters that would hide postings."""
    return frozenset(skill.name for skill in vocabulary() if skill.category != "ml_area")


@cache
def _skill_names() -> dict[str, str]:
    """Lower-case spellings (the name, plain-word variants) → canonical skill name."""
    names: dict[str, str] = {}
    for skill in vocabulary():
        names[skill.name.lower()] = skill.name
        for variant in skill.variants:
            if re.fullmatch(r"[a-z][a-z0-9 .-]+", variant):
                names.setdefault(variant, skill.name)
    return names


def _fix_skill_typo(word: str, parsed: ParsedQuery, known: Callable[[str], bool]) -> str:
    """ "pytroch" → "PyTorch": a near miss of a skill's name (one or two edits) becomes it,
    unless the index knows the word as it is."""
    lowered = word.lower()
    if len(lowered) < _NO_FIX_BELOW or lowered in _skill_names() or skills_named_in(word):
        return word
    if known(lowered):
        return word
    best = process.extractOne(lowered, list(_skill_names()), scorer=fuzz.ratio, score_cutoff=80)
    if best is None:
        return word
    name = _skill_names()[best[0]]
    parsed.corrections[word] = name
    return name


def _fix_word(
    word: str,
    parsed: ParsedQuery,
    spelling: Callable[[str], str | None],
    known: Callable[[str], bool],
) -> str:
    if len(word) < _NO_FIX_BELOW or word in parsed.corrections.values() or known(word.lower()):
        return word
    fixed = spelling(word)
    if fixed and fixed.lower() != word.lower():
        parsed.corrections[word] = fixed
        return fixed
    return word


def parse_amount(text: str) -> float:
    """A salary amount as people write it: "200k", "200,000", "180000".

    >>> parse_amount("200k"), parse_amount("185,500")
    (200000.0, 185500.0)
    """
    cleaned = text.strip().lower().replace(",", "").replace("_", "").lstrip("$£€")
    factor = 1000.0 if cleaned.endswith("k") else 1.0
    try:
        value = float(cleaned.removesuffix("k")) * factor
    except ValueError as error:
        raise ValueError(f"not an amount: {text!r} (try 200k or 200000)") from error
    if not 0 <= value < 1e9:
        raise ValueError(f"not a salary: {text!r}")
    return value
