"""The board list, board specs, and crawling several boards at once against 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from leadboard.sources import crawl as crawl_module
from leadboard.sources.boards import (
    KINDS,
    BoardRef,
    BoardSpecError,
    load_boards,
    parse_board_spec,
    parse_board_specs,
)
from leadboard.sources.crawl import crawl, fetch_board, fetch_career_page
from leadboard.sources.http import HttpClient

FIXTURES = Path(__file__).parent / "fixtures"


def local_apis(httpserver: HTTPServer) -> dict[str, str]:
    root = httpserver.url_for("")
    return {"greenhouse": root, "lever": root, "lever_eu": root + "/eu", "ashby": root}


# --- the curated board list ---------------------------------------------------------------------


def test_curated_list_is_large_valid_and_unique() -> None:
    boards = load_boards()
    assert len(boards) >= 60
    assert {b.kind for b in boards} <= set(KINDS)
    assert all(b.company and b.category for b in boards)
    duplicates = [spec for spec, n in Counter(b.spec for b in boards).items() if n > 1]
    assert duplicates == []
    assert {"greenhouse:anthropic", "ashby:openai", "lever:palantir"} <= {b.spec for b in boards}


@pytest.mark.shared_data
def test_curated_tokens_seen_in_shared_data_are_spelled_as_there(shared_data_dir: Path) -> None:
    """Tokens that appear in real board URLs must match them exactly (case included)."""
    text = (shared_data_dir / "postings/ats-boards-2026-05/postings.jsonl").read_text()
    pattern = r"(greenhouse\.io|jobs\.ashbyhq\.com|jobs\.lever\.co)/([A-Za-z0-9_-]+)/"
    kinds = {"greenhouse.io": "greenhouse", "jobs.ashbyhq.com": "ashby", "jobs.lever.co": "lever"}
    seen = {f"{kinds[host]}:{token}" for host, token in re.findall(pattern, text)}
    confirmed = [b.spec for b in load_boards() if b.spec in seen]
    assert len(confirmed) >= 45  # most of the list is confirmed by real postings


def test_load_boards_from_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "boards.csv"
    path.write_text(
        "company,ats,token,region\nAcme,Greenhouse, acme ,\n\n"
        "Euro,lever,eurosite,eu\nOrg,ashby,org-1,\n"
    )
    assert [(b.spec, b.company) for b in load_boards(path)] == [
        ("greenhouse:acme", "Acme"),
        ("lever:eu:eurosite", "Euro"),
        ("ashby:org-1", "Org"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("company,ats\nAcme,greenhouse\n", "missing column(s) token"),
        ("company,ats,token\nAcme,monster,acme\n", "unknown board kind 'monster'"),
        ("company,ats,token\nAcme,greenhouse,\n", "line 2: empty token"),
        ("company,ats,token\nA,ashby,a\nB,lever,bad token\n", "bad board token 'bad token'"),
    ],
)
def test_bad_csv_rows(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "boards.csv"
    path.write_text(content)
    with pytest.raises(BoardSpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_boards(path)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("greenhouse:anthropic", BoardRef("greenhouse", "anthropic")),
        ("  Ashby:openai ", BoardRef("ashby", "openai")),
        ("lever:palantir", BoardRef("lever", "palantir")),
        ("lever:eu:acme", BoardRef("lever", "eu:acme")),
        ("lever:EU: acme", BoardRef("lever", "eu:acme")),
        ("ashby:runway-ml", BoardRef("ashby", "runway-ml")),
    ],
)
def test_parse_board_spec(spec: str, expected: BoardRef) -> None:
    assert parse_board_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("anthropic", "is not kind:token"),
        ("greenhouse:", "is not kind:token"),
        (":anthropic", "is not kind:token"),
        ("monster:nvidia", "unknown board kind 'monster'"),
        ("gh:anthropic", "expected one of: greenhouse, lever, ashby"),
        ("greenhouse:a b", "bad board token"),
        ("greenhouse:a?b=1", "bad board token"),
        ("lever:eu:", "bad board token"),
    ],
)
def test_bad_board_specs(spec: str, message: str) -> None:
    with pytest.raises(BoardSpecError, match=message):
        parse_board_spec(spec)


def test_parse_several_specs() -> None:
    boards = parse_board_specs("greenhouse:anthropic lever:palantir,ashby:openai\nlever:eu:x")
    assert [b.spec for b in boards] == [
        "greenhouse:anthropic",
        "lever:palantir",
        "ashby:openai",
        "lever:eu:x",
    ]
    assert parse_board_specs(["ashby:a", "ashby:b greenhouse:c"])[2].spec == "greenhouse:c"
    assert parse_board_specs("") == []


# --- crawling -----------------------------------------------------------------------------------


def test_crawl_keeps_going_past_failing_boards(httpserver: HTTPServer) -> None:
    greenhouse = json.loads((FIXTURES / "greenhouse_jobs.json").read_text())
    lever = json.loads((FIXTURES / "lever_page1.json").read_text())
    ashby = json.loads((FIXTURES / "ashby_board.json").read_text())

    def too_slow(request: Request) -> Response:
        time.sleep(0.4)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/v1/boards/acmeai/jobs").respond_with_json(greenhouse)
    httpserver.expect_request("/v1/boards/broken/jobs").respond_with_data("{oops", status=200)
    httpserver.expect_request("/v1/boards/slow/jobs").respond_with_handler(too_slow)
    httpserver.expect_request("/eu/v0/postings/acmelab").respond_with_json(lever)
    httpserver.expect_request("/posting-api/job-board/acme").respond_with_json(ashby)
    httpserver.expect_request("/posting-api/job-board/gone").respond_with_data("", status=404)
    boards = parse_board_specs(
        "greenhouse:acmeai greenhouse:broken greenhouse:slow lever:eu:acmelab ashby:acme ashby:gone"
    )

    # A timeout shorter than the slow board's 0.4 s, so that board fails fast.
    with HttpClient(timeout=0.2, retries=1, backoff=0.001, min_interval=0) as http:
        results = {
            f"{r.source}:{r.board}": r
            for r in crawl(boards, client=http, concurrency=3, base_urls=local_apis(httpserver))
        }

    assert set(results) == {b.spec for b in boards}
    good = {"greenhouse:acmeai": 3, "lever:eu:acmelab": 2, "ashby:acme": 2}
    for spec, count in good.items():
        assert results[spec].complete and results[spec].error is None, spec
        assert len(results[spec].postings) == count, spec
    assert "is not JSON" in (results["greenhouse:broken"].error or "")
    assert "timed out" in (results["greenhouse:slow"].error or "")
    assert "HTTP 404" in (results["ashby:gone"].error or "")
    assert not any(
        results[s].complete for s in ("greenhouse:broken", "greenhouse:slow", "ashby:gone")
    )


def test_crawl_bounds_concurrency(httpserver: HTTPServer, http: HttpClient) -> None:
    lock, in_flight, peak = threading.Lock(), [0], [0]

    def counted(request: Request) -> Response:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.05)
        with lock:
            in_flight[0] -= 1
        return Response('{"jobs": []}', content_type="application/json")

    httpserver.expect_request("/v1/boards/b0/jobs").respond_with_handler(counted)
    for n in range(1, 6):
        httpserver.expect_request(f"/v1/boards/b{n}/jobs").respond_with_handler(counted)
    boards = [BoardRef("greenhouse", f"b{n}") for n in range(6)]

    results = list(crawl(boards, client=http, concurrency=2, base_urls=local_apis(httpserver)))

    assert len(results) == 6 and all(r.complete for r in results)
    assert peak[0] == 2


def test_a_connector_bug_does_not_stop_the_crawl(
    httpserver: HTTPServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: object, board: str, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(crawl_module.LeverConnector, "fetch", explode)
    httpserver.expect_request("/posting-api/job-board/acme").respond_with_json({"jobs": []})
    boards = parse_board_specs("lever:acmelab ashby:acme")
    results = {r.board: r for r in crawl(boards, client=http, base_urls=local_apis(httpserver))}
    assert results["acmelab"].error == "lever:acmelab: unexpected RuntimeError: boom"
    assert results["acme"].complete is True


def test_crawl_uses_environment_hosts(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("GREENHOUSE", "LEVER", "ASHBY"):
        monkeypatch.setenv(f"LEADBOARD_{var}_API", httpserver.url_for(f"/{var.lower()}"))
    httpserver.expect_request("/greenhouse/v1/boards/g/jobs").respond_with_json({"jobs": []})
    httpserver.expect_request("/lever/v0/postings/l").respond_with_json([])
    httpserver.expect_request("/ashby/posting-api/job-board/a").respond_with_json({"jobs": []})
    boards = parse_board_specs("greenhouse:g lever:l ashby:a")
    monkeypatch.setattr(
        crawl_module, "HttpClient", lambda: HttpClient(min_interval=0, retries=0, timeout=2)
    )
    results = list(crawl(boards))  # the crawl makes (and closes) its own client
    assert sorted(r.board for r in results if r.complete) == ["a", "g", "l"]


def test_fetch_board_one_at_a_time(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request("/posting-api/job-board/acme").respond_with_json({"jobs": []})
    fetch = fetch_board(BoardRef("ashby", "acme"), client=http, base_urls=local_apis(httpserver))
    assert fetch.complete is True and fetch.error is None


# --- career pages -------------------------------------------------------------------------------


def test_fetch_career_page(httpserver: HTTPServer, http: HttpClient) -> None:
    html = (FIXTURES / "jsonld_messy.html").read_text()
    httpserver.expect_request("/jobs/ml-head").respond_with_data(html, content_type="text/html")
    fetch = fetch_career_page(httpserver.url_for("/jobs/ml-head"), client=http)
    assert (fetch.source, fetch.board) == ("jsonld", "127.0.0.1")
    assert [p.title for p in fetch.postings] == [
        "Head of Machine Learning",
        "Staff ML Engineer, Perception",
    ]
    assert fetch.postings[1].url == "https://careers.acme.example/jobs/ml-staff"
    assert fetch.complete is True


def test_fetch_career_page_that_is_gone(httpserver: HTTPServer, http: HttpClient) -> None:
    httpserver.expect_request("/jobs/closed").respond_with_data("Not here", status=404)
    fetch = fetch_career_page(httpserver.url_for("/jobs/closed"), client=http)
    assert fetch.postings == [] and fetch.complete is False
    assert (fetch.error or "").startswith("career page: HTTP 404")
