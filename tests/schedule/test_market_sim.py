"""The market simulator, small: the real Watcher, connectors and store against a tiny loopback world
of many ATS kinds with churn and faults. Every posting removed upstream closes within one cycle on
boards fetched completely, nothing closes on a board whose fetch failed, and every new posting is
stored. (The full-scale figures come from ``bench/bench_market.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bench.market_sim import KINDS, Churn, Faults, Simulator, World, judge, store_state
from leadboard.schedule import Watcher
from leadboard.sources.boards import BoardRef
from leadboard.sources.http import HttpClient
from leadboard.store.repository import Store

TESTED_KINDS = KINDS  # every simulated kind, Jobvite's HTML pages included
FAULTS = Faults(
    latency=0.05,
    latency_s=0.005,
    too_many=0.05,
    server_error=0.02,
    hang=0.01,
    hang_s=1.0,
    board_fail=0.08,
    truncate=0.08,
)


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    world = World(seed=5, boards=30, postings=300, kinds=TESTED_KINDS, churn=Churn(0.1, 0.1, 0.05))
    with Simulator(world, FAULTS) as sim:
        yield sim


def test_churn_is_tracked_exactly_through_faults(store: Store, simulator: Simulator) -> None:
    kinds = {board.kind for board in simulator.world.boards}
    assert len(kinds) >= 10
    refs = [BoardRef(b.kind, b.token, b.company) for b in simulator.world.boards]
    client = HttpClient(min_interval=0, timeout=0.5, retries=2, per_host=8, backoff=0.01)
    watcher = Watcher(
        store, client=client, base_urls=simulator.base_urls(), registry=refs, enrich=False
    )
    before: dict[str, bool] = {}
    failed_boards = closed = 0
    for cycle in range(3):
        if cycle:
            simulator.advance()
        report = watcher.run_cycle(now=datetime.now(UTC) + timedelta(days=8 * cycle))
        after = store_state(store)
        truth = simulator.truth()
        check = judge(before, after, truth)
        assert report.boards == len(refs)
        assert check.problems == []
        assert check.precision == 1.0 and check.recall == 1.0
        assert check.closed_by_failed_fetch == 0
        assert check.new_stored == check.new_expected > 0
        assert check.mismatched == 0
        # The boards the watcher saw fail are exactly those a fault made fail.
        assert {name for name, _ in report.summary.failed} == set(truth["tally"]["failed_boards"])
        failed_boards += check.failed_boards
        closed += check.closed
        before = after
    client.close()
    assert failed_boards > 0 and closed > 0, "the faults and the churn were exercised"


def test_a_truncated_listing_closes_nothing(store: Store) -> None:
    world = World(seed=2, boards=len(TESTED_KINDS), postings=200, kinds=TESTED_KINDS)
    with Simulator(world, Faults.none()) as sim:
        refs = [BoardRef(b.kind, b.token, b.company) for b in world.boards]
        with HttpClient(min_interval=0, timeout=2, retries=0) as client:
            watcher = Watcher(
                store, client=client, base_urls=sim.base_urls(), registry=refs, enrich=False
            )
            watcher.run_cycle()
            before = store_state(store)
            sim.faults = Faults(0, 0, 0, 0, 0, 0, 0, truncate=1.0)  # every listing cut short
            sim.advance()
            report = watcher.run_cycle(now=datetime.now(UTC) + timedelta(days=2))
    check = judge(before, store_state(store), sim.truth())
    assert report.failed == len(refs)
    assert check.closed == 0 and check.failed_boards == len(refs)
