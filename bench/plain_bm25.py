"""The plain baseline issue 13 measures Leadboard against: SQLite FTS5 BM25, title x5 + body.

The query's words are OR-ed (any of them may match) and ranked by FTS5's own ``bm25()`` with the
title weighted 5 and the description 1: no chips, no filters, no spelling, no vectors, no
freshness — a ten-line search anyone could write. It reads the store's jobs through
``Store.list_jobs`` (one job a duplicate cluster, closed and stale ones included, as the bench's
other systems search) into a throwaway FTS5 table in a temporary SQLite file.

>>> bm25 = PlainBM25([
...     ("a", "Machine Learning Manager", "Lead a team of ML engineers."),
...     ("b", "Backend Engineer", "Go services; some machine learning."),
...     ("c", "Chef", "Cook."),
... ])
>>> bm25.search("machine learning manager", 10)
['a', 'b']
>>> bm25.search("$250k+ !!", 10)  # punctuation is no syntax: only the words count
[]
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from leadboard.store.repository import JobFilters, Store
from leadboard.store.schema import Job

TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token


class PlainBM25:
    """An FTS5 index of ``(job id, title, body)`` rows, searched with OR-ed words."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="plain-bm25-")
        self._db = sqlite3.connect(Path(self._folder.name) / "bm25.db")
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(job_id UNINDEXED, title, body)")
        with self._db:
            self._db.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)

    @classmethod
    def from_store(cls, store: Store) -> PlainBM25:
        """Every job a listing would show (one per duplicate cluster), closed ones included."""
        return cls((job.id, job.title, job.description_text) for job in _all_jobs(store))

    def search(self, query: str, depth: int) -> list[str]:
        """The ids of the ``depth`` best jobs having any of the query's words, best first."""
        words = _WORD.findall(query.lower())
        if not words:
            return []
        match = " OR ".join(f'"{word}"' for word in dict.fromkeys(words))
        rows = self._db.execute(
            "SELECT job_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, ?, ?) LIMIT ?",
            (match, TITLE_WEIGHT, BODY_WEIGHT, depth),
        )
        return [job_id for (job_id,) in rows]

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


def _all_jobs(store: Store, page: int = 5000) -> Iterator[Job]:
    filters = JobFilters(include_closed=True)
    offset = 0
    while batch := store.list_jobs(filters, limit=page, offset=offset):
        yield from batch
        offset += len(batch)
