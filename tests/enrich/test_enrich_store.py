"""``enrich_store`` over a store (issue 14): each content enriched and embedded once, the rest
copied; a re-crawl that changes nothing costs nothing; worker processes give what one process
gives. With the real enricher, the packaged role model and the static sentence model."""

import json
from pathlib import Path

import numpy as np
import pytest

from leadboard import pipeline
from leadboard.enrich.enricher import Enricher
from leadboard.enrich.role import RoleClassifier
from leadboard.enrich.static_embeddings import StaticEmbedder
from leadboard.pipeline import enrich_pool, enrich_store, import_paths

POSTINGS = [
    {
        "id": "1",
        "title": "Staff ML Engineer",
        "company": "Acme",
        "location": "Remote - US",
        "description": "You will lead a team of four ML engineers and mentor them. "
        "Requirements: 8+ years of experience with Python and PyTorch.",
    },
    {
        "id": "2",
        "title": "Data Analyst",
        "company": "Acme",
        "location": "New York, NY",
        "description": "Build dashboards in Tableau and answer business questions with SQL. "
        "3+ years of analytics experience.",
    },
    {
        "id": "3",
        "title": "Pastry Chef",
        "company": "Bakery",
        "location": "Paris, France",
        "description": "Bake croissants every morning.",
    },
]


def dump(folder: Path, board: str, postings: list[dict]) -> Path:
    """A dump file of ``postings``; its folder names the board, so the jobs' ids."""
    path = folder / board / "postings.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(posting) + "\n" for posting in postings))
    return path


@pytest.fixture(scope="module")
def enricher(role_models_dir):
    return Enricher(RoleClassifier.load(role_models_dir / "role"), StaticEmbedder())


def test_an_unchanged_reimport_enriches_and_embeds_nothing(store, enricher, tmp_path):
    postings = dump(tmp_path, "board-a", POSTINGS)
    import_paths(store, [postings])
    first = enrich_store(store, enricher, embed=True)

    import_paths(store, [postings])
    again = enrich_store(store, enricher, embed=True)

    assert (first.enriched, first.embedded, first.copied) == (3, 3, 0)
    assert (again.enriched, again.embedded, again.copied, again.copied_embeddings) == (0, 0, 0, 0)


def test_a_repost_under_another_id_gets_a_copy_of_what_was_computed(store, enricher, tmp_path):
    import_paths(store, [dump(tmp_path, "board-a", POSTINGS)])
    enrich_store(store, enricher, embed=True)
    reposts = [{**posting, "id": f"re-{posting['id']}"} for posting in POSTINGS]
    import_paths(store, [dump(tmp_path, "board-b", reposts)])

    summary = enrich_store(store, enricher, embed=True)

    assert (summary.enriched, summary.copied) == (3, 3)
    assert (summary.embedded, summary.copied_embeddings) == (3, 3)
    for posting in POSTINGS:
        original, repost = f"file:board-a:{posting['id']}", f"file:board-b:re-{posting['id']}"
        copied = store.get_enrichment(repost)
        assert copied.detail == {**store.get_enrichment(original).detail, "id": repost}
        job = store.get_job(repost)
        row = {"id": repost, "title": job.title_raw, "text": job.description_text}
        computed = enricher.enrich_batch([{**row, "remote": job.remote, "salary": None}])[0]
        assert copied.detail == computed.model_dump(mode="json")  # what computing it gives
        vectors = [store.get_embedding(job_id).vector for job_id in (original, repost)]
        assert vectors[0] == vectors[1]


def test_the_same_content_twice_in_one_pass_is_computed_once(store, enricher, tmp_path):
    twice = POSTINGS + [{**posting, "id": f"re-{posting['id']}"} for posting in POSTINGS]
    import_paths(store, [dump(tmp_path, "board-a", twice)])

    summary = enrich_store(store, enricher, embed=True)

    assert (summary.enriched, summary.copied) == (6, 3)
    assert (summary.embedded, summary.copied_embeddings) == (6, 3)
    assert store.get_enrichment("file:board-a:re-1").detail["id"] == "file:board-a:re-1"
    same = [store.get_embedding(f"file:board-a:{key}").vector for key in ("1", "re-1")]
    assert same[0] == same[1]


def test_a_pass_with_worker_processes_stores_what_one_process_computes(
    store, enricher, tmp_path, monkeypatch
):
    monkeypatch.setattr(pipeline, "POOL_AFTER", 2)  # workers for three jobs (they wait for 128)
    import_paths(store, [dump(tmp_path, "board-a", POSTINGS)])

    summary = enrich_store(store, enricher, embed=True, batch_size=1, workers=2)

    assert (summary.enriched, summary.embedded) == (3, 3)
    for posting in POSTINGS:
        job = store.get_job(f"file:board-a:{posting['id']}")
        row = {"id": job.id, "title": job.title_raw, "text": job.description_text}
        computed = enricher.enrich_batch([{**row, "remote": job.remote, "salary": None}])[0]
        assert store.get_enrichment(job.id).detail == computed.model_dump(mode="json")
    again = enrich_store(store, enricher, embed=True, workers=2)  # the parent's connections work
    assert (again.enriched, again.embedded) == (0, 0)


def test_worker_processes_enrich_as_this_process_does(enricher, shared_data_dir):
    path = shared_data_dir / "postings" / "ai-labs-2025-08" / "postings.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()[:48]]
    batches = [rows[start : start + 16] for start in range(0, len(rows), 16)]

    with enrich_pool(enricher, workers=2) as pool:
        futures = [pool.submit(batch) for batch in batches]
        in_workers = [result for future in futures for result in future.result()]

    here = [result for batch in batches for result in enricher.enrich_batch(batch)]
    assert [r.model_dump() for r in in_workers] == [r.model_dump() for r in here]
    assert any(r.role_family for r in here) and np.isfinite([r.ml_leadership for r in here]).all()
