"""The one object every route works with, wired once by ``app.create_app``.

Like datasette's ``Datasette`` instance: the store, the search engine over it, the résumé
matcher, the market-page cache and the templates, made once per app and reached by each route
through the ``SiteDep`` dependency (``request.app.state.site``) instead of closures or globals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from leadboard.insights.page import PageCache
from leadboard.match import Matcher
from leadboard.search.engine import SearchEngine
from leadboard.store.repository import Store


@dataclass
class Site:
    """What the web app serves from: made by ``create_app``, shared by every request."""

    store: Store
    engine: SearchEngine
    templates: Jinja2Templates
    matcher: Matcher  # résumés are read in memory (match/form.py), never kept or logged
    pages: PageCache  # market pages: counted once per change of the index, then kept
    public: bool = False  # listening beyond loopback: rate limits, writes need the token
    write_token: str | None = None


async def site(request: Request) -> Site:
    """The app's ``Site`` (a FastAPI dependency; async: it waits for nothing, so it needs no
    thread of FastAPI's pool, as a sync dependency would)."""
    found: Site = request.app.state.site
    return found


SiteDep = Annotated[Site, Depends(site)]
