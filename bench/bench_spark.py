"""Enrichment throughput of a PostgreSQL store on Spark (issue 14): one worker, two workers, and
``enrich_store`` in one process as the baseline, in the same run, on copies of one store.

The store holds ``--n`` real postings (every k-th line of each dump in ``bench_embeddings.DUMPS``)
in a throwaway PostgreSQL server; each way enriches and embeds a fresh copy of it. Spark runs on
``local-cluster[W,1,1024]`` (W workers of one core); its figure leaves out the session's start
and a first run on another copy that starts the workers and loads their models (both printed
apart), as the baseline leaves out loading the models. ``enrich_store`` with a process a core is
printed too. All on this machine: the workers share its cores, so the figures say what the job
costs, not what a cluster of machines gains.

    .venv/bin/python -m bench.bench_spark [--n 600] [--partitions 4] [--embedding-model static]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path

from bench.bench_embeddings import DUMPS, data_dir
from leadboard.enrich.spark_job import enrich_on_spark, spark_session
from leadboard.pipeline import enrich_store, import_paths, make_enricher
from leadboard.store.repository import Store
from tests.support.postgres import fresh_database, running_postgres, template_database


def write_sample(folder: Path, count: int) -> None:
    """About ``count`` postings' lines, every k-th line of each dump, a file a dump."""
    per_dump = -(-count // len(DUMPS))
    for dump in DUMPS:
        path = data_dir() / "postings" / dump / "postings.jsonl"
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            step = max(1, len(lines) // per_dump)
            (folder / f"{dump}.jsonl").write_text("\n".join(lines[::step][:per_dump]) + "\n")


def baseline(url: str, workers: int | None) -> tuple[int, float]:
    store = Store.open(url)
    enricher = make_enricher()
    enricher.embedding_model().encode(["warm up"])  # loading the models is not throughput
    enricher.enrich_batch([{"id": "w", "title": "Staff ML Engineer", "text": "Lead."}])
    start = time.perf_counter()
    summary = enrich_store(store, enricher, embed=True, workers=workers)
    seconds = time.perf_counter() - start
    store.close()
    return summary.enriched, seconds


def on_spark(urls: Callable[[], str], workers: int, partitions: int) -> tuple[int, float]:
    """Jobs enriched and seconds taken on a new store from ``urls``, after a first run on
    another (the workers' Python processes start and load the models then)."""
    master = f"local-cluster[{workers},1,1024]"
    start = time.perf_counter()
    quiet = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"}
    with spark_session(master, quiet) as spark:
        spark.sparkContext.setLogLevel("ERROR")
        started = time.perf_counter() - start
        warm = enrich_on_spark(urls(), partitions=partitions)
        print(
            f"  ({master}: session started in {started:.0f} s, warmed up in {warm.seconds:.0f} s)"
        )
        summary = enrich_on_spark(urls(), partitions=partitions)
    return summary.enriched, summary.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="postings in the store")
    parser.add_argument("--partitions", type=int, default=4, help="slices a Spark pass")
    parser.add_argument(
        "--embedding-model",
        choices=("static", "minilm"),
        help="$LEADBOARD_EMBEDDING_MODEL (default: as set, else MiniLM where installed)",
    )
    args = parser.parse_args()
    if args.embedding_model:
        os.environ["LEADBOARD_EMBEDDING_MODEL"] = args.embedding_model  # workers inherit it
    with tempfile.TemporaryDirectory() as folder, running_postgres() as server:
        write_sample(Path(folder), args.n)

        def prepare(url: str) -> None:
            store = Store.open(url)
            import_paths(store, [Path(folder)])
            store.close()

        with template_database(server, prepare) as template, ExitStack() as stores:

            def new_store() -> str:
                return stores.enter_context(fresh_database(server, template))

            print(f"enrich + embed ({make_enricher().embedding_model().version}), postings/s:")
            jobs, seconds = baseline(new_store(), workers=1)
            base = jobs / seconds
            print(f"{'enrich_store, one process':<36} {base:7.1f}  ({jobs} jobs, {seconds:.1f} s)")
            runs = [("enrich_store, a process a core", lambda: baseline(new_store(), None))]
            for workers in (1, 2):
                label = f"Spark, {workers} worker{'s' if workers > 1 else ''}"
                runs.append((label, partial(on_spark, new_store, workers, args.partitions)))
            for label, run in runs:
                jobs, seconds = run()
                rate = jobs / seconds
                print(
                    f"{label:<36} {rate:7.1f}  ({jobs} jobs, {seconds:.1f} s; "
                    f"{rate / base:.2f}x the baseline)"
                )


if __name__ == "__main__":
    main()
