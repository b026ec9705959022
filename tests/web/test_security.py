"""What a hostile user tries first against the web app: script through a stored link, framing,
sniffing, error pages in the wrong shape, flooding the expensive routes, writing without leave."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from support.search_jobs import NOW, fill, make_job

from leadboard.models import SourcePosting
from leadboard.normalize import normalize_posting
from leadboard.search.engine import SearchEngine
from leadboard.search.index import sync_search_index
from leadboard.web import security
from leadboard.web.app import create_app
from leadboard.web.security import WRITES, InsecureSetup, refuse_open_writes, write_routes

HOSTILE_URLS = [
    "javascript:alert(1)",
    " JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.fixture
def client(store):
    fill(store)
    return TestClient(create_app(store, SearchEngine(store)))


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_imported_script_url_is_dropped_with_a_warning(url):
    posting = SourcePosting(
        source="dump",
        board="acme",
        external_id="x",
        fetched_at=datetime.now(UTC),
        title="Head of ML",
        url=url,
    )
    job = normalize_posting(posting)
    assert job.url is None
    assert any(w.startswith("url dropped, not an http(s) link") for w in job.warnings)
    ok = normalize_posting(posting.model_copy(update={"url": " https://jobs.example.com/1\n"}))
    assert ok.url == "https://jobs.example.com/1" and not ok.warnings


@pytest.mark.parametrize("url", HOSTILE_URLS[:4])
def test_a_stored_script_url_is_never_a_link(store, url):
    # Rows stored before ingest checked the scheme: the page and the API still show no such link.
    store.save_batch(
        [make_job("9", "Head of ML", "Lead.", "remote", None, 1, url=url)],
        [],
        index=store.duplicate_index(),
        seen_at=NOW,
    )
    sync_search_index(store)
    client = TestClient(create_app(store, SearchEngine(store)))
    page = client.get("/jobs/greenhouse:acme:9")
    assert page.status_code == 200 and "Head of ML" in page.text
    assert 'class="apply' not in page.text  # no Apply button to a script URL...
    assert "No link to apply given by the source" in page.text  # ... the page says so
    assert not re.search(r"""href=["']?\W*j""", page.text.lower().replace("\t", ""))
    assert client.get("/api/v1/jobs/greenhouse:acme:9").json()["job"]["url"] is None
    listed = client.get("/api/v1/search", params={"q": "head", "family": "any"}).json()
    assert [r["job"]["url"] for r in listed["results"]] == [None]


PATHS = [
    "/",
    "/jobs/greenhouse:acme:1",
    "/api/v1/search",
    "/docs",
    "/static/style.css",
    "/nowhere",
    "/api/v1/jobs/nope",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_style(client):
    # What the Content-Security-Policy would block: script and style written into the page.
    for path in [
        "/",
        "/?q=ml",
        "/jobs/greenhouse:acme:1",
        "/match",
        "/insights/ml-tech-lead",
        "/nowhere",
        "/docs",
    ]:
        text = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"<style|<[^>]+\s(style|on\w+)=", text), path


def test_unknown_pages_and_jobs_answer_an_html_404_and_the_api_json(client):
    for path in ["/nowhere", "/jobs/nope:nope:1"]:
        page = client.get(path)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert 'role="alert"' in page.text and "Not found" in page.text
    for path in ["/api/v1/jobs/nope:nope:1", "/api/v1/nowhere"]:
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/json"
        assert isinstance(answer.json()["detail"], str)  # ErrorOut


def test_docs_load_swagger_ui_from_this_server(client):
    page = client.get("/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources)  # no CDN
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert "SwaggerUIBundle" in client.get("/swagger-ui/swagger-ui-bundle.js").text


def test_the_openapi_lists_the_closed_vocabularies_as_enums(client):
    schema = client.get("/openapi.json").json()
    params = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]
    }
    assert "remote" in params["remote"]["items"]["enum"]
    assert (
        "ml_leadership" in params["family"]["items"]["enum"]
        and "any" in (params["family"]["items"]["enum"])
    )
    assert "staff" in params["seniority"]["items"]["enum"]
    assert set(params["sort"]["enum"]) == {"relevance", "newest", "salary"}
    assert "hour" in params["period"]["enum"] and "hybrid" in params["mode"]["enum"]
    for path in ("/api/v1/search", "/api/v1/facets", "/api/v1/jobs/{job_id}"):
        responses = schema["paths"][path]["get"]["responses"]
        for status, response in responses.items():
            if status != "200":
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (path, status)


def test_beyond_loopback_the_expensive_routes_are_rate_limited(store, monkeypatch):
    # The search's burst as shipped, its refill slowed down: on a busy machine 40 searches can
    # take longer than the shipped rate (5 a second) needs to refill them.
    burst = security.LIMITS["search"].burst
    monkeypatch.setitem(security.LIMITS, "search", security.Limit(rate=0.01, burst=burst))
    fill(store)
    public = TestClient(create_app(store, SearchEngine(store), public=True, write_token="s3cret"))
    statuses = [public.get("/api/v1/search", params={"q": "ml"}).status_code for _ in range(40)]
    assert burst == 30 and statuses[:30] == [200] * 30 and statuses[-1] == 429
    refused = public.get("/api/v1/search")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["detail"].startswith("too many requests")
    assert refused.headers["x-frame-options"] == "DENY"
    page = public.get("/")
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
    assert public.get("/jobs/greenhouse:acme:1").status_code == 200  # cheap: not limited

    loopback = TestClient(create_app(store, SearchEngine(store)))
    assert {loopback.get("/api/v1/search").status_code for _ in range(40)} == {200}


def _with_a_write_route(app: FastAPI) -> FastAPI:
    # The way a route that changes stored data declares it (the workspace will add such routes).
    @app.post("/api/v1/notes", dependencies=[WRITES])
    def add_note() -> dict[str, str]:
        return {"saved": "yes"}

    return app


def test_writes_beyond_loopback_need_the_write_token(store):
    app = _with_a_write_route(
        create_app(store, SearchEngine(store), public=True, write_token="s3cret")
    )
    client = TestClient(app)
    assert client.post("/api/v1/notes").status_code == 401
    for wrong in ("Bearer wrong", "Bearer s3cret-", "Basic s3cret", "s3cret"):
        refused = client.post("/api/v1/notes", headers={"Authorization": wrong})
        assert refused.status_code == 401 and "write token" in refused.json()["detail"]
    ok = client.post("/api/v1/notes", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    # On loopback, with no token, writes are open (no limits there).
    local = TestClient(_with_a_write_route(create_app(store, SearchEngine(store))))
    assert local.post("/api/v1/notes").status_code == 200


def test_serving_beyond_loopback_without_a_token_is_refused_when_writes_exist(store):
    engine = SearchEngine(store)
    with pytest.raises(InsecureSetup, match="saved-searches.*LEADBOARD_WRITE_TOKEN"):
        create_app(store, engine, public=True)  # saved searches change stored data
    app = _with_a_write_route(create_app(store, engine, public=True, write_token="s3cret"))
    assert "POST /api/v1/notes" in write_routes(app)
    assert "DELETE /api/v1/saved-searches/{search_id}" in write_routes(app)
    app.state.write_token = None
    with pytest.raises(InsecureSetup, match="LEADBOARD_WRITE_TOKEN"):
        refuse_open_writes(app)
    refuse_open_writes(_with_a_write_route(create_app(store, engine)))  # loopback: fine
