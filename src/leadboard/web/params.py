"""What a search URL may ask, for the pages and the API alike, and the API's error answers.

The closed vocabularies come from the modules that own them (``models``, ``search.engine``), so a
new remote policy or sort is accepted, validated and listed in the OpenAPI without an edit here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from leadboard.models import RemotePolicy, RoleFamily, SalaryPeriod, Seniority
from leadboard.search.engine import Mode, SearchFilters, SearchRequest, Sort
from leadboard.search.query import parse_amount
from leadboard.web.schemas import AMOUNT, ErrorOut

MAX_QUERY = 20_000  # characters; the parser reads the first 500
MAX_PAGE = 100_000
PATTERN_HINTS = {
    "min_salary": "not an amount (try 200k or 200000)",
    "currency": "not a currency code (try USD)",
}
# The closed vocabularies of the search parameters: validated by type, listed in the OpenAPI.
Family = Literal[RoleFamily, "any"]  # "any" is search.engine.ANY: every family
# Every API error answers ErrorOut; 429 only when `leadboard serve` listens beyond loopback.
ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut}}
LIMITED: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    429: {"model": ErrorOut, "description": "Too many requests: wait Retry-After."},
}


class BadRequest(ValueError):
    """A filter value we do not know: answered 422 (API) or said on the page."""


def search_request(
    q: Annotated[str, Query(max_length=MAX_QUERY, description="Words and inline filters.")] = "",
    family: Annotated[list[Family], Query(description="Role families; `any` for all.")] = [],  # noqa: B006
    seniority: Annotated[list[Seniority], Query()] = [],  # noqa: B006
    remote: Annotated[list[RemotePolicy], Query()] = [],  # noqa: B006
    country: Annotated[list[str], Query(description="ISO alpha-2 codes.")] = [],  # noqa: B006
    city: Annotated[list[str], Query()] = [],  # noqa: B006
    skill: Annotated[list[str], Query(description="Every one is required.")] = [],  # noqa: B006
    company: Annotated[list[str], Query()] = [],  # noqa: B006
    min_salary: Annotated[
        str | None, Query(description="Pay floor, e.g. 200k.", pattern=AMOUNT)
    ] = None,
    currency: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")] = "USD",
    period: Annotated[SalaryPeriod, Query(description="Of min_salary.")] = "year",
    convert: Annotated[
        bool, Query(description="Compare pay in other currencies at dated ECB rates.")
    ] = True,
    posted_within: Annotated[int | None, Query(ge=1, le=3650)] = None,
    years_max: Annotated[int | None, Query(ge=0, le=60)] = None,
    sort: Annotated[Sort, Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    include_closed: bool = False,
    unstated_pay: Annotated[
        bool, Query(description="With min_salary: keep postings that state no pay, ranked lower.")
    ] = False,
    mode: Annotated[Mode, Query(description="hybrid (default), lexical or semantic.")] = "hybrid",
) -> SearchRequest:
    """The search a URL asks for (the same parameters for pages and API)."""
    try:
        floor = parse_amount(min_salary) if min_salary else None
    except ValueError as error:
        raise BadRequest(str(error)) from error
    filters = SearchFilters(
        role_family=list(family) or None,
        seniority=list(seniority),
        remote=list(remote),
        country=[c.upper() for c in country],
        city=city,
        skills=skill,
        company=company,
        salary_min=floor,
        salary_currency=currency.upper(),
        salary_period=period,
        convert_currency=convert,
        posted_within_days=posted_within,
        years_max=years_max,
        include_closed=include_closed,
        include_unstated_pay=unstated_pay,
    )
    return SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=per_page, mode=mode)


def error_message(error: Exception) -> str:
    """What was wrong with a request, in one line a person can act on."""
    if isinstance(error, RequestValidationError):
        problems = []
        for item in error.errors()[:3]:
            loc = item.get("loc", ())
            if item.get("type") == "literal_error" and len(loc) > 1:  # a word not in the list
                expected = item.get("ctx", {}).get("expected", "")
                problems.append(
                    f"unknown {loc[1]} {str(item.get('input'))[:40]!r}; one of: {expected}"
                )
                continue
            where = ".".join(str(part) for part in loc[1:]) or "request"
            if item.get("type") == "string_pattern_mismatch" and where in PATTERN_HINTS:
                shown = str(item.get("input"))[:40]
                problems.append(f"{where}: {shown!r} is {PATTERN_HINTS[where]}")
                continue
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        return "; ".join(problems) or "invalid request"
    return str(error)
