"""A polite HTTP client for the connectors: timeouts, retries, per-host rate limit.

Synchronous on purpose: ``crawl`` gets concurrency from a small thread pool, and one
``httpx.Client`` is safe to share between threads. Every failure a connector should report (HTTP
error, timeout, body that is not JSON) surfaces as one ``FetchError`` with a readable message.

>>> client = HttpClient(min_interval=0.5, retries=2)   # doctest: +SKIP
>>> client.get_json("https://boards-api.greenhouse.io/v1/boards/anthropic/jobs")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MIN_INTERVAL_ENV_VAR = "LEADBOARD_HTTP_MIN_INTERVAL"  # seconds between requests to one host
DEFAULT_MIN_INTERVAL = 1.0

log = logging.getLogger(__name__)


def _package_version() -> str:
    try:
        return version("leadboard")
    except PackageNotFoundError:
        return "dev"


USER_AGENT = f"Leadboard/{_package_version()} (+https://github.com/leadboard; job-search research)"


class FetchError(Exception):
    """A request that failed for good (after retries), with a message fit for a person.

    ``unreachable``: no connection to the host could be made (its name did not resolve, the
    connection was refused or timed out) — what an offline machine sees, unlike an answer.
    """

    def __init__(
        self, message: str, *, url: str, status: int | None = None, unreachable: bool = False
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.unreachable = unreachable


class HostRateLimiter:
    """Keeps at least ``min_interval`` seconds between requests to the same host.

    Thread-safe: each caller reserves the next free slot for its host under a lock, then sleeps
    until that slot outside the lock, so several threads queue up instead of bursting.

    >>> waits = []
    >>> limiter = HostRateLimiter(1.0, clock=lambda: 0.0, sleep=waits.append)
    >>> limiter.wait("a.example"); limiter.wait("a.example"); limiter.wait("b.example")
    >>> waits
    [1.0]
    """

    def __init__(
        self,
        min_interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if self.min_interval <= 0:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.min_interval
        if slot > now:
            self._sleep(slot - now)


class HttpClient:
    """GET/POST with retries (429/5xx/transport errors), backoff with jitter, per-host politeness.

    ``retries`` is the number of tries after the first. The delay before retry *n* (0-based) is
    ``backoff * 2**n`` (at most ``max_backoff``) stretched by up to ``jitter`` of itself at random,
    unless the server sent ``Retry-After`` (seconds or an HTTP date), which wins, capped at
    ``max_retry_after``. At most ``per_host`` requests to one host run at once.
    ``min_interval`` defaults to ``$LEADBOARD_HTTP_MIN_INTERVAL``, else 1 s.
    ``sleep``, ``clock`` and ``transport`` are injectable for tests.

    >>> HttpClient(timeout=5, retries=0, min_interval=0).timeout
    5
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        jitter: float = 0.5,
        max_retry_after: float = 120.0,
        min_interval: float | None = None,
        per_host: int = 2,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.jitter = jitter
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._rand = rand
        if min_interval is None:
            min_interval = min_interval_from_env()
        self.rate_limiter = HostRateLimiter(min_interval, clock=clock, sleep=sleep)
        self.per_host = max(1, per_host)
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._host_locks_guard = threading.Lock()
        self._reach = threading.local()  # this thread's last request: did it reach its host?
        self._client = httpx.Client(
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
            headers={"User-Agent": user_agent, "Accept": "application/json, text/html;q=0.9"},
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def last_unreachable(self) -> bool:
        """Whether this thread's last request failed without reaching its host (``FetchError``
        with ``unreachable``), so that a connector that turned the error into a partial listing
        still tells an offline machine from a board that answered badly."""
        return bool(getattr(self._reach, "unreachable", False))

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """GET ``url``; return the 2xx response or raise ``FetchError`` once retries are spent."""
        return self.request("GET", url, params=params, headers=headers)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request (GET, or POST for APIs that list by POST, like Workday's); return the
        2xx response or raise ``FetchError`` once retries are spent. At most ``per_host`` requests
        to one host are in flight at once, ``min_interval`` apart."""
        try:
            host = urlsplit(url).netloc.lower()
        except ValueError as err:  # e.g. an unclosed IPv6 bracket in a pasted URL
            raise FetchError(f"{url!r} is not a URL that can be fetched: {err}", url=url) from err
        self._reach.unreachable = False
        attempts = self.retries + 1
        for attempt in range(attempts):
            self.rate_limiter.wait(host)
            last_try = attempt == attempts - 1
            try:
                with self._host_slot(host):
                    response = self._client.request(
                        method, url, params=params, json=json_body, headers=headers
                    )
            except httpx.TimeoutException as err:
                if last_try:
                    self._reach.unreachable = isinstance(err, httpx.ConnectTimeout)
                    raise FetchError(
                        f"timed out after {self.timeout:g}s fetching {url}"
                        f" ({attempts} {_tries(attempts)})",
                        url=url,
                        unreachable=self._reach.unreachable,
                    ) from err
                self._sleep(self._backoff_delay(attempt))
                continue
            except httpx.TransportError as err:
                # A refused connection or an unknown host rarely clears within seconds: one
                # retry, not the full budget (an offline crawl should fail fast).
                gave_up_connecting = isinstance(err, httpx.ConnectError) and attempt >= 1
                if last_try or gave_up_connecting:
                    tries = attempt + 1
                    self._reach.unreachable = isinstance(err, httpx.ConnectError)
                    raise FetchError(
                        f"could not fetch {url}: {_describe(err)} ({tries} {_tries(tries)})",
                        url=url,
                        unreachable=self._reach.unreachable,
                    ) from err
                self._sleep(self._backoff_delay(attempt))
                continue
            except httpx.HTTPError as err:  # e.g. an invalid URL: retrying will not help
                raise FetchError(f"could not fetch {url}: {_describe(err)}", url=url) from err

            if response.is_success:
                return response
            status = response.status_code
            if status not in RETRY_STATUSES or last_try:
                raise FetchError(_status_message(response, attempts), url=url, status=status)
            delay = self._retry_after(response)
            self._sleep(delay if delay is not None else self._backoff_delay(attempt))
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET ``url`` and decode its JSON body; a body that is not JSON is a ``FetchError``."""
        return _json_of(self.get(url, params=params, headers=headers), url)

    def post_json(
        self,
        url: str,
        body: Any,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """POST ``body`` as JSON to ``url`` and decode the JSON answer (``FetchError`` if not)."""
        return _json_of(
            self.request("POST", url, params=params, json_body=body, headers=headers), url
        )

    def get_text(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """GET ``url`` and return its body as text (a career page's HTML, an XML or RSS feed)."""
        return self.get(url, params=params, headers=headers).text

    @contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._host_locks_guard:
            slot = self._host_slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slot:
            yield

    def _backoff_delay(self, attempt: int) -> float:
        delay = min(self.max_backoff, self.backoff * 2**attempt)
        return delay * (1 + self.jitter * self._rand())

    def _retry_after(self, response: httpx.Response) -> float | None:
        """``Retry-After`` in seconds (from seconds or an HTTP date), capped; None if absent."""
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        return None if seconds is None else min(seconds, self.max_retry_after)


def _json_of(response: httpx.Response, url: str) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        start = response.text[:80].strip().replace("\n", " ")
        raise FetchError(
            f"response from {response.url} is not JSON ({err.__class__.__name__}"
            f"; it starts {start!r})",
            url=url,
            status=response.status_code,
        ) from err


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header: delta-seconds or an HTTP date. None when unreadable.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT",
    ...                   now=datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def min_interval_from_env() -> float:
    """``$LEADBOARD_HTTP_MIN_INTERVAL`` in seconds; the 1 s default when unset or unreadable."""
    raw = os.environ.get(MIN_INTERVAL_ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_MIN_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0 or not math.isfinite(value):
        log.warning(
            "%s=%r is not a number of seconds; using %gs",
            MIN_INTERVAL_ENV_VAR,
            raw,
            DEFAULT_MIN_INTERVAL,
        )
        return DEFAULT_MIN_INTERVAL
    return value


def api_base(explicit: str | None, env_var: str, default: str) -> str:
    """The API root to use: the explicit argument, else the environment variable, else default.

    >>> api_base(None, "LEADBOARD_NO_SUCH_VAR", "https://api.example/")
    'https://api.example'
    """
    chosen = explicit or os.environ.get(env_var) or default
    return chosen.rstrip("/")


def record_sample(record: Any, limit: int = 300) -> str:
    """The start of a record, for a ``Reject`` a person can recognise."""
    try:
        text = json.dumps(record, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(record)
    return text[:limit]


def _tries(n: int) -> str:
    return "try" if n == 1 else "tries"


def _describe(err: Exception) -> str:
    text = str(err).strip()
    return f"{err.__class__.__name__}: {text}" if text else err.__class__.__name__


def _status_message(response: httpx.Response, attempts: int) -> str:
    status = response.status_code
    reason = response.reason_phrase or "error"
    message = f"HTTP {status} {reason} from {response.request.url}"
    if status == 404:
        message += " (no such board or page?)"
    elif status in RETRY_STATUSES:
        message += f" ({attempts} {_tries(attempts)})"
    return message
