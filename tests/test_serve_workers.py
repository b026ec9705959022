"""`leadboard serve --workers N`: several web processes over one store, each with its own engine
(the server path of issue 14), answering the same results as one process would."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from support.search_jobs import fill

from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.store.repository import Store

LEADBOARD = [sys.executable, "-m", "leadboard.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def environment(tmp_path: Path, database_url: str, models_dir) -> dict[str, str]:
    """A filled store on each backend, and the environment a `leadboard` process needs for it."""
    store = Store.open(database_url)
    fill(store)
    store.close()
    return {
        **os.environ,
        "LEADBOARD_HOME": str(tmp_path / "home"),
        "LEADBOARD_DATABASE_URL": database_url,
    }


def wait_for(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise AssertionError(f"{url} did not answer in {seconds} s: {server.communicate()[1]}")


def test_two_workers_serve_the_results_one_engine_gives(environment, database_url):
    port = free_port()
    server = subprocess.Popen(
        [*LEADBOARD, "serve", "--workers", "2", "--port", str(port), "--words-only"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/search?q=team&family=any"
        wait_for(url, server)
        workers = [
            child
            for child in psutil.Process(server.pid).children()
            if "resource_tracker" not in " ".join(child.cmdline())
        ]
        assert len(workers) == 2
        answers = [httpx.get(url, timeout=10).json() for _ in range(6)]
    finally:
        server.terminate()
        server.wait(timeout=30)

    store = Store.open(database_url)
    expected = SearchEngine(store).search(
        SearchRequest(q="team", filters=SearchFilters(role_family=["any"]))
    )
    store.close()
    ids = [hit.job_id for hit in expected.results]
    assert len(ids) >= 2
    for answer in answers:
        assert answer["total"] == expected.total
        assert [result["job"]["id"] for result in answer["results"]] == ids


def test_watch_runs_in_one_process_only(environment):
    finished = subprocess.run(
        [*LEADBOARD, "serve", "--workers", "2", "--watch"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "run `leadboard watch` beside" in finished.stderr


def test_workers_beyond_loopback_without_a_token_are_refused_before_starting(environment):
    environment.pop("LEADBOARD_WRITE_TOKEN", None)
    finished = subprocess.run(
        [*LEADBOARD, "serve", "--workers", "2", "--host", "0.0.0.0", "--port", str(free_port())],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "Not serving on 0.0.0.0" in finished.stderr
