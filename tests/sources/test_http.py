"""The polite HTTP client: retries, Retry-After, backoff, timeouts, rate limit, User-Agent.

Every request goes to a local server on 127.0.0.1; sleeps are recorded, not slept.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources.http import (
    USER_AGENT,
    FetchError,
    HostRateLimiter,
    HttpClient,
    api_base,
    parse_retry_after,
)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[HttpClient]:
    """Fast client: no rate limit, sleeps recorded, jitter pinned to its middle."""
    with HttpClient(
        timeout=2, retries=2, backoff=0.5, min_interval=0, sleep=sleeps.append, rand=lambda: 0.5
    ) as http:
        yield http


def test_sends_a_clear_user_agent(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/ua", headers={"User-Agent": USER_AGENT}).respond_with_json({})
    assert client.get_json(httpserver.url_for("/ua")) == {}
    assert USER_AGENT.startswith("Leadboard/") and "+https://" in USER_AGENT


def test_429_with_retry_after_seconds_then_success(
    httpserver: HTTPServer, client: HttpClient, sleeps: list[float]
) -> None:
    httpserver.expect_oneshot_request("/jobs").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_request("/jobs").respond_with_json({"jobs": []})

    assert client.get_json(httpserver.url_for("/jobs")) == {"jobs": []}
    assert sleeps == [7.0]  # the server's word, not our backoff
    assert len(httpserver.log) == 2


def test_retry_after_is_capped(httpserver: HTTPServer, sleeps: list[float]) -> None:
    httpserver.expect_oneshot_request("/jobs").respond_with_data(
        "", status=429, headers={"Retry-After": "86400"}
    )
    httpserver.expect_request("/jobs").respond_with_json([])
    with HttpClient(retries=1, min_interval=0, max_retry_after=30, sleep=sleeps.append) as http:
        assert http.get_json(httpserver.url_for("/jobs")) == []
    assert sleeps == [30.0]


def test_503_then_success_backs_off(
    httpserver: HTTPServer, client: HttpClient, sleeps: list[float]
) -> None:
    httpserver.expect_oneshot_request("/jobs").respond_with_data("busy", status=503)
    httpserver.expect_oneshot_request("/jobs").respond_with_data("busy", status=502)
    httpserver.expect_request("/jobs").respond_with_json({"ok": True})

    assert client.get_json(httpserver.url_for("/jobs")) == {"ok": True}
    # backoff 0.5 then 1.0, each stretched by jitter 0.5 * rand 0.5 = +25 %
    assert sleeps == [0.625, 1.25]


def test_5xx_that_never_ends_is_a_fetch_error(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/jobs").respond_with_data("down", status=503)
    with pytest.raises(FetchError) as caught:
        client.get(httpserver.url_for("/jobs"))
    assert caught.value.status == 503
    assert "HTTP 503" in str(caught.value) and "3 tries" in str(caught.value)
    assert len(httpserver.log) == 3  # the first try and two retries


def test_404_is_not_retried(
    httpserver: HTTPServer, client: HttpClient, sleeps: list[float]
) -> None:
    httpserver.expect_request("/v1/boards/nosuch/jobs").respond_with_json(
        {"status": 404, "error": "Job not found"}, status=404
    )
    with pytest.raises(FetchError, match=r"HTTP 404 .*no such board") as caught:
        client.get_json(httpserver.url_for("/v1/boards/nosuch/jobs"))
    assert caught.value.status == 404
    assert len(httpserver.log) == 1 and sleeps == []


def test_timeout_is_retried_then_reported(httpserver: HTTPServer, sleeps: list[float]) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.4)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with (
        HttpClient(
            timeout=0.05, retries=1, backoff=0.01, min_interval=0, sleep=sleeps.append
        ) as http,
        pytest.raises(FetchError) as caught,
    ):
        http.get(httpserver.url_for("/slow"))
    assert "timed out after 0.05s" in str(caught.value) and "2 tries" in str(caught.value)
    assert len(sleeps) == 1  # one backoff between the two tries


def test_connection_refused_is_retried_once_only(sleeps: list[float]) -> None:
    url = f"http://127.0.0.1:{_free_port()}/jobs"  # nothing listens there
    http = HttpClient(timeout=1, retries=3, backoff=0.01, min_interval=0, sleep=sleeps.append)
    with http, pytest.raises(FetchError, match=r"could not fetch .*ConnectError.*\(2 tries\)"):
        http.get(url)
    assert len(sleeps) == 1  # an offline crawl fails fast instead of spending every retry


@pytest.mark.parametrize("body", ["<html>Oops</html>", '{"jobs": [', ""])
def test_body_that_is_not_json(httpserver: HTTPServer, client: HttpClient, body: str) -> None:
    httpserver.expect_request("/jobs").respond_with_data(body, content_type="application/json")
    with pytest.raises(FetchError, match="is not JSON"):
        client.get_json(httpserver.url_for("/jobs"))


def test_rate_limit_spaces_requests_to_one_host(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_json({})
    waits: list[float] = []
    with HttpClient(min_interval=1.5, sleep=waits.append, clock=lambda: 100.0) as http:
        for _ in range(3):
            http.get(httpserver.url_for("/a"))
    assert waits == [1.5, 3.0]  # the clock stands still, so each request queues behind the last


@pytest.mark.parametrize(
    ("hosts", "expected_waits"),
    [
        (["a", "a", "a"], [1.0, 2.0]),
        (["a", "b", "c"], []),
        (["a", "b", "a", "b"], [1.0, 1.0]),
    ],
)
def test_rate_limiter_is_per_host(hosts: list[str], expected_waits: list[float]) -> None:
    waits: list[float] = []
    limiter = HostRateLimiter(1.0, clock=lambda: 0.0, sleep=waits.append)
    for host in hosts:
        limiter.wait(host)
    assert waits == expected_waits


def test_rate_limiter_frees_slots_as_time_passes() -> None:
    now = [0.0]
    waits: list[float] = []
    limiter = HostRateLimiter(1.0, clock=lambda: now[0], sleep=waits.append)
    limiter.wait("a")
    now[0] = 0.4
    limiter.wait("a")
    now[0] = 5.0
    limiter.wait("a")
    assert waits == pytest.approx([0.6])


def test_rate_limiter_holds_across_threads() -> None:
    limiter = HostRateLimiter(0.03)
    stamps: list[float] = []

    def call() -> None:
        limiter.wait("host")
        stamps.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    assert stamps[-1] - stamps[0] >= 0.085  # 3 gaps of 0.03 s, minus timer slack


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-4", 0.0),
        ("  12 ", 12.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
        ("", None),
        (None, None),
        ("soon", None),
        ("Wed, 99 Foo 2015", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected


def test_backoff_grows_and_is_capped() -> None:
    http = HttpClient(backoff=1, max_backoff=4, jitter=0.5, rand=lambda: 1.0, min_interval=0)
    delays = [http._backoff_delay(attempt) for attempt in range(5)]
    http.close()
    assert delays == [1.5, 3.0, 6.0, 6.0, 6.0]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (None, 1.0),
        ("0", 0.0),
        ("0.25", 0.25),
        (" 2 ", 2.0),
        ("fast", 1.0),
        ("-1", 1.0),
        ("nan", 1.0),
        ("inf", 1.0),
    ],
)
def test_min_interval_from_environment(
    monkeypatch: pytest.MonkeyPatch, env: str | None, expected: float
) -> None:
    if env is None:
        monkeypatch.delenv("LEADBOARD_HTTP_MIN_INTERVAL", raising=False)
    else:
        monkeypatch.setenv("LEADBOARD_HTTP_MIN_INTERVAL", env)
    with HttpClient() as http:
        assert http.rate_limiter.min_interval == expected


def test_api_base_prefers_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOARD_TEST_API", "http://127.0.0.1:9/")
    assert api_base("http://explicit/", "LEADBOARD_TEST_API", "https://d") == "http://explicit"
    assert api_base(None, "LEADBOARD_TEST_API", "https://d") == "http://127.0.0.1:9"
    monkeypatch.delenv("LEADBOARD_TEST_API")
    assert api_base(None, "LEADBOARD_TEST_API", "https://d/") == "https://d"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_malformed_url_is_a_fetch_error_not_a_crash(http: HttpClient) -> None:
    with pytest.raises(FetchError, match="is not a URL that can be fetched"):
        http.get("https://[abc/careers")
