"""Company pages over HTTP (TestClient): the typed API answer, the page, the links to it."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from support.company_jobs import NOW, fill_companies

from leadboard.search.engine import SearchEngine
from leadboard.web.app import create_app


@pytest.fixture
def client(store):
    fill_companies(store)
    return TestClient(create_app(store, SearchEngine(store)))


def test_the_api_answers_a_company_with_its_sample_sizes(client):
    answer = client.get("/api/v1/companies/google-deepmind").json()
    assert answer["name"] == "Google DeepMind"
    assert answer["names"] == [
        {"name": "Google DeepMind", "jobs": 4},
        {"name": "DeepMind", "jobs": 1},
    ]
    assert "data/company_aliases.csv" in answer["rule"]
    assert (answer["open"], answer["closed"]) == (4, 1)
    assert {k: answer["ml_leadership"][k] for k in ("count", "total", "small")} == {
        "count": 2,
        "total": 4,
        "small": True,
    }
    assert [role["title"] for role in answer["roles"]][:2] == [
        "Staff Research Engineer",
        "Research Lead, Gemini",
    ]
    assert answer["boards"][0]["last_success_at"] is not None
    assert client.get("/openapi.json").json()["paths"]["/api/v1/companies/{slug}"]


def test_unknown_companies_are_404_for_people_and_the_api(client):
    assert client.get("/api/v1/companies/nobody").status_code == 404
    page = client.get("/companies/nobody")
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text


def test_the_page_says_its_rule_sizes_and_dates_honestly(client):
    page = client.get("/companies/meta").text  # "Meta" and "Meta Platforms, Inc."
    assert "<h1>Meta</h1>" in page
    assert "“Meta Platforms, Inc.” (1 posting)" in page and "“Meta” (1 posting)" in page
    assert "Only 2 open roles: too few for firm figures" in page
    assert 'class="few"' in page  # each small share is flagged
    deepmind = client.get("/companies/google-deepmind").text
    assert "gave no date and count in the month Leadboard first saw them" in deepmind
    assert "a dump or a page read once: not crawled" in deepmind  # the DeepMind dump
    assert "USD 18/hour" in deepmind and "USD 250k–300k/year" in deepmind
    # Its open roles are searchable under every name it goes by.
    assert "/?family=any&amp;company=Google+DeepMind&amp;company=DeepMind" in deepmind


def test_cards_and_job_pages_link_the_company_page(client):
    results = client.get("/", params={"family": "any", "q": "alignment"}).text
    assert '<a class="company" href="/companies/google-deepmind">DeepMind</a>' in results
    job = client.get("/jobs/greenhouse:meta:6").text
    assert '<a class="company" href="/companies/meta">Meta Platforms, Inc.</a>' in job
    index = client.get("/companies").text
    assert '<a href="/companies/google-deepmind">Google DeepMind</a>' in index
    assert "2 names merged" in index


def test_a_company_whose_postings_went_unconfirmed_offers_to_count_them(client, store):
    store.mark_stale(NOW + timedelta(days=100), 60)
    page = client.get("/companies/meta").text
    assert "2 more postings are not confirmed open for a while" in page
    assert '<a href="?include_stale=true">Count them too</a>' in page
    counted = client.get("/companies/meta", params={"include_stale": "true"}).text
    assert "Counting the 2 postings not confirmed open for a while as open roles" in counted
    assert "Not confirmed open lately" in counted  # the cards' badge
    answer = client.get("/api/v1/companies/meta", params={"include_stale": "true"}).json()
    assert (answer["open"], answer["stale"], answer["include_stale"]) == (2, 2, True)
