"""The web app: server-rendered search pages and the JSON API, over one search engine.

Pages (``/``, ``/jobs/{id}``) are plain HTML forms and links — they work without JavaScript —
rendered by Jinja2 with autoescaping. The API (``/api/v1/search``, ``/api/v1/jobs/{id}``,
``/api/v1/facets``) answers the typed models of ``schemas.py``; OpenAPI at ``/docs``.

    leadboard serve            # http://127.0.0.1:8000
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from leadboard.enrich.role import FAMILIES
from leadboard.insights.page import PageCache, UnknownTopic, topic_for
from leadboard.insights.render import to_html
from leadboard.match import Matcher, ResumeError
from leadboard.match.form import status_of
from leadboard.match.profile import LeadershipKind
from leadboard.normalize.html import sanitize_html
from leadboard.search.engine import (
    ANY,
    MODES,
    SORTS,
    SearchEngine,
    SearchFilters,
    SearchRequest,
    job_card,
)
from leadboard.search.index import SALARY_PERIODS
from leadboard.search.query import parse_amount
from leadboard.store.repository import Store
from leadboard.web.schemas import (
    ErrorOut,
    FacetsAnswer,
    JobDetail,
    MatchAnswer,
    MatchErrorOut,
    SearchAnswer,
)
from leadboard.web.security import RateLimit, SecurityHeaders, refuse_open_writes, safe_url
from leadboard.web.uploads import MATCH_FORM_OPENAPI, match_upload

HERE = Path(__file__).parent
SENIORITIES = (
    "intern",
    "junior",
    "mid",
    "senior",
    "staff",
    "principal",
    "manager",
    "director",
    "executive",
    "unknown",
)
REMOTES = ("remote", "hybrid", "onsite", "unknown")
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "CHF", "AUD", "INR", "SGD", "JPY", "PLN", "SEK")
MAX_QUERY = 20_000  # characters; the parser reads the first 500
MAX_PAGE = 100_000
# A pay floor as people type it ("200k", "$185,500"), below a billion: what parse_amount reads.
AMOUNT = r"^[$£€]?([0-9]{1,3}(,?[0-9]{3}){0,2}(\.[0-9]+)?|[0-9]{1,6}(\.[0-9]+)?[kK])$"
PATTERN_HINTS = {
    "min_salary": "not an amount (try 200k or 200000)",
    "currency": "not a currency code (try USD)",
}
# The closed vocabularies of the search parameters: validated by type, listed in the OpenAPI.
Family = Literal[(*FAMILIES, ANY)]  # type: ignore[valid-type]
Seniority = Literal[SENIORITIES]  # type: ignore[valid-type]
Remote = Literal[REMOTES]  # type: ignore[valid-type]
Sort = Literal[SORTS]  # type: ignore[valid-type]
Period = Literal[SALARY_PERIODS]  # type: ignore[valid-type]
Mode = Literal[MODES]  # type: ignore[valid-type]
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
    remote: Annotated[list[Remote], Query()] = [],  # noqa: B006
    country: Annotated[list[str], Query(description="ISO alpha-2 codes.")] = [],  # noqa: B006
    city: Annotated[list[str], Query()] = [],  # noqa: B006
    skill: Annotated[list[str], Query(description="Every one is required.")] = [],  # noqa: B006
    company: Annotated[list[str], Query()] = [],  # noqa: B006
    min_salary: Annotated[
        str | None, Query(description="Pay floor, e.g. 200k.", pattern=AMOUNT)
    ] = None,
    currency: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")] = "USD",
    period: Annotated[Period, Query(description="Of min_salary.")] = "year",
    convert: Annotated[
        bool, Query(description="Compare pay in other currencies at dated ECB rates.")
    ] = True,
    posted_within: Annotated[int | None, Query(ge=1, le=3650)] = None,
    years_max: Annotated[int | None, Query(ge=0, le=60)] = None,
    sort: Annotated[Sort, Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    include_closed: bool = False,
    mode: Annotated[Mode, Query(description="hybrid (default), lexical or semantic.")] = "hybrid",
) -> SearchRequest:
    """The search a URL asks for (the same parameters for pages and API)."""
    try:
        floor = parse_amount(min_salary) if min_salary else None
    except ValueError as error:
        raise BadRequest(str(error)) from error
    filters = SearchFilters(
        role_family=family or None,
        seniority=seniority,
        remote=remote,
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
    )
    return SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=per_page, mode=mode)  # type: ignore[arg-type]


def create_app(
    store: Store, engine: SearchEngine, *, public: bool = False, write_token: str | None = None
) -> FastAPI:
    """The app over ``store``, searching with ``engine`` (``open_engine`` makes one).

    ``public``: it will listen beyond loopback, so the expensive routes are rate-limited per
    client address, and routes that change stored data need ``write_token`` (without one,
    ``InsecureSetup`` is raised when there are such routes). A ``write_token`` given on loopback
    is required too."""
    app = FastAPI(
        title="Leadboard",
        description="Search machine-learning leadership jobs: words, meaning and filters.",
        version="1",
        docs_url=None,  # served below from local assets: no CDN, no inline script
        redoc_url=None,
    )
    app.state.public, app.state.write_token = public, write_token or None
    templates = Jinja2Templates(directory=HERE / "templates")  # autoescapes .html
    templates.env.globals.update(link=_link, percent=_percent, money=_money, job_path=_job_path)
    templates.env.filters["safe_url"] = safe_url
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/swagger-ui", StaticFiles(packages=[("fastapi_offline", "static")]), name="swagger")

    def error_response(
        request: Request, status: int, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        """An error as the asker reads it: ErrorOut JSON for the API, a page for people."""
        if request.url.path.startswith(("/api/", "/openapi")):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message},
            status_code=status,
            headers=headers,
        )

    @app.exception_handler(BadRequest)
    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: Exception) -> Any:
        """Unknown filter values, out-of-range numbers: 422 with the reason, as JSON for the API
        and as a page for people."""
        message = _message(error)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=422)
        return templates.TemplateResponse(
            request,
            "search.html",
            {"error": message, "answer": None, "params": [], "search": None},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """Unknown pages and jobs, wrong methods: an HTML page for people, JSON for the API."""
        return error_response(request, error.status_code, str(error.detail), error.headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        """A bug: said in the shape the asker reads (the traceback goes to the server's log)."""
        return error_response(request, 500, "internal error: the server's log says more")

    async def too_many(scope: Scope, retry_after: int) -> Response:
        return error_response(
            Request(scope),
            429,
            f"too many requests: try again in {retry_after} s",
            {"Retry-After": str(retry_after)},
        )

    if public:
        app.add_middleware(RateLimit, refuse=too_many)
    app.add_middleware(SecurityHeaders)  # outermost: errors and 429s carry the headers too

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Any:
        """Swagger UI from the assets the ``fastapi-offline`` package ships."""
        return templates.TemplateResponse(request, "docs.html", {"openapi_url": app.openapi_url})

    def answer_for(search: SearchRequest) -> SearchAnswer:
        return SearchAnswer.model_validate(engine.search(search).as_dict())

    @app.get("/api/v1/search", response_model=SearchAnswer, responses=LIMITED, tags=["search"])
    def api_search(search: Annotated[SearchRequest, Depends(search_request)]) -> SearchAnswer:
        """Jobs for a query and filters, with the parsed chips and facet counts."""
        return answer_for(search)

    @app.get("/api/v1/facets", response_model=FacetsAnswer, responses=LIMITED, tags=["search"])
    def api_facets(search: Annotated[SearchRequest, Depends(search_request)]) -> FacetsAnswer:
        """Only the facet counts of a search."""
        answer = answer_for(search)
        return FacetsAnswer(total=answer.total, facets=answer.facets)

    @app.get(
        "/api/v1/jobs/{job_id:path}",
        response_model=JobDetail,
        responses={**ERRORS, 404: {"model": ErrorOut}},
        tags=["jobs"],
    )
    def api_job(job_id: str) -> JobDetail:
        """One job with what enrichment found (and the evidence) and similar jobs."""
        return _job_detail(store, engine, job_id)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, search: Annotated[SearchRequest, Depends(search_request)]
    ) -> Any:
        answer = answer_for(search)
        params = list(request.query_params.multi_items())
        # No job at all is no fault of the query: the page says how to get some.
        store_empty = answer.total == 0 and not store.jobs_to_enrich("", limit=1)
        return templates.TemplateResponse(
            request,
            "search.html",
            {
                "answer": answer,
                "search": search,
                "params": params,
                "error": None,
                "store_empty": store_empty,
                "currencies": CURRENCIES,
                "periods": SALARY_PERIODS,
                "chip_links": {
                    chip.source: _link(
                        params, set_={"q": _without(search.q, chip.source)}, drop=["page"]
                    )
                    for chip in answer.query.chips
                },
            },
        )

    @app.get("/jobs/{job_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str) -> Any:
        detail = _job_detail(store, engine, job_id)
        row = store.get_job(detail.job.id)
        description = sanitize_html(row.description_html) if row else ""
        return templates.TemplateResponse(
            request, "job.html", {"detail": detail, "description_html": description}
        )

    # -- Résumé matching: the résumé is read in memory (match/form.py), never kept or logged.
    matcher = Matcher(engine)

    @app.post(
        "/api/v1/match",
        response_model=MatchAnswer,
        tags=["match"],
        responses={code: {"model": MatchErrorOut} for code in (413, 415, 422)},
        openapi_extra=MATCH_FORM_OPENAPI,
    )
    async def api_match(request: Request) -> Any:
        """Jobs that fit a résumé (or a profile read before), each explained, and the skills
        that would open the most of them. Errors say what went wrong and what to do."""
        try:
            _, answer = await match_upload(matcher, request)
        except ResumeError as error:
            return JSONResponse(
                {"detail": error.message, "problem": error.problem}, status_code=status_of(error)
            )
        return MatchAnswer.model_validate(answer.as_dict())

    @app.get("/match", response_class=HTMLResponse, include_in_schema=False)
    def match_page(request: Request) -> Any:
        return templates.TemplateResponse(request, "match.html", _match_page())

    @app.post("/match", response_class=HTMLResponse, include_in_schema=False)
    async def match_post(request: Request) -> Any:
        try:
            form, answer = await match_upload(matcher, request)
        except ResumeError as error:
            return templates.TemplateResponse(
                request,
                "match.html",
                _match_page(error=error.message),
                status_code=status_of(error),
            )
        return templates.TemplateResponse(
            request,
            "match.html",
            _match_page(
                answer=MatchAnswer.model_validate(answer.as_dict()),
                form=form,
                profile_json=answer.profile.model_dump_json(),
            ),
        )

    # -- Market pages (insights/): counted once per change of the index, then kept.
    pages = PageCache(engine)

    @app.get("/insights", response_class=HTMLResponse, include_in_schema=False)
    def insights_search(
        request: Request, search: Annotated[SearchRequest, Depends(search_request)]
    ) -> Any:
        page = pages.page(q=search.q, filters=search.filters)
        return HTMLResponse(to_html(page, listing=f"/?{request.url.query}"))

    @app.get("/insights/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def insights_topic(slug: str) -> Any:
        try:
            topic = topic_for(slug)
        except UnknownTopic as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
        return HTMLResponse(to_html(pages.page(topic=topic)))

    refuse_open_writes(app)
    return app


def _match_page(**values: Any) -> dict[str, Any]:
    """A fresh context for match.html (the template response adds the request to it)."""
    return {
        "answer": None,
        "error": None,
        "form": None,
        "search": None,
        "families": FAMILIES,
        "seniorities": SENIORITIES,
        "leadership_kinds": get_args(LeadershipKind),
        **values,
    }


def _job_detail(store: Store, engine: SearchEngine, job_id: str) -> JobDetail:
    row = store.get_job(job_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no job with id {job_id[:200]!r}")
    enrichment = store.get_enrichment(job_id)
    detail = enrichment.detail if enrichment else {}
    similar = [
        {"job": hit.job, "score": hit.score, "highlights": hit.highlights}
        for hit in engine.similar(job_id, limit=6)
    ]
    return JobDetail.model_validate(
        {
            "job": job_card(row, enrichment),
            "description_text": row.description_text,
            "years_max": detail.get("years_max"),
            "years_evidence": detail.get("years_evidence"),
            "skills": detail.get("skills", []),
            "duties": detail.get("duty_evidence", {}),
            "enriched_by": detail.get("model_version"),
            "unknown": detail.get("reasons", []),
            "duplicates": [m for m in store.cluster_members(row.cluster_id) if m != row.id],
            "similar": similar,
        }
    )


def _message(error: Exception) -> str:
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


# --- Template helpers ---------------------------------------------------------------------------


def _link(
    params: list[tuple[str, str]],
    *,
    set_: dict[str, str] | None = None,
    toggle: tuple[str, str] | None = None,
    drop: list[str] | None = None,
) -> str:
    """``/?…`` with the current parameters changed: some set, one value toggled, some dropped."""
    changed = [(k, v) for k, v in params if k not in (drop or []) and k not in (set_ or {})]
    for key, value in (set_ or {}).items():
        if value:
            changed.append((key, value))
    if toggle is not None:
        if toggle in changed:
            changed.remove(toggle)
        else:
            changed.append(toggle)
    return "/?" + urlencode(changed) if changed else "/"


def _job_path(job_id: str) -> str:
    """The page of a job, its id quoted (ids come from sources).

    >>> _job_path("greenhouse:acme:1"), _job_path("x/y z?#")
    ('/jobs/greenhouse:acme:1', '/jobs/x/y%20z%3F%23')
    """
    return "/jobs/" + quote(job_id, safe="/:@!$&'()*+,;=")


def _without(query: str, source: str) -> str:
    """The query with a chip's words taken out (once, any case)."""
    pattern = re.compile(re.escape(source), re.IGNORECASE)
    return " ".join(pattern.sub(" ", query, count=1).split())


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _money(salary: Any) -> str:
    if not salary:
        return ""
    amounts = [f"{v:,.0f}" for v in (salary.min, salary.max) if v is not None]
    if len(amounts) == 2 and amounts[0] == amounts[1]:
        amounts = amounts[:1]
    return f"{salary.currency} {'–'.join(amounts)} / {salary.period}"
