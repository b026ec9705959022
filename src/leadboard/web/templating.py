"""The Jinja2 templates of the pages and the helpers they call (links, money, percentages)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from leadboard.web.security import safe_url

HERE = Path(__file__).parent


def make_templates() -> Jinja2Templates:
    """The templates (``.html`` autoescaped) with the helpers below as globals."""
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(link=link, percent=percent, money=money, job_path=job_path)
    templates.env.filters["safe_url"] = safe_url
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


def without(query: str, source: str) -> str:
    """The query with a chip's words taken out (once, any case).

    >>> without("Staff LLM remote roles", "REMOTE")
    'Staff LLM roles'
    """
    pattern = re.compile(re.escape(source), re.IGNORECASE)
    return " ".join(pattern.sub(" ", query, count=1).split())


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def money(salary: Any) -> str:
    """A card's pay for a page: "USD 200,000–250,000 / year"."""
    if not salary:
        return ""
    amounts = [f"{v:,.0f}" for v in (salary.min, salary.max) if v is not None]
    if len(amounts) == 2 and amounts[0] == amounts[1]:
        amounts = amounts[:1]
    return f"{salary.currency} {'–'.join(amounts)} / {salary.period}"
