"""`leadboard watch` (and `serve --watch`) send the alerts after each crawl cycle: a board and a
webhook served from 127.0.0.1, the real connector, store, index and alerts. What a cycle brings
is announced once; a failed delivery is a problem of the cycle's report, retried by the next."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from support.greenhouse import greenhouse_job as job
from werkzeug import Request, Response

from leadboard.schedule import Watcher
from leadboard.search.engine import SearchFilters
from leadboard.sources.boards import BoardRef
from leadboard.sources.http import HttpClient
from leadboard.store.repository import Store
from leadboard.workspace.store import Workspace


class Served:
    """A Greenhouse board and a webhook on one local server."""

    def __init__(self, server: HTTPServer) -> None:
        self.jobs: list[dict[str, Any]] = []
        self.hook_status = 200
        self.bodies: list[dict[str, Any]] = []
        self.hook = server.url_for("/hook")
        server.expect_request("/gh/v1/boards/acme/jobs").respond_with_handler(self.board)
        server.expect_request("/hook", method="POST").respond_with_handler(self.webhook)

    def board(self, request: Request) -> Response:
        payload = {"jobs": self.jobs, "meta": {"total": len(self.jobs)}}
        return Response(json.dumps(payload), content_type="application/json")

    def webhook(self, request: Request) -> Response:
        self.bodies.append(json.loads(request.get_data()))
        return Response("{}", status=self.hook_status)


@pytest.fixture
def served(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Served:
    served = Served(httpserver)
    monkeypatch.setenv("LEADBOARD_WEBHOOK_URL", served.hook)
    monkeypatch.setenv("LEADBOARD_BASE_URL", "https://leadboard.example")
    for name in ("LEADBOARD_SMTP_HOST", "LEADBOARD_SMTP_FROM", "LEADBOARD_SMTP_TO"):
        monkeypatch.delenv(name, raising=False)
    return served


@pytest.fixture
def watcher(store: Store, httpserver: HTTPServer, served: Served) -> Iterator[Watcher]:
    client = HttpClient(timeout=2, retries=0, min_interval=0)
    yield Watcher(
        store,
        client=client,
        base_urls={"greenhouse": httpserver.url_for("/gh")},
        registry=[BoardRef("greenhouse", "acme", "Acme", origin="user")],
        enrich=False,
    )
    client.close()


def later(hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


def announced(served: Served) -> list[list[str]]:
    return [[p["title"] for p in body["postings"]] for body in served.bodies]


def test_each_cycle_announces_what_it_brought_once(store, watcher, served):
    saved = Workspace(store.engine).add_search("", filters=SearchFilters(role_family=["any"]))
    served.jobs = [job(1, "Head of ML Platform")]

    first = watcher.run_cycle()

    assert announced(served) == [["Head of ML Platform"]]
    body = served.bodies[0]
    assert body["saved_search"]["id"] == saved.id
    assert body["postings"][0]["page"].startswith("https://leadboard.example/jobs/greenhouse:")
    assert first.as_dict()["alerts"]["digests"][0]["status"] == "sent"

    second = watcher.run_cycle(now=later(2))  # the same board again: nothing new
    assert second.boards == 1 and len(served.bodies) == 1

    served.jobs.append(job(2, "ML Research Manager"))
    served.hook_status = 500
    failed = watcher.run_cycle(now=later(4))
    assert failed.as_dict()["alerts"]["failed"] == 1
    assert any("FAILED" in p and "HTTP 500" in p for p in failed.problems)

    served.hook_status = 200
    watcher.run_cycle(now=later(6))  # retried with the next cycle's digest
    assert announced(served) == [
        ["Head of ML Platform"],
        ["ML Research Manager"],
        ["ML Research Manager"],
    ]
    assert served.bodies[-1]["retried"] == 1


def test_a_cycle_with_no_channel_or_a_bad_setting_still_crawls(store, watcher, served, monkeypatch):
    Workspace(store.engine).add_search("", filters=SearchFilters(role_family=["any"]))
    served.jobs = [job(1, "Head of ML Platform")]
    monkeypatch.setenv("LEADBOARD_WEBHOOK_TIMEOUT", "soon")

    broken = watcher.run_cycle()

    assert broken.summary is not None and broken.summary.inserted == 1
    assert broken.alerts is None and served.bodies == []
    assert broken.problems == [
        "alerts not sent: $LEADBOARD_WEBHOOK_TIMEOUT: Input should be a valid number, unable "
        "to parse string as a number (got 'soon')"
    ]
    monkeypatch.delenv("LEADBOARD_WEBHOOK_TIMEOUT")
    monkeypatch.delenv("LEADBOARD_WEBHOOK_URL")
    quiet = watcher.run_cycle(now=later(2))
    assert quiet.alerts is None and quiet.problems == []
