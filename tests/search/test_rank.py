"""The learned ranker (search/rank.py): the shipped model loads, and a ranker decides the order of
the fused list's head."""

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
