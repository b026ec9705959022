"""Saved searches on both backends: kept, listed, renamed and removed by their owner only; what
they match now; what is new since their owner last looked; closed and stale postings never."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.search_jobs import NOW, fill, make_job

from leadboard.search.engine import SearchEngine, SearchFilters
from leadboard.search.index import sync_search_index
from leadboard.workspace.searches import matches, new_since
from leadboard.workspace.store import (
    InvalidSavedSearch,
    UnknownSavedSearch,
    Workspace,
    default_name,
)


def store_job(store, external_id, title, text, *, seen_at, days=1, posted=True):
    """One more posting (no enrichment: any role family), seen at ``seen_at``, indexed."""
    posting, job = make_job(external_id, title, text, "remote", None, days)
    if not posted:
        job = job.model_copy(update={"posted_at": None})
    store.save_batch([(posting, job)], [], index=store.duplicate_index(), seen_at=seen_at)
    sync_search_index(store)
    return job.id


def test_a_saved_search_keeps_its_query_filters_and_sort(store):
    workspace = Workspace(store.engine)
    filters = SearchFilters(remote=["remote"], salary_min=200_000, role_family=["any"])

    saved = workspace.add_search("  llm platform lead ", filters=filters, sort="newest")

    again = workspace.search(saved.id)
    assert again == saved and again.query == "llm platform lead" and again.sort == "newest"
    assert again.filters == filters and again.name == "llm platform lead"
    assert again.last_seen_at == again.created_at  # saving shows the results: nothing new
    assert again.feed == f"/feeds/{saved.id}.atom"
    other = workspace.add_search("", name="Remote, any field", filters=SearchFilters())
    assert [s.id for s in workspace.searches()] == [saved.id, other.id]

    assert workspace.rename_search(saved.id, "LLM leads").name == "LLM leads"
    assert workspace.remove_search(other.id).name == "Remote, any field"
    assert [s.name for s in workspace.searches()] == ["LLM leads"]
    with pytest.raises(UnknownSavedSearch, match=f"no saved search with id {other.id}"):
        workspace.search(other.id)


def test_an_owner_sees_and_changes_only_their_own(store):
    workspace = Workspace(store.engine)
    mine = workspace.add_search("ranking")
    theirs = workspace.add_search("pastry", owner="token-b")

    assert [s.id for s in workspace.searches()] == [mine.id]
    assert [s.id for s in workspace.searches(owner="token-b")] == [theirs.id]
    for change in (workspace.search, workspace.remove_search, workspace.mark_seen):
        with pytest.raises(UnknownSavedSearch):
            change(theirs.id)
    with pytest.raises(UnknownSavedSearch):
        workspace.rename_search(theirs.id, "mine now")
    assert workspace.search(theirs.id, owner="token-b").name == "pastry"


def test_names_and_sorts_it_cannot_have_are_refused(store):
    workspace = Workspace(store.engine)

    with pytest.raises(InvalidSavedSearch, match="needs a name"):
        workspace.add_search("ranking", name="   ")
    with pytest.raises(InvalidSavedSearch, match="at most 200"):
        workspace.add_search("ranking", name="x" * 201)
    with pytest.raises(InvalidSavedSearch, match="relevance, newest, salary"):
        workspace.add_search("ranking", sort="best")
    saved = workspace.add_search("ranking")
    with pytest.raises(InvalidSavedSearch):
        workspace.rename_search(saved.id, "")
    assert workspace.searches() == [saved]  # nothing half-written


def test_an_unnamed_search_is_named_by_its_words_or_filters():
    assert default_name("  staff  llm ", SearchFilters()) == "staff llm"
    assert default_name("", SearchFilters(country=["GB"], remote=["remote"])) == "remote · GB"
    assert len(default_name("word " * 100, SearchFilters())) == 200


def test_it_matches_what_its_words_and_filters_select_newest_first(store):
    fill(store)
    engine = SearchEngine(store)
    workspace = Workspace(store.engine)

    everything = workspace.add_search("", filters=SearchFilters(role_family=["any"]))
    ml_team = workspace.add_search("team")  # ML leadership roles by default
    remote = workspace.add_search("team", filters=SearchFilters(remote=["remote"]))

    # By date, newest first: the pastry chef (2 days old) before the ranking lead (3 days)…
    assert [p.job_id for p in matches(engine, workspace.search(everything.id))] == [
        "greenhouse:acme:3",
        "greenhouse:acme:5",
        "greenhouse:acme:1",
        "greenhouse:acme:2",
        "greenhouse:acme:4",
    ]
    assert [p.job_id for p in matches(engine, ml_team)] == [
        "greenhouse:acme:1",
        "greenhouse:acme:2",
    ]
    assert [p.job_id for p in matches(engine, remote)] == ["greenhouse:acme:1"]


def test_new_since_you_last_looked_counts_postings_first_seen_after(store):
    fill(store)  # seen at NOW
    engine = SearchEngine(store)
    workspace = Workspace(store.engine)
    every_role = SearchFilters(role_family=["any"])
    saved = workspace.add_search("bread", filters=every_role, at=NOW + timedelta(seconds=1))
    assert new_since(matches(engine, saved), saved.last_seen_at) == 0  # the chef: seen before

    store_job(store, "9", "Baker", "Sourdough bread at dawn.", seen_at=NOW + timedelta(hours=1))
    store_job(store, "10", "Florist", "Tulips.", seen_at=NOW + timedelta(hours=1))

    found = matches(engine, saved)
    assert new_since(found, saved.last_seen_at) == 1  # the baker; the florist does not match
    looked = workspace.mark_seen(saved.id, at=NOW + timedelta(hours=2))
    assert new_since(matches(engine, looked), looked.last_seen_at) == 0


def test_jobs_their_owner_hid_leave_the_counts_until_unhidden(store):
    fill(store)  # seen at NOW
    engine = SearchEngine(store)
    workspace = Workspace(store.engine)
    every_role = SearchFilters(role_family=["any"])
    saved = workspace.add_search("", filters=every_role, at=NOW + timedelta(seconds=1))
    theirs = workspace.add_search("", filters=every_role, owner="ada", at=NOW)
    baker = store_job(store, "9", "Baker", "Bread.", seen_at=NOW + timedelta(hours=1))
    store_job(store, "10", "Florist", "Tulips.", seen_at=NOW + timedelta(hours=1))
    found = matches(engine, saved)
    assert (len(found), new_since(found, saved.last_seen_at)) == (7, 2)

    workspace.move_job(baker, "hidden")  # a new one
    workspace.move_job("greenhouse:acme:1", "hidden")  # one there before

    found = matches(engine, saved)
    assert not {baker, "greenhouse:acme:1"} & {p.job_id for p in found}
    assert (len(found), new_since(found, saved.last_seen_at)) == (5, 1)
    assert len(matches(engine, theirs)) == 7  # another owner's counts are theirs
    workspace.forget_job(baker)  # unhidden: counted again
    assert new_since(matches(engine, saved), saved.last_seen_at) == 2


def test_closed_and_stale_postings_never_match(store):
    fill(store)
    engine = SearchEngine(store)
    saved = Workspace(store.engine).add_search("", filters=SearchFilters(role_family=["any"]))
    assert len(matches(engine, saved)) == 5

    store.close_jobs(["greenhouse:acme:1"], at=NOW + timedelta(minutes=1))
    # Even before the search index hears of it: the job's own row says it is closed.
    assert "greenhouse:acme:1" not in {p.job_id for p in matches(engine, saved)}
    store.mark_stale(NOW + timedelta(days=90), days=60)  # every other one goes stale
    sync_search_index(store)
    assert matches(engine, saved) == []
