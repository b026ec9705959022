"""One job: its page and ``/api/v1/jobs/{id}`` (the card, what enrichment found, similar jobs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from leadboard.normalize.html import sanitize_html
from leadboard.search.engine import job_card
from leadboard.web.params import ERRORS
from leadboard.web.schemas import ErrorOut, JobDetail
from leadboard.web.security import MaybeOwnerDep
from leadboard.web.site import Site, SiteDep
from leadboard.workspace.store import Workspace
from leadboard.workspace.tracker import states_of

router = APIRouter()


@router.get(
    "/api/v1/jobs/{job_id:path}",
    response_model=JobDetail,
    responses={**ERRORS, 404: {"model": ErrorOut}},
    tags=["jobs"],
)
def api_job(site: SiteDep, job_id: str) -> JobDetail:
    """One job with what enrichment found (and the evidence) and similar jobs."""
    return job_detail(site, job_id)


@router.get("/jobs/{job_id:path}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, site: SiteDep, job_id: str, owner: MaybeOwnerDep) -> Any:
    detail = job_detail(site, job_id)
    row = site.store.get_job(detail.job.id)
    description = sanitize_html(row.description_html) if row else ""
    # Where the job stands in the caller's tracker (None: Save / Hide are offered).
    tracked = states_of(Workspace(site.store.engine), owner, [job_id]) if owner else {}
    return site.templates.TemplateResponse(
        request,
        "job.html",
        {"detail": detail, "description_html": description, "tracked": tracked.get(job_id)},
    )


def job_detail(site: Site, job_id: str) -> JobDetail:
    """The job ``job_id`` in full, or 404."""
    row = site.store.get_job(job_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no job with id {job_id[:200]!r}")
    enrichment = site.store.get_enrichment(job_id)
    detail = enrichment.detail if enrichment else {}
    similar = [
        {"job": hit.job, "score": hit.score, "highlights": hit.highlights}
        for hit in site.engine.similar(job_id, limit=6)
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
            "duplicates": [m for m in site.store.cluster_members(row.cluster_id) if m != row.id],
            "similar": similar,
        }
    )
