"""schema.org ``JobPosting`` in a career page's ``<script type="application/ld+json">`` blocks.

Real pages are messy: several blocks, arrays, ``@graph``, a posting nested in a ``WebPage``, JSON
with trailing commas, HTML comments or raw control characters. The reader is lenient about all of
them; a block it still cannot read becomes a ``Reject``, and the other blocks go on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from leadboard.models import DescriptionFormat, SalaryHint, SourcePosting
from leadboard.sources.base import BoardFetch, Reject

SOURCE = "jsonld"

# Text fields some sites put beside ``description``; appended as sections so nothing is lost.
_SECTIONS = (
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Skills"),
    ("educationRequirements", "Education"),
    ("experienceRequirements", "Experience"),
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_HTML_COMMENT = re.compile(r"<!--|-->")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HAS_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>|&[a-zA-Z]+;|&#\d+;")


def parse_jsonld_page(html: str, url: str, fetched_at: datetime) -> BoardFetch:
    """Every ``JobPosting`` on one page, as a ``BoardFetch`` whose board is the page's host.

    ``complete`` is True when the page held at least one posting and every JSON-LD block read.

    >>> page = ('<script type="application/ld+json">{"@type": "JobPosting", '
    ...         '"title": "Head of AI", "identifier": "42",}</script>')
    >>> fetch = parse_jsonld_page(page, "https://jobs.example.com/42", datetime(2026, 5, 1))
    >>> [(p.key, p.title) for p in fetch.postings]
    [('jsonld:jobs.example.com:42', 'Head of AI')]
    """
    host = urlsplit(url).hostname or url
    result = BoardFetch(source=SOURCE, board=host)
    blocks = _script_blocks(html)
    for number, block in enumerate(blocks, start=1):
        try:
            values = _loads_lenient(block)
        except ValueError as err:
            result.rejects.append(
                Reject(
                    f"{SOURCE}:{host}",
                    f"{url} (JSON-LD block {number})",
                    f"unreadable JSON-LD: {err}",
                    block[:300],
                )
            )
            continue
        for node in _job_postings(values):
            try:
                result.postings.append(parse_job_posting(node, url, fetched_at))
            except ValueError as err:
                result.rejects.append(
                    Reject(f"{SOURCE}:{host}", url, str(err), json.dumps(node, default=str)[:300])
                )
    if not result.postings and not result.rejects:
        what = "no JSON-LD blocks" if not blocks else "no schema.org JobPosting in its JSON-LD"
        result.error = f"page {url} has {what}"
    result.complete = bool(result.postings) and not result.rejects
    return result


def parse_job_posting(node: dict[str, Any], page_url: str, fetched_at: datetime) -> SourcePosting:
    """One schema.org ``JobPosting`` object → SourcePosting. Raises ``ValueError`` without a title.

    >>> p = parse_job_posting({"@type": "JobPosting", "title": "ML Lead",
    ...     "jobLocationType": "TELECOMMUTE",
    ...     "applicantLocationRequirements": {"@type": "Country", "name": "Germany"},
    ...     "baseSalary": {"currency": "EUR", "value": {"minValue": 90000, "maxValue": 120000,
    ...                                                "unitText": "YEAR"}}},
    ...     "https://example.com/jobs/1", datetime(2026, 5, 1))
    >>> p.workplace_type, p.remote_regions, (p.salary.min, p.salary.currency, p.salary.period)
    ('TELECOMMUTE', ['Germany'], (90000.0, 'EUR', 'YEAR'))
    """
    title = _text(node.get("title")) or _text(node.get("name"))
    if title is None:
        raise ValueError("JobPosting has no title")
    url = _text(node.get("url")) or page_url
    description = _description(node)
    extra: dict[str, Any] = {}
    months = _months_of_experience(node.get("experienceRequirements"))
    if months is not None:
        extra["months_of_experience"] = months
    return SourcePosting(
        source=SOURCE,
        board=urlsplit(page_url).hostname or page_url,
        external_id=_identifier(node.get("identifier")) or _url_hash(url),
        url=url,
        fetched_at=fetched_at,
        payload=node,
        title=title,
        company=_organisation(node.get("hiringOrganization")),
        locations=_locations(node.get("jobLocation")),
        description=description,
        description_format=_format(description),
        posted_at=_text(node.get("datePosted")),
        closes_at=_text(node.get("validThrough")),
        salary=_salary(node.get("baseSalary")) or _salary(node.get("estimatedSalary")),
        workplace_type=_joined(node.get("jobLocationType")),
        remote_regions=_names(node.get("applicantLocationRequirements")),
        employment_type=_joined(node.get("employmentType")),
        extra=extra,
    )


# --- finding and reading the JSON ---------------------------------------------------------------


def _script_blocks(html: str) -> list[str]:
    """The text of every ``<script type="application/ld+json">`` (type matched loosely)."""
    blocks = []
    for script in LexborHTMLParser(html).css("script"):
        kind = (script.attributes.get("type") or "").strip().lower()
        if kind.startswith("application/ld+json"):
            text = script.text(deep=True, separator="", strip=False)
            if text.strip():
                blocks.append(text)
    return blocks


def _loads_lenient(text: str) -> list[Any]:
    """Every JSON value in ``text``: strict first, then with the usual page damage repaired."""
    try:
        return _decode_all(text)
    except ValueError:
        pass
    repaired = _CDATA.sub("", _HTML_COMMENT.sub("", text))
    repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", repaired))
    return _decode_all(repaired)


def _decode_all(text: str) -> list[Any]:
    """Decode one or more JSON values written one after another (control characters allowed)."""
    from leadboard.sources.files import MAX_JSON_DEPTH, json_too_deep

    if json_too_deep(text):  # json and _job_postings recurse a level at a time (issue 12)
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position, text = 0, text.strip().rstrip(";")
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        values.append(value)
        while position < len(text) and text[position] in " \t\r\n;,":
            position += 1
    if not values:
        raise ValueError("empty JSON-LD block")
    return values


def _job_postings(value: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting object anywhere in a JSON-LD value (lists, ``@graph``, nested entities)."""
    if isinstance(value, list):
        for item in value:
            yield from _job_postings(item)
    elif isinstance(value, dict):
        if _is_job_posting(value):
            yield value
            return
        for child in value.values():
            if isinstance(child, (dict, list)):
                yield from _job_postings(child)


def _is_job_posting(node: dict[str, Any]) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    # "JobPosting", "schema:JobPosting", "http://schema.org/JobPosting"
    return any(isinstance(t, str) and re.split(r"[/:#]", t)[-1] == "JobPosting" for t in types)


# --- field readers ------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if isinstance(value, list):  # some sites repeat a value in a list: take the first text
        return next((t for item in value if (t := _text(item))), None)
    if isinstance(value, dict):
        return _text(value.get("name")) if "name" in value else None
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _joined(value: Any) -> str | None:
    """A string, or a list of strings joined with ", " (``employmentType: ["FULL_TIME", …]``)."""
    if isinstance(value, list):
        parts = [t for item in value if (t := _text(item))]
        return ", ".join(dict.fromkeys(parts)) or None
    return _text(value)


def _names(value: Any) -> list[str]:
    """Names of Country/State/Place objects (or plain strings), in order, without repeats."""
    items = value if isinstance(value, list) else [value]
    names = [t for item in items if (t := _text(item))]
    return list(dict.fromkeys(names))


def _organisation(value: Any) -> str | None:
    return _text(value)


def _description(node: dict[str, Any]) -> str | None:
    """``description`` plus the side sections some sites use (responsibilities, …)."""
    parts = []
    if main := _text(node.get("description")):
        parts.append(main)
    for key, heading in _SECTIONS:
        value = node.get(key)
        text = _joined(value) if not isinstance(value, dict) else None
        if text:
            parts.append(f"<h3>{heading}</h3>\n<p>{text}</p>")
    if not parts:
        return None
    # Some sites JSON-escape their newlines twice: "\\n" arrives as a backslash and an "n".
    text = "\n".join(parts).replace("\\n", "\n").replace("\\r", "").strip()
    return text or None


def _format(description: str | None) -> DescriptionFormat | None:
    if description is None:
        return None
    return "html" if _HAS_MARKUP.search(description) else "text"


def _locations(value: Any) -> list[str]:
    """``jobLocation`` (Place or list of Places) → "Locality, Region, Country" strings.

    When a page gives several Places that all share one address but have different names (a
    template bug seen on real pages), the names are the better record of where the job is.
    """
    places = [p for p in (value if isinstance(value, list) else [value]) if p]
    from_address = [_address_text(p) for p in places]
    names = [_text(p.get("name")) if isinstance(p, dict) else None for p in places]
    if (
        len(places) > 1
        and len(set(from_address)) == 1
        and all(names)
        and len(set(names)) == len(names)
    ):
        chosen = names
    else:
        chosen = [addr or name for addr, name in zip(from_address, names, strict=True)]
    return list(dict.fromkeys(c for c in chosen if c))


def _address_text(place: Any) -> str | None:
    if isinstance(place, str):
        return _text(place)
    if not isinstance(place, dict):
        return None
    address = place.get("address")
    if isinstance(address, str):
        return _text(address)
    if not isinstance(address, dict):
        return None
    parts = [
        _text(address.get(key)) for key in ("addressLocality", "addressRegion", "addressCountry")
    ]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def _identifier(value: Any) -> str | None:
    """``identifier``: a PropertyValue ``{"value": …}``, a string or a number."""
    if isinstance(value, list):
        return next((i for item in value if (i := _identifier(item))), None)
    if isinstance(value, dict):
        return _text(value.get("value")) or _text(value.get("@id"))
    return _text(value)


def _url_hash(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def _salary(value: Any) -> SalaryHint | None:
    """A MonetaryAmount: ``value`` is a number or a QuantitativeValue; ``unitText`` at either level.

    >>> _salary({"currency": "USD", "value": {"value": 75, "unitText": "HOUR"}})
    SalaryHint(min=75.0, max=75.0, currency='USD', period='HOUR', cents=False)
    """
    if isinstance(value, list):
        return next((s for item in value if (s := _salary(item))), None)
    if not isinstance(value, dict):
        return None
    amount = value.get("value")
    unit = _text(value.get("unitText"))
    if isinstance(amount, dict):
        unit = _text(amount.get("unitText")) or unit
        low, high = _money(amount.get("minValue")), _money(amount.get("maxValue"))
        single = _money(amount.get("value"))
        if low is None and high is None:
            low = high = single
    else:
        low = high = _money(amount)
    if low is None and high is None:
        return None
    currency = _text(value.get("currency"))
    if currency is None and isinstance(amount, dict):
        currency = _text(amount.get("currency"))
    return SalaryHint(min=low, max=high, currency=currency, period=unit)


def _money(value: Any) -> float | None:
    """``120000``, ``"120000"``, ``"120,000.00"`` → 120000.0; anything else → None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "").replace(" ", "").strip())
    except ValueError:
        return None


def _months_of_experience(value: Any) -> float | None:
    """``experienceRequirements: {"@type": "OccupationalExperienceRequirements",
    "monthsOfExperience": 60}`` → 60.0."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        months = _money(item.get("monthsOfExperience")) if isinstance(item, dict) else None
        if months is not None:
            return months
    return None
