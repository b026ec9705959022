"""The data leadboard is trained and measured on: where it lies and how to read it.

Nothing here reads the repository an installed package came from; each folder is given:

- the shared data (``labels/dev.jsonl`` and the posting dumps ``postings/*/postings.jsonl``):
  an option (``--data-dir``), else ``$LEADBOARD_DATA_DIR``, else ``../shared/data`` from the
  current directory;
- our own labels (``labelled/postings/extra`` in a checkout): ``--extra-labels``, else that
  path from the current directory.

A folder that is not there is a ``MissingData`` whose message names the option that gives it.

The hand labels of ``dev.jsonl`` are split once, by a hash of the posting id, into a ``tune``
part (develop and tune on it freely) and a ``holdout`` part (look at it only for the figures you
report, at the end). The split never changes, so figures from different sessions are comparable.

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
DATA_DIR_ENV = "LEADBOARD_DATA_DIR"
DEFAULT_DATA_DIR = Path("..") / "shared" / "data"
DEFAULT_EXTRA_LABELS_DIR = Path("labelled") / "postings" / "extra"


class MissingData(FileNotFoundError):
    """A data folder or file that is not there; the message says how to give it."""


def data_dir(given: Path | None = None) -> Path:
    """The shared data folder: ``given``, else ``$LEADBOARD_DATA_DIR``, else ``../shared/data``
    (relative to the current directory, not to where leadboard is installed).

    >>> data_dir(Path("/srv/data")).as_posix()
    '/srv/data'
    """
    if given is not None:
        return given
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else DEFAULT_DATA_DIR


def labels_file(given: Path | None = None) -> Path:
    """``labels/dev.jsonl`` of the shared data folder; ``MissingData`` when it is not there.

    >>> labels_file(Path("/nowhere"))
    Traceback (most recent call last):
    ...
    leadboard.datasets.MissingData: no labelled postings at /nowhere/labels/dev.jsonl: give the \
shared data folder with --data-dir (or $LEADBOARD_DATA_DIR)
    """
    path = data_dir(given) / "labels" / "dev.jsonl"
    if not path.is_file():
        raise MissingData(
            f"no labelled postings at {path}: give the shared data folder with --data-dir "
            f"(or ${DATA_DIR_ENV})"
        )
    return path


def posting_files(given: Path | None = None) -> list[Path]:
    """The posting dumps of the shared data folder, in name order."""
    return sorted((data_dir(given) / "postings").glob("*/postings.jsonl"))


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON object of each non-blank line of ``path``, read lazily."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


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
        return str(self.label["id"])


def load_labelled(
    split: Split | Literal["all"] = "tune", *, data_dir: Path | None = None
) -> list[LabelledPosting]:
    """Labelled postings of one split, each with its posting (labels without one are skipped)."""
    labels = [
        row
        for row in read_jsonl(labels_file(data_dir))
        if split == "all" or split_of(row["id"]) == split
    ]
    wanted = {row["id"] for row in labels}
    postings: dict[str, dict[str, Any]] = {}
    for path in posting_files(data_dir):
        for row in read_jsonl(path):
            if row.get("id") in wanted:
                postings[row["id"]] = row
    return [LabelledPosting(postings[row["id"]], row) for row in labels if row["id"] in postings]
