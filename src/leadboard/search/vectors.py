"""The vector index of search documents: nearest neighbours of a query embedding.

Two engines behind one small interface (``sync``, ``nearest``, ``count``):

- SQLite: a `USearch <https://github.com/unum-cloud/usearch>`_ HNSW graph (cosine, half-precision
  vectors) in ``<store>.vectors.usearch`` beside the store's SQLite file, with
  ``<store>.vectors.npz`` remembering which content each document was indexed from. It is derived
  data: rebuilt from the ``embeddings`` table whenever it is missing, unreadable or stale. (The
  first version used sqlite-vec; its 0.1.x releases scan every vector — 43 ms a query at 27k
  documents, ~150 ms at 100k — where this graph answers in a few; ``bench/bench_vectors.py``
  measures both.)
- PostgreSQL: the ``job_vectors`` table (pgvector; made by migration 0006 where the server has
  the extension) with an HNSW index per vector dimension, made by the first ``sync`` that writes
  vectors of that dimension (a partial index over ``embedding::vector(n)``): the dimension is the
  embedding model's, read from the vectors, not fixed by the schema.

Only open documents with an embedding of the current model are indexed
(``SearchDocuments.vectors_to_index``); the index remembers each one's content hash, so ``sync``
writes only what changed. This module and ``search/documents.py`` are the only code of
``search/`` that speaks SQL: this one to ``job_vectors`` alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sqlalchemy import text

from leadboard.search.columns import beside_store
from leadboard.search.documents import SearchDocuments, StoredVector
from leadboard.store.repository import Store

BATCH = 1000
EXACT_BELOW = 5000  # vectors: an index this small is scanned rather than walked
EXPANSION_SEARCH = 128  # graph search breadth; recall@300 ~0.96 against exact (bench_vectors)


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
    path = beside_store(store, ".vectors.usearch")
    if path is None:
        raise VectorIndexUnavailable("an in-memory store has no vector index")
    return HnswIndex(path)


def _dimensions(wanted: dict[int, StoredVector]) -> int | None:
    """How many floats the wanted vectors have (None when there are none)."""
    first = next(iter(wanted.values()), None)
    return len(first[1]) // 4 if first is not None else None


def _stale(
    have: dict[int, tuple[str, str]], wanted: dict[int, StoredVector], model: str
) -> list[int]:
    """Indexed documents to drop: gone, changed, or embedded by another model."""
    return [
        doc_id
        for doc_id, (digest, indexed_model) in have.items()
        if doc_id not in wanted or wanted[doc_id][0] != digest or indexed_model != model
    ]


class Held:
    """What a graph holds: its document ids (ascending), each one's content hash and the model
    it was embedded by (a code into ``names``). Arrays, not a dict: at a million documents a
    dict of hashes took ~0.5 GB for as long as the server ran, and ~3 s of CPU to read at each
    start; these take ~80 MB, read only while a sync compares them.

    >>> held = Held.wanted(np.array([7, 3]), np.array([b"b", b"a"]), "m")
    >>> held.ids.tolist(), held.digests.tolist(), held.size
    ([3, 7], [b'a', b'b'], 2)
    """

    def __init__(
        self, ids: np.ndarray, digests: np.ndarray, models: np.ndarray, names: list[str]
    ) -> None:
        self.ids, self.digests, self.models, self.names = ids, digests, models, names
        self.size = len(ids)

    @classmethod
    def wanted(cls, ids: np.ndarray, digests: np.ndarray, model: str) -> Held:
        """Documents (any order) as held once their ``model`` embeddings of these content
        hashes are indexed."""
        order = np.argsort(ids, kind="stable")
        return cls(ids[order], digests[order], np.zeros(len(ids), dtype=np.int32), [model])

    def part(self, which: np.ndarray) -> Held:
        return Held(self.ids[which], self.digests[which], self.models[which], self.names)

    def code(self, model: str) -> int:
        """``model``'s code (-1: no document is held as embedded by it)."""
        return self.names.index(model) if model in self.names else -1

    @classmethod
    def empty(cls) -> Held:
        return cls(np.zeros(0, np.int64), np.zeros(0, "S1"), np.zeros(0, np.int32), [])

    def kept(self, wanted: Held) -> np.ndarray:
        """Whether each held document is still wanted as it is held (``wanted`` of one model)."""
        if not wanted.size:
            return np.zeros(self.size, dtype=bool)
        at = np.minimum(np.searchsorted(wanted.ids, self.ids), wanted.size - 1)
        return (
            (wanted.ids[at] == self.ids)
            & (wanted.digests[at] == self.digests)
            & (self.models == self.code(wanted.names[0]))
        )

    def merged(self, keep: np.ndarray, added: Held) -> Held:
        """The documents ``keep`` says, and ``added`` (none of them among those kept)."""
        names = list(dict.fromkeys(self.names + added.names))
        recode = np.array([names.index(name) for name in added.names], dtype=np.int32)
        ids = np.concatenate([self.ids[keep], added.ids])
        order = np.argsort(ids, kind="stable")
        digests = np.concatenate([self.digests[keep], added.digests])  # the wider's width
        models = np.concatenate([self.models[keep], recode[added.models]])
        return Held(ids[order], digests[order], models[order], names)

    def save(self, path: Path) -> None:
        with path.open("wb") as out:
            np.savez(
                out,
                allow_pickle=False,
                ids=self.ids,
                digests=self.digests,
                models=self.models,
                names=np.array(self.names, dtype=np.str_),
            )

    @classmethod
    def load(cls, path: Path) -> Held:
        with np.load(path, allow_pickle=False) as saved:
            names = [str(name) for name in saved["names"]]
            return cls(saved["ids"], saved["digests"], saved["models"], names)

    @classmethod
    def from_json(cls, path: Path) -> Held:
        """The bookkeeping as versions before these arrays kept it (a JSON dict of hashes)."""
        hashes = json.loads(path.read_text())["hashes"]
        names = list(dict.fromkeys(model for _, model in hashes.values()))
        codes = {name: code for code, name in enumerate(names)}
        ids = np.fromiter((int(k) for k in hashes), dtype=np.int64, count=len(hashes))
        digests = np.array([digest for digest, _ in hashes.values()], dtype=np.bytes_)
        models = np.fromiter(
            (codes[model] for _, model in hashes.values()), dtype=np.int32, count=len(hashes)
        )
        order = np.argsort(ids, kind="stable")
        return cls(ids[order], digests[order], models[order], names)


class HnswIndex:
    """A USearch HNSW graph in files beside the SQLite store (see the module docstring).

    The saved graph is mapped in (``Index.view``), not read: at a million documents it is ~0.9
    GB, and a search touches a few of its pages. Its bookkeeping (:class:`Held`, in
    ``<graph>.npz``; versions before kept ``<graph>.json``, read where it is the newer) is read
    by each ``sync``, and the graph read into memory only when a sync changes it."""

    def __init__(self, path: Path) -> None:
        self.path = path  # the graph; its bookkeeping is the same name with ``.npz``
        self.held_path = path.with_suffix(".npz")
        self.json_path = path.with_suffix(".json")  # the bookkeeping of versions before
        self.lock = threading.RLock()  # one sync at a time; searches run side by side
        self.index: Any = None  # made at the first sync, of the vectors' dimension
        self.mapped = False  # whether ``index`` is the saved file mapped in (read-only)
        try:
            from usearch.index import Index

            header = Index.metadata(str(path))
            if header is None or not (self.held_path.is_file() or self.json_path.is_file()):
                raise ValueError("not a graph")
            self.index = self._new(int(header["dimensions"]))
            self.index.view(str(path))
            self.mapped = True
        except (OSError, ValueError, KeyError, RuntimeError, TypeError):
            # Missing or damaged: start empty; the next sync fills it from the embeddings.
            self.index = None

    def held(self) -> Held:
        """What the graph holds, as last saved; a graph its bookkeeping disagrees with is
        dropped (the sync builds it again). Bookkeeping only in the JSON of a version before
        is written as arrays once, so that the next start reads those."""
        with self.lock:
            if self.index is None:
                return Held.empty()
            try:
                if _newer(self.json_path, self.held_path):
                    held = Held.from_json(self.json_path)
                    if len(self.index) == held.size:
                        with contextlib.suppress(OSError):  # else read again next time
                            _replace(self.held_path, held.save)
                else:
                    held = Held.load(self.held_path)
                if len(self.index) != held.size:
                    raise ValueError("the graph and its bookkeeping disagree")
            except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile):
                self.index, self.mapped = None, False
                return Held.empty()
            return held

    @staticmethod
    def _new(dimensions: int) -> Any:
        from usearch.index import Index

        return Index(
            ndim=dimensions,
            metric="cos",
            dtype="f16",
            connectivity=16,
            expansion_add=128,
            expansion_search=EXPANSION_SEARCH,
        )

    def sync(self, store: Store, model: str) -> int:
        documents = SearchDocuments(store)
        # The hashes say what changed; only the vectors to add are read (a million: 1.5 GB).
        wanted = Held.wanted(*documents.vector_hashes(model), model)
        with self.lock:
            return self._sync(wanted, documents.vectors_of)

    def _sync(self, wanted: Held, read: Callable[[Sequence[int]], dict[int, bytes]]) -> int:
        """Make the graph hold ``wanted`` (of one model), their vectors read by ``read``
        (document ids → vectors) a batch at a time."""

        def vectors(chunk: Sequence[int]) -> bytes:
            found = read(chunk)
            return b"".join(found[i] for i in chunk)

        held = self.held()  # first: a graph its bookkeeping disagrees with is dropped
        first = int(wanted.ids[0]) if wanted.size else None
        dimensions = len(vectors([first])) // 4 if first is not None else None
        if dimensions is not None and (self.index is None or self.index.ndim != dimensions):
            # A first graph, or a model of another size: every vector goes into a new one.
            self.index, held, self.mapped = self._new(dimensions), Held.empty(), False
        keep = held.kept(wanted)
        stale = held.ids[~keep]
        unheld = ~np.isin(wanted.ids, held.ids[keep])
        new = wanted.ids[unheld].tolist()
        if not len(stale) and not new:
            return 0
        if self.mapped:  # a mapped graph is read-only: read it in to change it
            index = self._new(self.index.ndim)
            index.load(str(self.path))
            self.index, self.mapped = index, False
        if len(stale):
            self.index.remove(stale.astype(np.uint64))
        for start in range(0, len(new), BATCH * 10):
            chunk = new[start : start + BATCH * 10]
            matrix = np.frombuffer(vectors(chunk), dtype="<f4")
            self.index.add(np.array(chunk, dtype=np.uint64), matrix.reshape(len(chunk), -1))
        self._save(held.merged(keep, wanted.part(unheld)))
        return len(new)

    def _save(self, held: Held) -> None:
        """Write the graph, then its bookkeeping, each to a new file renamed into place; an
        older version's bookkeeping goes (it no longer says what the graph holds)."""
        _replace(self.path, lambda partial: self.index.save(str(partial)))
        _replace(self.held_path, held.save)
        self.json_path.unlink(missing_ok=True)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.index is None or not len(self.index) or self.index.ndim != len(vector):
            return []
        # The graph walk is approximate (~0.96 of the exact 300 nearest, bench_vectors.py); a
        # small index is scanned exactly instead: as fast, and it never misses.
        exact = len(self.index) <= EXACT_BELOW
        found = self.index.search(np.asarray(vector, dtype="<f4"), int(k), exact=exact)
        return [
            (int(key), 1.0 - float(distance))
            for key, distance in zip(found.keys, found.distances, strict=True)
        ]

    def count(self) -> int:
        return len(self.index) if self.index is not None else 0


class PgVectorIndex:
    """pgvector in the store's PostgreSQL database (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        with self.engine.connect() as connection:
            made = connection.execute(text("SELECT to_regclass('job_vectors')")).scalar()
        if made is None:
            raise VectorIndexUnavailable(
                "pgvector is not available: this PostgreSQL server had no `vector` extension "
                "(or no right to create it) when the store was migrated (migration 0006)"
            )

    def sync(self, store: Store, model: str) -> int:
        wanted = SearchDocuments(store).vectors_to_index(model)
        dimensions = _dimensions(wanted)
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
            if new and dimensions is not None:
                # The graph of this dimension, made once; the column itself has none.
                connection.execute(
                    text(
                        f"CREATE INDEX IF NOT EXISTS ix_job_vectors_hnsw_{dimensions} "
                        f"ON job_vectors USING hnsw ((embedding::vector({dimensions})) "
                        f"vector_cosine_ops) WHERE vector_dims(embedding) = {dimensions}"
                    )
                )
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
                    ],
                )
        return len(new)

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        dimensions = len(vector)  # an int we count: safe in the statement, as the index has it
        with self.engine.connect() as connection:
            # SET takes no bind parameters; the value is an int we made.
            connection.execute(text(f"SET LOCAL hnsw.ef_search = {min(1000, max(40, int(k)))}"))
            rows = connection.execute(
                text(
                    f"SELECT document_id, (embedding::vector({dimensions})) "
                    f"<=> CAST(:q AS vector({dimensions})) AS distance FROM job_vectors "
                    f"WHERE vector_dims(embedding) = {dimensions} ORDER BY distance LIMIT :k"
                ),
                {"q": _pg_literal(np.asarray(vector, dtype="<f4").tobytes()), "k": int(k)},
            )
            return [(int(doc_id), 1.0 - float(distance)) for doc_id, distance in rows]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM job_vectors")).scalar_one())


def _newer(path: Path, than: Path) -> bool:
    """Whether ``path`` is there and ``than`` is not, or is older."""
    if not path.is_file():
        return False
    return not than.is_file() or path.stat().st_mtime_ns > than.stat().st_mtime_ns


def _replace(path: Path, write: Callable[[Path], None]) -> None:
    """``write`` to a new file beside ``path``, moved into place: a reader sees one or the other."""
    partial = path.with_name(path.name + ".tmp")
    write(partial)
    os.replace(partial, path)


def _pg_literal(vector: bytes | Sequence[float]) -> str:
    values = np.frombuffer(vector, dtype="<f4") if isinstance(vector, bytes) else vector
    return "[" + ",".join(f"{float(v):.7g}" for v in values) + "]"
