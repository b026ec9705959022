"""Draw the postings of ``batch_15_unseen.jsonl``: a seeded random sample of the thin sources.

Run from the repository root with the shared data at ``../shared/data``::

    python labelled/postings/fresh/draw_batch_15.py > candidates.tsv

Candidates: postings of the five thin sources (titled as ``leadboard import`` titles them: a
Hacker News post of one role), not labelled yet (``dev.jsonl``, ``extra/``, ``fresh/``) and no
copy of a labelled job (``weak_labels.copy_keys``: company and title, or the text), one per job.
They fall in five pools by title words: ML and a leadership word, split again into "core" (the
title names no trade other than ML work, such as product, sales or design) and "ml_lead" (it
does); ML only; leadership only; neither ("Member of Technical Staff" is no leadership word).
Each (source, pool) cell is shuffled with one seed and read in that order, taking the first
``QUOTAS`` postings a person can label.
Skipped (the next one taken instead): multi-role posts, posts too vague to tell.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from leadboard.datasets import posting_files, read_jsonl
from leadboard.enrich.weak_labels import as_imported, copy_keys

DATA = Path("../shared/data")
LABELS = Path("labelled/postings")
SEED = 15
ML = re.compile(
    r"\b(?:machine[- ]learning|ml|mle|mlops|ai|a\.i\.|artificial intelligence|deep[- ]learning|"
    r"nlp|computer vision|llms?|genai|generative|data scien\w*|research (?:scientist|engineer)|"
    r"applied scientist|inference|model\w*|training|post-?training|pre-?training|perception|"
    r"reinforcement learning|agents?|agentic|ranking|recommend\w*|personali[sz]ation|robotics|"
    r"speech|alignment|interpretability|evals?|frontier)\b",
    re.IGNORECASE,
)
LEAD = re.compile(
    r"\b(?:lead|leader|tech lead|staff|principal|distinguished|architect|manager|head|director|"
    r"vp|vice president|chief|fellow)\b",
    re.IGNORECASE,
)
MEMBER_OF_STAFF = re.compile(r"\bmember of (?:the )?technical staff\b", re.IGNORECASE)
# Trades that are not ML work whatever their AI words: "ML and lead" titles without one of them
# form the "core" pool, where the positives are ("Solutions Architect, Applied AI" is not).
NOT_ML_WORK = re.compile(
    r"\b(?:product|program|solutions?|sales|account|marketing|partner\w*|design\w*|recruit\w*|"
    r"financ\w*|operations|policy|communications|strategic|strategy|strategist|success|"
    r"deployment|adoption|enablement|creative|logistics|supply|legal|counsel|people|talent|"
    r"fellow|content|enforcement|safeguards|intelligence lead|campaign|business|go-to-market|"
    r"gtm|customer|support|trust|security|privacy)\b",
    re.IGNORECASE,
)
# Postings to label per (source, pool): every "core" one (56 of the 2026 AI-lab listing, 3 HN
# posts; the positives are there), the other pools for the hard negatives and the base rates.
QUOTAS = {
    "ai-labs-2026-04": {"core": 56, "ml_lead": 12, "ml": 8, "lead": 4, "neither": 2},
    "ai-labs-2025-08": {"core": 0, "ml_lead": 3, "ml": 5, "lead": 2, "neither": 2},
    "hn-who-is-hiring-2026": {"core": 3, "ml_lead": 1, "ml": 8, "lead": 3, "neither": 2},
    "linkedin-ds-2018": {"core": 0, "ml_lead": 0, "ml": 6, "lead": 3, "neither": 2},
    "aggregator-2026q1": {"core": 0, "ml_lead": 0, "ml": 4, "lead": 2, "neither": 1},
}


TECHNICAL = re.compile(
    r"\b(?:research\w*|engineer\w*|scien\w*|technical|gemini|claude|sora|chatgpt|safety|"
    r"serving|multimodal|evaluation)\b",
    re.IGNORECASE,
)
SECOND_STAGE = ("lead_technical", 30)
BATCH = "batch_15_unseen.jsonl"


def pool(title: str) -> str:
    """The pool of a title.

    >>> pool("Staff ML Engineer"), pool("Product Lead, AI"), pool("Member of Technical Staff, AI")
    ('core', 'ml_lead', 'ml')
    """
    title = MEMBER_OF_STAFF.sub(" ", title)
    ml, lead = bool(ML.search(title)), bool(LEAD.search(title))
    if ml and lead:
        return "ml_lead" if NOT_ML_WORK.search(title) else "core"
    return "ml" if ml else "lead" if lead else "neither"


def main() -> None:
    labelled = {str(row["id"]) for row in read_jsonl(DATA / "labels" / "dev.jsonl")}
    for path in sorted([*LABELS.glob("extra/*.jsonl"), *LABELS.glob("fresh/*.jsonl")]):
        if path.name == BATCH:  # the draw as it was made, before its own labels
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
        cells.setdefault((row["source"], pool(row["title"])), []).append(row)
    rng = random.Random(SEED)
    for source, quotas in QUOTAS.items():
        for name, quota in quotas.items():
            cell = sorted(cells.get((source, name), []), key=lambda row: row["id"])
            rng.shuffle(cell)
            for rank, row in enumerate(cell[: 2 * quota + 3]):  # reserves for skipped ones
                print(f"{source}\t{name}\t{rank}\t{quota}\t{row['id']}\t{row['title']}")
    # Second stage, drawn after the first gave 26 ML-leadership labels: the AI-lab "lead" titles
    # of technical work that name no ML word ("Research Lead, Cyber", "Engineering Manager,
    # Serving Infrastructure"), where the rest of the positives hide among many negatives.
    source, (name, quota) = "ai-labs-2026-04", SECOND_STAGE
    cell = sorted(cells[(source, "lead")], key=lambda row: row["id"])
    cell = [row for row in cell if TECHNICAL.search(row["title"])]
    cell = [row for row in cell if not NOT_ML_WORK.search(MEMBER_OF_STAFF.sub(" ", row["title"]))]
    random.Random(SEED + 1).shuffle(cell)
    for rank, row in enumerate(cell[:quota]):
        print(f"{source}\t{name}\t{rank}\t{quota}\t{row['id']}\t{row['title']}")


if __name__ == "__main__":
    main()
