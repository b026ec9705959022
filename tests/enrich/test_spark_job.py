"""Batch enrichment on Spark (issue 14): a local cluster of two workers enriches and embeds a
PostgreSQL store of real postings as ``enrich_store`` does in one process, loses nothing when a
worker dies mid-batch, and leaves nothing for a second run to do.

One Spark session serves the whole module (it takes 15 to 50 s to start); the tests run on
PostgreSQL only, once (the executors write to the database themselves)."""

from __future__ import annotations

import json
import os
import signal
from contextlib import ExitStack
from pathlib import Path

import pytest
from support.postgres import fresh_database
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.enrich.spark_job import enrich_on_spark, enrich_partition, spark_session
from leadboard.pipeline import enrich_store, import_paths, make_enricher
from leadboard.store.repository import Store

# One Spark session for the module: pytest-xdist keeps the module on one worker (--dist loadgroup).
pytestmark = [pytest.mark.shared_data, pytest.mark.xdist_group("spark")]

MASTER = "local-cluster[2,1,1024]"  # two workers of one core and 1 GiB each
DUMPS = {"ai-labs-2026-04": 90, "hn-who-is-hiring-2026": 86}  # every n-th line: 40 + 20 records


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """The module's Spark session. Its workers inherit this environment when it starts: the
    packaged role model and the static sentence model, as the driver (this process) has them."""
    models = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEADBOARD_MODELS_DIR", str(models))
        patch.setenv("LEADBOARD_EMBEDDING_MODEL", "static")
        quiet = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"}
        with spark_session(MASTER, quiet) as session:
            yield session


@pytest.fixture(scope="module")
def postings(shared_data_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("postings")
    for dump, step in DUMPS.items():
        lines = (shared_data_dir / "postings" / dump / "postings.jsonl").read_text().splitlines()
        (folder / f"{dump}.jsonl").write_text("\n".join(lines[::step]) + "\n")
    return folder


@pytest.fixture
def new_store(postgres_url, postgres_template, postings):
    """Makes a new PostgreSQL store holding the postings: ``new_store() -> (its URL, jobs)``
    (a few dozen: a Hacker News comment can hold several postings)."""
    with ExitStack() as databases:

        def make() -> tuple[str, int]:
            url = databases.enter_context(fresh_database(postgres_url, postgres_template))
            store = Store.open(url)
            jobs = import_paths(store, [postings]).inserted
            store.close()
            assert jobs > 40
            return url, jobs

        yield make


def stored(url: str) -> dict[str, tuple]:
    """Every job's enrichment and embedding as saved, less the time they were saved."""
    store = Store.open(url)
    try:
        jobs = store.jobs_to_enrich("no such version", limit=1000)  # every job
        saved = {}
        for job_id, digest, _ in jobs:
            enrichment, embedding = store.get_enrichment(job_id), store.get_embedding(job_id)
            assert enrichment is not None and embedding is not None, job_id
            assert enrichment.content_hash == embedding.content_hash == digest
            saved[job_id] = (
                enrichment.version,
                enrichment.role_family,
                enrichment.ml_leadership,
                enrichment.seniority,
                (enrichment.years_min, enrichment.years_max),
                enrichment.skills,
                enrichment.duties,
                enrichment.detail,
                embedding.model,
                embedding.vector,
            )
        return saved
    finally:
        store.close()


def test_the_job_enriches_and_embeds_every_job_as_one_process_does(spark, new_store):
    (on_spark, jobs), (in_process, _) = new_store(), new_store()

    summary = enrich_on_spark(on_spark, partitions=3, batch_size=8)
    store = Store.open(in_process)
    baseline = enrich_store(store, make_enricher(), embed=True)
    store.close()

    assert (summary.enriched, summary.embedded) == (jobs, jobs)
    assert (baseline.enriched, baseline.embedded) == (jobs, jobs)
    assert (summary.version, summary.embedding_model, summary.problems) == (
        baseline.version,
        baseline.embedding_model,
        [],
    )
    assert (summary.master, summary.partitions) == (MASTER, 3)
    assert summary.indexed == jobs  # searchable: the index was synced after the job
    assert stored(on_spark) == stored(in_process)


def test_a_worker_killed_mid_batch_loses_nothing_and_the_job_is_not_redone(
    spark, new_store, tmp_path
):
    killed = tmp_path / "killed"

    def dies_once(batches, **where):
        """The real work; the first slice to save a batch then kills its Python worker."""
        for count in enrich_partition(batches, **where):
            yield count
            if not killed.exists():
                killed.touch()
                os.kill(os.getpid(), signal.SIGKILL)

    url, jobs = new_store()
    summary = enrich_on_spark(url, partitions=2, batch_size=4, work=dies_once)

    assert killed.exists()  # a worker did die, after saving its first batch
    assert (summary.enriched, summary.embedded) == (jobs, jobs)  # Spark ran its task again
    store = Store.open(url)
    try:
        enricher = make_enricher()
        pending = store.jobs_to_enrich("no such version", limit=1000)  # every job
        expected = enricher.enrich_batch([row for _, _, row in pending])
        for (job_id, _, _), result in zip(pending, expected, strict=True):
            assert store.get_enrichment(job_id).detail == result.model_dump(mode="json")
        assert store.stats()["enrichment_versions"] == {enricher.version: jobs}
    finally:
        store.close()

    again = enrich_on_spark(url)
    assert (again.enriched, again.embedded, again.indexed) == (0, 0, 0)


def test_the_command_enriches_a_store(spark, new_store):
    url, jobs = new_store()
    done = CliRunner().invoke(
        app, ["enrich-spark", "--database-url", url, "--master", MASTER, "--json"]
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["enriched"] == jobs


def test_the_command_refuses_a_database_the_workers_cannot_share():
    refused = CliRunner().invoke(app, ["enrich-spark", "--database-url", "sqlite:///x.db"])
    assert refused.exit_code == 2
    assert "must be a PostgreSQL server they can reach, not sqlite" in refused.output
