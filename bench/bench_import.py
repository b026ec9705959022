"""Import throughput on the shared data, and the size of the store it makes.

Prints, in one process: reading the dumps alone (the baseline), normalising them, then for each
number of worker processes (``--workers 1,2``) a full import into a fresh SQLite store and a
second import of the same data (which must change nothing): postings/s wall, and postings a
CPU-second counting the workers' CPU with this process's. On a machine shared with other work
the CPU-second figure is the steadier one; from it and this process's own share (the reading,
duplicate finding and writing no worker can take) comes what two free cores would give.

``--baseline REV`` first runs the same in a second process on the code of git revision ``REV``
(its ``src/`` exported to a temporary folder), so that old and new are measured in one run; code
whose ``import_paths`` has no workers is measured in one process.

    .venv/bin/python -m bench.bench_import [PATH ...] [--database-url URL] [--baseline REV]
        [--workers 1,2]
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from leadboard.pipeline import IngestSummary, import_paths, normalize_all
from leadboard.sources.base import Reject
from leadboard.sources.files import iter_dump_files, read_dump
from leadboard.store.repository import Store

FREE_CORES = 2


def default_paths() -> list[Path]:
    data = Path(os.environ.get("LEADBOARD_DATA_DIR", Path(__file__).parents[2] / "shared" / "data"))
    return [data / "postings"]


def cpu_seconds() -> tuple[float, float]:
    """CPU time of this process, and of its children that have ended (the workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(label: str, work: Callable[[], int], baseline: float | None = None) -> float:
    start, (own, children) = time.perf_counter(), cpu_seconds()
    count = work()
    seconds = time.perf_counter() - start
    own_after, children_after = cpu_seconds()
    own, children = own_after - own, children_after - children
    cpu = own + children
    rate = count / seconds if seconds else float("inf")
    ratio = f"  ({seconds / baseline:.1f}× the read time)" if baseline else ""
    workers = f" (workers {children:5.1f})" if children else " " * 16
    print(
        f"{label:<40} {count:>7} records  {seconds:7.1f} s  {rate:6.0f} /s  "
        f"CPU {cpu:6.1f} s{workers}  {count / cpu if cpu else 0:6.0f} /CPU-s{ratio}",
        flush=True,
    )
    if children:  # the parent's part is serial; the rest spreads over the cores
        free = min(FREE_CORES * count / cpu, count / own)
        print(f"{'':<40} on {FREE_CORES} free cores: ≈{free:.0f} /s", flush=True)
    return seconds


def run_baseline(revision: str, argv: list[str]) -> None:
    """This benchmark, in another process, on the ``src/`` of git ``revision``."""
    root = Path(__file__).parents[1]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", revision, "src"], cwd=root, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": f"{folder}/src{os.pathsep}{root}"}
        print(f"--- baseline: the code of {revision} ---", flush=True)
        subprocess.run([sys.executable, "-m", "bench.bench_import", *argv], env=env, check=True)
    print("--- this working tree ---", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp folder")
    parser.add_argument("--baseline", metavar="REV", help="first measure git revision REV")
    parser.add_argument("--workers", default="1,2", help="worker processes to import with")
    args = parser.parse_args()
    if args.baseline:
        argv = [str(p) for p in args.paths]
        run_baseline(
            args.baseline,
            argv + (["--database-url", args.database_url] if args.database_url else []),
        )
    paths = args.paths or default_paths()
    files = [file for path in paths for file in iter_dump_files(path)]
    has_workers = "workers" in inspect.signature(import_paths).parameters
    counts = [int(n) for n in args.workers.split(",")] if has_workers else [0]
    print(f"{len(files)} files under {', '.join(map(str, paths))}; load {os.getloadavg()}")

    def read() -> int:
        return sum(1 for file in files for _ in read_dump(file))

    def normalise() -> int:
        items = (item for file in files for item in read_dump(file))
        return sum(1 for item in normalize_all(items) if not isinstance(item, Reject))

    baseline = timed("read dumps (baseline)", read)
    timed("read + normalise", normalise, baseline)
    for workers in counts:
        with tempfile.TemporaryDirectory() as folder:
            db_file = Path(folder) / "leadboard.db"
            store = Store.open(args.database_url or f"sqlite:///{db_file}")
            summaries: list[IngestSummary] = []
            named = f"{workers} worker{'s' * (workers > 1)}" if workers else "one process"

            def load(
                store: Store = store, workers: int = workers, done: list[IngestSummary] = summaries
            ) -> int:
                # workers=0: code from before the workers (--baseline), one process
                done.append(
                    import_paths(store, paths, workers=workers)
                    if workers
                    else import_paths(store, paths)
                )
                return done[-1].read

            timed(f"import, fresh store, {named}", load, baseline)
            timed(f"import again (no changes), {named}", load, baseline)
            first, second = summaries
            print(
                f"  first import: {first.inserted} stored, {first.rejected} rejected, "
                f"{sum(first.duplicates.values())} duplicates {dict(first.duplicates)}; "
                f"second: {second.inserted} new, {second.updated} updated, "
                f"{second.unchanged} unchanged"
            )
            stats = store.stats()
            size = ""
            if not args.database_url:
                mib = sum(f.stat().st_size for f in Path(folder).glob("leadboard.db*")) / 2**20
                size = f", SQLite {mib:.1f} MiB"
            print(
                f"  store: {stats['jobs']} jobs, {stats['raw_postings']} raw postings, "
                f"{stats['clusters']} clusters{size}"
            )
            store.close()
            if args.database_url:
                break  # one store at that URL: a second fresh import would find it full
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
