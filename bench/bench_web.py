"""The web app under a bounded concurrent load on loopback: requests/s, latency, errors.

Starts ``leadboard serve``'s app (uvicorn, one process) on the store ``LEADBOARD_HOME`` points at,
then ``--clients`` threads each send requests in turn for ``--seconds``: the search page and the
search API for the queries of ``bench/relevance/queries.jsonl``, and job pages. Prints requests/s,
p50/p95 latency and the count of non-200 answers (which must be 0), per kind and overall; the
baseline is the same requests sent by one client.

    python -m bench.bench_web [--clients 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import uvicorn

from leadboard.search.engine import SearchFilters, SearchRequest, open_engine
from leadboard.store.repository import Store
from leadboard.web.app import create_app

QUERIES = Path(__file__).parent / "relevance" / "queries.jsonl"


def start_server(store: Store) -> tuple[str, uvicorn.Server]:
    engine = open_engine(store)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, engine), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def paths(store: Store) -> list[str]:
    queries = [json.loads(line)["query"] for line in QUERIES.read_text().splitlines() if line]
    engine = open_engine(store, semantic=False)
    jobs = [
        hit.job_id
        for hit in engine.search(SearchRequest(filters=SearchFilters(), per_page=20)).results
    ]
    found = []
    for query, job in itertools.zip_longest(queries, jobs):
        if query:
            found += [f"/?q={quote(query)}", f"/api/v1/search?q={quote(query)}"]
        if job:
            found.append(f"/jobs/{quote(job, safe=':')}")
    return found


def load(base: str, urls: list[str], clients: int, seconds: float) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"page": [], "api": [], "job": [], "errors": []}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            for url in itertools.islice(itertools.cycle(urls), offset, None):
                if time.monotonic() > stop:
                    return
                start = time.perf_counter()
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError:
                    status = 0  # the connection failed: an error like any non-200
                elapsed = (time.perf_counter() - start) * 1000
                kind = (
                    "api"
                    if url.startswith("/api")
                    else "job"
                    if url.startswith("/jobs")
                    else "page"
                )
                with lock:
                    results[kind].append(elapsed)
                    if status != 200:
                        results["errors"].append(status)

    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def report(label: str, results: dict[str, list[float]], seconds: float) -> float:
    everything = sorted(results["page"] + results["api"] + results["job"])
    rate = len(everything) / seconds
    print(f"{label}: {len(everything)} requests, {rate:.1f}/s, errors {len(results['errors'])}")
    for kind in ("page", "api", "job", "all"):
        times = sorted(everything if kind == "all" else results[kind])
        if times:
            p50, p95 = times[len(times) // 2], times[max(0, int(len(times) * 0.95) - 1)]
            print(f"  {kind:<5} p50 {p50:6.0f} ms   p95 {p95:6.0f} ms   n={len(times)}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    store = Store.open()
    base, server = start_server(store)
    urls = paths(store)
    load(base, urls[:6], 1, 3)  # warm-up
    one = report("1 client (baseline)", load(base, urls, 1, args.seconds), args.seconds)
    many = report(
        f"{args.clients} clients", load(base, urls, args.clients, args.seconds), args.seconds
    )
    print(f"throughput with {args.clients} clients: {many / one:.2f}x one client")
    server.should_exit = True


if __name__ == "__main__":
    main()
