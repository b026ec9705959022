"""A match list's positions at a million postings (issue 14): dense ids are found through a
table of positions, sparse ones by binary search; both must name the same documents."""

from __future__ import annotations

import numpy as np

from leadboard.search.columns import DENSE_IDS, DocumentColumns


def columns_of(ids: np.ndarray) -> DocumentColumns:
    columns = DocumentColumns.__new__(DocumentColumns)  # the ids are all locate reads
    columns.ids, columns.size = ids, len(ids)
    return columns


def test_dense_and_sparse_ids_locate_the_same_documents() -> None:
    rng = np.random.default_rng(5)
    held = np.sort(rng.choice(3_000, 1_000, replace=False)).astype(np.int64)
    asked = rng.integers(0, 4_000, 5_000)  # some held, some not, some past the last id
    dense, sparse = columns_of(held), columns_of(held * DENSE_IDS * 2)  # table / no table
    assert dense._position_of_id is not None and sparse._position_of_id is None
    positions, found = dense.locate(asked)
    assert found.tolist() == np.isin(asked, held).tolist()
    assert (held[positions[found]] == asked[found]).all()
    sparse_positions, sparse_found = sparse.locate(asked * DENSE_IDS * 2)
    assert sparse_found.tolist() == found.tolist()
    assert sparse_positions[sparse_found].tolist() == positions[found].tolist()
