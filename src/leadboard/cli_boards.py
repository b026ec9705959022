"""`leadboard boards …` and `leadboard watch`: the board registry and the scheduler, from the
command line. Thin, like ``cli.py``: the work is in ``store/boards.py`` and ``schedule.py``."""

from __future__ import annotations

import json
import threading
from typing import Annotated, Any

import typer

from leadboard.sources.boards import BoardSpecError, detect_board, load_registry, parse_board_spec
from leadboard.store.repository import Store
from leadboard.store.schema import Board
from leadboard.terminal import echo

boards_app = typer.Typer(
    help="The job boards Leadboard crawls: list, add, remove, disable, enable.",
    invoke_without_command=True,
    no_args_is_help=False,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _store() -> Store:
    store = Store.open()
    store.boards.sync(load_registry())  # the shipped registry, once; removals are kept
    return store


def board_json(board: Board, open_postings: int) -> dict[str, Any]:
    """A board as ``leadboard boards --json`` prints it."""
    return {
        "company": board.company,
        "ats": board.kind,
        "token": board.token,
        "url": board.url,
        "status": board.status if board.enabled else "disabled",
        "last_success": board.last_success_at.isoformat() if board.last_success_at else None,
        "failures": board.failures,
        "open_postings": open_postings,
        "last_error": board.last_error,
        "next_crawl": board.next_due_at.isoformat() if board.next_due_at else None,
        "ml_heavy": board.ml_heavy,
        "origin": board.origin,
    }


@boards_app.callback()
def boards(
    ctx: typer.Context,
    ats: Annotated[str | None, typer.Option("--ats", help="Only boards of this ATS kind.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the boards (the shipped registry, the curated ML-heavy list and your own)."""
    if ctx.invoked_subcommand is not None:
        return
    store = _store()
    counts = store.open_by_board()
    rows = [board_json(b, counts.get(b.spec, 0)) for b in store.boards.list(ats)]
    if as_json:
        echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        when = (row["last_success"] or "never")[:16]
        why = f"  ({row['last_error'][:80]})" if row["last_error"] else ""
        echo(
            f"{row['status']:<11} {row['ats']}:{row['token']:<40} {row['open_postings']:>5} open"
            f"  last ok {when}{why}"
        )
    echo(f"{len(rows)} boards")


@boards_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="A careers URL, or kind:token.")],
    as_json: JsonOption = False,
) -> None:
    """Add a board from any usual careers URL of a supported ATS (or a kind:token spec)."""
    try:
        ref = _board_of(url)
    except BoardSpecError as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from None
    board = _store().boards.add(ref)
    document = {"ats": board.kind, "token": board.token, "company": board.company, "url": board.url}
    echo(json.dumps(document, indent=2) if as_json else f"added {board.spec}")


@boards_app.command("remove")
def remove(board: Annotated[str, typer.Argument(help="kind:token or a careers URL.")]) -> None:
    """Remove a board: it is no longer crawled, and the registry does not bring it back."""
    _switch(board, enabled=False, removed=True, word="removed")


@boards_app.command("disable")
def disable(board: Annotated[str, typer.Argument(help="kind:token or a careers URL.")]) -> None:
    """Stop crawling a board (its postings stay; `enable` starts again)."""
    _switch(board, enabled=False, removed=False, word="disabled")


@boards_app.command("enable")
def enable(board: Annotated[str, typer.Argument(help="kind:token or a careers URL.")]) -> None:
    """Crawl a disabled board again."""
    _switch(board, enabled=True, removed=False, word="enabled")


def _switch(name: str, *, enabled: bool, removed: bool, word: str) -> None:
    try:
        spec = _board_of(name).spec
    except BoardSpecError as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from None
    if not _store().boards.set_enabled(spec, enabled, removed=removed):
        echo(f"no board {spec!r} (see `leadboard boards`)", err=True)
        raise typer.Exit(1)
    echo(f"{word} {spec}")


def _board_of(text: str) -> Any:
    """A board from a URL, or from a ``kind:token`` spec."""
    if "://" in text or text.split(":", 1)[0].count(".") > 0:
        return detect_board(text)
    return parse_board_spec(text)


def watch(
    once: Annotated[bool, typer.Option("--once", help="One cycle, then exit.")] = False,
    ats: Annotated[
        list[str] | None, typer.Option("--ats", help="Only boards of these ATS kinds.")
    ] = None,
    max_boards: Annotated[
        int | None, typer.Option(min=1, help="At most this many boards a cycle.")
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Boards at once.")] = 8,
    embeddings: Annotated[
        bool, typer.Option("--embeddings/--no-embeddings", help="Embed new postings too.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Re-crawl every enabled board on its own schedule (hourly, less often for quiet boards,
    backing off from failing ones), close what vanished, and index what changed. Ctrl-C stops."""
    from leadboard.schedule import CycleReport, Watcher

    def report(cycle: CycleReport) -> None:
        document = cycle.as_dict()
        if as_json:
            echo(json.dumps(document))
            return
        ingest = document["ingest"] or {}
        lag = document["index_lag_s"]["p95"]
        echo(
            f"{document['finished_at'][:19]}  {cycle.boards} boards ({cycle.failed} failed): "
            f"{ingest.get('inserted', 0)} new, {ingest.get('updated', 0)} updated, "
            f"{ingest.get('closed', 0)} closed, {ingest.get('reopened', 0)} reopened"
            + (f"; index lag p95 {lag:.1f} s" if lag is not None else "")
        )

    watcher = Watcher(
        Store.open(),
        kinds=ats,
        max_boards=max_boards,
        concurrency=concurrency,
        embeddings=embeddings,
        say=lambda message: echo(message, err=True),
    )
    if once:
        report(watcher.run_cycle())
        return
    stop = threading.Event()
    try:
        watcher.run(stop, on_cycle=report)
    except KeyboardInterrupt:
        stop.set()
