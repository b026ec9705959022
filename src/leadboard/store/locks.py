"""One writer at a time: what keeps two `leadboard import`s (or an import and a crawl) from
tripping over each other in one store.

Writers (import, crawl, watch, enrich) hold the store's writer lock for their whole run; a second
writer waits for it, saying so, or gives up after ``wait`` seconds with a one-line reason. On
SQLite the lock is an OS file lock beside the database (released by the kernel when a process
dies, even by ``kill -9``); on PostgreSQL a session advisory lock. Migrations take a lock of their
own, so two processes opening a new store at once do not both create its tables.

>>> import tempfile, pathlib
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'x.db'}"
>>> with file_lock_for(url, "writer", wait=0):
...     try:
...         with file_lock_for(url, "writer", wait=0):
...             pass
...     except StoreBusy as busy:
...         print("busy")
busy
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

POLL_S = 0.5
_PG_KEYS = {"writer": 0x1EADB0A1, "migrate": 0x1EADB0A2, "alerts": 0x1EADB0A3}


class StoreBusy(RuntimeError):
    """Another process holds the lock and did not let go in time."""


@contextmanager
def file_lock_for(
    url: str, name: str, *, wait: float, say: Callable[[str], None] = lambda m: None
) -> Iterator[None]:
    """An exclusive lock file ``<database>.<name>.lock`` beside a SQLite database."""
    database = make_url(url).database
    if not database or database == ":memory:":
        yield  # an in-memory store has one process by definition
        return
    path = Path(f"{database}.{name}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        _acquire(
            lambda: fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB),
            BlockingIOError,
            f"another leadboard process is writing to {database}",
            wait,
            say,
        )
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def store_lock(
    engine: Engine, name: str, *, wait: float, say: Callable[[str], None] = lambda m: None
) -> Iterator[None]:
    """The ``name`` lock ("writer", "migrate", or "alerts": one sender of the saved searches'
    alerts at a time) of the store behind ``engine``."""
    if engine.dialect.name == "sqlite":
        with file_lock_for(str(engine.url), name, wait=wait, say=say):
            yield
        return
    key = _PG_KEYS[name]
    with engine.connect() as connection:

        def take() -> None:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                raise BlockingIOError

        _acquire(
            take, BlockingIOError, "another leadboard process is writing to the database", wait, say
        )
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            connection.commit()


def _acquire(
    take: Callable[[], None],
    busy: type[BaseException],
    what: str,
    wait: float,
    say: Callable[[str], None],
) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            take()
            return
        except busy:
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{what}; it did not finish within {wait:g} s (try again when it has)"
                ) from None
            if not told:
                say(f"{what}: waiting for it to finish…")
                told = True
            time.sleep(POLL_S)
