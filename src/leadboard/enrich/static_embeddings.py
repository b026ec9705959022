"""A static sentence model shipped with the package: a text's vector is a sum of word-piece vectors.

Distilled from all-MiniLM-L6-v2 (``leadboard.enrich.embeddings``) the way model2vec does it,
without PyTorch: every word piece of MiniLM's vocabulary that occurs in postings was encoded alone
by MiniLM, weighted by how rare it is (SIF), then fitted so that the mean of a posting's piece
vectors comes close to MiniLM's vector of the whole posting (``bench/distil_embeddings.py``
rebuilds it). A text's
vector is the ``[CLS]`` row (a bias every text gets) plus the mean of its pieces' rows, made unit
length: in MiniLM's own 384-d space, at a fraction of its cost (no network to run: a table look-up).

The files, in ``leadboard/data/models/embed/``: ``model.safetensors`` (``ids``: the vocabulary ids
kept; ``vectors``: int8 rows; ``scales``: one float32 scale a row), MiniLM's ``tokenizer.json`` and
``model.json`` (the card: source, dimensions, vocabulary, how it was built).

>>> embedder = StaticEmbedder()
>>> lead, staff, chef = embedder.encode(["ML tech lead", "staff ML engineer", "pastry chef"])
>>> lead.shape, bool(lead @ staff > lead @ chef)
((384,), True)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import tokenizers

STATIC_MODEL_DIR = Path(__file__).parents[1] / "data" / "models" / "embed"
MAX_TOKENS = 512  # a look-up per piece costs next to nothing: read all that posting_text keeps
MAX_CHARS = 25_600  # as for MiniLM: a megabyte-long input must not cost a megabyte of tokenising


def load_card(folder: Path = STATIC_MODEL_DIR) -> dict[str, Any]:
    """The model's card (``model.json``): its name, source, dimensions and how it was built.

    >>> load_card()["dimensions"]
    384
    """
    return json.loads((folder / "model.json").read_text())


class StaticEmbedder:
    """Turns texts into unit vectors by looking up their word pieces; loads once, on first use.

    ``model_folder``: the model's files (default: the packaged model).
    Same interface as :class:`leadboard.enrich.embeddings.Embedder`; one instance may be shared
    between threads.

    >>> a, b = StaticEmbedder().encode(["Staff ML Engineer", "Staff ML Engineer"])
    >>> float(a @ b) == float(a @ a)
    True
    """

    def __init__(self, model_folder: Path | None = None, max_tokens: int = MAX_TOKENS) -> None:
        self.model_folder = model_folder or STATIC_MODEL_DIR
        self.max_tokens = max_tokens
        self.card = load_card(self.model_folder)
        self.dimensions: int = self.card["dimensions"]
        self._table: np.ndarray | None = None  # vocabulary id -> row of vectors (0: not kept)
        self._vectors: np.ndarray | None = None
        self._tokenizer: tokenizers.Tokenizer | None = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        """Names the vectors this embedder makes: vectors of two versions do not compare."""
        return f"{self.card['name']}:{self.card['version']}:{self.max_tokens}"

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Embed ``texts``: an ``(n, 384)`` float32 array, each row of length 1, in input order.

        ``batch_size`` is accepted for the interface's sake: a look-up needs no batches. A text
        without a known word piece (the empty one too) gets the bias row's direction.

        >>> StaticEmbedder().encode(["", "hello"]).shape
        (2, 384)
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of texts, not a single string")
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {index} is a {type(text).__name__}, not a str")
        table, vectors, tokenizer = self._load()
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        encodings = tokenizer.encode_batch([text[:MAX_CHARS] for text in texts])
        for row, encoding in enumerate(encodings):
            rows = table[np.asarray(encoding.ids, dtype=np.int64)]
            rows = rows[rows > 0]  # pieces the model does not keep add nothing
            out[row] = vectors[0] + (vectors[rows].mean(axis=0) if len(rows) else 0.0)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def forked(self) -> StaticEmbedder:
        """This embedder, loaded: a forked worker process shares its tables with this one.

        >>> embedder = StaticEmbedder()
        >>> embedder.forked() is embedder
        True
        """
        self._load()
        return self

    def _load(self) -> tuple[np.ndarray, np.ndarray, tokenizers.Tokenizer]:
        with self._lock:  # two threads' first calls must not both load the model
            if self._table is None or self._vectors is None or self._tokenizer is None:
                from safetensors.numpy import load_file
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self.model_folder / "tokenizer.json"))
                tokenizer.enable_truncation(self.max_tokens)
                tokenizer.no_padding()
                weights = load_file(str(self.model_folder / "model.safetensors"))
                ids = weights["ids"].astype(np.int64)  # ids[0] is [CLS]: the bias row
                table = np.zeros(tokenizer.get_vocab_size(), dtype=np.int64)
                table[ids[1:]] = np.arange(1, len(ids))
                self._vectors = weights["vectors"].astype(np.float32) * weights["scales"][:, None]
                self._table, self._tokenizer = table, tokenizer
            return self._table, self._vectors, self._tokenizer
