"""The store: idempotent upserts, change tracking, closing, clusters, errors — on each backend."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import StatementError

from leadboard import models
from leadboard.sources.base import Reject
from leadboard.store.repository import JobFilters

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
LONG_TEXT = " ".join(f"word{i}" for i in range(80))


def pair(
    external_id="1",
    title="Staff ML Engineer",
    text="Lead the ranking team.",
    board="acme",
    salary=None,
    content_hash=None,
    company="Acme",
    url=None,
    remote="unknown",
):
    posting = models.SourcePosting(
        source="greenhouse",
        board=board,
        external_id=external_id,
        url=url,
        fetched_at=T0,
        payload={"id": external_id, "title": title, "content": text},
    )
    job = models.Job(
        id=posting.key,
        source="greenhouse",
        board=board,
        external_id=external_id,
        url=url,
        title=title,
        title_raw=title,
        company=company,
        description_text=text,
        remote=remote,
        salary=salary,
        content_hash=content_hash or hashlib.sha256(f"{title}|{text}".encode()).hexdigest(),
        locations=[models.Place(city="London", country="GB", raw="London, UK")],
        posted_at=T0 - timedelta(days=int(external_id) if external_id.isdigit() else 0),
    )
    return posting, job


def test_first_import_inserts_and_second_changes_nothing(store):
    index = store.duplicate_index()
    batch = [pair("1"), pair("2", title="ML Manager")]
    first = store.save_batch(batch, [], index=index, seen_at=T0)
    second = store.save_batch(batch, [], index=store.duplicate_index(), seen_at=T0 + timedelta(1))
    assert (first.inserted, first.updated) == (2, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 2)
    job = store.get_job("greenhouse:acme:1")
    assert job.updated_at is None and job.first_seen_at == T0
    assert job.last_seen_at == T0 + timedelta(1)
    assert len(store.raw_postings("greenhouse:acme:1")) == 1  # same payload is kept once
    assert store.stats()["jobs"] == 2


def test_changed_posting_updates_and_keeps_both_payloads(store):
    store.save_batch([pair("1")], [], index=store.duplicate_index(), seen_at=T0)
    changed = pair("1", text="Lead the ranking and retrieval teams.")
    counts = store.save_batch(
        [changed], [], index=store.duplicate_index(), seen_at=T0 + timedelta(2)
    )
    assert counts.updated == 1
    job = store.get_job("greenhouse:acme:1")
    assert job.description_text == "Lead the ranking and retrieval teams."
    assert job.updated_at == T0 + timedelta(2)
    assert len(store.raw_postings("greenhouse:acme:1")) == 2


def test_missing_from_complete_listing_closes_and_reappearing_reopens(store):
    store.save_batch([pair("1"), pair("2")], [], index=store.duplicate_index(), seen_at=T0)
    closed = store.close_missing("greenhouse", "acme", {"greenhouse:acme:1"}, T0 + timedelta(1))
    assert closed == 1
    assert store.get_job("greenhouse:acme:2").closed_at == T0 + timedelta(1)
    assert [j.id for j in store.list_jobs()] == ["greenhouse:acme:1"]
    assert len(store.list_jobs(JobFilters(include_closed=True))) == 2
    # Other boards are untouched, and closing is not repeated.
    assert store.close_missing("greenhouse", "acme", {"greenhouse:acme:1"}, T0 + timedelta(2)) == 0
    counts = store.save_batch(
        [pair("2")], [], index=store.duplicate_index(), seen_at=T0 + timedelta(3)
    )
    assert counts.reopened == 1
    assert store.get_job("greenhouse:acme:2").closed_at is None


def test_duplicates_share_a_cluster_and_list_once(store):
    a = pair("1", text=LONG_TEXT, board="acme")
    b = pair("7", text=LONG_TEXT, board="acme-eu")
    counts = store.save_batch([a, b], [], index=store.duplicate_index(), seen_at=T0)
    assert counts.duplicates == {"text": 1}
    assert store.get_job("greenhouse:acme-eu:7").cluster_id == "greenhouse:acme:1"
    assert [j.id for j in store.list_jobs()] == ["greenhouse:acme:1"]
    assert len(store.list_jobs(JobFilters(one_per_cluster=False))) == 2
    # The index rebuilt from the store finds the same cluster for a third copy.
    c = pair("9", text=LONG_TEXT, board="acme-us")
    store.save_batch([c], [], index=store.duplicate_index(), seen_at=T0)
    assert store.get_job("greenhouse:acme-us:9").cluster_id == "greenhouse:acme:1"
    assert store.stats()["jobs_in_duplicate_clusters"] == 2


def test_when_the_cluster_representative_closes_another_member_is_listed(store):
    a, b = pair("1", text=LONG_TEXT), pair("2", text=LONG_TEXT)
    store.save_batch([a, b], [], index=store.duplicate_index(), seen_at=T0)
    store.close_missing("greenhouse", "acme", {"greenhouse:acme:2"}, T0)
    assert [j.id for j in store.list_jobs()] == ["greenhouse:acme:2"]


def test_filters(store):
    salary = models.Salary(min=200_000, max=250_000, currency="USD", period="year")
    batch = [
        pair("1", title="Staff ML Engineer", salary=salary, remote="remote"),
        pair("2", title="Head of AI", company="Beta"),
        pair("3", title="Designer 100%_off"),
    ]
    store.save_batch(batch, [], index=store.duplicate_index(), seen_at=T0)

    def ids(**kw):
        return sorted(j.id.rsplit(":", 1)[1] for j in store.list_jobs(JobFilters(**kw)))

    assert ids(with_salary=True) == ["1"]
    assert ids(remote="remote") == ["1"]
    assert ids(company="beta") == ["2"]
    assert ids(title="ml eng") == ["1"]
    assert ids(title="100%_") == ["3"]  # LIKE wildcards are taken literally
    assert ids(title="100%x") == []
    assert ids(country="gb") == ["1", "2", "3"]
    assert ids(country="US") == []
    assert [j.id for j in store.list_jobs(limit=1, offset=1)] == ["greenhouse:acme:2"]


def test_rejects_are_logged_with_the_batch(store):
    reject = Reject("dump.jsonl", "line 3", "malformed JSON: Expecting value", "{oops" * 500)
    store.save_batch([pair("1")], [reject], index=store.duplicate_index(), seen_at=T0)
    numbers = store.stats()
    assert numbers["errors"] == 1
    assert numbers["errors_by_reason"] == {"malformed JSON: Expecting value": 1}


def test_a_failed_batch_writes_nothing(store):
    store.save_batch([pair("1")], [], index=store.duplicate_index(), seen_at=T0)
    bad = pair("2")
    bad[0].payload["not json"] = object()  # fails when the batch is written
    with pytest.raises((StatementError, TypeError)):  # the driver decides which
        store.save_batch([pair("3"), bad], [], index=store.duplicate_index(), seen_at=T0)
    assert store.stats()["jobs"] == 1
    assert store.get_job("greenhouse:acme:3") is None


def test_timestamps_come_back_in_utc(store):
    store.save_batch([pair("1")], [], index=store.duplicate_index(), seen_at=T0)
    job = store.get_job("greenhouse:acme:1")
    assert job.first_seen_at.tzinfo is not None and job.first_seen_at.utcoffset() == timedelta(0)
    assert job.posted_at == T0 - timedelta(days=1)


def test_nul_characters_and_huge_payloads_are_stored_safely(store):
    posting, job = pair("1", title="ML Lead")
    posting.payload["content"] = "a\x00b" + "x" * 5_000_000
    job.title_raw = "ML\x00 Lead"
    job.company = "Acme\x00"
    store.save_batch([(posting, job)], [], index=store.duplicate_index(), seen_at=T0)
    stored = store.get_job("greenhouse:acme:1")
    assert stored.title_raw == "ML Lead" and stored.company == "Acme"
    [raw] = store.raw_postings("greenhouse:acme:1")
    assert raw.payload["content"].startswith("ab") and len(raw.payload["content"]) == 5_000_002
