"""Train the role model reproducibly from ``../shared/data`` and find the trained one.

``leadboard train`` calls :func:`train_role_model`; enrichment calls :func:`load_role_model`.
The model learns from three sources, and never from the holdout split it is reported on:

1. the ``tune`` split of the hand-labelled postings (``data/labels/dev.jsonl``);
2. our own hand labels in ``eval/labels/extra/*.jsonl`` (postings outside ``dev.jsonl``, labelled
   by the same GUIDELINES.md; ids and labels only, the postings stay in ``../shared/data``);
3. weak labels from titles that leave no doubt (``weak_labels.py``), which feed the description
   model only.

The trained model lives in ``$LEADBOARD_HOME/models/role`` (or ``$LEADBOARD_MODELS_DIR/role``):
it is data-derived, so it is built here rather than shipped in the repository.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadboard.enrich.role import FAMILIES, MODEL_FILE, RoleClassifier
from leadboard.enrich.weak_labels import labelled_ids, weak_labelled_postings
from leadboard.eval.labels import load_labelled, read_jsonl, shared_data_dir
from leadboard.store.database import leadboard_home

MODELS_DIR_ENV = "LEADBOARD_MODELS_DIR"
# The repository's own labels: ``eval/labels/extra`` beside ``src/``.
EXTRA_LABELS_DIR = Path(__file__).resolve().parents[3] / "eval" / "labels" / "extra"


def models_dir() -> Path:
    """``$LEADBOARD_MODELS_DIR``, else ``$LEADBOARD_HOME/models``."""
    env = os.environ.get(MODELS_DIR_ENV)
    return Path(env).expanduser() if env else leadboard_home() / "models"


def role_model_dir() -> Path:
    return models_dir() / "role"


def load_role_model() -> RoleClassifier | None:
    """The trained role model, or None when ``leadboard train`` has not been run.

    A model of another version or one that cannot be read also gives None: enrichment then goes
    on without role families and says why (``role_model_problem`` names the problem).
    """
    try:
        return RoleClassifier.load(role_model_dir())
    except Exception:  # noqa: BLE001 - a missing or broken model must not stop enrichment
        return None


def role_model_problem() -> str | None:
    """Why :func:`load_role_model` gives None, in words a user can act on (None when it loads)."""
    path = role_model_dir() / MODEL_FILE
    if not path.is_file():
        return f"no role model at {path.parent}: run `leadboard train`"
    try:
        RoleClassifier.load(role_model_dir())
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return f"the role model at {path.parent} cannot be used ({error}): run `leadboard train`"
    return None


def extra_labels(folder: Path = EXTRA_LABELS_DIR) -> list[dict[str, Any]]:
    """Our own hand labels (``{"id", "role_family", "seniority", "note"}``), every file."""
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        rows.extend(read_jsonl(path))
    return rows


@dataclass
class TrainingSet:
    """Postings and role families to learn from, and where each came from."""

    postings: list[dict[str, Any]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    weak: list[tuple[dict[str, Any], str]] = field(default_factory=list)

    def add(self, source: str, posting: dict[str, Any], label: str) -> None:
        self.postings.append(posting)
        self.labels.append(label)
        self.sources[source] = self.sources.get(source, 0) + 1


def training_set(
    data_dir: Path | None = None,
    *,
    extra: bool = True,
    weak: bool = True,
    limit: int | None = None,
) -> TrainingSet:
    """The labelled postings to train on: ``tune`` labels, our extra labels, weak labels.

    ``limit`` keeps the first ``limit`` labelled postings and ``5 * limit`` weak ones (for tests).
    No posting of the holdout split is ever included.
    """
    data_dir = data_dir or shared_data_dir()
    ours = {str(row["id"]): row for row in extra_labels()}
    rows: list[tuple[str, dict[str, Any], str]] = [
        ("dev_tune", item.posting, item.label["role_family"])
        for item in load_labelled("tune", data_dir=data_dir)
    ]
    if extra:
        # Our labels never name a dev.jsonl posting (a test checks); excluding them all keeps
        # the holdout split out whatever happens to the files.
        wanted = {i for i, row in ours.items() if row.get("role_family") in FAMILIES}
        for posting in _postings_by_id(data_dir, wanted - labelled_ids(data_dir)):
            rows.append(("extra", posting, ours[posting["id"]]["role_family"]))
    found = TrainingSet()
    for source, posting, label in rows[:limit]:
        found.add(source, posting, label)
    if weak:
        exclude = {str(p.get("id")) for p in found.postings} | set(ours)
        pairs = weak_labelled_postings(data_dir, exclude_ids=exclude)
        if limit is not None:
            pairs = pairs[: 5 * limit]
        found.weak = [(posting, label.role_family) for posting, label in pairs]
    return found


def _postings_by_id(data_dir: Path, ids: set[str]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((data_dir / "postings").glob("*/postings.jsonl")):
        for row in read_jsonl(path):
            if row.get("id") in ids and row["id"] not in found:
                found[row["id"]] = row
    return [found[i] for i in sorted(found)]


@dataclass
class TrainingReport:
    """What ``leadboard train`` did and where the model went."""

    path: str
    version: str
    labelled: dict[str, int]
    weak: int
    threshold: float
    seconds: float


def train_role_model(
    data_dir: Path | None = None,
    *,
    output: Path | None = None,
    extra: bool = True,
    weak: bool = True,
    limit: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> TrainingReport:
    """Fit the role model on :func:`training_set` and save it (default: :func:`role_model_dir`)."""
    start = time.perf_counter()
    data = training_set(data_dir, extra=extra, weak=weak, limit=limit)
    if not data.postings:
        raise FileNotFoundError(
            f"no labelled postings under {data_dir or shared_data_dir()} "
            "(set LEADBOARD_DATA_DIR to the shared data folder)"
        )
    progress(
        f"training on {len(data.postings)} labelled postings "
        f"({', '.join(f'{k} {v}' for k, v in data.sources.items())}) and {len(data.weak)} "
        "weakly labelled ones"
    )
    model = RoleClassifier().fit(data.postings, data.labels, weak=data.weak or None)
    folder = model.save(output or role_model_dir())
    report = TrainingReport(
        path=str(folder), version=model.version, labelled=dict(data.sources),
        weak=len(data.weak), threshold=float(model.threshold_),
        seconds=round(time.perf_counter() - start, 1),
    )  # fmt: skip
    (folder / "training.json").write_text(json.dumps(report.__dict__, indent=2) + "\n")
    return report
