"""The nouns that flow through the pipeline (see docs/architecture.md).

``SourcePosting`` is what a connector yields: the payload exactly as received plus the fields the
connector read out of it, still un-normalised. ``Job`` is what ``normalize.normalize_posting`` makes
of it. Neither knows about storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

RemotePolicy = Literal["remote", "hybrid", "onsite", "unknown"]
SalaryPeriod = Literal["hour", "day", "week", "month", "year"]
DescriptionFormat = Literal["html", "text"]
RoleFamily = Literal["ml_leadership", "ml_ic", "data", "software", "other"]
Seniority = Literal[
    "intern",
    "junior",
    "mid",
    "senior",
    "staff",
    "principal",
    "manager",
    "director",
    "executive",
    "unknown",
]
Duty = Literal[
    "architecture",
    "hands_on_coding",
    "best_practices",
    "mentoring",
    "project_management",
    "stakeholders",
    "people_management",
    "research",
    "deployment_mlops",
]


class SalaryHint(BaseModel):
    """Pay as a source's structured fields state it, before validation.

    Connectors copy what they find (``pay_input_ranges``, Lever ``salaryRange``, JSON-LD
    ``baseSalary``…) without interpreting units; ``normalize.salary`` decides what it means.
    Amounts are in whole currency units unless ``cents`` is set (Greenhouse gives cents).
    """

    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: str | None = None  # as the source spells it: "year", "YEAR", "per-year-salary", "HOUR"…
    cents: bool = False


class SourcePosting(BaseModel):
    """One posting as a source gave it."""

    source: str  # connector kind: greenhouse | lever | ashby | jsonld | file
    board: str  # greenhouse token, lever site, ashby org, page host, or dump name
    external_id: str
    url: str | None = None
    fetched_at: datetime
    payload: dict[str, Any] = Field(default_factory=dict)  # the record exactly as received

    title: str | None = None
    company: str | None = None
    locations: list[str] = Field(default_factory=list)  # raw location strings
    description: str | None = None
    description_format: DescriptionFormat | None = None
    posted_at: str | None = None  # raw date strings; normalize/dates.py parses them
    updated_at: str | None = None
    closes_at: str | None = None
    salary: SalaryHint | None = None
    salary_text: str | None = None
    workplace_type: str | None = None  # the source's remote hint: "Remote", "TELECOMMUTE"…
    remote_regions: list[str] = Field(default_factory=list)  # e.g. applicantLocationRequirements
    employment_type: str | None = None
    requisition_id: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)  # source-specific facts worth keeping

    @property
    def key(self) -> str:
        """The stable job id: ``{source}:{board}:{external_id}``."""
        return f"{self.source}:{self.board}:{self.external_id}"


class Salary(BaseModel):
    """A pay range in one currency and one period; never converted."""

    min: float | None = None
    max: float | None = None
    currency: str  # ISO 4217
    period: SalaryPeriod


class Place(BaseModel):
    city: str | None = None
    region: str | None = None  # state / province name or code as best known
    country: str | None = None  # ISO 3166-1 alpha-2
    raw: str = ""


class Location(BaseModel):
    places: list[Place] = Field(default_factory=list)
    remote: RemotePolicy = "unknown"
    remote_regions: list[str] = Field(default_factory=list)  # "EMEA", "US", "Europe", "Anywhere"…


class Job(BaseModel):
    """A normalised posting."""

    id: str
    source: str
    board: str
    external_id: str
    url: str | None = None
    title: str
    title_raw: str
    company: str | None = None
    description_text: str = ""
    description_html: str = ""  # sanitised, safe to render
    locations: list[Place] = Field(default_factory=list)
    location_raw: str | None = None
    remote: RemotePolicy = "unknown"
    remote_regions: list[str] = Field(default_factory=list)
    salary: Salary | None = None
    employment_type: str | None = None
    posted_at: datetime | None = None  # UTC
    source_updated_at: datetime | None = None  # UTC
    closes_at: datetime | None = None  # UTC
    requisition_id: str | None = None
    content_hash: str
    warnings: list[str] = Field(default_factory=list)  # field-level problems, e.g. unknown currency


class Evidence(BaseModel):
    """Where in the posting's text a fact comes from (character offsets into that text)."""

    text: str
    start: int | None = None
    end: int | None = None


class SkillMention(BaseModel):
    name: str  # canonical name, spelled as in the labelling guidelines' vocabulary
    taxonomy_id: str | None = None  # e.g. an ESCO URI or O*NET code, where one exists
    required: bool | None = None  # False for nice-to-haves, None when the posting doesn't say
    evidence: list[Evidence] = Field(default_factory=list)


class Enrichment(BaseModel):
    """What the ML understands of one posting (the evaluation contract in DESIGN.md)."""

    id: str
    model_version: str
    role_family: RoleFamily | None = None
    ml_leadership: float | None = None  # calibrated probability
    is_ml_leadership: bool | None = None
    seniority: Seniority = "unknown"
    years_min: int | None = None
    years_max: int | None = None
    years_evidence: Evidence | None = None
    remote: RemotePolicy = "unknown"
    salary: Salary | None = None
    skills: list[SkillMention] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    duty_evidence: dict[str, list[Evidence]] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list)  # why a field is unknown or null


# --- Plain records that sources/ makes and store/ keeps ------------------------------------------


@dataclass
class Reject:
    """A record a connector could not use, and why. The batch goes on without it."""

    source: str  # e.g. "greenhouse:anthropic" or a dump's file path
    where: str  # record id, line number or URL: enough to find the record again
    reason: str
    sample: str | None = None  # the start of the offending record (a few hundred characters)


@dataclass(frozen=True)
class BoardRef:
    """One board to fetch: its ATS kind and token, and the company when known.

    ``token`` is what the connector takes: the Greenhouse token, the Ashby org, or the Lever site
    (``eu:site`` for Lever's EU region).

    >>> BoardRef("lever", "eu:acme").spec
    'lever:eu:acme'
    """

    kind: str
    token: str
    company: str | None = None
    category: str | None = None
    url: str | None = None  # the board's careers page, where known
    origin: str = "user"  # curated | registry | user
    ml_heavy: bool = False  # a company known to hire many ML people (the curated list)

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.token}"
