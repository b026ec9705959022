"""The JSON API's typed answers (pydantic): what ``/api/v1/…`` returns and ``/docs`` shows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from leadboard.models import RemotePolicy, RoleFamily, SalaryPeriod, Seniority
from leadboard.normalize.urls import safe_http_url
from leadboard.search.engine import Sort
from leadboard.search.query import MAX_QUERY_CHARS
from leadboard.workspace.store import JobState

# A stored link is shown only when it is http(s) (rows stored before ingest checked it too).
WebLink = Annotated[str | None, AfterValidator(safe_http_url)]
# A pay floor as people type it ("200k", "$185,500"), below a billion: what parse_amount reads.
AMOUNT = r"^[$£€]?([0-9]{1,3}(,?[0-9]{3}){0,2}(\.[0-9]+)?|[0-9]{1,6}(\.[0-9]+)?[kK])$"


class SalaryOut(BaseModel):
    min: float | None = None
    max: float | None = None
    currency: str
    period: str


class JobCard(BaseModel):
    """A job as a search result shows it."""

    id: str
    title: str
    company: str | None = None
    location: str = ""
    countries: list[str] = Field(default_factory=list)
    remote: str
    salary: SalaryOut | None = None
    seniority: str | None = None
    role_family: str | None = None
    ml_leadership: float | None = Field(None, description="Calibrated probability (0–1).")
    skills: list[str] = Field(default_factory=list)
    years_min: int | None = None
    posted_at: str | None = Field(
        None, description="The date the source gave; null when it gave none (never guessed)."
    )
    first_seen_at: str | None = Field(None, description="When Leadboard first saw the posting.")
    snapshot: str | None = Field(
        None, description="The date of the dump the posting came from (2018, 2026-05…), if any."
    )
    stale: bool = Field(False, description="Not confirmed open for too long (dumps: 60 days).")
    closed: bool = False
    date_note: str = Field("", description='"posted 2026-11-30", "first seen 3 days ago"…')
    url: WebLink = None


class ChipOut(BaseModel):
    kind: str = Field(description="remote, country, city, salary_min, seniority, skill or visa")
    value: str
    label: str
    source: str = Field(description="The words of the query it was read from.")
    explicit: bool = Field(
        False, description="Asked for as a filter: a pay floor ($200k+) or a word with a colon."
    )
    filtered: bool = Field(
        False,
        description="Whether it filtered; a typed chip that did not only ranks the results "
        "(the notes say what was relaxed).",
    )


class SuggestionOut(BaseModel):
    kind: str = Field(description="filter, word or unstated_pay")
    name: str = Field(description="The filter's name, or the word to drop.")
    count: int = Field(description="The jobs the search would give without it.")
    label: str


class QueryOut(BaseModel):
    raw: str
    text: str = Field(description="What was searched as text after the chips were taken out.")
    chips: list[ChipOut]
    corrections: dict[str, str] = Field(description="Typed word → what it was read as.")


class ResultOut(BaseModel):
    job: JobCard
    score: float
    highlights: list[str] = Field(
        description="Safe HTML: the text is escaped, query matches are wrapped in <mark>."
    )


class FacetValue(BaseModel):
    value: str
    count: int


class SearchAnswer(BaseModel):
    total: int
    query: QueryOut
    results: list[ResultOut]
    facets: dict[str, list[FacetValue]]
    page: int
    per_page: int
    sort: str
    semantic: bool = Field(description="Whether the vector index took part in this search.")
    notes: list[str]
    suggestions: list[SuggestionOut] = Field(
        default_factory=list,
        description="No result: which filter or word to drop, with the count it would give; "
        "under a pay floor, the postings that state no pay.",
    )


class FacetsAnswer(BaseModel):
    total: int
    facets: dict[str, list[FacetValue]]


class Evidence(BaseModel):
    text: str
    start: int | None = None
    end: int | None = None


class SkillOut(BaseModel):
    name: str
    taxonomy_id: str | None = None
    required: bool | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class JobDetail(BaseModel):
    """One job: its card, its description, and what enrichment found, with evidence."""

    job: JobCard
    description_text: str
    years_max: int | None = None
    years_evidence: Evidence | None = None
    skills: list[SkillOut] = Field(default_factory=list)
    duties: dict[str, list[Evidence]] = Field(default_factory=dict)
    enriched_by: str | None = None
    unknown: list[str] = Field(default_factory=list, description="Why a field is unknown.")
    duplicates: list[str] = Field(default_factory=list)
    similar: list[ResultOut] = Field(default_factory=list)


class ErrorOut(BaseModel):
    detail: str


# --- Saved searches (``/api/v1/saved-searches``) ------------------------------------------------


class SearchParams(BaseModel):
    """The filters of a search, named as ``GET /api/v1/search`` names them."""

    family: list[Literal[RoleFamily, "any"]] = Field(
        default_factory=list, description="Role families (default ml_leadership; any: all)."
    )
    seniority: list[Seniority] = Field(default_factory=list)
    remote: list[RemotePolicy] = Field(default_factory=list)
    country: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(
        default_factory=list, description="ISO alpha-2 codes."
    )
    city: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)
    skill: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, description="Every one is required."
    )
    company: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(default_factory=list)
    min_salary: str | None = Field(None, pattern=AMOUNT, description="Pay floor, e.g. 200k.")
    currency: str = Field("USD", pattern=r"^[A-Za-z]{3}$")
    period: SalaryPeriod = Field("year", description="Of min_salary.")
    convert: bool = Field(True, description="Compare pay in other currencies at dated ECB rates.")
    posted_within: int | None = Field(None, ge=1, le=3650, description="Days.")
    years_max: int | None = Field(None, ge=0, le=60)
    unstated_pay: bool = Field(
        False, description="With min_salary: keep postings that state no pay, ranked lower."
    )


# A name needs a character that is neither a space nor a control character: names are stored
# with spaces collapsed by str.split, which also splits on the controls \x1c-\x1f and \x85 that
# the schema's regex (Unicode White_Space) would let through as "not a space".
NAME_PATTERN = r"[^\s\x00-\x1f\x7f-\x9f]"


class SavedSearchIn(BaseModel):
    """A search to keep: its words, filters and sort, and a name (default: its words)."""

    query: str = Field("", max_length=MAX_QUERY_CHARS, description="Words and inline filters.")
    name: str | None = Field(None, min_length=1, max_length=200, pattern=NAME_PATTERN)
    filters: SearchParams = Field(default_factory=lambda: SearchParams.model_validate({}))
    sort: Sort = "relevance"


class SavedSearchRename(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=NAME_PATTERN)


class SavedSearchOut(BaseModel):
    """A saved search, where its results and feed are, and what is new in them."""

    id: int
    name: str
    query: str
    filters: SearchParams
    sort: str
    created_at: datetime
    last_seen_at: datetime = Field(description="When its owner last opened its results.")
    feed: str = Field(description="The path of its Atom feed: /feeds/{id}.atom")
    results: str = Field(description="The search page of its results (opening it marks them seen).")
    matching: int | None = Field(None, description="Open postings it selects now.")
    new: int | None = Field(None, description="Of those, the ones first seen after last_seen_at.")


# --- Résumé matching (``POST /api/v1/match``) ----------------------------------------------------


class MatchedSkillOut(BaseModel):
    name: str
    required: bool | None = Field(
        None, description="In the posting: required, nice to have (false), or not said (null)."
    )
    resume_line: str = Field("", description="The résumé line that shows it.")
    posting_line: str = Field("", description="The posting sentence that asks for it.")


class MissingSkillOut(BaseModel):
    name: str
    required: bool | None = None
    posting_line: str = ""


class ExperienceOut(BaseModel):
    years_asked_min: int | None = None
    years_asked_max: int | None = None
    years_had: float
    years_ml: float
    years_short: float = Field(description="Years asked minus years had, when short (else 0).")
    job_seniority: str
    your_seniority: str
    levels_above_you: int | None = Field(None, description="Negative: the job is below you.")
    text: str


class LeadershipFitOut(BaseModel):
    asked: str = Field(description="people management, technical leadership or little")
    shown: list[str] = Field(description="Leadership kinds the résumé shows.")
    people_managed: int | None = None


class MatchResultOut(BaseModel):
    job: JobCard
    score: float = Field(description="Fit, 0–1.")
    summary: str = Field(description='"7 of 9 required skills"')
    matched_skills: list[MatchedSkillOut]
    missing_skills: list[MissingSkillOut]
    experience: ExperienceOut
    leadership: LeadershipFitOut
    parts: dict[str, float] = Field(description="semantic, skills, experience, leadership: 0–1.")
    verdict: str


class SkillGapOut(BaseModel):
    skill: str
    jobs: int = Field(description="Jobs among the results that ask for it.")
    required_in: int
    job_ids: list[str]


class SkillEvidenceOut(BaseModel):
    name: str
    lines: list[str] = Field(default_factory=list)


class LeadershipEvidenceOut(BaseModel):
    kind: str
    line: str
    people: int | None = None


class RoleOut(BaseModel):
    title: str
    start: str
    end: str | None = None
    ml: bool
    line: str


class ProfileOut(BaseModel):
    """What Leadboard read in the résumé; send it back as the form field ``profile`` (JSON) to
    match again without the résumé."""

    titles: list[str]
    seniority: str
    years_total: float
    years_ml: float
    skills: list[SkillEvidenceOut]
    leadership: list[LeadershipEvidenceOut]
    people_managed: int | None = None
    roles: list[RoleOut]
    sections: list[str]
    summary: str


class MatchAnswer(BaseModel):
    profile: ProfileOut
    results: list[MatchResultOut]
    skill_gap: list[SkillGapOut] = Field(
        description="Missing skills that would open the most of these jobs."
    )
    considered: int = Field(description="Candidate jobs scored.")
    notes: list[str]


class MatchErrorOut(BaseModel):
    detail: str = Field(description="What went wrong and what to do.")
    problem: str = Field(
        description="empty, too_large, unsupported, corrupt, encrypted, scanned, macros, "
        "zip_bomb, not_english, too_short, missing or bad_form"
    )


# --- Company pages (``/api/v1/companies/{slug}``) ------------------------------------------------


class ShareOut(BaseModel):
    """``count`` of ``total`` postings, with the Wilson 95% interval (null when total is 0)."""

    count: int
    total: int
    value: float | None
    low: float | None
    high: float | None
    small: bool = Field(description="Fewer than 20 postings behind it: too few to tell.")


class CountedOut(BaseModel):
    name: str
    share: ShareOut


class PayRangeOut(BaseModel):
    min: float | None = None
    max: float | None = None
    currency: str
    period: str | None = None
    postings: int = Field(description="Open postings that state exactly this range.")


class PayGroupOut(BaseModel):
    """Yearly pay in one currency (never converted): quartiles of the ranges' midpoints."""

    currency: str
    by: str = Field(description="all or seniority")
    group: str
    count: int
    q1: float
    median: float
    q3: float
    small: bool


class MonthOut(BaseModel):
    month: str = Field(description='"2026-11", or "earlier" for the months before those listed.')
    opened_dated: int = Field(description="Opened this month by the date their source gave.")
    opened_first_seen: int = Field(
        description="No date from the source: first seen by Leadboard this month."
    )
    closed: int


class BoardStateOut(BaseModel):
    spec: str = Field(description="kind:token, or file:… for a dump (never crawled).")
    crawled: bool
    status: str | None = None
    last_success_at: datetime | None = Field(None, description="The last crawl that succeeded.")
    last_attempt_at: datetime | None = None
    open_postings: int


class CompanyNameOut(BaseModel):
    name: str = Field(description="A company name as postings give it.")
    jobs: int


class CompanyAnswer(BaseModel):
    """A company: its open roles and what they say, each share with its sample size."""

    slug: str
    name: str
    names: list[CompanyNameOut] = Field(description="The names merged into this company.")
    rule: str = Field(description="How names are merged.")
    open: int = Field(description="Open roles, a duplicate cluster counted once.")
    stale: int
    closed: int
    ml_leadership: ShareOut = Field(description="ML-leadership roles, of the enriched open ones.")
    families: list[CountedOut]
    remote: list[CountedOut]
    pay_stated: ShareOut = Field(description="Open roles that state pay.")
    pay_ranges: list[PayRangeOut]
    pay: list[PayGroupOut]
    months: list[MonthOut]
    undated: ShareOut = Field(
        description="Postings counted by when Leadboard first saw them (their source gave no date)."
    )
    boards: list[BoardStateOut]
    roles: list[JobCard]
    include_stale: bool = Field(
        False, description="Whether postings not confirmed open lately count as open."
    )


# --- The application tracker (web/routes/tracker.py) --------------------------------------------


class TrackerChange(BaseModel):
    """A move of a job to another state, a note, or both (a note alone leaves the state)."""

    job_id: str = Field(min_length=1, max_length=400, description="The job's id.")
    state: JobState | None = Field(
        None,
        description="saved → applied → interviewing → offer, or rejected / withdrawn (an "
        "application only); hidden leaves the search results. null: only add the note.",
    )
    note: str = Field("", max_length=5000)
    reopen: bool = Field(
        False,
        description="Allow going back: an ended application (rejected, withdrawn) moved on "
        "again, or an earlier step.",
    )
    at: datetime | None = Field(None, description="When it happened (default: now).")


class PostingStatusOut(BaseModel):
    open: bool
    said: str = Field(description='"Open", "Closed on 2026-11-18 …", "No longer listed since …"')
    closed_on: str | None = Field(
        None, description="Its own closing date, else the day it left its board."
    )


class StepOut(BaseModel):
    state: str
    at: datetime
    note: str
    moved: bool = Field(description="The state changed here (false: a note).")


class TrackedJobOut(BaseModel):
    """A job in your tracker: where its application stands, since when, and how it got there."""

    job_id: str
    state: JobState
    since: datetime = Field(description="When it reached its state.")
    notes: str = Field(description="The latest note.")
    created_at: datetime
    updated_at: datetime
    title: str
    company: str | None = None
    url: WebLink = None
    posting: PostingStatusOut
    steps: list[StepOut]
    job: JobCard | None = Field(None, description="The job as a result shows it (null: gone).")
