"""Stored jobs of a few companies under several names, for the company pages' tests.

Google DeepMind posts as "Google DeepMind" on a crawled Greenhouse board and as "DeepMind" in a
dump; Meta as "Meta" and "Meta Platforms, Inc.". Dates are honest: some postings carry their
source's date, one only the day it was first seen; one is closed, one has no URL to apply at.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from leadboard import models
from leadboard.search.index import sync_search_index
from leadboard.store.boards import CrawlOutcome

NOW = datetime.now(UTC)
CRAWLED = NOW - timedelta(hours=3)  # the Greenhouse board's last successful crawl

# (source, board, id, company, title, family, seniority, remote, pay (min, max, currency, period)
#  or None, days since the source's date (None: it gave none), URL given)
JOBS = [
    (
        "greenhouse",
        "deepmind",
        "1",
        "Google DeepMind",
        "Research Lead, Gemini",
        "ml_leadership",
        "director",
        "hybrid",
        (250_000, 300_000, "USD", "year"),
        10,
        True,
    ),
    (
        "greenhouse",
        "deepmind",
        "2",
        "Google DeepMind",
        "Staff Research Engineer",
        "ml_ic",
        "staff",
        "onsite",
        None,
        None,
        False,
    ),
    (
        "greenhouse",
        "deepmind",
        "3",
        "Google DeepMind",
        "Engineering Manager, Applied AI",
        "ml_leadership",
        "manager",
        "remote",
        (150_000, 150_000, "GBP", "year"),
        40,
        True,
    ),
    (
        "greenhouse",
        "deepmind",
        "4",
        "Google DeepMind",
        "Head of Research Operations",
        "ml_leadership",
        "director",
        "onsite",
        None,
        70,
        True,
    ),
    (
        "file",
        "ai-labs-2026",
        "5",
        "DeepMind",
        "Research Scientist, Alignment",
        "ml_ic",
        "senior",
        "remote",
        (18, 18, "USD", "hour"),
        100,
        True,
    ),
    (
        "greenhouse",
        "meta",
        "6",
        "Meta Platforms, Inc.",
        "ML Engineering Manager, Ranking",
        "ml_leadership",
        "manager",
        "onsite",
        None,
        5,
        True,
    ),
    (
        "greenhouse",
        "meta",
        "7",
        "Meta",
        "Research Scientist, Llama",
        "ml_ic",
        "senior",
        "onsite",
        None,
        6,
        True,
    ),
]
CLOSED = ["greenhouse:deepmind:4"]  # closed 20 days ago


def make_posting(source, board, external_id, company, title, remote, pay, days, with_url):
    posting = models.SourcePosting(
        source=source,
        board=board,
        external_id=external_id,
        fetched_at=NOW,
        payload={"id": external_id, "title": title},
    )
    salary = None
    if pay:
        low, high, currency, period = pay
        salary = models.Salary(min=low, max=high, currency=currency, period=period)
    job = models.Job(
        id=posting.key,
        source=source,
        board=board,
        external_id=external_id,
        url=f"https://jobs.example.com/{board}/{external_id}" if with_url else None,
        title=title,
        title_raw=title,
        company=company,
        description_text=f"{title}. Lead research and ship models. Python, JAX.",
        remote=remote,
        salary=salary,
        posted_at=NOW - timedelta(days=days) if days is not None else None,
        locations=[models.Place(city="London", country="GB", raw="London")],
        content_hash=hashlib.sha256(f"{company}|{title}".encode()).hexdigest(),
    )
    return posting, job


def fill_companies(store):
    """Store the jobs and their enrichments, close one, record the board's crawl, index."""
    pairs, labels = [], []
    for source, board, i, company, title, family, seniority, remote, pay, days, url in JOBS:
        pairs.append(make_posting(source, board, i, company, title, remote, pay, days, url))
        labels.append((family, seniority))
    store.save_batch(pairs, [], index=store.duplicate_index(), seen_at=NOW - timedelta(days=2))
    store.save_enrichments(
        [
            (
                job.id,
                job.content_hash,
                models.Enrichment(
                    id=job.id,
                    model_version="test-labels",
                    role_family=family,
                    seniority=seniority,
                    ml_leadership=0.9 if family == "ml_leadership" else 0.1,
                    is_ml_leadership=family == "ml_leadership",
                    skills=[models.SkillMention(name="Python")],
                ),
            )
            for (_, job), (family, seniority) in zip(pairs, labels, strict=True)
        ],
        NOW,
    )
    store.close_jobs(CLOSED, NOW - timedelta(days=20))
    store.boards.add(models.BoardRef("greenhouse", "deepmind", company="Google DeepMind"))
    store.boards.record("greenhouse:deepmind", CrawlOutcome(ok=True), CRAWLED)
    return sync_search_index(store)
