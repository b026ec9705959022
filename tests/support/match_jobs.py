"""Postings and résumés for the matching tests, written here.

The postings go through the real enricher (its rules; no role model, so the role family is
given), so their skills carry required / nice-to-have flags and evidence as stored jobs do.
"""

from leadboard.enrich.enricher import Enricher, job_row
from leadboard.pipeline import EnrichSummary, embed_store
from leadboard.search.engine import SearchEngine
from leadboard.search.index import sync_search_index
from leadboard.search.vectors import VectorIndexUnavailable, open_vector_index
from support.search_jobs import NOW, make_job

# (id, title, description, role family, salary a year in USD or None)
POSTINGS = [
    (
        "ml-lead",
        "Machine Learning Engineering Lead, Ranking",
        "About the role: lead the ranking and recommendations team.\n"
        "Requirements: 8+ years of experience building machine learning systems in production. "
        "Manage a team of 6 ML engineers. Python, PyTorch, Kubernetes and Spark. Recommender "
        "systems.\n"
        "Nice to have: Ray.",
        "ml_leadership",
        260_000,
    ),
    (
        "frontend",
        "Senior Frontend Engineer",
        "What you'll do: build our customer web app.\n"
        "Requirements: 5+ years building web applications in JavaScript and TypeScript. "
        "CSS and accessibility.",
        "software",
        180_000,
    ),
    (
        "analyst",
        "Junior Data Analyst",
        "Requirements: 1+ years of SQL; dashboards for the sales team.",
        "data",
        None,
    ),
    (
        "chef",
        "Pastry Chef",
        "Croissants and bread for a busy bakery; early mornings.",
        "other",
        None,
    ),
]

STAFF_ML_RESUME = """# Priya Raman
Staff Machine Learning Engineer · Seattle, WA · priya@example.com

## Summary
Staff ML engineer building ranking and recommender systems for eleven years.

## Experience
**Staff Machine Learning Engineer** — Streamly | Jan 2019 – Present
- Managed a team of 6 ML engineers building home-feed ranking models in PyTorch.
- Owned the architecture of model serving on Kubernetes.

**Machine Learning Engineer** — Shopwise | 2014 - 2019
- Recommendation models in Python and TensorFlow; A/B testing.

## Skills
Python, PyTorch, TensorFlow, Kubernetes, Ray, SQL

## Education
M.S. Computer Science, 2012 - 2014
"""

FRONTEND_RESUME = """Tom Becker
Senior Frontend Engineer

PROFILE
Frontend engineer building accessible web applications in TypeScript.

WORK EXPERIENCE
Senior Frontend Engineer, Pixelworks          06/2020 - Present
 - Built the design system in TypeScript and CSS used by 40 engineers.
Frontend Developer, WebCo          09/2017 - 05/2020
 - JavaScript and CSS; performance work on the checkout.

SKILLS
JavaScript, TypeScript, CSS, Docker
"""


def fill_postings(store, embedder=None):
    """Store and enrich ``POSTINGS`` (and embed them, given an embedder); index them."""
    pairs = [
        make_job(i, title, text, "remote", salary, 5) for i, title, text, _, salary in POSTINGS
    ]
    store.save_batch(pairs, [], index=store.duplicate_index(), seen_at=NOW)
    enricher = Enricher(role_model=None)
    enriched = []
    for (_, job), (_, _, _, family, _) in zip(pairs, POSTINGS, strict=True):
        result = enricher.enrich(job_row(job))
        result.role_family = family
        result.is_ml_leadership = family == "ml_leadership"
        result.ml_leadership = 0.9 if result.is_ml_leadership else 0.05
        enriched.append((job.id, job.content_hash, result))
    store.save_enrichments(enriched, NOW)
    sync_search_index(store)
    if embedder is not None:
        embed_store(store, embedder, EnrichSummary())


def match_engine(store, embedder=None):
    """A search engine over the store, with vectors where the backend has them."""
    if embedder is None:
        return SearchEngine(store)
    try:
        vectors = open_vector_index(store)
    except VectorIndexUnavailable:
        return SearchEngine(store, notes=["no vector index here"])
    vectors.sync(store, embedder.version)
    return SearchEngine(store, embedder=embedder, vectors=vectors)
