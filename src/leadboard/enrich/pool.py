"""Enrichment on every core: batches of rows enriched by worker processes.

The extractors and the role model are Python and small numpy steps, held by the GIL: a second
thread gains nothing, a second process nearly doubles the throughput on two cores.
``EnrichPool`` hands each batch to one of ``workers`` processes, each with its own ``Enricher``
made once, at its start, around the parent's role model; the ``Enrichment`` objects come back to
the caller, which alone writes them (``pipeline.enrich_store``).

Workers are forked: they start at once with the parent's role model and extractors in memory
(shared until written), nothing pickled, and no script run again (as ``spawn`` and
``forkserver`` do, which fails for a script without a ``__main__`` guard). Where ``fork`` is
unsafe or missing (anything but Linux), and with one worker, the batches are enriched in this
process and the futures come back done. A worker only enriches: it touches no lock, database
connection or thread that it inherited.

>>> with EnrichPool(Enricher(role_model=None), workers=1) as pool:
...     batch = [{"id": "a", "title": "Staff ML Engineer", "text": "Mentor the team. 8+ years."}]
...     [(result.id, result.seniority) for result in pool.submit(batch).result()]
[('a', 'staff')]
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from leadboard.enrich.enricher import Enricher
from leadboard.models import Enrichment

# The worker process's enricher, set by _start_worker (in each worker, never in the parent).
_WORKER: dict[str, Enricher] = {}


class EnrichPool:
    """``submit`` batches of enricher rows; each comes back as a future of its enrichments."""

    def __init__(self, enricher: Enricher, workers: int) -> None:
        self.enricher = enricher
        self.workers = workers if sys.platform == "linux" else 1
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, rows: list[dict[str, Any]]) -> Future[list[Enrichment]]:
        if self.workers <= 1:
            done: Future[list[Enrichment]] = Future()
            done.set_result(self.enricher.enrich_batch(rows))
            return done
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(self.enricher,),
            )
        return self._executor.submit(_enrich, rows)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def __enter__(self) -> EnrichPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _start_worker(enricher: Enricher) -> None:
    # Without its embedder: a worker never embeds, and an inherited ONNX session must not run.
    _WORKER["enricher"] = Enricher(role_model=enricher.role_model)


def _enrich(rows: list[dict[str, Any]]) -> list[Enrichment]:
    return _WORKER["enricher"].enrich_batch(rows)
