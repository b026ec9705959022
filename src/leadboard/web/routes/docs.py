"""``/docs``: Swagger UI from the assets the ``fastapi-offline`` package ships (no CDN)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from leadboard.web.site import SiteDep

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def docs(request: Request, site: SiteDep) -> Any:
    return site.templates.TemplateResponse(
        request, "docs.html", {"openapi_url": request.app.openapi_url}
    )
