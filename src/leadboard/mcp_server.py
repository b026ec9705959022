"""`leadboard mcp`: the search, the job pages, résumé matching and the market pages as tools an
AI assistant calls, over the Model Context Protocol (the official SDK's ``MCPServer``).

The tools answer from the same ``Site`` the web app's routes do — one store, one search engine
opened once, the résumé matcher, the market-page cache — and in the JSON API's typed models
(``web/schemas.py``), so a tool and its API route say the same thing. Each answer is capped
(``MAX_RESULTS`` results, ``MAX_DESCRIPTION`` characters of a description, the market page's top
``TOP_SKILLS`` skills) so that an assistant's context is not flooded; a bad argument is an error
result that says what was wrong, never a traceback.

    leadboard mcp                  # stdio: the assistant starts it
    leadboard mcp --http           # streamable HTTP at http://127.0.0.1:8765/mcp (loopback only)

Saved searches and the application tracker are tools too (``workspace/``): list, save and
remove saved searches; list the tracker, move a job to a state (save, hide, applied…) with a
note. The assistant acts as the machine's own user ("local"), and search_jobs leaves out the
jobs that user hid.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import HTTPException
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from leadboard.insights.page import TOP_SKILLS, MarketPage, PageCache, UnknownTopic, topic_for
from leadboard.match import Matcher, ResumeError
from leadboard.match.documents import MAX_TEXT
from leadboard.models import RemotePolicy, SalaryPeriod, Seniority
from leadboard.search.engine import ANY, Mode, SearchEngine, SearchFilters, Sort, job_card
from leadboard.search.query import parse_amount
from leadboard.store.schema import LOCAL_OWNER, Job
from leadboard.web.params import AMOUNT, MAX_PAGE, MAX_QUERY, BadRequest, Family, search_request
from leadboard.web.routes.jobs import job_detail
from leadboard.web.routes.saved import described, filters_of
from leadboard.web.routes.search import answer_for
from leadboard.web.routes.tracker import change as change_tracker
from leadboard.web.routes.tracker import tracked_out
from leadboard.web.schemas import (
    JobCard,
    JobDetail,
    MatchAnswer,
    ResultOut,
    SavedSearchIn,
    SavedSearchOut,
    SearchAnswer,
    TrackedJobOut,
    TrackerChange,
)
from leadboard.web.site import Site
from leadboard.web.templating import make_templates
from leadboard.workspace.store import InvalidSavedSearch, JobState, UnknownSavedSearch, Workspace
from leadboard.workspace.tracker import tracked_jobs

MAX_RESULTS = 20  # results one call answers at most (the API allows 100 a page): ~1.2 kB each
MAX_MATCHES = 10  # matched jobs, each explained in ~2.4 kB
MAX_DESCRIPTION = 8_000  # characters of a job's description get_job gives
DEFAULT_PORT = 8765
INSTRUCTIONS = (
    "Leadboard searches the job postings stored on this machine (machine-learning leadership "
    "roles by default). Find jobs with search_jobs, read one with get_job (dates are honest: "
    "date_note says what is known), find neighbours with similar_jobs, rank jobs for a résumé "
    "with match_resume, and describe a market with market_page. Job ids come from the results. "
    "The user's saved searches and application tracker: list_saved_searches, list_tracker, "
    "track_job."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, open_world_hint=False)

JobId = Annotated[
    str,
    Field(min_length=1, max_length=2_000, description="A job's id, as results give it."),
]
Limit = Annotated[int, Field(ge=1, le=MAX_RESULTS, description="Results to give.")]
Amount = Annotated[
    str | None, Field(pattern=AMOUNT, description="Pay floor as people type it: 200k, $185,000.")
]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO code of the floor.")]


@dataclass
class MarketPageOut(MarketPage):
    """A market page as ``leadboard insights --json`` prints it (``MarketPage.as_dict``)."""

    overview_text: str = ""


class SavedSearchesAnswer(BaseModel):
    """The saved searches, each with its open postings and those new since last looked."""

    saved_searches: list[SavedSearchOut]


class TrackerAnswer(BaseModel):
    """The tracked jobs, most recently changed first."""

    tracked: list[TrackedJobOut]


class SimilarAnswer(BaseModel):
    """The open jobs nearest to one job by meaning."""

    job: JobCard = Field(description="The job they are similar to.")
    results: list[ResultOut]
    notes: list[str] = Field(description="Why there are none, when there are none.")


def serve(
    engine: SearchEngine, *, http: bool = False, host: str = "127.0.0.1", port: int = DEFAULT_PORT
) -> None:
    """Answer over stdio until the assistant closes it, or (``http``) over streamable HTTP at
    ``http://host:port/mcp`` until stopped. The caller keeps ``host`` on loopback."""
    server = build_server(engine)
    threading.Thread(target=engine.warm_up, daemon=True).start()
    if http:
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("stdio")


def build_server(engine: SearchEngine) -> MCPServer:
    """The MCP server over the store ``engine`` searches (``pipeline.open_search`` makes it)."""
    site = Site(
        store=engine.store,
        engine=engine,
        templates=make_templates(),  # unused by the tools; Site is the web app's wiring
        matcher=Matcher(engine),
        pages=PageCache(engine),
    )
    server: MCPServer = MCPServer(
        "leadboard", instructions=INSTRUCTIONS, log_level="WARNING", subscriptions=False
    )

    def known(job_id: str) -> Job:
        """The stored job ``job_id``, or the error an assistant reads for an unknown one."""
        row = site.store.get_job(job_id)
        if row is None:
            message = f"no job with id {job_id[:200]!r}; job ids come from search_jobs results"
            raise ToolError(message)
        return row

    @server.tool(annotations=READ_ONLY)
    def search_jobs(
        q: Annotated[
            str,
            Field(
                max_length=MAX_QUERY,
                description='Words and inline filters: "llm platform lead remote london $200k+".',
            ),
        ] = "",
        family: Annotated[
            tuple[Family, ...],
            Field(description="Role families (default ml_leadership; any: all)."),
        ] = (),
        seniority: tuple[Seniority, ...] = (),
        remote: tuple[RemotePolicy, ...] = (),
        country: Annotated[tuple[str, ...], Field(description="ISO alpha-2 codes: US, GB…")] = (),
        city: tuple[str, ...] = (),
        skill: Annotated[tuple[str, ...], Field(description="Skills every job must ask.")] = (),
        company: tuple[str, ...] = (),
        min_salary: Amount = None,
        currency: Currency = "USD",
        period: Annotated[SalaryPeriod, Field(description="Of min_salary.")] = "year",
        convert: Annotated[
            bool, Field(description="Compare pay in other currencies at dated ECB rates.")
        ] = True,
        posted_within: Annotated[int | None, Field(ge=1, le=3650, description="Days.")] = None,
        years_max: Annotated[
            int | None, Field(ge=0, le=60, description="Jobs asking at most this many years.")
        ] = None,
        sort: Sort = "relevance",
        page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, Field(ge=1, le=MAX_RESULTS)] = 10,
        include_closed: bool = False,
        mode: Annotated[Mode, Field(description="hybrid, or lexical / semantic alone.")] = "hybrid",
        facets: Annotated[
            bool, Field(description="Also count the results by family, remote, country…")
        ] = False,
    ) -> Annotated[CallToolResult, SearchAnswer]:
        """Search the stored jobs by words and meaning, with the filters of the web search
        (the same parameters as GET /api/v1/search). Results are ranked; each has the job's
        card (title, company, place, remote policy, pay, seniority, honest dates in date_note,
        closed and stale flags) and highlighted snippets (<mark> around the query's words).
        query.chips shows the filters read from the words; notes say what the search lacks."""
        try:
            request = search_request(
                q=q,
                family=list(family),
                seniority=list(seniority),
                remote=list(remote),
                country=list(country),
                city=list(city),
                skill=list(skill),
                company=list(company),
                min_salary=min_salary,
                currency=currency,
                period=period,
                convert=convert,
                posted_within=posted_within,
                years_max=years_max,
                sort=sort,
                page=page,
                per_page=per_page,
                include_closed=include_closed,
                mode=mode,
            )
        except BadRequest as error:
            raise ToolError(str(error)) from error
        answer = answer_for(site, request, LOCAL_OWNER)  # without the jobs hidden
        return reply(answer if facets else answer.model_copy(update={"facets": {}}))

    @server.tool(annotations=READ_ONLY)
    def get_job(job_id: JobId) -> Annotated[CallToolResult, JobDetail]:
        """One job in full: its card (with date_note, closed and stale), its description, what
        enrichment found with the evidence (skills, years asked, duties), the ids of its
        duplicates on other boards, and a few similar jobs."""
        known(job_id)
        detail = job_detail(site, job_id)
        text = detail.description_text
        if len(text) > MAX_DESCRIPTION:
            cut = f"… [{len(text) - MAX_DESCRIPTION:,} more characters at the posting's url]"
            detail.description_text = text[:MAX_DESCRIPTION] + cut
        return reply(detail)

    @server.tool(annotations=READ_ONLY)
    def similar_jobs(job_id: JobId, limit: Limit = 6) -> Annotated[CallToolResult, SimilarAnswer]:
        """Open jobs nearest in meaning to one job (any role family; its duplicates left
        out), most similar first."""
        card = JobCard.model_validate(job_card(known(job_id), site.store.get_enrichment(job_id)))
        hits = engine.similar(job_id, limit=limit)
        notes = []
        if not hits:
            notes = engine.notes or ["no open job is near this one (or it has no embedding)"]
        results = [
            ResultOut.model_validate({"job": h.job, "score": h.score, "highlights": h.highlights})
            for h in hits
        ]
        return reply(SimilarAnswer(job=card, results=results, notes=notes))

    @server.tool(annotations=READ_ONLY)
    def match_resume(
        resume: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_TEXT,
                description="The résumé's text (plain text or Markdown), as the person gave it.",
            ),
        ],
        family: Annotated[
            tuple[Family, ...], Field(description="Role families to match (default: any).")
        ] = (),
        remote_only: bool = False,
        min_salary: Annotated[
            str | None, Field(pattern=AMOUNT, description="Yearly pay floor: 200k.")
        ] = None,
        currency: Currency = "USD",
        limit: Annotated[int, Field(ge=1, le=MAX_MATCHES, description="Jobs to give.")] = 5,
    ) -> Annotated[CallToolResult, MatchAnswer]:
        """Rank the stored jobs by how well they fit a résumé, each explained: the skills it
        shows and misses (with the résumé and posting lines), years and level against what
        the job asks, leadership asked and shown, a verdict. Also the profile read from the
        résumé and the missing skills that would open the most jobs. The résumé is read in
        memory and never stored."""
        try:
            profile = site.matcher.read(resume.encode(), "resume.md")
            floor = parse_amount(min_salary) if min_salary else None
        except (ResumeError, ValueError) as error:
            raise ToolError(str(error)) from error
        filters = SearchFilters(
            role_family=list(family) or [ANY],
            remote=["remote"] if remote_only else [],
            salary_min=floor,
            salary_currency=currency.upper(),
        )
        return reply(
            MatchAnswer.model_validate(site.matcher.match(profile, filters, limit).as_dict())
        )

    @server.tool(annotations=READ_ONLY)
    def market_page(
        topic: Annotated[
            str,
            Field(
                max_length=60,
                description="A market page by name: ml-tech-lead, ml-engineer, data, software, "
                "other. Leave empty to describe what query and family match instead.",
            ),
        ] = "",
        query: Annotated[str, Field(max_length=MAX_QUERY, description="A search.")] = "",
        family: Annotated[
            tuple[Family, ...], Field(description="Role families of the search (default ML lead).")
        ] = (),
    ) -> Annotated[CallToolResult, MarketPageOut]:
        """The job market of a topic or a search, as `leadboard insights --json` prints it:
        open roles, companies, where (remote, countries, cities), duties, skills (and those
        asked more or less than in other ML roles), years asked, pay ranges and the trend,
        every figure with its sample size and 95% interval; and the claims hand-written
        pages make, checked against the postings. overview_text says it in a paragraph."""
        try:
            chosen = topic_for(topic.strip()) if topic.strip() else None
        except UnknownTopic as error:
            raise ToolError(str(error)) from error
        filters = None if chosen else SearchFilters(role_family=list(family) or None)
        page = site.pages.page(topic=chosen, q="" if chosen else query, filters=filters)
        if len(page.skills) > TOP_SKILLS:  # the page shows these; the rest is a long tail
            note = f"skills: the {TOP_SKILLS} most asked of {len(page.skills)} are listed"
            page = replace(page, skills=page.skills[:TOP_SKILLS], notes=[*page.notes, note])
        return reply(page.as_dict())

    @server.tool(annotations=READ_ONLY)
    def list_saved_searches() -> Annotated[CallToolResult, SavedSearchesAnswer]:
        """The saved searches (as GET /api/v1/saved-searches): each one's words, filters,
        sort, feed path, open postings it selects now and how many are new since its results
        were last opened."""
        kept = Workspace(site.store.engine).searches()
        return reply(SavedSearchesAnswer(saved_searches=[described(site, s) for s in kept]))

    @server.tool(annotations=WRITES)
    def save_search(search: SavedSearchIn) -> Annotated[CallToolResult, SavedSearchOut]:
        """Keep a search by name (as POST /api/v1/saved-searches): query, the filters of
        search_jobs (family, remote, country, skill, min_salary…) and a sort."""
        try:
            saved = Workspace(site.store.engine).add_search(
                search.query, name=search.name, filters=filters_of(search.filters), sort=search.sort
            )
        except (InvalidSavedSearch, BadRequest) as error:
            raise ToolError(str(error)) from error
        return reply(described(site, saved))

    @server.tool(annotations=WRITES)
    def remove_saved_search(
        saved_search_id: Annotated[
            int, Field(ge=1, description="Its id, from list_saved_searches.")
        ],
    ) -> Annotated[CallToolResult, SavedSearchOut]:
        """Forget a saved search; answers what it was."""
        try:
            removed = Workspace(site.store.engine).remove_search(saved_search_id)
        except UnknownSavedSearch as error:
            raise ToolError(f"{error}; ids come from list_saved_searches") from error
        return reply(described(site, removed, counted=False))

    @server.tool(annotations=READ_ONLY)
    def list_tracker(
        state: Annotated[
            list[JobState] | None, Field(description="Only these states (default: all).")
        ] = None,
    ) -> Annotated[CallToolResult, TrackerAnswer]:
        """The application tracker (as GET /api/v1/tracker): each tracked job's state, the
        dates of its steps, its notes, and whether the posting is still open ("closed on …")."""
        found = tracked_jobs(Workspace(site.store.engine), site.store, states=state)
        return reply(TrackerAnswer(tracked=[tracked_out(each) for each in found]))

    @server.tool(annotations=WRITES)
    def track_job(change: TrackerChange) -> Annotated[CallToolResult, TrackedJobOut]:
        """Move a job to a state (as POST /api/v1/tracker): saved → applied → interviewing →
        offer, or rejected / withdrawn once applied; hidden leaves search results. A note alone
        (state null) is added to a tracked job; going back needs reopen."""
        try:
            return reply(tracked_out(change_tracker(site, LOCAL_OWNER, change)))
        except HTTPException as error:
            raise ToolError(f"{error.detail}") from error

    return server


def reply(answer: BaseModel | dict[str, Any]) -> CallToolResult:
    """An answer as structured content, and the same as compact JSON text (what clients that
    pass only text on show the model; indented, it would take a third more of its context).

    >>> reply({"total": 1, "title": "Head of AI"}).content[0].text
    '{"total":1,"title":"Head of AI"}'
    """
    data = answer.model_dump(mode="json") if isinstance(answer, BaseModel) else answer
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=json.loads(text)
    )
