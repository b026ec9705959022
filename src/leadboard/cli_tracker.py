"""`leadboard save-job`, `hide`, `track`, `tracker …` and `users …`: the application tracker and
the served app's users, from the command line. Thin, like ``cli.py``: the work is in
``workspace/tracker.py`` and ``workspace/store.py``. The command line is the machine's own user,
"local" (the one a served app gives requests on loopback without a token)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from leadboard.terminal import echo

if TYPE_CHECKING:
    from leadboard.store.repository import Store
    from leadboard.workspace.store import Workspace
    from leadboard.workspace.tracker import TrackedJob

# Imported when a command runs: `leadboard --help` stays quick (the tracker reads the search
# engine's modules).

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
NoteOption = Annotated[str, typer.Option("--note", help="A note kept with this step.")]
JobIdArgument = Annotated[str, typer.Argument(help="The job's id (leadboard search / jobs).")]
OnOption = Annotated[
    datetime | None,
    typer.Option("--on", help="When it happened (YYYY-MM-DD; default: now).", formats=["%Y-%m-%d"]),
]

tracker_app = typer.Typer(
    help="Your applications: saved → applied → interviewing → offer, or rejected / withdrawn. "
    "Without a command: the board.",
    no_args_is_help=False,
)
users_app = typer.Typer(
    help="Users of a served app, one token each: a request with `Authorization: Bearer TOKEN` "
    "reads and writes that user's saved searches and tracker only. Without a command: list them.",
    no_args_is_help=False,
)


def _open() -> tuple[Store, Workspace]:
    from leadboard.store.repository import Store
    from leadboard.workspace.store import Workspace

    store = Store.open()
    return store, Workspace(store.engine)


def _say_tracked(tracked: TrackedJob) -> None:
    from leadboard.workspace.tracker import STATE_NAMES

    company = f" — {tracked.company}" if tracked.company else ""
    echo(f"{tracked.job_id}\n  {tracked.title}{company}")
    dates = " · ".join(
        f"{STATE_NAMES[s.state]} {s.at.date().isoformat()}" for s in tracked.steps if s.moved
    )
    echo(f"  {dates}")
    echo(f"  posting: {tracked.posting.said}")
    if tracked.notes:
        echo(f"  note: {tracked.notes}")


def _move(job_id: str, state: str, note: str, *, reopen: bool, on: datetime | None) -> None:
    from leadboard.workspace.tracker import STATE_NAMES, ImpossibleMove, UnknownJob, move

    store, workspace = _open()
    try:
        moved = move(
            workspace,
            store,
            job_id,
            state,
            note=note,
            reopen=reopen,
            at=on.replace(tzinfo=UTC) if on else None,
        )
    except UnknownJob as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from error
    except ImpossibleMove as error:
        echo(f"Not moved: {error}", err=True)
        raise typer.Exit(2) from error
    echo(
        f"{STATE_NAMES[moved.state]}: {moved.title}"
        + (f" — {moved.company}" if moved.company else "")
    )
    if not moved.posting.open:
        echo(f"  posting: {moved.posting.said}")


def track(
    job_id: JobIdArgument,
    state: Annotated[
        str,
        typer.Argument(help="saved, applied, interviewing, offer, rejected, withdrawn, or hidden."),
    ],
    note: NoteOption = "",
    reopen: Annotated[
        bool,
        typer.Option(
            "--reopen", help="Allow going back: an ended application, or an earlier step."
        ),
    ] = False,
    on: OnOption = None,
) -> None:
    """Move a job to a state of its application (saved, applied, interviewing, offer, rejected,
    withdrawn; hidden leaves the search results), with a note. A step back needs --reopen."""
    _move(job_id, state, note, reopen=reopen, on=on)


def save_job(job_id: JobIdArgument, note: NoteOption = "") -> None:
    """Save a job to your tracker."""
    _move(job_id, "saved", note, reopen=False, on=None)


def hide(job_id: JobIdArgument) -> None:
    """Hide a job: it leaves your search results (`leadboard tracker remove` brings it back)."""
    _move(job_id, "hidden", "", reopen=False, on=None)


@tracker_app.callback(invoke_without_command=True)
def tracker(
    ctx: typer.Context,
    state: Annotated[
        list[str] | None, typer.Option("--state", help="Only these states (repeatable).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The board: your tracked jobs by state, each with its dates, notes and whether the posting
    is still open."""
    if ctx.invoked_subcommand is not None:
        return
    from leadboard.workspace.tracker import BOARD, STATE_NAMES, tracked_jobs
    from leadboard.workspace.tracker import as_json as json_of

    store, workspace = _open()
    found = tracked_jobs(workspace, store, states=state)
    if as_json:
        echo(json.dumps([json_of(each) for each in found], indent=2, ensure_ascii=False))
        return
    if not found:
        echo("Nothing tracked yet: leadboard save-job JOB_ID (ids from leadboard search)")
    for column in (*BOARD, "hidden"):
        cards = [each for each in found if each.state == column]
        if cards:
            echo(f"== {STATE_NAMES[column]} ({len(cards)})")
            for each in cards:
                _say_tracked(each)


@tracker_app.command("export")
def tracker_export(
    format: Annotated[Literal["csv", "json"], typer.Option("--format")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to this file (default: print).")
    ] = None,
) -> None:
    """Your tracker as CSV (one row a job, a column a state's date) or JSON (every step)."""
    from leadboard.workspace.tracker import export_csv, export_json, tracked_jobs

    store, workspace = _open()
    found = tracked_jobs(workspace, store)
    text = export_json(found) if format == "json" else export_csv(found)
    if output is None:
        echo(text.rstrip("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        echo(f"{len(found)} tracked jobs written to {output}", err=True)


@tracker_app.command("note")
def tracker_note(
    job_id: JobIdArgument,
    note: Annotated[str, typer.Argument(help="The note.")],
    on: OnOption = None,
) -> None:
    """Add a note to a tracked job (its state stays)."""
    from leadboard.workspace.store import UntrackedJob

    try:
        _open()[1].note_job(job_id, note, at=on.replace(tzinfo=UTC) if on else None)
    except UntrackedJob as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from error
    echo(f"Noted: {job_id}")


@tracker_app.command("remove")
def tracker_remove(job_id: JobIdArgument) -> None:
    """Take a job out of your tracker (unsave or unhide it), its steps with it."""
    from leadboard.workspace.store import UntrackedJob

    try:
        _open()[1].forget_job(job_id)
    except UntrackedJob as error:
        echo(str(error), err=True)
        raise typer.Exit(1) from error
    echo(f"Removed from the tracker: {job_id}")


@users_app.callback(invoke_without_command=True)
def users(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the users (their tokens are not kept: only their hashes)."""
    if ctx.invoked_subcommand is not None:
        return
    listed = _open()[1].users()
    if as_json:
        echo(json.dumps([{"name": u.name, "created_at": u.created_at.isoformat()} for u in listed]))
        return
    if not listed:
        echo("No users: on loopback every request is the local user. leadboard users add NAME")
    for user in listed:
        echo(f"{user.name}  (since {user.created_at.date().isoformat()})")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help='Their name ("local": the machine\'s own data).')],
) -> None:
    """Add a user and print their token, once: only its SHA-256 is kept."""
    from leadboard.workspace.store import InvalidUser

    try:
        user, token = _open()[1].add_user(name)
    except InvalidUser as error:
        echo(str(error), err=True)
        raise typer.Exit(2) from error
    echo(token)
    echo(
        f"The token of {user.name}: send it as 'Authorization: Bearer TOKEN'. It is shown once.",
        err=True,
    )


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Forget a user's token (their saved searches and tracker stay)."""
    if not _open()[1].remove_user(name):
        echo(f"no user called {name!r}", err=True)
        raise typer.Exit(1)
    echo(f"Removed the user {name}: their token no longer works.")


def register(app: typer.Typer) -> None:
    """Add these commands to ``leadboard``."""
    app.command("track")(track)
    app.command("save-job")(save_job)
    app.command("hide")(hide)
    app.add_typer(tracker_app, name="tracker")
    app.add_typer(users_app, name="users")
