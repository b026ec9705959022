"""Role family and calibrated ML-leadership probability (RoleClassifier)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leadboard.enrich.role import (
    FAMILIES,
    META_FILE,
    ROLE_MODEL_VERSION,
    RULE_FEATURE_NAMES,
    RoleClassifier,
    fold_splits,
    role_text,
    rule_features,
    source_balanced_weights,
)

# Small hand-written postings: a title and a line of what the job does, per family.
_TRAINING = {
    "ml_leadership": [
        (
            "Staff Machine Learning Engineer, Ranking",
            "Set technical direction for ranking models; "
            "mentor engineers; train and deploy deep learning models in production.",
        ),
        (
            "Engineering Manager, ML Infrastructure",
            "Manage a team of 8 engineers building our model training and inference platform.",
        ),
        ("Head of AI", "Lead the machine learning team; own the model roadmap; hire ML engineers."),
        (
            "Principal Applied Scientist, NLP",
            "Lead research on large language models and guide "
            "scientists on fine-tuning and evaluation.",
        ),
        (
            "Director of Machine Learning",
            "Build and lead the ML organisation shipping "
            "recommendation and fraud detection models.",
        ),
        (
            "Tech Lead, Computer Vision",
            "Lead a team training computer vision models with PyTorch; "
            "own the architecture of our perception stack.",
        ),
    ],
    "ml_ic": [
        ("Machine Learning Engineer", "Train and deploy machine learning models with PyTorch."),
        ("Research Scientist, Reinforcement Learning", "Run experiments on RL algorithms."),
        ("Applied Scientist II", "Build deep learning models for recommendations and ranking."),
        ("NLP Engineer", "Fine-tune transformers and LLMs for text classification."),
        ("Senior ML Engineer", "Build feature pipelines and train gradient boosting models."),
        ("Computer Vision Engineer", "Train neural networks for image segmentation."),
    ],
    "data": [
        ("Data Analyst", "Build dashboards in Tableau, write SQL, report KPIs to stakeholders."),
        ("Senior Data Analyst, Marketing", "Analyse campaign metrics and present insights."),
        ("Analytics Engineer", "Model data in dbt and maintain reporting tables in SQL."),
        ("Data Engineer", "Build ETL pipelines into the data warehouse with Airflow."),
        ("Business Intelligence Analyst", "Create Power BI reports and ad-hoc analyses."),
        (
            "Analytics Manager",
            "Lead a team of analysts answering business questions with A/B tests and dashboards.",
        ),
    ],
    "software": [
        ("Backend Engineer", "Build REST APIs and microservices in Go on Kubernetes."),
        ("Senior Frontend Engineer", "Build React and TypeScript web applications."),
        ("Site Reliability Engineer", "Own on-call, reliability and latency of our services."),
        ("iOS Engineer", "Ship features in Swift for our mobile app."),
        (
            "Engineering Manager, Payments",
            "Manage a team of backend engineers building payment APIs.",
        ),
        ("Security Engineer", "Harden infrastructure and run application security reviews."),
    ],
    "other": [
        ("Account Executive", "Own a sales quota, close deals and grow enterprise accounts."),
        (
            "Product Manager, AI Platform",
            "Write product requirements and drive the roadmap with customers.",
        ),
        ("Technical Recruiter", "Source and hire engineers; run interview loops."),
        ("Customer Success Manager", "Onboard customers and drive renewals."),
        ("Solutions Architect", "Run pre-sales technical demos for customers and partners."),
        ("Senior Legal Counsel", "Negotiate commercial contracts and advise on privacy."),
    ],
}


def _training_set() -> tuple[list[dict], list[str]]:
    postings, labels = [], []
    for family, examples in _TRAINING.items():
        for title, description in examples:
            postings.append({"title": title, "description": description})
            labels.append(family)
    return postings, labels


@pytest.fixture(scope="module")
def model() -> RoleClassifier:
    postings, labels = _training_set()
    return RoleClassifier(calibration_folds=3).fit(postings, labels)


# --- Rule features -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name", "value"),
    [
        ("Staff Machine Learning Engineer", "title_leader", 1.0),
        ("Senior/Staff ML Engineer", "title_leader", 1.0),  # the upper of two levels counts
        ("Senior Machine Learning Engineer", "title_leader", 0.0),
        ("Member of Technical Staff, Inference", "title_leader", 0.0),
        ("Postdoctoral Fellow, Tissue Models", "title_leader", 0.0),
        ("Postdoctoral Fellow, Tissue Models", "title_ml", 0.0),  # "models" alone is not ML
        ("Engineering Manager, AI", "title_ml", 1.0),
        ("Lead Data Scientist", "leader_and_data_science", 1.0),
        ("Product Manager, Gen AI Platform", "title_other", 1.0),
        ("Software Engineer Intern", "title_intern", 1.0),
    ],
)
def test_title_rule_features(title: str, name: str, value: float) -> None:
    features = dict(zip(RULE_FEATURE_NAMES, rule_features(title, ""), strict=True))
    assert features[name] == value


def test_text_features_separate_ml_from_analytics() -> None:
    def log_ratio(text: str) -> float:
        features = dict(zip(RULE_FEATURE_NAMES, rule_features("Data Scientist", text), strict=True))
        return features["text_ml_analytics_log_ratio"]

    ml = "Train deep learning models, deploy them to production, fine-tune LLMs."
    analytics = "Build dashboards, report KPIs and present insights to stakeholders using SQL."
    assert log_ratio(ml) > 0 > log_ratio(analytics)


def test_rule_features_have_one_value_per_name() -> None:
    assert rule_features("", "").shape == (len(RULE_FEATURE_NAMES),)
    assert np.isfinite(rule_features("x" * 5000, "y " * 50_000)).all()


def test_role_text_cleans_title_and_html() -> None:
    text = role_text(
        {
            "title": "STAFF ML ENGINEER (Remote)",
            "description": "<ul><li>Ship models</li></ul>",
            "description_format": "html",
        }
    )
    assert text.title == "Staff ML Engineer"
    assert "Ship models" in text.text


def test_a_posting_without_a_title_is_read_by_its_header_line() -> None:
    """A raw forum post (a Hacker News comment) opens with "Company | Role | Place"."""
    post = {
        "description": "Acme | Staff ML Engineer | Remote<p>We train ranking models.</p>",
        "description_format": "html",
    }
    assert role_text(post).title == "Acme | Staff ML Engineer"  # workplace tags dropped
    assert role_text(dict(post, title="ML Lead")).title == "ML Lead"  # a title wins
    assert role_text({"description": "We are a company that " * 20 + "\nMore"}).title == ""


def test_calibration_folds_hold_whole_sources_out() -> None:
    y = np.array([0, 1, 2] * 10)
    sources = [f"source-{i % 6}" for i in range(30)]
    splits = fold_splits(y, sources, 3)
    assert len(splits) == 3
    for train, test in splits:
        assert not {sources[i] for i in train} & {sources[i] for i in test}
    # Fewer sources than folds (or none given): postings are split one by one.
    for groups in (["one"] * 30, None):
        train, test = fold_splits(y, groups, 3)[0]
        assert len(test) == 10 and len(set(y[test])) == 3


# --- The classifier ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "description", "family"),
    [
        (
            "Staff Machine Learning Engineer, Search",
            "Lead the design of ranking models.",
            "ml_leadership",
        ),
        ("Machine Learning Engineer, Ads", "Train models with PyTorch.", "ml_ic"),
        ("Data Analyst, Finance", "SQL, dashboards and KPI reports.", "data"),
        ("Backend Engineer, Billing", "Go microservices and APIs.", "software"),
        ("Account Executive, Enterprise", "Close deals and own a quota.", "other"),
    ],
)
def test_obvious_postings(model: RoleClassifier, title: str, description: str, family: str) -> None:
    assert model.predict([{"title": title, "description": description}]) == [family]


def test_probabilities_are_probabilities(model: RoleClassifier) -> None:
    postings, _ = _training_set()
    proba = model.predict_proba(postings)
    assert proba.shape == (len(postings), len(FAMILIES))
    assert ((proba >= 0) & (proba <= 1)).all()
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_family_and_probability_agree(model: RoleClassifier) -> None:
    postings, _ = _training_set()
    postings += [{"title": "Senior Data Scientist", "description": "Models and dashboards."}]
    for prediction in model.classify(postings):
        assert 0.0 <= prediction.ml_leadership <= 1.0
        assert prediction.is_ml_leadership == (prediction.role_family == "ml_leadership")
        assert prediction.is_ml_leadership == (prediction.ml_leadership >= model.threshold_)


def test_predict_rows_is_what_the_enricher_reads(model: RoleClassifier) -> None:
    rows = [{"title": "Head of Machine Learning"}, {"title": "Account Executive"}]
    (lead_family, lead_p), (other_family, other_p) = model.predict_rows(rows)
    assert (lead_family, other_family) == ("ml_leadership", "other")
    assert lead_p > other_p
    assert isinstance(model.version, str)


def test_ml_leadership_ranks_above_ml_ic(model: RoleClassifier) -> None:
    lead, ic = model.ml_leadership_proba(
        [{"title": "Principal Machine Learning Engineer"}, {"title": "Machine Learning Engineer"}]
    )
    assert lead > ic


def test_save_and_load_round_trip(model: RoleClassifier, tmp_path) -> None:
    postings, _ = _training_set()
    folder = model.save(tmp_path / "role")
    meta = json.loads((folder / META_FILE).read_text())
    assert meta["version"] == ROLE_MODEL_VERSION
    assert meta["families"] == list(FAMILIES)
    loaded = RoleClassifier.load(folder)
    assert np.array_equal(loaded.predict_proba(postings), model.predict_proba(postings))
    assert loaded.threshold_ == model.threshold_


def test_load_refuses_other_versions_and_missing_files(model: RoleClassifier, tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        RoleClassifier.load(tmp_path / "nothing-here")
    model.version = "role-0"
    try:
        model.save(tmp_path / "old")
    finally:
        model.version = ROLE_MODEL_VERSION
    with pytest.raises(ValueError, match="retrain"):
        RoleClassifier.load(tmp_path / "old")


def test_training_is_reproducible() -> None:
    postings, labels = _training_set()
    first = RoleClassifier(calibration_folds=3).fit(postings, labels).predict_proba(postings)
    second = RoleClassifier(calibration_folds=3).fit(postings, labels).predict_proba(postings)
    assert np.array_equal(first, second)


@pytest.mark.parametrize(
    "posting",
    [
        {},
        {"title": None, "description": None},
        {"title": "", "description": ""},
        {"title": 42, "description": ["not", "text"]},
        {"title": "🚀🚀🚀", "description": "<script>alert(1)</script>"},
        {"title": "Engineer " * 500, "description": "word " * 100_000},
    ],
)
def test_bad_postings_do_not_crash(model: RoleClassifier, posting: dict) -> None:
    (prediction,) = model.classify([posting])
    assert prediction.role_family in FAMILIES


def test_empty_input(model: RoleClassifier) -> None:
    assert model.predict([]) == []
    assert model.predict_proba([]).shape == (0, len(FAMILIES))


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["ml_leadership", "manager"], "unknown role families"),
        (["ml_leadership"], "2 postings but 1 labels"),
        (["data", "data"], "at least two role families"),
    ],
)
def test_bad_labels_are_refused(labels: list[str], message: str) -> None:
    postings = [{"title": "Data Analyst"}, {"title": "Staff ML Engineer"}]
    with pytest.raises(ValueError, match=message):
        RoleClassifier().fit(postings, labels)


def test_predict_before_fit() -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        RoleClassifier().predict([{"title": "ML Engineer"}])


def test_weak_labels_train_the_text_model() -> None:
    postings, labels = _training_set()
    weak = [
        (
            {"title": "Data Analyst", "description": "SQL dashboards KPIs reporting insights " * 3},
            "data",
        ),
        (
            {"title": "ML Engineer", "description": "train deploy models pytorch inference " * 3},
            "ml_ic",
        ),
        (
            {"title": "Backend Engineer", "description": "apis microservices kubernetes go " * 3},
            "software",
        ),
        (
            {"title": "Account Executive", "description": "quota deals customers sales " * 3},
            "other",
        ),
    ] * 3
    model = RoleClassifier(calibration_folds=2).fit(postings, labels, weak=weak)
    assert model.weak_model_ is not None
    assert model.n_weak_ == len(weak)
    staff = {"title": "Staff ML Engineer", "description": "Lead the design of ranking models."}
    assert model.predict([staff]) == ["ml_leadership"]


def test_weak_labels_teach_the_title_model_titles_the_hand_labels_lack() -> None:
    """A listing without a description is read by the title model; with ``title_weak`` (off by
    default: measured worse on fresh labels) the weak labels, whose rules read titles only, train
    it too, so a lead's title that no hand label names is still found."""
    postings, labels = _training_set()
    text = " ".join(["Our team builds tools and works with many partners."] * 6)
    weak = [
        ({"title": "Interpretability Research Manager", "description": text}, "ml_leadership"),
        ({"title": "Interpretability Research Manager II", "description": text}, "ml_leadership"),
        ({"title": "Payroll Specialist", "description": text}, "other"),
        ({"title": "Site Reliability Engineer", "description": text}, "software"),
    ] * 3
    listing = [{"title": "Research Manager, Interpretability", "description": ""}]
    taught = RoleClassifier(calibration_folds=2, title_weak=True)
    assert taught.fit(postings, labels, weak=weak).predict(listing) == ["ml_leadership"]
    untaught = RoleClassifier(calibration_folds=2).fit(postings, labels, weak=weak)
    assert untaught.predict(listing) != ["ml_leadership"]
    assert taught.name != untaught.name  # enrichments made by the other model are redone


def test_descriptions_teach_the_title_model_with_title_distil() -> None:
    """With ``title_distil`` the full model labels unlabelled postings by their descriptions, and
    the titles it reads with confidence train the title model: a listing without a description
    whose title no hand label names ("Research Manager, Interpretability") is still found."""
    postings, labels = _training_set()
    lead = (
        "Lead a team of research scientists training large language models; set the technical "
        "direction of our machine learning research, mentor and hire ML engineers."
    )
    unlabelled = [
        {"title": f"Interpretability Research Manager {level}", "description": lead * 3}
        for level in ("I", "II", "III", "IV")
    ] + [{"title": "Payroll Specialist", "description": "Run payroll and benefits. " * 20}]
    listing = [{"title": "Research Manager, Interpretability", "description": ""}]
    taught = RoleClassifier(calibration_folds=2, title_distil=True, distil_confidence=0.5)
    taught.fit(postings, labels, unlabelled=unlabelled)
    assert taught.predict(listing) == ["ml_leadership"]
    untaught = RoleClassifier(calibration_folds=2).fit(postings, labels, unlabelled=unlabelled)
    assert untaught.predict(listing) != ["ml_leadership"]
    assert taught.name != untaught.name  # enrichments made by the other model are redone
    distilled = taught._distilled_titles(unlabelled)
    assert {family for title, _, family in distilled if "Interpretability" in title} == {
        "ml_leadership"
    }
    certain = RoleClassifier(calibration_folds=2, title_distil=True, distil_confidence=1.0)
    assert certain.fit(postings, labels)._distilled_titles(unlabelled) == []  # none read so sure


def test_words_of_one_source_only_are_not_read(tmp_path) -> None:
    """A board's boilerplate names the board, not the job: with ``min_sources=2`` the
    description and weak-label vocabularies keep only words that two sources use."""
    postings, labels = _training_set()
    for i, posting in enumerate(postings):
        posting["source"] = "board" if i % 2 else "forum"
        if posting["source"] == "board":
            posting["description"] += " Easy apply with your Boardly profile."
    weak = [
        (dict(p, description=p["description"] * 8), family)
        for p, family in zip(postings, labels, strict=True)
    ]
    shared = RoleClassifier(calibration_folds=2, min_sources=2).fit(postings, labels, weak=weak)
    every = RoleClassifier(calibration_folds=2, min_sources=1).fit(postings, labels, weak=weak)
    assert "boardly" in every.parts_.description_.vocabulary_
    assert "boardly" in every.weak_model_.vectorizer_.vocabulary_
    assert "boardly" not in shared.parts_.description_.vocabulary_
    assert "boardly" not in shared.weak_model_.vectorizer_.vocabulary_
    assert "models" in shared.parts_.description_.vocabulary_  # both sources use it
    staff = {"title": "Staff ML Engineer", "description": "Lead the design of ranking models."}
    assert shared.predict([staff]) == ["ml_leadership"]
    loaded = RoleClassifier.load(shared.save(tmp_path))  # the smaller vocabulary saves as data
    assert np.array_equal(loaded.predict_proba(postings), shared.predict_proba(postings))


def test_source_balanced_weights_make_the_family_independent_of_the_source() -> None:
    """Weak labels of the data family came mostly from one dump; weighted, every source has the
    same family mix, so the dump's style no longer predicts the family."""
    y = np.array([2] * 8 + [3] * 2 + [2] * 2 + [3] * 8)
    sources = ["2020-dump"] * 10 + ["ats"] * 10
    weights = source_balanced_weights(y, sources)
    for source in ("2020-dump", "ats"):
        rows = np.array(sources) == source
        share = weights[rows & (y == 2)].sum() / weights[rows].sum()
        assert share == pytest.approx(0.5)


def test_embeddings_are_optional_but_consistent() -> None:
    postings, labels = _training_set()
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(len(postings), 8))
    model = RoleClassifier(calibration_folds=2).fit(postings, labels, embeddings=embeddings)
    assert model.predict_proba(postings[:2], embeddings=embeddings[:2]).shape == (2, 5)
    with pytest.raises(ValueError, match="trained with embeddings"):
        model.predict(postings[:2])
    with pytest.raises(ValueError, match="8 columns"):
        model.predict(postings[:2], embeddings=embeddings[:2, :4])
    with pytest.raises(ValueError, match="embeddings for"):
        model.predict(postings[:2], embeddings=embeddings[:3])


@pytest.mark.shared_data
def test_quality_on_tune_labels(shared_data_dir) -> None:
    """Trained on half of tune, checked on the other half: well above the baseline (~0.67 F1)."""
    from leadboard.datasets import load_labelled

    labelled = load_labelled("tune", data_dir=shared_data_dir)
    labelled.sort(key=lambda lp: lp.id)
    train = [lp for i, lp in enumerate(labelled) if i % 2 == 0]
    test = [lp for i, lp in enumerate(labelled) if i % 2 == 1]
    model = RoleClassifier(calibration_folds=2).fit(
        [lp.posting for lp in train], [lp.label["role_family"] for lp in train]
    )
    predictions = model.classify([lp.posting for lp in test])
    truth = np.array([lp.label["role_family"] for lp in test])
    family = np.array([p.role_family for p in predictions])
    accuracy = float((family == truth).mean())
    positive, predicted = truth == "ml_leadership", family == "ml_leadership"
    f1 = 2 * (positive & predicted).sum() / (positive.sum() + predicted.sum())
    assert accuracy >= 0.75
    assert f1 >= 0.72


def test_postings_without_a_description_are_read_from_their_titles(role_models_dir):
    """Some sources list jobs with no description: the title model reads those, so an empty
    text is not taken as evidence against ML work."""
    model = RoleClassifier.load(role_models_dir / "role")
    assert model.title_only_ is not None
    titles = [
        "Staff Machine Learning Engineer",
        "Machine Learning Engineer, Integrity",
        "Account Director, Retail",
    ]
    families = model.predict([{"title": title, "description": ""} for title in titles])
    assert families[0] == "ml_leadership"
    assert families[1] in ("ml_ic", "ml_leadership")
    assert families[2] == "other"
