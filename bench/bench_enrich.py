"""Enrichment throughput on real postings, embeddings included, in one process.

Enriches the same postings (evenly from each dump) four ways and prints postings/s for each, with
ratios against the first:

1. rules only (years, skills, duties, seniority, remote, salary) — the baseline;
2. rules + the trained role model (``leadboard train`` first; skipped without one);
3. everything + embeddings, one after the other (float32 model);
4. everything + embeddings as ``Enricher`` runs them: int8 model, in a second thread while the
   extractors run (the issue's target: >= 20 postings/s on a 2-core machine).

    .venv/bin/python -m bench.bench_enrich [--n 400] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from collections.abc import Callable
from typing import Any

from bench.bench_embeddings import DUMPS, data_dir  # the same dumps, the same data folder
from leadboard.enrich.embeddings import Embedder, posting_text
from leadboard.enrich.enricher import Enricher
from leadboard.enrich.training import load_role_model
from leadboard.normalize.html import clean_description


def sample_rows(count: int) -> list[dict[str, Any]]:
    """``count`` postings as the enrich contract reads them, every k-th line of each dump."""
    per_dump = -(-count // len(DUMPS))
    rows: list[dict[str, Any]] = []
    for dump in DUMPS:
        path = data_dir() / "postings" / dump / "postings.jsonl"
        if path.is_file():
            with path.open() as lines:
                all_rows = [json.loads(line) for line in lines]
            step = max(1, len(all_rows) // per_dump)
            rows.extend(itertools.islice(all_rows[::step], per_dump))
    return rows[:count]


def measure(
    label: str,
    rows: list[dict[str, Any]],
    run: Callable[[list], object],
    batch_size: int,
    baseline: float | None,
) -> float:
    run(rows[:batch_size])  # warm-up: model loading is not throughput
    start = time.perf_counter()
    for index in range(0, len(rows), batch_size):
        run(rows[index : index + batch_size])
    rate = len(rows) / (time.perf_counter() - start)
    ratio = f"  ({rate / baseline:.2f}x the rules alone)" if baseline else ""
    print(f"{label:<52} {rate:7.1f} postings/s{ratio}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    rows = sample_rows(args.n)
    if not rows:
        raise SystemExit(f"no postings under {data_dir()} (set LEADBOARD_DATA_DIR)")
    print(
        f"{len(rows)} postings from {len(DUMPS)} dumps, batches of {args.batch_size}, "
        f"{os.cpu_count()} CPUs"
    )

    rules = Enricher(role_model=None)
    base = measure("rules only", rows, rules.enrich_batch, args.batch_size, None)
    role_model = load_role_model()
    if role_model is None:
        print("no role model (run `leadboard train`): role model rows skipped")
    else:
        with_role = Enricher(role_model=role_model)
        measure("rules + role model", rows, with_role.enrich_batch, args.batch_size, base)

    fp32 = Embedder(precision="fp32")
    sequential = Enricher(role_model=role_model, embedder=fp32)

    def one_after_the_other(batch: list[dict[str, Any]]) -> None:
        results = sequential.enrich_batch(batch)
        texts = [
            clean_description(r.get("description"), r.get("description_format")).text for r in batch
        ]
        pairs = zip(batch, texts, strict=True)
        fp32.encode([posting_text(row.get("title"), text) for row, text in pairs])
        del results

    measure("all + fp32 embeddings, sequential", rows, one_after_the_other, args.batch_size, base)
    default = Enricher(role_model=role_model)  # int8, embeddings in a second thread
    measure(
        "all + int8 embeddings, overlapped (default)",
        rows,
        lambda batch: default.enrich_with_embeddings(batch, embed=True),
        args.batch_size,
        base,
    )


if __name__ == "__main__":
    main()
