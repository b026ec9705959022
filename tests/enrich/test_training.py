"""Training the role model from the shared data: what it learns from, what it never sees, where
it goes, and how enrichment finds it."""

import json
from pathlib import Path

import pytest

from leadboard.datasets import MissingData, load_labelled
from leadboard.enrich import training
from leadboard.enrich.role import FAMILIES, MODEL_FILE, RoleClassifier
from leadboard.enrich.training import (
    PACKAGED_ROLE_MODEL_DIR,
    extra_labels,
    load_role_model,
    role_model_problem,
    train_role_model,
    training_set,
)
from leadboard.enrich.weak_labels import (
    as_imported,
    copy_keys,
    imported_postings,
    unlabelled_postings,
    weak_labelled_postings,
)

EXTRA = Path(__file__).resolve().parents[2] / "labelled" / "postings" / "extra"
FRESH = EXTRA.parent / "fresh"


def test_our_extra_labels_are_valid_and_never_relabel_the_dev_set(shared_data_dir) -> None:
    rows = extra_labels(EXTRA)
    assert len(rows) >= 600
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "a posting labelled twice"
    seniorities = {
        "intern",
        "junior",
        "mid",
        "senior",
        "staff",
        "principal",
        "manager",
        "director",
        "executive",
        "unknown",
    }
    assert all(row["role_family"] in FAMILIES and row["seniority"] in seniorities for row in rows)
    dev = {json.loads(line)["id"] for line in (shared_data_dir / "labels" / "dev.jsonl").open()}
    assert not dev & set(ids)


def test_our_fresh_labels_are_kept_apart_from_every_other_label(shared_data_dir) -> None:
    """``labelled/postings/fresh`` is scored, never trained on: no id there is in ``dev.jsonl``
    or in the extra labels (which ``leadboard train`` reads), none is a copy of a posting labelled
    there, and each names a shared posting."""
    rows = extra_labels(FRESH)
    ids = {row["id"] for row in rows}
    assert len(rows) >= 60 and len(ids) == len(rows)
    assert all(row["role_family"] in FAMILIES for row in rows)
    dev = {json.loads(line)["id"] for line in (shared_data_dir / "labels" / "dev.jsonl").open()}
    assert not ids & dev
    others = {row["id"] for row in extra_labels(EXTRA)}
    assert not ids & others
    fresh = training.postings_by_id(shared_data_dir, ids)
    assert len(fresh) == len(ids)
    # Nor a copy of a labelled job (same company and title, or same text) under another id.
    labelled = training.postings_by_id(shared_data_dir, others | dev)
    copied = {key for posting in labelled for key in copy_keys(posting) if key}
    assert not [p["id"] for p in fresh if any(k in copied for k in copy_keys(p) if k)]


def test_labels_are_read_from_a_folder_or_one_file_of_it() -> None:
    """``eval.sources --test-labels`` scores one fresh batch apart, or all of them."""
    batch = extra_labels(FRESH / "batch_15_unseen.jsonl")
    assert len(batch) >= 100
    assert {row["id"] for row in batch} < {row["id"] for row in extra_labels(FRESH)}


def test_training_set_has_tune_and_extra_labels_and_no_holdout_posting(shared_data_dir) -> None:
    data = training_set(shared_data_dir, extra_dir=EXTRA, weak=False)
    holdout = {item.id for item in load_labelled("holdout", data_dir=shared_data_dir)}
    tune = {item.id for item in load_labelled("tune", data_dir=shared_data_dir)}
    ids = {posting["id"] for posting in data.postings}
    assert not ids & holdout
    assert tune <= ids
    assert data.sources["dev_tune"] == len(tune) and data.sources["extra"] >= 600
    assert set(data.labels) == set(FAMILIES)


def test_weak_labels_skip_every_hand_labelled_posting(shared_data_dir) -> None:
    data = training_set(shared_data_dir, extra_dir=EXTRA, limit=40)
    assert len(data.postings) == 40 and len(data.weak) == 200
    labelled = {row["id"] for row in extra_labels(EXTRA)}
    labelled |= {item.id for item in load_labelled("all", data_dir=shared_data_dir)}
    assert not {posting["id"] for posting, _ in data.weak} & labelled


def test_hacker_news_rows_get_the_title_the_importer_gives_a_post_of_one_role() -> None:
    url = "https://news.ycombinator.com/item?id=7"
    one = {"id": "hn-7", "url": url, "title": None, "description": "Acme | ML Lead | Remote"}
    several = dict(one, description="Acme | Backend Engineer, Product Designer | Remote")
    titled = {"id": "ats-1", "url": "https://boards.example/1", "title": "Data Analyst"}
    assert as_imported(one)["title"] == "ML Lead"
    assert as_imported(several)["title"] is None  # one text, several roles: no label fits it
    assert as_imported(titled) is titled
    assert as_imported(dict(one, description="[dead]"))["title"] is None


def test_a_hacker_news_post_of_several_roles_is_one_posting_a_role_with_its_own_text(
    tmp_path,
) -> None:
    """As ``leadboard import`` splits it: each role's text leaves out the other roles' sections,
    so the roles of a multi-role post are weakly labelled (they used to be skipped)."""
    duties = "We train ranking models in PyTorch and ship them to production. " * 4
    post = (
        "Acme | Remote<p>We build search for shops.</p>"
        f"<p>- ML Engineer: {duties}</p><p>- Account Executive: own a sales quota.</p>"
        "<p>Apply at jobs@acme.example</p>"
    )
    row = {
        "id": "hn-9",
        "source": "hn",
        "url": "https://news.ycombinator.com/item?id=9",
        "title": None,
        "description": post,
        "description_format": "html",
    }
    roles = imported_postings(row)
    assert [(p["id"], p["title"]) for p in roles] == [
        ("hn-9#0", "ML Engineer"),
        ("hn-9#1", "Account Executive"),
    ]
    assert "PyTorch" in roles[0]["description"] and "quota" not in roles[0]["description"]
    assert "PyTorch" not in roles[1]["description"]
    assert as_imported(row) is row  # a labelled row stays one posting: one id, one label
    shared = dict(row, description="Acme | ML Engineer, Account Executive | Remote<p>Hi.</p>")
    assert imported_postings(shared) == [shared]  # no role has a text of its own

    folder = tmp_path / "postings" / "hn"
    folder.mkdir(parents=True)
    (folder / "postings.jsonl").write_text(json.dumps(row) + "\n")
    found = weak_labelled_postings(tmp_path)
    assert [(p["id"], label.role_family) for p, label in found] == [("hn-9#0", "ml_ic")]
    # The postings title_distil reads: every role with a text of its own, weakly labelled or
    # not; the account executive's section is too short to read.
    assert [p["id"] for p in unlabelled_postings(tmp_path)] == ["hn-9#0"]
    assert [p["id"] for p in unlabelled_postings(tmp_path, exclude_ids=["hn-9"])] == []


def test_our_hacker_news_labels_are_trained_on_with_their_titles(shared_data_dir) -> None:
    data = training_set(shared_data_dir, extra_dir=EXTRA, weak=False)
    hn = [p for p in data.postings if p["source"] == "hn-who-is-hiring-2026"]
    assert len(hn) >= 40
    assert all(posting["title"] for posting in hn)
    assert len(data.origins) == len(data.postings)


def test_train_saves_a_model_that_enrichment_finds(shared_data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(tmp_path / "models"))
    packaged = RoleClassifier.load(PACKAGED_ROLE_MODEL_DIR)
    assert load_role_model().name == packaged.name  # none of one's own yet: the shipped one
    assert role_model_problem() is None

    report = train_role_model(shared_data_dir, weak=False, limit=120)

    model = load_role_model()
    assert model.name == RoleClassifier.load(report.path).name != packaged.name
    assert report.path == str(tmp_path / "models" / "role")
    assert report.labelled == {"dev_tune": 120} and 0.3 <= report.threshold <= 0.7
    saved = json.loads((tmp_path / "models" / "role" / "training.json").read_text())
    assert saved["labelled"] == {"dev_tune": 120}
    prediction = model.classify([{"title": "Head of Machine Learning", "description": ""}])[0]
    assert prediction.role_family in FAMILIES


def test_a_model_that_cannot_be_read_is_passed_over_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("LEADBOARD_MODELS_DIR", str(tmp_path))
    folder = tmp_path / "role"
    folder.mkdir()
    (folder / MODEL_FILE).write_bytes(b"not a model")
    assert load_role_model().name == RoleClassifier.load(PACKAGED_ROLE_MODEL_DIR).name
    # With no packaged model either (a broken install), enrichment is told why.
    monkeypatch.setattr(training, "PACKAGED_ROLE_MODEL_DIR", tmp_path / "not-installed")
    assert load_role_model() is None
    problem = role_model_problem()
    assert "cannot be used" in problem and "no role model at" in problem
    assert "run `leadboard train`" in problem


def test_the_same_training_gives_the_same_model_name(shared_data_dir, tmp_path) -> None:
    first = train_role_model(shared_data_dir, output=tmp_path / "a", weak=False, limit=60)
    second = train_role_model(shared_data_dir, output=tmp_path / "b", weak=False, limit=60)
    other = train_role_model(shared_data_dir, output=tmp_path / "c", weak=False, limit=80)
    names = [RoleClassifier.load(r.path).name for r in (first, second, other)]
    assert names[0] == names[1] != names[2]
    for name in (MODEL_FILE, "role_model.json", "training.json"):  # byte for byte
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_nothing_to_train_on_is_a_clear_error(tmp_path) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "dev.jsonl").write_text("")
    with pytest.raises(FileNotFoundError, match="no labelled postings"):
        train_role_model(tmp_path, output=tmp_path / "out", extra=False, weak=False)


def test_the_data_is_found_from_where_leadboard_runs_not_where_it_is_installed(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("LEADBOARD_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # no ../shared/data and no labelled/ here
    with pytest.raises(MissingData, match="--data-dir"):
        training_set()
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "dev.jsonl").write_text("")
    with pytest.raises(MissingData, match="--extra-labels, or leave them out with --no-extra"):
        training_set(tmp_path)


def test_train_and_eval_without_the_data_say_which_option_gives_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from leadboard.cli import app

    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    for command in (["train", "--data-dir", "nowhere"], ["eval", "--data-dir", "nowhere"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1, result.output
        assert "--data-dir" in result.output and "nowhere/labels/dev.jsonl" in result.output
        assert "Traceback" not in result.output and "Errno" not in result.output
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "dev.jsonl").write_text("")
    result = CliRunner().invoke(app, ["train", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "--extra-labels" in result.output
