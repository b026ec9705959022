"""The whole market, simulated: the real crawler and store against thousands of loopback boards.

Starts the ATS simulator (``market_sim.py``) in a process of its own, registers its boards in a
fresh SQLite store, and drives ``schedule.Watcher`` for ``--cycles`` cycles, advancing the world
(churn) between them with a simulated clock far enough ahead that every board is due. Prints per
cycle: wall time, requests and requests/s, postings stored, index lag p50/p95, delisting
precision and recall against the ground truth, postings closed by a failed fetch (must be 0),
new postings stored, peak memory and store size per posting. Cycle 1 (the first, full crawl) is
the baseline the later, incremental cycles compare with. Then ``--kill-test``: ``leadboard watch
--once`` as a subprocess, killed with SIGKILL mid-cycle, must lose nothing; a second run completes
and the store matches the world.

    .venv/bin/python -m bench.bench_market                         # small: about two minutes
    .venv/bin/python -m bench.bench_market --boards 6000 --postings 300000 --cycles 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.market_sim import Churn, Faults, SimProcess, judge, store_state
from leadboard.schedule import Watcher
from leadboard.sources.boards import BoardRef, load_registry
from leadboard.sources.http import HttpClient
from leadboard.store.repository import Store

MB = 1024 * 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def quantile(values: list[float], q: float) -> float | None:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else None


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def faults_from(args: argparse.Namespace) -> Faults:
    if args.no_faults:
        return Faults.none()
    return Faults(hang_s=args.timeout + 1.5)


def run_cycles(args: argparse.Namespace) -> None:
    churn = Churn(args.churn_new, args.churn_removed, args.churn_edited)
    started = time.perf_counter()
    sim = SimProcess(
        seed=args.seed,
        boards=args.boards,
        postings=args.postings,
        registry=not args.no_registry,
        faults=faults_from(args),
        churn=churn,
    )
    kinds = sorted({kind for kind, _, _ in sim.boards})
    print(
        f"world: {len(sim.boards)} boards of {len(kinds)} kinds, {sim.postings} postings "
        f"(built in {time.perf_counter() - started:.1f} s; simulator at {sim.url})"
    )
    print(f"kinds: {', '.join(kinds)}")
    home = Path(tempfile.mkdtemp(prefix="bench-market-"))
    db = home / "leadboard.db"
    store = Store.open(f"sqlite:///{db}")
    refs = [BoardRef(k, t, c, origin="registry") for k, t, c in sim.boards]
    client = HttpClient(
        min_interval=0,
        timeout=args.timeout,
        retries=2,
        per_host=args.concurrency,
        backoff=args.backoff,
    )
    watcher = Watcher(
        store,
        client=client,
        base_urls=sim.base_urls(),
        registry=refs,
        concurrency=args.concurrency,
        enrich=args.enrich,
    )
    print(f"store: {db}; peak RSS before the first cycle {peak_rss_mb():.0f} MB")
    print()
    header = (
        f"{'cycle':>5} {'wall s':>7} {'requests':>8} {'req/s':>6} {'boards':>6} {'failed':>6} "
        f"{'new':>7} {'upd':>5} {'closed':>6} {'reopen':>6} {'stored':>7} {'lag p50':>7} "
        f"{'lag p95':>7} {'prec':>5} {'recall':>6} {'closed-by-failed':>16} {'new stored':>13} "
        f"{'mismatch':>8} {'RSS MB':>6} {'sim MB':>6} {'B/posting':>9}"
    )
    print(header)
    before: dict[str, bool] = {}
    totals = {"problems": []}
    for cycle in range(1, args.cycles + 1):
        if cycle > 1:
            sim.advance()
        now = datetime.now(UTC) + timedelta(days=8 * cycle)  # everything due, quarantine too
        t0 = time.perf_counter()
        report = watcher.run_cycle(now=now)
        wall = time.perf_counter() - t0
        after = store_state(store)
        truth = sim.truth()
        check = judge(before, after, truth)
        tally = truth["tally"]
        summary = report.summary
        stored = len(after)
        size = store_bytes(db)
        lags = report.index_lag_s
        print(
            f"{cycle:>5} {wall:>7.1f} {tally['requests']:>8} {tally['requests'] / wall:>6.0f} "
            f"{report.boards:>6} {report.failed:>6} {summary.inserted if summary else 0:>7} "
            f"{summary.updated if summary else 0:>5} {summary.closed if summary else 0:>6} "
            f"{summary.reopened if summary else 0:>6} {stored:>7} {fmt(quantile(lags, 0.5)):>7} "
            f"{fmt(quantile(lags, 0.95)):>7} {check.precision:>5.3f} {check.recall:>6.3f} "
            f"{check.closed_by_failed_fetch:>16} "
            f"{f'{check.new_stored}/{check.new_expected}':>13} {check.mismatched:>8} "
            f"{peak_rss_mb():>6.0f} {sim.rss_bytes() / MB:>6.0f} {size / max(1, stored):>9.0f}"
        )
        extra = [
            f"faults {tally['faults']}",
            f"boards a fault made fail {len(tally['failed_boards'])}",
        ]
        unexpected = [
            b
            for b, _ in (summary.failed if summary else [])
            if b not in set(tally["failed_boards"])
        ]
        if unexpected:
            extra.append(f"failed without an injected fault: {len(unexpected)} ({unexpected[:3]})")
        if summary and summary.rejects_by_reason:
            extra.append(f"rejects {dict(summary.rejects_by_reason.most_common(4))}")
        if check.should_close:
            extra.append(f"to close {check.should_close}, closed {check.did_close}")
        print("        " + "; ".join(extra))
        if check.problems:
            print("        problems: " + "; ".join(check.problems[:6]))
            totals["problems"] += check.problems
        before = after
    client.close()
    store.close()
    sim.stop()
    print()
    print(f"store on disk: {store_bytes(db) / MB:.1f} MB for {len(before)} postings")
    shutil.rmtree(home, ignore_errors=True)


# --- kill -9 mid-cycle ---


def kill_test(args: argparse.Namespace) -> None:
    print()
    print(
        f"kill test: {args.kill_boards} boards, {args.kill_postings} postings; `leadboard watch"
        f" --once` killed with SIGKILL at {args.kill_at:.0%} of its requests"
    )
    faults = Faults(
        latency=0.05,
        latency_s=0.01,
        too_many=0.01,
        server_error=0.0,
        hang=0.0,
        board_fail=0.01,
        truncate=0.0,
    )
    sim = SimProcess(
        seed=args.seed + 1,
        boards=args.kill_boards,
        postings=args.kill_postings,
        registry=not args.no_registry,
        faults=faults,
    )
    home = Path(tempfile.mkdtemp(prefix="bench-kill-"))
    db = home / "leadboard.db"
    url = f"sqlite:///{db}"
    store = Store.open(url)
    refs = [BoardRef(k, t, c, origin="registry") for k, t, c in sim.boards]
    with HttpClient(min_interval=0, timeout=args.timeout, retries=2, per_host=8) as client:
        Watcher(
            store,
            client=client,
            base_urls=sim.base_urls(),
            registry=refs,
            enrich=False,
            concurrency=8,
        ).run_cycle()
    prefill_requests = sim.tally()["requests"]
    # `leadboard watch` adds the shipped registry: boards outside this world are disabled first
    # (the user's disables are kept), and every board is made due again.
    ours = {f"{k}:{t}" for k, t, _ in sim.boards}
    store.boards.sync(load_registry())
    for board in store.boards.list():
        if board.spec not in ours:
            store.boards.set_enabled(board.spec, False)
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE boards SET next_due_at = NULL")
    before = _state(url)
    sim.advance()
    env = {**os.environ, **sim.env(), "LEADBOARD_HOME": str(home)}
    models = Path.home() / ".local" / "share" / "leadboard" / "models"
    if "LEADBOARD_MODELS_DIR" not in env and models.is_dir():
        env["LEADBOARD_MODELS_DIR"] = str(models)  # a trained role model: no training here
    command = [str(Path(sys.executable).parent / "leadboard"), "watch", "--once"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Every due board takes at least one request: a share of the boards is mid-crawl for sure.
    target = max(1, int(args.kill_at * len(sim.boards)))
    served = 0
    while proc.poll() is None:
        served = sim.tally()["requests"]
        if served >= target:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.05)
    killed_after = time.perf_counter() - t0
    if proc.returncode != -signal.SIGKILL:
        print(
            f"  the first run ended (rc {proc.returncode}) before the kill point: "
            f"{(proc.stdout.read() if proc.stdout else b'').decode()[-400:]}"
        )
    else:
        print(
            f"  killed after {killed_after:.1f} s, {served} of ~{prefill_requests} requests served"
        )
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    after_kill = _state(url)
    upstream = set(sim.truth()["open"])
    lost = [j for j in before if j not in after_kill]
    wrongly = [
        j for j, is_open in after_kill.items() if not is_open and before.get(j) and j in upstream
    ]
    print(
        f"  after the kill: integrity {integrity}; {len(before)} postings stored before, "
        f"{len(lost)} lost; {len(wrongly)} open upstream but closed"
    )
    t1 = time.perf_counter()
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
    final = _state(url)
    truth = sim.truth()
    check = judge(before, final, truth)
    print(
        f"  second `watch --once`: rc {second.returncode} in {time.perf_counter() - t1:.1f} s: "
        f"{second.stdout.strip()[-300:]}"
    )
    print(
        f"  store vs world after both runs: precision {check.precision:.3f}, recall "
        f"{check.recall:.3f} ({check.did_close}/{check.should_close}), new stored "
        f"{check.new_stored}/{check.new_expected}, mismatched {check.mismatched}, closed by a "
        f"failed fetch {check.closed_by_failed_fetch}, boards a fault made fail "
        f"{check.failed_boards}"
    )
    if check.problems:
        print("  problems: " + "; ".join(check.problems[:6]))
    ok = not lost and not wrongly and integrity == "ok" and second.returncode in (0, 3)
    ok = ok and check.precision == 1.0 and check.recall == 1.0 and check.mismatched == 0
    print(f"  kill test: {'PASSED' if ok else 'FAILED'}")
    sim.stop()
    shutil.rmtree(home, ignore_errors=True)


def _state(url: str) -> dict[str, bool]:
    store = Store.open(url)
    try:
        return store_state(store)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boards", type=int, default=800)
    parser.add_argument("--postings", type=int, default=16000)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16, help="boards fetched at once")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--timeout", type=float, default=2.0, help="the client's timeout, s")
    parser.add_argument("--backoff", type=float, default=0.25, help="retry back-off base, s")
    parser.add_argument("--churn-new", type=float, default=0.02)
    parser.add_argument("--churn-removed", type=float, default=0.02)
    parser.add_argument("--churn-edited", type=float, default=0.01)
    parser.add_argument("--enrich", action="store_true", help="enrich new postings (slower)")
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--no-registry", action="store_true", help="generated boards only")
    parser.add_argument("--kill-test", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--kill-only", action="store_true", help="only the kill test")
    parser.add_argument("--kill-boards", type=int, default=300)
    parser.add_argument("--kill-postings", type=int, default=6000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share of requests, then kill")
    args = parser.parse_args(argv)
    if not args.kill_only:
        run_cycles(args)
    if args.kill_test or args.kill_only:
        kill_test(args)


if __name__ == "__main__":
    main()
