"""Bytes a posting on disk, table by table: the compact layout (migration 0009) against the old
one (0008), on the same data in the same run.

Imports the shared dumps into a fresh SQLite store, enriches them (the rules and role model) and
embeds them (the static model: its vectors are MiniLM's size, 384 floats), measures every table
and index with SQLite's ``dbstat``, then copies the store, migrates the copy down to 0008 (the
old layout: raw JSON, both descriptions as text, float32 vectors), VACUUMs both and measures the
copy. Vector index files beside a store count too.

    .venv/bin/python -m bench.bench_store [PATH ...] [--limit N]
    .venv/bin/python -m bench.bench_store --train STORE.db   # the zstd dictionaries

``--train`` makes the dictionaries ``store/compact.py`` ships, from a store's records (the bench
store: ``/work/benchstore/leadboard.db``, opened read-only): trained on half the jobs (by a hash
of the id), it prints what they save on the other half.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import zstandard

from leadboard.store import compact

DICT_SIZE = 64 * 1024
SAMPLES = 6000  # records a dictionary is trained on, at most
VERSION = 1  # of the dictionaries: bump to train new ones (old ones stay for old stores)


# -- training the dictionaries ---------------------------------------------------------------


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


def train(db: Path) -> None:
    """Train one dictionary a kind on half the jobs; print its effect on the other half."""
    for number, kind in enumerate(compact.KINDS):
        records = _records(db)[kind]
        train_on: list[bytes | bytearray | memoryview] = [
            record for job_id, record in records() if not _held_out(job_id)
        ]
        test_on = [record for job_id, record in records() if _held_out(job_id)]
        dict_id = compact.DICT_IDS + 256 * number + VERSION
        # fastcover with fixed parameters: one pass (searching k and d took many minutes)
        dictionary = zstandard.train_dictionary(
            DICT_SIZE, train_on[:SAMPLES], dict_id=dict_id, k=1024, d=8, level=19, threads=2
        )
        path = compact.DATA / f"zstd-{kind}-{dict_id}.dict"
        path.write_bytes(dictionary.as_bytes())
        plain = zstandard.ZstdCompressor(level=compact.LEVEL)
        with_dictionary = zstandard.ZstdCompressor(level=compact.LEVEL, dict_data=dictionary)
        raw = sum(map(len, test_on)) / len(test_on)
        alone = sum(len(plain.compress(r)) for r in test_on) / len(test_on)
        trained = sum(len(with_dictionary.compress(r)) for r in test_on) / len(test_on)
        print(
            f"{kind:<12} trained on {len(train_on):>6}, held out {len(test_on):>6}: "
            f"{raw:6.0f} B raw, {alone:5.0f} zstd alone, {trained:5.0f} with the dictionary "
            f"({raw / trained:.1f}x)  -> {path.name}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--train", type=Path, metavar="STORE", help="make the dictionaries")
    parser.add_argument("--limit", type=int, help="import at most N records a dump file")
    args = parser.parse_args()
    if args.train:
        train(args.train)
        return


if __name__ == "__main__":
    main()
