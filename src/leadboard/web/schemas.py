"""The JSON API's typed answers (pydantic): what ``/api/v1/…`` returns and ``/docs`` shows."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
    posted_at: str
    url: str | None = None
    closed: bool = False


class ChipOut(BaseModel):
    kind: str = Field(description="remote, country, city, salary_min, seniority, skill or visa")
    value: str
    label: str
    source: str = Field(description="The words of the query it was read from.")


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
