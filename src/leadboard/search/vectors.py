"""The vector index of search documents: nearest neighbours of a query embedding.

Two engines behind one small interface (``sync``, ``nearest``):

- SQLite: a `sqlite-vec <https://github.com/asg017/sqlite-vec>`_ ``vec0`` table (cosine
  distance). Python's own ``sqlite3`` cannot load extensions, so this index opens its own file
  through ``apsw``: ``<store>.vectors.db`` beside the store's SQLite file. It is derived data —
  rebuilt from the ``embeddings`` table whenever it is missing or stale.
- PostgreSQL: a ``job_vectors`` table with a pgvector ``vector(384)`` column and an HNSW index,
  in the store's own database (``CREATE EXTENSION vector`` must be allowed there).

Only open documents with an embedding of the current model are indexed; the index remembers each
one's content hash, so ``sync`` writes only what changed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from leadboard.enrich.embeddings import EMBEDDING_DIM
from leadboard.store.repository import Store
from leadboard.store.schema import Job, JobEmbedding, SearchDocument

BATCH = 1000


class VectorIndexUnavailable(RuntimeError):
    """The vector engine cannot run here (extension missing, no permission, in-memory store)."""


class VectorIndex(Protocol):
    def sync(self, store: Store, model: str) -> int:
        """Index the open documents' current embeddings by ``model``; drop the rest."""
        ...

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """``(document id, cosine similarity)`` of the ``k`` nearest documents, nearest first."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...


def open_vector_index(store: Store) -> VectorIndex:
    """The store's vector index (raises :class:`VectorIndexUnavailable` where there is none)."""
    if store.engine.dialect.name == "postgresql":
        return PgVectorIndex(store)
    database = make_url(str(store.engine.url)).database
    if not database or database == ":memory:":
        raise VectorIndexUnavailable("an in-memory store has no vector index")
    return SqliteVecIndex(Path(database).with_suffix(".vectors.db"))


def _wanted(store: Store, model: str) -> dict[int, tuple[str, bytes]]:
    """document id → (content hash, vector bytes) of what the index should hold."""
    query = (
        select(SearchDocument.id, JobEmbedding.content_hash, JobEmbedding.vector)
        .join(Job, Job.id == SearchDocument.job_id)
        .join(JobEmbedding, JobEmbedding.job_id == Job.id)
        .where(
            SearchDocument.is_open,
            JobEmbedding.model == model,
            JobEmbedding.content_hash == Job.content_hash,
        )
    )
    with Session(store.engine) as session:
        return {doc_id: (digest, vector) for doc_id, digest, vector in session.execute(query)}


def _stale(
    have: dict[int, tuple[str, str]], wanted: dict[int, tuple[str, bytes]], model: str
) -> list[int]:
    """Indexed documents to drop: gone, changed, or embedded by another model."""
    return [
        doc_id
        for doc_id, (digest, indexed_model) in have.items()
        if doc_id not in wanted or wanted[doc_id][0] != digest or indexed_model != model
    ]


class SqliteVecIndex:
    """sqlite-vec in its own file, through apsw (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        try:
            import apsw
            import sqlite_vec
        except ImportError as error:  # pragma: no cover - both are dependencies
            raise VectorIndexUnavailable(
                f"sqlite-vec needs apsw and sqlite-vec: {error}"
            ) from error
        self.path = path
        # One apsw connection refuses to be used by two threads at once (the web app serves
        # requests from a thread pool): every use takes this lock.
        self.lock = threading.Lock()
        self.connection = apsw.Connection(str(path))
        self.connection.enable_load_extension(True)
        self.connection.load_extension(sqlite_vec.loadable_path())
        self.connection.enable_load_extension(False)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS vec_documents USING vec0("
            f"document_id INTEGER PRIMARY KEY, embedding float[{EMBEDDING_DIM}] "
            "distance_metric=cosine)"
        )
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS indexed (document_id INTEGER PRIMARY KEY, "
            "content_hash TEXT NOT NULL, model TEXT NOT NULL)"
        )

    def sync(self, store: Store, model: str) -> int:
        wanted = _wanted(store, model)
        with self.lock:
            return self._sync(wanted, model)

    def _sync(self, wanted: dict[int, tuple[str, bytes]], model: str) -> int:
        have = {
            doc_id: (digest, indexed_model)
            for doc_id, digest, indexed_model in self.connection.execute(
                "SELECT document_id, content_hash, model FROM indexed"
            )
        }
        stale = _stale(have, wanted, model)
        stale_set = set(stale)
        new = [doc_id for doc_id in wanted if doc_id not in have or doc_id in stale_set]
        with self.connection:  # one transaction
            for doc_id in stale:
                self.connection.execute(
                    "DELETE FROM vec_documents WHERE document_id = ?", (doc_id,)
                )
                self.connection.execute("DELETE FROM indexed WHERE document_id = ?", (doc_id,))
            for doc_id in new:
                digest, vector = wanted[doc_id]
                self.connection.execute(
                    "INSERT INTO vec_documents(document_id, embedding) VALUES (?, ?)",
                    (doc_id, vector),
                )
                self.connection.execute(
                    "INSERT INTO indexed(document_id, content_hash, model) VALUES (?, ?, ?)",
                    (doc_id, digest, model),
                )
        return len(new)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self.lock:
            rows = self.connection.execute(
                "SELECT document_id, distance FROM vec_documents WHERE embedding MATCH ? "
                "AND k = ? ORDER BY distance",
                (np.asarray(vector, dtype="<f4").tobytes(), int(k)),
            )
            return [(int(doc_id), 1.0 - float(distance)) for doc_id, distance in rows]

    def count(self) -> int:
        with self.lock:
            return int(next(iter(self.connection.execute("SELECT count(*) FROM indexed")))[0])


class PgVectorIndex:
    """pgvector in the store's PostgreSQL database (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        try:
            with self.engine.begin() as connection:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
                connection.execute(
                    text(
                        "CREATE TABLE IF NOT EXISTS job_vectors (document_id integer PRIMARY "
                        f"KEY, content_hash text NOT NULL, model text NOT NULL, embedding "
                        f"vector({EMBEDDING_DIM}) NOT NULL)"
                    )
                )
                connection.execute(
                    text(
                        "CREATE INDEX IF NOT EXISTS ix_job_vectors_hnsw ON job_vectors "
                        "USING hnsw (embedding vector_cosine_ops)"
                    )
                )
        except Exception as error:  # noqa: BLE001 - said plainly; search goes on without it
            raise VectorIndexUnavailable(f"pgvector is not available: {error}") from error

    def sync(self, store: Store, model: str) -> int:
        wanted = _wanted(store, model)
        with self.engine.begin() as connection:
            have = {
                doc_id: (digest, m)
                for doc_id, digest, m in connection.execute(
                    text("SELECT document_id, content_hash, model FROM job_vectors")
                )
            }
            stale = _stale(have, wanted, model)
            if stale:
                connection.execute(
                    text("DELETE FROM job_vectors WHERE document_id = ANY(:ids)"), {"ids": stale}
                )
            stale_set = set(stale)
            new = [doc_id for doc_id in wanted if doc_id not in have or doc_id in stale_set]
            for start in range(0, len(new), BATCH):
                connection.execute(
                    text(
                        "INSERT INTO job_vectors (document_id, content_hash, model, embedding) "
                        "VALUES (:id, :digest, :model, CAST(:embedding AS vector))"
                    ),
                    [
                        {
                            "id": doc_id,
                            "digest": wanted[doc_id][0],
                            "model": model,
                            "embedding": _pg_literal(wanted[doc_id][1]),
                        }
                        for doc_id in new[start : start + BATCH]
                    ],  # fmt: skip
                )
        return len(new)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self.engine.connect() as connection:
            # SET takes no bind parameters; the value is an int we made.
            connection.execute(text(f"SET LOCAL hnsw.ef_search = {min(1000, max(40, int(k)))}"))
            rows = connection.execute(
                text(
                    "SELECT document_id, embedding <=> CAST(:q AS vector) AS distance "
                    "FROM job_vectors ORDER BY distance LIMIT :k"
                ),
                {"q": _pg_literal(np.asarray(vector, dtype="<f4").tobytes()), "k": int(k)},
            )
            return [(int(doc_id), 1.0 - float(distance)) for doc_id, distance in rows]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM job_vectors")).scalar_one())


def _pg_literal(vector: bytes | Sequence[float]) -> str:
    values = np.frombuffer(vector, dtype="<f4") if isinstance(vector, bytes) else vector
    return "[" + ",".join(f"{float(v):.7g}" for v in values) + "]"
