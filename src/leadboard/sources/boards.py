"""Which job boards to crawl: the curated ``data/boards.csv`` and ``kind:token`` specs.

A spec names one board: ``greenhouse:anthropic``, ``lever:palantir``, ``ashby:openai``; a Lever
site in Lever's EU region is ``lever:eu:acme``. The CSV has columns ``company, ats, token`` and
optional ``region`` (``eu`` for Lever EU sites) and ``category``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from leadboard.sources.registry import KINDS

BOARDS_CSV = Path(__file__).resolve().parent.parent / "data" / "boards.csv"


class BoardSpecError(ValueError):
    """A board spec or CSV row that cannot name a board."""


@dataclass(frozen=True)
class BoardRef:
    """One board to fetch: its ATS kind and token, and the company when known.

    ``token`` is what the connector takes: the Greenhouse token, the Ashby org, or the Lever site
    (``eu:site`` for Lever's EU region).

    >>> BoardRef("lever", "eu:acme").spec
    'lever:eu:acme'
    """

    kind: str
    token: str
    company: str | None = None
    category: str | None = None

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.token}"


def parse_board_spec(spec: str) -> BoardRef:
    """``"greenhouse:anthropic"`` → ``BoardRef("greenhouse", "anthropic")``.

    >>> parse_board_spec("Lever:EU:acme")
    BoardRef(kind='lever', token='eu:acme', company=None, category=None)
    >>> try:
    ...     parse_board_spec("monster:acme")
    ... except BoardSpecError as err:
    ...     print(err)   # doctest: +ELLIPSIS
    unknown board kind 'monster' in 'monster:acme' (expected one of: greenhouse, lever, ashby, ...)
    """
    text = spec.strip()
    kind, sep, token = text.partition(":")
    kind, token = kind.strip().lower(), token.strip()
    if not sep or not kind or not token:
        raise BoardSpecError(f"board spec {spec!r} is not kind:token (e.g. greenhouse:anthropic)")
    return _board(kind, token, context=repr(text))


def parse_board_specs(specs: str | Iterable[str]) -> list[BoardRef]:
    """Several specs, from one whitespace/comma-separated string or an iterable of them.

    >>> [b.spec for b in parse_board_specs("greenhouse:anthropic lever:palantir, ashby:openai")]
    ['greenhouse:anthropic', 'lever:palantir', 'ashby:openai']
    """
    items = [specs] if isinstance(specs, str) else list(specs)
    words = [w for item in items for w in item.replace(",", " ").split()]
    return [parse_board_spec(word) for word in words]


def load_boards(path: Path | str | None = None) -> list[BoardRef]:
    """The boards listed in a CSV (by default the curated ``data/boards.csv``).

    >>> boards = load_boards()
    >>> len(boards) >= 60, boards[0].spec
    (True, 'greenhouse:anthropic')
    """
    csv_path = Path(path) if path is not None else BOARDS_CSV
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"company", "ats", "token"} - set(reader.fieldnames or [])
        if missing:
            raise BoardSpecError(f"{csv_path}: missing column(s) {', '.join(sorted(missing))}")
        boards = []
        for line, row in enumerate(reader, start=2):
            if not any((value or "").strip() for value in row.values()):
                continue  # blank line
            kind = (row.get("ats") or "").strip().lower()
            token = (row.get("token") or "").strip()
            if not token:
                raise BoardSpecError(f"{csv_path}, line {line}: empty token")
            if (row.get("region") or "").strip().lower() == "eu" and kind == "lever":
                token = token if token.lower().startswith("eu:") else f"eu:{token}"
            boards.append(
                _board(
                    kind,
                    token,
                    context=f"{csv_path}, line {line}",
                    company=(row.get("company") or "").strip() or None,
                    category=(row.get("category") or "").strip() or None,
                )
            )
    return boards


def _board(
    kind: str, token: str, *, context: str, company: str | None = None, category: str | None = None
) -> BoardRef:
    if kind not in KINDS:
        raise BoardSpecError(
            f"unknown board kind {kind!r} in {context} (expected one of: {', '.join(KINDS)})"
        )
    if kind == "lever" and token.lower().startswith("eu:"):
        token = "eu:" + token[3:].strip()
    # Some kinds' tokens hold a path ("tenant/wd5/site" on Workday, "host/site" on Oracle HCM).
    if any(ch.isspace() or ch in "?#" for ch in token) or token.endswith((":", "/")):
        raise BoardSpecError(f"bad board token {token!r} in {context}")
    return BoardRef(kind=kind, token=token, company=company, category=category)
