"""Leave-source-out evaluation: the role model scored on a source it never learnt from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadboard.enrich.training import TrainingSet
from leadboard.eval.sources import (
    accuracy,
    bootstrap_interval,
    expected_calibration_error,
    f1,
    format_reports,
    leave_source_out,
    reliability_bins,
    without_sources,
)

TITLES = {
    "ml_leadership": ["Staff Machine Learning Engineer", "Head of AI", "ML Engineering Manager"],
    "ml_ic": ["Machine Learning Engineer", "Research Scientist, NLP", "Computer Vision Engineer"],
    "data": ["Data Analyst", "Analytics Engineer", "BI Developer"],
    "software": ["Backend Engineer", "Site Reliability Engineer", "iOS Developer"],
    "other": ["Account Executive", "Technical Recruiter", "Legal Counsel"],
}
TEXTS = {
    "ml_leadership": "Lead the team that trains and deploys ML models; mentor engineers.",
    "ml_ic": "Train deep learning models with PyTorch and ship them to production.",
    "data": "Build dashboards and reports in SQL and Tableau for business stakeholders.",
    "software": "Build backend services and APIs in Go; keep them reliable on call.",
    "other": "Own a sales quota and grow customer accounts across the region.",
}


def _write_data(root: Path, sources: list[str]) -> Path:
    """A shared-data folder: every source has three postings of each family, all labelled."""
    labels, n = [], 0
    for source in sources:
        rows = []
        for family, titles in TITLES.items():
            for title in titles:
                posting_id = f"{source}-{n}"
                n += 1
                text = f"{TEXTS[family]} " * 12 + source  # each source's own job
                rows.append(
                    {"id": posting_id, "source": source, "title": title, "description": text}
                )
                labels.append({"id": posting_id, "role_family": family})
        folder = root / "postings" / source
        folder.mkdir(parents=True)
        (folder / "postings.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (root / "labels").mkdir()
    (root / "labels" / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in labels))
    return root


def test_reliability_bins_and_calibration_error() -> None:
    bins = reliability_bins([True, False, True, True], [0.95, 0.05, 0.65, 0.75], n_bins=4)
    assert [(b.low, b.high, b.count) for b in bins] == [
        (0.0, 0.25, 1),
        (0.5, 0.75, 1),
        (0.75, 1.0, 2),
    ]
    assert bins[-1].mean_predicted == 0.85 and bins[-1].observed == 1.0
    # |0 - 0.05| * 1 + |1 - 0.65| * 1 + |1 - 0.85| * 2, over 4 postings
    assert expected_calibration_error(bins) == pytest.approx((0.05 + 0.35 + 0.30) / 4)
    assert expected_calibration_error([]) == 0.0


def test_without_sources_drops_labelled_and_weak_postings_of_the_held_out_source() -> None:
    data = TrainingSet()
    data.add("dev_tune", {"source": "a", "id": "1"}, "ml_ic")
    data.add("extra", {"source": "b", "id": "2"}, "data")
    data.add("extra", {"source": "a", "id": "3"}, "other")
    data.weak = [({"source": "a", "id": "4"}, "software"), ({"source": "b", "id": "5"}, "data")]
    kept = without_sources(data, {"a"})
    assert [p["id"] for p in kept.postings] == ["2"] and kept.origins == ["extra"]
    assert [p["id"] for p, _ in kept.weak] == ["5"]
    assert kept.sources == {"extra": 1}


def test_without_sources_drops_copies_of_the_held_out_postings_from_other_sources() -> None:
    """The 2026 AI-lab listing repeats jobs of the 2025 one: trained on, its labels would teach
    the answers of the held-out source."""
    text = "Lead the team that trains ranking models. " * 5
    data = TrainingSet()
    data.add("dev_tune", {"source": "a", "company": "X", "title": "ML Lead"}, "ml_leadership")
    data.add("dev_tune", {"source": "a", "title": "Analyst", "description": text}, "data")
    data.add("extra", {"source": "b", "company": "X", "title": "ML Lead"}, "ml_leadership")
    data.add("extra", {"source": "b", "company": "X", "title": "Analyst"}, "data")
    data.add("extra", {"source": "b", "title": "ML Lead"}, "ml_leadership")  # no company: kept
    data.weak = [({"source": "c", "title": "Data Analyst", "description": text}, "data")]
    kept = without_sources(data, {"a"})
    assert [(p.get("company"), p["title"]) for p in kept.postings] == [
        ("X", "Analyst"),
        (None, "ML Lead"),
    ]
    assert kept.weak == []  # the same text in another source


def test_leave_source_out_scores_each_source_with_a_model_that_never_saw_it(
    tmp_path: Path,
) -> None:
    data_dir = _write_data(tmp_path / "data", ["alpha", "beta", "gamma"])
    no_extra = tmp_path / "extra"
    no_extra.mkdir()
    reports = leave_source_out(["beta"], data_dir=data_dir, extra_dir=no_extra, weak=False)
    (report,) = reports
    # The tune split of 45 labelled postings; the held-out source's share is scored, the rest
    # trained on, and the two never overlap.
    assert report.source == "beta"
    assert report.postings + report.trained_on <= 45
    assert report.trained_on > 0 and report.postings > 0
    assert 0.0 <= report.ece <= 1.0 and sum(b.count for b in report.reliability) == report.postings
    assert report.role_family.accuracy > 0.5  # the titles decide; the model reads them
    assert "beta" in format_reports(reports)


def test_without_sources_drops_the_postings_to_score_and_their_copies() -> None:
    """Fresh labels are scored apart: neither they nor a copy of them elsewhere (same company
    and title) may be trained on, weakly or not."""
    data = TrainingSet()
    data.add("extra", {"source": "b", "id": "1", "company": "X", "title": "ML Lead"}, "ml_ic")
    data.add("extra", {"source": "b", "id": "2", "company": "Y", "title": "Analyst"}, "data")
    data.weak = [({"source": "c", "id": "3", "title": "ML Engineer"}, "ml_ic")]
    data.unlabelled = [
        {"source": "c", "id": "4", "company": "X", "title": "ML Lead"},
        {"source": "c", "id": "5", "company": "Z", "title": "Research Manager"},
        {"source": "a", "id": "6", "company": "W", "title": "Head of AI"},
    ]
    fresh = [
        {"source": "a", "id": "9", "company": "X", "title": "ML Lead"},
        {"source": "a", "id": "3", "title": "ML Engineer"},
    ]
    kept = without_sources(data, {"a"}, also=fresh)
    assert [p["id"] for p in kept.postings] == ["2"] and kept.weak == []
    assert [p["id"] for p in kept.unlabelled] == ["5"]  # unlabelled: as the weak postings


def test_bootstrap_intervals_hold_the_figure_and_shrink_with_more_postings() -> None:
    truth = [True, True, False, False, False, True, False, False]
    predicted = [True, False, False, False, True, True, False, False]
    low, high = bootstrap_interval(truth, predicted, f1)
    assert low < f1(truth, predicted) < high
    wide = high - low
    low, high = bootstrap_interval(truth * 8, predicted * 8, f1)
    assert high - low < wide
    assert bootstrap_interval(["a", "b"], ["a", "b"], accuracy) == (1.0, 1.0)
    assert f1([False], [False]) == 0.0  # undefined: no positive anywhere


def test_leave_source_out_scores_fresh_labels_apart_with_the_same_model(tmp_path: Path) -> None:
    data_dir = _write_data(tmp_path / "data", ["alpha", "beta", "gamma"])
    beta = data_dir / "postings" / "beta" / "postings.jsonl"
    fresh_rows = [
        {"id": f"beta-new-{family}", "source": "beta", "title": titles[0], "description": ""}
        for family, titles in TITLES.items()
    ]
    with beta.open("a") as out:
        out.write("".join(json.dumps(row) + "\n" for row in fresh_rows))
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "batch.jsonl").write_text(
        "".join(
            json.dumps({"id": f"beta-new-{family}", "role_family": family}) + "\n"
            for family in TITLES
        )
    )
    no_extra = tmp_path / "extra"
    no_extra.mkdir()
    reports = leave_source_out(
        ["beta"], data_dir=data_dir, extra_dir=no_extra, test_dir=fresh, weak=False
    )
    assert [(r.source, r.postings) for r in reports] == [
        ("beta", reports[0].postings),
        (
            "beta [fresh]",
            5,
        ),
    ]
    assert reports[0].trained_on == reports[1].trained_on
    assert reports[1].ml_leadership.positives == 1
    low, high = reports[1].family_interval
    assert low <= reports[1].role_family.accuracy <= high


def test_sources_held_out_together_share_one_model_that_saw_neither(tmp_path: Path) -> None:
    data_dir = _write_data(tmp_path / "data", ["alpha", "beta", "gamma"])
    no_extra = tmp_path / "extra"
    no_extra.mkdir()
    alpha, beta, pooled = leave_source_out(
        ["alpha", "beta"], data_dir=data_dir, extra_dir=no_extra, together=True, weak=False
    )
    assert (alpha.source, beta.source, pooled.source) == ("alpha", "beta", "all")
    assert alpha.trained_on == beta.trained_on  # one training, gamma's postings only
    assert alpha.trained_on + alpha.postings + beta.postings <= 45
    assert pooled.postings == alpha.postings + beta.postings


def test_leave_source_out_refuses_a_source_without_labels(tmp_path: Path) -> None:
    data_dir = _write_data(tmp_path / "data", ["alpha", "beta"])
    no_extra = tmp_path / "extra"
    no_extra.mkdir()
    with pytest.raises(ValueError, match="no labelled postings of source 'delta'"):
        leave_source_out(["delta"], data_dir=data_dir, extra_dir=no_extra, weak=False)
