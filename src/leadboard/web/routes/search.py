"""The search page and the search API: one ``SearchRequest`` from the URL, one engine call."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from leadboard.search.engine import SearchRequest
from leadboard.search.index import SALARY_PERIODS
from leadboard.web.params import LIMITED, search_request
from leadboard.web.schemas import FacetsAnswer, SearchAnswer
from leadboard.web.site import Site, SiteDep
from leadboard.web.templating import link, without

router = APIRouter()
# The search form's currency list: the usual ones; any ISO code is accepted in the URL.
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "CHF", "AUD", "INR", "SGD", "JPY", "PLN", "SEK")
SearchDep = Annotated[SearchRequest, Depends(search_request)]


def answer_for(site: Site, search: SearchRequest) -> SearchAnswer:
    return SearchAnswer.model_validate(site.engine.search(search).as_dict())


@router.get("/api/v1/search", response_model=SearchAnswer, responses=LIMITED, tags=["search"])
def api_search(site: SiteDep, search: SearchDep) -> SearchAnswer:
    """Jobs for a query and filters, with the parsed chips and facet counts."""
    return answer_for(site, search)


@router.get("/api/v1/facets", response_model=FacetsAnswer, responses=LIMITED, tags=["search"])
def api_facets(site: SiteDep, search: SearchDep) -> FacetsAnswer:
    """Only the facet counts of a search."""
    answer = answer_for(site, search)
    return FacetsAnswer(total=answer.total, facets=answer.facets)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, site: SiteDep, search: SearchDep) -> Any:
    answer = answer_for(site, search)
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
            "currencies": CURRENCIES,
            "periods": SALARY_PERIODS,
            "chip_links": {
                chip.source: link(params, set_={"q": without(search.q, chip.source)}, drop=["page"])
                for chip in answer.query.chips
            },
        },
    )
