"""A Greenhouse board's job, as its public API answers it, for tests that serve a board locally."""

from __future__ import annotations

from typing import Any


def greenhouse_job(job_id: int, title: str) -> dict[str, Any]:
    """One job of the Acme board (remote, escaped HTML content, a fixed update time)."""
    return {
        "id": job_id,
        "title": title,
        "absolute_url": f"https://job-boards.greenhouse.io/acme/jobs/{job_id}",
        "location": {"name": "Remote"},
        "content": f"&lt;p&gt;{title} at Acme: lead the ML platform team.&lt;/p&gt;",
        "updated_at": "2026-11-30T10:00:00Z",
    }
