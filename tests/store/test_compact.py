"""The compact store (migration 0009): raw payloads, descriptions and enrichment evidence are
compressed and vectors kept small (float16; int8 steps since 0014), yet every ``Store`` method
reads back what was saved; a store of the old layout, with data in it, is converted without
losing any of it — on each backend."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import zstandard
from sqlalchemy import text
from support.migrations import migrate_to

from leadboard import models
from leadboard.store import compact
from leadboard.store.database import migrate

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
HTML = "".join(
    f"<p>Lead the ranking team, sentence {i}: Python, PyTorch, search.</p>" for i in range(40)
)
TEXT = "\n\n".join(
    f"Lead the ranking team, sentence {i}: Python, PyTorch, search." for i in range(40)
)


def pair(external_id: str) -> tuple[models.SourcePosting, models.Job]:
    posting = models.SourcePosting(
        source="greenhouse",
        board="acme",
        external_id=external_id,
        fetched_at=T0,
        payload={"id": external_id, "title": "Head of ML", "content": HTML, "nested": {"a": [1]}},
    )
    job = models.Job(
        id=posting.key,
        source="greenhouse",
        board="acme",
        external_id=external_id,
        title="Head of ML",
        title_raw="Head of ML",
        company="Acme",
        description_text=TEXT,
        description_html=HTML,
        content_hash=hashlib.sha256(f"{external_id}{TEXT}".encode()).hexdigest(),
    )
    return posting, job


def enrichment(job_id: str) -> models.Enrichment:
    return models.Enrichment.model_validate(
        {
            "id": job_id,
            "model_version": "test-1",
            "role_family": "ml_leadership",
            "seniority": "director",
            "skills": [{"name": "python", "evidence": [{"text": "Python", "start": 34}]}],
            "duty_evidence": {"lead": [{"text": "Lead the ranking team", "start": 0}]},
            "reasons": ["a reason"],
        }
    )


def fill(store) -> tuple[list[str], np.ndarray]:
    pairs = [pair(str(n)) for n in range(3)]
    store.save_batch(pairs, [], index=store.duplicate_index(), seen_at=T0)
    ids = [job.id for _, job in pairs]
    hashes = {job.id: job.content_hash for _, job in pairs}
    store.save_enrichments([(i, hashes[i], enrichment(i)) for i in ids], T0)
    vectors = np.random.default_rng(7).normal(size=(3, 8)).astype("<f4")
    store.save_embeddings(
        [(i, hashes[i], v.tobytes()) for i, v in zip(ids, vectors, strict=True)], "m"
    )
    return ids, vectors


def assert_reads_back(store, ids: list[str], vectors: np.ndarray) -> None:
    for job_id, vector in zip(ids, vectors, strict=True):
        job = store.get_job(job_id)
        assert (job.description_html, job.description_text) == (HTML, TEXT)
        [raw] = store.raw_postings(job_id)
        assert raw.payload == pair(job_id.rsplit(":", 1)[1])[0].payload
        assert store.get_enrichment(job_id).detail == enrichment(job_id).model_dump(mode="json")
        stored = np.frombuffer(store.get_embedding(job_id).vector, dtype="<f4")
        np.testing.assert_allclose(stored, vector, atol=np.abs(vector).max() / 127)  # int8 steps
        assert np.linalg.norm(stored) == pytest.approx(np.linalg.norm(vector), rel=1e-4)
    pending = store.jobs_to_enrich("another version")
    assert [row["text"] for _, _, row in pending] == [TEXT] * 3


def test_every_read_gives_back_what_was_saved(store):
    ids, vectors = fill(store)
    assert_reads_back(store, ids, vectors)
    listed = store.jobs_with_enrichments(ids)
    assert {item.enrichment.detail["skills"][0]["name"] for item in listed} == {"python"}


def test_what_is_stored_is_a_fraction_of_what_was_given(store):
    fill(store)
    with store.engine.connect() as connection:
        description, payload, evidence, vector = connection.execute(
            text(
                "SELECT length(j.description), length(r.payload), length(e.evidence), "
                "length(v.vector) FROM jobs j JOIN raw_postings r ON r.job_id = j.id "
                "JOIN enrichments e ON e.job_id = j.id JOIN embeddings v ON v.job_id = j.id "
                "LIMIT 1"
            )
        ).one()
    given = len(HTML) + len(TEXT)
    assert description < given / 10  # HTML and text in one frame: the text costs next to nothing
    assert payload < len(json.dumps(pair("0")[0].payload)) / 5
    rest = compact.split_detail(enrichment("j").model_dump(mode="json"))[1]
    assert evidence < len(json.dumps(rest)) * 0.8
    assert vector == 4 + 8  # a scale, then int8 steps (float16 until 0014)


def as_json(value):
    """A JSON column read by plain SQL: text on SQLite, parsed by psycopg."""
    return json.loads(value) if isinstance(value, str) else value


def test_a_store_of_the_old_layout_is_converted_with_nothing_lost(store):
    ids, vectors = fill(store)
    migrate_to(store.engine, "0008", down=True)  # the layout every store had before 0009
    with store.engine.connect() as connection:
        html, plain = connection.execute(
            text("SELECT description_html, description_text FROM jobs WHERE id = :id"),
            {"id": ids[0]},
        ).one()
        payload, detail, vector = connection.execute(
            text(
                "SELECT r.payload, e.detail, v.vector FROM raw_postings r "
                "JOIN enrichments e ON e.job_id = r.job_id "
                "JOIN embeddings v ON v.job_id = r.job_id WHERE r.job_id = :id"
            ),
            {"id": ids[0]},
        ).one()
    assert (html, plain) == (HTML, TEXT)
    assert as_json(payload) == pair("0")[0].payload
    assert as_json(detail) == enrichment(ids[0]).model_dump(mode="json")
    assert len(vector) == 8 * 4  # float32 again

    if store.engine.dialect.name == "sqlite":  # an old store: SQLite's default 4 KB pages
        store.engine.dispose()
        old = sqlite3.connect(str(store.engine.url.database), isolation_level=None)
        old.execute("PRAGMA journal_mode=DELETE")  # a page size changes only outside WAL
        old.execute("PRAGMA page_size=4096")
        old.execute("VACUUM")
        old.execute("PRAGMA journal_mode=WAL")
        assert old.execute("PRAGMA page_size").fetchone() == (4096,)
        old.close()

    migrate(store.engine)  # what Store.open does to an old store
    assert_reads_back(store, ids, vectors)
    if store.engine.dialect.name == "sqlite":  # converted, then VACUUMed into 16 KB pages
        with store.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA page_size").scalar() == 16384
            assert pragma("PRAGMA freelist_count").scalar() == 0
            assert pragma("PRAGMA journal_mode").scalar() == "wal"


def test_a_new_sqlite_store_has_16k_pages(store):
    """Rows of 1-3 KB would leave most of SQLite's default 4 KB page empty."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's page size")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA page_size").scalar() == 16384


def test_the_package_ships_no_development_data():
    """A dictionary trained on postings would carry passages of them: none ships."""
    assert not list(Path(compact.__file__).parents[1].glob("data/zstd-*"))
    blob = compact.compress("a record")
    assert zstandard.get_frame_parameters(blob).dict_id == 0
    assert compact.decompress(blob) == "a record"
