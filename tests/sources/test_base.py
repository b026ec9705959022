"""The fetch loop and field readers the ATS connectors share, without any HTTP."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from leadboard.models import SourcePosting
from leadboard.sources.base import (
    AtsConnector,
    Listing,
    id_and_title,
    non_empty,
    unique_texts,
)
from leadboard.sources.http import FetchError


class CannedConnector(AtsConnector):
    """Serves a fixed listing; a record marked "hidden" is left out, like an unlisted Ashby job."""

    kind = "canned"

    def __init__(self, listing: Listing | FetchError) -> None:
        self.listing = listing  # no HTTP client: nothing is fetched

    def read_listing(self, board: str) -> Listing:
        if isinstance(self.listing, FetchError):
            raise self.listing
        return self.listing

    def parse(self, record: Any, board: str, fetched_at: datetime) -> SourcePosting | None:
        job_id, title = id_and_title(record)
        if record.get("hidden"):
            return None
        return SourcePosting(
            source=self.kind,
            board=board,
            external_id=job_id,
            fetched_at=fetched_at,
            title=title,
            company=record.get("company"),
        )


@pytest.mark.parametrize(
    ("record", "where"),
    [
        ({"id": 42}, "job 42"),
        ({"id": 0}, "job 0"),  # a real id, even if falsy
        ({"id": "  "}, "jobs[0]"),  # no usable id: the position finds it
        ({"id": True}, "jobs[0]"),
        ({}, "jobs[0]"),
        ("not a record", "jobs[0]"),
    ],
)
def test_a_refused_record_is_a_reject_that_says_where(record: Any, where: str) -> None:
    fetch = CannedConnector(Listing([record])).fetch("acme")
    [reject] = fetch.rejects
    assert (reject.source, reject.where) == ("canned:acme", where)
    assert fetch.postings == [] and fetch.complete is True


def test_company_fills_only_postings_that_name_none_and_hidden_records_are_dropped() -> None:
    records = [
        {"id": 1, "title": "A", "company": "Own"},
        {"id": 2, "title": "B"},
        {"id": 3, "title": "C", "hidden": True},
    ]
    fetch = CannedConnector(Listing(records)).fetch("acme", company="From list")
    assert [(p.external_id, p.company) for p in fetch.postings] == [
        ("1", "Own"),
        ("2", "From list"),
    ]
    assert fetch.rejects == [] and fetch.complete is True and fetch.error is None


def test_a_partial_listing_keeps_its_postings_but_is_incomplete() -> None:
    fetch = CannedConnector(Listing([{"id": 1, "title": "A"}], error="got 1 of 9 jobs")).fetch("b")
    assert len(fetch.postings) == 1 and fetch.complete is False
    assert fetch.error == "canned board 'b': got 1 of 9 jobs"


def test_a_fetch_error_is_the_boards_error() -> None:
    fetch = CannedConnector(FetchError("HTTP 404 Not Found", url="u")).fetch("gone")
    assert fetch.postings == [] and fetch.complete is False
    assert fetch.error == "canned board 'gone': HTTP 404 Not Found"


@pytest.mark.parametrize(
    ("record", "options", "message"),
    [
        ([], {}, "job record is a list, not an object"),
        ({"title": "T"}, {}, "job record has no id"),
        ({"id": 5, "title": " "}, {}, "job 5 has no title"),
        ({"id": "p"}, {"word": "posting", "title_key": "text"}, "posting p has no title ('text')"),
    ],
)
def test_id_and_title_refuses_what_is_not_a_job(
    record: Any, options: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        id_and_title(record, **options)


def test_unique_texts_and_non_empty() -> None:
    assert unique_texts([" Paris", "Paris ", None, 7, "", ["x"]]) == ["Paris", "7"]
    assert non_empty(a=None, b=[], c={}, d=False, e=0, f="x") == {"d": False, "e": 0, "f": "x"}
