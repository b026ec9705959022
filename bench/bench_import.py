"""Import throughput on the shared data, and the size of the store it makes.

Prints, in one process: reading the dumps alone (the baseline), normalising them, a full import into
a fresh SQLite store, and a second import of the same data (which must change nothing), as
postings/s and as ratios to the baseline, and the CPU time each took (this process): on a machine
shared with other work, postings a CPU-second is the steadier figure.

``--baseline REV`` first runs the same in a second process on the code of git revision ``REV``
(its ``src/`` exported to a temporary folder), so that old and new are measured in one run.

    .venv/bin/python -m bench.bench_import [PATH ...] [--database-url URL] [--baseline REV]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from leadboard.pipeline import import_paths, normalize_all
from leadboard.sources.base import Reject
from leadboard.sources.files import iter_dump_files, read_dump
from leadboard.store.repository import Store


def default_paths() -> list[Path]:
    data = Path(os.environ.get("LEADBOARD_DATA_DIR", Path(__file__).parents[2] / "shared" / "data"))
    return [data / "postings"]


def timed(label: str, work, baseline: float | None = None) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    count = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = count / seconds if seconds else float("inf")
    ratio = f"  ({seconds / baseline:.1f}× the read time)" if baseline else ""
    print(
        f"{label:<28} {count:>7} records  {seconds:7.1f} s  {rate:6.0f} /s  "
        f"CPU {cpu:6.1f} s  {count / cpu if cpu else 0:6.0f} /CPU-s{ratio}",
        flush=True,
    )
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
    args = parser.parse_args()
    if args.baseline:
        argv = [str(p) for p in args.paths]
        run_baseline(
            args.baseline,
            argv + (["--database-url", args.database_url] if args.database_url else []),
        )
    paths = args.paths or default_paths()
    files = [file for path in paths for file in iter_dump_files(path)]

    def read() -> int:
        return sum(1 for file in files for _ in read_dump(file))

    def normalise() -> int:
        items = (item for file in files for item in read_dump(file))
        return sum(1 for item in normalize_all(items) if not isinstance(item, Reject))

    with tempfile.TemporaryDirectory() as folder:
        db_file = Path(folder) / "leadboard.db"
        store = Store.open(args.database_url or f"sqlite:///{db_file}")
        summaries = []

        def load() -> int:
            summaries.append(import_paths(store, paths))
            return summaries[-1].read

        print(f"{len(files)} files under {', '.join(map(str, paths))}")
        baseline = timed("read dumps (baseline)", read)
        timed("read + normalise", normalise, baseline)
        timed("import into a fresh store", load, baseline)
        timed("import again (no changes)", load, baseline)
        first, second = summaries
        print(
            f"first import: {first.inserted} stored, {first.rejected} rejected, "
            f"{sum(first.duplicates.values())} duplicates {dict(first.duplicates)}"
        )
        print(
            f"second import: {second.inserted} new, {second.updated} updated, "
            f"{second.unchanged} unchanged"
        )
        stats = store.stats()
        print(
            f"store: {stats['jobs']} jobs, {stats['raw_postings']} raw postings, "
            f"{stats['clusters']} clusters"
        )
        if not args.database_url:
            size = sum(f.stat().st_size for f in Path(folder).glob("leadboard.db*"))
            print(f"SQLite store size: {size / 2**20:.1f} MiB")
        store.close()


if __name__ == "__main__":
    main()
