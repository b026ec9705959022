"""Which job boards to crawl: the curated ``data/boards.csv`` and ``kind:token`` specs.

A spec names one board: ``greenhouse:anthropic``, ``lever:palantir``, ``ashby:openai``; a Lever
site in Lever's EU region is ``lever:eu:acme``. The CSV has columns ``company, ats, token`` and
optional ``region`` (``eu`` for Lever EU sites) and ``category``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from leadboard.models import BoardRef
from leadboard.sources.registry import KINDS

BOARDS_CSV = Path(__file__).resolve().parent.parent / "data" / "boards.csv"
# 4,735 public boards of 23 ATS kinds (MIT; attribution and token formats in SOURCE.txt beside it)
REGISTRY_CSV = Path(__file__).resolve().parent.parent / "data" / "registry" / "boards.csv"


class BoardSpecError(ValueError):
    """A board spec or CSV row that cannot name a board."""


def parse_board_spec(spec: str) -> BoardRef:
    """``"greenhouse:anthropic"`` → ``BoardRef("greenhouse", "anthropic")``.

    >>> parse_board_spec("Lever:EU:acme").spec
    'lever:eu:acme'
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


def load_registry(
    curated: Path | str | None = None, registry: Path | str | None = REGISTRY_CSV
) -> list[BoardRef]:
    """Every board Leadboard knows of: the curated ML-heavy list first, then the shipped
    registry's boards of the kinds Leadboard reads (others are left out), each board once.

    >>> boards = load_registry()
    >>> len(boards) > 4000, boards[0].origin, boards[0].ml_heavy
    (True, 'curated', True)
    """
    chosen: dict[str, BoardRef] = {}
    for board in load_boards(curated):
        chosen.setdefault(board.spec, replace(board, origin="curated", ml_heavy=True))
    if registry is not None:
        for board in _registry_rows(Path(registry)):
            chosen.setdefault(board.spec, board)
    return list(chosen.values())


def _registry_rows(path: Path) -> Iterable[BoardRef]:
    """The registry CSV (``company, ats, board_url, token``); rows Leadboard cannot read (an
    unknown kind, no token) are skipped: the registry is a list of candidates, not a promise."""
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            kind = (row.get("ats") or "").strip().lower()
            token = (row.get("token") or "").strip()
            url = (row.get("board_url") or "").strip() or None
            if kind not in KINDS or not token:
                continue
            if kind == "lever" and url and ".eu.lever.co" in url.lower():
                token = f"eu:{token}"
            try:
                board = _board(kind, token, context=f"{path}, line {line}")
            except BoardSpecError:
                continue
            company = (row.get("company") or "").strip() or None
            yield BoardRef(board.kind, board.token, company, url=url, origin="registry")


def detect_board(url: str) -> BoardRef:
    """The board behind a careers URL of any kind Leadboard reads; ``BoardSpecError`` with a
    clear message when no kind recognises it.

    >>> detect_board("https://job-boards.greenhouse.io/anthropic").spec
    'greenhouse:anthropic'
    """
    from leadboard.sources.registry import connector_class

    text = url.strip()
    if "://" not in text:
        text = f"https://{text}"
    for kind in KINDS:
        connector = connector_class(kind)
        token = connector.board_from_url(text)
        if token:
            board = _board(kind, token, context=repr(url))
            careers = connector.careers_url(board.token) or text
            return BoardRef(board.kind, board.token, _company_from(board.token), url=careers)
    raise BoardSpecError(
        f"no supported job board recognised in {url!r}; Leadboard reads {', '.join(KINDS)} "
        "(e.g. https://job-boards.greenhouse.io/acme, https://jobs.lever.co/acme, "
        "https://acme.wd5.myworkdayjobs.com/External)"
    )


def _company_from(token: str) -> str:
    """A readable company name from a token: ``eu:acme-labs`` → ``Acme Labs``."""
    name = token.removeprefix("eu:").split("/")[0].split(".")[0]
    return " ".join(word.capitalize() for word in name.replace("_", "-").split("-") if word)
