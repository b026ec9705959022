"""The market pages: of a search (``/insights?…``) or of a named topic (``/insights/{slug}``),
counted once per change of the index (``Site.pages``), then kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from leadboard.insights.page import UnknownTopic, topic_for
from leadboard.insights.render import to_html
from leadboard.search.engine import SearchRequest
from leadboard.web.params import search_request
from leadboard.web.site import SiteDep

router = APIRouter()


@router.get("/insights", response_class=HTMLResponse, include_in_schema=False)
def insights_search(
    request: Request,
    site: SiteDep,
    search: Annotated[SearchRequest, Depends(search_request)],
) -> Any:
    page = site.pages.page(q=search.q, filters=search.filters)
    return HTMLResponse(to_html(page, listing=f"/?{request.url.query}"))


@router.get("/insights/{slug}", response_class=HTMLResponse, include_in_schema=False)
def insights_topic(site: SiteDep, slug: str) -> Any:
    try:
        topic = topic_for(slug)
    except UnknownTopic as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return HTMLResponse(to_html(site.pages.page(topic=topic)))
