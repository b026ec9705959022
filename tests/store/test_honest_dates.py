"""Honest dates: a posting carries only the date its source gave; a dump's postings are open as
of the dump's snapshot and go stale after 60 days; search, sorting, facets and the freshness of
ranking use only real dates, and every answer says what is known."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leadboard.pipeline import import_paths
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.search.index import sync_search_index
from leadboard.store.repository import Store
from leadboard.store.snapshots import parse_snapshot, snapshot_of_path

ALL = SearchFilters(role_family=["any"])


def write_dump(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "postings.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def row(row_id: str, title: str, posted_at: str | None = None) -> dict:
    return {
        "id": row_id,
        "source": "test",
        "company": "Acme",
        "title": title,
        "description": f"{title}: lead the ranking team.",
        "posted_at": posted_at,
    }


def hits(store: Store, **filters: object) -> dict[str, dict]:
    wanted = SearchFilters(role_family=["any"], **filters)  # type: ignore[arg-type]
    request = SearchRequest(filters=wanted)
    return {hit.job["title"]: hit.job for hit in SearchEngine(store).search(request).results}


def test_snapshot_dates_come_from_the_dump_path_or_the_user() -> None:
    assert snapshot_of_path("data/postings/linkedin-ds-2018/postings.jsonl") == "2018"
    assert snapshot_of_path("data/postings/aggregator-2026q1/postings.jsonl") == "2026Q1"
    assert snapshot_of_path("exports/jobs-2026-05-21.csv") == "2026-05-21"
    assert snapshot_of_path("exports/jobs.csv") is None
    assert snapshot_of_path("exports/build-12018/jobs.csv") is None  # not a year: a longer number
    assert parse_snapshot("2026-05") == "2026-05"


def test_an_old_snapshot_is_stale_hidden_by_default_and_says_where_it_is_from(
    store: Store, tmp_path: Path
) -> None:
    write_dump(tmp_path / "linkedin-ds-2018", [row("a", "Lead Data Scientist")])
    write_dump(tmp_path / "fresh-dump", [row("b", "Head of ML")])
    summary = import_paths(store, [tmp_path / "linkedin-ds-2018", tmp_path / "fresh-dump"])
    assert summary.stale == 1
    sync_search_index(store)

    shown = hits(store)
    assert list(shown) == ["Head of ML"], "the 2018 posting is not open any more"
    everything = hits(store, include_closed=True)
    old = everything["Lead Data Scientist"]
    assert (old["posted_at"], old["snapshot"], old["stale"]) == (None, "2018", True)
    assert old["date_note"] == "from a 2018 snapshot"
    fresh = everything["Head of ML"]
    assert (fresh["posted_at"], fresh["snapshot"], fresh["stale"]) == (None, None, False)
    assert fresh["date_note"] == "first seen today"
    assert store.stats()["stale"] == 1
    # A search that only old postings match says they are hidden, not that nothing matches.
    answer = SearchEngine(store).search(SearchRequest(q="data scientist", filters=ALL))
    assert answer.total == 0
    assert any(note.startswith("1 more matching posting closed or stale") for note in answer.notes)
    assert not any(
        "closed or stale" in note
        for note in SearchEngine(store).search(SearchRequest(q="head", filters=ALL)).notes
    )


def test_only_real_posted_dates_count_as_new_and_sort_as_newest(
    store: Store, tmp_path: Path
) -> None:
    recent = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    write_dump(tmp_path / "dump", [row("a", "Undated ML Lead"), row("b", "Dated ML Lead", recent)])
    import_paths(store, [tmp_path / "dump"])
    sync_search_index(store)

    assert list(hits(store, posted_within_days=7)) == ["Dated ML Lead"]
    engine = SearchEngine(store)
    newest = engine.search(SearchRequest(filters=ALL, sort="newest")).results
    assert [hit.job["title"] for hit in newest] == ["Dated ML Lead", "Undated ML Lead"]
    facet = dict(engine.search(SearchRequest(filters=ALL)).facets["posted_within_days"])
    assert facet["7"] == 1
    undated = store.get_job("file:test:a")
    assert undated is not None and undated.posted_at is None


def test_a_dump_seen_again_in_a_newer_snapshot_is_fresh_again(store: Store, tmp_path: Path) -> None:
    write_dump(tmp_path / "jobs-2018", [row("a", "ML Lead")])
    import_paths(store, [tmp_path / "jobs-2018"])
    assert store.get_job("file:test:a").stale_at is not None
    write_dump(tmp_path / "jobs-now", [row("a", "ML Lead")])
    this_month = datetime.now(UTC).strftime("%Y-%m")
    summary = import_paths(store, [tmp_path / "jobs-now"], snapshot=this_month)
    job = store.get_job("file:test:a")
    assert (job.stale_at, job.snapshot, summary.stale) == (None, this_month, 0)
