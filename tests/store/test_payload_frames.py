"""Migration 0014: raw payloads packed against their job's description — a payload repeats the
job's description, so the latest one is compressed against it and costs a few hundred bytes
instead of ~1.7 KB; when the description changes, the payloads packed against the old one are
packed again alone first. Every payload ``leadboard show`` reads (``Store.raw_postings``) stays
what the source gave, through changes and through 0013 and back. Vectors become int8 steps with
a scale, and the unread ``jobs.canonical_url`` goes."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import inspect, text
from support.migrations import migrate_to

from leadboard import models
from leadboard.pipeline import import_paths
from leadboard.store import compact
from leadboard.store.dedup import canonical_url

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
JOB = "greenhouse:acme:1"
DUMPS = ("ats-boards-2026-05", "ai-labs-2026-04", "aggregator-2026q1", "linkedin-cs-2025-09")
LINES = 60  # the first lines of each real dump
URL = "https://boards.greenhouse.io/acme/jobs/1?gh_src=feed"


def pair(version: int, url: str | None = URL) -> tuple[models.SourcePosting, models.Job]:
    """Job 1 of board acme, its text in version ``version`` (the payload carries it as HTML)."""
    # Words that do not repeat, as a real text's mostly do not: zstd finds them in the description.
    words = (hashlib.sha256(f"{version}.{i}".encode()).hexdigest()[:8] for i in range(120))
    text_ = " ".join(words)
    html = f"<p>{text_}</p>"
    posting = models.SourcePosting(
        source="greenhouse",
        board="acme",
        external_id="1",
        fetched_at=T0 + timedelta(days=version),
        url=url,
        payload={"id": 1, "title": "Head of ML", "content": html, "version": version},
    )
    job = models.Job(
        id=posting.key,
        source="greenhouse",
        board="acme",
        external_id="1",
        title="Head of ML",
        title_raw="Head of ML",
        company="Acme",
        url=url,
        description_text=text_,
        description_html=html,
        content_hash=hashlib.sha256(text_.encode()).hexdigest(),
    )
    return posting, job


def save(store, version: int, url: str | None = URL) -> None:
    posting, job = pair(version, url)
    at = T0 + timedelta(days=version)
    store.save_batch([(posting, job)], [], index=store.duplicate_index(), seen_at=at)


def marks(store, job_id: str = JOB) -> list[bool]:
    """Which of a job's payload frames are packed against its description, oldest first."""
    with store.engine.connect() as connection:
        query = "SELECT with_description FROM raw_postings WHERE job_id = :j ORDER BY id"
        return [bool(mark) for mark in connection.scalars(text(query), {"j": job_id})]


def test_a_payload_is_packed_against_its_description_in_a_fraction_of_the_bytes():
    posting, job = pair(1)
    description = compact.pack_description(job.description_html, job.description_text)
    against = compact.pack_payload(posting.payload, description)
    alone = compact.pack_payload(posting.payload)
    assert len(against) < len(alone) / 3
    assert compact.unpack_payload(against, description) == posting.payload
    with pytest.raises(Exception):  # noqa: B017 - zstandard raises its own ZstdError
        compact.unpack_payload(against)  # it cannot be read without the description


def test_a_payload_that_changed_twice_and_came_back_reads_back_each_time(store):
    payloads = [pair(version)[0].payload for version in (1, 2, 3)]
    save(store, 1)
    assert marks(store) == [True]
    save(store, 2)  # a new description: the first payload is packed alone again
    assert marks(store) == [False, True]
    save(store, 3)
    assert marks(store) == [False, False, True]
    assert [raw.payload for raw in store.raw_postings(JOB)] == payloads
    # The first payload again: no new row, but the description it holds changes back.
    save(store, 1)
    assert marks(store) == [False, False, False]
    assert [raw.payload for raw in store.raw_postings(JOB)] == payloads
    assert store.get_job(JOB).description_text == pair(1)[1].description_text


def test_a_new_payload_with_the_same_description_is_packed_against_it_too(store):
    save(store, 1)
    posting, job = pair(1)
    posting.payload["fetched"] = "again"  # the payload changed, the job's text did not
    store.save_batch([(posting, job)], [], index=store.duplicate_index(), seen_at=T0)
    assert marks(store) == [True, True]
    assert [raw.payload for raw in store.raw_postings(JOB)] == [pair(1)[0].payload, posting.payload]


def test_a_raw_posting_keeps_its_url_when_the_job_s_changes(store):
    save(store, 1)
    save(store, 2, None)  # the URL gone from the source
    save(store, 3, URL + "&v=3")
    assert [raw.url for raw in store.raw_postings(JOB)] == [URL, None, URL + "&v=3"]
    with store.engine.connect() as connection:  # the latest leaves it out: the job's
        stored = connection.scalars(text("SELECT url FROM raw_postings ORDER BY id")).all()
    assert stored == [URL, "", None]


def shown(store) -> dict[str, list[tuple[str | None, dict]]]:
    """Every job's payloads, with their URLs, as ``leadboard show`` reads them."""
    with store.engine.connect() as connection:
        ids = list(connection.scalars(text("SELECT id FROM jobs ORDER BY id")))
    return {
        job_id: [(raw.url, raw.payload) for raw in store.raw_postings(job_id)] for job_id in ids
    }


def frame_bytes(store) -> int:
    with store.engine.connect() as connection:
        return connection.scalar(text("SELECT SUM(LENGTH(payload)) FROM raw_postings"))


def test_real_payloads_read_the_same_through_0013_and_back(store, shared_data_dir, tmp_path):
    dumps = []
    for name in DUMPS:
        dump = tmp_path / f"{name}.jsonl"
        with (shared_data_dir / "postings" / name / "postings.jsonl").open() as lines:
            dump.write_text("".join(itertools.islice(lines, LINES)))
        dumps.append(dump)
    import_paths(store, dumps)
    for version, url in ((1, URL), (2, None), (3, URL + "&v=3")):  # a payload changed twice
        save(store, version, url)
    before = shown(store)
    assert len({job_id.split(":")[0] for job_id in before}) >= 3  # several sources
    assert len(before[JOB]) == 3
    packed = frame_bytes(store)

    migrate_to(store.engine, "0013", down=True)  # the layout before: every frame alone
    columns = {c["name"] for c in inspect(store.engine).get_columns("raw_postings")}
    assert "with_description" not in columns
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT job_id, url, payload FROM raw_postings ORDER BY id"))
        alone: dict[str, list[tuple[str | None, dict]]] = {}
        for job_id, url, frame in rows:
            alone.setdefault(job_id, []).append((url, compact.unpack_json(frame)))
    assert alone == before
    assert frame_bytes(store) > 2 * packed

    migrate_to(store.engine, "head", down=False)  # 0013 -> 0014: each job's latest payload packed
    assert shown(store) == before
    assert frame_bytes(store) == packed
    assert marks(store) == [False, False, True]


def test_vectors_and_the_canonical_url_through_0013_and_back(store):
    save(store, 1)
    vector = np.random.default_rng(3).normal(size=384).astype("<f4")
    vector /= np.linalg.norm(vector)
    store.save_embeddings([(JOB, pair(1)[1].content_hash, vector.tobytes())], "m")
    kept = np.frombuffer(store.get_embedding(JOB).vector, dtype="<f4")
    assert float(kept @ vector) > 0.9999  # int8 steps: the direction kept, the length too
    assert np.linalg.norm(kept) == pytest.approx(1.0, abs=1e-6)

    migrate_to(store.engine, "0013", down=True)
    with store.engine.connect() as connection:
        half, canonical = connection.execute(
            text(
                "SELECT e.vector, j.canonical_url FROM embeddings e JOIN jobs j ON j.id = e.job_id"
            )
        ).one()
    assert len(half) == 384 * 2  # float16, as 0013 kept it
    assert canonical == canonical_url(pair(1)[1].url)  # written again, as 0013's writer did

    migrate_to(store.engine, "head", down=False)
    columns = {c["name"] for c in inspect(store.engine).get_columns("jobs")}
    assert "canonical_url" not in columns  # written, never read
    with store.engine.connect() as connection:
        assert len(connection.scalar(text("SELECT vector FROM embeddings"))) == 4 + 384
    again = np.frombuffer(store.get_embedding(JOB).vector, dtype="<f4")
    np.testing.assert_allclose(again, kept, atol=1e-3)
