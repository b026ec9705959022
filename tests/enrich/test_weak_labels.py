"""Weak labels: role families from titles that leave no doubt."""

from __future__ import annotations

import pytest

from leadboard.enrich.weak_labels import labelled_ids, weak_labelled_postings, weak_role_family


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Staff Machine Learning Engineer", "ml_leadership"),
        ("Engineering Manager, Machine Learning Platform", "ml_leadership"),
        ("Principal Applied Scientist", "ml_leadership"),
        ("Head of AI Research", "ml_leadership"),
        ("Machine Learning Engineer", "ml_ic"),
        ("Senior NLP Engineer", "ml_ic"),
        ("Research Scientist, Post-Training", "ml_ic"),
        ("Computer Vision Engineer II", "ml_ic"),
        ("Data Analyst", "data"),
        ("Senior Analytics Engineer", "data"),
        ("Data Engineer, Pipelines", "data"),
        ("Marketing Analyst II", "data"),
        ("Senior Backend Engineer (Go)", "software"),
        ("Site Reliability Engineer", "software"),
        ("Engineering Manager, Payments", "software"),
        ("Account Executive, Commercial", "other"),
        ("Senior Product Manager, Generative AI", "other"),
        ("Technical Recruiter", "other"),
        ("Solutions Architect, Machine Learning", "other"),
        ("Senior Legal Counsel", "other"),
    ],
)
def test_titles_that_decide_the_family(title: str, family: str) -> None:
    label = weak_role_family(title)
    assert label is not None, title
    assert label.role_family == family


@pytest.mark.parametrize(
    "title",
    [
        "Data Scientist",  # ML or analytics: only the text can tell
        "Lead Data Scientist",
        "Staff Software Engineer, AI",  # software or ML platform
        "GenAI Security Engineer",
        "Senior/Staff Machine Learning Engineer",  # two levels: the tune labels go both ways
        "Assistant Research Scientist II (Pharmacology)",  # research outside ML
        "Data Science Manager, Marketing Analytics",
        "Applied AI, Technical Lead, Forward Deployed AI Engineer",
        "Chef de Partie",  # nothing to go on
        "",
        None,
    ],
)
def test_titles_that_could_go_either_way_get_no_label(title: str | None) -> None:
    assert weak_role_family(title) is None


def test_weak_labelled_postings_skip_labelled_ids_and_copies(tmp_path) -> None:
    postings_dir = tmp_path / "postings" / "board"
    postings_dir.mkdir(parents=True)
    text = "Build dashboards and reports in SQL for our finance team. " * 10
    rows = [
        {"id": "a", "company": "Acme", "title": "Data Analyst", "description": text},
        {"id": "b", "company": "Acme", "title": "Data Analyst", "description": text},  # copy of a
        {"id": "c", "company": "Beta", "title": "Data Analyst", "description": "short"},
        {"id": "d", "company": "Beta", "title": "Data Scientist", "description": text + "x"},
        {"id": "e", "company": "Gamma", "title": "Backend Engineer", "description": text + "y"},
        {"id": "f", "company": "Gamma", "title": "Account Executive", "description": text + "z"},
    ]
    import json

    (postings_dir / "postings.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "dev.jsonl").write_text(json.dumps({"id": "a", "role_family": "data"}) + "\n")

    found = weak_labelled_postings(tmp_path, exclude_ids=["f"])
    # a is labelled, b copies it, c is too short, d is ambiguous, f is excluded.
    assert [(p["id"], label.role_family) for p, label in found] == [("e", "software")]


@pytest.mark.shared_data
def test_weak_labels_are_precise_on_tune_titles(shared_data_dir) -> None:
    from leadboard.datasets import load_labelled

    labelled = load_labelled("tune", data_dir=shared_data_dir)
    judged = []
    for lp in labelled:
        label = weak_role_family(lp.posting.get("title"))
        if label is not None:
            judged.append((label.role_family, lp.label["role_family"]))
    precision = sum(guess == truth for guess, truth in judged) / len(judged)
    assert len(judged) >= 200
    assert precision >= 0.93


@pytest.mark.shared_data
def test_weak_labelled_postings_never_include_labelled_ones(shared_data_dir) -> None:
    found = weak_labelled_postings(shared_data_dir)
    assert len(found) > 1000
    assert not {p["id"] for p, _ in found} & labelled_ids(shared_data_dir)
