"""`leadboard mcp` end to end: the MCP SDK's own client starts `python -m leadboard mcp` over stdio
(and talks to `leadboard mcp --http` over streamable HTTP on 127.0.0.1), lists the tools, calls
each against a small store, and sends bad arguments."""

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from support.match_jobs import STAFF_ML_RESUME, fill_postings
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.enrich.enricher import Enricher
from leadboard.match.documents import MAX_TEXT
from leadboard.mcp_server import MAX_MATCHES, MAX_RESULTS
from leadboard.pipeline import refresh_store
from leadboard.store.repository import Store

TOOLS = {
    "search_jobs",
    "get_job",
    "similar_jobs",
    "match_resume",
    "market_page",
    "list_saved_searches",
    "save_search",
    "remove_saved_search",
    "list_tracker",
    "track_job",
}
WRITING = {"save_search", "remove_saved_search", "track_job"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The environment of a `leadboard` process whose store (SQLite: the server is the same
    on either backend) holds four postings — an ML lead role on ranking, a frontend, an
    analyst and a pastry chef — enriched, and embedded by the model the server embeds
    queries with."""
    home = tmp_path_factory.mktemp("home")
    url = f"sqlite:///{home / 'leadboard.db'}"
    store = Store.open(url)
    fill_postings(store)
    # Embedded as `leadboard enrich --embeddings` does: by the model the server will use.
    done = refresh_store(store, embeddings=True, enricher=Enricher(role_model=None), say=print)
    store.close()
    if not done.embedded:
        pytest.skip(f"no embeddings: {done.problems}")
    return {**os.environ, "LEADBOARD_HOME": str(home), "LEADBOARD_DATABASE_URL": url}


def talk(server, conversation):
    """Run ``conversation(client)`` with an MCP client of ``server`` (a URL or stdio
    parameters), in a thread of its own: the browser tests leave an event loop in this one."""

    async def session():
        async with Client(server, mode="legacy", read_timeout_seconds=120) as client:
            return await conversation(client)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, session).result()


BAD_CALLS = [
    # (tool, arguments, what the error says)
    ("get_job", {"job_id": "greenhouse:nope:0"}, "no job with id"),
    ("similar_jobs", {"job_id": "greenhouse:nope:0"}, "no job with id"),
    ("get_job", {}, "job_id"),
    ("search_jobs", {"sort": "best"}, "'relevance', 'newest' or 'salary'"),
    ("search_jobs", {"remote": ["sometimes"]}, "'remote', 'hybrid', 'onsite' or 'unknown'"),
    ("search_jobs", {"per_page": 500}, f"less than or equal to {MAX_RESULTS}"),
    ("search_jobs", {"min_salary": "lots"}, "min_salary"),
    ("match_resume", {"resume": ""}, "at least 1 character"),
    ("match_resume", {"resume": "Jane Doe, engineer."}, "résumé"),
    ("match_resume", {"resume": "a" * (MAX_TEXT + 1)}, f"at most {MAX_TEXT} characters"),
    ("market_page", {"topic": "pastry"}, "one of: ml-tech-lead"),
    ("save_search", {"search": {"sort": "best"}}, "'relevance', 'newest' or 'salary'"),
    ("save_search", {"search": {"filters": {"remote": ["sometimes"]}}}, "remote"),
    ("remove_saved_search", {"saved_search_id": 99}, "no saved search with id 99"),
    ("track_job", {"change": {"job_id": "greenhouse:nope:0", "state": "saved"}}, "no job with id"),
    ("track_job", {"change": {"job_id": "x", "state": "ghosted"}}, "'saved', 'hidden'"),
    ("list_tracker", {"state": ["ghosted"]}, "'saved', 'hidden'"),
]


@pytest.fixture(scope="module")
def over_stdio(env):
    """One conversation with `python -m leadboard mcp` over stdio, as an assistant has it:
    the tools listed, each called, then every call of ``BAD_CALLS``."""

    async def conversation(client):
        said = {"tools": {tool.name: tool for tool in (await client.list_tools()).tools}}
        said["search_jobs"] = await client.call_tool("search_jobs", {"q": "ranking"})
        top = said["search_jobs"].structured_content["results"][0]["job"]["id"]
        said["get_job"] = await client.call_tool("get_job", {"job_id": top})
        said["similar_jobs"] = await client.call_tool("similar_jobs", {"job_id": top})
        said["match_resume"] = await client.call_tool(
            "match_resume", {"resume": STAFF_ML_RESUME, "limit": 2}
        )
        said["market_page"] = await client.call_tool("market_page", {"topic": "ml-tech-lead"})
        said["everything"] = await client.call_tool(
            "search_jobs", {"family": ["any"], "facets": True, "per_page": 3}
        )
        said["save_search"] = await client.call_tool(
            "save_search", {"search": {"query": "ranking", "filters": {"remote": ["remote"]}}}
        )
        said["list_saved_searches"] = await client.call_tool("list_saved_searches", {})
        said["remove_saved_search"] = await client.call_tool(
            "remove_saved_search", {"saved_search_id": said["save_search"].structured_content["id"]}
        )
        said["track_job"] = await client.call_tool(
            "track_job", {"change": {"job_id": top, "state": "applied", "note": "sent my CV"}}
        )
        said["step_back"] = await client.call_tool(
            "track_job", {"change": {"job_id": top, "state": "saved"}}
        )
        other = said["everything"].structured_content["results"][-1]["job"]["id"]
        said["hide"] = await client.call_tool(
            "track_job", {"change": {"job_id": other, "state": "hidden"}}
        )
        said["list_tracker"] = await client.call_tool("list_tracker", {"state": ["applied"]})
        said["after_hiding"] = await client.call_tool("search_jobs", {"family": ["any"]})
        said["bad"] = [await client.call_tool(tool, args) for tool, args, _ in BAD_CALLS]
        return said

    server = StdioServerParameters(command=sys.executable, args=["-m", "leadboard", "mcp"], env=env)
    return talk(server, conversation)


def test_the_tools_are_listed_with_typed_schemas(over_stdio):
    tools = over_stdio["tools"]

    assert set(tools) == TOOLS
    search = tools["search_jobs"]
    assert "/api/v1/search" in search.description
    properties = search.input_schema["properties"]
    assert properties["sort"]["enum"] == ["relevance", "newest", "salary"]  # the API's vocabulary
    assert "ml_leadership" in json.dumps(properties["family"])
    assert properties["per_page"]["maximum"] == MAX_RESULTS  # capped for an assistant's context
    assert tools["match_resume"].input_schema["required"] == ["resume"]
    matching = tools["match_resume"].input_schema["properties"]
    assert (
        matching["resume"]["maxLength"] == MAX_TEXT and matching["limit"]["maximum"] == MAX_MATCHES
    )
    for tool in tools.values():
        assert tool.description and tool.output_schema, tool.name
        assert tool.annotations.read_only_hint is (tool.name not in WRITING), tool.name
    saving = tools["save_search"].input_schema
    assert "min_salary" in json.dumps(saving)  # the filters of search_jobs
    assert "date_note" in json.dumps(tools["get_job"].output_schema)
    assert "overview_text" in tools["market_page"].output_schema["properties"]


def test_each_tool_answers_from_the_store(over_stdio):
    for name in ("search_jobs", "get_job", "similar_jobs", "match_resume", "market_page"):
        result = over_stdio[name]
        assert not result.is_error, (name, result.content)
        assert json.loads(result.content[0].text) == result.structured_content  # also as text
    search = over_stdio["search_jobs"].structured_content
    top = search["results"][0]["job"]
    assert "Ranking" in top["title"] and search["total"] == 1  # ML leadership roles by default
    assert search["facets"] == {}  # only when asked
    job = over_stdio["get_job"].structured_content
    assert job["job"]["title"] == top["title"] and job["job"]["date_note"].startswith("posted ")
    assert job["job"]["closed"] is False and "PyTorch" in {s["name"] for s in job["skills"]}
    similar = over_stdio["similar_jobs"].structured_content
    assert similar["job"]["id"] == top["id"] and len(similar["results"]) == 3  # any family
    assert top["id"] not in {hit["job"]["id"] for hit in similar["results"]}
    match = over_stdio["match_resume"].structured_content
    assert match["results"][0]["job"]["id"] == top["id"] and len(match["results"]) == 2
    assert "PyTorch" in {skill["name"] for skill in match["results"][0]["matched_skills"]}
    assert match["profile"]["seniority"] == "staff"
    market = over_stdio["market_page"].structured_content
    assert market["title"] == "ML Tech Lead" and market["postings"] == 1
    assert market["overview_text"]


def test_saved_searches_are_saved_listed_and_removed(over_stdio):
    saved = over_stdio["save_search"].structured_content
    assert saved["name"] == "ranking" and saved["feed"] == f"/feeds/{saved['id']}.atom"
    assert saved["filters"]["remote"] == ["remote"] and saved["matching"] == 1
    listed = over_stdio["list_saved_searches"].structured_content["saved_searches"]
    assert [s["id"] for s in listed] == [saved["id"]] and listed[0]["new"] == 0
    removed = over_stdio["remove_saved_search"]
    assert not removed.is_error and removed.structured_content["id"] == saved["id"]


def test_the_tracker_moves_lists_and_hides(over_stdio):
    applied = over_stdio["track_job"].structured_content
    top = over_stdio["search_jobs"].structured_content["results"][0]["job"]["id"]
    assert applied["job_id"] == top and applied["state"] == "applied"
    assert applied["notes"] == "sent my CV" and applied["posting"]["open"] is True
    refused = over_stdio["step_back"]
    assert refused.is_error and "step back: reopen" in refused.content[0].text
    (listed,) = over_stdio["list_tracker"].structured_content["tracked"]  # hidden not asked for
    assert listed["job_id"] == top and [s["state"] for s in listed["steps"]] == ["applied"]
    hidden = over_stdio["hide"].structured_content["job_id"]
    after = over_stdio["after_hiding"].structured_content
    assert after["total"] == 3 and hidden not in {r["job"]["id"] for r in after["results"]}


def test_a_search_of_every_family_counts_facets_when_asked(over_stdio):
    everything = over_stdio["everything"].structured_content

    assert everything["total"] == 4 and len(everything["results"]) == 3
    assert {"value": "remote", "count": 4} in everything["facets"]["remote"]


def test_bad_arguments_get_an_error_result_that_says_why(over_stdio):
    for (tool, arguments, says), result in zip(BAD_CALLS, over_stdio["bad"], strict=True):
        message = result.content[0].text
        assert result.is_error and says in message, (tool, str(arguments)[:80], message)
        assert "Traceback" not in message


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_over_streamable_http_on_loopback(env):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "leadboard", "mcp", "--http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)

        async def conversation(client):
            tools = await client.list_tools()
            found = await client.call_tool("search_jobs", {"q": "ranking", "per_page": 1})
            job_id = found.structured_content["results"][0]["job"]["id"]
            job = await client.call_tool("get_job", {"job_id": job_id})
            return tools, found, job

        tools, found, job = talk(f"http://127.0.0.1:{port}/mcp", conversation)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert {tool.name for tool in tools.tools} == TOOLS
    title = found.structured_content["results"][0]["job"]["title"]
    assert "Ranking" in title and job.structured_content["job"]["title"] == title


def test_http_beyond_loopback_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("LEADBOARD_HOME", str(tmp_path))

    result = CliRunner().invoke(app, ["mcp", "--http", "--host", "0.0.0.0"])

    assert result.exit_code == 2 and "loopback" in result.output
