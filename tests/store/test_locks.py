"""One writer at a time: a second import waits for the first (or says in one line why it cannot
run), two imports into a new home both succeed, and a run killed midway is marked interrupted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadboard.store.locks import StoreBusy
from leadboard.store.repository import Store
from leadboard.store.schema import IngestRun

ROWS = [
    {
        "id": f"r{i}",
        "source": "locks",
        "company": "Acme",
        "title": f"ML Lead {i}",
        "description": "Lead the ranking team.",
    }
    for i in range(40)
]


def leadboard(home: Path, *args: str, wait: str = "60") -> subprocess.Popen[str]:
    env = {**os.environ, "LEADBOARD_HOME": str(home), "LEADBOARD_LOCK_WAIT": wait}
    env.pop("LEADBOARD_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "leadboard", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in ROWS) + "\n", encoding="utf-8")
    return path


def test_two_imports_into_a_new_home_both_succeed(tmp_path: Path, dump: Path) -> None:
    home = tmp_path / "home"
    runs = [leadboard(home, "import", str(dump), "--no-enrich", "--json") for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert json.loads(out)["status"] == "ok"
    store = Store.open(f"sqlite:///{home / 'leadboard.db'}")
    assert store.stats()["jobs"] == len(ROWS)


def test_a_second_writer_that_cannot_wait_says_why_in_one_line(tmp_path: Path, dump: Path) -> None:
    home = tmp_path / "home"
    store = Store.open(f"sqlite:///{home / 'leadboard.db'}")
    with store.writer():
        run = leadboard(home, "import", str(dump), "--no-enrich", wait="0.2")
        out, err = run.communicate(timeout=60)
    assert run.returncode == 1
    lines = err.strip().splitlines()  # "waiting for it…", then why it gave up; no traceback
    assert len(lines) <= 2 and "Traceback" not in err, err
    assert lines[-1].startswith("leadboard: another leadboard process is writing")
    assert store.stats()["jobs"] == 0


def test_writers_in_one_process_exclude_each_other(store: Store) -> None:
    with store.writer(), pytest.raises(StoreBusy), Store(store.engine).writer(wait=0):
        pass  # pragma: no cover - the second writer never gets here


def test_a_run_left_running_by_a_killed_process_is_marked_interrupted(store: Store) -> None:
    run_id = store.start_run("import", ["dump.jsonl"], datetime.now(UTC))  # then kill -9
    with store.writer():
        pass
    from sqlalchemy.orm import Session

    with Session(store.engine) as session:
        run = session.get(IngestRun, run_id)
        assert run is not None and run.status == "interrupted" and run.finished_at is not None


def test_opening_search_during_an_import_neither_waits_nor_writes(
    store: Store, tmp_path: Path, dump: Path
) -> None:
    """`serve` or `search` started while an import runs: no wait, no second writer on the index
    (two syncs at once failed with UNIQUE constraint errors); the next opening syncs it."""
    import time

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from leadboard.pipeline import import_paths
    from leadboard.search.engine import open_engine
    from leadboard.store.schema import SearchDocument

    def documents() -> int:
        with Session(store.engine) as session:
            return session.scalar(select(func.count(SearchDocument.id))) or 0

    import_paths(store, [dump])  # stored, not yet indexed
    with Store(store.engine).writer():
        started = time.monotonic()
        engine = open_engine(store, semantic=False)
        assert time.monotonic() - started < 5
        assert documents() == 0, "the index belongs to the writer at work"
    assert engine.notes == ["semantic search is off (asked for)"]
    open_engine(store, semantic=False)
    assert documents() == len(ROWS)
