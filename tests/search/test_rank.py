"""The learned ranker (search/rank.py): the shipped model loads, and a ranker decides the order of
the fused list's head."""

import math

import numpy as np
from test_relevance import ANY, fill, titles

from leadboard.search.engine import SearchEngine, SearchRequest
from leadboard.search.rank import FEATURES, MODEL_DIR, load_ranker, train


def test_the_shipped_model_is_lightgbm_text_over_the_features():
    text = (MODEL_DIR / "model.txt").read_text()
    assert text.startswith("tree") and f"feature_names={' '.join(FEATURES)}" in text
    ranker = load_ranker()
    assert ranker is not None
    assert ranker.scores(np.zeros((2, len(FEATURES)))).shape == (2,)


def test_a_ranker_decides_the_order_of_the_candidates(store, tmp_path):
    fill(store)
    # A model taught the opposite of sense: the less of the query a title holds, the better.
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(20):
        rows = rng.random((30, len(FEATURES)))
        grades = np.round(3 * (1 - rows[:, FEATURES.index("title_query")]))
        groups.append((rows, grades))
    (tmp_path / "model.txt").write_text(train(groups, rounds=30))
    contrary = load_ranker(tmp_path)
    assert contrary is not None
    request = SearchRequest(q="machine learning manager", filters=ANY)
    plain = SearchEngine(store, ranker=None).search(request)
    reranked = SearchEngine(store, ranker=contrary).search(request)
    assert titles(plain)[0] == "Machine Learning Manager" and plain.ranker is None
    assert titles(reranked)[-1] == "Machine Learning Manager"
    assert reranked.ranker == contrary.name and reranked.total == plain.total


def test_title_features_read_short_forms_levels_and_other_functions(store):
    fill(
        store,
        [
            ("1", "Vice President, ML", "Lead machine learning.", "Orbit", "executive", None),
            (
                "2",
                "Product Manager, Machine Learning",
                "Machine learning.",
                "Nimbus",
                "manager",
                None,
            ),
            (
                "3",
                "Machine Learning Engineer",
                "Machine learning models.",
                "Quanta",
                "senior",
                None,
            ),
        ],
    )
    request = SearchRequest(q="vp of machine learning", filters=ANY, features=True)
    found = SearchEngine(store, ranker=None).search(request).features
    assert found is not None
    ids, rows = found
    feature = {
        store.get_job(job_id).title: dict(zip(FEATURES, row.tolist(), strict=True))
        for job_id, row in zip(ids, rows, strict=True)
    }
    vp = feature["Vice President, ML"]
    # "vp" became a level chip and "machine learning" is "ML": the title holds the whole query.
    assert (vp["title_concepts"], vp["level_word_met"], vp["title_level"]) == (1.0, 1.0, 7)
    assert vp["off_function"] == 0 and vp["title_level_gap"] == 0
    product = feature["Product Manager, Machine Learning"]
    assert product["off_function"] == 1 and product["title_topic"] == 1.0
    assert product["level_word_met"] == 0 and product["title_level_gap"] == 2
    engineer = feature["Machine Learning Engineer"]
    assert math.isnan(engineer["title_level"]) and engineer["title_concepts"] == 0.5
