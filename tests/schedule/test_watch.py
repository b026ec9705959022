"""The scheduler end to end: real connectors against boards served from 127.0.0.1, the real store
and search index. A posting removed upstream closes after one cycle, a failed fetch closes nothing,
a new posting is findable when the cycle ends, an empty listing after a full one closes nothing at
first, a posting that comes back reopens, and a failing board is quarantined and says why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from support.greenhouse import greenhouse_job as job
from werkzeug import Request, Response

from leadboard.schedule import Watcher
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.sources.boards import BoardRef
from leadboard.sources.http import HttpClient
from leadboard.store.repository import Store

ALL = SearchFilters(role_family=["any"])
EVERYTHING = SearchFilters(role_family=["any"], include_closed=True)


class Board:
    """A Greenhouse board on the local server whose answer each test changes between cycles."""

    def __init__(self, server: HTTPServer) -> None:
        self.jobs: list[dict[str, Any]] = []
        self.status = 200
        self.body: str | None = None
        self.requests = 0
        server.expect_request("/gh/v1/boards/acme/jobs").respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        self.requests += 1
        if self.body is not None:
            return Response(self.body, status=self.status, content_type="text/html")
        if self.status != 200:
            return Response("upstream trouble", status=self.status)
        import json

        payload = {"jobs": self.jobs, "meta": {"total": len(self.jobs)}}
        return Response(json.dumps(payload), content_type="application/json")


@pytest.fixture
def board(httpserver: HTTPServer) -> Board:
    return Board(httpserver)


@pytest.fixture
def watcher(store: Store, httpserver: HTTPServer) -> Iterator[Watcher]:
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


def titles(store: Store, q: str = "", filters: SearchFilters = ALL) -> list[str]:
    response = SearchEngine(store).search(SearchRequest(q=q, filters=filters))
    return sorted(hit.job["title"] for hit in response.results)


def test_new_postings_are_findable_and_removed_ones_close_after_one_cycle(
    store: Store, board: Board, watcher: Watcher
) -> None:
    board.jobs = [job(1, "Staff ML Engineer"), job(2, "Head of AI")]
    report = watcher.run_cycle()
    assert report.boards == 1 and report.failed == 0
    assert report.summary is not None and report.summary.inserted == 2
    assert titles(store, "head") == ["Head of AI"]
    assert len(report.index_lag_s) == 1 and report.index_lag_s[0] >= 0

    board.jobs = [job(1, "Staff ML Engineer"), job(3, "Principal Machine Learning Lead")]
    assert watcher.run_cycle().boards == 0, "the board is not due again within the hour"
    report = watcher.run_cycle(now=later(2))
    assert report.summary is not None
    assert (report.summary.inserted, report.summary.closed) == (1, 1)
    assert store.get_job("greenhouse:acme:2").closed_at is not None
    assert titles(store) == ["Principal Machine Learning Lead", "Staff ML Engineer"]
    assert "Head of AI" in titles(store, filters=EVERYTHING)
    assert store.open_by_board()["greenhouse:acme"] == 2


def test_a_failed_fetch_closes_nothing_and_a_failing_board_is_quarantined(
    store: Store, board: Board, watcher: Watcher
) -> None:
    board.jobs = [job(1, "Staff ML Engineer")]
    watcher.run_cycle()
    board.status = 503
    for hours in (2, 4, 6):
        report = watcher.run_cycle(now=later(hours))
        assert report.failed == 1
    assert store.get_job("greenhouse:acme:1").closed_at is None
    state = store.boards.get("greenhouse:acme")
    assert state.status == "quarantined" and state.failures == 3
    assert "503" in (state.last_error or "")
    assert state.next_due_at > later(1.5), "quarantine backs off beyond the hourly visit"
    trouble = store.stats()["boards_in_trouble"]
    assert [(b["board"], b["status"]) for b in trouble] == [("greenhouse:acme", "quarantined")]

    board.status = 200  # it recovers: crawled normally again, nothing was lost
    report = watcher.run_cycle(now=later(200))
    assert report.failed == 0
    assert store.boards.get("greenhouse:acme").status == "ok"
    assert titles(store) == ["Staff ML Engineer"]


def test_html_instead_of_json_is_a_board_error_that_closes_nothing(
    store: Store, board: Board, watcher: Watcher
) -> None:
    board.jobs = [job(1, "Staff ML Engineer")]
    watcher.run_cycle()
    board.body = "<html><body>We moved our careers page</body></html>"
    report = watcher.run_cycle(now=later(2))
    assert report.failed == 1
    assert "not JSON" in (store.boards.get("greenhouse:acme").last_error or "")
    assert store.get_job("greenhouse:acme:1").closed_at is None


def test_an_empty_listing_after_a_full_one_closes_nothing_until_it_repeats(
    store: Store, board: Board, watcher: Watcher
) -> None:
    board.jobs = [job(1, "Staff ML Engineer"), job(2, "Head of AI")]
    watcher.run_cycle()
    board.jobs = []
    report = watcher.run_cycle(now=later(2))
    assert report.summary is not None and report.summary.closed == 0
    assert [what for what, _ in report.summary.suspicious] == ["greenhouse:acme"]
    assert len(titles(store)) == 2
    report = watcher.run_cycle(now=later(30))
    assert report.summary is not None and report.summary.closed == 2
    assert titles(store) == []


def test_a_posting_that_comes_back_reopens(store: Store, board: Board, watcher: Watcher) -> None:
    board.jobs = [job(1, "Staff ML Engineer"), job(2, "Head of AI")]
    watcher.run_cycle()
    board.jobs = [job(1, "Staff ML Engineer")]
    watcher.run_cycle(now=later(2))
    assert store.get_job("greenhouse:acme:2").closed_at is not None
    board.jobs = [job(1, "Staff ML Engineer"), job(2, "Head of AI")]
    report = watcher.run_cycle(now=later(30))
    assert report.summary is not None and report.summary.reopened == 1
    assert titles(store, "head") == ["Head of AI"]


def test_quiet_boards_are_read_less_often_and_a_restart_resumes(
    store: Store, board: Board, httpserver: HTTPServer
) -> None:
    board.jobs = [job(1, "Staff ML Engineer")]
    client = HttpClient(timeout=2, retries=0, min_interval=0)

    def new_watcher() -> Watcher:  # a fresh process: all it knows is in the store
        return Watcher(
            store,
            client=client,
            base_urls={"greenhouse": httpserver.url_for("/gh")},
            registry=[BoardRef("greenhouse", "acme", "Acme")],
            enrich=False,
        )

    new_watcher().run_cycle()
    first = store.boards.get("greenhouse:acme")
    new_watcher().run_cycle(now=later(2))  # nothing changed: the interval doubles
    second = store.boards.get("greenhouse:acme")
    assert second.interval_s == 2 * first.interval_s
    assert new_watcher().run_cycle(now=later(1.5)).boards == 0, "due in two hours, not one"
    client.close()


SR_LIST = "/api.smartrecruiters.com/v1/companies/acme/postings"


def sr_posting(posting_id: str, name: str) -> dict[str, Any]:
    return {
        "id": posting_id,
        "name": name,
        "releasedDate": "2026-11-20T10:00:00.000Z",
        "company": {"identifier": "acme", "name": "Acme"},
        "location": {"city": "Berlin", "country": "de", "remote": False},
    }


def test_unchanged_postings_are_not_read_in_detail_again(
    store: Store, httpserver: HTTPServer
) -> None:
    postings = [sr_posting("1", "ML Tech Lead"), sr_posting("2", "Head of ML")]
    details: list[str] = []

    def listing(request: Request) -> Response:
        import json

        body = {"offset": 0, "limit": 100, "totalFound": len(postings), "content": postings}
        return Response(json.dumps(body), content_type="application/json")

    def detail(request: Request) -> Response:
        import json

        posting_id = request.path.rsplit("/", 1)[-1]
        details.append(posting_id)
        body = {
            **next(p for p in postings if p["id"] == posting_id),
            "jobAd": {"sections": {"jobDescription": {"title": "Role", "text": "<p>Lead.</p>"}}},
        }
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(SR_LIST).respond_with_handler(listing)
    httpserver.expect_request(f"{SR_LIST}/1").respond_with_handler(detail)
    httpserver.expect_request(f"{SR_LIST}/2").respond_with_handler(detail)
    client = HttpClient(timeout=2, retries=0, min_interval=0)
    watcher = Watcher(
        store,
        client=client,
        base_urls={"smartrecruiters": httpserver.url_for("")},
        registry=[BoardRef("smartrecruiters", "acme", "Acme")],
        enrich=False,
    )
    watcher.run_cycle()
    assert sorted(details) == ["1", "2"]
    postings[1] = sr_posting("2", "Head of Machine Learning")  # edited upstream
    report = watcher.run_cycle(now=later(2))
    client.close()
    assert sorted(details) == ["1", "2", "2"], "only the edited posting is read again"
    assert report.summary is not None and report.summary.closed == 0
    assert store.get_job("smartrecruiters:acme:1").closed_at is None
    assert store.get_job("smartrecruiters:acme:2").title == "Head of Machine Learning"


@pytest.mark.parametrize(("index_every_s", "index_updates"), [(0.0, 2), (1e9, 1)])
def test_a_long_cycle_makes_postings_searchable_as_it_goes(
    store: Store, httpserver: HTTPServer, index_every_s: float, index_updates: int
) -> None:
    from leadboard.search.documents import SearchDocuments

    for token in ("acme", "beta"):
        body = {"jobs": [job(1, f"ML Lead at {token}")], "meta": {"total": 1}}
        httpserver.expect_request(f"/gh/v1/boards/{token}/jobs").respond_with_json(body)
    client = HttpClient(timeout=2, retries=0, min_interval=0)
    watcher = Watcher(
        store,
        client=client,
        base_urls={"greenhouse": httpserver.url_for("/gh")},
        registry=[BoardRef("greenhouse", "acme"), BoardRef("greenhouse", "beta")],
        enrich=False,
        index_every_s=index_every_s,
    )
    report = watcher.run_cycle()
    client.close()
    assert SearchDocuments(store).generation() == index_updates
    assert len(report.index_lag_s) == 2
    assert titles(store) == ["ML Lead at acme", "ML Lead at beta"]
