"""The Apply action (issue 16): a posting's own URL, only http(s); a posting that gives none says
so and ranks a little lower than its twin that does."""

from datetime import timedelta
from types import SimpleNamespace

from fastapi.testclient import TestClient
from support.company_jobs import NOW, make_posting

from leadboard.search.engine import SearchEngine
from leadboard.search.index import sync_search_index
from leadboard.web.app import create_app
from leadboard.web.templating import make_templates


def twins(store):
    """Two postings alike in all but the URL; the one without comes first in id order."""
    pairs = [
        make_posting(
            "greenhouse", "twins", "1", "Twin Labs", "Head of ML", "remote", None, 3, False
        ),
        make_posting(
            "greenhouse", "twins", "2", "Twin Labs", "Head of ML", "remote", None, 3, True
        ),
    ]
    # Different texts without the query's words, or they would be one duplicate cluster.
    texts = {"1": "Build the data platform in Paris.", "2": "Grow the research group in Oslo."}
    for _, job in pairs:
        job.description_text = texts[job.external_id]
        job.content_hash = job.external_id * 64
    store.save_batch(pairs, [], index=store.duplicate_index(), seen_at=NOW - timedelta(days=1))
    sync_search_index(store)
    return TestClient(create_app(store, SearchEngine(store)))


def test_a_posting_without_a_url_ranks_below_its_twin_and_says_so(store):
    client = twins(store)
    answer = client.get("/api/v1/search", params={"q": "head of ml", "family": "any"}).json()
    ids = [result["job"]["id"] for result in answer["results"]]
    assert ids == ["greenhouse:twins:2", "greenhouse:twins:1"]
    assert answer["results"][1]["job"]["url"] is None
    page = client.get("/", params={"q": "head of ml", "family": "any"}).text
    assert page.count('class="apply"') == 1
    assert page.count("No link to apply given by the source") == 1
    assert 'href="https://jobs.example.com/twins/2" rel="noopener noreferrer nofollow"' in page


def test_the_apply_button_takes_only_an_http_url():
    card = make_templates().env.get_template("cards.html").module.apply
    job = SimpleNamespace(title="Head of ML", company="Acme", url="/jobs/elsewhere")
    assert "No link to apply given by the source" in card(job)  # a path here is no posting
    job.url = " https://jobs.example.com/1"
    assert 'href="https://jobs.example.com/1"' in card(job)
