"""The résumé matcher: file → text → profile → ranked, explained jobs.

The profile's embedding is made from the profile alone (headline and summary; titles and
skills), not from the résumé's text, so that an edited profile matches as edited and nothing
but the profile needs to travel for "match again". On the labelled résumés' tune half the raw
text's embedding re-ranks about as well (``bench/bench_match.py``).

>>> from leadboard.search.engine import open_engine                          # doctest: +SKIP
>>> matcher = Matcher(open_engine(Store.open()))                              # doctest: +SKIP
>>> answer = matcher.match_file(open("cv.pdf", "rb").read(), "cv.pdf")        # doctest: +SKIP
>>> answer.results[0].verdict                                                 # doctest: +SKIP
'Strong fit: 7 of 9 required skills; level and experience line up.'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from leadboard.match.documents import resume_text
from leadboard.match.profile import Profile, read_profile
from leadboard.match.scoring import (
    Fit,
    Weights,
    candidates,
    explain,
    fill_roles,
    load_candidates,
    person_of,
    score,
    skill_gap,
    specificity,
)
from leadboard.search.engine import ANY, SearchFilters

if TYPE_CHECKING:
    from leadboard.search.engine import SearchEngine

MAX_LIMIT = 100


@dataclass
class MatchResponse:
    """The answer of ``leadboard match --json`` and ``POST /api/v1/match``."""

    profile: Profile
    results: list[Fit]
    skill_gap: list[dict[str, Any]]
    considered: int  # candidates scored
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.model_dump(mode="json"),
            "results": [fit.as_dict() for fit in self.results],
            "skill_gap": self.skill_gap,
            "considered": self.considered,
            "notes": self.notes,
        }


def profile_texts(profile: Profile) -> list[str]:
    """What to embed for a profile, in pieces the embedder reads whole (128 word pieces
    each by default): the headline and summary, then the titles and skills.

    >>> profile_texts(Profile(titles=["Staff ML Engineer"], summary="Ranking.",
    ...                       skills=[{"name": "PyTorch"}]))
    ['Staff ML Engineer. Ranking.', 'Staff ML Engineer. Skills: PyTorch.']
    """
    titles = "; ".join(profile.titles)
    head = ". ".join(
        part for part in (profile.titles[:1] and profile.titles[0], profile.summary) if part
    )
    skills = ", ".join(profile.skill_names)
    rest = ". ".join(part for part in (titles, skills and f"Skills: {skills}") if part)
    return [text + "." if not text.endswith((".", "…")) else text for text in (head, rest) if text]


class Matcher:
    """Matches profiles against the jobs of one search engine's store.

    ``weights``: how the parts of the fit add up (see ``scoring``). The engine's embedder and
    vector index are used when it has them; without them the fit leaves the semantic part out
    and says so in ``notes``.
    """

    def __init__(self, engine: SearchEngine, *, weights: Weights | None = None) -> None:
        self.engine = engine
        self.weights = weights or Weights()

    def read(self, data: bytes, filename: str = "", *, today: date | None = None) -> Profile:
        """The profile of a résumé file (raises ``ResumeError`` for one it cannot read)."""
        return read_profile(resume_text(data, filename), today=today)

    def vector(self, profile: Profile) -> np.ndarray | None:
        """The profile's embedding: the mean of its pieces' (unit length), or None without a
        model."""
        if self.engine.embedder is None:
            return None
        texts = profile_texts(profile)
        if not texts:
            return None
        mean = self.engine.embedder.encode(texts).mean(axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def match(
        self, profile: Profile, filters: SearchFilters | None = None, limit: int = 20
    ) -> MatchResponse:
        """The ``limit`` best-fitting jobs for ``profile`` within ``filters`` (default: every
        role family; open jobs, one per duplicate cluster), explained."""
        filters = filters or SearchFilters(role_family=[ANY])
        limit = min(max(1, limit), MAX_LIMIT)
        notes = [] if self.engine.embedder else list(self.engine.notes or ["no embeddings"])
        vector = self.vector(profile)
        found = candidates(self.engine, profile, vector, filters)
        person, weights = person_of(profile), specificity(self.engine.columns())
        fill_roles(found, person)
        fits = sorted(
            (score(c, person, self.weights, weights) for c in found),
            key=lambda fit: (-fit.score, fit.candidate.job_id),
        )
        top = fits[:limit]
        explain(self.engine.store, top)
        return MatchResponse(profile, top, skill_gap(top), len(found), notes)

    def fit(self, profile: Profile, job_ids: list[str]) -> list[Fit]:
        """The fit of ``profile`` to each of these jobs (in that order, unknown ids left out),
        explained, whatever the filters."""
        vector = self.vector(profile)
        person, weights = person_of(profile), specificity(self.engine.columns())
        facts = self.engine.documents.candidates_of_jobs(job_ids)
        found = load_candidates(self.engine, facts, vector)
        fill_roles(found, person)
        by_id = {c.job_id: score(c, person, self.weights, weights) for c in found}
        fits = [by_id[job_id] for job_id in job_ids if job_id in by_id]
        explain(self.engine.store, fits)
        return fits

    def match_file(
        self,
        data: bytes,
        filename: str = "",
        filters: SearchFilters | None = None,
        limit: int = 20,
    ) -> MatchResponse:
        """Read a résumé file and match its profile."""
        return self.match(self.read(data, filename), filters, limit)
