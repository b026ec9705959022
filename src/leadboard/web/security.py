"""What keeps the web app safe to put on a network: headers, trusted links, limits, a write token.

- ``SecurityHeaders``: every response says what the browser may do with it (a strict
  Content-Security-Policy: scripts and styles only from this site, no framing, no referrer).
- ``safe_url``: the Jinja filter every ``href`` built from data goes through; a stored URL is
  never trusted to be a web link (``javascript:`` in any spelling becomes no link).
- ``RateLimit``: a token bucket per client address on the expensive routes (search, insights,
  match), answered 429 with ``Retry-After``. ``leadboard serve`` turns it on off loopback only.
- ``WRITES``: the dependency a route that changes stored data declares; with a write token set
  (``$LEADBOARD_WRITE_TOKEN``), or beyond loopback, a token must come as ``Authorization:
  Bearer …``.
- ``OwnerDep``: whose workspace a request reads and writes. A user's token (``leadboard users add
  NAME``; only its SHA-256 is stored) acts as that user, and sees only that user's saved searches
  and tracker; the write token, or no token on loopback, acts as ``"local"``, the machine's own
  user. Beyond loopback a request without a token has no workspace (401); a token nobody has is
  refused everywhere (401).
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadboard.normalize.urls import safe_http_url
from leadboard.store.schema import LOCAL_OWNER

WRITE_TOKEN_ENV = "LEADBOARD_WRITE_TOKEN"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
_SITE_PATH = re.compile(r"/(?![/\\])[^\x00-\x20\\]*")  # "/x?y", never "//host" or "/\host"


class SecurityHeaders:
    """ASGI middleware: adds ``SECURITY_HEADERS`` to every HTTP response (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                named = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in named]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def safe_url(value: object) -> str:
    """An ``href`` to trust: an http(s) URL with a host, or a path on this site; else ``""``.

    >>> safe_url("https://jobs.example.com/1"), safe_url("/?q=ml+lead"), safe_url("/jobs/a:b:1")
    ('https://jobs.example.com/1', '/?q=ml+lead', '/jobs/a:b:1')
    >>> [safe_url(v) for v in (None, " JavaScript:alert(1)", "java\\tscript:x", "//evil.com")]
    ['', '', '', '']
    """
    if not value:
        return ""
    text = str(value)
    if _SITE_PATH.fullmatch(text):
        return text
    return safe_http_url(text) or ""


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` reaches this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
    (True, True, True)
    >>> is_loopback("0.0.0.0"), is_loopback("192.168.1.5"), is_loopback("example.com")
    (False, False, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


# --- Rate limits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """``rate`` requests a second on average, ``burst`` at once."""

    rate: float
    burst: int


# Per client address. A search costs ~10–100 ms, a market page more, a résumé match up to seconds.
LIMITS = {
    "search": Limit(rate=5, burst=30),
    "insights": Limit(rate=2, burst=10),
    "match": Limit(rate=0.2, burst=5),
}


def expensive_kind(method: str, path: str) -> str | None:
    """Which limit a request falls under, if any.

    >>> expensive_kind("GET", "/api/v1/search"), expensive_kind("POST", "/match")
    ('search', 'match')
    >>> expensive_kind("GET", "/insights/ml-tech-lead"), expensive_kind("GET", "/jobs/x")
    ('insights', None)
    """
    if path in ("/", "/api/v1/search", "/api/v1/facets"):
        return "search"
    if path == "/insights" or path.startswith("/insights/"):
        return "insights"
    if method == "POST" and path in ("/match", "/api/v1/match"):
        return "match"
    return None


class TokenBuckets:
    """One token bucket per key, at most ``max_keys`` of them (the least recently seen go first,
    and come back full): memory stays bounded however many addresses ask.

    >>> buckets = TokenBuckets(Limit(rate=1, burst=2), clock=lambda: 0.0)
    >>> [buckets.take("a") for _ in range(3)], buckets.take("b")
    ([0.0, 0.0, 1.0], 0.0)
    """

    def __init__(
        self, limit: Limit, *, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.max_keys, self.clock = limit, max_keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, when

    def take(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when there was one, else the seconds until there is."""
        now = self.clock()
        tokens, then = self._buckets.pop(key, (float(self.limit.burst), now))
        tokens = min(float(self.limit.burst), tokens + (now - then) * self.limit.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.limit.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


Refusal = Callable[[Scope, int], Awaitable[Response] | Response]


class RateLimit:
    """ASGI middleware: the expensive routes (``expensive_kind``) limited per client address;
    over the limit, ``refuse(scope, retry_after_seconds)`` answers instead (a 429).

    The address is the connection's own: ``X-Forwarded-For`` is not trusted (anyone can send
    it), so behind a proxy every client shares the proxy's buckets."""

    def __init__(
        self, app: ASGIApp, *, refuse: Refusal, limits: dict[str, Limit] | None = None
    ) -> None:
        self.app, self.refuse = app, refuse
        self.buckets = {kind: TokenBuckets(limit) for kind, limit in (limits or LIMITS).items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = expensive_kind(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if kind in self.buckets:
            client = (scope.get("client") or ("unknown",))[0]
            wait = self.buckets[kind].take(client)
            if wait:
                response = self.refuse(scope, max(1, math.ceil(wait)))
                if not isinstance(response, Response):
                    response = await response
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# --- Writes -------------------------------------------------------------------------------------


def bearer(request: Request) -> str | None:
    """The token a request sends as ``Authorization: Bearer …``, if any."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" and given.strip() else None


def _unknown_token() -> HTTPException:
    return HTTPException(
        status_code=401,
        detail="unknown token: send the write token or a user's token "
        "(leadboard users add NAME) as Authorization: Bearer …",
        headers={"WWW-Authenticate": "Bearer"},
    )


def caller(request: Request) -> str | None:
    """Whose workspace a request acts on: the user whose token it sends; ``"local"`` for the
    write token, or for no token on loopback; None for no token beyond loopback. A token nobody
    has is refused (401)."""
    state = request.app.state
    token = bearer(request)
    if token is None:
        return None if getattr(state, "public", False) else LOCAL_OWNER
    expected: str | None = getattr(state, "write_token", None)
    if expected is not None and hmac.compare_digest(token.encode(), expected.encode()):
        return LOCAL_OWNER
    user_of_token: Callable[[str], str | None] | None = getattr(state, "user_of_token", None)
    name = user_of_token(token) if user_of_token else None
    if name is None:
        raise _unknown_token()
    return name


def request_owner(request: Request) -> str:
    """``caller``, required: beyond loopback, a workspace is reached with a token only."""
    found = caller(request)
    if found is None:
        raise HTTPException(
            status_code=401,
            detail="your workspace needs your token: Authorization: Bearer … "
            "(leadboard users add NAME prints one)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


# The owner of the workspace rows a route reads and writes; MaybeOwnerDep: None when anonymous.
OwnerDep = Annotated[str, Depends(request_owner)]
MaybeOwnerDep = Annotated[str | None, Depends(caller)]


def check_write_token(request: Request) -> None:
    """Let a write through only with a token when the app has a write token or listens beyond
    loopback (``create_app``'s ``write_token``, ``public``): the write token (compared in
    constant time) or a user's."""
    state = request.app.state
    needed = getattr(state, "write_token", None) is not None or getattr(state, "public", False)
    if needed and bearer(request) is None:
        raise HTTPException(
            status_code=401,
            detail=f"this change needs the write token (Authorization: Bearer ${WRITE_TOKEN_ENV})"
            " or a user's token (leadboard users add NAME)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    caller(request)  # a token sent must be someone's


# Declare on every route that changes stored data: ``@app.post(…, dependencies=[WRITES])``.
WRITES: Any = Depends(check_write_token)


class InsecureSetup(RuntimeError):
    """The app cannot be served as asked without opening writes to anyone."""


def refuse_open_writes(app: FastAPI) -> None:
    """Raise ``InsecureSetup`` when ``app`` is served beyond loopback (``app.state.public``) with
    routes that change stored data and no token to guard them: neither a write token nor a user
    (``app.state.has_users``)."""
    state = app.state
    guarded = (
        not getattr(state, "public", False)
        or getattr(state, "write_token", None)
        or getattr(state, "has_users", False)
    )
    if not guarded and (routes := write_routes(app)):
        raise InsecureSetup(
            f"{', '.join(routes)} change stored data: set ${WRITE_TOKEN_ENV}, or add a user "
            "(leadboard users add NAME), to serve beyond loopback (clients send the token as "
            "Authorization: Bearer …)"
        )


def write_routes(app: FastAPI) -> list[str]:
    """The routes of ``app`` that change stored data (they declare ``WRITES``), those of the
    routers it includes too: FastAPI keeps those behind an included-router entry of
    ``app.routes``, which ``iter_route_contexts`` opens."""
    return [
        f"{','.join(sorted(context.original_route.methods or ()))} {context.path}"
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and any(d.call is check_write_token for d in context.original_route.dependant.dependencies)
    ]
