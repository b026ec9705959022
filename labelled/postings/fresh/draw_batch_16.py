"""Draw the postings of ``batch_16_unseen.jsonl``: a seeded random sample of the thin sources.

Run from the repository root with the shared data at ``../shared/data``::

    python labelled/postings/fresh/draw_batch_16.py > candidates.tsv

The same candidates and pools as ``draw_batch_15.py`` (postings of the five thin sources not
labelled yet, now batch 15 included, no copy of a labelled job, one per job), with quotas for
what batch 15 left: the 2026 AI-lab listing's "core" pool is spent (two left), so its positives
are looked for among leadership titles of technical work without an ML word (every one of them
taken: "Engineering Manager - Serving Infrastructure", "Technical Lead, Safety Research") and
ML-and-leadership titles that also name another trade ("Tech Lead Manager, Safeguards ML
Infrastructure"). The other sources have next to no ML-and-leadership title left: a few
postings each, for precision. ``ats-boards-2026-05`` (4 "core" titles left) is a training
source of the five-source evaluation, so it is not drawn.
Each (source, pool) cell is shuffled with one seed and read in that order, taking the first
``QUOTAS`` postings a person can label; skipped (the next one taken instead): multi-role posts,
posts too vague to tell, near-copies of a labelled or drawn job.
"""

from __future__ import annotations

import random

from draw_batch_15 import (  # type: ignore[import-not-found]
    DATA,
    LABELS,
    MEMBER_OF_STAFF,
    NOT_ML_WORK,
    TECHNICAL,
    as_imported,
    copy_keys,
    pool,
    posting_files,
    read_jsonl,
)

SEED = 1600
QUOTAS = {
    "ai-labs-2026-04": {
        "core": 2,
        "lead_technical": 200,  # all of them
        "ml_lead": 20,
        "ml": 8,
        "lead": 4,
        "neither": 2,
    },
    "ai-labs-2025-08": {"ml_lead": 3, "ml": 4, "lead": 3},
    "hn-who-is-hiring-2026": {"core": 3, "ml_lead": 1, "ml": 5, "lead": 3},
    "linkedin-ds-2018": {"ml": 3, "lead": 2},
    "aggregator-2026q1": {"ml": 2, "lead": 1},
}


def cell_name(source: str, title: str) -> str:
    """The pool of a title, the AI-lab listing's technical leadership titles apart."""
    name = pool(title)
    plain = MEMBER_OF_STAFF.sub(" ", title)
    technical = TECHNICAL.search(title) and not NOT_ML_WORK.search(plain)
    if source == "ai-labs-2026-04" and name == "lead" and technical:
        return "lead_technical"
    return name


def main() -> None:
    labelled = {str(row["id"]) for row in read_jsonl(DATA / "labels" / "dev.jsonl")}
    for path in sorted([*LABELS.glob("extra/*.jsonl"), *LABELS.glob("fresh/*.jsonl")]):
        if path.name == "batch_16_unseen.jsonl":  # the draw as it was made, before its labels
            continue
        labelled |= {str(row["id"]) for row in read_jsonl(path)}
    rows = [as_imported(row) for path in posting_files(DATA) for row in read_jsonl(path)]
    seen = {key for row in rows if row["id"] in labelled for key in copy_keys(row) if key}
    cells: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row.get("source") not in QUOTAS or row["id"] in labelled or not row.get("title"):
            continue
        keys = [key for key in copy_keys(row) if key]
        if any(key in seen for key in keys):
            continue
        seen.update(keys)
        cells.setdefault((row["source"], cell_name(row["source"], row["title"])), []).append(row)
    rng = random.Random(SEED)
    for source, quotas in QUOTAS.items():
        for name, quota in quotas.items():
            cell = sorted(cells.get((source, name), []), key=lambda row: row["id"])
            rng.shuffle(cell)
            for rank, row in enumerate(cell[: 2 * quota + 3]):  # reserves for skipped ones
                print(f"{source}\t{name}\t{rank}\t{quota}\t{row['id']}\t{row['title']}")


if __name__ == "__main__":
    main()
