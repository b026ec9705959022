"""Metrics and the report table, on tiny hand-made cases whose answers were worked out by hand."""

from __future__ import annotations

import json

import pytest

from leadboard.eval.metrics import (
    MISSING,
    binary_scores,
    class_scores,
    evaluate,
    exact_match,
    salary_key,
    set_scores,
)
from leadboard.eval.report import ROWS, format_table, status, to_json

SALARY = {"min": 180000, "max": 250000, "currency": "USD", "period": "year"}


def label(posting_id: str, **fields: object) -> dict[str, object]:
    """A label with every contract field; ``fields`` override the defaults."""
    row: dict[str, object] = {
        "id": posting_id,
        "role_family": "other",
        "seniority": "mid",
        "remote": "onsite",
        "years_min": None,
        "years_max": None,
        "salary": None,
        "skills": [],
        "duties": [],
    }
    return row | fields


# --- binary -------------------------------------------------------------------------------------


def test_binary_scores_by_hand() -> None:
    # TP = 2 (first two), FN = 1 (third), FP = 1 (fourth): P = R = F1 = 2/3.
    # Brier = (0.1² + 0.4² + 0.6² + 0.7² + 0²) / 5 = 1.02 / 5 = 0.204.
    scores = binary_scores(
        [True, True, True, False, False],
        [True, True, False, True, False],
        [0.9, 0.6, 0.4, 0.7, 0.0],
    )
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert scores.brier == pytest.approx(0.204)
    assert (scores.positives, scores.total) == (3, 5)


def test_binary_scores_without_predicted_positives_are_zero_not_an_error() -> None:
    scores = binary_scores([True, False], [False, False], [0.0, 0.0])
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)
    assert scores.brier == pytest.approx(0.5)


# --- single-label classes -----------------------------------------------------------------------


def test_class_scores_by_hand() -> None:
    # a: TP 1, FP 1, FN 1 → F1 0.5; b: TP 1, FP 1 → P 0.5, R 1, F1 2/3; c: never right → 0.
    scores = class_scores(["a", "a", "b", "c"], ["a", "b", "b", "a"], order=["a", "b", "c"])
    assert scores.accuracy == 0.5
    assert scores.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert scores.labels == ["a", "b", "c"]
    assert scores.confusion == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]


def test_class_scores_order_puts_unknown_classes_last_sorted() -> None:
    scores = class_scores(["z", "b"], ["y", "b"], order=["b", "a"])
    assert scores.labels == ["b", "y", "z"]  # "a" never occurs, so it has no row


def test_missing_marker_is_wrong_but_not_a_class_of_the_macro_average() -> None:
    # a: F1 1; b: its one posting missed → F1 0; MISSING itself is not averaged in.
    scores = class_scores(["a", "b"], ["a", MISSING])
    assert scores.accuracy == 0.5
    assert scores.macro_f1 == pytest.approx(0.5)
    assert MISSING in scores.labels  # still visible in the confusion matrix


# --- exact match ----------------------------------------------------------------------------------


def test_exact_match_counts_null_equal_to_null() -> None:
    assert exact_match([5, None, None, 3], [5, None, 2, 4]) == 0.5


@pytest.mark.parametrize(
    ("predicted", "equal"),
    [
        (SALARY, True),
        ({"min": 180000.0, "max": 250000.004, "currency": "usd", "period": "Year"}, True),
        ({"min": "180000", "max": 250000, "currency": "USD", "period": "year"}, True),
        ({"min": 180001, "max": 250000, "currency": "USD", "period": "year"}, False),
        ({"min": 180000, "max": 250000, "currency": "EUR", "period": "year"}, False),
        ({"min": 180000, "max": 250000, "currency": "USD", "period": "month"}, False),
        ({"min": 180000, "max": None, "currency": "USD", "period": "year"}, False),
        (None, False),
    ],
)
def test_salary_key_compares_rounded_numbers_currency_and_period(
    predicted: dict[str, object] | None, equal: bool
) -> None:
    assert (salary_key(predicted) == salary_key(SALARY)) is equal


def test_salary_key_of_no_salary_is_none() -> None:
    assert salary_key(None) is None


# --- sets ---------------------------------------------------------------------------------------


def test_set_scores_by_hand() -> None:
    # TP: Python, Go (2); FP: Rust, Java (2); FN: SQL (1) → P 0.5, R 2/3, F1 4/7.
    scores = set_scores(
        [{"Python", "SQL"}, {"Go"}, set()],
        [{"Python"}, {"Go", "Rust"}, {"Java"}],
    )
    assert scores.precision == 0.5
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(4 / 7)
    assert scores.per_label["Python"].f1 == 1.0
    assert (scores.per_label["SQL"].recall, scores.per_label["SQL"].support) == (0.0, 1)
    assert (scores.per_label["Rust"].precision, scores.per_label["Rust"].support) == (0.0, 0)


def test_set_scores_with_a_single_item_name_stay_micro_not_binary() -> None:
    # One name only: TP 1, FP 1, FN 0 → P 0.5, R 1 (not the accuracy of a binary target, 0.5).
    scores = set_scores([{"Python"}, set(), set()], [{"Python"}, {"Python"}, set()])
    assert (scores.precision, scores.recall) == (0.5, 1.0)
    assert scores.f1 == pytest.approx(2 / 3)
    assert list(scores.per_label) == ["Python"]


def test_set_scores_with_nothing_labelled_or_predicted_is_perfect() -> None:
    assert set_scores([set(), set()], [set(), set()]).f1 == 1.0


# --- evaluate -----------------------------------------------------------------------------------


def test_evaluate_perfect_predictions_score_one_everywhere() -> None:
    labels = [
        label(
            "a",
            role_family="ml_leadership",
            seniority="staff",
            remote="remote",
            years_min=5,
            salary=SALARY,
            skills=["Python", "PyTorch"],
            duties=["mentoring"],
        ),
        label("b", role_family="data", skills=["SQL"]),
    ]
    predictions = [dict(row, ml_leadership=float(row["id"] == "a")) for row in labels]
    report = evaluate(predictions, labels)
    values = report.headline()
    for key, value in values.items():
        if key == "ml_leadership_brier":
            assert value == 0.0
        elif key != "throughput":
            assert value == 1.0, key
    assert report.missing_ids == [] and report.unlabelled_ids == []


def test_evaluate_counts_a_missing_prediction_wrong_on_every_field() -> None:
    labels = [
        label("a", role_family="ml_leadership", years_min=5, salary=SALARY, skills=["Python"]),
        label("b"),  # null years, null salary, no skills: a missing prediction still gets it wrong
    ]
    predictions = [dict(labels[0], ml_leadership=1.0, is_ml_leadership=True)]
    report = evaluate(predictions, labels)
    assert report.missing_ids == ["b"]
    assert report.role_family.accuracy == 0.5
    assert report.seniority.accuracy == 0.5
    assert report.remote.accuracy == 0.5
    assert report.years_min_exact == 0.5
    assert report.salary_exact == 0.5
    # b is not ML leadership, so its missing prediction counts as a false positive with p = 1:
    # TP 1, FP 1 → P 0.5, R 1, F1 2/3; Brier (0² + 1²) / 2.
    assert report.ml_leadership.f1 == pytest.approx(2 / 3)
    assert report.ml_leadership.brier == pytest.approx(0.5)
    assert report.skills.f1 == 1.0  # b has no skills to miss


def test_evaluate_reports_and_ignores_predictions_without_a_label() -> None:
    report = evaluate([label("a"), label("stray", role_family="data")], [label("a")])
    assert report.unlabelled_ids == ["stray"]
    assert report.role_family.accuracy == 1.0


def test_evaluate_joins_by_id_whatever_the_order() -> None:
    labels = [label("a", seniority="senior"), label("b", seniority="junior")]
    assert evaluate(list(reversed(labels)), labels).seniority.accuracy == 1.0


@pytest.mark.parametrize(
    ("prediction", "flag", "probability"),
    [
        ({"ml_leadership": 0.8, "is_ml_leadership": False}, False, 0.8),  # both given: kept
        ({"ml_leadership": 0.7}, True, 0.7),  # flag from the probability
        ({"ml_leadership": 0.3}, False, 0.3),
        ({"is_ml_leadership": True}, True, 1.0),  # probability from the flag
        ({"role_family": "ml_leadership"}, True, 1.0),  # both from the role family
        ({"role_family": "ml_ic"}, False, 0.0),
    ],
)
def test_ml_leadership_falls_back_between_flag_probability_and_role_family(
    prediction: dict[str, object], flag: bool, probability: float
) -> None:
    truth = label("a", role_family="ml_leadership")
    predicted = {"id": "a", "role_family": "ml_leadership"} | prediction
    report = evaluate([predicted], [truth])
    assert report.ml_leadership.recall == float(flag)
    assert report.ml_leadership.brier == pytest.approx((1 - probability) ** 2)


def test_evaluate_accepts_whole_numbers_as_floats_and_skill_objects() -> None:
    truth = label("a", years_min=5, years_max=7, skills=["Python", "SQL"])
    predicted = label("a", years_min=5.0, years_max=7, skills=[{"name": "Python"}, "SQL "])
    report = evaluate([predicted], [truth])
    assert (report.years_min_exact, report.years_max_exact, report.skills.f1) == (1.0, 1.0, 1.0)


def test_throughput_is_predictions_per_second_when_timed() -> None:
    labels = [label(str(i)) for i in range(4)]
    assert evaluate(labels, labels, elapsed_s=2.0).throughput == 2.0
    assert evaluate(labels, labels).throughput is None


@pytest.mark.parametrize(
    ("predictions", "labels", "message"),
    [
        ([], [], "no labels"),
        ([], [{"role_family": "other"}], "no string 'id'"),
        ([label("a"), label("a")], [label("a")], "appears twice"),
        ([label("a", years_min="five")], [label("a")], "years_min"),
        ([label("a", years_min=float("nan"))], [label("a")], "finite"),
        ([label("a", skills="Python")], [label("a")], "list of names"),
        ([label("a", skills=[3])], [label("a")], "expected names"),
        ([label("a", salary="lots")], [label("a")], "salary"),
        ([label("a", ml_leadership=1.5)], [label("a")], "probability"),
    ],
)
def test_malformed_input_raises_a_clear_error(
    predictions: list[dict[str, object]], labels: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(predictions, labels)


# --- report -------------------------------------------------------------------------------------


def _some_report():
    labels = [
        label("a", role_family="ml_leadership", seniority="staff", skills=["Python"]),
        label("b", role_family="data", duties=["mentoring"]),
        label("c"),
    ]
    predictions = [label("a", role_family="ml_ic", skills=["Python", "Go"]), labels[1]]
    return evaluate(predictions, labels, elapsed_s=0.05)


def test_table_has_a_row_for_every_metric_with_target_baseline_and_status() -> None:
    table = format_table(_some_report())
    lines = table.splitlines()
    for row in ROWS:
        line = next(line for line in lines if line.startswith(row.name + " "))
        if row.target is not None:
            assert ">=" in line and ("pass" in line or "short by" in line), line
        if row.baseline is not None:
            assert f"{row.baseline:.3f}" in line
    assert "missing predictions: 1 (c)" in table


def test_table_statuses_follow_the_values() -> None:
    table = format_table(_some_report())
    remote_line = next(line for line in table.splitlines() if line.startswith("remote accuracy"))
    assert remote_line.split()[2:] == ["0.667", ">=", "0.920", "0.840", "short", "by", "0.253"]
    throughput = next(line for line in table.splitlines() if line.startswith("throughput"))
    assert throughput.endswith("pass")  # 2 predictions in 0.05 s = 40 postings/s


def test_table_shows_confusion_and_per_label_tables_only_when_asked() -> None:
    report = _some_report()
    plain = format_table(report)
    detailed = format_table(report, confusion=True, per_label=True)
    for heading in ("role family: rows = label", "seniority: rows", "skills: per label"):
        assert heading not in plain
        assert heading in detailed
    assert MISSING in detailed  # the missing posting's column in the confusion matrices


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [(0.9, 0.9, "pass"), (0.8, 0.9, "short by 0.100"), (None, 0.9, "not measured"), (1, None, "-")],
)
def test_status(value: float | None, target: float | None, expected: str) -> None:
    assert status(value, target) == expected


def test_json_has_every_row_and_the_details() -> None:
    data = json.loads(to_json(_some_report()))
    assert set(data["rows"]) == {row.key for row in ROWS}
    assert data["rows"]["role_family_accuracy"]["value"] == pytest.approx(1 / 3)
    assert data["rows"]["role_family_accuracy"]["target"] == 0.85
    assert data["report"]["missing_ids"] == ["c"]
    assert data["report"]["role_family"]["labels"][0] == "ml_leadership"
