"""The search page and the search API: one ``SearchRequest`` from the URL, one engine call."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from leadboard.search.engine import SearchRequest
from leadboard.search.index import SALARY_PERIODS
from leadboard.web.params import LIMITED, search_request
from leadboard.web.schemas import FacetsAnswer, SearchAnswer, SuggestionOut
from leadboard.web.security import MaybeOwnerDep
from leadboard.web.site import Site, SiteDep
from leadboard.web.templating import link, without
from leadboard.workspace.store import Workspace
from leadboard.workspace.tracker import states_of, without_hidden

router = APIRouter()
# The search form's currency list: the usual ones; any ISO code is accepted in the URL.
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "CHF", "AUD", "INR", "SGD", "JPY", "PLN", "SEK")
SearchDep = Annotated[SearchRequest, Depends(search_request)]


def answer_for(site: Site, search: SearchRequest, owner: str | None = None) -> SearchAnswer:
    """The engine's answer; without the jobs ``owner`` hid (the tracker), when there is one."""
    if owner is not None:
        search = without_hidden(search, Workspace(site.store.engine), owner)
    return SearchAnswer.model_validate(site.engine.search(search).as_dict())


# The API's routes are async and hand the engine's work to a thread themselves: a sync route
# would also have its answer validated in a thread of its own, one more wait for a thread (and
# for the GIL) a request under load.
@router.get("/api/v1/search", response_model=SearchAnswer, responses=LIMITED, tags=["search"])
async def api_search(site: SiteDep, search: SearchDep, owner: MaybeOwnerDep) -> SearchAnswer:
    """Jobs for a query and filters, with the parsed chips and facet counts (without the jobs
    you hid)."""
    return await run_in_threadpool(answer_for, site, search, owner)


@router.get("/api/v1/facets", response_model=FacetsAnswer, responses=LIMITED, tags=["search"])
async def api_facets(site: SiteDep, search: SearchDep, owner: MaybeOwnerDep) -> FacetsAnswer:
    """Only the facet counts of a search."""
    answer = await run_in_threadpool(answer_for, site, search, owner)
    return FacetsAnswer(total=answer.total, facets=answer.facets)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, site: SiteDep, search: SearchDep, owner: MaybeOwnerDep) -> Any:
    answer = answer_for(site, search, owner)
    params = list(request.query_params.multi_items())
    # No job at all is no fault of the query: the page says how to get some.
    store_empty = answer.total == 0 and not site.store.jobs_to_enrich("", limit=1)
    return site.templates.TemplateResponse(
        request,
        "search.html",
        {
            "answer": answer,
            "search": search,
            "params": params,
            "error": None,
            "store_empty": store_empty,
            # The tracker: each result's state, and where its Save / Hide forms come back to.
            "tracked": states_of(
                Workspace(site.store.engine), owner, [hit.job.id for hit in answer.results]
            )
            if owner is not None
            else {},
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            "currencies": CURRENCIES,
            "periods": SALARY_PERIODS,
            "chip_links": {
                chip.source: link(params, set_={"q": dropped(search.q, chip.source)}, drop=["page"])
                for chip in answer.query.chips
            },
            # A typed chip only ranks: a click makes it a filter ("berlin" → "berlin:").
            "chip_keep": {
                chip.source: link(
                    params, set_={"q": asked_for(search.q, chip.source)}, drop=["page"]
                )
                for chip in answer.query.chips
                if not chip.filtered
            },
            "suggestion_links": [
                (suggestion.label, suggestion_link(params, search.q, answer, suggestion))
                for suggestion in answer.suggestions
            ],
        },
    )


# A filter (SearchFilters' name) → its URL parameter, and the chip kind that can set it from q.
_FILTER_PARAMS = {
    "seniority": ("seniority", "seniority"),
    "remote": ("remote", "remote"),
    "country": ("country", "country"),
    "city": ("city", "city"),
    "skills": ("skill", "skill"),
    "company": ("company", None),
    "salary_min": ("min_salary", "salary_min"),
    "posted_within_days": ("posted_within", None),
    "years_max": ("years_max", None),
    "visa": (None, "visa"),
}


def suggestion_link(
    params: list[tuple[str, str]], q: str, answer: SearchAnswer, suggestion: SuggestionOut
) -> str:
    """The page without what a suggestion drops (a word, a filter), or with unstated pay."""
    if suggestion.kind == "word":
        return link(params, set_={"q": without(q, suggestion.name)}, drop=["page"])
    if suggestion.kind == "unstated_pay":
        return link(params, set_={"unstated_pay": "true"}, drop=["page"])
    if suggestion.name == "include_closed":
        return link(params, set_={"include_closed": "true"}, drop=["page"])
    if suggestion.name == "role_family":
        return link(params, set_={"family": "any"}, drop=["page"])
    param, kind = _FILTER_PARAMS.get(suggestion.name, (None, None))
    for chip in answer.query.chips:
        if chip.kind == kind and chip.filtered:
            q = dropped(q, chip.source)
    return link(params, set_={"q": q}, drop=["page", *([param] if param else [])])


def dropped(q: str, source: str) -> str:
    """The query without a chip's words, and the colon that made it a filter, if any.

    >>> dropped("team remote:", "remote"), dropped("team remote", "remote")
    ('team', 'team')
    """
    return without(q, source + ":") if source.lower() + ":" in q.lower() else without(q, source)


def asked_for(q: str, source: str) -> str:
    """The query with a chip's words marked as a filter asked for: "berlin" → "berlin:".

    >>> asked_for("ml lead berlin remote", "Berlin")
    'ml lead berlin: remote'
    """
    pattern = re.compile(rf"(?<![\w-]){re.escape(source)}(?![\w:-])", re.IGNORECASE)
    return pattern.sub(lambda match: match.group() + ":", q, count=1)
