"""Enrichments and embeddings in the store: incremental, versioned, redone when a job changes —
on each backend, with the real enricher, the session's small trained role model and the real
sentence model."""

from datetime import timedelta

import numpy as np
import pytest
from test_repository import T0, pair

from leadboard import models
from leadboard.enrich.embeddings import posting_text
from leadboard.enrich.enricher import Enricher
from leadboard.enrich.role import FAMILIES, RoleClassifier
from leadboard.pipeline import EnrichSummary, embed_store, enrich_store
from leadboard.store import compact

LEAD_TEXT = (
    "You will lead a team of four ML engineers and mentor them. "
    "Requirements: 8+ years of experience with Python and PyTorch."
)


def stored(store, *pairs_):
    store.save_batch(list(pairs_), [], index=store.duplicate_index(), seen_at=T0)


@pytest.fixture(scope="module")
def role_model(role_models_dir):
    return RoleClassifier.load(role_models_dir / "role")


def test_enriching_the_store_fills_every_job_once(store, role_model):
    stored(store, pair("1", title="Staff ML Engineer", text=LEAD_TEXT), pair("2", text="Sales."))
    enricher = Enricher(role_model=role_model)

    first = enrich_store(store, enricher)
    second = enrich_store(store, enricher)

    assert (first.enriched, second.enriched) == (2, 0)
    row = store.get_enrichment("greenhouse:acme:1")
    assert row.role_family in FAMILIES and 0.0 <= row.ml_leadership <= 1.0
    assert row.is_ml_leadership == (row.role_family == "ml_leadership")
    assert (row.seniority, row.years_min, row.years_max) == ("staff", 8, None)
    assert {"Python", "PyTorch"} <= set(row.skills)
    assert "mentoring" in row.duties
    assert row.version == enricher.version and row.version.endswith(role_model.name)
    assert "8+ years" in row.detail["years_evidence"]["text"]
    numbers = store.stats()
    assert numbers["enriched"] == 2
    assert numbers["enrichment_versions"] == {enricher.version: 2}


def test_a_changed_job_or_another_model_is_enriched_again(store, role_model):
    stored(store, pair("1", text=LEAD_TEXT), pair("2", text="Sales."))
    enrich_store(store, Enricher(role_model=role_model))
    changed = pair("1", text=LEAD_TEXT.replace("8+", "10+"))
    store.save_batch([changed], [], index=store.duplicate_index(), seen_at=T0 + timedelta(1))

    after_change = enrich_store(store, Enricher(role_model=role_model))
    assert after_change.enriched == 1
    assert store.get_enrichment("greenhouse:acme:1").years_min == 10

    without_model = enrich_store(store, Enricher(role_model=None))
    assert without_model.enriched == 2
    assert store.get_enrichment("greenhouse:acme:2").version.endswith("no-role-model")


def test_without_a_role_model_the_rest_is_still_stored_with_a_reason(store):
    stored(store, pair("1", text=LEAD_TEXT))
    enrich_store(store, Enricher(role_model=None))
    row = store.get_enrichment("greenhouse:acme:1")
    assert row.role_family is None and row.years_min == 8
    assert any("no role model" in reason for reason in row.detail["reasons"])


def test_stored_salary_and_remote_are_carried_not_recomputed(store):
    salary = models.Salary(min=200_000, max=250_000, currency="USD", period="year")
    stored(store, pair("1", text="Build ranking models.", salary=salary, remote="remote"))
    enrich_store(store, Enricher())
    detail = store.get_enrichment("greenhouse:acme:1").detail
    assert detail["remote"] == "remote"
    assert detail["salary"] == {
        "min": 200000.0,
        "max": 250000.0,
        "currency": "USD",
        "period": "year",
    }


def test_a_job_with_an_empty_description_is_enriched_with_reasons(store):
    stored(store, pair("1", text=""))
    assert enrich_store(store, Enricher()).enriched == 1
    reasons = store.get_enrichment("greenhouse:acme:1").detail["reasons"]
    assert "no description text" in reasons


def test_embeddings_are_stored_once_for_open_jobs(store, embedder):
    stored(store, pair("1", title="Staff ML Engineer", text=LEAD_TEXT), pair("2", text="Sales."))
    store.close_missing("greenhouse", "acme", {"greenhouse:acme:1"}, T0 + timedelta(1))

    summary = EnrichSummary()
    embed_store(store, embedder, summary)
    embed_store(store, embedder, summary)

    assert summary.embedded == 1  # job 2 is closed; the second pass had nothing to do
    row = store.get_embedding("greenhouse:acme:1")
    vector = np.frombuffer(row.vector, dtype="<f4")
    expected = embedder.encode([posting_text("Staff ML Engineer", LEAD_TEXT)])[0]
    assert row.model == embedder.version == summary.embedding_model
    kept = compact.dequantize(compact.quantize(expected.tobytes()))  # int8 steps, a scale
    np.testing.assert_array_equal(vector, np.frombuffer(kept, dtype="<f4"))
    assert store.get_embedding("greenhouse:acme:2") is None
    assert store.stats()["embedded"] == 1
