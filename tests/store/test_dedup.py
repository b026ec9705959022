"""Duplicate clusters: requisition, canonical URL, near-identical text."""

import re

import pytest
from datasketch import MinHash

from leadboard.store.dedup import (
    MAX_WORDS,
    NUM_PERM,
    SCHEME,
    DuplicateIndex,
    _shingle_hashes,
    canonical_url,
    sign,
    signature,
    signature_to_bytes,
)

TEXT = (
    "You will lead a team of machine learning engineers building the ranking and retrieval models "
    "behind our search product, set the technical direction for training and serving, mentor "
    "engineers, review designs, and work with product and research partners to ship models that "
    "matter to millions of users. You have eight or more years of experience with PyTorch."
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.linkedin.com/jobs/view/4295567445/?refId=x&trk=y",
            "linkedin.com/jobs/view/4295567445",
        ),
        (
            "https://boards.greenhouse.io/deepmind/jobs/7057468",
            "greenhouse.io/deepmind/jobs/7057468",
        ),
        (
            "https://job-boards.greenhouse.io/deepmind/jobs/7057468#app",
            "greenhouse.io/deepmind/jobs/7057468",
        ),
        (
            "https://www.glassdoor.com/partner/jobListing.htm?pos=101&jobListingId=35&cb=1",
            "glassdoor.com/partner/jobListing.htm?jobListingId=35",
        ),
        ("https://news.ycombinator.com/item?id=46467610", "news.ycombinator.com/item?id=46467610"),
        ("not a url", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_same_text_and_title_is_one_cluster_even_across_companies_spelling():
    index = DuplicateIndex()
    first = index.assign("greenhouse:acme:1", "Acme", None, None, "Staff ML Engineer", TEXT)
    second = index.assign("file:dump:9", "ACME, Inc.", None, None, "Staff ML engineer", TEXT)
    assert first.reason == "new" and first.cluster_id == "greenhouse:acme:1"
    assert second.reason == "text" and second.cluster_id == "greenhouse:acme:1"


def test_same_text_with_another_title_is_not_a_duplicate():
    index = DuplicateIndex()
    index.assign("a:1", "Acme", None, None, "Staff ML Engineer", TEXT)
    other = index.assign("a:2", "Acme", None, None, "Senior ML Engineer", TEXT)
    assert other.cluster_id == "a:2" and other.reason == "new"


def test_different_text_is_not_a_duplicate():
    index = DuplicateIndex()
    index.assign("a:1", "Acme", None, None, "ML Lead", TEXT)
    other_text = " ".join(reversed(TEXT.split()))
    assert index.assign("a:2", "Acme", None, None, "ML Lead", other_text).reason == "new"


def test_requisition_and_url_rules_need_the_same_title():
    index = DuplicateIndex()
    index.assign("gh:acme:1", "Acme", "R-77", "https://x.io/jobs/1", "ML Lead", "short")
    assert (
        index.assign("gh:acme:2", "Acme Inc", "r-77", None, "ML Lead", "").reason == "requisition"
    )
    assert (
        index.assign("file:d:3", None, None, "https://www.x.io/jobs/1/", "ML lead", "").reason
        == "url"
    )
    # One HN post names several roles under one URL: they are not duplicates.
    assert (
        index.assign("file:d:4", None, None, "https://x.io/jobs/1", "Designer", "").reason == "new"
    )


def test_reassigning_a_job_keeps_its_cluster_and_short_texts_have_no_signature():
    index = DuplicateIndex()
    index.assign("a:1", "Acme", None, None, "ML Lead", TEXT)
    index.assign("a:2", "Acme", None, None, "ML Lead", TEXT)
    again = index.assign("a:2", "Acme", None, None, "ML Lead", TEXT)
    assert again.cluster_id == "a:1"
    assert signature("too short to judge") is None


def test_stored_signatures_round_trip():
    index = DuplicateIndex()
    stored = index.assign("a:1", "Acme", None, None, "ML Lead", TEXT)
    fresh = DuplicateIndex()
    fresh.add("a:1", "a:1", "Acme", None, None, "ML Lead", stored.signature)
    assert fresh.assign("b:1", "Acme", None, None, "ML Lead", TEXT).cluster_id == "a:1"


def test_signatures_are_what_datasketch_makes_of_each_shingle_hash():
    """Signing hands datasketch every shingle's hash as one array; the stored signatures of a
    store must not change for that: the same as its documented one-value-at-a-time update."""
    texts = [TEXT, TEXT.upper() + " Über-Straße café 2026!", " ".join(TEXT.split()[::-1]) * 9]
    for text in texts:
        words = re.findall(r"\w+", text.lower())[:MAX_WORDS]
        one_by_one = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=int)
        one_by_one.update_batch(_shingle_hashes(words).tolist())
        assert (signature(text).hashvalues == one_by_one.hashvalues).all()
        assert sign("ML Lead", text) == signature_to_bytes(signature(f"ML Lead {text}"))


def test_a_signature_made_beforehand_assigns_as_the_text_does():
    index, signed = DuplicateIndex(), DuplicateIndex()
    for job_id, title in [("a:1", "ML Lead"), ("b:1", "ML Lead"), ("c:1", "Chef")]:
        from_text = index.assign(job_id, "Acme", None, None, title, TEXT)
        made = signed.assign(job_id, "Acme", None, None, title, sign(title, TEXT))
        assert made == from_text
    assert signed.assign("d:1", None, None, None, "ML Lead", None).reason == "new"  # too short
