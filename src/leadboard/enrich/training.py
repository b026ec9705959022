"""Train the role model reproducibly from the shared data and find the trained one.

``leadboard train`` calls :func:`train_role_model`; enrichment calls :func:`load_role_model`.
The model learns from three sources, and never from the holdout split it is reported on:

1. the ``tune`` split of the hand-labelled postings (``data/labels/dev.jsonl``);
2. our own hand labels in ``labelled/postings/extra/*.jsonl`` (postings outside ``dev.jsonl``,
   labelled by the same GUIDELINES.md; ids and labels only, the postings stay in the shared data);
3. weak labels from titles that leave no doubt (``weak_labels.py``), which feed the description
   model only.

Both folders are given (``leadboard train --data-dir``, ``--extra-labels``; see
``leadboard.datasets``): an installed package reads nothing of the repository it came from.

A model trained by the user lives in ``$LEADBOARD_HOME/models/role`` (or
``$LEADBOARD_MODELS_DIR/role``) and wins; otherwise the model shipped in the package
(``leadboard/data/models/role``, rebuilt by ``leadboard train --package``) is used, so a fresh
install classifies roles without the shared data. Training is deterministic: the same data gives
the same files, byte for byte.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadboard import datasets
from leadboard.datasets import MissingData, load_labelled, read_jsonl
from leadboard.enrich.role import FAMILIES, MODEL_FILE, RoleClassifier
from leadboard.enrich.weak_labels import (
    as_imported,
    labelled_ids,
    unlabelled_postings,
    with_weak_labels,
)
from leadboard.store.database import leadboard_home

MODELS_DIR_ENV = "LEADBOARD_MODELS_DIR"


def models_dir() -> Path:
    """``$LEADBOARD_MODELS_DIR``, else ``$LEADBOARD_HOME/models``."""
    env = os.environ.get(MODELS_DIR_ENV)
    return Path(env).expanduser() if env else leadboard_home() / "models"


# The model shipped with the package (package data, see pyproject.toml).
PACKAGED_ROLE_MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "models" / "role"


def role_model_dir() -> Path:
    """Where ``leadboard train`` saves the user's own model."""
    return models_dir() / "role"


def role_model_dirs() -> list[Path]:
    """Where a role model is looked for, first wins: the user's own, then the packaged one."""
    return [role_model_dir(), PACKAGED_ROLE_MODEL_DIR]


def load_role_model() -> RoleClassifier | None:
    """The user's trained role model, else the packaged one; None when neither can be read.

    A user's model of another version (trained before an upgrade) is passed over for the packaged
    one. With None, enrichment goes on without role families and says why
    (``role_model_problem`` names the problem).
    """
    for folder in role_model_dirs():
        try:
            path = folder / MODEL_FILE
            stat = path.stat()
            return _load_once(str(folder), stat.st_mtime_ns, stat.st_size)
        except Exception:  # noqa: BLE001 - a missing or broken model must not stop enrichment
            continue
    return None


@functools.lru_cache(maxsize=4)
def _load_once(folder: str, mtime_ns: int, size: int) -> RoleClassifier:
    """A model read once a process while its file stays the same (reading takes ~1 s)."""
    return RoleClassifier.load(folder)


def role_model_problem() -> str | None:
    """Why :func:`load_role_model` gives None, in words a user can act on (None when it loads)."""
    problems = []
    for folder in role_model_dirs():
        if not (folder / MODEL_FILE).is_file():
            problems.append(f"no role model at {folder}")
            continue
        try:
            RoleClassifier.load(folder)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            problems.append(f"the role model at {folder} cannot be used ({error})")
        else:
            return None
    return f"{'; '.join(problems)}: run `leadboard train` (or reinstall leadboard)"


def extra_labels(folder: Path | None = None) -> list[dict[str, Any]]:
    """Our own hand labels (``{"id", "role_family", "seniority", "note"}``), every file of
    ``folder`` (default: ``labelled/postings/extra`` from the current directory), or the one
    ``.jsonl`` file it names (``eval.sources --test-labels labelled/postings/fresh/batch_15…``).

    >>> extra_labels(Path("/nowhere"))
    Traceback (most recent call last):
    ...
    leadboard.datasets.MissingData: no extra labels at /nowhere: give their folder with \
--extra-labels, or leave them out with --no-extra
    """
    folder = folder or datasets.DEFAULT_EXTRA_LABELS_DIR
    if folder.is_file():
        return list(read_jsonl(folder))
    if not folder.is_dir():
        raise MissingData(
            f"no extra labels at {folder}: give their folder with --extra-labels, "
            "or leave them out with --no-extra"
        )
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
    origins: list[str] = field(default_factory=list)  # each posting's entry of ``sources``
    weak: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    # Postings with a description and no label (``RoleClassifier(title_distil=True)``).
    unlabelled: list[dict[str, Any]] = field(default_factory=list)

    def add(self, source: str, posting: dict[str, Any], label: str) -> None:
        self.postings.append(posting)
        self.labels.append(label)
        self.origins.append(source)
        self.sources[source] = self.sources.get(source, 0) + 1


def training_set(
    data_dir: Path | None = None,
    *,
    extra: bool = True,
    extra_dir: Path | None = None,
    weak: bool = True,
    unlabelled: bool = False,
    limit: int | None = None,
) -> TrainingSet:
    """The labelled postings to train on: ``tune`` labels, our extra labels (from
    ``extra_dir``), weak labels, and with ``unlabelled`` every other posting with a description.

    ``limit`` keeps the first ``limit`` labelled postings and ``5 * limit`` weak (and
    unlabelled) ones (for tests).
    No posting of the holdout split is ever included.
    """
    data_dir = datasets.data_dir(data_dir)
    rows: list[tuple[str, dict[str, Any], str]] = [
        ("dev_tune", item.posting, item.label["role_family"])
        for item in load_labelled("tune", data_dir=data_dir)
    ]
    ours = {str(row["id"]): row for row in extra_labels(extra_dir)} if extra else {}
    if extra:
        # Our labels never name a dev.jsonl posting (a test checks); excluding them all keeps
        # the holdout split out whatever happens to the files.
        wanted = {i for i, row in ours.items() if row.get("role_family") in FAMILIES}
        for posting in postings_by_id(data_dir, wanted - labelled_ids(data_dir)):
            rows.append(("extra", posting, ours[posting["id"]]["role_family"]))
    found = TrainingSet()
    for source, posting, label in rows[:limit]:
        found.add(source, posting, label)
    if weak or unlabelled:
        exclude = {str(p.get("id")) for p in found.postings} | set(ours)
        others = unlabelled_postings(data_dir, exclude_ids=exclude)
        if weak:
            pairs = with_weak_labels(others)[: None if limit is None else 5 * limit]
            found.weak = [(posting, label.role_family) for posting, label in pairs]
        if unlabelled:
            found.unlabelled = others[: None if limit is None else 5 * limit]
    return found


def postings_by_id(data_dir: Path, ids: set[str]) -> list[dict[str, Any]]:
    """The postings of ``data_dir`` with these ids, as ``leadboard import`` titles them, by id."""
    found: dict[str, dict[str, Any]] = {}
    for path in datasets.posting_files(data_dir):
        for row in read_jsonl(path):
            if row.get("id") in ids and row["id"] not in found:
                found[row["id"]] = as_imported(row)
    return [found[i] for i in sorted(found)]


@dataclass
class TrainingReport:
    """What ``leadboard train`` did and where the model went."""

    path: str
    version: str
    name: str  # version and training fingerprint (equal for an identical training)
    labelled: dict[str, int]
    weak: int
    threshold: float
    seconds: float

    def record(self) -> dict[str, Any]:
        """What ``training.json`` keeps: the training, not the run (no path, no time), so a
        retraining on the same data leaves the packaged files unchanged."""
        return {k: v for k, v in self.__dict__.items() if k not in ("path", "seconds")}


def train_role_model(
    data_dir: Path | None = None,
    *,
    output: Path | None = None,
    extra: bool = True,
    extra_dir: Path | None = None,
    weak: bool = True,
    limit: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> TrainingReport:
    """Fit the role model on :func:`training_set` and save it (default: :func:`role_model_dir`).

    A data folder that is not there is a ``MissingData`` naming the option that gives it.
    """
    start = time.perf_counter()
    data = training_set(data_dir, extra=extra, extra_dir=extra_dir, weak=weak, limit=limit)
    if not data.postings:
        raise MissingData(
            f"no labelled postings under {datasets.data_dir(data_dir)}: give the shared data "
            f"folder with --data-dir (or ${datasets.DATA_DIR_ENV})"
        )
    progress(
        f"training on {len(data.postings)} labelled postings "
        f"({', '.join(f'{k} {v}' for k, v in data.sources.items())}) and {len(data.weak)} "
        "weakly labelled ones"
    )
    model = RoleClassifier().fit(data.postings, data.labels, weak=data.weak or None)
    folder = model.save(output or role_model_dir())
    report = TrainingReport(
        path=str(folder),
        version=model.version,
        name=model.name,
        labelled=dict(data.sources),
        weak=len(data.weak),
        threshold=float(model.threshold_),
        seconds=round(time.perf_counter() - start, 1),
    )
    (folder / "training.json").write_text(
        json.dumps(report.record(), indent=2, sort_keys=True) + "\n"
    )
    return report
