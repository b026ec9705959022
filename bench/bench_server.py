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

    PYTHONPATH=. python -m bench.bench_server [--workers 1 4] [--rate 50] [--seconds 30]
        [--postgres [--scale 1000000]]
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
import time
from contextlib import ExitStack
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


def start_server(workers: int, env: dict[str, str]) -> tuple[subprocess.Popen, str, float]:
    """`leadboard serve --workers N --words-only` and its base URL, once it answers a search;
    with the seconds that took."""
    port = free_port()
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
    """CPU seconds a process and its children (a server's workers) have used so far."""
    if root is None:
        return 0.0
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:  # gone meanwhile
            continue
        total += times.user + times.system
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


def run(env: dict[str, str], store: Store, workers: list[int], rate: float, seconds: float) -> None:
    where = env.get("LEADBOARD_DATABASE_URL") or "SQLite"
    print(f"store: {where}; jobs: {store.stats()['jobs']}; load: {rate}/s for {seconds} s")
    database = postmaster(store)
    texts = query_texts(store, int(rate * seconds) * (len(workers) + 1))
    share = len(texts) // (len(workers) + 1)
    baseline = None
    for n, count in enumerate(workers):
        server, base, started = start_server(count, env)
        try:
            asyncio.run(open_loop(base, texts[-20:], 5, 4))  # the workers' engines warm up
            process = psutil.Process(server.pid)
            used = cpu_seconds(process), cpu_seconds(database)
            load = os.getloadavg()[0]
            result = asyncio.run(open_loop(base, texts[n * share :], rate, seconds))
            cpu = [
                (cpu_seconds(p) - u) * 1000 / result["sent"]
                for p, u in zip((process, database), used, strict=True)
            ]
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # requests still queued: stop it anyway
                server.kill()
                server.wait()
        baseline = baseline or result
        print(
            f"{count} worker(s), first search answered {started:.1f} s after start: "
            f"{result['sent']} searches at {result['rate']:.1f}/s; p50 {result['p50']:.0f} ms, "
            f"p95 {result['p95']:.0f} ms (x{result['p95'] / baseline['p95']:.2f} the baseline's), "
            f"p99 {result['p99']:.0f} ms; errors {result['errors']} {result['error_kinds']}; "
            f"CPU a search: {cpu[0]:.0f} ms in the server"
            + (f" + {cpu[1]:.0f} ms in PostgreSQL" if database else "")
            + f"; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after "
            f"({os.cpu_count()} CPUs)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL copy")
    parser.add_argument("--scale", type=int, default=0, help="with --postgres: repeat to N jobs")
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
        run(env, store, args.workers, args.rate, args.seconds)
        store.close()


if __name__ == "__main__":
    main()
