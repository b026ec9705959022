"""An ``EvalReport`` as a plain-text table or JSON, beside the issue's targets and baseline.

One row per figure: its value, the target it must reach (where the issue sets one), the keyword
baseline's figure on all of ``dev.jsonl`` (from the issue), and whether the target is met.

>>> row = ROWS[0]
>>> (row.key, row.target, row.baseline)
('ml_leadership_f1', 0.9, 0.41)
>>> status(0.95, row.target), status(0.85, row.target)
('pass', 'short by 0.050')
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from leadboard.eval.metrics import ClassScores, EvalReport, SetScores


@dataclass(frozen=True)
class Row:
    """One figure of the table: ``key`` names it in ``EvalReport.headline()``."""

    key: str
    name: str
    target: float | None = None  # the value must be >= target (None: reported, not judged)
    baseline: float | None = None  # the keyword baseline, measured on all of dev.jsonl
    unit: str = ""  # "" for a share in [0, 1]; else printed after the value


ROWS: tuple[Row, ...] = (
    Row("ml_leadership_f1", "ML-leadership F1", 0.90, 0.41),
    Row("ml_leadership_precision", "ML-leadership precision"),
    Row("ml_leadership_recall", "ML-leadership recall"),
    Row("ml_leadership_brier", "ML-leadership Brier (lower is better)"),
    Row("role_family_accuracy", "role family accuracy", 0.85, 0.34),
    Row("role_family_macro_f1", "role family macro-F1"),
    Row("seniority_accuracy", "seniority accuracy", 0.85, 0.72),
    Row("seniority_macro_f1", "seniority macro-F1"),
    Row("years_min_exact", "years_min exact", 0.93, 0.86),
    Row("years_max_exact", "years_max exact"),
    Row("remote_accuracy", "remote accuracy", 0.92, 0.84),
    Row("salary_exact", "salary exact", 0.93, 0.73),
    Row("skills_micro_f1", "skills micro-F1", 0.85, 0.78),
    Row("skills_precision", "skills micro-precision"),
    Row("skills_recall", "skills micro-recall"),
    Row("duties_micro_f1", "duties micro-F1", 0.80, 0.59),
    Row("duties_precision", "duties micro-precision"),
    Row("duties_recall", "duties micro-recall"),
    Row("throughput", "throughput", 20.0, None, unit="postings/s"),
)


def status(value: float | None, target: float | None) -> str:
    """``pass``, ``short by X`` or ``-`` (no target) / ``not measured`` (no value).

    >>> status(None, 20.0), status(0.5, None)
    ('not measured', '-')
    """
    if target is None:
        return "-"
    if value is None:
        return "not measured"
    return "pass" if value >= target else f"short by {target - value:.3f}"


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:.1f} {unit}" if unit else f"{value:.3f}"


def _grid(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    """Columns padded to their widest cell; cells from ``right_from`` on are right-aligned."""
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if i >= right_from else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *map(line, rows)]


def format_table(
    report: EvalReport, *, confusion: bool = False, per_label: bool = False, title: str = ""
) -> str:
    """The report as a plain-text table; ``confusion`` / ``per_label`` add the detail tables.

    >>> from leadboard.eval.metrics import evaluate
    >>> table = format_table(evaluate([], [{"id": "a", "role_family": "other"}]))
    >>> "role family accuracy" in table and "missing predictions: 1 (a)" in table
    True
    """
    values = report.headline()
    rows = [
        [
            row.name,
            _number(values[row.key], row.unit),
            "-" if row.target is None else f">= {_number(row.target, row.unit)}",
            _number(row.baseline, row.unit),
            status(values[row.key], row.target),
        ]
        for row in ROWS
    ]
    lines = [title] if title else []
    lines.append(f"postings evaluated: {report.evaluated}")
    if report.missing_ids:
        shown = ", ".join(report.missing_ids[:5]) + (", ..." if len(report.missing_ids) > 5 else "")
        lines.append(f"missing predictions: {len(report.missing_ids)} ({shown}) - counted wrong")
    if report.unlabelled_ids:
        lines.append(f"predictions without a label (ignored): {len(report.unlabelled_ids)}")
    lines += ["", *_grid(["metric", "value", "target", "baseline", "status"], rows, right_from=1)]
    if confusion:
        for name, classes in (
            ("role family", report.role_family),
            ("seniority", report.seniority),
            ("remote", report.remote),
        ):
            lines += ["", *format_confusion(classes, name).splitlines()]
    if per_label:
        for name, items in (("skills", report.skills), ("duties", report.duties)):
            lines += ["", *format_per_label(items, name).splitlines()]
    return "\n".join(lines)


def format_confusion(scores: ClassScores, name: str) -> str:
    """A confusion matrix: one row per true class, one column per predicted class.

    >>> from leadboard.eval.metrics import class_scores
    >>> print(format_confusion(class_scores(["a", "b"], ["a", "a"]), "x"))
    x: rows = label, columns = prediction
    label  a  b
    -----  -  -
    a      1  0
    b      1  0
    """
    header = ["label", *scores.labels]
    rows = [
        [label, *map(str, counts)]
        for label, counts in zip(scores.labels, scores.confusion, strict=True)
    ]
    return "\n".join([f"{name}: rows = label, columns = prediction", *_grid(header, rows)])


def format_per_label(scores: SetScores, name: str) -> str:
    """P/R/F1 of each label of a set-valued field, most frequent label first."""
    ordered = sorted(scores.per_label.items(), key=lambda item: (-item[1].support, item[0]))
    rows = [
        [label, _number(s.precision), _number(s.recall), _number(s.f1), str(s.support)]
        for label, s in ordered
    ]
    header = [name, "precision", "recall", "F1", "support"]
    return "\n".join([f"{name}: per label", *_grid(header, rows)])


def to_json(report: EvalReport, *, indent: int | None = 2) -> str:
    """The report as JSON: each table row (value, target, baseline, status) and every detail.

    >>> from leadboard.eval.metrics import evaluate
    >>> data = json.loads(to_json(evaluate([], [{"id": "a", "role_family": "other"}])))
    >>> data["rows"]["salary_exact"]["status"], data["report"]["missing_ids"]
    ('short by 0.930', ['a'])
    """
    values = report.headline()
    rows = {
        row.key: {
            "name": row.name,
            "value": values[row.key],
            "target": row.target,
            "baseline": row.baseline,
            "status": status(values[row.key], row.target),
        }
        for row in ROWS
    }
    return json.dumps({"rows": rows, "report": report.to_dict()}, indent=indent)
