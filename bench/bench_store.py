"""Bytes a posting on disk, table by table: the newest layout against an older one (``--old``:
0009, the text twice, by default; 0008, before compression), on the same data in the same run.

Imports the shared dumps into a fresh SQLite store, enriches them (the rules and role model) and
embeds them (the static model: its vectors are MiniLM's size, 384 floats), measures every table
and index with SQLite's ``dbstat``, then copies the store, migrates the copy down to the old
revision (0009: the search documents hold the job's text again, an external-content FTS5 index
over them; 0008: raw JSON, both descriptions as text, float32 vectors), VACUUMs both and measures
the copy (0008 in 4 KB pages, as stores were before). The search's files beside a store (the
vector index…) count too.

    .venv/bin/python -m bench.bench_store [PATH ...] [--limit N] [--old 0009|0008]
    .venv/bin/python -m bench.bench_store --dictionaries STORE.db

``--dictionaries`` measures what a zstd dictionary per kind of record would save (docs §9, debt
12: none is shipped, as one trained on postings holds passages of them): trained on half the
jobs of an old-layout store (by a hash of the id; the store opened read-only), it prints the
bytes of the other half's records raw, compressed alone and compressed with the dictionary.
Nothing is written.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import zstandard

from bench.bench_import import default_paths
from leadboard.store import compact

DICT_SIZE = 64 * 1024
SAMPLES = 6000  # records a dictionary is trained on, at most
KINDS = ("payload", "description", "evidence")


# -- what dictionaries would save ------------------------------------------------------------


def _records(db: Path) -> dict[str, Callable[[], Iterator[tuple[str, bytes]]]]:
    """``kind -> (job id, record as compact.py compresses it)``, read from an old-layout store."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def payloads() -> Iterator[tuple[str, bytes]]:
        for job_id, payload in connection.execute("SELECT job_id, payload FROM raw_postings"):
            compact_json = json.dumps(
                json.loads(payload), ensure_ascii=False, separators=(",", ":")
            )
            yield job_id, compact_json.encode()

    def descriptions() -> Iterator[tuple[str, bytes]]:
        rows = connection.execute("SELECT id, description_html, description_text FROM jobs")
        for job_id, html, text in rows:
            yield job_id, compact.join_description(html, text).encode()

    def evidence() -> Iterator[tuple[str, bytes]]:
        for job_id, detail in connection.execute("SELECT job_id, detail FROM enrichments"):
            rest = compact.split_detail(json.loads(detail))[1]
            yield job_id, json.dumps(rest, ensure_ascii=False, separators=(",", ":")).encode()

    return {"payload": payloads, "description": descriptions, "evidence": evidence}


def _held_out(job_id: str) -> bool:
    return hashlib.sha256(job_id.encode()).digest()[0] % 2 == 1


def dictionaries(db: Path) -> None:
    """Train one dictionary a kind on half the jobs; print its effect on the other half."""
    for kind in KINDS:
        records = _records(db)[kind]
        train_on: list[bytes | bytearray | memoryview] = [
            record for job_id, record in records() if not _held_out(job_id)
        ]
        test_on = [record for job_id, record in records() if _held_out(job_id)]
        # fastcover with fixed parameters: one pass (searching k and d took many minutes)
        dictionary = zstandard.train_dictionary(
            DICT_SIZE, train_on[:SAMPLES], k=1024, d=8, level=19, threads=2
        )
        plain = zstandard.ZstdCompressor(level=compact.LEVEL)
        with_dictionary = zstandard.ZstdCompressor(level=compact.LEVEL, dict_data=dictionary)
        raw = sum(map(len, test_on)) / len(test_on)
        alone = sum(len(plain.compress(r)) for r in test_on) / len(test_on)
        trained = sum(len(with_dictionary.compress(r)) for r in test_on) / len(test_on)
        print(
            f"{kind:<12} trained on {len(train_on):>6}, held out {len(test_on):>6}: "
            f"{raw:6.0f} B raw, {alone:5.0f} zstd alone, {trained:5.0f} with the dictionary "
            f"({raw / trained:.1f}x; {raw / alone:.1f}x alone)"
        )


# -- measuring a store -----------------------------------------------------------------------

OLD_PAGE_SIZE = 4096  # SQLite's default, which every store had before 0009
GROUPS = ("jobs", "raw_postings", "enrichments", "embeddings")  # this benchmark's tables
SEARCH = ("search_documents", "search_tags", "search_fts")  # the search index's
OLD = "0009"  # the layout compared against by default: the job's text twice


def bytes_by_table(db: Path) -> dict[str, int]:
    """Bytes on disk of each table with its indexes (FTS5's shadow tables under ``search_fts``),
    and of the vector index files beside the store (``vectors``)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    owner = dict(connection.execute("SELECT name, tbl_name FROM sqlite_schema"))
    sizes: dict[str, int] = {}
    for name, size in connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)
        table = "search_fts" if table.startswith(("search_fts", "search_replaced")) else table
        table = table if table in GROUPS + SEARCH else "other"
        sizes[table] = sizes.get(table, 0) + size
    connection.close()
    sizes["files beside"] = sum(
        file.stat().st_size
        for path in _beside(db)
        for file in ([path] if path.is_file() else path.rglob("*"))
        if file.is_file()
    )
    return sizes


def _beside(db: Path) -> list[Path]:
    """What the search keeps beside a store (``leadboard.vectors.usearch``, ``….columns.npz``…)."""
    return [
        path
        for path in db.parent.iterdir()
        if path.name.startswith(f"{db.stem}.") and not path.name.startswith(db.name)
    ]


def vacuum(db: Path, page_size: int | None = None) -> None:
    """Rewrite ``db`` compactly (in pages of ``page_size``; default: its own)."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")  # a page size changes only outside WAL
    if page_size:
        connection.execute(f"PRAGMA page_size={page_size}")
    connection.execute("VACUUM")
    connection.close()


def old_layout(new: Path, old: Path, revision: str = OLD) -> float:
    """``new`` copied to ``old`` and migrated down to ``revision``; seconds."""
    from alembic import command
    from alembic.config import Config

    from leadboard.store.database import MIGRATIONS, make_engine

    shutil.copyfile(new, old)
    for path in _beside(new):  # the search's files: the same whatever the store's layout
        (shutil.copytree if path.is_dir() else shutil.copyfile)(path, old.parent / path.name)
    engine = make_engine(f"sqlite:///{old}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    start = time.perf_counter()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()
    return time.perf_counter() - start


def fresh_store(db: Path, paths: list[Path], limit: int | None) -> int:
    """Import the dumps (at most ``limit`` records a file), enrich, embed (the static model) and
    index them, as ``leadboard import`` does; returns the jobs stored."""
    from leadboard.pipeline import IngestSummary, import_paths, ingest, refresh_store
    from leadboard.sources.files import iter_dump_files, read_dump
    from leadboard.store.repository import Store
    from leadboard.store.snapshots import snapshot_of_path

    os.environ.setdefault("LEADBOARD_EMBEDDING_MODEL", "static")  # MiniLM's size, 50x faster
    store = Store.open(f"sqlite:///{db}")
    start = time.perf_counter()
    if limit is None:
        import_paths(store, paths)
    else:
        summary, index = IngestSummary(), store.duplicate_index()
        for file in (file for path in paths for file in iter_dump_files(path)):
            records = itertools.islice(read_dump(file), limit)
            snapshot = snapshot_of_path(file)
            ingest(
                store,
                records,
                summary,
                index=index,
                origin=str(file),
                from_dump=True,
                snapshot=snapshot,
            )
    print(f"imported in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    done = refresh_store(store, embeddings=True, say=lambda line: None)
    seconds = time.perf_counter() - start
    print(
        f"enriched {done.enriched}, embedded {done.embedded} ({done.embedding_model}) and "
        f"indexed in {seconds:.0f} s; problems: {done.problems or 'none'}",
        flush=True,
    )
    from leadboard.search.vectors import open_vector_index

    indexed = open_vector_index(store).sync(store, done.embedding_model or "")
    print(f"vector index beside the store: {indexed} vectors (the open postings')", flush=True)
    jobs = int(store.stats()["jobs"])
    store.close()
    return jobs


def report(jobs: int, old: dict[str, int], new: dict[str, int], revision: str = OLD) -> None:
    from leadboard.store.database import MIGRATIONS

    newest = max(path.name[:4] for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    print(f"\nbytes a posting on disk, {jobs} postings (tables with their indexes)")
    print(f"{'':<18} {f'old ({revision})':>11} {f'new ({newest})':>11} {'new/old':>8}")

    def line(name: str, before: int, after: int) -> None:
        ratio = f"{after / before:8.2f}" if before else ""
        print(f"{name:<18} {before / jobs:11.0f} {after / jobs:11.0f} {ratio}")

    for name in (*GROUPS, *SEARCH, "files beside", "other"):
        line(name, old.get(name, 0), new.get(name, 0))
    ours = [sum(sizes.get(name, 0) for name in GROUPS) for sizes in (old, new)]
    line("= store tables", *ours)
    line("= whole store", sum(old.values()), sum(new.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument(
        "--dictionaries", type=Path, metavar="STORE", help="what dictionaries would save"
    )
    parser.add_argument("--limit", type=int, help="import at most N records a dump file")
    parser.add_argument("--old", default=OLD, help="the revision to compare against (0009, 0008)")
    parser.add_argument(
        "--store",
        type=Path,
        help="measure a copy of this store (0008 or newer) instead of a fresh one",
    )
    args = parser.parse_args()
    if args.dictionaries:
        dictionaries(args.dictionaries)
        return
    with tempfile.TemporaryDirectory() as folder:
        new, old = Path(folder) / "new" / "leadboard.db", Path(folder) / "old" / "leadboard.db"
        new.parent.mkdir()
        old.parent.mkdir()
        if args.store:
            from leadboard.store.database import make_engine, migrate

            shutil.copyfile(args.store, new)
            start = time.perf_counter()
            engine = make_engine(f"sqlite:///{new}")
            migrate(engine)  # to the newest (and 16 KB pages): what Store.open does
            engine.dispose()
            print(
                f"{args.store} migrated to the newest layout in {time.perf_counter() - start:.0f} s"
            )
            with closing(sqlite3.connect(new)) as connection:  # closed before the VACUUM
                jobs = connection.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
        else:
            jobs = fresh_store(new, args.paths or default_paths(), args.limit)
        vacuum(new)
        seconds = old_layout(new, old, args.old)
        print(f"copy migrated down to the old layout ({args.old}) in {seconds:.0f} s", flush=True)
        vacuum(old, OLD_PAGE_SIZE if args.old < "0009" else None)
        report(jobs, bytes_by_table(old), bytes_by_table(new), args.old)


if __name__ == "__main__":
    main()
