"""What a search says when it cannot search by meaning: the vector index holds open postings
only, so a store of stale dumps has embeddings and still nothing to search by meaning — the note
must not send the user to `leadboard enrich` again."""

from __future__ import annotations

import numpy as np
from support.search_jobs import JOBS, NOW, fill

from leadboard.enrich.embeddings import default_embedder
from leadboard.search.engine import open_engine


def test_the_note_tells_no_embeddings_from_no_open_embedded_posting(store) -> None:
    fill(store)
    ids = [f"greenhouse:acme:{row[0]}" for row in JOBS]  # make_job's ids
    assert open_engine(store).notes == [
        "semantic search is off: no embeddings yet (run `leadboard enrich`)"
    ]
    model = default_embedder().version
    vector = np.ones(8, dtype="<f4").tobytes()
    pairs = store.jobs_with_enrichments(ids)
    store.save_embeddings([(pair.job.id, pair.job.content_hash, vector) for pair in pairs], model)
    store.close_jobs(ids, NOW)
    assert store.has_embeddings(model) and not store.has_embeddings("another model")
    assert open_engine(store).notes == [
        "semantic search is off: no open posting has an embedding "
        "(the vector index holds open postings only)"
    ]
