"""Embedding throughput on real postings: MiniLM on ONNX Runtime, the static model, PyTorch.

Embeds the same postings (title + start of the cleaned description, as ``posting_text`` makes
them) with :class:`leadboard.enrich.embeddings.Embedder` (MiniLM), with the packaged static model
distilled from it (``StaticEmbedder``) and, when sentence-transformers and torch are installed, with
sentence-transformers on the same weights and thread count. Prints the load time, postings/s (wall
clock) and postings per CPU-second (steadier on a busy machine), and how closely each agrees with
MiniLM (cosine). ``--against-tokens N`` embeds them again with MiniLM reading N word pieces: its
speed, cosine to the first vectors and the share of each posting's 10 nearest neighbours (among
the sample) that both keep.

    .venv/bin/python -m bench.bench_embeddings [--n 200] [--threads 2] [--max-tokens 256]
    .venv/bin/python -m bench.bench_embeddings --n 1000 --max-tokens 192 --against-tokens 128
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from leadboard.enrich.embeddings import MAX_TOKENS, Embedder, load_tokenizer, model_dir
from leadboard.enrich.embeddings import posting_text as make_posting_text
from leadboard.enrich.static_embeddings import StaticEmbedder
from leadboard.normalize.html import clean_description

# Dumps with full descriptions, from several kinds of source.
DUMPS = [
    "ats-boards-2026-05",
    "ai-labs-2025-08",
    "linkedin-cs-2025-09",
    "ds-jobs-2020-04",
    "aggregator-2026q1",
    "hn-who-is-hiring-2026",
]


def data_dir() -> Path:
    return Path(os.environ.get("LEADBOARD_DATA_DIR", Path(__file__).parents[2] / "shared" / "data"))


def sample_postings(count: int) -> list[str]:
    """``count`` postings' texts, taken evenly from each dump (every k-th line)."""
    per_dump = -(-count // len(DUMPS))
    texts: list[str] = []
    for dump in DUMPS:
        path = data_dir() / "postings" / dump / "postings.jsonl"
        if not path.is_file():
            continue
        with path.open() as lines:
            rows = [json.loads(line) for line in lines]
        step = max(1, len(rows) // per_dump)
        for row in itertools.islice(rows[::step], per_dump):
            description = clean_description(row.get("description"), row.get("description_format"))
            texts.append(make_posting_text(row.get("title") or "", description.text))
    return texts[:count]


def timed(label: str, texts: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    encode(texts[:2])  # warm-up: first-run allocations are not throughput
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encode(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:<34} {len(texts) / wall:7.1f} postings/s  "
        f"{len(texts) / cpu:7.1f} postings per CPU-second  ({wall:.1f} s)"
    )
    return vectors


def neighbour_overlap(a: np.ndarray, b: np.ndarray, k: int = 10) -> float:
    """The mean share of each row's ``k`` nearest rows (by cosine, itself left out) in ``a``
    that are among its ``k`` nearest in ``b``.

    >>> a = np.eye(4, dtype=np.float32)
    >>> neighbour_overlap(a, a, k=2)
    1.0
    """

    def nearest(vectors: np.ndarray) -> np.ndarray:
        scores = vectors @ vectors.T
        np.fill_diagonal(scores, -np.inf)
        return np.argsort(-scores, axis=1, kind="stable")[:, :k]

    pairs = zip(nearest(a), nearest(b), strict=True)
    return float(np.mean([len(set(x) & set(y)) / k for x, y in pairs]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="postings to embed (default 200)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    parser.add_argument("--against-tokens", type=int, help="MiniLM again on this many pieces")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    args = parser.parse_args()

    start = time.perf_counter()
    texts = sample_postings(args.n)
    print(f"{len(texts)} postings read and cleaned in {time.perf_counter() - start:.1f} s")
    if not texts:
        raise SystemExit(f"no postings under {data_dir()} (set LEADBOARD_DATA_DIR)")
    lengths = np.array([len(e.ids) for e in load_tokenizer(model_dir()).encode_batch(texts)])
    print(
        f"word pieces a posting (cut at {MAX_TOKENS}): mean {lengths.mean():.0f}, "
        f"{(lengths == MAX_TOKENS).mean():.0%} cut; threads {args.threads}, "
        f"batch {args.batch_size}, max tokens {args.max_tokens}"
    )

    embedder = Embedder(
        threads=args.threads, batch_size=args.batch_size, max_tokens=args.max_tokens
    )
    start = time.perf_counter()
    embedder.encode(["warm up"])
    print(f"onnxruntime: model built and loaded in {time.perf_counter() - start:.1f} s")
    onnx_vectors = timed("onnxruntime (leadboard)", texts, embedder.encode)
    if args.against_tokens:
        other = Embedder(
            threads=args.threads, batch_size=args.batch_size, max_tokens=args.against_tokens
        )
        other_vectors = timed(f"onnxruntime, {args.against_tokens} pieces", texts, other.encode)
        cosines = (other_vectors * onnx_vectors).sum(axis=1)
        overlap = neighbour_overlap(onnx_vectors, other_vectors)
        print(
            f"{args.against_tokens} vs {args.max_tokens} pieces: cosine mean {cosines.mean():.3f}, "
            f"top-10 neighbours shared {overlap:.0%}"
        )

    static = StaticEmbedder()
    start = time.perf_counter()
    static.encode(["warm up"])
    print(f"static model ({static.version}): loaded in {time.perf_counter() - start:.1f} s")
    static_vectors = timed("static model (packaged)", texts, static.encode)
    cosines = (static_vectors * onnx_vectors).sum(axis=1)
    print(f"static vs MiniLM ({embedder.version}): cosine mean {cosines.mean():.3f}")

    if args.no_torch:
        return
    try:
        # Optional, and untyped where installed: only this comparison needs them.
        import torch  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError:
        print("torch / sentence-transformers not installed: no PyTorch comparison")
        return
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    model = SentenceTransformer(str(model_dir()), device="cpu")
    model.max_seq_length = args.max_tokens
    print(f"torch {torch.__version__}: model loaded in {time.perf_counter() - start:.1f} s")

    def encode_torch(batch: list[str]) -> np.ndarray:
        with torch.inference_mode():
            return model.encode(batch, batch_size=args.batch_size, show_progress_bar=False)

    torch_vectors = timed("torch (sentence-transformers)", texts, encode_torch)
    cosines = (onnx_vectors * torch_vectors).sum(axis=1) / np.linalg.norm(torch_vectors, axis=1)
    print(f"agreement: cosine min {cosines.min():.7f}, mean {cosines.mean():.7f}")


if __name__ == "__main__":
    main()
