"""Pool the candidate jobs to be graded for each résumé of this folder, reproducibly.

Each résumé's candidates come from four methods, so that no one retrieval system decides which
jobs get judged (``judgments.jsonl`` records, per judgment, which methods found it):

- ``lexical``: BM25 (the store's full-text search, every family) for 2–3 queries a recruiter
  would type for this person — the top ``LEXICAL_TOP`` of each;
- ``semantic``: the ``SEMANTIC_TOP`` open jobs nearest to the embedding of the résumé's top (name,
  headline and summary: everything before the first section heading);
- ``family``: ``FAMILY_RANDOM`` random open jobs of the person's own role family;
- ``random``: ``OPEN_RANDOM`` random open jobs of any family.

Only open jobs that head their duplicate cluster are drawn (what search shows). Open means not
closed (``Job.closed_at``), not the search document's ``is_open``: that also leaves out stale
postings, and since staleness was introduced every posting of the shared dumps is stale (past
its dates), while the pools were drawn before, when the same ~18,900 heads were open. The randomness
is seeded by the résumé's file name, so a re-run on the same store gives the same ids.

The store is opened read-only (SQLite ``mode=ro``): no migration, no search-index sync, no vector
index file is written. So the semantic method is an exact cosine scan of the stored job
embeddings (of the current model, for the current content) rather than the approximate vector
index search uses; with ~19k open jobs that is a fraction of a second.

Usage::

    LEADBOARD_HOME=/work/bench-home .venv/bin/python labelled/resumes/pool.py  # every résumé
    LEADBOARD_HOME=/work/bench-home .venv/bin/python labelled/resumes/pool.py r01 r05  # some

It prints one JSON line per (résumé, job): ``{"resume", "job_id", "pool", "title", "company"}``.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import TypedDict

import numpy as np
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from leadboard.enrich.embeddings import Embedder
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.store.repository import Store
from leadboard.store.schema import Job, JobEmbedding, SearchDocument

HERE = Path(__file__).resolve().parent
LEXICAL_TOP = 5
SEMANTIC_TOP = 8
FAMILY_RANDOM = 5
OPEN_RANDOM = 4


class Plan(TypedDict):
    queries: list[str]
    family: str


# What a recruiter would type for each person, and the person's own role family (as in
# ../shared/data/labels/GUIDELINES.md). Written with the résumé, before any search was run.
PLAN: dict[str, Plan] = {
    "r01_staff-ml-engineer.md": {
        "queries": [
            "staff machine learning engineer ranking",
            "ML tech lead recommendations pytorch",
            "staff ML engineer search relevance",
        ],
        "family": "ml_leadership",
    },
    "r02_ml-eng-manager.md": {
        "queries": [
            "engineering manager machine learning",
            "ML engineering manager fraud",
            "machine learning manager risk",
        ],
        "family": "ml_leadership",
    },
    "r03_head-of-ai.md": {
        "queries": ["head of AI", "head of machine learning LLM", "director AI generative"],
        "family": "ml_leadership",
    },
    "r04_principal-research-scientist-llm.md": {
        "queries": [
            "principal research scientist LLM",
            "research scientist RLHF post-training",
            "pretraining research lead",
        ],
        "family": "ml_leadership",
    },
    "r05_senior-ml-engineer.md": {
        "queries": [
            "senior machine learning engineer NLP",
            "machine learning engineer healthcare",
            "senior ML engineer GCP",
        ],
        "family": "ml_ic",
    },
    "r06_junior-data-scientist.md": {
        "queries": ["junior data scientist", "data scientist A/B testing", "data scientist churn"],
        "family": "data",
    },
    "r07_data-engineering-lead.md": {
        "queries": [
            "lead data engineer spark airflow",
            "data engineering lead",
            "data platform engineer kafka",
        ],
        "family": "data",
    },
    "r08_backend-tech-lead.md": {
        "queries": [
            "backend tech lead go kubernetes",
            "staff backend engineer payments",
            "platform engineering lead",
        ],
        "family": "software",
    },
    "r09_mlops-platform-lead.md": {
        "queries": [
            "ML platform lead",
            "MLOps engineer kubernetes",
            "machine learning infrastructure engineer",
        ],
        "family": "ml_leadership",
    },
    "r10_nlp-llm-tech-lead.md": {
        "queries": ["LLM tech lead RAG", "NLP lead", "lead machine learning engineer LLM London"],
        "family": "ml_leadership",
    },
    "r11_cv-tech-lead.md": {
        "queries": [
            "computer vision tech lead",
            "perception engineer robotics",
            "staff computer vision engineer",
        ],
        "family": "ml_leadership",
    },
    "r12_recsys-eng-manager.md": {
        "queries": [
            "engineering manager recommendations",
            "recommender systems manager",
            "personalization machine learning manager",
        ],
        "family": "ml_leadership",
    },
    "r13_director-data-science.md": {
        "queries": [
            "director of data science",
            "head of data science healthcare",
            "data science director causal inference",
        ],
        "family": "ml_leadership",
    },
    "r14_new-grad-ml-engineer.md": {
        "queries": [
            "new grad machine learning engineer",
            "machine learning engineer entry level",
            "junior machine learning engineer",
        ],
        "family": "ml_ic",
    },
    "r15_ai-product-manager.md": {
        "queries": [
            "AI product manager",
            "product manager LLM",
            "senior product manager machine learning",
        ],
        "family": "other",
    },
    "r16_frontend-engineer.md": {
        "queries": [
            "senior frontend engineer react",
            "frontend engineer typescript",
            "react developer",
        ],
        "family": "software",
    },
    "r17_postdoc-to-industry.md": {
        "queries": [
            "research scientist reinforcement learning",
            "machine learning research scientist",
            "applied scientist",
        ],
        "family": "ml_ic",
    },
    "r18_applied-scientist-berlin.md": {
        "queries": [
            "applied scientist forecasting",
            "senior data scientist pricing Berlin",
            "causal inference scientist",
        ],
        "family": "ml_ic",
    },
    "r35_staff-ml-engineer-fraud.md": {
        "queries": [
            "staff machine learning engineer fraud",
            "fraud detection machine learning",
            "risk modeling ML engineer payments",
        ],
        "family": "ml_leadership",
    },
    "r36_ml-eng-manager-imaging.md": {
        "queries": [
            "machine learning engineering manager",
            "medical imaging deep learning",
            "computer vision manager healthcare",
        ],
        "family": "ml_leadership",
    },
    "r37_principal-applied-scientist-search.md": {
        "queries": [
            "principal applied scientist search",
            "search relevance ranking scientist",
            "ads ranking machine learning marketplace",
        ],
        "family": "ml_leadership",
    },
    "r38_senior-data-scientist-causal.md": {
        "queries": [
            "senior data scientist causal inference",
            "data scientist experimentation",
            "machine learning engineer forecasting",
        ],
        "family": "data",
    },
    "r39_head-of-ml-startup-lisbon.md": {
        "queries": [
            "head of machine learning",
            "machine learning lead startup",
            "ML lead remote Europe",
        ],
        "family": "ml_leadership",
    },
    "r40_senior-mlops-engineer-manchester.md": {
        "queries": [
            "senior MLOps engineer",
            "machine learning platform engineer kubernetes",
            "MLOps engineer UK",
        ],
        "family": "ml_ic",
    },
    "r41_llm-applications-tech-lead.md": {
        "queries": [
            "LLM tech lead agents",
            "RAG engineer LLM applications",
            "AI engineer LLM evaluation",
        ],
        "family": "ml_leadership",
    },
    "r42_speech-research-engineer.md": {
        "queries": ["speech research engineer", "audio machine learning engineer", "ASR engineer"],
        "family": "ml_ic",
    },
    "r43_director-ai-bank.md": {
        "queries": [
            "director of AI",
            "head of data science banking",
            "director machine learning financial services",
        ],
        "family": "ml_leadership",
    },
    "r44_data-analyst.md": {
        "queries": [
            "data analyst SQL Tableau",
            "senior data analyst",
            "business intelligence analyst",
        ],
        "family": "data",
    },
    "r45_physicist-to-ml.md": {
        "queries": [
            "machine learning engineer forecasting",
            "data scientist physics",
            "applied machine learning engineer time series",
        ],
        "family": "ml_ic",
    },
    "r47_new-grad-software-engineer.md": {
        "queries": [
            "new grad software engineer",
            "entry level backend engineer java",
            "software engineer I",
        ],
        "family": "software",
    },
    "r49_new-grad-data-scientist.md": {
        "queries": [
            "junior data scientist",
            "entry level machine learning engineer",
            "data scientist new grad statistics",
        ],
        "family": "data",
    },
    "r51_frontend-tech-lead.md": {
        "queries": [
            "frontend tech lead react typescript",
            "staff frontend engineer",
            "design system engineer react",
        ],
        "family": "software",
    },
    "r53_junior-ml-engineer.md": {
        "queries": [
            "machine learning engineer recommendations",
            "junior machine learning engineer",
            "ML engineer NLP pytorch",
        ],
        "family": "ml_ic",
    },
    "r55_senior-mobile-engineer.md": {
        "queries": ["senior iOS engineer", "mobile engineer swift", "senior mobile engineer"],
        "family": "software",
    },
    "r57_data-engineer.md": {
        "queries": ["data engineer dbt snowflake", "analytics engineer", "data engineer airflow"],
        "family": "data",
    },
    "r59_site-reliability-engineer.md": {
        "queries": [
            "senior site reliability engineer",
            "SRE kubernetes terraform",
            "platform engineer observability",
        ],
        "family": "software",
    },
    "r61_financial-analyst-to-ml.md": {
        "queries": [
            "junior data scientist finance",
            "data scientist forecasting",
            "financial data analyst python",
        ],
        "family": "data",
    },
    "r63_backend-tech-lead-java.md": {
        "queries": [
            "staff backend engineer java",
            "backend tech lead kafka",
            "senior software engineer distributed systems",
        ],
        "family": "software",
    },
    "r65_ml-eng-manager-speech.md": {
        "queries": [
            "engineering manager speech recognition",
            "machine learning manager ASR",
            "manager speech audio machine learning",
        ],
        "family": "ml_leadership",
    },
    "r67_ml-eng-manager-ads.md": {
        "queries": [
            "machine learning manager ads ranking",
            "engineering manager ads machine learning",
            "ML manager recommendations bidding",
        ],
        "family": "ml_leadership",
    },
    "r69_junior-data-scientist-retail.md": {
        "queries": [
            "data scientist marketing analytics",
            "junior data scientist",
            "data scientist segmentation retail",
        ],
        "family": "data",
    },
    "r71_mid-data-scientist-fraud.md": {
        "queries": [
            "data scientist fraud",
            "data scientist insurance pricing",
            "data scientist risk modeling xgboost",
        ],
        "family": "data",
    },
    "r73_new-grad-ml-ms.md": {
        "queries": [
            "machine learning engineer new grad",
            "entry level machine learning engineer",
            "computer vision engineer pytorch",
        ],
        "family": "ml_ic",
    },
    "r75_frontend-tech-lead-vue.md": {
        "queries": [
            "frontend tech lead",
            "senior frontend engineer vue typescript",
            "staff frontend engineer design system",
        ],
        "family": "software",
    },
    "r77_backend-tech-lead-python.md": {
        "queries": [
            "backend tech lead python",
            "senior backend engineer go kafka",
            "staff software engineer logistics",
        ],
        "family": "software",
    },
    "r79_research-scientist-generative-vision.md": {
        "queries": [
            "research scientist diffusion models",
            "research scientist generative models computer vision",
            "research scientist video generation",
        ],
        "family": "ml_ic",
    },
    "r81_cv-eng-manager-geospatial.md": {
        "queries": [
            "engineering manager computer vision",
            "computer vision manager",
            "machine learning manager geospatial imagery",
        ],
        "family": "ml_leadership",
    },
    "r83_applied-ml-engineer-nlp-mid.md": {
        "queries": [
            "machine learning engineer NLP",
            "NLP engineer search embeddings",
            "machine learning engineer LLM RAG",
        ],
        "family": "ml_ic",
    },
    "r84_senior-ml-engineer-medical-imaging.md": {
        "queries": [
            "machine learning engineer medical imaging",
            "senior computer vision engineer segmentation",
            "deep learning engineer radiology",
        ],
        "family": "ml_ic",
    },
    "r86_backend-engineer-go-payments.md": {
        "queries": [
            "backend engineer go",
            "software engineer payments",
            "backend engineer postgresql kafka",
        ],
        "family": "software",
    },
    "r88_junior-frontend-engineer.md": {
        "queries": ["frontend engineer react", "frontend engineer typescript", "react developer"],
        "family": "software",
    },
    "r90_data-science-manager-healthcare.md": {
        "queries": [
            "data science manager healthcare",
            "manager data science",
            "data science manager forecasting",
        ],
        "family": "data",
    },
    "r91_data-scientist-healthcare-claims.md": {
        "queries": [
            "data scientist healthcare claims",
            "data scientist health insurance",
            "data scientist fraud detection",
        ],
        "family": "data",
    },
    "r93_senior-application-security-engineer.md": {
        "queries": [
            "senior application security engineer",
            "product security engineer",
            "security engineer threat modeling",
        ],
        "family": "software",
    },
    "r92_senior-data-engineer-remote.md": {
        "queries": [
            "senior data engineer spark kafka",
            "data engineer airflow dbt remote",
            "senior data engineer streaming",
        ],
        "family": "data",
    },
    "r94_staff-ml-engineer-llm-inference.md": {
        "queries": [
            "staff machine learning engineer inference",
            "LLM inference engineer",
            "ML engineer model serving GPU",
        ],
        "family": "ml_leadership",
    },
    "r96_senior-fullstack-engineer.md": {
        "queries": [
            "senior full stack engineer python react",
            "full stack engineer django",
            "software engineer healthcare python typescript",
        ],
        "family": "software",
    },
    "r98_applied-scientist-forecasting.md": {
        "queries": [
            "applied scientist forecasting",
            "senior data scientist demand forecasting",
            "supply chain optimization scientist",
        ],
        "family": "ml_ic",
    },
}

_SECTIONS = (
    "experience", "work history", "professional experience", "employment", "skills",
    "technical skills", "core competencies", "education", "research experience",
)  # fmt: skip


def summary_of(text: str) -> str:
    """The résumé's top: everything before its first experience/skills/education heading.

    Only the headings in ``_SECTIONS`` end it: r04's "Research and professional experience"
    does not, so its top runs on to "Technical skills" (the embedder reads the first 256 word
    pieces). Kept as it was when the judgements were pooled, so that the pools reproduce.
    """
    lines = []
    for line in text.splitlines():
        bare = line.strip().lstrip("#").strip().rstrip(":").lower()
        if bare in _SECTIONS:
            break
        lines.append(line.strip().lstrip("#").strip())
    return " ".join(part for part in lines if part)


def open_heads(session: Session, family: str | None = None) -> list[str]:
    """Ids of the open cluster-head jobs (of one role family), in a stable order."""
    query = (
        select(SearchDocument.job_id)
        .join(Job, Job.id == SearchDocument.job_id)
        .where(SearchDocument.is_head, Job.closed_at.is_(None))
    )
    if family is not None:
        query = query.where(SearchDocument.role_family == family)
    return list(session.scalars(query.order_by(SearchDocument.job_id)))


class Embeddings:
    """The stored embeddings of the open cluster heads, for an exact nearest-neighbour scan."""

    def __init__(self, session: Session, embedder: Embedder) -> None:
        self.embedder = embedder
        query = (
            select(SearchDocument.job_id, JobEmbedding.vector)
            .join(Job, Job.id == SearchDocument.job_id)
            .join(JobEmbedding, JobEmbedding.job_id == Job.id)
            .where(
                SearchDocument.is_head,
                Job.closed_at.is_(None),
                JobEmbedding.model == embedder.version,
                JobEmbedding.content_hash == Job.content_hash,
            )
            .order_by(SearchDocument.job_id)
        )
        rows = session.execute(query).all()
        self.ids = [job_id for job_id, _ in rows]
        self.matrix = np.frombuffer(b"".join(v for _, v in rows), dtype="<f4").reshape(
            len(rows), -1
        )

    def nearest(self, text: str, k: int) -> list[str]:
        """The ``k`` job ids nearest to ``text`` by cosine (the vectors are unit length)."""
        scores = self.matrix @ self.embedder.encode([text])[0]
        return [self.ids[i] for i in np.argsort(-scores, kind="stable")[:k]]


def pool(
    engine: SearchEngine, embeddings: Embeddings, name: str, plan: Plan
) -> dict[str, list[str]]:
    """``{job id: [methods that found it]}`` for one résumé."""
    found: dict[str, list[str]] = {}

    def add(job_id: str, method: str) -> None:
        methods = found.setdefault(job_id, [])
        if method not in methods:
            methods.append(method)

    for query in plan["queries"]:
        request = SearchRequest(
            q=query, mode="lexical", per_page=LEXICAL_TOP,
            filters=SearchFilters(role_family=["any"], include_closed=True),
        )  # fmt: skip
        for result in engine.search(request).as_dict()["results"]:
            add(result["job"]["id"], "lexical")
    for job_id in embeddings.nearest(summary_of((HERE / name).read_text()), SEMANTIC_TOP):
        add(job_id, "semantic")
    with Session(engine.store.engine) as session:
        family = open_heads(session, plan["family"])
        for job_id in random.Random(f"{name}:family").sample(family, FAMILY_RANDOM):
            add(job_id, "family")
        every = open_heads(session)
        for job_id in random.Random(f"{name}:random").sample(every, OPEN_RANDOM):
            add(job_id, "random")
    return found


def main(argv: list[str]) -> None:
    home = os.environ.get("LEADBOARD_HOME", "/work/bench-home")
    # Read-only: Store.open would migrate, and open_engine would sync the indexes.
    url = f"sqlite:///file:{home}/leadboard.db?mode=ro&uri=true"
    store = Store(create_engine(url))
    engine = SearchEngine(store)  # lexical only: the semantic pool is the scan above
    wanted = [name for name in PLAN if not argv or any(name.startswith(a) for a in argv)]
    with Session(store.engine) as session:
        embeddings = Embeddings(session, Embedder())
        for name in wanted:
            found = pool(engine, embeddings, name, PLAN[name])
            rows = session.execute(
                select(SearchDocument.job_id, SearchDocument.title, SearchDocument.company).where(
                    SearchDocument.job_id.in_(list(found))
                )
            )
            titles = {job_id: (title, company) for job_id, title, company in rows}
            for job_id, methods in found.items():
                title, company = titles[job_id]
                line = {"resume": name, "job_id": job_id, "pool": methods}
                print(json.dumps(line | {"title": title, "company": company}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
