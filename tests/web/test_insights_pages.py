"""Market pages through HTTP (TestClient) over a real store (each backend): the sections, charts
and tables, the overview's links, small samples, bad addresses and hostile text."""

import html
import re

import pytest
from fastapi.testclient import TestClient
from support.market_jobs import fill_market, lead, store_jobs

from leadboard.search.engine import SearchEngine
from leadboard.web.app import create_app

SECTIONS = (
    "claims-checked",
    "open-roles",
    "where",
    "duties",
    "skills",
    "experience",
    "pay",
    "trend",
)


@pytest.fixture
def client(store):
    fill_market(store)
    return TestClient(create_app(store, SearchEngine(store)))


def test_the_ml_tech_lead_page_has_every_section_chart_and_table(client):
    page = client.get("/insights/ml-tech-lead")
    assert page.status_code == 200
    body = page.text
    assert "<h1>ML Tech Lead jobs: the market, measured</h1>" in body
    for anchor in SECTIONS:
        assert f'id="{anchor}"' in body
    charts = re.findall(r'<svg [^>]*role="img"[^>]*aria-labelledby="([\w-]+)-title', body)
    assert charts == ["duties-chart", "skills-chart", "experience-chart", "pay-USD-chart"]
    assert '<title id="duties-chart-title">' in body and '<desc id="duties-chart-desc">' in body
    assert body.count("<details>") >= 4 and body.count("<table>") >= 8  # a table behind each
    assert "<script" not in body  # no JavaScript needed


def test_every_number_in_the_overview_links_to_its_section(client):
    body = client.get("/insights/ml-tech-lead").text
    overview = re.search(r'<p class="overview">(.*?)</p>', body, re.S).group(1)
    links = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', overview)
    assert len(links) >= 10
    for anchor, number in links:
        assert f'id="{anchor}"' in body
        assert re.search(r"\d", number), number
    unlinked = re.sub(r"<a [^>]*>[^<]*</a>", "", overview)
    assert not re.search(r"\d", html.unescape(unlinked)), unlinked  # every number is a link


def test_small_samples_say_so(client):
    body = client.get("/insights", params={"q": "pytorch remote"}).text
    assert "Only 6 postings: too few for firm figures" in body
    assert 'class="few"' in body
    assert "Skill: PyTorch, Remote" in body and "remote: remote" not in body


def test_a_page_links_the_search_listing_its_postings(client):
    body = client.get("/insights", params={"q": "pytorch", "family": "any"}).text
    assert '<a href="/?q=pytorch&amp;family=any">List them</a>' in body
    topic = client.get("/insights/ml-engineer").text
    assert '<a href="/?family=ml_ic">List them</a>' in topic


def test_every_role_family_has_a_page_and_aliases_work(client):
    for slug in ("ml-engineer", "data", "software", "other", "ml-leadership"):
        assert client.get(f"/insights/{slug}").status_code == 200
    data = client.get("/insights/data").text
    assert "3 postings: open data roles" in data and "nothing to measure" not in data


@pytest.mark.parametrize(
    ("address", "status", "says"),
    [
        ("/insights/wizards", 404, "no market page 'wizards'"),
        ("/insights?family=wizard", 422, "unknown family"),
        ("/insights?min_salary=lots", 422, "not an amount"),
    ],
)
def test_bad_addresses_get_a_clear_answer_never_a_500(client, address, status, says):
    answer = client.get(address)
    assert answer.status_code == status and says in html.unescape(answer.text)


def test_hostile_company_names_and_queries_are_escaped(client, store):
    hostile = '<script>alert("x")</script> & Co'
    store_jobs(
        store, [lead(2) | {"company": hostile, "title": "ML Tech Lead, hostile"}], board="evil"
    )
    body = client.get("/insights/ml-tech-lead").text
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in body
    query = '"><img src=x onerror=alert(1)> pytorch'
    answer = client.get("/insights", params={"q": query})
    assert answer.status_code == 200
    assert "<img src=x" not in answer.text and "&lt;img src=x onerror=alert(1)&gt;" in answer.text
