"""Search quality and speed on the real corpus, in one process: BM25 alone, vectors alone, hybrid.

Needs a store with the shared data imported and embedded (``leadboard import ../shared/data/postings
&& leadboard enrich``); point ``LEADBOARD_HOME`` (or ``LEADBOARD_DATABASE_URL``) at it.

    python -m bench.bench_search relevance        # nDCG@10, recall@50 on bench/relevance/
    python -m bench.bench_search latency [--scale 100000] [--postgres] [--no-sqlite]  # p50/p95
    python -m bench.bench_search pool --out DIR [--ids q33 …] [--systems ranker …]  # to judge
    python -m bench.bench_search train-ranker [--folds 4]  # CV, then trained on the tune queries

Relevance: ``bench/relevance/queries.jsonl`` (64 queries a senior ML person types, each in the
``tune`` or the ``heldout`` split) and ``judgments.jsonl`` (graded 0–3 per job id, pooled from the
top 20 of each system). Jobs nobody judged count as 0. Recall@50 counts jobs graded 2 or 3. The
systems: the plain FTS5 BM25 baseline of issue 13 (``bench/plain_bm25.py``) and the engine's
BM25 alone, vectors alone, hybrid (fused, without the learned ranker) and ``ranker`` (the hybrid's
best 100 reranked by ``search/rank.py``'s model, as the engine searches by default). Every
engine system searches all role families (``family=any``) and closed or stale postings too (the
shared dumps are all stale), so that the comparison is of retrieval, not of the role classifier
or of freshness.

Latency: every query of the set (and 48 job titles drawn at random), three times, through
``SearchEngine.search`` with facets, in the default view (ML leadership only) and in all families:
as a new query text (caches emptied) and as a facet click after it (the same words plus a filter).
``--scale N`` first copies the store and repeats its jobs (ids suffixed ``#k``) until it holds at
least N search documents.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import Connection

from bench.bench_match import ExactVectors
from bench.plain_bm25 import PlainBM25
from leadboard.datasets import read_jsonl
from leadboard.enrich.embeddings import default_embedder
from leadboard.search.columns import DocumentColumns
from leadboard.search.documents import SearchDocuments
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest, open_engine
from leadboard.search.index import sync_search_index
from leadboard.search.rank import MODEL_DIR
from leadboard.search.terms import Scores
from leadboard.store.repository import Store

HERE = Path(__file__).parent / "relevance"
# plain_bm25: the baseline (bench/plain_bm25.py); the others: the engine's modes.
SYSTEMS = ("plain_bm25", "lexical", "semantic", "hybrid", "ranker")
SPLITS = ("all", "tune", "heldout")  # queries.jsonl's "split": tune on one, report the other


def ranked_ids(
    engine: SearchEngine, query: str, system: str, depth: int, baseline: PlainBM25
) -> list[str]:
    if system == "plain_bm25":
        return baseline.search(query, depth)
    request = SearchRequest(
        q=query,
        # The shared dumps are months old, hence stale: searched all the same (include_closed).
        filters=SearchFilters(role_family=["any"], include_closed=True),
        mode="hybrid" if system == "ranker" else system,  # type: ignore[arg-type]
        per_page=depth,
    )
    ranker = engine.ranker
    engine.ranker = ranker if system == "ranker" else None  # the hybrid: the fused order alone
    try:
        return [hit.job_id for hit in engine.search(request).results]
    finally:
        engine.ranker = ranker


def judgments() -> dict[str, dict[str, int]]:
    """Grades by query id and job id, from every ``judgments*.jsonl`` of the set."""
    judged: dict[str, dict[str, int]] = {}
    for path in sorted(HERE.glob("judgments*.jsonl")):
        for row in read_jsonl(path):
            judged.setdefault(row["query_id"], {})[row["job_id"]] = int(row["grade"])
    return judged


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def relevance(engine: SearchEngine) -> None:
    """nDCG@10 and recall@50 per system; unjudged jobs count 0. Beside them, the share of each
    system's top 10 nobody judged and the *condensed* nDCG@10 (unjudged jobs removed from the
    list first, Sakai 2007): a system the pool was not drawn from is not marked down for
    finding jobs nobody looked at. On all queries, the tuning ones and the held-out ones."""
    queries = list(read_jsonl(HERE / "queries.jsonl"))
    baseline = PlainBM25.from_store(engine.store)
    judged = judgments()
    figures = ("ndcg", "recall", "unjudged", "condensed")
    scores: dict[tuple[str, str], dict[str, list[float]]] = {
        (split, system): {figure: [] for figure in figures}
        for split in SPLITS
        for system in SYSTEMS
    }
    for query in queries:
        grades = judged.get(query["id"], {})
        ideal = dcg(sorted(grades.values(), reverse=True)[:10]) or 1.0
        relevant = {job for job, grade in grades.items() if grade >= 2}
        for system in SYSTEMS:
            ids = ranked_ids(engine, query["query"], system, 100, baseline)
            for split in ("all", query["split"]):
                got = scores[split, system]
                got["ndcg"].append(dcg([grades.get(i, 0) for i in ids[:10]]) / ideal)
                got["unjudged"].append(
                    sum(i not in grades for i in ids[:10]) / max(1, len(ids[:10]))
                )
                got["condensed"].append(dcg([grades[i] for i in ids if i in grades][:10]) / ideal)
                if relevant:
                    got["recall"].append(len(relevant & set(ids[:50])) / len(relevant))
    baseline.close()
    judged_count = sum(len(v) for v in judged.values())
    print(f"{len(queries)} queries, {judged_count} judgments")
    for split in SPLITS:
        count = sum(split in ("all", query["split"]) for query in queries)
        print(f"-- {split} ({count} queries)")
        mean = {s: {f: statistics.mean(scores[split, s][f]) for f in figures} for s in SYSTEMS}
        for system in SYSTEMS:
            means, base = mean[system], mean["plain_bm25"]
            print(
                f"{system:<10} nDCG@10 {means['ndcg']:.3f} ({means['ndcg'] / base['ndcg']:.2f}x "
                f"plain BM25)   recall@50 {means['recall']:.3f}   unjudged in top 10 "
                f"{means['unjudged']:.1%}   condensed nDCG@10 {means['condensed']:.3f} "
                f"({means['condensed'] / base['condensed']:.2f}x)"
            )


def ranker_groups(
    engine: SearchEngine, split: str = "tune"
) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Per query of ``split``: its id, the hybrid's best RERANK candidates' features (in the
    fused order) and their grades (unjudged ones 0)."""
    from leadboard.search.engine import RERANK

    judged = judgments()
    groups = []
    ranker, engine.ranker = engine.ranker, None
    try:
        for query in read_jsonl(HERE / "queries.jsonl"):
            if query["split"] != split:
                continue
            request = SearchRequest(
                q=query["query"],
                filters=SearchFilters(role_family=["any"], include_closed=True),
                per_page=RERANK,
                features=True,
            )
            found = engine.search(request).features
            if found is None:
                continue
            ids, rows = found
            grades = judged.get(query["id"], {})
            groups.append((query["id"], rows, np.array([grades.get(i, 0) for i in ids])))
    finally:
        engine.ranker = ranker
    return groups


def cross_validate(
    groups: list[tuple[str, np.ndarray, np.ndarray]],
    folds: int = 4,
    repeats: int = 3,
    **options: Any,
) -> tuple[float, float]:
    """Mean nDCG@10 of the queries of ``groups`` when each is reranked by a model trained on
    the other folds' queries (``repeats`` random splits into ``folds``), and of the fused order
    as it is; the ideal of a query is its best judged grades, as ``relevance`` reads it.

    >>> from leadboard.search.rank import FEATURES
    >>> rng = np.random.default_rng(0)
    >>> rows = [rng.random((20, len(FEATURES))) for _ in range(8)]
    >>> groups = [(f"q{i}", x, np.round(3 * x[:, 5])) for i, x in enumerate(rows)]
    >>> learned, fused = cross_validate(groups, folds=2, repeats=1, rounds=20)
    >>> learned > fused
    True
    """
    from leadboard.search.rank import load_ranker, train

    judged = judgments()

    def ndcg(query_id: str, grades: np.ndarray) -> float:
        known = judged.get(query_id) or {"": int(grades.max(initial=0))}
        ideal = dcg(sorted(known.values(), reverse=True)[:10]) or 1.0
        return dcg([int(g) for g in grades[:10]]) / ideal

    learned: list[float] = []
    for repeat in range(repeats):
        order = list(range(len(groups)))
        random.Random(repeat).shuffle(order)
        for fold in range(folds):
            test = set(order[fold::folds])
            model = train(
                [(x, y) for i, (_, x, y) in enumerate(groups) if i not in test], **options
            )
            with tempfile.TemporaryDirectory() as folder:
                (Path(folder) / "model.txt").write_text(model)
                ranker = load_ranker.__wrapped__(Path(folder))
            assert ranker is not None
            for i in test:
                query_id, rows, grades = groups[i]
                scores = ranker.scores(rows)
                ordered = sorted(range(len(grades)), key=lambda j: (-scores[j], j))
                learned.append(ndcg(query_id, grades[ordered]))
    fused = [ndcg(query_id, grades) for query_id, _, grades in groups]
    return statistics.mean(learned), statistics.mean(fused)


def train_ranker(engine: SearchEngine, out: Path = MODEL_DIR, folds: int = 0) -> None:
    """Train ``search/rank.py``'s model on the *tune* queries' judged candidates (the hybrid's
    best RERANK, unjudged ones graded 0) and write it where the package ships it; with
    ``folds``, first its cross-validated nDCG@10 on the tune queries beside the fused order's."""
    from leadboard.search.rank import train

    groups = ranker_groups(engine, "tune")
    if folds:
        learned, fused = cross_validate(groups, folds)
        print(
            f"{folds}-fold CV on the tune queries: nDCG@10 {learned:.3f} (fused order {fused:.3f})"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.txt").write_text(train([(x, y) for _, x, y in groups]))
    print(f"ranker trained on {len(groups)} tune queries, {sum(len(y) for _, _, y in groups)} rows")


def job_titles(engine: SearchEngine, count: int = 48, seed: int = 7) -> list[str]:
    """``count`` titles of the store's jobs drawn at random: new texts with rarer words than the
    judged queries (company names, niche fields) — those that warm_up did not read ahead."""
    from sqlalchemy import select

    from leadboard.store.schema import SearchDocument

    with engine.store.engine.connect() as connection:
        titles = sorted(set(connection.scalars(select(SearchDocument.title))))
    return random.Random(seed).sample(titles, min(count, len(titles)))


def latency(engine: SearchEngine, repeats: int = 3, texts: int = 0) -> dict[str, float]:
    """p50/p95 of a new query text (the engine's per-text caches emptied first; the per-word
    scores warm_up read ahead stay, as in a server) and of a click on a facet after it (the same
    words, one more filter: the ranked word matches are reused). Two sets of texts: the judged
    queries, and job titles drawn at random (``texts``: the first that many of each, 0: all).
    Returns the figures by name."""
    judged = [row["query"] for row in read_jsonl(HERE / "queries.jsonl")]
    figures: dict[str, float] = {}
    for name, queries in (("judged queries", judged), ("random titles", job_titles(engine))):
        print(f"{name}:")
        figures |= {
            f"{name}, {key}": value
            for key, value in _latency(engine, queries[: texts or None], repeats).items()
        }
    return figures


def _latency(engine: SearchEngine, queries: list[str], repeats: int) -> dict[str, float]:
    figures = {}
    for label, filters in (
        ("default view (ML leadership)", SearchFilters()),
        ("all families", SearchFilters(role_family=["any"])),
    ):
        new_text: list[tuple[float, float]] = []  # (wall ms, CPU ms of this process)
        facet_click: list[tuple[float, float]] = []
        for _ in range(repeats):
            for query in queries:
                engine._match_cache.clear()
                engine._vector_cache.clear()
                engine.words.forget()  # words earlier queries read: forgotten (warm_up's stay)
                new_text.append(_timed(engine, SearchRequest(q=query, filters=filters)))
                clicked = SearchFilters(**{**vars(filters), "remote": ["remote"]})
                facet_click.append(_timed(engine, SearchRequest(q=query, filters=clicked)))
        for kind, timed in (("new query text", new_text), ("then a facet click", facet_click)):
            timings = sorted(wall for wall, _ in timed)
            cpu = sorted(cpu for _, cpu in timed)
            p50, p95 = _percentile(timings, 0.5), _percentile(timings, 0.95)
            print(
                f"{label:<30} {kind:<20} {len(timings)} searches: p50 {p50:.0f} ms, "
                f"p95 {p95:.0f} ms; CPU a search: p50 {_percentile(cpu, 0.5):.1f} ms, p95 "
                f"{_percentile(cpu, 0.95):.1f} ms (load {os.getloadavg()[0]:.1f})"
            )
            figures[f"{label}, {kind}, p50 ms"] = p50
            figures[f"{label}, {kind}, p95 ms"] = p95
            figures[f"{label}, {kind}, CPU p50 ms"] = _percentile(cpu, 0.5)
            figures[f"{label}, {kind}, CPU p95 ms"] = _percentile(cpu, 0.95)
    return figures


def _timed(engine: SearchEngine, request: SearchRequest) -> tuple[float, float]:
    """A search's wall and CPU milliseconds (CPU of this process, its threads included: on a
    shared machine the wall clock measures the neighbours too)."""
    cpu, start = time.process_time(), time.perf_counter()
    engine.search(request)
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def _percentile(ordered: list[float], share: float) -> float:
    """The value ``share`` of the way up a sorted list (the nearest rank).

    >>> _percentile([1.0, 2.0, 3.0, 4.0], 0.5), _percentile([1.0, 2.0, 3.0, 4.0], 0.95)
    (3.0, 4.0)
    """
    if share == 0.5:
        return ordered[len(ordered) // 2]
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def scaled_copy(store: Store, target: int, folder: Path | None = None) -> Store:
    """A copy of a SQLite store whose jobs repeat, perturbed (``repeat_jobs``), to hold >=
    ``target`` documents; in ``folder`` (kept: a later run reuses it) or a temporary one. The
    copy leaves the raw payloads out (search never reads them; they would cost gigabytes)."""
    source = Path(str(store.engine.url.database))
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="leadboard-scaled-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "leadboard.db"
    if path.exists():
        scaled = Store.open(f"sqlite:///{path}")
        if SearchDocuments(scaled).count() >= target:
            make_live(scaled)
            return scaled
        scaled.close()
        for stale in folder.iterdir():
            stale.unlink() if stale.is_file() else shutil.rmtree(stale)
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(source, path)
    scaled = Store.open(f"sqlite:///{path}")
    with scaled.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM raw_postings")
    repeat_jobs(scaled, target)
    make_live(scaled)
    return scaled


def make_live(store: Store) -> None:
    """Mark every search document open, as in a store that crawls live boards. The shared
    dumps are months old, so every posting is stale: a search of the default view (open
    postings only) answers nothing, and the vector index (open postings only) holds nothing —
    a benchmark of that measures the empty answer. (The jobs keep their dates; the documents'
    keys still match them, so a sync leaves the documents as they are. The heads stay: with
    every member open, the cluster's own job is still its first.)"""
    from sqlalchemy import text

    with store.engine.begin() as connection:
        opened = connection.execute(
            text("UPDATE search_documents SET is_open = 1 WHERE NOT is_open")
        ).rowcount
        if opened:  # the index changed: the engines read it again
            connection.execute(text("UPDATE search_state SET generation = generation + 1"))


_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"(?<![\w.])\d{1,6}(?![\w.])")  # plain numbers: counts, years, pay


def perturb(text_: str, rng: random.Random, vocabulary: list[str], rate: float = 0.03) -> str:
    """``text_`` changed as another posting of the same job would be: about ``rate`` of its
    words dropped, as many replaced by a word drawn from the corpus (``vocabulary``: words as
    they occur, so common words stay common), a few neighbours swapped, a few misspelt (new
    rare words, as a bigger corpus has), and its numbers varied. Whitespace becomes one space.

    >>> text_ = "Lead 12 engineers building the ML platform for search and ads"
    >>> perturb(text_, random.Random(2), ["data"], rate=0.15)
    'data 39 engineers data ML data for data and ads'
    """
    words = text_.split()
    count = len(words)
    if not count:
        return ""
    # Only the words that change cost a step of Python: draw how many, then which.
    for _ in range(_binomial(rng, count, rate)):  # replaced
        words[int(rng.random() * count)] = vocabulary[int(rng.random() * len(vocabulary))]
    for _ in range(_binomial(rng, count, rate / 2)):  # swapped with the next
        at = int(rng.random() * (count - 1)) if count > 1 else 0
        words[at], words[min(at + 1, count - 1)] = words[min(at + 1, count - 1)], words[at]
    for _ in range(_binomial(rng, count, rate / 5)):  # misspelt: two letters swapped
        at = int(rng.random() * count)
        word = words[at]
        if len(word) > 4:
            i = 1 + int(rng.random() * (len(word) - 3))
            words[at] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for _ in range(_binomial(rng, count, rate)):  # dropped
        words[int(rng.random() * count)] = ""
    changed = " ".join(w for w in words if w)
    return _NUMBER.sub(lambda m: str(int(rng.random() * 10 ** len(m[0]))), changed)


def _binomial(rng: random.Random, count: int, rate: float) -> int:
    """How many of ``count`` words a ``rate`` changes (a normal approximation, at least 0)."""
    mean = count * rate
    return max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - rate)))))


def perturb_vector(vector: bytes, rng: np.random.Generator, noise: float = 0.25) -> bytes:
    """A unit vector moved by a random one of length ``noise`` and normalised again (cosine
    to the original ~0.97): a copy's embedding is near its original's, never equal to it."""
    values = np.frombuffer(vector, dtype="<f4").astype(np.float64)
    moved = values + rng.normal(0.0, noise / math.sqrt(len(values)), len(values)) * (
        np.linalg.norm(values) or 1.0
    )
    return (moved / (np.linalg.norm(moved) or 1.0)).astype("<f4").tobytes()


def repeat_jobs(store: Store, target: int, seed: int = 14) -> None:
    """Repeat the store's jobs, enrichments, embeddings and search documents (ids ``…#k``) in
    place until it holds >= ``target`` search documents. Each copy's document text (title and
    body: what the full-text index reads) is ``perturb``-ed and its embedding moved a little
    (``perturb_vector``), so that no two documents are identical and word statistics grow as a
    bigger corpus's would; jobs and enrichments are copied as they are (ids and clusters
    renamed), and each document's ``doc_key`` is the one ``search/index.py`` would give it, so
    the next sync keeps the perturbed text. A copy's job holds the text its document indexes
    (since migration 0010 the index's text is the job's), written to the FTS5 index here. SQLite
    (``repeat_postgres`` scales a PostgreSQL store)."""
    from dataclasses import replace

    from sqlalchemy import insert, select, text

    from leadboard.search.index import document_key
    from leadboard.store import compact
    from leadboard.store.schema import Job, JobEmbedding, SearchDocument

    indexed = {job.job_id: job for job in SearchDocuments(store).indexed_jobs()}
    names = [c.name for c in SearchDocument.__table__.columns]
    documents, top, base = _originals(store)
    with store.engine.connect() as connection:
        vectors = connection.execute(
            select(
                JobEmbedding.job_id,
                JobEmbedding.model,
                JobEmbedding.content_hash,
                JobEmbedding.vector,
            ).where(JobEmbedding.job_id.not_like("%#%"))
        ).all()
        descriptions = dict(
            connection.execute(select(Job.id, Job.description).where(Job.id.not_like("%#%"))).all()
        )
    for row in base:
        html, text_ = compact.unpack_description(descriptions.pop(row["job_id"], None))
        row["html"], row["body"] = html, text_[: row["body_chars"]]
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    vocabulary = [w for row in base for w in _TOKEN.findall(row["body"])]
    vocabulary = rng.sample(vocabulary, min(len(vocabulary), 2_000_000))
    copies = max(0, math.ceil(target / max(1, len(base))) - 1)
    for k in range(documents // max(1, len(base)), copies + 1):  # on from the copies made
        suffix, offset = f"#{k}", k * (top + 1)
        with store.engine.begin() as connection:
            _copy_jobs(connection, suffix)
            if vectors:  # (none: an insert of no rows would insert one of defaults)
                connection.execute(
                    insert(JobEmbedding),
                    [
                        {
                            "job_id": job_id + suffix,
                            "model": model,
                            "content_hash": digest,
                            "vector": perturb_vector(vector, noise),
                        }
                        for job_id, model, digest, vector in vectors
                    ],
                )
            rows, texts = [], []
            for row in base:
                copy = {name: row[name] for name in names}
                copy["id"] = row["id"] + offset
                copy["job_id"] = row["job_id"] + suffix
                copy["cluster_id"] = row["cluster_id"] + suffix
                copy["title"] = perturb(row["title"], rng, vocabulary, rate=0.02)
                body = perturb(row["body"], rng, vocabulary)
                copy["body_chars"] = len(body)
                job = indexed.get(row["job_id"])
                if job is not None:
                    copy["doc_key"] = document_key(replace(job, cluster_id=job.cluster_id + suffix))
                rows.append(copy)
                texts.append(
                    {
                        **{name: copy[name] for name in ("id", "job_id", "title", "company")},
                        **{"skills": copy["skills"], "body": body},
                        "description": compact.pack_description(row["html"], body),
                    }
                )
            connection.execute(
                text("UPDATE jobs SET description = :description WHERE id = :job_id"), texts
            )
            connection.execute(insert(SearchDocument), rows)
            connection.execute(
                text(
                    "INSERT INTO search_fts (rowid, title, company, skills, body) "
                    "VALUES (:id, :title, :company, :skills, :body)"
                ),
                texts,
            )
            connection.execute(
                text(
                    f"INSERT INTO search_tags (document_id, kind, value) SELECT document_id + "
                    f"{offset}, kind, value FROM search_tags WHERE document_id <= {top}"
                )
            )
        print(f"  copy {k}/{copies}: {(k + 1) * len(base)} documents", flush=True)


def _originals(store: Store) -> tuple[int, int, list[dict[str, Any]]]:
    """The store's search documents counted, then its original ones (ids without a ``#``):
    their highest id and their rows, in id order — what a repeat copies."""
    from sqlalchemy import func, select

    from leadboard.store.schema import SearchDocument

    with store.engine.connect() as connection:
        documents = connection.scalar(select(func.count(SearchDocument.id))) or 0
        originals = SearchDocument.job_id.not_like("%#%")
        top = connection.scalar(select(func.max(SearchDocument.id)).where(originals)) or 0
        base = [
            dict(row._mapping)
            for row in connection.execute(
                select(SearchDocument).where(originals).order_by(SearchDocument.id)
            )
        ]
    return documents, top, base


def _copy_jobs(connection: Connection, suffix: str) -> None:
    """Copy every original job and its enrichment (ids without a ``#``) under ids ending in
    ``suffix``: one ``INSERT … SELECT`` a table, so the copies stay in the database."""
    from sqlalchemy import text

    from leadboard.store.schema import Job, JobEnrichment

    for table in (Job, JobEnrichment):
        columns = [c.name for c in table.__table__.columns]
        key = "id" if table is Job else "job_id"
        renamed = {"id", "cluster_id"} if table is Job else {"job_id"}
        values = [f"{n} || '{suffix}'" if n in renamed else n for n in columns]
        connection.execute(
            text(
                f"INSERT INTO {table.__tablename__} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM {table.__tablename__} "
                f"WHERE {key} NOT LIKE '%#%'"
            )
        )


def repeat_postgres(store: Store, target: int, drop: float = 0.03) -> None:
    """``repeat_jobs`` for a PostgreSQL store, in SQL, every copy in one ``INSERT … SELECT`` a
    table (``generate_series`` numbers the copies): jobs and enrichments are copied with ids and
    clusters renamed (``…#k``), documents with the ``doc_key`` the sync would give them (the
    same SHA-256, computed by the database) and their ``search_vector`` the original's with
    ``drop`` of its words left out at random (so no two documents are identical and word
    statistics grow as a bigger corpus's would); tags follow, and the per-word scores
    (``search_words``) of the words a copy kept (the original's score: the copy is ~3%
    shorter, a change of ~1% in a score that only picks candidates). Whether a word is left out
    is a hash of the word and the copy's document id, so its vector and its word scores agree
    without reading the vectors twice. Since migration 0010 a document's text is its job's,
    compressed: not something SQL can perturb. No embeddings: words only.

    The build drops the tables' secondary indexes and makes them again after, with more
    memory for it (``maintenance_work_mem``), and as a superuser skips the foreign keys' checks
    of the rows it copies (``session_replication_role``): a million documents in minutes,
    where a copy at a time with the indexes kept up took hours."""
    from sqlalchemy import text

    from leadboard.search.index import DOCUMENT_VERSION
    from leadboard.store.schema import Job, JobEnrichment

    with store.engine.connect() as connection:
        documents, top, originals = connection.execute(
            text(
                "SELECT count(*), max(id) FILTER (WHERE job_id NOT LIKE '%#%'), "
                "count(*) FILTER (WHERE job_id NOT LIKE '%#%') FROM search_documents"
            )
        ).one()
        names = connection.scalars(
            text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'search_documents' AND table_schema = current_schema() ORDER BY ordinal_position"
            )
        ).all()
    copies = max(0, math.ceil(target / max(1, originals)) - 1)
    first = max(1, documents // max(1, originals))  # on from the copies made
    if first > copies:
        return
    # Whole numbers of our own, written into the statements (a bound one would need a cast).
    numbers = {"first": first, "last": copies, "step": (top or 0) + 1, "top": top or 0}
    numbers["cut"] = round(drop * 16384)  # of a word's 16384 hash values: those left out
    copy_of = "CROSS JOIN generate_series({first}, {last}) AS k".format(**numbers)
    left_out = _LEFT_OUT.format(document=f"{{}} + k * {numbers['step']}", cut=numbers["cut"])
    tables = ["jobs", "enrichments", "search_documents", "search_tags", "search_words"]
    timed: list[tuple[str, float]] = []
    start = time.perf_counter()
    with store.engine.begin() as connection:
        connection.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        if connection.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        indexes = connection.execute(text(_SECONDARY_INDEXES), {"tables": tables}).all()
        for name, _ in indexes:
            connection.execute(text(f"DROP INDEX {name}"))
        for table in (Job, JobEnrichment):
            columns = [c.name for c in table.__table__.columns]
            renamed = {"id", "cluster_id"} if table is Job else {"job_id"}
            values = [f"{n} || '#' || k" if n in renamed else n for n in columns]
            connection.execute(
                text(
                    f"INSERT INTO {table.__tablename__} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {table.__tablename__} {copy_of} "
                    f"WHERE {'id' if table is Job else 'job_id'} NOT LIKE '%#%'"
                )
            )
            timed.append((table.__tablename__, time.perf_counter() - start))
        special = {
            "id": "d.id + k * {step}".format(**numbers),
            "job_id": "d.job_id || '#' || k",
            "cluster_id": "d.cluster_id || '#' || k",
            # index.py's _doc_key of the copy's job (its cluster renamed), as Python hashes it
            "doc_key": "encode(sha256(convert_to(concat_ws(chr(31), CAST(:version AS text), "
            "j.content_hash, CASE WHEN j.closed_at IS NULL AND j.stale_at IS NULL THEN 'open' "
            "ELSE 'closed' END, j.cluster_id || '#' || k, coalesce(e.version, ''), "
            "coalesce(e.content_hash, '')), 'UTF8')), 'hex')",
            "search_vector": "ts_delete(d.search_vector, ARRAY(SELECT word FROM "
            "unnest(tsvector_to_array(d.search_vector)) AS word WHERE "
            f"{left_out.format('d.id')}))",
        }
        connection.execute(
            text(
                f"INSERT INTO search_documents ({', '.join(names)}) "
                f"SELECT {', '.join(special.get(n, 'd.' + n) for n in names)} "
                "FROM search_documents AS d JOIN jobs AS j ON j.id = d.job_id "
                f"LEFT JOIN enrichments AS e ON e.job_id = d.job_id {copy_of} "
                f"WHERE d.id <= {numbers['top']}"
            ),
            {"version": DOCUMENT_VERSION},
        )
        timed.append(("search_documents", time.perf_counter() - start))
        connection.execute(
            text(
                "INSERT INTO search_tags (document_id, kind, value) SELECT document_id + k * "
                "{step}, kind, value FROM search_tags {copy_of} WHERE document_id <= {top}".format(
                    copy_of=copy_of, **numbers
                )
            )
        )
        timed.append(("search_tags", time.perf_counter() - start))
        connection.execute(
            text(
                "INSERT INTO search_words (word, document_id, score) SELECT word, document_id + "
                "k * {step}, score FROM search_words {copy_of} WHERE document_id <= {top} AND "
                "NOT {left_out}".format(
                    copy_of=copy_of, left_out=left_out.format("document_id"), **numbers
                )
            )
        )
        timed.append(("search_words", time.perf_counter() - start))
        for _, definition in indexes:
            connection.execute(text(definition))
        timed.append(("indexes made again", time.perf_counter() - start))
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('search_documents', 'id'), "
                "(SELECT max(id) FROM search_documents))"
            )
        )
        connection.execute(text("UPDATE search_state SET generation = generation + 1"))
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    timed.append(("vacuumed and analysed", time.perf_counter() - start))
    print(
        f"  copies {first}-{copies} of {originals} documents made (seconds from the start): "
        + ", ".join(f"{step} {seconds:.0f}" for step, seconds in timed),
        flush=True,
    )


# Whether a copy's document leaves a word out: ``cut`` of the 16384 values of a hash of the word
# and the document's id, the same in its vector and in its word scores (both ask).
_LEFT_OUT = "(hashtext(word || ' ' || ({document})) & 16383) < {cut}"
# A table's indexes that no constraint needs (a primary key, a unique key, a foreign key's
# target stay): dropped while a bulk copy writes, and made again from their definitions.
_SECONDARY_INDEXES = (
    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i "
    "JOIN pg_class AS t ON t.oid = i.indrelid WHERE t.relname = ANY(:tables) "
    "AND t.relnamespace = current_schema()::regnamespace AND NOT EXISTS "
    "(SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)"
)


def postgres_copy(store: Store, url: str) -> Store:
    """The store's jobs, enrichments and embeddings copied into the PostgreSQL at ``url``
    (its search documents and vector index are then built there, as on any PostgreSQL store)."""
    from sqlalchemy import insert, select

    from leadboard.store.schema import Job, JobEmbedding, JobEnrichment

    target = Store.open(url)
    for table in (Job, JobEnrichment, JobEmbedding):
        columns = list(table.__table__.columns)
        with store.engine.connect() as source, target.engine.begin() as sink:
            rows = source.execute(select(*columns)).yield_per(1000)
            for batch in rows.partitions(1000):
                sink.execute(insert(table), [dict(row._mapping) for row in batch])
    return target


def pool(
    engine: SearchEngine,
    out: Path,
    only: list[str],
    systems: tuple[str, ...] = SYSTEMS,
    depth: int = 20,
) -> None:
    """Per query (those of ``only``, or all), the union of the top ``depth`` of each system of
    ``systems``, with what a judge needs to read; ``"judged"`` says whether a grade exists."""
    from leadboard.store.schema import Job

    out.mkdir(parents=True, exist_ok=True)
    baseline = PlainBM25.from_store(engine.store)
    judged = judgments()
    for query in read_jsonl(HERE / "queries.jsonl"):
        if only and query["id"] not in only:
            continue
        ids: list[str] = []
        for system in systems:
            ranked = ranked_ids(engine, query["query"], system, depth, baseline)
            ids += [i for i in ranked if i not in ids]
        graded = judged.get(query["id"], {})
        rows = []
        for job_id in ids:
            job = engine.store.get_job(job_id)
            assert isinstance(job, Job)
            rows.append(
                {
                    "query_id": query["id"],
                    "query": query["query"],
                    "job_id": job_id,
                    "judged": job_id in graded,
                    "title": job.title,
                    "company": job.company,
                    "remote": job.remote,
                    "location": job.location_raw,
                    "salary": [
                        job.salary_min,
                        job.salary_max,
                        job.salary_currency,
                        job.salary_period,
                    ],
                    "text": " ".join(job.description_text.split())[:1500],
                }
            )
        (out / f"{query['id']}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(query["id"], len(rows), "pooled,", sum(not r["judged"] for r in rows), "unjudged")
    baseline.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what", choices=("relevance", "latency", "pool", "train-ranker", "measure", "pg-topk")
    )
    parser.add_argument("--scale", type=int, default=0, help="latency on >= N documents")
    parser.add_argument(
        "--scaled-dir", type=Path, help="latency --scale: keep the scaled copy here (reused)"
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="latency --scale: the engine of git revision REV (or of the package in folder REV) "
        "measured on the same copy first",
    )
    parser.add_argument("--repeats", type=int, default=3, help="latency: runs of each text")
    parser.add_argument("--texts", type=int, default=0, help="latency: texts of each set (0: all)")
    parser.add_argument("--store", help="measure: the store's URL")
    parser.add_argument(
        "--words-only",
        action="store_true",
        help="latency --scale: no vector index (building one of a million takes ~40 min on 2 "
        "busy cores): every engine searches by words alone",
    )
    parser.add_argument("--out", type=Path, default=Path("pools"))
    parser.add_argument("--ids", nargs="*", default=[], help="pool: only these query ids")
    parser.add_argument(
        "--systems", nargs="*", choices=SYSTEMS, default=SYSTEMS, help="pool: these systems' tops"
    )
    parser.add_argument("--folds", type=int, default=4, help="train-ranker: CV folds (0: none)")
    parser.add_argument("--no-sqlite", action="store_true", help="latency: skip the SQLite runs")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="latency on a throwaway PostgreSQL copy of the store too",
    )
    args = parser.parse_args()
    if args.what == "measure":
        figures = measure(args.store, args.repeats, args.texts, semantic=not args.words_only)
        print("RESULT " + json.dumps(figures), flush=True)
        return
    store = Store.open()
    if args.what == "pg-topk":
        if store.engine.dialect.name == "postgresql":
            compare_topk(store, args.repeats, args.texts)
            return
        from tests.support.postgres import running_postgres  # a test dependency

        with running_postgres() as url:
            copy = postgres_copy(store, url)
            sync_search_index(copy)
            if args.scale:
                repeat_postgres(copy, args.scale)
            compare_topk(copy, args.repeats, args.texts)
            copy.close()
        return
    if args.what == "latency" and args.scale and not args.no_sqlite:
        compare_at_scale(store, args)
        return
    start = time.perf_counter()
    engine = open_engine(store)
    if args.what != "latency":
        # The dumps' postings are all stale, and the store's vector index holds open ones only:
        # relevance reads every posting's vector, exactly (as the relevance runs search closed
        # postings too).
        embedder = default_embedder()
        vectors = ExactVectors(store, embedder.version)
        engine = SearchEngine(store, embedder=embedder, vectors=vectors)  # type: ignore[arg-type]
        print(f"exact vectors of {vectors.count()} postings ({embedder.version})")
    print(f"engine ready in {time.perf_counter() - start:.1f} s; notes: {engine.notes or 'none'}")
    if args.what == "latency":  # as `leadboard serve` does at start
        start = time.perf_counter()
        print(f"warmed up ({engine.warm_up()} common words) in {time.perf_counter() - start:.1f} s")
    if args.what == "relevance":
        relevance(engine)
    elif args.what == "pool":
        pool(engine, args.out, args.ids, tuple(args.systems))
    elif args.what == "train-ranker":
        train_ranker(engine, folds=args.folds)
    else:
        if not args.no_sqlite:
            latency(engine, args.repeats, args.texts)
        if args.postgres:
            from tests.support.postgres import running_postgres  # a test dependency

            with running_postgres() as url:
                start = time.perf_counter()
                copy = postgres_copy(store, url)
                open_engine(copy)  # builds the search documents and the vector index
                if args.scale:
                    repeat_postgres(copy, args.scale)
                print(f"--- PostgreSQL copy built in {time.perf_counter() - start:.0f} s")
                measure_latency(copy)
                copy.close()


def compare_at_scale(store: Store, args: argparse.Namespace) -> None:
    """``latency --scale N``: the scaled copy (made, or reused from ``--scaled-dir``), then on
    it, each in a process of its own as a server would start: the engine of ``--baseline`` (its
    source exported by ``git archive``), this engine at a first start (what it keeps beside
    the store is made) and at a restart (what it kept is read back). Printed side by side."""
    start = time.perf_counter()
    scaled = scaled_copy(store, args.scale, args.scaled_dir)
    url = scaled.engine.url.render_as_string(hide_password=False)
    print(f"--- SQLite, scaled copy ready in {time.perf_counter() - start:.0f} s: {url}")
    start = time.perf_counter()
    open_engine(scaled, semantic=not args.words_only)  # synced, the vector index built, once
    print(
        f"--- its indexes synced (vectors built where missing): {time.perf_counter() - start:.0f} s"
    )
    scaled.close()
    root = Path(__file__).resolve().parents[1]
    runs: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="leadboard-baseline-") as old:
        if args.baseline:
            source = Path(args.baseline)  # a folder holding the package, or a git revision
            if not source.is_dir():
                archive = subprocess.run(
                    ["git", "archive", args.baseline, "src"],
                    cwd=root,
                    check=True,
                    capture_output=True,
                ).stdout
                subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
                source = Path(old) / "src"
            runs[f"baseline {args.baseline}"] = _measure_in(source, url, args)
        _forget_kept(url)
        runs["this engine, first start"] = _measure_in(root / "src", url, args)
        runs["this engine, restart"] = _measure_in(root / "src", url, args)
    names = list(next(iter(runs.values())))
    print(f"\n{'':<72}" + "".join(f"{run[:28]:>30}" for run in runs))
    first = next(iter(runs.values()))
    for name in names:
        cells = []
        for figures in runs.values():
            value = figures.get(name, math.nan)
            ratio = first[name] / value if value and first.get(name) else math.nan
            cells.append(f"{value:>20.1f} ({ratio:4.1f}x)")
        print(f"{name:<72}" + "".join(f"{cell:>30}" for cell in cells))
    print("(x: the first column's figure over this one's: above 1, this one is faster or smaller)")


def _forget_kept(url: str) -> None:
    """Remove what an engine keeps beside the store (columns, common words): a first start."""
    database = Path(url.removeprefix("sqlite:///"))
    for kept in database.parent.glob(f"{database.stem}.*"):
        if kept.name.startswith(f"{database.stem}.columns") or ".words." in kept.name:
            kept.unlink()


def _measure_in(source: Path, url: str, args: argparse.Namespace) -> dict[str, float]:
    """``measure`` run by the package at ``source`` in a new process; its figures."""
    import sys

    root = Path(__file__).resolve().parents[1]
    environment = {**os.environ, "PYTHONPATH": f"{source}{os.pathsep}{root}"}
    command = [sys.executable, "-m", "bench.bench_search", "measure", "--store", url]
    command += ["--repeats", str(args.repeats), "--texts", str(args.texts)]
    command += ["--words-only"] if args.words_only else []
    print(f"--- {source}:", flush=True)
    result: dict[str, float] = {}
    with subprocess.Popen(
        command, cwd=root, env=environment, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line.removeprefix("RESULT "))
            else:
                print("    " + line, end="", flush=True)
    return result


def measure(url: str, repeats: int, texts: int, *, semantic: bool = True) -> dict[str, float]:
    """As ``leadboard serve`` starts: the engine opened (indexes synced where a writer is
    free), its warm-up started aside, and a first search of a new text at once; the seconds
    from this process's start to that answer, the warm-up's, then ``latency``; the peak and the
    current resident memory. Whichever ``leadboard`` is first on the path is measured (the
    ``--baseline`` run puts an older one there)."""
    import inspect
    import threading

    import psutil  # type: ignore[import-untyped]  # no stubs installed (a bench-only use)

    import leadboard

    process = psutil.Process()
    started = process.create_time()
    print(f"leadboard from {Path(leadboard.__file__).parent}", flush=True)
    store = Store.open(url)
    if "aside" in inspect.signature(open_engine).parameters:  # as serve opens it
        engine = open_engine(store, semantic=semantic, aside=True)  # the sync in a thread
    else:
        engine = open_engine(store, semantic=semantic)  # an engine from before: sync first
    opened = time.time() - started
    warm: dict[str, float] = {}

    def warm_up() -> None:
        begin = time.perf_counter()
        warm["words"] = engine.warm_up()
        warm["seconds"] = time.perf_counter() - begin

    thread = threading.Thread(target=warm_up)
    thread.start()
    engine.search(SearchRequest(q="head of machine learning platform"))
    first = time.time() - started
    print(f"engine open {opened:.1f} s after start; first search answered {first:.1f} s after")
    thread.join()
    print(f"warm-up: {warm['words']:.0f} common words in {warm['seconds']:.1f} s")
    syncing = getattr(engine, "catching_up", None)
    if syncing is not None:  # the start's sync, in its thread: measured without it
        begin = time.perf_counter()
        syncing.join()
        print(f"the start's sync ended {time.perf_counter() - begin:.1f} s after the warm-up")
    print(f"{engine.columns().size} documents; notes: {engine.notes or 'none'}", flush=True)
    figures = {
        "engine open, s after start": opened,
        "first search answered, s after start": first,
        "warm-up, s": warm["seconds"],
    }
    figures |= latency(engine, repeats, texts)
    figures["load average (1 min) at the end"] = os.getloadavg()[0]
    figures["resident memory now, GB"] = process.memory_info().rss / 1e9
    figures |= resident_parts()
    figures["resident memory at most, GB"] = (  # (KiB on Linux: 2.4% more than KB / 1e6 said)
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
    )
    print(
        f"resident memory {figures['resident memory now, GB']:.2f} GB, at most "
        f"{figures['resident memory at most, GB']:.2f} GB",
        flush=True,
    )
    return figures


def resident_parts() -> dict[str, float]:
    """This process's resident memory now in two parts: its own (anonymous: Python objects,
    arrays, the model) and the pages of mapped files it has touched (the word file, the graph,
    the libraries; the kernel may drop these at will). Linux only (``/proc/self/smaps_rollup``,
    in KiB)."""
    try:
        rollup = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return {}
    kib = {
        line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if ":" in line
    }
    anonymous = kib.get("Anonymous", 0)
    return {
        "resident memory now: anonymous, GB": anonymous * 1024 / 1e9,
        "resident memory now: mapped files, GB": (kib.get("Rss", 0) - anonymous) * 1024 / 1e9,
    }


class RankEveryMatch(SearchEngine):
    """The PostgreSQL search ranked by ``ts_rank_cd`` of every match, as before
    ``search/pg_words.py`` (the baseline ``pg-topk`` measures beside the engine)."""

    def _matches(self, columns: DocumentColumns, terms: list[str], every: bool) -> Scores:
        key = (columns.generation, tuple(terms), every)
        cached = self._match_cache.get(key)
        if cached is None:
            ranks = self.documents.ts_ranks(terms, every=every)  # higher is better
            order = np.argsort(ranks.ids)
            positions, held = columns.locate(ranks.ids[order])
            cached = (positions[held], -ranks.scores[order][held])
            self._match_cache.put(key, cached)
        return cached


def server_cpu(store: Store) -> float:
    """CPU seconds the PostgreSQL backends serving ``store``'s database have used so far."""
    import psutil
    from sqlalchemy import text

    with store.engine.connect() as connection:
        pids = connection.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).all()
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def compare_topk(store: Store, repeats: int = 2, texts: int = 0) -> None:
    """``pg-topk``: on a PostgreSQL store, a new query text's search by words (facets and the
    page included) ranked by ``ts_rank_cd`` of every match (``RankEveryMatch``) and by the
    engine (``pg_words``, its common words warmed up first), alternating query by query in
    this one process: wall ms, and CPU ms of this process and of the database's backends; then
    how much of the first page the two share."""
    judged = [row["query"] for row in read_jsonl(HERE / "queries.jsonl")]
    engines = {"before": RankEveryMatch(store), "after": SearchEngine(store)}
    start = time.process_time()
    print(
        f"warmed up ({engines['after'].warm_up()} common words) in "
        f"{time.process_time() - start:.1f} s of CPU here",
        flush=True,
    )
    for engine in engines.values():
        engine.columns()
    titles = job_titles(engines["before"])
    print(f"load average {os.getloadavg()} on {os.cpu_count()} CPUs", flush=True)
    for label, filters in (
        ("all families", SearchFilters(role_family=["any"], include_closed=True)),
        ("default view (ML leadership)", SearchFilters(include_closed=True)),
    ):
        timings: dict[str, list[tuple[float, float, float]]] = {name: [] for name in engines}
        same_page, pages = 0.0, 0
        for _ in range(repeats):
            for query in judged[: texts or None] + titles[: texts or None]:
                page_of: dict[str, list[str]] = {}
                for name, engine in engines.items():
                    engine._match_cache.clear()
                    engine._known.clear()
                    engine.pg_words.forget()  # its words read on demand: a new text's cost
                    request = SearchRequest(q=query, filters=filters, mode="lexical")
                    server, client = server_cpu(store), time.process_time()
                    start = time.perf_counter()
                    found = engine.search(request)
                    wall = (time.perf_counter() - start) * 1000
                    client = (time.process_time() - client) * 1000
                    timings[name].append((wall, client, (server_cpu(store) - server) * 1000))
                    page_of[name] = [hit.job_id for hit in found.results]
                if page_of["before"]:
                    pages += 1
                    both = set(page_of["before"]) & set(page_of["after"])
                    same_page += len(both) / len(page_of["before"])
        for name, rows in timings.items():
            walls = sorted(row[0] for row in rows)
            p50 = walls[len(walls) // 2]
            p95 = walls[max(0, math.ceil(len(walls) * 0.95) - 1)]
            client = statistics.mean(row[1] for row in rows)
            server = statistics.mean(row[2] for row in rows)
            print(
                f"{label:<30} {name:<6} {len(rows)} new texts: p50 {p50:.0f} ms, p95 {p95:.0f} "
                f"ms; CPU a search: {client:.1f} ms here + {server:.1f} ms in PostgreSQL",
                flush=True,
            )
        if pages:
            print(f"{'':<30} first pages' jobs in common: {same_page / pages:.0%} on average")


def measure_latency(store: Store) -> None:
    """Latency on another store: its engine opened (indexes synced) and warmed up first."""
    from sqlalchemy import func, select

    from leadboard.store.schema import SearchDocument

    start = time.perf_counter()
    engine = open_engine(store)
    read = engine.warm_up()
    with store.engine.connect() as connection:
        count = connection.scalar(select(func.count(SearchDocument.id)))
    print(
        f"{count} search documents; engine ready and warmed up ({read} common words) in "
        f"{time.perf_counter() - start:.0f} s; notes: {engine.notes or 'none'}"
    )
    latency(engine)


if __name__ == "__main__":
    main()
