"""Nearest-neighbour search over the store's embeddings: exact scan vs the HNSW index vs sqlite-vec.

    python -m bench.bench_vectors [--queries 100] [--k 300]

Reads the embeddings of ``LEADBOARD_HOME``'s store (``leadboard enrich`` made them), builds each
index in memory, and asks every one the same queries: real job embeddings with a little noise
(a query is never exactly a stored vector). The exact numpy scan is the baseline and the ground
truth; recall@k is the share of its k nearest that an index also returns. sqlite-vec (the first
vector index of the embedded default, an exhaustive scan) runs only when ``pip install -e
'.[bench]'`` put it there.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadboard.search.vectors import HnswIndex
from leadboard.store.repository import Store
from leadboard.store.schema import JobEmbedding


def timed(search: Callable[[np.ndarray], list[int]], queries: np.ndarray) -> tuple[list, list]:
    found, millis = [], []
    for query in queries:
        start = time.perf_counter()
        found.append(search(query))
        millis.append((time.perf_counter() - start) * 1000)
    return found, millis


def report(name: str, millis: list[float], found: list, truth: list, baseline: float) -> None:
    millis = sorted(millis)
    p50, p95 = statistics.median(millis), millis[int(len(millis) * 0.95) - 1]
    recall = np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)])
    print(
        f"{name:<26} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  recall {recall:.3f}  "
        f"{baseline / p50:5.1f}x the exact scan"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--k", type=int, default=300)
    args = parser.parse_args()
    with Session(Store.open().engine) as session:
        rows = session.execute(select(JobEmbedding.vector)).scalars().all()
    matrix = np.frombuffer(b"".join(rows), dtype="<f4").reshape(len(rows), -1)
    ids = np.arange(1, len(matrix) + 1)
    rng = np.random.default_rng(0)
    queries = matrix[rng.choice(len(matrix), args.queries)]
    queries = queries + 0.05 * rng.standard_normal(queries.shape).astype("<f4")
    print(f"{len(matrix)} vectors, {args.queries} queries, k={args.k}")

    def exact(query: np.ndarray) -> list[int]:
        similarity = matrix @ query
        return ids[np.argpartition(-similarity, args.k)[: args.k]].tolist()

    truth, millis = timed(exact, queries)
    baseline = statistics.median(millis)
    report("exact scan (numpy)", millis, truth, truth, baseline)

    with tempfile.TemporaryDirectory() as folder:
        hnsw = HnswIndex(Path(folder) / "vectors.usearch")
        start = time.perf_counter()
        wanted = {int(i): ("h", v.tobytes()) for i, v in zip(ids, matrix, strict=True)}
        hnsw._sync(wanted, "bench")
        print(f"HNSW built in {time.perf_counter() - start:.1f} s")
        found, millis = timed(lambda q: [i for i, _ in hnsw.nearest(q, args.k)], queries)
        report("HNSW (usearch, f16)", millis, found, truth, baseline)
    try:
        import apsw
        import sqlite_vec
    except ImportError:
        print("sqlite-vec: not installed (pip install -e '.[bench]')")
        return
    connection = apsw.Connection(":memory:")
    connection.enable_load_extension(True)
    connection.load_extension(sqlite_vec.loadable_path())
    connection.execute(
        f"CREATE VIRTUAL TABLE v USING vec0(id INTEGER PRIMARY KEY, "
        f"e float[{matrix.shape[1]}] distance_metric=cosine)"
    )
    with connection:
        connection.executemany(
            "INSERT INTO v VALUES (?, ?)",
            ((int(i), v.tobytes()) for i, v in zip(ids, matrix, strict=True)),
        )

    def vec0(query: np.ndarray) -> list[int]:
        rows = connection.execute(
            "SELECT id FROM v WHERE e MATCH ? AND k = ? ORDER BY distance",
            (query.astype("<f4").tobytes(), args.k),
        )
        return [row[0] for row in rows]

    found, millis = timed(vec0, queries)
    report("sqlite-vec (exhaustive)", millis, found, truth, baseline)


if __name__ == "__main__":
    main()
