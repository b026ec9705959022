"""Work on every core: batches handed to forked worker processes, results back in order.

Normalising, signing and enriching postings are Python held by the GIL: a second thread gains
nothing, a second process nearly doubles the throughput on two cores. ``ForkedPool`` runs one
function over batches in ``workers`` processes; the results come back to the caller, which
alone writes them (``pipeline.import_paths``, ``pipeline.enrich_store``: one writer).

Workers are forked: they start at once with the parent's models and tables in memory (shared
until written), nothing pickled but the batches and their results, and no script run again (as
``spawn`` and ``forkserver`` do, which fails for a script without a ``__main__`` guard). Where
``fork`` is unsafe or missing (anything but Linux), and with one worker, the batches are worked
in this process and the futures come back done. A worker only runs its function: it touches no
lock, database connection or thread that it inherited.

>>> with ForkedPool(lambda batch: [len(word) for word in batch], workers=1) as pool:
...     list(pool.map([["staff", "ml"], ["lead"]]))
[(['staff', 'ml'], [5, 2]), (['lead'], [4])]
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
Work = Callable[[list[T]], list[R]]

# The worker process's function, set by _start_worker (in each worker, never in the parent).
_WORKER: dict[str, Callable[[list[Any]], list[Any]]] = {}


class ForkedPool(Generic[T, R]):
    """``submit`` batches to ``work``; each comes back as a future of its results.

    ``in_worker``, when given, makes each worker's function once, at its start, in the worker
    (e.g. without what a worker must not inherit and run: an ONNX session); by default the
    workers run ``work`` itself, inherited by the fork.
    """

    def __init__(
        self,
        work: Work[T, R],
        workers: int,
        *,
        in_worker: Callable[[], Work[T, R]] | None = None,
    ) -> None:
        self.work = work
        self.in_worker = in_worker or (lambda: work)
        self.workers = workers if sys.platform == "linux" else 1
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Fork the workers now (they fork at the first ``submit`` otherwise): before the
        parent loads what they need not share."""
        if self.workers > 1:
            self._pool()

    def submit(self, batch: list[T]) -> Future[list[R]]:
        if self.workers <= 1:
            done: Future[list[R]] = Future()
            done.set_result(self.work(batch))
            return done
        return self._pool().submit(_run, batch)

    def map(self, batches: Iterable[list[T]]) -> Iterator[tuple[list[T], list[R]]]:
        """Each batch with its results, in the order of ``batches``, read ahead by a few
        batches a worker and no more (they may be read from a file as they go). When reading
        ``batches`` fails, the batches read before are answered first, then the error raised."""
        ahead: deque[tuple[list[T], Future[list[R]]]] = deque()
        batches = iter(batches)
        while True:
            try:
                batch = next(batches, None)
            except Exception:
                while ahead:
                    batch, future = ahead.popleft()
                    yield batch, future.result()
                raise
            if batch is None:
                break
            ahead.append((batch, self.submit(batch)))
            if len(ahead) > 2 * self.workers:
                batch, future = ahead.popleft()
                yield batch, future.result()
        while ahead:
            batch, future = ahead.popleft()
            yield batch, future.result()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # Forked, so the initializer and its argument are inherited, never pickled.
            executor = ProcessPoolExecutor(
                self.workers,
                multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(self.in_worker,),
            )
            # The workers fork at the first task. Frozen, the parent's objects are left alone
            # by the workers' garbage collections, which would otherwise write to (and so copy)
            # every page of them.
            gc.freeze()
            try:
                executor.submit(_started).result()
            finally:
                gc.unfreeze()
            self._executor = executor
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ForkedPool[T, R]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _start_worker(make_work: Callable[[], Callable[[list[Any]], list[Any]]]) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, its workers need not
    # die mid-batch, each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["work"] = make_work()


def _run(batch: list[Any]) -> list[Any]:
    return _WORKER["work"](batch)


def _started() -> bool:
    return "work" in _WORKER
