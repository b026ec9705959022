"""One results contract on both backends (issue 14): the same real postings, imported and enriched
into SQLite and into PostgreSQL, give the same totals, the same facet counts, the same matches and
the same order where the order does not depend on the full-text engine's own scores.

The lexical scores differ by design (FTS5's BM25 on SQLite; on PostgreSQL a BM25 of its own
stems and ``search_words``' weights: ``pg_words.py``), so a relevance-sorted page is compared as
the set of everything matched, not as an order."""

import itertools
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from support.postgres import fresh_database

from leadboard.enrich.enricher import Enricher
from leadboard.enrich.role import RoleClassifier
from leadboard.enrich.training import PACKAGED_ROLE_MODEL_DIR
from leadboard.pipeline import import_paths, refresh_store
from leadboard.search.engine import SearchEngine, SearchFilters, SearchRequest
from leadboard.store.repository import Store

POSTINGS = 240  # the first lines of one real dump: a few seconds to enrich on each backend
ANY = SearchFilters(role_family=["any"])
QUERIES = [
    "",
    "machine learning",
    "engineering manager",
    "staff engineer python",
    "remote data scientist",
    "head of ai",
]
FILTERS = [
    ANY,
    SearchFilters(),  # the default view: ML leadership
    SearchFilters(role_family=["any"], remote=["remote"]),
    SearchFilters(role_family=["any"], seniority=["senior", "staff"]),
]


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory, shared_data_dir: Path, sqlite_template, postgres_url, postgres_template
):
    """The same postings in a SQLite store and a PostgreSQL store, enriched alike."""
    enricher = Enricher(role_model=RoleClassifier.load(PACKAGED_ROLE_MODEL_DIR))
    folder = tmp_path_factory.mktemp("agree")
    dump = folder / "postings.jsonl"
    with (shared_data_dir / "postings" / "ats-boards-2026-05" / "postings.jsonl").open() as lines:
        dump.write_text("".join(itertools.islice(lines, POSTINGS)))
    shutil.copyfile(sqlite_template, folder / "leadboard.db")
    with fresh_database(postgres_url, postgres_template) as url:
        opened = [Store.open(f"sqlite:///{folder / 'leadboard.db'}"), Store.open(url)]
        for store in opened:
            import_paths(store, [dump])
            refresh_store(store, enricher=enricher, say=lambda message: None)
        yield opened
        for store in opened:
            store.close()


def answers(store: Store, request: SearchRequest):
    return SearchEngine(store).search(request)


def every_match(store: Store, request: SearchRequest) -> set[str]:
    """The ids of every result, page after page."""
    found: set[str] = set()
    for page in itertools.count(1):
        response = answers(store, replace(request, page=page, per_page=100))
        found |= {hit.job_id for hit in response.results}
        if page * 100 >= response.total:
            return found


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filters", FILTERS, ids=["any", "default", "remote", "senior-staff"])
def test_totals_facets_and_matches_agree(stores, query, filters):
    request = SearchRequest(q=query, filters=filters)
    sqlite, postgres = (answers(store, request) for store in stores)
    assert sqlite.total == postgres.total
    assert sqlite.facets == postgres.facets
    assert sqlite.query == postgres.query
    assert every_match(stores[0], request) == every_match(stores[1], request)


def test_the_store_holds_enough_to_compare(stores):
    every = answers(stores[0], SearchRequest(filters=ANY, per_page=100))
    assert every.total >= POSTINGS // 2  # duplicates merged, rejects dropped: most remain
    assert len(dict(every.facets["role_family"])) >= 2


def test_the_pay_order_agrees(stores):
    """(The dump states no posting dates, so "newest" has nothing of its own to order by.)"""
    sqlite, postgres = (
        answers(store, SearchRequest(q="engineer", filters=ANY, sort="salary", per_page=50))
        for store in stores
    )
    pay = [[hit.job["salary"] for hit in response.results] for response in (sqlite, postgres)]
    assert pay[0] == pay[1]
    assert sum(stated is not None for stated in pay[0]) >= 5
