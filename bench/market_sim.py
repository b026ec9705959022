"""A loopback simulator of the ATS world, for the market benchmark and its CI test.

A ``World`` holds boards of 20 ATS kinds and their postings, generated deterministically from a seed
(the shipped registry's boards first, then generated ones); ``World.advance`` applies churn (new,
removed and edited postings) and keeps the ground truth. A ``Simulator`` serves the world on
127.0.0.1 in each ATS's recorded shape: with an overridden API root a connector asks for
``{root}/{host}{path}``, so the first path segment names the real host and picks the responder.
Faults: added latency, 429 with ``Retry-After: 0`` and 503 (each on a request's first try only),
a response that hangs past the client's timeout (first try only), and per board and generation a
hard failure (every request 500) or a truncated listing (its last page cut short: a partial or
failed fetch). The simulator records which boards got a fault that made their fetch fail: the
only boards that may legitimately keep postings open that are gone upstream.

Kinds served: greenhouse, lever (and Lever EU), ashby, workday (POST list + detail),
smartrecruiters (list + detail), recruitee, workable (widget, empty v3), personio (XML),
teamtailor (paged RSS), pinpoint, gem, bamboohr (list + detail), rippling (paged v2 + detail),
hibob, breezy (list + position page), eightfold (paged v2), successfactors (Google feed),
oracle_hcm (paged list + detail), comeet (careers page), jobvite (HTML list). Not served: icims.

>>> world = World(seed=1, boards=12, postings=120, registry=[])
>>> len(world.boards), sum(len(b.postings) for b in world.boards) > 0
(12, True)
>>> before = world.open_ids(); world.advance(); len(world.removed) > 0
True
>>> world.removed <= before and not (world.removed & world.open_ids())
True
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

KINDS = (
    "greenhouse",
    "lever",
    "ashby",
    "workday",
    "smartrecruiters",
    "recruitee",
    "workable",
    "personio",
    "teamtailor",
    "pinpoint",
    "gem",
    "bamboohr",
    "rippling",
    "hibob",
    "breezy",
    "eightfold",
    "successfactors",
    "oracle_hcm",
    "comeet",
    "jobvite",
)
# API roots of the kinds with their own variable (the rest use $LEADBOARD_ATS_ROOT).
API_HOSTS = {
    "greenhouse": "boards-api.greenhouse.io",
    "lever": "api.lever.co",
    "lever_eu": "api.eu.lever.co",
    "ashby": "api.ashbyhq.com",
}
PAGE_SIZES = {
    "lever": 100,
    "workday": 20,
    "smartrecruiters": 100,
    "teamtailor": 100,
    "rippling": 50,
    "eightfold": 10,
    "oracle_hcm": 25,
}
MAX_BOARD_POSTINGS = 1500
EPOCH = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

# --- what postings say ---

ML_TITLES = (
    "Head of Machine Learning",
    "Director of AI",
    "ML Engineering Manager",
    "Staff Machine Learning Engineer",
    "Principal ML Scientist",
    "VP of Artificial Intelligence",
    "Lead Data Scientist",
    "Machine Learning Platform Lead",
    "Research Scientist, LLMs",
    "Senior Applied Scientist",
    "Head of Data Science",
    "Manager, ML Infrastructure",
)
OTHER_TITLES = (
    "Senior Software Engineer",
    "Product Manager",
    "Account Executive",
    "Sales Development Representative",
    "Customer Success Manager",
    "Financial Analyst",
    "Recruiter",
    "Backend Engineer (Go)",
    "Frontend Engineer",
    "Site Reliability Engineer",
    "Data Engineer",
    "Marketing Manager",
    "Office Manager",
    "Legal Counsel",
    "UX Designer",
    "Warehouse Associate",
    "Registered Nurse",
    "Mechanical Engineer",
    "Controller",
    "HR Business Partner",
    "Security Engineer",
    "QA Analyst",
    "Technical Writer",
    "Solutions Architect",
)
PLACES = (
    ("San Francisco", "California", "United States", "US"),
    ("New York", "New York", "United States", "US"),
    ("London", "England", "United Kingdom", "GB"),
    ("Berlin", "Berlin", "Germany", "DE"),
    ("Paris", "Ile-de-France", "France", "FR"),
    ("Toronto", "Ontario", "Canada", "CA"),
    ("Bangalore", "Karnataka", "India", "IN"),
    ("Zurich", "Zurich", "Switzerland", "CH"),
    ("Amsterdam", "North Holland", "Netherlands", "NL"),
    ("Austin", "Texas", "United States", "US"),
    ("Singapore", "Singapore", "Singapore", "SG"),
    ("Tel Aviv", "Tel Aviv", "Israel", "IL"),
    ("Remote", "", "United States", "US"),
    ("Warsaw", "Masovia", "Poland", "PL"),
    ("Stockholm", "Stockholm", "Sweden", "SE"),
)
DEPARTMENTS = ("Engineering", "Research", "Sales", "Operations", "Finance", "People", "Product")
SENTENCES = (
    "You will lead a team that builds and ships models used by millions of people.",
    "We are looking for someone who enjoys turning research into reliable products.",
    "You will own the roadmap for our training and evaluation infrastructure.",
    "Work closely with product, design and data teams across three time zones.",
    "Mentor engineers and scientists, and help them grow into technical leaders.",
    "Experience with Python, PyTorch and distributed systems is expected.",
    "You have shipped production services and care about their reliability.",
    "Our customers are hospitals, banks and logistics companies in 40 countries.",
    "We offer a competitive salary, equity, and a generous learning budget.",
    "You will report to the VP of Engineering and work from our main office.",
    "Strong written communication: we document decisions and share them widely.",
    "Familiarity with SQL, dbt and modern data warehouses is a plus.",
    "You will hire and develop a team of eight to twelve people over the next year.",
    "We value curiosity, ownership and kindness over credentials.",
    "The role includes occasional travel to customer sites (up to 20%).",
    "Benefits include health insurance, parental leave and a pension plan.",
)


@dataclass(slots=True)
class Posting:
    """One posting as its board serves it; ``version`` grows with each edit."""

    seq: int
    pid: str  # the external id the connector reads
    title: str
    place: int
    dept: int
    posted_day: int  # days after EPOCH
    version: int = 0

    @property
    def slug(self) -> str:
        return "-".join(w for w in "".join(c if c.isalnum() else " " for c in self.title).split())

    def description(self) -> str:
        """A deterministic HTML description of ~1-2 KB (paragraphs and a list)."""
        rng = random.Random(self.seq * 7919 + self.version)
        paragraphs = [
            " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(2, 4))
        ]
        items = "".join(f"<li>{rng.choice(SENTENCES)}</li>" for _ in range(rng.randint(3, 6)))
        return (
            f"<p><strong>{html.escape(self.title)}</strong> ({DEPARTMENTS[self.dept]})</p>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + f"<ul>{items}</ul><p>Revision {self.version}.</p>"
        )

    def posted(self) -> datetime:
        return EPOCH + timedelta(days=self.posted_day, hours=self.seq % 9)


@dataclass
class SimBoard:
    kind: str
    token: str
    company: str
    postings: dict[str, Posting] = field(default_factory=dict)  # pid → posting, in listing order

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.token}"


@dataclass(frozen=True)
class Churn:
    """Per generation, the share of postings added, removed and edited."""

    new: float = 0.02
    removed: float = 0.02
    edited: float = 0.01


def _h(*parts: Any) -> float:
    """A deterministic number in [0, 1) from ``parts`` (fault decisions, ids)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def external_id(kind: str, seq: int) -> str:
    """The external id a ``kind`` connector reads for posting ``seq`` (each ATS's own format).

    >>> external_id("greenhouse", 7), external_id("workday", 7)
    ('4000000007', 'JR0000007')
    """
    hexed = hashlib.md5(str(seq).encode()).hexdigest()  # an id, not security
    uuid = f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:32]}"
    return {
        "greenhouse": f"{4_000_000_000 + seq}",
        "lever": uuid,
        "ashby": uuid,
        "workday": f"JR{seq:07d}",
        "smartrecruiters": f"{744_000_000_000 + seq}",
        "workable": hexed[:10].upper(),
        "gem": f"gp{hexed[:16]}",
        "rippling": uuid,
        "hibob": uuid,
        "breezy": hexed[:12],
        "comeet": f"{(seq // 1000) % 100:02X}.{seq % 1000:03d}{seq // 100000:X}",
        "jobvite": f"o{hexed[:7]}",
    }.get(kind, str(100_000 + seq))


def _generated_token(kind: str, i: int) -> str:
    name = f"simco{i}"
    return {
        "workday": f"{name}/wd{1 + i % 5}/External",
        "oracle_hcm": f"{name}.fa.us2.oraclecloud.com/CX_1",
        "teamtailor": f"{name}.teamtailor.com",
        "successfactors": f"careers.{name}.com",
        "comeet": f"{name}/{i % 90 + 10:02X}.00{i % 7}",
        "lever": f"eu:{name}" if i % 5 == 0 else name,
    }.get(kind, name)


def route_of(kind: str, token: str) -> tuple[str, str]:
    """``(host, key)`` under which a board is served (the key names it on that host).

    >>> route_of("workday", "ABB/wd3/External")
    ('abb.wd3.myworkdayjobs.com', 'abb/wd3/External')
    >>> route_of("recruitee", "acme")
    ('acme.recruitee.com', 'acme.recruitee.com')
    """
    host, key = _route(kind, token)
    return host.lower(), key


def _route(kind: str, token: str) -> tuple[str, str]:
    low = token.lower()
    if kind == "greenhouse":
        return API_HOSTS["greenhouse"], token
    if kind == "lever":
        eu = low.startswith("eu:")
        return API_HOSTS["lever_eu" if eu else "lever"], token[3:] if eu else token
    if kind == "ashby":
        return API_HOSTS["ashby"], token
    if kind == "workday":
        tenant, instance, site = token.split("/")
        tenant, instance = tenant.lower(), instance.lower()
        label_ok = tenant.replace("-", "").isalnum() and not tenant.startswith("-")
        host = (
            f"{tenant}.{instance}.myworkdayjobs.com"
            if label_ok
            else f"{instance}.myworkdaysite.com"
        )
        return host, f"{tenant}/{instance}/{site}"
    if kind == "smartrecruiters":
        return "api.smartrecruiters.com", token
    if kind in ("recruitee", "breezy"):
        suffix = ".recruitee.com" if kind == "recruitee" else ".breezy.hr"
        host = low if "." in low else f"{low}{suffix}"
        return host, host
    if kind == "workable":
        return "apply.workable.com", token
    if kind == "personio":
        return f"{low}.jobs.personio.de", low
    if kind in ("teamtailor", "successfactors"):
        return low, low
    if kind == "pinpoint":
        return f"{low}.pinpointhq.com", low
    if kind == "gem":
        return "api.gem.com", token
    if kind == "bamboohr":
        return f"{low}.bamboohr.com", low
    if kind == "rippling":
        return "ats.rippling.com", token
    if kind == "hibob":
        return f"{low}.careers.hibob.com", low
    if kind == "eightfold":
        name = low.partition(":")[0]
        host = name if "." in name else f"{name}.eightfold.ai"
        return host, host
    if kind == "oracle_hcm":
        host, _, site = token.partition("/")
        return host.lower(), f"{host.lower()}/{site}"
    if kind == "comeet":
        return "www.comeet.com", token
    if kind == "jobvite":
        return "jobs.jobvite.com", token
    raise KeyError(kind)


def servable(kind: str, token: str) -> bool:
    """Whether the connector of ``kind`` can reach this token at all (a legacy SuccessFactors
    company id or a bare Comeet uid cannot be fetched, by design)."""
    if kind not in KINDS:
        return False
    if kind == "successfactors":
        return "." in token
    if kind == "comeet":
        return token.count("/") == 1
    if kind == "workday":
        return token.count("/") == 2
    if kind == "oracle_hcm":
        return "/" in token and "." in token.partition("/")[0]
    return True


class World:
    """Boards and postings generated from ``seed``; ``advance`` applies one generation of churn.

    ``registry`` is the boards to include first (``(kind, token, company)``, e.g. the shipped
    registry's); generated boards fill up to ``boards``. Postings per board are heavy-tailed
    (a few large boards, many small ones), ``postings`` in all.
    """

    def __init__(
        self,
        *,
        seed: int = 17,
        boards: int = 60,
        postings: int = 3000,
        registry: Iterable[tuple[str, str, str | None]] = (),
        churn: Churn = Churn(),
        kinds: Sequence[str] = KINDS,
    ) -> None:
        self.seed, self.churn, self.generation = seed, churn, 0
        self._rng = random.Random(seed)
        self._seq = 0
        self.boards: list[SimBoard] = []
        self.routes: dict[tuple[str, str], SimBoard] = {}  # (host, key) → board
        self.host_kind: dict[str, str] = {}  # every served host → its kind
        chosen = self._choose(registry, boards, kinds)
        for kind, token, company in chosen:
            self._add_board(kind, token, company)
        self._fill(postings)
        self.removed: set[str] = set()
        self.added: set[str] = set()
        self.edited: set[str] = set()

    def _choose(
        self, registry: Iterable[tuple[str, str, str | None]], wanted: int, kinds: Sequence[str]
    ) -> list[tuple[str, str, str]]:
        by_kind: dict[str, list[tuple[str, str, str]]] = {k: [] for k in kinds}
        host_kinds: dict[str, str] = {}
        routes: set[tuple[str, str]] = set()
        for kind, token, company in registry:
            if kind not in by_kind or not servable(kind, token):
                continue
            route = route_of(kind, token)
            if host_kinds.setdefault(route[0], kind) != kind or route in routes:
                continue  # one kind per host, one board per route
            routes.add(route)
            by_kind[kind].append((kind, token, company or token.split("/")[0].split(".")[0]))
        # Round-robin over kinds, so that a small world still holds every kind.
        chosen: list[tuple[str, str, str]] = []
        queues = [list(v) for v in by_kind.values()]
        while len(chosen) < wanted and any(queues):
            for queue in queues:
                if queue and len(chosen) < wanted:
                    chosen.append(queue.pop(0))
        i = 0
        while len(chosen) < wanted:
            kind = kinds[i % len(kinds)] if i < 4 * len(kinds) else self._rng.choice(kinds)
            chosen.append((kind, _generated_token(kind, i), f"SimCo {i}"))
            i += 1
        return chosen

    def _add_board(self, kind: str, token: str, company: str) -> None:
        host, key = route_of(kind, token)
        if (host, key) in self.routes or self.host_kind.get(host, kind) != kind:
            return
        board = SimBoard(kind, token, company)
        self.boards.append(board)
        self.routes[(host, key)] = board
        self.host_kind[host] = kind

    def _fill(self, total: int) -> None:
        weights = [min(60.0, self._rng.paretovariate(1.3)) for _ in self.boards]
        scale = total / max(1e-9, sum(weights))
        for board, weight in zip(self.boards, weights, strict=True):
            for _ in range(min(MAX_BOARD_POSTINGS, round(weight * scale))):
                self._new_posting(board, day=-self._rng.randint(0, 120))

    def _new_posting(self, board: SimBoard, day: int) -> Posting:
        self._seq += 1
        rng = self._rng
        titles = ML_TITLES if rng.random() < 0.2 else OTHER_TITLES
        posting = Posting(
            seq=self._seq,
            pid=external_id(board.kind, self._seq),
            title=rng.choice(titles),
            place=rng.randrange(len(PLACES)),
            dept=rng.randrange(len(DEPARTMENTS)),
            posted_day=day,
        )
        board.postings[posting.pid] = posting
        return posting

    # --- ground truth -----------------------------------------------------------------------

    def open_ids(self) -> set[str]:
        """Job ids (``kind:token:external_id``) of every posting open upstream now."""
        return {f"{b.spec}:{pid}" for b in self.boards for pid in b.postings}

    def postings_count(self) -> int:
        return sum(len(b.postings) for b in self.boards)

    def advance(self) -> None:
        """One generation of churn: new, removed and edited postings (no board emptied)."""
        self.generation += 1
        rng = self._rng
        everything = [(b, pid) for b in self.boards for pid in b.postings]
        count = len(everything)
        self.removed, self.added, self.edited = set(), set(), set()
        for board, pid in rng.sample(everything, round(self.churn.removed * count)):
            if len(board.postings) > 1:
                del board.postings[pid]
                self.removed.add(f"{board.spec}:{pid}")
        left = [(b, pid) for b, pid in everything if pid in b.postings]
        for board, pid in rng.sample(left, min(len(left), round(self.churn.edited * count))):
            posting = board.postings[pid]
            posting.version += 1
            # The listing changes too (a new title), so that detail-reading kinds notice.
            posting.title = (
                posting.title.removeprefix("Senior ")
                if posting.title.startswith("Senior ")
                else f"Senior {posting.title}"
            )
            self.edited.add(f"{board.spec}:{pid}")
        weights = [len(b.postings) + 1 for b in self.boards]
        for board in rng.choices(self.boards, weights, k=round(self.churn.new * count)):
            posting = self._new_posting(board, day=self.generation)
            self.added.add(f"{board.spec}:{posting.pid}")


# --- faults ---


@dataclass(frozen=True)
class Faults:
    """Fault rates. Per request (first try only): latency, 429, 503, hang; per board and
    generation: ``board_fail`` (every request 500) and ``truncate`` (its last listing page cut)."""

    latency: float = 0.05
    latency_s: float = 0.02
    too_many: float = 0.01
    server_error: float = 0.003
    hang: float = 0.0005
    hang_s: float = 4.0  # longer than the client's timeout
    board_fail: float = 0.005
    truncate: float = 0.005

    @classmethod
    def none(cls) -> Faults:
        return cls(0, 0, 0, 0, 0, 0, 0, 0)


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    board: SimBoard | None = None
    role: str = "list"  # list | detail
    last_page: bool = True
    headers: dict[str, str] = field(default_factory=dict)


def _json(value: Any, board: SimBoard | None = None, **kw: Any) -> Response:
    body = json.dumps(value, separators=(",", ":")).encode()
    return Response(200, body, board=board, **kw)


NOT_FOUND = Response(404, b'{"error":"not found"}')


# --- the responders: one per kind, in each ATS's recorded shape ---


def _place(p: Posting) -> tuple[str, str, str, str]:
    return PLACES[p.place]


def _loc_text(p: Posting) -> str:
    city, region, country, _ = _place(p)
    return ", ".join(x for x in (city, region, country) if x)


def _iso(p: Posting) -> str:
    return p.posted().strftime("%Y-%m-%dT%H:%M:%SZ")


def _page(items: list[Posting], offset: int, size: int) -> tuple[list[Posting], bool]:
    chunk = items[offset : offset + size]
    return chunk, offset + size >= len(items)


class Responders:
    """``answer(world, host, path, query, body)``: the response for one request."""

    def __init__(self, world: World) -> None:
        self.world = world

    def board(self, host: str, key: str) -> SimBoard | None:
        return self.world.routes.get((host, key))

    def answer(self, host: str, path: str, query: dict[str, list[str]], body: bytes) -> Response:
        kind = self.world.host_kind.get(host)
        if kind is None and host == API_HOSTS["lever_eu"]:
            kind = "lever"
        if kind is None and host == "api.rippling.com":
            kind = "rippling"
        if kind is None:
            return NOT_FOUND
        segments = [unquote(s) for s in path.split("/") if s]
        handler: Callable[..., Response] = getattr(self, f"_{kind}")
        try:
            return handler(host, segments, query, body)
        except (IndexError, ValueError, KeyError):
            return NOT_FOUND

    def _items(self, board: SimBoard) -> list[Posting]:
        return list(board.postings.values())

    def _greenhouse(self, host, seg, q, body) -> Response:  # /v1/boards/{token}/jobs
        board = (
            self.board(host, seg[2])
            if seg[:2] == ["v1", "boards"] and seg[3:] == ["jobs"]
            else None
        )
        if board is None:
            return NOT_FOUND
        jobs = [
            {
                "id": int(p.pid),
                "title": p.title,
                "internal_job_id": p.seq,
                "absolute_url": f"https://job-boards.greenhouse.io/{board.token}/jobs/{p.pid}",
                "location": {"name": _loc_text(p)},
                "content": html.escape(p.description()),
                "updated_at": _iso(p),
                "first_published": _iso(p),
                "company_name": board.company,
                "departments": [{"id": p.dept, "name": DEPARTMENTS[p.dept]}],
            }
            for p in self._items(board)
        ]
        return _json({"jobs": jobs, "meta": {"total": len(jobs)}}, board)

    def _lever(self, host, seg, q, body) -> Response:  # /v0/postings/{site}?skip&limit
        if seg[:2] != ["v0", "postings"]:
            return NOT_FOUND
        board = self.board(host, seg[2])
        if board is None:
            return NOT_FOUND
        skip, limit = int(q.get("skip", ["0"])[0]), int(q.get("limit", ["100"])[0])
        chunk, last = _page(self._items(board), skip, limit)
        records = [
            {
                "id": p.pid,
                "text": p.title,
                "hostedUrl": f"https://jobs.lever.co/{seg[2]}/{p.pid}",
                "createdAt": int(p.posted().timestamp() * 1000),
                "description": p.description(),
                "categories": {
                    "location": _loc_text(p),
                    "team": DEPARTMENTS[p.dept],
                    "commitment": "Full-time",
                },
                "workplaceType": "remote" if _place(p)[0] == "Remote" else "onsite",
            }
            for p in chunk
        ]
        return _json(records, board, last_page=last)

    def _ashby(self, host, seg, q, body) -> Response:  # /posting-api/job-board/{org}
        board = self.board(host, seg[2]) if seg[:2] == ["posting-api", "job-board"] else None
        if board is None:
            return NOT_FOUND
        jobs = [
            {
                "id": p.pid,
                "title": p.title,
                "location": _loc_text(p),
                "department": DEPARTMENTS[p.dept],
                "isListed": True,
                "isRemote": _place(p)[0] == "Remote",
                "descriptionHtml": p.description(),
                "publishedAt": _iso(p),
                "jobUrl": f"https://jobs.ashbyhq.com/{board.token}/{p.pid}",
                "employmentType": "FullTime",
            }
            for p in self._items(board)
        ]
        return _json({"jobs": jobs, "apiVersion": "1"}, board)

    def _workday(self, host, seg, q, body) -> Response:  # /wday/cxs/{tenant}/{site}/jobs|job/..
        if seg[:2] != ["wday", "cxs"]:
            return NOT_FOUND
        tenant, site = seg[2], seg[3]
        labels = host.split(".")
        instance = labels[1] if host.endswith(".myworkdayjobs.com") else labels[0]
        board = self.board(host, f"{tenant}/{instance}/{site}")
        if board is None:
            return NOT_FOUND
        if seg[4:] == ["jobs"]:
            ask = json.loads(body or b"{}")
            offset, limit = int(ask.get("offset", 0)), int(ask.get("limit", 20))
            chunk, last = _page(self._items(board), offset, limit)
            postings = [
                {
                    "title": p.title,
                    "externalPath": f"/job/{_place(p)[0]}/{p.pid}",
                    "locationsText": _place(p)[0],
                    "postedOn": f"Posted {p.seq % 30} Days Ago",
                    "bulletFields": [p.pid],
                }
                for p in chunk
            ]
            total = len(board.postings) if offset == 0 else 0
            return _json({"total": total, "jobPostings": postings}, board, last_page=last)
        if seg[4:5] == ["job"]:
            p = board.postings.get(seg[-1])
            if p is None:
                return Response(404, b'{"error":"gone"}', board=board, role="detail")
            info = {
                "id": f"wd{p.seq}",
                "title": p.title,
                "jobDescription": p.description(),
                "location": _loc_text(p),
                "startDate": p.posted().date().isoformat(),
                "jobReqId": p.pid,
                "timeType": "Full time",
                "postedOn": "Posted Today",
                "country": {"descriptor": _place(p)[2]},
                "canApply": True,
            }
            detail = {
                "jobPostingInfo": info,
                "hiringOrganization": {"name": board.company},
                "similarJobs": [],
            }
            return _json(detail, board, role="detail")
        return NOT_FOUND

    def _smartrecruiters(self, host, seg, q, body) -> Response:  # /v1/companies/{c}/postings[/id]
        if seg[:2] != ["v1", "companies"] or seg[3:4] != ["postings"]:
            return NOT_FOUND
        board = self.board(host, seg[2])
        if board is None:
            return NOT_FOUND

        def item(p: Posting) -> dict[str, Any]:
            city, region, country, code = _place(p)
            return {
                "id": p.pid,
                "name": p.title,
                "uuid": f"u{p.seq}",
                "refNumber": f"REF{p.seq}",
                "releasedDate": _iso(p),
                "company": {"identifier": board.token, "name": board.company},
                "location": {
                    "city": city,
                    "region": region,
                    "country": code.lower(),
                    "fullLocation": _loc_text(p),
                    "remote": city == "Remote",
                    "hybrid": False,
                },
                "department": {"label": DEPARTMENTS[p.dept]},
                "typeOfEmployment": {"label": "Full-time"},
            }

        if len(seg) == 5:
            p = board.postings.get(seg[4])
            if p is None:
                return Response(404, b'{"message":"gone"}', board=board, role="detail")
            detail = {
                **item(p),
                "postingUrl": f"https://jobs.smartrecruiters.com/{board.token}/{p.pid}",
                "jobAd": {
                    "sections": {
                        "jobDescription": {"title": "Job Description", "text": p.description()}
                    }
                },
            }
            return _json(detail, board, role="detail")
        offset, limit = int(q.get("offset", ["0"])[0]), int(q.get("limit", ["100"])[0])
        chunk, last = _page(self._items(board), offset, limit)
        answer = {
            "offset": offset,
            "limit": limit,
            "totalFound": len(board.postings),
            "content": [item(p) for p in chunk],
        }
        return _json(answer, board, last_page=last)

    def _recruitee(self, host, seg, q, body) -> Response:  # /api/offers/
        board = self.board(host, host) if seg == ["api", "offers"] else None
        if board is None:
            return NOT_FOUND
        offers = []
        for p in self._items(board):
            city, region, country, code = _place(p)
            offers.append(
                {
                    "id": int(p.pid),
                    "title": p.title,
                    "slug": p.slug.lower(),
                    "status": "published",
                    "description": p.description(),
                    "requirements": "<p>Python.</p>",
                    "city": city,
                    "state_name": region,
                    "country": country,
                    "country_code": code,
                    "remote": city == "Remote",
                    "published_at": p.posted().strftime("%Y-%m-%d %H:%M:%S UTC"),
                    "careers_url": f"https://{host}/o/{p.slug.lower()}",
                    "company_name": board.company,
                    "department": DEPARTMENTS[p.dept],
                    "employment_type_code": "fulltime",
                }
            )
        return _json({"offers": offers}, board)

    def _workable(self, host, seg, q, body) -> Response:
        if seg[:4] == ["api", "v1", "widget", "accounts"]:
            board = self.board(host, seg[4])
            if board is None:
                return NOT_FOUND
            jobs = [
                {
                    "shortcode": p.pid,
                    "title": p.title,
                    "description": p.description(),
                    "city": _place(p)[0],
                    "country": _place(p)[2],
                    "published_on": p.posted().date().isoformat(),
                    "employment_type": "Full-time",
                    "department": DEPARTMENTS[p.dept],
                    "telecommuting": _place(p)[0] == "Remote",
                    "url": f"https://apply.workable.com/j/{p.pid}",
                }
                for p in self._items(board)
            ]
            return _json({"name": board.company, "jobs": jobs}, board)
        if seg[:3] == ["api", "v3", "accounts"]:  # asked only when the widget listed nothing
            board = self.board(host, seg[3])
            if board is None:
                return NOT_FOUND
            return _json({"results": [], "total": 0, "nextPage": None}, board)
        return NOT_FOUND

    def _personio(self, host, seg, q, body) -> Response:  # /xml
        board = self.board(host, host.split(".")[0]) if seg == ["xml"] else None
        if board is None:
            return NOT_FOUND
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>']
        for p in self._items(board):
            parts.append(
                f"<position><id>{p.pid}</id><subcompany>{xml_escape(board.company)}</subcompany>"
                f"<office>{xml_escape(_place(p)[0])}</office><department>{DEPARTMENTS[p.dept]}"
                f"</department><name>{xml_escape(p.title)}</name><employmentType>permanent"
                f"</employmentType><schedule>full-time</schedule><createdAt>"
                f"{p.posted().isoformat()}</createdAt><jobDescriptions><jobDescription><name>"
                f"Your mission</name><value><![CDATA[{p.description()}]]></value>"
                f"</jobDescription></jobDescriptions></position>"
            )
        parts.append("</workzag-jobs>")
        return Response(200, "".join(parts).encode(), "application/xml", board=board)

    def _teamtailor(self, host, seg, q, body) -> Response:  # /jobs.rss?offset&per_page
        board = self.board(host, host)
        if board is None or seg != ["jobs.rss"]:
            return NOT_FOUND if board is None else Response(404, b"{}", board=board)
        offset, size = int(q.get("offset", ["0"])[0]), int(q.get("per_page", ["100"])[0])
        chunk, last = _page(self._items(board), offset, size)
        items = []
        for p in chunk:
            city, _, country, _ = _place(p)
            items.append(
                f"<item><title>{xml_escape(p.title)}</title><description>"
                f"{xml_escape(p.description())}</description><pubDate>"
                f"{format_datetime(p.posted())}</pubDate><link>https://{host}/jobs/{p.pid}-"
                f"{p.slug.lower()}</link><guid>tt-{p.seq}</guid><tt:department>"
                f"{DEPARTMENTS[p.dept]}</tt:department><tt:locations><tt:location><tt:city>"
                f"{xml_escape(city)}</tt:city><tt:country>{xml_escape(country)}</tt:country>"
                f"</tt:location></tt:locations></item>"
            )
        text = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:tt="https://teamtailor.com/locations"><channel><title>'
            f"{xml_escape(board.company)}</title>{''.join(items)}</channel></rss>"
        )
        return Response(200, text.encode(), "application/rss+xml", board=board, last_page=last)

    def _pinpoint(self, host, seg, q, body) -> Response:  # /postings.json
        board = self.board(host, host.split(".")[0]) if seg == ["postings.json"] else None
        if board is None:
            return NOT_FOUND
        data = [
            {
                "id": p.pid,
                "title": p.title,
                "url": f"https://{host}/en/postings/{p.pid}",
                "description": p.description(),
                "location": {"name": _place(p)[0], "city": _place(p)[0], "province": _place(p)[1]},
                "employment_type": "full_time",
                "workplace_type": "remote" if _place(p)[0] == "Remote" else "onsite",
                "job": {"id": p.seq, "department": {"name": DEPARTMENTS[p.dept]}},
            }
            for p in self._items(board)
        ]
        return _json({"data": data}, board)

    def _gem(self, host, seg, q, body) -> Response:  # /job_board/v0/{slug}/job_posts/
        ok = seg[:2] == ["job_board", "v0"] and seg[3:] == ["job_posts"]
        board = self.board(host, seg[2]) if ok else None
        if board is None:
            return NOT_FOUND
        posts = [
            {
                "id": p.pid,
                "title": p.title,
                "absolute_url": f"https://jobs.gem.com/{board.token}/{p.pid}",
                "content": p.description(),
                "location": {"name": _loc_text(p)},
                "first_published_at": _iso(p),
                "updated_at": _iso(p),
                "location_type": "remote" if _place(p)[0] == "Remote" else "in_office",
                "employment_type": "full_time",
                "departments": [{"name": DEPARTMENTS[p.dept]}],
            }
            for p in self._items(board)
        ]
        return _json(posts, board)

    def _bamboohr(self, host, seg, q, body) -> Response:  # /careers/list, /careers/{id}/detail
        board = self.board(host, host.split(".")[0])
        if board is None or seg[:1] != ["careers"]:
            return NOT_FOUND
        if seg[1:] == ["list"]:
            result = [
                {
                    "id": p.pid,
                    "jobOpeningName": p.title,
                    "departmentLabel": DEPARTMENTS[p.dept],
                    "employmentStatusLabel": "Full-Time",
                    "location": {"city": _place(p)[0], "state": _place(p)[1]},
                    "isRemote": None,
                    "locationType": "1" if _place(p)[0] == "Remote" else "0",
                }
                for p in self._items(board)
            ]
            return _json({"meta": {"totalCount": len(result)}, "result": result}, board)
        if len(seg) == 3 and seg[2] == "detail":
            p = board.postings.get(seg[1])
            if p is None:
                return Response(404, b"{}", board=board, role="detail")
            opening = {
                "jobOpeningShareUrl": f"https://{host}/careers/{p.pid}",
                "description": p.description(),
                "datePosted": p.posted().date().isoformat(),
                "jobOpeningName": p.title,
                "jobOpeningStatus": "Open",
            }
            return _json({"result": {"jobOpening": opening}}, board, role="detail")
        return NOT_FOUND

    def _rippling(self, host, seg, q, body) -> Response:
        if host == "ats.rippling.com" and seg[:3] == ["api", "v2", "board"] and seg[4:] == ["jobs"]:
            board = self.board(host, seg[3])
            if board is None:
                return NOT_FOUND
            page, size = int(q.get("page", ["0"])[0]), int(q.get("pageSize", ["50"])[0])
            chunk, last = _page(self._items(board), page * size, size)
            items = [
                {
                    "id": p.pid,
                    "name": p.title,
                    "url": f"https://ats.rippling.com/{board.token}/jobs/{p.pid}",
                    "department": {"name": DEPARTMENTS[p.dept]},
                    "locations": [
                        {
                            "name": _loc_text(p),
                            "workplaceType": "REMOTE" if _place(p)[0] == "Remote" else "ON_SITE",
                        }
                    ],
                    "language": "en-US",
                }
                for p in chunk
            ]
            total = len(board.postings)
            answer = {
                "items": items,
                "page": page,
                "pageSize": size,
                "totalItems": total,
                "totalPages": max(1, math.ceil(total / size)),
            }
            return _json(answer, board, last_page=last)
        if host == "api.rippling.com" and seg[:5] == ["platform", "api", "ats", "v1", "board"]:
            board = self.world.routes.get(("ats.rippling.com", seg[5]))
            if board is None or seg[6:7] != ["jobs"]:
                return NOT_FOUND
            if len(seg) == 8:
                p = board.postings.get(seg[7])
                if p is None:
                    return Response(404, b"{}", board=board, role="detail")
                detail = {
                    "uuid": p.pid,
                    "name": p.title,
                    "description": {
                        "company": f"<p>{html.escape(board.company)}</p>",
                        "role": p.description(),
                    },
                    "createdOn": _iso(p),
                    "employmentType": {"label": "Salaried, full-time"},
                    "companyName": board.company,
                }
                return _json(detail, board, role="detail")
            return Response(404, b"{}", board=board)  # the v1 list: not served (v2 is)
        return NOT_FOUND

    def _hibob(self, host, seg, q, body) -> Response:  # /api/job-ad
        board = self.board(host, host.split(".")[0]) if seg == ["api", "job-ad"] else None
        if board is None:
            return NOT_FOUND
        ads = [
            {
                "id": p.pid,
                "title": p.title,
                "description": p.description(),
                "requirements": "<p>Python.</p>",
                "site": _place(p)[0],
                "country": _place(p)[2],
                "publishedAt": _iso(p),
                "workspaceType": "Remote" if _place(p)[0] == "Remote" else "On-site",
                "employmentType": "Full-time",
                "department": DEPARTMENTS[p.dept],
            }
            for p in self._items(board)
        ]
        return _json({"jobAdDetails": ads}, board)

    def _breezy(self, host, seg, q, body) -> Response:  # /json, /p/{friendly_id}
        board = self.board(host, host)
        if board is None:
            return NOT_FOUND
        if seg == ["json"]:
            positions = [
                {
                    "id": p.pid,
                    "friendly_id": f"{p.pid}-{p.slug.lower()}",
                    "name": p.title,
                    "url": f"https://{host}/p/{p.pid}-{p.slug.lower()}",
                    "published_date": _iso(p),
                    "type": {"id": "fullTime", "name": "Full-Time"},
                    "location": {
                        "city": _place(p)[0],
                        "country": {"id": _place(p)[3], "name": _place(p)[2]},
                        "is_remote": _place(p)[0] == "Remote",
                    },
                    "department": DEPARTMENTS[p.dept],
                    "company": {"name": board.company},
                }
                for p in self._items(board)
            ]
            return _json(positions, board)
        if seg[:1] == ["p"] and len(seg) == 2:
            p = board.postings.get(seg[1].split("-", 1)[0])
            if p is None:
                return Response(404, b"gone", "text/html", board=board, role="detail")
            page = (
                f'<html><body><h1>{html.escape(p.title)}</h1><div class="description">'
                f"{p.description()}</div></body></html>"
            )
            return Response(200, page.encode(), "text/html", board=board, role="detail")
        return NOT_FOUND

    def _eightfold(self, host, seg, q, body) -> Response:  # /api/apply/v2/jobs?start&num
        board = self.board(host, host)
        if board is None or seg != ["api", "apply", "v2", "jobs"]:
            return NOT_FOUND
        start, num = int(q.get("start", ["0"])[0]), int(q.get("num", ["10"])[0])
        chunk, last = _page(self._items(board), start, num)
        positions = [
            {
                "id": int(p.pid),
                "name": p.title,
                "location": _loc_text(p),
                "locations": [_loc_text(p)],
                "department": DEPARTMENTS[p.dept],
                "t_create": int(p.posted().timestamp()),
                "t_update": int(p.posted().timestamp()),
                "job_description": p.description(),
                "display_job_id": f"R{p.seq}",
                "work_location_option": "remote" if _place(p)[0] == "Remote" else "onsite",
            }
            for p in chunk
        ]
        return _json({"count": len(board.postings), "positions": positions}, board, last_page=last)

    def _successfactors(self, host, seg, q, body) -> Response:  # /googlefeed.xml
        board = self.board(host, host)
        if board is None:
            return NOT_FOUND
        if seg != ["googlefeed.xml"]:
            return Response(404, b"", "text/html", board=board)
        items = []
        for p in self._items(board):
            city, region, _, code = _place(p)
            items.append(
                f"<item><title>{xml_escape(p.title)} ({xml_escape(city)}, {code})</title><link>"
                f"https://{host}/job/{p.slug}/{p.pid}/</link><description>"
                f"{xml_escape(p.description())}</description><pubDate>"
                f"{format_datetime(p.posted())}</pubDate><g:location>{xml_escape(city)}, {code}"
                f"</g:location><g:employer>{xml_escape(board.company)}</g:employer><g:id>{p.pid}"
                f"</g:id><g:job_type>Full time</g:job_type></item>"
            )
        text = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:g="http://base.google.com/ns/1.0"><channel><title>'
            f"{xml_escape(board.company)}</title>{''.join(items)}</channel></rss>"
        )
        return Response(200, text.encode(), "application/xml", board=board)

    def _oracle_hcm(self, host, seg, q, body) -> Response:
        if seg[:3] != ["hcmRestApi", "resources", "latest"] or len(seg) != 4:
            return NOT_FOUND
        finder = q.get("finder", [""])[0]
        name, _, args = finder.partition(";")
        fields = dict(part.partition("=")[::2] for part in args.split(","))
        board = self.board(host, f"{host}/{fields.get('siteNumber', '')}")
        if board is None:
            return NOT_FOUND

        def req(p: Posting) -> dict[str, Any]:
            return {
                "Id": p.pid,
                "Title": p.title,
                "PostedDate": p.posted().date().isoformat(),
                "PrimaryLocation": _loc_text(p),
                "PrimaryLocationCountry": _place(p)[3],
                "ShortDescriptionStr": "Join us.",
                "secondaryLocations": [],
                "WorkplaceType": "Remote" if _place(p)[0] == "Remote" else "On-site",
            }

        if seg[3] == "recruitingCEJobRequisitions" and name == "findReqs":
            offset, limit = int(fields.get("offset", 0)), int(fields.get("limit", 25))
            chunk, last = _page(self._items(board), offset, limit)
            wrapper = {
                "requisitionList": [req(p) for p in chunk],
                "TotalJobsCount": len(board.postings),
            }
            return _json({"items": [wrapper], "count": 1}, board, last_page=last)
        if seg[3] == "recruitingCEJobRequisitionDetails" and name == "ById":
            p = board.postings.get(fields.get("Id", "").strip('"'))
            if p is None:
                return _json({"items": [], "count": 0}, board, role="detail")
            detail = {
                **req(p),
                "ExternalDescriptionStr": p.description(),
                "ExternalResponsibilitiesStr": "<p>Own it.</p>",
            }
            return _json({"items": [detail], "count": 1}, board, role="detail")
        return NOT_FOUND

    def _comeet(self, host, seg, q, body) -> Response:  # /jobs/{company}/{board_id}
        board = (
            self.board(host, f"{seg[1]}/{seg[2]}")
            if seg[:1] == ["jobs"] and len(seg) == 3
            else None
        )
        if board is None:
            return NOT_FOUND
        positions = [
            {
                "uid": p.pid,
                "name": p.title,
                "department": DEPARTMENTS[p.dept],
                "location": {
                    "name": _place(p)[0],
                    "city": _place(p)[0],
                    "country": _place(p)[3],
                    "is_remote": _place(p)[0] == "Remote",
                },
                "details": [{"name": "Description", "value": p.description(), "order": 1}],
                "url_comeet_hosted_page": f"https://www.comeet.com/jobs/{board.token}/{p.pid}",
                "time_updated": _iso(p),
                "company_name": board.company,
                "employment_type": "Full-time",
            }
            for p in self._items(board)
        ]
        page = (
            "<html><head><script>var COMPANY_DATA = {};\nCOMPANY_POSITIONS_DATA = "
            f"{json.dumps(positions)};\n</script></head><body></body></html>"
        )
        return Response(200, page.encode(), "text/html; charset=utf-8", board=board)

    def _jobvite(self, host, seg, q, body) -> Response:  # /{board}/search
        board = self.board(host, seg[0]) if seg[1:] == ["search"] else None
        if board is None:
            return NOT_FOUND
        rows = "".join(
            f'<tr><td class="jv-job-list-name"><a href="/{board.token}/job/{p.pid}">'
            f'<span class="jv-job-list-name">{html.escape(p.title)}</span></a></td>'
            f'<td class="jv-job-list-location">{html.escape(_loc_text(p))}</td></tr>'
            for p in self._items(board)
        )
        page = f'<html><body><table class="jv-job-list">{rows}</table></body></html>'
        return Response(200, page.encode(), "text/html; charset=utf-8", board=board)


# --- the server ---


@dataclass
class Tally:
    """What the simulator served: requests by kind and status, faults, failed boards."""

    requests: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    failed_boards: set[str] = field(default_factory=set)  # a fault made their fetch fail

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "by_kind": dict(self.by_kind),
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "faults": dict(self.faults),
            "failed_boards": sorted(self.failed_boards),
        }


class Simulator:
    """Serves a ``World`` on 127.0.0.1 with ``faults``; ``url`` is the root every connector uses.

    ``advance()`` moves the world one generation (churn, fresh fault draws, a fresh tally).
    """

    def __init__(self, world: World, faults: Faults = Faults(), *, port: int = 0) -> None:
        self.world, self.faults = world, faults
        self.responders = Responders(world)
        self.tally = Tally()
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str, bytes], Response] = {}
        self._tries: Counter[tuple[str, str, str, bytes]] = Counter()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # http.server's names
                simulator._handle(self, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                simulator._handle(self, self.rfile.read(length) if length else b"")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        # A client killed mid-request (the kill test) resets its sockets: not worth a traceback.
        self.server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.server.request_queue_size = 256
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def base_urls(self) -> dict[str, str]:
        """``base_urls`` for ``Watcher``/``crawl``: every kind through this simulator."""
        urls = {k: self.url for k in KINDS}
        urls.update({k: f"{self.url}/{host}" for k, host in API_HOSTS.items()})
        return urls

    def env(self) -> dict[str, str]:
        """The environment that points a ``leadboard`` process at this simulator."""
        return {
            "LEADBOARD_ATS_ROOT": self.url,
            "LEADBOARD_GREENHOUSE_API": f"{self.url}/{API_HOSTS['greenhouse']}",
            "LEADBOARD_LEVER_API": f"{self.url}/{API_HOSTS['lever']}",
            "LEADBOARD_LEVER_EU_API": f"{self.url}/{API_HOSTS['lever_eu']}",
            "LEADBOARD_ASHBY_API": f"{self.url}/{API_HOSTS['ashby']}",
            "LEADBOARD_HTTP_MIN_INTERVAL": "0",
        }

    def start(self) -> Simulator:
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="market-sim", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def advance(self) -> None:
        with self._lock:
            self.world.advance()
            self._cache.clear()
            self._tries.clear()
            self.tally = Tally()

    def truth(self) -> dict[str, Any]:
        """The ground truth now: open job ids, last generation's churn, failed boards."""
        with self._lock:
            return {
                "generation": self.world.generation,
                "open": sorted(self.world.open_ids()),
                "removed": sorted(self.world.removed),
                "added": sorted(self.world.added),
                "edited": sorted(self.world.edited),
                "tally": self.tally.as_dict(),
            }

    # --- one request ---

    def _board_fault(self, board: SimBoard) -> str | None:
        roll = _h(self.world.seed, self.world.generation, board.spec, "board")
        if roll < self.faults.board_fail:
            return "board_5xx"
        if roll < self.faults.board_fail + self.faults.truncate:
            return "truncated"
        return None

    def _handle(self, req: BaseHTTPRequestHandler, body: bytes) -> None:
        parts = urlsplit(req.path)
        if parts.path.startswith("/_sim/"):
            self._control(req, parts.path)
            return
        host, _, rest = parts.path.lstrip("/").partition("/")
        host = host.lower()
        key = (req.command, host, f"/{rest}?{parts.query}", body)
        faults = self.faults
        with self._lock:
            self.tally.requests += 1
            self._tries[key] += 1
            first_try = self._tries[key] == 1
            response = self._cache.get(key)
        if response is None:  # rendered outside the lock: big boards take a while
            response = self.responders.answer(host, f"/{rest}", parse_qs(parts.query), body)
            with self._lock:
                self._cache[key] = response
        with self._lock:
            board = response.board
            kind = board.kind if board else "unrouted"
            self.tally.by_kind[kind] += 1
            board_fault = self._board_fault(board) if board else None
            roll = _h(self.world.seed, self.world.generation, key, "request")
            if board_fault == "board_5xx":
                response = Response(500, b'{"error":"internal"}')
                self.tally.faults["board_5xx"] += 1
                self.tally.failed_boards.add(board.spec)  # type: ignore[union-attr]
            elif board_fault == "truncated" and response.role == "list" and response.last_page:
                cut = response.body[: max(1, len(response.body) * 2 // 3)]
                response = Response(200, cut, response.content_type)
                self.tally.faults["truncated"] += 1
                self.tally.failed_boards.add(board.spec)  # type: ignore[union-attr]
            elif first_try and roll < faults.too_many:
                response = Response(429, b'{"error":"slow down"}', headers={"Retry-After": "0"})
                self.tally.faults["429"] += 1
            elif first_try and roll < faults.too_many + faults.server_error:
                response = Response(503, b'{"error":"unavailable"}')
                self.tally.faults["503"] += 1
            elif first_try and roll < faults.too_many + faults.server_error + faults.hang:
                response = None  # type: ignore[assignment]
                self.tally.faults["hang"] += 1
            self.tally.by_status[response.status if response else 0] += 1
        if response is None:  # hang past the client's timeout, then give up on the socket
            time.sleep(faults.hang_s)
            req.close_connection = True
            return
        if faults.latency and _h(roll, "latency") < faults.latency:
            time.sleep(faults.latency_s)
        self._send(req, response)

    def _send(self, req: BaseHTTPRequestHandler, response: Response) -> None:
        try:
            req.send_response(response.status)
            req.send_header("Content-Type", response.content_type)
            req.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                req.send_header(name, value)
            req.end_headers()
            req.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            req.close_connection = True

    def _control(self, req: BaseHTTPRequestHandler, path: str) -> None:
        if path == "/_sim/advance":
            self.advance()
            answer: Any = {"generation": self.world.generation}
        elif path == "/_sim/truth":
            answer = self.truth()
        elif path == "/_sim/tally":
            with self._lock:
                answer = self.tally.as_dict()
        else:
            self._send(req, NOT_FOUND)
            return
        self._send(req, Response(200, json.dumps(answer).encode()))


def registry_boards() -> list[tuple[str, str, str | None]]:
    """The shipped registry's boards as ``(kind, token, company)``."""
    from leadboard.sources.boards import load_registry

    return [(b.kind, b.token, b.company) for b in load_registry()]


# --- the ground truth against the store ---


def store_state(store: Any) -> dict[str, bool]:
    """Every stored job id → whether it is open (not closed)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from leadboard.store.schema import Job

    with Session(store.engine) as session:
        return {
            job_id: closed is None
            for job_id, closed in session.execute(select(Job.id, Job.closed_at))
        }


@dataclass
class CycleCheck:
    """One cycle judged against the ground truth (see ``judge``)."""

    closed: int = 0
    closed_correctly: int = 0
    should_close: int = 0  # gone upstream, open in the store before, board fetched completely
    did_close: int = 0
    closed_by_failed_fetch: int = 0
    new_expected: int = 0  # open upstream, on a board fetched completely, not stored before
    new_stored: int = 0
    mismatched: int = 0  # on completely fetched boards: open in store ≠ open upstream
    failed_boards: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.closed_correctly / self.closed if self.closed else 1.0

    @property
    def recall(self) -> float:
        return self.did_close / self.should_close if self.should_close else 1.0


def _spec_of(job_id: str) -> str:
    return job_id.rsplit(":", 1)[0]


def judge(before: dict[str, bool], after: dict[str, bool], truth: dict[str, Any]) -> CycleCheck:
    """Compare the store before and after a cycle with the world the cycle saw."""
    check = CycleCheck()
    open_now = set(truth["open"])
    failed = set(truth["tally"]["failed_boards"])
    check.failed_boards = len(failed)
    for job_id, is_open in after.items():
        if is_open or not before.get(job_id, False):
            continue
        check.closed += 1  # closed during this cycle
        if job_id not in open_now:
            check.closed_correctly += 1
        else:
            check.problems.append(f"closed while open upstream: {job_id}")
        if _spec_of(job_id) in failed:
            check.closed_by_failed_fetch += 1
    for job_id, was_open in before.items():
        if was_open and job_id not in open_now and _spec_of(job_id) not in failed:
            check.should_close += 1
            if not after.get(job_id, True):
                check.did_close += 1
            elif len(check.problems) < 20:
                check.problems.append(f"gone upstream, still open: {job_id}")
    for job_id in open_now:
        if _spec_of(job_id) in failed:
            continue
        if job_id not in before:
            check.new_expected += 1
            check.new_stored += bool(after.get(job_id))
        if not after.get(job_id):
            check.mismatched += 1
            if len(check.problems) < 20:
                check.problems.append(f"open upstream, not open in store: {job_id}")
    return check


# --- the simulator in a process of its own (the benchmark: it must not share our GIL) ---


def _serve(config: dict[str, Any], conn: Any) -> None:
    registry = registry_boards() if config.pop("registry") else []
    faults = Faults(**config.pop("faults"))
    world = World(registry=registry, churn=Churn(**config.pop("churn")), **config)
    sim = Simulator(world, faults)
    boards = [(b.kind, b.token, b.company) for b in world.boards]
    conn.send({"url": sim.url, "boards": boards, "postings": world.postings_count()})
    sim.server.serve_forever()


class SimProcess:
    """A ``Simulator`` in a child process, driven over its ``/_sim/`` control paths.

    ``boards`` is the world's ``(kind, token, company)`` list; ``truth()`` and ``tally()`` are
    ``Simulator.truth()`` and its tally, as JSON.
    """

    def __init__(
        self,
        *,
        seed: int,
        boards: int,
        postings: int,
        registry: bool = True,
        faults: Faults = Faults(),
        churn: Churn = Churn(),
    ) -> None:
        import multiprocessing
        from dataclasses import asdict

        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe()
        config = {
            "seed": seed,
            "boards": boards,
            "postings": postings,
            "registry": registry,
            "faults": asdict(faults),
            "churn": asdict(churn),
        }
        self.process = context.Process(target=_serve, args=(config, child), daemon=True)
        self.process.start()
        ready = parent.recv()
        self.url: str = ready["url"]
        self.boards: list[tuple[str, str, str]] = [tuple(b) for b in ready["boards"]]
        self.postings: int = ready["postings"]
        self._twin = Simulator.__new__(Simulator)  # for base_urls/env only
        self._twin.url = self.url

    def base_urls(self) -> dict[str, str]:
        return Simulator.base_urls(self._twin)

    def env(self) -> dict[str, str]:
        return Simulator.env(self._twin)

    def _get(self, path: str) -> Any:
        import httpx

        return httpx.get(f"{self.url}{path}", timeout=600).json()

    def advance(self) -> None:
        self._get("/_sim/advance")

    def truth(self) -> dict[str, Any]:
        return self._get("/_sim/truth")

    def tally(self) -> dict[str, Any]:
        return self._get("/_sim/tally")

    def rss_bytes(self) -> int:
        import psutil

        return psutil.Process(self.process.pid).memory_info().rss

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5)
