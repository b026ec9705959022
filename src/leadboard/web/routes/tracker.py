"""The application tracker: the ``/tracker`` board, "Save" and "Hide" on result cards and job
pages, and ``/api/v1/tracker`` (list, one job, a move or a note, take a job out, export).

The work is in ``workspace/tracker.py`` (which moves are allowed, the board, the export). Each
route reads and writes only the caller's tracker (``OwnerDep``); changes declare ``WRITES``, and
the page's forms are refused when another site sends them. A refused move answers 409 with the
reason; a job the store does not hold, 404.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from leadboard.web.params import ERRORS
from leadboard.web.routes.saved import FORM
from leadboard.web.schemas import ErrorOut, TrackedJobOut, TrackerChange
from leadboard.web.security import WRITES, OwnerDep, safe_url
from leadboard.web.site import Site, SiteDep
from leadboard.workspace.store import JOB_STATES, JobState, UntrackedJob, Workspace
from leadboard.workspace.tracker import (
    BOARD,
    STATE_NAMES,
    ImpossibleMove,
    TrackedJob,
    UnknownJob,
    as_json,
    board,
    export_csv,
    export_json,
    move,
    tracked_jobs,
)

router = APIRouter()
REFUSED: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorOut},
    404: {"model": ErrorOut},
    409: {"model": ErrorOut},
}


def tracked_out(tracked: TrackedJob) -> TrackedJobOut:
    """A tracked job as the API answers it."""
    return TrackedJobOut.model_validate({**as_json(tracked), "job": tracked.card})


def change(site: Site, owner: str, body: TrackerChange) -> TrackedJob:
    """Apply a move and/or a note (neither: the job as it stands); the HTTP error that says why
    when it cannot be."""
    workspace = Workspace(site.store.engine)
    try:
        if body.state is not None:
            return move(
                workspace,
                site.store,
                body.job_id,
                body.state,
                note=body.note,
                reopen=body.reopen,
                owner=owner,
                at=body.at,
            )
        if body.note.strip():
            workspace.note_job(body.job_id, body.note, owner=owner, at=body.at)
    except (UnknownJob, UntrackedJob) as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except ImpossibleMove as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    found = tracked_jobs(workspace, site.store, owner, job_ids=[body.job_id])
    if not found:  # neither a state nor a note: nothing to change, and nothing tracked
        raise HTTPException(status_code=404, detail=f"job {body.job_id[:200]!r} is not tracked")
    return found[0]


# --- the API -----------------------------------------------------------------------------------


@router.get("/api/v1/tracker", response_model=list[TrackedJobOut], tags=["tracker"])
def api_tracker(
    site: SiteDep,
    owner: OwnerDep,
    state: Annotated[list[JobState] | None, Query(description="Only these states.")] = None,
) -> list[TrackedJobOut]:
    """Your tracked jobs (saved, hidden, applied to…), most recently changed first, each with
    its steps' dates, notes and whether the posting is still open."""
    found = tracked_jobs(Workspace(site.store.engine), site.store, owner, states=state)
    return [tracked_out(each) for each in found]


@router.get(
    "/api/v1/tracker/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
    tags=["tracker"],
)
def api_tracker_export(
    site: SiteDep, owner: OwnerDep, format: Literal["csv", "json"] = "csv"
) -> Response:
    """Your tracker as a file: CSV (one row a job, a column a state's date) or JSON (with every
    step)."""
    found = tracked_jobs(Workspace(site.store.engine), site.store, owner)
    if format == "json":
        body, media = export_json(found), "application/json"
    else:
        body, media = export_csv(found), "text/csv; charset=utf-8"
    disposition = f'attachment; filename="leadboard-tracker.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get(
    "/api/v1/tracker/{job_id:path}",
    response_model=TrackedJobOut,
    responses={**ERRORS, 404: {"model": ErrorOut}},
    tags=["tracker"],
)
def api_tracked_job(site: SiteDep, owner: OwnerDep, job_id: str) -> TrackedJobOut:
    """One job of your tracker."""
    found = tracked_jobs(Workspace(site.store.engine), site.store, owner, job_ids=[job_id])
    if not found:
        raise HTTPException(status_code=404, detail=f"job {job_id[:200]!r} is not in your tracker")
    return tracked_out(found[0])


@router.post(
    "/api/v1/tracker",
    response_model=TrackedJobOut,
    responses=REFUSED,
    dependencies=[WRITES],
    tags=["tracker"],
)
def api_track(site: SiteDep, owner: OwnerDep, body: TrackerChange) -> TrackedJobOut:
    """Save, hide, or move a job to the next step of its application, with a note (or add a
    note alone). A step back needs ``reopen``; an impossible move is refused (409)."""
    return tracked_out(change(site, owner, body))


@router.delete(
    "/api/v1/tracker/{job_id:path}",
    status_code=204,
    response_class=Response,
    responses={**ERRORS, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
    dependencies=[WRITES],
    tags=["tracker"],
)
def api_untrack(site: SiteDep, owner: OwnerDep, job_id: str) -> Response:
    """Take a job out of your tracker (unsave or unhide it), its steps with it."""
    try:
        Workspace(site.store.engine).forget_job(job_id, owner)
    except UntrackedJob as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return Response(status_code=204)


# --- the pages ---------------------------------------------------------------------------------


def back_to(next_page: str) -> str:
    """Where a form sends the browser back to: a path on this site only, else the board.

    >>> back_to("/?q=ml+lead"), back_to("https://evil.example/"), back_to("//evil.example")
    ('/?q=ml+lead', '/tracker', '/tracker')
    """
    path = safe_url(next_page)
    return path if path.startswith("/") else "/tracker"


@router.get("/tracker", response_class=HTMLResponse, include_in_schema=False)
def tracker_page(request: Request, site: SiteDep, owner: OwnerDep) -> Any:
    found = tracked_jobs(Workspace(site.store.engine), site.store, owner)
    return site.templates.TemplateResponse(
        request,
        "tracker.html",
        {
            "columns": board(found),
            "states": BOARD,
            "names": STATE_NAMES,
            "moves": [s for s in JOB_STATES if s != "hidden"],
            "count": len(found),
        },
    )


@router.post("/tracker", include_in_schema=False, dependencies=FORM)
def track_from_page(
    site: SiteDep,
    owner: OwnerDep,
    job_id: Annotated[str, Form(min_length=1, max_length=400)],
    state: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
    reopen: Annotated[bool, Form()] = False,
    next_page: Annotated[str, Form(alias="next", max_length=4000)] = "/tracker",
) -> RedirectResponse:
    """The forms of result cards, job pages and the board: a move, a note, or both."""
    if state and state not in JOB_STATES:
        raise HTTPException(status_code=422, detail=f"unknown state {state[:20]!r}")
    body = TrackerChange.model_validate(
        {"job_id": job_id, "state": state or None, "note": note, "reopen": reopen}
    )
    change(site, owner, body)
    return RedirectResponse(back_to(next_page), status_code=303)


@router.post("/tracker/remove", include_in_schema=False, dependencies=FORM)
def untrack_from_page(
    site: SiteDep,
    owner: OwnerDep,
    job_id: Annotated[str, Form(min_length=1, max_length=400)],
    next_page: Annotated[str, Form(alias="next", max_length=4000)] = "/tracker",
) -> RedirectResponse:
    try:
        Workspace(site.store.engine).forget_job(job_id, owner)
    except UntrackedJob as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return RedirectResponse(back_to(next_page), status_code=303)
