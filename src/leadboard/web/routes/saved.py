"""Saved searches: the ``/saved`` page, "Save this search" on the search page, each search's Atom
feed (``/feeds/{id}.atom``) and ``/api/v1/saved-searches``.

A saved search keeps the filters of the search page's URL (``SearchParams``, read by
``params.search_request``); the work is in ``workspace/``. Routes that change saved searches
declare ``WRITES`` (a token, when the app needs one); each reads and writes only the caller's
saved searches (``OwnerDep``: a user's token, else "local"); the page's forms are refused when
another site sends them. Opening a saved search's results (``/saved/{id}``) marks them seen.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from leadboard.search.engine import SearchFilters
from leadboard.web.params import ERRORS, search_request
from leadboard.web.routes.search import SearchDep
from leadboard.web.schemas import (
    ErrorOut,
    SavedSearchIn,
    SavedSearchOut,
    SavedSearchRename,
    SearchParams,
)
from leadboard.web.security import WRITES, OwnerDep
from leadboard.web.site import Site, SiteDep
from leadboard.web.templating import job_path
from leadboard.workspace.feeds import MEDIA_TYPE, atom_feed
from leadboard.workspace.searches import matches, new_since, newest
from leadboard.workspace.store import (
    MAX_ID,
    InvalidSavedSearch,
    SavedSearchRow,
    UnknownSavedSearch,
    Workspace,
)

router = APIRouter()
UNKNOWN: dict[int | str, dict[str, Any]] = {**ERRORS, 404: {"model": ErrorOut}}


SearchId = Annotated[int, Path(ge=1, le=MAX_ID, description="A saved search's id.")]


def same_site(request: Request) -> None:
    """Refuse a form another site's page sent (a cross-site request forgery): browsers say
    where a request comes from in ``Sec-Fetch-Site`` and ``Origin``."""
    here = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site") or (
        origin not in (None, "null", here)
    ):
        raise HTTPException(status_code=403, detail="this form can only be sent from this site")


FORM = [WRITES, Depends(same_site)]


# --- what a saved search keeps, as the search page's URL says it ---------------------------------


def filters_of(params: SearchParams) -> SearchFilters:
    """The engine's filters for the parameters of a search URL (``params.search_request``)."""
    return search_request(**params.model_dump()).filters


def params_of(filters: SearchFilters) -> SearchParams:
    """A saved search's filters as the search URL names them (``filters_of``'s inverse).

    >>> params_of(SearchFilters(remote=["remote"], salary_min=185500.0)).min_salary
    '185500'
    """
    floor = filters.salary_min
    return SearchParams.model_validate(
        {
            "family": filters.role_family or [],
            "seniority": filters.seniority,
            "remote": filters.remote,
            "country": filters.country,
            "city": filters.city,
            "skill": filters.skills,
            "company": filters.company,
            "min_salary": None if floor is None else f"{floor:.2f}".removesuffix(".00"),
            "currency": filters.salary_currency,
            "period": filters.salary_period,
            "convert": filters.convert_currency,
            "posted_within": filters.posted_within_days,
            "years_max": filters.years_max,
            "unstated_pay": filters.include_unstated_pay,
        }
    )


def results_link(saved: SavedSearchRow) -> str:
    """The search page of a saved search's results.

    >>> from datetime import UTC, datetime
    >>> now = datetime.now(UTC)
    >>> saved = SavedSearchRow(1, "local", "x", "llm lead", SearchFilters(remote=["remote"],
    ...     role_family=["any"]), "newest", now, now)
    >>> results_link(saved)
    '/?q=llm+lead&family=any&remote=remote&sort=newest'
    """
    pairs: list[tuple[str, str]] = [("q", saved.query)] if saved.query else []
    for key, value in params_of(saved.filters).model_dump(exclude_defaults=True).items():
        for each in value if isinstance(value, list) else [value]:
            pairs.append((key, str(each).lower() if isinstance(each, bool) else str(each)))
    if saved.sort != "relevance":
        pairs.append(("sort", saved.sort))
    return "/?" + urlencode(pairs) if pairs else "/"


def described(site: Site, saved: SavedSearchRow, *, counted: bool = True) -> SavedSearchOut:
    """A saved search as the API and the page show it, with its counts unless told not to."""
    found = matches(site.engine, saved) if counted else None
    return SavedSearchOut(
        id=saved.id,
        name=saved.name,
        query=saved.query,
        filters=params_of(saved.filters),
        sort=saved.sort,
        created_at=saved.created_at,
        last_seen_at=saved.last_seen_at,
        feed=saved.feed,
        results=f"/saved/{saved.id}",
        matching=None if found is None else len(found),
        new=None if found is None else new_since(found, saved.last_seen_at),
    )


def _known(site: Site, search_id: SearchId, owner: str) -> SavedSearchRow:
    try:
        return Workspace(site.store.engine).search(search_id, owner)
    except UnknownSavedSearch as error:
        raise HTTPException(status_code=404, detail=str(error)) from error


def _unprocessable(error: InvalidSavedSearch) -> HTTPException:
    return HTTPException(status_code=422, detail=str(error))


# --- the API -----------------------------------------------------------------------------------


@router.get("/api/v1/saved-searches", response_model=list[SavedSearchOut], tags=["saved"])
def api_saved_searches(site: SiteDep, owner: OwnerDep) -> list[SavedSearchOut]:
    """Your saved searches, oldest first, each with its open postings and how many are new
    since you last opened its results."""
    return [described(site, saved) for saved in Workspace(site.store.engine).searches(owner)]


@router.post(
    "/api/v1/saved-searches",
    response_model=SavedSearchOut,
    status_code=201,
    responses={**ERRORS, 401: {"model": ErrorOut}},
    dependencies=[WRITES],
    tags=["saved"],
)
def api_save_search(site: SiteDep, owner: OwnerDep, body: SavedSearchIn) -> SavedSearchOut:
    """Keep a search (its words, the filters of GET /api/v1/search, a sort) under a name."""
    try:
        saved = Workspace(site.store.engine).add_search(
            body.query,
            name=body.name,
            filters=filters_of(body.filters),
            sort=body.sort,
            owner=owner,
        )
    except InvalidSavedSearch as error:
        raise _unprocessable(error) from error
    return described(site, saved)


@router.get(
    "/api/v1/saved-searches/{search_id}",
    response_model=SavedSearchOut,
    responses=UNKNOWN,
    tags=["saved"],
)
def api_saved_search(site: SiteDep, owner: OwnerDep, search_id: SearchId) -> SavedSearchOut:
    """One saved search, with its counts."""
    return described(site, _known(site, search_id, owner))


@router.patch(
    "/api/v1/saved-searches/{search_id}",
    response_model=SavedSearchOut,
    responses={**UNKNOWN, 401: {"model": ErrorOut}},
    dependencies=[WRITES],
    tags=["saved"],
)
def api_rename_saved_search(
    site: SiteDep, owner: OwnerDep, search_id: SearchId, body: SavedSearchRename
) -> SavedSearchOut:
    """Rename a saved search."""
    try:
        saved = Workspace(site.store.engine).rename_search(search_id, body.name, owner)
    except UnknownSavedSearch as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except InvalidSavedSearch as error:
        raise _unprocessable(error) from error
    return described(site, saved, counted=False)


@router.delete(
    "/api/v1/saved-searches/{search_id}",
    status_code=204,
    response_class=Response,
    responses={**UNKNOWN, 401: {"model": ErrorOut}},
    dependencies=[WRITES],
    tags=["saved"],
)
def api_remove_saved_search(site: SiteDep, owner: OwnerDep, search_id: SearchId) -> Response:
    """Forget a saved search."""
    try:
        Workspace(site.store.engine).remove_search(search_id, owner)
    except UnknownSavedSearch as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return Response(status_code=204)


# --- the feed ----------------------------------------------------------------------------------


@router.get("/feeds/{search_id:int}.atom", include_in_schema=False)
def feed(request: Request, site: SiteDep, owner: OwnerDep, search_id: SearchId) -> Response:
    """A saved search's newest open postings as Atom."""
    saved = _known(site, search_id, owner)
    base = str(request.base_url).rstrip("/")
    body = atom_feed(
        saved,
        newest(site.engine, matches(site.engine, saved)),
        base_url=base,
        job_url=lambda job_id: base + job_path(job_id),
    )
    return Response(body, media_type=MEDIA_TYPE)


# --- the pages ---------------------------------------------------------------------------------


@router.get("/saved", response_class=HTMLResponse, include_in_schema=False)
def saved_page(request: Request, site: SiteDep, owner: OwnerDep) -> Any:
    searches = [described(site, s) for s in Workspace(site.store.engine).searches(owner)]
    return site.templates.TemplateResponse(request, "saved.html", {"searches": searches})


@router.post("/saved", include_in_schema=False, dependencies=FORM)
def save_from_page(
    site: SiteDep,
    owner: OwnerDep,
    search: SearchDep,
    name: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """The search page's "Save this search": the search is the form's URL, the name its field."""
    try:
        Workspace(site.store.engine).add_search(
            search.q, name=name or None, filters=search.filters, sort=search.sort, owner=owner
        )
    except InvalidSavedSearch as error:
        raise _unprocessable(error) from error
    return RedirectResponse("/saved", status_code=303)


@router.get("/saved/{search_id:int}", include_in_schema=False)
def open_saved(site: SiteDep, owner: OwnerDep, search_id: SearchId) -> RedirectResponse:
    """Its results, now seen: nothing in them is new any more."""
    _known(site, search_id, owner)
    saved = Workspace(site.store.engine).mark_seen(search_id, owner)
    return RedirectResponse(results_link(saved), status_code=303)


@router.post("/saved/{search_id:int}/rename", include_in_schema=False, dependencies=FORM)
def rename_from_page(
    site: SiteDep, owner: OwnerDep, search_id: SearchId, name: Annotated[str, Form(max_length=200)]
) -> RedirectResponse:
    try:
        Workspace(site.store.engine).rename_search(search_id, name, owner)
    except UnknownSavedSearch as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except InvalidSavedSearch as error:
        raise _unprocessable(error) from error
    return RedirectResponse("/saved", status_code=303)


@router.post("/saved/{search_id:int}/delete", include_in_schema=False, dependencies=FORM)
def remove_from_page(site: SiteDep, owner: OwnerDep, search_id: SearchId) -> RedirectResponse:
    try:
        Workspace(site.store.engine).remove_search(search_id, owner)
    except UnknownSavedSearch as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return RedirectResponse("/saved", status_code=303)
