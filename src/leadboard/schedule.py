"""Keep the store fresh by itself: re-crawl every enabled board on its own schedule.

``Watcher.run_cycle`` takes the boards that are due (``store/boards.py`` decides when: hourly,
less often for boards that rarely change, back-off for failing ones), fetches them politely (the
HTTP client keeps a per-host delay and concurrency, and honours Retry-After), stores what came back
with the delisting rules of ``pipeline.ingest_fetch``, then enriches, embeds and indexes the new and
changed postings so that search finds them, and sends the saved searches' alerts (when set up:
``workspace/alerts.py``). ``Watcher.run`` repeats that until stopped; all state is in the store,
so a restarted watcher resumes where the last one stopped.

>>> from leadboard.store.repository import Store
>>> watcher = Watcher(Store.open("sqlite://"), registry=[], enrich=False)
>>> watcher.run_cycle().boards
0
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from leadboard.pipeline import IngestSummary, ingest_fetches, refresh_store
from leadboard.sources.base import BoardFetch
from leadboard.sources.boards import BoardRef, load_registry
from leadboard.sources.crawl import crawl
from leadboard.sources.http import HttpClient
from leadboard.store.boards import CrawlOutcome
from leadboard.store.repository import Store

if TYPE_CHECKING:
    from leadboard.workspace.alerts import CycleAlerts

log = logging.getLogger(__name__)

MAX_SLEEP_S = 60.0  # look for due boards at least this often
INDEX_EVERY_S = 20.0  # during a cycle, make what changed searchable at least this often


@dataclass
class CycleReport:
    """What one cycle did, and how long postings took from fetched to findable."""

    started_at: datetime
    finished_at: datetime | None = None
    boards: int = 0
    failed: int = 0
    summary: IngestSummary | None = None
    index_lag_s: list[float] = field(default_factory=list)  # per board with changes
    problems: list[str] = field(default_factory=list)
    alerts: dict[str, Any] | None = None  # what the alerts sent after it (None: none set up)

    def as_dict(self) -> dict[str, Any]:
        lags = sorted(self.index_lag_s)
        return {
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "boards": self.boards,
            "failed": self.failed,
            "index_lag_s": {
                "p50": _quantile(lags, 0.5),
                "p95": _quantile(lags, 0.95),
                "max": lags[-1] if lags else None,
            },
            "ingest": self.summary.as_dict() if self.summary else None,
            "problems": self.problems,
            "alerts": self.alerts,
        }


class Watcher:
    """Crawls due boards in cycles and makes what changed searchable.

    ``registry`` is the boards to know of (default: the shipped registry and the curated list,
    added to the store's board table once; the user's disables and removals are kept).
    ``max_boards`` caps one cycle; ``kinds`` limits the ATS kinds crawled; a long cycle makes
    what it stored searchable every ``index_every_s`` seconds as it goes. After a cycle that
    crawled, the saved searches' alerts are sent (``alerts=False``: not).
    """

    def __init__(
        self,
        store: Store,
        *,
        client: HttpClient | None = None,
        base_urls: Mapping[str, str] | None = None,
        concurrency: int = 8,
        registry: Sequence[BoardRef] | None = None,
        kinds: Sequence[str] | None = None,
        max_boards: int | None = None,
        enrich: bool = True,
        embeddings: bool = False,
        index_every_s: float = INDEX_EVERY_S,
        alerts: bool = True,
        say: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.store = store
        self.client = client
        self.base_urls = base_urls
        self.concurrency = concurrency
        self.kinds = kinds
        self.max_boards = max_boards
        self.enrich = enrich
        self.embeddings = embeddings
        self.index_every_s = index_every_s
        self.say = say
        self._enricher: Any = None
        self._alerts: CycleAlerts | None = None
        if alerts:
            from leadboard.workspace.alerts import CycleAlerts

            self._alerts = CycleAlerts(store, say=say)
        store.boards.sync(load_registry() if registry is None else registry)

    def run_cycle(self, now: datetime | None = None) -> CycleReport:
        """Fetch every due board once, store, delist, then index what changed; with the store's
        writer lock held, so that an import waits for the cycle (and the cycle for an import)."""
        with self.store.writer(say=self.say):
            report = self._cycle(now)
        if self._alerts is not None and report.boards:  # after the lock: a crawl need not wait
            sent, problems = self._alerts.send()
            report.alerts = sent.as_dict() if sent else None
            report.problems += problems
        return report

    def _cycle(self, now: datetime | None) -> CycleReport:
        report = CycleReport(started_at=now or datetime.now(UTC))
        due = self.store.boards.due(report.started_at, kinds=self.kinds, limit=self.max_boards)
        report.boards = len(due)
        if not due:
            report.finished_at = datetime.now(UTC)
            return report
        refs = [BoardRef(b.kind, b.token, b.company) for b in due]
        waiting: list[float] = []  # when each board with changes was stored, not yet indexed
        last_indexed = time.monotonic()

        def make_searchable() -> None:
            nonlocal last_indexed
            self._make_searchable(report)
            last_indexed = time.monotonic()
            report.index_lag_s += [last_indexed - stored for stored in waiting]
            waiting.clear()

        def on_board(fetch: BoardFetch, outcome: CrawlOutcome) -> None:
            if outcome.changed:
                waiting.append(time.monotonic())
            if not outcome.ok:
                report.failed += 1
            # A long cycle indexes as it goes: what a board brought is findable within about
            # ``index_every_s``, not only when the last board is done.
            if waiting and time.monotonic() - last_indexed >= self.index_every_s:
                make_searchable()

        def known(board: BoardRef) -> dict[str, str]:
            return self.store.listing_hashes(board.kind, board.token)

        fetches = crawl(
            refs,
            client=self.client,
            concurrency=self.concurrency,
            base_urls=self.base_urls,
            known=known,
        )
        report.summary = ingest_fetches(
            self.store, fetches, "watch", [f"{len(refs)} due boards"], on_board=on_board
        )
        make_searchable()
        report.finished_at = datetime.now(UTC)
        return report

    def run(
        self,
        stop: threading.Event,
        *,
        on_cycle: Callable[[CycleReport], None] | None = None,
    ) -> None:
        """Cycle until ``stop`` is set, sleeping until the next board is due (at most a minute)."""
        while not stop.is_set():
            try:
                report = self.run_cycle()
            except Exception:
                log.exception("watch cycle failed; trying again in a minute")
                stop.wait(MAX_SLEEP_S)
                continue
            if report.boards and on_cycle is not None:
                on_cycle(report)
            stop.wait(self._sleep_s())

    def _sleep_s(self) -> float:
        due = self.store.boards.next_due()
        if due is None:
            return MAX_SLEEP_S
        return min(MAX_SLEEP_S, max(1.0, (due - datetime.now(UTC)).total_seconds()))

    def _make_searchable(self, report: CycleReport) -> None:
        from leadboard.search.index import sync_search_index

        if not self.enrich:
            sync_search_index(self.store)
            return
        if self._enricher is None:
            from leadboard.enrich.enricher import Enricher
            from leadboard.pipeline import role_model

            self._enricher = Enricher(role_model=role_model())
        summary = refresh_store(
            self.store, embeddings=self.embeddings, enricher=self._enricher, say=self.say
        )
        report.problems += summary.problems


def _quantile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]
