"""Company pages (``/companies/{slug}``, ``/api/v1/companies/{slug}``) and their index
(``/companies``): a company's open roles and what they say, from ``insights/company.py``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from leadboard.insights.company import RULE, Company, CompanyPage, build_page, charts_of, directory
from leadboard.insights.stats import MIN_SAMPLE
from leadboard.search.engine import ANY
from leadboard.web.params import ERRORS
from leadboard.web.schemas import CompanyAnswer, ErrorOut, JobCard
from leadboard.web.site import Site, SiteDep

router = APIRouter()
StaleDep = Annotated[
    bool,
    Query(description="Count postings not confirmed open for a while (an old dump's) as open too."),
]
INDEX_SIZE = 200  # companies the index lists, most jobs first
ROLES_SHOWN = 50  # open roles a company page lists (the search lists them all)


@router.get(
    "/api/v1/companies/{slug}",
    response_model=CompanyAnswer,
    responses={**ERRORS, 404: {"model": ErrorOut}},
    tags=["companies"],
)
def api_company(site: SiteDep, slug: str, include_stale: StaleDep = False) -> CompanyAnswer:
    """A company: its open roles, ML-leadership share, remote mix, stated pay, openings by
    month and boards, each figure with its sample size."""
    return answer_of(company_page(site, slug, include_stale=include_stale))


@router.get("/companies/{slug}", response_class=HTMLResponse, include_in_schema=False)
def company_html(
    request: Request, site: SiteDep, slug: str, include_stale: StaleDep = False
) -> Any:
    page = company_page(site, slug, include_stale=include_stale)
    return site.templates.TemplateResponse(
        request,
        "company.html",
        {
            "page": page,
            "roles": [JobCard.model_validate(card) for card in page.roles[:ROLES_SHOWN]],
            "charts": charts_of(page),
            "min_sample": MIN_SAMPLE,
            "roles_shown": ROLES_SHOWN,
            # The search lists every role of every name the company goes by.
            "search_link": "/?"
            + urlencode([("family", ANY), *(("company", name) for name in page.company.names)]),
        },
    )


@router.get("/companies", response_class=HTMLResponse, include_in_schema=False)
def companies_html(request: Request, site: SiteDep) -> Any:
    companies = sorted(
        directory(site.store.company_names()).values(), key=lambda c: (-c.jobs, c.slug)
    )
    return site.templates.TemplateResponse(
        request,
        "companies.html",
        {"companies": companies[:INDEX_SIZE], "total": len(companies), "rule": RULE},
    )


def company_page(site: Site, slug: str, *, include_stale: bool = False) -> CompanyPage:
    """The page of the company ``slug``, or 404."""
    company: Company | None = directory(site.store.company_names()).get(slug)
    if company is None:
        raise HTTPException(status_code=404, detail=f"no company {slug[:200]!r}")
    return build_page(site.store, company, include_stale=include_stale)


def answer_of(page: CompanyPage) -> CompanyAnswer:
    fields = asdict(page)
    company = fields.pop("company")
    return CompanyAnswer.model_validate(
        {
            **fields,
            "slug": company["slug"],
            "name": company["name"],
            "names": [{"name": n, "jobs": jobs} for n, jobs in company["names"].items()],
        }
    )
