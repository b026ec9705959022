"""A match request over HTTP, within a time budget and no longer than its client waits.

The body is read with its size capped (``match.form``: the whole body, not only each part);
then the work that grows with what was sent runs apart from the server:

- **Reading the résumé** runs in a worker process (pebble's pool, forked from a server that
  has the readers loaded): when the budget is spent or the client goes, the worker is killed,
  not waited for. A thread could only be abandoned, burning a CPU, and would keep a SIGTERM'd
  server from exiting.
- **Matching** a profile is bounded work (a profile is small and capped) and runs in a thread;
  past the budget it is abandoned and the answer is a 503 that says so.

>>> from leadboard.match.form import status_of
>>> status_of(too_slow(2.0)), too_slow(2.0).problem
(503, 'too_slow')
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date
from functools import cache
from typing import Any, TypeVar, get_args

import anyio
from pebble import ProcessExpired, ProcessPool
from starlette.requests import Request

from leadboard.enrich.role import FAMILIES
from leadboard.match.documents import ResumeError, resume_text
from leadboard.match.form import (
    DEFAULT_LIMIT,
    FILE_FIELD,
    MAX_FIELDS_BYTES,
    MAX_SUMMARY,
    Form,
    filters_from,
    no_resume,
    profile_from,
    read_match_form,
)
from leadboard.match.matcher import MAX_LIMIT, Matcher, MatchResponse
from leadboard.match.profile import LeadershipKind, Profile, read_profile
from leadboard.models import Seniority
from leadboard.search.engine import ANY

T = TypeVar("T")

# The form POST /api/v1/match reads (match/form.py), as OpenAPI says it: a multipart body with
# the résumé file, or the profile answered before with the person's corrections.
MATCH_FORM_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        FILE_FIELD: {
                            "type": "string",
                            "format": "binary",
                            "description": "The résumé: PDF, DOCX, TXT or Markdown, up to 5 MB.",
                        },
                        "profile": {
                            "type": "string",
                            "maxLength": MAX_FIELDS_BYTES,
                            "description": (
                                "Instead of a résumé: the profile this API answered before (JSON)."
                            ),
                        },
                        "edited": {
                            "type": "string",
                            "enum": ["", "1"],
                            "description": "1: the fields below correct the profile.",
                        },
                        "titles": {
                            "type": "string",
                            "description": "One title a line, most recent first.",
                        },
                        "seniority": {"type": "string", "enum": list(get_args(Seniority))},
                        "years_total": {"type": "number", "minimum": 0, "maximum": 80},
                        "years_ml": {"type": "number", "minimum": 0, "maximum": 80},
                        "people_managed": {"type": "integer", "minimum": 0},
                        "skills": {
                            "type": "string",
                            "description": "Skill names, comma-separated.",
                        },
                        "leadership": {
                            "type": "array",
                            "items": {"type": "string", "enum": list(get_args(LeadershipKind))},
                        },
                        "summary": {"type": "string", "maxLength": MAX_SUMMARY},
                        "remote": {"type": "boolean"},
                        "min_salary": {"type": "string", "example": "200k"},
                        "currency": {
                            "type": "string",
                            "pattern": "^[A-Za-z]{3}$",
                            "example": "USD",
                        },
                        "family": {
                            "type": "array",
                            "items": {"type": "string", "enum": [*FAMILIES, ANY]},
                        },
                        "limit": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_LIMIT,
                            "default": DEFAULT_LIMIT,
                        },
                    },
                },
                "encoding": {
                    FILE_FIELD: {
                        "contentType": "application/pdf, application/vnd."
                        "openxmlformats-officedocument.wordprocessingml.document, text/plain, "
                        "text/markdown, application/octet-stream"
                    }
                },
            },
        },
    }
}
# Seconds of work one match request may take, reading included (the app's
# ``state.match_budget`` overrides it): a résumé reads in well under a second.
MATCH_BUDGET_S = 10.0
WORKERS = max(1, min(4, os.cpu_count() or 1))


def too_slow(seconds: float) -> ResumeError:
    return ResumeError(
        "too_slow",
        f"Reading and matching this résumé took longer than the {seconds:g} s allowed (the "
        "server may be busy, or the file is unusually long or complex). Try again in a "
        "moment, or upload a shorter export of the résumé (PDF or plain text).",
    )


def client_gone() -> ResumeError:
    return ResumeError("gone", "The client closed the connection; the work was stopped.")


def read_resume(data: bytes, filename: str, today: date | None = None) -> Profile:
    """A résumé file's profile (what a worker process runs)."""
    return read_profile(resume_text(data, filename), today=today)


@cache
def _pool() -> ProcessPool:
    # Forked from a fresh server process with the readers already imported: a worker starts
    # in milliseconds (replacing a killed one included), and never inherits the web server's
    # threads or locks.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPool(max_workers=WORKERS, context=context)


async def read_in_worker(data: bytes, filename: str, seconds: float) -> Profile:
    """:func:`read_resume` in a worker process that is killed after ``seconds`` or as soon as
    the awaiting task is cancelled."""
    future = _pool().schedule(read_resume, args=(data, filename), timeout=seconds)
    try:
        return await asyncio.wrap_future(future)
    except FutureTimeout as error:
        raise too_slow(seconds) from error
    except ProcessExpired as error:  # the worker died (out of memory, killed)
        raise ResumeError(
            "corrupt", "This file could not be read. Export it again as PDF or plain text."
        ) from error
    finally:
        future.cancel()  # still running (deadline, client gone): pebble stops its worker


async def within_budget(request: Request, work: Callable[[], Awaitable[T]], seconds: float) -> T:
    """``work()``'s result, or ``ResumeError`` "too_slow" after ``seconds`` and "gone" as soon
    as the client disconnects; either way the work is cancelled, not left running."""
    outcome: list[T] = []
    failure: list[ResumeError] = []
    gone = anyio.Event()

    async with anyio.create_task_group() as group:

        async def watch() -> None:
            # The body is read: the next message is the client's disconnect, if it comes.
            while (await request.receive())["type"] != "http.disconnect":
                pass
            gone.set()
            group.cancel_scope.cancel()

        group.start_soon(watch)
        with anyio.move_on_after(seconds):
            try:
                outcome.append(await work())
            except ResumeError as error:
                failure.append(error)
        group.cancel_scope.cancel()
    if failure:
        raise failure[0]
    if outcome:
        return outcome[0]
    raise client_gone() if gone.is_set() else too_slow(seconds)


async def match_upload(matcher: Matcher, request: Request) -> tuple[Form, MatchResponse]:
    """Read a match form from ``request`` and match what it carries (the résumé file if there
    is one, else the profile sent back), within the app's match budget."""
    form = await read_match_form(request.headers, request.stream())
    filters, limit = filters_from(form)
    profile = profile_from(form)
    if form.file is None and profile is None:
        raise no_resume()
    seconds = float(getattr(request.app.state, "match_budget", MATCH_BUDGET_S))

    async def work() -> MatchResponse:
        read = profile
        if form.file is not None:
            read = await read_in_worker(form.file, form.filename or "", seconds)
        assert read is not None
        return await anyio.to_thread.run_sync(
            matcher.match, read, filters, limit, abandon_on_cancel=True
        )

    return form, await within_budget(request, work, seconds)
