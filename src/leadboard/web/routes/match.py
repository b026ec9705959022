"""Résumé matching: the page and ``/api/v1/match``. The résumé is read in memory
(``match/form.py``), within the app's time budget (``web/uploads.py``), never kept or logged."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from leadboard.enrich.role import FAMILIES
from leadboard.match import ResumeError
from leadboard.match.form import status_of
from leadboard.match.profile import LeadershipKind
from leadboard.models import Seniority
from leadboard.web.schemas import MatchAnswer, MatchErrorOut
from leadboard.web.site import SiteDep
from leadboard.web.uploads import MATCH_FORM_OPENAPI, match_upload

router = APIRouter()


@router.post(
    "/api/v1/match",
    response_model=MatchAnswer,
    tags=["match"],
    responses={code: {"model": MatchErrorOut} for code in (413, 415, 422)},
    openapi_extra=MATCH_FORM_OPENAPI,
)
async def api_match(request: Request, site: SiteDep) -> Any:
    """Jobs that fit a résumé (or a profile read before), each explained, and the skills
    that would open the most of them. Errors say what went wrong and what to do."""
    try:
        _, answer = await match_upload(site.matcher, request)
    except ResumeError as error:
        return JSONResponse(
            {"detail": error.message, "problem": error.problem}, status_code=status_of(error)
        )
    return MatchAnswer.model_validate(answer.as_dict())


@router.get("/match", response_class=HTMLResponse, include_in_schema=False)
def match_page(request: Request, site: SiteDep) -> Any:
    return site.templates.TemplateResponse(request, "match.html", page_context())


@router.post("/match", response_class=HTMLResponse, include_in_schema=False)
async def match_post(request: Request, site: SiteDep) -> Any:
    try:
        form, answer = await match_upload(site.matcher, request)
    except ResumeError as error:
        return site.templates.TemplateResponse(
            request,
            "match.html",
            page_context(error=error.message),
            status_code=status_of(error),
        )
    return site.templates.TemplateResponse(
        request,
        "match.html",
        page_context(
            answer=MatchAnswer.model_validate(answer.as_dict()),
            form=form,
            profile_json=answer.profile.model_dump_json(),
        ),
    )


def page_context(**values: Any) -> dict[str, Any]:
    """A fresh context for match.html (the template response adds the request to it)."""
    return {
        "answer": None,
        "error": None,
        "form": None,
        "search": None,
        "families": FAMILIES,
        "seniorities": get_args(Seniority),
        "leadership_kinds": get_args(LeadershipKind),
        **values,
    }
