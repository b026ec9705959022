"""Pay → ``Salary(min, max, currency, period)``, from structured fields or from text.

Rules (DESIGN.md, data/labels/GUIDELINES.md): amounts are never converted between currencies or
periods; a single figure gives min = max, also after "up to" or "from" (the labelling guideline);
"competitive" and "DOE" are no salary. Problems (unknown currency, implausible amounts, unclear
period) come back as warning strings, never as exceptions.

>>> parse_salary_text("$180K – $250K").salary
Salary(min=180000.0, max=250000.0, currency='USD', period='year')
"""

from __future__ import annotations

import math
import re
from functools import cache
from itertools import islice
from typing import Literal, NamedTuple

import pycountry

from leadboard.models import Salary, SalaryHint, SalaryPeriod


class SalaryResult(NamedTuple):
    """A salary (or None) and the field-level warnings met on the way."""

    salary: Salary | None
    warnings: list[str]


# Symbols and informal codes → ISO 4217. A bare "$" is resolved later: to the dollar code written
# next to the range ("$150,000 CAD") when there is one, else USD. "¥" is taken as JPY: Chinese
# postings write RMB/CNY/元 far more often than the yen sign.
_SYMBOLS = {
    "US$": "USD",
    "USD$": "USD",
    "CA$": "CAD",
    "CAD$": "CAD",
    "C$": "CAD",
    "CAN$": "CAD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "¥": "JPY",
    "₩": "KRW",
    "₪": "ILS",
    "₱": "PHP",
    "zł": "PLN",
    "₺": "TRY",
    "₦": "NGN",
    "₫": "VND",
    "฿": "THB",
    "$": "$",
}
_CODE_ALIASES = {"RMB": "CNY", "NTD": "TWD", "NT$": "TWD"}
# Currencies whose amounts are checked against _PLAUSIBLE (see _checked_salary).
_MAJOR_CURRENCIES = {
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "NZD",
    "CHF",
    "SGD",
    "DKK",
    "SEK",
    "NOK",
    "ILS",
    "HKD",
}
# The amount from which a figure with no period can only be yearly pay (see _infer_period): above
# the highest monthly salaries that market quotes. Swedish, Danish, Norwegian, Israeli and Hong Kong
# pay is quoted per month in the tens of thousands, Polish B2B rates up to ~50k a month, Indian
# monthly pay up to a few lakh. Currencies not listed (JPY, CNY…) never get a guessed period.
_YEARLY_FROM = {
    "USD": 20_000,
    "EUR": 20_000,
    "GBP": 20_000,
    "CAD": 20_000,
    "AUD": 20_000,
    "NZD": 20_000,
    "CHF": 20_000,
    "SGD": 40_000,
    "SEK": 150_000,
    "NOK": 150_000,
    "DKK": 150_000,
    "ILS": 150_000,
    "HKD": 200_000,
    "PLN": 100_000,
    "INR": 1_000_000,
}
# Plausible amounts per period in the major currencies; anything outside is a parsing accident
# ("$0.00 to $1.00 /hour") or a non-salary figure.
_PLAUSIBLE = {
    "hour": (5, 2_000),
    "day": (40, 20_000),
    "week": (150, 50_000),
    "month": (500, 300_000),
    "year": (5_000, 5_000_000),
}
_MULTIPLIERS = {
    "k": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "l": 1e5,
    "lakh": 1e5,
    "lac": 1e5,
    "lpa": 1e5,
    "cr": 1e7,
    "crore": 1e7,
    "thousand": 1e3,
    "million": 1e6,
}
_INDIAN_MULTIPLIERS = {"l", "lakh", "lac", "lpa", "cr", "crore"}

_symbol_alternation = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
# A code may touch its number ("CHF60k", "90GBP"), not another letter.
_CURRENCY = rf"(?:NT\$|{_symbol_alternation}|\b[A-Z]{{3}}(?![A-Za-z]))"
_NUMBER = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?![\d,])"  # 12,50,000  1,20,00,000 (Indian)
    r"|\d{1,3}(?:['’]\d{3})+(?:\.\d{1,2})?"  # 120'000  120’000.50 (Swiss)
    r"|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"  # 180,000  180,000.00
    r"|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"  # 90.000  (European thousands)
    r"|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,.])"  # 90 000 (spaces, thin spaces)
    r"|\d+(?:[.,]\d{1,2})?(?![\d])"  # 85  20.70  79.8
)
_MULTIPLIER = (
    r"(?:\s?(?:[kK]|mm|MM|[mM]|L|[Ll]akhs?|[Ll]acs?|LPA|[Cc]r|[Cc]rores?)|\s(?:thousand|million))"
)
_PERIOD_WORD = r"(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day)"


def _amount_pattern(n: int) -> str:
    """One amount with its own currency, multiplier and period: "CA$150,000", "180K/yr"."""
    return (
        rf"(?P<pre{n}>{_CURRENCY})?\s?(?P<num{n}>{_NUMBER})"
        rf"(?:(?P<mult{n}>{_MULTIPLIER})(?![A-Za-z])|(?![A-Za-z0-9]))\+?"
        rf"(?:\s?(?P<post{n}>{_CURRENCY}))?"
        rf"(?:(?:\s?/\s?|\s+per\s+|\s+an?\s+)(?P<per{n}>{_PERIOD_WORD})\b)?"
    )


_RANGE_SEPARATOR = r"\s*(?:-|–|—|‒|−|~|\bto\b|\band\b|\bbis\b)\s*"
# The leading lookahead only lets a match start where a currency or a digit can: it makes the
# scan of a long description several times faster without changing what matches.
_MONEY = re.compile(
    r"(?=[$€£₹¥₩₪₱₺₦₫฿A-Z0-9z])"
    rf"(?<![\w.,])(?:{_amount_pattern(1)})(?:{_RANGE_SEPARATOR}(?:{_amount_pattern(2)}))?"
)

# Period words written after the amount ("per annum", "an hour", "/yr", "annually", "LPA") …
_PERIOD_AFTER = re.compile(
    r"^[\s,;:()]*(?-i:[A-Z]{3}\b\s*)?(?:\(|,)?\s*(?:(?:gross|brutto|bruto|brut|base)\s*)?"
    r"(?:(?:/|per|an?|each|every|pro|par)\s*(?P<unit>hour|hr|h|year|yr|annum|month|mo|week|wk|day"
    r"|jahr|monat|stunde|tag|mois|heure|jour|an(?!\s*(?:hour|hr)))\b"
    r"|(?P<adverb>hourly|annually|annual|yearly|monthly|weekly|daily|p\.\s?a\.|pa\b|pcm\b"
    r"|jährlich|monatlich|annuel|mensuel)"
    r"|(?P<odd>bi-?weekly|semi-?monthly|fortnightly|per\s+(?:shift|visit|session|project)))",
    re.IGNORECASE,
)
# … or before it ("Annual base salary:", "Hourly Pay Range", "per hour rate of").
_PERIOD_BEFORE = re.compile(
    r"\b(?:(?P<hour>hourly|per hour)|(?P<year>annual(?:ly|ized)?|yearly|per year|per annum)"
    r"|(?P<month>monthly|per month)|(?P<week>weekly|per week)|(?P<day>daily|per day))\b",
    re.IGNORECASE,
)
# The same pay in other currencies between a figure and its period: "3,850 USD / 2,310 GBP /
# 4,300 CAD per week", "45-70 USD or 180-280 PLN per hour". Read on a bounded window only.
_ALTERNATIVES = re.compile(
    r"(?:\s*(?:/|\bor\b)\s*[^\s\d/]{0,3}\s?\d[\d,.]*[kK]?"
    r"(?:\s?[-–—]\s?[^\s\d/]{0,3}\s?\d[\d,.]*[kK]?)?(?:\s?[A-Z]{3}\b)?)+"
)
_PERIOD_NEEDLES: tuple[tuple[str, SalaryPeriod], ...] = (
    ("hour", "hour"),
    ("annual", "year"),
    ("annum", "year"),
    ("year", "year"),
    ("month", "month"),
    ("week", "week"),
    ("day", "day"),
    ("daily", "day"),
)
_PERIODS: tuple[SalaryPeriod, ...] = ("hour", "day", "week", "month", "year")
_UNIT_TO_PERIOD: dict[str, SalaryPeriod] = {
    "hour": "hour",
    "hr": "hour",
    "h": "hour",
    "hourly": "hour",
    "year": "year",
    "yr": "year",
    "annum": "year",
    "annually": "year",
    "annual": "year",
    "yearly": "year",
    "p.a.": "year",
    "pa": "year",
    "month": "month",
    "mo": "month",
    "monthly": "month",
    "pcm": "month",
    "week": "week",
    "wk": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "jahr": "year",
    "jährlich": "year",
    "an": "year",
    "monat": "month",
    "monatlich": "month",
    "mois": "month",
    "stunde": "hour",
    "heure": "hour",
    "tag": "day",
    "jour": "day",
    "annuel": "year",
    "mensuel": "month",
}
# Words that make a description figure a salary, and words that make it something else.
_PAY_WORDS = re.compile(
    r"\b(?:salary|salaries|compensation|comp|pay|paid|wage|wages|base|rate|ote|earnings|"
    r"remuneration|range|annual|annually|hourly|per hour|per year|per annum|package|stipend)\b",
    re.IGNORECASE,
)
_NOT_SALARY_AFTER = re.compile(
    r"^\+?\s*(?-i:[A-Z]{3}\b\s*)?(?!(?:plus|and|with)\b)(?:in\s+|of\s+|worth\s+of\s+)?(?:[a-z-]+\s+)?"
    r"(?:signing|sign-on|bonus|funding|raised|round|seed|series|valuation|revenue|arr\b|budget|"
    r"quotas?\b|bookings|deals?\b|pipeline|acv\b|tcv\b|"
    r"credits?|reimburse|allowance|relocation|learning|wellness|grant|in\s+assets|"
    r"assets|transactions|spend|users|customers|contract|loans?|billion|trillion|bn\b|ote\b|"
    r"on[\s-]target)",
    re.IGNORECASE,
)
# Benefits and one-off sums named just before a figure ("Fertility HRA (up to $10,000 per year)").
_NOT_SALARY_BEFORE = re.compile(
    r"\b(?:hra|fsa|hsa|allowance|reimburse\w*|budget|401\(?k\)?|bonus|equity|relocation|"
    r"fertility|learning|wellness|coverage|insurance|referral|sign[\s-]?on|signing|funding|raised)"
    r"\b[^.;\n]{0,25}$",
    re.IGNORECASE,
)
# A stipend is an intern's or fellow's pay ("Stipend ₹45,000 per month") unless it pays for one
# thing ("$1,000 home office stipend", "$250 stipend towards commuting", "lump sum stipend").
_BENEFIT_STIPEND = re.compile(
    r"\b(?:wellness|well-being|learning|education(?:al)?|home[\s-]office|office|commuter|commuting|"
    r"transit|transport(?:ation)?|housing|relocation|phone|cell|internet|gym|fitness|enrichment|"
    r"flex|co-?working|meal|food|lunch|travel|development|lump[\s-]sum|setup|equipment|"
    r"remote[\s-]work(?:ing)?|health|book|conference|hardware|wfh)\s+stipends?\b"
    r"|\bstipends?\s+(?:for(?!\s+(?:this|the)\s+(?:role|position|internship|fellowship))|towards?"
    r"|to\s+(?:cover|help|spend|use|support))\b",
    re.IGNORECASE,
)
# An on-target-earnings range includes commission: not a base salary (GUIDELINES.md).
_OTE = re.compile(r"\bOTE\b|on[\s-]target[\s-]earnings", re.IGNORECASE)
_NO_SALARY = re.compile(
    r"^\s*(?:none|null|n/?a|-+|competitive|doe|tbd|negotiable|depending on experience|"
    r"commensurate with experience|unpaid|volunteer)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# How many figures one text may have read as pay candidates. Each costs a few bounded regex looks;
# real postings state pay within their first few dozen figures, and a text of a million figures
# (hostile or broken) must cost time linear in its length, not seconds per megabyte of work.
_MAX_FIGURES = 300


def normalize_period(raw: str | None) -> SalaryPeriod | None:
    """A source's period spelling → hour|day|week|month|year, or None when unknown.

    >>> [normalize_period(p) for p in ("YEAR", "per-year-salary", "hourly", "MONTH", "biweekly")]
    ['year', 'year', 'hour', 'month', None]
    """
    if not raw:
        return None
    word = raw.strip().lower()
    if re.search(r"\b(?:bi|semi)-?|fortnight|one[-_ ]?time", word):
        return None  # periods outside our set are never converted
    for needle, period in _PERIOD_NEEDLES:
        if needle in word:
            return period
    return _UNIT_TO_PERIOD.get(word.strip("/ ."))


def currency_code(raw: str | None) -> str | None:
    """ISO 4217 code for a code or symbol; None when unknown.

    >>> currency_code("usd"), currency_code("€"), currency_code("CA$"), currency_code("XYZ")
    ('USD', 'EUR', 'CAD', None)
    """
    if not raw:
        return None
    token = raw.strip()
    if token in _SYMBOLS:
        symbol = _SYMBOLS[token]
        return "USD" if symbol == "$" else symbol
    token = _CODE_ALIASES.get(token.upper(), token.upper())
    return token if _is_iso_currency(token) else None


def salary_from_hint(hint: SalaryHint, *, default_currency: str | None = None) -> SalaryResult:
    """Validate a source's structured pay fields (amounts in cents when ``hint.cents``).

    >>> salary_from_hint(SalaryHint(min=15000000, max=20000000, currency="USD", period="YEAR",
    ...                             cents=True)).salary
    Salary(min=150000.0, max=200000.0, currency='USD', period='year')
    """
    warnings: list[str] = []
    low, high = hint.min, hint.max
    if low is None and high is None:
        return SalaryResult(None, [])
    if hint.cents:
        low = low / 100 if low is not None else None
        high = high / 100 if high is not None else None
    currency = currency_code(hint.currency) if hint.currency else default_currency
    if currency is None:
        what = f"unknown currency {hint.currency!r}" if hint.currency else "no currency"
        return SalaryResult(None, [f"salary ignored: {what}"])
    period = normalize_period(hint.period)
    if period is None:
        period = _infer_period(currency, low, high, multiplier=None)
        if period is None:
            return SalaryResult(None, [f"salary ignored: unclear period {hint.period!r}"])
    salary = _checked_salary(low, high, currency, period, warnings)
    return SalaryResult(salary, warnings)


def parse_salary_text(text: str | None, *, default_currency: str | None = None) -> SalaryResult:
    """Read a salary field's text ("$180K – $250K", "£60,000 per annum", "₹25L - ₹40L").

    ``default_currency`` is used only for amounts with no currency marker at all ("150-180k"),
    and only when the caller knows it (a US-located posting); without it such text gives None.

    >>> parse_salary_text("£60,000 per annum").salary
    Salary(min=60000.0, max=60000.0, currency='GBP', period='year')
    >>> parse_salary_text("XYZ 100,000")
    SalaryResult(salary=None, warnings=["salary ignored: unknown currency 'XYZ'"])
    """
    if not text or _NO_SALARY.match(text) or not _DIGIT.search(text):
        return SalaryResult(None, [])
    first_failure: SalaryResult | None = None
    # "Level 3: $150k" — a later figure may be the pay; a bounded number of them (see _MAX_FIGURES).
    for match in islice(_MONEY.finditer(text), _MAX_FIGURES):
        result = _interpret(text, match, default_currency=default_currency, strict=True)
        if result is not None and result.salary is not None:
            return result
        first_failure = first_failure or result
    return first_failure or SalaryResult(None, [f"salary text not understood: {text[:80]!r}"])


def find_salary_in_text(text: str | None, *, default_currency: str | None = None) -> SalaryResult:
    """Find the first salary a description states; conservative.

    A figure counts only with a currency marker (or ``default_currency`` plus a period), and only
    with pay words shortly before it, an explicit period after it, or as a range of two amounts
    (not millions); funding rounds, bonuses, stipends and budgets are skipped. The first salary
    found wins (postings listing several ranges by location give the first). Warnings are not
    reported: a description mentions many numbers.

    >>> find_salary_in_text("We raised $50M. The base salary range is $150,000 - $190,000.").salary
    Salary(min=150000.0, max=190000.0, currency='USD', period='year')
    """
    if not text or not _DIGIT.search(text):
        return SalaryResult(None, [])
    for match in islice(_MONEY.finditer(text), _MAX_FIGURES):
        # Pay sentences can be long: "The base salary range for this full-time position in the
        # locations of San Francisco, New York, Seattle is: $216,000 — $270,000 USD".
        before = text[max(0, match.start() - 160) : match.start()]
        is_range = bool(match.group("num2")) and not _is_millions(match)
        has_period = bool(
            _PERIOD_AFTER.match(text[match.end() : match.end() + 40])  # "^" ignores a pos
            or match.group("per1")
            or "lpa"
            in (_multiplier_key(match.group("mult1")), _multiplier_key(match.group("mult2")))
        )
        if not (is_range or has_period or _PAY_WORDS.search(before)):
            continue
        around = before[-250:] + text[match.start() : match.end() + 20]
        if _NOT_SALARY_BEFORE.search(before[-60:]) or _OTE.search(around):
            continue
        if _BENEFIT_STIPEND.search(before[-40:] + text[match.start() : match.end() + 60]):
            continue
        if _NOT_SALARY_AFTER.match(text[match.end() : match.end() + 60]):
            continue
        result = _interpret(text, match, default_currency=default_currency, strict=False)
        if result is not None and result.salary is not None:
            return SalaryResult(result.salary, [])
    return SalaryResult(None, [])


def _is_millions(match: re.Match[str]) -> bool:
    multipliers = (_multiplier_key(match.group("mult1")), _multiplier_key(match.group("mult2")))
    return any(m in ("m", "mm", "million", "cr", "crore") for m in multipliers)


def _multiplier_key(raw: str | None) -> str | None:
    """'K' → 'k', ' Lakhs' → 'lakh', 'LPA' → 'lpa': the keys of _MULTIPLIERS."""
    if not raw or not raw.strip():
        return None
    key = raw.strip().lower()
    return key[:-1] if key.endswith("s") and key[:-1] in _MULTIPLIERS else key


class _Amount(NamedTuple):
    value: float
    currency: str | None  # ISO code, "$" for an unqualified dollar, or None
    unknown_code: str | None  # a 3-letter code next to the number that is not ISO 4217
    multiplier: str | None  # a key of _MULTIPLIERS
    period: SalaryPeriod | None


def _interpret(
    text: str, match: re.Match[str], *, default_currency: str | None, strict: bool
) -> SalaryResult | None:
    """Make a salary of one money match; None when the match is not a salary candidate."""
    first = _amount(match, 1)
    second = _amount(match, 2) if match.group("num2") else None
    if first is None or (match.group("num2") and second is None):
        return None
    if second is not None and first.multiplier is None and second.multiplier is not None:
        # "150-180k", "$35-40K": the suffix applies to both ends when the first end is small.
        scaled = first.value * _MULTIPLIERS[second.multiplier]
        if first.value < 1000 and scaled <= second.value * 10:
            first = first._replace(value=scaled, multiplier=second.multiplier)

    after = text[match.end() : match.end() + 40]
    before = text[max(0, match.start() - 60) : match.start()]
    unknown = first.unknown_code or (second.unknown_code if second else None)
    currency = _range_currency(first, second, after, before if strict else before[-12:])
    if currency is None:
        if unknown and strict:
            return SalaryResult(None, [f"salary ignored: unknown currency {unknown!r}"])
        multiplier = first.multiplier or (second.multiplier if second else None)
        if multiplier in _INDIAN_MULTIPLIERS:
            currency = "INR"  # lakh and crore are the Indian numbering system
        elif default_currency and (strict or _explicit_period(first, second, after)):
            currency = default_currency
        else:
            return SalaryResult(None, ["salary ignored: no currency"]) if strict else None

    warnings: list[str] = []
    alternatives = _ALTERNATIVES.match(text, match.end(), match.end() + 120)
    if alternatives:
        after = text[alternatives.end() : alternatives.end() + 40]
    period = _explicit_period(first, second, after)
    if period == "unsupported":
        return SalaryResult(None, ["salary ignored: pay period outside hour/day/week/month/year"])
    if period is None:
        period = _period_before(before)
    if period is None:
        multiplier = first.multiplier or (second.multiplier if second else None)
        period = _infer_period(
            currency, first.value, second.value if second else None, multiplier=multiplier
        )
    if period is None:
        return SalaryResult(None, ["salary ignored: pay period unclear"]) if strict else None

    # A single figure gives min = max, "Up to $200k" and "From £70k" included (GUIDELINES.md).
    high = second.value if second else first.value
    salary = _checked_salary(first.value, high, currency, period, warnings)
    if salary is None and not strict:
        return None
    return SalaryResult(salary, warnings)


def _amount(match: re.Match[str], n: int) -> _Amount | None:
    value = _parse_number(match.group(f"num{n}"))
    if value is None:
        return None
    multiplier = _multiplier_key(match.group(f"mult{n}"))
    if multiplier:
        value *= _MULTIPLIERS[multiplier]
    currency = unknown = None
    for token in (match.group(f"pre{n}"), match.group(f"post{n}")):
        if not token:
            continue
        code = (
            _SYMBOLS.get(token)
            or _CODE_ALIASES.get(token)
            or (token if _is_iso_currency(token) else None)
        )
        if code is None:
            unknown = unknown or token
        elif currency in (None, "$"):
            currency = code
    unit = match.group(f"per{n}")
    period = _UNIT_TO_PERIOD.get(unit.lower()) if unit else None
    return _Amount(round(value, 2), currency, unknown, multiplier, period)


def _parse_number(raw: str) -> float | None:
    """'180,000' → 180000; '90.000' → 90000; '20.70' → 20.7; '12,5' → 12.5.

    >>> [_parse_number(n) for n in ("120'000", "45\u202f000", "12,50,000", "1,20,00,000", "12,5")]
    [120000.0, 45000.0, 1250000.0, 12000000.0, 12.5]
    """
    digits = raw.translate(_SEPARATORS)
    if "," in digits and "." in digits:
        thousands, decimal = (",", ".") if digits.rfind(".") > digits.rfind(",") else (".", ",")
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        groups = digits.split(",")
        in_thousands = all(len(g) == 3 for g in groups[1:])
        indian = len(groups) > 2 and groups[-1] == groups[-1][:3] and len(groups[-1]) == 3
        indian = indian and all(len(g) == 2 for g in groups[1:-1])  # 12,50,000
        digits = digits.replace(",", "") if in_thousands or indian else digits.replace(",", ".")
    elif "." in digits:
        groups = digits.split(".")
        if len(groups) > 2 or (len(groups[1]) == 3 and len(groups[0]) <= 3 and groups[0] != "0"):
            digits = digits.replace(".", "")  # "90.000" is ninety thousand, not ninety
    try:
        return float(digits)
    except ValueError:
        return None


# Group separators that never mark decimals: spaces of all widths and apostrophes (Swiss).
_SEPARATORS = str.maketrans("", "", "\u00a0\u202f\u2009 '’")


def _range_currency(first: _Amount, second: _Amount | None, after: str, before: str) -> str | None:
    found = [a.currency for a in (first, second) if a is not None and a.currency]
    explicit = [c for c in found if c != "$"]
    if explicit:
        return explicit[0]
    # A code just after or before the range: "$180,000 — $250,000 USD", "USD 200,000-260,000".
    near = re.match(r"^\s*\(?([A-Z]{3})\b", after) or re.search(r"\b([A-Z]{3})\)?[\s:]*$", before)
    code = currency_code(near.group(1)) if near else None
    if found:  # a bare "$": the nearby code when it is a dollar currency, else USD
        return code if code and code.endswith("D") else "USD"
    return code


def _explicit_period(
    first: _Amount, second: _Amount | None, after: str
) -> SalaryPeriod | Literal["unsupported"] | None:
    for amount in (second, first):
        if amount is not None and amount.period:
            return amount.period
    multiplier = first.multiplier or (second.multiplier if second else None)
    if multiplier == "lpa":
        return "year"  # lakhs per annum
    found = _PERIOD_AFTER.match(after)
    if not found:
        return None
    if found.group("odd"):
        return "unsupported"
    word = (found.group("unit") or found.group("adverb")).lower().replace(" ", "")
    return _UNIT_TO_PERIOD.get(word)


def _period_before(before: str) -> SalaryPeriod | None:
    mentions = list(_PERIOD_BEFORE.finditer(before))
    if not mentions:
        return None
    nearest = mentions[-1]
    return next(period for period in _PERIODS if nearest.group(period))


def _infer_period(
    currency: str, low: float | None, high: float | None, *, multiplier: str | None
) -> SalaryPeriod | None:
    """Period from magnitude, only where it cannot be anything else.

    In dollars, euros or pounds a figure of 20,000 or more is a yearly salary: nobody quotes
    hourly or weekly pay that high, and monthly pay of 20k+ is too rare to guess; other markets
    have their own threshold (_YEARLY_FROM: SEK 45,000 is a monthly salary). Lakh/crore figures
    are Indian annual packages (CTC). Everything else (e.g. "$85" with no unit, or yen, whose
    monthly salaries run into hundreds of thousands) stays unknown.

    >>> _infer_period("SEK", 45_000, None, multiplier=None), _infer_period("INR", 1_250_000, None,
    ...     multiplier=None), _infer_period("JPY", 6_000_000, None, multiplier=None)
    (None, 'year', None)
    """
    if multiplier in _INDIAN_MULTIPLIERS:
        return "year"
    amounts = [a for a in (low, high) if a is not None]
    if currency in _YEARLY_FROM and amounts and min(amounts) >= _YEARLY_FROM[currency]:
        return "year"
    return None


def _checked_salary(
    low: float | None, high: float | None, currency: str, period: SalaryPeriod, warnings: list[str]
) -> Salary | None:
    if any(a is not None and not math.isfinite(a) for a in (low, high)):
        warnings.append("salary ignored: amount is not a number")
        return None
    if low is not None and high is not None and low > high:
        if low > high * 20:
            warnings.append(f"salary ignored: min {low:g} far above max {high:g}")
            return None
        low, high = high, low
        warnings.append("salary min and max were swapped")
    amounts = [a for a in (low, high) if a is not None]
    if not amounts or min(amounts) <= 0:
        warnings.append("salary ignored: zero or negative amount")
        return None
    if low is not None and high is not None and high > low * 20:
        warnings.append(f"salary ignored: implausible range {low:g}-{high:g}")
        return None
    if currency in _MAJOR_CURRENCIES:
        floor, ceiling = _PLAUSIBLE[period]
        if min(amounts) < floor or max(amounts) > ceiling:
            shown = "-".join(f"{a:g}" for a in amounts)
            warnings.append(f"salary ignored: implausible amount per {period}: {currency} {shown}")
            return None
    elif max(amounts) > 1e11:
        warnings.append("salary ignored: implausible amount")
        return None
    return Salary(min=low, max=high, currency=currency, period=period)


@cache
def _is_iso_currency(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and pycountry.currencies.get(alpha_3=code) is not None
