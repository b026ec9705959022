"""Hand-labelled postings (``data/labels/dev.jsonl``) joined with the postings they label.

The labels are split once, by a hash of the posting id, into a ``tune`` part (develop and tune
on it freely) and a ``holdout`` part (look at it only for the figures you report, at the end). The
split never changes, so figures from different sessions are comparable.

>>> split_of("ats26-57734b1addbb") in {"tune", "holdout"}
True
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Split = Literal["tune", "holdout"]
HOLDOUT_SHARE = 0.3


def shared_data_dir() -> Path:
    """``$LEADBOARD_DATA_DIR``, else ``../shared/data`` beside the repository."""
    env = os.environ.get("LEADBOARD_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[4] / "shared" / "data"


def split_of(posting_id: str) -> Split:
    """Which part of the labelled data a posting belongs to; stable forever."""
    bucket = int(hashlib.sha256(posting_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "holdout" if bucket < HOLDOUT_SHARE else "tune"


@dataclass
class LabelledPosting:
    posting: dict[str, Any]  # the row of postings/*/postings.jsonl, as the enrich contract reads
    label: dict[str, Any]  # the fields GUIDELINES.md defines

    @property
    def id(self) -> str:
        return self.label["id"]


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load_labelled(
    split: Split | Literal["all"] = "tune", *, data_dir: Path | None = None
) -> list[LabelledPosting]:
    """Labelled postings of one split, each with its posting (labels without one are skipped)."""
    data_dir = data_dir or shared_data_dir()
    labels = [
        row
        for row in read_jsonl(data_dir / "labels" / "dev.jsonl")
        if split == "all" or split_of(row["id"]) == split
    ]
    wanted = {row["id"] for row in labels}
    postings: dict[str, dict[str, Any]] = {}
    for path in sorted((data_dir / "postings").glob("*/postings.jsonl")):
        for row in read_jsonl(path):
            if row.get("id") in wanted:
                postings[row["id"]] = row
    return [LabelledPosting(postings[row["id"]], row) for row in labels if row["id"] in postings]
