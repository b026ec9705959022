"""The server path under an open-loop load: `leadboard serve --workers N` on loopback, searches
with a new query text arriving at a fixed rate (issue 14: p95 <= 100 ms at 50 requests/s, 0 errors).

Requests are sent on a clock (``--rate`` a second for ``--seconds``), not one after the other, so a
slow server sees requests pile up as real users would make them; each is the search API for a text
no earlier request used (a judged query or a stored job's title, with a page of results and its
facets; closed and stale postings included, as the shared dumps are all stale). Prints, per
worker count, the achieved rate, p50/p95/p99 latency and the errors (non-200 or failed
connections), the first line being the baseline: one worker at the same rate.

The store is the one the environment names (``LEADBOARD_DATABASE_URL``, else ``LEADBOARD_HOME``'s
SQLite file); ``--postgres`` copies it first into a throwaway PostgreSQL (the test suite's server,
with ``--scale N`` repeating its postings there to N, as ``bench_search`` does).

On PostgreSQL, this tree's engine first writes the common words' file (``search/pg_words.py``)
under ``$LEADBOARD_HOME``, which its server's workers then map in as at a restart (the baseline's
code reads its words from PostgreSQL as it always did).

The CPU a search is counted in each kind of process (CPU seconds over searches sent): the
server's workers, PostgreSQL's backends, and this process, the load generator (on 2 cores it
shares them with the server); the load average is printed beside the wall-clock figures.
``--baseline REV`` runs, before each worker count, the same on the code of git revision ``REV``
(its ``src/`` exported to a temporary folder, served against the same store), so that old and
new are measured in one run under the same load.

    PYTHONPATH=. python -m bench.bench_server [--workers 1 4] [--rate 50] [--seconds 30]
        [--postgres [--scale 1000000]] [--baseline REV]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
import psutil  # type: ignore[import-untyped]  # no stubs installed (a bench-only use)

from leadboard.store.repository import Store

QUERIES = Path(__file__).parent / "relevance" / "queries.jsonl"


def query_texts(store: Store, count: int, seed: int = 11) -> list[str]:
    """``count`` distinct texts: the judged queries, then stored titles drawn at random."""
    from sqlalchemy import select

    from leadboard.store.schema import Job

    judged = [json.loads(line)["query"] for line in QUERIES.read_text().splitlines() if line]
    with store.engine.connect() as connection:
        titles = sorted(set(connection.scalars(select(Job.title).limit(200_000))))
    texts = list(dict.fromkeys(judged + random.Random(seed).sample(titles, len(titles))))
    return texts[:count]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    workers: int, env: dict[str, str], src: str | None = None
) -> tuple[subprocess.Popen, str, float]:
    """`leadboard serve --workers N --words-only` (the package under ``src``, where given) and
    its base URL, once it answers a search; with the seconds that took."""
    port = free_port()
    if src is not None:
        env = {**env, "PYTHONPATH": os.pathsep.join([src, env.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "leadboard.cli", "serve", "--workers", str(workers)]
        + ["--port", str(port), "--words-only"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    while True:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            if httpx.get(f"{base}/api/v1/search?q=warm", timeout=60).status_code == 200:
                return server, base, time.perf_counter() - start
        except httpx.TransportError:
            time.sleep(0.2)


async def open_loop(base: str, texts: list[str], rate: float, seconds: float) -> dict:
    """Send ``rate`` searches a second for ``seconds``, each on its own clock tick."""
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:

        async def one(text: str) -> None:
            start = time.perf_counter()
            try:
                # Closed and stale postings too: every posting of the shared dumps is stale, and
                # a search that answers nothing would measure nothing.
                query = urlencode({"q": text, "include_closed": "true"})
                answer = await http.get(f"/api/v1/search?{query}")
                if answer.status_code != 200:
                    errors.append(str(answer.status_code))
            except httpx.HTTPError as error:
                errors.append(type(error).__name__)
            latencies.append((time.perf_counter() - start) * 1000)

        tasks = []
        begin = time.perf_counter()
        for n, text in enumerate(texts[: int(rate * seconds)]):
            delay = begin + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(text)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - begin
    latencies.sort()
    return {
        "sent": len(tasks),
        "rate": len(tasks) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def cpu_seconds(root: psutil.Process | None) -> float:
    """CPU seconds a process and its children (a server's workers, PostgreSQL's backends) have
    used so far, those that ended included: a connection pool closes the connections it holds
    beyond its size, and their backends' CPU would otherwise go uncounted."""
    if root is None:
        return 0.0
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:  # gone meanwhile
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def postmaster(store: Store) -> psutil.Process | None:
    """The PostgreSQL server's main process, when the store is on one on this machine."""
    if store.engine.dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    with store.engine.connect() as connection:
        backend = connection.scalar(text("SELECT pg_backend_pid()"))
    try:
        return psutil.Process(backend).parent()
    except psutil.Error:
        return None


def measure(
    count: int,
    env: dict[str, str],
    src: str | None,
    texts: list[str],
    database: psutil.Process | None,
    rate: float,
    seconds: float,
) -> dict:
    """One server (``count`` workers, the code under ``src`` or this tree's) under the load:
    the open loop's figures, the seconds to its first answer, the load average before and
    after, and the CPU a search (ms) in its workers, PostgreSQL and this process."""
    server, base, started = start_server(count, env, src)
    try:
        asyncio.run(open_loop(base, texts[-20:], 5, 4))  # the workers' engines warm up
        process = psutil.Process(server.pid)
        used = cpu_seconds(process), cpu_seconds(database), time.process_time()
        load = os.getloadavg()[0]
        result = asyncio.run(open_loop(base, texts, rate, seconds))
        now = cpu_seconds(process), cpu_seconds(database), time.process_time()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # requests still queued: stop it anyway
            server.kill()
            server.wait()
    cpu = [(b - a) * 1000 / result["sent"] for a, b in zip(used, now, strict=True)]
    return {**result, "started": started, "load": (load, os.getloadavg()[0]), "cpu": cpu}


def report(label: str, count: int, result: dict, baseline: dict, postgres: bool) -> str:
    """One line of figures, the p95 against ``baseline``'s."""
    server, database, generator = result["cpu"]
    cpu = f"{server:.0f} ms in the server"
    if postgres:
        cpu += f" + {database:.0f} in PostgreSQL"
    return (
        f"{label}, {count} worker(s): first search {result['started']:.1f} s after start; "
        f"{result['sent']} searches, {result['rate']:.1f}/s served; p50 {result['p50']:.0f} ms, "
        f"p95 {result['p95']:.0f} ms (x{result['p95'] / baseline['p95']:.2f} the baseline's), "
        f"p99 {result['p99']:.0f} ms; errors {result['errors']} {result['error_kinds']}; "
        f"CPU a search: {cpu} (+ {generator:.0f} in the load generator); load average "
        f"{result['load'][0]:.1f} before, {result['load'][1]:.1f} after ({os.cpu_count()} CPUs)"
    )


def run(
    env: dict[str, str],
    store: Store,
    workers: list[int],
    rate: float,
    seconds: float,
    baseline: tuple[str, str] | None = None,
) -> None:
    """Each worker count under the load: after the code of ``baseline`` (its label and ``src``
    folder) on the same texts where given; else against the first count."""
    where = env.get("LEADBOARD_DATABASE_URL") or "SQLite"
    print(f"store: {where}; jobs: {store.stats()['jobs']}; load: {rate}/s for {seconds} s")
    database = postmaster(store)
    if database is not None:  # what the workers map in, written first (a server's restart)
        from leadboard.search.engine import SearchEngine

        used = cpu_seconds(database), time.process_time()
        words = SearchEngine(store, ranker=None).warm_up()
        spent = [
            b - a for a, b in zip(used, (cpu_seconds(database), time.process_time()), strict=True)
        ]
        print(
            f"this tree's common words ({words}) kept under $LEADBOARD_HOME: {spent[1]:.0f} s of "
            f"CPU here + {spent[0]:.0f} s in PostgreSQL (none where kept already)",
            flush=True,
        )
    share = int(rate * seconds)
    texts = query_texts(store, share * len(workers) + 20)
    codes = [baseline, ("this tree", None)] if baseline else [("this tree", None)]
    first = None
    for n, count in enumerate(workers):
        asked = texts[n * share : (n + 1) * share] + texts[-20:]  # + the warm-up's, the same
        against = None
        for label, src in codes:
            result = measure(count, env, src, asked, database, rate, seconds)
            first = first or result
            against = against or (result if baseline else first)
            print(report(label, count, result, against, database is not None), flush=True)


@contextmanager
def exported(revision: str) -> Iterator[str]:
    """The ``src/`` of git ``revision`` in a temporary folder (its path)."""
    root = Path(__file__).parents[1]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", revision, "src"], cwd=root, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        yield f"{folder}/src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL copy")
    parser.add_argument("--scale", type=int, default=0, help="with --postgres: repeat to N jobs")
    parser.add_argument("--baseline", metavar="REV", help="also serve git revision REV's code")
    args = parser.parse_args()
    env = dict(os.environ)
    with ExitStack() as stack:
        store = Store.open()
        if args.postgres:
            from bench.bench_search import postgres_copy, repeat_postgres
            from leadboard.search.index import sync_search_index
            from tests.support.postgres import running_postgres  # a test dependency

            url = stack.enter_context(running_postgres())
            start = time.perf_counter()
            copy = postgres_copy(store, url)
            sync_search_index(copy)
            if args.scale:
                repeat_postgres(copy, args.scale)
            print(f"PostgreSQL copy built in {time.perf_counter() - start:.0f} s", flush=True)
            store.close()
            store, env["LEADBOARD_DATABASE_URL"] = copy, url
        baseline = None
        if args.baseline:
            baseline = (f"baseline {args.baseline}", stack.enter_context(exported(args.baseline)))
        run(env, store, args.workers, args.rate, args.seconds, baseline)
        store.close()


if __name__ == "__main__":
    main()
