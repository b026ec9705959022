"""A profile against the stored jobs: candidates, a fit score in 0–1, and the reasons for it.

1. **Candidates**: the ``CANDIDATES`` jobs nearest to the profile's embedding, and the jobs whose
   extracted skills share the most with the profile's, both within the search filters (open
   jobs, one per duplicate cluster, plus whatever the person asked: remote, salary…).
2. **Fit**, a weighted sum of four parts, each in 0–1:

   - *semantic*: cosine similarity of the job's embedding and the profile's;
   - *skills*: the share of the job's skills the profile has, required ones weighing most,
     nice-to-haves least; a prior pulls jobs with few extracted skills towards the middle, so a
     job with one skill (or none) does not get full coverage for free;
   - *experience*: years asked against years had, and the seniority gap in levels; being
     under-qualified costs more than being over-qualified;
   - *leadership*: how much leading the job asks (people management, a lead role) against the
     leadership the résumé shows.
3. **Explanation**: "7 of 9 required skills", each matched skill with the résumé line and the
   posting sentence that show it, each missing one with its posting sentence, the experience
   gap, and a one-line verdict. Across the results, the missing skills that would open the most
   jobs (``skill_gap``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from leadboard.enrich.skills import sentence_around
from leadboard.match.profile import Profile
from leadboard.search.documents import CandidateFacts, SearchDocuments
from leadboard.search.engine import SearchFilters, job_card
from leadboard.store.repository import Store

if TYPE_CHECKING:
    from leadboard.search.engine import SearchEngine

CANDIDATES = 500  # nearest jobs by embedding, and at most as many by shared skills
SKILL_WEIGHT = {True: 1.0, None: 0.7, False: 0.35}  # required, not said, nice to have
COVERAGE_PRIOR, PRIOR_WEIGHT = 0.35, 2.0  # as if every job also asked 2 skills, 35% matched
# Levels on one ladder: a manager is hired about where a staff engineer is, a director about
# where a principal is.
LEVEL = {
    "intern": 0,
    "junior": 1,
    "mid": 2,
    "senior": 3,
    "staff": 4,
    "manager": 4,
    "principal": 5,
    "director": 5,
    "executive": 6,
}
LEADS_PEOPLE = {"manager", "director", "executive"}
# How well a job of each role family (rows: the person's, from ``family_of``) suits a person:
# the same family fully, a neighbouring one in part (ML and data work overlap; ML leadership
# and ML IC work share the craft), an unrelated one hardly.
FAMILY_FIT: dict[str, dict[str, float]] = {
    "ml_leadership": {"ml_leadership": 1.0, "ml_ic": 0.75, "data": 0.55, "software": 0.35},
    "ml_ic": {"ml_ic": 1.0, "ml_leadership": 0.8, "data": 0.6, "software": 0.4},
    "data": {"data": 1.0, "ml_ic": 0.7, "ml_leadership": 0.65, "software": 0.35},
    "software": {"software": 1.0, "ml_ic": 0.5, "ml_leadership": 0.5, "data": 0.4},
    "other": {"other": 1.0, "data": 0.3, "software": 0.3, "ml_ic": 0.2, "ml_leadership": 0.2},
}
_NOT_ENGINEERING = re.compile(
    r"\b(?:product|program|project)\s+(?:manager|management|lead|owner|director)|\bdesigner\b|"
    r"\bmarketing\b|\bsales\b|\brecruit\w*|\bcounsel\b|\baccount\b|\bcustomer\b|"
    r"\boperations manager\b|\bconsultant\b",
    re.IGNORECASE,
)
_ML_WORDS = re.compile(
    r"\b(?:machine learning|ml|ai|artificial intelligence|deep learning|nlp|computer vision|"
    r"perception|mlops|llms?|genai|research scientist|applied scientist|research engineer|"
    r"recommend\w*|ranking|reinforcement learning|speech)\b",
    re.IGNORECASE,
)
_DATA_WORDS = re.compile(
    r"\b(?:data|analyst|analytics|statistician|bi|business intelligence)\b", re.IGNORECASE
)
_ENGINEERING_WORDS = re.compile(
    r"\b(?:engineer\w*|developer|programmer|architect|sre|devops|cto|software)\b", re.IGNORECASE
)
SKILL_GAP_SIZE = 8
MAX_POSTING_LINE = 240


@dataclass(frozen=True)
class Weights:
    """How much each part counts; they need not add up to 1 (the score is divided by the sum).

    Chosen by a grid search on the *tune* half of the labelled résumés (``bench/bench_match.py
    --tune``): re-ranking nDCG@10 is flat (±0.01) around these values.
    """

    semantic: float = 0.3
    skills: float = 0.4
    experience: float = 0.5
    leadership: float = 0.2
    family: float = 0.4


@dataclass
class Candidate:
    """What scoring reads of one job."""

    document_id: int
    job_id: str
    role_family: str | None
    seniority: str
    years_min: int | None
    years_max: int | None
    duties: list[str]
    skills: list[dict[str, Any]]  # the enrichment's skill details: name, required, evidence
    similarity: float | None = None


@dataclass
class Fit:
    """One job's score, its parts, and the explanation."""

    candidate: Candidate
    score: float
    parts: dict[str, float]
    matched: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    experience: dict[str, Any]
    leadership: dict[str, Any]
    summary: str = ""
    verdict: str = ""
    job: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "score": round(self.score, 4),
            "summary": self.summary,
            "matched_skills": self.matched,
            "missing_skills": self.missing,
            "experience": self.experience,
            "leadership": self.leadership,
            "parts": {name: round(value, 4) for name, value in self.parts.items()},
            "verdict": self.verdict,
        }


# --- Candidates ----------------------------------------------------------------------------------


def candidates(
    engine: SearchEngine,
    profile: Profile,
    vector: np.ndarray | None,
    filters: SearchFilters,
    k: int = CANDIDATES,
) -> list[Candidate]:
    """Jobs worth scoring: nearest by embedding, and sharing the most skills, within ``filters``."""
    allowed = set(engine.selection(filters=filters).ids)
    similarity: dict[int, float] = {}
    if vector is not None and engine.vectors is not None:
        similarity = dict(engine.vectors.nearest(vector, k))
    ids = {doc_id for doc_id in similarity if doc_id in allowed}
    ids |= _sharing_skills(engine.documents, profile, allowed, k)
    return load_candidates(engine, engine.documents.candidates(ids), vector, similarity)


def load_candidates(
    engine: SearchEngine,
    facts: list[CandidateFacts],
    vector: np.ndarray | None,
    similarity: dict[int, float] | None = None,
) -> list[Candidate]:
    """Candidates of these documents, with their similarity to ``vector`` (from ``similarity``
    where known, else their stored embedding by the engine's model)."""
    similarity = similarity or {}
    found = [
        Candidate(
            document_id=fact.document_id,
            job_id=fact.job_id,
            role_family=fact.role_family,
            seniority=fact.seniority,
            years_min=fact.years_min,
            years_max=fact.years_max,
            duties=fact.duties,
            skills=fact.skills,
            similarity=similarity.get(fact.document_id),
        )
        for fact in facts
    ]
    if vector is not None and engine.embedder is not None:
        _fill_similarity(engine.store, found, vector, engine.embedder.version)
    return found


def _sharing_skills(
    documents: SearchDocuments, profile: Profile, allowed: set[int], k: int
) -> set[int]:
    """The ``k`` allowed documents tagged with the most of the profile's skills (two at least)."""
    names = profile.skill_names
    if len(names) < 2:
        return set()
    shared = documents.sharing_tags("skill", names, at_least=2)
    counts = [(doc_id, n) for doc_id, n in shared.items() if doc_id in allowed]
    counts.sort(key=lambda pair: (-pair[1], pair[0]))
    return {doc_id for doc_id, _ in counts[:k]}


def _fill_similarity(store: Store, found: list[Candidate], vector: np.ndarray, model: str) -> None:
    """Cosine similarity for the candidates the vector index did not return."""
    missing = {c.job_id: c for c in found if c.similarity is None}
    if not missing:
        return
    for job_id, raw in store.embedding_vectors(missing, model).items():
        missing[job_id].similarity = float(np.frombuffer(raw, dtype="<f4") @ vector)


# --- The parts of the score ----------------------------------------------------------------------


def semantic_part(similarity: float | None) -> float:
    """Cosine similarity rescaled to 0–1 over the range real résumé–posting pairs fall in.

    >>> [round(semantic_part(cosine), 2) for cosine in (0.1, 0.475, 0.9)]
    [0.0, 0.5, 1.0]
    """
    if similarity is None:
        return 0.0
    return float(min(1.0, max(0.0, (similarity - 0.2) / 0.55)))


def skills_part(asked: list[dict[str, Any]], have: set[str]) -> float:
    """Weighted share of the job's skills the person has, pulled towards ``COVERAGE_PRIOR`` by
    ``PRIOR_WEIGHT`` imaginary skills (so one skill matched of one asked is not 100%).

    >>> round(skills_part([{"name": "Python", "required": True}], {"Python"}), 2)
    0.57
    >>> round(skills_part([], set()), 2)
    0.35
    """
    total = sum(SKILL_WEIGHT[skill.get("required")] for skill in asked)
    matched = sum(SKILL_WEIGHT[skill.get("required")] for skill in asked if skill["name"] in have)
    return (matched + COVERAGE_PRIOR * PRIOR_WEIGHT) / (total + PRIOR_WEIGHT)


def years_part(years_min: int | None, years_max: int | None, had: float) -> float:
    """1 when the years had meet the years asked; each year short costs 0.15, each year past
    the top of a range (beyond 3) costs 0.04, down to 0.6.

    >>> years_part(8, None, 5.0), years_part(None, None, 1.0), years_part(2, 4, 15.0)
    (0.55, 0.8, 0.68)
    """
    if years_min is None:
        return 0.8  # not said: neither a match nor a gap
    short = years_min - had
    if short > 0:
        return round(max(0.0, 1.0 - 0.15 * short), 4)
    if years_max is not None and had > years_max + 3:
        return round(max(0.6, 1.0 - 0.04 * (had - years_max - 3)), 4)
    return 1.0


def level_part(job_level: str, person_level: str) -> float:
    """1 at the same level; each level the job is above costs 0.3, each below 0.2 (a director
    is not hired as a mid-level engineer either).

    >>> level_part("staff", "senior"), level_part("senior", "director"), level_part("?", "mid")
    (0.7, 0.6, 0.7)
    """
    if job_level not in LEVEL or person_level not in LEVEL:
        return 0.7
    gap = LEVEL[job_level] - LEVEL[person_level]
    return round(max(0.0, 1.0 - (0.3 * gap if gap > 0 else 0.2 * -gap)), 4)


def leadership_shown(profile: Profile) -> float:
    """How much leading the résumé shows: people managed 1, a team led 0.75, mentoring or
    architecture 0.5, nothing 0.15."""
    kinds = {evidence.kind for evidence in profile.leadership}
    if profile.people_managed or "people_management" in kinds or profile.seniority in LEADS_PEOPLE:
        return 1.0
    if "led_team" in kinds or "hiring" in kinds:
        return 0.75
    if kinds & {"mentoring", "architecture"}:
        return 0.5
    return 0.15


def leadership_asked(candidate: Candidate) -> float:
    """How much leading the job asks: people management 1, a lead role 0.6, else 0.2."""
    if candidate.seniority in LEADS_PEOPLE or "people_management" in candidate.duties:
        return 1.0
    if (
        candidate.role_family == "ml_leadership"
        or candidate.seniority in ("staff", "principal")
        or {"mentoring", "architecture"} & set(candidate.duties)
    ):
        return 0.6
    return 0.2


def leadership_part(asked: float, shown: float) -> float:
    """Short of what is asked costs in full; far more than asked costs a little (a director
    applying to a mid-level IC role).

    >>> leadership_part(1.0, 0.5), leadership_part(0.2, 1.0), leadership_part(0.6, 0.75)
    (0.5, 0.835, 1.0)
    """
    over = max(0.0, shown - asked - 0.25)
    return round(max(0.0, 1.0 - max(0.0, asked - shown) - 0.3 * over), 4)


def family_of(profile: Profile) -> str:
    """The person's role family, in the jobs' terms (GUIDELINES.md): ML work and leading it is
    ml_leadership, ML work alone ml_ic; then data, software, other — by the latest title, and
    by the years of ML work where the title does not say.

    >>> family_of(Profile(titles=["Staff Machine Learning Engineer"], seniority="staff"))
    'ml_leadership'
    >>> family_of(Profile(titles=["Senior Product Manager, AI"], seniority="senior"))
    'other'
    """
    title = profile.titles[0] if profile.titles else ""
    if _NOT_ENGINEERING.search(title):
        return "other"
    ml_years = profile.years_ml >= max(1.0, profile.years_total / 2)
    if _ML_WORDS.search(title) or (ml_years and not _DATA_WORDS.search(title)):
        leads = (
            LEVEL.get(profile.seniority, 0) >= LEVEL["staff"] or leadership_shown(profile) >= 0.75
        )
        return "ml_leadership" if leads else "ml_ic"
    if _DATA_WORDS.search(title):
        return "data"
    if _ENGINEERING_WORDS.search(title):
        return "software"
    return "other" if title else "software"


def family_part(person: str, job: str | None) -> float:
    """How well a job's role family suits the person's (``FAMILY_FIT``); 0.5 when unknown."""
    if job is None:
        return 0.5
    return FAMILY_FIT[person].get(job, 0.1)


# --- Scoring and explaining ----------------------------------------------------------------------


def score(
    candidate: Candidate, profile: Profile, weights: Weights, shown: float, family: str
) -> Fit:
    """The fit of one job (without the posting sentences: see :func:`explain`)."""
    have = set(profile.skill_names)
    asked = [s for s in candidate.skills if s.get("name")]
    years = years_part(candidate.years_min, candidate.years_max, profile.years_total)
    level = level_part(candidate.seniority, profile.seniority)
    demand = leadership_asked(candidate)
    parts = {
        "semantic": semantic_part(candidate.similarity),
        "skills": skills_part(asked, have),
        "experience": (years + level) / 2,
        "leadership": leadership_part(demand, shown),
        "family": family_part(family, candidate.role_family),
    }
    used = {name: getattr(weights, name) for name in parts}
    if candidate.similarity is None:  # no embeddings: the other parts decide
        used["semantic"] = 0.0
    total = sum(used.values()) or 1.0
    fit_score = sum(parts[name] * used[name] for name in parts) / total
    resume_line = {skill.name: (skill.lines[0] if skill.lines else "") for skill in profile.skills}
    matched = [
        {
            "name": s["name"],
            "required": s.get("required"),
            "resume_line": resume_line[s["name"]],
            "posting_line": "",
        }
        for s in asked
        if s["name"] in have
    ]
    missing = [
        {"name": s["name"], "required": s.get("required"), "posting_line": ""}
        for s in asked
        if s["name"] not in have
    ]
    experience = {
        "years_asked_min": candidate.years_min,
        "years_asked_max": candidate.years_max,
        "years_had": profile.years_total,
        "years_ml": profile.years_ml,
        "years_short": round(max(0.0, (candidate.years_min or 0) - profile.years_total), 1),
        "job_seniority": candidate.seniority,
        "your_seniority": profile.seniority,
        "levels_above_you": (
            LEVEL[candidate.seniority] - LEVEL[profile.seniority]
            if candidate.seniority in LEVEL and profile.seniority in LEVEL
            else None
        ),
    }
    experience["text"] = _experience_text(experience)
    leadership = {
        "asked": {1.0: "people management", 0.6: "technical leadership"}.get(demand, "little"),
        "shown": sorted({e.kind for e in profile.leadership}),
        "people_managed": profile.people_managed,
    }
    fit = Fit(candidate, fit_score, parts, matched, missing, experience, leadership)
    fit.summary = _skills_summary(asked, have)
    fit.verdict = _verdict(fit)
    return fit


def _skills_summary(asked: list[dict[str, Any]], have: set[str]) -> str:
    """ "7 of 9 required skills" (or of the skills asked, where the posting does not say which
    are required)."""
    required = [s for s in asked if s.get("required") is True]
    if required:
        got = sum(1 for s in required if s["name"] in have)
        return f"{got} of {len(required)} required skills"
    if not asked:
        return "no skills found in the posting"
    got = sum(1 for s in asked if s["name"] in have)
    return f"{got} of {len(asked)} skills asked"


def _experience_text(experience: dict[str, Any]) -> str:
    low, high, had = (
        experience["years_asked_min"],
        experience["years_asked_max"],
        experience["years_had"],
    )
    if low is None:
        years = f"years not stated; you have {had:g}"
    else:
        asked = f"{low}–{high}" if high else f"{low}+"
        gap = experience["years_short"]
        years = f"asks {asked} years; you have {had:g}" + (f" ({gap:g} short)" if gap else "")
    level, yours = experience["job_seniority"], experience["your_seniority"]
    if experience["levels_above_you"] is None or level == yours:
        return f"{years}; {level} role" if level in LEVEL else years
    return f"{years}; a {level} role, you are {yours}"


def _verdict(fit: Fit) -> str:
    """One line: how good, then the one thing that most helps or hurts."""
    band = (
        "Strong fit"
        if fit.score >= 0.7
        else "Good fit"
        if fit.score >= 0.58
        else "Partial fit"
        if fit.score >= 0.45
        else "Weak fit"
    )
    experience = fit.experience
    above = experience["levels_above_you"] or 0
    required = [s["name"] for s in fit.missing if s["required"] is True]
    asked = len(fit.matched) + len(fit.missing)
    if fit.parts["leadership"] < 0.5:
        reason = "it asks for people management the résumé does not show"
    elif abs(above) >= 2:
        where = "above" if above > 0 else "below"
        reason = f"a {experience['job_seniority']} role, {abs(above)} levels {where} yours"
    elif experience["years_short"] >= 3:
        reason = (
            f"it asks {experience['years_asked_min']}+ years, you have {experience['years_had']:g}"
        )
    elif len(required) >= 2:
        reason = f"missing required {', '.join(required[:3])}"
    elif asked >= 2 and len(fit.missing) * 2 > asked:
        reason = f"missing {', '.join(s['name'] for s in fit.missing[:3])}"
    elif fit.parts["semantic"] < 0.3:
        reason = "the work itself is far from your résumé's"
    elif fit.matched:
        reason = f"{fit.summary}; level and experience line up"
    else:
        reason = "the work is close to yours, though the posting names few skills"
    return f"{band}: {reason}."


def explain(store: Store, fits: list[Fit]) -> None:
    """Fill in the job cards and the posting sentences that show each skill."""
    found = store.jobs_with_enrichments(fit.candidate.job_id for fit in fits)
    by_id = {pair.job.id: pair for pair in found}
    for fit in fits:
        job, enrichment = by_id[fit.candidate.job_id].job, by_id[fit.candidate.job_id].enrichment
        fit.job = job_card(job, enrichment)
        evidence = {s["name"]: s.get("evidence") or [] for s in fit.candidate.skills}
        for skill in [*fit.matched, *fit.missing]:
            skill["posting_line"] = _posting_line(job.description_text, evidence[skill["name"]])


def _posting_line(text: str, evidence: list[dict[str, Any]]) -> str:
    for span in evidence:
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            left, right = sentence_around(text, start, end)
            line = " ".join(text[left:right].split()).lstrip("-•*· ")
            return line if len(line) <= MAX_POSTING_LINE else line[: MAX_POSTING_LINE - 1] + "…"
    return ""


def skill_gap(fits: list[Fit], size: int = SKILL_GAP_SIZE) -> list[dict[str, Any]]:
    """The missing skills that would open the most of these jobs: how many jobs miss each, in
    how many it is required, and a few of those jobs.

    >>> fit = Fit(None, 0.5, {}, [], [{"name": "Go", "required": True}], {}, {},  # type: ignore
    ...           job={"id": "j1"})
    >>> skill_gap([fit])
    [{'skill': 'Go', 'jobs': 1, 'required_in': 1, 'job_ids': ['j1']}]
    """
    jobs: Counter[str] = Counter()
    required: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for fit in fits:
        for skill in fit.missing:
            jobs[skill["name"]] += 1
            required[skill["name"]] += skill["required"] is True
            examples.setdefault(skill["name"], []).append(fit.job.get("id", ""))
    ranked = sorted(jobs, key=lambda name: (-jobs[name], -required[name], name))[:size]
    return [
        {
            "skill": name,
            "jobs": jobs[name],
            "required_in": required[name],
            "job_ids": examples[name][:3],
        }
        for name in ranked
    ]
