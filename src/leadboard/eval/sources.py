"""The role model on sources it has never seen: leave-source-out evaluation.

Every labelled posting comes from one dump of the shared data (its ``source``: ``ats-boards-
2026-05``, ``linkedin-ds-2018``…). A model tuned on a few dumps can learn their formatting
instead of the job; to see how it does on a source nobody trained on, :func:`leave_source_out`
holds each named source out **entirely**: its postings are in no labelled training row, no weak
label and no calibration fold. It then scores the model on that source's labels — the ``tune``
split of ``dev.jsonl`` and our extra labels; the ``holdout`` split stays unread (it is reported
at the end, by ``leadboard eval --split holdout``).

Figures per held-out source: ML-leadership precision, recall and F1, role family accuracy,
each with a 95% bootstrap interval (a source has few positives: the interval says how far the
figure can be trusted), and the calibration of P(ml_leadership) — Brier score, expected
calibration error (ECE) and the reliability bins it is computed from.

``--test-labels DIR`` (or one ``.jsonl`` file) also scores, apart, labels kept out of training
altogether (``labelled/postings/fresh``: postings labelled before a change and never read while
making it), with the same model: trained without that source, and without those postings or
their copies.

Run it (about a minute of CPU per held-out source)::

    python -m leadboard.eval.sources linkedin-ds-2018 ai-labs-2025-08 [--no-weak] [--json]
    python -m leadboard.eval.sources hn-who-is-hiring-2026 --test-labels labelled/postings/fresh

>>> bins = reliability_bins([False, False, True, True], [0.1, 0.2, 0.7, 0.9], n_bins=2)
>>> [(b.count, b.mean_predicted, b.observed) for b in bins]
[(2, 0.15, 0.0), (2, 0.8, 1.0)]
>>> round(expected_calibration_error(bins), 3)
0.175
>>> bootstrap_interval([True, True, False, False], [True, True, False, False], accuracy)
(1.0, 1.0)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import bootstrap

from leadboard import datasets
from leadboard.enrich.role import FAMILIES, RoleClassifier
from leadboard.enrich.training import TrainingSet, extra_labels, postings_by_id, training_set
from leadboard.enrich.weak_labels import copy_keys
from leadboard.eval.metrics import BinaryScores, ClassScores, binary_scores, class_scores


@dataclass(frozen=True)
class ReliabilityBin:
    """Postings whose predicted probability fell in [low, high): how many, the mean
    prediction and the share that were truly positive."""

    low: float
    high: float
    count: int
    mean_predicted: float
    observed: float


def reliability_bins(
    truth: Sequence[bool], probabilities: Sequence[float], n_bins: int = 10
) -> list[ReliabilityBin]:
    """Equal-width bins of the probabilities (empty bins left out); the last bin holds 1.0."""
    y = np.asarray(truth, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, n_bins - 1)
    found = []
    for b in range(n_bins):
        inside = which == b
        if inside.any():
            found.append(
                ReliabilityBin(
                    round(float(edges[b]), 4),
                    round(float(edges[b + 1]), 4),
                    int(inside.sum()),
                    round(float(p[inside].mean()), 4),
                    round(float(y[inside].mean()), 4),
                )
            )
    return found


def expected_calibration_error(bins: Sequence[ReliabilityBin]) -> float:
    """Mean |observed − predicted| over the bins, weighted by their counts (0 is perfect)."""
    total = sum(b.count for b in bins)
    if not total:
        return 0.0
    return sum(b.count * abs(b.observed - b.mean_predicted) for b in bins) / total


def accuracy(truth: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Share of equal pairs (0 for none)."""
    return float(np.mean(np.asarray(truth) == np.asarray(predicted))) if len(truth) else 0.0


def f1(truth: Sequence[bool], predicted: Sequence[bool]) -> float:
    """F1 of the positive class; 0 where it is undefined (no positive truth nor prediction)."""
    y, p = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    both = 2 * int((y & p).sum())
    return both / (int(y.sum()) + int(p.sum())) if both else 0.0


def bootstrap_interval(
    truth: Sequence[Any],
    predicted: Sequence[Any],
    statistic: Callable[[Sequence[Any], Sequence[Any]], float],
    *,
    confidence: float = 0.95,
    resamples: int = 2000,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(truth, predicted)``, postings resampled in
    pairs (scipy's ``bootstrap``; seeded, so a report is reproducible)."""
    if len(set(map(str, truth))) < 2 and len(set(map(str, predicted))) < 2:
        value = round(statistic(truth, predicted), 4)  # every resample gives the same figure
        return value, value
    result = bootstrap(
        (np.asarray(truth), np.asarray(predicted)),
        statistic,
        paired=True,
        vectorized=False,
        n_resamples=resamples,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(0),
    )
    interval = result.confidence_interval
    return round(float(interval.low), 4), round(float(interval.high), 4)


@dataclass
class SourceReport:
    """How a model trained without ``source`` does on it."""

    source: str
    postings: int  # labelled postings of the source scored
    trained_on: int  # labelled postings the model learnt from
    weak: int  # weakly labelled postings it learnt from
    ml_leadership: BinaryScores
    role_family: ClassScores
    ece: float
    reliability: list[ReliabilityBin]
    f1_interval: tuple[float, float] = (0.0, 1.0)  # 95% bootstrap
    family_interval: tuple[float, float] = (0.0, 1.0)

    def headline(self) -> dict[str, float | int | str]:
        """The figures of one table row."""
        return {
            "source": self.source,
            "postings": self.postings,
            "positives": self.ml_leadership.positives,
            "f1": round(self.ml_leadership.f1, 4),
            "f1_95": f"{self.f1_interval[0]:.2f}-{self.f1_interval[1]:.2f}",
            "precision": round(self.ml_leadership.precision, 4),
            "recall": round(self.ml_leadership.recall, 4),
            "family_accuracy": round(self.role_family.accuracy, 4),
            "family_95": f"{self.family_interval[0]:.2f}-{self.family_interval[1]:.2f}",
            "brier": round(self.ml_leadership.brier, 4),
            "ece": round(self.ece, 4),
        }


def _source(posting: dict[str, Any]) -> str:
    return str(posting.get("source") or "")


def without_sources(
    data: TrainingSet, held_out: set[str], also: Sequence[dict[str, Any]] = ()
) -> TrainingSet:
    """``data`` less every labelled and weakly labelled posting of the ``held_out`` sources, and
    less their copies in other sources (same company and title, or same text: the 2026 AI-lab
    listing repeats the 2025 one's jobs, so its labels would teach the held-out answers); less
    ``also`` (postings to be scored) and their copies too.

    >>> data = TrainingSet()
    >>> data.add("dev_tune", {"source": "a", "company": "X", "title": "ML Lead"}, "ml_leadership")
    >>> data.add("extra", {"source": "b", "company": "Y", "title": "Analyst"}, "data")
    >>> data.add("extra", {"source": "c", "company": "X", "title": "ML Lead"}, "ml_leadership")
    >>> kept = without_sources(data, {"a"})
    >>> kept.labels, kept.sources
    (['data'], {'extra': 1})
    """
    everything = [*data.postings, *(posting for posting, _ in data.weak), *data.unlabelled]
    copied = {key for p in everything if _source(p) in held_out for key in copy_keys(p) if key}
    copied |= {key for p in also for key in copy_keys(p) if key}
    scored = {str(p.get("id")) for p in also}

    def kept_posting(posting: dict[str, Any]) -> bool:
        return (
            _source(posting) not in held_out
            and str(posting.get("id")) not in scored
            and not any(key in copied for key in copy_keys(posting) if key)
        )

    kept = TrainingSet()
    for posting, label, origin in zip(data.postings, data.labels, data.origins, strict=True):
        if kept_posting(posting):
            kept.add(origin, posting, label)
    kept.weak = [(p, family) for p, family in data.weak if kept_posting(p)]
    kept.unlabelled = [p for p in data.unlabelled if kept_posting(p)]
    return kept


def score_source(
    model: RoleClassifier,
    source: str,
    postings: Sequence[dict[str, Any]],
    labels: Sequence[str],
    *,
    trained_on: int = 0,
    weak: int = 0,
) -> SourceReport:
    """The figures of ``model`` on one source's labelled postings."""
    predictions = model.classify(postings)
    truth = [label == FAMILIES[0] for label in labels]
    probabilities = [p.ml_leadership for p in predictions]
    decided = [p.is_ml_leadership for p in predictions]
    families = [p.role_family for p in predictions]
    bins = reliability_bins(truth, probabilities)
    return SourceReport(
        source,
        len(postings),
        trained_on,
        weak,
        binary_scores(truth, decided, probabilities),
        class_scores(list(labels), families, FAMILIES),
        expected_calibration_error(bins),
        bins,
        bootstrap_interval(truth, decided, f1),
        bootstrap_interval(list(labels), families, accuracy),
    )


def fresh_labels(folder: Path, data_dir: Path | None = None) -> list[tuple[dict[str, Any], str]]:
    """(posting, role family) of every label in ``folder`` (files as ``labelled/postings/extra``),
    the postings read from the shared data as ``leadboard import`` titles them."""
    wanted = {str(row["id"]): str(row["role_family"]) for row in extra_labels(folder)}
    found = postings_by_id(datasets.data_dir(data_dir), set(wanted))
    return [(posting, wanted[str(posting["id"])]) for posting in found]


def leave_source_out(
    held_out: Sequence[str],
    *,
    data_dir: Path | None = None,
    extra_dir: Path | None = None,
    test_dir: Path | None = None,
    together: bool = False,
    weak: bool = True,
    unlabelled: bool = False,
    make_model: Callable[[], RoleClassifier] = RoleClassifier,
    progress: Callable[[str], None] = lambda message: None,
) -> list[SourceReport]:
    """For each source of ``held_out``: train without it (labels, weak labels, calibration),
    score on its labelled postings (``tune`` split and extra labels), and, with ``test_dir``,
    on the labels there apart (kept out of every training, with their copies): a second report
    named ``"<source> [fresh]"``. ``together`` trains one model without all of them (one
    training instead of one a source; each source is still reported on its own, then all of
    them pooled as ``"all"`` and ``"all [fresh]"``). ``unlabelled`` gives the model the
    unlabelled postings of the other sources too (``RoleClassifier(title_distil=True)``)."""
    data = training_set(data_dir, extra_dir=extra_dir, weak=weak, unlabelled=unlabelled)
    kept_out = fresh_labels(test_dir, data_dir) if test_dir is not None else []
    groups = [list(held_out)] if together else [[source] for source in held_out]
    reports = []
    for group in groups:
        train = without_sources(data, set(group), also=[p for p, _ in kept_out])
        scored: list[tuple[str, list[tuple[dict[str, Any], str]]]] = []
        for source in group:
            test = [
                (p, y)
                for p, y in zip(data.postings, data.labels, strict=True)
                if _source(p) == source
            ]
            fresh = [(p, y) for p, y in kept_out if _source(p) == source]
            if not test and not fresh:
                raise ValueError(f"no labelled postings of source {source!r}")
            scored += [(source, test), (f"{source} [fresh]", fresh)]
        if len(group) > 1:  # the sources pooled: more positives, a narrower interval
            pooled = [rows for name, rows in scored if not name.endswith("[fresh]")]
            pooled_fresh = [rows for name, rows in scored if name.endswith("[fresh]")]
            scored += [("all", sum(pooled, [])), ("all [fresh]", sum(pooled_fresh, []))]
        progress(
            f"{', '.join(group)}: training on {len(train.postings)} labelled and "
            f"{len(train.weak)} weak postings"
            + (f" ({len(train.unlabelled)} unlabelled)" if train.unlabelled else "")
            + f", scoring {sum(len(rows) for _, rows in scored)}"
        )
        model = make_model().fit(
            train.postings,
            train.labels,
            weak=train.weak or None,
            unlabelled=train.unlabelled or None,
        )
        for name, rows in scored:
            if rows:
                reports.append(
                    score_source(
                        model,
                        name,
                        [p for p, _ in rows],
                        [y for _, y in rows],
                        trained_on=len(train.postings),
                        weak=len(train.weak),
                    )
                )
    return reports


def format_reports(reports: Sequence[SourceReport]) -> str:
    """One row per held-out source."""
    header = ["source", "postings", "positives", "f1", "f1_95", "precision", "recall"]
    header += ["family_accuracy", "family_95", "brier", "ece"]
    lines = ["  ".join(f"{name:>15}" for name in header)]
    for report in reports:
        row = report.headline()
        lines.append(
            "  ".join(
                f"{row[name]:>15.4f}" if isinstance(row[name], float) else f"{row[name]!s:>15}"
                for name in header
            )
        )
    return "\n".join(lines)


def main(argv: Sequence[str] = ()) -> None:
    """Print the leave-source-out figures of the sources named on the command line."""
    parser = argparse.ArgumentParser(prog="python -m leadboard.eval.sources")
    parser.add_argument("sources", nargs="+", help="sources to hold out, one at a time")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--extra-labels", type=Path, default=None)
    parser.add_argument("--test-labels", type=Path, default=None, help="score these labels")
    parser.add_argument("--no-weak", action="store_true")
    parser.add_argument("--together", action="store_true", help="one model without them all")
    parser.add_argument(
        "--title-distil",
        action="store_true",
        help="the title model also learns the titles of unlabelled postings, labelled by the "
        "full model from their descriptions (RoleClassifier(title_distil=True))",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(list(argv))
    reports = leave_source_out(
        args.sources,
        data_dir=args.data_dir,
        extra_dir=args.extra_labels,
        test_dir=args.test_labels,
        together=args.together,
        weak=not args.no_weak,
        unlabelled=args.title_distil,
        make_model=lambda: RoleClassifier(title_distil=args.title_distil),
        progress=lambda message: print(message, file=sys.stderr),
    )
    if args.json:
        print(json.dumps([asdict(r) for r in reports], indent=2))
    else:
        print(format_reports(reports))
        for report in reports:
            bins = ", ".join(
                f"[{b.low:.1f},{b.high:.1f}) n={b.count} p={b.mean_predicted:.2f} "
                f"obs={b.observed:.2f}"
                for b in report.reliability
            )
            print(f"{report.source} reliability: {bins}")


if __name__ == "__main__":
    main(sys.argv[1:])
