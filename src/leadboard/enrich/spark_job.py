"""Batch enrichment of a PostgreSQL store on a Spark cluster (issue 14): the stored jobs that need
it, enriched and embedded by the executors with the code ``pipeline.enrich_store`` runs.

The driver reads the jobs to do from the store, ``CHUNK`` at a time (``Store.jobs_to_enrich``,
then ``jobs_to_embed``), and hands each chunk to Spark as a DataFrame cut into ``partitions``
slices of neighbouring ids. Each slice runs :func:`enrich_partition` (:func:`embed_partition`) as
a pandas UDF (``mapInPandas``) on an executor: one ``Enricher`` (embedder) a slice, batches of
``batch_size`` rows, each batch saved by the executor itself in its own transaction
(``Store.save_enrichments`` / ``save_embeddings``: upserts keyed by job id that carry the content
hash and the version). Only counts come back to the driver, which then syncs the search index.

Nothing is lost when something dies: a batch is saved whole or not at all; a task whose worker
died is run again by Spark (batches it had saved are saved again, the same); a driver that died
leaves what was saved, and the next run's ``jobs_to_enrich`` returns only the rest.

>>> enrich_on_spark("sqlite:///leadboard.db", "local[2]")
Traceback (most recent call last):
ValueError: the executors write to the database themselves: it must be a PostgreSQL server \
they can reach, not sqlite
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from leadboard import models
from leadboard.pipeline import EnrichSummary, make_enricher
from leadboard.store.database import make_engine
from leadboard.store.repository import Store

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import SparkSession

    from leadboard.enrich.embeddings import TextEmbedder
    from leadboard.enrich.enricher import Enricher

CHUNK = 20_000  # jobs the driver reads and hands to Spark at a time: its memory stays bounded
BATCH_SIZE = 64  # rows an executor enriches and saves in one transaction (one Arrow batch)
ROWS = "id string, content_hash string, title string, text string, remote string, salary string"
COUNTS = "done long"

# What a slice of a pass runs on an executor: its rows in pandas batches, the database URL and
# the version the driver read the work for; it yields one ``done`` count a saved batch.
PartitionWork = Callable[..., Iterator["pd.DataFrame"]]
Record = tuple[str, str, str | None, str | None, str | None, str | None]


@dataclass
class SparkSummary(EnrichSummary):
    """``EnrichSummary``, and where and how fast the job ran."""

    master: str = ""
    partitions: int = 0
    seconds: float = 0.0  # the enrich and embed passes, without the session's start
    indexed: int = 0  # search documents the sync after the passes wrote

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {
            "master": self.master,
            "partitions": self.partitions,
            "seconds": round(self.seconds, 3),
            "indexed": self.indexed,
        }


def enrich_on_spark(
    database_url: str,
    master: str | None = None,
    *,
    partitions: int | None = None,
    embed: bool = True,
    batch_size: int = BATCH_SIZE,
    chunk: int = CHUNK,
    conf: Mapping[str, str] | None = None,
    work: PartitionWork | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> SparkSummary:
    """Enrich (and with ``embed`` embed) every stored job that needs it on Spark, then sync the
    search index; holds the store's writer lock throughout, as ``leadboard enrich`` does.

    ``master``: a Spark master URL (``local-cluster[2,1,1024]``, ``spark://host:7077``…); None
    takes the session already running in this process, else Spark's configured one.
    ``partitions``: slices of each chunk (default: the cluster's default parallelism).
    ``conf``: more Spark settings for a session started here. ``work`` is what each slice of
    the enrich pass runs: :func:`enrich_partition` unless given a function that wraps it.
    """
    from leadboard.enrich.training import role_model_problem
    from leadboard.search.index import sync_search_index

    backend = make_url(database_url).get_backend_name()
    if backend != "postgresql":
        raise ValueError(
            "the executors write to the database themselves: it must be a PostgreSQL server "
            f"they can reach, not {backend}"
        )
    store = Store.open(database_url)  # migrated here, once: the executors only connect
    try:
        with store.writer(say=say):
            enricher = make_enricher()  # the executors' must have the same version
            with spark_session(master, conf) as spark:
                spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_size))
                slices = partitions or spark.sparkContext.defaultParallelism
                summary = SparkSummary(
                    version=enricher.version,
                    master=spark.sparkContext.master or "",
                    partitions=slices,
                )
                run = partial(_run_pass, spark, database_url, slices=slices, chunk=chunk)
                start = time.perf_counter()
                summary.enriched = run(
                    store.jobs_to_enrich, enricher.version, work or enrich_partition
                )
                if embed:
                    _embed_pass(summary, enricher, partial(run, store.jobs_to_embed))
                summary.seconds = time.perf_counter() - start
            if enricher.role_model is None:
                summary.problems.append(f"no role families: {role_model_problem()}")
            summary.indexed = sync_search_index(store).indexed  # once, on the driver
        return summary
    finally:
        store.close()


@contextmanager
def spark_session(
    master: str | None = None, conf: Mapping[str, str] | None = None
) -> Iterator[SparkSession]:
    """The Spark session already running in this process, else a new one on ``master``,
    stopped afterwards. A local master's workers run this Python (and so this Leadboard);
    elsewhere ``$PYSPARK_PYTHON`` names the workers' Python, as in any PySpark job."""
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    builder = SparkSession.builder.appName("leadboard-enrich")
    if master:
        builder = builder.master(master)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    local = bool(master and master.startswith("local")) and "PYSPARK_PYTHON" not in os.environ
    if local:  # the context reads it once, when it starts
        os.environ["PYSPARK_PYTHON"] = sys.executable
    try:
        spark = builder.getOrCreate()
    finally:
        if local:
            del os.environ["PYSPARK_PYTHON"]
    try:
        yield spark
    finally:
        spark.stop()


def _embed_pass(
    summary: SparkSummary, enricher: Enricher, run: Callable[[str, PartitionWork], int]
) -> None:
    """The embed pass, with the driver's sentence model's version; without one, the reason."""
    from leadboard.enrich.embeddings import EmbeddingsUnavailable

    try:
        model = enricher.embedding_model().version
    except EmbeddingsUnavailable as error:
        summary.problems.append(f"no embeddings: {error}")
    else:
        summary.embedding_model = model
        summary.embedded = run(model, embed_partition)


def _run_pass(
    spark: SparkSession,
    database_url: str,
    pending: Callable[..., list[tuple[str, str, dict[str, Any]]]],
    version: str,
    work: PartitionWork,
    *,
    slices: int,
    chunk: int,
) -> int:
    """Hand the jobs ``pending`` returns to ``work`` on the executors, a chunk at a time; the
    number they saved."""
    done, after = 0, ""
    while jobs := pending(version, after=after, limit=chunk):
        # parallelize cuts the list into contiguous slices: neighbouring ids, no shuffle.
        rows = spark.sparkContext.parallelize([_record(job) for job in jobs], slices)
        task = partial(work, database_url=database_url, version=version)
        counts = spark.createDataFrame(rows, ROWS).mapInPandas(task, COUNTS).collect()
        done += sum(count.done for count in counts)
        after = jobs[-1][0]
    return done


Jobs = list[tuple[str, str, dict[str, Any]]]  # (id, content hash, posting) as _jobs gives them


def enrich_partition(
    batches: Iterator[pd.DataFrame], database_url: str, version: str
) -> Iterator[pd.DataFrame]:
    """One slice of the enrich pass, on an executor: each batch enriched by the packaged
    enricher and saved in its own transaction; yields how many rows each batch saved."""
    enricher = make_enricher()
    _check_version("enricher", enricher.version, version)

    def save(store: Store, jobs: Jobs) -> None:
        results = enricher.enrich_batch([row for *_, row in jobs])
        pairs = zip(jobs, results, strict=True)
        store.save_enrichments([(i, digest, res) for (i, digest, _), res in pairs], _now())

    yield from _saved(batches, database_url, save)


def embed_partition(
    batches: Iterator[pd.DataFrame], database_url: str, version: str
) -> Iterator[pd.DataFrame]:
    """One slice of the embed pass, on an executor: each batch embedded by the default sentence
    model and saved in its own transaction; yields how many rows each batch saved."""
    from leadboard.enrich.embeddings import posting_text

    embedder = _embedder()
    _check_version("embedding model", embedder.version, version)

    def save(store: Store, jobs: Jobs) -> None:
        vectors = embedder.encode([posting_text(row["title"], row["text"]) for *_, row in jobs])
        pairs = zip(jobs, vectors, strict=True)
        rows = [(i, digest, vector.astype("<f4").tobytes()) for (i, digest, _), vector in pairs]
        store.save_embeddings(rows, version)

    yield from _saved(batches, database_url, save)


def _saved(
    batches: Iterator[pd.DataFrame], database_url: str, save: Callable[[Store, Jobs], None]
) -> Iterator[pd.DataFrame]:
    """``save`` each batch into the store at ``database_url``; how many rows each batch saved."""
    import pandas as pd

    store = Store(make_engine(database_url))
    try:
        for batch in batches:
            jobs = _jobs(batch)
            save(store, jobs)
            yield pd.DataFrame({"done": [len(jobs)]})
    finally:
        store.close()


def _embedder() -> TextEmbedder:
    """The default sentence model, made once a Python worker (MiniLM takes seconds to build,
    and Spark reuses a worker for the next tasks), on as many threads as the task has cores."""
    from pyspark import TaskContext

    task = TaskContext.get()
    return _embedder_on(task.cpus() if task is not None else 1)


@cache
def _embedder_on(threads: int) -> TextEmbedder:
    from leadboard.enrich.embeddings import Embedder, default_embedder

    embedder = default_embedder()
    if isinstance(embedder, Embedder):  # not yet loaded: else it takes every core of the node
        embedder.threads = threads
    return embedder


def _check_version(what: str, here: str, driver: str) -> None:
    """A worker whose models differ from the driver's would save results the store takes for
    another version's (and redo them on every run): stop the job with the reason instead."""
    if here != driver:
        raise RuntimeError(
            f"this worker's {what} is {here}, the driver's {driver}: install the same Leadboard "
            "and models on every worker"
        )


def _record(job: tuple[str, str, dict[str, Any]]) -> Record:
    """A pending job as a Spark row (``ROWS``): the salary as JSON.

    >>> salary = models.Salary(min=1, max=2, currency="USD", period="year")
    >>> row = {"id": "a", "title": "T", "text": "x", "remote": None, "salary": salary}
    >>> _record(("a", "h", row))
    ('a', 'h', 'T', 'x', None, '{"min":1.0,"max":2.0,"currency":"USD","period":"year"}')
    >>> _jobs_of([_record(("a", "h", row))]) == [("a", "h", row)]
    True
    """
    job_id, digest, row = job
    salary = row["salary"].model_dump_json() if row["salary"] is not None else None
    return (job_id, digest, row["title"], row["text"], row["remote"], salary)


def _jobs(batch: pd.DataFrame) -> Jobs:
    """A pandas batch of ``ROWS`` back as ``Store.jobs_to_enrich`` gave them."""
    return _jobs_of(batch.itertuples(index=False, name=None))


def _jobs_of(records: Iterable[Sequence[Any]]) -> Jobs:
    jobs = []
    for job_id, digest, title, text, remote, salary in records:
        row = {
            "id": job_id,
            "title": title,
            "text": text,
            "remote": remote,
            "salary": models.Salary.model_validate_json(salary) if salary else None,
        }
        jobs.append((job_id, digest, row))
    return jobs


def _now() -> datetime:
    return datetime.now(UTC)
