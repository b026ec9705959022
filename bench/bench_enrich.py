"""Enrichment throughput on real postings, embeddings included: in memory, then through a store.

**In memory** (one process), the same postings (evenly from each dump) enriched four ways, with
ratios against the first:

1. rules only (years, skills, duties, seniority, remote, salary) — the baseline;
2. rules + the trained role model (``leadboard train`` first; skipped without one);
3. everything + embeddings, one after the other (float32 model);
4. everything + embeddings as ``Enricher`` runs them: int8 model, in a second thread while the
   extractors run.

**Through a store** (``--store``; issue 14: >= 80 postings/s on 2 cores, embeddings included, and
a re-crawl that changes nothing costs nothing): the postings are imported into a new SQLite
store, copied once per path, and enriched and embedded with DB writes, by

- the old path: ``enrich_store`` then ``embed_store`` as they were before issue 14 (one process,
  batches of 64, every job computed; kept below as ``old_enrich_store``);
- the new path: ``pipeline.enrich_store(embed=True)`` (worker processes, copies by content);

then the new path again after an unchanged re-import (nothing to do) and after a re-post of every
posting under other ids (copies, nothing computed). Each embedder named by ``--embedders`` is
measured (models loaded before the clock starts; worker processes' start is counted), in
postings/s and in postings a CPU-second (this process and its workers), with the cores kept busy:
on a machine shared with other work the second figure is the steadier. ``minilm:128`` names
MiniLM reading 128 word pieces a text (``$LEADBOARD_EMBEDDING_TOKENS``), to compare in one run.

**Against older code** (``--store --baseline REV``): the new path alone, on the code of git
revision ``REV`` (its ``src/`` exported to a temporary folder) and on this tree's, each in a process
of its own, one after the other, ``--rounds`` times; then the median of each and their ratio. On a
shared machine the load changes between runs: postings a CPU-second is the figure to compare.
Both read the same role model (``load_role_model``: give ``$LEADBOARD_HOME`` one, or the two
revisions' packaged models may differ).

    .venv/bin/python -m bench.bench_enrich [--n 400] [--batch-size 32]
    .venv/bin/python -m bench.bench_enrich --store [--n 1000] [--embedders static minilm minilm:128]
    .venv/bin/python -m bench.bench_enrich --store --n 2000 --embedders minilm:128 \
        --baseline efda8f3 [--rounds 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bench_embeddings import DUMPS, data_dir  # the same dumps, the same data folder
from leadboard.enrich.embeddings import Embedder, TextEmbedder, default_embedder, posting_text
from leadboard.enrich.enricher import Enricher
from leadboard.enrich.role import RoleClassifier
from leadboard.enrich.training import load_role_model
from leadboard.normalize.html import clean_description
from leadboard.pipeline import embed_store, enrich_store, import_paths
from leadboard.store.repository import Store


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


def in_memory(rows: list[dict[str, Any]], batch_size: int) -> None:
    rules = Enricher(role_model=None)
    base = measure("rules only", rows, rules.enrich_batch, batch_size, None)
    role_model = load_role_model()
    if role_model is None:
        print("no role model (run `leadboard train`): role model rows skipped")
    else:
        with_role = Enricher(role_model=role_model)
        measure("rules + role model", rows, with_role.enrich_batch, batch_size, base)

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

    measure("all + fp32 embeddings, sequential", rows, one_after_the_other, batch_size, base)
    default = Enricher(role_model=role_model)  # int8, embeddings in a second thread
    measure(
        "all + int8 embeddings, overlapped (default)",
        rows,
        lambda batch: default.enrich_with_embeddings(batch, embed=True),
        batch_size,
        base,
    )


# -- through a store ------------------------------------------------------------------------------


def old_enrich_store(store: Store, enricher: Enricher, embedder: TextEmbedder) -> int:
    """``enrich_store(embed=True)`` as it was before issue 14: one process, every job computed."""
    done, after = 0, ""
    while batch := store.jobs_to_enrich(enricher.version, after=after, limit=64):
        results = enricher.enrich_batch([row for _, _, row in batch])
        pairs = zip(batch, results, strict=True)
        now = datetime.now(UTC)
        store.save_enrichments([(i, digest, res) for (i, digest, _), res in pairs], now)
        done += len(batch)
        after = batch[-1][0]
    after = ""
    while batch := store.jobs_to_embed(embedder.version, after=after, limit=64):
        vectors = embedder.encode([posting_text(row["title"], row["text"]) for _, _, row in batch])
        store.save_embeddings(
            [
                (job_id, digest, vector.astype("<f4").tobytes())
                for (job_id, digest, _), vector in zip(batch, vectors, strict=True)
            ],
            embedder.version,
        )
        after = batch[-1][0]
    return done


def embedding_in_this_process(
    store: Store, enricher: Enricher, embedder: TextEmbedder, workers: int | None = None
) -> int:
    """``enrich_store(embed=True)`` as it was before the embedding went to worker processes: the
    enrichment in workers, then the embedding here, on ONNX Runtime's threads (one a core)."""
    summary = enrich_store(store, enricher, workers=workers)
    embed_store(store, embedder, summary, workers=1)
    return summary.enriched


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (worker processes): on a shared
    machine, what a path costs is steadier than how long it takes."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def write_dump(folder: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` as a dump file; the folder's name is the dataset's, so it sets the jobs' ids."""
    folder.mkdir(parents=True)
    path = folder / "postings.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def loaded(
    choice: str, role_model: RoleClassifier | None, rows: list[dict[str, Any]]
) -> tuple[TextEmbedder, Enricher]:
    """The embedder ``choice`` names ("minilm:128": MiniLM on 128 word pieces) and an enricher
    with it, both warmed up: loading models is not throughput."""
    model, _, tokens = choice.partition(":")
    os.environ["LEADBOARD_EMBEDDING_MODEL"] = model
    os.environ["LEADBOARD_EMBEDDING_TOKENS"] = tokens
    embedder = default_embedder()
    embedder.encode(["warm up"])
    enricher = Enricher(role_model=role_model, embedder=embedder)
    enricher.enrich_batch(rows[:8])
    return embedder, enricher


def through_store(rows: list[dict[str, Any]], embedders: list[str], workers: int | None) -> None:
    role_model = load_role_model()
    with tempfile.TemporaryDirectory(prefix="bench-enrich-") as scratch:
        root = Path(scratch)
        dump = write_dump(root / "bench-postings", rows)
        # The same postings under other ids: a re-post, or the same posting on another board.
        reposts = write_dump(root / "bench-reposts", [{**r, "id": f"{r['id']}-re"} for r in rows])
        fresh = root / "fresh.db"
        store = Store.open(f"sqlite:///{fresh}")
        jobs = import_paths(store, [dump]).inserted
        store.close()
        print(f"\nthrough a store: {jobs} jobs imported from {len(rows)} postings")
        for choice in embedders:
            embedder, enricher = loaded(choice, role_model, rows)
            print(f"embedder {embedder.version}")

            def embedding_here(store: Store, enricher: Enricher, embedder: TextEmbedder) -> int:
                return embedding_in_this_process(store, enricher, embedder, workers)

            rates: list[float] = []
            per_cpu: list[float] = []
            for label, run in (
                ("old path: one process, every job computed", old_enrich_store),
                ("enrich_store, then embeddings in this process", embedding_here),
                ("new path: enrich_store(embed=True)", None),
            ):
                copy = root / f"{choice}-{len(rates)}.db"
                shutil.copyfile(fresh, copy)
                store = Store.open(f"sqlite:///{copy}")
                start, cpu = time.perf_counter(), cpu_seconds()
                if run is None:
                    summary = enrich_store(store, enricher, embed=True, workers=workers)
                    done = summary.enriched
                else:
                    done = run(store, enricher, embedder)
                seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
                rates.append(done / seconds)
                per_cpu.append(done / cpu)
                ratio = f" ({rates[-1] / rates[0]:.2f}x the old path)" if len(rates) > 1 else ""
                cpu_ratio = f" ({per_cpu[-1] / per_cpu[0]:.2f}x)" if len(rates) > 1 else ""
                print(
                    f"  {label:<46} {rates[-1]:6.1f} postings/s{ratio:<22} "
                    f"{per_cpu[-1]:6.1f} a CPU-second{cpu_ratio:<8}, {cpu / seconds:.2f} cores busy"
                )
            # The new path's store, re-crawled: the same postings again, then re-posted.
            again = (("unchanged re-import", dump), ("every posting re-posted", reposts))
            for label, path in again:
                imported = import_paths(store, [path])
                start = time.perf_counter()
                summary = enrich_store(store, enricher, embed=True, workers=workers)
                seconds = time.perf_counter() - start
                print(
                    f"  then {label}: {imported.inserted} new jobs; enriched {summary.enriched} "
                    f"({summary.copied} copied), embedded {summary.embedded} "
                    f"({summary.copied_embeddings} copied) in {seconds:.2f} s"
                )
            store.close()


def new_path_alone(rows: list[dict[str, Any]], embedders: list[str], workers: int | None) -> None:
    """The new path on a fresh store, for each embedder: one line of JSON (``--baseline``)."""
    role_model = load_role_model()
    with tempfile.TemporaryDirectory(prefix="bench-enrich-") as scratch:
        dump = write_dump(Path(scratch) / "bench-postings", rows)
        fresh = Path(scratch) / "fresh.db"
        store = Store.open(f"sqlite:///{fresh}")
        import_paths(store, [dump])
        store.close()
        for choice in embedders:
            embedder, enricher = loaded(choice, role_model, rows)
            copy = Path(scratch) / f"{choice}.db"
            shutil.copyfile(fresh, copy)
            store = Store.open(f"sqlite:///{copy}")
            load = os.getloadavg()[0]
            start, cpu = time.perf_counter(), cpu_seconds()
            done = enrich_store(store, enricher, embed=True, workers=workers).enriched
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            store.close()
            line = {"embedder": choice, "postings": done, "per_s": done / seconds}
            line |= {"per_cpu_s": done / cpu, "load": (load + os.getloadavg()[0]) / 2}
            print(json.dumps(line), flush=True)


def against_baseline(revision: str, argv: list[str], rounds: int) -> None:
    """``new_path_alone`` on the code of git ``revision`` and on this tree, in turns."""
    root = Path(__file__).parents[1]
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-enrich-baseline-") as folder:
        archive = subprocess.run(
            ["git", "archive", revision, "src"], cwd=root, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        codes = ((f"baseline {revision}", Path(folder) / "src"), ("this tree", root / "src"))
        for round_ in range(1, rounds + 1):
            for label, src in codes:
                env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{root}"}
                command = [sys.executable, "-m", "bench.bench_enrich", *argv, "--new-path-alone"]
                done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
                printed = [line for line in done.stdout.splitlines() if line.startswith("{")]
                for line in map(json.loads, printed):
                    runs.setdefault((line["embedder"], label), []).append(line)
                    print(
                        f"round {round_}  {label:<18} {line['embedder']:<12} "
                        f"{line['per_s']:6.1f} postings/s  {line['per_cpu_s']:5.1f} a CPU-second"
                        f"  (load {line['load']:.1f})",
                        flush=True,
                    )
    for (embedder, label), lines in runs.items():
        if label == "this tree":
            before = runs[(embedder, codes[0][0])]

            def median(key: str, lines: list[dict[str, Any]]) -> float:
                return statistics.median(line[key] for line in lines)

            per_cpu, per_s = median("per_cpu_s", lines), median("per_s", lines)
            print(
                f"{embedder}: medians of {len(lines)} runs, this tree against {revision}: "
                f"{per_cpu:.1f} vs {median('per_cpu_s', before):.1f} a CPU-second "
                f"({per_cpu / median('per_cpu_s', before):.3f}x), "
                f"{per_s:.1f} vs {median('per_s', before):.1f} postings/s "
                f"({per_s / median('per_s', before):.3f}x)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--store", action="store_true", help="through a store, old and new path")
    parser.add_argument("--embedders", nargs="*", default=["static", "minilm"])
    parser.add_argument("--workers", type=int, default=None, help="new path (default: cores)")
    parser.add_argument("--baseline", metavar="REV", help="--store: the new path against REV's")
    parser.add_argument("--rounds", type=int, default=3, help="--baseline: runs of each")
    parser.add_argument("--new-path-alone", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.store and args.baseline:
        argv = ["--store", "--n", str(args.n), "--embedders", *args.embedders]
        argv += ["--workers", str(args.workers)] if args.workers else []
        against_baseline(args.baseline, argv, args.rounds)
        return
    rows = sample_rows(args.n)
    if not rows:
        raise SystemExit(f"no postings under {data_dir()} (set LEADBOARD_DATA_DIR)")
    if not args.new_path_alone:
        print(
            f"{len(rows)} postings from {len(DUMPS)} dumps, batches of {args.batch_size}, "
            f"{os.cpu_count()} CPUs"
        )
    if args.new_path_alone:
        new_path_alone(rows, args.embedders, args.workers)
    elif args.store:
        through_store(rows, args.embedders, args.workers)
    else:
        in_memory(rows, args.batch_size)


if __name__ == "__main__":
    main()
