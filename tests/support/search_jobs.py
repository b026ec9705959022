"""A small, known set of stored and enriched jobs for search and web tests."""

import hashlib
from datetime import UTC, datetime, timedelta

from leadboard import models
from leadboard.search.index import sync_search_index

NOW = datetime.now(UTC)

# (id, title, text, family, seniority, remote, skills, salary a year (USD, or (amount, currency)) or
# None, days old)
JOBS = [
    (
        "1",
        "Staff Machine Learning Engineer, Ranking",
        "Lead the ranking team. Python, PyTorch.",
        "ml_leadership",
        "staff",
        "remote",
        ["Python", "PyTorch"],
        250_000,
        3,
    ),
    (
        "2",
        "Engineering Manager, ML Platform",
        "Manage the ML platform team; Kubernetes & Ray.",
        "ml_leadership",
        "manager",
        "hybrid",
        ["Kubernetes", "Ray"],
        230_000,
        10,
    ),
    (
        "3",
        "Data Analyst",
        "Dashboards and SQL reports for the sales team.",
        "data",
        "mid",
        "onsite",
        ["SQL"],
        None,
        1,
    ),
    (
        "4",
        "Head of Applied AI",
        "Build and run the applied artificial intelligence group.",
        "ml_leadership",
        "director",
        "onsite",
        ["Python"],
        300_000,
        40,
    ),
    (
        "5",
        "Pastry Chef",
        "Croissants <b>and</b> bread for a busy bakery.",
        "other",
        "mid",
        "onsite",
        [],
        None,
        2,
    ),
]


def make_job(external_id, title, text, remote, salary, days, *, board="acme", url=None):
    posting = models.SourcePosting(
        source="greenhouse",
        board=board,
        external_id=external_id,
        fetched_at=NOW,
        payload={"id": external_id, "title": title, "board": board},
    )
    amount, currency = salary if isinstance(salary, tuple) else (salary, "USD")
    pay = None
    if amount:
        pay = models.Salary(min=amount, max=amount, currency=currency, period="year")
    job = models.Job(
        id=posting.key,
        source="greenhouse",
        board=board,
        external_id=external_id,
        url=url or f"https://jobs.example.com/{board}/{external_id}",
        title=title,
        title_raw=title,
        company="Acme Inc",
        description_text=text,
        remote=remote,
        salary=pay,
        posted_at=NOW - timedelta(days=days),
        locations=[models.Place(city="London", country="GB", raw="London")],
        content_hash=hashlib.sha256(f"{title}|{text}".encode()).hexdigest(),
    )
    return posting, job


def _enrichment(job_id, family, seniority, skills):
    return models.Enrichment(
        id=job_id,
        model_version="test-labels",
        role_family=family,
        seniority=seniority,
        ml_leadership=0.9 if family == "ml_leadership" else 0.05,
        is_ml_leadership=family == "ml_leadership",
        skills=[models.SkillMention(name=name) for name in skills],
    )


def fill(store, jobs=JOBS):
    """Store the jobs and their (known) enrichments, then index them."""
    pairs = [
        make_job(i, title, text, remote, salary, days)
        for i, title, text, _, _, remote, _, salary, days in jobs
    ]
    store.save_batch(pairs, [], index=store.duplicate_index(), seen_at=NOW)
    labels = [(family, seniority, skills) for _, _, _, family, seniority, _, skills, _, _ in jobs]
    store.save_enrichments(
        [
            (job.id, job.content_hash, _enrichment(job.id, *label))
            for (_, job), label in zip(pairs, labels, strict=True)
        ],
        NOW,
    )
    return sync_search_index(store)
