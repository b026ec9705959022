"""The Jinja2 templates of the pages and the helpers they call (links, pay, dates, labels)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from leadboard import labels
from leadboard.insights.company import company_slug
from leadboard.normalize.urls import safe_http_url
from leadboard.web.security import safe_url

HERE = Path(__file__).parent


def make_templates() -> Jinja2Templates:
    """The templates (``.html`` autoescaped) with the helpers below as globals, and the words
    of ``leadboard/labels.py`` as filters (``{{ job.remote | label("remote") }}``,
    ``{{ job.salary | pay }}``, ``{{ job | when }}``)."""
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        link=link, percent=percent, job_path=job_path, company_path=company_path
    )
    templates.env.filters.update(
        safe_url=safe_url,
        http_url=safe_http_url,  # a posting's own URL: http(s) only, never a path on this site
        label=labels.label,
        filter_label=labels.filter_label,
        chip_label=labels.chip_label,
        pay=labels.pay,
        ago=labels.ago,
        when=labels.when,
    )
    return templates


def link(
    params: list[tuple[str, str]],
    *,
    set_: dict[str, str] | None = None,
    toggle: tuple[str, str] | None = None,
    drop: list[str] | None = None,
) -> str:
    """``/?…`` with the current parameters changed: some set, one value toggled, some dropped.

    >>> link([("q", "llm"), ("page", "2")], set_={"q": "rag"}, drop=["page"])
    '/?q=rag'
    >>> link([("remote", "remote")], toggle=("remote", "remote"))
    '/'
    """
    changed = [(k, v) for k, v in params if k not in (drop or []) and k not in (set_ or {})]
    for key, value in (set_ or {}).items():
        if value:
            changed.append((key, value))
    if toggle is not None:
        if toggle in changed:
            changed.remove(toggle)
        else:
            changed.append(toggle)
    return "/?" + urlencode(changed) if changed else "/"


def job_path(job_id: str) -> str:
    """The page of a job, its id quoted (ids come from sources).

    >>> job_path("greenhouse:acme:1"), job_path("x/y z?#")
    ('/jobs/greenhouse:acme:1', '/jobs/x/y%20z%3F%23')
    """
    return "/jobs/" + quote(job_id, safe="/:@!$&'()*+,;=")


def company_path(name: str | None) -> str:
    """The page of a company by a name its postings give ("" when the name has no letters to
    make one from): names of one company lead to one page (``insights/company.py``).

    >>> company_path("Meta Platforms, Inc."), company_path("DeepMind"), company_path("–")
    ('/companies/meta', '/companies/google-deepmind', '')
    """
    slug = company_slug(name or "")
    return "/companies/" + quote(slug, safe="") if slug else ""


def without(query: str, source: str) -> str:
    """The query with a chip's words taken out (once, any case).

    >>> without("Staff LLM remote roles", "REMOTE")
    'Staff LLM roles'
    """
    pattern = re.compile(re.escape(source), re.IGNORECASE)
    return " ".join(pattern.sub(" ", query, count=1).split())


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"
