"""A small market of hand-made, enriched jobs whose figures are known by construction.

24 ML-leadership postings (``lead(i)`` below says what each one asks), 10 ML-engineer postings,
3 data postings and a pastry chef; plus a copy of lead 0 on another board (same URL: one
duplicate cluster, counted once) and a closed ML-leadership posting (not counted).

What the 24 leads add up to, worked out by hand for the tests:

- companies "Lab 0" … "Lab 5", four postings each; remote 6, hybrid 6, onsite 12;
- US only: leads 0–15; GB only: 16–21; both: 22 and 23;
- Python: even i (12); PyTorch: i % 4 == 0 (6); TensorFlow: i in 1, 7, 13, 19 (4);
  TensorFlow or PyTorch: 10; LLMs: i % 3 == 0 (8);
- duties: stakeholders all 24; mentoring i < 18 (18); hands-on coding odd i (12);
- years: none when i % 3 == 0; else 3, 5, 8 or 12 by i % 4 → 16 stated: 3×4, 5×4, 8×4, 12×4,
  median 6.5, asking 8+: 8;
- pay: leads 0–19 USD a year, from 100k + 10k·i to that + 50k (midpoints 125k … 315k, median
  220k); leads 20 and 21 GBP 90k–110k; 22 and 23 none;
- seniority: staff for even i, manager for odd;
- posting dates: none from the source when i % 4 == 3 (6); the others in 2025, month i % 12 + 1.

The 10 ML engineers all ask Python, the first 5 PyTorch too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from leadboard import models
from leadboard.search.index import sync_search_index
from support.search_jobs import NOW, make_job

LEADS = 24


def lead(i: int) -> dict:
    """What ML-leadership posting ``i`` says (see the module docstring for the totals)."""
    skills = [
        name
        for name, asked in (
            ("Python", i % 2 == 0),
            ("PyTorch", i % 4 == 0),
            ("TensorFlow", i % 6 == 1),
            ("LLMs", i % 3 == 0),
        )
        if asked
    ]
    duties = (
        ["stakeholders"]
        + (["mentoring"] if i < 18 else [])
        + (["hands_on_coding"] if i % 2 else [])
    )
    places = (
        [("San Francisco", "US")]
        if i < 16
        else [("London", "GB")]
        if i < 22
        else [("New York", "US"), ("London", "GB")]
    )
    salary = (
        ("USD", 100_000 + 10_000 * i, 150_000 + 10_000 * i)
        if i < 20
        else ("GBP", 90_000, 110_000)
        if i < 22
        else None
    )
    return {
        "title": f"ML Tech Lead {i}",
        "company": f"Lab {i % 6}",
        "family": "ml_leadership",
        "seniority": "staff" if i % 2 == 0 else "manager",
        "remote": ("remote", "hybrid", "onsite", "onsite")[i % 4],
        "places": places,
        "skills": skills,
        "duties": duties,
        "years": None if i % 3 == 0 else (3, 5, 8, 12)[i % 4],
        "salary": salary,
        "posted": None if i % 4 == 3 else datetime(2025, i % 12 + 1, 15, tzinfo=UTC),
    }


def engineer(i: int) -> dict:
    return {
        "title": f"ML Engineer {i}",
        "company": "Lab 0",
        "family": "ml_ic",
        "seniority": "senior",
        "remote": "onsite",
        "places": [("San Francisco", "US")],
        "skills": ["Python"] + (["PyTorch"] if i < 5 else []),
        "duties": ["hands_on_coding"],
        "years": 4,
        "salary": None,
        "posted": None,
    }


def other(title: str, family: str) -> dict:
    return {
        "title": title,
        "company": "Bakery & Co",
        "family": family,
        "seniority": "mid",
        "remote": "onsite",
        "places": [("Paris", "FR")],
        "skills": ["SQL"] if family == "data" else [],
        "duties": [],
        "years": 2,
        "salary": None,
        "posted": None,
    }


def market() -> list[dict]:
    jobs = [lead(i) for i in range(LEADS)] + [engineer(i) for i in range(10)]
    jobs += [other(f"Data Analyst {i}", "data") for i in range(3)]
    return jobs + [other("Pastry Chef", "other")]


def store_jobs(store, jobs: list[dict], *, board: str = "acme") -> None:
    """Store ``jobs`` with their enrichments (ids ``greenhouse:{board}:0``, …); index them."""
    pairs = []
    for number, spec in enumerate(jobs):
        posting, job = make_job(
            str(number),
            spec["title"],
            spec.get("text", f"{spec['title']}: a job."),
            spec["remote"],
            None,
            1,
            board=board,
        )
        pay = spec["salary"]
        job = job.model_copy(
            update={
                "company": spec["company"],
                "posted_at": spec["posted"],
                "locations": [
                    models.Place(city=city, country=country, raw=city)
                    for city, country in spec["places"]
                ],
                "salary": models.Salary(min=pay[1], max=pay[2], currency=pay[0], period="year")
                if pay
                else None,
            }
        )
        pairs.append((posting, job, spec))
    store.save_batch([(p, j) for p, j, _ in pairs], [], index=store.duplicate_index(), seen_at=NOW)
    store.save_enrichments(
        [(job.id, job.content_hash, _enrichment(job.id, spec)) for _, job, spec in pairs], NOW
    )
    sync_search_index(store)


def fill_market(store) -> None:
    """The market of the module docstring, with one duplicate and one closed posting."""
    store_jobs(store, market())
    copy = make_job(
        "0",
        "ML Tech Lead 0",
        "ML Tech Lead 0: a job.",
        "remote",
        None,
        1,
        board="mirror",
        url="https://jobs.example.com/acme/0",
    )
    closing = lead(1) | {"title": "ML Tech Lead, closed"}
    store_jobs(store, [closing], board="gone")
    store.save_batch([copy], [], index=store.duplicate_index(), seen_at=NOW)
    store.save_enrichments(
        [(copy[1].id, copy[1].content_hash, _enrichment(copy[1].id, lead(0)))], NOW
    )
    store.close_missing("greenhouse", "gone", set(), NOW)
    sync_search_index(store)


def _enrichment(job_id: str, spec: dict) -> models.Enrichment:
    leads = spec["family"] == "ml_leadership"
    return models.Enrichment(
        id=job_id,
        model_version="test-labels",
        role_family=spec["family"],
        seniority=spec["seniority"],
        ml_leadership=0.9 if leads else 0.05,
        is_ml_leadership=leads,
        years_min=spec["years"],
        skills=[models.SkillMention(name=name) for name in spec["skills"]],
        duties=spec["duties"],
    )
