"""How well enrichment predictions match the hand labels, field by field.

Predictions and labels are plain dicts in the shape of the enrich contract (DESIGN.md):
``id, ml_leadership, is_ml_leadership, role_family, seniority, remote, years_min, years_max,
salary, skills, duties``. Labels carry the GUIDELINES.md fields; their ``is_ml_leadership`` is
``role_family == "ml_leadership"``.

``evaluate`` joins the two by id and scores every field. A labelled posting without a prediction
counts as wrong on every field (and its id is reported), so a predictor cannot look better by
skipping hard postings.

>>> label = {"id": "a", "role_family": "ml_ic", "seniority": "mid", "remote": "onsite",
...          "years_min": 3, "years_max": None, "salary": None, "skills": ["Python"], "duties": []}
>>> evaluate([dict(label, ml_leadership=0.1, is_ml_leadership=False)], [label]).seniority.accuracy
1.0
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.preprocessing import MultiLabelBinarizer

from leadboard.models import RemotePolicy, RoleFamily, Seniority

# The predicted class of a labelled posting that has no prediction: wrong against any label.
MISSING = "(missing)"
ML_LEADERSHIP = "ml_leadership"
_NO_ITEM = "\x00no item"  # a set item no posting has (see set_scores)


@dataclass(frozen=True)
class LabelScores:
    """Precision, recall and F1 of one label (or of a micro average); support = true items."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class BinaryScores:
    """The ML-leadership classifier: P/R/F1 of the positive class and the Brier score."""

    precision: float
    recall: float
    f1: float
    brier: float  # mean squared error of the probability; 0 is perfect, lower is better
    positives: int  # labelled positives
    total: int


@dataclass(frozen=True)
class ClassScores:
    """A single-label field (role family, seniority, remote)."""

    accuracy: float
    macro_f1: float
    labels: list[str]  # row and column order of ``confusion``
    confusion: list[list[int]]  # confusion[truth][predicted], counts


@dataclass(frozen=True)
class SetScores:
    """A set-valued field (skills, duties): micro average over all items, and each label alone."""

    precision: float
    recall: float
    f1: float
    per_label: dict[str, LabelScores]


@dataclass
class EvalReport:
    """Every field's scores over one set of labelled postings."""

    evaluated: int  # labelled postings scored (with or without a prediction)
    missing_ids: list[str]  # labelled postings with no prediction: counted wrong everywhere
    unlabelled_ids: list[str]  # predictions with no label: ignored
    ml_leadership: BinaryScores
    role_family: ClassScores
    seniority: ClassScores
    remote: ClassScores
    years_min_exact: float
    years_max_exact: float
    salary_exact: float
    skills: SetScores
    duties: SetScores
    throughput: float | None = None  # postings per second, when the caller timed the predictor
    extra: dict[str, Any] = field(default_factory=dict)  # free notes (predictor name, split…)

    def headline(self) -> dict[str, float | None]:
        """Each reported figure by its key (the keys ``report.ROWS`` names), in table order."""
        return {
            "ml_leadership_f1": self.ml_leadership.f1,
            "ml_leadership_precision": self.ml_leadership.precision,
            "ml_leadership_recall": self.ml_leadership.recall,
            "ml_leadership_brier": self.ml_leadership.brier,
            "role_family_accuracy": self.role_family.accuracy,
            "role_family_macro_f1": self.role_family.macro_f1,
            "seniority_accuracy": self.seniority.accuracy,
            "seniority_macro_f1": self.seniority.macro_f1,
            "years_min_exact": self.years_min_exact,
            "years_max_exact": self.years_max_exact,
            "remote_accuracy": self.remote.accuracy,
            "salary_exact": self.salary_exact,
            "skills_micro_f1": self.skills.f1,
            "skills_precision": self.skills.precision,
            "skills_recall": self.skills.recall,
            "duties_micro_f1": self.duties.f1,
            "duties_precision": self.duties.precision,
            "duties_recall": self.duties.recall,
            "throughput": self.throughput,
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for ``json.dumps``."""
        return asdict(self)


# --- one metric at a time ------------------------------------------------------------------------


def binary_scores(
    truth: Sequence[bool], predicted: Sequence[bool], probabilities: Sequence[float]
) -> BinaryScores:
    """P/R/F1 of the positive class and the Brier score of the probabilities.

    >>> s = binary_scores([True, True, False, False], [True, False, True, False], [1, 0, 1, 0])
    >>> (s.precision, s.recall, s.f1, s.brier)
    (0.5, 0.5, 0.5, 0.5)
    """
    y_true = [int(bool(t)) for t in truth]
    y_pred = [int(bool(p)) for p in predicted]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, average="binary", pos_label=1, zero_division=0
    )
    brier = brier_score_loss(y_true, list(probabilities), pos_label=1) if y_true else 0.0
    return BinaryScores(
        float(precision), float(recall), float(f1), float(brier), sum(y_true), len(y_true)
    )


def class_scores(
    truth: Sequence[str], predicted: Sequence[str], order: Sequence[str] = ()
) -> ClassScores:
    """Accuracy, macro-F1 and the confusion matrix of a single-label field.

    Macro-F1 averages over the classes that occur in the labels or the predictions, except the
    ``MISSING`` marker (a missing prediction already costs its true class a false negative).
    ``order`` fixes the confusion matrix's order; classes not in it follow, sorted.

    >>> s = class_scores(["a", "a", "b"], ["a", "b", "b"], order=["b", "a"])
    >>> (round(s.accuracy, 3), s.labels, s.confusion)
    (0.667, ['b', 'a'], [[1, 0], [1, 1]])
    """
    seen = set(truth) | set(predicted)
    labels = [c for c in order if c in seen] + sorted(seen - set(order))
    scored = [c for c in labels if c != MISSING]
    accuracy = accuracy_score(truth, predicted) if truth else 0.0
    macro_f1 = (
        f1_score(truth, predicted, labels=scored, average="macro", zero_division=0)
        if truth
        else 0.0
    )
    with warnings.catch_warnings():
        # sklearn warns about any 1x1 matrix; ours lists every class seen, so 1x1 is right.
        warnings.filterwarnings("ignore", "A single label was found", UserWarning)
        matrix = confusion_matrix(truth, predicted, labels=labels).tolist() if truth else []
    return ClassScores(float(accuracy), float(macro_f1), labels, matrix)


def exact_match(truth: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Share of positions where the two agree (``None == None`` counts as agreement).

    >>> exact_match([5, None, 3], [5, None, 4])
    0.6666666666666666
    """
    if not truth:
        return 0.0
    return sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)


def set_scores(truth: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]]) -> SetScores:
    """Micro P/R/F1 over all (posting, item) pairs, and P/R/F1 of each item.

    >>> s = set_scores([{"Python", "SQL"}, {"Go"}], [{"Python"}, {"Go", "Rust"}])
    >>> (round(s.precision, 3), round(s.recall, 3), s.per_label["SQL"].recall)
    (0.667, 0.667, 0.0)
    """
    truth_sets = [set(items) for items in truth]
    predicted_sets = [set(items) for items in predicted]
    names = sorted(set().union(*truth_sets, *predicted_sets))
    if not names:  # nothing labelled and nothing predicted: nothing to get wrong
        return SetScores(1.0, 1.0, 1.0, {})
    # sklearn reads a one-column indicator matrix as a binary target (and then scores the absent
    # class too), so an always-empty extra column keeps it multilabel; it adds no TP, FP or FN.
    binarizer = MultiLabelBinarizer(classes=[*names, _NO_ITEM])
    y_true = binarizer.fit_transform(truth_sets)
    y_pred = binarizer.transform(predicted_sets)
    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)
    each = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    per_label = {
        name: LabelScores(float(p), float(r), float(f), int(n))
        for name, p, r, f, n in zip(names, *(column[:-1] for column in each), strict=True)
    }
    return SetScores(float(micro[0]), float(micro[1]), float(micro[2]), per_label)


# --- field normalisation -------------------------------------------------------------------------


class _Never:
    """Stands in for a missing prediction's value: equal to nothing, not even itself."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


NEVER = _Never()


def _number(value: Any, where: str, digits: int | None = 2) -> float | None:
    """A number rounded to cents (so 180000 == 180000.0 == 180000.001), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{where}: expected a number or null, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{where}: expected a number or null, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{where}: expected a finite number, got {value!r}")
    return number if digits is None else round(number, digits)


def salary_key(salary: Any, where: str = "salary") -> tuple[Any, ...] | None:
    """What salary exact match compares: (min, max, CURRENCY, period), or None for no salary.

    >>> salary_key({"min": 180000, "max": 250000.0, "currency": "usd", "period": "Year"})
    (180000.0, 250000.0, 'USD', 'year')
    """
    if salary is None:
        return None
    if not isinstance(salary, Mapping):
        raise ValueError(f"{where}: expected an object or null, got {salary!r}")
    currency = salary.get("currency")
    period = salary.get("period")
    return (
        _number(salary.get("min"), f"{where}.min"),
        _number(salary.get("max"), f"{where}.max"),
        currency.strip().upper() if isinstance(currency, str) else currency,
        period.strip().lower() if isinstance(period, str) else period,
    )


def _names(value: Any, where: str) -> set[str]:
    """A skills/duties list as a set of names; ``None`` means none."""
    if value is None:
        return set()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{where}: expected a list of names, got {value!r}")
    names = set()
    for item in value:
        # Tolerate SkillMention-shaped dicts: the contract lists names, the model has objects.
        name = item.get("name") if isinstance(item, Mapping) else item
        if not isinstance(name, str):
            raise ValueError(f"{where}: expected names, got {item!r}")
        names.add(name.strip())
    return names


def _label_class(value: Any) -> str:
    return "unknown" if value is None else str(value)


def _predicted_leadership(prediction: Mapping[str, Any], where: str) -> tuple[bool, float]:
    """(is_ml_leadership, probability), each falling back on the other, then on role_family."""
    probability = _number(prediction.get("ml_leadership"), f"{where}.ml_leadership", None)
    flag = prediction.get("is_ml_leadership")
    if flag is None:
        flag = (
            probability >= 0.5
            if probability is not None
            else prediction.get("role_family") == ML_LEADERSHIP
        )
    if probability is None:
        probability = float(bool(flag))
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"{where}.ml_leadership: expected a probability in [0, 1]")
    return bool(flag), probability


def _label_fields(label: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A label's fields in the form the metrics compare."""
    is_leader = label.get("role_family") == ML_LEADERSHIP
    return {
        "leader": is_leader,
        "probability": float(is_leader),
        "role_family": _label_class(label.get("role_family")),
        "seniority": _label_class(label.get("seniority")),
        "remote": _label_class(label.get("remote")),
        "years_min": _number(label.get("years_min"), f"{where}.years_min"),
        "years_max": _number(label.get("years_max"), f"{where}.years_max"),
        "salary": salary_key(label.get("salary"), f"{where}.salary"),
        "skills": _names(label.get("skills"), f"{where}.skills"),
        "duties": _names(label.get("duties"), f"{where}.duties"),
    }


def _predicted_fields(prediction: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A prediction's fields in the same form as ``_label_fields``."""
    flag, probability = _predicted_leadership(prediction, where)
    return _label_fields(prediction, where) | {"leader": flag, "probability": probability}


def _wrong_everywhere(truth: dict[str, Any]) -> dict[str, Any]:
    """What a missing prediction scores as: wrong on every field, with a maximal Brier error."""
    return {
        "leader": not truth["leader"],
        "probability": 1.0 - truth["probability"],
        "role_family": MISSING,
        "seniority": MISSING,
        "remote": MISSING,
        "years_min": NEVER,
        "years_max": NEVER,
        "salary": NEVER,
        "skills": set(),
        "duties": set(),
    }


# --- everything at once --------------------------------------------------------------------------


def _by_id(rows: Sequence[Mapping[str, Any]], what: str) -> dict[str, Mapping[str, Any]]:
    indexed: dict[str, Mapping[str, Any]] = {}
    for number, row in enumerate(rows, 1):
        if not isinstance(row, Mapping) or not isinstance(row.get("id"), str):
            raise ValueError(f"{what} #{number} has no string 'id'")
        if row["id"] in indexed:
            raise ValueError(f"{what} id {row['id']!r} appears twice")
        indexed[row["id"]] = row
    return indexed


def evaluate(
    predictions: Sequence[Mapping[str, Any]],
    labels: Sequence[Mapping[str, Any]],
    *,
    elapsed_s: float | None = None,
) -> EvalReport:
    """Score predictions against labels, joined by ``id``.

    A labelled posting without a prediction counts as wrong on every field; a prediction without
    a label is ignored. Both lists of ids are in the report. ``elapsed_s`` (the predictor's wall
    time, if the caller measured it) gives the throughput in postings per second.
    Malformed input (no id, duplicate id, a number that is not one) raises ``ValueError``.

    >>> evaluate([], [{"id": "a", "role_family": "other"}]).missing_ids
    ['a']
    """
    truth_by_id = _by_id(labels, "label")
    if not truth_by_id:
        raise ValueError("no labels to evaluate against")
    predicted_by_id = _by_id(predictions, "prediction")

    truths: list[dict[str, Any]] = []
    guesses: list[dict[str, Any]] = []
    missing_ids = []
    for posting_id, label in truth_by_id.items():
        truth = _label_fields(label, f"label {posting_id!r}")
        prediction = predicted_by_id.get(posting_id)
        if prediction is None:
            missing_ids.append(posting_id)
            guesses.append(_wrong_everywhere(truth))
        else:
            guesses.append(_predicted_fields(prediction, f"prediction {posting_id!r}"))
        truths.append(truth)

    def column(name: str) -> tuple[list[Any], list[Any]]:
        return [row[name] for row in truths], [row[name] for row in guesses]

    throughput = None
    if elapsed_s is not None and elapsed_s > 0:
        throughput = len(predicted_by_id) / elapsed_s
    return EvalReport(
        evaluated=len(truth_by_id),
        missing_ids=missing_ids,
        unlabelled_ids=[i for i in predicted_by_id if i not in truth_by_id],
        ml_leadership=binary_scores(*column("leader"), column("probability")[1]),
        role_family=class_scores(*column("role_family"), order=get_args(RoleFamily)),
        seniority=class_scores(*column("seniority"), order=get_args(Seniority)),
        remote=class_scores(*column("remote"), order=get_args(RemotePolicy)),
        years_min_exact=exact_match(*column("years_min")),
        years_max_exact=exact_match(*column("years_max")),
        salary_exact=exact_match(*column("salary")),
        skills=set_scores(*column("skills")),
        duties=set_scores(*column("duties")),
        throughput=throughput,
    )
