"""The web app: server-rendered pages and the JSON API over one ``Site`` (store, engine…).

Pages (``/``, ``/jobs/{id}``, ``/match``, ``/insights``) are plain HTML forms and links — they work
without JavaScript — rendered by Jinja2 with autoescaping. The API (``/api/v1/search``,
``/api/v1/jobs/{id}``, ``/api/v1/facets``, ``/api/v1/match``) answers the typed models of
``schemas.py``; OpenAPI at ``/docs``. The routes are in ``web/routes/``, one ``APIRouter`` an
area; this module wires them, the error answers and the security middleware once.

    leadboard serve            # http://127.0.0.1:8000
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from leadboard.insights.page import PageCache
from leadboard.match import Matcher
from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store
from leadboard.web.params import BadRequest, error_message
from leadboard.web.routes import companies, docs, insights, jobs, match, saved, search, tracker
from leadboard.web.security import RateLimit, SecurityHeaders, refuse_open_writes
from leadboard.web.site import Site
from leadboard.web.templating import HERE, make_templates
from leadboard.workspace.store import Workspace

ROUTERS = (
    docs.router,
    search.router,
    jobs.router,
    match.router,
    insights.router,
    saved.router,
    companies.router,
    tracker.router,
)


def request_threads(store: Store) -> int | None:
    """How many requests a worker runs at once: the connections its store's pool keeps (None:
    a pool without a size, an in-memory store's). FastAPI runs each sync route in a thread of
    anyio's pool (40 by default); a request beyond the pool's size opens a connection that the
    pool closes when it comes back, and on PostgreSQL each such connection is a new backend
    process to start and warm (it doubled PostgreSQL's CPU a search under load: bench_server).
    More threads would only queue on the GIL and the 2 cores anyway.

    >>> request_threads(Store.open("sqlite://")) is None
    True
    """
    size = getattr(store.engine.pool, "size", None)
    return size() if callable(size) else None


def create_app(
    store: Store, engine: SearchEngine, *, public: bool = False, write_token: str | None = None
) -> FastAPI:
    """The app over ``store``, searching with ``engine`` (``pipeline.open_search`` makes one).

    ``public``: it will listen beyond loopback, so the expensive routes are rate-limited per
    client address, and routes that change stored data need ``write_token`` (without one,
    ``InsecureSetup`` is raised when there are such routes). A ``write_token`` given on loopback
    is required too."""
    threads = request_threads(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if threads is not None:  # per event loop: set once the server's loop runs
            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Leadboard",
        description="Search machine-learning leadership jobs: words, meaning and filters.",
        version="1",
        docs_url=None,  # served by routes/docs.py from local assets: no CDN, no inline script
        redoc_url=None,
    )
    templates = make_templates()
    app.state.site = Site(
        store=store,
        engine=engine,
        templates=templates,
        matcher=Matcher(engine),
        pages=PageCache(engine),
        public=public,
        write_token=write_token or None,
    )
    # Read by web/security.py (the tokens' checks, whose workspace, refuse_open_writes).
    app.state.public, app.state.write_token = public, write_token or None
    users = Workspace(store.engine)
    app.state.user_of_token, app.state.has_users = users.user_of_token, bool(users.users())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/swagger-ui", StaticFiles(packages=[("fastapi_offline", "static")]), name="swagger")

    def error_response(
        request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        """An error as the asker reads it: ErrorOut JSON for the API, a page for people."""
        if request.url.path.startswith(("/api/", "/openapi")):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message},
            status_code=status,
            headers=headers,
        )

    @app.exception_handler(BadRequest)
    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: Exception) -> Any:
        """Unknown filter values, out-of-range numbers: 422 with the reason, as JSON for the API
        and as a page for people."""
        message = error_message(error)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=422)
        return templates.TemplateResponse(
            request,
            "search.html",
            {"error": message, "answer": None, "params": [], "search": None},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """Unknown pages and jobs, wrong methods: an HTML page for people, JSON for the API."""
        return error_response(request, error.status_code, str(error.detail), error.headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        """A bug: said in the shape the asker reads (the traceback goes to the server's log)."""
        return error_response(request, 500, "internal error: the server's log says more")

    async def too_many(scope: Scope, retry_after: int) -> Response:
        return error_response(
            Request(scope),
            429,
            f"too many requests: try again in {retry_after} s",
            {"Retry-After": str(retry_after)},
        )

    if public:
        app.add_middleware(RateLimit, refuse=too_many)
    app.add_middleware(SecurityHeaders)  # outermost: errors and 429s carry the headers too
    for router in ROUTERS:
        app.include_router(router)
    refuse_open_writes(app)
    return app
